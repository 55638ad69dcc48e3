/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The verification report: a list of checks, rendered as text or JSON. */
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

void tamga__report_add(tamga_report *r, tamga_check_result result, const char *subject,
                       const char *fmt, ...)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        tamga_check *nc = realloc(r->checks, cap * sizeof *nc);
        if (nc == NULL) {
            r->oom = 1;
            return;
        }
        r->checks = nc;
        r->cap = cap;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tamga_check *c = &r->checks[r->n];
    c->result = result;
    c->subject = strdup(subject);
    c->message = strdup(msg);
    if (c->subject == NULL || c->message == NULL) {
        free(c->subject);
        free(c->message);
        r->oom = 1;
        return;
    }
    r->n++;
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
        case TAMGA_CHECK_PASS: (*pass)++; break;
        case TAMGA_CHECK_FAIL: (*fail)++; break;
        case TAMGA_CHECK_WARN: (*warn)++; break;
        default: break;
        }
    }
}

static const char *label(tamga_check_result r)
{
    switch (r) {
    case TAMGA_CHECK_PASS: return "OK  ";
    case TAMGA_CHECK_FAIL: return "FAIL";
    case TAMGA_CHECK_WARN: return "WARN";
    default: return "    ";
    }
}

char *tamga_report_text(const tamga_report *r)
{
    size_t cap = 256;
    for (size_t i = 0; i < r->n; i++)
        cap += strlen(r->checks[i].subject) + strlen(r->checks[i].message) + 16;
    char *out = malloc(cap);
    if (out == NULL)
        return NULL;
    size_t off = 0;
    for (size_t i = 0; i < r->n; i++)
        off += (size_t)snprintf(out + off, cap - off, "  %s  %s: %s\n",
                                label(r->checks[i].result), r->checks[i].subject,
                                r->checks[i].message);
    size_t pass, fail, warn;
    counts(r, &pass, &fail, &warn);
    size_t total = pass + fail + warn;
    if (r->oom)
        snprintf(out + off, cap - off, "FAILED: out of memory while verifying.\n");
    else if (fail == 0 && warn == 0)
        snprintf(out + off, cap - off, "VERIFIED: all %zu checks passed.\n", total);
    else if (fail == 0)
        snprintf(out + off, cap - off, "VERIFIED: %zu checks passed, %zu with a warning to read.\n",
                 pass, warn);
    else
        snprintf(out + off, cap - off, "FAILED: %zu of %zu checks failed.\n", fail, total);
    return out;
}

char *tamga_report_json(const tamga_report *r)
{
    static const char *const names[] = {"pass", "fail", "warn", "info"};
    size_t pass, fail, warn;
    counts(r, &pass, &fail, &warn);
    json_t *checks = json_array();
    json_t *j = json_pack("{s:s, s:i, s:s, s:{s:I, s:I, s:I, s:I}}", "format",
                          "tamga-verify-report", "version", 1, "verdict",
                          tamga_report_ok(r) ? "verified" : "failed", "summary", "checks",
                          (json_int_t)(pass + fail + warn), "passed", (json_int_t)pass,
                          "failed", (json_int_t)fail, "warnings", (json_int_t)warn);
    if (j == NULL || checks == NULL) {
        json_decref(j);
        json_decref(checks);
        return NULL;
    }
    for (size_t i = 0; i < r->n; i++)
        json_array_append_new(checks, json_pack("{s:s, s:s, s:s}", "result",
                                                names[r->checks[i].result], "subject",
                                                r->checks[i].subject, "message",
                                                r->checks[i].message));
    json_object_set_new(j, "checks", checks);
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    return text;
}

int tamga_report_merge(tamga_report *into, const tamga_report *from)
{
    for (size_t i = 0; i < from->n; i++)
        tamga__report_add(into, from->checks[i].result, from->checks[i].subject, "%s",
                          from->checks[i].message);
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
    }
    free(r->checks);
    free(r);
}
