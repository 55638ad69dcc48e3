/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checking that an Ogg Opus stream decodes completely. libopusfile decodes it
 * as an unseekable stream; beside it, every byte it reads also goes through a
 * strict Ogg page scanner, because libopusfile quietly skips what it cannot
 * use (junk between pages, a last page with a bad checksum, a cut-off tail,
 * bytes after the end). A recording must be one logical stream of whole,
 * intact pages from the first (BOS) to the last (EOS), with nothing after. */
#include "tamga/audio.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <opus/opusfile.h>

#include "audio-internal.h"
#include "util.h"

#define OGG_HEADER   27
#define PCM_FRAMES   5760 /* 120 ms at 48 kHz: the longest Opus packet */
#define OGG_FLAG_CNT 0x01
#define OGG_FLAG_BOS 0x02
#define OGG_FLAG_EOS 0x04

typedef struct {
    tamga_audio_read_fn read;
    void *user;
    int read_failed;
    int ended; /* `read` returned 0 */
    /* page scanner */
    uint8_t hdr[OGG_HEADER + 255];
    size_t hdr_have;
    uint64_t body_left;
    int in_body;
    uint32_t crc;
    uint64_t pages;
    uint64_t offset; /* of the byte being scanned */
    uint64_t page_offset;
    uint32_t serial;
    uint32_t first_seq;
    int saw_eos;
    int bad; /* the scanner found a fault: detail already recorded */
} check_ctx;

static uint32_t crc_table[256];

static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

/* Ogg's CRC-32: polynomial 0x04c11db7, MSB first, initial value 0. */
static void crc_make_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t r = i << 24;
        for (int k = 0; k < 8; k++)
            r = (r & 0x80000000u) ? (r << 1) ^ 0x04c11db7u : r << 1;
        crc_table[i] = r;
    }
}

static uint32_t crc_update(uint32_t crc, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        crc = (crc << 8) ^ crc_table[((crc >> 24) ^ p[i]) & 0xff];
    return crc;
}

static int scan_fail(check_ctx *c, const char *why)
{
    c->bad = 1;
    return tamga__fail(TAMGA_ERR_AUDIO, "Ogg page %llu at byte %llu: %s",
                       (unsigned long long)c->pages, (unsigned long long)c->page_offset, why);
}

static void page_done(check_ctx *c)
{
    if (c->hdr[5] & OGG_FLAG_EOS)
        c->saw_eos = 1;
    c->pages++;
    c->hdr_have = 0;
    c->in_body = 0;
}

/* Header complete: check it and start the body. */
static int header_done(check_ctx *c)
{
    const uint8_t *h = c->hdr;
    uint8_t flags = h[5];
    uint32_t serial = tamga_load_le32(h + 14);
    if (flags & ~(OGG_FLAG_CNT | OGG_FLAG_BOS | OGG_FLAG_EOS))
        return scan_fail(c, "unknown header flags");
    if (c->pages == 0 && !(flags & OGG_FLAG_BOS))
        return scan_fail(c, "the first page does not begin a stream");
    if (c->pages > 0 && (flags & OGG_FLAG_BOS))
        return scan_fail(c, "a second stream begins (chained or multiplexed streams are refused)");
    if (c->pages > 0 && serial != c->serial)
        return scan_fail(c, "page of another logical stream");
    uint32_t seq = tamga_load_le32(h + 18);
    if (c->pages == 0)
        c->first_seq = seq;
    else if (seq != (uint32_t)(c->first_seq + c->pages))
        return scan_fail(c, "page sequence number out of order (a page is missing)");
    c->serial = serial;
    uint64_t body = 0;
    for (size_t i = 0; i < h[26]; i++)
        body += h[OGG_HEADER + i];
    uint8_t zero[4] = {0, 0, 0, 0};
    c->crc = crc_update(0, h, 22);
    c->crc = crc_update(c->crc, zero, 4);
    c->crc = crc_update(c->crc, h + 26, 1 + (size_t)h[26]);
    c->body_left = body;
    c->in_body = 1;
    return TAMGA_OK;
}

static int scan(check_ctx *c, const uint8_t *p, size_t n)
{
    while (n > 0 && !c->bad) {
        if (!c->in_body) {
            if (c->hdr_have == 0) {
                c->page_offset = c->offset;
                if (c->saw_eos)
                    return scan_fail(c, "data after the end-of-stream page");
            }
            size_t need = c->hdr_have < OGG_HEADER ? OGG_HEADER : OGG_HEADER + c->hdr[26];
            size_t take = need - c->hdr_have < n ? need - c->hdr_have : n;
            memcpy(c->hdr + c->hdr_have, p, take);
            c->hdr_have += take;
            c->offset += take;
            p += take;
            n -= take;
            if (c->hdr_have == OGG_HEADER) {
                if (memcmp(c->hdr, "OggS", 4) != 0)
                    return scan_fail(c, "no Ogg capture pattern");
                if (c->hdr[4] != 0)
                    return scan_fail(c, "unknown Ogg version");
            }
            if (c->hdr_have >= OGG_HEADER && c->hdr_have == OGG_HEADER + (size_t)c->hdr[26]) {
                int rc = header_done(c);
                if (rc != TAMGA_OK)
                    return rc;
                if (c->body_left > 0)
                    continue;
            } else {
                continue;
            }
        } else {
            size_t take = c->body_left < n ? (size_t)c->body_left : n;
            c->crc = crc_update(c->crc, p, take);
            c->body_left -= take;
            c->offset += take;
            p += take;
            n -= take;
        }
        if (c->in_body && c->body_left == 0) {
            if (c->crc != tamga_load_le32(c->hdr + 22))
                return scan_fail(c, "checksum mismatch (the page is damaged)");
            page_done(c);
        }
    }
    return c->bad ? TAMGA_ERR_AUDIO : TAMGA_OK;
}

static int scan_end(check_ctx *c, unsigned flags)
{
    if (c->bad)
        return TAMGA_ERR_AUDIO;
    if (c->pages == 0 && c->hdr_have == 0)
        return tamga__fail(TAMGA_ERR_AUDIO, "the stream is empty");
    if (c->in_body || c->hdr_have > 0)
        return scan_fail(c, "the stream ends inside this page (truncated)");
    if (!c->saw_eos && !(flags & TAMGA_OPUS_ALLOW_TRUNCATED))
        return tamga__fail(TAMGA_ERR_AUDIO,
                           "the stream ends after %llu pages without an end-of-stream page "
                           "(truncated)",
                           (unsigned long long)c->pages);
    return TAMGA_OK;
}

static int read_cb(void *stream, unsigned char *ptr, int nbytes)
{
    check_ctx *c = stream;
    if (c->bad || c->read_failed)
        return -1;
    if (c->ended || nbytes <= 0)
        return 0;
    long r = c->read(c->user, ptr, (size_t)nbytes);
    if (r < 0 || r > nbytes) {
        c->read_failed = 1;
        return -1;
    }
    if (r == 0) {
        c->ended = 1;
        return 0;
    }
    if (scan(c, ptr, (size_t)r) != TAMGA_OK)
        return -1;
    return (int)r;
}

static const char *op_error_name(int e)
{
    switch (e) {
    case OP_FALSE:
        return "no data";
    case OP_EOF:
        return "end of file";
    case OP_HOLE:
        return "a gap in the stream (missing or damaged pages)";
    case OP_EREAD:
        return "read error";
    case OP_EFAULT:
        return "internal error";
    case OP_EIMPL:
        return "unsupported feature";
    case OP_EINVAL:
        return "invalid argument";
    case OP_ENOTFORMAT:
        return "not an Ogg Opus stream";
    case OP_EBADHEADER:
        return "bad Opus header";
    case OP_EVERSION:
        return "unknown Opus header version";
    case OP_ENOTAUDIO:
        return "not audio";
    case OP_EBADPACKET:
        return "bad audio packet";
    case OP_EBADLINK:
        return "bad link";
    case OP_ENOSEEK:
        return "not seekable";
    case OP_EBADTIMESTAMP:
        return "bad timestamp (granule position)";
    default:
        return "unknown error";
    }
}

/* The detail for a libopusfile failure: the scanner's or the reader's reason
 * wins when they caused it. */
static int decode_fail(const check_ctx *c, const char *what, int e)
{
    if (c->bad)
        return TAMGA_ERR_AUDIO;
    if (c->read_failed)
        return tamga__fail(TAMGA_ERR_AUDIO, "reading the Opus stream failed at byte %llu",
                           (unsigned long long)c->offset);
    return tamga__fail(TAMGA_ERR_AUDIO, "%s: %s (%d) near byte %llu", what, op_error_name(e), e,
                       (unsigned long long)c->offset);
}

int tamga_opus_check(tamga_audio_read_fn read, void *user, tamga_opus_check_info *info)
{
    return tamga__opus_check_ex(read, user, 0, info);
}

/* With TAMGA_OPUS_ALLOW_TRUNCATED, a stream cut off by a crash passes: every
 * page still whole and intact, only the end-of-stream page missing. */
int tamga__opus_check_ex(tamga_audio_read_fn read, void *user, unsigned flags,
                         tamga_opus_check_info *info)
{
    memset(info, 0, sizeof *info);
    pthread_once(&crc_once, crc_make_table);
    check_ctx c;
    memset(&c, 0, sizeof c);
    c.read = read;
    c.user = user;
    OpusFileCallbacks cb = {read_cb, NULL, NULL, NULL};
    int err = 0;
    OggOpusFile *of = op_open_callbacks(&c, &cb, NULL, 0, &err);
    if (of == NULL)
        return decode_fail(&c, "cannot open the Opus stream", err);

    tamga_opus_check_info out;
    memset(&out, 0, sizeof out);
    const OpusHead *head = op_head(of, -1);
    out.channels = op_channel_count(of, -1);
    out.input_rate = head != NULL ? (int)head->input_sample_rate : 0;
    out.pre_skip = head != NULL ? head->pre_skip : 0;

    float *pcm = malloc(sizeof(float) * PCM_FRAMES * 2);
    int rc = pcm != NULL ? TAMGA_OK : tamga__fail(TAMGA_ERR_NOMEM, "out of memory decoding");
    while (rc == TAMGA_OK) {
        int n = op_read_float_stereo(of, pcm, PCM_FRAMES * 2);
        if (n == 0)
            break;
        if (n < 0) {
            rc = decode_fail(&c, "decoding failed", n);
            break;
        }
        out.samples += n;
    }
    op_free(of);
    free(pcm);
    /* libopusfile stops at the end of the last packet: the scanner must still
     * see every remaining byte (a tail after the EOS page is refused). */
    uint8_t buf[4096];
    while (rc == TAMGA_OK && !c.ended && !c.bad) {
        if (read_cb(&c, buf, (int)sizeof buf) < 0) {
            rc = decode_fail(&c, "reading", OP_EREAD);
            break;
        }
    }
    if (rc == TAMGA_OK)
        rc = scan_end(&c, flags);
    if (rc == TAMGA_OK && out.samples == 0)
        rc = tamga__fail(TAMGA_ERR_AUDIO, "the Opus stream holds no audio samples");
    if (rc != TAMGA_OK)
        return rc;
    out.duration_ms = out.samples * 1000 / 48000;
    *info = out;
    return TAMGA_OK;
}
