/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the manifest parser. Whatever it accepts must serialise back to
 * the same bytes (one canonical text per manifest). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tamga/common.h"
#include "tamga/error.h"
#include "tamga/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        tamga_init();
        ready = 1;
    }
    /* an exact-size copy, so reading past the end is caught */
    char *text = malloc(size ? size : 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    tamga_manifest m;
    if (tamga_manifest_parse(text, size, &m) == TAMGA_OK) {
        char *again = NULL;
        size_t len = 0;
        if (tamga_manifest_to_json(&m, &again, &len) != TAMGA_OK || len != size ||
            memcmp(again, text, size) != 0)
            abort();
        free(again);
        tamga_manifest_clear(&m);
    }
    free(text);
    return 0;
}
