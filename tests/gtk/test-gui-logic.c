/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The desktop app's pure functions: level meter mapping, passphrase strength,
 * the record form's checks, clock and disk-time formatting. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tamga-gui-logic.h"
#include "tamga/tamga.h"

static void test_db_mapping(void **state)
{
    (void)state;
    assert_true(fabs(tamga_gui_linear_to_db(1.0) - 0.0) < 1e-9);
    assert_true(fabs(tamga_gui_linear_to_db(0.5) - -6.0206) < 1e-3);
    assert_true(fabs(tamga_gui_linear_to_db(0.1) - -20.0) < 1e-9);
    assert_true(fabs(tamga_gui_linear_to_db(0.001) - -60.0) < 1e-9);
    /* silence, below the floor, negative and NaN all sit at the floor */
    assert_true(tamga_gui_linear_to_db(0.0) == TAMGA_METER_FLOOR_DB);
    assert_true(tamga_gui_linear_to_db(1e-9) == TAMGA_METER_FLOOR_DB);
    assert_true(tamga_gui_linear_to_db(-0.5) == TAMGA_METER_FLOOR_DB);
    assert_true(tamga_gui_linear_to_db(NAN) == TAMGA_METER_FLOOR_DB);
    /* above full scale (a clipped float sample) stays above 0 dB */
    assert_true(tamga_gui_linear_to_db(2.0) > 6.0);
}

static void test_meter_fraction(void **state)
{
    (void)state;
    assert_true(tamga_gui_meter_fraction(0.0) == 0.0);
    assert_true(tamga_gui_meter_fraction(NAN) == 0.0);
    assert_true(tamga_gui_meter_fraction(1.0) == 1.0);
    assert_true(tamga_gui_meter_fraction(4.0) == 1.0);                   /* clamped */
    assert_true(fabs(tamga_gui_meter_fraction(0.001) - 0.0) < 1e-9);     /* -60 dB */
    assert_true(fabs(tamga_gui_meter_fraction(0.031623) - 0.5) < 1e-4);  /* -30 dB */
    assert_true(fabs(tamga_gui_meter_fraction(0.1) - 2.0 / 3.0) < 1e-9); /* -20 dB */
    /* monotonic */
    double prev = -1.0;
    for (double x = 0.0001; x <= 1.0; x *= 1.1) {
        double f = tamga_gui_meter_fraction(x);
        assert_true(f >= prev);
        assert_true(f >= 0.0 && f <= 1.0);
        prev = f;
    }
}

static void test_strength(void **state)
{
    (void)state;
    assert_int_equal(tamga_gui_passphrase_strength(""), TAMGA_STRENGTH_EMPTY);
    assert_int_equal(tamga_gui_passphrase_strength("abc"), TAMGA_STRENGTH_WEAK);
    assert_int_equal(tamga_gui_passphrase_strength("Abc123!"), TAMGA_STRENGTH_WEAK);
    assert_int_equal(tamga_gui_passphrase_strength("abcdefgh"), TAMGA_STRENGTH_FAIR);
    assert_int_equal(tamga_gui_passphrase_strength("Abcdef12"), TAMGA_STRENGTH_GOOD);
    assert_int_equal(tamga_gui_passphrase_strength("abcdefghijkl"), TAMGA_STRENGTH_GOOD);
    assert_int_equal(tamga_gui_passphrase_strength("Abcdefghij12"), TAMGA_STRENGTH_STRONG);
    assert_int_equal(tamga_gui_passphrase_strength("correct horse battery staple"),
                     TAMGA_STRENGTH_STRONG);
    /* characters, not bytes: 7 Cyrillic letters (14 bytes) are still too short */
    assert_int_equal(tamga_gui_passphrase_strength("\xd2\x9b\xd0\xb0\xd0\xb7\xd0\xb0\xd2\x9b"
                                                   "\xd1\x88\xd0\xb0"),
                     TAMGA_STRENGTH_WEAK);
    assert_false(tamga_gui_passphrase_acceptable(TAMGA_STRENGTH_EMPTY));
    assert_false(tamga_gui_passphrase_acceptable(TAMGA_STRENGTH_WEAK));
    assert_true(tamga_gui_passphrase_acceptable(TAMGA_STRENGTH_FAIR));
    assert_true(tamga_gui_passphrase_acceptable(TAMGA_STRENGTH_STRONG));
}

static void test_title(void **state)
{
    (void)state;
    assert_true(tamga_gui_valid_title("Almaty interviews 2026"));
    assert_true(
        tamga_gui_valid_title("\xd0\x90\xd0\xbb\xd0\xbc\xd0\xb0\xd1\x82\xd1\x8b")); /* Алматы */
    assert_false(tamga_gui_valid_title(""));
    assert_false(tamga_gui_valid_title("tab\there"));
    assert_false(tamga_gui_valid_title("line\nbreak"));
    assert_false(tamga_gui_valid_title("del\x7f"));
    assert_false(tamga_gui_valid_title("\xc2\x85"));     /* C1 control NEL */
    assert_false(tamga_gui_valid_title("\xc0\xaf"));     /* overlong */
    assert_false(tamga_gui_valid_title("\xed\xa0\x80")); /* surrogate */
    assert_false(tamga_gui_valid_title("\xe2\x82"));     /* truncated */
    char big[200];
    memset(big, 'a', sizeof big);
    big[128] = '\0';
    assert_true(tamga_gui_valid_title(big));
    big[128] = 'a';
    big[129] = '\0';
    assert_false(tamga_gui_valid_title(big));
}

static void test_language(void **state)
{
    (void)state;
    assert_true(tamga_gui_valid_language(""));
    assert_true(tamga_gui_valid_language("kk"));
    assert_true(tamga_gui_valid_language("ug-Arab-CN"));
    assert_false(tamga_gui_valid_language("k"));
    assert_false(tamga_gui_valid_language("-kk"));
    assert_false(tamga_gui_valid_language("kk-"));
    assert_false(tamga_gui_valid_language("1kk"));
    assert_false(tamga_gui_valid_language("kk_KZ"));
    assert_false(tamga_gui_valid_language("kk KZ"));
    assert_false(tamga_gui_valid_language("abcdefghijklmnop")); /* 16 */
    assert_true(tamga_gui_valid_language("abcdefghijklmno"));   /* 15 */
}

static void test_date(void **state)
{
    (void)state;
    assert_true(tamga_gui_valid_date(""));
    assert_true(tamga_gui_valid_date("2027-01-31"));
    assert_true(tamga_gui_valid_date("2024-02-29"));
    assert_true(tamga_gui_valid_date("2000-02-29"));
    assert_false(tamga_gui_valid_date("1900-02-29"));
    assert_false(tamga_gui_valid_date("2027-02-29"));
    assert_false(tamga_gui_valid_date("2027-04-31"));
    assert_false(tamga_gui_valid_date("2027-13-01"));
    assert_false(tamga_gui_valid_date("2027-00-10"));
    assert_false(tamga_gui_valid_date("2027-01-00"));
    assert_false(tamga_gui_valid_date("0000-01-01"));
    assert_false(tamga_gui_valid_date("2027-1-31"));
    assert_false(tamga_gui_valid_date("2027/01/31"));
    assert_false(tamga_gui_valid_date("2027-01-31 "));
    assert_false(tamga_gui_valid_date("31-01-2027"));
}

static void test_clock(void **state)
{
    (void)state;
    char buf[32];
    tamga_gui_format_clock(0, buf, sizeof buf);
    assert_string_equal(buf, "0:00");
    tamga_gui_format_clock(-5000, buf, sizeof buf);
    assert_string_equal(buf, "0:00");
    tamga_gui_format_clock(7999, buf, sizeof buf);
    assert_string_equal(buf, "0:07");
    tamga_gui_format_clock(725000, buf, sizeof buf);
    assert_string_equal(buf, "12:05");
    tamga_gui_format_clock(3723000, buf, sizeof buf);
    assert_string_equal(buf, "1:02:03");
    tamga_gui_format_clock((int64_t)100 * 3600 * 1000, buf, sizeof buf);
    assert_string_equal(buf, "100:00:00");
}

static void test_seconds_left(void **state)
{
    (void)state;
    assert_int_equal(tamga_gui_seconds_left(4400, 4400.0), 1);
    assert_int_equal(tamga_gui_seconds_left((uint64_t)4400 * 3600, 4400.0), 3600);
    assert_int_equal(tamga_gui_seconds_left(0, 4400.0), 0);
    assert_int_equal(tamga_gui_seconds_left(1000, 0.0), -1);
    assert_int_equal(tamga_gui_seconds_left(1000, -3.0), -1);
}

int main(void)
{
    assert_int_equal(tamga_init(), TAMGA_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_db_mapping), cmocka_unit_test(test_meter_fraction),
        cmocka_unit_test(test_strength),   cmocka_unit_test(test_title),
        cmocka_unit_test(test_language),   cmocka_unit_test(test_date),
        cmocka_unit_test(test_clock),      cmocka_unit_test(test_seconds_left),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
