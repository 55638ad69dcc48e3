/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga/error.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <sodium.h>

#include "build-info.h"
#include "tamga/common.h"

const char *tamga_strerror(int code)
{
    switch (code) {
    case TAMGA_OK: return "success";
    case TAMGA_ERR_NOMEM: return "out of memory";
    case TAMGA_ERR_IO: return "input/output error";
    case TAMGA_ERR_FORMAT: return "malformed input";
    case TAMGA_ERR_AUTH: return "authentication failed: the data was altered or the key is wrong";
    case TAMGA_ERR_PASSPHRASE: return "wrong passphrase";
    case TAMGA_ERR_NOT_KEYHOLDER: return "this identity is not a keyholder of the case";
    case TAMGA_ERR_EXISTS: return "already exists";
    case TAMGA_ERR_NOT_FOUND: return "not found";
    case TAMGA_ERR_TOO_LARGE: return "a length exceeds its limit";
    case TAMGA_ERR_UNSUPPORTED: return "unsupported version or algorithm";
    case TAMGA_ERR_AUDIO: return "audio error";
    case TAMGA_ERR_INVALID: return "invalid argument";
    case TAMGA_ERR_TRUNCATED: return "input ends early";
    case TAMGA_ERR_WRONG_CASE: return "the file belongs to another case";
    case TAMGA_ERR_CRYPTO: return "the cryptography library failed to initialise";
    case TAMGA_ERR_NOSPACE: return "no space left on the disk";
    case TAMGA_ERR_AMBIGUOUS: return "ambiguous: more than one match";
    case TAMGA_ERR_LOCKED: return "the identity is locked";
    case TAMGA_ERR_DEVICE: return "audio device error";
    default: return "unknown error";
    }
}

const char *tamga_version(void)
{
    return TAMGA_VERSION_STRING;
}

const char *tamga_git_revision(void)
{
    return TAMGA_GIT_REVISION;
}

int tamga_init(void)
{
    /* Secrets live in memory: a core dump must never write them to disk. */
    struct rlimit rl = {0, 0};
    (void)setrlimit(RLIMIT_CORE, &rl);
#if !defined(__SANITIZE_ADDRESS__)
    /* Not under AddressSanitizer: its leak checker needs to ptrace the process. */
    (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
    if (sodium_init() < 0)
        return TAMGA_ERR_CRYPTO;
    return TAMGA_OK;
}
