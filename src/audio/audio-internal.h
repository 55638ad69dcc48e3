/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private to the audio modules, the recorder, recovery and verify. Never installed. */
#ifndef TAMGA_AUDIO_INTERNAL_H
#define TAMGA_AUDIO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "tamga/audio.h"

/* ---- a streaming Ogg Opus encoder (libopusenc), shared by the file and live paths ---- */
typedef struct tamga__opus_enc tamga__opus_enc;

/* Creates an encoder for interleaved float input at `rate` Hz with `channels`
 * channels (1..8). `lsb_depth` is the input's significant bits (8..24). Pages
 * go to `write` as they are made (whole Ogg pages, one call per page); its
 * first nonzero return aborts encoding and is returned by the next call. The
 * muxing and decision delays are bounded to 100 ms so pages leave promptly. */
int tamga__opus_enc_new(int rate, int channels, int lsb_depth, const tamga_encode_params *params,
                        tamga_audio_write_fn write, void *user, tamga__opus_enc **out);
int tamga__opus_enc_write_float(tamga__opus_enc *e, const float *pcm, int frames);
/* Ends the stream (EOS page). The step that can fail. */
int tamga__opus_enc_drain(tamga__opus_enc *e);
/* Granule position (48 kHz samples, pre-skip included) of the last page written,
 * or -1 before the first audio page; and the stream's pre-skip. */
int64_t tamga__opus_enc_last_granule(const tamga__opus_enc *e);
int tamga__opus_enc_pre_skip(const tamga__opus_enc *e);
/* NULL allowed; never fails. */
void tamga__opus_enc_free(tamga__opus_enc *e);
/* Resolves defaults and bounds (bitrate 6000..256000, complexity 0..10). */
int tamga__encode_params_resolve(const tamga_encode_params *params, int *bitrate, int *complexity);

/* ---- checking ---- */
/* A stream legitimately cut off by a crash: whole pages, no end-of-stream page. */
#define TAMGA_OPUS_ALLOW_TRUNCATED 0x1u
/* tamga_opus_check with flags. */
int tamga__opus_check_ex(tamga_audio_read_fn read, void *user, unsigned flags,
                         tamga_opus_check_info *info);

/* libsndfile helpers from encode.c: a format's description and bit depth. */
void tamga__sf_describe(int format, char *out, size_t outlen);
int tamga__sf_lsb_depth(int format);

/* ---- PortAudio (devices.c) ---- */
/* Pa_Initialize / Pa_Terminate, reference counted and serialised for the
 * whole process. acquire gives TAMGA_OK or TAMGA_ERR_DEVICE. */
int tamga__pa_acquire(void);
void tamga__pa_release(void);
/* With PortAudio acquired: resolves `device` (NULL: the default; a decimal
 * number: an index; else a case-insensitive substring of the name) among
 * devices with inputs (`want_input`) or outputs. TAMGA_ERR_DEVICE with a
 * detail listing what PortAudio sees when nothing fits. */
int tamga__pa_find_device(const char *device, int want_input, int *index);

/* Points stderr at /dev/null while audio libraries probe devices; returns a
 * token for _end (-1: nothing was changed). */
int tamga__stderr_quiet_begin(void);
void tamga__stderr_quiet_end(int saved);

#endif
