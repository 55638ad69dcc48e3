/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One error enum for the whole library. Codes are never renumbered. */
#ifndef TAMGA_ERROR_H
#define TAMGA_ERROR_H

#include "common.h"

typedef enum {
    TAMGA_OK = 0,
    TAMGA_ERR_NOMEM = -1,          /* out of memory */
    TAMGA_ERR_IO = -2,             /* a read, write, fsync or rename failed */
    TAMGA_ERR_FORMAT = -3,         /* input does not follow its format */
    TAMGA_ERR_AUTH = -4,           /* authentication or signature check failed */
    TAMGA_ERR_PASSPHRASE = -5,     /* wrong passphrase */
    TAMGA_ERR_NOT_KEYHOLDER = -6,  /* this identity cannot decrypt the case */
    TAMGA_ERR_EXISTS = -7,         /* refusing to overwrite */
    TAMGA_ERR_NOT_FOUND = -8,      /* no such file, case or recording */
    TAMGA_ERR_TOO_LARGE = -9,      /* a length exceeds its documented limit */
    TAMGA_ERR_UNSUPPORTED = -10,   /* unknown version or algorithm */
    TAMGA_ERR_AUDIO = -11,         /* audio could not be read, encoded or decoded */
    TAMGA_ERR_INVALID = -12,       /* invalid argument value */
    TAMGA_ERR_TRUNCATED = -13,     /* input ends early */
    TAMGA_ERR_WRONG_CASE = -14,    /* the file belongs to another case */
    TAMGA_ERR_CRYPTO = -15,        /* the crypto library failed to initialise */
    TAMGA_ERR_NOSPACE = -16,       /* the disk is full */
    TAMGA_ERR_AMBIGUOUS = -17,     /* a short id matches more than one item */
    TAMGA_ERR_LOCKED = -18,        /* the identity must be unlocked first */
    TAMGA_ERR_DEVICE = -19,        /* audio device missing or failed */
} tamga_error;

/* A short English description of an error code. Never NULL. */
TAMGA_API const char *tamga_strerror(int code);

/* Detail of the most recent error in this thread (which file, which offset),
 * or "" when none was recorded. The library never prints; callers may. */
TAMGA_API const char *tamga_error_detail(void);

#endif
