/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga id new | show | export: this machine's identity. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "tamga/age.h"

#include "tool.h"
#include "util.h"

/* ---- id new ------------------------------------------------------------ */

static int parse_kdf(const char *s, tamga_kdf_level *out)
{
    if (strcmp(s, "interactive") == 0)
        *out = TAMGA_KDF_INTERACTIVE;
    else if (strcmp(s, "moderate") == 0)
        *out = TAMGA_KDF_MODERATE;
    else if (strcmp(s, "sensitive") == 0)
        *out = TAMGA_KDF_SENSITIVE;
    else
        return -1;
    return 0;
}

/* "<intro><name>" and the key id, for id new and id import. */
static void put_identity(const char *intro, const tamga_identity *id)
{
    const tamga_pubid *pub = tamga_identity_get_public(id);
    char keyid[17];
    tamga_keyid_format(pub->keynum, keyid);
    fputs(intro, stdout);
    tool_put_safe(stdout, pub->name);
    printf("\n");
    printf(_("  key id:      %s\n"), keyid);
}

static int id_new_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"name", required_argument, NULL, 'n'},
        {"kdf", required_argument, NULL, 'k'},
        {"force", no_argument, NULL, 'f'},
        {"passphrase-file", required_argument, NULL, 'p'},
        TOOL_OPTS_END,
    };
    const char *name = NULL, *passfile = NULL;
    tamga_kdf_level kdf = TAMGA_KDF_MODERATE;
    int force = 0, opt, status;
    while ((opt = tool_getopt(argc, argv, "", opts, &status)) > 0) {
        switch (opt) {
        case 'n':
            name = optarg;
            break;
        case 'k':
            if (parse_kdf(optarg, &kdf) != 0)
                return tool_usage_error(_("--kdf must be interactive, moderate or sensitive"));
            break;
        case 'f':
            force = 1;
            break;
        case 'p':
            passfile = optarg;
            break;
        }
    }
    if (opt < 0 || (status = tool_args_none(argc, argv)) != 0)
        return status;
    if (name == NULL)
        return tool_usage_error(_("a name is needed: --name NAME"));
    if (name[0] == '\0' || strlen(name) > TAMGA_NAME_MAX)
        return tool_usage_error(_("the name must have 1 to %d bytes"), TAMGA_NAME_MAX);

    char *home = NULL;
    status = tool_home(&home);
    if (status != 0)
        return status;
    int rc = tamga_home_prepare(home);
    if (rc != TAMGA_OK) {
        status = tool_fail(rc, _("cannot prepare the data folder"));
        free(home);
        return status;
    }
    char *secret = tamga_home_secret_path(home);
    char *public = tamga_home_public_path(home);
    char *pass = NULL;
    size_t passlen = 0;
    tamga_identity *id = NULL;
    if (secret == NULL || public == NULL) {
        status = tool_fail(TAMGA_ERR_NOMEM, _("cannot create identity"));
        goto out;
    }
    if (tool_identity_exists(home) && !force) {
        status = tool_error(_("an identity already exists in %s: not replacing it (use --force "
                              "to replace it; the old key and everything only it can open "
                              "would be lost)"),
                            home);
        goto out;
    }
    if (passfile == NULL && tool_have_tty())
        fprintf(stderr, _("Choose a passphrase to protect your identity. You will need it to "
                          "record, decrypt and sign.\n"));
    status = tool_passphrase_read(passfile, _("New passphrase: "), 1, &pass, &passlen);
    if (status != 0)
        goto out;
    rc = tamga_identity_generate(name, &id);
    if (rc != TAMGA_OK) {
        status = tool_fail(rc, _("cannot create identity"));
        goto out;
    }
    rc = tamga_identity_save(id, secret, public, pass, passlen, kdf, force);
    if (rc == TAMGA_ERR_EXISTS) {
        status = tool_error(_("an identity already exists in %s: not replacing it (use --force "
                              "to replace it)"),
                            home);
        goto out;
    }
    if (rc != TAMGA_OK) {
        status = tool_fail(rc, _("cannot save identity"));
        goto out;
    }
    put_identity(_("Created identity for "), id);
    printf(_("  secret key:  %s (keep it private; your passphrase protects it)\n"), secret);
    printf(_("  public file: %s (give this file to others)\n"), public);
    status = 0;
out:
    tool_passphrase_free(pass);
    free(secret);
    free(public);
    tool_release(home, id, NULL);
    return status;
}

static const tool_command id_new = {
    .name = "new",
    .run = id_new_run,
    .summary = N_("create this machine's identity (signing and encryption keys)"),
    .usage = "tamga id new --name NAME [--kdf interactive|moderate|sensitive] [--force]\n"
             "             [--passphrase-file FILE]",
    .help = N_("Creates identity/secret.key (readable only by you, protected by a passphrase)\n"
               "and identity/public.json (give it to others so they can make you a keyholder)\n"
               "in the data folder, then prints the key id and the file paths.\n"
               "\n"
               "Options:\n"
               "  --name NAME             your name or the machine's, as others will see it\n"
               "  --kdf LEVEL             how hard the passphrase is to guess by force:\n"
               "                          interactive (fast), moderate (default), sensitive\n"
               "                          (slow, needs about 1 GB of memory)\n"
               "  --force                 replace an existing identity (the old key is lost,\n"
               "                          and with it access to cases only it could open)\n"
               "  --passphrase-file FILE  read the passphrase from the first line of FILE\n"
               "                          instead of asking twice on the terminal\n"),
};

/* ---- id show ----------------------------------------------------------- */

/* The base64 key line of a minisign public key file (its second line). */
static char *minisign_key_line(const tamga_pubid *pub)
{
    char *text = NULL;
    if (tamga_pubid_minisign_pubkey(pub, &text) != TAMGA_OK)
        return NULL;
    char *nl = strchr(text, '\n');
    char *line = strdup(nl ? nl + 1 : text);
    free(text);
    if (line != NULL)
        line[strcspn(line, "\r\n")] = '\0';
    return line;
}

static int id_show_run(int argc, char **argv)
{
    int json, status;
    if (!tool_parse_json(argc, argv, 0, NULL, &json, &status))
        return status;

    char *home = NULL;
    tamga_identity *id = NULL;
    if ((status = tool_home_identity(&home, 0, NULL, &id)) != 0)
        return status;
    const tamga_pubid *pub = tamga_identity_get_public(id);
    char keyid[17];
    tamga_keyid_format(pub->keynum, keyid);
    char *age = NULL;
    int rc = tamga_pubid_age_recipient(pub, &age);
    char *mini = rc == TAMGA_OK ? minisign_key_line(pub) : NULL;
    char *secret = tamga_home_secret_path(home);
    char *public = tamga_home_public_path(home);
    if (rc != TAMGA_OK || mini == NULL || secret == NULL || public == NULL) {
        status = tool_fail(rc != TAMGA_OK ? rc : TAMGA_ERR_NOMEM, _("cannot show identity"));
        goto out;
    }
    if (json) {
        json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", pub->name, "key_id", keyid,
                              "age_recipient", age, "minisign_public_key", mini, "secret_key_file",
                              secret, "public_file", public);
        char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
        json_decref(j);
        status = tool_put_json(text);
    } else {
        printf(_("Name:                "));
        tool_put_safe(stdout, pub->name);
        printf("\n");
        printf(_("Key id:              %s\n"), keyid);
        printf(_("Age recipient:       %s\n"), age);
        printf(_("Minisign public key: %s\n"), mini);
        printf(_("Secret key file:     %s\n"), secret);
        printf(_("Public file:         %s\n"), public);
    }
out:
    free(age);
    free(mini);
    free(secret);
    free(public);
    tool_release(home, id, NULL);
    return status;
}

static const tool_command id_show = {
    .name = "show",
    .run = id_show_run,
    .summary = N_("show this machine's identity: name, key id, public keys, files"),
    .usage = "tamga id show [--json]",
    .help = N_("Shows the name, the key id (as minisign prints it), the age recipient\n"
               "(age1...), the minisign public key and where the identity files are.\n"
               "No passphrase is needed.\n"
               "\n"
               "Options:\n"
               "  --json  print a JSON object: name, key_id, age_recipient,\n"
               "          minisign_public_key, secret_key_file, public_file\n"),
};

/* ---- id export --------------------------------------------------------- */

/* The public identity file: identity/public.json if it is intact and matches
 * the secret key; otherwise made anew, which needs the passphrase. */
static int public_file_text(const char *home, tamga_identity *id, const char *passfile, char **out)
{
    *out = NULL;
    const tamga_pubid *mine = tamga_identity_get_public(id);
    char *path = tamga_home_public_path(home);
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = path ? tamga_read_file(path, 64u << 10, &data, &len) : TAMGA_ERR_NOMEM;
    if (rc == TAMGA_OK) {
        tamga_pubid pub;
        rc = tamga_pubid_parse((const char *)data, len, &pub);
        if (rc == TAMGA_OK && (memcmp(pub.keynum, mine->keynum, sizeof pub.keynum) != 0 ||
                               memcmp(pub.sign_pk, mine->sign_pk, sizeof pub.sign_pk) != 0 ||
                               memcmp(pub.enc_pk, mine->enc_pk, sizeof pub.enc_pk) != 0 ||
                               strcmp(pub.name, mine->name) != 0))
            rc = TAMGA_ERR_AUTH;
    }
    if (rc == TAMGA_OK) {
        free(path);
        *out = (char *)data;
        return 0;
    }
    free(data);
    tool_warn(_("%s is missing or does not match the secret key: making it again"),
              path ? path : "public.json");
    free(path);
    if (!tamga_identity_is_unlocked(id)) {
        int status = 0;
        char *pass = NULL;
        size_t passlen = 0;
        status = tool_passphrase_read(passfile, _("Passphrase: "), 0, &pass, &passlen);
        if (status != 0)
            return status;
        rc = tamga_identity_unlock(id, pass, passlen);
        tool_passphrase_free(pass);
        if (rc == TAMGA_ERR_PASSPHRASE)
            return tool_error(_("cannot unlock identity: wrong passphrase"));
        if (rc != TAMGA_OK)
            return tool_fail(rc, _("cannot unlock identity"));
    }
    rc = tamga_pubid_to_json(mine, id, out);
    if (rc != TAMGA_OK)
        return tool_fail(rc, _("cannot make the public identity file"));
    return 0;
}

static int id_export_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"minisign", no_argument, NULL, 'm'},
        {"age", no_argument, NULL, 'a'},
        {"passphrase-file", required_argument, NULL, 'p'},
        TOOL_OPTS_END,
    };
    const char *output = NULL, *passfile = NULL;
    int minisign = 0, age = 0, opt, status;
    while ((opt = tool_getopt(argc, argv, "o:", opts, &status)) > 0) {
        switch (opt) {
        case 'o':
            output = optarg;
            break;
        case 'm':
            minisign = 1;
            break;
        case 'a':
            age = 1;
            break;
        case 'p':
            passfile = optarg;
            break;
        }
    }
    if (opt < 0 || (status = tool_args_none(argc, argv)) != 0)
        return status;
    if (minisign && age)
        return tool_usage_error(_("choose one of --minisign and --age"));

    char *home = NULL;
    tamga_identity *id = NULL;
    if ((status = tool_home_identity(&home, 0, NULL, &id)) != 0)
        return status;
    if (output != NULL && tamga_file_exists(output)) {
        status = tool_error(_("cannot write %s: it already exists: not overwriting it"), output);
        goto out_early;
    }
    const tamga_pubid *pub = tamga_identity_get_public(id);
    char *text = NULL;
    int rc = TAMGA_OK;
    if (minisign) {
        rc = tamga_pubid_minisign_pubkey(pub, &text);
    } else if (age) {
        char *rcpt = NULL;
        rc = tamga_pubid_age_recipient(pub, &rcpt);
        if (rc == TAMGA_OK) {
            size_t n = strlen(rcpt) + 2;
            text = malloc(n);
            if (text == NULL)
                rc = TAMGA_ERR_NOMEM;
            else
                snprintf(text, n, "%s\n", rcpt);
        }
        free(rcpt);
    } else {
        status = public_file_text(home, id, passfile, &text);
        if (status != 0)
            goto out_early;
    }
    if (rc != TAMGA_OK) {
        status = tool_fail(rc, _("cannot export the public key"));
        free(text);
        goto out_early;
    }
    size_t len = strlen(text);
    if (output == NULL) {
        fwrite(text, 1, len, stdout);
    } else {
        rc = tamga_write_atomic(output, text, len, 0644, 0);
        if (rc != TAMGA_OK) {
            char what[1100];
            snprintf(what, sizeof what, _("cannot write %s"), output);
            status = tool_fail(rc, what);
        }
    }
    free(text);
out_early:
    tool_release(home, id, NULL);
    return status;
}

static const tool_command id_export = {
    .name = "export",
    .run = id_export_run,
    .summary = N_("write the public identity file, or the public keys for minisign or age"),
    .usage = "tamga id export [-o FILE] [--minisign | --age] [--passphrase-file FILE]",
    .help = N_("Writes what others need to know about this identity. Nothing secret is\n"
               "ever exported.\n"
               "\n"
               "Options:\n"
               "  -o, --output FILE  write to FILE (never overwritten) instead of the screen\n"
               "  --minisign         the minisign public key file, to check signatures with\n"
               "                     `minisign -V -p FILE -m ...`\n"
               "  --age              the age recipient line (age1...), to encrypt to this\n"
               "                     identity with `age -r`\n"
               "  --passphrase-file FILE  only needed if identity/public.json has to be\n"
               "                     made again (it was deleted or damaged)\n"
               "\n"
               "Without --minisign or --age: the public identity file (JSON). Give it to a\n"
               "case creator so they can make you a keyholder (--keyholder FILE).\n"),
};

/* ---- id export-secret ------------------------------------------------- */

static int id_export_secret_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"age", no_argument, NULL, 'a'},
        {"passphrase-file", required_argument, NULL, 'p'},
        TOOL_OPTS_END,
    };
    const char *passfile = NULL;
    int age = 0, opt, status;
    while ((opt = tool_getopt(argc, argv, "", opts, &status)) > 0) {
        switch (opt) {
        case 'a':
            age = 1;
            break;
        case 'p':
            passfile = optarg;
            break;
        }
    }
    if (opt < 0 || (status = tool_args_none(argc, argv)) != 0)
        return status;
    if (!age)
        return tool_usage_error(_("say which secret key to export: --age"));

    char *home = NULL;
    tamga_identity *id = NULL;
    if ((status = tool_home_identity(&home, 1, passfile, &id)) != 0)
        return status;
    free(home);
    uint8_t *sk = sodium_malloc(TAMGA_ENC_SK_BYTES);
    char *text = NULL;
    int rc = sk == NULL ? TAMGA_ERR_NOMEM : tamga_identity_enc_secret(id, sk);
    if (rc == TAMGA_OK)
        rc = tamga_age_identity_format(sk, &text);
    sodium_free(sk);
    tamga_identity_free(id);
    if (rc != TAMGA_OK)
        return tool_fail(rc, _("cannot export the secret key"));
    tool_warn(_("this is your SECRET key: anyone who has it can open every case made for you"));
    printf("%s\n", text);
    fflush(stdout);
    sodium_free(text);
    return 0;
}

static const tool_command id_export_secret = {
    .name = "export-secret",
    .run = id_export_secret_run,
    .summary = N_("print the secret key as an age identity (AGE-SECRET-KEY-1...)"),
    .usage = "tamga id export-secret --age [--passphrase-file FILE]",
    .help = N_("After your passphrase, prints this identity's encryption key as an age\n"
               "identity, so a partner's stock `age -d -i KEYFILE` can open what was\n"
               "encrypted to your age recipient. Keep it secret: anyone holding it can\n"
               "open every case and bundle made for you. A warning goes to stderr.\n"
               "\n"
               "Options:\n"
               "  --age                   the age identity (the only secret key exported)\n"
               "  --passphrase-file FILE  read the passphrase from FILE\n"
               "\n"
               "Example: age -d -i <(tamga id export-secret --age) bundle.age | tar -x\n"),
};

/* ---- id import --------------------------------------------------------- */

static int id_import_run(int argc, char **argv)
{
    const char *passfile;
    int status;
    if (!tool_parse_passfile(argc, argv, 1, _("which secret key file? tamga id import FILE"),
                             &passfile, &status))
        return status;
    const char *src = argv[optind];
    char *home = NULL;
    status = tool_home(&home);
    if (status != 0)
        return status;
    char *pass = NULL;
    size_t passlen = 0;
    tamga_identity *id = NULL;
    if (tool_identity_exists(home)) {
        status = tool_error(_("an identity already exists in %s: not replacing it"), home);
        goto out;
    }
    status = tool_passphrase_read(passfile, _("Passphrase of the key file: "), 0, &pass, &passlen);
    if (status != 0)
        goto out;
    int rc = tamga_identity_import(home, src, pass, passlen, &id);
    if (rc != TAMGA_OK) {
        status = tool_fail(rc, _("cannot import the identity"));
        goto out;
    }
    put_identity(_("Imported identity of "), id);
    status = 0;
out:
    tool_passphrase_free(pass);
    tool_release(home, id, NULL);
    return status;
}

static const tool_command id_import = {
    .name = "import",
    .run = id_import_run,
    .summary = N_("use an existing secret key file as this machine's identity"),
    .usage = "tamga id import SECRET-KEY-FILE [--passphrase-file FILE]",
    .help = N_("Makes a secret key file kept from another computer or a backup (its\n"
               "identity/secret.key) the identity of this data folder, after its passphrase\n"
               "opens it. The file is copied as it is (same passphrase); public.json is made\n"
               "again. An existing identity is never replaced.\n"
               "\n"
               "Options:\n"
               "  --passphrase-file FILE  read the key file's passphrase from FILE\n"),
};

/* ---- id ---------------------------------------------------------------- */

static const tool_command *const id_subs[] = {&id_new,    &id_import,        &id_show,
                                              &id_export, &id_export_secret, NULL};

const tool_command tool_cmd_id = {
    .name = "id",
    .run = NULL,
    .summary = N_("create, import, show or export this machine's identity"),
    .usage = "tamga id new --name NAME [OPTIONS]\n"
             "tamga id import SECRET-KEY-FILE\n"
             "tamga id show [--json]\n"
             "tamga id export [-o FILE] [--minisign | --age]\n"
             "tamga id export-secret --age",
    .help = N_("An identity is a pair of keys: one signs what you record (it works with\n"
               "minisign), one lets cases be opened for you (it works with age). The secret\n"
               "half is protected by your passphrase.\n"),
    .subs = id_subs,
};
