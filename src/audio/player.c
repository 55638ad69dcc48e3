/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Playback for keyholders: the recording's Ogg Opus stream is decrypted into
 * sodium_malloc'd memory (never to disk), checked against its signed manifest,
 * decoded with libopusfile and written to a PortAudio output stream by a
 * playback thread. Seeking and pausing take a mutex the thread holds only
 * around one decode step. */
#include "tamga/recorder.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <opus/opusfile.h>
#include <portaudio.h>
#include <sodium.h>

#include "audio-internal.h"
#include "record-internal.h"
#include "tamga/container.h"
#include "tamga/manifest.h"
#include "util.h"

#define PLAY_FRAMES 960 /* 20 ms at 48 kHz */
#define MAX_AUDIO   ((uint64_t)2 << 30)

struct tamga_player {
    uint8_t *audio; /* sodium_malloc: the plaintext Ogg Opus stream */
    size_t audio_len;
    OggOpusFile *of;
    int channels;
    int64_t total; /* samples at 48 kHz */
    PaStream *stream;
    int pa_held;
    pthread_t thread;
    int thread_running;
    pthread_mutex_t lock;
    atomic_int quit, paused, finished;
    atomic_int_least64_t pos; /* samples played (decoded) */
};

static int decrypt_audio(tamga_case *c, const tamga_identity *id, const char *rid, tamga_player *p)
{
    tamga_manifest m;
    int rc = tamga__load_manifest(c, rid, &m);
    if (rc != TAMGA_OK)
        return rc;
    if (m.audio_size == 0 || m.audio_size > MAX_AUDIO) {
        int empty = m.audio_size == 0;
        tamga_manifest_clear(&m);
        if (empty)
            return tamga__fail(TAMGA_ERR_AUDIO, "the recording holds no audio");
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "the recording's audio is too large to play");
    }
    uint8_t *sk = NULL;
    rc = tamga_case_unlock_key(c, id, &sk);
    char *path = rc == TAMGA_OK ? tamga__recording_path(c, rid, ".tamga") : NULL;
    if (rc == TAMGA_OK && path == NULL)
        rc = TAMGA_ERR_NOMEM;
    tamga_rec_reader *r = NULL;
    if (rc == TAMGA_OK)
        rc = tamga_rec_reader_open(path, tamga_case_get_public_key(c), sk, &r);
    if (sk != NULL)
        sodium_free(sk);
    free(path);
    if (rc == TAMGA_OK) {
        p->audio = sodium_malloc((size_t)m.audio_size);
        if (p->audio == NULL)
            rc = tamga__fail(TAMGA_ERR_NOMEM, "out of memory for the audio");
    }
    size_t have = 0;
    while (rc == TAMGA_OK) {
        tamga_stream_id sid;
        const uint8_t *data;
        size_t len;
        int got = tamga_rec_reader_next(r, &sid, &data, &len);
        if (got < 0)
            rc = got;
        if (got <= 0)
            break;
        if (sid != TAMGA_STREAM_AUDIO)
            continue;
        if (len > m.audio_size - have) {
            rc = tamga__fail(TAMGA_ERR_AUTH, "the recording holds more audio than its manifest");
            break;
        }
        memcpy(p->audio + have, data, len);
        have += len;
    }
    if (rc == TAMGA_OK && tamga_rec_reader_status(r, NULL) == TAMGA_REC_CORRUPT)
        rc = tamga__fail(TAMGA_ERR_AUTH, "the recording is damaged or altered");
    if (rc == TAMGA_OK) {
        uint8_t h[32];
        crypto_hash_sha256(h, p->audio, have);
        if (have != m.audio_size || sodium_memcmp(h, m.audio_sha256, 32) != 0)
            rc = tamga__fail(TAMGA_ERR_AUTH,
                             "the decrypted audio does not match its signed manifest");
    }
    tamga_rec_reader_free(r);
    p->audio_len = have;
    tamga_manifest_clear(&m);
    return rc;
}

static void *play_thread(void *arg)
{
    tamga_player *p = arg;
    float *buf = malloc(sizeof(float) * PLAY_FRAMES * 2);
    while (buf != NULL && !atomic_load(&p->quit)) {
        if (atomic_load(&p->paused) || atomic_load(&p->finished)) {
            struct timespec ts = {0, 20 * 1000000L};
            nanosleep(&ts, NULL);
            continue;
        }
        pthread_mutex_lock(&p->lock);
        int n = op_read_float_stereo(p->of, buf, PLAY_FRAMES * 2);
        if (n > 0)
            atomic_store(&p->pos, op_pcm_tell(p->of));
        pthread_mutex_unlock(&p->lock);
        if (n == OP_HOLE)
            continue;
        if (n <= 0) {
            atomic_store(&p->finished, 1);
            continue;
        }
        if (p->channels == 1)
            for (int i = 0; i < n; i++)
                buf[i] = 0.5f * (buf[2 * i] + buf[2 * i + 1]);
        PaError e = Pa_WriteStream(p->stream, buf, (unsigned long)n);
        if (e != paNoError && e != paOutputUnderflowed) {
            atomic_store(&p->finished, 1);
            break;
        }
    }
    free(buf);
    return NULL;
}

int tamga_player_new(tamga_case *c, const tamga_identity *id, const char *recording_id,
                     const char *device, tamga_player **out)
{
    *out = NULL;
    tamga_player *p = calloc(1, sizeof *p);
    if (p == NULL)
        return tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
    pthread_mutex_init(&p->lock, NULL);
    int rc = decrypt_audio(c, id, recording_id, p);
    if (rc == TAMGA_OK) {
        int err = 0;
        p->of = op_open_memory(p->audio, p->audio_len, &err);
        if (p->of == NULL)
            rc = tamga__fail(TAMGA_ERR_AUDIO, "cannot decode the recording (%d)", err);
    }
    if (rc == TAMGA_OK) {
        p->total = op_pcm_total(p->of, -1);
        if (p->total < 0)
            p->total = 0;
        rc = tamga__pa_acquire();
        p->pa_held = rc == TAMGA_OK;
    }
    int idx = -1;
    if (rc == TAMGA_OK)
        rc = tamga__pa_find_device(device, 0, &idx);
    if (rc == TAMGA_OK) {
        const PaDeviceInfo *info = Pa_GetDeviceInfo(idx);
        PaStreamParameters o;
        memset(&o, 0, sizeof o);
        o.device = idx;
        o.channelCount = info->maxOutputChannels >= 2 ? 2 : 1;
        p->channels = o.channelCount;
        o.sampleFormat = paFloat32;
        o.suggestedLatency = info->defaultHighOutputLatency;
        /* Always decoded as stereo; a mono output gets the mix. */
        {
            int quiet = tamga__stderr_quiet_begin();
            PaError e =
                Pa_OpenStream(&p->stream, NULL, &o, 48000, PLAY_FRAMES, paNoFlag, NULL, NULL);
            tamga__stderr_quiet_end(quiet);
            if (e != paNoError) {
                p->stream = NULL;
                rc = tamga__fail(TAMGA_ERR_DEVICE, "cannot open output '%s': %s", info->name,
                                 Pa_GetErrorText(e));
            }
        }
    }
    if (rc != TAMGA_OK) {
        char d[512];
        snprintf(d, sizeof d, "%s", tamga_error_detail());
        tamga_player_free(p);
        return tamga__fail(rc, "%s", d);
    }
    atomic_store(&p->paused, 1);
    *out = p;
    return TAMGA_OK;
}

int tamga_player_seek(tamga_player *p, double seconds)
{
    if (!(seconds >= 0))
        seconds = 0;
    /* Clamped before the conversion (a huge value does not fit in int64_t), and
     * to the last sample: op_pcm_seek refuses the end itself. */
    int64_t s = p->total > 0 ? p->total - 1 : 0;
    if (seconds * 48000.0 < (double)s)
        s = (int64_t)(seconds * 48000.0);
    pthread_mutex_lock(&p->lock);
    int e = op_pcm_seek(p->of, s);
    if (e == 0) {
        atomic_store(&p->pos, s);
        atomic_store(&p->finished, 0);
    }
    pthread_mutex_unlock(&p->lock);
    return e == 0 ? TAMGA_OK : tamga__fail(TAMGA_ERR_AUDIO, "cannot seek to %.1f s", seconds);
}

int tamga_player_play(tamga_player *p, double from_seconds)
{
    int rc = tamga_player_seek(p, from_seconds);
    if (rc != TAMGA_OK)
        return rc;
    if (!p->thread_running) {
        PaError e = Pa_StartStream(p->stream);
        if (e != paNoError)
            return tamga__fail(TAMGA_ERR_DEVICE, "cannot start playback: %s", Pa_GetErrorText(e));
        if (pthread_create(&p->thread, NULL, play_thread, p) != 0) {
            Pa_AbortStream(p->stream);
            return tamga__fail(TAMGA_ERR_NOMEM, "cannot start the playback thread");
        }
        p->thread_running = 1;
    }
    atomic_store(&p->paused, 0);
    return TAMGA_OK;
}

int tamga_player_pause(tamga_player *p, int paused)
{
    atomic_store(&p->paused, paused != 0);
    return TAMGA_OK;
}

double tamga_player_position(tamga_player *p)
{
    return (double)atomic_load(&p->pos) / 48000.0;
}

double tamga_player_duration(tamga_player *p)
{
    return (double)p->total / 48000.0;
}

int tamga_player_finished(tamga_player *p)
{
    return atomic_load(&p->finished);
}

void tamga_player_free(tamga_player *p)
{
    if (p == NULL)
        return;
    atomic_store(&p->quit, 1);
    if (p->thread_running)
        pthread_join(p->thread, NULL);
    if (p->stream != NULL) {
        Pa_AbortStream(p->stream);
        Pa_CloseStream(p->stream);
    }
    if (p->pa_held)
        tamga__pa_release();
    if (p->of != NULL)
        op_free(p->of);
    if (p->audio != NULL)
        sodium_free(p->audio);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
