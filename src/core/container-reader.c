/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading the encrypted recording file. Format: docs/FORMAT.md (section 4). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "container-internal.h"
#include "util.h"

/* A file (pread) or a memory buffer, read at explicit offsets. */
typedef struct {
    int fd; /* -1: memory */
    const uint8_t *mem;
    uint64_t size;
    const char *name;
} rec_src;

static int src_open(rec_src *s, const char *path)
{
    s->mem = NULL;
    s->name = path;
    s->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (s->fd < 0)
        return tamga__errno_fail("cannot open", path);
    struct stat st;
    if (fstat(s->fd, &st) != 0) {
        int rc = tamga__errno_fail("cannot stat", path);
        close(s->fd);
        s->fd = -1;
        return rc;
    }
    if (!S_ISREG(st.st_mode)) {
        close(s->fd);
        s->fd = -1;
        return tamga__fail(TAMGA_ERR_IO, "%s is not a regular file", path);
    }
    s->size = (uint64_t)st.st_size;
    return TAMGA_OK;
}

static void src_mem(rec_src *s, const uint8_t *data, size_t len)
{
    s->fd = -1;
    s->mem = data;
    s->size = len;
    s->name = "<memory>";
}

static void src_close(rec_src *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

/* Reads exactly n bytes at off; the caller has checked off + n <= size. */
static int src_pread(const rec_src *s, uint64_t off, uint8_t *buf, size_t n)
{
    if (n == 0)
        return TAMGA_OK;
    if (s->fd < 0) {
        memcpy(buf, s->mem + off, n);
        return TAMGA_OK;
    }
    while (n > 0) {
        ssize_t k = pread(s->fd, buf, n, (off_t)off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return tamga__errno_fail("cannot read", s->name);
        if (k == 0)
            return tamga__fail(TAMGA_ERR_IO, "%s shrank while being read (offset %llu)", s->name,
                               (unsigned long long)off);
        buf += k;
        off += (uint64_t)k;
        n -= (size_t)k;
    }
    return TAMGA_OK;
}

int tamga__rec_parse_header(const uint8_t *buf, size_t avail, tamga_rec_header *out)
{
    memset(out, 0, sizeof *out);
    size_t m = avail < TAMGA_REC_MAGIC_LEN ? avail : TAMGA_REC_MAGIC_LEN;
    if (m > 0 && memcmp(buf, TAMGA_REC_MAGIC, m) != 0)
        return tamga__fail(TAMGA_ERR_FORMAT, "not a tamga recording (bad magic at offset 0)");
    if (avail < TAMGA_REC_OFF_HEADER_LEN + 4)
        return tamga__fail(TAMGA_ERR_TRUNCATED, "recording header ends at offset %zu", avail);
    uint16_t version = tamga_load_le16(buf + TAMGA_REC_OFF_VERSION);
    if (version != TAMGA_REC_VERSION)
        return tamga__fail(TAMGA_ERR_UNSUPPORTED, "recording format version %u (offset 8)",
                           (unsigned)version);
    uint16_t flags = tamga_load_le16(buf + TAMGA_REC_OFF_FLAGS);
    if (flags != 0)
        return tamga__fail(TAMGA_ERR_FORMAT, "recording header flags 0x%04x must be 0 (offset 10)",
                           (unsigned)flags);
    uint32_t hlen = tamga_load_le32(buf + TAMGA_REC_OFF_HEADER_LEN);
    if (hlen > TAMGA_REC_HEADER_MAX)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "recording header_len %lu exceeds %u (offset 12)",
                           (unsigned long)hlen, TAMGA_REC_HEADER_MAX);
    if (hlen != TAMGA_REC_HEADER_V1)
        return tamga__fail(TAMGA_ERR_FORMAT, "recording header_len %lu, v1 needs %u (offset 12)",
                           (unsigned long)hlen, TAMGA_REC_HEADER_V1);
    if (avail < TAMGA_REC_HEADER_V1)
        return tamga__fail(TAMGA_ERR_TRUNCATED, "recording header ends at offset %zu of %u", avail,
                           TAMGA_REC_HEADER_V1);
    out->version = version;
    out->header_len = hlen;
    memcpy(out->case_id, buf + TAMGA_REC_OFF_CASE_ID, TAMGA_ID_BYTES);
    memcpy(out->recording_id, buf + TAMGA_REC_OFF_REC_ID, TAMGA_ID_BYTES);
    out->created_ms = (int64_t)tamga_load_le64(buf + TAMGA_REC_OFF_CREATED);
    return TAMGA_OK;
}

/* Reads the header bytes of `s` into hdr (TAMGA_REC_HEADER_V1 bytes) and parses them. */
static int read_header(const rec_src *s, uint8_t hdr[TAMGA_REC_HEADER_V1], tamga_rec_header *out)
{
    size_t avail = s->size < TAMGA_REC_HEADER_V1 ? (size_t)s->size : TAMGA_REC_HEADER_V1;
    memset(hdr, 0, TAMGA_REC_HEADER_V1);
    int rc = src_pread(s, 0, hdr, avail);
    if (rc == TAMGA_OK)
        rc = tamga__rec_parse_header(hdr, avail, out);
    if (rc != TAMGA_OK) {
        memset(out, 0, sizeof *out);
        return tamga__fail(rc, "%s: %s", s->name, tamga_error_detail());
    }
    return TAMGA_OK;
}

int tamga_rec_read_header(const char *path, tamga_rec_header *out)
{
    rec_src s;
    uint8_t hdr[TAMGA_REC_HEADER_V1];
    memset(out, 0, sizeof *out);
    int rc = src_open(&s, path);
    if (rc != TAMGA_OK)
        return rc;
    rc = read_header(&s, hdr, out);
    src_close(&s);
    return rc;
}

/* 1 when every byte from `off` to the end is zero: a filesystem can leave such a
 * tail after a power cut (size updated, data blocks never written). */
static int tail_is_zero(const rec_src *s, uint64_t off, int *err)
{
    uint8_t buf[4096];
    *err = TAMGA_OK;
    while (off < s->size) {
        size_t n = s->size - off < sizeof buf ? (size_t)(s->size - off) : sizeof buf;
        *err = src_pread(s, off, buf, n);
        if (*err != TAMGA_OK)
            return 0;
        for (size_t i = 0; i < n; i++)
            if (buf[i] != 0)
                return 0;
        off += n;
    }
    return 1;
}

static int scan_src(const rec_src *s, tamga_rec_scan_result *out)
{
    uint8_t hdr[TAMGA_REC_HEADER_V1];
    memset(out, 0, sizeof *out);
    int rc = read_header(s, hdr, &out->header);
    if (rc != TAMGA_OK)
        return rc;
    out->file_size = s->size;
    uint64_t pos = TAMGA_REC_HEADER_V1;
    out->framed_end = pos;
    while (s->size - pos >= TAMGA_REC_FRAME_HDR) {
        uint8_t fh[TAMGA_REC_FRAME_HDR];
        rc = src_pread(s, pos, fh, sizeof fh);
        if (rc != TAMGA_OK) {
            memset(out, 0, sizeof *out);
            return rc;
        }
        uint32_t v = tamga_load_le32(fh);
        uint32_t clen = v & TAMGA_REC_FRAME_LEN_MASK;
        if (clen < TAMGA_REC_MIN_CIPHER || clen > TAMGA_REC_MAX_CIPHER)
            break;
        if (s->size - pos - TAMGA_REC_FRAME_HDR < clen)
            break;
        pos += TAMGA_REC_FRAME_HDR + clen;
        out->messages++;
        out->framed_end = pos;
        out->final_flag = (v & TAMGA_REC_FRAME_FINAL) != 0;
    }
    return TAMGA_OK;
}

int tamga_rec_scan(const char *path, tamga_rec_scan_result *out)
{
    rec_src s;
    memset(out, 0, sizeof *out);
    int rc = src_open(&s, path);
    if (rc != TAMGA_OK)
        return rc;
    rc = scan_src(&s, out);
    src_close(&s);
    return rc;
}

int tamga__rec_scan_mem(const uint8_t *data, size_t len, tamga_rec_scan_result *out)
{
    rec_src s;
    src_mem(&s, data, len);
    return scan_src(&s, out);
}

/* ---- decrypting reader ---- */

struct tamga_rec_reader {
    rec_src src;
    tamga_rec_header header;
    uint8_t header_hash[crypto_hash_sha256_BYTES];
    crypto_secretstream_xchacha20poly1305_state *ss; /* sodium_malloc */
    uint64_t pos;
    int done;
    tamga_rec_status status;
    uint64_t bad_offset;
    /* Buffers grow to the largest whole frame seen, never past TAMGA_REC_MAX_CIPHER. */
    uint8_t *cbuf; /* malloc: ciphertext */
    uint8_t *pbuf; /* sodium_malloc: plaintext */
    size_t cap;
    size_t plen; /* plaintext bytes in pbuf, wiped at the next call */
    crypto_hash_sha256_state stream_sha[TAMGA_STREAM_MAX + 1];
    uint64_t stream_bytes[TAMGA_STREAM_MAX + 1];
};

static int reader_open_src(tamga_rec_reader *r, const uint8_t case_pk[TAMGA_ENC_PK_BYTES],
                           const uint8_t case_sk[TAMGA_ENC_SK_BYTES])
{
    uint8_t hdr[TAMGA_REC_HEADER_V1];
    int rc = read_header(&r->src, hdr, &r->header);
    if (rc != TAMGA_OK)
        return rc;
    r->ss = sodium_malloc(sizeof *r->ss);
    uint8_t *key = sodium_malloc(crypto_secretstream_xchacha20poly1305_KEYBYTES);
    if (r->ss == NULL || key == NULL) {
        if (key != NULL)
            sodium_free(key);
        return tamga__fail(TAMGA_ERR_NOMEM, "out of memory reading %s", r->src.name);
    }
    if (crypto_box_seal_open(key, hdr + TAMGA_REC_OFF_SEALED, TAMGA_REC_SEALED_KEY, case_pk,
                             case_sk) != 0) {
        sodium_free(key);
        return tamga__fail(TAMGA_ERR_AUTH,
                           "%s: the sealed file key (offset 56) does not open with this case key",
                           r->src.name);
    }
    if (crypto_secretstream_xchacha20poly1305_init_pull(r->ss, hdr + TAMGA_REC_OFF_SS_HEADER,
                                                        key) != 0) {
        sodium_free(key);
        return tamga__fail(TAMGA_ERR_FORMAT, "%s: invalid stream header (offset 136)", r->src.name);
    }
    sodium_free(key);
    crypto_hash_sha256(r->header_hash, hdr, sizeof hdr);
    for (int i = 0; i <= TAMGA_STREAM_MAX; i++)
        crypto_hash_sha256_init(&r->stream_sha[i]);
    r->pos = TAMGA_REC_HEADER_V1;
    r->status = TAMGA_REC_INTERRUPTED;
    r->bad_offset = r->pos;
    return TAMGA_OK;
}

static int reader_finish_open(tamga_rec_reader *r, int rc, tamga_rec_reader **out)
{
    if (rc != TAMGA_OK) {
        tamga_rec_reader_free(r);
        return rc;
    }
    *out = r;
    return TAMGA_OK;
}

int tamga_rec_reader_open(const char *path, const uint8_t case_pk[TAMGA_ENC_PK_BYTES],
                          const uint8_t case_sk[TAMGA_ENC_SK_BYTES], tamga_rec_reader **out)
{
    *out = NULL;
    tamga_rec_reader *r = calloc(1, sizeof *r);
    if (r == NULL)
        return tamga__fail(TAMGA_ERR_NOMEM, "out of memory reading %s", path);
    r->src.fd = -1;
    int rc = src_open(&r->src, path);
    if (rc == TAMGA_OK)
        rc = reader_open_src(r, case_pk, case_sk);
    return reader_finish_open(r, rc, out);
}

int tamga__rec_reader_open_mem(const uint8_t *data, size_t len,
                               const uint8_t case_pk[TAMGA_ENC_PK_BYTES],
                               const uint8_t case_sk[TAMGA_ENC_SK_BYTES], tamga_rec_reader **out)
{
    *out = NULL;
    tamga_rec_reader *r = calloc(1, sizeof *r);
    if (r == NULL)
        return tamga__fail(TAMGA_ERR_NOMEM, "out of memory reading <memory>");
    src_mem(&r->src, data, len);
    return reader_finish_open(r, reader_open_src(r, case_pk, case_sk), out);
}

static int end_walk(tamga_rec_reader *r, tamga_rec_status status, uint64_t offset)
{
    r->done = 1;
    r->status = status;
    r->bad_offset = offset;
    if (status == TAMGA_REC_CORRUPT)
        tamga__fail(TAMGA_ERR_AUTH, "%s: message at offset %llu is corrupt", r->src.name,
                    (unsigned long long)offset);
    return 0;
}

static int grow(tamga_rec_reader *r, size_t need)
{
    if (need <= r->cap)
        return TAMGA_OK;
    uint8_t *c = malloc(need);
    uint8_t *p = sodium_malloc(need);
    if (c == NULL || p == NULL) {
        free(c);
        if (p != NULL)
            sodium_free(p);
        return tamga__fail(TAMGA_ERR_NOMEM, "out of memory reading %s", r->src.name);
    }
    free(r->cbuf);
    if (r->pbuf != NULL)
        sodium_free(r->pbuf);
    r->cbuf = c;
    r->pbuf = p;
    r->cap = need;
    return TAMGA_OK;
}

int tamga_rec_reader_next(tamga_rec_reader *r, tamga_stream_id *stream, const uint8_t **data,
                          size_t *len)
{
    *stream = 0;
    *data = NULL;
    *len = 0;
    if (r->plen > 0) {
        sodium_memzero(r->pbuf, r->plen);
        r->plen = 0;
    }
    if (r->done)
        return 0;
    const rec_src *s = &r->src;
    uint64_t pos = r->pos;
    uint64_t left = s->size - pos;
    if (left < TAMGA_REC_FRAME_HDR) /* clean end (0) or a torn frame header */
        return end_walk(r, TAMGA_REC_INTERRUPTED, pos);

    uint8_t ad[TAMGA_REC_AD_LEN];
    uint8_t *fh = ad + sizeof r->header_hash;
    memcpy(ad, r->header_hash, sizeof r->header_hash);
    int rc = src_pread(s, pos, fh, TAMGA_REC_FRAME_HDR);
    if (rc != TAMGA_OK)
        return rc;
    uint32_t v = tamga_load_le32(fh);
    uint32_t clen = v & TAMGA_REC_FRAME_LEN_MASK;
    int flagged_final = (v & TAMGA_REC_FRAME_FINAL) != 0;
    if (clen < TAMGA_REC_MIN_CIPHER || clen > TAMGA_REC_MAX_CIPHER) {
        int err;
        if (v == 0 && tail_is_zero(s, pos, &err))
            return end_walk(r, TAMGA_REC_INTERRUPTED, pos);
        if (v == 0 && err != TAMGA_OK)
            return err;
        return end_walk(r, TAMGA_REC_CORRUPT, pos);
    }
    if (left - TAMGA_REC_FRAME_HDR < clen) /* torn tail: the last frame was cut short */
        return end_walk(r, TAMGA_REC_INTERRUPTED, pos);

    rc = grow(r, clen);
    if (rc != TAMGA_OK)
        return rc;
    rc = src_pread(s, pos + TAMGA_REC_FRAME_HDR, r->cbuf, clen);
    if (rc != TAMGA_OK)
        return rc;
    unsigned long long mlen = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(r->ss, r->pbuf, &mlen, &tag, r->cbuf, clen, ad,
                                                   sizeof ad) != 0)
        return end_walk(r, TAMGA_REC_CORRUPT, pos);
    r->plen = (size_t)mlen;
    int is_final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    if ((tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE && !is_final) ||
        is_final != flagged_final)
        return end_walk(r, TAMGA_REC_CORRUPT, pos);
    uint8_t sid = r->pbuf[0];
    uint64_t next = pos + TAMGA_REC_FRAME_HDR + clen;
    if (is_final) {
        if (sid != 0 || mlen != 1)
            return end_walk(r, TAMGA_REC_CORRUPT, pos);
        r->pos = next;
        if (next != s->size) /* nothing may follow FINAL */
            return end_walk(r, TAMGA_REC_CORRUPT, next);
        return end_walk(r, TAMGA_REC_COMPLETE, next);
    }
    if (sid < TAMGA_STREAM_AUDIO || sid > TAMGA_STREAM_MAX || mlen < 2)
        return end_walk(r, TAMGA_REC_CORRUPT, pos);
    r->pos = next;
    r->bad_offset = next;
    crypto_hash_sha256_update(&r->stream_sha[sid], r->pbuf + 1, (size_t)mlen - 1);
    r->stream_bytes[sid] += mlen - 1;
    *stream = (tamga_stream_id)sid;
    *data = r->pbuf + 1;
    *len = (size_t)mlen - 1;
    return 1;
}

tamga_rec_status tamga_rec_reader_status(const tamga_rec_reader *r, uint64_t *bad_offset)
{
    if (bad_offset != NULL)
        *bad_offset = r->bad_offset;
    return r->status;
}

const tamga_rec_header *tamga_rec_reader_header(const tamga_rec_reader *r)
{
    return &r->header;
}

void tamga_rec_reader_streams(const tamga_rec_reader *r, tamga_rec_streams *out)
{
    crypto_hash_sha256_state st;
    for (int i = 0; i <= TAMGA_STREAM_MAX; i++) {
        st = r->stream_sha[i];
        crypto_hash_sha256_final(&st, out->plain_sha256[i]);
        out->plain_bytes[i] = r->stream_bytes[i];
    }
    sodium_memzero(&st, sizeof st);
}

void tamga_rec_reader_free(tamga_rec_reader *r)
{
    if (r == NULL)
        return;
    src_close(&r->src);
    if (r->ss != NULL)
        sodium_free(r->ss);
    if (r->pbuf != NULL)
        sodium_free(r->pbuf);
    free(r->cbuf);
    sodium_memzero(r, sizeof *r);
    free(r);
}
