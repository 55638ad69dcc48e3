/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the case description parser (case.json). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "case-internal.h"
#include "tamga/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        tamga_init();
        ready = 1;
    }
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    (void)tamga__case_parse_only(text, size);
    free(text);
    return 0;
}
