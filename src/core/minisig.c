/* SPDX-License-Identifier: GPL-3.0-or-later */
/* minisign-format detached signatures: prehashed "ED" (Ed25519 over BLAKE2b-512). */
#include "tamga/minisig.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "identity-internal.h"
#include "tamga/error.h"
#include "minisig-internal.h"
#include "util.h"

#define UNTRUSTED_PREFIX   "untrusted comment: "
#define TRUSTED_PREFIX     "trusted comment: "
#define UNTRUSTED_DEFAULT  UNTRUSTED_PREFIX "signature from tamga secret key"
#define UNTRUSTED_LINE_MAX 1024 /* bytes of the first line, prefix included */
#define PUBKEY_TEXT_MAX    (UNTRUSTED_LINE_MAX + 1 + 56 + 1)
#define SIG_BLOB_BYTES     (2 + TAMGA_KEYNUM_BYTES + TAMGA_SIG_BYTES)
#define PREHASH_BYTES      crypto_generichash_BYTES_MAX

_Static_assert(crypto_generichash_BYTES_MAX == 64, "BLAKE2b-512");
_Static_assert(SIG_BLOB_BYTES == 74, "minisign signature blob");

/* Comments are single lines of printable bytes: no control characters except
 * tab (stock minisign puts tabs in its default trusted comment). */
static int comment_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return 0;
    }
    return 1;
}

static int prehash(const uint8_t *msg, size_t len, uint8_t out[PREHASH_BYTES])
{
    return crypto_generichash(out, PREHASH_BYTES, msg, len, NULL, 0);
}

/* Ed25519 over sig || trusted_comment. */
static int global_message(const uint8_t sig[TAMGA_SIG_BYTES], const char *comment, size_t clen,
                          uint8_t **out, size_t *outlen)
{
    *out = malloc(TAMGA_SIG_BYTES + clen + 1);
    if (*out == NULL)
        return TAMGA_ERR_NOMEM;
    memcpy(*out, sig, TAMGA_SIG_BYTES);
    memcpy(*out + TAMGA_SIG_BYTES, comment, clen);
    *outlen = TAMGA_SIG_BYTES + clen;
    return TAMGA_OK;
}

int tamga_minisig_sign(const tamga_identity *id, const uint8_t *msg, size_t len,
                       const char *trusted_comment, char **out)
{
    *out = NULL;
    if (!tamga_identity_is_unlocked(id))
        return tamga__fail(TAMGA_ERR_LOCKED, "the identity must be unlocked to sign");
    size_t clen = strnlen(trusted_comment, TAMGA_MINISIG_COMMENT_MAX + 1);
    if (clen > TAMGA_MINISIG_COMMENT_MAX)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "trusted comment longer than %d bytes",
                           TAMGA_MINISIG_COMMENT_MAX);
    if (!comment_ok(trusted_comment, clen))
        return tamga__fail(TAMGA_ERR_INVALID, "trusted comment holds a control character");
    const tamga_pubid *pub = tamga_identity_get_public(id);

    uint8_t hash[PREHASH_BYTES], blob[SIG_BLOB_BYTES], gsig[TAMGA_SIG_BYTES];
    prehash(msg, len, hash);
    blob[0] = 'E';
    blob[1] = 'D';
    memcpy(blob + 2, pub->keynum, TAMGA_KEYNUM_BYTES);
    int rc = tamga_identity_sign(id, hash, sizeof hash, blob + 2 + TAMGA_KEYNUM_BYTES);
    if (rc != TAMGA_OK)
        return rc;
    uint8_t *gm = NULL;
    size_t gmlen = 0;
    if ((rc = global_message(blob + 2 + TAMGA_KEYNUM_BYTES, trusted_comment, clen, &gm, &gmlen)) !=
        TAMGA_OK)
        return rc;
    rc = tamga_identity_sign(id, gm, gmlen, gsig);
    free(gm);
    if (rc != TAMGA_OK)
        return rc;

    char *b_sig = tamga_b64_encode(blob, sizeof blob);
    char *b_gsig = tamga_b64_encode(gsig, sizeof gsig);
    if (b_sig == NULL || b_gsig == NULL) {
        free(b_sig);
        free(b_gsig);
        return TAMGA_ERR_NOMEM;
    }
    size_t n = sizeof UNTRUSTED_DEFAULT + strlen(b_sig) + 1 + sizeof TRUSTED_PREFIX + clen + 1 +
               strlen(b_gsig) + 1 + 1;
    char *text = malloc(n);
    if (text == NULL) {
        free(b_sig);
        free(b_gsig);
        return TAMGA_ERR_NOMEM;
    }
    snprintf(text, n, "%s\n%s\n%s%.*s\n%s\n", UNTRUSTED_DEFAULT, b_sig, TRUSTED_PREFIX, (int)clen,
             trusted_comment, b_gsig);
    free(b_sig);
    free(b_gsig);

    /* Never hand out a signature that does not verify. */
    tamga_minisig *check = malloc(sizeof *check);
    if (check == NULL) {
        free(text);
        return TAMGA_ERR_NOMEM;
    }
    rc = tamga_minisig_parse(text, strlen(text), check);
    if (rc == TAMGA_OK)
        rc = tamga_minisig_verify(check, msg, len, pub->keynum, pub->sign_pk);
    free(check);
    if (rc != TAMGA_OK) {
        free(text);
        return tamga__fail(TAMGA_ERR_AUTH, "the new signature does not verify");
    }
    *out = text;
    return TAMGA_OK;
}

/* Splits off the next line (without its '\n'). 0 if there is no '\n' left. */
static int next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *llen)
{
    if (*pos >= len)
        return 0;
    const char *start = text + *pos;
    const char *nl = memchr(start, '\n', len - *pos);
    if (nl == NULL)
        return 0;
    *line = start;
    *llen = (size_t)(nl - start);
    *pos += *llen + 1;
    return 1;
}

static int has_prefix(const char *line, size_t llen, const char *prefix)
{
    size_t n = strlen(prefix);
    return llen >= n && memcmp(line, prefix, n) == 0;
}

static int parse_fields(const char *text, size_t len, tamga_minisig *out)
{
    const char *line[4];
    size_t llen[4], pos = 0, got = 0;
    if (len > TAMGA_MINISIG_MAX_FILE)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "signature file larger than %d bytes",
                           TAMGA_MINISIG_MAX_FILE);
    for (int i = 0; i < 4; i++)
        if (!next_line(text, len, &pos, &line[i], &llen[i]))
            return tamga__fail(TAMGA_ERR_FORMAT,
                               "signature file: line %d is missing or has no "
                               "newline",
                               i + 1);
    if (pos != len)
        return tamga__fail(TAMGA_ERR_FORMAT,
                           "signature file: data after the fourth line "
                           "(offset %zu)",
                           pos);

    if (!has_prefix(line[0], llen[0], UNTRUSTED_PREFIX))
        return tamga__fail(TAMGA_ERR_FORMAT, "signature file: line 1 is not an untrusted "
                                             "comment");
    if (llen[0] > UNTRUSTED_LINE_MAX)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "signature file: untrusted comment too long");
    if (!comment_ok(line[0], llen[0]))
        return tamga__fail(TAMGA_ERR_FORMAT, "signature file: control character in line 1");

    uint8_t blob[SIG_BLOB_BYTES];
    if (tamga_b64_decode(line[1], llen[1], blob, sizeof blob, &got) != TAMGA_OK ||
        got != sizeof blob)
        return tamga__fail(TAMGA_ERR_FORMAT,
                           "signature file: line 2 is not %d bytes of "
                           "canonical base64",
                           SIG_BLOB_BYTES);
    if (blob[0] == 'E' && blob[1] == 'd')
        return tamga__fail(TAMGA_ERR_UNSUPPORTED, "signature file: legacy non-prehashed "
                                                  "signature (algorithm Ed); sign with -H");
    if (blob[0] != 'E' || blob[1] != 'D')
        return tamga__fail(TAMGA_ERR_UNSUPPORTED, "signature file: unknown signature "
                                                  "algorithm");
    memcpy(out->keynum, blob + 2, TAMGA_KEYNUM_BYTES);
    memcpy(out->sig, blob + 2 + TAMGA_KEYNUM_BYTES, TAMGA_SIG_BYTES);

    if (!has_prefix(line[2], llen[2], TRUSTED_PREFIX))
        return tamga__fail(TAMGA_ERR_FORMAT, "signature file: line 3 is not a trusted comment");
    const char *comment = line[2] + strlen(TRUSTED_PREFIX);
    size_t clen = llen[2] - strlen(TRUSTED_PREFIX);
    if (clen > TAMGA_MINISIG_COMMENT_MAX)
        return tamga__fail(TAMGA_ERR_TOO_LARGE,
                           "signature file: trusted comment longer than "
                           "%d bytes",
                           TAMGA_MINISIG_COMMENT_MAX);
    if (!comment_ok(comment, clen))
        return tamga__fail(TAMGA_ERR_FORMAT, "signature file: control character in the "
                                             "trusted comment");
    memcpy(out->trusted_comment, comment, clen);
    out->trusted_comment[clen] = '\0';

    if (tamga_b64_decode(line[3], llen[3], out->global_sig, sizeof out->global_sig, &got) !=
            TAMGA_OK ||
        got != sizeof out->global_sig)
        return tamga__fail(TAMGA_ERR_FORMAT,
                           "signature file: line 4 is not %d bytes of "
                           "canonical base64",
                           TAMGA_SIG_BYTES);
    return TAMGA_OK;
}

int tamga_minisig_parse(const char *text, size_t len, tamga_minisig *out)
{
    memset(out, 0, sizeof *out);
    int rc = parse_fields(text, len, out);
    if (rc != TAMGA_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

int tamga_minisig_verify(const tamga_minisig *sig, const uint8_t *msg, size_t len,
                         const uint8_t keynum[TAMGA_KEYNUM_BYTES],
                         const uint8_t sign_pk[TAMGA_SIGN_PK_BYTES])
{
    if (memcmp(sig->keynum, keynum, TAMGA_KEYNUM_BYTES) != 0) {
        char want[TAMGA_KEYID_HEX_LEN + 1], have[TAMGA_KEYID_HEX_LEN + 1];
        tamga_keyid_format(keynum, want);
        tamga_keyid_format(sig->keynum, have);
        return tamga__fail(TAMGA_ERR_AUTH, "signature is from key %s, not %s", have, want);
    }
    uint8_t hash[PREHASH_BYTES];
    prehash(msg, len, hash);
    if (crypto_sign_verify_detached(sig->sig, hash, sizeof hash, sign_pk) != 0)
        return tamga__fail(TAMGA_ERR_AUTH, "signature does not verify");
    size_t clen = strnlen(sig->trusted_comment, sizeof sig->trusted_comment);
    uint8_t *gm = NULL;
    size_t gmlen = 0;
    int rc = global_message(sig->sig, sig->trusted_comment, clen, &gm, &gmlen);
    if (rc != TAMGA_OK)
        return rc;
    int bad = crypto_sign_verify_detached(sig->global_sig, gm, gmlen, sign_pk);
    free(gm);
    if (bad != 0)
        return tamga__fail(TAMGA_ERR_AUTH, "the trusted comment does not verify");
    return TAMGA_OK;
}

int tamga_minisign_pubkey_parse(const char *text, size_t len, uint8_t keynum[TAMGA_KEYNUM_BYTES],
                                uint8_t sign_pk[TAMGA_SIGN_PK_BYTES])
{
    memset(keynum, 0, TAMGA_KEYNUM_BYTES);
    memset(sign_pk, 0, TAMGA_SIGN_PK_BYTES);
    if (len > PUBKEY_TEXT_MAX)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "minisign public key larger than %d bytes",
                           PUBKEY_TEXT_MAX);
    const char *key = text;
    size_t klen = len;
    if (has_prefix(text, len, UNTRUSTED_PREFIX)) {
        const char *nl = memchr(text, '\n', len);
        if (nl == NULL)
            return tamga__fail(TAMGA_ERR_FORMAT, "minisign public key: no key line");
        if (!comment_ok(text, (size_t)(nl - text)))
            return tamga__fail(TAMGA_ERR_FORMAT, "minisign public key: control character in "
                                                 "the comment");
        key = nl + 1;
        klen = len - (size_t)(key - text);
    }
    /* The key line, optionally ended by exactly one newline. */
    if (klen > 0 && key[klen - 1] == '\n')
        klen--;
    uint8_t blob[TAMGA_MINISIGN_PK_BLOB];
    size_t got = 0;
    if (tamga_b64_decode(key, klen, blob, sizeof blob, &got) != TAMGA_OK || got != sizeof blob)
        return tamga__fail(TAMGA_ERR_FORMAT,
                           "minisign public key is not %d bytes of canonical "
                           "base64",
                           TAMGA_MINISIGN_PK_BLOB);
    if (blob[0] != 'E' || blob[1] != 'd')
        return tamga__fail(TAMGA_ERR_UNSUPPORTED, "minisign public key: unknown algorithm");
    memcpy(keynum, blob + 2, TAMGA_KEYNUM_BYTES);
    memcpy(sign_pk, blob + 2 + TAMGA_KEYNUM_BYTES, TAMGA_SIGN_PK_BYTES);
    return TAMGA_OK;
}

/* ---- public key blobs, base64 ---- */

char *tamga__pk_blob_b64(const uint8_t keynum[8], const uint8_t pk[32])
{
    uint8_t blob[2 + 8 + 32];
    blob[0] = 'E';
    blob[1] = 'd';
    memcpy(blob + 2, keynum, 8);
    memcpy(blob + 10, pk, 32);
    return tamga_b64_encode(blob, sizeof blob);
}

int tamga__pk_blob_parse(const char *b64, uint8_t keynum[8], uint8_t pk[32])
{
    uint8_t blob[2 + 8 + 32 + 3];
    size_t n = 0;
    int rc = tamga_b64_decode(b64, strlen(b64), blob, sizeof blob, &n);
    if (rc != TAMGA_OK || n != 42 || blob[0] != 'E' || blob[1] != 'd')
        return tamga__fail(TAMGA_ERR_FORMAT, "not a minisign Ed25519 public key");
    memcpy(keynum, blob + 2, 8);
    memcpy(pk, blob + 10, 32);
    return TAMGA_OK;
}
