/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Emergency wipe: crypto-shredding of this machine's secret keys. The
 * recordings stay on disk, encrypted, but this machine can no longer decrypt
 * them; they still verify (signatures, hashes, chains need no secret). See
 * docs/THREAT-MODEL.md, "Emergency wipe". */
#ifndef TAMGA_WIPE_H
#define TAMGA_WIPE_H

#include "common.h"

typedef struct {
    int identity_destroyed;      /* 1: identity/secret.key was destroyed */
    int identity_was_missing;    /* 1: there was no secret.key to destroy */
    size_t grants_destroyed;     /* cases/<id>/keyholders/<KEYID>.box files destroyed */
    size_t cases;                /* cases found */
    size_t recordings_remaining; /* .tamga files left, no longer decryptable here */
    int public_identity_remains; /* identity/public.json is still there (it is public) */
    size_t failures;             /* files that could not be destroyed */
    char first_failure[512];     /* the first of them and why, or "" */
    int64_t elapsed_us;          /* wall time the wipe took */
} tamga_wipe_report;

/* Destroys the secret keys held under the data folder `home`: the identity's
 * secret file and every case-key grant (keyholders/<KEYID>.box) of every case.
 * Each file is overwritten with random bytes of its size, fsynced, unlinked,
 * and its folder fsynced. Keeps going past a file it cannot destroy and then
 * returns the first error (TAMGA_ERR_IO with a detail); `out` is filled in
 * either case. Recordings, manifests, custody logs and the public identity are
 * left as they are. Not undoable. */
TAMGA_API int tamga_wipe_secrets(const char *home, tamga_wipe_report *out);

#endif
