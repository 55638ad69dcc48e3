/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The recorder engine. Three threads:
 *   capture  — PortAudio blocking reads of 33 ms (or libsndfile reads of a
 *              file) into a lock-free SPSC ring; a device source never waits
 *              for room: a block that does not fit is dropped and counted;
 *   encoder  — takes from the ring, meters levels, feeds libopusenc, whose
 *              pages go into the encrypting writer; every FLUSH_MS it emits a
 *              message, fsyncs, and appends a progress record (fsynced);
 *   caller   — start/pause/marker/stop, and status from atomics only.
 * Design and latency budget: docs/RECORDING.md; progress file and recovery:
 * docs/FORMAT.md (section 9). */
#include "tamga/recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <portaudio.h>
#include <sndfile.h>
#include <sodium.h>

#include "audio-internal.h"
#include "record-internal.h"
#include "ring.h"
#include "tamga/container.h"
#include "tamga/custody.h"
#include "tamga/manifest.h"
#include "tamga/privmeta.h"
#include "util.h"

#define FLUSH_MS       500  /* a message + fsync + progress record this often */
#define RING_SECONDS   10   /* capture buffer */
#define BLOCK_MS       33   /* one capture read = one ALSA period: ~30 wake-ups a second */
#define ENC_FRAMES     4096 /* frames per encoder step, at most */
#define LEVEL_MS       33   /* peak/RMS window */
#define CLIP_LEVEL     0.999f
#define CLIP_HOLD_MS   1000
#define FILE_BLOCK     4096 /* frames per libsndfile read */
#define IDLE_MS        100  /* encoder: longest sleep without new audio (pause, stall check) */
#define FIRST_AUDIO_MS 3000 /* longest wait for the first audio before reading */
#define STALL_MS       5000 /* a device read blocked this long counts as lost */

struct tamga_recorder {
    tamga_case *c;
    const tamga_identity *signer;
    tamga_record_options o; /* strings below are our own copies */
    char *s_title, *s_language, *s_consent, *s_embargo, *s_interviewee, *s_contact, *s_notes;
    double max_seconds;

    /* source */
    int is_file;
    char *input_path;
    SNDFILE *sf;
    int sf_fd;
    SF_INFO sfi;
    PaStream *stream;
    int pa_held;
    int rate, channels, lsb_depth;
    char source_kind[16];
    char source_name[256];
    char source_format[128];
    uint8_t source_sha256[32];
    uint64_t source_size;
    int has_source_hash;

    /* recording */
    uint8_t rid[TAMGA_ID_BYTES];
    char idhex[TAMGA_ID_HEX_LEN + 1];
    char *recpath, *privpath, *progpath;
    int lock_fd, prog_fd;
    tamga_rec_writer *w;
    tamga__opus_enc *enc;
    char started[32];
    int64_t started_mono;

    tamga__ring ring;
    pthread_t cap_thread, enc_thread;
    int threads_running;
    pthread_mutex_t ring_lock;
    pthread_cond_t data_cond, space_cond;

    atomic_int state;
    atomic_int stop_capture; /* capture thread: finish */
    atomic_int capture_done; /* capture thread has finished producing */
    atomic_int enc_done;     /* encoder thread has exited */
    atomic_int paused;
    atomic_int device_lost;
    atomic_int last_error;
    atomic_int_least64_t fed_frames; /* frames given to the encoder */
    atomic_int_least64_t last_read_mono;
    atomic_int_least64_t last_clip_mono;
    atomic_uint peak_bits, rms_bits;
    atomic_uint_least64_t bytes_written;
    atomic_uint_least64_t overflows;

    /* under `lock` */
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    char error_detail[256];
    tamga__marker *markers;
    size_t n_markers, cap_markers, markers_logged, markers_private;
    tamga_interval *pauses;
    size_t n_pauses, cap_pauses, pauses_logged;
    int64_t pause_at_ms, pause_wall;
    int stopped; /* stop or free ran */
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned f2u(float f)
{
    unsigned u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static float u2f(unsigned u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int64_t frames_to_ms(const tamga_recorder *r, int64_t frames)
{
    return frames * 1000 / r->rate;
}

/* Records the failure that ended recording (first one wins) and its detail,
 * which lives in this thread only. */
static void set_failed(tamga_recorder *r, int code, const char *detail)
{
    pthread_mutex_lock(&r->lock);
    int expected = 0;
    if (atomic_compare_exchange_strong(&r->last_error, &expected, code))
        snprintf(r->error_detail, sizeof r->error_detail, "%s", detail);
    int st = atomic_load(&r->state);
    if (st == TAMGA_RECORDER_RECORDING || st == TAMGA_RECORDER_PAUSED)
        atomic_store(&r->state, TAMGA_RECORDER_FAILED);
    pthread_mutex_unlock(&r->lock);
    atomic_store(&r->stop_capture, 1);
}

/* ---- the capture side ---- */

static void wake(pthread_cond_t *cond, tamga_recorder *r)
{
    pthread_mutex_lock(&r->ring_lock);
    pthread_cond_signal(cond);
    pthread_mutex_unlock(&r->ring_lock);
}

static struct timespec deadline_ms(int ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += (long)ms * 1000000L;
    ts.tv_sec += ts.tv_nsec / 1000000000L;
    ts.tv_nsec %= 1000000000L;
    return ts;
}

static void timed_wait(tamga_recorder *r, pthread_cond_t *cond, int ms)
{
    struct timespec ts = deadline_ms(ms);
    pthread_mutex_lock(&r->ring_lock);
    pthread_cond_timedwait(cond, &r->ring_lock, &ts);
    pthread_mutex_unlock(&r->ring_lock);
}

/* The encoder sleeps until the capture side has written (or finished), at most
 * `ms`. The ring is checked under ring_lock and the capture side signals under
 * it (wake), so no wake-up is lost and the encoder does not need to poll. */
static void wait_for_data(tamga_recorder *r, int ms)
{
    struct timespec ts = deadline_ms(ms);
    pthread_mutex_lock(&r->ring_lock);
    if (tamga__ring_avail(&r->ring) == 0 && !atomic_load(&r->capture_done))
        pthread_cond_timedwait(&r->data_cond, &r->ring_lock, &ts);
    pthread_mutex_unlock(&r->ring_lock);
}

static void *device_thread(void *arg)
{
    tamga_recorder *r = arg;
    unsigned long block = (unsigned long)(r->rate * BLOCK_MS / 1000);
    size_t n = block * (size_t)r->channels;
    float *buf = malloc(n * sizeof *buf);
    if (buf == NULL) {
        set_failed(r, TAMGA_ERR_NOMEM, "out of memory capturing");
        atomic_store(&r->capture_done, 1);
        return NULL;
    }
    /* PulseAudio's ALSA plugin reports the stream readable before its first
     * fragment arrives, and Pa_ReadStream then spins (poll returns at once)
     * until it does: 1.4 s and 1.3 CPU-s with the tests' null sink. So the
     * first audio is awaited by asking, every 10 ms, how much is there. Only
     * before the first read: once a read has taken part of a fragment, asking
     * can deadlock inside libpulse if the server dies (docs/RECORDING.md).
     * An error or a dead server ends the wait; the read below reports it. */
    int64_t t0 = mono_ms();
    while (!atomic_load(&r->stop_capture) && mono_ms() - t0 < FIRST_AUDIO_MS &&
           Pa_GetStreamReadAvailable(r->stream) == 0)
        nanosleep(&(struct timespec){0, 10000000L}, NULL);
    while (!atomic_load(&r->stop_capture)) {
        PaError e = Pa_ReadStream(r->stream, buf, block);
        atomic_store(&r->last_read_mono, mono_ms());
        if (e == paInputOverflowed) {
            /* The driver dropped audio before we could read it: counted too. */
            atomic_fetch_add(&r->overflows, 1);
        } else if (e != paNoError) {
            char d[256];
            snprintf(d, sizeof d, "the input device failed: %s", Pa_GetErrorText(e));
            atomic_store(&r->device_lost, 1);
            set_failed(r, TAMGA_ERR_DEVICE, d);
            break;
        }
        if (atomic_load(&r->paused))
            continue;
        /* Never wait for the encoder: what does not fit is dropped and counted. */
        if (!tamga__ring_write_all(&r->ring, buf, n))
            atomic_fetch_add(&r->overflows, 1);
        wake(&r->data_cond, r); /* the encoder holds ring_lock only to check the ring */
    }
    free(buf);
    atomic_store(&r->capture_done, 1);
    wake(&r->data_cond, r);
    return NULL;
}

static void *file_thread(void *arg)
{
    tamga_recorder *r = arg;
    size_t ch = (size_t)r->channels;
    float *buf = malloc(FILE_BLOCK * ch * sizeof *buf);
    if (buf == NULL)
        set_failed(r, TAMGA_ERR_NOMEM, "out of memory reading the input");
    while (buf != NULL && !atomic_load(&r->stop_capture)) {
        sf_count_t got = sf_readf_float(r->sf, buf, FILE_BLOCK);
        if (got <= 0) {
            if (sf_error(r->sf) != SF_ERR_NO_ERROR) {
                char d[256];
                snprintf(d, sizeof d, "%s: decoding failed (%s)", r->input_path,
                         sf_strerror(r->sf));
                set_failed(r, TAMGA_ERR_AUDIO, d);
            }
            break;
        }
        size_t total = (size_t)got * ch, done = 0;
        /* A file can wait for the encoder: nothing is ever dropped. */
        while (done < total && !atomic_load(&r->stop_capture)) {
            size_t space = tamga__ring_space(&r->ring) / ch * ch;
            size_t k = total - done < space ? total - done : space;
            if (k > 0) {
                tamga__ring_write(&r->ring, buf + done, k);
                done += k;
                wake(&r->data_cond, r);
            } else {
                timed_wait(r, &r->space_cond, 10);
            }
        }
    }
    free(buf);
    atomic_store(&r->capture_done, 1);
    wake(&r->data_cond, r);
    return NULL;
}

/* ---- durability: flush, progress, private metadata ---- */

static int write_all_fd(int fd, const char *p, size_t n, const char *path)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = EIO;
            return tamga__errno_fail("cannot write", path);
        }
        p += k;
        n -= (size_t)k;
    }
    return TAMGA_OK;
}

static int progress_append(tamga_recorder *r, const char *text)
{
    int rc = write_all_fd(r->prog_fd, text, strlen(text), r->progpath);
    if (rc == TAMGA_OK && fdatasync(r->prog_fd) != 0)
        rc = tamga__errno_fail("cannot sync", r->progpath);
    return rc;
}

static int append_json_line(char **buf, size_t *len, json_t *j)
{
    char *t = j ? tamga_json_dump(j) : NULL;
    json_decref(j);
    if (t == NULL)
        return TAMGA_ERR_NOMEM;
    size_t tl = strlen(t);
    char *nb = realloc(*buf, *len + tl + 2);
    if (nb == NULL) {
        free(t);
        return TAMGA_ERR_NOMEM;
    }
    memcpy(nb + *len, t, tl);
    nb[*len + tl] = '\n';
    nb[*len + tl + 1] = '\0';
    *buf = nb;
    *len += tl + 1;
    free(t);
    return TAMGA_OK;
}

static int write_private(tamga_recorder *r, int overwrite)
{
    pthread_mutex_lock(&r->lock);
    char *json = tamga__private_json(&r->o, r->markers, r->n_markers);
    size_t upto = r->n_markers;
    pthread_mutex_unlock(&r->lock);
    if (json == NULL)
        return tamga__fail(TAMGA_ERR_NOMEM, "out of memory writing private metadata");
    uint8_t *sealed = NULL;
    size_t slen = 0;
    int rc = tamga_privmeta_seal(tamga_case_get_public_key(r->c), tamga_case_get_id(r->c), r->rid,
                                 json, strlen(json), &sealed, &slen);
    sodium_memzero(json, strlen(json));
    free(json);
    if (rc == TAMGA_OK)
        rc = tamga_write_atomic(r->privpath, sealed, slen, 0600, overwrite);
    free(sealed);
    if (rc == TAMGA_OK) {
        pthread_mutex_lock(&r->lock);
        r->markers_private = upto;
        pthread_mutex_unlock(&r->lock);
    }
    return rc;
}

/* Data first (message + fsync), then the progress record that points at it. */
static int durable_flush(tamga_recorder *r)
{
    int rc = tamga_rec_writer_flush(r->w, 1);
    if (rc != TAMGA_OK)
        return rc;
    uint64_t framed_end = tamga_rec_writer_bytes(r->w);
    atomic_store(&r->bytes_written, framed_end);
    tamga_rec_streams st;
    tamga_rec_writer_digest(r->w, NULL, &st);

    pthread_mutex_lock(&r->lock);
    int need_private = r->markers_private < r->n_markers;
    pthread_mutex_unlock(&r->lock);
    if (need_private && (rc = write_private(r, 1)) != TAMGA_OK)
        return rc;

    char *buf = NULL;
    size_t len = 0;
    pthread_mutex_lock(&r->lock);
    for (; rc == TAMGA_OK && r->markers_logged < r->markers_private; r->markers_logged++)
        rc = append_json_line(&buf, &len,
                              json_pack("{s:s, s:I}", "t", "marker", "at_ms",
                                        (json_int_t)r->markers[r->markers_logged].at_ms));
    for (; rc == TAMGA_OK && r->pauses_logged < r->n_pauses; r->pauses_logged++)
        rc = append_json_line(&buf, &len,
                              json_pack("{s:s, s:I, s:I}", "t", "pause", "start_ms",
                                        (json_int_t)r->pauses[r->pauses_logged].start_ms, "end_ms",
                                        (json_int_t)r->pauses[r->pauses_logged].end_ms));
    pthread_mutex_unlock(&r->lock);

    /* The audio that is on disk, to the sample: the last page's granule. */
    int64_t g = tamga__opus_enc_last_granule(r->enc) - tamga__opus_enc_pre_skip(r->enc);
    int64_t elapsed = g > 0 ? g * 1000 / 48000 : 0;
    char sha[65], now[32];
    tamga_hex_encode(st.plain_sha256[TAMGA_STREAM_AUDIO], 32, sha);
    tamga_utc_now(now, sizeof now);
    if (rc == TAMGA_OK)
        rc = append_json_line(&buf, &len,
                              json_pack("{s:s, s:I, s:I, s:s, s:I, s:s, s:I}", "t", "flush",
                                        "framed_end", (json_int_t)framed_end, "audio_bytes",
                                        (json_int_t)st.plain_bytes[TAMGA_STREAM_AUDIO],
                                        "audio_sha256", sha, "elapsed_ms", (json_int_t)elapsed,
                                        "time", now, "overflows",
                                        (json_int_t)atomic_load(&r->overflows)));
    if (rc == TAMGA_ERR_NOMEM)
        tamga__fail(rc, "out of memory writing the progress record");
    if (rc == TAMGA_OK)
        rc = progress_append(r, buf);
    free(buf);
    return rc;
}

/* ---- the encoder thread ---- */

static int push_audio(void *user, const uint8_t *data, size_t len)
{
    tamga_recorder *r = user;
    return tamga_rec_writer_push(r->w, TAMGA_STREAM_AUDIO, data, len);
}

typedef struct {
    float peak;
    double sumsq;
    int64_t n;
    int64_t window;
} level_state;

static void meter(tamga_recorder *r, level_state *lv, const float *pcm, int frames)
{
    int ch = r->channels;
    int clipped = 0;
    for (int i = 0; i < frames; i++) {
        for (int k = 0; k < ch; k++) {
            float x = pcm[(size_t)i * (size_t)ch + (size_t)k];
            float a = x < 0 ? -x : x;
            if (a > lv->peak)
                lv->peak = a;
            if (a >= CLIP_LEVEL)
                clipped = 1;
            lv->sumsq += (double)x * x;
        }
        if (++lv->n >= lv->window) {
            atomic_store(&r->peak_bits, f2u(lv->peak > 1.0f ? 1.0f : lv->peak));
            float rms = (float)sqrt(lv->sumsq / (double)(lv->n * ch));
            atomic_store(&r->rms_bits, f2u(rms > 1.0f ? 1.0f : rms));
            lv->peak = 0;
            lv->sumsq = 0;
            lv->n = 0;
        }
    }
    if (clipped)
        atomic_store(&r->last_clip_mono, mono_ms());
}

static void *encoder_thread(void *arg)
{
    tamga_recorder *r = arg;
    size_t ch = (size_t)r->channels;
    float *pcm = malloc(ENC_FRAMES * ch * sizeof *pcm);
    level_state lv = {0, 0, 0, r->rate * LEVEL_MS / 1000};
    int64_t max_frames = r->max_seconds > 0 ? (int64_t)(r->max_seconds * r->rate + 0.5) : 0;
    int64_t last_flush = mono_ms();
    int rc = pcm ? TAMGA_OK : tamga__fail(TAMGA_ERR_NOMEM, "out of memory encoding");
    while (rc == TAMGA_OK) {
        size_t got = tamga__ring_read(&r->ring, pcm, ENC_FRAMES * ch);
        if (got == 0) {
            if (atomic_load(&r->capture_done) && tamga__ring_avail(&r->ring) == 0)
                break;
            if (!r->is_file && atomic_load(&r->state) == TAMGA_RECORDER_RECORDING &&
                mono_ms() - atomic_load(&r->last_read_mono) > STALL_MS) {
                /* A read that never returns: the audio server or device is gone. */
                atomic_store(&r->device_lost, 1);
                set_failed(r, TAMGA_ERR_DEVICE,
                           "the input device stopped delivering audio (disconnected?)");
                break;
            }
            wait_for_data(r, IDLE_MS);
        } else {
            int frames = (int)(got / ch);
            int64_t fed = atomic_load(&r->fed_frames);
            int hit_max = 0;
            if (max_frames > 0 && fed + frames >= max_frames) {
                frames = (int)(max_frames - fed);
                hit_max = 1;
            }
            if (r->is_file)
                wake(&r->space_cond, r);
            meter(r, &lv, pcm, frames);
            if (frames > 0)
                rc = tamga__opus_enc_write_float(r->enc, pcm, frames);
            if (rc != TAMGA_OK)
                break;
            atomic_store(&r->fed_frames, fed + frames);
            if (hit_max) {
                atomic_store(&r->stop_capture, 1);
                break;
            }
        }
        if (mono_ms() - last_flush >= FLUSH_MS) {
            last_flush = mono_ms();
            rc = durable_flush(r);
        }
    }
    /* What was encoded so far becomes durable even if nobody calls stop. */
    if (rc == TAMGA_OK)
        rc = durable_flush(r);
    if (rc != TAMGA_OK) {
        char d[256];
        snprintf(d, sizeof d, "%s", tamga_error_detail());
        set_failed(r, rc, d);
    }
    free(pcm);
    /* The capture thread may be waiting for room that will never come. */
    atomic_store(&r->stop_capture, 1);
    wake(&r->space_cond, r);
    pthread_mutex_lock(&r->lock);
    atomic_store(&r->enc_done, 1);
    pthread_cond_broadcast(&r->done_cond);
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

/* ---- set-up ---- */

static int open_file_source(tamga_recorder *r, const char *path)
{
    r->is_file = 1;
    r->input_path = strdup(path);
    if (r->input_path == NULL)
        return TAMGA_ERR_NOMEM;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return tamga__errno_fail("cannot open", path);
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return tamga__fail(TAMGA_ERR_AUDIO, "%s: not a regular file", path);
    }
    if ((uint64_t)st.st_size > TAMGA_AUDIO_MAX_FILE) {
        close(fd);
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "%s: more than %llu bytes", path,
                           (unsigned long long)TAMGA_AUDIO_MAX_FILE);
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    int rc = tamga_sha256_file(path, r->source_sha256, &r->source_size);
    if (rc != TAMGA_OK) {
        close(fd);
        return rc;
    }
    r->has_source_hash = 1;
    memset(&r->sfi, 0, sizeof r->sfi);
    r->sf = sf_open_fd(fd, SFM_READ, &r->sfi, 1);
    if (r->sf == NULL) {
        close(fd);
        return tamga__fail(TAMGA_ERR_AUDIO, "%s: not a readable audio file (%s)", path,
                           sf_strerror(NULL));
    }
    if (r->sfi.samplerate < TAMGA_AUDIO_MIN_RATE || r->sfi.samplerate > TAMGA_AUDIO_MAX_RATE ||
        r->sfi.channels < 1 || r->sfi.channels > TAMGA_AUDIO_MAX_CHANNELS || r->sfi.frames < 1)
        return tamga__fail(TAMGA_ERR_AUDIO, "%s: unusable audio (%d Hz, %d channels, %lld frames)",
                           path, r->sfi.samplerate, r->sfi.channels, (long long)r->sfi.frames);
    r->rate = r->sfi.samplerate;
    r->channels = r->sfi.channels;
    r->lsb_depth = tamga__sf_lsb_depth(r->sfi.format);
    snprintf(r->source_kind, sizeof r->source_kind, "file");
    const char *slash = strrchr(path, '/');
    snprintf(r->source_name, sizeof r->source_name, "%s", slash ? slash + 1 : path);
    tamga__sf_describe(r->sfi.format, r->source_format, sizeof r->source_format);
    return TAMGA_OK;
}

static int open_device_source(tamga_recorder *r, const char *device, int channels)
{
    int rc = tamga__pa_acquire();
    if (rc != TAMGA_OK)
        return rc;
    r->pa_held = 1;
    int idx;
    rc = tamga__pa_find_device(device, 1, &idx);
    if (rc != TAMGA_OK)
        return rc;
    const PaDeviceInfo *info = Pa_GetDeviceInfo(idx);
    const PaHostApiInfo *api = Pa_GetHostApiInfo(info->hostApi);
    if (info->maxInputChannels < channels)
        return tamga__fail(TAMGA_ERR_DEVICE, "%s has %d input channel(s), %d asked for", info->name,
                           info->maxInputChannels, channels);
    int rate = (int)(info->defaultSampleRate + 0.5);
    if (rate < TAMGA_AUDIO_MIN_RATE || rate > TAMGA_AUDIO_MAX_RATE)
        rate = 48000;
    PaStreamParameters in;
    memset(&in, 0, sizeof in);
    in.device = idx;
    in.channelCount = channels;
    in.sampleFormat = paFloat32;
    /* Two periods of BLOCK_MS at least: PortAudio then sets the ALSA period to
     * one block, so each read is one wake-up (bench/README.md, section c). */
    in.suggestedLatency = info->defaultHighInputLatency;
    if (in.suggestedLatency < 2.0 * BLOCK_MS / 1000)
        in.suggestedLatency = 2.0 * BLOCK_MS / 1000;
    int quiet = tamga__stderr_quiet_begin();
    PaError e = Pa_OpenStream(&r->stream, &in, NULL, rate, (unsigned long)(rate * BLOCK_MS / 1000),
                              paNoFlag, NULL, NULL);
    tamga__stderr_quiet_end(quiet);
    if (e != paNoError) {
        r->stream = NULL;
        return tamga__fail(TAMGA_ERR_DEVICE, "cannot open input %d '%s' at %d Hz: %s", idx,
                           info->name, rate, Pa_GetErrorText(e));
    }
    r->rate = rate;
    r->channels = channels;
    r->lsb_depth = 24;
    snprintf(r->source_kind, sizeof r->source_kind, "device");
    snprintf(r->source_name, sizeof r->source_name, "%s", info->name);
    snprintf(r->source_format, sizeof r->source_format, "PortAudio %s, 32-bit float",
             api && api->name ? api->name : "");
    return TAMGA_OK;
}

int tamga_recorder_new(tamga_case *c, const tamga_identity *signer,
                       const tamga_recorder_config *cfg, tamga_recorder **out)
{
    *out = NULL;
    if (!tamga_identity_is_unlocked(signer))
        return tamga__fail(TAMGA_ERR_LOCKED, "the identity must be unlocked to sign");
    tamga_record_options o;
    int rc = tamga__record_options_check(&cfg->meta, &o);
    if (rc != TAMGA_OK)
        return rc;
    int channels = cfg->channels == 0 ? 1 : cfg->channels;
    if (channels != 1 && channels != 2)
        return tamga__fail(TAMGA_ERR_INVALID, "record 1 or 2 channels, not %d", cfg->channels);
    if (!(cfg->max_seconds >= 0) || cfg->max_seconds > 48.0 * 3600)
        return tamga__fail(TAMGA_ERR_INVALID, "the duration must be 0 to 48 hours");
    if (o.keep_original)
        return tamga__fail(TAMGA_ERR_INVALID, "keep_original is for tamga_record_file only");

    tamga_recorder *r = calloc(1, sizeof *r);
    if (r == NULL)
        return tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
    r->c = c;
    r->signer = signer;
    r->sf_fd = -1;
    r->lock_fd = -1;
    r->prog_fd = -1;
    r->max_seconds = cfg->max_seconds;
    pthread_mutex_init(&r->lock, NULL);
    pthread_mutex_init(&r->ring_lock, NULL);
    pthread_cond_init(&r->done_cond, NULL);
    pthread_cond_init(&r->data_cond, NULL);
    pthread_cond_init(&r->space_cond, NULL);
    atomic_init(&r->state, TAMGA_RECORDER_IDLE);
    r->o = o;
    r->o.title = r->s_title = dup_or_null(o.title);
    r->o.language = r->s_language = dup_or_null(o.language);
    r->o.consent = r->s_consent = dup_or_null(o.consent);
    r->o.embargo = r->s_embargo = dup_or_null(o.embargo);
    r->o.interviewee = r->s_interviewee = dup_or_null(o.interviewee);
    r->o.contact = r->s_contact = dup_or_null(o.contact);
    r->o.notes = r->s_notes = dup_or_null(o.notes);
    if ((o.title && !r->s_title) || (o.language && !r->s_language) || !r->s_consent ||
        (o.embargo && !r->s_embargo) || (o.interviewee && !r->s_interviewee) ||
        (o.contact && !r->s_contact) || (o.notes && !r->s_notes))
        rc = tamga__fail(TAMGA_ERR_NOMEM, "out of memory");

    if (rc == TAMGA_OK)
        rc = cfg->input_file ? open_file_source(r, cfg->input_file)
                             : open_device_source(r, cfg->device, channels);
    if (rc == TAMGA_OK) {
        size_t samples = (size_t)r->rate * (size_t)r->channels * RING_SECONDS;
        if (r->is_file)
            samples = (size_t)FILE_BLOCK * (size_t)r->channels * 8;
        if (tamga__ring_init(&r->ring, samples) != TAMGA_OK)
            rc = tamga__fail(TAMGA_ERR_NOMEM, "out of memory for the capture buffer");
    }
    if (rc == TAMGA_OK) {
        tamga_random_id(r->rid);
        tamga_hex_encode(r->rid, sizeof r->rid, r->idhex);
        r->recpath = tamga__recording_path(c, r->idhex, ".tamga");
        r->privpath = tamga__recording_path(c, r->idhex, ".private");
        r->progpath = tamga__recording_path(c, r->idhex, ".progress");
        if (!r->recpath || !r->privpath || !r->progpath)
            rc = tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
    }
    if (rc != TAMGA_OK) {
        char d[512];
        snprintf(d, sizeof d, "%s", tamga_error_detail());
        tamga_recorder_free(r);
        return tamga__fail(rc, "%s", d);
    }
    *out = r;
    return TAMGA_OK;
}

static int progress_header(tamga_recorder *r)
{
    json_t *j =
        json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i}", "format",
                  TAMGA_PROGRESS_FORMAT, "version", TAMGA_PROGRESS_VERSION, "case",
                  tamga_case_get_id_hex(r->c), "recording", r->idhex, "started", r->started,
                  "source_kind", r->source_kind, "source_name", r->source_name, "source_format",
                  r->source_format, "input_rate", r->rate, "channels", r->channels, "bitrate",
                  r->o.bitrate, "complexity", r->o.complexity, "frame_ms10", 200);
    if (j == NULL)
        return tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
    json_object_set_new(j, "title", json_string(r->o.title ? r->o.title : ""));
    json_object_set_new(j, "language", json_string(r->o.language ? r->o.language : ""));
    json_object_set_new(j, "consent", json_string(r->o.consent));
    json_object_set_new(j, "embargo", json_string(r->o.embargo ? r->o.embargo : ""));
    if (r->has_source_hash) {
        char hex[65];
        tamga_hex_encode(r->source_sha256, 32, hex);
        json_object_set_new(j, "source_sha256", json_string(hex));
        json_object_set_new(j, "source_size", json_integer((json_int_t)r->source_size));
    }
    char *buf = NULL;
    size_t len = 0;
    int rc = append_json_line(&buf, &len, j);
    if (rc != TAMGA_OK)
        return tamga__fail(rc, "out of memory");
    rc = progress_append(r, buf);
    free(buf);
    return rc;
}

static void log_started(tamga_recorder *r, int *rc)
{
    if (*rc != TAMGA_OK)
        return;
    json_t *sj = json_pack("{s:s, s:s, s:s}", "recording", r->idhex, "source", r->source_kind,
                           "started", r->started);
    char *st = sj ? tamga_json_dump(sj) : NULL;
    json_decref(sj);
    *rc = st ? tamga_case_log_event(r->c, r->signer, TAMGA_EVENT_RECORDING_STARTED, st)
             : TAMGA_ERR_NOMEM;
    free(st);
}

int tamga_recorder_start(tamga_recorder *r)
{
    if (atomic_load(&r->state) != TAMGA_RECORDER_IDLE)
        return tamga__fail(TAMGA_ERR_INVALID, "the recorder was already started");
    tamga_utc_now(r->started, sizeof r->started);
    const tamga_pubid *me = tamga_identity_get_public(r->signer);
    int rc = tamga_case_register_signer(r->c, me);
    if (rc == TAMGA_OK)
        rc = tamga_rec_writer_open(r->recpath, tamga_case_get_public_key(r->c),
                                   tamga_case_get_id(r->c), r->rid, &r->w);
    if (rc == TAMGA_OK)
        rc = tamga__lock_recording(r->recpath, &r->lock_fd);
    if (rc == TAMGA_OK) {
        r->prog_fd = open(r->progpath, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
        if (r->prog_fd < 0)
            rc = tamga__errno_fail("cannot create", r->progpath);
    }
    if (rc == TAMGA_OK)
        rc = progress_header(r);
    if (rc == TAMGA_OK)
        rc = write_private(r, 0);
    if (rc == TAMGA_OK) {
        char *dir = tamga_path_join(tamga_case_get_dir(r->c), "recordings");
        rc = dir ? tamga_fsync_dir(dir) : TAMGA_ERR_NOMEM;
        free(dir);
    }
    if (rc == TAMGA_OK)
        rc = tamga__opus_enc_new(r->rate, r->channels, r->lsb_depth,
                                 &(tamga_encode_params){r->o.bitrate, r->o.complexity}, push_audio,
                                 r, &r->enc);
    log_started(r, &rc);
    if (rc == TAMGA_OK && r->stream != NULL) {
        PaError e = Pa_StartStream(r->stream);
        if (e != paNoError)
            rc = tamga__fail(TAMGA_ERR_DEVICE, "cannot start the input '%s': %s", r->source_name,
                             Pa_GetErrorText(e));
    }
    if (rc == TAMGA_OK) {
        r->started_mono = mono_ms();
        atomic_store(&r->last_read_mono, r->started_mono);
        atomic_store(&r->state, TAMGA_RECORDER_RECORDING);
        if (pthread_create(&r->cap_thread, NULL, r->is_file ? file_thread : device_thread, r) !=
            0) {
            rc = tamga__fail(TAMGA_ERR_NOMEM, "cannot start the capture thread");
        } else if (pthread_create(&r->enc_thread, NULL, encoder_thread, r) != 0) {
            atomic_store(&r->stop_capture, 1);
            pthread_join(r->cap_thread, NULL);
            rc = tamga__fail(TAMGA_ERR_NOMEM, "cannot start the encoder thread");
        } else {
            r->threads_running = 1;
        }
    }
    if (rc != TAMGA_OK) {
        /* Nothing was recorded: leave no trace but the custody log. */
        atomic_store(&r->state, TAMGA_RECORDER_FAILED);
        atomic_store(&r->last_error, rc);
        char d[256];
        snprintf(d, sizeof d, "%s", tamga_error_detail());
        snprintf(r->error_detail, sizeof r->error_detail, "%s", d);
        tamga_rec_writer_free(r->w);
        r->w = NULL;
        if (r->prog_fd >= 0)
            close(r->prog_fd);
        r->prog_fd = -1;
        unlink(r->progpath);
        unlink(r->privpath);
        unlink(r->recpath);
        if (r->lock_fd >= 0)
            close(r->lock_fd);
        r->lock_fd = -1;
        r->stopped = 1;
        return tamga__fail(rc, "%s", d);
    }
    return TAMGA_OK;
}

int tamga_recorder_pause(tamga_recorder *r)
{
    pthread_mutex_lock(&r->lock);
    int rc = TAMGA_OK;
    int st = atomic_load(&r->state);
    if (st == TAMGA_RECORDER_RECORDING) {
        atomic_store(&r->paused, 1);
        r->pause_at_ms = frames_to_ms(r, atomic_load(&r->fed_frames));
        r->pause_wall = mono_ms();
        atomic_store(&r->state, TAMGA_RECORDER_PAUSED);
    } else if (st != TAMGA_RECORDER_PAUSED) {
        rc = tamga__fail(TAMGA_ERR_INVALID, "not recording");
    }
    pthread_mutex_unlock(&r->lock);
    return rc;
}

static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return TAMGA_OK;
    size_t nc = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, nc * size);
    if (p == NULL)
        return TAMGA_ERR_NOMEM;
    *arr = p;
    *cap = nc;
    return TAMGA_OK;
}

int tamga_recorder_resume(tamga_recorder *r)
{
    pthread_mutex_lock(&r->lock);
    int rc = TAMGA_OK;
    int st = atomic_load(&r->state);
    if (st == TAMGA_RECORDER_PAUSED) {
        if (r->n_pauses >= TAMGA_MANIFEST_MAX_PAUSES)
            rc = tamga__fail(TAMGA_ERR_TOO_LARGE, "more than %d pauses", TAMGA_MANIFEST_MAX_PAUSES);
        else if (grow((void **)&r->pauses, &r->cap_pauses, r->n_pauses, sizeof *r->pauses) !=
                 TAMGA_OK)
            rc = tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
        if (rc == TAMGA_OK) {
            /* start_ms: the recording time where the cut is; end_ms - start_ms:
             * how long (wall clock) the pause lasted. */
            r->pauses[r->n_pauses].start_ms = r->pause_at_ms;
            r->pauses[r->n_pauses].end_ms = r->pause_at_ms + (mono_ms() - r->pause_wall);
            r->n_pauses++;
        }
        atomic_store(&r->paused, 0);
        atomic_store(&r->state, TAMGA_RECORDER_RECORDING);
    } else if (st != TAMGA_RECORDER_RECORDING) {
        rc = tamga__fail(TAMGA_ERR_INVALID, "not recording");
    }
    pthread_mutex_unlock(&r->lock);
    return rc;
}

int tamga_recorder_add_marker(tamga_recorder *r, const char *label)
{
    if (label != NULL) {
        json_t *probe = json_string(label); /* refuses invalid UTF-8 */
        size_t n = strlen(label);
        int ok = probe != NULL && n <= 1024;
        for (size_t i = 0; ok && i < n; i++)
            ok = (unsigned char)label[i] >= 0x20 || label[i] == '\t';
        json_decref(probe);
        if (!ok)
            return tamga__fail(TAMGA_ERR_INVALID,
                               "a marker label is UTF-8 text of at most 1024 bytes");
    }
    pthread_mutex_lock(&r->lock);
    int rc = TAMGA_OK;
    int st = atomic_load(&r->state);
    if (st != TAMGA_RECORDER_RECORDING && st != TAMGA_RECORDER_PAUSED)
        rc = tamga__fail(TAMGA_ERR_INVALID, "not recording");
    else if (r->n_markers >= TAMGA_MANIFEST_MAX_MARKERS)
        rc = tamga__fail(TAMGA_ERR_TOO_LARGE, "more than %d markers", TAMGA_MANIFEST_MAX_MARKERS);
    else if (grow((void **)&r->markers, &r->cap_markers, r->n_markers, sizeof *r->markers) !=
             TAMGA_OK)
        rc = tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
    if (rc == TAMGA_OK) {
        tamga__marker *m = &r->markers[r->n_markers];
        m->at_ms = st == TAMGA_RECORDER_PAUSED ? r->pause_at_ms
                                               : frames_to_ms(r, atomic_load(&r->fed_frames));
        m->label = label ? strdup(label) : NULL;
        if (label && !m->label)
            rc = tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
        else
            r->n_markers++;
    }
    pthread_mutex_unlock(&r->lock);
    return rc;
}

void tamga_recorder_get_status(tamga_recorder *r, tamga_recorder_status *out)
{
    memset(out, 0, sizeof *out);
    out->state = (tamga_recorder_state)atomic_load(&r->state);
    out->elapsed_ms = frames_to_ms(r, atomic_load(&r->fed_frames));
    out->peak = u2f(atomic_load(&r->peak_bits));
    out->rms = u2f(atomic_load(&r->rms_bits));
    int64_t clip = atomic_load(&r->last_clip_mono);
    out->clipping = clip != 0 && mono_ms() - clip < CLIP_HOLD_MS;
    out->bytes_written = atomic_load(&r->bytes_written);
    out->overflows = atomic_load(&r->overflows);
    out->last_error = atomic_load(&r->last_error);
    memcpy(out->recording_id, r->idhex, sizeof r->idhex);
    if (out->last_error != 0 && pthread_mutex_trylock(&r->lock) == 0) {
        snprintf(out->error_detail, sizeof out->error_detail, "%s", r->error_detail);
        pthread_mutex_unlock(&r->lock);
    }
}

int tamga_recorder_wait(tamga_recorder *r, int timeout_ms)
{
    if (!r->threads_running)
        return 1;
    pthread_mutex_lock(&r->lock);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (timeout_ms >= 0) {
        ts.tv_sec += timeout_ms / 1000;
        ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        ts.tv_sec += ts.tv_nsec / 1000000000L;
        ts.tv_nsec %= 1000000000L;
    }
    while (!atomic_load(&r->enc_done)) {
        int e = timeout_ms < 0 ? pthread_cond_wait(&r->done_cond, &r->lock)
                               : pthread_cond_timedwait(&r->done_cond, &r->lock, &ts);
        if (e != 0)
            break;
    }
    int done = atomic_load(&r->enc_done);
    pthread_mutex_unlock(&r->lock);
    return done ? 1 : 0;
}

/* Ends the threads and closes the input; after this only the caller's thread
 * touches the writer and encoder. */
static void halt(tamga_recorder *r)
{
    if (r->threads_running) {
        atomic_store(&r->stop_capture, 1);
        wake(&r->space_cond, r);
        if (r->stream != NULL && atomic_load(&r->device_lost))
            Pa_AbortStream(r->stream); /* a read may hang on a dead server */
        pthread_join(r->cap_thread, NULL);
        pthread_join(r->enc_thread, NULL);
        r->threads_running = 0;
    }
    if (r->stream != NULL) {
        if (atomic_load(&r->device_lost))
            Pa_AbortStream(r->stream);
        else
            Pa_StopStream(r->stream);
        Pa_CloseStream(r->stream);
        r->stream = NULL;
    }
}

static int seal_complete(tamga_recorder *r, const char *end_reason, tamga_record_result *res)
{
    int rc = tamga__opus_enc_drain(r->enc);
    if (rc == TAMGA_OK)
        rc = tamga_rec_writer_finish(r->w);
    if (rc != TAMGA_OK)
        return rc;
    tamga_manifest m;
    memset(&m, 0, sizeof m);
    tamga_rec_streams streams;
    tamga_rec_writer_digest(r->w, m.file_sha256, &streams);
    m.file_size = tamga_rec_writer_bytes(r->w);
    atomic_store(&r->bytes_written, m.file_size);
    memcpy(m.case_id, tamga_case_get_id(r->c), TAMGA_ID_BYTES);
    memcpy(m.recording_id, r->rid, TAMGA_ID_BYTES);
    snprintf(m.started, sizeof m.started, "%s", r->started);
    tamga_utc_now(m.ended, sizeof m.ended);
    m.duration_ms = frames_to_ms(r, atomic_load(&r->fed_frames));
    snprintf(m.codec, sizeof m.codec, "opus");
    snprintf(m.container, sizeof m.container, "ogg");
    m.sample_rate = 48000;
    m.input_rate = r->rate;
    m.channels = r->channels;
    m.bitrate = r->o.bitrate;
    m.frame_ms10 = 200;
    m.complexity = r->o.complexity;
    snprintf(m.source_kind, sizeof m.source_kind, "%s", r->source_kind);
    snprintf(m.source_name, sizeof m.source_name, "%s", r->source_name);
    snprintf(m.source_format, sizeof m.source_format, "%s", r->source_format);
    m.has_source_hash = r->has_source_hash;
    memcpy(m.source_sha256, r->source_sha256, 32);
    m.source_size = r->source_size;
    snprintf(m.status, sizeof m.status, "complete");
    snprintf(m.file_name, sizeof m.file_name, "%s.tamga", r->idhex);
    m.audio_size = streams.plain_bytes[TAMGA_STREAM_AUDIO];
    memcpy(m.audio_sha256, streams.plain_sha256[TAMGA_STREAM_AUDIO], 32);
    m.overflows = atomic_load(&r->overflows);
    snprintf(m.title, sizeof m.title, "%s", r->o.title ? r->o.title : "");
    snprintf(m.language, sizeof m.language, "%s", r->o.language ? r->o.language : "");
    snprintf(m.consent, sizeof m.consent, "%s", r->o.consent);
    snprintf(m.embargo, sizeof m.embargo, "%s", r->o.embargo ? r->o.embargo : "");

    /* Markers and pauses, and the private file with every label. */
    if (r->markers_private < r->n_markers)
        rc = write_private(r, 1);
    if (rc == TAMGA_OK && r->n_markers > 0) {
        m.markers = calloc(r->n_markers, sizeof *m.markers);
        if (m.markers == NULL)
            rc = tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
        for (size_t i = 0; rc == TAMGA_OK && i < r->n_markers; i++) {
            int64_t at = r->markers[i].at_ms > m.duration_ms ? m.duration_ms : r->markers[i].at_ms;
            m.markers[i].start_ms = m.markers[i].end_ms = at;
        }
        m.n_markers = m.markers ? r->n_markers : 0;
    }
    if (rc == TAMGA_OK && r->n_pauses > 0) {
        m.pauses = malloc(r->n_pauses * sizeof *m.pauses);
        if (m.pauses == NULL)
            rc = tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
        else {
            memcpy(m.pauses, r->pauses, r->n_pauses * sizeof *m.pauses);
            m.n_pauses = r->n_pauses;
        }
    }
    if (rc == TAMGA_OK) {
        uint64_t psize;
        rc = tamga_sha256_file(r->privpath, m.private_sha256, &psize);
        m.has_private = 1;
        snprintf(m.private_name, sizeof m.private_name, "%s.private", r->idhex);
    }
    uint8_t msha[32];
    if (rc == TAMGA_OK)
        rc = tamga__seal_manifest(r->c, r->signer, &m, msha);
    if (rc == TAMGA_OK) {
        char mhex[65], fhex[65];
        tamga_hex_encode(msha, 32, mhex);
        tamga_hex_encode(m.file_sha256, 32, fhex);
        json_t *sj = json_pack("{s:s, s:s, s:s, s:s}", "recording", r->idhex, "status", "complete",
                               "manifest_sha256", mhex, "file_sha256", fhex);
        if (sj != NULL && end_reason != NULL)
            json_object_set_new(sj, "end_reason", json_string(end_reason));
        char *st = sj ? tamga_json_dump(sj) : NULL;
        json_decref(sj);
        rc = st ? tamga_case_log_event(r->c, r->signer, TAMGA_EVENT_RECORDING_SEALED, st)
                : TAMGA_ERR_NOMEM;
        free(st);
    }
    if (rc == TAMGA_OK && res != NULL) {
        memcpy(res->recording_id, r->idhex, sizeof r->idhex);
        res->duration_ms = m.duration_ms;
        res->file_size = m.file_size;
        res->audio_size = m.audio_size;
        memcpy(res->manifest_sha256, msha, 32);
    }
    tamga_manifest_clear(&m);
    return rc;
}

int tamga_recorder_stop(tamga_recorder *r, tamga_record_result *result)
{
    if (result != NULL)
        memset(result, 0, sizeof *result);
    if (r->stopped || atomic_load(&r->state) == TAMGA_RECORDER_IDLE)
        return tamga__fail(TAMGA_ERR_INVALID, "the recorder is not recording");
    halt(r);
    r->stopped = 1;
    int failure = atomic_load(&r->last_error);
    int device_lost = atomic_load(&r->device_lost);
    int rc;
    if (failure == 0 || device_lost) {
        /* The writer is sound: end the stream and seal it normally. */
        rc = seal_complete(r, device_lost ? "device-lost" : NULL, result);
        tamga_rec_writer_free(r->w);
        r->w = NULL;
    } else {
        rc = failure;
    }
    if (rc != TAMGA_OK && rc != TAMGA_ERR_INVALID && rc != TAMGA_ERR_AUDIO &&
        rc != TAMGA_ERR_NOMEM && tamga_file_exists(r->progpath)) {
        /* The disk filled or failed: seal what reached it, as recovery would. */
        char d[256];
        pthread_mutex_lock(&r->lock);
        if (failure == 0)
            snprintf(r->error_detail, sizeof r->error_detail, "%s", tamga_error_detail());
        snprintf(d, sizeof d, "%s", r->error_detail);
        pthread_mutex_unlock(&r->lock);
        tamga_rec_writer_free(r->w);
        r->w = NULL;
        int64_t dur = 0;
        uint8_t msha[32];
        int rrc =
            tamga__recover_one(r->c, r->signer, r->idhex,
                               rc == TAMGA_ERR_NOSPACE ? "disk-full" : "write-failed", &dur, msha);
        if (rrc == TAMGA_OK && result != NULL) {
            memcpy(result->recording_id, r->idhex, sizeof r->idhex);
            result->duration_ms = dur;
            memcpy(result->manifest_sha256, msha, 32);
        }
        if (failure == 0)
            failure = rc;
        rc = rrc;
        (void)tamga__fail(failure, "%s", d);
    }
    if (r->prog_fd >= 0) {
        close(r->prog_fd);
        r->prog_fd = -1;
    }
    char *manifest = tamga__recording_path(r->c, r->idhex, ".manifest.json");
    if (manifest != NULL && tamga_file_exists(manifest))
        unlink(r->progpath); /* sealed: the progress record has done its job */
    free(manifest);
    if (r->lock_fd >= 0) {
        close(r->lock_fd);
        r->lock_fd = -1;
    }
    int st = atomic_load(&r->state);
    if (failure == 0 && rc == TAMGA_OK)
        atomic_store(&r->state, TAMGA_RECORDER_STOPPED);
    else if (st != TAMGA_RECORDER_FAILED)
        atomic_store(&r->state, TAMGA_RECORDER_FAILED);
    if (failure != 0) {
        if (rc == TAMGA_OK || rc == failure) {
            pthread_mutex_lock(&r->lock);
            char d[256];
            snprintf(d, sizeof d, "%s", r->error_detail);
            pthread_mutex_unlock(&r->lock);
            return tamga__fail(failure, "%s", d);
        }
        return rc;
    }
    if (rc != TAMGA_OK && atomic_load(&r->last_error) == 0)
        atomic_store(&r->last_error, rc);
    return rc;
}

void tamga_recorder_free(tamga_recorder *r)
{
    if (r == NULL)
        return;
    halt(r);
    tamga__opus_enc_free(r->enc);
    tamga_rec_writer_free(r->w); /* unfinished: left for recovery, as after a crash */
    if (r->prog_fd >= 0)
        close(r->prog_fd);
    if (r->lock_fd >= 0)
        close(r->lock_fd);
    if (r->sf != NULL)
        sf_close(r->sf);
    if (r->pa_held)
        tamga__pa_release();
    tamga__ring_free(&r->ring);
    for (size_t i = 0; i < r->n_markers; i++)
        if (r->markers[i].label) {
            sodium_memzero(r->markers[i].label, strlen(r->markers[i].label));
            free(r->markers[i].label);
        }
    free(r->markers);
    free(r->pauses);
    char **priv[] = {&r->s_interviewee, &r->s_contact, &r->s_notes};
    for (size_t i = 0; i < 3; i++)
        if (*priv[i]) {
            sodium_memzero(*priv[i], strlen(*priv[i]));
            free(*priv[i]);
        }
    free(r->s_title);
    free(r->s_language);
    free(r->s_consent);
    free(r->s_embargo);
    free(r->input_path);
    free(r->recpath);
    free(r->privpath);
    free(r->progpath);
    pthread_mutex_destroy(&r->lock);
    pthread_mutex_destroy(&r->ring_lock);
    pthread_cond_destroy(&r->done_cond);
    pthread_cond_destroy(&r->data_cond);
    pthread_cond_destroy(&r->space_cond);
    free(r);
}
