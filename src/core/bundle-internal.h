/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private parts of the bundle module: tar member checks, the tar writer and
 * reader over byte callbacks, merge planning. Never installed. */
#ifndef TAMGA_BUNDLE_INTERNAL_H
#define TAMGA_BUNDLE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "tamga/bundle.h"
#include "tamga/custody.h"

/* ---- member checks ---- */
typedef enum {
    TAMGA__M_DIR = 1,
    TAMGA__M_FILE = 2,
    TAMGA__M_OTHER = 3, /* symlink, hard link, device, fifo, socket: always refused */
} tamga__member_type;

/* What a member is, by its path inside the top folder. */
typedef enum {
    TAMGA__K_TOP = 1, /* the top folder itself */
    TAMGA__K_SUBDIR, /* signers/, keys/, recordings/, audio/, keyholders/, branches/, branches/X/ */
    TAMGA__K_META, /* case.json(.minisig), head.json(.minisig), VERIFY.txt, *.pub, *.box, manifests
                    */
    TAMGA__K_LOG,  /* custody.jsonl, SHA256SUMS */
    TAMGA__K_BIG,  /* recordings/<id>.tamga, audio/<id>.opus, recordings/<id>.private */
} tamga__member_kind;

typedef struct tamga__member_checker tamga__member_checker;

tamga__member_checker *tamga__member_checker_new(void);
void tamga__member_checker_free(tamga__member_checker *k);
/* Checks one member: name (relative, no "..", no "//", no absolute path, no
 * control characters, one top folder "tamga-bundle-<12 hex>/" shared by all,
 * only the documented layout), type, size bound for its kind, no duplicate,
 * member count and total size (≤ `max_total`, 0: no bound). TAMGA_ERR_FORMAT
 * or TAMGA_ERR_TOO_LARGE with a detail naming the member. `*kind` may be NULL. */
int tamga__member_check(tamga__member_checker *k, const char *name, tamga__member_type type,
                        int64_t size, uint64_t max_total, tamga__member_kind *kind);
/* The top folder name seen so far ("" before the first member). */
const char *tamga__member_checker_top(const tamga__member_checker *k);
/* Whether a (relative, inside the top) file was seen. */
int tamga__member_checker_has(const tamga__member_checker *k, const char *rel);

/* "<16 upper-hex KEYID>-<seq>": the name of a custody branch folder. */
int tamga__branch_name_valid(const char *s, size_t n);

/* ---- tar over callbacks ---- */
typedef int (*tamga__sink_fn)(void *user, const uint8_t *data, size_t len);
typedef long (*tamga__source_fn)(void *user, uint8_t *buf, size_t len);

typedef struct tamga__tar_writer tamga__tar_writer;
/* A pax/ustar writer whose output goes to `sink`. */
int tamga__tar_writer_new(tamga__sink_fn sink, void *user, tamga__tar_writer **out);
int tamga__tar_add_dir(tamga__tar_writer *w, const char *name);
int tamga__tar_add_mem(tamga__tar_writer *w, const char *name, const void *data, size_t len,
                       int mode);
/* Adds a file from disk, streaming; `sha` (may be NULL) receives its SHA-256. */
int tamga__tar_add_file(tamga__tar_writer *w, const char *name, const char *path, int mode,
                        uint8_t sha[32]);
/* Member data produced by a callback: `produce` is called with a function that
 * writes the member's data; the size must be known in advance. */
typedef int (*tamga__tar_data_fn)(void *user, const uint8_t *data, size_t len);
int tamga__tar_begin_file(tamga__tar_writer *w, const char *name, uint64_t size, int mode);
int tamga__tar_write_data(tamga__tar_writer *w, const void *data, size_t len);
int tamga__tar_writer_finish(tamga__tar_writer *w);
void tamga__tar_writer_free(tamga__tar_writer *w);

/* Reads a tar from `source`, checks every member, and writes files under
 * `dest_dir` (which must exist and be empty), never following links and never
 * leaving `dest_dir`. Files are created 0600/0644, folders 0700. `*top`
 * receives the top folder's path (malloc'd). */
int tamga__tar_unpack(tamga__source_fn source, void *user, const char *dest_dir, uint64_t max_total,
                      char **top);

/* ---- folders ---- */
/* Sorted names of the entries of `dir` (dot files skipped) that satisfy `ok`;
 * at most `max` (0: no bound; more is TAMGA_ERR_TOO_LARGE). A missing folder
 * is an empty list when `missing_ok`, else an error. Free with tamga_strv_free. */
int tamga__list_dir(const char *dir, int (*ok)(const char *), size_t max, int missing_ok,
                    char ***out, size_t *n);
/* "<16 upper hex>.pub": a signer's key file name. */
int tamga__is_pub_name(const char *s);

/* ---- writing ---- */
/* Writes the whole tar of a bundle of `c` to `sink` (no encryption here). */
int tamga__bundle_write(const tamga_case *c, const tamga_identity *id,
                        const tamga_bundle_export_opts *o, tamga__sink_fn sink, void *user);
/* The text of VERIFY.txt, malloc'd. */
char *tamga__bundle_verify_txt(const tamga_case *c, const tamga_identity *exporter, char **rids,
                               size_t n, const char *top, int plain);

/* ---- the signed index: BUNDLE.json + BUNDLE.json.minisig ---- */
#define TAMGA_BUNDLE_INDEX_FORMAT  "tamga-bundle"
#define TAMGA_BUNDLE_INDEX_VERSION 1
/* Checks the signed index of an extracted bundle folder: the signature (by a
 * key in signers/, which must equal keys/), the fields (strict), the case id,
 * the SHA-256 of SHA256SUMS, recordings present == recordings listed, and
 * audio/ and keyholders/ against plain_audio and grant_case_key. TAMGA_OK or
 * TAMGA_ERR_AUTH / _FORMAT / _UNSUPPORTED with a detail. `signer` (may be
 * NULL) receives the signer's key id; `*known` (may be NULL) is 1 when that
 * key is the case creator's or signed an entry of the custody log. */
int tamga__bundle_check_index(const char *top, char signer[17], int *known);

/* ---- the bundle's extra files ---- */
/* Checks SHA256SUMS of an extracted bundle folder against every file in it
 * (each listed file must exist and match; every file but SHA256SUMS must be
 * listed), and each audio/<id>.opus against its signed manifest's audio
 * SHA-256. TAMGA_OK, or TAMGA_ERR_AUTH with a detail. `*files` (may be NULL)
 * receives the number of files checked. */
int tamga__bundle_check_sums(const char *top, size_t *files);
/* Whether `dir` looks like an extracted bundle (SHA256SUMS and VERIFY.txt). */
int tamga__bundle_is_folder(const char *dir);

/* ---- custody logs stored beside (branches) ---- */
/* Loads every custody log of a case folder: [0] is custody.jsonl, then
 * branches/<name>/custody.jsonl sorted by name. `names[i]` is NULL for [0]. */
int tamga__case_logs_load(const char *case_dir, tamga_custody_log **logs, char ***names, size_t *n);
void tamga__case_logs_free(tamga_custody_log *logs, char **names, size_t n);

/* ---- import ---- */
/* A fresh staging folder <home>/.staging-<random> (0700), malloc'd. */
int tamga__bundle_staging_new(const char *home, char **out);
/* Everything after unpacking into `staging` (bundle folder `top`): SHA256SUMS,
 * keys, verification of the staged case, then store it as a new case or merge
 * it (verified again as merged before the real case is touched). */
int tamga__bundle_store(const char *home, const char *staging, const char *top,
                        const tamga_identity *id, unsigned flags, tamga_import_result *res);

/* ---- for verify.c ---- */
#include "tamga/verify.h"
/* 1 and the SHA-256 and size of `path` if import hashed that very file (same
 * inode, size and mtime) while checking SHA256SUMS just before verifying the
 * staged bundle; 0 otherwise (then hash it). */
int tamga__bundle_sha_memo(const char *path, uint8_t sha[32], uint64_t *size);
/* Adds the checks of an extracted bundle folder (SHA256SUMS, keys, plain audio). */
void tamga__verify_bundle_extras(const char *dir, tamga_report *r);
/* Adds a check per custody branch (branches/<KEYID>-<seq>/). */
void tamga__verify_branches(const tamga_case *c, tamga_report *r);
/* 1 if a custody branch holds entry `seq` with hash `sha` followed by the
 * sealing entry of recording `rid` (manifest SHA-256 `msha_hex`). */
int tamga__branch_has_sealing(const tamga_case *c, uint64_t seq, const uint8_t sha[32],
                              const char *rid, const char *msha_hex, int interrupted);

#endif
