/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga export --case CASE --to RECIPIENT... -o FILE.age: a bundle for a partner. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "tamga/age.h"
#include "tamga/bundle.h"
#include "tamga/trust.h"
#include "tool.h"
#include "util.h"

#define MAX_RECORDINGS 1000
#define MAX_TO         TAMGA_AGE_MAX_RECIPIENTS

/* RECIPIENT: "age1…", a public identity file, or a trust roster name. */
static int resolve_to(const char *home, const char *ref, uint8_t pk[32], char label[128],
                      tamga_pubid *pub, int *have_pub)
{
    *have_pub = 0;
    if (strncmp(ref, "age1", 4) == 0) {
        if (tamga_age_recipient_parse(ref, pk) != TAMGA_OK)
            return tool_error(_("\"%s\" is not a valid age recipient"), ref);
        snprintf(label, 128, "%s", ref);
        return 0;
    }
    int rc = tamga_trust_resolve(home, ref, pub);
    if (rc == TAMGA_ERR_NOT_FOUND && !tamga_file_exists(ref))
        return tool_error(_("recipient \"%s\" is not an age1… recipient, a file, or a name "
                            "in the trust roster"),
                          ref);
    if (rc != TAMGA_OK) {
        char what[300];
        if (tamga_file_exists(ref))
            snprintf(what, sizeof what, _("cannot read the public identity %s"), ref);
        else
            snprintf(what, sizeof what, "%s", _("cannot read the trust roster"));
        return tool_fail(rc, what);
    }
    memcpy(pk, pub->enc_pk, 32);
    tamga_keyid_format(pub->keynum, label);
    *have_pub = 1;
    return 0;
}

static int export_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"case", required_argument, NULL, 'c'},
        {"recording", required_argument, NULL, 'r'},
        {"to", required_argument, NULL, 't'},
        {"output", required_argument, NULL, 'o'},
        {"plain-audio", no_argument, NULL, 'A'},
        {"grant-case-key", no_argument, NULL, 'G'},
        {"passphrase", no_argument, NULL, 'P'},
        {"bundle-passphrase-file", required_argument, NULL, 'B'},
        {"passphrase-file", required_argument, NULL, 'p'},
        TOOL_OPTS_END,
    };
    const char *case_ref = NULL, *out = NULL, *passfile = NULL, *bpassfile = NULL;
    const char *to[MAX_TO];
    const char *recref[MAX_RECORDINGS];
    size_t nto = 0;
    int plain = 0, grant = 0, use_pass = 0, nrec = 0, opt, status;
    while ((opt = tool_getopt(argc, argv, "c:r:t:o:", opts, &status)) > 0) {
        switch (opt) {
        case 'c':
            case_ref = optarg;
            break;
        case 'r':
            if (nrec == MAX_RECORDINGS)
                return tool_usage_error(_("at most %d --recording options"), MAX_RECORDINGS);
            recref[nrec++] = optarg;
            break;
        case 't':
            if (nto == MAX_TO)
                return tool_usage_error(_("at most %d recipients"), MAX_TO);
            to[nto++] = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'A':
            plain = 1;
            break;
        case 'G':
            grant = 1;
            break;
        case 'P':
            use_pass = 1;
            break;
        case 'B':
            bpassfile = optarg;
            use_pass = 1;
            break;
        case 'p':
            passfile = optarg;
            break;
        }
    }
    if (opt < 0 || (status = tool_args_none(argc, argv)) != 0)
        return status;
    if (case_ref == NULL)
        return tool_usage_error(_("which case? Use --case CASE"));
    if (out == NULL)
        return tool_usage_error(_("where should the bundle go? Use -o FILE.age"));
    if (nto == 0 && !use_pass)
        return tool_usage_error(_("for whom? Use --to RECIPIENT or --passphrase"));
    if (nto > 0 && use_pass)
        return tool_usage_error(_("use either --to or --passphrase, not both"));
    if (grant && nto == 0)
        return tool_usage_error(_("--grant-case-key needs --to recipients"));
    if (tamga_file_exists(out))
        return tool_error(_("cannot export: %s already exists: not overwriting it"), out);

    char *home = NULL;
    status = tool_home(&home);
    if (status != 0)
        return status;
    tamga_case *c = NULL;
    tamga_identity *id = NULL;
    char *bpass = NULL;
    size_t bplen = 0;
    char *rids[MAX_RECORDINGS];
    size_t nrids = 0;
    uint8_t(*pks)[32] = calloc(MAX_TO, 32);
    char(*labels)[128] = calloc(MAX_TO, 128);
    const char *labelp[MAX_TO];
    tamga_pubid *pubs = calloc(MAX_TO, sizeof *pubs);
    size_t npubs = 0;
    if (pks == NULL || labels == NULL || pubs == NULL) {
        status = tool_fail(TAMGA_ERR_NOMEM, _("cannot export"));
        goto out;
    }
    for (size_t i = 0; i < nto; i++) {
        int have = 0;
        status = resolve_to(home, to[i], pks[i], labels[i], &pubs[npubs], &have);
        if (status != 0)
            goto out;
        if (grant && !have) {
            status = tool_error(_("--grant-case-key needs tamga identities (a file or a roster "
                                  "name), not the bare age recipient %s"),
                                to[i]);
            goto out;
        }
        npubs += (size_t)have;
        labelp[i] = labels[i];
    }
    if ((status = tool_case_open(home, case_ref, &c)) != 0)
        goto out;
    for (int i = 0; i < nrec; i++) {
        char *rid = NULL;
        int rc = tamga_case_find_recording(c, recref[i], &rid);
        if (rc != TAMGA_OK) {
            char what[300];
            snprintf(what, sizeof what, _("cannot export recording %.200s"), recref[i]);
            status = tool_fail(rc, what);
            goto out;
        }
        int dup = 0;
        for (size_t k = 0; k < nrids && !dup; k++)
            dup = strcmp(rids[k], rid) == 0;
        if (dup)
            free(rid);
        else
            rids[nrids++] = rid;
    }
    tamga_pubid me;
    if ((plain || grant) && tool_identity_public(home, &me) && !tamga_case_has_grant(c, &me)) {
        status = tool_error(_("cannot export: --plain-audio and --grant-case-key need a keyholder "
                              "of the case; this machine is record-only for it"));
        goto out;
    }
    if ((status = tool_identity_open(home, 1, passfile, &id)) != 0)
        goto out;
    if (use_pass && (status = tool_passphrase_read(bpassfile, _("Bundle passphrase: "), 1, &bpass,
                                                   &bplen)) != 0)
        goto out;
    tamga_bundle_export_opts o;
    memset(&o, 0, sizeof o);
    o.recordings = (const char *const *)rids;
    o.n_recordings = nrids;
    o.recipients = (const uint8_t(*)[32])pks;
    o.n_recipients = nto;
    o.recipient_labels = labelp;
    o.passphrase = bpass;
    o.passlen = bplen;
    o.grant_to = pubs;
    o.n_grant_to = npubs;
    o.flags = (plain ? TAMGA_BUNDLE_PLAIN_AUDIO : 0) | (grant ? TAMGA_BUNDLE_GRANT : 0);
    uint8_t sha[32];
    int rc = tamga_bundle_export(c, id, &o, out, sha);
    if (rc != TAMGA_OK) {
        status = tool_fail(rc, _("cannot export"));
        goto out;
    }
    char hex[65];
    tool_hex(sha, 32, hex);
    printf("%s\n", out);
    fprintf(stderr, _("Bundle written: %s\nSHA-256: %s (recorded in the custody log)\n"), out, hex);
    if (plain)
        fprintf(stderr, _("It holds decrypted audio: only its recipients can open it.\n"));
    status = 0;
out:
    for (size_t i = 0; i < nrids; i++)
        free(rids[i]);
    if (bpass)
        tool_passphrase_free(bpass);
    free(pks);
    free(labels);
    free(pubs);
    tool_release(home, id, c);
    return status;
}

const tool_command tool_cmd_export = {
    .name = "export",
    .run = export_run,
    .summary = N_("write an encrypted bundle of a case for a partner (age + tar)"),
    .usage = "tamga export --case CASE [--recording ID]... --to RECIPIENT... -o FILE.age\n"
             "             [--plain-audio] [--grant-case-key] [--passphrase-file FILE]\n"
             "tamga export --case CASE --passphrase [--bundle-passphrase-file F] -o FILE.age",
    .help = N_("Writes one age file holding a tar of the case as stored (encrypted\n"
               "recordings, signed manifests, custody log), the signers' public keys,\n"
               "SHA256SUMS and VERIFY.txt (how to check it with stock tools). FILE is never\n"
               "overwritten. The export is recorded in the custody log (after the bundle\n"
               "is written, so the bundle does not hold that entry).\n"
               "\n"
               "RECIPIENT: an age1… recipient, a public identity file, or a trust roster name.\n"
               "\n"
               "Options:\n"
               "  -c, --case CASE              the case (id, start of id, or title)\n"
               "  -r, --recording ID           only this recording (id or its start;\n"
               "                               repeatable). The bundle still verifies; the\n"
               "                               others show as \"not included\". It can be\n"
               "                               imported where the case already is\n"
               "  -t, --to RECIPIENT           encrypt to this recipient (repeatable)\n"
               "  -o, --output FILE.age        where to write the bundle\n"
               "  --plain-audio                add audio/<id>.opus decrypted (keyholders only)\n"
               "  --grant-case-key             add the case key sealed to each recipient\n"
               "  --passphrase                 encrypt to a passphrase instead (asked twice)\n"
               "  --bundle-passphrase-file F   that passphrase from the first line of F\n"
               "  --passphrase-file FILE       your identity's passphrase from FILE\n"),
};
