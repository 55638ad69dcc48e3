/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The trust roster: add, remove, rename, and the round trip through trust.json. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tamga/error.h"
#include "tamga/identity.h"
#include "tamga/tamga.h"
#include "tamga/trust.h"

typedef struct {
    tamga_pubid a, b, c;
} Keys;

static void make_pub(const char *name, tamga_pubid *out)
{
    tamga_identity *id = NULL;
    assert_int_equal(tamga_identity_generate(name, &id), TAMGA_OK);
    *out = *tamga_identity_get_public(id);
    tamga_identity_free(id);
}

static int setup(void **state)
{
    Keys *k = calloc(1, sizeof *k);
    assert_non_null(k);
    make_pub("Alice", &k->a);
    make_pub("Bob", &k->b);
    make_pub("Carol", &k->c);
    *state = k;
    return 0;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

/* A roster of Alice (as "Almaty office") and Bob (his own name). */
static void two(const Keys *k, tamga_trust_roster *r)
{
    memset(r, 0, sizeof *r);
    assert_int_equal(tamga_trust_add(r, &k->a, "Almaty office"), TAMGA_OK);
    assert_int_equal(tamga_trust_add(r, &k->b, NULL), TAMGA_OK);
    assert_int_equal(r->count, 2);
}

static void test_add_remove(void **state)
{
    const Keys *k = *state;
    tamga_trust_roster r;
    two(k, &r);
    assert_string_equal(r.entries[1].name, "Bob");
    /* The same name or the same key twice. */
    assert_int_equal(tamga_trust_add(&r, &k->c, "Bob"), TAMGA_ERR_EXISTS);
    assert_int_equal(tamga_trust_add(&r, &k->a, "Someone else"), TAMGA_ERR_EXISTS);
    assert_int_equal(tamga_trust_add(&r, &k->c, ""), TAMGA_ERR_INVALID);
    assert_int_equal(r.count, 2);
    char kid[17];
    tamga_keyid_format(k->b.keynum, kid);
    assert_int_equal(tamga_trust_remove(&r, kid), TAMGA_OK);
    assert_int_equal(tamga_trust_remove(&r, "Bob"), TAMGA_ERR_NOT_FOUND);
    assert_int_equal(tamga_trust_remove(&r, "Almaty office"), TAMGA_OK);
    assert_int_equal(r.count, 0);
    tamga_trust_clear(&r);
}

static void test_rename(void **state)
{
    const Keys *k = *state;
    tamga_trust_roster r;
    two(k, &r);
    char added[32];
    snprintf(added, sizeof added, "%s", r.entries[0].added);

    /* By name. */
    assert_int_equal(tamga_trust_rename(&r, "Almaty office", "Bishkek office"), TAMGA_OK);
    assert_string_equal(r.entries[0].name, "Bishkek office");
    assert_null(tamga_trust_find_name(&r, "Almaty office"));
    /* Only the name changes: the keys and the date stay. */
    assert_ptr_equal(tamga_trust_find_key(&r, k->a.keynum, k->a.sign_pk), &r.entries[0]);
    assert_memory_equal(r.entries[0].enc_pk, k->a.enc_pk, TAMGA_ENC_PK_BYTES);
    assert_string_equal(r.entries[0].added, added);

    /* By key id (upper or lower case, as tamga_keyid_parse takes it). */
    char kid[17];
    tamga_keyid_format(k->b.keynum, kid);
    assert_int_equal(tamga_trust_rename(&r, kid, "Robert \xc3\x9c"), TAMGA_OK);
    assert_string_equal(r.entries[1].name, "Robert \xc3\x9c");

    /* To its own name: nothing changes, no error. */
    assert_int_equal(tamga_trust_rename(&r, "Bishkek office", "Bishkek office"), TAMGA_OK);
    assert_string_equal(r.entries[0].name, "Bishkek office");
    tamga_trust_clear(&r);
}

static void test_rename_errors(void **state)
{
    const Keys *k = *state;
    tamga_trust_roster r;
    two(k, &r);
    char kid_c[17];
    tamga_keyid_format(k->c.keynum, kid_c);
    char too_long[TAMGA_NAME_MAX + 2];
    memset(too_long, 'x', sizeof too_long - 1);
    too_long[sizeof too_long - 1] = '\0';
    char just_right[TAMGA_NAME_MAX + 1];
    memset(just_right, 'y', sizeof just_right - 1);
    just_right[sizeof just_right - 1] = '\0';

    assert_int_equal(tamga_trust_rename(&r, "Nobody", "Somebody"), TAMGA_ERR_NOT_FOUND);
    assert_int_equal(tamga_trust_rename(&r, kid_c, "Somebody"), TAMGA_ERR_NOT_FOUND);
    assert_int_equal(tamga_trust_rename(&r, "", "Somebody"), TAMGA_ERR_NOT_FOUND);
    /* The new name is another entry's. */
    assert_int_equal(tamga_trust_rename(&r, "Almaty office", "Bob"), TAMGA_ERR_EXISTS);
    /* Bad names, whether or not the entry exists. */
    const char *bad[] = {"",     too_long,         "line\nbreak", "tab\there",
                         "\x7f", "bad \xc3 utf-8", "\xc0\xaf"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(tamga_trust_rename(&r, "Almaty office", bad[i]), TAMGA_ERR_INVALID);
        assert_int_equal(tamga_trust_rename(&r, "Nobody", bad[i]), TAMGA_ERR_INVALID);
    }
    /* Nothing changed by any of these. */
    assert_int_equal(r.count, 2);
    assert_string_equal(r.entries[0].name, "Almaty office");
    assert_string_equal(r.entries[1].name, "Bob");
    /* The longest allowed name is fine. */
    assert_int_equal(tamga_trust_rename(&r, "Bob", just_right), TAMGA_OK);
    assert_string_equal(r.entries[1].name, just_right);
    tamga_trust_clear(&r);
}

/* A name that looks like a key id names its own entry first, not the entry
 * whose key id it is. */
static void test_rename_name_before_keyid(void **state)
{
    const Keys *k = *state;
    tamga_trust_roster r;
    memset(&r, 0, sizeof r);
    char kid_b[17];
    tamga_keyid_format(k->b.keynum, kid_b);
    assert_int_equal(tamga_trust_add(&r, &k->b, "Bob"), TAMGA_OK);
    assert_int_equal(tamga_trust_add(&r, &k->a, kid_b), TAMGA_OK);
    assert_int_equal(tamga_trust_rename(&r, kid_b, "Alice"), TAMGA_OK);
    assert_string_equal(r.entries[0].name, "Bob");
    assert_string_equal(r.entries[1].name, "Alice");
    assert_int_equal(tamga_trust_remove(&r, kid_b), TAMGA_OK); /* now the key id: Bob */
    assert_int_equal(r.count, 1);
    assert_string_equal(r.entries[0].name, "Alice");
    tamga_trust_clear(&r);
}

/* A renamed roster is saved and read back as it is. */
static void test_rename_round_trip(void **state)
{
    const Keys *k = *state;
    char *home = tu_tmpdir("trust-rename");
    tamga_trust_roster r;
    two(k, &r);
    assert_int_equal(tamga_trust_rename(&r, "Bob", "Partner B"), TAMGA_OK);
    assert_int_equal(tamga_trust_save(home, &r), TAMGA_OK);
    tamga_trust_roster back;
    assert_int_equal(tamga_trust_load(home, &back), TAMGA_OK);
    assert_int_equal(back.count, 2);
    assert_string_equal(back.entries[1].name, "Partner B");
    assert_memory_equal(back.entries[1].sign_pk, k->b.sign_pk, TAMGA_SIGN_PK_BYTES);
    char *a = NULL, *b = NULL;
    assert_int_equal(tamga_trust_to_json(&r, &a), TAMGA_OK);
    assert_int_equal(tamga_trust_to_json(&back, &b), TAMGA_OK);
    assert_string_equal(a, b);
    free(a);
    free(b);
    tamga_trust_clear(&back);
    tamga_trust_clear(&r);
    tu_rm_rf(home);
    free(home);
}

/* References as the CLI and the app take them: a public identity file or a roster name. */
static void test_resolve(void **state)
{
    const Keys *k = *state;
    char *home = tu_tmpdir("trust-resolve");
    tamga_trust_roster r;
    two(k, &r);
    assert_int_equal(tamga_trust_save(home, &r), TAMGA_OK);
    tamga_pubid got;
    assert_int_equal(tamga_trust_resolve(home, "Almaty office", &got), TAMGA_OK);
    assert_memory_equal(got.keynum, k->a.keynum, TAMGA_KEYNUM_BYTES);
    assert_memory_equal(got.sign_pk, k->a.sign_pk, TAMGA_SIGN_PK_BYTES);
    assert_memory_equal(got.enc_pk, k->a.enc_pk, TAMGA_ENC_PK_BYTES);
    assert_string_equal(got.name, "Almaty office");
    assert_int_equal(tamga_trust_resolve(home, "Nobody", &got), TAMGA_ERR_NOT_FOUND);
    assert_non_null(strstr(tamga_error_detail(), "Nobody"));

    /* A file wins over the roster, and its self-signature is checked. */
    tamga_identity *id = NULL;
    assert_int_equal(tamga_identity_generate("Dana", &id), TAMGA_OK);
    char *file = tu_path(home, "dana.json");
    assert_int_equal(tamga_pubid_write(tamga_identity_get_public(id), id, file, 0), TAMGA_OK);
    assert_int_equal(tamga_trust_resolve(home, file, &got), TAMGA_OK);
    assert_string_equal(got.name, "Dana");
    size_t len;
    char *text = (char *)tu_read(file, &len);
    char *at = strstr(text, "Dana");
    assert_non_null(at);
    at[0] = 'M'; /* the name is signed */
    tu_write(file, text, len);
    assert_int_equal(tamga_trust_resolve(home, file, &got), TAMGA_ERR_AUTH);
    free(text);
    free(file);
    tamga_identity_free(id);
    tamga_trust_clear(&r);
    tu_rm_rf(home);
    free(home);
}

int main(void)
{
    if (tamga_init() != TAMGA_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_remove),        cmocka_unit_test(test_rename),
        cmocka_unit_test(test_rename_errors),     cmocka_unit_test(test_rename_name_before_keyid),
        cmocka_unit_test(test_rename_round_trip), cmocka_unit_test(test_resolve),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
