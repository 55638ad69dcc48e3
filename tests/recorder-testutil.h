/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers for the recorder and recovery tests (header-only, static inline):
 * playing a tone into the private PulseAudio sink, decoding a recording back,
 * scanning folders for plaintext audio. */
#ifndef TAMGA_RECORDER_TESTUTIL_H
#define TAMGA_RECORDER_TESTUTIL_H

#include "testutil.h"

#include <dirent.h>
#include <dlfcn.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <opus/opusfile.h>

#include "tamga/tamga.h"

/* ALSA loads its PulseAudio/JACK plugins with dlopen and unloads them at
 * exit; LeakSanitizer then cannot name the module of their (third-party)
 * leaks, so tests/lsan.supp could not match them. Pinning them keeps names. */
static inline void rt_pin_alsa_plugins(void)
{
    static const char *const mods[] = {
        "libasound.so.2", /* PortAudio loads ALSA itself with dlopen */
        "/usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_pcm_pulse.so",
        "/usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_conf_pulse.so",
        "/usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_ctl_pulse.so",
        "/usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_pcm_jack.so",
    };
    for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++)
        (void)dlopen(mods[i], RTLD_NOW | RTLD_NODELETE | RTLD_GLOBAL);
}

/* Live tests run inside tests/audio-env/with-pulse.sh. */
static inline int rt_have_pulse(void)
{
    return getenv("TAMGA_PULSE_PID") != NULL;
}

static inline void rt_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

static inline double rt_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Plays `wav` into the sink "vsink" in a loop, in its own process group. */
static inline pid_t rt_play_loop(const char *wav)
{
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        char cmd[2048];
        snprintf(cmd, sizeof cmd,
                 "while :; do paplay --device=vsink '%s' >/dev/null 2>&1 || sleep 0.2; done", wav);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    return pid;
}

static inline void rt_play_stop(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

typedef struct {
    double seconds;
    double freq; /* from zero crossings over the middle of the recording */
    double rms;  /* over the middle */
} rt_audio;

/* Decodes an Ogg Opus file: duration, dominant frequency, level. */
static inline void rt_analyse(const char *ogg, rt_audio *out)
{
    memset(out, 0, sizeof *out);
    int err = 0;
    OggOpusFile *of = op_open_file(ogg, &err);
    assert_non_null(of);
    size_t cap = 48000 * 10, n = 0;
    float *all = malloc(cap * sizeof *all);
    assert_non_null(all);
    float buf[5760 * 2];
    for (;;) {
        int k = op_read_float_stereo(of, buf, 5760 * 2);
        assert_true(k >= 0);
        if (k == 0)
            break;
        for (int i = 0; i < k; i++) {
            if (n == cap) {
                cap *= 2;
                all = realloc(all, cap * sizeof *all);
                assert_non_null(all);
            }
            all[n++] = 0.5f * (buf[2 * i] + buf[2 * i + 1]);
        }
    }
    op_free(of);
    out->seconds = (double)n / 48000.0;
    size_t a = n / 4, b = n - n / 4;
    if (b > a + 4800) {
        size_t crossings = 0;
        double sum = 0;
        for (size_t i = a; i < b; i++) {
            sum += (double)all[i] * all[i];
            if (i > a && all[i - 1] < 0 && all[i] >= 0)
                crossings++;
        }
        out->freq = (double)crossings / ((double)(b - a) / 48000.0);
        out->rms = sqrt(sum / (double)(b - a));
    }
    free(all);
}

/* Decrypts a recording to `dir`/<id>.ogg and analyses it. */
static inline void rt_decode(tamga_case *c, const tamga_identity *id, const char *rid,
                             const char *dir, rt_audio *out)
{
    char name[64];
    snprintf(name, sizeof name, "%s.ogg", rid);
    char *p = tu_path(dir, name);
    unlink(p);
    int rc = tamga_recording_decrypt(c, id, rid, p);
    if (rc != TAMGA_OK)
        print_message("decrypt: %s: %s\n", tamga_strerror(rc), tamga_error_detail());
    assert_int_equal(rc, TAMGA_OK);
    rt_analyse(p, out);
    unlink(p);
    free(p);
}

/* Returns 1 if any regular file under `dir` holds `needle`. */
static inline int rt_tree_contains(const char *dir, const char *needle, char *where, size_t wlen)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    struct dirent *e;
    int found = 0;
    size_t nl = strlen(needle);
    while (!found && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = tu_path(dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            found = rt_tree_contains(p, needle, where, wlen);
        } else if (lstat(p, &st) == 0 && S_ISREG(st.st_mode)) {
            FILE *f = fopen(p, "rb");
            if (f != NULL) {
                size_t len = (size_t)st.st_size;
                char *buf = malloc(len + 1);
                if (buf != NULL && fread(buf, 1, len, f) == len)
                    for (size_t i = 0; !found && i + nl <= len; i++)
                        found = memcmp(buf + i, needle, nl) == 0;
                free(buf);
                fclose(f);
            }
            if (found)
                snprintf(where, wlen, "%s", p);
        }
        free(p);
    }
    closedir(d);
    return found;
}

static inline void rt_assert_no_plaintext(const char *dir)
{
    char where[1024] = "";
    static const char *const needles[] = {"OggS", "OpusHead", "OpusTags"};
    for (size_t i = 0; i < 3; i++) {
        if (rt_tree_contains(dir, needles[i], where, sizeof where))
            fail_msg("plaintext \"%s\" found in %s", needles[i], where);
    }
}

/* Runs tamga_verify on a case folder; returns the number of FAIL and WARN. */
static inline void rt_verify(const char *case_dir, const tamga_identity *id, size_t *fails,
                             size_t *warns)
{
    tamga_report *r = NULL;
    assert_int_equal(tamga_verify(case_dir, id, TAMGA_VERIFY_DECRYPT, &r), TAMGA_OK);
    *fails = *warns = 0;
    for (size_t i = 0; i < tamga_report_count(r); i++) {
        const tamga_check *ck = tamga_report_get(r, i);
        *fails += ck->result == TAMGA_CHECK_FAIL;
        *warns += ck->result == TAMGA_CHECK_WARN;
    }
    if (*fails > 0 || getenv("TAMGA_TEST_VERBOSE")) {
        char *t = tamga_report_text(r);
        print_message("%s", t);
        free(t);
    }
    tamga_report_free(r);
}

#endif
