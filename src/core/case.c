/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga/case.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "case-internal.h"
#include "tamga/custody.h"
#include "tamga/minisig.h"
#include "util.h"

struct tamga_case {
    char *dir;
    uint8_t id[TAMGA_ID_BYTES];
    char id_hex[TAMGA_ID_HEX_LEN + 1];
    char title[TAMGA_NAME_MAX + 1];
    char created[32];
    uint8_t case_pk[TAMGA_ENC_PK_BYTES];
    uint8_t creator_keynum[TAMGA_KEYNUM_BYTES];
    uint8_t creator_pk[TAMGA_SIGN_PK_BYTES];
    uint8_t (*keyholders)[TAMGA_KEYNUM_BYTES];
    size_t n_keyholders;
};

/* ---- the data folder ---- */

int tamga_home_resolve(const char *override, char **out)
{
    *out = NULL;
    const char *v = override;
    if (v == NULL || *v == '\0')
        v = getenv("TAMGA_HOME");
    if (v != NULL && *v != '\0') {
        *out = strdup(v);
        return *out ? TAMGA_OK : TAMGA_ERR_NOMEM;
    }
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg != NULL && xdg[0] == '/') {
        *out = tamga_path_join(xdg, "tamga");
        return *out ? TAMGA_OK : TAMGA_ERR_NOMEM;
    }
    const char *home = getenv("HOME");
    if (home == NULL || home[0] != '/')
        return tamga__fail(TAMGA_ERR_NOT_FOUND,
                           "cannot find the data folder: set TAMGA_HOME or HOME");
    *out = tamga_path_join(home, ".local/share/tamga");
    return *out ? TAMGA_OK : TAMGA_ERR_NOMEM;
}

char *tamga_home_secret_path(const char *home)
{
    return tamga_path_join(home, "identity/secret.key");
}

char *tamga_home_public_path(const char *home)
{
    return tamga_path_join(home, "identity/public.json");
}

int tamga_home_prepare(const char *home)
{
    static const char *const subdirs[] = {"identity", "cases"};
    int rc = tamga_mkdir_p(home, 0700);
    if (rc != TAMGA_OK)
        return rc;
    for (size_t i = 0; i < sizeof subdirs / sizeof subdirs[0]; i++) {
        char *p = tamga_path_join(home, subdirs[i]);
        if (p == NULL)
            return TAMGA_ERR_NOMEM;
        rc = tamga_mkdir_p(p, 0700);
        free(p);
        if (rc != TAMGA_OK)
            return rc;
    }
    return TAMGA_OK;
}

/* ---- case.json ---- */

static int case_to_json(const tamga_case *c, char **out)
{
    char keyid[17];
    char pkhex[2 * TAMGA_ENC_PK_BYTES + 1];
    tamga_keyid_format(c->creator_keynum, keyid);
    tamga_hex_encode(c->case_pk, sizeof c->case_pk, pkhex);
    char *blob = tamga__pk_blob_b64(c->creator_keynum, c->creator_pk);
    json_t *holders = json_array();
    if (blob == NULL || holders == NULL) {
        free(blob);
        json_decref(holders);
        return TAMGA_ERR_NOMEM;
    }
    for (size_t i = 0; i < c->n_keyholders; i++) {
        char k[17];
        tamga_keyid_format(c->keyholders[i], k);
        json_array_append_new(holders, json_string(k));
    }
    json_t *j = json_pack("{s:s, s:i, s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:o}", "format",
                          TAMGA_CASE_FORMAT, "version", TAMGA_CASE_VERSION, "id", c->id_hex,
                          "title", c->title, "created", c->created, "creator", "key_id", keyid,
                          "public_key", blob, "case_public_key", pkhex, "keyholders", holders);
    free(blob);
    if (j == NULL)
        return TAMGA_ERR_NOMEM;
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (text == NULL)
        return TAMGA_ERR_NOMEM;
    size_t n = strlen(text);
    char *withnl = realloc(text, n + 2);
    if (withnl == NULL) {
        free(text);
        return TAMGA_ERR_NOMEM;
    }
    withnl[n] = '\n';
    withnl[n + 1] = '\0';
    *out = withnl;
    return TAMGA_OK;
}

static int valid_title(const char *t)
{
    size_t n = strlen(t);
    if (n == 0 || n > TAMGA_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
            return 0;
    return 1;
}

int tamga__case_parse(const char *text, size_t len, tamga_case *c)
{
    static const char *const keys[] = {"format",     "version",         "id",
                                       "title",      "created",         "creator",
                                       "case_public_key", "keyholders"};
    json_t *j = tamga_json_parse_strict(text, len, "case.json");
    if (j == NULL)
        return TAMGA_ERR_FORMAT;
    int rc = TAMGA_ERR_FORMAT;
    const char *s;
    int64_t version;
    if (json_object_size(j) != sizeof keys / sizeof keys[0]) {
        tamga__fail(TAMGA_ERR_FORMAT, "case.json: unexpected or missing fields");
        goto out;
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (json_object_get(j, keys[i]) == NULL) {
            tamga__fail(TAMGA_ERR_FORMAT, "case.json: field \"%s\" is missing", keys[i]);
            goto out;
        }
    if (tamga_json_get_str(j, "format", &s, "case.json") != TAMGA_OK)
        goto out;
    if (strcmp(s, TAMGA_CASE_FORMAT) != 0) {
        tamga__fail(TAMGA_ERR_FORMAT, "case.json: not a tamga case description");
        goto out;
    }
    if (tamga_json_get_int(j, "version", &version, "case.json") != TAMGA_OK)
        goto out;
    if (version != TAMGA_CASE_VERSION) {
        rc = tamga__fail(TAMGA_ERR_UNSUPPORTED, "case.json: version %lld is not supported",
                         (long long)version);
        goto out;
    }
    if (tamga_json_get_hex(j, "id", c->id, sizeof c->id, "case.json") != TAMGA_OK)
        goto out;
    tamga_hex_encode(c->id, sizeof c->id, c->id_hex);
    if (tamga_json_get_str(j, "title", &s, "case.json") != TAMGA_OK)
        goto out;
    if (!valid_title(s)) {
        tamga__fail(TAMGA_ERR_FORMAT, "case.json: invalid title");
        goto out;
    }
    snprintf(c->title, sizeof c->title, "%s", s);
    if (tamga_json_get_str(j, "created", &s, "case.json") != TAMGA_OK)
        goto out;
    if (strlen(s) >= sizeof c->created) {
        tamga__fail(TAMGA_ERR_FORMAT, "case.json: invalid creation time");
        goto out;
    }
    snprintf(c->created, sizeof c->created, "%s", s);
    json_t *creator = json_object_get(j, "creator");
    if (!json_is_object(creator) || json_object_size(creator) != 2) {
        tamga__fail(TAMGA_ERR_FORMAT, "case.json: invalid creator");
        goto out;
    }
    const char *kid, *blob;
    if (tamga_json_get_str(creator, "key_id", &kid, "case.json creator") != TAMGA_OK ||
        tamga_json_get_str(creator, "public_key", &blob, "case.json creator") != TAMGA_OK)
        goto out;
    uint8_t keynum[8];
    if (tamga_keyid_parse(kid, keynum) != TAMGA_OK ||
        tamga__pk_blob_parse(blob, c->creator_keynum, c->creator_pk) != TAMGA_OK ||
        memcmp(keynum, c->creator_keynum, 8) != 0) {
        tamga__fail(TAMGA_ERR_FORMAT, "case.json: invalid creator key");
        goto out;
    }
    if (tamga_json_get_hex(j, "case_public_key", c->case_pk, sizeof c->case_pk, "case.json") !=
        TAMGA_OK)
        goto out;
    json_t *holders = json_object_get(j, "keyholders");
    if (!json_is_array(holders) || json_array_size(holders) > TAMGA_CASE_MAX_KEYHOLDERS) {
        tamga__fail(TAMGA_ERR_FORMAT, "case.json: invalid keyholder list");
        goto out;
    }
    c->n_keyholders = json_array_size(holders);
    c->keyholders = calloc(c->n_keyholders + 1, TAMGA_KEYNUM_BYTES);
    if (c->keyholders == NULL) {
        rc = TAMGA_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < c->n_keyholders; i++) {
        json_t *v = json_array_get(holders, i);
        if (!json_is_string(v) ||
            tamga_keyid_parse(json_string_value(v), c->keyholders[i]) != TAMGA_OK) {
            tamga__fail(TAMGA_ERR_FORMAT, "case.json: invalid keyholder key id");
            goto out;
        }
    }
    /* Canonical form only: re-serialising must give the same bytes. */
    char *again = NULL;
    if (case_to_json(c, &again) != TAMGA_OK) {
        rc = TAMGA_ERR_NOMEM;
        goto out;
    }
    int same = strlen(again) == len && memcmp(again, text, len) == 0;
    free(again);
    if (!same) {
        tamga__fail(TAMGA_ERR_FORMAT, "case.json: not in canonical form");
        goto out;
    }
    rc = TAMGA_OK;
out:
    json_decref(j);
    return rc;
}

static tamga_case *case_alloc(const char *dir);

int tamga__case_parse_only(const char *text, size_t len)
{
    tamga_case *c = case_alloc(".");
    if (c == NULL)
        return TAMGA_ERR_NOMEM;
    int rc = tamga__case_parse(text, len, c);
    tamga_case_free(c);
    return rc;
}

static tamga_case *case_alloc(const char *dir)
{
    tamga_case *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->dir = strdup(dir);
    if (c->dir == NULL) {
        free(c);
        return NULL;
    }
    return c;
}

void tamga_case_free(tamga_case *c)
{
    if (c == NULL)
        return;
    free(c->dir);
    free(c->keyholders);
    free(c);
}

static int check_case_signature(const tamga_case *c, const uint8_t *text, size_t len)
{
    char *sigpath = tamga_path_join(c->dir, "case.json.minisig");
    if (sigpath == NULL)
        return TAMGA_ERR_NOMEM;
    uint8_t *sigtext = NULL;
    size_t siglen = 0;
    int rc = tamga_read_file(sigpath, TAMGA_MINISIG_MAX_FILE, &sigtext, &siglen);
    free(sigpath);
    if (rc != TAMGA_OK)
        return rc == TAMGA_ERR_NOT_FOUND
                   ? tamga__fail(TAMGA_ERR_AUTH, "case.json.minisig is missing")
                   : rc;
    tamga_minisig sig;
    rc = tamga_minisig_parse((const char *)sigtext, siglen, &sig);
    free(sigtext);
    if (rc != TAMGA_OK)
        return tamga__fail(TAMGA_ERR_AUTH, "case.json.minisig is malformed");
    rc = tamga_minisig_verify(&sig, text, len, c->creator_keynum, c->creator_pk);
    if (rc != TAMGA_OK)
        return tamga__fail(TAMGA_ERR_AUTH,
                           "case.json: the creator's signature does not verify");
    return TAMGA_OK;
}

int tamga_case_open_dir_unchecked(const char *dir, tamga_case **out, int *signature_ok)
{
    *out = NULL;
    if (signature_ok != NULL)
        *signature_ok = 0;
    tamga_case *c = case_alloc(dir);
    if (c == NULL)
        return TAMGA_ERR_NOMEM;
    char *path = tamga_path_join(dir, "case.json");
    uint8_t *text = NULL;
    size_t len = 0;
    int rc = path ? tamga_read_file(path, TAMGA_CASE_MAX_FILE, &text, &len) : TAMGA_ERR_NOMEM;
    free(path);
    if (rc == TAMGA_ERR_NOT_FOUND)
        rc = tamga__fail(TAMGA_ERR_NOT_FOUND, "%s is not a case folder (no case.json)", dir);
    if (rc == TAMGA_OK)
        rc = tamga__case_parse((const char *)text, len, c);
    if (rc == TAMGA_OK && signature_ok != NULL)
        *signature_ok = check_case_signature(c, text, len) == TAMGA_OK;
    free(text);
    if (rc != TAMGA_OK) {
        tamga_case_free(c);
        return rc;
    }
    *out = c;
    return TAMGA_OK;
}

int tamga_case_open_dir(const char *dir, tamga_case **out)
{
    *out = NULL;
    tamga_case *c = case_alloc(dir);
    if (c == NULL)
        return TAMGA_ERR_NOMEM;
    char *path = tamga_path_join(dir, "case.json");
    uint8_t *text = NULL;
    size_t len = 0;
    int rc = path ? tamga_read_file(path, TAMGA_CASE_MAX_FILE, &text, &len) : TAMGA_ERR_NOMEM;
    free(path);
    if (rc == TAMGA_ERR_NOT_FOUND)
        rc = tamga__fail(TAMGA_ERR_NOT_FOUND, "%s is not a case folder (no case.json)", dir);
    if (rc == TAMGA_OK)
        rc = tamga__case_parse((const char *)text, len, c);
    if (rc == TAMGA_OK)
        rc = check_case_signature(c, text, len);
    free(text);
    if (rc != TAMGA_OK) {
        tamga_case_free(c);
        return rc;
    }
    *out = c;
    return TAMGA_OK;
}

const char *tamga_case_get_dir(const tamga_case *c)
{
    return c->dir;
}
const char *tamga_case_get_id_hex(const tamga_case *c)
{
    return c->id_hex;
}
const uint8_t *tamga_case_get_id(const tamga_case *c)
{
    return c->id;
}
const char *tamga_case_get_title(const tamga_case *c)
{
    return c->title;
}
const char *tamga_case_get_created(const tamga_case *c)
{
    return c->created;
}
const uint8_t *tamga_case_get_public_key(const tamga_case *c)
{
    return c->case_pk;
}
const uint8_t *tamga_case_get_creator_keynum(const tamga_case *c)
{
    return c->creator_keynum;
}
const uint8_t *tamga_case_get_creator_pk(const tamga_case *c)
{
    return c->creator_pk;
}
size_t tamga_case_keyholder_count(const tamga_case *c)
{
    return c->n_keyholders;
}
const uint8_t *tamga_case_keyholder_keynum(const tamga_case *c, size_t i)
{
    return i < c->n_keyholders ? c->keyholders[i] : NULL;
}

/* ---- grants and signers ---- */

static char *case_file(const tamga_case *c, const char *sub, const uint8_t keynum[8],
                       const char *suffix)
{
    char keyid[17], name[64];
    tamga_keyid_format(keynum, keyid);
    snprintf(name, sizeof name, "%s/%s%s", sub, keyid, suffix);
    return tamga_path_join(c->dir, name);
}

int tamga_case_has_grant(const tamga_case *c, const tamga_pubid *who)
{
    char *p = case_file(c, "keyholders", who->keynum, ".box");
    int ok = p != NULL && tamga_file_exists(p);
    free(p);
    return ok;
}

int tamga_case_unlock_key(const tamga_case *c, const tamga_identity *id, uint8_t **case_sk)
{
    *case_sk = NULL;
    const tamga_pubid *pub = tamga_identity_get_public(id);
    char *p = case_file(c, "keyholders", pub->keynum, ".box");
    if (p == NULL)
        return TAMGA_ERR_NOMEM;
    uint8_t *box = NULL;
    size_t len = 0;
    int rc = tamga_read_file(p, 4096, &box, &len);
    free(p);
    if (rc == TAMGA_ERR_NOT_FOUND) {
        char keyid[17];
        tamga_keyid_format(pub->keynum, keyid);
        return tamga__fail(TAMGA_ERR_NOT_KEYHOLDER,
                           "identity %s holds no key for case %s (record-only here)", keyid,
                           c->id_hex);
    }
    if (rc != TAMGA_OK)
        return rc;
    if (len != crypto_box_SEALBYTES + TAMGA_ENC_SK_BYTES) {
        free(box);
        return tamga__fail(TAMGA_ERR_FORMAT, "the case key grant has the wrong size");
    }
    uint8_t *sk = sodium_malloc(TAMGA_ENC_SK_BYTES);
    if (sk == NULL) {
        free(box);
        return TAMGA_ERR_NOMEM;
    }
    rc = tamga_identity_open_sealed(id, box, len, sk);
    free(box);
    if (rc != TAMGA_OK) {
        sodium_free(sk);
        return rc == TAMGA_ERR_AUTH
                   ? tamga__fail(TAMGA_ERR_NOT_KEYHOLDER,
                                 "the case key grant does not open with this identity")
                   : rc;
    }
    uint8_t pk[TAMGA_ENC_PK_BYTES];
    crypto_scalarmult_base(pk, sk);
    if (sodium_memcmp(pk, c->case_pk, sizeof pk) != 0) {
        sodium_free(sk);
        return tamga__fail(TAMGA_ERR_AUTH, "the case key grant does not match case.json");
    }
    *case_sk = sk;
    return TAMGA_OK;
}

int tamga__case_write_grant(const tamga_case *c, const uint8_t *sk, const tamga_pubid *who)
{
    uint8_t box[crypto_box_SEALBYTES + TAMGA_ENC_SK_BYTES];
    if (crypto_box_seal(box, sk, TAMGA_ENC_SK_BYTES, who->enc_pk) != 0)
        return tamga__fail(TAMGA_ERR_INVALID, "cannot seal the case key to this recipient");
    char *p = case_file(c, "keyholders", who->keynum, ".box");
    if (p == NULL)
        return TAMGA_ERR_NOMEM;
    int rc = tamga_write_atomic(p, box, sizeof box, 0600, 1);
    free(p);
    return rc;
}

int tamga_case_register_signer(const tamga_case *c, const tamga_pubid *who)
{
    char *p = case_file(c, "signers", who->keynum, ".pub");
    if (p == NULL)
        return TAMGA_ERR_NOMEM;
    char *text = NULL;
    int rc = tamga_pubid_minisign_pubkey(who, &text);
    if (rc == TAMGA_OK) {
        uint8_t *old = NULL;
        size_t oldlen = 0;
        if (tamga_read_file(p, 4096, &old, &oldlen) == TAMGA_OK && oldlen == strlen(text) &&
            memcmp(old, text, oldlen) == 0)
            rc = TAMGA_OK; /* already there */
        else
            rc = tamga_write_atomic(p, text, strlen(text), 0644, 1);
        free(old);
    }
    free(text);
    free(p);
    return rc;
}

int tamga_case_signer_key(const tamga_case *c, const uint8_t keynum[TAMGA_KEYNUM_BYTES],
                          uint8_t sign_pk[TAMGA_SIGN_PK_BYTES])
{
    if (sodium_memcmp(keynum, c->creator_keynum, TAMGA_KEYNUM_BYTES) == 0) {
        memcpy(sign_pk, c->creator_pk, TAMGA_SIGN_PK_BYTES);
        return TAMGA_OK;
    }
    char *p = case_file(c, "signers", keynum, ".pub");
    if (p == NULL)
        return TAMGA_ERR_NOMEM;
    uint8_t *text = NULL;
    size_t len = 0;
    int rc = tamga_read_file(p, 4096, &text, &len);
    free(p);
    if (rc != TAMGA_OK)
        return rc;
    uint8_t k[TAMGA_KEYNUM_BYTES];
    rc = tamga_minisign_pubkey_parse((const char *)text, len, k, sign_pk);
    free(text);
    if (rc == TAMGA_OK && memcmp(k, keynum, TAMGA_KEYNUM_BYTES) != 0)
        rc = tamga__fail(TAMGA_ERR_FORMAT, "signer key file names another key");
    return rc;
}

int tamga_case_log_event(const tamga_case *c, const tamga_identity *id, const char *event,
                         const char *subject_json)
{
    int rc = tamga_case_register_signer(c, tamga_identity_get_public(id));
    if (rc != TAMGA_OK)
        return rc;
    return tamga_custody_append(c->dir, c->id, id, event, subject_json, NULL, NULL);
}

/* ---- creation ---- */

int tamga_case_create(const char *home, const tamga_identity *creator, const char *title,
                      const tamga_pubid *keyholders, size_t n_keyholders, int record_only,
                      tamga_case **out)
{
    *out = NULL;
    if (!tamga_identity_is_unlocked(creator))
        return tamga__fail(TAMGA_ERR_LOCKED, "the identity must be unlocked to sign the case");
    if (!valid_title(title))
        return tamga__fail(TAMGA_ERR_INVALID,
                           "a case title needs 1 to %d bytes and no control characters",
                           TAMGA_NAME_MAX);
    if (n_keyholders + 1 > TAMGA_CASE_MAX_KEYHOLDERS)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "too many keyholders");
    if (record_only && n_keyholders == 0)
        return tamga__fail(TAMGA_ERR_INVALID,
                           "a record-only case needs at least one --keyholder: otherwise "
                           "nobody could ever decrypt it");
    const tamga_pubid *me = tamga_identity_get_public(creator);

    int rc = tamga_home_prepare(home);
    if (rc != TAMGA_OK)
        return rc;
    uint8_t id[TAMGA_ID_BYTES];
    tamga_random_id(id);
    char idhex[TAMGA_ID_HEX_LEN + 1];
    tamga_hex_encode(id, sizeof id, idhex);
    char *cases = tamga_path_join(home, "cases");
    char *dir = cases ? tamga_path_join(cases, idhex) : NULL;
    free(cases);
    if (dir == NULL)
        return TAMGA_ERR_NOMEM;
    /* Build everything in a hidden staging folder, then rename it into place:
     * a half-made case never appears. */
    char *staging = malloc(strlen(dir) + 16);
    if (staging == NULL) {
        free(dir);
        return TAMGA_ERR_NOMEM;
    }
    {
        char *slash = strrchr(dir, '/');
        size_t head = (size_t)(slash - dir) + 1;
        memcpy(staging, dir, head);
        snprintf(staging + head, strlen(dir) + 16 - head, ".new-%s", idhex);
    }
    tamga_case *c = case_alloc(staging);
    uint8_t *sk = sodium_malloc(TAMGA_ENC_SK_BYTES);
    char *json = NULL;
    char *sig = NULL;
    if (c == NULL || sk == NULL) {
        rc = TAMGA_ERR_NOMEM;
        goto fail;
    }
    memcpy(c->id, id, sizeof id);
    memcpy(c->id_hex, idhex, sizeof idhex);
    snprintf(c->title, sizeof c->title, "%s", title);
    tamga_utc_now(c->created, sizeof c->created);
    memcpy(c->creator_keynum, me->keynum, 8);
    memcpy(c->creator_pk, me->sign_pk, 32);
    crypto_box_keypair(c->case_pk, sk);
    c->keyholders = calloc(n_keyholders + 2, TAMGA_KEYNUM_BYTES);
    if (c->keyholders == NULL) {
        rc = TAMGA_ERR_NOMEM;
        goto fail;
    }
    if (!record_only)
        memcpy(c->keyholders[c->n_keyholders++], me->keynum, 8);
    for (size_t i = 0; i < n_keyholders; i++) {
        int dup = 0;
        for (size_t k = 0; k < c->n_keyholders; k++)
            dup |= memcmp(c->keyholders[k], keyholders[i].keynum, 8) == 0;
        if (!dup)
            memcpy(c->keyholders[c->n_keyholders++], keyholders[i].keynum, 8);
    }

    static const char *const subdirs[] = {"", "/keyholders", "/signers", "/recordings"};
    for (size_t i = 0; i < 4; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s%s", staging, subdirs[i]);
        if (mkdir(p, 0700) != 0) {
            rc = tamga__errno_fail("cannot create folder", p);
            goto fail;
        }
    }
    if (!record_only && (rc = tamga__case_write_grant(c, sk, me)) != TAMGA_OK)
        goto fail;
    for (size_t i = 0; i < n_keyholders; i++)
        if ((rc = tamga__case_write_grant(c, sk, &keyholders[i])) != TAMGA_OK)
            goto fail;
    sodium_free(sk);
    sk = NULL;

    if ((rc = case_to_json(c, &json)) != TAMGA_OK)
        goto fail;
    char comment[128];
    snprintf(comment, sizeof comment, "tamga case %s", idhex);
    if ((rc = tamga_minisig_sign(creator, (const uint8_t *)json, strlen(json), comment, &sig)) !=
        TAMGA_OK)
        goto fail;
    {
        char *p = tamga_path_join(staging, "case.json");
        char *q = tamga_path_join(staging, "case.json.minisig");
        rc = (p && q) ? tamga_write_atomic(p, json, strlen(json), 0644, 0) : TAMGA_ERR_NOMEM;
        if (rc == TAMGA_OK)
            rc = tamga_write_atomic(q, sig, strlen(sig), 0644, 0);
        free(p);
        free(q);
        if (rc != TAMGA_OK)
            goto fail;
    }
    if ((rc = tamga_case_register_signer(c, me)) != TAMGA_OK)
        goto fail;
    {
        uint8_t h[32];
        char hex[65];
        crypto_hash_sha256(h, (const uint8_t *)json, strlen(json));
        tamga_hex_encode(h, 32, hex);
        json_t *sj = json_pack("{s:s}", "case_json_sha256", hex);
        if (sj == NULL) {
            rc = TAMGA_ERR_NOMEM;
            goto fail;
        }
        char *st = tamga_json_dump(sj);
        json_decref(sj);
        if (st == NULL) {
            rc = TAMGA_ERR_NOMEM;
            goto fail;
        }
        rc = tamga_custody_append(staging, id, creator, TAMGA_EVENT_CASE_CREATED, st, NULL, NULL);
        free(st);
        if (rc != TAMGA_OK)
            goto fail;
    }
    if (rename(staging, dir) != 0) {
        rc = tamga__errno_fail("cannot create case folder", dir);
        goto fail;
    }
    {
        char *cases2 = tamga_path_join(home, "cases");
        if (cases2 != NULL)
            (void)tamga_fsync_dir(cases2);
        free(cases2);
    }
    free(c->dir);
    c->dir = dir;
    free(staging);
    free(json);
    free(sig);
    *out = c;
    return TAMGA_OK;

fail:
    if (sk != NULL)
        sodium_free(sk);
    free(json);
    free(sig);
    tamga_case_free(c);
    tamga__rm_tree(staging);
    free(staging);
    free(dir);
    return rc;
}

void tamga__rm_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *p = tamga_path_join(path, e->d_name);
            if (p == NULL)
                continue;
            struct stat st;
            if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
                tamga__rm_tree(p);
            else
                unlink(p);
            free(p);
        }
        closedir(d);
    }
    rmdir(path);
}

/* ---- listing and lookup ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void tamga_strv_free(char **v, size_t n)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static int is_hex_id(const char *s, size_t n)
{
    if (n != TAMGA_ID_HEX_LEN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* Collects the distinct ids that start names in `dir` (optionally requiring a
 * suffix set). */
static int list_ids(const char *dir, int want_dirs, char ***ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (d == NULL)
        return tamga__errno_fail("cannot read folder", dir);
    size_t cap = 0;
    char **v = NULL;
    struct dirent *e;
    int rc = TAMGA_OK;
    while ((e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        if (strlen(name) < TAMGA_ID_HEX_LEN || !is_hex_id(name, TAMGA_ID_HEX_LEN))
            continue;
        if (want_dirs) {
            if (name[TAMGA_ID_HEX_LEN] != '\0')
                continue;
            char *p = tamga_path_join(dir, name);
            int isdir = p && tamga_is_dir(p);
            free(p);
            if (!isdir)
                continue;
        } else if (name[TAMGA_ID_HEX_LEN] != '.') {
            continue;
        }
        int dup = 0;
        for (size_t i = 0; i < *n && !dup; i++)
            dup = strncmp(v[i], name, TAMGA_ID_HEX_LEN) == 0;
        if (dup)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nv = realloc(v, cap * sizeof *v);
            if (nv == NULL) {
                rc = TAMGA_ERR_NOMEM;
                break;
            }
            v = nv;
        }
        v[*n] = strndup(name, TAMGA_ID_HEX_LEN);
        if (v[*n] == NULL) {
            rc = TAMGA_ERR_NOMEM;
            break;
        }
        (*n)++;
    }
    closedir(d);
    if (rc != TAMGA_OK) {
        tamga_strv_free(v, *n);
        *n = 0;
        return rc;
    }
    if (*n > 0)
        qsort(v, *n, sizeof *v, cmp_str);
    *ids = v;
    return TAMGA_OK;
}

int tamga_case_list(const char *home, char ***ids, size_t *n)
{
    char *cases = tamga_path_join(home, "cases");
    if (cases == NULL)
        return TAMGA_ERR_NOMEM;
    int rc;
    if (!tamga_is_dir(cases)) {
        *ids = NULL;
        *n = 0;
        rc = TAMGA_OK;
    } else {
        rc = list_ids(cases, 1, ids, n);
    }
    free(cases);
    return rc;
}

int tamga_case_list_recordings(const tamga_case *c, char ***ids, size_t *n)
{
    char *rec = tamga_path_join(c->dir, "recordings");
    if (rec == NULL)
        return TAMGA_ERR_NOMEM;
    int rc;
    if (!tamga_is_dir(rec)) {
        *ids = NULL;
        *n = 0;
        rc = TAMGA_OK;
    } else {
        rc = list_ids(rec, 0, ids, n);
    }
    free(rec);
    return rc;
}

static int match_prefix(char **ids, size_t n, const char *ref, char **out, const char *what)
{
    size_t len = strlen(ref);
    char *found = NULL;
    int count = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(ids[i], ref, len) == 0) {
            found = ids[i];
            count++;
        }
    if (count == 0)
        return tamga__fail(TAMGA_ERR_NOT_FOUND, "no %s matches \"%s\"", what, ref);
    if (count > 1)
        return tamga__fail(TAMGA_ERR_AMBIGUOUS, "\"%s\" matches %d %ss: give more digits", ref,
                           count, what);
    *out = strdup(found);
    return *out ? TAMGA_OK : TAMGA_ERR_NOMEM;
}

static int looks_like_prefix(const char *ref)
{
    size_t n = strlen(ref);
    if (n < 4 || n > TAMGA_ID_HEX_LEN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((ref[i] >= '0' && ref[i] <= '9') || (ref[i] >= 'a' && ref[i] <= 'f')))
            return 0;
    return 1;
}

int tamga_case_find_recording(const tamga_case *c, const char *ref, char **id)
{
    *id = NULL;
    if (!looks_like_prefix(ref))
        return tamga__fail(TAMGA_ERR_NOT_FOUND,
                           "\"%s\" is not a recording id (at least 4 hex digits)", ref);
    char **ids;
    size_t n;
    int rc = tamga_case_list_recordings(c, &ids, &n);
    if (rc != TAMGA_OK)
        return rc;
    rc = match_prefix(ids, n, ref, id, "recording");
    tamga_strv_free(ids, n);
    return rc;
}

int tamga_case_open(const char *home, const char *ref, tamga_case **out)
{
    *out = NULL;
    char **ids;
    size_t n;
    int rc = tamga_case_list(home, &ids, &n);
    if (rc != TAMGA_OK)
        return rc;
    char *match = NULL;
    if (looks_like_prefix(ref)) {
        rc = match_prefix(ids, n, ref, &match, "case");
        if (rc == TAMGA_ERR_AMBIGUOUS) {
            tamga_strv_free(ids, n);
            return rc;
        }
    }
    if (match == NULL) {
        /* Exact title. */
        int count = 0;
        for (size_t i = 0; i < n; i++) {
            char *cases = tamga_path_join(home, "cases");
            char *dir = cases ? tamga_path_join(cases, ids[i]) : NULL;
            free(cases);
            tamga_case *c = NULL;
            if (dir != NULL && tamga_case_open_dir_unchecked(dir, &c, NULL) == TAMGA_OK &&
                strcmp(c->title, ref) == 0) {
                count++;
                free(match);
                match = strdup(ids[i]);
            }
            tamga_case_free(c);
            free(dir);
        }
        if (count > 1) {
            free(match);
            tamga_strv_free(ids, n);
            return tamga__fail(TAMGA_ERR_AMBIGUOUS,
                               "%d cases are titled \"%s\": use the case id", count, ref);
        }
        if (match == NULL) {
            tamga_strv_free(ids, n);
            return tamga__fail(TAMGA_ERR_NOT_FOUND, "no case matches \"%s\"", ref);
        }
    }
    tamga_strv_free(ids, n);
    char *cases = tamga_path_join(home, "cases");
    char *dir = cases ? tamga_path_join(cases, match) : NULL;
    free(cases);
    free(match);
    if (dir == NULL)
        return TAMGA_ERR_NOMEM;
    rc = tamga_case_open_dir(dir, out);
    free(dir);
    return rc;
}
