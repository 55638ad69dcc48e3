/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the custody head file parser (head.json). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tamga/common.h"
#include "tamga/custody.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        tamga_init();
        ready = 1;
    }
    char *text = malloc(size ? size : 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    tamga_custody_headfile h;
    (void)tamga_custody_headfile_parse(text, size, &h);
    free(text);
    return 0;
}
