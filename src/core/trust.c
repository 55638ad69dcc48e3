/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The trust roster (trust.json) and the signer names verification prints. */
#include "tamga/trust.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "bech32.h"
#include "case-internal.h"
#include "identity-internal.h"
#include "report-internal.h"
#include "tamga/case.h"
#include "tamga/minisig.h"
#include "trust-internal.h"
#include "util.h"

void tamga_trust_clear(tamga_trust_roster *r)
{
    if (r == NULL)
        return;
    free(r->entries);
    r->entries = NULL;
    r->count = 0;
}

static int entry_to_json(const tamga_trust_entry *e, json_t **out)
{
    char kid[17];
    tamga_keyid_format(e->keynum, kid);
    char *blob = tamga__pk_blob_b64(e->keynum, e->sign_pk);
    tamga_pubid p;
    memset(&p, 0, sizeof p);
    memcpy(p.enc_pk, e->enc_pk, 32);
    char *age = NULL;
    if (blob == NULL || tamga_pubid_age_recipient(&p, &age) != TAMGA_OK) {
        free(blob);
        return TAMGA_ERR_NOMEM;
    }
    *out = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", e->name, "key_id", kid, "sign_public_key",
                     blob, "age_recipient", age, "added", e->added);
    free(blob);
    free(age);
    return *out ? TAMGA_OK : TAMGA_ERR_NOMEM;
}

int tamga_trust_to_json(const tamga_trust_roster *r, char **out)
{
    *out = NULL;
    json_t *arr = json_array();
    if (arr == NULL)
        return TAMGA_ERR_NOMEM;
    for (size_t i = 0; i < r->count; i++) {
        json_t *e = NULL;
        if (entry_to_json(&r->entries[i], &e) != TAMGA_OK) {
            json_decref(arr);
            return TAMGA_ERR_NOMEM;
        }
        json_array_append_new(arr, e);
    }
    json_t *j = json_pack("{s:s, s:i, s:o}", "format", TAMGA_TRUST_FORMAT, "version",
                          TAMGA_TRUST_VERSION, "entries", arr);
    if (j == NULL)
        return TAMGA_ERR_NOMEM;
    char *t = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (t == NULL)
        return TAMGA_ERR_NOMEM;
    size_t n = strlen(t);
    char *t2 = realloc(t, n + 2);
    if (t2 == NULL) {
        free(t);
        return TAMGA_ERR_NOMEM;
    }
    t2[n] = '\n';
    t2[n + 1] = '\0';
    *out = t2;
    return TAMGA_OK;
}

static int push(tamga_trust_roster *r, const tamga_trust_entry *e)
{
    if (r->count >= TAMGA_TRUST_MAX_ENTRIES)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "the trust roster holds %d entries at most",
                           TAMGA_TRUST_MAX_ENTRIES);
    for (size_t i = 0; i < r->count; i++) {
        if (strcmp(r->entries[i].name, e->name) == 0)
            return tamga__fail(TAMGA_ERR_EXISTS, "the trust roster already has \"%s\"", e->name);
        if (memcmp(r->entries[i].keynum, e->keynum, 8) == 0) {
            char kid[17];
            tamga_keyid_format(e->keynum, kid);
            return tamga__fail(TAMGA_ERR_EXISTS, "key %s is already in the trust roster as \"%s\"",
                               kid, r->entries[i].name);
        }
    }
    tamga_trust_entry *v = realloc(r->entries, (r->count + 1) * sizeof *v);
    if (v == NULL)
        return TAMGA_ERR_NOMEM;
    r->entries = v;
    v[r->count++] = *e;
    return TAMGA_OK;
}

int tamga_trust_parse(const char *text, size_t len, tamga_trust_roster *out)
{
    memset(out, 0, sizeof *out);
    json_t *j = tamga_json_parse_strict(text, len, "trust.json");
    if (j == NULL)
        return TAMGA_ERR_FORMAT;
    int rc = TAMGA_ERR_FORMAT;
    const char *s;
    int64_t v;
    json_t *arr = json_object_get(j, "entries");
    if (json_object_size(j) != 3 || tamga_json_get_str(j, "format", &s, "trust.json") ||
        strcmp(s, TAMGA_TRUST_FORMAT) != 0 || tamga_json_get_int(j, "version", &v, "trust.json") ||
        !json_is_array(arr)) {
        tamga__fail(TAMGA_ERR_FORMAT, "trust.json: not a tamga trust roster");
        goto out;
    }
    if (v != TAMGA_TRUST_VERSION) {
        rc = tamga__fail(TAMGA_ERR_UNSUPPORTED, "trust.json: version %lld is not supported",
                         (long long)v);
        goto out;
    }
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *o = json_array_get(arr, i);
        const char *name, *kid, *blob, *age, *added;
        tamga_trust_entry e;
        memset(&e, 0, sizeof e);
        uint8_t kn[8];
        if (!json_is_object(o) || json_object_size(o) != 5 ||
            tamga_json_get_str(o, "name", &name, "trust.json entry") ||
            tamga_json_get_str(o, "key_id", &kid, "trust.json entry") ||
            tamga_json_get_str(o, "sign_public_key", &blob, "trust.json entry") ||
            tamga_json_get_str(o, "age_recipient", &age, "trust.json entry") ||
            tamga_json_get_str(o, "added", &added, "trust.json entry") ||
            tamga__name_check(name, strlen(name)) != TAMGA_OK ||
            tamga_keyid_parse(kid, kn) != TAMGA_OK ||
            tamga__pk_blob_parse(blob, e.keynum, e.sign_pk) != TAMGA_OK ||
            memcmp(kn, e.keynum, 8) != 0 || tamga__trust_age_parse(age, e.enc_pk) != TAMGA_OK ||
            strlen(added) >= sizeof e.added) {
            tamga__fail(TAMGA_ERR_FORMAT, "trust.json: entry %zu is malformed", i + 1);
            goto out;
        }
        snprintf(e.name, sizeof e.name, "%s", name);
        snprintf(e.added, sizeof e.added, "%s", added);
        if ((rc = push(out, &e)) != TAMGA_OK) {
            if (rc == TAMGA_ERR_EXISTS)
                rc = tamga__fail(TAMGA_ERR_FORMAT, "trust.json: entry %zu repeats a name or key",
                                 i + 1);
            goto out;
        }
    }
    rc = TAMGA_OK;
out:
    json_decref(j);
    if (rc != TAMGA_OK)
        tamga_trust_clear(out);
    return rc;
}

static char *roster_path(const char *home)
{
    return tamga_path_join(home, "trust.json");
}

int tamga_trust_load(const char *home, tamga_trust_roster *out)
{
    memset(out, 0, sizeof *out);
    char *p = roster_path(home);
    if (p == NULL)
        return TAMGA_ERR_NOMEM;
    uint8_t *text = NULL;
    size_t len = 0;
    int rc = tamga_read_file(p, TAMGA_TRUST_MAX_FILE, &text, &len);
    free(p);
    if (rc == TAMGA_ERR_NOT_FOUND)
        return TAMGA_OK;
    if (rc == TAMGA_OK)
        rc = tamga_trust_parse((const char *)text, len, out);
    free(text);
    return rc;
}

int tamga_trust_save(const char *home, const tamga_trust_roster *r)
{
    char *text = NULL;
    int rc = tamga_trust_to_json(r, &text);
    if (rc != TAMGA_OK)
        return rc;
    char *p = roster_path(home);
    rc = p ? tamga_mkdir_p(home, 0700) : TAMGA_ERR_NOMEM;
    if (rc == TAMGA_OK)
        rc = tamga_write_atomic(p, text, strlen(text), 0600, 1);
    free(p);
    free(text);
    return rc;
}

int tamga_trust_add(tamga_trust_roster *r, const tamga_pubid *pub, const char *name)
{
    tamga_trust_entry e;
    memset(&e, 0, sizeof e);
    const char *n = name ? name : pub->name;
    if (tamga__name_check(n, strlen(n)) != TAMGA_OK)
        return tamga__fail(TAMGA_ERR_INVALID,
                           "a name needs 1 to %d bytes of UTF-8 and no control characters",
                           TAMGA_NAME_MAX);
    snprintf(e.name, sizeof e.name, "%s", n);
    memcpy(e.keynum, pub->keynum, 8);
    memcpy(e.sign_pk, pub->sign_pk, 32);
    memcpy(e.enc_pk, pub->enc_pk, 32);
    tamga_utc_now(e.added, sizeof e.added);
    return push(r, &e);
}

/* The entry with exactly this name, else the one with this key id; -1 if none. */
static ptrdiff_t find_ref(const tamga_trust_roster *r, const char *ref)
{
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->entries[i].name, ref) == 0)
            return (ptrdiff_t)i;
    uint8_t kn[8];
    if (tamga_keyid_parse(ref, kn) == TAMGA_OK)
        for (size_t i = 0; i < r->count; i++)
            if (memcmp(r->entries[i].keynum, kn, 8) == 0)
                return (ptrdiff_t)i;
    return -1;
}

int tamga_trust_remove(tamga_trust_roster *r, const char *ref)
{
    ptrdiff_t at = find_ref(r, ref);
    if (at < 0)
        return tamga__fail(TAMGA_ERR_NOT_FOUND, "\"%s\" is not in the trust roster", ref);
    size_t i = (size_t)at;
    memmove(&r->entries[i], &r->entries[i + 1], (r->count - i - 1) * sizeof *r->entries);
    r->count--;
    return TAMGA_OK;
}

int tamga_trust_rename(tamga_trust_roster *r, const char *ref, const char *new_name)
{
    if (tamga__name_check(new_name, strlen(new_name)) != TAMGA_OK)
        return tamga__fail(TAMGA_ERR_INVALID,
                           "a name needs 1 to %d bytes of UTF-8 and no control characters",
                           TAMGA_NAME_MAX);
    ptrdiff_t at = find_ref(r, ref);
    if (at < 0)
        return tamga__fail(TAMGA_ERR_NOT_FOUND, "\"%s\" is not in the trust roster", ref);
    for (size_t i = 0; i < r->count; i++)
        if (i != (size_t)at && strcmp(r->entries[i].name, new_name) == 0)
            return tamga__fail(TAMGA_ERR_EXISTS, "the trust roster already has \"%s\"", new_name);
    snprintf(r->entries[at].name, sizeof r->entries[at].name, "%s", new_name);
    return TAMGA_OK;
}

const tamga_trust_entry *tamga_trust_find_key(const tamga_trust_roster *r,
                                              const uint8_t keynum[TAMGA_KEYNUM_BYTES],
                                              const uint8_t sign_pk[TAMGA_SIGN_PK_BYTES])
{
    for (size_t i = 0; i < r->count; i++)
        if (memcmp(r->entries[i].keynum, keynum, 8) == 0 &&
            sodium_memcmp(r->entries[i].sign_pk, sign_pk, 32) == 0)
            return &r->entries[i];
    return NULL;
}

const tamga_trust_entry *tamga_trust_find_name(const tamga_trust_roster *r, const char *name)
{
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->entries[i].name, name) == 0)
            return &r->entries[i];
    return NULL;
}

/* ---- names in verification reports ---- */

void tamga__verify_signer_names(const tamga_case *c, tamga_report *rep)
{
    char *home = NULL;
    tamga_trust_roster roster = {NULL, 0};
    if (tamga_home_resolve(NULL, &home) != TAMGA_OK ||
        tamga_trust_load(home, &roster) != TAMGA_OK) {
        free(home);
        tamga__report_add(rep, TAMGA_CHECK_WARN, N_("signers"),
                          "the trust roster cannot be read: signers are not named");
        return;
    }
    tamga_pubid me;
    int have_me = 0;
    {
        char *pp = tamga_home_public_path(home);
        have_me = pp != NULL && tamga_file_exists(pp) && tamga_pubid_load(pp, &me) == TAMGA_OK;
        free(pp);
    }
    free(home);
    char *dir = tamga_path_join(tamga_case_get_dir(c), "signers");
    DIR *d = dir ? opendir(dir) : NULL;
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            uint8_t kn[8], pk[32];
            char kid[17];
            if (strlen(e->d_name) != 20 || strcmp(e->d_name + 16, ".pub") != 0)
                continue;
            snprintf(kid, sizeof kid, "%.16s", e->d_name);
            if (tamga_keyid_parse(kid, kn) != TAMGA_OK ||
                tamga_case_signer_key(c, kn, pk) != TAMGA_OK)
                continue;
            const tamga_trust_entry *t = tamga_trust_find_key(&roster, kn, pk);
            if (have_me && memcmp(me.keynum, kn, 8) == 0 && sodium_memcmp(me.sign_pk, pk, 32) == 0)
                tamga__report_add(rep, TAMGA_CHECK_INFO, N_("signer"),
                                  "%s (this machine's identity)", kid);
            else if (t != NULL)
                /* TRANSLATORS: a signer's key id, then its name in the trust
                 * roster. */
                tamga__report_add(rep, TAMGA_CHECK_INFO, N_("signer"), "%s (%s, trusted)", kid,
                                  t->name);
            else
                /* With an empty roster nobody is named: information, not a warning. */
                tamga__report_add(rep, roster.count ? TAMGA_CHECK_WARN : TAMGA_CHECK_INFO,
                                  N_("signer"),
                                  "valid signatures by an unknown key %s (not in your trust "
                                  "roster)",
                                  kid);
        }
        closedir(d);
    }
    free(dir);
    tamga_trust_clear(&roster);
}

int tamga__trust_age_parse(const char *text, uint8_t pk[TAMGA_ENC_PK_BYTES])
{
    return tamga_age_recipient_decode(text, strlen(text), pk) == TAMGA_OK
               ? TAMGA_OK
               : tamga__fail(TAMGA_ERR_FORMAT, "not an age recipient (age1…)");
}

void tamga_trust_entry_pubid(const tamga_trust_entry *e, tamga_pubid *out)
{
    memset(out, 0, sizeof *out);
    memcpy(out->keynum, e->keynum, sizeof out->keynum);
    memcpy(out->sign_pk, e->sign_pk, sizeof out->sign_pk);
    memcpy(out->enc_pk, e->enc_pk, sizeof out->enc_pk);
    snprintf(out->name, sizeof out->name, "%s", e->name);
}

int tamga_trust_resolve(const char *home, const char *ref, tamga_pubid *out)
{
    memset(out, 0, sizeof *out);
    if (tamga_file_exists(ref))
        return tamga_pubid_load(ref, out);
    tamga_trust_roster r;
    int rc = tamga_trust_load(home, &r);
    if (rc != TAMGA_OK)
        return rc;
    const tamga_trust_entry *e = tamga_trust_find_name(&r, ref);
    if (e != NULL)
        tamga_trust_entry_pubid(e, out);
    else
        rc = tamga__fail(TAMGA_ERR_NOT_FOUND,
                         "\"%s\" is neither a public identity file nor a name in the trust roster",
                         ref);
    tamga_trust_clear(&r);
    return rc;
}
