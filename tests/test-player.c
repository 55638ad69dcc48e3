/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The in-memory player (src/audio/player.c) with real audio, inside
 * tests/audio-env/with-pulse.sh: a 440 Hz tone recorded into a case is played
 * through PortAudio into the private null sink "vsink". Play, pause and resume,
 * seek (middle, start, beyond the end, negative), the end of the stream and a
 * replay after it, the tone reaching the sink (parec on its monitor), and the
 * constructor's clean errors: no audio, random bytes, truncated Ogg Opus, audio
 * that does not match its manifest, a stranger's identity, an unknown recording
 * and an unknown output. Timing asserts only "advanced", "stayed put" and "not
 * beyond the duration": a slow machine never makes it fail. No mocks. */
#define _GNU_SOURCE
#include "recorder-testutil.h"

#include <sodium.h>

#include "record-internal.h"
#include "tamga/container.h"

#define TONE_SECONDS 6.0

typedef struct {
    char *dir, *home, *tmp, *wav, *shortwav;
    tamga_identity *a;
    tamga_case *c;
    char rid[TAMGA_ID_HEX_LEN + 1];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = tu_tmpdir("player");
    f->home = tu_path(f->dir, "home");
    f->tmp = tu_path(f->dir, "tmp");
    mkdir(f->tmp, 0700);
    setenv("TMPDIR", f->tmp, 1);
    f->wav = tu_path(f->tmp, "tone.wav");
    tu_write_sine_wav(f->wav, 48000, 1, 440.0, TONE_SECONDS);
    f->shortwav = tu_path(f->tmp, "short.wav");
    tu_write_sine_wav(f->shortwav, 48000, 1, 440.0, 1.0);
    assert_int_equal(tamga_identity_generate("Interviewer A", &f->a), TAMGA_OK);
    assert_int_equal(tamga_case_create(f->home, f->a, "Player case", NULL, 0, 0, &f->c), TAMGA_OK);
    tamga_record_options o = {.title = "Tone", .complexity = -1};
    tamga_record_result res;
    assert_int_equal(tamga_record_file(f->c, f->a, f->wav, &o, &res), TAMGA_OK);
    snprintf(f->rid, sizeof f->rid, "%s", res.recording_id);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tamga_case_free(f->c);
    tamga_identity_free(f->a);
    tu_rm_rf(f->dir);
    free(f->dir);
    free(f->home);
    free(f->tmp);
    free(f->wav);
    free(f->shortwav);
    free(f);
    return 0;
}

#define SKIP_WITHOUT_PULSE()                                                                       \
    do {                                                                                           \
        if (!rt_have_pulse()) {                                                                    \
            print_message("skipped: not inside tests/audio-env/with-pulse.sh\n");                  \
            skip();                                                                                \
        }                                                                                          \
    } while (0)

static tamga_player *open_player(fixture *f, const char *rid)
{
    tamga_player *p = NULL;
    int rc = tamga_player_new(f->c, f->a, rid, NULL, &p);
    if (rc != TAMGA_OK)
        print_message("player: %s: %s\n", tamga_strerror(rc), tamga_error_detail());
    assert_int_equal(rc, TAMGA_OK);
    assert_non_null(p);
    return p;
}

/* Waits up to `timeout_s` for the position to pass `above`; returns it. */
static double wait_pos_above(tamga_player *p, double above, double timeout_s)
{
    double t0 = rt_now(), pos = tamga_player_position(p);
    while (pos <= above && rt_now() - t0 < timeout_s) {
        rt_sleep_ms(20);
        pos = tamga_player_position(p);
    }
    return pos;
}

static int wait_finished(tamga_player *p, double timeout_s)
{
    double t0 = rt_now();
    while (!tamga_player_finished(p) && rt_now() - t0 < timeout_s)
        rt_sleep_ms(20);
    return tamga_player_finished(p);
}

/* ---- playing ---- */

static void test_play_pause_resume(void **state)
{
    SKIP_WITHOUT_PULSE();
    fixture *f = *state;
    tamga_player *p = open_player(f, f->rid);
    double dur = tamga_player_duration(p);
    assert_true(fabs(dur - TONE_SECONDS) < 0.05);
    /* Created paused at the start. */
    assert_true(tamga_player_position(p) == 0.0);
    assert_int_equal(tamga_player_finished(p), 0);
    rt_sleep_ms(200);
    assert_true(tamga_player_position(p) == 0.0);

    assert_int_equal(tamga_player_play(p, 0), TAMGA_OK);
    /* The first write to the output may block while the stream starts (about
     * 1.5 s here, the position standing at the first decode step): wait for
     * steady playing, then watch it advance over ~0.5 s of wall time. */
    double pos = wait_pos_above(p, 0.3, 20.0);
    assert_true(pos > 0.3);
    double t0 = rt_now();
    rt_sleep_ms(500);
    double pos2 = wait_pos_above(p, pos, 10.0);
    double wall = rt_now() - t0;
    assert_true(pos2 > pos);
    /* Paced by the output, not decoded at once (the position is what was
     * decoded: it runs ahead of the sound by the output's latency). */
    assert_true(pos2 <= dur);
    if (wall < 1.0)
        assert_true(pos2 - pos < 2.0);
    assert_int_equal(tamga_player_finished(p), 0);
    pos = pos2;

    /* Pause: the position stays put. One decode step may be in flight. */
    assert_int_equal(tamga_player_pause(p, 1), TAMGA_OK);
    rt_sleep_ms(150);
    double p1 = tamga_player_position(p);
    rt_sleep_ms(300);
    double p2 = tamga_player_position(p);
    assert_true(p2 == p1);
    assert_true(p1 >= pos);
    assert_int_equal(tamga_player_finished(p), 0);
    /* Pausing twice is harmless. */
    assert_int_equal(tamga_player_pause(p, 1), TAMGA_OK);
    rt_sleep_ms(100);
    assert_true(tamga_player_position(p) == p1);

    /* Resume: it advances again, from where it was. */
    assert_int_equal(tamga_player_pause(p, 0), TAMGA_OK);
    rt_sleep_ms(500);
    double p3 = wait_pos_above(p, p1, 10.0);
    assert_true(p3 > p1);
    assert_true(p3 <= dur);
    tamga_player_free(p);
}

static void test_seek(void **state)
{
    SKIP_WITHOUT_PULSE();
    fixture *f = *state;
    tamga_player *p = open_player(f, f->rid);
    double dur = tamga_player_duration(p);

    /* Paused: the position is exactly the target. */
    assert_int_equal(tamga_player_seek(p, dur / 2), TAMGA_OK);
    assert_true(fabs(tamga_player_position(p) - dur / 2) < 0.001);
    rt_sleep_ms(200);
    assert_true(fabs(tamga_player_position(p) - dur / 2) < 0.001);
    assert_int_equal(tamga_player_seek(p, 0), TAMGA_OK);
    assert_true(tamga_player_position(p) == 0.0);
    assert_int_equal(tamga_player_seek(p, 1.25), TAMGA_OK);
    assert_true(fabs(tamga_player_position(p) - 1.25) < 0.001);

    /* play(from) seeks, then plays on from there. */
    assert_int_equal(tamga_player_play(p, dur / 2), TAMGA_OK);
    double pos = tamga_player_position(p);
    assert_true(pos >= dur / 2 && pos < dur / 2 + 2.0);
    pos = wait_pos_above(p, dur / 2, 10.0);
    assert_true(pos > dur / 2 && pos <= dur);

    /* Seeking while playing: reported near the target at once. */
    assert_int_equal(tamga_player_seek(p, 0), TAMGA_OK);
    pos = tamga_player_position(p);
    assert_true(pos >= 0.0 && pos < 1.0);
    assert_int_equal(tamga_player_seek(p, dur / 2), TAMGA_OK);
    pos = tamga_player_position(p);
    assert_true(pos >= dur / 2 && pos < dur / 2 + 1.0);

    /* Negative and NaN clamp to the start. */
    assert_int_equal(tamga_player_pause(p, 1), TAMGA_OK);
    rt_sleep_ms(100);
    assert_int_equal(tamga_player_seek(p, -5.0), TAMGA_OK);
    assert_true(tamga_player_position(p) == 0.0);
    assert_int_equal(tamga_player_seek(p, dur / 2), TAMGA_OK);
    assert_int_equal(tamga_player_seek(p, nan("")), TAMGA_OK);
    assert_true(tamga_player_position(p) == 0.0);
    assert_int_equal(tamga_player_finished(p), 0);

    /* Beyond the end clamps to the end; playing on from there finishes. */
    assert_int_equal(tamga_player_seek(p, dur + 100.0), TAMGA_OK);
    assert_true(fabs(tamga_player_position(p) - dur) < 0.001);
    assert_int_equal(tamga_player_seek(p, 1e300), TAMGA_OK);
    assert_true(fabs(tamga_player_position(p) - dur) < 0.001);
    assert_int_equal(tamga_player_seek(p, INFINITY), TAMGA_OK);
    assert_true(fabs(tamga_player_position(p) - dur) < 0.001);
    assert_int_equal(tamga_player_pause(p, 0), TAMGA_OK);
    assert_int_equal(wait_finished(p, 10.0), 1);
    assert_true(fabs(tamga_player_position(p) - dur) < 0.001);
    tamga_player_free(p);
}

static void test_end_and_replay(void **state)
{
    SKIP_WITHOUT_PULSE();
    fixture *f = *state;
    tamga_player *p = open_player(f, f->rid);
    double dur = tamga_player_duration(p);
    assert_int_equal(tamga_player_play(p, dur - 0.5), TAMGA_OK);
    assert_int_equal(tamga_player_finished(p), 0);
    assert_int_equal(wait_finished(p, 20.0), 1);
    /* Everything was played, nothing beyond. */
    double pos = tamga_player_position(p);
    assert_true(pos > dur - 0.05 && pos <= dur);
    rt_sleep_ms(200);
    assert_int_equal(tamga_player_finished(p), 1);
    assert_true(tamga_player_position(p) == pos);

    /* Playing again after the end starts over. */
    assert_int_equal(tamga_player_play(p, 0), TAMGA_OK);
    assert_int_equal(tamga_player_finished(p), 0);
    assert_true(tamga_player_position(p) < 1.0);
    rt_sleep_ms(300);
    pos = wait_pos_above(p, 0.0, 10.0);
    assert_true(pos > 0.0 && pos < dur);
    assert_int_equal(tamga_player_finished(p), 0);

    /* Seeking back from the finished state clears it too. */
    assert_int_equal(tamga_player_seek(p, dur), TAMGA_OK);
    assert_int_equal(wait_finished(p, 10.0), 1);
    assert_int_equal(tamga_player_seek(p, 1.0), TAMGA_OK);
    assert_int_equal(tamga_player_finished(p), 0);
    tamga_player_free(p);
}

/* Freeing while playing, and freeing a never-started player. */
static void test_free_states(void **state)
{
    SKIP_WITHOUT_PULSE();
    fixture *f = *state;
    tamga_player *p = open_player(f, f->rid);
    tamga_player_free(p);
    p = open_player(f, f->rid);
    assert_int_equal(tamga_player_play(p, 0), TAMGA_OK);
    rt_sleep_ms(100);
    tamga_player_free(p);
    tamga_player_free(NULL);
    /* Two players at once (PortAudio is shared and reference-counted). */
    tamga_player *q = open_player(f, f->rid);
    p = open_player(f, f->rid);
    assert_int_equal(tamga_player_play(q, 1.0), TAMGA_OK);
    tamga_player_free(q);
    assert_int_equal(tamga_player_play(p, 0), TAMGA_OK);
    assert_true(wait_pos_above(p, 0.0, 10.0) > 0.0);
    tamga_player_free(p);
}

/* The tone really reaches the null sink: its monitor carries ~440 Hz. */
static void test_reaches_sink(void **state)
{
    SKIP_WITHOUT_PULSE();
    fixture *f = *state;
    tamga_player *p = open_player(f, f->rid);
    FILE *pc = popen("exec parec --device=vsink.monitor --raw --format=s16le --rate=48000 "
                     "--channels=1 2>/dev/null",
                     "r");
    assert_non_null(pc);
    assert_int_equal(tamga_player_play(p, 0), TAMGA_OK);
    enum { N = 48000 * 2 }; /* 2 s */
    int16_t *s = malloc(N * sizeof *s);
    assert_non_null(s);
    size_t got = fread(s, sizeof *s, N, pc);
    pclose(pc);
    tamga_player_free(p);
    assert_int_equal(got, N);
    /* The last second (the first may hold start-up silence). */
    double sum = 0;
    size_t crossings = 0;
    for (size_t i = N / 2; i < N; i++) {
        double v = s[i] / 32768.0;
        sum += v * v;
        if (i > N / 2 && s[i - 1] < 0 && s[i] >= 0)
            crossings++;
    }
    free(s);
    double rms = sqrt(sum / (N / 2));
    print_message("sink: rms %.3f, %zu crossings in 1 s\n", rms, crossings);
    assert_true(rms > 0.1); /* the tone's amplitude is 0.5: rms ~0.35 */
    assert_true(crossings > 420 && crossings < 460);
}

/* ---- bad input ---- */

/* Replaces recording `rid`'s audio stream with `audio` and, if `sign`, signs a
 * manifest matching it (as a keyholder who recorded such bytes would have). */
static void replace_audio(fixture *f, const char *rid, const uint8_t *audio, size_t len, int sign)
{
    tamga_manifest m;
    assert_int_equal(tamga__load_manifest(f->c, rid, &m), TAMGA_OK);
    char *tp = tamga__recording_path(f->c, rid, ".tamga");
    assert_non_null(tp);
    assert_int_equal(unlink(tp), 0);
    tamga_rec_writer *w = NULL;
    assert_int_equal(tamga_rec_writer_open(tp, tamga_case_get_public_key(f->c),
                                           tamga_case_get_id(f->c), m.recording_id, &w),
                     TAMGA_OK);
    if (len > 0)
        assert_int_equal(tamga_rec_writer_push(w, TAMGA_STREAM_AUDIO, audio, len), TAMGA_OK);
    assert_int_equal(tamga_rec_writer_finish(w), TAMGA_OK);
    tamga_rec_streams st;
    m.file_size = tamga_rec_writer_bytes(w);
    tamga_rec_writer_digest(w, m.file_sha256, &st);
    tamga_rec_writer_free(w);
    free(tp);
    if (sign) {
        static const char *const sfx[] = {".manifest.json", ".manifest.json.minisig"};
        for (size_t i = 0; i < 2; i++) {
            char *mp = tamga__recording_path(f->c, rid, sfx[i]);
            assert_int_equal(unlink(mp), 0);
            free(mp);
        }
        m.audio_size = len;
        crypto_hash_sha256(m.audio_sha256, audio, len);
        uint8_t msha[32];
        assert_int_equal(tamga__seal_manifest(f->c, f->a, &m, msha), TAMGA_OK);
    }
    tamga_manifest_clear(&m);
}

/* A fresh 1 s recording whose audio is then replaced. */
static void bad_recording(fixture *f, const uint8_t *audio, size_t len, int sign, char *rid)
{
    tamga_record_options o = {.complexity = -1};
    tamga_record_result res;
    assert_int_equal(tamga_record_file(f->c, f->a, f->shortwav, &o, &res), TAMGA_OK);
    snprintf(rid, TAMGA_ID_HEX_LEN + 1, "%s", res.recording_id);
    replace_audio(f, rid, audio, len, sign);
}

static void expect_refused(fixture *f, const char *rid, const char *device, int want)
{
    tamga_player *p = (tamga_player *)&p; /* must be cleared */
    int rc = tamga_player_new(f->c, f->a, rid, device, &p);
    if (rc != want)
        print_message("player_new: %s (%d): %s, want %d\n", tamga_strerror(rc), rc,
                      tamga_error_detail(), want);
    assert_int_equal(rc, want);
    assert_null(p);
    assert_true(tamga_error_detail()[0] != '\0');
}

/* The real Ogg Opus stream of recording `rid`. */
static uint8_t *real_audio(fixture *f, const char *rid, size_t *len)
{
    char *out = tu_path(f->tmp, "real.ogg");
    unlink(out);
    assert_int_equal(tamga_recording_decrypt(f->c, f->a, rid, out), TAMGA_OK);
    uint8_t *a = tu_read(out, len);
    unlink(out);
    free(out);
    return a;
}

static void test_bad_audio(void **state)
{
    SKIP_WITHOUT_PULSE();
    fixture *f = *state;
    char rid[TAMGA_ID_HEX_LEN + 1];

    /* No audio at all. */
    bad_recording(f, NULL, 0, 1, rid);
    expect_refused(f, rid, NULL, TAMGA_ERR_AUDIO);
    assert_non_null(strstr(tamga_error_detail(), "holds no audio"));

    /* Random bytes (correctly encrypted and signed). */
    uint8_t junk[4096];
    randombytes_buf(junk, sizeof junk);
    bad_recording(f, junk, sizeof junk, 1, rid);
    expect_refused(f, rid, NULL, TAMGA_ERR_AUDIO);
    bad_recording(f, junk, 1, 1, rid);
    expect_refused(f, rid, NULL, TAMGA_ERR_AUDIO);

    /* "OggS" then junk. */
    memcpy(junk, "OggS", 4);
    bad_recording(f, junk, sizeof junk, 1, rid);
    expect_refused(f, rid, NULL, TAMGA_ERR_AUDIO);

    /* Truncated Ogg Opus: cut inside the headers it cannot open; cut later it
     * opens and plays what is there, never beyond. */
    size_t len = 0;
    uint8_t *ogg = real_audio(f, f->rid, &len);
    assert_true(len > 1000);
    static const size_t cuts[] = {1, 4, 27, 28, 47, 100, 200, 500};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        bad_recording(f, ogg, cuts[i], 1, rid);
        tamga_player *p = (tamga_player *)&p;
        int rc = tamga_player_new(f->c, f->a, rid, NULL, &p);
        if (rc == TAMGA_OK) {
            /* Only if the cut keeps both header packets. */
            assert_true(tamga_player_duration(p) < 0.5);
            tamga_player_free(p);
        } else {
            assert_int_equal(rc, TAMGA_ERR_AUDIO);
            assert_null(p);
        }
    }
    static const size_t fractions[] = {10, 2}; /* len/10, len/2 */
    for (size_t i = 0; i < 2; i++) {
        size_t cut = len / fractions[i] + 7; /* mid-page */
        bad_recording(f, ogg, cut, 1, rid);
        tamga_player *p = (tamga_player *)&p;
        int rc = tamga_player_new(f->c, f->a, rid, NULL, &p);
        if (rc != TAMGA_OK) {
            assert_int_equal(rc, TAMGA_ERR_AUDIO);
            assert_null(p);
            continue;
        }
        double dur = tamga_player_duration(p);
        assert_true(dur >= 0.0 && dur < TONE_SECONDS * 0.8);
        /* Plays the cut end cleanly to "finished". */
        assert_int_equal(tamga_player_play(p, dur > 0.3 ? dur - 0.3 : 0), TAMGA_OK);
        assert_int_equal(wait_finished(p, 20.0), 1);
        assert_true(tamga_player_position(p) <= dur);
        tamga_player_free(p);
    }

    /* The real audio behind an unchanged manifest: refused as altered. */
    tamga_record_options o = {.complexity = -1};
    tamga_record_result res;
    assert_int_equal(tamga_record_file(f->c, f->a, f->shortwav, &o, &res), TAMGA_OK);
    replace_audio(f, res.recording_id, ogg, len, 0);
    expect_refused(f, res.recording_id, NULL, TAMGA_ERR_AUTH);
    free(ogg);
}

static void test_refused(void **state)
{
    SKIP_WITHOUT_PULSE();
    fixture *f = *state;
    /* An unknown recording. */
    expect_refused(f, "00000000000000000000000000000000", NULL, TAMGA_ERR_NOT_FOUND);
    /* An unknown output device. */
    expect_refused(f, f->rid, "no such output device here", TAMGA_ERR_DEVICE);
    /* A stranger is not a keyholder. */
    tamga_identity *b = NULL;
    assert_int_equal(tamga_identity_generate("Stranger B", &b), TAMGA_OK);
    tamga_player *p = (tamga_player *)&p;
    assert_int_equal(tamga_player_new(f->c, b, f->rid, NULL, &p), TAMGA_ERR_NOT_KEYHOLDER);
    assert_null(p);
    tamga_identity_free(b);
    /* The named output works as the default does. */
    p = NULL;
    assert_int_equal(tamga_player_new(f->c, f->a, f->rid, "vout", &p), TAMGA_OK);
    assert_int_equal(tamga_player_play(p, 0), TAMGA_OK);
    assert_true(wait_pos_above(p, 0.0, 10.0) > 0.0);
    tamga_player_free(p);
}

int main(void)
{
    if (tamga_init() != TAMGA_OK)
        return 1;
    rt_pin_alsa_plugins();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_play_pause_resume, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seek, setup, teardown),
        cmocka_unit_test_setup_teardown(test_end_and_replay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_free_states, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reaches_sink, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_audio, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
