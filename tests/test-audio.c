/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the audio module (src/audio/encode.c, src/audio/opuscheck.c).
 *
 * Run as `test-audio --make-vectors DIR` to regenerate the vectors in
 * tests/vectors/audio (see docs/FORMAT.md (section 8)): a 0.5 s 440 Hz sine at
 * 16 kHz mono written by tu_write_sine_wav, and tamga's Ogg Opus of it. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <opus/opusfile.h>
#include <sndfile.h>
#include <sodium.h>

#include "testutil.h"

#include "tamga/audio.h"
#include "tamga/error.h"
#include "util.h"

#define TEST_PI  3.14159265358979323846
#define VEC_WAV  "sine440-16k-mono-0.5s.wav"
#define VEC_OPUS "sine440-16k-mono-0.5s.opus"
/* SHA-256 of the checked-in WAV vector. */
#define VEC_WAV_SHA256 "6deadff2e9327d5af87da8caa6652424268b4c5b125a6bca40edd37ee7b87cf8"

/* ---- memory sink and source ---- */
typedef struct {
    uint8_t *data;
    size_t len, cap;
    int calls;
    int fail_at; /* the call (0-based) that fails; -1 never */
    int fail_code;
} membuf;

static void membuf_init(membuf *m)
{
    memset(m, 0, sizeof *m);
    m->fail_at = -1;
}

static int membuf_write(void *user, const uint8_t *data, size_t len)
{
    membuf *m = user;
    if (m->fail_at >= 0 && m->calls >= m->fail_at) {
        m->calls++;
        return m->fail_code;
    }
    m->calls++;
    if (m->len + len > m->cap) {
        size_t cap = m->cap ? m->cap : 4096;
        while (cap < m->len + len)
            cap *= 2;
        uint8_t *d = realloc(m->data, cap);
        assert_non_null(d);
        m->data = d;
        m->cap = cap;
    }
    memcpy(m->data + m->len, data, len);
    m->len += len;
    return 0;
}

typedef struct {
    const uint8_t *data;
    size_t len, pos;
    size_t chunk; /* most bytes per call; 0 = as many as asked */
    int fail_at;  /* return -1 once pos reaches this; -1 never */
    int overfill; /* claim one byte more than asked */
} memsrc;

static long memsrc_read(void *user, uint8_t *buf, size_t len)
{
    memsrc *s = user;
    if (s->fail_at >= 0 && s->pos >= (size_t)s->fail_at)
        return -1;
    if (s->overfill)
        return (long)len + 1;
    size_t n = s->len - s->pos;
    if (n > len)
        n = len;
    if (s->chunk > 0 && n > s->chunk)
        n = s->chunk;
    memcpy(buf, s->data + s->pos, n);
    s->pos += n;
    return (long)n;
}

static int check_buf(const uint8_t *data, size_t len, tamga_opus_check_info *ci)
{
    memsrc s = {data, len, 0, 0, -1, 0};
    return tamga_opus_check(memsrc_read, &s, ci);
}

static int encode(const char *path, const tamga_encode_params *p, membuf *out,
                  tamga_encode_info *info)
{
    membuf_init(out);
    return tamga_encode_file(path, p, membuf_write, out, NULL, NULL, info);
}

static int contains(const uint8_t *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return 1;
    return 0;
}

/* ---- writing test inputs ---- */
static void write_sine(const char *path, int rate, int channels, int format, double freq,
                       double seconds)
{
    SF_INFO info = {0};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    if (sf == NULL)
        fail_msg("cannot write %s: %s", path, sf_strerror(NULL));
    sf_count_t frames = (sf_count_t)(rate * seconds);
    float *buf = malloc(sizeof(float) * (size_t)channels * (size_t)frames);
    assert_non_null(buf);
    for (sf_count_t k = 0; k < frames; k++)
        for (int c = 0; c < channels; c++)
            buf[k * channels + c] = (float)(0.5 * sin(2.0 * TEST_PI * freq * (double)k / rate));
    assert_int_equal(sf_writef_float(sf, buf, frames), frames);
    free(buf);
    sf_close(sf);
}

/* A canonical 44-byte RIFF/WAVE header followed by `nframes` frames of a ramp. */
static void write_raw_wav(const char *path, uint32_t rate, uint16_t channels, uint16_t bits,
                          uint32_t data_size, size_t nframes)
{
    size_t body = nframes * (channels ? channels : 1) * 2;
    uint8_t *b = calloc(1, 44 + body);
    assert_non_null(b);
    memcpy(b, "RIFF", 4);
    tamga_store_le32(b + 4, (uint32_t)(36 + body));
    memcpy(b + 8, "WAVEfmt ", 8);
    tamga_store_le32(b + 16, 16);
    tamga_store_le16(b + 20, 1);
    tamga_store_le16(b + 22, channels);
    tamga_store_le32(b + 24, rate);
    tamga_store_le32(b + 28, rate * channels * (bits / 8u));
    tamga_store_le16(b + 32, (uint16_t)(channels * (bits / 8u)));
    tamga_store_le16(b + 34, bits);
    memcpy(b + 36, "data", 4);
    tamga_store_le32(b + 40, data_size);
    for (size_t i = 0; i < body; i++)
        b[44 + i] = (uint8_t)(i * 7);
    tu_write(path, b, 44 + body);
    free(b);
}

/* ---- decoding and measuring ---- */
typedef struct {
    float *pcm; /* interleaved, 48 kHz */
    int channels;
    size_t frames;
} decoded;

static decoded decode_pcm(const uint8_t *data, size_t len)
{
    int err = 0;
    OggOpusFile *of = op_open_memory(data, len, &err);
    if (of == NULL)
        fail_msg("op_open_memory: %d", err);
    decoded d = {NULL, op_channel_count(of, -1), 0};
    size_t cap = 48000;
    d.pcm = malloc(sizeof(float) * cap * (size_t)d.channels);
    assert_non_null(d.pcm);
    for (;;) {
        if (cap - d.frames < 5760) {
            cap *= 2;
            d.pcm = realloc(d.pcm, sizeof(float) * cap * (size_t)d.channels);
            assert_non_null(d.pcm);
        }
        int n = op_read_float(of, d.pcm + d.frames * (size_t)d.channels,
                              (int)((cap - d.frames) * (size_t)d.channels), NULL);
        assert_true(n >= 0);
        if (n == 0)
            break;
        d.frames += (size_t)n;
    }
    op_free(of);
    return d;
}

/* Frequency from zero crossings and RMS level of one channel, 100 ms from each end. */
static void measure(const decoded *d, int ch, double *freq, double *rms)
{
    size_t from = 4800, to = d->frames - 4800;
    assert_true(to > from + 4800);
    int crossings = 0;
    double sum = 0;
    for (size_t i = from; i < to; i++) {
        float a = d->pcm[(i - 1) * (size_t)d->channels + (size_t)ch];
        float b = d->pcm[i * (size_t)d->channels + (size_t)ch];
        if ((a < 0) != (b < 0))
            crossings++;
        sum += (double)b * b;
    }
    double secs = (double)(to - from) / 48000.0;
    *freq = crossings / 2.0 / secs;
    *rms = sqrt(sum / (double)(to - from));
}

/* Walks Ogg pages; returns the count, fills `serial` with the first page's. */
static int count_pages(const uint8_t *d, size_t len, uint32_t *serial)
{
    size_t off = 0;
    int pages = 0;
    while (off < len) {
        assert_true(off + 27 <= len);
        assert_memory_equal(d + off, "OggS", 4);
        if (pages == 0 && serial)
            *serial = tamga_load_le32(d + off + 14);
        size_t n = d[off + 26], body = 0;
        for (size_t i = 0; i < n; i++)
            body += d[off + 27 + i];
        off += 27 + n + body;
        pages++;
    }
    assert_int_equal(off, len);
    return pages;
}

/* The stream with each page's serial number and checksum zeroed, from page `first_page` on. */
static uint8_t *normalise(const uint8_t *d, size_t len, int first_page, size_t *outlen)
{
    uint8_t *out = malloc(len ? len : 1);
    assert_non_null(out);
    size_t off = 0, o = 0;
    int page = 0;
    while (off < len) {
        size_t n = d[off + 26], body = 0;
        for (size_t i = 0; i < n; i++)
            body += d[off + 27 + i];
        size_t plen = 27 + n + body;
        if (page >= first_page) {
            memcpy(out + o, d + off, plen);
            memset(out + o + 14, 0, 4);
            memset(out + o + 22, 0, 4);
            o += plen;
        }
        off += plen;
        page++;
    }
    *outlen = o;
    return out;
}

/* ---- encoding: formats, rates, channels ---- */
typedef struct {
    const char *ext;
    int format;
    const char *major, *sub;
} input_kind;

static const input_kind kinds[] = {
    {"wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, "WAV", "Signed 16 bit PCM"},
    {"wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, "WAV", "32 bit float"},
    {"wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, "WAV", "Signed 24 bit PCM"},
    {"flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, "FLAC", "Signed 16 bit PCM"},
};

static void encode_and_check(const char *path, int rate, int channels, const input_kind *k,
                             double seconds)
{
    membuf out;
    tamga_encode_info info;
    int rc = encode(path, NULL, &out, &info);
    if (rc != TAMGA_OK)
        fail_msg("%s: %s (%s)", path, tamga_strerror(rc), tamga_error_detail());

    uint64_t frames = (uint64_t)(rate * seconds);
    assert_int_equal(info.input_rate, rate);
    assert_int_equal(info.channels, channels);
    assert_int_equal(info.input_frames, frames);
    assert_int_equal(info.duration_ms, (int64_t)(frames * 1000 / (uint64_t)rate));
    assert_int_equal(info.output_rate, 48000);
    assert_int_equal(info.bitrate, 32000);
    assert_int_equal(info.complexity, 10);
    assert_int_equal(info.frame_ms10, 200);
    if (strstr(info.format, k->major) == NULL || strstr(info.format, k->sub) == NULL)
        fail_msg("format \"%s\" lacks \"%s\" / \"%s\"", info.format, k->major, k->sub);
    uint8_t sha[32];
    uint64_t size;
    assert_int_equal(tamga_sha256_file(path, sha, &size), TAMGA_OK);
    assert_int_equal(info.input_size, size);
    assert_memory_equal(info.input_sha256, sha, 32);

    assert_true(out.len > 100);
    assert_memory_equal(out.data, "OggS", 4);
    assert_true(contains(out.data, out.len, "OpusHead"));
    assert_true(contains(out.data, out.len, "OpusTags"));
    assert_true(contains(out.data, out.len, "ENCODER=tamga "));
    assert_false(contains(out.data, out.len, "ENCODER=opusenc"));
    (void)count_pages(out.data, out.len, NULL);

    tamga_opus_check_info ci;
    rc = check_buf(out.data, out.len, &ci);
    if (rc != TAMGA_OK)
        fail_msg("check %s: %s", path, tamga_error_detail());
    assert_int_equal(ci.channels, channels);
    assert_int_equal(ci.input_rate, rate);
    assert_true(llabs(ci.duration_ms - info.duration_ms) <= 30);
    /* libopusenc trims the end exactly: the decoded length is the input's at 48 kHz. */
    assert_true(llabs(ci.samples - (int64_t)(frames * 48000 / (uint64_t)rate)) <= 1);
    assert_int_equal(ci.pre_skip, 312);

    decoded d = decode_pcm(out.data, out.len);
    assert_int_equal(d.channels, channels);
    assert_int_equal((int64_t)d.frames, ci.samples);
    for (int c = 0; c < channels; c++) {
        double f, r;
        measure(&d, c, &f, &r);
        if (fabs(f - 440.0) > 5.0 || fabs(r - 0.5 / sqrt(2.0)) > 0.05)
            fail_msg("%s ch %d: %.1f Hz, RMS %.3f", path, c, f, r);
    }
    free(d.pcm);
    free(out.data);
}

static void test_encode_matrix(void **state)
{
    (void)state;
    static const int rates[] = {8000, 16000, 44100, 48000};
    char *dir = tu_tmpdir("audio-matrix");
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        for (size_t r = 0; r < sizeof rates / sizeof rates[0]; r++)
            for (int ch = 1; ch <= 2; ch++) {
                char name[64];
                snprintf(name, sizeof name, "in-%zu-%d-%d.%s", k, rates[r], ch, kinds[k].ext);
                char *path = tu_path(dir, name);
                if (k == 0)
                    tu_write_sine_wav(path, rates[r], ch, 440.0, 1.0);
                else
                    write_sine(path, rates[r], ch, kinds[k].format, 440.0, 1.0);
                encode_and_check(path, rates[r], ch, &kinds[k], 1.0);
                free(path);
            }
    tu_rm_rf(dir);
    free(dir);
}

static void test_multichannel(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("audio-multi");
    char *path = tu_path(dir, "six.wav");
    write_sine(path, 48000, 6, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 440.0, 0.5);
    membuf out;
    tamga_encode_info info;
    assert_int_equal(encode(path, NULL, &out, &info), TAMGA_OK);
    assert_int_equal(info.channels, 6);
    tamga_opus_check_info ci;
    assert_int_equal(check_buf(out.data, out.len, &ci), TAMGA_OK);
    assert_int_equal(ci.channels, 6);
    assert_int_equal(ci.samples, 24000);
    /* Mapping family 1 for more than two channels (RFC 7845 5.1.1.2). */
    size_t at = 0;
    while (memcmp(out.data + at, "OpusHead", 8) != 0)
        at++;
    assert_int_equal(out.data[at + 9], 6);
    assert_int_equal(out.data[at + 18], 1);
    free(out.data);
    free(path);
    tu_rm_rf(dir);
    free(dir);
}

/* ---- the stock tool accepts the output ---- */
static void test_opusinfo(void **state)
{
    (void)state;
    if (system("command -v opusinfo >/dev/null 2>&1") != 0)
        skip();
    char *dir = tu_tmpdir("audio-opusinfo");
    char *in = tu_path(dir, "in.wav");
    char *opus = tu_path(dir, "out.opus");
    tu_write_sine_wav(in, 44100, 2, 440.0, 2.0);
    membuf out;
    tamga_encode_info info;
    assert_int_equal(encode(in, NULL, &out, &info), TAMGA_OK);
    tu_write(opus, out.data, out.len);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "opusinfo '%s' 2>&1", opus);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, p);
    text[n] = 0;
    int status = pclose(p);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || strstr(text, "WARNING") ||
        strstr(text, "ERROR") || !strstr(text, "Channels: 2") ||
        !strstr(text, "Original sample rate: 44100 Hz") ||
        !strstr(text, "Playback length: 0m:02.000s") || !strstr(text, "ENCODER=tamga"))
        fail_msg("opusinfo says:\n%s", text);
    free(out.data);
    free(in);
    free(opus);
    tu_rm_rf(dir);
    free(dir);
}

/* ---- bad input: refused before either callback sees a byte ---- */
static void expect_refused(const char *path, int code)
{
    membuf out, orig;
    membuf_init(&out);
    membuf_init(&orig);
    tamga_encode_info info;
    memset(&info, 0xA5, sizeof info);
    int rc = tamga_encode_file(path, NULL, membuf_write, &out, membuf_write, &orig, &info);
    if (rc != code)
        fail_msg("%s: got %d (%s), want %d", path, rc, tamga_error_detail(), code);
    assert_int_equal(out.calls, 0);
    assert_int_equal(orig.calls, 0);
    tamga_encode_info zero;
    memset(&zero, 0, sizeof zero);
    assert_memory_equal(&info, &zero, sizeof info);
    assert_non_null(strstr(tamga_error_detail(), path));
}

static void test_bad_inputs(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("audio-bad");
    char *p;

    p = tu_path(dir, "empty.wav");
    tu_write(p, "", 0);
    expect_refused(p, TAMGA_ERR_AUDIO);
    assert_non_null(strstr(tamga_error_detail(), "not a readable audio file"));
    free(p);

    p = tu_path(dir, "text.wav");
    const char *txt = "This is not audio at all.\nJust some text in a file named .wav\n";
    tu_write(p, txt, strlen(txt));
    expect_refused(p, TAMGA_ERR_AUDIO);
    free(p);

    p = tu_path(dir, "random.bin");
    uint8_t rnd[8192];
    randombytes_buf(rnd, sizeof rnd);
    tu_write(p, rnd, sizeof rnd);
    expect_refused(p, TAMGA_ERR_AUDIO);
    free(p);

    /* Hand-made headers with absurd values. */
    static const struct {
        const char *name;
        uint32_t rate;
        uint16_t channels, bits;
    } absurd[] = {
        {"rate0.wav", 0, 1, 16},
        {"rate4g.wav", 4000000000u, 1, 16},
        {"rate7999.wav", 7999, 1, 16},
        {"rate1m.wav", 1000000, 1, 16},
        {"chan0.wav", 48000, 0, 16},
        {"chan9.wav", 48000, 9, 16},
        {"chan300.wav", 48000, 300, 16},
        {"bits0.wav", 48000, 1, 0},
        {"chan65535.wav", 8000, 65535, 16},
    };
    for (size_t i = 0; i < sizeof absurd / sizeof absurd[0]; i++) {
        p = tu_path(dir, absurd[i].name);
        write_raw_wav(p, absurd[i].rate, absurd[i].channels, absurd[i].bits, 2000, 1000);
        expect_refused(p, TAMGA_ERR_AUDIO);
        free(p);
    }

    /* A header and no frames. */
    p = tu_path(dir, "noframes.wav");
    write_raw_wav(p, 48000, 1, 16, 0, 0);
    expect_refused(p, TAMGA_ERR_AUDIO);
    free(p);

    /* Not a regular file. */
    expect_refused(dir, TAMGA_ERR_AUDIO);
    p = tu_path(dir, "fifo.wav");
    assert_int_equal(mkfifo(p, 0600), 0);
    expect_refused(p, TAMGA_ERR_AUDIO); /* must not hang waiting for a writer */
    free(p);

    p = tu_path(dir, "missing.wav");
    expect_refused(p, TAMGA_ERR_NOT_FOUND);
    free(p);

    tu_rm_rf(dir);
    free(dir);
}

static void test_bad_params(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("audio-params");
    char *p = tu_path(dir, "in.wav");
    tu_write_sine_wav(p, 16000, 1, 440.0, 1.0);
    static const tamga_encode_params bad[] = {{5999, 10}, {256001, 10}, {-1, 10}, {32000, 11}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        membuf out;
        tamga_encode_info info;
        assert_int_equal(encode(p, &bad[i], &out, &info), TAMGA_ERR_INVALID);
        assert_int_equal(out.calls, 0);
    }
    /* 0 and -1 mean the defaults; the bitrate shows in the size. */
    tamga_encode_params def = {0, -1}, lo = {12000, 0}, hi = {96000, 5};
    membuf a, b, c;
    tamga_encode_info ia, ib, ic;
    assert_int_equal(encode(p, &def, &a, &ia), TAMGA_OK);
    assert_int_equal(ia.bitrate, 32000);
    assert_int_equal(ia.complexity, 10);
    assert_int_equal(encode(p, &lo, &b, &ib), TAMGA_OK);
    assert_int_equal(ib.bitrate, 12000);
    assert_int_equal(ib.complexity, 0);
    assert_int_equal(encode(p, &hi, &c, &ic), TAMGA_OK);
    assert_int_equal(ic.bitrate, 96000);
    assert_int_equal(ic.complexity, 5);
    assert_true(b.len < a.len && a.len < c.len);
    free(a.data);
    free(b.data);
    free(c.data);
    free(p);
    tu_rm_rf(dir);
    free(dir);
}

/* A WAV cut anywhere: refused before any callback, or encodes what is there. */
static void test_truncated_wav(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("audio-trunc");
    char *full = tu_path(dir, "full.wav");
    char *cut = tu_path(dir, "cut.wav");
    tu_write_sine_wav(full, 16000, 1, 440.0, 0.25);
    size_t len;
    uint8_t *wav = tu_read(full, &len);
    assert_int_equal(len, 44 + 8000);
    for (size_t n = 0; n < len; n += (n < 300 ? 1 : 997)) {
        tu_write(cut, wav, n);
        membuf out, orig;
        membuf_init(&out);
        membuf_init(&orig);
        tamga_encode_info info;
        int rc = tamga_encode_file(cut, NULL, membuf_write, &out, membuf_write, &orig, &info);
        if (n <= 45) { /* no whole frame */
            if (rc != TAMGA_ERR_AUDIO)
                fail_msg("cut at %zu: %d", n, rc);
            assert_int_equal(out.calls + orig.calls, 0);
            continue;
        }
        if (rc != TAMGA_OK)
            fail_msg("cut at %zu: %s", n, tamga_error_detail());
        assert_int_equal(info.input_frames, (n - 44) / 2);
        assert_int_equal(orig.len, n);
        tamga_opus_check_info ci;
        assert_int_equal(check_buf(out.data, out.len, &ci), TAMGA_OK);
        assert_int_equal(ci.samples, (int64_t)((n - 44) / 2 * 3));
        free(out.data);
        free(orig.data);
    }
    /* The data chunk claims 4 GB: the same as a cut file, what is there is encoded. */
    write_raw_wav(cut, 16000, 1, 16, 0xfffffff0u, 1600);
    membuf out;
    tamga_encode_info info;
    assert_int_equal(encode(cut, NULL, &out, &info), TAMGA_OK);
    assert_int_equal(info.input_frames, 1600);
    free(out.data);
    free(wav);
    free(full);
    free(cut);
    tu_rm_rf(dir);
    free(dir);
}

/* ---- callbacks ---- */
static void test_original_bytes(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("audio-orig");
    char *p = tu_path(dir, "in.flac");
    write_sine(p, 44100, 2, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 440.0, 3.0);
    membuf out, orig;
    membuf_init(&out);
    membuf_init(&orig);
    tamga_encode_info info;
    assert_int_equal(tamga_encode_file(p, NULL, membuf_write, &out, membuf_write, &orig, &info),
                     TAMGA_OK);
    size_t len;
    uint8_t *file = tu_read(p, &len);
    assert_int_equal(orig.len, len);
    assert_memory_equal(orig.data, file, len);
    uint8_t sha[32];
    crypto_hash_sha256(sha, orig.data, orig.len);
    assert_memory_equal(info.input_sha256, sha, 32);
    assert_int_equal(info.input_size, len);
    free(file);
    free(out.data);
    free(orig.data);
    free(p);
    tu_rm_rf(dir);
    free(dir);
}

static void test_write_fails(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("audio-wfail");
    char *p = tu_path(dir, "in.wav");
    tu_write_sine_wav(p, 48000, 2, 440.0, 2.0);
    membuf ok;
    tamga_encode_info info;
    assert_int_equal(encode(p, NULL, &ok, &info), TAMGA_OK);
    int pages = count_pages(ok.data, ok.len, NULL);
    assert_true(pages >= 20); /* 100 ms pages */
    free(ok.data);
    static const int codes[] = {TAMGA_ERR_NOSPACE, TAMGA_ERR_IO, TAMGA_ERR_AUTH};
    for (int n = 0; n < pages; n += (n < 4 ? 1 : 5)) {
        membuf out;
        membuf_init(&out);
        out.fail_at = n;
        out.fail_code = codes[n % 3];
        int rc = tamga_encode_file(p, NULL, membuf_write, &out, NULL, NULL, &info);
        assert_int_equal(rc, codes[n % 3]);
        assert_int_equal(out.calls, n + 1); /* nothing more after the failure */
        tamga_encode_info zero;
        memset(&zero, 0, sizeof zero);
        assert_memory_equal(&info, &zero, sizeof info);
        free(out.data);
    }
    /* The original callback failing stops everything before a page is written. */
    membuf out, orig;
    membuf_init(&out);
    membuf_init(&orig);
    orig.fail_at = 0;
    orig.fail_code = TAMGA_ERR_NOSPACE;
    assert_int_equal(tamga_encode_file(p, NULL, membuf_write, &out, membuf_write, &orig, &info),
                     TAMGA_ERR_NOSPACE);
    assert_int_equal(orig.calls, 1);
    assert_int_equal(out.calls, 0);
    free(p);
    tu_rm_rf(dir);
    free(dir);
}

/* A callback that appends to the input file while it is being read. */
typedef struct {
    const char *path;
    int calls;
} toucher;

static int touch_input(void *user, const uint8_t *data, size_t len)
{
    (void)data;
    (void)len;
    toucher *t = user;
    if (t->calls++ == 1) {
        FILE *f = fopen(t->path, "ab");
        assert_non_null(f);
        fputs("more", f);
        fclose(f);
    }
    return 0;
}

static void test_changed_while_reading(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("audio-changed");
    char *p = tu_path(dir, "in.wav");
    tamga_encode_info info;
    /* During pass 1 (the raw bytes; 64 KiB each, so a 2 s file takes several calls). */
    tu_write_sine_wav(p, 48000, 1, 440.0, 2.0);
    toucher t = {p, 0};
    membuf out;
    membuf_init(&out);
    assert_int_equal(tamga_encode_file(p, NULL, membuf_write, &out, touch_input, &t, &info),
                     TAMGA_ERR_IO);
    assert_non_null(strstr(tamga_error_detail(), "changed while reading"));
    assert_int_equal(out.calls, 0);
    /* During pass 2 (the encoding). */
    tu_write_sine_wav(p, 48000, 1, 440.0, 2.0);
    toucher t2 = {p, 0};
    assert_int_equal(tamga_encode_file(p, NULL, touch_input, &t2, NULL, NULL, &info), TAMGA_ERR_IO);
    assert_non_null(strstr(tamga_error_detail(), "changed while reading"));
    tamga_encode_info zero;
    memset(&zero, 0, sizeof zero);
    assert_memory_equal(&info, &zero, sizeof info);
    free(p);
    tu_rm_rf(dir);
    free(dir);
}

/* Pages leave the encoder within about 100 ms of audio (the live recorder needs it). */
static void test_page_delay(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("audio-delay");
    char *p = tu_path(dir, "in.wav");
    tu_write_sine_wav(p, 48000, 1, 440.0, 3.0);
    membuf out;
    tamga_encode_info info;
    assert_int_equal(encode(p, NULL, &out, &info), TAMGA_OK);
    size_t off = 0;
    int64_t last = 0;
    while (off < out.len) {
        int64_t g = (int64_t)tamga_load_le64(out.data + off + 6);
        if (g > 0) {
            assert_true(g - last <= 4800 + 960);
            last = g;
        }
        size_t n = out.data[off + 26], body = 0;
        for (size_t i = 0; i < n; i++)
            body += out.data[off + 27 + i];
        off += 27 + n + body;
    }
    assert_int_equal(last, 144000 + 312);
    free(out.data);
    free(p);
    tu_rm_rf(dir);
    free(dir);
}

/* ---- the known-answer vector ---- */
static uint8_t *vector(const char *name, size_t *len)
{
    char *p = tu_path(TAMGA_TEST_VECTORS "/audio", name);
    uint8_t *d = tu_read(p, len);
    free(p);
    return d;
}

static void test_vector(void **state)
{
    (void)state;
    size_t wlen, olen;
    uint8_t *wav = vector(VEC_WAV, &wlen);
    uint8_t *opus = vector(VEC_OPUS, &olen);
    uint8_t sha[32];
    char hex[65];
    crypto_hash_sha256(sha, wav, wlen);
    tamga_hex_encode(sha, 32, hex);
    assert_string_equal(hex, VEC_WAV_SHA256);

    /* The checked-in stream checks, read one byte at a time. */
    memsrc s = {opus, olen, 0, 1, -1, 0};
    tamga_opus_check_info ci;
    assert_int_equal(tamga_opus_check(memsrc_read, &s, &ci), TAMGA_OK);
    assert_int_equal(ci.channels, 1);
    assert_int_equal(ci.input_rate, 16000);
    assert_int_equal(ci.samples, 24000);
    assert_int_equal(ci.duration_ms, 500);
    assert_int_equal(ci.pre_skip, 312);

    /* Encoding again twice: the same audio pages as the vector, only the
     * (random) serial number and so the checksums differ. */
    char *path = tu_path(TAMGA_TEST_VECTORS "/audio", VEC_WAV);
    membuf a, b;
    tamga_encode_info ia, ib;
    assert_int_equal(encode(path, NULL, &a, &ia), TAMGA_OK);
    assert_int_equal(encode(path, NULL, &b, &ib), TAMGA_OK);
    assert_memory_equal(ia.input_sha256, sha, 32);
    assert_int_equal(ia.input_frames, 8000);
    uint32_t sa, sb;
    int pa = count_pages(a.data, a.len, &sa);
    assert_int_equal(count_pages(b.data, b.len, &sb), pa);
    assert_int_equal(count_pages(opus, olen, NULL), pa);
    assert_int_not_equal(sa, sb);
    assert_int_equal(a.len, b.len);
    size_t na, nb, nv;
    uint8_t *xa = normalise(a.data, a.len, 0, &na);
    uint8_t *xb = normalise(b.data, b.len, 0, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(xa, xb, na);
    /* Against the vector: pages 2.. (page 1 holds the tamga version). */
    free(xa);
    xa = normalise(a.data, a.len, 2, &na);
    uint8_t *xv = normalise(opus, olen, 2, &nv);
    assert_int_equal(na, nv);
    assert_memory_equal(xa, xv, na);
    /* The decoded audio is bit-identical too. */
    decoded da = decode_pcm(a.data, a.len), dv = decode_pcm(opus, olen);
    assert_int_equal(da.frames, dv.frames);
    assert_memory_equal(da.pcm, dv.pcm, sizeof(float) * da.frames);
    free(da.pcm);
    free(dv.pcm);
    free(xa);
    free(xb);
    free(xv);
    free(a.data);
    free(b.data);
    free(path);
    free(wav);
    free(opus);
}

/* ---- checking streams ---- */
static void expect_check_fails(const uint8_t *d, size_t len, const char *what)
{
    tamga_opus_check_info ci;
    memset(&ci, 0x5A, sizeof ci);
    int rc = check_buf(d, len, &ci);
    if (rc != TAMGA_ERR_AUDIO)
        fail_msg("%s: got %d", what, rc);
    assert_true(tamga_error_detail()[0] != 0);
    tamga_opus_check_info zero;
    memset(&zero, 0, sizeof zero);
    assert_memory_equal(&ci, &zero, sizeof ci);
}

static void test_check_bad_streams(void **state)
{
    (void)state;
    size_t olen;
    uint8_t *opus = vector(VEC_OPUS, &olen);
    char what[64];

    expect_check_fails((const uint8_t *)"", 0, "empty");
    const char *txt = "OggS is how it starts but this is not a stream";
    expect_check_fails((const uint8_t *)txt, strlen(txt), "text");
    uint8_t rnd[4096];
    randombytes_buf(rnd, sizeof rnd);
    expect_check_fails(rnd, sizeof rnd, "random");

    /* Truncated at every length. */
    for (size_t n = 0; n < olen; n++) {
        snprintf(what, sizeof what, "truncated at %zu", n);
        expect_check_fails(opus, n, what);
    }
    /* Every byte flipped. */
    uint8_t *m = malloc(olen + 4096);
    assert_non_null(m);
    for (size_t i = 0; i < olen; i++) {
        memcpy(m, opus, olen);
        m[i] ^= (uint8_t)(1u << (i % 8));
        snprintf(what, sizeof what, "flipped byte %zu", i);
        expect_check_fails(m, olen, what);
    }
    /* Trailing junk, and a second stream chained after the first. */
    memcpy(m, opus, olen);
    m[olen] = 0;
    expect_check_fails(m, olen + 1, "one trailing byte");
    memcpy(m + olen, "OggS", 4);
    expect_check_fails(m, olen + 4, "trailing capture pattern");
    uint8_t *two = malloc(2 * olen);
    assert_non_null(two);
    memcpy(two, opus, olen);
    memcpy(two + olen, opus, olen);
    expect_check_fails(two, 2 * olen, "chained");
    free(two);

    /* A missing page (the second audio page dropped). */
    size_t off = 0, starts[8];
    for (int i = 0; i < 8 && off < olen; i++) {
        starts[i] = off;
        size_t n = opus[off + 26], body = 0;
        for (size_t k = 0; k < n; k++)
            body += opus[off + 27 + k];
        off += 27 + n + body;
    }
    size_t cutlen = starts[3] - starts[2];
    memcpy(m, opus, starts[2]);
    memcpy(m + starts[2], opus + starts[3], olen - starts[3]);
    expect_check_fails(m, olen - cutlen, "page dropped");
    /* Junk between two pages. */
    memcpy(m, opus, starts[3]);
    memcpy(m + starts[3], "junk", 4);
    memcpy(m + starts[3] + 4, opus + starts[3], olen - starts[3]);
    expect_check_fails(m, olen + 4, "junk between pages");
    free(m);

    /* The reader fails, or claims more than it was asked for. */
    tamga_opus_check_info ci;
    memsrc s = {opus, olen, 0, 0, (int)(olen / 2), 0};
    assert_int_equal(tamga_opus_check(memsrc_read, &s, &ci), TAMGA_ERR_AUDIO);
    memsrc s2 = {opus, olen, 0, 0, -1, 1};
    assert_int_equal(tamga_opus_check(memsrc_read, &s2, &ci), TAMGA_ERR_AUDIO);
    /* And the untouched stream passes, read in odd chunks. */
    memsrc s3 = {opus, olen, 0, 333, -1, 0};
    assert_int_equal(tamga_opus_check(memsrc_read, &s3, &ci), TAMGA_OK);
    free(opus);
}

/* A stream from stock opusenc passes the check too. */
static void test_check_stock_stream(void **state)
{
    (void)state;
    if (system("command -v opusenc >/dev/null 2>&1") != 0)
        skip();
    char *dir = tu_tmpdir("audio-stock");
    char *in = tu_path(dir, "in.wav");
    char *o = tu_path(dir, "out.opus");
    tu_write_sine_wav(in, 48000, 2, 440.0, 1.0);
    char cmd[8400];
    snprintf(cmd, sizeof cmd, "opusenc --quiet '%s' '%s'", in, o);
    assert_int_equal(system(cmd), 0);
    size_t len;
    uint8_t *d = tu_read(o, &len);
    tamga_opus_check_info ci;
    assert_int_equal(check_buf(d, len, &ci), TAMGA_OK);
    assert_int_equal(ci.channels, 2);
    assert_int_equal(ci.samples, 48000);
    free(d);
    free(in);
    free(o);
    tu_rm_rf(dir);
    free(dir);
}

/* ---- vector generator ---- */
static int make_vectors(const char *dir)
{
    char *wav = tu_path(dir, VEC_WAV);
    char *opus = tu_path(dir, VEC_OPUS);
    tu_write_sine_wav(wav, 16000, 1, 440.0, 0.5);
    membuf out;
    membuf_init(&out);
    tamga_encode_info info;
    int rc = tamga_encode_file(wav, NULL, membuf_write, &out, NULL, NULL, &info);
    if (rc != TAMGA_OK) {
        fprintf(stderr, "encode: %s\n", tamga_error_detail());
        return 1;
    }
    tu_write(opus, out.data, out.len);
    char hex[65];
    tamga_hex_encode(info.input_sha256, 32, hex);
    printf("%s sha256 %s\n%s %zu bytes\n", wav, hex, opus, out.len);
    free(out.data);
    free(wav);
    free(opus);
    return 0;
}

int main(int argc, char **argv)
{
    if (tamga_init() != TAMGA_OK)
        return 1;
    if (argc == 3 && strcmp(argv[1], "--make-vectors") == 0)
        return make_vectors(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_matrix),
        cmocka_unit_test(test_multichannel),
        cmocka_unit_test(test_opusinfo),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_bad_params),
        cmocka_unit_test(test_truncated_wav),
        cmocka_unit_test(test_original_bytes),
        cmocka_unit_test(test_write_fails),
        cmocka_unit_test(test_page_delay),
        cmocka_unit_test(test_changed_while_reading),
        cmocka_unit_test(test_vector),
        cmocka_unit_test(test_check_bad_streams),
        cmocka_unit_test(test_check_stock_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
