/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the custody log parser, and signature checks on what it accepts. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "custody-internal.h"
#include "tamga/common.h"
#include "tamga/custody.h"
#include "tamga/error.h"

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
    tamga_custody_log log;
    if (tamga_custody_parse(text, size, &log) == TAMGA_OK) {
        static const uint8_t pk[TAMGA_SIGN_PK_BYTES] = {1};
        for (size_t i = 0; i < log.count; i++) {
            uint8_t case_id[TAMGA_ID_BYTES];
            (void)tamga_custody_entry_verify(&log.entries[i], pk);
            if (tamga__custody_entry_case(&log.entries[i], case_id) != TAMGA_OK)
                abort(); /* an accepted line always names its case */
            if (log.entries[i].seq != i + 1)
                abort();
        }
        tamga_custody_log_clear(&log);
    } else if (log.count != 0 || log.entries != NULL) {
        abort(); /* outputs are cleared on failure */
    }
    free(text);
    return 0;
}
