/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-gui-logic.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double tamga_gui_linear_to_db(double linear)
{
    if (!(linear > 0.0))
        return TAMGA_METER_FLOOR_DB;
    double db = 20.0 * log10(linear);
    return db < TAMGA_METER_FLOOR_DB ? TAMGA_METER_FLOOR_DB : db;
}

double tamga_gui_meter_fraction(double linear)
{
    double db = tamga_gui_linear_to_db(linear);
    double f = (db - TAMGA_METER_FLOOR_DB) / -TAMGA_METER_FLOOR_DB;
    if (f < 0.0)
        return 0.0;
    return f > 1.0 ? 1.0 : f;
}

tamga_strength tamga_gui_passphrase_strength(const char *pass)
{
    size_t chars = 0;
    int lower = 0, upper = 0, digit = 0, other = 0;
    for (const unsigned char *p = (const unsigned char *)pass; *p; p++) {
        if ((*p & 0xC0) != 0x80)
            chars++; /* count UTF-8 lead bytes only */
        if (*p >= 'a' && *p <= 'z')
            lower = 1;
        else if (*p >= 'A' && *p <= 'Z')
            upper = 1;
        else if (*p >= '0' && *p <= '9')
            digit = 1;
        else
            other = 1;
    }
    int classes = lower + upper + digit + other;
    if (chars == 0)
        return TAMGA_STRENGTH_EMPTY;
    if (chars < 8)
        return TAMGA_STRENGTH_WEAK;
    if (chars >= 20 || (chars >= 12 && classes >= 3))
        return TAMGA_STRENGTH_STRONG;
    if (chars >= 12 || classes >= 3)
        return TAMGA_STRENGTH_GOOD;
    return TAMGA_STRENGTH_FAIR;
}

int tamga_gui_passphrase_acceptable(tamga_strength s)
{
    return s >= TAMGA_STRENGTH_FAIR;
}

/* Valid UTF-8 (shortest form, no surrogates, <= U+10FFFF) without C0/C1 controls. */
static int utf8_text_ok(const char *s, size_t *nbytes)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (p[n]) {
        unsigned c = p[n];
        unsigned cp;
        size_t len;
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7F)
                return 0;
            n++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            len = 2, cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3, cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4, cp = c & 0x07;
        } else {
            return 0;
        }
        for (size_t i = 1; i < len; i++) {
            if ((p[n + i] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[n + i] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp <= 0x9F))
            return 0;
        n += len;
    }
    *nbytes = n;
    return 1;
}

int tamga_gui_valid_title(const char *title)
{
    size_t n = 0;
    return utf8_text_ok(title, &n) && n >= 1 && n <= 128;
}

int tamga_gui_valid_language(const char *lang)
{
    size_t n = strlen(lang);
    if (n == 0)
        return 1;
    if (n < 2 || n > 15 ||
        !((lang[0] >= 'a' && lang[0] <= 'z') || (lang[0] >= 'A' && lang[0] <= 'Z')))
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = lang[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-'))
            return 0;
    }
    return lang[n - 1] != '-';
}

int tamga_gui_valid_date(const char *s)
{
    if (s[0] == '\0')
        return 1;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || month < 1 || month > 12 || day < 1)
        return 0;
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= days[month - 1] + (month == 2 && leap);
}

void tamga_gui_format_clock(int64_t ms, char *out, size_t outlen)
{
    int64_t s = ms > 0 ? ms / 1000 : 0;
    if (s >= 3600)
        snprintf(out, outlen, "%lld:%02lld:%02lld", (long long)(s / 3600), (long long)(s / 60 % 60),
                 (long long)(s % 60));
    else
        snprintf(out, outlen, "%lld:%02lld", (long long)(s / 60), (long long)(s % 60));
}

int64_t tamga_gui_seconds_left(uint64_t free_bytes, double bytes_per_second)
{
    if (!(bytes_per_second > 0.0))
        return -1;
    return (int64_t)((double)free_bytes / bytes_per_second);
}
