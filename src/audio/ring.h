/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A lock-free single-producer / single-consumer ring of float samples. The
 * producer (the capture thread) never blocks and never allocates; the consumer
 * (the encoder thread) takes what is there. Thread safety: exactly one thread
 * may call the write functions and exactly one other the read functions. */
#ifndef TAMGA_RING_H
#define TAMGA_RING_H

#include <stdatomic.h>
#include <stddef.h>

typedef struct {
    float *buf;
    size_t cap; /* a power of two, in samples */
    size_t mask;
    _Atomic size_t head; /* samples ever written (producer owns) */
    _Atomic size_t tail; /* samples ever read (consumer owns) */
} tamga__ring;

/* Room for at least `min_samples` samples (rounded up to a power of two).
 * TAMGA_OK or TAMGA_ERR_NOMEM. */
int tamga__ring_init(tamga__ring *r, size_t min_samples);
void tamga__ring_free(tamga__ring *r);
/* Samples that can be written now (producer) / read now (consumer). */
size_t tamga__ring_space(tamga__ring *r);
size_t tamga__ring_avail(tamga__ring *r);
/* Writes all `n` samples or nothing (so frames stay whole): 1 if written, 0 if
 * there was no room. */
int tamga__ring_write_all(tamga__ring *r, const float *src, size_t n);
/* Writes as many as fit; returns how many. */
size_t tamga__ring_write(tamga__ring *r, const float *src, size_t n);
/* Reads up to `n` samples; returns how many. */
size_t tamga__ring_read(tamga__ring *r, float *dst, size_t n);

#endif
