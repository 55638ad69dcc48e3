/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PortAudio set-up shared by capture and playback, device listing and choice. */
#include <ctype.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <portaudio.h>

#include "audio-internal.h"
#include "tamga/recorder.h"
#include "util.h"

static pthread_mutex_t pa_lock = PTHREAD_MUTEX_INITIALIZER;
static int pa_refs;

/* ALSA, JACK and PulseAudio print probing chatter on stderr while PortAudio
 * starts ("Unknown PCM", "jack server is not running"). The library never
 * prints, so stderr is pointed at /dev/null for the duration of those calls.
 * TAMGA_DEBUG_AUDIO=1 keeps the chatter for debugging. */
static pthread_mutex_t quiet_lock = PTHREAD_MUTEX_INITIALIZER;

int tamga__stderr_quiet_begin(void)
{
    const char *dbg = getenv("TAMGA_DEBUG_AUDIO");
    if (dbg != NULL && *dbg != '\0' && strcmp(dbg, "0") != 0)
        return -1;
    pthread_mutex_lock(&quiet_lock);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved < 0 || devnull < 0) {
        if (saved >= 0)
            close(saved);
        if (devnull >= 0)
            close(devnull);
        pthread_mutex_unlock(&quiet_lock);
        return -1;
    }
    dup2(devnull, STDERR_FILENO);
    close(devnull);
    return saved;
}

void tamga__stderr_quiet_end(int saved)
{
    if (saved < 0)
        return;
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    pthread_mutex_unlock(&quiet_lock);
}

int tamga__pa_acquire(void)
{
    pthread_mutex_lock(&pa_lock);
    int rc = TAMGA_OK;
    if (pa_refs == 0) {
        int q = tamga__stderr_quiet_begin();
        PaError e = Pa_Initialize();
        tamga__stderr_quiet_end(q);
        if (e != paNoError)
            rc = tamga__fail(TAMGA_ERR_DEVICE, "PortAudio cannot start: %s", Pa_GetErrorText(e));
    }
    if (rc == TAMGA_OK)
        pa_refs++;
    pthread_mutex_unlock(&pa_lock);
    return rc;
}

void tamga__pa_release(void)
{
    pthread_mutex_lock(&pa_lock);
    if (pa_refs > 0 && --pa_refs == 0)
        Pa_Terminate();
    pthread_mutex_unlock(&pa_lock);
}

static void fill_device(int i, tamga_audio_device *d)
{
    memset(d, 0, sizeof *d);
    const PaDeviceInfo *info = Pa_GetDeviceInfo(i);
    d->index = i;
    if (info == NULL)
        return;
    const PaHostApiInfo *api = Pa_GetHostApiInfo(info->hostApi);
    snprintf(d->name, sizeof d->name, "%s", info->name ? info->name : "");
    snprintf(d->host_api, sizeof d->host_api, "%s", api && api->name ? api->name : "");
    d->max_input_channels = info->maxInputChannels;
    d->max_output_channels = info->maxOutputChannels;
    d->default_rate = info->defaultSampleRate;
    d->is_default_input = i == Pa_GetDefaultInputDevice();
    d->is_default_output = i == Pa_GetDefaultOutputDevice();
}

int tamga_audio_devices(tamga_audio_device **list, size_t *n)
{
    *list = NULL;
    *n = 0;
    int rc = tamga__pa_acquire();
    if (rc != TAMGA_OK)
        return rc;
    int count = Pa_GetDeviceCount();
    if (count < 0) {
        rc = tamga__fail(TAMGA_ERR_DEVICE, "PortAudio cannot list devices: %s",
                         Pa_GetErrorText(count));
    } else if (count > 0) {
        *list = calloc((size_t)count, sizeof **list);
        if (*list == NULL)
            rc = tamga__fail(TAMGA_ERR_NOMEM, "out of memory listing devices");
        for (int i = 0; rc == TAMGA_OK && i < count; i++)
            fill_device(i, &(*list)[i]);
        if (rc == TAMGA_OK)
            *n = (size_t)count;
    }
    tamga__pa_release();
    return rc;
}

/* "0 'name' (ALSA, 2 in / 0 out), 1 ..." — bounded, for error details. */
static void describe_all(char *out, size_t outlen)
{
    int count = Pa_GetDeviceCount();
    size_t used = 0;
    out[0] = '\0';
    if (count <= 0) {
        snprintf(out, outlen, "no devices at all");
        return;
    }
    for (int i = 0; i < count && used + 1 < outlen; i++) {
        tamga_audio_device d;
        fill_device(i, &d);
        int k = snprintf(out + used, outlen - used, "%s%d '%s' (%s, %d in / %d out)", i ? ", " : "",
                         i, d.name, d.host_api, d.max_input_channels, d.max_output_channels);
        if (k < 0)
            break;
        used += (size_t)k;
        if (used >= outlen) {
            used = outlen - 1;
            break;
        }
    }
}

static int ci_contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle), h = strlen(hay);
    if (n == 0)
        return 1;
    for (size_t i = 0; i + n <= h; i++) {
        size_t k = 0;
        while (k < n && tolower((unsigned char)hay[i + k]) == tolower((unsigned char)needle[k]))
            k++;
        if (k == n)
            return 1;
    }
    return 0;
}

static int usable(int i, int want_input)
{
    const PaDeviceInfo *info = Pa_GetDeviceInfo(i);
    if (info == NULL)
        return 0;
    return want_input ? info->maxInputChannels > 0 : info->maxOutputChannels > 0;
}

int tamga__pa_find_device(const char *device, int want_input, int *index)
{
    *index = -1;
    const char *kind = want_input ? "input" : "output";
    int count = Pa_GetDeviceCount();
    int found = -1;
    if (device == NULL || device[0] == '\0') {
        int d = want_input ? Pa_GetDefaultInputDevice() : Pa_GetDefaultOutputDevice();
        if (d != paNoDevice && d >= 0 && d < count && usable(d, want_input))
            found = d;
        else
            for (int i = 0; i < count && found < 0; i++)
                if (usable(i, want_input))
                    found = i;
    } else {
        char *end = NULL;
        long v = strtol(device, &end, 10);
        if (end != device && *end == '\0') {
            if (v >= 0 && v < count && usable((int)v, want_input))
                found = (int)v;
        } else {
            /* An exact name wins over a substring match. */
            for (int i = 0; i < count && found < 0; i++) {
                const PaDeviceInfo *info = Pa_GetDeviceInfo(i);
                if (usable(i, want_input) && info->name && strcmp(info->name, device) == 0)
                    found = i;
            }
            for (int i = 0; i < count && found < 0; i++) {
                const PaDeviceInfo *info = Pa_GetDeviceInfo(i);
                if (usable(i, want_input) && info->name && ci_contains(info->name, device))
                    found = i;
            }
        }
    }
    if (found < 0) {
        char list[1024];
        describe_all(list, sizeof list);
        if (device == NULL || device[0] == '\0')
            return tamga__fail(TAMGA_ERR_DEVICE, "no %s device; PortAudio sees: %s", kind, list);
        return tamga__fail(TAMGA_ERR_DEVICE, "no %s device matches \"%s\"; PortAudio sees: %s",
                           kind, device, list);
    }
    *index = found;
    return TAMGA_OK;
}
