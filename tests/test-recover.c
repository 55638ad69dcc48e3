/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Crash recovery with real recordings: a child process records (live from the
 * private PulseAudio, or from a file) and is killed with SIGKILL at a random
 * moment; the parent finds and seals the unfinished recording, which must
 * verify (with decryption) and have lost at most 1.2 s against what had been
 * captured when the kill happened. Also: record-only cases (the recorder
 * cannot decrypt), torn tails, a recorder freed while recording, stubs with
 * no durable audio, and a recording still being written is left alone. */
#define _GNU_SOURCE
#include "recorder-testutil.h"

#include <fcntl.h>

#include <sodium.h>

#include "record-internal.h"
#include "tamga/container.h"
#include "util.h"

typedef struct {
    char *dir, *home, *tmp, *out, *loop, *longwav;
    tamga_identity *a, *k;
    tamga_case *c;
    pid_t player;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_int_equal(tamga_init(), TAMGA_OK);
    f->dir = tu_tmpdir("recover");
    f->home = tu_path(f->dir, "home");
    f->tmp = tu_path(f->dir, "tmp");
    f->out = tu_path(f->dir, "out");
    mkdir(f->tmp, 0700);
    mkdir(f->out, 0700);
    setenv("TMPDIR", f->tmp, 1);
    f->loop = tu_path(f->out, "loop.wav");
    f->longwav = tu_path(f->out, "long.wav");
    assert_int_equal(tamga_identity_generate("Recorder A", &f->a), TAMGA_OK);
    assert_int_equal(tamga_identity_generate("Keyholder K", &f->k), TAMGA_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rt_play_stop(f->player);
    tamga_case_free(f->c);
    tamga_identity_free(f->a);
    tamga_identity_free(f->k);
    tu_rm_rf(f->dir);
    free(f->dir);
    free(f->home);
    free(f->tmp);
    free(f->out);
    free(f->loop);
    free(f->longwav);
    free(f);
    return 0;
}

/* The child: records until killed, reporting the captured time every 20 ms. */
static void child_record(fixture *f, const char *device, const char *input, int fd)
{
    tamga_recorder_config cfg = {
        .device = device,
        .input_file = input,
        .meta = {.title = "Crash test", .interviewee = "W", .complexity = -1}};
    tamga_recorder *r = NULL;
    if (tamga_recorder_new(f->c, f->a, &cfg, &r) != TAMGA_OK ||
        tamga_recorder_start(r) != TAMGA_OK) {
        fprintf(stderr, "child: %s\n", tamga_error_detail());
        _exit(10);
    }
    int marked = 0;
    for (;;) {
        tamga_recorder_status st;
        tamga_recorder_get_status(r, &st);
        if (!marked && st.elapsed_ms > 700) {
            tamga_recorder_add_marker(r, "before the crash");
            marked = 1;
        }
        int64_t v = st.elapsed_ms;
        if (write(fd, &v, sizeof v) != sizeof v)
            _exit(11);
        rt_sleep_ms(20);
    }
}

/* Forks a recording child, kills it after `seconds` of captured audio (or of
 * wall time for a file), returns the captured time at the kill. */
static int64_t record_and_kill(fixture *f, const char *device, const char *input, double seconds)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        child_record(f, device, input, p[1]);
        _exit(12);
    }
    close(p[1]);
    int64_t last = -1, v;
    double t0 = -1;
    for (;;) {
        ssize_t n = read(p[0], &v, sizeof v);
        if (n != sizeof v)
            break;
        last = v;
        if (t0 < 0)
            t0 = rt_now();
        if ((device != NULL && last >= (int64_t)(seconds * 1000)) ||
            (device == NULL && rt_now() - t0 >= seconds)) {
            kill(pid, SIGKILL);
            break;
        }
    }
    int status;
    waitpid(pid, &status, 0);
    close(p[0]);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    return last;
}

typedef struct {
    int calls;
    int64_t duration;
    int rc;
    char id[33];
} cb_state;

static void on_recovered(void *user, const char *case_id, const char *rid, int64_t duration_ms,
                         int rc)
{
    cb_state *s = user;
    (void)case_id;
    s->calls++;
    s->duration = duration_ms;
    s->rc = rc;
    snprintf(s->id, sizeof s->id, "%s", rid);
}

static void recover_all(fixture *f, const tamga_identity *signer, cb_state *s)
{
    memset(s, 0, sizeof *s);
    size_t n = 9;
    assert_int_equal(tamga_recover_count(f->home, &n), TAMGA_OK);
    assert_int_equal(n, 1);
    size_t done = 0;
    int rc = tamga_recover(f->home, NULL, signer, on_recovered, s, &done);
    if (rc != TAMGA_OK)
        print_message("recover: %s\n", tamga_error_detail());
    assert_int_equal(rc, TAMGA_OK);
    assert_int_equal(done, 1);
    assert_int_equal(s->calls, 1);
    assert_int_equal(s->rc, TAMGA_OK);
    assert_int_equal(tamga_recover_count(f->home, &n), TAMGA_OK);
    assert_int_equal(n, 0);
    /* Nothing more to do the second time. */
    assert_int_equal(tamga_recover(f->home, NULL, signer, NULL, NULL, &done), TAMGA_OK);
    assert_int_equal(done, 0);
}

static void check_recovered(fixture *f, const tamga_identity *reader, const cb_state *s,
                            int64_t captured)
{
    tamga_manifest m;
    assert_int_equal(tamga__load_manifest(f->c, s->id, &m), TAMGA_OK);
    assert_string_equal(m.status, "interrupted");
    assert_int_equal(m.duration_ms, s->duration);
    assert_string_equal(m.title, "Crash test");
    size_t fails, warns;
    rt_verify(tamga_case_get_dir(f->c), reader, &fails, &warns);
    assert_int_equal(fails, 0);
    assert_true(warns >= 1); /* "interrupted and recovered" */
    rt_assert_no_plaintext(f->home);
    rt_assert_no_plaintext(f->tmp);
    rt_audio au;
    rt_decode(f->c, reader, s->id, f->out, &au);
    assert_true(fabs(au.seconds - (double)m.duration_ms / 1000) < 0.1);
    if (captured >= 0) {
        int64_t lost = captured - m.duration_ms;
        print_message("killed at %lld ms captured; recovered %lld ms; lost %lld ms\n",
                      (long long)captured, (long long)m.duration_ms, (long long)lost);
        assert_true(lost <= 1200);
        assert_true(lost >= -100);
        assert_true(fabs(au.freq - 440.0) < 5.0);
    }
    tamga_manifest_clear(&m);
}

static void make_case(fixture *f, int record_only)
{
    if (record_only)
        assert_int_equal(tamga_case_create(f->home, f->a, "Field case",
                                           tamga_identity_get_public(f->k), 1, 1, &f->c),
                         TAMGA_OK);
    else
        assert_int_equal(tamga_case_create(f->home, f->a, "Office case", NULL, 0, 0, &f->c),
                         TAMGA_OK);
}

/* ---- live ---- */

static void test_kill_live(void **state)
{
    fixture *f = *state;
    if (!rt_have_pulse()) {
        print_message("skipped: not inside tests/audio-env/with-pulse.sh\n");
        skip();
    }
    /* A keyholder case and a record-only case, several random moments each. */
    tu_write_sine_wav(f->loop, 48000, 1, 440.0, 60.0);
    f->player = rt_play_loop(f->loop);
    rt_sleep_ms(300);
    for (int ro = 0; ro <= 1; ro++) {
        make_case(f, ro);
        for (int i = 0; i < 3; i++) {
            double at = 1.5 + (double)randombytes_uniform(2500) / 1000.0;
            int64_t captured = record_and_kill(f, "vmic", NULL, at);
            cb_state s;
            if (ro) {
                /* The recorder cannot decrypt its own recordings here. */
                uint8_t *sk = NULL;
                assert_int_equal(tamga_case_unlock_key(f->c, f->a, &sk), TAMGA_ERR_NOT_KEYHOLDER);
            }
            recover_all(f, f->a, &s);
            check_recovered(f, ro ? f->k : f->a, &s, captured);
        }
        tamga_case_free(f->c);
        f->c = NULL;
    }
}

/* ---- from a file: no audio server needed ---- */

static void test_kill_file_torn(void **state)
{
    fixture *f = *state;
    make_case(f, 0);
    tu_write_sine_wav(f->longwav, 8000, 1, 440.0, 900.0);
    int64_t captured = record_and_kill(f, NULL, f->longwav, 1.2);
    assert_true(captured > 0);
    /* Simulate the tails a crash can leave: half a message, half a line. */
    char **ids;
    size_t n;
    assert_int_equal(tamga_case_list_recordings(f->c, &ids, &n), TAMGA_OK);
    assert_int_equal(n, 1);
    char name[80];
    snprintf(name, sizeof name, "recordings/%s.tamga", ids[0]);
    char *rec = tu_path(tamga_case_get_dir(f->c), name);
    snprintf(name, sizeof name, "recordings/%s.progress", ids[0]);
    char *prog = tu_path(tamga_case_get_dir(f->c), name);
    int fd = open(rec, O_WRONLY | O_APPEND);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "\x10\x00\x01\x00garbage", 11), 11);
    close(fd);
    fd = open(prog, O_WRONLY | O_APPEND);
    assert_true(fd >= 0);
    const char *torn = "{\"t\":\"flush\",\"framed_end\":99999999";
    assert_int_equal(write(fd, torn, strlen(torn)), (ssize_t)strlen(torn));
    close(fd);
    /* While a writer holds the lock, recovery leaves the recording alone. */
    int lock = -1;
    assert_int_equal(tamga__lock_recording(rec, &lock), TAMGA_OK);
    size_t cnt = 9, done = 9;
    assert_int_equal(tamga_recover_count(f->home, &cnt), TAMGA_OK);
    assert_int_equal(cnt, 0);
    assert_int_equal(tamga_recover(f->home, NULL, f->a, NULL, NULL, &done), TAMGA_OK);
    assert_int_equal(done, 0);
    close(lock);

    cb_state s;
    recover_all(f, f->a, &s);
    assert_string_equal(s.id, ids[0]);
    assert_true(s.duration > 1000);
    check_recovered(f, f->a, &s, -1);
    tamga_rec_scan_result scan;
    assert_int_equal(tamga_rec_scan(rec, &scan), TAMGA_OK);
    assert_int_equal(scan.framed_end, scan.file_size); /* the torn tail is gone */
    assert_false(access(prog, F_OK) == 0);
    /* The custody log says it was recovered. */
    tamga_custody_log log;
    assert_int_equal(tamga_custody_load(tamga_case_get_dir(f->c), &log), TAMGA_OK);
    int found = 0;
    for (size_t i = 0; i < log.count; i++)
        found += strcmp(log.entries[i].event, TAMGA_EVENT_RECOVERED) == 0 &&
                 strstr(log.entries[i].subject_json, ids[0]) != NULL;
    assert_int_equal(found, 1);
    tamga_custody_log_clear(&log);
    free(rec);
    free(prog);
    tamga_strv_free(ids, n);
}

/* Freed while recording: stopped without sealing, then found by recovery. */
static void test_free_while_recording(void **state)
{
    fixture *f = *state;
    make_case(f, 1);
    tu_write_sine_wav(f->longwav, 8000, 1, 440.0, 900.0);
    tamga_recorder_config cfg = {.input_file = f->longwav,
                                 .meta = {.title = "Crash test", .complexity = -1}};
    tamga_recorder *r = NULL;
    assert_int_equal(tamga_recorder_new(f->c, f->a, &cfg, &r), TAMGA_OK);
    assert_int_equal(tamga_recorder_start(r), TAMGA_OK);
    rt_sleep_ms(800);
    tamga_recorder_status st;
    tamga_recorder_get_status(r, &st);
    assert_true(st.bytes_written > 0);
    tamga_recorder_free(r);
    cb_state s;
    recover_all(f, f->a, &s);
    check_recovered(f, f->k, &s, -1);
    /* A verify by the record-only recorder passes too (it only cannot decrypt). */
    size_t fails, warns;
    tamga_report *rep = NULL;
    assert_int_equal(tamga_verify(tamga_case_get_dir(f->c), f->a, 0, &rep), TAMGA_OK);
    assert_true(tamga_report_ok(rep));
    tamga_report_free(rep);
    (void)fails;
    (void)warns;
}

/* A stub with no durable audio (a crash in the first half second) is removed
 * and the removal logged; a stub younger than 10 s without progress record is
 * left alone (it may be a file recording being made). */
static void test_empty_stub(void **state)
{
    fixture *f = *state;
    make_case(f, 0);
    uint8_t rid[16];
    tamga_random_id(rid);
    char hex[33];
    tamga_hex_encode(rid, 16, hex);
    char name[80];
    snprintf(name, sizeof name, "recordings/%s.tamga", hex);
    char *rec = tu_path(tamga_case_get_dir(f->c), name);
    char *recdir = tu_path(tamga_case_get_dir(f->c), "recordings");
    mkdir(recdir, 0700);
    tamga_rec_writer *w = NULL;
    assert_int_equal(tamga_rec_writer_open(rec, tamga_case_get_public_key(f->c),
                                           tamga_case_get_id(f->c), rid, &w),
                     TAMGA_OK);
    tamga_rec_writer_free(w);
    size_t n = 9;
    assert_int_equal(tamga_recover_count(f->home, &n), TAMGA_OK);
    assert_int_equal(n, 0); /* young, no progress: maybe still being made */
    struct timespec old[2] = {{1000, 0}, {1000, 0}};
    assert_int_equal(utimensat(AT_FDCWD, rec, old, 0), 0);
    cb_state s;
    recover_all(f, f->a, &s);
    assert_int_equal(s.duration, 0);
    assert_false(access(rec, F_OK) == 0);
    size_t fails, warns;
    rt_verify(tamga_case_get_dir(f->c), f->a, &fails, &warns);
    assert_int_equal(fails, 0);
    free(rec);
    free(recdir);
}

int main(void)
{
    if (tamga_init() != TAMGA_OK)
        return 1;
    rt_pin_alsa_plugins();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_kill_live, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill_file_torn, setup, teardown),
        cmocka_unit_test_setup_teardown(test_free_while_recording, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_stub, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
