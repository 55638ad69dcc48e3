/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The tar inside a bundle: member checks (names, types, sizes, duplicates,
 * counts), a streaming pax writer over a byte sink and a streaming, checking
 * unpacker over a byte source (libarchive). Constant memory whatever the size. */
#define _DEFAULT_SOURCE /* O_NOFOLLOW, O_DIRECTORY */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <sodium.h>

#include "bundle-internal.h"
#include "util.h"

#define IO_CHUNK (64u * 1024u)

/* ---- member checks ---- */

struct tamga__member_checker {
    char top[64];
    size_t count;
    uint64_t total;
    /* Open-addressing set of names (hashes + strings). */
    char **slots;
    size_t cap;
};

tamga__member_checker *tamga__member_checker_new(void)
{
    tamga__member_checker *k = calloc(1, sizeof *k);
    if (k == NULL)
        return NULL;
    k->cap = 1024;
    k->slots = calloc(k->cap, sizeof *k->slots);
    if (k->slots == NULL) {
        free(k);
        return NULL;
    }
    return k;
}

void tamga__member_checker_free(tamga__member_checker *k)
{
    if (k == NULL)
        return;
    for (size_t i = 0; i < k->cap; i++)
        free(k->slots[i]);
    free(k->slots);
    free(k);
}

const char *tamga__member_checker_top(const tamga__member_checker *k)
{
    return k->top;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ull;
    return h;
}

/* 1 if inserted, 0 if already present, -1 on OOM. */
static int set_insert(tamga__member_checker *k, const char *s)
{
    if ((k->count + 1) * 2 > k->cap) {
        size_t ncap = k->cap * 2;
        char **ns = calloc(ncap, sizeof *ns);
        if (ns == NULL)
            return -1;
        for (size_t i = 0; i < k->cap; i++)
            if (k->slots[i] != NULL) {
                size_t j = hash_str(k->slots[i]) & (ncap - 1);
                while (ns[j] != NULL)
                    j = (j + 1) & (ncap - 1);
                ns[j] = k->slots[i];
            }
        free(k->slots);
        k->slots = ns;
        k->cap = ncap;
    }
    size_t j = hash_str(s) & (k->cap - 1);
    while (k->slots[j] != NULL) {
        if (strcmp(k->slots[j], s) == 0)
            return 0;
        j = (j + 1) & (k->cap - 1);
    }
    k->slots[j] = strdup(s);
    return k->slots[j] ? 1 : -1;
}

int tamga__member_checker_has(const tamga__member_checker *k, const char *rel)
{
    char full[512];
    snprintf(full, sizeof full, "%s/%s", k->top, rel);
    size_t j = hash_str(full) & (k->cap - 1);
    while (k->slots[j] != NULL) {
        if (strcmp(k->slots[j], full) == 0)
            return 1;
        j = (j + 1) & (k->cap - 1);
    }
    return 0;
}

static int all_hex(const char *s, size_t n, int upper)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int ok =
            (c >= '0' && c <= '9') || (upper ? (c >= 'A' && c <= 'F') : (c >= 'a' && c <= 'f'));
        if (!ok)
            return 0;
    }
    return 1;
}

/* "<16 upper hex>.pub" / ".box" */
static int keyid_file(const char *s, const char *suffix)
{
    return strlen(s) == 16 + strlen(suffix) && all_hex(s, 16, 1) && strcmp(s + 16, suffix) == 0;
}

/* "<32 lower hex><suffix>" */
static int id_file(const char *s, const char *suffix)
{
    return strlen(s) == 32 + strlen(suffix) && all_hex(s, 32, 0) && strcmp(s + 32, suffix) == 0;
}

/* "<16 upper hex>-<seq>" with seq 1..9999999 without leading zero. */
int tamga__branch_name_valid(const char *s, size_t n)
{
    if (n < 18 || n > 24 || !all_hex(s, 16, 1) || s[16] != '-' || s[17] == '0')
        return 0;
    for (size_t i = 17; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Classifies `rel` (inside the top folder). 0 if not part of the layout. */
static tamga__member_kind classify(const char *rel, int is_dir)
{
    static const char *const dirs[] = {"signers", "keys",       "recordings",
                                       "audio",   "keyholders", "branches"};
    static const char *const meta[] = {"case.json",          "case.json.minisig", "head.json",
                                       "head.json.minisig",  "VERIFY.txt",        "BUNDLE.json",
                                       "BUNDLE.json.minisig"};
    if (is_dir) {
        for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
            if (strcmp(rel, dirs[i]) == 0)
                return TAMGA__K_SUBDIR;
        if (strncmp(rel, "branches/", 9) == 0 && tamga__branch_name_valid(rel + 9, strlen(rel + 9)))
            return TAMGA__K_SUBDIR;
        return 0;
    }
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++)
        if (strcmp(rel, meta[i]) == 0)
            return TAMGA__K_META;
    if (strcmp(rel, "custody.jsonl") == 0 || strcmp(rel, "SHA256SUMS") == 0)
        return TAMGA__K_LOG;
    const char *slash = strchr(rel, '/');
    if (slash == NULL)
        return 0;
    size_t dl = (size_t)(slash - rel);
    const char *base = slash + 1;
    if (dl == 7 && strncmp(rel, "signers", 7) == 0)
        return keyid_file(base, ".pub") ? TAMGA__K_META : 0;
    if (dl == 4 && strncmp(rel, "keys", 4) == 0)
        return keyid_file(base, ".pub") ? TAMGA__K_META : 0;
    if (dl == 10 && strncmp(rel, "keyholders", 10) == 0)
        return keyid_file(base, ".box") ? TAMGA__K_META : 0;
    if (dl == 5 && strncmp(rel, "audio", 5) == 0)
        return id_file(base, ".opus") ? TAMGA__K_BIG : 0;
    if (dl == 10 && strncmp(rel, "recordings", 10) == 0) {
        if (id_file(base, ".tamga") || id_file(base, ".private"))
            return TAMGA__K_BIG;
        if (id_file(base, ".manifest.json") || id_file(base, ".manifest.json.minisig"))
            return TAMGA__K_META;
        return 0;
    }
    if (dl == 8 && strncmp(rel, "branches", 8) == 0) {
        const char *s2 = strchr(base, '/');
        if (s2 == NULL || !tamga__branch_name_valid(base, (size_t)(s2 - base)))
            return 0;
        const char *f = s2 + 1;
        if (strcmp(f, "custody.jsonl") == 0)
            return TAMGA__K_LOG;
        if (strcmp(f, "head.json") == 0 || strcmp(f, "head.json.minisig") == 0)
            return TAMGA__K_META;
    }
    return 0;
}

int tamga__member_check(tamga__member_checker *k, const char *name, tamga__member_type type,
                        int64_t size, uint64_t max_total, tamga__member_kind *kind)
{
    if (kind != NULL)
        *kind = 0;
    char safe[80];
    size_t n = strlen(name);
    {
        size_t j = 0;
        for (size_t i = 0; i < n && j + 4 < sizeof safe; i++)
            safe[j++] = ((unsigned char)name[i] < 0x20 || name[i] == 0x7f) ? '?' : name[i];
        safe[j] = '\0';
    }
    if (k->count >= TAMGA_BUNDLE_MAX_MEMBERS)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "the bundle holds more than %u members",
                           TAMGA_BUNDLE_MAX_MEMBERS);
    if (type != TAMGA__M_DIR && type != TAMGA__M_FILE)
        return tamga__fail(TAMGA_ERR_FORMAT,
                           "bundle member \"%s\" is a link, device or other special file", safe);
    if (n == 0 || n > 400)
        return tamga__fail(TAMGA_ERR_FORMAT, "bundle member with an empty or overlong name");
    if (name[0] == '/')
        return tamga__fail(TAMGA_ERR_FORMAT, "bundle member \"%s\" has an absolute path", safe);
    /* One trailing slash is allowed on folders only. */
    char buf[401];
    memcpy(buf, name, n + 1);
    if (buf[n - 1] == '/') {
        if (type != TAMGA__M_DIR)
            return tamga__fail(TAMGA_ERR_FORMAT, "bundle member \"%s\" is malformed", safe);
        buf[--n] = '\0';
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c < 0x20 || c >= 0x7f || c == '\\')
            return tamga__fail(TAMGA_ERR_FORMAT,
                               "bundle member \"%s\" has a character outside the layout", safe);
    }
    /* Components: none empty, none "." or "..". */
    for (const char *p = buf;;) {
        const char *e = strchr(p, '/');
        size_t cl = e ? (size_t)(e - p) : strlen(p);
        if (cl == 0 || (cl == 1 && p[0] == '.') || (cl == 2 && p[0] == '.' && p[1] == '.'))
            return tamga__fail(TAMGA_ERR_FORMAT,
                               "bundle member \"%s\" leaves its folder (\"..\", \".\" or \"//\")",
                               safe);
        if (e == NULL)
            break;
        p = e + 1;
    }
    const char *slash = strchr(buf, '/');
    size_t tl = slash ? (size_t)(slash - buf) : n;
    size_t pl = strlen(TAMGA_BUNDLE_TOP_PREFIX);
    if (tl != pl + TAMGA_BUNDLE_TOP_HEX || strncmp(buf, TAMGA_BUNDLE_TOP_PREFIX, pl) != 0 ||
        !all_hex(buf + pl, TAMGA_BUNDLE_TOP_HEX, 0))
        return tamga__fail(TAMGA_ERR_FORMAT,
                           "bundle member \"%s\" is not inside a tamga-bundle-<id> folder", safe);
    if (k->top[0] == '\0')
        snprintf(k->top, sizeof k->top, "%.*s", (int)tl, buf);
    else if (strncmp(k->top, buf, tl) != 0 || k->top[tl] != '\0')
        return tamga__fail(TAMGA_ERR_FORMAT, "bundle member \"%s\" is outside the bundle folder %s",
                           safe, k->top);
    tamga__member_kind kd;
    if (slash == NULL) {
        if (type != TAMGA__M_DIR)
            return tamga__fail(TAMGA_ERR_FORMAT, "bundle member \"%s\" should be a folder", safe);
        kd = TAMGA__K_TOP;
    } else {
        kd = classify(slash + 1, type == TAMGA__M_DIR);
        if (kd == 0)
            return tamga__fail(TAMGA_ERR_FORMAT,
                               "bundle member \"%s\" is not part of a bundle's layout", safe);
    }
    uint64_t max = kd == TAMGA__K_BIG    ? TAMGA_BUNDLE_MAX_MEMBER
                   : kd == TAMGA__K_LOG  ? TAMGA_BUNDLE_MAX_SMALL
                   : kd == TAMGA__K_META ? TAMGA_BUNDLE_MAX_META
                                         : 0;
    if (size < 0 || (uint64_t)size > max)
        return tamga__fail(size < 0 ? TAMGA_ERR_FORMAT : TAMGA_ERR_TOO_LARGE,
                           "bundle member \"%s\" is too large (%lld bytes, at most %llu)", safe,
                           (long long)size, (unsigned long long)max);
    if (max_total != 0 &&
        (uint64_t)size > max_total - (k->total < max_total ? k->total : max_total))
        return tamga__fail(TAMGA_ERR_NOSPACE,
                           "the bundle does not fit: member \"%s\" would exceed the free disk "
                           "space",
                           safe);
    int ins = set_insert(k, buf);
    if (ins < 0)
        return TAMGA_ERR_NOMEM;
    if (ins == 0)
        return tamga__fail(TAMGA_ERR_FORMAT, "bundle member \"%s\" appears twice", safe);
    k->count++;
    k->total += (uint64_t)size;
    if (kind != NULL)
        *kind = kd;
    return TAMGA_OK;
}

/* ---- writer ---- */

struct tamga__tar_writer {
    struct archive *a;
    tamga__sink_fn sink;
    void *user;
    int err;
    time_t mtime;
};

static la_ssize_t tar_write_cb(struct archive *a, void *user, const void *buf, size_t len)
{
    (void)a;
    tamga__tar_writer *w = user;
    if (w->err != TAMGA_OK)
        return -1;
    int rc = w->sink(w->user, buf, len);
    if (rc != TAMGA_OK) {
        w->err = rc;
        return -1;
    }
    return (la_ssize_t)len;
}

static int tar_fail(tamga__tar_writer *w, const char *what)
{
    if (w->err != TAMGA_OK)
        return w->err;
    w->err = tamga__fail(TAMGA_ERR_IO, "tar: %s: %s", what, archive_error_string(w->a));
    return w->err;
}

int tamga__tar_writer_new(tamga__sink_fn sink, void *user, tamga__tar_writer **out)
{
    *out = NULL;
    tamga__tar_writer *w = calloc(1, sizeof *w);
    if (w == NULL)
        return TAMGA_ERR_NOMEM;
    w->sink = sink;
    w->user = user;
    w->mtime = time(NULL);
    w->a = archive_write_new();
    if (w->a == NULL || archive_write_set_format_pax_restricted(w->a) != ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(w->a, 1) != ARCHIVE_OK ||
        archive_write_open(w->a, w, NULL, tar_write_cb, NULL) != ARCHIVE_OK) {
        int rc = w->a ? tar_fail(w, "cannot start") : TAMGA_ERR_NOMEM;
        if (w->a)
            archive_write_free(w->a);
        free(w);
        return rc;
    }
    *out = w;
    return TAMGA_OK;
}

static int tar_header(tamga__tar_writer *w, const char *name, unsigned type, uint64_t size,
                      int mode)
{
    if (w->err != TAMGA_OK)
        return w->err;
    struct archive_entry *e = archive_entry_new();
    if (e == NULL)
        return TAMGA_ERR_NOMEM;
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, (mode_t)mode);
    archive_entry_set_size(e, (la_int64_t)size);
    archive_entry_set_mtime(e, w->mtime, 0);
    int r = archive_write_header(w->a, e);
    archive_entry_free(e);
    return r == ARCHIVE_OK ? TAMGA_OK : tar_fail(w, name);
}

int tamga__tar_add_dir(tamga__tar_writer *w, const char *name)
{
    return tar_header(w, name, AE_IFDIR, 0, 0700);
}

int tamga__tar_begin_file(tamga__tar_writer *w, const char *name, uint64_t size, int mode)
{
    return tar_header(w, name, AE_IFREG, size, mode);
}

int tamga__tar_write_data(tamga__tar_writer *w, const void *data, size_t len)
{
    if (w->err != TAMGA_OK)
        return w->err;
    const uint8_t *p = data;
    while (len > 0) {
        la_ssize_t k = archive_write_data(w->a, p, len);
        if (k <= 0)
            return tar_fail(w, "cannot write member data");
        p += k;
        len -= (size_t)k;
    }
    return TAMGA_OK;
}

int tamga__tar_add_mem(tamga__tar_writer *w, const char *name, const void *data, size_t len,
                       int mode)
{
    int rc = tamga__tar_begin_file(w, name, len, mode);
    if (rc == TAMGA_OK && len > 0)
        rc = tamga__tar_write_data(w, data, len);
    return rc;
}

int tamga__tar_add_file(tamga__tar_writer *w, const char *name, const char *path, int mode,
                        uint8_t sha[32])
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return tamga__errno_fail("cannot open", path);
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return tamga__fail(TAMGA_ERR_IO, "%s is not a regular file", path);
    }
    int rc = tamga__tar_begin_file(w, name, (uint64_t)st.st_size, mode);
    uint8_t *buf = malloc(IO_CHUNK);
    crypto_hash_sha256_state hs;
    crypto_hash_sha256_init(&hs);
    uint64_t left = (uint64_t)st.st_size;
    if (buf == NULL && rc == TAMGA_OK)
        rc = TAMGA_ERR_NOMEM;
    while (rc == TAMGA_OK && left > 0) {
        ssize_t k = read(fd, buf, left < IO_CHUNK ? (size_t)left : IO_CHUNK);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            rc = k < 0 ? tamga__errno_fail("cannot read", path)
                       : tamga__fail(TAMGA_ERR_TRUNCATED, "%s shrank while being bundled", path);
            break;
        }
        crypto_hash_sha256_update(&hs, buf, (size_t)k);
        rc = tamga__tar_write_data(w, buf, (size_t)k);
        left -= (uint64_t)k;
    }
    free(buf);
    close(fd);
    if (rc == TAMGA_OK && sha != NULL)
        crypto_hash_sha256_final(&hs, sha);
    return rc;
}

int tamga__tar_writer_finish(tamga__tar_writer *w)
{
    if (w->err != TAMGA_OK)
        return w->err;
    if (archive_write_close(w->a) != ARCHIVE_OK)
        return tar_fail(w, "cannot finish");
    return TAMGA_OK;
}

void tamga__tar_writer_free(tamga__tar_writer *w)
{
    if (w == NULL)
        return;
    archive_write_free(w->a);
    free(w);
}

/* ---- reader ---- */

typedef struct {
    tamga__source_fn source;
    void *user;
    uint8_t *buf;
    int err;
} tar_src;

static la_ssize_t tar_read_cb(struct archive *a, void *user, const void **out)
{
    (void)a;
    tar_src *s = user;
    long k = s->source(s->user, s->buf, IO_CHUNK);
    if (k < 0) {
        s->err = (int)k;
        return -1;
    }
    *out = s->buf;
    return (la_ssize_t)k;
}

static int write_all(int fd, const uint8_t *p, size_t n, const char *path)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return tamga__errno_fail("cannot write", path);
        p += k;
        n -= (size_t)k;
    }
    return TAMGA_OK;
}

/* Creates the parents of `rel` under `dest` (folders 0700, never following links). */
static int make_parents(const char *dest, const char *rel)
{
    char path[4096];
    size_t dl = strlen(dest);
    if (dl + 1 + strlen(rel) + 1 > sizeof path)
        return tamga__fail(TAMGA_ERR_FORMAT, "path too long");
    memcpy(path, dest, dl);
    path[dl] = '/';
    strcpy(path + dl + 1, rel);
    for (char *p = path + dl + 1; (p = strchr(p, '/')) != NULL; p++) {
        *p = '\0';
        struct stat st;
        if (mkdir(path, 0700) != 0 && errno != EEXIST)
            return tamga__errno_fail("cannot create folder", path);
        if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            return tamga__fail(TAMGA_ERR_FORMAT, "%s is not a folder", path);
        *p = '/';
    }
    return TAMGA_OK;
}

int tamga__tar_unpack(tamga__source_fn source, void *user, const char *dest_dir, uint64_t max_total,
                      char **top)
{
    *top = NULL;
    tar_src s = {source, user, malloc(IO_CHUNK), TAMGA_OK};
    uint8_t *data = malloc(IO_CHUNK);
    tamga__member_checker *k = tamga__member_checker_new();
    struct archive *a = archive_read_new();
    int rc = TAMGA_OK;
    if (s.buf == NULL || data == NULL || k == NULL || a == NULL) {
        rc = TAMGA_ERR_NOMEM;
        goto out;
    }
    if (max_total == 0) {
        struct statvfs vfs;
        if (statvfs(dest_dir, &vfs) == 0)
            max_total = (uint64_t)vfs.f_bavail * vfs.f_frsize;
    }
    archive_read_support_format_tar(a);
    if (archive_read_open(a, &s, NULL, tar_read_cb, NULL) != ARCHIVE_OK) {
        rc = s.err != TAMGA_OK ? s.err
                               : tamga__fail(TAMGA_ERR_FORMAT, "the bundle is not a tar: %s",
                                             archive_error_string(a));
        goto out;
    }
    size_t members = 0;
    for (;;) {
        struct archive_entry *e;
        int r = archive_read_next_header(a, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK) {
            rc = s.err != TAMGA_OK
                     ? s.err
                     : tamga__fail(TAMGA_ERR_FORMAT,
                                   "the bundle's tar is damaged after %zu members: %s", members,
                                   archive_error_string(a));
            goto out;
        }
        const char *name = archive_entry_pathname(e);
        unsigned ft = archive_entry_filetype(e);
        tamga__member_type t = TAMGA__M_OTHER;
        if (ft == AE_IFDIR)
            t = TAMGA__M_DIR;
        else if (ft == AE_IFREG && archive_entry_hardlink(e) == NULL &&
                 archive_entry_symlink(e) == NULL && archive_entry_sparse_count(e) == 0)
            t = TAMGA__M_FILE;
        int64_t size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
        if (t == TAMGA__M_DIR)
            size = 0;
        tamga__member_kind kind;
        rc = tamga__member_check(k, name ? name : "", t, size, max_total, &kind);
        if (rc != TAMGA_OK)
            goto out;
        members++;
        char rel[512];
        snprintf(rel, sizeof rel, "%s", name);
        size_t rl = strlen(rel);
        if (rl > 0 && rel[rl - 1] == '/')
            rel[--rl] = '\0';
        rc = make_parents(dest_dir, rel);
        if (rc != TAMGA_OK)
            goto out;
        char *path = tamga_path_join(dest_dir, rel);
        if (path == NULL) {
            rc = TAMGA_ERR_NOMEM;
            goto out;
        }
        if (t == TAMGA__M_DIR) {
            struct stat st;
            if (mkdir(path, 0700) != 0 &&
                (errno != EEXIST || lstat(path, &st) != 0 || !S_ISDIR(st.st_mode)))
                rc = tamga__errno_fail("cannot create folder", path);
            free(path);
            if (rc != TAMGA_OK)
                goto out;
            continue;
        }
        int mode = (kind == TAMGA__K_BIG || strstr(rel, "/keyholders/") != NULL) ? 0600 : 0644;
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd < 0) {
            rc = tamga__errno_fail("cannot create", path);
            free(path);
            goto out;
        }
        uint64_t got = 0;
        for (;;) {
            la_ssize_t n = archive_read_data(a, data, IO_CHUNK);
            if (n == 0)
                break;
            if (n < 0) {
                rc = s.err != TAMGA_OK
                         ? s.err
                         : tamga__fail(TAMGA_ERR_TRUNCATED, "bundle member %s is cut short: %s",
                                       rel, archive_error_string(a));
                break;
            }
            got += (uint64_t)n;
            rc = write_all(fd, data, (size_t)n, path);
            if (rc != TAMGA_OK)
                break;
        }
        if (rc == TAMGA_OK && got != (uint64_t)size)
            rc = tamga__fail(TAMGA_ERR_TRUNCATED, "bundle member %s is cut short", rel);
        if (rc == TAMGA_OK && fsync(fd) != 0)
            rc = tamga__errno_fail("cannot fsync", path);
        close(fd);
        free(path);
        if (rc != TAMGA_OK)
            goto out;
    }
    if (s.err != TAMGA_OK) {
        rc = s.err;
        goto out;
    }
    if (members == 0) {
        rc = tamga__fail(TAMGA_ERR_FORMAT, "the bundle is empty");
        goto out;
    }
    *top = tamga_path_join(dest_dir, tamga__member_checker_top(k));
    if (*top == NULL)
        rc = TAMGA_ERR_NOMEM;
out:
    if (a != NULL)
        archive_read_free(a);
    tamga__member_checker_free(k);
    free(s.buf);
    free(data);
    return rc;
}
