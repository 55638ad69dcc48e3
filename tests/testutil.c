/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _XOPEN_SOURCE 700
#include "testutil.h"

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sndfile.h>

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void tu_rm_rf(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *tu_tmpdir(const char *name)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", TAMGA_TEST_TMP);
    mkdir(buf, 0700);
    snprintf(buf, sizeof buf, "%s/%s-%ld", TAMGA_TEST_TMP, name, (long)getpid());
    tu_rm_rf(buf);
    if (mkdir(buf, 0700) != 0)
        fail_msg("cannot create %s", buf);
    return strdup(buf);
}

uint8_t *tu_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n)
        fail_msg("short read on %s", path);
    fclose(f);
    buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

void tu_write(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        fail_msg("cannot create %s", path);
    if (len > 0 && fwrite(data, 1, len, f) != len)
        fail_msg("short write on %s", path);
    fclose(f);
}

char *tu_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

void tu_write_sine_wav(const char *path, int rate, int channels, double freq, double seconds)
{
    SF_INFO info = {0};
    info.samplerate = rate;
    info.channels = channels;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    if (sf == NULL)
        fail_msg("cannot write %s: %s", path, sf_strerror(NULL));
    sf_count_t frames = (sf_count_t)(rate * seconds);
    float *buf = malloc(sizeof(float) * (size_t)channels * 1024);
    assert_non_null(buf);
    for (sf_count_t i = 0; i < frames;) {
        sf_count_t n = frames - i < 1024 ? frames - i : 1024;
        for (sf_count_t k = 0; k < n; k++)
            for (int c = 0; c < channels; c++)
                buf[k * channels + c] =
                    (float)(0.5 * sin(2.0 * M_PI * freq * (double)(i + k) / rate));
        sf_writef_float(sf, buf, n);
        i += n;
    }
    free(buf);
    sf_close(sf);
}
