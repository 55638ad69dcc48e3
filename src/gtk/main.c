/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga-recorder: the desktop app. Environment:
 *   TAMGA_HOME             the data folder (as for the CLI)
 *   TAMGA_LOCALEDIR        where the translations are (default: the installed ones)
 *   TAMGA_PASSPHRASE_FILE  unlock with the first line of this file instead of
 *                          asking — for tests and kiosk scripts only: anyone who
 *                          can read the file can sign as this identity.
 * The language chosen in Preferences (ui/language in
 * $XDG_CONFIG_HOME/tamga/recorder.ini) overrides the system's. */
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "tamga-application.h"
#include "tamga-settings.h"

/* Applies the saved language before anything is translated: gettext (ours
 * and GTK's, which sets the text direction: Uyghur is right-to-left) follows
 * LANGUAGE — except in the "C"/"POSIX" locale, where glibc ignores it; there
 * messages switch to C.UTF-8 (built into glibc), which honours it. */
static const char *apply_language(void)
{
    tamga_settings_load();
    const char *lang = tamga_settings_get_language();
    if (lang[0] != '\0')
        g_setenv("LANGUAGE", lang, TRUE);
    setlocale(LC_ALL, "");
    if (lang[0] != '\0') {
        const char *messages = setlocale(LC_MESSAGES, NULL);
        if (messages == NULL || strcmp(messages, "C") == 0 || strcmp(messages, "POSIX") == 0) {
            setlocale(LC_MESSAGES, "C.UTF-8");
            setlocale(LC_CTYPE, "C.UTF-8");
        }
    }
    return lang[0] != '\0' ? lang : "system";
}

int main(int argc, char **argv)
{
    const char *lang = apply_language();
    const char *localedir = g_getenv("TAMGA_LOCALEDIR");
    bindtextdomain(GETTEXT_PACKAGE, localedir && localedir[0] ? localedir : TAMGA_LOCALEDIR);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    textdomain(GETTEXT_PACKAGE);

    if (tamga_init() != TAMGA_OK) {
        fprintf(stderr, "tamga-recorder: %s\n", _("cannot initialise the crypto library"));
        return 1;
    }
    g_info("language: %s", lang);
    g_set_application_name(_("Tamga Recorder"));
    g_autoptr(TamgaApplication) app = tamga_application_new();
    return g_application_run(G_APPLICATION(app), argc, argv);
}
