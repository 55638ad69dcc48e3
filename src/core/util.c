/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

static _Thread_local char error_detail[512];

int tamga__fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(error_detail, sizeof error_detail, fmt, ap);
    va_end(ap);
    return code;
}

void tamga__clear_detail(void)
{
    error_detail[0] = '\0';
}

const char *tamga_error_detail(void)
{
    return error_detail;
}

int tamga__errno_fail(const char *what, const char *path)
{
    int e = errno;
    if (e == ENOSPC || e == EDQUOT || e == EFBIG)
        return tamga__fail(TAMGA_ERR_NOSPACE, "%s %s: %s", what, path, strerror(e));
    if (e == ENOENT)
        return tamga__fail(TAMGA_ERR_NOT_FOUND, "%s %s: %s", what, path, strerror(e));
    if (e == EEXIST)
        return tamga__fail(TAMGA_ERR_EXISTS, "%s %s: %s", what, path, strerror(e));
    if (e == ENOMEM)
        return tamga__fail(TAMGA_ERR_NOMEM, "%s %s: %s", what, path, strerror(e));
    return tamga__fail(TAMGA_ERR_IO, "%s %s: %s", what, path, strerror(e));
}

/* ---- hex and base64 ---- */

void tamga_hex_encode(const uint8_t *in, size_t len, char *out)
{
    sodium_bin2hex(out, 2 * len + 1, in, len);
}

int tamga_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t outlen)
{
    size_t got = 0;
    const char *end = NULL;
    if (hexlen != 2 * outlen)
        return tamga__fail(TAMGA_ERR_FORMAT, "expected %zu hex digits, got %zu", 2 * outlen,
                           hexlen);
    if (sodium_hex2bin(out, outlen, hex, hexlen, NULL, &got, &end) != 0 || got != outlen ||
        end != hex + hexlen) {
        sodium_memzero(out, outlen);
        return tamga__fail(TAMGA_ERR_FORMAT, "invalid hex digits");
    }
    return TAMGA_OK;
}

char *tamga_b64_encode(const uint8_t *in, size_t len)
{
    size_t n = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *out = malloc(n);
    if (out == NULL)
        return NULL;
    sodium_bin2base64(out, n, in, len, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

int tamga_b64_decode(const char *in, size_t inlen, uint8_t *out, size_t outmax, size_t *outlen)
{
    size_t got = 0;
    const char *end = NULL;
    *outlen = 0;
    if (inlen % 4 != 0)
        return tamga__fail(TAMGA_ERR_FORMAT, "base64 length is not a multiple of 4");
    if (inlen / 4 * 3 > outmax + 2)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "base64 value is too long");
    if (sodium_base642bin(out, outmax, in, inlen, NULL, &got, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != in + inlen) {
        sodium_memzero(out, outmax);
        return tamga__fail(TAMGA_ERR_FORMAT, "invalid base64");
    }
    /* Canonical form only: re-encoding must give back the same text. */
    char *again = tamga_b64_encode(out, got);
    if (again == NULL)
        return TAMGA_ERR_NOMEM;
    int same = strlen(again) == inlen && memcmp(again, in, inlen) == 0;
    free(again);
    if (!same) {
        sodium_memzero(out, outmax);
        return tamga__fail(TAMGA_ERR_FORMAT, "non-canonical base64");
    }
    *outlen = got;
    return TAMGA_OK;
}

/* ---- files ---- */

int tamga_read_file(const char *path, size_t maxlen, uint8_t **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return tamga__errno_fail("cannot open", path);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int rc = tamga__errno_fail("cannot stat", path);
        close(fd);
        return rc;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return tamga__fail(TAMGA_ERR_IO, "%s is not a regular file", path);
    }
    if ((uint64_t)st.st_size > maxlen) {
        close(fd);
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "%s is larger than %zu bytes", path, maxlen);
    }
    size_t cap = (size_t)st.st_size;
    uint8_t *buf = malloc(cap + 1);
    if (buf == NULL) {
        close(fd);
        return TAMGA_ERR_NOMEM;
    }
    size_t off = 0;
    for (;;) {
        if (off == cap) {
            /* The file may have grown since fstat; probe for one more byte. */
            uint8_t probe;
            ssize_t r = read(fd, &probe, 1);
            if (r == 0)
                break;
            if (r < 0 && errno == EINTR)
                continue;
            free(buf);
            close(fd);
            if (r < 0)
                return tamga__errno_fail("cannot read", path);
            return tamga__fail(TAMGA_ERR_IO, "%s changed while being read", path);
        }
        ssize_t r = read(fd, buf + off, cap - off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int rc = tamga__errno_fail("cannot read", path);
            free(buf);
            close(fd);
            return rc;
        }
        if (r == 0)
            break;
        off += (size_t)r;
    }
    close(fd);
    buf[off] = '\0';
    *data = buf;
    *len = off;
    return TAMGA_OK;
}

static int write_all(int fd, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

int tamga_fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return tamga__errno_fail("cannot open folder", dir);
    int rc = TAMGA_OK;
    if (fsync(fd) != 0 && errno != EINVAL)
        rc = tamga__errno_fail("cannot sync folder", dir);
    close(fd);
    return rc;
}

int tamga_write_atomic(const char *path, const void *data, size_t len, mode_t mode, int overwrite)
{
    if (!overwrite && tamga_file_exists(path))
        return tamga__fail(TAMGA_ERR_EXISTS, "%s already exists", path);
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (tmp == NULL)
        return TAMGA_ERR_NOMEM;
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp-XXXXXX", 12);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int rc = tamga__errno_fail("cannot create", tmp);
        free(tmp);
        return rc;
    }
    int rc = TAMGA_OK;
    if (fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        rc = tamga__errno_fail("cannot write", path);
        close(fd);
        unlink(tmp);
        free(tmp);
        return rc;
    }
    if (close(fd) != 0) {
        rc = tamga__errno_fail("cannot write", path);
        unlink(tmp);
        free(tmp);
        return rc;
    }
    if (!overwrite) {
        /* link() fails if the target appeared meanwhile: never replace silently. */
        if (link(tmp, path) != 0) {
            rc = tamga__errno_fail("cannot create", path);
            unlink(tmp);
            free(tmp);
            return rc;
        }
        unlink(tmp);
    } else if (rename(tmp, path) != 0) {
        rc = tamga__errno_fail("cannot replace", path);
        unlink(tmp);
        free(tmp);
        return rc;
    }
    free(tmp);
    char *dir = dir_of(path);
    if (dir == NULL)
        return TAMGA_ERR_NOMEM;
    rc = tamga_fsync_dir(dir);
    free(dir);
    return rc;
}

int tamga_append_sync(const char *path, const void *data, size_t len, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode);
    if (fd < 0)
        return tamga__errno_fail("cannot open", path);
    if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        int rc = tamga__errno_fail("cannot append to", path);
        close(fd);
        return rc;
    }
    if (close(fd) != 0)
        return tamga__errno_fail("cannot append to", path);
    return TAMGA_OK;
}

int tamga_mkdir_p(const char *path, mode_t mode)
{
    char *p = strdup(path);
    if (p == NULL)
        return TAMGA_ERR_NOMEM;
    size_t n = strlen(p);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] == '/' || p[i] == '\0') {
            char c = p[i];
            p[i] = '\0';
            if (mkdir(p, mode) != 0 && errno != EEXIST) {
                int rc = tamga__errno_fail("cannot create folder", p);
                free(p);
                return rc;
            }
            p[i] = c;
        }
    }
    free(p);
    if (!tamga_is_dir(path))
        return tamga__fail(TAMGA_ERR_IO, "%s is not a folder", path);
    return TAMGA_OK;
}

int tamga_sha256_file(const char *path, uint8_t out[32], uint64_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return tamga__errno_fail("cannot open", path);
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    static const size_t bufsz = 1 << 17;
    uint8_t *buf = malloc(bufsz);
    if (buf == NULL) {
        close(fd);
        return TAMGA_ERR_NOMEM;
    }
    uint64_t total = 0;
    for (;;) {
        ssize_t r = read(fd, buf, bufsz);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int rc = tamga__errno_fail("cannot read", path);
            free(buf);
            close(fd);
            return rc;
        }
        if (r == 0)
            break;
        crypto_hash_sha256_update(&st, buf, (size_t)r);
        total += (uint64_t)r;
    }
    free(buf);
    close(fd);
    crypto_hash_sha256_final(&st, out);
    if (size != NULL)
        *size = total;
    return TAMGA_OK;
}

char *tamga_path_join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *out = malloc(la + lb + 2);
    if (out == NULL)
        return NULL;
    memcpy(out, a, la);
    size_t off = la;
    if (la > 0 && a[la - 1] != '/')
        out[off++] = '/';
    memcpy(out + off, b, lb + 1);
    return out;
}

int tamga_file_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

int tamga_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- time and ids ---- */

int64_t tamga_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void tamga_utc_format(int64_t unix_ms, char *out, size_t outlen)
{
    time_t secs = (time_t)(unix_ms / 1000);
    int ms = (int)(unix_ms % 1000);
    if (ms < 0) {
        ms += 1000;
        secs -= 1;
    }
    struct tm tm;
    gmtime_r(&secs, &tm);
    char base[32];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, outlen, "%s.%03dZ", base, ms);
}

void tamga_utc_now(char *out, size_t outlen)
{
    tamga_utc_format(tamga_now_ms(), out, outlen);
}

void tamga_random_id(uint8_t id[16])
{
    randombytes_buf(id, 16);
}

/* ---- JSON ---- */

json_t *tamga_json_parse_strict(const char *buf, size_t len, const char *what)
{
    json_error_t err;
    json_t *j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
    if (j == NULL) {
        tamga__fail(TAMGA_ERR_FORMAT, "%s is not valid JSON (line %d, column %d: %s)", what,
                    err.line, err.column, err.text);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        tamga__fail(TAMGA_ERR_FORMAT, "%s is not a JSON object", what);
        return NULL;
    }
    return j;
}

char *tamga_json_dump(const json_t *j)
{
    return json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
}

int tamga_json_get_str(const json_t *obj, const char *key, const char **out, const char *what)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v))
        return tamga__fail(TAMGA_ERR_FORMAT, "%s: field \"%s\" is missing or not a string", what,
                           key);
    *out = json_string_value(v);
    return TAMGA_OK;
}

int tamga_json_get_int(const json_t *obj, const char *key, int64_t *out, const char *what)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v))
        return tamga__fail(TAMGA_ERR_FORMAT, "%s: field \"%s\" is missing or not an integer",
                           what, key);
    *out = (int64_t)json_integer_value(v);
    return TAMGA_OK;
}

int tamga_json_get_hex(const json_t *obj, const char *key, uint8_t *out, size_t outlen,
                       const char *what)
{
    const char *s;
    int rc = tamga_json_get_str(obj, key, &s, what);
    if (rc != TAMGA_OK)
        return rc;
    if (tamga_hex_decode(s, strlen(s), out, outlen) != TAMGA_OK)
        return tamga__fail(TAMGA_ERR_FORMAT, "%s: field \"%s\" is not %zu bytes of hex", what,
                           key, outlen);
    return TAMGA_OK;
}
