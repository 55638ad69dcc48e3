/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One-off generator of the identity and minisig known-answer vectors (see
 * docs/FORMAT.md (section 1)). Not built by CMake; build it by hand against the
 * static library:
 *   cc -std=c17 -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc/core \
 *      tests/vectors/identity/make-vectors.c build/<dir>/libtamga_static.a \
 *      $(pkg-config --libs libsodium jansson opus libopusenc opusfile sndfile) -lm \
 *      -o /tmp/make-vectors
 *   /tmp/make-vectors tests/vectors
 * It refuses to overwrite existing vectors: delete them first on purpose. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tamga/identity.h"
#include "tamga/minisig.h"
#include "tamga/tamga.h"
#include "util.h"

#define PASS    "tamga known-answer passphrase"
#define NAME    "Vector Ü Tester"
#define MESSAGE "tamga known-answer message\n"
#define COMMENT "tamga known-answer vector\tfile:message.txt"

static void die(const char *what, int rc)
{
    fprintf(stderr, "%s: %s (%s)\n", what, tamga_strerror(rc), tamga_error_detail());
    exit(1);
}

static char *join(const char *a, const char *b)
{
    char *p = tamga_path_join(a, b);
    if (p == NULL)
        exit(1);
    return p;
}

int main(int argc, char **argv)
{
    if (argc != 2 || tamga_init() != TAMGA_OK)
        return 2;
    char *idd = join(argv[1], "identity"), *msd = join(argv[1], "minisig");
    char *sec = join(idd, "secret.key"), *pub = join(idd, "public.json");
    char *mpk = join(idd, "minisign.pub"), *age = join(idd, "age-recipient.txt");
    char *msg = join(msd, "message.txt"), *sig = join(msd, "message.txt.minisig");
    tamga_identity *id;
    int rc = tamga_identity_generate(NAME, &id);
    if (rc)
        die("generate", rc);
    if ((rc = tamga_identity_save(id, sec, pub, PASS, strlen(PASS), TAMGA_KDF_INTERACTIVE, 0)))
        die("save", rc);
    char *text;
    if ((rc = tamga_pubid_minisign_pubkey(tamga_identity_get_public(id), &text)))
        die("minisign pubkey", rc);
    if ((rc = tamga_write_atomic(mpk, text, strlen(text), 0644, 0)))
        die("write", rc);
    free(text);
    if ((rc = tamga_pubid_age_recipient(tamga_identity_get_public(id), &text)))
        die("age recipient", rc);
    char line[128];
    snprintf(line, sizeof line, "%s\n", text);
    if ((rc = tamga_write_atomic(age, line, strlen(line), 0644, 0)))
        die("write", rc);
    free(text);
    if ((rc = tamga_write_atomic(msg, MESSAGE, strlen(MESSAGE), 0644, 0)))
        die("write", rc);
    if ((rc = tamga_minisig_sign(id, (const uint8_t *)MESSAGE, strlen(MESSAGE), COMMENT, &text)))
        die("sign", rc);
    if ((rc = tamga_write_atomic(sig, text, strlen(text), 0644, 0)))
        die("write", rc);
    free(text);
    tamga_identity_free(id);
    return 0;
}
