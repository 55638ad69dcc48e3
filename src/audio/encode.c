/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Encoding an audio file (anything libsndfile reads) to Ogg Opus through a
 * write callback. Two passes over one open file: the raw bytes (SHA-256, and
 * optionally handed to the caller to keep), then the decoded samples into
 * libopusenc. Memory stays flat whatever the length of the input. */
#include "tamga/audio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <opus/opusenc.h>
#include <sndfile.h>
#include <sodium.h>

#include "audio-internal.h"
#include "build-info.h"
#include "util.h"

#define READ_CHUNK      (64 * 1024) /* raw bytes per read() in pass 1 */
#define FRAMES_PER_PASS 4096        /* frames per sf_readf_float() in pass 2 */
#define MAX_HOURS       48          /* longer inputs are refused as absurd */
#define DEFAULT_BITRATE 32000
#define DEFAULT_COMPLEX 10
#define DELAY_48K       4800 /* 100 ms at 48 kHz: muxing and decision delay */

static int same_file_state(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static int check_unchanged(int fd, const struct stat *before, const char *path)
{
    struct stat now;
    if (fstat(fd, &now) != 0)
        return tamga__errno_fail("cannot stat", path);
    if (!same_file_state(before, &now))
        return tamga__fail(TAMGA_ERR_IO, "%s: changed while reading", path);
    return TAMGA_OK;
}

static void describe_format(int format, char *out, size_t outlen)
{
    SF_FORMAT_INFO major = {0}, sub = {0};
    major.format = format & SF_FORMAT_TYPEMASK;
    sub.format = format & SF_FORMAT_SUBMASK;
    int have_major =
        sf_command(NULL, SFC_GET_FORMAT_INFO, &major, sizeof major) == 0 && major.name != NULL;
    int have_sub = sf_command(NULL, SFC_GET_FORMAT_INFO, &sub, sizeof sub) == 0 && sub.name != NULL;
    if (have_major && have_sub)
        snprintf(out, outlen, "%s, %s", major.name, sub.name);
    else if (have_major)
        snprintf(out, outlen, "%s", major.name);
    else
        snprintf(out, outlen, "libsndfile format 0x%08x", (unsigned)format);
}

/* Pass 1: the raw bytes, hashed and handed to `original`. pread() leaves the
 * file offset that libsndfile uses alone. */
static int hash_pass(int fd, const char *path, uint64_t expect, tamga_audio_write_fn original,
                     void *original_user, uint8_t sha[TAMGA_SHA256_BYTES])
{
    uint8_t *buf = malloc(READ_CHUNK);
    if (buf == NULL)
        return tamga__fail(TAMGA_ERR_NOMEM, "out of memory reading %s", path);
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    uint64_t off = 0;
    int rc = TAMGA_OK;
    for (;;) {
        ssize_t r = pread(fd, buf, READ_CHUNK, (off_t)off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = tamga__errno_fail("cannot read", path);
            break;
        }
        if (r == 0)
            break;
        crypto_hash_sha256_update(&st, buf, (size_t)r);
        off += (uint64_t)r;
        if (off > expect) {
            rc = tamga__fail(TAMGA_ERR_IO, "%s: changed while reading", path);
            break;
        }
        if (original != NULL && (rc = original(original_user, buf, (size_t)r)) != 0)
            break;
    }
    if (rc == TAMGA_OK && off != expect)
        rc = tamga__fail(TAMGA_ERR_IO, "%s: changed while reading", path);
    if (rc == TAMGA_OK)
        crypto_hash_sha256_final(&st, sha);
    sodium_memzero(&st, sizeof st);
    free(buf);
    return rc;
}

/* The significant bits of the input, as opusenc passes them to the encoder. */
static int lsb_depth(int format)
{
    switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
    case SF_FORMAT_ULAW:
    case SF_FORMAT_ALAW:
        return 8;
    case SF_FORMAT_PCM_16:
        return 16;
    default:
        return 24;
    }
}

void tamga__sf_describe(int format, char *out, size_t outlen)
{
    describe_format(format, out, outlen);
}

int tamga__sf_lsb_depth(int format)
{
    return lsb_depth(format);
}

/* ---- the streaming encoder ---- */

struct tamga__opus_enc {
    OggOpusEnc *enc;
    tamga_audio_write_fn write;
    void *user;
    int err;         /* first nonzero return of `write`; later pages are dropped */
    int64_t granule; /* of the last page written; -1 before audio */
    int pre_skip;
    uint64_t pages;
};

static int sink_write(void *user, const unsigned char *ptr, opus_int32 len)
{
    tamga__opus_enc *e = user;
    if (e->err != 0)
        return 1;
    /* libopusenc hands over whole pages: note where the audio has got to, so a
     * crash-safe progress record can say how much of it is on disk. */
    if (len >= 27 && memcmp(ptr, "OggS", 4) == 0) {
        size_t hdr = 27 + (size_t)ptr[26];
        if (e->pages == 0 && (size_t)len >= hdr + 12 && memcmp(ptr + hdr, "OpusHead", 8) == 0)
            e->pre_skip = tamga_load_le16(ptr + hdr + 10);
        int64_t g = (int64_t)tamga_load_le64(ptr + 6);
        if (g > 0)
            e->granule = g;
    }
    e->pages++;
    int rc = e->write(e->user, ptr, (size_t)len);
    if (rc != 0) {
        e->err = rc;
        return 1; /* tells libopusenc to stop */
    }
    return 0;
}

static int sink_close(void *user)
{
    (void)user;
    return 0;
}

int tamga__encode_params_resolve(const tamga_encode_params *params, int *bitrate, int *complexity)
{
    *bitrate = DEFAULT_BITRATE;
    *complexity = DEFAULT_COMPLEX;
    if (params == NULL)
        return TAMGA_OK;
    if (params->bitrate != 0)
        *bitrate = params->bitrate;
    if (params->complexity >= 0)
        *complexity = params->complexity;
    if (*bitrate < 6000 || *bitrate > 256000)
        return tamga__fail(TAMGA_ERR_INVALID, "the bitrate must be between 6000 and 256000 bit/s");
    if (*complexity > 10)
        return tamga__fail(TAMGA_ERR_INVALID, "the complexity must be between 0 and 10");
    return TAMGA_OK;
}

int tamga__opus_enc_new(int rate, int channels, int depth, const tamga_encode_params *params,
                        tamga_audio_write_fn write, void *user, tamga__opus_enc **out)
{
    *out = NULL;
    int bitrate, complexity;
    int rc = tamga__encode_params_resolve(params, &bitrate, &complexity);
    if (rc != TAMGA_OK)
        return rc;
    if (rate < TAMGA_AUDIO_MIN_RATE || rate > TAMGA_AUDIO_MAX_RATE || channels < 1 ||
        channels > TAMGA_AUDIO_MAX_CHANNELS)
        return tamga__fail(TAMGA_ERR_AUDIO, "cannot encode %d Hz, %d channels", rate, channels);
    tamga__opus_enc *e = calloc(1, sizeof *e);
    if (e == NULL)
        return tamga__fail(TAMGA_ERR_NOMEM, "out of memory creating the Opus encoder");
    e->write = write;
    e->user = user;
    e->granule = -1;
    OggOpusComments *comments = ope_comments_create();
    /* One tag only: no title, no file name, nothing about the speaker. */
    if (comments == NULL ||
        ope_comments_add(comments, "ENCODER", "tamga " TAMGA_VERSION_STRING) != OPE_OK) {
        ope_comments_destroy(comments);
        free(e);
        return tamga__fail(TAMGA_ERR_NOMEM, "out of memory creating Opus comments");
    }
    OpusEncCallbacks cb = {sink_write, sink_close};
    int family = channels <= 2 ? 0 : 1;
    int err = OPE_OK;
    e->enc = ope_encoder_create_callbacks(&cb, e, comments, rate, channels, family, &err);
    ope_comments_destroy(comments); /* the encoder keeps its own copy */
    if (e->enc == NULL) {
        free(e);
        return tamga__fail(TAMGA_ERR_AUDIO, "cannot create the Opus encoder (%s)",
                           ope_strerror(err));
    }
    /* As opusenc: unconstrained VBR, and the input's bit depth as the noise
     * floor, so tamga's files and stock ones are alike in size and quality.
     * libopusenc would take its Ogg serial number from rand(), the same in
     * every process that never seeds it: ask libsodium instead. */
    if (ope_encoder_ctl(e->enc, OPUS_SET_BITRATE(bitrate)) != OPE_OK ||
        ope_encoder_ctl(e->enc, OPUS_SET_VBR(1)) != OPE_OK ||
        ope_encoder_ctl(e->enc, OPUS_SET_VBR_CONSTRAINT(0)) != OPE_OK ||
        ope_encoder_ctl(e->enc, OPUS_SET_LSB_DEPTH(depth)) != OPE_OK ||
        ope_encoder_ctl(e->enc, OPUS_SET_COMPLEXITY(complexity)) != OPE_OK ||
        ope_encoder_ctl(e->enc, OPUS_SET_EXPERT_FRAME_DURATION(OPUS_FRAMESIZE_20_MS)) != OPE_OK ||
        ope_encoder_ctl(e->enc, OPE_SET_MUXING_DELAY(DELAY_48K)) != OPE_OK ||
        ope_encoder_ctl(e->enc, OPE_SET_DECISION_DELAY(DELAY_48K)) != OPE_OK ||
        ope_encoder_ctl(e->enc, OPE_SET_SERIALNO((opus_int32)randombytes_random())) != OPE_OK) {
        tamga__opus_enc_free(e);
        return tamga__fail(TAMGA_ERR_AUDIO, "the Opus encoder refused its settings");
    }
    *out = e;
    return TAMGA_OK;
}

int tamga__opus_enc_write_float(tamga__opus_enc *e, const float *pcm, int frames)
{
    if (e->err != 0)
        return e->err;
    int r = ope_encoder_write_float(e->enc, pcm, frames);
    if (e->err != 0)
        return e->err;
    if (r != OPE_OK)
        return tamga__fail(TAMGA_ERR_AUDIO, "Opus encoding failed (%s)", ope_strerror(r));
    return TAMGA_OK;
}

int tamga__opus_enc_drain(tamga__opus_enc *e)
{
    if (e->err != 0)
        return e->err;
    int r = ope_encoder_drain(e->enc);
    if (e->err != 0)
        return e->err;
    if (r != OPE_OK)
        return tamga__fail(TAMGA_ERR_AUDIO, "finishing the Opus stream failed (%s)",
                           ope_strerror(r));
    return TAMGA_OK;
}

int64_t tamga__opus_enc_last_granule(const tamga__opus_enc *e)
{
    return e->granule;
}

int tamga__opus_enc_pre_skip(const tamga__opus_enc *e)
{
    return e->pre_skip;
}

void tamga__opus_enc_free(tamga__opus_enc *e)
{
    if (e == NULL)
        return;
    if (e->enc != NULL)
        ope_encoder_destroy(e->enc);
    free(e);
}

/* Pass 2: decoded float frames into the encoder. */
static int encode_pass(SNDFILE *sf, const SF_INFO *sfi, const char *path,
                       const tamga_encode_params *params, tamga_audio_write_fn write, void *user,
                       uint64_t *frames_out)
{
    *frames_out = 0;
    tamga__opus_enc *enc = NULL;
    int rc = tamga__opus_enc_new(sfi->samplerate, sfi->channels, lsb_depth(sfi->format), params,
                                 write, user, &enc);
    if (rc != TAMGA_OK) {
        char detail[256];
        snprintf(detail, sizeof detail, "%s", tamga_error_detail());
        return tamga__fail(rc, "%s: %s", path, detail);
    }
    float *pcm = malloc(sizeof(float) * (size_t)sfi->channels * FRAMES_PER_PASS);
    if (pcm == NULL)
        rc = tamga__fail(TAMGA_ERR_NOMEM, "out of memory encoding %s", path);
    uint64_t total = 0;
    while (rc == TAMGA_OK) {
        sf_count_t n = sf_readf_float(sf, pcm, FRAMES_PER_PASS);
        if (n <= 0)
            break;
        rc = tamga__opus_enc_write_float(enc, pcm, (int)n);
        total += (uint64_t)n;
    }
    if (rc == TAMGA_OK && sf_error(sf) != SF_ERR_NO_ERROR)
        rc = tamga__fail(TAMGA_ERR_AUDIO, "%s: decoding failed after %llu frames (%s)", path,
                         (unsigned long long)total, sf_strerror(sf));
    if (rc == TAMGA_OK && total == 0)
        rc = tamga__fail(TAMGA_ERR_AUDIO, "%s: holds no audio frames", path);
    if (rc == TAMGA_OK)
        rc = tamga__opus_enc_drain(enc);
    tamga__opus_enc_free(enc);
    free(pcm);
    *frames_out = total;
    return rc;
}

int tamga_encode_file(const char *input_path, const tamga_encode_params *params,
                      tamga_audio_write_fn write, void *write_user, tamga_audio_write_fn original,
                      void *original_user, tamga_encode_info *info)
{
    memset(info, 0, sizeof *info);
    tamga_encode_info out;
    memset(&out, 0, sizeof out);
    int rc = tamga__encode_params_resolve(params, &out.bitrate, &out.complexity);
    if (rc != TAMGA_OK)
        return rc;

    /* O_NONBLOCK: opening a FIFO must not hang; it is refused just below. */
    int fd = open(input_path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return tamga__errno_fail("cannot open", input_path);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rc = tamga__errno_fail("cannot stat", input_path);
        close(fd);
        return rc;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return tamga__fail(TAMGA_ERR_AUDIO, "%s: not a regular file", input_path);
    }
    if ((uint64_t)st.st_size > TAMGA_AUDIO_MAX_FILE) {
        close(fd);
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "%s: %llu bytes, more than the %llu allowed",
                           input_path, (unsigned long long)st.st_size,
                           (unsigned long long)TAMGA_AUDIO_MAX_FILE);
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);

    /* The header is checked before either callback sees a byte. */
    SF_INFO sfi;
    memset(&sfi, 0, sizeof sfi);
    SNDFILE *sf = sf_open_fd(fd, SFM_READ, &sfi, 0);
    if (sf == NULL) {
        rc = tamga__fail(TAMGA_ERR_AUDIO, "%s: not a readable audio file (%s)", input_path,
                         sf_strerror(NULL));
        close(fd);
        return rc;
    }
    if (sfi.samplerate < TAMGA_AUDIO_MIN_RATE || sfi.samplerate > TAMGA_AUDIO_MAX_RATE)
        rc = tamga__fail(TAMGA_ERR_AUDIO, "%s: sample rate %d Hz is outside %d..%d", input_path,
                         sfi.samplerate, TAMGA_AUDIO_MIN_RATE, TAMGA_AUDIO_MAX_RATE);
    else if (sfi.channels < 1 || sfi.channels > TAMGA_AUDIO_MAX_CHANNELS)
        rc = tamga__fail(TAMGA_ERR_AUDIO, "%s: %d channels, must be 1..%d", input_path,
                         sfi.channels, TAMGA_AUDIO_MAX_CHANNELS);
    else if (sfi.frames < 1)
        rc = tamga__fail(TAMGA_ERR_AUDIO, "%s: holds no audio frames", input_path);
    else if (sfi.frames / sfi.samplerate > (sf_count_t)MAX_HOURS * 3600)
        rc = tamga__fail(TAMGA_ERR_AUDIO, "%s: claims %lld frames, more than %d hours", input_path,
                         (long long)sfi.frames, MAX_HOURS);
    if (rc == TAMGA_OK) {
        describe_format(sfi.format, out.format, sizeof out.format);
        out.input_rate = sfi.samplerate;
        out.channels = sfi.channels;
        out.output_rate = 48000;
        out.frame_ms10 = 200;
        out.input_size = (uint64_t)st.st_size;
        rc = hash_pass(fd, input_path, out.input_size, original, original_user, out.input_sha256);
    }
    if (rc == TAMGA_OK)
        rc = check_unchanged(fd, &st, input_path);
    if (rc == TAMGA_OK) {
        tamga_encode_params p = {out.bitrate, out.complexity};
        rc = encode_pass(sf, &sfi, input_path, &p, write, write_user, &out.input_frames);
    }
    if (rc == TAMGA_OK)
        rc = check_unchanged(fd, &st, input_path);
    sf_close(sf);
    close(fd);
    if (rc != TAMGA_OK)
        return rc;
    out.duration_ms = (int64_t)(out.input_frames * 1000 / (uint64_t)out.input_rate);
    *info = out;
    return TAMGA_OK;
}
