/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The lock-free SPSC ring: sizes, wrap-around, all-or-nothing writes, and a
 * producer and a consumer thread passing a counting sequence without loss,
 * duplication or reordering. */
#include "testutil.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ring.h"
#include "tamga/tamga.h"

static void test_basic(void **state)
{
    (void)state;
    tamga__ring r;
    assert_int_equal(tamga__ring_init(&r, 1000), TAMGA_OK);
    assert_int_equal(r.cap, 1024);
    assert_int_equal(tamga__ring_space(&r), 1024);
    assert_int_equal(tamga__ring_avail(&r), 0);
    float in[1500], out[1500];
    for (int i = 0; i < 1500; i++)
        in[i] = (float)i;
    assert_int_equal(tamga__ring_read(&r, out, 10), 0);
    assert_int_equal(tamga__ring_write(&r, in, 1500), 1024); /* only what fits */
    assert_int_equal(tamga__ring_space(&r), 0);
    assert_int_equal(tamga__ring_write_all(&r, in, 1), 0);
    assert_int_equal(tamga__ring_read(&r, out, 1000), 1000);
    for (int i = 0; i < 1000; i++)
        assert_true(out[i] == (float)i);
    /* Wrap around the end. */
    assert_int_equal(tamga__ring_write_all(&r, in, 1001), 0); /* 1000 free: all or nothing */
    assert_int_equal(tamga__ring_space(&r), 1000);
    assert_int_equal(tamga__ring_write_all(&r, in + 100, 900), 1);
    assert_int_equal(tamga__ring_avail(&r), 924);
    assert_int_equal(tamga__ring_read(&r, out, 1500), 924);
    for (int i = 0; i < 24; i++)
        assert_true(out[i] == (float)(1000 + i));
    for (int i = 0; i < 900; i++)
        assert_true(out[24 + i] == (float)(100 + i));
    tamga__ring_free(&r);
    tamga__ring_free(&r); /* twice is harmless */
}

#define TOTAL 3000000

static void *producer(void *arg)
{
    tamga__ring *r = arg;
    float block[97];
    long next = 0;
    while (next < TOTAL) {
        size_t n = 1 + (size_t)(next % 97);
        if (next + (long)n > TOTAL)
            n = (size_t)(TOTAL - next);
        for (size_t i = 0; i < n; i++)
            block[i] = (float)((next + (long)i) % 1000000);
        size_t done = 0;
        while (done < n)
            done += tamga__ring_write(r, block + done, n - done);
        next += (long)n;
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    tamga__ring r;
    assert_int_equal(tamga__ring_init(&r, 4096), TAMGA_OK);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, producer, &r), 0);
    float buf[300];
    long got = 0;
    int bad = 0;
    while (got < TOTAL) {
        size_t n = tamga__ring_read(&r, buf, 1 + (size_t)(got % 300));
        for (size_t i = 0; i < n; i++)
            if (buf[i] != (float)((got + (long)i) % 1000000))
                bad++;
        got += (long)n;
    }
    pthread_join(t, NULL);
    assert_int_equal(bad, 0);
    assert_int_equal(tamga__ring_avail(&r), 0);
    tamga__ring_free(&r);
}

int main(void)
{
    if (tamga_init() != TAMGA_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
