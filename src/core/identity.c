/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Identities: passphrase-encrypted secret file, public identity file, key ids. */
#include "tamga/identity.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "bech32.h"
#include "identity-internal.h"
#include "tamga/error.h"
#include "util.h"

_Static_assert(crypto_pwhash_SALTBYTES == 16, "salt size is part of the file format");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == 24, "nonce size");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == 16, "tag size");
_Static_assert(crypto_sign_SECRETKEYBYTES == TAMGA_SIGN_SK_BYTES, "Ed25519 secret key");
_Static_assert(crypto_sign_PUBLICKEYBYTES == TAMGA_SIGN_PK_BYTES, "Ed25519 public key");
_Static_assert(crypto_box_SECRETKEYBYTES == TAMGA_ENC_SK_BYTES, "X25519 secret key");
_Static_assert(crypto_box_PUBLICKEYBYTES == TAMGA_ENC_PK_BYTES, "X25519 public key");
_Static_assert(TAMGA_ID_OFF_NAME + TAMGA_NAME_MAX + TAMGA_ID_CT_BYTES == TAMGA_ID_FILE_MAX,
               "name limit");
_Static_assert(TAMGA_ID_SECRET_BYTES == TAMGA_SIGN_SK_BYTES + TAMGA_ENC_SK_BYTES, "secrets");

struct tamga_identity {
    tamga_pubid pub;
    uint8_t *file; /* copy of the secret file, kept for unlocking; NULL if generated */
    size_t file_len;
    uint8_t *secret; /* sodium_malloc'd sign_sk || enc_sk; NULL while locked */
};

/* ---- names and key ids ---- */

int tamga__name_check(const char *name, size_t len)
{
    const uint8_t *s = (const uint8_t *)name;
    if (len < 1 || len > TAMGA_NAME_MAX)
        return tamga__fail(TAMGA_ERR_INVALID, "name must be 1 to %d bytes", TAMGA_NAME_MAX);
    size_t i = 0;
    while (i < len) {
        uint8_t c = s[i];
        uint32_t cp;
        size_t k;
        if (c < 0x80) {
            cp = c;
            k = 1;
        } else if (c >= 0xC2 && c <= 0xDF) {
            cp = c & 0x1F;
            k = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            cp = c & 0x0F;
            k = 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            cp = c & 0x07;
            k = 4;
        } else {
            return tamga__fail(TAMGA_ERR_INVALID, "name is not valid UTF-8 (byte %zu)", i);
        }
        if (len - i < k)
            return tamga__fail(TAMGA_ERR_INVALID, "name is not valid UTF-8 (byte %zu)", i);
        for (size_t j = 1; j < k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return tamga__fail(TAMGA_ERR_INVALID, "name is not valid UTF-8 (byte %zu)", i + j);
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return tamga__fail(TAMGA_ERR_INVALID, "name is not valid UTF-8 (byte %zu)", i);
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029)
            return tamga__fail(TAMGA_ERR_INVALID, "name holds a control character (byte %zu)", i);
        i += k;
    }
    return TAMGA_OK;
}

void tamga_keyid_format(const uint8_t keynum[TAMGA_KEYNUM_BYTES], char out[17])
{
    snprintf(out, 17, "%016" PRIX64, tamga_load_le64(keynum));
}

int tamga_keyid_parse(const char *text, uint8_t keynum[TAMGA_KEYNUM_BYTES])
{
    memset(keynum, 0, TAMGA_KEYNUM_BYTES);
    if (strnlen(text, TAMGA_KEYID_HEX_LEN + 1) != TAMGA_KEYID_HEX_LEN)
        return tamga__fail(TAMGA_ERR_FORMAT, "a key id is %d hex digits", TAMGA_KEYID_HEX_LEN);
    uint64_t v = 0;
    for (int i = 0; i < TAMGA_KEYID_HEX_LEN; i++) {
        char c = text[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else
            return tamga__fail(TAMGA_ERR_FORMAT, "key id: '%c' is not a hex digit",
                               (c >= 0x20 && c < 0x7F) ? c : '?');
        v = (v << 4) | d;
    }
    tamga_store_le64(keynum, v);
    return TAMGA_OK;
}

/* ---- life cycle ---- */

static tamga_identity *identity_alloc(void)
{
    return calloc(1, sizeof(tamga_identity));
}

int tamga_identity_generate(const char *name, tamga_identity **out)
{
    *out = NULL;
    size_t nlen = strnlen(name, TAMGA_NAME_MAX + 1);
    int rc = tamga__name_check(name, nlen);
    if (rc != TAMGA_OK)
        return rc;
    tamga_identity *id = identity_alloc();
    if (id == NULL)
        return TAMGA_ERR_NOMEM;
    id->secret = sodium_malloc(TAMGA_ID_SECRET_BYTES);
    if (id->secret == NULL) {
        free(id);
        return TAMGA_ERR_NOMEM;
    }
    randombytes_buf(id->pub.keynum, TAMGA_KEYNUM_BYTES);
    crypto_sign_keypair(id->pub.sign_pk, id->secret);
    crypto_box_keypair(id->pub.enc_pk, id->secret + TAMGA_SIGN_SK_BYTES);
    memcpy(id->pub.name, name, nlen);
    id->pub.name[nlen] = '\0';
    *out = id;
    return TAMGA_OK;
}

void tamga_identity_lock(tamga_identity *id)
{
    if (id->secret != NULL) {
        sodium_free(id->secret); /* wipes before releasing */
        id->secret = NULL;
    }
}

int tamga_identity_is_unlocked(const tamga_identity *id)
{
    return id->secret != NULL;
}

const tamga_pubid *tamga_identity_get_public(const tamga_identity *id)
{
    return &id->pub;
}

void tamga_identity_free(tamga_identity *id)
{
    if (id == NULL)
        return;
    tamga_identity_lock(id);
    if (id->file != NULL) {
        sodium_memzero(id->file, id->file_len);
        free(id->file);
    }
    sodium_memzero(id, sizeof *id);
    free(id);
}

/* ---- the secret file ---- */

static int kdf_params(tamga_kdf_level kdf, uint64_t *ops, uint64_t *mem)
{
    switch (kdf) {
    case TAMGA_KDF_INTERACTIVE:
        *ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        *mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
        return TAMGA_OK;
    case TAMGA_KDF_MODERATE:
        *ops = crypto_pwhash_OPSLIMIT_MODERATE;
        *mem = crypto_pwhash_MEMLIMIT_MODERATE;
        return TAMGA_OK;
    case TAMGA_KDF_SENSITIVE:
        *ops = crypto_pwhash_OPSLIMIT_SENSITIVE;
        *mem = crypto_pwhash_MEMLIMIT_SENSITIVE;
        return TAMGA_OK;
    }
    return tamga__fail(TAMGA_ERR_INVALID, "unknown key derivation level %d", (int)kdf);
}

/* Derives the file key into sodium_malloc'd memory. */
static int derive_key(const char *pass, size_t passlen, const uint8_t *salt, uint64_t ops,
                      uint64_t mem, uint8_t **key)
{
    *key = sodium_malloc(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
    if (*key == NULL)
        return TAMGA_ERR_NOMEM;
    if (crypto_pwhash(*key, crypto_aead_xchacha20poly1305_ietf_KEYBYTES, pass, passlen, salt,
                      (unsigned long long)ops, (size_t)mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        sodium_free(*key);
        *key = NULL;
        return tamga__fail(TAMGA_ERR_NOMEM,
                           "key derivation failed (Argon2id needs %" PRIu64 " bytes of memory)",
                           mem);
    }
    return TAMGA_OK;
}

static int build_secret_file(const tamga_identity *id, const char *pass, size_t passlen,
                             tamga_kdf_level kdf, uint8_t **out, size_t *outlen)
{
    uint64_t ops = 0, mem = 0;
    *out = NULL;
    *outlen = 0;
    int rc = kdf_params(kdf, &ops, &mem);
    if (rc != TAMGA_OK)
        return rc;
    size_t nlen = strlen(id->pub.name);
    size_t adlen = TAMGA_ID_OFF_NAME + nlen;
    size_t total = adlen + TAMGA_ID_CT_BYTES;
    uint8_t *buf = malloc(total);
    if (buf == NULL)
        return TAMGA_ERR_NOMEM;
    memcpy(buf, TAMGA_ID_MAGIC, TAMGA_ID_MAGIC_BYTES);
    tamga_store_le16(buf + TAMGA_ID_OFF_VERSION, TAMGA_ID_VERSION);
    tamga_store_le16(buf + TAMGA_ID_OFF_KDF, TAMGA_ID_KDF_ARGON2ID13);
    tamga_store_le64(buf + TAMGA_ID_OFF_OPSLIMIT, ops);
    tamga_store_le64(buf + TAMGA_ID_OFF_MEMLIMIT, mem);
    randombytes_buf(buf + TAMGA_ID_OFF_SALT, crypto_pwhash_SALTBYTES);
    randombytes_buf(buf + TAMGA_ID_OFF_NONCE, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    memcpy(buf + TAMGA_ID_OFF_KEYNUM, id->pub.keynum, TAMGA_KEYNUM_BYTES);
    memcpy(buf + TAMGA_ID_OFF_SIGN_PK, id->pub.sign_pk, TAMGA_SIGN_PK_BYTES);
    memcpy(buf + TAMGA_ID_OFF_ENC_PK, id->pub.enc_pk, TAMGA_ENC_PK_BYTES);
    tamga_store_le16(buf + TAMGA_ID_OFF_NAME_LEN, (uint16_t)nlen);
    memcpy(buf + TAMGA_ID_OFF_NAME, id->pub.name, nlen);

    uint8_t *key;
    rc = derive_key(pass, passlen, buf + TAMGA_ID_OFF_SALT, ops, mem, &key);
    if (rc != TAMGA_OK) {
        free(buf);
        return rc;
    }
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(buf + adlen, &clen, id->secret,
                                               TAMGA_ID_SECRET_BYTES, buf, adlen, NULL,
                                               buf + TAMGA_ID_OFF_NONCE, key);
    sodium_free(key);
    *out = buf;
    *outlen = total;
    return TAMGA_OK;
}

int tamga_identity_parse(const uint8_t *data, size_t len, tamga_identity **out)
{
    *out = NULL;
    if (len < TAMGA_ID_MAGIC_BYTES || memcmp(data, TAMGA_ID_MAGIC, TAMGA_ID_MAGIC_BYTES) != 0)
        return tamga__fail(TAMGA_ERR_FORMAT, "not a tamga secret identity file (bad magic)");
    if (len < TAMGA_ID_OFF_KDF)
        return tamga__fail(TAMGA_ERR_FORMAT, "secret identity file truncated at %zu bytes", len);
    uint16_t version = tamga_load_le16(data + TAMGA_ID_OFF_VERSION);
    if (version != TAMGA_ID_VERSION)
        return tamga__fail(TAMGA_ERR_UNSUPPORTED, "secret identity file version %u", version);
    if (len < TAMGA_ID_OFF_NAME)
        return tamga__fail(TAMGA_ERR_FORMAT, "secret identity file truncated at %zu bytes", len);
    uint16_t kdf = tamga_load_le16(data + TAMGA_ID_OFF_KDF);
    if (kdf != TAMGA_ID_KDF_ARGON2ID13)
        return tamga__fail(TAMGA_ERR_UNSUPPORTED, "secret identity file: unknown KDF %u", kdf);
    uint64_t ops = tamga_load_le64(data + TAMGA_ID_OFF_OPSLIMIT);
    uint64_t mem = tamga_load_le64(data + TAMGA_ID_OFF_MEMLIMIT);
    if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > TAMGA_ID_OPSLIMIT_MAX)
        return tamga__fail(TAMGA_ERR_FORMAT,
                           "secret identity file: opslimit %" PRIu64 " out of range (offset %d)",
                           ops, TAMGA_ID_OFF_OPSLIMIT);
    if (mem < TAMGA_ID_MEMLIMIT_MIN || mem > TAMGA_ID_MEMLIMIT_MAX)
        return tamga__fail(TAMGA_ERR_FORMAT,
                           "secret identity file: memlimit %" PRIu64 " out of range (offset %d)",
                           mem, TAMGA_ID_OFF_MEMLIMIT);
    size_t nlen = tamga_load_le16(data + TAMGA_ID_OFF_NAME_LEN);
    if (nlen < 1 || nlen > TAMGA_NAME_MAX)
        return tamga__fail(TAMGA_ERR_FORMAT, "secret identity file: name length %zu (offset %d)",
                           nlen, TAMGA_ID_OFF_NAME_LEN);
    if (len != TAMGA_ID_OFF_NAME + nlen + TAMGA_ID_CT_BYTES)
        return tamga__fail(TAMGA_ERR_FORMAT, "secret identity file is %zu bytes, expected %zu", len,
                           TAMGA_ID_OFF_NAME + nlen + TAMGA_ID_CT_BYTES);
    if (tamga__name_check((const char *)data + TAMGA_ID_OFF_NAME, nlen) != TAMGA_OK) {
        char detail[256];
        snprintf(detail, sizeof detail, "%s", tamga_error_detail());
        return tamga__fail(TAMGA_ERR_FORMAT, "secret identity file: %s", detail);
    }
    tamga_identity *id = identity_alloc();
    if (id == NULL)
        return TAMGA_ERR_NOMEM;
    id->file = malloc(len);
    if (id->file == NULL) {
        free(id);
        return TAMGA_ERR_NOMEM;
    }
    memcpy(id->file, data, len);
    id->file_len = len;
    memcpy(id->pub.keynum, data + TAMGA_ID_OFF_KEYNUM, TAMGA_KEYNUM_BYTES);
    memcpy(id->pub.sign_pk, data + TAMGA_ID_OFF_SIGN_PK, TAMGA_SIGN_PK_BYTES);
    memcpy(id->pub.enc_pk, data + TAMGA_ID_OFF_ENC_PK, TAMGA_ENC_PK_BYTES);
    memcpy(id->pub.name, data + TAMGA_ID_OFF_NAME, nlen);
    id->pub.name[nlen] = '\0';
    *out = id;
    return TAMGA_OK;
}

/* Prefixes the current error detail with a path. */
static int fail_in(int rc, const char *path)
{
    char detail[400];
    snprintf(detail, sizeof detail, "%s", tamga_error_detail());
    return tamga__fail(rc, "%s: %s", path, detail);
}

int tamga_identity_load(const char *secret_path, tamga_identity **out)
{
    uint8_t *data = NULL;
    size_t len = 0;
    *out = NULL;
    int rc = tamga_read_file(secret_path, TAMGA_ID_FILE_MAX, &data, &len);
    if (rc != TAMGA_OK)
        return rc;
    rc = tamga_identity_parse(data, len, out);
    free(data);
    if (rc != TAMGA_OK)
        return fail_in(rc, secret_path);
    return TAMGA_OK;
}

int tamga_identity_unlock(tamga_identity *id, const char *pass, size_t passlen)
{
    if (id->file == NULL) {
        if (id->secret != NULL)
            return TAMGA_OK;
        return tamga__fail(TAMGA_ERR_INVALID, "identity has no secret file to unlock");
    }
    const uint8_t *f = id->file;
    size_t adlen = id->file_len - TAMGA_ID_CT_BYTES;
    uint8_t *key = NULL;
    int rc =
        derive_key(pass, passlen, f + TAMGA_ID_OFF_SALT, tamga_load_le64(f + TAMGA_ID_OFF_OPSLIMIT),
                   tamga_load_le64(f + TAMGA_ID_OFF_MEMLIMIT), &key);
    if (rc != TAMGA_OK)
        return rc;
    uint8_t *secret = sodium_malloc(TAMGA_ID_SECRET_BYTES);
    if (secret == NULL) {
        sodium_free(key);
        return TAMGA_ERR_NOMEM;
    }
    int bad = crypto_aead_xchacha20poly1305_ietf_decrypt(
        secret, NULL, NULL, f + adlen, TAMGA_ID_CT_BYTES, f, adlen, f + TAMGA_ID_OFF_NONCE, key);
    sodium_free(key);
    if (bad != 0) {
        sodium_free(secret);
        return tamga__fail(TAMGA_ERR_PASSPHRASE,
                           "wrong passphrase, or the secret identity file was altered");
    }
    /* The keys must belong to the public halves stored in the header. */
    uint8_t seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES];
    uint8_t sk[crypto_sign_SECRETKEYBYTES], epk[crypto_scalarmult_BYTES];
    crypto_sign_ed25519_sk_to_seed(seed, secret);
    crypto_sign_seed_keypair(pk, sk, seed);
    int inconsistent = sodium_memcmp(pk, id->pub.sign_pk, sizeof pk) != 0 ||
                       sodium_memcmp(sk, secret, sizeof sk) != 0 ||
                       crypto_scalarmult_base(epk, secret + TAMGA_SIGN_SK_BYTES) != 0 ||
                       sodium_memcmp(epk, id->pub.enc_pk, sizeof epk) != 0;
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(sk, sizeof sk);
    if (inconsistent) {
        sodium_free(secret);
        return tamga__fail(TAMGA_ERR_FORMAT, "secret identity file: inconsistent keys");
    }
    tamga_identity_lock(id);
    id->secret = secret;
    return TAMGA_OK;
}

int tamga_identity_save(const tamga_identity *id, const char *secret_path, const char *public_path,
                        const char *pass, size_t passlen, tamga_kdf_level kdf, int force)
{
    if (id->secret == NULL)
        return tamga__fail(TAMGA_ERR_LOCKED, "the identity must be unlocked to be saved");
    if (!force && tamga_file_exists(secret_path))
        return tamga__fail(TAMGA_ERR_EXISTS, "%s already exists", secret_path);
    if (!force && public_path != NULL && tamga_file_exists(public_path))
        return tamga__fail(TAMGA_ERR_EXISTS, "%s already exists", public_path);
    char *json = NULL;
    int rc;
    if (public_path != NULL) {
        rc = tamga_pubid_to_json(&id->pub, id, &json);
        if (rc != TAMGA_OK)
            return rc;
    }
    uint8_t *file = NULL;
    size_t flen = 0;
    rc = build_secret_file(id, pass, passlen, kdf, &file, &flen);
    if (rc == TAMGA_OK)
        rc = tamga_write_atomic(secret_path, file, flen, 0600, force);
    if (rc == TAMGA_OK && json != NULL)
        rc = tamga_write_atomic(public_path, json, strlen(json), 0644, force);
    free(file);
    free(json);
    return rc;
}

/* ---- using the secret keys ---- */

int tamga_identity_sign(const tamga_identity *id, const uint8_t *msg, size_t len,
                        uint8_t sig[TAMGA_SIG_BYTES])
{
    if (id->secret == NULL) {
        memset(sig, 0, TAMGA_SIG_BYTES);
        return tamga__fail(TAMGA_ERR_LOCKED, "the identity must be unlocked to sign");
    }
    crypto_sign_detached(sig, NULL, msg, len, id->secret);
    return TAMGA_OK;
}

int tamga_identity_enc_secret(const tamga_identity *id, uint8_t sk[TAMGA_ENC_SK_BYTES])
{
    if (id->secret == NULL) {
        sodium_memzero(sk, TAMGA_ENC_SK_BYTES);
        return tamga__fail(TAMGA_ERR_LOCKED, "the identity must be unlocked first");
    }
    memcpy(sk, id->secret + TAMGA_SIGN_SK_BYTES, TAMGA_ENC_SK_BYTES);
    return TAMGA_OK;
}

int tamga_identity_open_sealed(const tamga_identity *id, const uint8_t *sealed, size_t len,
                               uint8_t *out)
{
    if (id->secret == NULL)
        return tamga__fail(TAMGA_ERR_LOCKED, "the identity must be unlocked to decrypt");
    if (len < crypto_box_SEALBYTES)
        return tamga__fail(TAMGA_ERR_FORMAT, "sealed box of %zu bytes is shorter than %d", len,
                           (int)crypto_box_SEALBYTES);
    if (crypto_box_seal_open(out, sealed, len, id->pub.enc_pk, id->secret + TAMGA_SIGN_SK_BYTES) !=
        0) {
        sodium_memzero(out, len - crypto_box_SEALBYTES);
        return tamga__fail(TAMGA_ERR_AUTH, "sealed box is not addressed to this identity");
    }
    return TAMGA_OK;
}

/* ---- public identity files ---- */

static const char *const pubid_fields[] = {
    "format", "version", "name", "key_id", "sign_public_key", "age_recipient", "binding_signature"};

/* "tamga-identity-v1\0" || keynum || sign_pk || enc_pk || u16le name_len || name */
static size_t binding_message(const tamga_pubid *pub, size_t nlen, uint8_t *m)
{
    size_t o = sizeof TAMGA_PUBID_BIND_CTX; /* includes the NUL */
    memcpy(m, TAMGA_PUBID_BIND_CTX, o);
    memcpy(m + o, pub->keynum, TAMGA_KEYNUM_BYTES);
    o += TAMGA_KEYNUM_BYTES;
    memcpy(m + o, pub->sign_pk, TAMGA_SIGN_PK_BYTES);
    o += TAMGA_SIGN_PK_BYTES;
    memcpy(m + o, pub->enc_pk, TAMGA_ENC_PK_BYTES);
    o += TAMGA_ENC_PK_BYTES;
    tamga_store_le16(m + o, (uint16_t)nlen);
    o += 2;
    memcpy(m + o, pub->name, nlen);
    return o + nlen;
}

#define BIND_MAX                                                                                   \
    (sizeof TAMGA_PUBID_BIND_CTX + TAMGA_KEYNUM_BYTES + TAMGA_SIGN_PK_BYTES + TAMGA_ENC_PK_BYTES + \
     2 + TAMGA_NAME_MAX)

static void minisign_pk_blob(const tamga_pubid *pub, uint8_t blob[TAMGA_MINISIGN_PK_BLOB])
{
    blob[0] = 'E';
    blob[1] = 'd';
    memcpy(blob + 2, pub->keynum, TAMGA_KEYNUM_BYTES);
    memcpy(blob + 2 + TAMGA_KEYNUM_BYTES, pub->sign_pk, TAMGA_SIGN_PK_BYTES);
}

int tamga_pubid_to_json(const tamga_pubid *pub, const tamga_identity *signer, char **out)
{
    *out = NULL;
    if (signer->secret == NULL)
        return tamga__fail(TAMGA_ERR_LOCKED, "the identity must be unlocked to sign");
    if (memcmp(pub->keynum, signer->pub.keynum, TAMGA_KEYNUM_BYTES) != 0 ||
        memcmp(pub->sign_pk, signer->pub.sign_pk, TAMGA_SIGN_PK_BYTES) != 0 ||
        memcmp(pub->enc_pk, signer->pub.enc_pk, TAMGA_ENC_PK_BYTES) != 0)
        return tamga__fail(TAMGA_ERR_INVALID, "a public identity can only be signed by itself");
    size_t nlen = strnlen(pub->name, sizeof pub->name);
    int rc = tamga__name_check(pub->name, nlen);
    if (rc != TAMGA_OK)
        return rc;

    uint8_t msg[BIND_MAX], sig[TAMGA_SIG_BYTES], blob[TAMGA_MINISIGN_PK_BLOB];
    size_t mlen = binding_message(pub, nlen, msg);
    rc = tamga_identity_sign(signer, msg, mlen, sig);
    if (rc != TAMGA_OK)
        return rc;
    char keyid[TAMGA_KEYID_HEX_LEN + 1], recipient[TAMGA_AGE_RECIPIENT_LEN + 1];
    tamga_keyid_format(pub->keynum, keyid);
    rc = tamga_age_recipient_encode(pub->enc_pk, recipient);
    if (rc != TAMGA_OK)
        return rc;
    minisign_pk_blob(pub, blob);
    char *pk64 = tamga_b64_encode(blob, sizeof blob);
    char *sig64 = tamga_b64_encode(sig, sizeof sig);
    json_t *j = json_object();
    char *text = NULL;
    rc = TAMGA_ERR_NOMEM;
    if (pk64 == NULL || sig64 == NULL || j == NULL)
        goto done;
    if (json_object_set_new(j, "format", json_string("tamga-identity")) != 0 ||
        json_object_set_new(j, "version", json_integer(1)) != 0 ||
        json_object_set_new(j, "name", json_stringn(pub->name, nlen)) != 0 ||
        json_object_set_new(j, "key_id", json_string(keyid)) != 0 ||
        json_object_set_new(j, "sign_public_key", json_string(pk64)) != 0 ||
        json_object_set_new(j, "age_recipient", json_string(recipient)) != 0 ||
        json_object_set_new(j, "binding_signature", json_string(sig64)) != 0)
        goto done;
    text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (text == NULL)
        goto done;
    size_t tlen = strlen(text);
    *out = malloc(tlen + 2);
    if (*out == NULL)
        goto done;
    memcpy(*out, text, tlen);
    (*out)[tlen] = '\n';
    (*out)[tlen + 1] = '\0';
    rc = TAMGA_OK;
done:
    free(text);
    json_decref(j);
    free(pk64);
    free(sig64);
    return rc;
}

int tamga_pubid_write(const tamga_pubid *pub, const tamga_identity *signer, const char *path,
                      int overwrite)
{
    char *json = NULL;
    int rc = tamga_pubid_to_json(pub, signer, &json);
    if (rc != TAMGA_OK)
        return rc;
    rc = tamga_write_atomic(path, json, strlen(json), 0644, overwrite);
    free(json);
    return rc;
}

static int pubid_parse_fields(const json_t *j, tamga_pubid *out)
{
    static const char what[] = "public identity file";
    const char *s;
    int64_t version;
    int rc = tamga_json_get_str(j, "format", &s, what);
    if (rc != TAMGA_OK)
        return rc;
    if (strcmp(s, "tamga-identity") != 0)
        return tamga__fail(TAMGA_ERR_FORMAT, "%s: format is not \"tamga-identity\"", what);
    if ((rc = tamga_json_get_int(j, "version", &version, what)) != TAMGA_OK)
        return rc;
    if (version != 1)
        return tamga__fail(TAMGA_ERR_UNSUPPORTED, "%s: version %" PRId64, what, version);
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)j, key, value)
    {
        size_t k = 0;
        while (k < sizeof pubid_fields / sizeof pubid_fields[0] && strcmp(key, pubid_fields[k]))
            k++;
        if (k == sizeof pubid_fields / sizeof pubid_fields[0])
            return tamga__fail(TAMGA_ERR_FORMAT, "%s: unknown field \"%.40s\"", what, key);
    }

    if ((rc = tamga_json_get_str(j, "name", &s, what)) != TAMGA_OK)
        return rc;
    size_t nlen = json_string_length(json_object_get(j, "name"));
    if (strlen(s) != nlen || tamga__name_check(s, nlen) != TAMGA_OK)
        return tamga__fail(TAMGA_ERR_FORMAT, "%s: invalid name", what);
    memcpy(out->name, s, nlen);
    out->name[nlen] = '\0';

    uint8_t blob[TAMGA_MINISIGN_PK_BLOB];
    size_t got = 0;
    if ((rc = tamga_json_get_str(j, "sign_public_key", &s, what)) != TAMGA_OK)
        return rc;
    if (tamga_b64_decode(s, strlen(s), blob, sizeof blob, &got) != TAMGA_OK || got != sizeof blob)
        return tamga__fail(TAMGA_ERR_FORMAT, "%s: sign_public_key is not %d bytes of base64", what,
                           TAMGA_MINISIGN_PK_BLOB);
    if (blob[0] != 'E' || blob[1] != 'd')
        return tamga__fail(TAMGA_ERR_UNSUPPORTED, "%s: sign_public_key algorithm is not Ed", what);
    memcpy(out->keynum, blob + 2, TAMGA_KEYNUM_BYTES);
    memcpy(out->sign_pk, blob + 2 + TAMGA_KEYNUM_BYTES, TAMGA_SIGN_PK_BYTES);

    char keyid[TAMGA_KEYID_HEX_LEN + 1];
    tamga_keyid_format(out->keynum, keyid);
    if ((rc = tamga_json_get_str(j, "key_id", &s, what)) != TAMGA_OK)
        return rc;
    if (strcmp(s, keyid) != 0)
        return tamga__fail(TAMGA_ERR_FORMAT, "%s: key_id does not match sign_public_key (%s)", what,
                           keyid);

    if ((rc = tamga_json_get_str(j, "age_recipient", &s, what)) != TAMGA_OK)
        return rc;
    if (tamga_age_recipient_decode(s, strlen(s), out->enc_pk) != TAMGA_OK) {
        char detail[256];
        snprintf(detail, sizeof detail, "%s", tamga_error_detail());
        return tamga__fail(TAMGA_ERR_FORMAT, "%s: age_recipient: %s", what, detail);
    }

    uint8_t sig[TAMGA_SIG_BYTES];
    if ((rc = tamga_json_get_str(j, "binding_signature", &s, what)) != TAMGA_OK)
        return rc;
    if (tamga_b64_decode(s, strlen(s), sig, sizeof sig, &got) != TAMGA_OK || got != sizeof sig)
        return tamga__fail(TAMGA_ERR_FORMAT, "%s: binding_signature is not %d bytes of base64",
                           what, TAMGA_SIG_BYTES);

    uint8_t msg[BIND_MAX];
    size_t mlen = binding_message(out, nlen, msg);
    if (crypto_sign_verify_detached(sig, msg, mlen, out->sign_pk) != 0)
        return tamga__fail(TAMGA_ERR_AUTH, "%s: the binding signature does not verify", what);
    return TAMGA_OK;
}

int tamga_pubid_parse(const char *text, size_t len, tamga_pubid *out)
{
    memset(out, 0, sizeof *out);
    if (len > TAMGA_PUBID_MAX_FILE)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "public identity file is larger than %d bytes",
                           TAMGA_PUBID_MAX_FILE);
    json_t *j = tamga_json_parse_strict(text, len, "public identity file");
    if (j == NULL)
        return TAMGA_ERR_FORMAT;
    int rc = pubid_parse_fields(j, out);
    json_decref(j);
    if (rc != TAMGA_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

int tamga_pubid_load(const char *path, tamga_pubid *out)
{
    uint8_t *data = NULL;
    size_t len = 0;
    memset(out, 0, sizeof *out);
    int rc = tamga_read_file(path, TAMGA_PUBID_MAX_FILE, &data, &len);
    if (rc != TAMGA_OK)
        return rc;
    rc = tamga_pubid_parse((const char *)data, len, out);
    free(data);
    if (rc != TAMGA_OK)
        return fail_in(rc, path);
    return TAMGA_OK;
}

int tamga_pubid_minisign_pubkey(const tamga_pubid *pub, char **out)
{
    static const char prefix[] = "untrusted comment: minisign public key ";
    *out = NULL;
    uint8_t blob[TAMGA_MINISIGN_PK_BLOB];
    char keyid[TAMGA_KEYID_HEX_LEN + 1];
    minisign_pk_blob(pub, blob);
    tamga_keyid_format(pub->keynum, keyid);
    char *pk64 = tamga_b64_encode(blob, sizeof blob);
    if (pk64 == NULL)
        return TAMGA_ERR_NOMEM;
    size_t n = sizeof prefix - 1 + TAMGA_KEYID_HEX_LEN + 1 + strlen(pk64) + 1 + 1;
    *out = malloc(n);
    if (*out == NULL) {
        free(pk64);
        return TAMGA_ERR_NOMEM;
    }
    snprintf(*out, n, "%s%s\n%s\n", prefix, keyid, pk64);
    free(pk64);
    return TAMGA_OK;
}

int tamga_pubid_age_recipient(const tamga_pubid *pub, char **out)
{
    char recipient[TAMGA_AGE_RECIPIENT_LEN + 1];
    *out = NULL;
    int rc = tamga_age_recipient_encode(pub->enc_pk, recipient);
    if (rc != TAMGA_OK)
        return rc;
    *out = strdup(recipient);
    return *out == NULL ? TAMGA_ERR_NOMEM : TAMGA_OK;
}
