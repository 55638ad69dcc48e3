/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the tar member checks of bundles (bundle-tar.c). The input is
 * a list of members, one a line: "<type> <size> <name>", type d (folder),
 * f (file) or o (link, device...). Every member goes through
 * tamga__member_check with a small total bound; whatever is accepted must be
 * a relative path inside one tamga-bundle-<12 hex> folder, free of "..",
 * "." and empty components, never seen before, and within its size bound. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bundle-internal.h"
#include "tamga/tamga.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_accepted(const char *name, tamga__member_type t, int64_t sz)
{
    if (t == TAMGA__M_OTHER || sz < 0 || (uint64_t)sz > TAMGA_BUNDLE_MAX_MEMBER)
        abort();
    if (name[0] == '/' || strncmp(name, TAMGA_BUNDLE_TOP_PREFIX, 13) != 0)
        abort();
    if (strstr(name, "//") != NULL || strstr(name, "/../") != NULL || strstr(name, "/./") != NULL ||
        strchr(name, '\\') != NULL)
        abort();
    size_t n = strlen(name);
    if (n >= 3 && strcmp(name + n - 3, "/..") == 0)
        abort();
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] < 0x20 || (unsigned char)name[i] >= 0x7f)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        tamga_init();
        ready = 1;
    }
    if (size > 65536)
        return 0;
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    tamga__member_checker *k = tamga__member_checker_new();
    if (k == NULL) {
        free(text);
        return 0;
    }
    char *line = text;
    size_t accepted = 0;
    while (line != NULL && *line != '\0') {
        char *nl = strchr(line, '\n');
        if (nl != NULL)
            *nl = '\0';
        if (strlen(line) >= 3 && line[1] == ' ') {
            tamga__member_type t = line[0] == 'd'   ? TAMGA__M_DIR
                                   : line[0] == 'f' ? TAMGA__M_FILE
                                                    : TAMGA__M_OTHER;
            char *end = NULL;
            long long sz = strtoll(line + 2, &end, 10);
            const char *name = (end != NULL && *end == ' ') ? end + 1 : "";
            tamga__member_kind kind;
            int rc = tamga__member_check(k, name, t, (int64_t)sz, 1ull << 40, &kind);
            if (rc == TAMGA_OK) {
                check_accepted(name, t, (int64_t)sz);
                accepted++;
                /* A second time is always a duplicate. */
                if (tamga__member_check(k, name, t, (int64_t)sz, 1ull << 40, NULL) == TAMGA_OK)
                    abort();
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    /* Names must also be checkable as SHA256SUMS lines (top-relative). */
    (void)tamga__member_checker_has(k, "SHA256SUMS");
    (void)accepted;
    tamga__member_checker_free(k);
    free(text);
    return 0;
}
