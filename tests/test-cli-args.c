/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the command-line tool's argument and passphrase helpers. The
 * helpers are static to the tool, so their source is compiled in here (as curl
 * does for its tool's unit tests). */
#include "../src/cli/tool_util.c"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "testutil.h"

static void test_dates(void **state)
{
    (void)state;
    assert_true(tool_valid_date("2027-01-31"));
    assert_true(tool_valid_date("2028-02-29"));  /* leap year */
    assert_true(tool_valid_date("2000-02-29"));  /* divisible by 400 */
    assert_false(tool_valid_date("1900-02-29")); /* divisible by 100 */
    assert_false(tool_valid_date("2027-02-29"));
    assert_false(tool_valid_date("2027-02-30"));
    assert_false(tool_valid_date("2027-04-31"));
    assert_false(tool_valid_date("2027-13-01"));
    assert_false(tool_valid_date("2027-00-10"));
    assert_false(tool_valid_date("2027-01-00"));
    assert_false(tool_valid_date("0000-01-01"));
    assert_false(tool_valid_date("2027-1-31"));
    assert_false(tool_valid_date("2027/01/31"));
    assert_false(tool_valid_date("2027-01-31 "));
    assert_false(tool_valid_date("27-01-31"));
    assert_false(tool_valid_date(""));
    assert_false(tool_valid_date("2027-0a-31"));
}

static void test_languages(void **state)
{
    (void)state;
    assert_true(tool_valid_language("kk"));
    assert_true(tool_valid_language("ug-Arab"));
    assert_true(tool_valid_language("zh-Hant-TW"));
    assert_true(tool_valid_language("abcdefghijklmno"));   /* 15 */
    assert_false(tool_valid_language("abcdefghijklmnop")); /* 16 */
    assert_false(tool_valid_language("k"));
    assert_false(tool_valid_language(""));
    assert_false(tool_valid_language("kk_KZ"));
    assert_false(tool_valid_language("kk KZ"));
    assert_false(tool_valid_language("қаз"));
}

static void test_consent(void **state)
{
    (void)state;
    assert_true(tool_valid_consent("public"));
    assert_true(tool_valid_consent("anonymised"));
    assert_true(tool_valid_consent("internal"));
    assert_false(tool_valid_consent("anonymized"));
    assert_false(tool_valid_consent("Public"));
    assert_false(tool_valid_consent(""));
}

static void test_parse_int(void **state)
{
    (void)state;
    long v = -1;
    assert_int_equal(tool_parse_int("6", 6, 256, &v), 0);
    assert_int_equal(v, 6);
    assert_int_equal(tool_parse_int("256", 6, 256, &v), 0);
    assert_int_equal(v, 256);
    v = 99;
    assert_int_equal(tool_parse_int("5", 6, 256, &v), -1);
    assert_int_equal(tool_parse_int("257", 6, 256, &v), -1);
    assert_int_equal(tool_parse_int("", 6, 256, &v), -1);
    assert_int_equal(tool_parse_int("-7", -10, 256, &v), -1);
    assert_int_equal(tool_parse_int("+7", 6, 256, &v), -1);
    assert_int_equal(tool_parse_int("32k", 6, 256, &v), -1);
    assert_int_equal(tool_parse_int(" 32", 6, 256, &v), -1);
    assert_int_equal(tool_parse_int("99999999999999999999", 6, 256, &v), -1);
    assert_int_equal(v, 99); /* untouched on failure */
}

static void test_formatting(void **state)
{
    (void)state;
    char b[64];
    tool_format_duration(0, b, sizeof b);
    assert_string_equal(b, "0:00");
    tool_format_duration(3000, b, sizeof b);
    assert_string_equal(b, "0:03");
    tool_format_duration(59499, b, sizeof b);
    assert_string_equal(b, "0:59");
    tool_format_duration(59500, b, sizeof b);
    assert_string_equal(b, "1:00");
    tool_format_duration(3723000, b, sizeof b);
    assert_string_equal(b, "1:02:03");
    tool_format_duration(-5, b, sizeof b);
    assert_string_equal(b, "0:00");
    tool_format_size(0, b, sizeof b);
    assert_string_equal(b, "0 bytes");
    tool_format_size(999, b, sizeof b);
    assert_string_equal(b, "999 bytes");
    tool_format_size(19720, b, sizeof b);
    assert_string_equal(b, "19.7 KB");
    tool_format_size(4500000, b, sizeof b);
    assert_string_equal(b, "4.5 MB");
    tool_format_size(1200000000, b, sizeof b);
    assert_string_equal(b, "1.2 GB");
    const uint8_t bytes[3] = {0x00, 0xab, 0xff};
    tool_hex(bytes, 3, b);
    assert_string_equal(b, "00abff");
}

static void test_put_safe(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    tool_put_safe(f, "a\033[31mb\tc\nd\x7f"
                     "é");
    rewind(f);
    char buf[64] = {0};
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    assert_int_equal(n, strlen("a?[31mb c d?é"));
    assert_string_equal(buf, "a?[31mb c d?é");
}

static void test_keyid(void **state)
{
    (void)state;
    tamga_pubid me;
    memset(&me, 0, sizeof me);
    const uint8_t k[8] = {0x65, 0xca, 0xe0, 0x90, 0xc1, 0xc6, 0xf1, 0xa1};
    const uint8_t other[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    memcpy(me.keynum, k, 8);
    char b[64];
    tool_keyid(k, &me, b, sizeof b);
    assert_string_equal(b, "A1F1C6C190E0CA65 (you)");
    tool_keyid(other, &me, b, sizeof b);
    assert_string_equal(b, "0807060504030201");
    tool_keyid(k, NULL, b, sizeof b);
    assert_string_equal(b, "A1F1C6C190E0CA65");
}

/* Writes `len` bytes to a passphrase file and reads it back. */
static int read_passfile(const char *dir, const void *data, size_t len, char **pass,
                         size_t *passlen)
{
    char *path = tu_path(dir, "pass");
    tu_write(path, data, len);
    int status = tool_passphrase_read(path, NULL, 0, pass, passlen);
    free(path);
    return status;
}

static void test_passphrase_file(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("cli-args-pass");
    char *pass = NULL;
    size_t len = 0;

    /* The first line, without its newline. */
    assert_int_equal(read_passfile(dir, "correct horse\nsecond line\n", 26, &pass, &len), 0);
    assert_int_equal(len, 13);
    assert_string_equal(pass, "correct horse");
    tool_passphrase_free(pass);

    /* No newline at all; a CRLF line end; spaces are kept. */
    assert_int_equal(read_passfile(dir, " a b ", 5, &pass, &len), 0);
    assert_string_equal(pass, " a b ");
    tool_passphrase_free(pass);
    assert_int_equal(read_passfile(dir, "dos\r\n", 5, &pass, &len), 0);
    assert_int_equal(len, 3);
    assert_string_equal(pass, "dos");
    tool_passphrase_free(pass);

    /* Empty, an empty first line, a NUL byte: refused. */
    assert_int_equal(read_passfile(dir, "", 0, &pass, &len), 2);
    assert_null(pass);
    assert_int_equal(read_passfile(dir, "\nsecret\n", 8, &pass, &len), 2);
    assert_null(pass);
    assert_int_equal(read_passfile(dir, "a\0b\n", 4, &pass, &len), 2);
    assert_null(pass);

    /* Exactly the limit is accepted, with or without newline (and CRLF); one more is not. */
    char big[TOOL_PASSPHRASE_MAX + 8];
    memset(big, 'x', sizeof big);
    for (int nl = 0; nl < 3; nl++) {
        size_t n = TOOL_PASSPHRASE_MAX;
        if (nl == 1)
            big[n++] = '\n';
        if (nl == 2) {
            big[n++] = '\r';
            big[n++] = '\n';
        }
        assert_int_equal(read_passfile(dir, big, n, &pass, &len), 0);
        assert_int_equal(len, TOOL_PASSPHRASE_MAX);
        tool_passphrase_free(pass);
        memset(big, 'x', sizeof big);
    }
    assert_int_equal(read_passfile(dir, big, TOOL_PASSPHRASE_MAX + 1, &pass, &len), 2);
    assert_null(pass);
    big[TOOL_PASSPHRASE_MAX + 1] = '\n';
    assert_int_equal(read_passfile(dir, big, TOOL_PASSPHRASE_MAX + 2, &pass, &len), 2);
    assert_null(pass);
    assert_int_equal(read_passfile(dir, big, sizeof big, &pass, &len), 2);
    assert_null(pass);

    /* A missing file and a folder. */
    char *missing = tu_path(dir, "missing");
    assert_int_equal(tool_passphrase_read(missing, NULL, 0, &pass, &len), 2);
    assert_null(pass);
    free(missing);
    assert_int_equal(tool_passphrase_read(dir, NULL, 0, &pass, &len), 2);
    assert_null(pass);

    tu_rm_rf(dir);
    free(dir);
}

/* Runs tool_getopt over `words` (NULL-terminated) as a command would: the
 * options seen go into `seen` ("o=a,j,"); returns the last result. */
static const tool_command test_cmd = {.name = "t", .usage = "tamga t [-o FILE] [--json] X"};

static int parse_argv(const char **words, char *seen, size_t cap, int *status)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, 'j'},
        TOOL_OPTS_END,
    };
    int argc = 0;
    while (words[argc] != NULL)
        argc++;
    tool_current = &test_cmd;
    optind = 0; /* glibc: start afresh */
    opterr = 0;
    seen[0] = '\0';
    int opt;
    while ((opt = tool_getopt(argc, (char **)words, "o:", opts, status)) > 0) {
        size_t n = strlen(seen);
        if (opt == 'o')
            snprintf(seen + n, cap - n, "o=%s,", optarg);
        else
            snprintf(seen + n, cap - n, "%c,", opt);
    }
    return opt;
}

static void test_getopt(void **state)
{
    (void)state;
    char seen[128];
    int status = -7;
    const char *ok[] = {"t", "-o", "a", "x", "--json", "--output=b", NULL};
    assert_int_equal(parse_argv(ok, seen, sizeof seen, &status), 0);
    assert_int_equal(status, 0);
    assert_string_equal(seen, "o=a,j,o=b,");
    /* The positional argument was moved after the options. */
    assert_int_equal(optind, 5);
    assert_int_equal(tool_args_one(6, (char **)ok, "missing"), 0);
    assert_int_equal(tool_args_none(6, (char **)ok), 2);

    const char *unknown[] = {"t", "--bogus", NULL};
    assert_int_equal(parse_argv(unknown, seen, sizeof seen, &status), -1);
    assert_int_equal(status, 2);
    const char *novalue[] = {"t", "-o", NULL};
    assert_int_equal(parse_argv(novalue, seen, sizeof seen, &status), -1);
    assert_int_equal(status, 2);
    const char *takesnone[] = {"t", "--json=1", NULL};
    assert_int_equal(parse_argv(takesnone, seen, sizeof seen, &status), -1);
    assert_int_equal(status, 2);
    const char *help[] = {"t", "x", "--help", NULL};
    assert_int_equal(parse_argv(help, seen, sizeof seen, &status), -1);
    assert_int_equal(status, 0);

    const char *none[] = {"t", NULL};
    assert_int_equal(parse_argv(none, seen, sizeof seen, &status), 0);
    assert_int_equal(tool_args_none(1, (char **)none), 0);
    assert_int_equal(tool_args_one(1, (char **)none, "missing"), 2);
}

static void test_parse_one_option(void **state)
{
    (void)state;
    int json = -1, status = -1;
    const char *passfile = "x";
    const char *j[] = {"t", "CASE", "--json", NULL};
    optind = 0;
    assert_int_equal(tool_parse_json(3, (char **)j, 1, "missing", &json, &status), 1);
    assert_int_equal(json, 1);
    optind = 0;
    assert_int_equal(tool_parse_json(3, (char **)j, 0, NULL, &json, &status), 0);
    assert_int_equal(status, 2);
    const char *p[] = {"t", "--passphrase-file", "a", "A", "B", "--passphrase-file=b", NULL};
    optind = 0;
    assert_int_equal(tool_parse_passfile(6, (char **)p, TOOL_ARGS_ANY, NULL, &passfile, &status),
                     1);
    assert_string_equal(passfile, "b");
    assert_int_equal(6 - optind, 2);
    const char *q[] = {"t", NULL};
    optind = 0;
    assert_int_equal(tool_parse_passfile(1, (char **)q, 1, "missing", &passfile, &status), 0);
    assert_null(passfile);
    assert_int_equal(status, 2);
    optind = 0;
    assert_int_equal(tool_parse_json(1, (char **)q, 0, NULL, &json, &status), 1);
    assert_int_equal(json, 0);
}

int main(void)
{
    if (tamga_init() != TAMGA_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),      cmocka_unit_test(test_languages),
        cmocka_unit_test(test_consent),    cmocka_unit_test(test_parse_int),
        cmocka_unit_test(test_formatting), cmocka_unit_test(test_put_safe),
        cmocka_unit_test(test_keyid),      cmocka_unit_test(test_passphrase_file),
        cmocka_unit_test(test_getopt),     cmocka_unit_test(test_parse_one_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
