/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the encrypted recording file (src/core/container-*.c).
 *
 * Run as `test-container --make-vectors DIR` to regenerate the known-answer
 * vector: randomness then comes from a fixed deterministic generator, so the
 * output is the same bytes every time (see docs/FORMAT.md (section 4)). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "testutil.h"

#include "container-internal.h"
#include "tamga/container.h"
#include "tamga/error.h"
#include "util.h"

static const char *self_path;

/* ---- deterministic randomness for the vector generator ---- */
static uint64_t det_counter;
static const char *det_name(void)
{
    return "tamga-test-deterministic";
}
static void det_buf(void *const buf, const size_t size)
{
    uint8_t seed[randombytes_SEEDBYTES] = {0};
    memcpy(seed, "tamga kat rng", 13);
    tamga_store_le64(seed + 24, det_counter++);
    randombytes_buf_deterministic(buf, size, seed);
}
static uint32_t det_random(void)
{
    uint32_t v;
    det_buf(&v, sizeof v);
    return v;
}
static struct randombytes_implementation det_impl = {
    .implementation_name = det_name, .random = det_random, .buf = det_buf};

/* ---- fixtures ---- */
static const int64_t KAT_CREATED_MS = 1700000000000;

static void kat_keys(uint8_t pk[32], uint8_t sk[32], uint8_t case_id[16], uint8_t rec_id[16])
{
    uint8_t seed[crypto_box_SEEDBYTES];
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)i;
    crypto_box_seed_keypair(pk, sk, seed);
    for (int i = 0; i < 16; i++) {
        case_id[i] = (uint8_t)i;
        rec_id[i] = (uint8_t)(0x10 + i);
    }
}

typedef struct {
    int stream;
    uint8_t *data;
    size_t len;
} msg;

typedef struct {
    msg *m;
    size_t n;
    int open_rc;
    tamga_rec_status status;
    uint64_t bad;
    tamga_rec_streams streams;
} walk;

static void walk_free(walk *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->m[i].data);
    free(w->m);
    memset(w, 0, sizeof *w);
}

static void walk_reader(tamga_rec_reader *r, walk *w)
{
    for (;;) {
        tamga_stream_id sid;
        const uint8_t *d;
        size_t len;
        int rc = tamga_rec_reader_next(r, &sid, &d, &len);
        assert_true(rc >= 0);
        if (rc == 0)
            break;
        w->m = realloc(w->m, (w->n + 1) * sizeof *w->m);
        assert_non_null(w->m);
        w->m[w->n].stream = (int)sid;
        w->m[w->n].data = malloc(len ? len : 1);
        assert_non_null(w->m[w->n].data);
        memcpy(w->m[w->n].data, d, len);
        w->m[w->n].len = len;
        w->n++;
    }
    w->status = tamga_rec_reader_status(r, &w->bad);
    tamga_rec_reader_streams(r, &w->streams);
}

static void walk_mem(const uint8_t *data, size_t len, const uint8_t *pk, const uint8_t *sk, walk *w)
{
    memset(w, 0, sizeof *w);
    tamga_rec_reader *r = NULL;
    w->open_rc = tamga__rec_reader_open_mem(data, len, pk, sk, &r);
    if (w->open_rc != TAMGA_OK) {
        assert_null(r);
        return;
    }
    walk_reader(r, w);
    tamga_rec_reader_free(r);
}

static void walk_file(const char *path, const uint8_t *pk, const uint8_t *sk, walk *w)
{
    memset(w, 0, sizeof *w);
    tamga_rec_reader *r = NULL;
    w->open_rc = tamga_rec_reader_open(path, pk, sk, &r);
    if (w->open_rc != TAMGA_OK) {
        assert_null(r);
        return;
    }
    walk_reader(r, w);
    tamga_rec_reader_free(r);
}

/* The first got->n messages of `got` equal those of `full`. */
static void assert_prefix(const walk *got, const walk *full)
{
    assert_true(got->n <= full->n);
    for (size_t i = 0; i < got->n; i++) {
        assert_int_equal(got->m[i].stream, full->m[i].stream);
        assert_int_equal(got->m[i].len, full->m[i].len);
        assert_memory_equal(got->m[i].data, full->m[i].data, full->m[i].len);
    }
}

/* The small file of the known-answer vector: A "hello" | O "orig" | A "world!" | FINAL. */
static void write_small(const char *path, const uint8_t *pk, const uint8_t *case_id,
                        const uint8_t *rec_id, int64_t created_ms, int finish)
{
    tamga_rec_writer *w = NULL;
    assert_int_equal(tamga__rec_writer_open_ex(path, pk, case_id, rec_id, created_ms, &w),
                     TAMGA_OK);
    assert_int_equal(tamga_rec_writer_push(w, TAMGA_STREAM_AUDIO, "hello", 5), TAMGA_OK);
    assert_int_equal(tamga_rec_writer_flush(w, 0), TAMGA_OK);
    assert_int_equal(tamga_rec_writer_push(w, TAMGA_STREAM_ORIGINAL, "orig", 4), TAMGA_OK);
    assert_int_equal(tamga_rec_writer_push(w, TAMGA_STREAM_AUDIO, "world!", 6), TAMGA_OK);
    if (finish)
        assert_int_equal(tamga_rec_writer_finish(w), TAMGA_OK);
    tamga_rec_writer_free(w);
}

static void random_keys(uint8_t pk[32], uint8_t sk[32], uint8_t case_id[16], uint8_t rec_id[16])
{
    crypto_box_keypair(pk, sk);
    randombytes_buf(case_id, 16);
    randombytes_buf(rec_id, 16);
}

static uint8_t *pattern(size_t len, unsigned seed)
{
    uint8_t *p = malloc(len ? len : 1);
    assert_non_null(p);
    randombytes_buf_deterministic(p, len, (const uint8_t[32]){(uint8_t)seed, 1, 2, 3});
    return p;
}

/* ---- tests ---- */

static void test_roundtrip(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("container-rt");
    char *path = tu_path(dir, "rt.tamga");
    uint8_t pk[32], sk[32], cid[16], rid[16];
    random_keys(pk, sk, cid, rid);

    static const struct {
        int stream;
        size_t len;
        int flush;
    } plan[] = {
        {1, 0, 0},      {1, 1, 0},      {1, 65535, 0}, {1, 1, 0},       {2, 65536, 0},
        {2, 65536, 0},  {1, 65537, 1},  {2, 3, 1},     {1, 1200000, 0}, {1, 0, 1},
        {2, 100000, 0}, {1, 300000, 0}, {2, 1, 0},
    };
    size_t np = sizeof plan / sizeof plan[0];
    uint8_t *expect[3] = {NULL, malloc(4000000), malloc(4000000)};
    size_t elen[3] = {0, 0, 0};
    assert_non_null(expect[1]);
    assert_non_null(expect[2]);

    int64_t before = tamga_now_ms();
    tamga_rec_writer *w = NULL;
    assert_int_equal(tamga_rec_writer_open(path, pk, cid, rid, &w), TAMGA_OK);
    assert_int_equal(tamga_rec_writer_bytes(w), TAMGA_REC_HEADER_V1);
    for (size_t i = 0; i < np; i++) {
        uint8_t *d = pattern(plan[i].len, (unsigned)i);
        assert_int_equal(tamga_rec_writer_push(w, (tamga_stream_id)plan[i].stream, d, plan[i].len),
                         TAMGA_OK);
        memcpy(expect[plan[i].stream] + elen[plan[i].stream], d, plan[i].len);
        elen[plan[i].stream] += plan[i].len;
        free(d);
        if (plan[i].flush)
            assert_int_equal(tamga_rec_writer_flush(w, 1), TAMGA_OK);
    }
    assert_int_equal(tamga_rec_writer_finish(w), TAMGA_OK);
    /* After finish, the writer refuses more. */
    assert_int_equal(tamga_rec_writer_push(w, TAMGA_STREAM_AUDIO, "x", 1), TAMGA_ERR_INVALID);
    assert_int_equal(tamga_rec_writer_finish(w), TAMGA_ERR_INVALID);

    uint8_t wsha[32], fsha[32];
    uint64_t fsize = 0;
    tamga_rec_streams ws;
    tamga_rec_writer_digest(w, wsha, &ws);
    assert_int_equal(tamga_sha256_file(path, fsha, &fsize), TAMGA_OK);
    assert_memory_equal(wsha, fsha, 32);
    assert_int_equal(tamga_rec_writer_bytes(w), fsize);
    assert_true(fsize > 1024 * 1024);
    tamga_rec_writer_free(w);

    for (int s = 1; s <= 2; s++) {
        uint8_t h[32];
        crypto_hash_sha256(h, expect[s], elen[s]);
        assert_int_equal(ws.plain_bytes[s], elen[s]);
        assert_memory_equal(ws.plain_sha256[s], h, 32);
    }
    assert_int_equal(ws.plain_bytes[0], 0);

    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    tamga_rec_header h;
    assert_int_equal(tamga_rec_read_header(path, &h), TAMGA_OK);
    assert_int_equal(h.version, 1);
    assert_int_equal(h.header_len, TAMGA_REC_HEADER_V1);
    assert_memory_equal(h.case_id, cid, 16);
    assert_memory_equal(h.recording_id, rid, 16);
    assert_true(h.created_ms >= before && h.created_ms <= tamga_now_ms());

    tamga_rec_scan_result sc;
    assert_int_equal(tamga_rec_scan(path, &sc), TAMGA_OK);
    assert_int_equal(sc.file_size, fsize);
    assert_int_equal(sc.framed_end, fsize);
    assert_true(sc.final_flag);
    assert_memory_equal(sc.header.case_id, cid, 16);

    walk wk;
    walk_file(path, pk, sk, &wk);
    assert_int_equal(wk.open_rc, TAMGA_OK);
    assert_int_equal(wk.status, TAMGA_REC_COMPLETE);
    assert_int_equal(wk.bad, fsize);
    assert_int_equal(sc.messages, wk.n + 1); /* + FINAL */
    size_t off[3] = {0, 0, 0};
    for (size_t i = 0; i < wk.n; i++) {
        int s = wk.m[i].stream;
        assert_true(s == 1 || s == 2);
        assert_true(wk.m[i].len >= 1 && wk.m[i].len <= TAMGA_REC_WRITER_CHUNK);
        assert_true(off[s] + wk.m[i].len <= elen[s]);
        assert_memory_equal(wk.m[i].data, expect[s] + off[s], wk.m[i].len);
        off[s] += wk.m[i].len;
    }
    assert_int_equal(off[1], elen[1]);
    assert_int_equal(off[2], elen[2]);
    assert_memory_equal(&wk.streams, &ws, sizeof ws);
    walk_free(&wk);

    /* The memory reader agrees with the file reader. */
    size_t n;
    uint8_t *buf = tu_read(path, &n);
    walk wm;
    walk_mem(buf, n, pk, sk, &wm);
    assert_int_equal(wm.status, TAMGA_REC_COMPLETE);
    assert_memory_equal(&wm.streams, &ws, sizeof ws);
    walk_free(&wm);
    free(buf);

    /* Never overwrites. */
    w = NULL;
    assert_int_equal(tamga_rec_writer_open(path, pk, cid, rid, &w), TAMGA_ERR_EXISTS);
    assert_null(w);

    free(expect[1]);
    free(expect[2]);
    tu_rm_rf(dir);
    free(path);
    free(dir);
}

static void test_message_sizes(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("container-sizes");
    char *path = tu_path(dir, "s.tamga");
    uint8_t pk[32], sk[32], cid[16], rid[16];
    random_keys(pk, sk, cid, rid);
    /* Exactly 64 KiB gives one full message; 64 KiB + 1 gives two. */
    tamga_rec_writer *w = NULL;
    uint8_t *d = pattern(65537, 7);
    assert_int_equal(tamga_rec_writer_open(path, pk, cid, rid, &w), TAMGA_OK);
    assert_int_equal(tamga_rec_writer_push(w, TAMGA_STREAM_AUDIO, d, 65536), TAMGA_OK);
    assert_int_equal(tamga_rec_writer_bytes(w), 160 + 4 + 1 + 65536 + 17);
    assert_int_equal(tamga_rec_writer_push(w, TAMGA_STREAM_AUDIO, d, 65537), TAMGA_OK);
    assert_int_equal(tamga_rec_writer_finish(w), TAMGA_OK);
    assert_int_equal(tamga_rec_writer_bytes(w),
                     160 + 2 * (4 + 1 + 65536 + 17) + (4 + 1 + 1 + 17) + (4 + 1 + 17));
    tamga_rec_writer_free(w);
    walk wk;
    walk_file(path, pk, sk, &wk);
    assert_int_equal(wk.status, TAMGA_REC_COMPLETE);
    assert_int_equal(wk.n, 3);
    assert_int_equal(wk.m[0].len, 65536);
    assert_int_equal(wk.m[1].len, 65536);
    assert_int_equal(wk.m[2].len, 1);
    assert_memory_equal(wk.m[1].data, d, 65536);
    assert_int_equal(wk.m[2].data[0], d[65536]);
    walk_free(&wk);

    /* An empty recording: header + FINAL only. */
    char *p2 = tu_path(dir, "empty.tamga");
    assert_int_equal(tamga_rec_writer_open(p2, pk, cid, rid, &w), TAMGA_OK);
    assert_int_equal(tamga_rec_writer_push(w, TAMGA_STREAM_ORIGINAL, d, 0), TAMGA_OK);
    assert_int_equal(tamga_rec_writer_push(w, (tamga_stream_id)0, d, 1), TAMGA_ERR_INVALID);
    assert_int_equal(tamga_rec_writer_push(w, (tamga_stream_id)3, d, 1), TAMGA_ERR_INVALID);
    assert_int_equal(tamga_rec_writer_flush(w, 1), TAMGA_OK);
    assert_int_equal(tamga_rec_writer_finish(w), TAMGA_OK);
    assert_int_equal(tamga_rec_writer_bytes(w), 160 + 4 + 18);
    tamga_rec_writer_free(w);
    walk_file(p2, pk, sk, &wk);
    assert_int_equal(wk.status, TAMGA_REC_COMPLETE);
    assert_int_equal(wk.n, 0);
    walk_free(&wk);

    free(d);
    tu_rm_rf(dir);
    free(p2);
    free(path);
    free(dir);
}

static void test_interrupted(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("container-int");
    char *path = tu_path(dir, "i.tamga");
    uint8_t pk[32], sk[32], cid[16], rid[16];
    random_keys(pk, sk, cid, rid);
    uint8_t *d = pattern(200000, 3);
    tamga_rec_writer *w = NULL;
    assert_int_equal(tamga_rec_writer_open(path, pk, cid, rid, &w), TAMGA_OK);
    assert_int_equal(tamga_rec_writer_push(w, TAMGA_STREAM_AUDIO, d, 100000), TAMGA_OK);
    assert_int_equal(tamga_rec_writer_flush(w, 1), TAMGA_OK);
    assert_int_equal(tamga_rec_writer_push(w, TAMGA_STREAM_ORIGINAL, d + 100000, 50000), TAMGA_OK);
    assert_int_equal(tamga_rec_writer_flush(w, 1), TAMGA_OK);
    uint64_t flushed = tamga_rec_writer_bytes(w);
    /* Pushed but never flushed: lost, as in a crash. */
    assert_int_equal(tamga_rec_writer_push(w, TAMGA_STREAM_AUDIO, d + 150000, 1000), TAMGA_OK);
    tamga_rec_writer_free(w);

    tamga_rec_scan_result sc;
    assert_int_equal(tamga_rec_scan(path, &sc), TAMGA_OK);
    assert_int_equal(sc.file_size, flushed);
    assert_int_equal(sc.framed_end, flushed);
    assert_int_equal(sc.messages, 3); /* 65536 + 34464 audio, 50000 original */
    assert_false(sc.final_flag);

    walk wk;
    walk_file(path, pk, sk, &wk);
    assert_int_equal(wk.open_rc, TAMGA_OK);
    assert_int_equal(wk.status, TAMGA_REC_INTERRUPTED);
    assert_int_equal(wk.bad, flushed);
    assert_int_equal(wk.streams.plain_bytes[1], 100000);
    assert_int_equal(wk.streams.plain_bytes[2], 50000);
    uint8_t h[32];
    crypto_hash_sha256(h, d, 100000);
    assert_memory_equal(wk.streams.plain_sha256[1], h, 32);
    crypto_hash_sha256(h, d + 100000, 50000);
    assert_memory_equal(wk.streams.plain_sha256[2], h, 32);
    walk_free(&wk);

    /* A zero-filled tail (what a filesystem may leave after a power cut) is a torn tail. */
    size_t n;
    uint8_t *buf = tu_read(path, &n);
    uint8_t *z = calloc(1, n + 5000);
    assert_non_null(z);
    memcpy(z, buf, n);
    walk_mem(z, n + 5000, pk, sk, &wk);
    assert_int_equal(wk.status, TAMGA_REC_INTERRUPTED);
    assert_int_equal(wk.bad, n);
    assert_int_equal(wk.n, 3);
    walk_free(&wk);
    /* ...but not when anything non-zero follows. */
    z[n + 4999] = 1;
    walk_mem(z, n + 5000, pk, sk, &wk);
    assert_int_equal(wk.status, TAMGA_REC_CORRUPT);
    assert_int_equal(wk.bad, n);
    assert_int_equal(wk.n, 3);
    walk_free(&wk);
    free(z);
    free(buf);
    free(d);
    tu_rm_rf(dir);
    free(path);
    free(dir);
}

/* Truncation at every length of the small file. */
static void test_truncate_every_length(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("container-trunc");
    char *path = tu_path(dir, "t.tamga");
    char *cut = tu_path(dir, "cut.tamga");
    uint8_t pk[32], sk[32], cid[16], rid[16];
    random_keys(pk, sk, cid, rid);
    write_small(path, pk, cid, rid, 1234, 1);
    size_t n;
    uint8_t *buf = tu_read(path, &n);
    walk full;
    walk_file(path, pk, sk, &full);
    assert_int_equal(full.status, TAMGA_REC_COMPLETE);
    assert_int_equal(full.n, 3);

    for (size_t len = 0; len < n; len++) {
        tu_write(cut, buf, len);
        tamga_rec_header h;
        int hrc = tamga_rec_read_header(cut, &h);
        walk wk;
        walk_file(cut, pk, sk, &wk);
        tamga_rec_scan_result sc;
        int src = tamga_rec_scan(cut, &sc);
        if (len < TAMGA_REC_HEADER_V1) {
            assert_int_equal(hrc, TAMGA_ERR_TRUNCATED);
            assert_int_equal(wk.open_rc, TAMGA_ERR_TRUNCATED);
            assert_int_equal(src, TAMGA_ERR_TRUNCATED);
        } else {
            assert_int_equal(hrc, TAMGA_OK);
            assert_int_equal(wk.open_rc, TAMGA_OK);
            assert_int_equal(src, TAMGA_OK);
            assert_int_equal(wk.status, TAMGA_REC_INTERRUPTED);
            assert_prefix(&wk, &full);
            assert_int_equal(wk.bad, sc.framed_end);
            assert_false(sc.final_flag);
            assert_true(sc.framed_end <= len);
        }
        walk_free(&wk);
        unlink(cut);
    }
    walk_free(&full);
    free(buf);
    tu_rm_rf(dir);
    free(cut);
    free(path);
    free(dir);
}

/* Flipping any byte never yields a complete read, and never releases data that was
 * not written. */
static void test_flip_every_byte(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("container-flip");
    char *path = tu_path(dir, "f.tamga");
    uint8_t pk[32], sk[32], cid[16], rid[16];
    random_keys(pk, sk, cid, rid);
    write_small(path, pk, cid, rid, 1234, 1);
    size_t n;
    uint8_t *buf = tu_read(path, &n);
    walk full;
    walk_mem(buf, n, pk, sk, &full);
    assert_int_equal(full.status, TAMGA_REC_COMPLETE);

    static const uint8_t masks[] = {0x01, 0x80, 0xff};
    for (size_t mi = 0; mi < sizeof masks; mi++) {
        for (size_t i = 0; i < n; i++) {
            buf[i] ^= masks[mi];
            walk wk;
            walk_mem(buf, n, pk, sk, &wk);
            if (wk.open_rc != TAMGA_OK) {
                assert_true(i < TAMGA_REC_HEADER_V1);
                assert_true(wk.open_rc == TAMGA_ERR_FORMAT || wk.open_rc == TAMGA_ERR_UNSUPPORTED ||
                            wk.open_rc == TAMGA_ERR_TOO_LARGE || wk.open_rc == TAMGA_ERR_AUTH);
            } else {
                if (wk.status == TAMGA_REC_COMPLETE)
                    fail_msg("flipping byte %zu with 0x%02x gave a complete read", i, masks[mi]);
                assert_prefix(&wk, &full);
                if (i < TAMGA_REC_HEADER_V1)
                    assert_int_equal(wk.n, 0);
            }
            walk_free(&wk);
            tamga_rec_scan_result sc;
            (void)tamga__rec_scan_mem(buf, n, &sc);
            buf[i] ^= masks[mi];
        }
    }
    walk_free(&full);
    free(buf);
    tu_rm_rf(dir);
    free(path);
    free(dir);
}

/* Frames swapped, dropped, duplicated, or appended after FINAL. */
static void test_reorder(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("container-reorder");
    char *path = tu_path(dir, "r.tamga");
    uint8_t pk[32], sk[32], cid[16], rid[16];
    random_keys(pk, sk, cid, rid);
    write_small(path, pk, cid, rid, 1234, 1);
    size_t n;
    uint8_t *buf = tu_read(path, &n);
    /* Frames: A "hello" (4+23), O "orig" (4+22), A "world!" (4+24), FINAL (4+18). */
    const size_t f0 = 160, f1 = f0 + 27, f2 = f1 + 26, f3 = f2 + 28;
    assert_int_equal(f3 + 22, n);
    uint8_t *m = malloc(n + 64);
    assert_non_null(m);
    walk wk;

    /* swap frames 0 and 1 */
    memcpy(m, buf, f0);
    memcpy(m + f0, buf + f1, f2 - f1);
    memcpy(m + f0 + (f2 - f1), buf + f0, f1 - f0);
    memcpy(m + f2, buf + f2, n - f2);
    walk_mem(m, n, pk, sk, &wk);
    assert_int_equal(wk.status, TAMGA_REC_CORRUPT);
    assert_int_equal(wk.bad, f0);
    assert_int_equal(wk.n, 0);
    walk_free(&wk);

    /* drop frame 1 */
    memcpy(m, buf, f1);
    memcpy(m + f1, buf + f2, n - f2);
    walk_mem(m, n - (f2 - f1), pk, sk, &wk);
    assert_int_equal(wk.status, TAMGA_REC_CORRUPT);
    assert_int_equal(wk.bad, f1);
    assert_int_equal(wk.n, 1);
    walk_free(&wk);

    /* drop the FINAL frame: interrupted, not corrupt */
    walk_mem(buf, f3, pk, sk, &wk);
    assert_int_equal(wk.status, TAMGA_REC_INTERRUPTED);
    assert_int_equal(wk.bad, f3);
    assert_int_equal(wk.n, 3);
    walk_free(&wk);

    /* duplicate frame 0 */
    memcpy(m, buf, f1);
    memcpy(m + f1, buf + f0, f1 - f0);
    memcpy(m + f1 + (f1 - f0), buf + f1, n - f1);
    walk_mem(m, n + (f1 - f0), pk, sk, &wk);
    assert_int_equal(wk.status, TAMGA_REC_CORRUPT);
    assert_int_equal(wk.bad, f1);
    assert_int_equal(wk.n, 1);
    walk_free(&wk);

    /* any byte after FINAL, even a zero */
    memcpy(m, buf, n);
    m[n] = 0;
    walk_mem(m, n + 1, pk, sk, &wk);
    assert_int_equal(wk.status, TAMGA_REC_CORRUPT);
    assert_int_equal(wk.bad, n);
    assert_int_equal(wk.n, 3);
    walk_free(&wk);
    /* a whole copy of FINAL after FINAL */
    memcpy(m + n, buf + f3, n - f3);
    walk_mem(m, n + (n - f3), pk, sk, &wk);
    assert_int_equal(wk.status, TAMGA_REC_CORRUPT);
    assert_int_equal(wk.bad, n);
    walk_free(&wk);

    /* the same frames under another file's header (another key stream) */
    char *p2 = tu_path(dir, "r2.tamga");
    write_small(p2, pk, cid, rid, 1234, 1);
    size_t n2;
    uint8_t *b2 = tu_read(p2, &n2);
    memcpy(m, b2, f0);
    memcpy(m + f0, buf + f0, n - f0);
    walk_mem(m, n, pk, sk, &wk);
    assert_int_equal(wk.status, TAMGA_REC_CORRUPT);
    assert_int_equal(wk.bad, f0);
    walk_free(&wk);
    free(b2);
    free(p2);

    free(m);
    free(buf);
    tu_rm_rf(dir);
    free(path);
    free(dir);
}

static void test_bad_lengths(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("container-len");
    char *path = tu_path(dir, "l.tamga");
    uint8_t pk[32], sk[32], cid[16], rid[16];
    random_keys(pk, sk, cid, rid);
    write_small(path, pk, cid, rid, 1234, 1);
    size_t n;
    uint8_t *buf = tu_read(path, &n);
    uint8_t m[4096];
    walk wk;
    tamga_rec_scan_result sc;

    static const uint32_t bad[] = {
        0,
        1,
        17,
        0x80000000u | 17,
        0x80000000u,
        (1u << 20) + 19,
        0x7fffffffu,
        0xffffffffu,
        0x80000000u | ((1u << 20) + 19),
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memcpy(m, buf, 160);
        tamga_store_le32(m + 160, bad[i]);
        memset(m + 164, 0xAA, 200);
        walk_mem(m, 364, pk, sk, &wk);
        assert_int_equal(wk.open_rc, TAMGA_OK);
        assert_int_equal(wk.status, TAMGA_REC_CORRUPT);
        assert_int_equal(wk.bad, 160);
        walk_free(&wk);
        assert_int_equal(tamga__rec_scan_mem(m, 364, &sc), TAMGA_OK);
        assert_int_equal(sc.messages, 0);
        assert_int_equal(sc.framed_end, 160);
    }
    /* The largest legal length whose bytes are not all there is a torn tail. */
    memcpy(m, buf, 160);
    tamga_store_le32(m + 160, (1u << 20) + 18);
    walk_mem(m, 364, pk, sk, &wk);
    assert_int_equal(wk.status, TAMGA_REC_INTERRUPTED);
    assert_int_equal(wk.bad, 160);
    walk_free(&wk);

    /* Header problems. */
    tamga_rec_header h;
    memcpy(m, buf, 160);
    m[0] = 'X';
    assert_int_equal(tamga__rec_parse_header(m, 160, &h), TAMGA_ERR_FORMAT);
    memcpy(m, buf, 160);
    tamga_store_le16(m + 8, 2);
    assert_int_equal(tamga__rec_parse_header(m, 160, &h), TAMGA_ERR_UNSUPPORTED);
    tamga_store_le16(m + 8, 0);
    assert_int_equal(tamga__rec_parse_header(m, 160, &h), TAMGA_ERR_UNSUPPORTED);
    memcpy(m, buf, 160);
    tamga_store_le16(m + 10, 1);
    assert_int_equal(tamga__rec_parse_header(m, 160, &h), TAMGA_ERR_FORMAT);
    memcpy(m, buf, 160);
    tamga_store_le32(m + 12, 4097);
    assert_int_equal(tamga__rec_parse_header(m, 160, &h), TAMGA_ERR_TOO_LARGE);
    tamga_store_le32(m + 12, 161);
    assert_int_equal(tamga__rec_parse_header(m, 160, &h), TAMGA_ERR_FORMAT);
    tamga_store_le32(m + 12, 159);
    assert_int_equal(tamga__rec_parse_header(m, 160, &h), TAMGA_ERR_FORMAT);
    memcpy(m, buf, 160);
    assert_int_equal(tamga__rec_parse_header(m, 160, &h), TAMGA_OK);
    assert_int_equal(h.created_ms, 1234);
    assert_int_equal(tamga__rec_parse_header((const uint8_t *)"TAMGARE", 7, &h),
                     TAMGA_ERR_TRUNCATED);
    assert_int_equal(tamga__rec_parse_header((const uint8_t *)"OggS", 4, &h), TAMGA_ERR_FORMAT);
    assert_int_equal(tamga__rec_scan_mem(NULL, 0, &sc), TAMGA_ERR_TRUNCATED);
    tamga_rec_reader *r = NULL;
    assert_int_equal(tamga__rec_reader_open_mem(NULL, 0, pk, sk, &r), TAMGA_ERR_TRUNCATED);
    assert_null(r);

    free(buf);
    tu_rm_rf(dir);
    free(path);
    free(dir);
}

static void test_wrong_key(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("container-key");
    char *path = tu_path(dir, "k.tamga");
    uint8_t pk[32], sk[32], cid[16], rid[16], pk2[32], sk2[32];
    random_keys(pk, sk, cid, rid);
    crypto_box_keypair(pk2, sk2);
    write_small(path, pk, cid, rid, 1234, 1);
    tamga_rec_reader *r = (tamga_rec_reader *)&r;
    assert_int_equal(tamga_rec_reader_open(path, pk2, sk2, &r), TAMGA_ERR_AUTH);
    assert_null(r);
    assert_non_null(strstr(tamga_error_detail(), "k.tamga"));
    /* Right public key, wrong secret key. */
    assert_int_equal(tamga_rec_reader_open(path, pk, sk2, &r), TAMGA_ERR_AUTH);
    assert_null(r);
    assert_int_equal(tamga_rec_reader_open(path, pk, sk, &r), TAMGA_OK);
    assert_memory_equal(tamga_rec_reader_header(r)->recording_id, rid, 16);
    tamga_rec_reader_free(r);
    tamga_rec_reader_free(NULL);
    tamga_rec_writer_free(NULL);

    char *missing = tu_path(dir, "missing.tamga");
    assert_int_equal(tamga_rec_reader_open(missing, pk, sk, &r), TAMGA_ERR_NOT_FOUND);
    tamga_rec_scan_result sc;
    assert_int_equal(tamga_rec_scan(missing, &sc), TAMGA_ERR_NOT_FOUND);
    assert_int_equal(tamga_rec_scan(dir, &sc), TAMGA_ERR_IO);
    free(missing);
    tu_rm_rf(dir);
    free(path);
    free(dir);
}

/* A full disk (here: the file size limit) puts the writer in a failed state; what
 * reached the file stays readable as an interrupted recording. */
static void test_nospace(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("container-full");
    char *path = tu_path(dir, "full.tamga");
    uint8_t pk[32], sk[32], cid[16], rid[16];
    random_keys(pk, sk, cid, rid);
    uint8_t *d = pattern(400000, 9);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {150000, 150000};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(10);
        tamga_rec_writer *w = NULL;
        if (tamga_rec_writer_open(path, pk, cid, rid, &w) != TAMGA_OK)
            _exit(11);
        int rc = TAMGA_OK;
        for (size_t off = 0; off < 400000 && rc == TAMGA_OK; off += 20000) {
            rc = tamga_rec_writer_push(w, TAMGA_STREAM_AUDIO, d + off, 20000);
            if (rc == TAMGA_OK)
                rc = tamga_rec_writer_flush(w, 0);
        }
        if (rc != TAMGA_ERR_NOSPACE)
            _exit(12);
        if (tamga_rec_writer_push(w, TAMGA_STREAM_AUDIO, d, 1) != TAMGA_ERR_NOSPACE ||
            tamga_rec_writer_flush(w, 1) != TAMGA_ERR_NOSPACE ||
            tamga_rec_writer_finish(w) != TAMGA_ERR_NOSPACE)
            _exit(13);
        uint8_t wsha[32], fsha[32];
        tamga_rec_writer_digest(w, wsha, NULL);
        if (tamga_rec_writer_bytes(w) != 150000)
            _exit(14);
        if (tamga_sha256_file(path, fsha, NULL) != TAMGA_OK || memcmp(wsha, fsha, 32) != 0)
            _exit(15);
        tamga_rec_writer_free(w);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    walk wk;
    walk_file(path, pk, sk, &wk);
    assert_int_equal(wk.status, TAMGA_REC_INTERRUPTED);
    assert_true(wk.n >= 6);
    size_t off = 0;
    for (size_t i = 0; i < wk.n; i++) {
        assert_int_equal(wk.m[i].len, 20000);
        assert_memory_equal(wk.m[i].data, d + off, 20000);
        off += 20000;
    }
    walk_free(&wk);
    free(d);
    tu_rm_rf(dir);
    free(path);
    free(dir);
}

/* ---- files built from the spec with libsodium directly (an independent writer) ---- */

typedef struct {
    uint8_t *buf;
    size_t len;
    uint8_t h[32];
    crypto_secretstream_xchacha20poly1305_state st;
} crafted;

static void craft_begin(crafted *c, const uint8_t pk[32])
{
    uint8_t key[32];
    c->buf = malloc(160);
    assert_non_null(c->buf);
    memcpy(c->buf, "TAMGAREC\x01\x00\x00\x00\xa0\x00\x00\x00", 16);
    memset(c->buf + 16, 0x42, 32);
    tamga_store_le64(c->buf + 48, 99);
    crypto_secretstream_xchacha20poly1305_keygen(key);
    assert_int_equal(crypto_box_seal(c->buf + 56, key, 32, pk), 0);
    crypto_secretstream_xchacha20poly1305_init_push(&c->st, c->buf + 136, key);
    crypto_hash_sha256(c->h, c->buf, 160);
    c->len = 160;
}

static void craft_msg(crafted *c, int sid, const uint8_t *d, size_t n, unsigned char tag,
                      int flag_final)
{
    size_t clen = 1 + n + 17;
    c->buf = realloc(c->buf, c->len + 4 + clen);
    assert_non_null(c->buf);
    uint8_t *fh = c->buf + c->len;
    tamga_store_le32(fh, (uint32_t)clen | (flag_final ? 0x80000000u : 0));
    uint8_t *m = malloc(1 + n);
    assert_non_null(m);
    m[0] = (uint8_t)sid;
    if (n > 0)
        memcpy(m + 1, d, n);
    uint8_t ad[36];
    memcpy(ad, c->h, 32);
    memcpy(ad + 32, fh, 4);
    crypto_secretstream_xchacha20poly1305_push(&c->st, fh + 4, NULL, m, 1 + n, ad, 36, tag);
    free(m);
    c->len += 4 + clen;
}

enum { T_MSG = 0, T_PUSH = 1, T_REKEY = 2, T_FINAL = 3 };

static void crafted_expect(crafted *c, const uint8_t *pk, const uint8_t *sk,
                           tamga_rec_status status, uint64_t bad, size_t nmsg)
{
    walk wk;
    walk_mem(c->buf, c->len, pk, sk, &wk);
    assert_int_equal(wk.open_rc, TAMGA_OK);
    assert_int_equal(wk.status, status);
    assert_int_equal(wk.bad, bad);
    assert_int_equal(wk.n, nmsg);
    walk_free(&wk);
    free(c->buf);
    c->buf = NULL;
}

static void test_crafted(void **state)
{
    (void)state;
    uint8_t pk[32], sk[32], cid[16], rid[16];
    random_keys(pk, sk, cid, rid);
    const uint8_t *x = (const uint8_t *)"xyz";
    crafted c;
    const uint64_t m1 = 160 + 4 + 1 + 3 + 17; /* end of a 3-byte message */

    /* A file made from the spec alone reads back complete. */
    craft_begin(&c, pk);
    craft_msg(&c, 1, x, 3, T_MSG, 0);
    craft_msg(&c, 2, x, 1, T_MSG, 0);
    craft_msg(&c, 0, NULL, 0, T_FINAL, 1);
    crafted_expect(&c, pk, sk, TAMGA_REC_COMPLETE, c.len, 2);

    /* The largest message readers accept (1 MiB of data). */
    uint8_t *big = pattern(TAMGA_REC_MAX_MESSAGE, 5);
    craft_begin(&c, pk);
    craft_msg(&c, 1, big, TAMGA_REC_MAX_MESSAGE, T_MSG, 0);
    craft_msg(&c, 0, NULL, 0, T_FINAL, 1);
    walk wk;
    walk_mem(c.buf, c.len, pk, sk, &wk);
    assert_int_equal(wk.status, TAMGA_REC_COMPLETE);
    assert_int_equal(wk.n, 1);
    assert_int_equal(wk.m[0].len, TAMGA_REC_MAX_MESSAGE);
    assert_memory_equal(wk.m[0].data, big, TAMGA_REC_MAX_MESSAGE);
    walk_free(&wk);
    free(c.buf);
    free(big);

    /* stream id 0 outside FINAL; unknown stream id; a message without data */
    static const int bad_sid[] = {0, 3, 255};
    for (size_t i = 0; i < 3; i++) {
        craft_begin(&c, pk);
        craft_msg(&c, 1, x, 3, T_MSG, 0);
        craft_msg(&c, bad_sid[i], x, 3, T_MSG, 0);
        craft_msg(&c, 0, NULL, 0, T_FINAL, 1);
        crafted_expect(&c, pk, sk, TAMGA_REC_CORRUPT, m1, 1);
    }
    craft_begin(&c, pk);
    craft_msg(&c, 1, x, 3, T_MSG, 0);
    craft_msg(&c, 1, NULL, 0, T_MSG, 0);
    crafted_expect(&c, pk, sk, TAMGA_REC_CORRUPT, m1, 1);

    /* FINAL carrying data, or a stream id */
    craft_begin(&c, pk);
    craft_msg(&c, 1, x, 3, T_MSG, 0);
    craft_msg(&c, 1, x, 3, T_FINAL, 1);
    crafted_expect(&c, pk, sk, TAMGA_REC_CORRUPT, m1, 1);
    craft_begin(&c, pk);
    craft_msg(&c, 1, x, 3, T_MSG, 0);
    craft_msg(&c, 0, x, 1, T_FINAL, 1);
    crafted_expect(&c, pk, sk, TAMGA_REC_CORRUPT, m1, 1);
    craft_begin(&c, pk);
    craft_msg(&c, 1, x, 3, T_MSG, 0);
    craft_msg(&c, 1, NULL, 0, T_FINAL, 1);
    crafted_expect(&c, pk, sk, TAMGA_REC_CORRUPT, m1, 1);

    /* the FINAL bit disagreeing with the tag, either way */
    craft_begin(&c, pk);
    craft_msg(&c, 1, x, 3, T_MSG, 0);
    craft_msg(&c, 0, NULL, 0, T_FINAL, 0);
    crafted_expect(&c, pk, sk, TAMGA_REC_CORRUPT, m1, 1);
    craft_begin(&c, pk);
    craft_msg(&c, 1, x, 3, T_MSG, 0);
    craft_msg(&c, 1, x, 3, T_MSG, 1);
    crafted_expect(&c, pk, sk, TAMGA_REC_CORRUPT, m1, 1);

    /* tags tamga never uses */
    craft_begin(&c, pk);
    craft_msg(&c, 1, x, 3, T_MSG, 0);
    craft_msg(&c, 1, x, 3, T_PUSH, 0);
    crafted_expect(&c, pk, sk, TAMGA_REC_CORRUPT, m1, 1);
    craft_begin(&c, pk);
    craft_msg(&c, 1, x, 3, T_MSG, 0);
    craft_msg(&c, 1, x, 3, T_REKEY, 0);
    crafted_expect(&c, pk, sk, TAMGA_REC_CORRUPT, m1, 1);

    /* header fields are bound through H: change case_id after the fact */
    craft_begin(&c, pk);
    craft_msg(&c, 1, x, 3, T_MSG, 0);
    c.buf[20] ^= 1;
    crafted_expect(&c, pk, sk, TAMGA_REC_CORRUPT, 160, 0);
}

/* ---- known-answer vector ---- */

static void hex_of(const uint8_t *p, size_t n, char *out)
{
    tamga_hex_encode(p, n, out);
}

static int make_vectors(const char *dir)
{
    uint8_t pk[32], sk[32], cid[16], rid[16];
    kat_keys(pk, sk, cid, rid);
    char *path = tu_path(dir, "kat1.tamga");
    unlink(path);
    write_small(path, pk, cid, rid, KAT_CREATED_MS, 1);
    size_t n;
    uint8_t *buf = tu_read(path, &n);
    walk wk;
    walk_mem(buf, n, pk, sk, &wk);
    if (wk.status != TAMGA_REC_COMPLETE)
        return 1;
    char hx[256];
    json_t *j = json_object();
    json_object_set_new(j, "description",
                        json_string("tamga recording file v1 known-answer vector; made by "
                                    "`test-container --make-vectors DIR`"));
    hex_of(pk, 32, hx);
    json_object_set_new(j, "case_pk", json_string(hx));
    hex_of(sk, 32, hx);
    json_object_set_new(j, "case_sk", json_string(hx));
    hex_of(cid, 16, hx);
    json_object_set_new(j, "case_id", json_string(hx));
    hex_of(rid, 16, hx);
    json_object_set_new(j, "recording_id", json_string(hx));
    json_object_set_new(j, "created_ms", json_integer(KAT_CREATED_MS));
    json_t *msgs = json_array();
    for (size_t i = 0; i < wk.n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "stream", json_integer(wk.m[i].stream));
        hex_of(wk.m[i].data, wk.m[i].len, hx);
        json_object_set_new(o, "data_hex", json_string(hx));
        json_array_append_new(msgs, o);
    }
    json_object_set_new(j, "messages", msgs);
    json_t *streams = json_object();
    for (int s = 1; s <= 2; s++) {
        json_t *o = json_object();
        json_object_set_new(o, "bytes", json_integer((json_int_t)wk.streams.plain_bytes[s]));
        hex_of(wk.streams.plain_sha256[s], 32, hx);
        json_object_set_new(o, "sha256", json_string(hx));
        json_object_set_new(streams, s == 1 ? "1" : "2", o);
    }
    json_object_set_new(j, "streams", streams);
    uint8_t fsha[32];
    crypto_hash_sha256(fsha, buf, n);
    hex_of(fsha, 32, hx);
    json_object_set_new(j, "file_sha256", json_string(hx));
    json_object_set_new(j, "file_size", json_integer((json_int_t)n));
    char *jp = tu_path(dir, "kat1.json");
    int rc = json_dump_file(j, jp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    walk_free(&wk);
    free(jp);
    free(buf);
    free(path);
    return rc == 0 ? 0 : 1;
}

static void get_hex(json_t *j, const char *key, uint8_t *out, size_t n)
{
    assert_int_equal(tamga_json_get_hex(j, key, out, n, "kat1.json"), TAMGA_OK);
}

static void test_kat(void **state)
{
    (void)state;
    json_error_t err;
    json_t *j = json_load_file(TAMGA_TEST_VECTORS "/container/kat1.json", 0, &err);
    assert_non_null(j);
    uint8_t pk[32], sk[32], cid[16], rid[16], fsha[32];
    get_hex(j, "case_pk", pk, 32);
    get_hex(j, "case_sk", sk, 32);
    get_hex(j, "case_id", cid, 16);
    get_hex(j, "recording_id", rid, 16);
    get_hex(j, "file_sha256", fsha, 32);

    const char *path = TAMGA_TEST_VECTORS "/container/kat1.tamga";
    uint8_t got[32];
    uint64_t size;
    assert_int_equal(tamga_sha256_file(path, got, &size), TAMGA_OK);
    assert_memory_equal(got, fsha, 32);
    assert_int_equal(size, json_integer_value(json_object_get(j, "file_size")));

    tamga_rec_header h;
    assert_int_equal(tamga_rec_read_header(path, &h), TAMGA_OK);
    assert_memory_equal(h.case_id, cid, 16);
    assert_memory_equal(h.recording_id, rid, 16);
    assert_int_equal(h.created_ms, json_integer_value(json_object_get(j, "created_ms")));

    walk wk;
    walk_file(path, pk, sk, &wk);
    assert_int_equal(wk.open_rc, TAMGA_OK);
    assert_int_equal(wk.status, TAMGA_REC_COMPLETE);
    json_t *msgs = json_object_get(j, "messages");
    assert_int_equal(wk.n, json_array_size(msgs));
    for (size_t i = 0; i < wk.n; i++) {
        json_t *o = json_array_get(msgs, i);
        assert_int_equal(wk.m[i].stream, json_integer_value(json_object_get(o, "stream")));
        const char *hx = json_string_value(json_object_get(o, "data_hex"));
        assert_non_null(hx);
        assert_int_equal(strlen(hx), 2 * wk.m[i].len);
        uint8_t d[256];
        assert_int_equal(tamga_hex_decode(hx, strlen(hx), d, wk.m[i].len), TAMGA_OK);
        assert_memory_equal(d, wk.m[i].data, wk.m[i].len);
    }
    /* The plaintext, spelled out independently of the JSON. */
    assert_int_equal(wk.n, 3);
    assert_memory_equal(wk.m[0].data, "hello", 5);
    assert_memory_equal(wk.m[1].data, "orig", 4);
    assert_memory_equal(wk.m[2].data, "world!", 6);
    for (int s = 1; s <= 2; s++) {
        json_t *o = json_object_get(json_object_get(j, "streams"), s == 1 ? "1" : "2");
        uint8_t sh[32];
        get_hex(o, "sha256", sh, 32);
        assert_memory_equal(wk.streams.plain_sha256[s], sh, 32);
        assert_int_equal(wk.streams.plain_bytes[s],
                         json_integer_value(json_object_get(o, "bytes")));
    }
    uint8_t hw[32];
    crypto_hash_sha256(hw, (const uint8_t *)"helloworld!", 11);
    assert_memory_equal(wk.streams.plain_sha256[1], hw, 32);
    walk_free(&wk);

    /* A different key pair cannot open it. */
    sk[1] ^= 1; /* (bit 0 of byte 0 is clamped away by X25519) */
    tamga_rec_reader *r = NULL;
    assert_int_equal(tamga_rec_reader_open(path, pk, sk, &r), TAMGA_ERR_AUTH);
    json_decref(j);
}

/* The writer, run with the deterministic generator, reproduces the vector bit for bit. */
static void test_kat_regenerates(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("container-kat");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl(self_path, self_path, "--make-vectors", dir, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    char *p = tu_path(dir, "kat1.tamga");
    size_t n1, n2;
    uint8_t *a = tu_read(p, &n1);
    uint8_t *b = tu_read(TAMGA_TEST_VECTORS "/container/kat1.tamga", &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    free(a);
    free(b);
    free(p);
    tu_rm_rf(dir);
    free(dir);
}

int main(int argc, char **argv)
{
    self_path = argv[0];
    if (argc == 3 && strcmp(argv[1], "--make-vectors") == 0) {
        randombytes_set_implementation(&det_impl);
        if (tamga_init() != TAMGA_OK)
            return 1;
        return make_vectors(argv[2]);
    }
    if (tamga_init() != TAMGA_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_message_sizes),
        cmocka_unit_test(test_interrupted),
        cmocka_unit_test(test_truncate_every_length),
        cmocka_unit_test(test_flip_every_byte),
        cmocka_unit_test(test_reorder),
        cmocka_unit_test(test_bad_lengths),
        cmocka_unit_test(test_wrong_key),
        cmocka_unit_test(test_crafted),
        cmocka_unit_test(test_nospace),
        cmocka_unit_test(test_kat),
        cmocka_unit_test(test_kat_regenerates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
