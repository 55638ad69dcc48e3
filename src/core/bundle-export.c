/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writing a bundle: the case's files as stored, the signers' keys, optional
 * plain audio and key grants, VERIFY.txt and SHA256SUMS, as a tar streamed
 * through a byte sink (the age writer in tamga_bundle_export). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "bundle-internal.h"
#include "case-internal.h"
#include "record-internal.h"
#include "tamga/container.h"
#include "tamga/manifest.h"
#include "tamga/minisig.h"
#include "util.h"

typedef struct {
    tamga__tar_writer *w;
    char top[64];
    char *sums; /* SHA256SUMS text */
    size_t sums_len, sums_cap;
} bw;

static int sums_add(bw *b, const uint8_t sha[32], const char *rel)
{
    size_t need = 64 + 2 + strlen(rel) + 1;
    if (b->sums_len + need + 1 > b->sums_cap) {
        size_t ncap = b->sums_cap ? b->sums_cap * 2 : 4096;
        while (ncap < b->sums_len + need + 1)
            ncap *= 2;
        char *n = realloc(b->sums, ncap);
        if (n == NULL)
            return TAMGA_ERR_NOMEM;
        b->sums = n;
        b->sums_cap = ncap;
    }
    char hex[65];
    tamga_hex_encode(sha, 32, hex);
    b->sums_len +=
        (size_t)snprintf(b->sums + b->sums_len, b->sums_cap - b->sums_len, "%s  %s\n", hex, rel);
    return TAMGA_OK;
}

static int add_dir(bw *b, const char *rel)
{
    char name[512];
    int n = snprintf(name, sizeof name, "%s/%s", b->top, rel);
    if (n < 0 || (size_t)n >= sizeof name)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "bundle member name too long: %s", rel);
    return tamga__tar_add_dir(b->w, name);
}

static int add_mem(bw *b, const char *rel, const void *data, size_t len, int mode)
{
    char name[512];
    snprintf(name, sizeof name, "%s/%s", b->top, rel);
    uint8_t sha[32];
    crypto_hash_sha256(sha, data, len);
    int rc = tamga__tar_add_mem(b->w, name, data, len, mode);
    return rc == TAMGA_OK ? sums_add(b, sha, rel) : rc;
}

/* Adds <case_dir>/<src_rel> as <top>/<rel>; missing optional files are skipped. */
static int add_file(bw *b, const char *case_dir, const char *src_rel, const char *rel, int optional)
{
    char *path = tamga_path_join(case_dir, src_rel);
    if (path == NULL)
        return TAMGA_ERR_NOMEM;
    if (optional && !tamga_file_exists(path)) {
        free(path);
        return TAMGA_OK;
    }
    char name[512];
    snprintf(name, sizeof name, "%s/%s", b->top, rel);
    uint8_t sha[32];
    int rc = tamga__tar_add_file(b->w, name, path, 0644, sha);
    free(path);
    return rc == TAMGA_OK ? sums_add(b, sha, rel) : rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int tamga__list_dir(const char *dir, int (*ok)(const char *), size_t max, int missing_ok,
                    char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (d == NULL)
        return missing_ok ? TAMGA_OK : tamga__errno_fail("cannot read folder", dir);
    size_t cap = 0;
    struct dirent *e;
    int rc = TAMGA_OK;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !ok(e->d_name))
            continue;
        if (max > 0 && *n >= max) {
            rc = tamga__fail(TAMGA_ERR_TOO_LARGE, "more than %zu entries in %s", max, dir);
            break;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            char **v = realloc(*out, cap * sizeof **out);
            if (v == NULL) {
                rc = TAMGA_ERR_NOMEM;
                break;
            }
            *out = v;
        }
        if (((*out)[*n] = strdup(e->d_name)) == NULL) {
            rc = TAMGA_ERR_NOMEM;
            break;
        }
        (*n)++;
    }
    closedir(d);
    if (rc != TAMGA_OK) {
        tamga_strv_free(*out, *n);
        *out = NULL;
        *n = 0;
        return rc;
    }
    if (*n > 1)
        qsort(*out, *n, sizeof **out, cmp_str);
    return TAMGA_OK;
}

int tamga__is_pub_name(const char *s)
{
    size_t n = strlen(s);
    return n == 20 && strcmp(s + 16, ".pub") == 0;
}

static int is_branch(const char *s)
{
    return tamga__branch_name_valid(s, strlen(s));
}

static int add_plain_audio(bw *b, const tamga_case *c, const uint8_t *case_sk, const char *rid)
{
    tamga_manifest m;
    char rel[128];
    int rc = tamga__load_manifest(c, rid, &m);
    if (rc != TAMGA_OK)
        return rc;
    snprintf(rel, sizeof rel, "recordings/%s.tamga", rid);
    char *rp = tamga_path_join(tamga_case_get_dir(c), rel);
    tamga_rec_reader *r = NULL;
    rc =
        rp ? tamga_rec_reader_open(rp, tamga_case_get_public_key(c), case_sk, &r) : TAMGA_ERR_NOMEM;
    free(rp);
    if (rc == TAMGA_OK) {
        char name[512];
        snprintf(name, sizeof name, "%s/audio/%s.opus", b->top, rid);
        rc = tamga__tar_begin_file(b->w, name, m.audio_size, 0644);
    }
    uint64_t got = 0;
    crypto_hash_sha256_state hs;
    crypto_hash_sha256_init(&hs);
    while (rc == TAMGA_OK) {
        tamga_stream_id sid;
        const uint8_t *data;
        size_t n;
        int k = tamga_rec_reader_next(r, &sid, &data, &n);
        if (k < 0) {
            rc = tamga__fail(TAMGA_ERR_AUTH, "recording %s does not decrypt", rid);
            break;
        }
        if (k == 0)
            break;
        if (sid != TAMGA_STREAM_AUDIO)
            continue;
        if (got + n > m.audio_size) {
            rc = tamga__fail(TAMGA_ERR_AUTH, "recording %s holds more audio than its manifest says",
                             rid);
            break;
        }
        crypto_hash_sha256_update(&hs, data, n);
        rc = tamga__tar_write_data(b->w, data, n);
        got += n;
    }
    tamga_rec_reader_free(r);
    uint8_t sha[32];
    crypto_hash_sha256_final(&hs, sha);
    if (rc == TAMGA_OK && (got != m.audio_size || sodium_memcmp(sha, m.audio_sha256, 32) != 0))
        rc = tamga__fail(TAMGA_ERR_AUTH,
                         "recording %s: the decrypted audio does not match its signed manifest",
                         rid);
    if (rc == TAMGA_OK) {
        snprintf(rel, sizeof rel, "audio/%s.opus", rid);
        rc = sums_add(b, sha, rel);
    }
    tamga_manifest_clear(&m);
    return rc;
}

/* BUNDLE.json and its minisign signature by the exporter: the signed index
 * (which recordings are in, the SHA-256 of SHA256SUMS), after SHA256SUMS. */
static int add_index(bw *b, const tamga_case *c, const tamga_identity *id,
                     const tamga_bundle_export_opts *o, char **rids, size_t nr)
{
    uint8_t sha[32];
    char hex[65], kid[17], created[32];
    crypto_hash_sha256(sha, (const uint8_t *)(b->sums ? b->sums : ""), b->sums_len);
    tamga_hex_encode(sha, 32, hex);
    tamga_keyid_format(tamga_identity_get_public(id)->keynum, kid);
    tamga_utc_now(created, sizeof created);
    json_t *recs = json_array();
    json_t *j = json_object();
    int rc = recs && j ? TAMGA_OK : TAMGA_ERR_NOMEM;
    for (size_t i = 0; i < nr && rc == TAMGA_OK; i++)
        if (json_array_append_new(recs, json_string(rids[i])) != 0)
            rc = TAMGA_ERR_NOMEM;
    if (rc == TAMGA_OK &&
        (json_object_set_new(j, "format", json_string(TAMGA_BUNDLE_INDEX_FORMAT)) != 0 ||
         json_object_set_new(j, "version", json_integer(TAMGA_BUNDLE_INDEX_VERSION)) != 0 ||
         json_object_set_new(j, "case_id", json_string(tamga_case_get_id_hex(c))) != 0 ||
         json_object_set_new(j, "exporter_key_id", json_string(kid)) != 0 ||
         json_object_set_new(j, "created", json_string(created)) != 0 ||
         json_object_set(j, "recordings", recs) != 0 ||
         json_object_set_new(j, "sha256sums_sha256", json_string(hex)) != 0 ||
         json_object_set_new(j, "plain_audio",
                             json_boolean((o->flags & TAMGA_BUNDLE_PLAIN_AUDIO) != 0)) != 0 ||
         json_object_set_new(j, "grant_case_key",
                             json_boolean((o->flags & TAMGA_BUNDLE_GRANT) != 0)) != 0))
        rc = TAMGA_ERR_NOMEM;
    json_decref(recs);
    char *text = rc == TAMGA_OK ? tamga_json_dump(j) : NULL;
    json_decref(j);
    if (rc == TAMGA_OK && text == NULL)
        rc = TAMGA_ERR_NOMEM;
    char *sig = NULL;
    size_t len = text ? strlen(text) : 0;
    if (rc == TAMGA_OK) {
        /* A trailing newline, as text files have; it is signed too. */
        char *t2 = realloc(text, len + 2);
        if (t2 == NULL)
            rc = TAMGA_ERR_NOMEM;
        else {
            text = t2;
            text[len++] = '\n';
            text[len] = '\0';
        }
    }
    if (rc == TAMGA_OK) {
        char comment[160];
        snprintf(comment, sizeof comment, "tamga bundle index of case %s, exported %s",
                 tamga_case_get_id_hex(c), created);
        rc = tamga_minisig_sign(id, (const uint8_t *)text, len, comment, &sig);
    }
    char name[512];
    if (rc == TAMGA_OK) {
        snprintf(name, sizeof name, "%s/BUNDLE.json", b->top);
        rc = tamga__tar_add_mem(b->w, name, text, len, 0644);
    }
    if (rc == TAMGA_OK) {
        snprintf(name, sizeof name, "%s/BUNDLE.json.minisig", b->top);
        rc = tamga__tar_add_mem(b->w, name, sig, strlen(sig), 0644);
    }
    free(sig);
    free(text);
    return rc;
}

/* Keeps only the recordings `o` names (each must be in the case, once), in
 * the case's order; the others are freed. */
static int select_recordings(const tamga_bundle_export_opts *o, char **rids, size_t *nr)
{
    for (size_t i = 0; i < o->n_recordings; i++) {
        int found = 0;
        for (size_t k = 0; k < *nr && !found; k++)
            found = strcmp(rids[k], o->recordings[i]) == 0;
        if (!found)
            return tamga__fail(TAMGA_ERR_NOT_FOUND, "recording %.40s is not in this case",
                               o->recordings[i]);
        for (size_t k = 0; k < i; k++)
            if (strcmp(o->recordings[k], o->recordings[i]) == 0)
                return tamga__fail(TAMGA_ERR_INVALID, "recording %.40s is named twice",
                                   o->recordings[i]);
    }
    size_t kept = 0;
    for (size_t k = 0; k < *nr; k++) {
        int want = 0;
        for (size_t i = 0; i < o->n_recordings && !want; i++)
            want = strcmp(rids[k], o->recordings[i]) == 0;
        if (want)
            rids[kept++] = rids[k];
        else
            free(rids[k]);
    }
    *nr = kept;
    return TAMGA_OK;
}

/* ---- progress ---- */

#define PROGRESS_STEP (1u << 20) /* report at most about once per MiB */

/* Bytes a tar member of `size` bytes takes (ustar header + padded data). */
static uint64_t tar_member(uint64_t size)
{
    return 512u + (size + 511u) / 512u * 512u;
}

static uint64_t file_size(const char *dir, const char *rel)
{
    char *p = tamga_path_join(dir, rel);
    struct stat st;
    uint64_t n = p != NULL && stat(p, &st) == 0 && S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
    free(p);
    return n;
}

/* The expected size of the tar, from the sizes of the files to pack (plain
 * audio estimated as its .tamga size); SHA256SUMS and BUNDLE.json roughly. */
static uint64_t estimate_tar(const char *dir, const tamga_bundle_export_opts *o, char **rids,
                             size_t nr, char **signers, size_t ns, char **branches, size_t nb,
                             size_t verify_len)
{
    static const char *const suffixes[] = {".manifest.json", ".manifest.json.minisig", ".private",
                                           ".tamga"};
    static const char *const bfiles[] = {"custody.jsonl", "head.json", "head.json.minisig"};
    char rel[512];
    uint64_t t = 5 * 512u; /* top, signers/, keys/, recordings/, audio/ or branches/ */
    uint64_t files = 0;
    t += tar_member(verify_len) + tar_member(file_size(dir, "case.json")) +
         tar_member(file_size(dir, "case.json.minisig"));
    files += 3;
    for (size_t i = 0; i < ns; i++) {
        snprintf(rel, sizeof rel, "signers/%s", signers[i]);
        t += 2 * tar_member(file_size(dir, rel));
        files += 2;
    }
    if (o->flags & TAMGA_BUNDLE_GRANT) {
        t += 512u + o->n_grant_to * tar_member(crypto_box_SEALBYTES + TAMGA_ENC_SK_BYTES);
        files += o->n_grant_to;
    }
    for (size_t i = 0; i < nr; i++)
        for (size_t k = 0; k < 4; k++) {
            snprintf(rel, sizeof rel, "recordings/%s%s", rids[i], suffixes[k]);
            uint64_t n = file_size(dir, rel);
            if (n > 0 || k != 2) {
                t += tar_member(n);
                files++;
            }
            if (k == 3 && (o->flags & TAMGA_BUNDLE_PLAIN_AUDIO)) {
                t += tar_member(n);
                files++;
            }
        }
    for (size_t k = 0; k < 3; k++)
        t += tar_member(file_size(dir, bfiles[k]));
    files += 3;
    for (size_t i = 0; i < nb; i++) {
        t += 512u;
        for (size_t k = 0; k < 3; k++) {
            snprintf(rel, sizeof rel, "branches/%s/%s", branches[i], bfiles[k]);
            t += tar_member(file_size(dir, rel));
            files++;
        }
    }
    t += tar_member(files * 140u);                       /* SHA256SUMS */
    t += tar_member(400u + nr * 36u) + tar_member(400u); /* BUNDLE.json and its signature */
    return t + 1024u;                                    /* the end-of-archive blocks */
}

typedef struct {
    tamga__sink_fn sink;
    void *user;
    const tamga_bundle_export_opts *o;
    uint64_t done, total, last;
} progress_sink;

static int progress_report(progress_sink *p)
{
    if (p->total < p->done)
        p->total = p->done;
    p->last = p->done;
    if (p->o->progress(p->done, p->total, p->o->progress_user) != 0)
        return tamga__fail(TAMGA_ERR_IO, "cancelled");
    return TAMGA_OK;
}

static int progress_write(void *user, const uint8_t *data, size_t len)
{
    progress_sink *p = user;
    int rc = p->sink(p->user, data, len);
    if (rc != TAMGA_OK)
        return rc;
    p->done += len;
    return p->done - p->last >= PROGRESS_STEP ? progress_report(p) : TAMGA_OK;
}

int tamga__bundle_write(const tamga_case *c, const tamga_identity *id,
                        const tamga_bundle_export_opts *o, tamga__sink_fn sink, void *user)
{
    const char *dir = tamga_case_get_dir(c);
    bw b;
    memset(&b, 0, sizeof b);
    snprintf(b.top, sizeof b.top, "%s%.*s", TAMGA_BUNDLE_TOP_PREFIX, TAMGA_BUNDLE_TOP_HEX,
             tamga_case_get_id_hex(c));
    uint8_t *case_sk = NULL;
    char **rids = NULL, **signers = NULL, **branches = NULL;
    size_t nr = 0, ns = 0, nb = 0;
    char *verify = NULL;
    int rc = TAMGA_OK;
    if ((o->flags & (TAMGA_BUNDLE_PLAIN_AUDIO | TAMGA_BUNDLE_GRANT)) != 0) {
        if (id == NULL)
            return tamga__fail(TAMGA_ERR_LOCKED, "plain audio and grants need an identity");
        rc = tamga_case_unlock_key(c, id, &case_sk);
        if (rc != TAMGA_OK)
            return rc;
    }
    if (id == NULL)
        return tamga__fail(TAMGA_ERR_LOCKED, "a bundle's index is signed: it needs an identity");
    /* The exporter signs BUNDLE.json: its key must be in signers/ (and keys/). */
    if ((rc = tamga_case_register_signer(c, tamga_identity_get_public(id))) != TAMGA_OK)
        goto out;
    if ((rc = tamga_case_list_recordings(c, &rids, &nr)) != TAMGA_OK)
        goto out;
    if (o->n_recordings > 0 && (rc = select_recordings(o, rids, &nr)) != TAMGA_OK)
        goto out;
    char *sd = tamga_path_join(dir, "signers");
    char *bd = tamga_path_join(dir, "branches");
    rc = sd && bd ? tamga__list_dir(sd, tamga__is_pub_name, 0, 1, &signers, &ns) : TAMGA_ERR_NOMEM;
    if (rc == TAMGA_OK)
        rc = tamga__list_dir(bd, is_branch, 0, 1, &branches, &nb);
    free(sd);
    free(bd);
    if (rc != TAMGA_OK)
        goto out;
    verify = tamga__bundle_verify_txt(c, id, rids, nr, b.top,
                                      (o->flags & TAMGA_BUNDLE_PLAIN_AUDIO) != 0);
    if (verify == NULL) {
        rc = TAMGA_ERR_NOMEM;
        goto out;
    }
    progress_sink ps = {sink, user, o, 0, 0, 0};
    if (o->progress != NULL) {
        ps.total = estimate_tar(dir, o, rids, nr, signers, ns, branches, nb, strlen(verify));
        sink = progress_write;
        user = &ps;
    }
    if ((rc = tamga__tar_writer_new(sink, user, &b.w)) != TAMGA_OK)
        goto out;
    char rel[512], src[512];
    if ((rc = tamga__tar_add_dir(b.w, b.top)) != TAMGA_OK ||
        (rc = add_mem(&b, "VERIFY.txt", verify, strlen(verify), 0644)) != TAMGA_OK ||
        (rc = add_file(&b, dir, "case.json", "case.json", 0)) != TAMGA_OK ||
        (rc = add_file(&b, dir, "case.json.minisig", "case.json.minisig", 0)) != TAMGA_OK ||
        (rc = add_dir(&b, "signers")) != TAMGA_OK)
        goto out;
    for (size_t i = 0; i < ns && rc == TAMGA_OK; i++) {
        snprintf(rel, sizeof rel, "signers/%s", signers[i]);
        rc = add_file(&b, dir, rel, rel, 0);
    }
    if (rc == TAMGA_OK)
        rc = add_dir(&b, "keys");
    for (size_t i = 0; i < ns && rc == TAMGA_OK; i++) {
        snprintf(src, sizeof src, "signers/%s", signers[i]);
        snprintf(rel, sizeof rel, "keys/%s", signers[i]);
        rc = add_file(&b, dir, src, rel, 0);
    }
    if (rc == TAMGA_OK && (o->flags & TAMGA_BUNDLE_GRANT)) {
        rc = add_dir(&b, "keyholders");
        for (size_t i = 0; i < o->n_grant_to && rc == TAMGA_OK; i++) {
            uint8_t box[crypto_box_SEALBYTES + TAMGA_ENC_SK_BYTES];
            char kid[17];
            if (crypto_box_seal(box, case_sk, TAMGA_ENC_SK_BYTES, o->grant_to[i].enc_pk) != 0) {
                rc = tamga__fail(TAMGA_ERR_INVALID, "cannot seal the case key to a recipient");
                break;
            }
            tamga_keyid_format(o->grant_to[i].keynum, kid);
            snprintf(rel, sizeof rel, "keyholders/%s.box", kid);
            rc = add_mem(&b, rel, box, sizeof box, 0600);
        }
    }
    if (rc == TAMGA_OK)
        rc = add_dir(&b, "recordings");
    static const char *const suffixes[] = {".manifest.json", ".manifest.json.minisig", ".private",
                                           ".tamga"};
    for (size_t i = 0; i < nr && rc == TAMGA_OK; i++)
        for (size_t k = 0; k < 4 && rc == TAMGA_OK; k++) {
            snprintf(rel, sizeof rel, "recordings/%s%s", rids[i], suffixes[k]);
            rc = add_file(&b, dir, rel, rel, 1);
        }
    if (rc == TAMGA_OK)
        rc = add_file(&b, dir, "custody.jsonl", "custody.jsonl", 0);
    if (rc == TAMGA_OK)
        rc = add_file(&b, dir, "head.json", "head.json", 0);
    if (rc == TAMGA_OK)
        rc = add_file(&b, dir, "head.json.minisig", "head.json.minisig", 0);
    if (rc == TAMGA_OK && nb > 0)
        rc = add_dir(&b, "branches");
    static const char *const bfiles[] = {"custody.jsonl", "head.json", "head.json.minisig"};
    for (size_t i = 0; i < nb && rc == TAMGA_OK; i++) {
        snprintf(rel, sizeof rel, "branches/%s", branches[i]);
        rc = add_dir(&b, rel);
        for (size_t k = 0; k < 3 && rc == TAMGA_OK; k++) {
            snprintf(rel, sizeof rel, "branches/%s/%s", branches[i], bfiles[k]);
            rc = add_file(&b, dir, rel, rel, 0);
        }
    }
    if (rc == TAMGA_OK && (o->flags & TAMGA_BUNDLE_PLAIN_AUDIO)) {
        rc = add_dir(&b, "audio");
        for (size_t i = 0; i < nr && rc == TAMGA_OK; i++)
            rc = add_plain_audio(&b, c, case_sk, rids[i]);
    }
    if (rc == TAMGA_OK) {
        char name[512];
        snprintf(name, sizeof name, "%s/SHA256SUMS", b.top);
        rc = tamga__tar_add_mem(b.w, name, b.sums ? b.sums : "", b.sums_len, 0644);
    }
    if (rc == TAMGA_OK)
        rc = add_index(&b, c, id, o, rids, nr);
    if (rc == TAMGA_OK)
        rc = tamga__tar_writer_finish(b.w);
    if (rc == TAMGA_OK && o->progress != NULL) {
        ps.total = ps.done; /* the last call: done == total */
        rc = progress_report(&ps);
    }
out:
    tamga__tar_writer_free(b.w);
    if (case_sk != NULL)
        sodium_free(case_sk);
    tamga_strv_free(rids, nr);
    tamga_strv_free(signers, ns);
    tamga_strv_free(branches, nb);
    free(verify);
    free(b.sums);
    return rc;
}

char *tamga__bundle_verify_txt(const tamga_case *c, const tamga_identity *exporter, char **rids,
                               size_t n, const char *top, int plain)
{
    size_t cap = 8192 + n * 600;
    char *t = malloc(cap);
    if (t == NULL)
        return NULL;
    size_t len = 0;
#define PUT(...) len += (size_t)snprintf(t + len, cap - len, __VA_ARGS__)
    PUT("HOW TO CHECK THIS BUNDLE WITH STOCK TOOLS\n"
        "=========================================\n\n"
        "This folder holds a case recorded and sealed with tamga:\n"
        "  case \"%s\"\n  id %s\n  %zu recording%s\n\n",
        tamga_case_get_title(c), tamga_case_get_id_hex(c), n, n == 1 ? "" : "s");
    PUT("You need: age, tar, minisign, sha256sum (coreutils) and an Ogg Opus player\n"
        "(opusinfo from opus-tools, or any audio player). On Debian or Ubuntu:\n"
        "  sudo apt install age minisign opus-tools\n\n");
    PUT("1. Decrypt and unpack (key.txt holds your AGE-SECRET-KEY-1... line; `tamga id\n"
        "   export-secret --age > key.txt` prints it from a tamga identity):\n"
        "     age -d -i key.txt BUNDLE.age | tar -x\n"
        "     cd %s\n\n",
        top);
    {
        char kid[17];
        tamga_keyid_format(tamga_identity_get_public(exporter)->keynum, kid);
        PUT("2. Check the bundle's signed index (BUNDLE.json: which recordings are in it,\n"
            "   and the SHA-256 of SHA256SUMS), signed by the person who exported it, key\n"
            "   %s:\n"
            "     minisign -Vm BUNDLE.json -p keys/%s.pub\n"
            "     sha256sum SHA256SUMS\n"
            "   minisign must print \"Signature and comment signature verified\", and the\n"
            "   hash must equal \"sha256sums_sha256\" in BUNDLE.json. Then check that no\n"
            "   file was changed since the bundle was made:\n"
            "     sha256sum -c SHA256SUMS\n"
            "   Every line must end in \"OK\". The recordings in recordings/ must be exactly\n"
            "   those listed under \"recordings\" in BUNDLE.json.\n\n",
            kid, kid);
    }
    PUT("3. Check who signed the case description and each recording's manifest. The\n"
        "   signers' public keys are in keys/<KEY-ID>.pub; the key id of each signature\n"
        "   is printed by minisign. Compare the key ids with the ones your partner gave\n"
        "   you by another channel (phone, in person): that is what makes them trusted.\n"
        "     minisign -Vm case.json -p keys/%s.pub\n",
        "CREATOR");
    {
        char kid[17];
        tamga_keyid_format(tamga_case_get_creator_keynum(c), kid);
        /* Replace the placeholder with the creator's key id. */
        char *ph = strstr(t, "CREATOR.pub");
        if (ph != NULL) {
            memmove(ph + 16, ph + 7, strlen(ph + 7) + 1);
            memcpy(ph, kid, 16);
            len = strlen(t);
        }
    }
    for (size_t i = 0; i < n; i++) {
        char *mp = NULL;
        char rel[128];
        snprintf(rel, sizeof rel, "recordings/%s.manifest.json", rids[i]);
        mp = tamga_path_join(tamga_case_get_dir(c), rel);
        uint8_t *text = NULL;
        size_t tl = 0;
        tamga_manifest m;
        memset(&m, 0, sizeof m);
        char kid[17] = "KEYID";
        if (mp != NULL && tamga_read_file(mp, TAMGA_BUNDLE_MAX_META, &text, &tl) == TAMGA_OK &&
            tamga_manifest_parse((const char *)text, tl, &m) == TAMGA_OK)
            tamga_keyid_format(m.signer_keynum, kid);
        tamga_manifest_clear(&m);
        free(text);
        free(mp);
        PUT("     minisign -Vm %s -p keys/%s.pub\n", rel, kid);
    }
    PUT("   Each must print \"Signature and comment signature verified\".\n\n");
    PUT("4. What a manifest says: recordings/<id>.manifest.json is plain JSON. It binds\n"
        "   the SHA-256 of the encrypted file (file_sha256) and of the audio\n"
        "   (audio_stream.sha256), times, audio parameters, consent and the previous\n"
        "   recording by the same signer. Check the encrypted file against it:\n"
        "     sha256sum recordings/<id>.tamga\n\n");
    if (plain)
        PUT("5. Listen: audio/<id>.opus is the decrypted recording. Its SHA-256 must equal\n"
            "   audio_stream.sha256 in the signed manifest:\n"
            "     sha256sum audio/<id>.opus\n"
            "     opusinfo audio/<id>.opus\n\n");
    else
        PUT("5. The recordings are encrypted to the case key (recordings/*.tamga); only a\n"
            "   keyholder of the case can listen to them, with `tamga decrypt`.\n\n");
    PUT("6. The custody log (custody.jsonl, one signed JSON object per line, each naming\n"
        "   the SHA-256 of the line before) and its signed head (head.json) record who\n"
        "   held the case and what they did. `tamga verify %s` checks all of\n"
        "   it, and every chain, in one step.\n\n"
        "   Note: the \"exported\" entry for this very bundle is written after the bundle\n"
        "   is complete, so it is not inside it.\n",
        top);
#undef PUT
    return t;
}
