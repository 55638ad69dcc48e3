/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The verification report: a list of checks, rendered as text (in the
 * reader's language) or JSON (English, with the translations beside). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report-internal.h"
#include "util.h"

struct tamga_report {
    tamga_check *checks;
    size_t n, cap;
    int oom;
};

tamga_report *tamga__report_new(void)
{
    return calloc(1, sizeof(tamga_report));
}

/* A malloc'd printf; NULL when out of memory. */
static char *vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static char *vformat(const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int len = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (len < 0)
        return NULL;
    char *s = malloc((size_t)len + 1);
    if (s != NULL)
        vsnprintf(s, (size_t)len + 1, fmt, ap);
    return s;
}

/* Appends a check; takes the four strings (any may be NULL: out of memory). */
static void push(tamga_report *r, tamga_check_result result, char *subject_en, char *subject,
                 char *message_en, char *message)
{
    if (subject_en == NULL || subject == NULL || message_en == NULL || message == NULL)
        goto oom;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        tamga_check *nc = realloc(r->checks, cap * sizeof *nc);
        if (nc == NULL)
            goto oom;
        r->checks = nc;
        r->cap = cap;
    }
    r->checks[r->n++] = (tamga_check){.result = result,
                                      .subject = subject,
                                      .message = message,
                                      .subject_en = subject_en,
                                      .message_en = message_en};
    return;
oom:
    free(subject_en);
    free(subject);
    free(message_en);
    free(message);
    r->oom = 1;
}

void tamga__subject_set(tamga__subject *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->en, sizeof s->en, fmt, ap);
    va_end(ap);
    va_start(ap, fmt);
    vsnprintf(s->local, sizeof s->local, TAMGA_T(fmt), ap);
    va_end(ap);
}

void tamga__report_add(tamga_report *r, tamga_check_result result, const char *subject,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *en = vformat(fmt, ap);
    va_end(ap);
    va_start(ap, fmt);
    char *local = vformat(TAMGA_T(fmt), ap);
    va_end(ap);
    push(r, result, strdup(subject), strdup(TAMGA_T(subject)), en, local);
}

void tamga__report_add_s(tamga_report *r, tamga_check_result result, const tamga__subject *subject,
                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *en = vformat(fmt, ap);
    va_end(ap);
    va_start(ap, fmt);
    char *local = vformat(TAMGA_T(fmt), ap);
    va_end(ap);
    push(r, result, strdup(subject->en), strdup(subject->local), en, local);
}

void tamga__report_addn(tamga_report *r, tamga_check_result result, const char *subject,
                        unsigned long n, const char *singular, const char *plural, ...)
{
    va_list ap;
    va_start(ap, plural);
    char *en = vformat(n == 1 ? singular : plural, ap);
    va_end(ap);
    va_start(ap, plural);
    char *local = vformat(TAMGA_NT(singular, plural, n), ap);
    va_end(ap);
    push(r, result, strdup(subject), strdup(TAMGA_T(subject)), en, local);
}

void tamga__report_addn_s(tamga_report *r, tamga_check_result result, const tamga__subject *subject,
                          unsigned long n, const char *singular, const char *plural, ...)
{
    va_list ap;
    va_start(ap, plural);
    char *en = vformat(n == 1 ? singular : plural, ap);
    va_end(ap);
    va_start(ap, plural);
    char *local = vformat(TAMGA_NT(singular, plural, n), ap);
    va_end(ap);
    push(r, result, strdup(subject->en), strdup(subject->local), en, local);
}

void tamga__report_add_detail(tamga_report *r, tamga_check_result result, const char *subject,
                              const char *detail)
{
    push(r, result, strdup(subject), strdup(TAMGA_T(subject)), strdup(detail), strdup(detail));
}

int tamga__report_oom(const tamga_report *r)
{
    return r->oom;
}

int tamga_report_ok(const tamga_report *r)
{
    if (r->oom)
        return 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->checks[i].result == TAMGA_CHECK_FAIL)
            return 0;
    return 1;
}

size_t tamga_report_count(const tamga_report *r)
{
    return r->n;
}

const tamga_check *tamga_report_get(const tamga_report *r, size_t i)
{
    return i < r->n ? &r->checks[i] : NULL;
}

static void counts(const tamga_report *r, size_t *pass, size_t *fail, size_t *warn)
{
    *pass = *fail = *warn = 0;
    for (size_t i = 0; i < r->n; i++) {
        switch (r->checks[i].result) {
        case TAMGA_CHECK_PASS:
            (*pass)++;
            break;
        case TAMGA_CHECK_FAIL:
            (*fail)++;
            break;
        case TAMGA_CHECK_WARN:
            (*warn)++;
            break;
        default:
            break;
        }
    }
}

/* The label before each line of the text report, in the reader's language. */
static const char *label(tamga_check_result r)
{
    switch (r) {
    /* TRANSLATORS: the labels before each line of `tamga verify` (a check
     * passed, failed, or has a warning to read); short, ideally 4 letters or
     * fewer. `tamga verify --help` names them too: keep the two in step. */
    case TAMGA_CHECK_PASS:
        return TAMGA_T("OK");
    case TAMGA_CHECK_FAIL:
        return TAMGA_T("FAIL");
    case TAMGA_CHECK_WARN:
        return TAMGA_T("WARN");
    default:
        return "";
    }
}

/* Characters (not bytes) in UTF-8 text, to line the labels up. */
static size_t columns(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

typedef struct {
    char *p;
    size_t len, cap;
    int oom;
} textbuf;

static void put(textbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(textbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(fmt, ap);
    va_end(ap);
    size_t n = s ? strlen(s) : 0;
    if (s != NULL && b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *np = realloc(b->p, cap);
        if (np == NULL) {
            free(s);
            s = NULL;
        } else {
            b->p = np;
            b->cap = cap;
        }
    }
    if (s == NULL) {
        b->oom = 1;
        return;
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
    free(s);
}

char *tamga_report_text(const tamga_report *r)
{
    textbuf b = {0};
    size_t width = 0;
    for (int k = TAMGA_CHECK_PASS; k <= TAMGA_CHECK_WARN; k++) {
        size_t w = columns(label((tamga_check_result)k));
        if (w > width && w <= 16)
            width = w;
    }
    for (size_t i = 0; i < r->n; i++) {
        const char *l = label(r->checks[i].result);
        size_t w = columns(l);
        put(&b, "  %s%*s  %s: %s\n", l, (int)(w < width ? width - w : 0), "", r->checks[i].subject,
            r->checks[i].message);
    }
    size_t pass, fail, warn;
    counts(r, &pass, &fail, &warn);
    size_t total = pass + fail + warn;
    if (r->oom) {
        put(&b, "%s", TAMGA_T("FAILED: out of memory while verifying."));
    } else if (fail == 0 && warn == 0) {
        /* TRANSLATORS: the verdict of `tamga verify`; scripts use --json, so
         * VERIFIED and FAILED may be translated (keep them in capitals if
         * your script has them, and in step with `tamga verify --help`). */
        put(&b, TAMGA_NT("VERIFIED: %zu check passed.", "VERIFIED: all %zu checks passed.", total),
            total);
    } else if (fail == 0) {
        char passed[128], warned[128];
        snprintf(passed, sizeof passed, TAMGA_NT("%zu check passed", "%zu checks passed", pass),
                 pass);
        snprintf(warned, sizeof warned,
                 TAMGA_NT("%zu with a warning to read", "%zu with a warning to read", warn), warn);
        /* TRANSLATORS: the verdict when no check failed but some have a
         * warning: the first %s is "N checks passed", the second "N with a
         * warning to read". */
        put(&b, TAMGA_T("VERIFIED: %s, %s."), passed, warned);
    } else {
        put(&b,
            TAMGA_NT("FAILED: %zu of %zu check failed.", "FAILED: %zu of %zu checks failed.",
                     total),
            fail, total);
    }
    put(&b, "\n");
    if (b.oom || b.p == NULL) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

char *tamga_report_json(const tamga_report *r)
{
    static const char *const names[] = {"pass", "fail", "warn", "info"};
    size_t pass, fail, warn;
    counts(r, &pass, &fail, &warn);
    json_t *checks = json_array();
    json_t *j =
        json_pack("{s:s, s:i, s:s, s:{s:I, s:I, s:I, s:I}}", "format", "tamga-verify-report",
                  "version", 1, "verdict", tamga_report_ok(r) ? "verified" : "failed", "summary",
                  "checks", (json_int_t)(pass + fail + warn), "passed", (json_int_t)pass, "failed",
                  (json_int_t)fail, "warnings", (json_int_t)warn);
    if (j == NULL || checks == NULL) {
        json_decref(j);
        json_decref(checks);
        return NULL;
    }
    int bad = 0;
    for (size_t i = 0; i < r->n && !bad; i++) {
        const tamga_check *c = &r->checks[i];
        /* English for scripts and courts; the reader's language beside it. */
        json_t *o = json_pack("{s:s, s:s, s:s}", "result", names[c->result], "subject",
                              c->subject_en, "message", c->message_en);
        if (o != NULL && strcmp(c->subject, c->subject_en) != 0)
            bad |= json_object_set_new(o, "subject_local", json_string(c->subject));
        if (o != NULL && strcmp(c->message, c->message_en) != 0)
            bad |= json_object_set_new(o, "message_local", json_string(c->message));
        bad |= json_array_append_new(checks, o);
    }
    json_object_set_new(j, "checks", checks);
    char *text = bad ? NULL : json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    return text;
}

int tamga_report_merge(tamga_report *into, const tamga_report *from)
{
    for (size_t i = 0; i < from->n; i++) {
        const tamga_check *c = &from->checks[i];
        push(into, c->result, strdup(c->subject_en), strdup(c->subject), strdup(c->message_en),
             strdup(c->message));
    }
    if (from->oom)
        into->oom = 1;
    return into->oom ? TAMGA_ERR_NOMEM : TAMGA_OK;
}

void tamga_report_free(tamga_report *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->checks[i].subject);
        free(r->checks[i].message);
        free(r->checks[i].subject_en);
        free(r->checks[i].message_en);
    }
    free(r->checks);
    free(r);
}
