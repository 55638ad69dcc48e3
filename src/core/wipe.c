/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Emergency wipe (crypto-shredding): overwrite, fsync and unlink the identity's
 * secret file and every case-key grant. Everything else stays. */
#include "tamga/wipe.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "tamga/case.h"
#include "tamga/error.h"
#include "util.h"

#define WIPE_CHUNK 4096

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void note_failure(tamga_wipe_report *r, int *first_rc, int rc, const char *what,
                         const char *path)
{
    r->failures++;
    if (*first_rc == TAMGA_OK) {
        *first_rc = rc;
        snprintf(r->first_failure, sizeof r->first_failure, "%s %s: %s", what, path,
                 strerror(errno));
    }
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Overwrites a regular file with random bytes of its size and fsyncs it, then
 * unlinks it. A symbolic link is unlinked without touching what it points to.
 * 0, or -1 with errno set and `*what` naming the step. */
static int shred_file(const char *path, const char **what)
{
    int fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno != ELOOP) {
            *what = "cannot open";
            return -1;
        }
    } else {
        struct stat st;
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            int e = errno;
            close(fd);
            errno = e ? e : EINVAL;
            *what = "cannot inspect";
            return -1;
        }
        unsigned char buf[WIPE_CHUNK];
        off_t left = st.st_size;
        while (left > 0) {
            size_t n = left > (off_t)sizeof buf ? sizeof buf : (size_t)left;
            randombytes_buf(buf, n);
            ssize_t w = write(fd, buf, n);
            if (w <= 0) {
                int e = w < 0 ? errno : EIO;
                close(fd);
                errno = e;
                *what = "cannot overwrite";
                return -1;
            }
            left -= w;
        }
        sodium_memzero(buf, sizeof buf);
        if (fsync(fd) != 0) {
            int e = errno;
            close(fd);
            errno = e;
            *what = "cannot fsync";
            return -1;
        }
        close(fd);
    }
    if (unlink(path) != 0) {
        *what = "cannot remove";
        return -1;
    }
    return 0;
}

/* Shreds the files of `dir` that `pick` selects; fsyncs the folder after. */
static void shred_in_dir(const char *dir, int (*pick)(const char *name), size_t *count,
                         tamga_wipe_report *r, int *first_rc)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        if (errno != ENOENT && errno != ENOTDIR)
            note_failure(r, first_rc, TAMGA_ERR_IO, "cannot list", dir);
        return;
    }
    size_t done = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !pick(e->d_name))
            continue;
        char *p = tamga_path_join(dir, e->d_name);
        if (p == NULL) {
            errno = ENOMEM;
            note_failure(r, first_rc, TAMGA_ERR_NOMEM, "out of memory at", dir);
            continue;
        }
        const char *what = "";
        if (shred_file(p, &what) == 0)
            done++;
        else
            note_failure(r, first_rc, TAMGA_ERR_IO, what, p);
        free(p);
    }
    closedir(d);
    if (done > 0 && tamga_fsync_dir(dir) != TAMGA_OK)
        note_failure(r, first_rc, TAMGA_ERR_IO, "cannot fsync the folder", dir);
    *count += done;
}

static int pick_secret(const char *name)
{
    /* secret.key, and any temporary file an interrupted atomic write left */
    return strcmp(name, "secret.key") == 0 || strncmp(name, "secret.key.tmp-", 15) == 0;
}

static int pick_grant(const char *name)
{
    return has_suffix(name, ".box") || strstr(name, ".box.tmp-") != NULL;
}

static size_t count_recordings(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.' && has_suffix(e->d_name, ".tamga"))
            n++;
    closedir(d);
    return n;
}

int tamga_wipe_secrets(const char *home, tamga_wipe_report *out)
{
    memset(out, 0, sizeof *out);
    int64_t t0 = mono_us();
    int first_rc = TAMGA_OK;

    char *secret = tamga_home_secret_path(home);
    char *idir = tamga_path_join(home, "identity");
    char *cases = tamga_path_join(home, "cases");
    char *pub = tamga_home_public_path(home);
    if (secret == NULL || idir == NULL || cases == NULL || pub == NULL) {
        free(secret), free(idir), free(cases), free(pub);
        return TAMGA_ERR_NOMEM;
    }
    out->identity_was_missing = !tamga_file_exists(secret);
    size_t n_secret = 0;
    shred_in_dir(idir, pick_secret, &n_secret, out, &first_rc);
    out->identity_destroyed = !out->identity_was_missing && !tamga_file_exists(secret);
    out->public_identity_remains = tamga_file_exists(pub);

    DIR *d = opendir(cases);
    if (d == NULL && errno != ENOENT) {
        note_failure(out, &first_rc, TAMGA_ERR_IO, "cannot list", cases);
    } else if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char *cdir = tamga_path_join(cases, e->d_name);
            char *kh = cdir ? tamga_path_join(cdir, "keyholders") : NULL;
            char *recs = cdir ? tamga_path_join(cdir, "recordings") : NULL;
            if (kh != NULL && recs != NULL && tamga_is_dir(cdir)) {
                out->cases++;
                shred_in_dir(kh, pick_grant, &out->grants_destroyed, out, &first_rc);
                out->recordings_remaining += count_recordings(recs);
            }
            free(cdir), free(kh), free(recs);
        }
        closedir(d);
    }
    free(secret), free(idir), free(cases), free(pub);
    out->elapsed_us = mono_us() - t0;
    if (first_rc != TAMGA_OK)
        return tamga__fail(first_rc, "%s", out->first_failure);
    return TAMGA_OK;
}
