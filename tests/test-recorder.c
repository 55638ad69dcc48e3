/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The recorder engine with real audio: a file through the engine, and (inside
 * tests/audio-env/with-pulse.sh) live capture of a 440 Hz tone played into a
 * private PulseAudio sink, pause/resume and markers, max_seconds, no device,
 * a full disk, and the audio server dying mid-recording. No mocks. */
#define _GNU_SOURCE
#include "recorder-testutil.h"

#include <errno.h>
#include <sys/resource.h>

#include <jansson.h>
#include <sodium.h>

#include "record-internal.h"

typedef struct {
    char *dir, *home, *tmp, *wav, *out, *loop;
    tamga_identity *a;
    tamga_case *c;
    pid_t player;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_int_equal(tamga_init(), TAMGA_OK);
    f->dir = tu_tmpdir("recorder");
    f->home = tu_path(f->dir, "home");
    f->tmp = tu_path(f->dir, "tmp");
    f->out = tu_path(f->dir, "out");
    mkdir(f->tmp, 0700);
    mkdir(f->out, 0700);
    setenv("TMPDIR", f->tmp, 1);
    f->wav = tu_path(f->out, "tone.wav");
    tu_write_sine_wav(f->wav, 48000, 1, 440.0, 2.0);
    f->loop = tu_path(f->out, "loop.wav"); /* long: no gap between plays while recording */
    tu_write_sine_wav(f->loop, 48000, 1, 440.0, 30.0);
    assert_int_equal(tamga_identity_generate("Interviewer A", &f->a), TAMGA_OK);
    assert_int_equal(tamga_case_create(f->home, f->a, "Live case", NULL, 0, 0, &f->c), TAMGA_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rt_play_stop(f->player);
    tamga_case_free(f->c);
    tamga_identity_free(f->a);
    tu_rm_rf(f->dir);
    free(f->dir);
    free(f->home);
    free(f->tmp);
    free(f->out);
    free(f->wav);
    free(f->loop);
    free(f);
    return 0;
}

static void expect_clean(fixture *f)
{
    size_t fails, warns;
    rt_verify(tamga_case_get_dir(f->c), f->a, &fails, &warns);
    assert_int_equal(fails, 0);
    rt_assert_no_plaintext(f->home);
    rt_assert_no_plaintext(f->tmp);
}

static void load_manifest(fixture *f, const char *rid, tamga_manifest *m)
{
    assert_int_equal(tamga__load_manifest(f->c, rid, m), TAMGA_OK);
}

/* ---- file input ---- */

static void test_file_input(void **state)
{
    fixture *f = *state;
    tamga_recorder_config cfg = {.input_file = f->wav,
                                 .meta = {.title = "From a file", .complexity = -1}};
    tamga_recorder *r = NULL;
    assert_int_equal(tamga_recorder_new(f->c, f->a, &cfg, &r), TAMGA_OK);
    assert_int_equal(tamga_recorder_start(r), TAMGA_OK);
    assert_int_equal(tamga_recorder_start(r), TAMGA_ERR_INVALID);
    assert_int_equal(tamga_recorder_wait(r, 30000), 1);
    tamga_record_result res;
    assert_int_equal(tamga_recorder_stop(r, &res), TAMGA_OK);
    tamga_recorder_status st;
    tamga_recorder_get_status(r, &st);
    assert_int_equal(st.state, TAMGA_RECORDER_STOPPED);
    assert_int_equal(st.elapsed_ms, 2000);
    assert_true(st.peak > 0.45f && st.peak < 0.55f);
    assert_int_equal(st.overflows, 0);
    assert_string_equal(st.recording_id, res.recording_id);
    assert_int_equal(tamga_recorder_stop(r, NULL), TAMGA_ERR_INVALID);
    tamga_recorder_free(r);
    assert_int_equal(res.duration_ms, 2000);

    /* The same as the foundation's file path. */
    tamga_record_options o = {.complexity = -1};
    tamga_record_result res2;
    assert_int_equal(tamga_record_file(f->c, f->a, f->wav, &o, &res2), TAMGA_OK);
    assert_int_equal(res2.duration_ms, res.duration_ms);
    double ratio = (double)res.audio_size / (double)res2.audio_size;
    assert_true(ratio > 0.9 && ratio < 1.1);

    tamga_manifest m;
    load_manifest(f, res.recording_id, &m);
    assert_string_equal(m.source_kind, "file");
    assert_string_equal(m.source_name, "tone.wav");
    assert_string_equal(m.status, "complete");
    assert_true(m.has_source_hash);
    tamga_manifest_clear(&m);

    rt_audio au;
    rt_decode(f->c, f->a, res.recording_id, f->out, &au);
    assert_true(fabs(au.seconds - 2.0) < 0.05);
    assert_true(fabs(au.freq - 440.0) < 5.0);
    assert_true(au.rms > 0.3 && au.rms < 0.4);
    expect_clean(f);
    /* No progress record is left behind after sealing. */
    char name[64];
    snprintf(name, sizeof name, "recordings/%s.progress", res.recording_id);
    char *pp = tu_path(tamga_case_get_dir(f->c), name);
    assert_false(access(pp, F_OK) == 0);
    free(pp);
}

static void test_bad_config(void **state)
{
    fixture *f = *state;
    tamga_recorder *r = (tamga_recorder *)1;
    tamga_recorder_config cfg = {.input_file = f->wav, .channels = 3};
    assert_int_equal(tamga_recorder_new(f->c, f->a, &cfg, &r), TAMGA_ERR_INVALID);
    assert_null(r);
    cfg.channels = 0;
    cfg.meta.keep_original = 1;
    assert_int_equal(tamga_recorder_new(f->c, f->a, &cfg, &r), TAMGA_ERR_INVALID);
    cfg.meta.keep_original = 0;
    cfg.meta.consent = "everyone";
    assert_int_equal(tamga_recorder_new(f->c, f->a, &cfg, &r), TAMGA_ERR_INVALID);
    cfg.meta.consent = NULL;
    cfg.max_seconds = -1;
    assert_int_equal(tamga_recorder_new(f->c, f->a, &cfg, &r), TAMGA_ERR_INVALID);
    cfg.max_seconds = 0;
    char *junk = tu_path(f->out, "junk.wav");
    tu_write(junk, "RIFF....WAVEjunk", 16);
    cfg.input_file = junk;
    assert_int_equal(tamga_recorder_new(f->c, f->a, &cfg, &r), TAMGA_ERR_AUDIO);
    free(junk);
    /* Created but never started: nothing on disk, no error on free. */
    cfg.input_file = f->wav;
    assert_int_equal(tamga_recorder_new(f->c, f->a, &cfg, &r), TAMGA_OK);
    assert_int_equal(tamga_recorder_pause(r), TAMGA_ERR_INVALID);
    assert_int_equal(tamga_recorder_add_marker(r, "x"), TAMGA_ERR_INVALID);
    assert_int_equal(tamga_recorder_stop(r, NULL), TAMGA_ERR_INVALID);
    tamga_recorder_free(r);
    tamga_recorder_free(NULL);
    char **ids;
    size_t n;
    assert_int_equal(tamga_case_list_recordings(f->c, &ids, &n), TAMGA_OK);
    assert_int_equal(n, 0);
    tamga_strv_free(ids, n);
}

static void test_no_device(void **state)
{
    fixture *f = *state;
    tamga_recorder_config cfg = {.device = "no-such-microphone-xyzzy"};
    tamga_recorder *r = NULL;
    assert_int_equal(tamga_recorder_new(f->c, f->a, &cfg, &r), TAMGA_ERR_DEVICE);
    assert_null(r);
    assert_non_null(strstr(tamga_error_detail(), "PortAudio sees"));
    assert_non_null(strstr(tamga_error_detail(), "no-such-microphone-xyzzy"));
    cfg.device = "99999";
    assert_int_equal(tamga_recorder_new(f->c, f->a, &cfg, &r), TAMGA_ERR_DEVICE);
    tamga_audio_device *list = NULL;
    size_t n = 0;
    assert_int_equal(tamga_audio_devices(&list, &n), TAMGA_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(list[i].index, (int)i);
    free(list);
}

/* ---- live ---- */

#define SKIP_WITHOUT_PULSE()                                                                       \
    do {                                                                                           \
        if (!rt_have_pulse()) {                                                                    \
            print_message("skipped: not inside tests/audio-env/with-pulse.sh\n");                  \
            skip();                                                                                \
        }                                                                                          \
    } while (0)

static void start_tone(fixture *f)
{
    if (f->player <= 0) {
        f->player = rt_play_loop(f->loop);
        rt_sleep_ms(300);
    }
}

static void test_live_tone(void **state)
{
    fixture *f = *state;
    SKIP_WITHOUT_PULSE();
    start_tone(f);
    tamga_recorder_config cfg = {
        .device = "vmic", .max_seconds = 3.0, .meta = {.title = "Live tone", .complexity = -1}};
    tamga_recorder *r = NULL;
    int rc = tamga_recorder_new(f->c, f->a, &cfg, &r);
    if (rc != TAMGA_OK)
        print_message("%s\n", tamga_error_detail());
    assert_int_equal(rc, TAMGA_OK);
    assert_int_equal(tamga_recorder_start(r), TAMGA_OK);
    float peak = 0;
    int polls = 0;
    while (tamga_recorder_wait(r, 33) == 0) {
        tamga_recorder_status st;
        double t0 = rt_now();
        tamga_recorder_get_status(r, &st);
        assert_true(rt_now() - t0 < 0.005); /* never blocks */
        assert_int_equal(st.state, TAMGA_RECORDER_RECORDING);
        if (st.peak > peak)
            peak = st.peak;
        if (++polls % 15 == 0) {
            rt_assert_no_plaintext(f->home);
            rt_assert_no_plaintext(f->tmp);
        }
        assert_true(polls < 400);
    }
    assert_true(peak > 0.3f && peak < 0.7f);
    tamga_record_result res;
    double t0 = rt_now();
    assert_int_equal(tamga_recorder_stop(r, &res), TAMGA_OK);
    double stop_ms = (rt_now() - t0) * 1000;
    print_message("stop to signed manifest: %.0f ms\n", stop_ms);
    assert_true(stop_ms < 1000);
    tamga_recorder_status st;
    tamga_recorder_get_status(r, &st);
    print_message("live: %lld ms, %llu bytes, %llu overflows\n", (long long)st.elapsed_ms,
                  (unsigned long long)st.bytes_written, (unsigned long long)st.overflows);
    assert_int_equal(st.overflows, 0);
    tamga_recorder_free(r);
    assert_int_equal(res.duration_ms, 3000);

    tamga_manifest m;
    load_manifest(f, res.recording_id, &m);
    assert_string_equal(m.source_kind, "device");
    assert_non_null(strstr(m.source_name, "vmic"));
    assert_string_equal(m.status, "complete");
    tamga_manifest_clear(&m);
    expect_clean(f);

    rt_audio au;
    rt_decode(f->c, f->a, res.recording_id, f->out, &au);
    print_message("decoded: %.3f s, %.1f Hz, rms %.3f\n", au.seconds, au.freq, au.rms);
    assert_true(fabs(au.seconds - 3.0) < 0.3);
    assert_true(fabs(au.freq - 440.0) < 5.0);
    assert_true(au.rms > 0.2 && au.rms < 0.5);
}

static void test_live_pause_markers(void **state)
{
    fixture *f = *state;
    SKIP_WITHOUT_PULSE();
    start_tone(f);
    tamga_recorder_config cfg = {.device = "vmic",
                                 .meta = {.interviewee = "Witness 9", .complexity = -1}};
    tamga_recorder *r = NULL;
    assert_int_equal(tamga_recorder_new(f->c, f->a, &cfg, &r), TAMGA_OK);
    assert_int_equal(tamga_recorder_start(r), TAMGA_OK);
    tamga_recorder_status st;
    do {
        rt_sleep_ms(20);
        tamga_recorder_get_status(r, &st);
    } while (st.elapsed_ms < 1000);
    assert_int_equal(tamga_recorder_add_marker(r, "the first question"), TAMGA_OK);
    assert_int_equal(tamga_recorder_pause(r), TAMGA_OK);
    assert_int_equal(tamga_recorder_pause(r), TAMGA_OK); /* idempotent */
    tamga_recorder_get_status(r, &st);
    assert_int_equal(st.state, TAMGA_RECORDER_PAUSED);
    int64_t at_pause = st.elapsed_ms;
    rt_sleep_ms(1200);
    tamga_recorder_get_status(r, &st);
    assert_true(st.elapsed_ms - at_pause < 100); /* nothing recorded while paused */
    assert_int_equal(tamga_recorder_add_marker(r, "\001bad"), TAMGA_ERR_INVALID);
    assert_int_equal(tamga_recorder_resume(r), TAMGA_OK);
    do {
        rt_sleep_ms(20);
        tamga_recorder_get_status(r, &st);
    } while (st.elapsed_ms < 2000);
    assert_int_equal(tamga_recorder_add_marker(r, NULL), TAMGA_OK);
    rt_sleep_ms(300);
    tamga_record_result res;
    assert_int_equal(tamga_recorder_stop(r, &res), TAMGA_OK);
    assert_int_equal(tamga_recorder_pause(r), TAMGA_ERR_INVALID);
    tamga_recorder_free(r);
    assert_true(res.duration_ms >= 2200 && res.duration_ms < 2700);

    tamga_manifest m;
    load_manifest(f, res.recording_id, &m);
    assert_int_equal(m.n_markers, 2);
    assert_true(m.markers[0].start_ms >= 950 && m.markers[0].start_ms <= 1100);
    assert_true(m.markers[1].start_ms >= 1950 && m.markers[1].start_ms <= 2100);
    assert_int_equal(m.n_pauses, 1);
    assert_true(m.pauses[0].start_ms >= 950 && m.pauses[0].start_ms <= 1100);
    int64_t plen = m.pauses[0].end_ms - m.pauses[0].start_ms;
    assert_true(plen >= 1150 && plen < 1600);
    tamga_manifest_clear(&m);

    char *json = NULL;
    size_t len = 0;
    assert_int_equal(tamga_recording_private(f->c, f->a, res.recording_id, &json, &len), TAMGA_OK);
    json_t *j = json_loadb(json, len, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "interviewee")), "Witness 9");
    json_t *mk = json_object_get(j, "markers");
    assert_int_equal(json_array_size(mk), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(mk, 0), "label")),
                        "the first question");
    assert_true(json_is_null(json_object_get(json_array_get(mk, 1), "label")));
    json_decref(j);
    sodium_free(json);
    expect_clean(f);
    rt_audio au;
    rt_decode(f->c, f->a, res.recording_id, f->out, &au);
    assert_true(fabs(au.seconds - (double)res.duration_ms / 1000) < 0.1);
}

/* A file-size limit in a child process: the disk is "full" after ~2 s. */
static void test_disk_full(void **state)
{
    fixture *f = *state;
    SKIP_WITHOUT_PULSE();
    start_tone(f);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        tamga_recorder_config cfg = {
            .device = "vmic", .max_seconds = 20, .meta = {.complexity = -1}};
        tamga_recorder *r = NULL;
        /* The limit after the device is open: PortAudio's set-up writes files. */
        struct rlimit rl = {12000, 12000};
        if (tamga_recorder_new(f->c, f->a, &cfg, &r) != TAMGA_OK ||
            setrlimit(RLIMIT_FSIZE, &rl) != 0 || tamga_recorder_start(r) != TAMGA_OK) {
            fprintf(stderr, "child: %s\n", tamga_error_detail());
            _exit(10);
        }
        if (tamga_recorder_wait(r, 15000) != 1)
            _exit(11);
        tamga_recorder_status st;
        tamga_recorder_get_status(r, &st);
        if (st.state != TAMGA_RECORDER_FAILED || st.last_error != TAMGA_ERR_NOSPACE)
            _exit(12);
        tamga_record_result res;
        int rc = tamga_recorder_stop(r, &res);
        if (rc != TAMGA_ERR_NOSPACE)
            _exit(13);
        if (res.recording_id[0] == '\0' || res.duration_ms < 500)
            _exit(14);
        tamga_recorder_free(r);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    char **ids;
    size_t n;
    assert_int_equal(tamga_case_list_recordings(f->c, &ids, &n), TAMGA_OK);
    assert_int_equal(n, 1);
    tamga_manifest m;
    load_manifest(f, ids[0], &m);
    assert_string_equal(m.status, "interrupted");
    print_message("disk full: sealed %lld ms\n", (long long)m.duration_ms);
    assert_true(m.duration_ms >= 500);
    rt_audio au;
    rt_decode(f->c, f->a, ids[0], f->out, &au);
    assert_true(fabs(au.seconds - (double)m.duration_ms / 1000) < 0.1);
    assert_true(fabs(au.freq - 440.0) < 5.0);
    tamga_manifest_clear(&m);
    tamga_strv_free(ids, n);
    expect_clean(f);
    size_t left = 9;
    assert_int_equal(tamga_recover_count(f->home, &left), TAMGA_OK);
    assert_int_equal(left, 0);
}

/* Last: it kills the audio server. */
static void test_device_lost(void **state)
{
    fixture *f = *state;
    SKIP_WITHOUT_PULSE();
    start_tone(f);
    tamga_recorder_config cfg = {.device = "vmic", .meta = {.complexity = -1}};
    tamga_recorder *r = NULL;
    assert_int_equal(tamga_recorder_new(f->c, f->a, &cfg, &r), TAMGA_OK);
    assert_int_equal(tamga_recorder_start(r), TAMGA_OK);
    tamga_recorder_status st;
    do {
        rt_sleep_ms(20);
        tamga_recorder_get_status(r, &st);
    } while (st.elapsed_ms < 1500);
    pid_t pulse = (pid_t)atoi(getenv("TAMGA_PULSE_PID"));
    assert_int_equal(kill(pulse, SIGKILL), 0);
    double t0 = rt_now();
    assert_int_equal(tamga_recorder_wait(r, 15000), 1);
    print_message("device loss noticed after %.2f s\n", rt_now() - t0);
    tamga_recorder_get_status(r, &st);
    assert_int_equal(st.state, TAMGA_RECORDER_FAILED);
    assert_int_equal(st.last_error, TAMGA_ERR_DEVICE);
    print_message("detail: %s\n", st.error_detail);
    assert_true(st.error_detail[0] != '\0');
    tamga_record_result res;
    assert_int_equal(tamga_recorder_stop(r, &res), TAMGA_ERR_DEVICE);
    tamga_recorder_free(r);
    assert_true(res.duration_ms >= 1400);
    tamga_manifest m;
    load_manifest(f, res.recording_id, &m);
    assert_string_equal(m.status, "complete");
    tamga_manifest_clear(&m);
    expect_clean(f);
}

int main(void)
{
    if (tamga_init() != TAMGA_OK)
        return 1;
    rt_pin_alsa_plugins();
    /* test_disk_full first: it forks, and libpulse refuses to work in a child
     * of a process that has used it already. test_device_lost last: it kills
     * the audio server. */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_disk_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_live_tone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_live_pause_markers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_lost, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
