/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Importing a bundle: unpack into a staging folder inside the data folder,
 * verify everything there, then store a new case or merge into the existing
 * one (recordings added, custody logs fast-forwarded or kept beside as
 * branches; contradictions refused). Also the checks of an extracted bundle's
 * SHA256SUMS and plain audio, and the custody branches seen by verify. */
#define _DEFAULT_SOURCE /* flock */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "bundle-internal.h"
#include "case-internal.h"
#include "report-internal.h"
#include "tamga/custody.h"
#include "tamga/manifest.h"
#include "tamga/minisig.h"
#include "tamga/verify.h"
#include "util.h"

/* ---- SHA256SUMS and plain audio ---- */

/* Set (to files listed + 1) by tamga__bundle_store while it verifies a bundle
 * folder whose SHA256SUMS and keys/ it has just checked, so that
 * tamga__verify_bundle_extras does not hash every file a second time (import
 * hashed each file three times; SHA-256 is most of its time). Per thread. */
static _Thread_local size_t sums_checked;

/* While sums_checked is set: the SHA-256 of each recordings/<id>.tamga that
 * tamga__bundle_check_sums just hashed, so that verify's check against the
 * signed manifest needs no second pass over the (large) file. An entry is
 * used only if the file is still the same inode, size and mtime. */
typedef struct {
    char *path;
    uint8_t sha[32];
    uint64_t size;
    dev_t dev;
    ino_t ino;
    struct timespec mtime;
} sha_memo;
static _Thread_local sha_memo *memo;
static _Thread_local size_t n_memo, cap_memo;
static _Thread_local int memo_on;

static void memo_clear(void)
{
    for (size_t i = 0; i < n_memo; i++)
        free(memo[i].path);
    free(memo);
    memo = NULL;
    n_memo = cap_memo = 0;
}

static void memo_add(const char *path, const uint8_t sha[32], uint64_t size)
{
    struct stat st;
    if (!memo_on || stat(path, &st) != 0 || (uint64_t)st.st_size != size)
        return;
    if (n_memo == cap_memo) {
        size_t nc = cap_memo ? cap_memo * 2 : 16;
        sha_memo *v = realloc(memo, nc * sizeof *v);
        if (v == NULL)
            return; /* only an optimisation */
        memo = v;
        cap_memo = nc;
    }
    sha_memo *e = &memo[n_memo];
    if ((e->path = strdup(path)) == NULL)
        return;
    memcpy(e->sha, sha, 32);
    e->size = size;
    e->dev = st.st_dev;
    e->ino = st.st_ino;
    e->mtime = st.st_mtim;
    n_memo++;
}

int tamga__bundle_sha_memo(const char *path, uint8_t sha[32], uint64_t *size)
{
    if (sums_checked == 0)
        return 0;
    for (size_t i = 0; i < n_memo; i++) {
        const sha_memo *e = &memo[i];
        struct stat st;
        if (strcmp(e->path, path) != 0 || stat(path, &st) != 0)
            continue;
        if (st.st_dev != e->dev || st.st_ino != e->ino || (uint64_t)st.st_size != e->size ||
            st.st_mtim.tv_sec != e->mtime.tv_sec || st.st_mtim.tv_nsec != e->mtime.tv_nsec)
            return 0;
        memcpy(sha, e->sha, 32);
        *size = e->size;
        return 1;
    }
    return 0;
}

static int exists_rel(const char *top, const char *rel);

int tamga__bundle_is_folder(const char *dir)
{
    char *a = tamga_path_join(dir, "SHA256SUMS");
    char *b = tamga_path_join(dir, "case.json");
    int ok = a && b && tamga_file_exists(a) && tamga_file_exists(b);
    free(a);
    free(b);
    return ok;
}

/* Counts regular files under `dir` (recursively); links or special files are an error. */
static int count_files(const char *dir, size_t *n, int depth)
{
    if (depth > 4)
        return tamga__fail(TAMGA_ERR_FORMAT, "%s: folders nested too deep", dir);
    DIR *d = opendir(dir);
    if (d == NULL)
        return tamga__errno_fail("cannot read folder", dir);
    struct dirent *e;
    int rc = TAMGA_OK;
    while (rc == TAMGA_OK && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = tamga_path_join(dir, e->d_name);
        struct stat st;
        if (p == NULL)
            rc = TAMGA_ERR_NOMEM;
        else if (lstat(p, &st) != 0)
            rc = tamga__errno_fail("cannot read", p);
        else if (S_ISDIR(st.st_mode))
            rc = count_files(p, n, depth + 1);
        else if (S_ISREG(st.st_mode))
            (*n)++;
        else
            rc = tamga__fail(TAMGA_ERR_FORMAT, "%s is a link or special file", p);
        free(p);
    }
    closedir(d);
    return rc;
}

static int check_audio(const char *top, const char *rel, const uint8_t sha[32])
{
    /* audio/<id>.opus: its SHA-256 equals the signed manifest's audio SHA-256. */
    char mrel[128];
    snprintf(mrel, sizeof mrel, "recordings/%.32s.manifest.json", rel + 6);
    char *mp = tamga_path_join(top, mrel);
    uint8_t *text = NULL;
    size_t len = 0;
    tamga_manifest m;
    memset(&m, 0, sizeof m);
    int rc = mp ? tamga_read_file(mp, TAMGA_BUNDLE_MAX_META, &text, &len) : TAMGA_ERR_NOMEM;
    if (rc == TAMGA_OK)
        rc = tamga_manifest_parse((const char *)text, len, &m);
    if (rc != TAMGA_OK)
        rc = tamga__fail(TAMGA_ERR_AUTH, "%s has no readable manifest beside it", rel);
    else if (sodium_memcmp(m.audio_sha256, sha, 32) != 0)
        rc = tamga__fail(TAMGA_ERR_AUTH,
                         "%s does not match the audio SHA-256 in its signed manifest", rel);
    tamga_manifest_clear(&m);
    free(text);
    free(mp);
    return rc;
}

int tamga__bundle_check_sums(const char *top, size_t *files)
{
    if (files != NULL)
        *files = 0;
    char *sp = tamga_path_join(top, "SHA256SUMS");
    uint8_t *text = NULL;
    size_t len = 0;
    int rc = sp ? tamga_read_file(sp, TAMGA_BUNDLE_MAX_SMALL, &text, &len) : TAMGA_ERR_NOMEM;
    free(sp);
    if (rc != TAMGA_OK)
        return rc;
    tamga__member_checker *k = tamga__member_checker_new();
    if (k == NULL) {
        free(text);
        return TAMGA_ERR_NOMEM;
    }
    /* Names are checked as members of the bundle folder, whatever it is called
     * here (an extracted bundle may have been renamed). */
    const char *topname = "tamga-bundle-000000000000";
    size_t listed = 0;
    char *p = (char *)text, *end = (char *)text + len;
    while (rc == TAMGA_OK && p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL) {
            rc = tamga__fail(TAMGA_ERR_FORMAT, "SHA256SUMS: the last line has no newline");
            break;
        }
        *nl = '\0';
        uint8_t want[32], got[32];
        char full[600];
        if (nl - p < 67 || p[64] != ' ' || p[65] != ' ' ||
            tamga_hex_decode(p, 64, want, 32) != TAMGA_OK) {
            rc = tamga__fail(TAMGA_ERR_FORMAT, "SHA256SUMS: line %zu is malformed", listed + 1);
            break;
        }
        const char *rel = p + 66;
        snprintf(full, sizeof full, "%s/%s", topname, rel);
        if (strcmp(rel, "SHA256SUMS") == 0 || strncmp(rel, "BUNDLE.json", 11) == 0 ||
            tamga__member_check(k, full, TAMGA__M_FILE, 0, 0, NULL) != TAMGA_OK) {
            rc = tamga__fail(TAMGA_ERR_FORMAT, "SHA256SUMS: line %zu names an unexpected file",
                             listed + 1);
            break;
        }
        char *fp = tamga_path_join(top, rel);
        if (fp == NULL) {
            rc = TAMGA_ERR_NOMEM;
            break;
        }
        uint64_t fsize = 0;
        if (tamga_sha256_file(fp, got, &fsize) != TAMGA_OK)
            rc = tamga__fail(TAMGA_ERR_AUTH, "%s is listed in SHA256SUMS but missing", rel);
        else if (sodium_memcmp(want, got, 32) != 0)
            rc = tamga__fail(TAMGA_ERR_AUTH, "%s does not match its SHA-256 in SHA256SUMS", rel);
        else if (strncmp(rel, "audio/", 6) == 0)
            rc = check_audio(top, rel, got);
        else if (strncmp(rel, "recordings/", 11) == 0 && strlen(rel) > 6 &&
                 strcmp(rel + strlen(rel) - 6, ".tamga") == 0)
            memo_add(fp, got, fsize);
        free(fp);
        listed++;
        p = nl + 1;
    }
    tamga__member_checker_free(k);
    free(text);
    size_t present = 0;
    if (rc == TAMGA_OK)
        rc = count_files(top, &present, 0);
    /* Not listed: SHA256SUMS itself, and the signed index that names its hash. */
    size_t unlisted =
        1 + (size_t)exists_rel(top, "BUNDLE.json") + (size_t)exists_rel(top, "BUNDLE.json.minisig");
    if (rc == TAMGA_OK && present != listed + unlisted)
        rc = tamga__fail(TAMGA_ERR_AUTH, "the folder holds %zu files that SHA256SUMS does not list",
                         present - listed - unlisted > present ? 0 : present - listed - unlisted);
    if (rc == TAMGA_OK && files != NULL)
        *files = listed;
    return rc;
}

/* ---- the signed index ---- */

static int read_rel(const char *top, const char *rel, size_t max, uint8_t **data, size_t *len)
{
    char *p = tamga_path_join(top, rel);
    int rc = p ? tamga_read_file(p, max, data, len) : TAMGA_ERR_NOMEM;
    free(p);
    return rc;
}

static int exists_rel(const char *top, const char *rel)
{
    char *p = tamga_path_join(top, rel);
    int ok = p != NULL && tamga_file_exists(p);
    free(p);
    return ok;
}

/* Whether folder <top>/<sub> holds any file ending in `suffix`. */
static int dir_has_suffix(const char *top, const char *sub, const char *suffix)
{
    char *p = tamga_path_join(top, sub);
    DIR *d = p ? opendir(p) : NULL;
    free(p);
    if (d == NULL)
        return 0;
    int found = 0;
    struct dirent *e;
    size_t sl = strlen(suffix);
    while (!found && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        found = e->d_name[0] != '.' && n > sl && strcmp(e->d_name + n - sl, suffix) == 0;
    }
    closedir(d);
    return found;
}

static int index_fields(const json_t *j)
{
    static const char *const keys[] = {
        "format",     "version",           "case_id",     "exporter_key_id", "created",
        "recordings", "sha256sums_sha256", "plain_audio", "grant_case_key"};
    const size_t nk = sizeof keys / sizeof keys[0];
    if (!json_is_object(j) || json_object_size(j) != nk)
        return tamga__fail(TAMGA_ERR_FORMAT,
                           "BUNDLE.json: not an object with exactly the %zu "
                           "fields of version 1",
                           nk);
    for (size_t i = 0; i < nk; i++)
        if (json_object_get(j, keys[i]) == NULL)
            return tamga__fail(TAMGA_ERR_FORMAT, "BUNDLE.json: field \"%s\" is missing", keys[i]);
    return TAMGA_OK;
}

static int is_rid(const char *s)
{
    if (strlen(s) != 32)
        return 0;
    for (size_t i = 0; i < 32; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

int tamga__bundle_check_index(const char *top, char signer[17], int *known)
{
    if (signer != NULL)
        signer[0] = '\0';
    if (known != NULL)
        *known = 0;
    uint8_t *text = NULL, *sigt = NULL, *pubt = NULL;
    size_t len = 0, sigl = 0, publ = 0;
    json_t *j = NULL;
    tamga_case *c = NULL;
    tamga_custody_log log;
    memset(&log, 0, sizeof log);
    int have_log = 0;
    char **present = NULL;
    size_t np = 0;
    tamga_minisig sig;
    uint8_t keynum[8], pk[32];
    char kid[17], rel[128];
    int rc = read_rel(top, "BUNDLE.json", TAMGA_BUNDLE_MAX_META, &text, &len);
    if (rc == TAMGA_ERR_NOT_FOUND || (rc != TAMGA_OK && !exists_rel(top, "BUNDLE.json"))) {
        rc = tamga__fail(TAMGA_ERR_AUTH, "BUNDLE.json (the signed index) is missing");
        goto out;
    }
    if (rc != TAMGA_OK)
        goto out;
    rc = read_rel(top, "BUNDLE.json.minisig", TAMGA_MINISIG_MAX_FILE, &sigt, &sigl);
    if (rc != TAMGA_OK) {
        rc = tamga__fail(TAMGA_ERR_AUTH, "BUNDLE.json.minisig (the index's signature) is missing "
                                         "or unreadable");
        goto out;
    }
    if ((rc = tamga_minisig_parse((const char *)sigt, sigl, &sig)) != TAMGA_OK) {
        rc = tamga__fail(TAMGA_ERR_AUTH, "BUNDLE.json.minisig is malformed");
        goto out;
    }
    tamga_keyid_format(sig.keynum, kid);
    snprintf(rel, sizeof rel, "signers/%s.pub", kid);
    if (read_rel(top, rel, 4096, &pubt, &publ) != TAMGA_OK ||
        tamga_minisign_pubkey_parse((const char *)pubt, publ, keynum, pk) != TAMGA_OK ||
        memcmp(keynum, sig.keynum, 8) != 0) {
        rc = tamga__fail(TAMGA_ERR_AUTH,
                         "BUNDLE.json is signed by key %s, which is not among the bundle's keys",
                         kid);
        goto out;
    }
    if (tamga_minisig_verify(&sig, text, len, keynum, pk) != TAMGA_OK) {
        rc = tamga__fail(TAMGA_ERR_AUTH,
                         "BUNDLE.json: the signature by %s does not verify (the index was "
                         "changed)",
                         kid);
        goto out;
    }
    if (signer != NULL)
        memcpy(signer, kid, 17);
    if ((j = tamga_json_parse_strict((const char *)text, len, "BUNDLE.json")) == NULL) {
        rc = TAMGA_ERR_FORMAT;
        goto out;
    }
    if ((rc = index_fields(j)) != TAMGA_OK)
        goto out;
    const char *fmt, *cid, *exp, *created;
    int64_t ver;
    uint8_t want[32], got[32];
    if ((rc = tamga_json_get_str(j, "format", &fmt, "BUNDLE.json")) != TAMGA_OK ||
        (rc = tamga_json_get_int(j, "version", &ver, "BUNDLE.json")) != TAMGA_OK)
        goto out;
    if (strcmp(fmt, TAMGA_BUNDLE_INDEX_FORMAT) != 0) {
        rc = tamga__fail(TAMGA_ERR_FORMAT, "BUNDLE.json: format is not \"tamga-bundle\"");
        goto out;
    }
    if (ver != TAMGA_BUNDLE_INDEX_VERSION) {
        rc = tamga__fail(TAMGA_ERR_UNSUPPORTED, "BUNDLE.json: version %lld is not supported",
                         (long long)ver);
        goto out;
    }
    const json_t *recs = json_object_get(j, "recordings");
    const json_t *plain = json_object_get(j, "plain_audio");
    const json_t *grant = json_object_get(j, "grant_case_key");
    if ((rc = tamga_json_get_str(j, "case_id", &cid, "BUNDLE.json")) != TAMGA_OK ||
        (rc = tamga_json_get_str(j, "exporter_key_id", &exp, "BUNDLE.json")) != TAMGA_OK ||
        (rc = tamga_json_get_str(j, "created", &created, "BUNDLE.json")) != TAMGA_OK ||
        (rc = tamga_json_get_hex(j, "sha256sums_sha256", want, 32, "BUNDLE.json")) != TAMGA_OK)
        goto out;
    if (!json_is_array(recs) || !json_is_boolean(plain) || !json_is_boolean(grant)) {
        rc = tamga__fail(TAMGA_ERR_FORMAT, "BUNDLE.json: recordings must be an array, "
                                           "plain_audio and grant_case_key booleans");
        goto out;
    }
    if (strcmp(exp, kid) != 0) {
        rc = tamga__fail(TAMGA_ERR_AUTH, "BUNDLE.json names exporter %.16s but is signed by %s",
                         exp, kid);
        goto out;
    }
    /* The case: the index must name this one. */
    if ((rc = tamga_case_open_dir(top, &c)) != TAMGA_OK)
        goto out;
    if (strcmp(cid, tamga_case_get_id_hex(c)) != 0) {
        rc = tamga__fail(TAMGA_ERR_AUTH, "BUNDLE.json names another case (%.32s)", cid);
        goto out;
    }
    /* SHA256SUMS is the one the exporter signed. */
    {
        char *sp = tamga_path_join(top, "SHA256SUMS");
        rc = sp ? tamga_sha256_file(sp, got, NULL) : TAMGA_ERR_NOMEM;
        free(sp);
        if (rc != TAMGA_OK)
            goto out;
        if (sodium_memcmp(want, got, 32) != 0) {
            rc = tamga__fail(TAMGA_ERR_AUTH, "SHA256SUMS is not the one the signed index names "
                                             "(lines were added or removed)");
            goto out;
        }
    }
    /* Recordings present (by manifest) == recordings listed. */
    if ((rc = tamga_case_list_recordings(c, &present, &np)) != TAMGA_OK)
        goto out;
    size_t nl = json_array_size(recs);
    for (size_t i = 0; i < nl; i++) {
        const char *rid = json_string_value(json_array_get(recs, i));
        if (rid == NULL || !is_rid(rid)) {
            rc = tamga__fail(TAMGA_ERR_FORMAT, "BUNDLE.json: recordings[%zu] is not a recording id",
                             i);
            goto out;
        }
        for (size_t k = 0; k < i; k++)
            if (strcmp(rid, json_string_value(json_array_get(recs, k))) == 0) {
                rc = tamga__fail(TAMGA_ERR_FORMAT, "BUNDLE.json lists recording %s twice", rid);
                goto out;
            }
        int found = 0;
        for (size_t k = 0; k < np && !found; k++)
            found = strcmp(present[k], rid) == 0;
        snprintf(rel, sizeof rel, "recordings/%s.tamga", rid);
        if (!found || !exists_rel(top, rel)) {
            rc = tamga__fail(TAMGA_ERR_AUTH,
                             "recording %.12s is listed in the signed index but is not in the "
                             "bundle (removed)",
                             rid);
            goto out;
        }
        snprintf(rel, sizeof rel, "audio/%s.opus", rid);
        if (json_is_true(plain) && !exists_rel(top, rel)) {
            rc = tamga__fail(TAMGA_ERR_AUTH,
                             "the signed index says the bundle holds plain audio, but %s is "
                             "missing",
                             rel);
            goto out;
        }
    }
    if (np != nl) {
        rc = tamga__fail(TAMGA_ERR_AUTH,
                         "the bundle holds %zu recordings but its signed index "
                         "lists %zu (one was added)",
                         np, nl);
        goto out;
    }
    if (json_is_false(plain) && dir_has_suffix(top, "audio", ".opus")) {
        rc = tamga__fail(TAMGA_ERR_AUTH, "audio/ holds plain audio the signed index does not "
                                         "announce");
        goto out;
    }
    if (json_is_false(grant) && dir_has_suffix(top, "keyholders", ".box")) {
        rc = tamga__fail(TAMGA_ERR_AUTH, "keyholders/ holds key grants the signed index does not "
                                         "announce");
        goto out;
    }
    /* A key the case knows: its creator, or a signer of its custody log. */
    if (known != NULL) {
        *known = memcmp(sig.keynum, tamga_case_get_creator_keynum(c), 8) == 0;
        if (!*known && tamga_custody_load(top, &log) == TAMGA_OK) {
            have_log = 1;
            for (size_t k = 0; k < log.count && !*known; k++)
                *known = memcmp(log.entries[k].actor, sig.keynum, 8) == 0;
        }
    }
    rc = TAMGA_OK;
out:
    if (have_log)
        tamga_custody_log_clear(&log);
    tamga_strv_free(present, np);
    tamga_case_free(c);
    json_decref(j);
    free(text);
    free(sigt);
    free(pubt);
    return rc;
}

/* ---- custody logs: custody.jsonl and branches ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void tamga__case_logs_free(tamga_custody_log *logs, char **names, size_t n)
{
    for (size_t i = 0; logs != NULL && i < n; i++)
        tamga_custody_log_clear(&logs[i]);
    free(logs);
    for (size_t i = 0; names != NULL && i < n; i++)
        free(names[i]);
    free(names);
}

int tamga__case_logs_load(const char *case_dir, tamga_custody_log **logs, char ***names, size_t *n)
{
    *logs = NULL;
    *names = NULL;
    *n = 0;
    char *bd = tamga_path_join(case_dir, "branches");
    if (bd == NULL)
        return TAMGA_ERR_NOMEM;
    char **bn = NULL;
    size_t nb = 0, cap = 0;
    int rc = TAMGA_OK;
    DIR *d = opendir(bd);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            if (!tamga__branch_name_valid(e->d_name, strlen(e->d_name))) {
                rc = tamga__fail(TAMGA_ERR_FORMAT, "branches/%s is not a custody branch name",
                                 e->d_name);
                break;
            }
            if (nb == cap) {
                cap = cap ? cap * 2 : 8;
                char **v = realloc(bn, cap * sizeof *bn);
                if (v == NULL) {
                    rc = TAMGA_ERR_NOMEM;
                    break;
                }
                bn = v;
            }
            if ((bn[nb] = strdup(e->d_name)) == NULL) {
                rc = TAMGA_ERR_NOMEM;
                break;
            }
            nb++;
        }
        closedir(d);
    }
    if (rc == TAMGA_OK && nb > 1)
        qsort(bn, nb, sizeof *bn, cmp_str);
    tamga_custody_log *l = rc == TAMGA_OK ? calloc(nb + 1, sizeof *l) : NULL;
    char **nm = rc == TAMGA_OK ? calloc(nb + 1, sizeof *nm) : NULL;
    if (rc == TAMGA_OK && (l == NULL || nm == NULL))
        rc = TAMGA_ERR_NOMEM;
    size_t loaded = 0;
    if (rc == TAMGA_OK) {
        rc = tamga_custody_load(case_dir, &l[0]);
        loaded = 1;
    }
    for (size_t i = 0; rc == TAMGA_OK && i < nb; i++) {
        char *p = tamga_path_join(bd, bn[i]);
        rc = p ? tamga_custody_load(p, &l[i + 1]) : TAMGA_ERR_NOMEM;
        if (rc != TAMGA_OK) {
            char d2[512];
            snprintf(d2, sizeof d2, "%s", tamga_error_detail());
            rc = tamga__fail(rc, "custody branch %s: %s", bn[i], d2);
        }
        free(p);
        nm[i + 1] = bn[i];
        bn[i] = NULL;
        loaded++;
    }
    for (size_t i = 0; i < nb; i++)
        free(bn[i]);
    free(bn);
    free(bd);
    if (rc != TAMGA_OK) {
        tamga__case_logs_free(l, nm, loaded > 0 ? nb + 1 : 0);
        if (loaded == 0) {
            free(l);
            free(nm);
        }
        return rc;
    }
    *logs = l;
    *names = nm;
    *n = nb + 1;
    return TAMGA_OK;
}

/* Common prefix length of two logs (by line hashes). */
static size_t common_prefix(const tamga_custody_log *a, const tamga_custody_log *b)
{
    size_t n = a->count < b->count ? a->count : b->count, i = 0;
    while (i < n && memcmp(a->entries[i].line_sha256, b->entries[i].line_sha256, 32) == 0)
        i++;
    return i;
}

/* ---- merge planning ---- */

typedef struct {
    const tamga_custody_log *log;
    char name[48];   /* "" for custody.jsonl */
    int from_bundle; /* index+1 into the bundle's logs, 0: unchanged local */
} log_slot;

typedef struct {
    log_slot *slots;
    size_t n;
} log_set;

/* Decides what to do with incoming log `in` (bundle log index `bi`). */
static int plan_log(log_set *set, const tamga_custody_log *in, int bi, const char *in_name)
{
    if (in->count == 0)
        return tamga__fail(TAMGA_ERR_FORMAT, "the bundle's custody log %s is empty",
                           in_name[0] ? in_name : "custody.jsonl");
    int extend = -1;
    for (size_t i = 0; i < set->n; i++) {
        const tamga_custody_log *e = set->slots[i].log;
        size_t p = common_prefix(in, e);
        if (p == in->count)
            return TAMGA_OK; /* nothing new */
        if (p == e->count) {
            extend = (int)i;
            continue;
        }
        if (p == 0)
            return tamga__fail(TAMGA_ERR_EXISTS,
                               "the bundle's custody log does not start with this case's "
                               "creation as recorded here: the histories contradict each other");
        if (memcmp(in->entries[p].actor, e->entries[p].actor, TAMGA_KEYNUM_BYTES) == 0) {
            char kid[17];
            tamga_keyid_format(in->entries[p].actor, kid);
            return tamga__fail(TAMGA_ERR_EXISTS,
                               "contradicting histories: key %s signed two different custody "
                               "entries number %llu (one here, one in the bundle); nothing was "
                               "changed",
                               kid, (unsigned long long)(p + 1));
        }
    }
    if (extend >= 0) {
        set->slots[extend].log = in;
        set->slots[extend].from_bundle = bi + 1;
        return TAMGA_OK;
    }
    /* A fork: kept beside as branches/<KEYID>-<seq>. */
    size_t p = common_prefix(in, set->slots[0].log);
    char name[48];
    for (size_t tries = 0;; tries++) {
        char kid[17];
        tamga_keyid_format(in->entries[p].actor, kid);
        snprintf(name, sizeof name, "%s-%llu", kid, (unsigned long long)(p + 1));
        int clash = -1;
        for (size_t i = 1; i < set->n && clash < 0; i++)
            if (strcmp(set->slots[i].name, name) == 0)
                clash = (int)i;
        if (clash < 0)
            break;
        if (tries > 8)
            return tamga__fail(TAMGA_ERR_EXISTS, "too many custody branches fork at one place");
        p = common_prefix(in, set->slots[clash].log);
    }
    log_slot *ns = realloc(set->slots, (set->n + 1) * sizeof *ns);
    if (ns == NULL)
        return TAMGA_ERR_NOMEM;
    set->slots = ns;
    memset(&ns[set->n], 0, sizeof ns[set->n]);
    ns[set->n].log = in;
    snprintf(ns[set->n].name, sizeof ns[set->n].name, "%s", name);
    ns[set->n].from_bundle = bi + 1;
    set->n++;
    return TAMGA_OK;
}

/* ---- file helpers ---- */

static int same_file(const char *a, const char *b)
{
    uint8_t ha[32], hb[32];
    uint64_t sa = 0, sb = 0;
    return tamga_sha256_file(a, ha, &sa) == TAMGA_OK && tamga_sha256_file(b, hb, &sb) == TAMGA_OK &&
           sa == sb && memcmp(ha, hb, 32) == 0;
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = tamga_read_file(from, TAMGA_BUNDLE_MAX_SMALL, &data, &len);
    if (rc == TAMGA_OK)
        rc = tamga_write_atomic(to, data, len, mode, 1);
    free(data);
    return rc;
}

/* Hard-links (or copies) every file of `from` into `to`, folders recreated. */
static int link_tree(const char *from, const char *to, int depth)
{
    if (depth > 3)
        return TAMGA_OK;
    if (mkdir(to, 0700) != 0 && errno != EEXIST)
        return tamga__errno_fail("cannot create folder", to);
    DIR *d = opendir(from);
    if (d == NULL)
        return tamga__errno_fail("cannot read folder", from);
    struct dirent *e;
    int rc = TAMGA_OK;
    while (rc == TAMGA_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "custody.lock") == 0)
            continue;
        char *a = tamga_path_join(from, e->d_name);
        char *b = tamga_path_join(to, e->d_name);
        struct stat st;
        if (a == NULL || b == NULL)
            rc = TAMGA_ERR_NOMEM;
        else if (lstat(a, &st) != 0)
            rc = tamga__errno_fail("cannot read", a);
        else if (S_ISDIR(st.st_mode))
            rc = link_tree(a, b, depth + 1);
        else if (S_ISREG(st.st_mode) && link(a, b) != 0)
            rc = copy_file(a, b, st.st_mode & 0777);
        free(a);
        free(b);
    }
    closedir(d);
    return rc;
}

/* Writes the three files of log slot `s` (taken from the bundle folder `top`)
 * into case folder `dir`. */
static int write_log(const char *dir, const char *top, const log_slot *s, char **bundle_names)
{
    static const char *const files[] = {"head.json.minisig", "custody.jsonl", "head.json"};
    const char *bn = bundle_names[s->from_bundle - 1];
    char srcdir[4096], dstdir[4096];
    if (bn == NULL)
        snprintf(srcdir, sizeof srcdir, "%s", top);
    else
        snprintf(srcdir, sizeof srcdir, "%s/branches/%s", top, bn);
    if (s->name[0] == '\0') {
        snprintf(dstdir, sizeof dstdir, "%s", dir);
    } else {
        snprintf(dstdir, sizeof dstdir, "%s/branches", dir);
        if (mkdir(dstdir, 0700) != 0 && errno != EEXIST)
            return tamga__errno_fail("cannot create folder", dstdir);
        snprintf(dstdir, sizeof dstdir, "%s/branches/%s", dir, s->name);
        if (mkdir(dstdir, 0700) != 0 && errno != EEXIST)
            return tamga__errno_fail("cannot create folder", dstdir);
    }
    for (size_t i = 0; i < 3; i++) {
        char a[4200], b[4200];
        snprintf(a, sizeof a, "%s/%s", srcdir, files[i]);
        snprintf(b, sizeof b, "%s/%s", dstdir, files[i]);
        /* custody.jsonl may be hard-linked elsewhere: replace, never append. */
        int rc = copy_file(a, b, 0644);
        if (rc != TAMGA_OK)
            return rc;
    }
    return TAMGA_OK;
}

/* Files of folder `sub` of the bundle that the case lacks (`*new`) and the
 * ones present on both sides that differ (an error). */
static int diff_folder(const char *top, const char *dir, const char *sub, char ***new_names,
                       size_t *n_new)
{
    *new_names = NULL;
    *n_new = 0;
    char *a = tamga_path_join(top, sub);
    char *b = tamga_path_join(dir, sub);
    DIR *d = a ? opendir(a) : NULL;
    int rc = TAMGA_OK;
    size_t cap = 0;
    if (d != NULL) {
        struct dirent *e;
        while (rc == TAMGA_OK && (e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char *pa = tamga_path_join(a, e->d_name), *pb = tamga_path_join(b, e->d_name);
            if (pa == NULL || pb == NULL) {
                rc = TAMGA_ERR_NOMEM;
            } else if (tamga_file_exists(pb)) {
                if (strcmp(sub, "keyholders") != 0 && !same_file(pa, pb))
                    rc = tamga__fail(TAMGA_ERR_EXISTS,
                                     "%s/%s differs between the bundle and this machine: the "
                                     "histories contradict each other; nothing was changed",
                                     sub, e->d_name);
            } else {
                if (*n_new == cap) {
                    cap = cap ? cap * 2 : 16;
                    char **v = realloc(*new_names, cap * sizeof *v);
                    if (v == NULL)
                        rc = TAMGA_ERR_NOMEM;
                    else
                        *new_names = v;
                }
                if (rc == TAMGA_OK && ((*new_names)[*n_new] = strdup(e->d_name)) != NULL)
                    (*n_new)++;
                else if (rc == TAMGA_OK)
                    rc = TAMGA_ERR_NOMEM;
            }
            free(pa);
            free(pb);
        }
        closedir(d);
    }
    free(a);
    free(b);
    if (rc != TAMGA_OK) {
        tamga_strv_free(*new_names, *n_new);
        *new_names = NULL;
        *n_new = 0;
    }
    return rc;
}

/* Verifies folder `dir` as a case; TAMGA_ERR_AUTH with the first failure. */
/* Verifies `dir`; `*partial` (may be NULL) is set when the report says some
 * recordings are not included (an extracted bundle of selected recordings). */
static int verify_ok_ex(const char *dir, const char *what, int *partial)
{
    tamga_report *r = NULL;
    if (partial != NULL)
        *partial = 0;
    int rc = tamga_verify(dir, NULL, 0, &r);
    if (rc != TAMGA_OK)
        return rc;
    for (size_t i = 0; partial != NULL && i < tamga_report_count(r); i++) {
        const tamga_check *k = tamga_report_get(r, i);
        if (k->result == TAMGA_CHECK_INFO && strstr(k->message_en, "not included in this bundle"))
            *partial = 1;
    }
    if (!tamga_report_ok(r)) {
        const tamga_check *bad = NULL;
        for (size_t i = 0; i < tamga_report_count(r) && bad == NULL; i++)
            if (tamga_report_get(r, i)->result == TAMGA_CHECK_FAIL)
                bad = tamga_report_get(r, i);
        rc = tamga__fail(TAMGA_ERR_AUTH, "%s does not verify: %s: %s", what,
                         bad ? bad->subject_en : "?", bad ? bad->message_en : "?");
    }
    tamga_report_free(r);
    return rc;
}

static int verify_ok(const char *dir, const char *what)
{
    return verify_ok_ex(dir, what, NULL);
}

/* Removes what a case folder must not keep from a bundle folder. */
static void strip_bundle_extras(const char *top)
{
    static const char *const files[] = {"SHA256SUMS", "VERIFY.txt", "BUNDLE.json",
                                        "BUNDLE.json.minisig"};
    static const char *const dirs[] = {"keys", "audio"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *p = tamga_path_join(top, files[i]);
        if (p != NULL)
            unlink(p);
        free(p);
    }
    for (size_t i = 0; i < 2; i++) {
        char *p = tamga_path_join(top, dirs[i]);
        if (p != NULL)
            tamga__rm_tree(p);
        free(p);
    }
}

static int check_keys_match_signers(const char *top)
{
    /* keys/X.pub must equal signers/X.pub. */
    char **names = NULL;
    size_t n = 0;
    char *kd = tamga_path_join(top, "keys");
    DIR *d = kd ? opendir(kd) : NULL;
    int rc = TAMGA_OK;
    if (d != NULL) {
        struct dirent *e;
        while (rc == TAMGA_OK && (e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char a[4200], b[4200];
            snprintf(a, sizeof a, "%s/keys/%s", top, e->d_name);
            snprintf(b, sizeof b, "%s/signers/%s", top, e->d_name);
            if (!same_file(a, b))
                rc = tamga__fail(TAMGA_ERR_AUTH, "keys/%s differs from signers/%s", e->d_name,
                                 e->d_name);
        }
        closedir(d);
    }
    free(kd);
    tamga_strv_free(names, n);
    return rc;
}

/* Everything after unpacking: verify the staged bundle, then store or merge. */
int tamga__bundle_store(const char *home, const char *staging, const char *top,
                        const tamga_identity *id, unsigned flags, tamga_import_result *res)
{
    memset(res, 0, sizeof *res);
    size_t files = 0;
    memo_on = 1;
    int rc = tamga__bundle_check_sums(top, &files);
    memo_on = 0;
    if (rc == TAMGA_OK)
        rc = check_keys_match_signers(top);
    if (rc != TAMGA_OK) {
        memo_clear();
        return rc;
    }
    char *kh = tamga_path_join(top, "keyholders");
    if (kh == NULL)
        return TAMGA_ERR_NOMEM;
    (void)mkdir(kh, 0700);
    free(kh);
    /* Verified as a bundle (it may hold only some recordings), then stripped.
     * SHA256SUMS was just checked: verify does not hash every file for it again. */
    int partial = 0;
    sums_checked = files + 1;
    rc = verify_ok_ex(top, "the bundle", &partial);
    sums_checked = 0;
    memo_clear();
    if (rc != TAMGA_OK)
        return rc;
    strip_bundle_extras(top);
    tamga_case *sc = NULL;
    if ((rc = tamga_case_open_dir(top, &sc)) != TAMGA_OK)
        return rc;
    snprintf(res->case_id, sizeof res->case_id, "%s", tamga_case_get_id_hex(sc));
    snprintf(res->title, sizeof res->title, "%s", tamga_case_get_title(sc));
    {
        const char *slash = strrchr(top, '/');
        if (strncmp(slash + 1 + strlen(TAMGA_BUNDLE_TOP_PREFIX), res->case_id,
                    TAMGA_BUNDLE_TOP_HEX) != 0) {
            tamga_case_free(sc);
            return tamga__fail(TAMGA_ERR_FORMAT, "the bundle folder is named after another case");
        }
    }
    char **rids = NULL;
    size_t nr = 0;
    if ((rc = tamga_case_list_recordings(sc, &rids, &nr)) != TAMGA_OK) {
        tamga_case_free(sc);
        return rc;
    }
    res->recordings_total = nr;
    tamga_strv_free(rids, nr);

    char *cases = tamga_path_join(home, "cases");
    char *dir = cases ? tamga_path_join(cases, res->case_id) : NULL;
    tamga_case *tc = NULL;
    tamga_custody_log *tl = NULL, *sl = NULL;
    char **tn = NULL, **sn = NULL;
    size_t ntl = 0, nsl = 0;
    log_set set = {NULL, 0};
    char **new_rec = NULL, **new_sig = NULL, **new_kh = NULL;
    size_t n_rec = 0, n_sig = 0, n_kh = 0;
    char *merged = NULL;
    int lockfd = -1;
    if (dir == NULL) {
        rc = TAMGA_ERR_NOMEM;
        goto out;
    }
    if (!tamga_is_dir(dir)) {
        /* A new case here. */
        res->new_case = 1;
        res->recordings_added = res->recordings_total;
        if (partial) {
            rc = tamga__fail(TAMGA_ERR_NOT_FOUND,
                             "the bundle holds only some of the case's recordings and the case "
                             "is not here yet: import a bundle of the whole case first");
            goto out;
        }
        if (flags & TAMGA_BUNDLE_DRY_RUN)
            goto out;
        if ((rc = tamga_mkdir_p(cases, 0700)) != TAMGA_OK)
            goto out;
        if (rename(top, dir) != 0) {
            rc = tamga__errno_fail("cannot store the case", dir);
            goto out;
        }
        (void)tamga_fsync_dir(cases);
        if (id != NULL && (rc = tamga_case_open_dir(dir, &tc)) == TAMGA_OK) {
            char sub[200];
            snprintf(sub, sizeof sub, "{\"recordings\":%zu,\"new_case\":true}", nr);
            rc = tamga_case_log_event(tc, id, TAMGA_EVENT_RECEIVED, sub);
        }
        goto out;
    }
    /* Merge into the existing case. */
    if ((rc = tamga_case_open_dir(dir, &tc)) != TAMGA_OK)
        goto out;
    {
        char *a = tamga_path_join(top, "case.json"), *b = tamga_path_join(dir, "case.json");
        int same = a && b && same_file(a, b);
        free(a);
        free(b);
        if (!same) {
            rc = tamga__fail(TAMGA_ERR_EXISTS,
                             "the bundle's case description differs from the one here for the "
                             "same case id; nothing was changed");
            goto out;
        }
    }
    if ((rc = diff_folder(top, dir, "signers", &new_sig, &n_sig)) != TAMGA_OK ||
        (rc = diff_folder(top, dir, "recordings", &new_rec, &n_rec)) != TAMGA_OK ||
        (rc = diff_folder(top, dir, "keyholders", &new_kh, &n_kh)) != TAMGA_OK)
        goto out;
    if ((rc = tamga__case_logs_load(dir, &tl, &tn, &ntl)) != TAMGA_OK ||
        (rc = tamga__case_logs_load(top, &sl, &sn, &nsl)) != TAMGA_OK)
        goto out;
    set.slots = calloc(ntl, sizeof *set.slots);
    if (set.slots == NULL) {
        rc = TAMGA_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < ntl; i++) {
        set.slots[i].log = &tl[i];
        snprintf(set.slots[i].name, sizeof set.slots[i].name, "%s", tn[i] ? tn[i] : "");
    }
    set.n = ntl;
    for (size_t i = 0; i < nsl && rc == TAMGA_OK; i++)
        rc = plan_log(&set, &sl[i], (int)i, sn[i] ? sn[i] : "");
    if (rc != TAMGA_OK)
        goto out;
    /* Build the merged case beside (hard links) and verify it before touching
     * the real one. */
    merged = tamga_path_join(staging, "merged");
    if (merged == NULL) {
        rc = TAMGA_ERR_NOMEM;
        goto out;
    }
    if ((rc = link_tree(dir, merged, 0)) != TAMGA_OK)
        goto out;
    for (int pass = 0; pass < 2 && rc == TAMGA_OK; pass++) {
        const char *dst = pass == 0 ? merged : dir;
        if (pass == 1) {
            if (flags & TAMGA_BUNDLE_DRY_RUN)
                break;
            char *lp = tamga_path_join(dir, "custody.lock");
            lockfd = lp ? open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0600) : -1;
            free(lp);
            if (lockfd < 0 || flock(lockfd, LOCK_EX) != 0) {
                rc = tamga__errno_fail("cannot lock the case", dir);
                break;
            }
            /* Nothing may have been appended since planning. */
            uint64_t seq = 0;
            uint8_t sha[32];
            if (tamga_custody_head(dir, &seq, sha) != TAMGA_OK || seq != tl[0].count ||
                memcmp(sha, tl[0].entries[tl[0].count - 1].line_sha256, 32) != 0) {
                rc = tamga__fail(TAMGA_ERR_IO,
                                 "the case changed during the import: nothing was changed, try "
                                 "again");
                break;
            }
        }
        static const char *const subs[] = {"signers", "keyholders", "recordings"};
        char **lists[] = {new_sig, new_kh, new_rec};
        size_t counts[] = {n_sig, n_kh, n_rec};
        for (size_t s = 0; s < 3 && rc == TAMGA_OK; s++) {
            char dd[4200];
            snprintf(dd, sizeof dd, "%s/%s", dst, subs[s]);
            (void)mkdir(dd, 0700);
            for (size_t i = 0; i < counts[s] && rc == TAMGA_OK; i++) {
                char a[4200], b[4200];
                snprintf(a, sizeof a, "%s/%s/%s", top, subs[s], lists[s][i]);
                snprintf(b, sizeof b, "%s/%s/%s", dst, subs[s], lists[s][i]);
                if (link(a, b) != 0) {
                    struct stat st;
                    rc = lstat(a, &st) == 0 && st.st_size <= (off_t)TAMGA_BUNDLE_MAX_SMALL
                             ? copy_file(a, b, s == 1 ? 0600 : 0644)
                             : tamga__errno_fail("cannot store", b);
                }
            }
            if (rc == TAMGA_OK)
                rc = tamga_fsync_dir(dd);
        }
        for (size_t i = 0; i < set.n && rc == TAMGA_OK; i++)
            if (set.slots[i].from_bundle)
                rc = write_log(dst, top, &set.slots[i], sn);
        if (rc == TAMGA_OK && pass == 0)
            rc = verify_ok(merged, "the case merged with the bundle");
    }
    if (lockfd >= 0) {
        close(lockfd);
        lockfd = -1;
    }
    if (rc != TAMGA_OK)
        goto out;
    {
        size_t added = 0;
        for (size_t i = 0; i < n_rec; i++)
            added += strlen(new_rec[i]) == 32 + 6 && strcmp(new_rec[i] + 32, ".tamga") == 0;
        res->recordings_added = added;
        for (size_t i = 0; i < set.n; i++)
            if (set.slots[i].from_bundle) {
                if (i < ntl)
                    res->logs_extended++;
                else
                    res->branches_added++;
            }
        res->grants_added = n_kh;
    }
    if (!(flags & TAMGA_BUNDLE_DRY_RUN) && id != NULL) {
        char sub[256];
        snprintf(sub, sizeof sub,
                 "{\"recordings_added\":%zu,\"logs_extended\":%zu,\"branches_added\":%zu}",
                 res->recordings_added, res->logs_extended, res->branches_added);
        rc = tamga_case_log_event(tc, id, TAMGA_EVENT_RECEIVED, sub);
    }
out:
    if (lockfd >= 0)
        close(lockfd);
    free(merged);
    free(set.slots);
    tamga__case_logs_free(tl, tn, ntl);
    tamga__case_logs_free(sl, sn, nsl);
    tamga_strv_free(new_rec, n_rec);
    tamga_strv_free(new_sig, n_sig);
    tamga_strv_free(new_kh, n_kh);
    tamga_case_free(tc);
    tamga_case_free(sc);
    free(dir);
    free(cases);
    return rc;
}

/* ---- staging ---- */

int tamga__bundle_staging_new(const char *home, char **out)
{
    *out = NULL;
    int rc = tamga_home_prepare(home);
    if (rc != TAMGA_OK)
        return rc;
    uint8_t rnd[8];
    randombytes_buf(rnd, sizeof rnd);
    char hex[17], name[32];
    tamga_hex_encode(rnd, sizeof rnd, hex);
    snprintf(name, sizeof name, ".staging-%s", hex);
    char *p = tamga_path_join(home, name);
    if (p == NULL)
        return TAMGA_ERR_NOMEM;
    if (mkdir(p, 0700) != 0) {
        rc = tamga__errno_fail("cannot create staging folder", p);
        free(p);
        return rc;
    }
    *out = p;
    return TAMGA_OK;
}

/* ---- verify's view of branches and bundles ---- */

void tamga__verify_bundle_extras(const char *dir, tamga_report *r)
{
    if (!tamga__bundle_is_folder(dir))
        return;
    size_t files = 0;
    tamga__clear_detail();
    int rc = TAMGA_OK;
    if (sums_checked > 0)
        files = sums_checked - 1; /* tamga__bundle_store checked SHA256SUMS and keys/ */
    else if ((rc = tamga__bundle_check_sums(dir, &files)) == TAMGA_OK)
        rc = check_keys_match_signers(dir);
    if (rc == TAMGA_OK)
        tamga__report_add(r, TAMGA_CHECK_PASS, N_("bundle"),
                          "SHA256SUMS lists every file (%zu), each matches; keys/ matches "
                          "signers/; plain audio (if any) matches the signed manifests",
                          files);
    else
        tamga__report_add_detail(r, TAMGA_CHECK_FAIL, N_("bundle"), tamga_error_detail());
    char signer[17];
    int known = 0;
    tamga__clear_detail();
    rc = tamga__bundle_check_index(dir, signer, &known);
    if (rc != TAMGA_OK)
        tamga__report_add_detail(r, TAMGA_CHECK_FAIL, N_("bundle index"), tamga_error_detail());
    else if (known)
        tamga__report_add(r, TAMGA_CHECK_PASS, N_("bundle index"),
                          "BUNDLE.json signed by %s (a signer of this case); it names SHA256SUMS "
                          "and exactly the recordings present",
                          signer);
    else
        tamga__report_add(r, TAMGA_CHECK_WARN, N_("bundle index"),
                          "BUNDLE.json is signed by %s, a key that signed nothing else in this "
                          "case; it names SHA256SUMS and exactly the recordings present",
                          signer);
}

/* Each custody branch: parsed (hash chain), every entry signed by a key of the
 * case, begins with the case's creation, and its signed head matches. */
void tamga__verify_branches(const tamga_case *c, tamga_report *r)
{
    tamga_custody_log *logs = NULL;
    char **names = NULL;
    size_t n = 0;
    tamga__clear_detail();
    int rc = tamga__case_logs_load(tamga_case_get_dir(c), &logs, &names, &n);
    if (rc != TAMGA_OK) {
        /* custody.jsonl itself is reported by verify; only branches here. */
        if (strstr(tamga_error_detail(), "branch") != NULL)
            tamga__report_add_detail(r, TAMGA_CHECK_FAIL, N_("custody branches"),
                                     tamga_error_detail());
        return;
    }
    for (size_t i = 1; i < n; i++) {
        tamga__subject subject;
        /* TRANSLATORS: a report subject; %s names the machine's branch. */
        tamga__subject_set(&subject, "custody branch %s", names[i]);
        const tamga_custody_log *l = &logs[i];
        size_t bad = 0;
        for (size_t k = 0; k < l->count && bad == 0; k++) {
            uint8_t pk[32];
            if (tamga_case_signer_key(c, l->entries[k].actor, pk) != TAMGA_OK ||
                tamga_custody_entry_verify(&l->entries[k], pk) != TAMGA_OK) {
                tamga__report_add_s(r, TAMGA_CHECK_FAIL, &subject,
                                    "entry %zu is not signed by a key of this case", k + 1);
                bad++;
            }
        }
        if (bad)
            continue;
        if (l->count == 0 || strcmp(l->entries[0].event, TAMGA_EVENT_CASE_CREATED) != 0 ||
            memcmp(l->entries[0].actor, tamga_case_get_creator_keynum(c), 8) != 0 ||
            memcmp(l->entries[0].line_sha256,
                   logs[0].count ? logs[0].entries[0].line_sha256 : l->entries[0].line_sha256,
                   32) != 0) {
            tamga__report_add_s(r, TAMGA_CHECK_FAIL, &subject,
                                "does not begin with the case's creation");
            continue;
        }
        /* The signed head. */
        char dir[4200];
        snprintf(dir, sizeof dir, "%s/branches/%s", tamga_case_get_dir(c), names[i]);
        char *hp = tamga_path_join(dir, "head.json"),
             *sp = tamga_path_join(dir, "head.json.minisig");
        uint8_t *ht = NULL, *st = NULL;
        size_t hl = 0, sl = 0;
        tamga_custody_headfile h;
        tamga_minisig sig;
        uint8_t pk[32];
        int ok = hp && sp && tamga_read_file(hp, 65536, &ht, &hl) == TAMGA_OK &&
                 tamga_custody_headfile_parse((const char *)ht, hl, &h) == TAMGA_OK &&
                 tamga_read_file(sp, TAMGA_MINISIG_MAX_FILE, &st, &sl) == TAMGA_OK &&
                 tamga_minisig_parse((const char *)st, sl, &sig) == TAMGA_OK &&
                 tamga_case_signer_key(c, h.signer, pk) == TAMGA_OK &&
                 tamga_minisig_verify(&sig, ht, hl, h.signer, pk) == TAMGA_OK &&
                 memcmp(h.case_id, tamga_case_get_id(c), TAMGA_ID_BYTES) == 0 &&
                 h.seq == l->count &&
                 sodium_memcmp(h.sha256, l->entries[l->count - 1].line_sha256, 32) == 0;
        free(hp);
        free(sp);
        free(ht);
        free(st);
        if (!ok)
            tamga__report_add_s(r, TAMGA_CHECK_FAIL, &subject,
                                "its signed head is missing, does not verify or does not match "
                                "its last entry (cut off or altered)");
        else
            tamga__report_addn_s(r, TAMGA_CHECK_PASS, &subject, l->count,
                                 "a custody log kept on another machine: %zu entry, hash chain "
                                 "unbroken, every entry signed by a key of this case, signed head "
                                 "matches",
                                 "a custody log kept on another machine: %zu entries, hash chain "
                                 "unbroken, every entry signed by a key of this case, signed head "
                                 "matches",
                                 l->count);
    }
    tamga__case_logs_free(logs, names, n);
}

/* Whether a custody branch holds entry `seq` with hash `sha` and, after it, the
 * sealing entry of recording `rid` with manifest hash `msha_hex`. */
int tamga__branch_has_sealing(const tamga_case *c, uint64_t seq, const uint8_t sha[32],
                              const char *rid, const char *msha_hex, int interrupted)
{
    tamga_custody_log *logs = NULL;
    char **names = NULL;
    size_t n = 0;
    if (tamga__case_logs_load(tamga_case_get_dir(c), &logs, &names, &n) != TAMGA_OK)
        return 0;
    int found = 0;
    for (size_t i = 1; i < n && !found; i++) {
        const tamga_custody_log *l = &logs[i];
        if (seq == 0 || seq > l->count || sodium_memcmp(l->entries[seq - 1].line_sha256, sha, 32))
            continue;
        for (size_t k = seq; k < l->count && !found; k++) {
            const tamga_custody_entry *e = &l->entries[k];
            int sealing = strcmp(e->event, TAMGA_EVENT_RECORDING_SEALED) == 0 ||
                          (interrupted && strcmp(e->event, TAMGA_EVENT_RECOVERED) == 0);
            if (!sealing)
                continue;
            json_t *j = json_loads(e->subject_json, 0, NULL);
            json_t *a = j ? json_object_get(j, "recording") : NULL;
            json_t *b = j ? json_object_get(j, "manifest_sha256") : NULL;
            found = json_is_string(a) && json_is_string(b) &&
                    strcmp(json_string_value(a), rid) == 0 &&
                    strcmp(json_string_value(b), msha_hex) == 0;
            json_decref(j);
        }
    }
    tamga__case_logs_free(logs, names, n);
    return found;
}
