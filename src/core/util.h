/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internal helpers shared by the library modules. Never installed. */
#ifndef TAMGA_UTIL_H
#define TAMGA_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "tamga/error.h"

/* ---- error detail ---- */
/* Records a printf-style detail for tamga_error_detail() and returns `code`. */
int tamga__fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tamga__clear_detail(void);

/* ---- little-endian integers (host byte order never matters) ---- */
static inline void tamga_store_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void tamga_store_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static inline void tamga_store_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static inline uint16_t tamga_load_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint32_t tamga_load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}
static inline uint64_t tamga_load_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* ---- hex and base64 ---- */
/* Lower-case hex; `out` must hold 2*len+1 bytes. */
void tamga_hex_encode(const uint8_t *in, size_t len, char *out);
/* Strict: exactly 2*outlen hex digits (either case). TAMGA_ERR_FORMAT otherwise. */
int tamga_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t outlen);
/* Standard base64 with padding. Returns a malloc'd NUL-terminated string, NULL on OOM. */
char *tamga_b64_encode(const uint8_t *in, size_t len);
/* Strict canonical base64 with padding: no whitespace, no trailing data, zero
 * padding bits. Writes at most `outmax` bytes. TAMGA_ERR_FORMAT on any deviation. */
int tamga_b64_decode(const char *in, size_t inlen, uint8_t *out, size_t outmax, size_t *outlen);

/* ---- files ---- */
/* Reads a whole file, refusing more than `maxlen` bytes (TAMGA_ERR_TOO_LARGE).
 * `*data` is malloc'd with one extra NUL byte; caller frees. */
int tamga_read_file(const char *path, size_t maxlen, uint8_t **data, size_t *len);
/* Writes a file atomically: temp file in the same folder, fsync, rename, fsync the
 * folder. With overwrite == 0 an existing file gives TAMGA_ERR_EXISTS. No partial
 * file is ever left behind. */
int tamga_write_atomic(const char *path, const void *data, size_t len, mode_t mode, int overwrite);
/* Appends `len` bytes to `path` (created with `mode` if missing) and fsyncs. */
int tamga_append_sync(const char *path, const void *data, size_t len, mode_t mode);
/* Creates a folder and its parents with `mode` (existing folders are left as they are). */
int tamga_mkdir_p(const char *path, mode_t mode);
int tamga_fsync_dir(const char *dir);
/* SHA-256 of a whole file, streaming. `size` may be NULL. */
int tamga_sha256_file(const char *path, uint8_t out[32], uint64_t *size);
/* Joins two path components with '/'. malloc'd; NULL on OOM. */
char *tamga_path_join(const char *a, const char *b);
int tamga_file_exists(const char *path);
int tamga_is_dir(const char *path);
/* Maps errno after a failed write/open to TAMGA_ERR_NOSPACE or TAMGA_ERR_IO with a detail. */
int tamga__errno_fail(const char *what, const char *path);

/* ---- time and ids ---- */
/* UTC time as "2026-11-27T05:10:00.123Z"; `out` holds at least 32 bytes. */
void tamga_utc_now(char *out, size_t outlen);
/* Formats a unix time in milliseconds the same way. */
void tamga_utc_format(int64_t unix_ms, char *out, size_t outlen);
int64_t tamga_now_ms(void);
void tamga_random_id(uint8_t id[16]);

/* ---- JSON (jansson) ---- */
/* Parses with duplicate keys rejected and nothing after the value. NULL on error,
 * with the detail recorded. */
json_t *tamga_json_parse_strict(const char *buf, size_t len, const char *what);
/* Serialises compactly with keys in insertion order, malloc'd, NUL-terminated. */
char *tamga_json_dump(const json_t *j);
/* Required-field getters: TAMGA_ERR_FORMAT with a detail naming `what` and `key`. */
int tamga_json_get_str(const json_t *obj, const char *key, const char **out, const char *what);
int tamga_json_get_int(const json_t *obj, const char *key, int64_t *out, const char *what);
int tamga_json_get_hex(const json_t *obj, const char *key, uint8_t *out, size_t outlen,
                       const char *what);

#endif
