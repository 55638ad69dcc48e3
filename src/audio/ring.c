/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SPSC ring: head and tail only grow (size_t wraps harmlessly, since cap is
 * a power of two). Release on publish, acquire on observe, so the samples are
 * visible before the index that covers them. */
#include "ring.h"

#include <stdlib.h>
#include <string.h>

#include "tamga/error.h"

int tamga__ring_init(tamga__ring *r, size_t min_samples)
{
    memset(r, 0, sizeof *r);
    size_t cap = 1024;
    while (cap < min_samples) {
        if (cap > ((size_t)1 << 30))
            return TAMGA_ERR_NOMEM;
        cap <<= 1;
    }
    r->buf = calloc(cap, sizeof *r->buf);
    if (r->buf == NULL)
        return TAMGA_ERR_NOMEM;
    r->cap = cap;
    r->mask = cap - 1;
    atomic_init(&r->head, 0);
    atomic_init(&r->tail, 0);
    return TAMGA_OK;
}

void tamga__ring_free(tamga__ring *r)
{
    free(r->buf);
    r->buf = NULL;
    r->cap = 0;
}

size_t tamga__ring_space(tamga__ring *r)
{
    size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
    size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
    return r->cap - (head - tail);
}

size_t tamga__ring_avail(tamga__ring *r)
{
    size_t head = atomic_load_explicit(&r->head, memory_order_acquire);
    size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
    return head - tail;
}

static void copy_in(tamga__ring *r, size_t head, const float *src, size_t n)
{
    size_t at = head & r->mask;
    size_t first = r->cap - at < n ? r->cap - at : n;
    memcpy(r->buf + at, src, first * sizeof *src);
    if (n > first)
        memcpy(r->buf, src + first, (n - first) * sizeof *src);
}

size_t tamga__ring_write(tamga__ring *r, const float *src, size_t n)
{
    size_t space = tamga__ring_space(r);
    if (n > space)
        n = space;
    if (n == 0)
        return 0;
    size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
    copy_in(r, head, src, n);
    atomic_store_explicit(&r->head, head + n, memory_order_release);
    return n;
}

int tamga__ring_write_all(tamga__ring *r, const float *src, size_t n)
{
    if (tamga__ring_space(r) < n)
        return 0;
    return tamga__ring_write(r, src, n) == n;
}

size_t tamga__ring_read(tamga__ring *r, float *dst, size_t n)
{
    size_t avail = tamga__ring_avail(r);
    if (n > avail)
        n = avail;
    if (n == 0)
        return 0;
    size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
    size_t at = tail & r->mask;
    size_t first = r->cap - at < n ? r->cap - at : n;
    memcpy(dst, r->buf + at, first * sizeof *dst);
    if (n > first)
        memcpy(dst + first, r->buf, (n - first) * sizeof *dst);
    atomic_store_explicit(&r->tail, tail + n, memory_order_release);
    return n;
}
