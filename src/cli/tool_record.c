/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga record: seal an audio file into a case. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tool.h"

static int record_run(int argc, char **argv)
{
    enum {
        OPT_TITLE = 256,
        OPT_LANGUAGE,
        OPT_CONSENT,
        OPT_EMBARGO,
        OPT_INTERVIEWEE,
        OPT_CONTACT,
        OPT_NOTES,
        OPT_BITRATE,
        OPT_KEEP,
        OPT_PASSFILE,
    };
    static const struct option opts[] = {
        {"case", required_argument, NULL, 'c'},
        {"input", required_argument, NULL, 'i'},
        {"title", required_argument, NULL, OPT_TITLE},
        {"language", required_argument, NULL, OPT_LANGUAGE},
        {"consent", required_argument, NULL, OPT_CONSENT},
        {"embargo", required_argument, NULL, OPT_EMBARGO},
        {"interviewee", required_argument, NULL, OPT_INTERVIEWEE},
        {"contact", required_argument, NULL, OPT_CONTACT},
        {"notes", required_argument, NULL, OPT_NOTES},
        {"bitrate", required_argument, NULL, OPT_BITRATE},
        {"keep-original", no_argument, NULL, OPT_KEEP},
        {"passphrase-file", required_argument, NULL, OPT_PASSFILE},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *case_ref = NULL, *input = NULL, *passfile = NULL;
    tamga_record_options ro;
    memset(&ro, 0, sizeof ro);
    ro.complexity = -1;
    int quiet = 0, opt;
    long kbps;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":hqc:i:", opts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            case_ref = optarg;
            break;
        case 'i':
            input = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case OPT_TITLE:
            ro.title = optarg;
            break;
        case OPT_LANGUAGE:
            if (!tool_valid_language(optarg))
                return tool_usage_error(_("--language must be a language code such as kk, ru, "
                                          "ug or en (2 to 15 letters, digits or dashes)"));
            ro.language = optarg;
            break;
        case OPT_CONSENT:
            if (!tool_valid_consent(optarg))
                return tool_usage_error(_("--consent must be public, anonymised or internal"));
            ro.consent = optarg;
            break;
        case OPT_EMBARGO:
            if (!tool_valid_date(optarg))
                return tool_usage_error(_("--embargo must be a date written YYYY-MM-DD, such "
                                          "as 2027-01-31"));
            ro.embargo = optarg;
            break;
        case OPT_INTERVIEWEE:
            ro.interviewee = optarg;
            break;
        case OPT_CONTACT:
            ro.contact = optarg;
            break;
        case OPT_NOTES:
            ro.notes = optarg;
            break;
        case OPT_BITRATE:
            if (tool_parse_int(optarg, 6, 256, &kbps) != 0)
                return tool_usage_error(_("--bitrate must be a whole number of kbit/s from 6 "
                                          "to 256"));
            ro.bitrate = (int)kbps * 1000;
            break;
        case OPT_KEEP:
            ro.keep_original = 1;
            break;
        case OPT_PASSFILE:
            passfile = optarg;
            break;
        default:
            return tool_getopt_other(opt, argv);
        }
    }
    if (optind < argc)
        return tool_usage_error(_("unexpected argument \"%s\""), argv[optind]);
    if (case_ref == NULL)
        return tool_usage_error(_("which case? Use --case CASE"));
    if (input == NULL)
        return tool_usage_error(_("which audio file? Use --input FILE"));

    struct stat st;
    if (stat(input, &st) != 0)
        return tool_error(_("cannot record %s: %s"), input,
                          errno == ENOENT ? _("no such file") : strerror(errno));
    if (!S_ISREG(st.st_mode))
        return tool_error(_("cannot record %s: not a file"), input);

    char *home = NULL;
    int status = tool_home(&home);
    if (status != 0)
        return status;
    tamga_case *c = NULL;
    tamga_identity *id = NULL;
    if (!tool_identity_exists(home)) {
        status = tool_identity_open(home, 0, NULL, &id);
        goto out;
    }
    status = tool_case_open(home, case_ref, &c);
    if (status != 0)
        goto out;
    status = tool_identity_open(home, 1, passfile, &id);
    if (status != 0)
        goto out;

    tamga_record_result res;
    memset(&res, 0, sizeof res);
    int rc = tamga_record_file(c, id, input, &ro, &res);
    if (rc != TAMGA_OK) {
        char what[1100];
        snprintf(what, sizeof what, _("cannot record %s"), input);
        status = tool_fail(rc, what);
        goto out;
    }
    printf("%s\n", res.recording_id);
    if (!quiet) {
        char dur[32], size[32];
        tool_format_duration(res.duration_ms, dur, sizeof dur);
        tool_format_size(res.file_size, size, sizeof size);
        fprintf(stderr, _("Recorded %s of audio (%s), sealed and signed, into case \""), dur, size);
        tool_put_safe(stderr, tamga_case_get_title(c));
        fprintf(stderr, "\".\n");
        if (!tamga_case_has_grant(c, tamga_identity_get_public(id)))
            fprintf(stderr, _("This machine is record-only for this case: it cannot play "
                              "this recording back; a keyholder can.\n"));
        if (ro.keep_original)
            fprintf(stderr,
                    _("The original file was stored, encrypted, inside the recording. "
                      "You may now delete %s if it is not needed elsewhere.\n"),
                    input);
    }
    status = 0;
out:
    tamga_identity_free(id);
    tamga_case_free(c);
    free(home);
    return status;
}

const tool_command tool_cmd_record = {
    .name = "record",
    .run = record_run,
    .summary = N_("seal an audio file into a case: encrypted, signed, logged"),
    .usage = "tamga record --case CASE --input FILE [--title TEXT] [--language CODE]\n"
             "             [--consent public|anonymised|internal] [--embargo YYYY-MM-DD]\n"
             "             [--interviewee PSEUDONYM] [--contact TEXT] [--notes TEXT]\n"
             "             [--bitrate KBPS] [--keep-original] [--quiet]\n"
             "             [--passphrase-file FILE]",
    .help = N_("Converts the audio file (WAV, FLAC, Ogg, ...) to Ogg Opus, encrypts it to\n"
               "the case key, signs its description with your identity and adds the event\n"
               "to the case's custody log. Prints the new recording's id; a short summary\n"
               "goes to the error output unless --quiet. The input file is not changed or\n"
               "deleted.\n"
               "\n"
               "Public fields (written unencrypted, readable by anyone with the case):\n"
               "  --title TEXT            what the recording is about (no names!)\n"
               "  --language CODE         spoken language, e.g. kk, ru, ug, en\n"
               "  --consent WHAT          what the witness agreed to: public, anonymised or\n"
               "                          internal (the default)\n"
               "  --embargo YYYY-MM-DD    not to be published before this date\n"
               "\n"
               "Private fields (encrypted: only keyholders can read them):\n"
               "  --interviewee NAME      the witness's pseudonym\n"
               "  --contact TEXT          how to reach the witness\n"
               "  --notes TEXT            anything else\n"
               "  Note: what you type on a command line may be kept in your shell history\n"
               "  and is visible to other users of this computer while tamga runs.\n"
               "\n"
               "Other options:\n"
               "  -c, --case CASE         the case: its id, the start of its id, or its title\n"
               "  -i, --input FILE        the audio file to seal\n"
               "  --bitrate KBPS          Opus bitrate in kbit/s, 6 to 256 (default 32)\n"
               "  --keep-original         also store the untouched input file, encrypted,\n"
               "                          inside the recording\n"
               "  -q, --quiet             print only the recording id\n"
               "  --passphrase-file FILE  read the passphrase from the first line of FILE\n"),
};
