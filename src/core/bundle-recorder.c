/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The recorder file: the signed public description of a case (case.json, its
 * signature, the signers' keys, the custody log and its signed head) in one
 * JSON object, so a field laptop can join the case record-only. No secret:
 * not even the keyholders' sealed grants. See docs/FORMAT.md,
 * "Recorder file". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "bundle-internal.h"
#include "case-internal.h"
#include "tamga/minisig.h"
#include "tamga/verify.h"
#include "util.h"

#define REC_FORMAT      "tamga-recorder"
#define REC_VERSION     1
#define REC_MAX_FILE    (TAMGA_CUSTODY_MAX_FILE + (4u << 20)) /* the log, escaped, and the rest */
#define REC_MAX_SIGNERS 1000

/* Reads <dir>/<rel> (at most `max` bytes) as a JSON string; NUL bytes refused. */
static int text_of(const char *dir, const char *rel, size_t max, json_t **out)
{
    *out = NULL;
    char *p = tamga_path_join(dir, rel);
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = p ? tamga_read_file(p, max, &data, &len) : TAMGA_ERR_NOMEM;
    free(p);
    if (rc != TAMGA_OK)
        return rc;
    if (memchr(data, 0, len) != NULL) {
        free(data);
        return tamga__fail(TAMGA_ERR_FORMAT, "%s holds a NUL byte", rel);
    }
    *out = json_stringn((const char *)data, len);
    free(data);
    return *out ? TAMGA_OK : tamga__fail(TAMGA_ERR_FORMAT, "%s is not UTF-8 text", rel);
}

int tamga_case_export_recorder(const tamga_case *c, const char *out_path)
{
    const char *dir = tamga_case_get_dir(c);
    if (tamga_file_exists(out_path))
        return tamga__fail(TAMGA_ERR_EXISTS, "%s already exists", out_path);
    json_t *root = json_object();
    json_t *signers = json_object();
    if (root == NULL || signers == NULL) {
        json_decref(root);
        json_decref(signers);
        return TAMGA_ERR_NOMEM;
    }
    static const char *const files[] = {"case.json", "case.json.minisig", "custody.jsonl",
                                        "head.json", "head.json.minisig"};
    static const char *const keys[] = {"case_json", "case_json_minisig", "custody_jsonl",
                                       "head_json", "head_json_minisig"};
    int rc = TAMGA_OK;
    json_object_set_new(root, "format", json_string(REC_FORMAT));
    json_object_set_new(root, "version", json_integer(REC_VERSION));
    json_object_set_new(root, "case_id", json_string(tamga_case_get_id_hex(c)));
    for (size_t i = 0; i < 5 && rc == TAMGA_OK; i++) {
        json_t *s = NULL;
        rc = text_of(dir, files[i],
                     i == 2 ? TAMGA_CUSTODY_MAX_FILE
                            : (i == 0 ? TAMGA_CASE_MAX_FILE : TAMGA_MINISIG_MAX_FILE),
                     &s);
        if (rc == TAMGA_OK && json_object_set_new(root, keys[i], s) != 0)
            rc = TAMGA_ERR_NOMEM;
    }
    /* Every signer's key (the creator's and whoever logged or recorded). */
    char **ids = NULL;
    size_t n = 0;
    if (rc == TAMGA_OK) {
        char *sd = tamga_path_join(dir, "signers");
        rc = sd ? tamga__list_dir(sd, tamga__is_pub_name, REC_MAX_SIGNERS, 0, &ids, &n)
                : TAMGA_ERR_NOMEM;
        free(sd);
    }
    for (size_t i = 0; i < n && rc == TAMGA_OK; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "signers/%s", ids[i]);
        json_t *s = NULL;
        rc = text_of(dir, rel, 4096, &s);
        ids[i][16] = '\0';
        if (rc == TAMGA_OK && json_object_set_new(signers, ids[i], s) != 0)
            rc = TAMGA_ERR_NOMEM;
    }
    tamga_strv_free(ids, n);
    if (rc == TAMGA_OK) {
        json_object_set(root, "signers", signers);
        char *text = tamga_json_dump(root);
        if (text == NULL)
            rc = TAMGA_ERR_NOMEM;
        else
            rc = tamga_write_atomic(out_path, text, strlen(text), 0644, 0);
        free(text);
    }
    json_decref(signers);
    json_decref(root);
    return rc;
}

/* Writes a JSON string member's bytes to <dir>/<rel>. */
static int put_text(const char *dir, const char *rel, const json_t *s, mode_t mode)
{
    char *p = tamga_path_join(dir, rel);
    int rc = p ? tamga_write_atomic(p, json_string_value(s), json_string_length(s), mode, 0)
               : TAMGA_ERR_NOMEM;
    free(p);
    return rc;
}

static int is_upper_keyid(const char *s)
{
    if (strlen(s) != 16)
        return 0;
    for (size_t i = 0; i < 16; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'F')))
            return 0;
    return 1;
}

/* Checks the recorder file's shape and writes its files into the empty folder
 * `dir` (which gets keyholders/, signers/ and recordings/). */
static int unpack_recorder(const char *text, size_t len, const char *dir, char idhex[33])
{
    json_t *root = tamga_json_parse_strict(text, len, "recorder file");
    if (root == NULL)
        return TAMGA_ERR_FORMAT;
    static const char *const keys[] = {"case_json", "case_json_minisig", "custody_jsonl",
                                       "head_json", "head_json_minisig"};
    static const char *const files[] = {"case.json", "case.json.minisig", "custody.jsonl",
                                        "head.json", "head.json.minisig"};
    const char *fmt = NULL, *cid = NULL;
    int64_t ver = 0;
    int rc = TAMGA_OK;
    if (!json_is_object(root) || json_object_size(root) != 9)
        rc = tamga__fail(TAMGA_ERR_FORMAT,
                         "recorder file: not an object with exactly the documented fields");
    if (rc == TAMGA_OK)
        rc = tamga_json_get_str(root, "format", &fmt, "recorder file");
    if (rc == TAMGA_OK && strcmp(fmt, REC_FORMAT) != 0)
        rc = tamga__fail(TAMGA_ERR_FORMAT, "not a tamga recorder file (format \"%.40s\")", fmt);
    if (rc == TAMGA_OK)
        rc = tamga_json_get_int(root, "version", &ver, "recorder file");
    if (rc == TAMGA_OK && ver != REC_VERSION)
        rc = tamga__fail(TAMGA_ERR_UNSUPPORTED, "recorder file version %lld is not supported",
                         (long long)ver);
    if (rc == TAMGA_OK)
        rc = tamga_json_get_str(root, "case_id", &cid, "recorder file");
    if (rc == TAMGA_OK) {
        uint8_t raw[TAMGA_ID_BYTES];
        char back[TAMGA_ID_HEX_LEN + 1];
        if (strlen(cid) != TAMGA_ID_HEX_LEN ||
            tamga_hex_decode(cid, TAMGA_ID_HEX_LEN, raw, sizeof raw) != TAMGA_OK)
            rc = tamga__fail(TAMGA_ERR_FORMAT, "recorder file: case_id is not 32 hex digits");
        else {
            tamga_hex_encode(raw, sizeof raw, back);
            if (strcmp(back, cid) != 0)
                rc = tamga__fail(TAMGA_ERR_FORMAT, "recorder file: case_id is not lower-case");
            else
                memcpy(idhex, cid, TAMGA_ID_HEX_LEN + 1);
        }
    }
    for (size_t i = 0; i < 5 && rc == TAMGA_OK; i++) {
        json_t *s = json_object_get(root, keys[i]);
        if (!json_is_string(s))
            rc = tamga__fail(TAMGA_ERR_FORMAT, "recorder file: %s is missing or not a string",
                             keys[i]);
        else
            rc = put_text(dir, files[i], s, 0644);
    }
    static const char *const subs[] = {"keyholders", "signers", "recordings"};
    for (size_t i = 0; i < 3 && rc == TAMGA_OK; i++) {
        char *p = tamga_path_join(dir, subs[i]);
        if (p == NULL || mkdir(p, 0700) != 0)
            rc = p ? tamga__errno_fail("cannot create folder", p) : TAMGA_ERR_NOMEM;
        free(p);
    }
    json_t *signers = rc == TAMGA_OK ? json_object_get(root, "signers") : NULL;
    if (rc == TAMGA_OK && (!json_is_object(signers) || json_object_size(signers) == 0 ||
                           json_object_size(signers) > REC_MAX_SIGNERS))
        rc = tamga__fail(TAMGA_ERR_FORMAT,
                         "recorder file: signers is not an object of 1 to %d "
                         "keys",
                         REC_MAX_SIGNERS);
    const char *kid;
    json_t *v;
    if (rc == TAMGA_OK)
        json_object_foreach(signers, kid, v)
        {
            uint8_t keynum[TAMGA_KEYNUM_BYTES], pk[TAMGA_SIGN_PK_BYTES];
            char got[17], rel[64];
            if (!is_upper_keyid(kid) || !json_is_string(v) ||
                tamga_minisign_pubkey_parse(json_string_value(v), json_string_length(v), keynum,
                                            pk) != TAMGA_OK) {
                rc = tamga__fail(TAMGA_ERR_FORMAT, "recorder file: signer \"%.20s\" is malformed",
                                 kid);
                break;
            }
            tamga_keyid_format(keynum, got);
            if (strcmp(got, kid) != 0) {
                rc = tamga__fail(TAMGA_ERR_FORMAT, "recorder file: signer %s holds the key of %s",
                                 kid, got);
                break;
            }
            snprintf(rel, sizeof rel, "signers/%s.pub", kid);
            if ((rc = put_text(dir, rel, v, 0644)) != TAMGA_OK)
                break;
        }
    json_decref(root);
    return rc;
}

int tamga_case_join(const char *home, const tamga_identity *id, const char *file, tamga_case **out)
{
    *out = NULL;
    if (id == NULL || !tamga_identity_is_unlocked(id))
        return tamga__fail(TAMGA_ERR_LOCKED, "joining signs a custody event: unlock first");
    uint8_t *text = NULL;
    size_t len = 0;
    int rc = tamga_read_file(file, REC_MAX_FILE, &text, &len);
    if (rc != TAMGA_OK)
        return rc;
    char *staging = NULL, *sdir = NULL, *cases = NULL, *dir = NULL;
    tamga_case *sc = NULL, *c = NULL;
    tamga_report *r = NULL;
    char idhex[TAMGA_ID_HEX_LEN + 1] = "";
    if ((rc = tamga__bundle_staging_new(home, &staging)) != TAMGA_OK)
        goto out;
    sdir = tamga_path_join(staging, "case");
    if (sdir == NULL) {
        rc = TAMGA_ERR_NOMEM;
        goto out;
    }
    if (mkdir(sdir, 0700) != 0) {
        rc = tamga__errno_fail("cannot create folder", sdir);
        goto out;
    }
    if ((rc = unpack_recorder((const char *)text, len, sdir, idhex)) != TAMGA_OK)
        goto out;
    /* The creator's signature, then everything verify checks of a case. */
    if ((rc = tamga_case_open_dir(sdir, &sc)) != TAMGA_OK)
        goto out;
    if (strcmp(tamga_case_get_id_hex(sc), idhex) != 0) {
        rc = tamga__fail(TAMGA_ERR_WRONG_CASE, "recorder file: case_id names another case than "
                                               "its case.json");
        goto out;
    }
    if ((rc = tamga_verify(sdir, NULL, 0, &r)) != TAMGA_OK)
        goto out;
    if (!tamga_report_ok(r)) {
        for (size_t i = 0; i < tamga_report_count(r); i++) {
            const tamga_check *k = tamga_report_get(r, i);
            if (k->result == TAMGA_CHECK_FAIL) {
                rc = tamga__fail(TAMGA_ERR_AUTH, "the recorder file does not verify: %s: %s",
                                 k->subject, k->message);
                break;
            }
        }
        if (rc == TAMGA_OK)
            rc = tamga__fail(TAMGA_ERR_AUTH, "the recorder file does not verify");
        goto out;
    }
    cases = tamga_path_join(home, "cases");
    dir = cases ? tamga_path_join(cases, idhex) : NULL;
    if (dir == NULL) {
        rc = TAMGA_ERR_NOMEM;
        goto out;
    }
    if (tamga_file_exists(dir) || tamga_is_dir(dir)) {
        rc = tamga__fail(TAMGA_ERR_EXISTS, "case %s is already on this machine", idhex);
        goto out;
    }
    if ((rc = tamga_mkdir_p(cases, 0700)) != TAMGA_OK)
        goto out;
    /* rename() would replace an empty folder: the check above and the case
     * folder never being empty make a clash an error. */
    if (rename(sdir, dir) != 0) {
        rc = errno == EEXIST || errno == ENOTEMPTY
                 ? tamga__fail(TAMGA_ERR_EXISTS, "case %s is already on this machine", idhex)
                 : tamga__errno_fail("cannot store the case", dir);
        goto out;
    }
    (void)tamga_fsync_dir(cases);
    if ((rc = tamga_case_open_dir(dir, &c)) != TAMGA_OK)
        goto out;
    {
        uint8_t h[32];
        char hex[65], sub[160];
        crypto_hash_sha256(h, text, len);
        tamga_hex_encode(h, 32, hex);
        snprintf(sub, sizeof sub, "{\"recorder_file_sha256\":\"%s\",\"record_only\":true}", hex);
        rc = tamga_case_log_event(c, id, TAMGA_EVENT_JOINED, sub);
    }
    if (rc == TAMGA_OK) {
        *out = c;
        c = NULL;
    }
out:
    tamga_report_free(r);
    tamga_case_free(sc);
    tamga_case_free(c);
    if (staging != NULL)
        tamga__rm_tree(staging);
    free(staging);
    free(sdir);
    free(cases);
    free(dir);
    free(text);
    return rc;
}
