/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bundles without the age layer: tar member checks, the bundle layout written
 * to memory and unpacked, SHA256SUMS, import as a new case, merging (no-op,
 * fast-forward, custody branches), contradictions, truncated tars. */
#define _GNU_SOURCE
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "bundle-internal.h"
#include "util.h"
#include "tamga/tamga.h"

/* ---- member checks ---- */

static int check(tamga__member_checker *k, const char *name, tamga__member_type t, int64_t size)
{
    return tamga__member_check(k, name, t, size, 0, NULL);
}

#define TOP          "tamga-bundle-0123456789ab"
#define PROGRESS_MIB (1u << 20)

static void test_member_names(void **state)
{
    (void)state;
    static const char *const good[] = {
        TOP "/case.json",
        TOP "/case.json.minisig",
        TOP "/signers/5F1C00000000000A.pub",
        TOP "/keys/5F1C00000000000A.pub",
        TOP "/keyholders/5F1C00000000000A.box",
        TOP "/recordings/0123456789abcdef0123456789abcdef.tamga",
        TOP "/recordings/0123456789abcdef0123456789abcdef.manifest.json",
        TOP "/recordings/0123456789abcdef0123456789abcdef.manifest.json.minisig",
        TOP "/recordings/0123456789abcdef0123456789abcdef.private",
        TOP "/audio/0123456789abcdef0123456789abcdef.opus",
        TOP "/custody.jsonl",
        TOP "/head.json",
        TOP "/head.json.minisig",
        TOP "/SHA256SUMS",
        TOP "/VERIFY.txt",
        TOP "/branches/5F1C00000000000A-12/custody.jsonl",
        TOP "/branches/5F1C00000000000A-12/head.json",
    };
    tamga__member_checker *k = tamga__member_checker_new();
    assert_int_equal(check(k, TOP "/", TAMGA__M_DIR, 0), TAMGA_OK);
    assert_int_equal(check(k, TOP "/signers/", TAMGA__M_DIR, 0), TAMGA_OK);
    assert_int_equal(check(k, TOP "/branches/5F1C00000000000A-12", TAMGA__M_DIR, 0), TAMGA_OK);
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_int_equal(check(k, good[i], TAMGA__M_FILE, 10), TAMGA_OK);
    assert_string_equal(tamga__member_checker_top(k), TOP);
    assert_true(tamga__member_checker_has(k, "case.json"));
    /* Duplicates. */
    assert_int_equal(check(k, TOP "/case.json", TAMGA__M_FILE, 10), TAMGA_ERR_FORMAT);
    assert_int_equal(check(k, TOP "/signers", TAMGA__M_DIR, 0), TAMGA_ERR_FORMAT);
    /* Another top folder. */
    assert_int_equal(check(k, "tamga-bundle-0123456789ac/case.json", TAMGA__M_FILE, 1),
                     TAMGA_ERR_FORMAT);
    tamga__member_checker_free(k);

    static const char *const bad[] = {
        "/etc/passwd",
        "../x",
        TOP "/../x",
        TOP "/./case.json",
        TOP "//case.json",
        TOP "/recordings/../../x",
        TOP "/case.json/",
        TOP "/other.txt",
        TOP "/recordings/x.tamga",
        TOP "/recordings/0123456789ABCDEF0123456789abcdef.tamga",
        TOP "/signers/5f1c00000000000a.pub",
        TOP "/signers/5F1C00000000000A.pub/x",
        TOP "/branches/5F1C00000000000A-012/custody.jsonl",
        TOP "/branches/5F1C00000000000A-1/other",
        TOP "/audio/0123456789abcdef0123456789abcdef.wav",
        TOP "/case.json\n",
        TOP "/case\\json",
        "tamga-bundle-xyz/case.json",
        "case.json",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        k = tamga__member_checker_new();
        int rc = check(k, bad[i], TAMGA__M_FILE, 10);
        if (rc == TAMGA_OK)
            fail_msg("accepted %s", bad[i]);
        assert_int_equal(rc, TAMGA_ERR_FORMAT);
        tamga__member_checker_free(k);
    }
    /* Types and sizes. */
    k = tamga__member_checker_new();
    assert_int_equal(check(k, TOP "/case.json", TAMGA__M_OTHER, 0), TAMGA_ERR_FORMAT);
    assert_int_equal(check(k, TOP "/case.json", TAMGA__M_FILE, TAMGA_BUNDLE_MAX_META + 1),
                     TAMGA_ERR_TOO_LARGE);
    assert_int_equal(check(k, TOP "/custody.jsonl", TAMGA__M_FILE, TAMGA_BUNDLE_MAX_SMALL + 1),
                     TAMGA_ERR_TOO_LARGE);
    assert_int_equal(check(k, TOP "/audio/0123456789abcdef0123456789abcdef.opus", TAMGA__M_FILE,
                           (int64_t)TAMGA_BUNDLE_MAX_MEMBER + 1),
                     TAMGA_ERR_TOO_LARGE);
    assert_int_equal(check(k, TOP "/case.json", TAMGA__M_FILE, -1), TAMGA_ERR_FORMAT);
    assert_int_equal(tamga__member_check(k,
                                         TOP "/recordings/0123456789abcdef0123456789abcdef.tamga",
                                         TAMGA__M_FILE, 2000, 1000, NULL),
                     TAMGA_ERR_NOSPACE);
    tamga__member_checker_free(k);
    /* Member count. */
    k = tamga__member_checker_new();
    char name[128];
    int rc = TAMGA_OK;
    for (unsigned i = 0; i <= TAMGA_BUNDLE_MAX_MEMBERS && rc == TAMGA_OK; i++) {
        snprintf(name, sizeof name, TOP "/recordings/%032x.tamga", i);
        rc = check(k, name, TAMGA__M_FILE, 1);
    }
    assert_int_equal(rc, TAMGA_ERR_TOO_LARGE);
    tamga__member_checker_free(k);
}

/* ---- bundles in memory ---- */

typedef struct {
    uint8_t *data;
    size_t len, cap, pos;
    size_t limit; /* source: stop after this many bytes */
} membuf;

static int mem_sink(void *user, const uint8_t *data, size_t len)
{
    membuf *m = user;
    if (m->len + len > m->cap) {
        m->cap = (m->len + len) * 2;
        m->data = realloc(m->data, m->cap);
        assert_non_null(m->data);
    }
    memcpy(m->data + m->len, data, len);
    m->len += len;
    return TAMGA_OK;
}

static long mem_source(void *user, uint8_t *buf, size_t len)
{
    membuf *m = user;
    size_t end = m->limit < m->len ? m->limit : m->len;
    size_t k = end - m->pos < len ? end - m->pos : len;
    memcpy(buf, m->data + m->pos, k);
    m->pos += k;
    return (long)k;
}

typedef struct {
    char *dir, *home1, *home2, *wav;
    tamga_identity *a, *b;
    tamga_case *c;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_int_equal(tamga_init(), TAMGA_OK);
    f->dir = tu_tmpdir("bundle");
    f->home1 = tu_path(f->dir, "office");
    f->home2 = tu_path(f->dir, "partner");
    f->wav = tu_path(f->dir, "in.wav");
    tu_write_sine_wav(f->wav, 48000, 1, 440.0, 1.0);
    assert_int_equal(tamga_identity_generate("Office", &f->a), TAMGA_OK);
    assert_int_equal(tamga_identity_generate("Partner", &f->b), TAMGA_OK);
    assert_int_equal(tamga_case_create(f->home1, f->a, "Case one", NULL, 0, 0, &f->c), TAMGA_OK);
    assert_int_equal(tamga_home_prepare(f->home2), TAMGA_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tamga_case_free(f->c);
    tamga_identity_free(f->a);
    tamga_identity_free(f->b);
    tu_rm_rf(f->dir);
    free(f->dir);
    free(f->home1);
    free(f->home2);
    free(f->wav);
    free(f);
    return 0;
}

static void record(fixture *f, tamga_case *c, const tamga_identity *id)
{
    tamga_record_options o = {.title = "Interview",
                              .language = "kk",
                              .consent = "anonymised",
                              .interviewee = "Witness 7",
                              .complexity = -1};
    tamga_record_result res;
    assert_int_equal(tamga_record_file(c, id, f->wav, &o, &res), TAMGA_OK);
}

static int verify_ok(const char *path)
{
    tamga_report *r = NULL;
    assert_int_equal(tamga_verify(path, NULL, 0, &r), TAMGA_OK);
    int ok = tamga_report_ok(r);
    if (!ok || getenv("TAMGA_TEST_VERBOSE")) {
        char *t = tamga_report_text(r);
        print_message("%s", t);
        free(t);
    }
    tamga_report_free(r);
    return ok;
}

static void write_bundle(const tamga_case *c, const tamga_identity *id, unsigned flags, membuf *m)
{
    tamga_bundle_export_opts o;
    memset(&o, 0, sizeof o);
    o.flags = flags;
    memset(m, 0, sizeof *m);
    assert_int_equal(tamga__bundle_write(c, id, &o, mem_sink, m), TAMGA_OK);
    m->limit = m->len;
}

/* Unpacks `m` into a staging folder of `home` and stores it. */
static int import_mem(const char *home, membuf *m, const tamga_identity *id, unsigned flags,
                      tamga_import_result *res)
{
    char *staging = NULL, *top = NULL;
    assert_int_equal(tamga__bundle_staging_new(home, &staging), TAMGA_OK);
    m->pos = 0;
    int rc = tamga__tar_unpack(mem_source, m, staging, 0, &top);
    if (rc == TAMGA_OK)
        rc = tamga__bundle_store(home, staging, top, id, flags, res);
    tu_rm_rf(staging);
    free(staging);
    free(top);
    return rc;
}

static char *case_dir(const char *home, const tamga_case *c)
{
    char rel[64];
    snprintf(rel, sizeof rel, "cases/%s", tamga_case_get_id_hex(c));
    return tu_path(home, rel);
}

static void test_roundtrip_and_merge(void **state)
{
    fixture *f = *state;
    record(f, f->c, f->a);
    membuf m;
    write_bundle(f->c, f->a, TAMGA_BUNDLE_PLAIN_AUDIO, &m);

    /* Unpacked, the bundle folder verifies, SHA256SUMS and plain audio included. */
    char *staging = NULL, *top = NULL;
    assert_int_equal(tamga__bundle_staging_new(f->home2, &staging), TAMGA_OK);
    assert_int_equal(tamga__tar_unpack(mem_source, &m, staging, 0, &top), TAMGA_OK);
    size_t files = 0;
    assert_int_equal(tamga__bundle_check_sums(top, &files), TAMGA_OK);
    assert_true(files >= 10);
    assert_true(verify_ok(top));
    /* A changed byte in the plain audio is caught. */
    char **ids;
    size_t n;
    assert_int_equal(tamga_case_list_recordings(f->c, &ids, &n), TAMGA_OK);
    assert_int_equal(n, 1);
    char rel[128];
    snprintf(rel, sizeof rel, "audio/%s.opus", ids[0]);
    char *ap = tu_path(top, rel);
    size_t alen;
    uint8_t *audio = tu_read(ap, &alen);
    audio[alen / 2] ^= 1;
    tu_write(ap, audio, alen);
    assert_int_equal(tamga__bundle_check_sums(top, NULL), TAMGA_ERR_AUTH);
    assert_false(verify_ok(top));
    free(audio);
    free(ap);
    tamga_strv_free(ids, n);
    tu_rm_rf(staging);
    free(staging);
    free(top);

    /* Import as a new case: verifies, "received" logged, no plain audio stored. */
    tamga_import_result res;
    assert_int_equal(import_mem(f->home2, &m, f->b, 0, &res), TAMGA_OK);
    assert_int_equal(res.new_case, 1);
    assert_int_equal(res.recordings_added, 1);
    char *d2 = case_dir(f->home2, f->c);
    assert_true(verify_ok(d2));
    char *audio_dir = tu_path(d2, "audio");
    assert_false(tamga_is_dir(audio_dir));
    free(audio_dir);

    /* The same bundle again: nothing new, still verifies. */
    assert_int_equal(import_mem(f->home2, &m, f->b, 0, &res), TAMGA_OK);
    assert_int_equal(res.new_case, 0);
    assert_int_equal(res.recordings_added, 0);
    assert_true(verify_ok(d2));
    free(m.data);

    /* Both sides go on: the office records again, the partner logs a note.
     * The office's log is kept beside as a branch. */
    record(f, f->c, f->a);
    tamga_case *c2 = NULL;
    assert_int_equal(tamga_case_open_dir(d2, &c2), TAMGA_OK);
    assert_int_equal(tamga_case_log_event(c2, f->b, "note", "{\"text\":\"listened\"}"), TAMGA_OK);
    write_bundle(f->c, f->a, 0, &m);
    /* Dry run: nothing changes. */
    uint64_t seq_before = 0;
    uint8_t sha_before[32];
    assert_int_equal(tamga_custody_head(d2, &seq_before, sha_before), TAMGA_OK);
    assert_int_equal(import_mem(f->home2, &m, f->b, TAMGA_BUNDLE_DRY_RUN, &res), TAMGA_OK);
    assert_int_equal(res.recordings_added, 1);
    assert_int_equal(res.branches_added, 1);
    uint64_t seq_after = 0;
    uint8_t sha_after[32];
    assert_int_equal(tamga_custody_head(d2, &seq_after, sha_after), TAMGA_OK);
    assert_int_equal(seq_before, seq_after);
    assert_memory_equal(sha_before, sha_after, 32);
    /* For real. */
    assert_int_equal(import_mem(f->home2, &m, f->b, 0, &res), TAMGA_OK);
    assert_int_equal(res.recordings_added, 1);
    assert_int_equal(res.branches_added, 1);
    assert_true(verify_ok(d2));
    free(m.data);

    /* The office records once more: the branch grows (fast-forward). */
    record(f, f->c, f->a);
    write_bundle(f->c, f->a, 0, &m);
    assert_int_equal(import_mem(f->home2, &m, f->b, 0, &res), TAMGA_OK);
    assert_int_equal(res.recordings_added, 1);
    assert_int_equal(res.branches_added, 0);
    assert_int_equal(res.logs_extended, 1);
    assert_true(verify_ok(d2));

    /* The partner's merged case goes back to the office: both histories kept. */
    membuf back;
    write_bundle(c2, f->b, 0, &back);
    char *d1 = case_dir(f->home1, f->c);
    assert_int_equal(import_mem(f->home1, &back, f->a, 0, &res), TAMGA_OK);
    assert_true(verify_ok(d1));
    free(back.data);
    free(d1);

    /* A contradiction: the same recording id with other bytes. */
    tamga_case_free(c2);
    free(m.data);
    write_bundle(f->c, f->a, 0, &m);
    char *staging2 = NULL, *top2 = NULL;
    assert_int_equal(tamga__bundle_staging_new(f->home2, &staging2), TAMGA_OK);
    m.pos = 0;
    assert_int_equal(tamga__tar_unpack(mem_source, &m, staging2, 0, &top2), TAMGA_OK);
    char *cj = tu_path(top2, "case.json");
    char *cj2 = tu_path(d2, "case.json");
    size_t cl;
    uint8_t *ct = tu_read(cj2, &cl);
    ct[cl - 3] ^= 1; /* the local case.json changed: contradiction */
    uint8_t *orig = tu_read(cj2, &cl);
    tu_write(cj2, ct, cl);
    assert_int_not_equal(tamga__bundle_store(f->home2, staging2, top2, f->b, 0, &res), TAMGA_OK);
    tu_write(cj2, orig, cl);
    free(ct);
    free(orig);
    free(cj);
    free(cj2);
    tu_rm_rf(staging2);
    free(staging2);
    free(top2);
    free(m.data);
    free(d2);
}

static void test_truncated_and_tampered(void **state)
{
    fixture *f = *state;
    record(f, f->c, f->a);
    membuf m;
    write_bundle(f->c, f->a, 0, &m);
    /* Every cut length (sampled) fails to import and leaves no case. A cut in
     * the final 1024 zero bytes (tar's end marker) loses nothing: the age
     * layer around a real bundle catches that one. */
    size_t step = m.len / 97 + 1;
    for (size_t cut = 0; cut < m.len - 1024; cut += step) {
        m.limit = cut;
        tamga_import_result res;
        int rc = import_mem(f->home2, &m, f->b, 0, &res);
        if (rc == TAMGA_OK)
            fail_msg("a bundle cut at %zu of %zu bytes was imported", cut, m.len);
        char *d2 = case_dir(f->home2, f->c);
        assert_false(tamga_is_dir(d2));
        free(d2);
    }
    m.limit = m.len;
    /* Flipped bytes (sampled) never import a changed case. */
    for (size_t off = 0; off < m.len; off += m.len / 61 + 1) {
        m.data[off] ^= 0x20;
        tamga_import_result res;
        int rc = import_mem(f->home2, &m, f->b, 0, &res);
        m.data[off] ^= 0x20;
        char *d2 = case_dir(f->home2, f->c);
        if (rc == TAMGA_OK) {
            /* Only harmless bytes (padding, tar metadata) may change. */
            assert_true(verify_ok(d2));
            tu_rm_rf(d2);
        }
        assert_false(tamga_is_dir(d2));
        free(d2);
    }
    free(m.data);
}

/* ---- the signed index (BUNDLE.json) ---- */

static char *unpack_fresh(fixture *f, membuf *m, char **staging)
{
    char *top = NULL;
    assert_int_equal(tamga__bundle_staging_new(f->home2, staging), TAMGA_OK);
    m->pos = 0;
    assert_int_equal(tamga__tar_unpack(mem_source, m, *staging, 0, &top), TAMGA_OK);
    return top;
}

static void drop_staging(char *staging, char *top)
{
    tu_rm_rf(staging);
    free(staging);
    free(top);
}

/* Removes recording `rid`'s files and its SHA256SUMS lines (a consistent SHA256SUMS). */
static void remove_recording(const char *top, const char *rid)
{
    static const char *const sfx[] = {".tamga", ".manifest.json", ".manifest.json.minisig",
                                      ".private"};
    char rel[128];
    for (size_t k = 0; k < 4; k++) {
        snprintf(rel, sizeof rel, "recordings/%s%s", rid, sfx[k]);
        char *p = tu_path(top, rel);
        unlink(p);
        free(p);
    }
    char *sp = tu_path(top, "SHA256SUMS");
    size_t len;
    char *t = (char *)tu_read(sp, &len);
    char *out = calloc(1, len + 1);
    size_t ol = 0;
    for (char *line = t; line < t + len;) {
        char *nl = memchr(line, '\n', (size_t)(t + len - line));
        size_t ll = (size_t)(nl - line) + 1;
        if (memmem(line, ll, rid, 32) == NULL) {
            memcpy(out + ol, line, ll);
            ol += ll;
        }
        line = nl + 1;
    }
    assert_true(ol < len);
    tu_write(sp, out, ol);
    free(out);
    free(t);
    free(sp);
}

static void resign_index(const char *top, const tamga_identity *id, const char *from,
                         const char *to)
{
    char *jp = tu_path(top, "BUNDLE.json");
    char *sp = tu_path(top, "BUNDLE.json.minisig");
    size_t len;
    char *t = (char *)tu_read(jp, &len);
    char *at = memmem(t, len, from, strlen(from));
    assert_non_null(at);
    assert_int_equal(strlen(from), strlen(to));
    memcpy(at, to, strlen(to));
    tu_write(jp, t, len);
    char *sig = NULL;
    assert_int_equal(tamga_minisig_sign(id, (const uint8_t *)t, len, "re-signed", &sig), TAMGA_OK);
    tu_write(sp, sig, strlen(sig));
    free(sig);
    free(t);
    free(jp);
    free(sp);
}

static void test_signed_index(void **state)
{
    fixture *f = *state;
    record(f, f->c, f->a);
    record(f, f->c, f->a);
    char **ids;
    size_t n;
    assert_int_equal(tamga_case_list_recordings(f->c, &ids, &n), TAMGA_OK);
    assert_int_equal(n, 2);
    /* A partial bundle: only the second recording. */
    tamga_bundle_export_opts o;
    memset(&o, 0, sizeof o);
    const char *only[] = {ids[1]};
    o.recordings = only;
    o.n_recordings = 1;
    membuf m;
    memset(&m, 0, sizeof m);
    assert_int_equal(tamga__bundle_write(f->c, f->a, &o, mem_sink, &m), TAMGA_OK);
    m.limit = m.len;
    membuf full;
    write_bundle(f->c, f->a, 0, &full);

    char *staging = NULL, *top = unpack_fresh(f, &m, &staging);
    char signer[17], kid[17];
    int known = 0;
    assert_int_equal(tamga__bundle_check_index(top, signer, &known), TAMGA_OK);
    tamga_keyid_format(tamga_identity_get_public(f->a)->keynum, kid);
    assert_string_equal(signer, kid);
    assert_true(known);
    assert_true(verify_ok(top));
    /* VERIFY.txt tells how to check the index with stock minisign. */
    char *vp = tu_path(top, "VERIFY.txt");
    size_t vl;
    char *vt = (char *)tu_read(vp, &vl);
    char want[128];
    snprintf(want, sizeof want, "minisign -Vm BUNDLE.json -p keys/%s.pub", kid);
    assert_non_null(memmem(vt, vl, want, strlen(want)));
    free(vt);
    free(vp);
    /* The included recording removed with its SHA256SUMS lines: SHA256SUMS is
     * consistent, but the signed index names it (and the old SHA256SUMS). */
    remove_recording(top, ids[1]);
    assert_int_equal(tamga__bundle_check_sums(top, NULL), TAMGA_OK);
    assert_int_equal(tamga__bundle_check_index(top, NULL, NULL), TAMGA_ERR_AUTH);
    assert_false(verify_ok(top));
    tamga_import_result res;
    assert_int_not_equal(tamga__bundle_store(f->home2, staging, top, f->b, 0, &res), TAMGA_OK);
    drop_staging(staging, top);
    /* Import's memo of the hashes it checked is gone once it returns. */
    {
        uint8_t sha[32];
        uint64_t sz = 0;
        char rel2[128];
        snprintf(rel2, sizeof rel2, "recordings/%s.tamga", ids[1]);
        char *rp = tu_path(tamga_case_get_dir(f->c), rel2);
        assert_int_equal(tamga__bundle_sha_memo(rp, sha, &sz), 0);
        free(rp);
    }

    /* The same in a whole bundle. */
    top = unpack_fresh(f, &full, &staging);
    assert_true(verify_ok(top));
    remove_recording(top, ids[0]);
    assert_int_equal(tamga__bundle_check_sums(top, NULL), TAMGA_OK);
    assert_int_equal(tamga__bundle_check_index(top, NULL, NULL), TAMGA_ERR_AUTH);
    assert_false(verify_ok(top));
    drop_staging(staging, top);

    /* A flipped byte in BUNDLE.json or its signature; a missing index. */
    static const char *const idx[] = {"BUNDLE.json", "BUNDLE.json.minisig"};
    for (size_t i = 0; i < 2; i++) {
        top = unpack_fresh(f, &m, &staging);
        char *p = tu_path(top, idx[i]);
        size_t len;
        uint8_t *t = tu_read(p, &len);
        /* (The first line of a .minisig is its untrusted comment.) */
        size_t from = i == 0 ? 0 : (size_t)((uint8_t *)memchr(t, '\n', len) - t) + 1;
        for (size_t off = from; off < len; off += len / 13 + 1) {
            t[off] ^= 0x01;
            tu_write(p, t, len);
            assert_int_not_equal(tamga__bundle_check_index(top, NULL, NULL), TAMGA_OK);
            assert_false(verify_ok(top));
            t[off] ^= 0x01;
        }
        tu_write(p, t, len);
        assert_true(verify_ok(top));
        unlink(p);
        assert_int_equal(tamga__bundle_check_index(top, NULL, NULL), TAMGA_ERR_AUTH);
        assert_false(verify_ok(top));
        assert_int_not_equal(tamga__bundle_store(f->home2, staging, top, f->b, 0, &res), TAMGA_OK);
        free(t);
        free(p);
        drop_staging(staging, top);
    }

    /* Re-signed by the exporter: an unknown version; the flags changed. */
    top = unpack_fresh(f, &m, &staging);
    resign_index(top, f->a, "\"version\":1", "\"version\":2");
    assert_int_equal(tamga__bundle_check_index(top, NULL, NULL), TAMGA_ERR_UNSUPPORTED);
    drop_staging(staging, top);
    top = unpack_fresh(f, &m, &staging);
    resign_index(top, f->a, "\"plain_audio\":false", "\"plain_audio\":true ");
    assert_int_equal(tamga__bundle_check_index(top, NULL, NULL), TAMGA_ERR_AUTH);
    drop_staging(staging, top);
    /* Re-signed by a key the bundle does not hold. */
    top = unpack_fresh(f, &m, &staging);
    resign_index(top, f->b, "\"version\":1", "\"version\":1");
    assert_int_equal(tamga__bundle_check_index(top, NULL, NULL), TAMGA_ERR_AUTH);
    assert_false(verify_ok(top));
    drop_staging(staging, top);

    tamga_strv_free(ids, n);
    free(m.data);
    free(full.data);
}

/* ---- export progress and cancelling ---- */

/* A 16-bit stereo 48 kHz WAV of white noise (deterministic), so that Opus at
 * 256 kbit/s fills its bitrate and the bundle passes a few MiB. */
static void write_noise_wav(const char *path, double seconds)
{
    uint32_t frames = (uint32_t)(48000 * seconds), bytes = frames * 4u;
    uint8_t *d = malloc(44u + bytes);
    assert_non_null(d);
    memcpy(d, "RIFF", 4);
    uint32_t v = 36u + bytes;
    memcpy(d + 4, &v, 4);
    memcpy(d + 8, "WAVEfmt ", 8);
    uint32_t fmt_len = 16, rate = 48000, byte_rate = 48000u * 4u;
    uint16_t pcm = 1, ch = 2, align = 4, bits = 16;
    memcpy(d + 16, &fmt_len, 4);
    memcpy(d + 20, &pcm, 2);
    memcpy(d + 22, &ch, 2);
    memcpy(d + 24, &rate, 4);
    memcpy(d + 28, &byte_rate, 4);
    memcpy(d + 32, &align, 2);
    memcpy(d + 34, &bits, 2);
    memcpy(d + 36, "data", 4);
    memcpy(d + 40, &bytes, 4);
    uint32_t x = 2463534242u;
    for (uint32_t i = 0; i < bytes; i += 2) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        int16_t s = (int16_t)((int32_t)(x & 0xffffu) - 32768) / 4;
        memcpy(d + 44 + i, &s, 2);
    }
    tu_write(path, d, 44u + bytes);
    free(d);
}

typedef struct {
    uint64_t last_done, last_total, first_total;
    unsigned calls, cancel_at; /* cancel_at: return 1 at this call (0: never) */
    int bad;                   /* a rule broken */
} progress_log;

static int on_progress(uint64_t done, uint64_t total, void *user)
{
    progress_log *p = user;
    p->calls++;
    if (p->calls == 1)
        p->first_total = total;
    if (done < p->last_done || done > total || (p->calls > 1 && done - p->last_done < 1000))
        p->bad = 1;
    p->last_done = done;
    p->last_total = total;
    return p->cancel_at != 0 && p->calls == p->cancel_at;
}

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static void test_export_progress(void **state)
{
    fixture *f = *state;
    char *noise = tu_path(f->dir, "noise.wav");
    write_noise_wav(noise, 25.0);
    tamga_record_options ro = {.bitrate = 256000, .complexity = 0};
    tamga_record_result res;
    for (int i = 0; i < 2; i++)
        assert_int_equal(tamga_record_file(f->c, f->a, noise, &ro, &res), TAMGA_OK);
    char *out_dir = tu_path(f->dir, "out");
    assert_int_equal(mkdir(out_dir, 0700), 0);
    char *out = tu_path(out_dir, "b.age");
    char *cdir = case_dir(f->home1, f->c);
    char *log = tu_path(cdir, "custody.jsonl");
    size_t log_len0 = 0;
    free(tu_read(log, &log_len0));

    tamga_bundle_export_opts o;
    memset(&o, 0, sizeof o);
    const uint8_t(*pk)[32] = (const uint8_t(*)[32])tamga_identity_get_public(f->b)->enc_pk;
    const char *label = "partner";
    o.recipients = pk;
    o.n_recipients = 1;
    o.recipient_labels = &label;
    o.flags = TAMGA_BUNDLE_PLAIN_AUDIO;
    progress_log pl;

    /* Cancelled at the second call, and at the very last call: no file, no event. */
    for (unsigned at = 2; at <= 3; at++) {
        memset(&pl, 0, sizeof pl);
        pl.cancel_at = at == 2 ? 2 : 0;
        o.progress = on_progress;
        o.progress_user = &pl;
        if (at == 3) {
            /* Find how many calls a whole export makes, then cancel at the last one. */
            progress_log count;
            memset(&count, 0, sizeof count);
            char *probe = tu_path(f->dir, "probe.age");
            o.progress_user = &count;
            assert_int_equal(tamga_bundle_export(f->c, f->a, &o, probe, NULL), TAMGA_OK);
            unlink(probe);
            free(probe);
            free(tu_read(log, &log_len0)); /* that export logged an event */
            pl.cancel_at = count.calls;
            o.progress_user = &pl;
        }
        uint8_t sha[32];
        memset(sha, 0xaa, sizeof sha);
        assert_int_equal(tamga_bundle_export(f->c, f->a, &o, out, sha), TAMGA_ERR_IO);
        assert_string_equal(tamga_error_detail(), "cancelled");
        assert_int_equal(pl.calls, pl.cancel_at);
        assert_false(tamga_file_exists(out));
        assert_int_equal(count_entries(out_dir), 0); /* no temporary file either */
        size_t log_len = 0;
        free(tu_read(log, &log_len));
        assert_int_equal(log_len, log_len0); /* no "exported" event */
        for (size_t i = 0; i < 32; i++)
            assert_int_equal(sha[i], 0);
    }

    /* A whole export: several calls, monotonic, never past the total, the
     * estimate within 2% of the real size, the last call at done == total. */
    memset(&pl, 0, sizeof pl);
    o.progress_user = &pl;
    assert_int_equal(tamga_bundle_export(f->c, f->a, &o, out, NULL), TAMGA_OK);
    assert_false(pl.bad);
    assert_true(pl.calls >= 3);
    assert_int_equal(pl.last_done, pl.last_total);
    assert_true(pl.last_done > 2u * PROGRESS_MIB);
    double ratio = (double)pl.first_total / (double)pl.last_total;
    if (getenv("TAMGA_TEST_VERBOSE"))
        print_message("progress: %u calls, estimate %llu, real %llu\n", pl.calls,
                      (unsigned long long)pl.first_total, (unsigned long long)pl.last_total);
    if (ratio < 0.98 || ratio > 1.02)
        fail_msg("estimate %llu, real %llu", (unsigned long long)pl.first_total,
                 (unsigned long long)pl.last_total);
    /* The tar is all there: the age file is its size plus age's framing. */
    size_t age_len = 0;
    free(tu_read(out, &age_len));
    assert_true(age_len > pl.last_total && age_len < pl.last_total + pl.last_total / 100 + 512);
    size_t log_len = 0;
    free(tu_read(log, &log_len));
    assert_true(log_len > log_len0);
    /* Never overwritten, and the progress callback is not even called. */
    memset(&pl, 0, sizeof pl);
    assert_int_equal(tamga_bundle_export(f->c, f->a, &o, out, NULL), TAMGA_ERR_EXISTS);
    assert_int_equal(pl.calls, 0);

    free(noise);
    free(out_dir);
    free(out);
    free(cdir);
    free(log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_member_names),
        cmocka_unit_test_setup_teardown(test_roundtrip_and_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_and_tampered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signed_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_progress, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
