/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The verification report in the reader's language: checks are translated
 * with gettext when added (the program binds the domain "tamga"), kept in
 * English too; the text report and the app show the translation, the JSON
 * report English with the translation beside it. A made-up language "xx"
 * (tests/vectors/i18n/xx.po, compiled with msgfmt at run time) with three
 * plural forms shows that the catalogue's plural rule is used. */
#define _GNU_SOURCE
#include "testutil.h"

#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "report-internal.h"
#include "tamga/tamga.h"

static char *g_dir, *g_localedir;
static int g_have_catalogue;

/* Compiles xx.po into <tmp>/locale/xx/LC_MESSAGES/tamga.mo. */
static int group_setup(void **state)
{
    (void)state;
    assert_int_equal(tamga_init(), TAMGA_OK);
    g_dir = tu_tmpdir("report");
    g_localedir = tu_path(g_dir, "locale");
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/xx/LC_MESSAGES' && msgfmt --check -o '%s/xx/LC_MESSAGES/tamga.mo' "
             "'%s/i18n/xx.po' 2>/dev/null",
             g_localedir, g_localedir, TAMGA_TEST_VECTORS);
    g_have_catalogue = system(cmd) == 0;
    /* The trust roster of this test's own data folder (empty). */
    setenv("TAMGA_HOME", g_dir, 1);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    tu_rm_rf(g_dir);
    free(g_dir);
    free(g_localedir);
    return 0;
}

/* What tamga's CLI and app do at start: the user's locale, the domain bound.
 * glibc ignores LANGUAGE in the "C" locale but not in "C.UTF-8". */
static void speak(const char *language)
{
    if (!g_have_catalogue)
        skip(); /* msgfmt (gettext) is not installed */
    setenv("LANGUAGE", language, 1);
    if (setlocale(LC_ALL, "C.UTF-8") == NULL && setlocale(LC_ALL, "C.utf8") == NULL)
        skip(); /* no UTF-8 C locale here */
    assert_non_null(bindtextdomain(TAMGA_TEXTDOMAIN, g_localedir));
    assert_non_null(bind_textdomain_codeset(TAMGA_TEXTDOMAIN, "UTF-8"));
}

/* Back to English: the "C" locale, where gettext translates nothing. */
static int english(void **state)
{
    (void)state;
    unsetenv("LANGUAGE");
    setlocale(LC_ALL, "C");
    return 0;
}

static const tamga_check *find(const tamga_report *r, const char *subject_en)
{
    for (size_t i = 0; i < tamga_report_count(r); i++)
        if (strcmp(tamga_report_get(r, i)->subject_en, subject_en) == 0)
            return tamga_report_get(r, i);
    fail_msg("no check about %s", subject_en);
    return NULL;
}

static json_t *json_checks(const tamga_report *r, json_t **root)
{
    char *text = tamga_report_json(r);
    assert_non_null(text);
    *root = json_loads(text, 0, NULL);
    free(text);
    assert_non_null(*root);
    json_t *checks = json_object_get(*root, "checks");
    assert_true(json_is_array(checks));
    assert_int_equal(json_array_size(checks), tamga_report_count(r));
    return checks;
}

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Subjects, messages and plurals through each way of adding a check. */
static void test_translated_checks(void **state)
{
    (void)state;
    speak("xx");
    tamga_report *r = tamga__report_new();
    assert_non_null(r);
    tamga__subject rec;
    tamga__subject_set(&rec, "recording %s", "3f2a9c0b11d2");
    assert_string_equal(rec.en, "recording 3f2a9c0b11d2");
    assert_string_equal(rec.local, "rékording «3f2a9c0b11d2»");

    for (unsigned long n = 1; n <= 3; n++)
        tamga__report_addn(r, TAMGA_CHECK_PASS, N_("custody log"), n,
                           "%zu entry, hash chain unbroken, every entry signed by a key of "
                           "this case",
                           "%zu entries, hash chain unbroken, every entry signed by a key of "
                           "this case",
                           (size_t)n);
    tamga__report_add_s(r, TAMGA_CHECK_FAIL, &rec, "the manifest is missing");
    /* Not in the catalogue: English on both sides. */
    tamga__report_add(r, TAMGA_CHECK_WARN, N_("case.json"), "case \"%s\" (%s)", "Almaty", "00ff");
    /* A technical detail stays as it is; the subject is translated. */
    tamga__report_add_detail(r, TAMGA_CHECK_INFO, N_("signer keys"), "signers/x.pub: 100%s");
    tamga__report_add(r, TAMGA_CHECK_FAIL, N_("signer keys"),
                      "signers/%s is malformed or does not match the key it names", "K.pub");
    assert_int_equal(tamga_report_count(r), 7);

    const tamga_check *c = tamga_report_get(r, 0);
    assert_string_equal(c->subject, "kústodi-lóg");
    assert_string_equal(c->subject_en, "custody log");
    assert_string_equal(c->message, "xx-one 1 entry");
    assert_string_equal(c->message_en, "1 entry, hash chain unbroken, every entry signed by a key "
                                       "of this case");
    c = tamga_report_get(r, 1);
    assert_string_equal(c->message, "xx-two 2 entries"); /* xx's own second form */
    assert_string_equal(c->message_en, "2 entries, hash chain unbroken, every entry signed by a "
                                       "key of this case");
    assert_string_equal(tamga_report_get(r, 2)->message, "xx-many 3 entries");
    c = tamga_report_get(r, 3);
    assert_string_equal(c->subject, "rékording «3f2a9c0b11d2»");
    assert_string_equal(c->subject_en, "recording 3f2a9c0b11d2");
    assert_string_equal(c->message, "xx: no manifest");
    assert_string_equal(c->message_en, "the manifest is missing");
    c = tamga_report_get(r, 4);
    assert_string_equal(c->subject, "case.json");
    assert_string_equal(c->message, "case \"Almaty\" (00ff)");
    assert_string_equal(c->message_en, c->message);
    c = tamga_report_get(r, 5);
    assert_string_equal(c->subject, "sígner-kéys");
    assert_string_equal(c->message, "signers/x.pub: 100%s");
    assert_string_equal(c->message_en, "signers/x.pub: 100%s");
    c = tamga_report_get(r, 6);
    assert_string_equal(c->subject, "sígner-kéys");
    assert_string_equal(c->subject_en, "signer keys");
    assert_string_equal(c->message, "xx: «signers/K.pub» is bad");
    assert_string_equal(c->message_en,
                        "signers/K.pub is malformed or does not match the key it names");

    /* The text report: translated labels lined up by characters (the
     * longest, FÄILƏ, is 5 characters in 7 bytes), translated verdict. */
    char *text = tamga_report_text(r);
    assert_non_null(text);
    assert_non_null(strstr(text, "  ÓK     kústodi-lóg: xx-one 1 entry\n"));
    assert_non_null(strstr(text, "  FÄILƏ  rékording «3f2a9c0b11d2»: xx: no manifest\n"));
    assert_non_null(strstr(text, "  WÁRN   case.json: case \"Almaty\" (00ff)\n"));
    assert_non_null(strstr(text, "         sígner-kéys: signers/x.pub: 100%s\n"));
    assert_non_null(strstr(text, "  FÄILƏ  sígner-kéys: xx: «signers/K.pub» is bad\n"));
    assert_non_null(strstr(text, "XX-FAILED 2/6 many\n"));
    assert_null(strstr(text, "FAILED:"));
    free(text);

    /* JSON: English for scripts, the translation beside it when it differs. */
    json_t *root;
    json_t *checks = json_checks(r, &root);
    json_t *o = json_array_get(checks, 0);
    assert_string_equal(jstr(o, "subject"), "custody log");
    assert_string_equal(jstr(o, "subject_local"), "kústodi-lóg");
    assert_string_equal(jstr(o, "message"), tamga_report_get(r, 0)->message_en);
    assert_string_equal(jstr(o, "message_local"), "xx-one 1 entry");
    o = json_array_get(checks, 4);
    assert_string_equal(jstr(o, "subject"), "case.json");
    assert_null(json_object_get(o, "subject_local"));
    assert_null(json_object_get(o, "message_local"));
    assert_int_equal(json_object_size(o), 3);
    o = json_array_get(checks, 5);
    assert_string_equal(jstr(o, "subject_local"), "sígner-kéys");
    assert_null(json_object_get(o, "message_local"));
    json_decref(root);

    /* A merge keeps both languages (translated once, when added). */
    english(NULL);
    tamga_report *all = tamga__report_new();
    assert_non_null(all);
    assert_int_equal(tamga_report_merge(all, r), TAMGA_OK);
    assert_int_equal(tamga_report_count(all), 7);
    for (size_t i = 0; i < 7; i++) {
        const tamga_check *a = tamga_report_get(all, i), *b = tamga_report_get(r, i);
        assert_int_equal(a->result, b->result);
        assert_string_equal(a->subject, b->subject);
        assert_string_equal(a->message, b->message);
        assert_string_equal(a->subject_en, b->subject_en);
        assert_string_equal(a->message_en, b->message_en);
    }
    tamga_report_free(all);
    tamga_report_free(r);
}

/* The verdict lines, with the catalogue's plural forms. */
static void test_translated_verdicts(void **state)
{
    (void)state;
    speak("xx");
    static const struct {
        int pass, warn;
        const char *want;
    } cases[] = {
        {1, 0, "XX-VERIFIED one (1)\n"},
        {2, 0, "XX-VERIFIED two (2)\n"},
        {7, 0, "XX-VERIFIED many (7)\n"},
        {2, 1, "XX-VERIFIED [2 xx-passed-two | 1 xx-warning]\n"},
        {1, 3, "XX-VERIFIED [1 xx-passed | 3 xx-warnings-many]\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tamga_report *r = tamga__report_new();
        assert_non_null(r);
        for (int k = 0; k < cases[i].pass; k++)
            tamga__report_add(r, TAMGA_CHECK_PASS, N_("signer keys"), "fine");
        for (int k = 0; k < cases[i].warn; k++)
            tamga__report_add(r, TAMGA_CHECK_WARN, N_("signer keys"), "look");
        tamga__report_add(r, TAMGA_CHECK_INFO, N_("signer keys"), "not counted");
        char *text = tamga_report_text(r);
        assert_non_null(text);
        size_t tl = strlen(text), wl = strlen(cases[i].want);
        assert_true(tl >= wl);
        assert_string_equal(text + tl - wl, cases[i].want);
        free(text);
        tamga_report_free(r);
    }
}

/* A real case verified while the catalogue is bound: the library's own
 * checks come out translated, and the JSON stays English. */
static void test_verify_case_translated(void **state)
{
    (void)state;
    speak("xx");
    tamga_identity *id = NULL;
    tamga_case *c = NULL;
    char *home = tu_path(g_dir, "cases-xx");
    assert_int_equal(tamga_identity_generate("Interviewer", &id), TAMGA_OK);
    assert_int_equal(tamga_case_create(home, id, "Almaty", NULL, 0, 0, &c), TAMGA_OK);
    tamga_report *r = NULL;
    assert_int_equal(tamga_verify(tamga_case_get_dir(c), NULL, 0, &r), TAMGA_OK);
    assert_true(tamga_report_ok(r));

    const tamga_check *k = find(r, "custody log");
    assert_string_equal(k->subject, "kústodi-lóg");
    size_t n = 0;
    assert_int_equal(sscanf(k->message_en, "%zu entr", &n), 1);
    char want[64];
    snprintf(want, sizeof want, "%s %zu %s",
             n == 1   ? "xx-one"
             : n == 2 ? "xx-two"
                      : "xx-many",
             n, n == 1 ? "entry" : "entries");
    assert_string_equal(k->message, want);
    k = find(r, "signer keys");
    assert_string_equal(k->subject, "sígner-kéys");
    assert_string_equal(k->message_en, "1 public key, each well-formed");

    char *text = tamga_report_text(r);
    assert_non_null(text);
    assert_non_null(strstr(text, "  ÓK     kústodi-lóg: xx-"));
    assert_non_null(strstr(text, "XX-VERIFIED many ("));
    assert_null(strstr(text, "VERIFIED:"));
    free(text);

    json_t *root;
    json_t *checks = json_checks(r, &root);
    int seen = 0;
    for (size_t i = 0; i < json_array_size(checks); i++) {
        json_t *o = json_array_get(checks, i);
        if (strcmp(jstr(o, "subject"), "custody log") != 0)
            continue;
        seen = 1;
        assert_non_null(strstr(jstr(o, "message"), "hash chain unbroken"));
        assert_string_equal(jstr(o, "message_local"), want);
    }
    assert_true(seen);
    assert_string_equal(jstr(root, "verdict"), "verified");
    json_decref(root);
    tamga_report_free(r);

    /* The same case in English: no translation, no *_local fields. */
    english(NULL);
    assert_int_equal(tamga_verify(tamga_case_get_dir(c), NULL, 0, &r), TAMGA_OK);
    for (size_t i = 0; i < tamga_report_count(r); i++) {
        k = tamga_report_get(r, i);
        assert_string_equal(k->subject, k->subject_en);
        assert_string_equal(k->message, k->message_en);
    }
    text = tamga_report_text(r);
    assert_non_null(text);
    assert_non_null(strstr(text, "  OK    custody log: "));
    assert_non_null(strstr(text, "VERIFIED: all "));
    free(text);
    char *js = tamga_report_json(r);
    assert_non_null(js);
    assert_null(strstr(js, "_local"));
    free(js);
    tamga_report_free(r);
    tamga_case_free(c);
    tamga_identity_free(id);
    free(home);
}

/* A language with no catalogue: English, unchanged, and the English text
 * report is exactly what it was before translations. */
static void test_no_catalogue_is_english(void **state)
{
    (void)state;
    speak("zz");
    tamga_report *r = tamga__report_new();
    assert_non_null(r);
    tamga__report_addn(r, TAMGA_CHECK_PASS, N_("custody log"), 2,
                       "%zu entry, hash chain unbroken, every entry signed by a key of this case",
                       "%zu entries, hash chain unbroken, every entry signed by a key of this case",
                       (size_t)2);
    const tamga_check *c = tamga_report_get(r, 0);
    assert_string_equal(c->subject, "custody log");
    assert_string_equal(c->message,
                        "2 entries, hash chain unbroken, every entry signed by a key of this case");
    char *text = tamga_report_text(r);
    assert_string_equal(text, "  OK    custody log: 2 entries, hash chain unbroken, every entry "
                              "signed by a key of this case\nVERIFIED: 1 check passed.\n");
    free(text);
    tamga_report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_translated_checks, english),
        cmocka_unit_test_teardown(test_translated_verdicts, english),
        cmocka_unit_test_teardown(test_verify_case_translated, english),
        cmocka_unit_test_teardown(test_no_catalogue_is_english, english),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
