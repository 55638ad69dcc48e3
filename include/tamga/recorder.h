/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The recorder engine: one object that captures from an audio input (PortAudio
 * device or file), encodes Ogg Opus, streams it into an encrypted recording that
 * is flushed and fsynced about once a second, and seals it on stop. Shared by
 * the CLI and the desktop app. Thread-safe getters make it cheap to poll ~30
 * times a second from a UI thread. */
#ifndef TAMGA_RECORDER_H
#define TAMGA_RECORDER_H

#include "case.h"
#include "common.h"
#include "identity.h"
#include "record.h"

typedef enum {
    TAMGA_RECORDER_IDLE = 0, /* created, not started */
    TAMGA_RECORDER_RECORDING = 1,
    TAMGA_RECORDER_PAUSED = 2,
    TAMGA_RECORDER_STOPPED = 3, /* sealed normally */
    TAMGA_RECORDER_FAILED = 4,  /* input or disk failed: what was captured is sealed */
} tamga_recorder_state;

typedef struct {
    const char *device;     /* NULL: default input; a number: PortAudio index; else a
                             * case-insensitive substring of the device name */
    const char *input_file; /* instead of a device: encode this file (faster than real time) */
    int channels;           /* 1 (default) or 2 */
    double max_seconds;     /* stop by itself after this much audio; 0 = no limit */
    /* meta.keep_original is refused (TAMGA_ERR_INVALID): use tamga_record_file. */
    tamga_record_options meta;
} tamga_recorder_config;

typedef struct {
    tamga_recorder_state state;
    int64_t elapsed_ms;     /* recorded audio, pauses excluded */
    float peak;             /* last ~33 ms, linear 0..1 */
    float rms;              /* last ~33 ms, linear 0..1 */
    int clipping;           /* a sample at or near full scale in the last second */
    uint64_t bytes_written; /* encrypted bytes on disk */
    uint64_t overflows;     /* capture buffer overruns (audio dropped), also in the manifest */
    int last_error;         /* tamga_error of the failure that ended the recording, or 0 */
    char recording_id[TAMGA_ID_HEX_LEN + 1];
    char error_detail[256]; /* one line about last_error (which device, which file), or "" */
} tamga_recorder_status;

typedef struct tamga_recorder tamga_recorder;

/* Prepares a recording in case `c`, signed by `signer` (unlocked; kept borrowed
 * until free). Opens the input (TAMGA_ERR_DEVICE with a detail listing the
 * inputs PortAudio sees when there is none or it cannot open). */
TAMGA_API int tamga_recorder_new(tamga_case *c, const tamga_identity *signer,
                                 const tamga_recorder_config *cfg, tamga_recorder **out);
/* Creates the encrypted file, logs "recording-started" and starts capturing. */
TAMGA_API int tamga_recorder_start(tamga_recorder *r);
/* While paused, captured audio is discarded (capture keeps running, so resume
 * is instant); the recording stays one continuous stream. The manifest lists
 * each pause as {start_ms: recording time of the cut, end_ms: start_ms + how
 * long the pause lasted on the wall clock}. Recording time excludes pauses. */
TAMGA_API int tamga_recorder_pause(tamga_recorder *r);
TAMGA_API int tamga_recorder_resume(tamga_recorder *r);
/* A marker at the current recording time; `label` (may be NULL) is private. */
TAMGA_API int tamga_recorder_add_marker(tamga_recorder *r, const char *label);
/* Stops capturing, drains, seals and signs. Also to be called after the recorder
 * went FAILED by itself (device lost, disk full): it seals what was captured and
 * returns the original error (TAMGA_ERR_DEVICE: sealed "complete", ended early;
 * TAMGA_ERR_NOSPACE: sealed "interrupted" up to the last durable checkpoint, as
 * recovery would; `result` is filled whenever something was sealed).
 * `result` may be NULL. */
TAMGA_API int tamga_recorder_stop(tamga_recorder *r, tamga_record_result *result);
/* Blocks until the recorder stops by itself (file input at its end, max_seconds
 * reached, or a failure) or `timeout_ms` passes (-1: forever). 1 if stopped. */
TAMGA_API int tamga_recorder_wait(tamga_recorder *r, int timeout_ms);
/* Thread-safe snapshot; never blocks on audio, encoding or disk. */
TAMGA_API void tamga_recorder_get_status(tamga_recorder *r, tamga_recorder_status *out);
/* NULL allowed. If still recording, stops without sealing (the recording is then
 * found and sealed by recovery, as after a crash). */
TAMGA_API void tamga_recorder_free(tamga_recorder *r);

/* ---- recovery ---- */
typedef void (*tamga_recover_fn)(void *user, const char *case_id, const char *recording_id,
                                 int64_t duration_ms, int rc);
/* Finds every unfinished recording (in one case, or all when case_ref is NULL),
 * seals it with status "interrupted" (duration from the progress record on disk),
 * signs it and logs "recovered". Works on record-only machines. */
TAMGA_API int tamga_recover(const char *home, const char *case_ref, const tamga_identity *signer,
                            tamga_recover_fn fn, void *user, size_t *n_recovered);
/* How many unfinished recordings exist (no identity needed). */
TAMGA_API int tamga_recover_count(const char *home, size_t *n);

/* ---- devices ---- */
typedef struct {
    int index;
    char name[256];
    char host_api[64];
    int max_input_channels;
    int max_output_channels;
    double default_rate;
    int is_default_input;
    int is_default_output;
} tamga_audio_device;
/* All devices PortAudio sees; `*list` malloc'd. */
TAMGA_API int tamga_audio_devices(tamga_audio_device **list, size_t *n);

/* ---- playback ---- */
typedef struct tamga_player tamga_player;
/* Decrypts the recording in memory and plays it through the default (or named)
 * output from `from_seconds`. Keyholders only. */
TAMGA_API int tamga_player_new(tamga_case *c, const tamga_identity *id, const char *recording_id,
                               const char *device, tamga_player **out);
TAMGA_API int tamga_player_play(tamga_player *p, double from_seconds);
TAMGA_API int tamga_player_seek(tamga_player *p, double seconds);
TAMGA_API int tamga_player_pause(tamga_player *p, int paused);
TAMGA_API double tamga_player_position(tamga_player *p);
TAMGA_API double tamga_player_duration(tamga_player *p);
/* 1 once playback reached the end. */
TAMGA_API int tamga_player_finished(tamga_player *p);
TAMGA_API void tamga_player_free(tamga_player *p);

#endif
