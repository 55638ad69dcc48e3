/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga-recorder: the desktop app. Environment:
 *   TAMGA_HOME             the data folder (as for the CLI)
 *   TAMGA_LOCALEDIR        where the translations are (default: the installed ones)
 *   TAMGA_PASSPHRASE_FILE  unlock with the first line of this file instead of
 *                          asking — for tests and kiosk scripts only: anyone who
 *                          can read the file can sign as this identity. */
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "tamga-application.h"

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    const char *localedir = g_getenv("TAMGA_LOCALEDIR");
    bindtextdomain(GETTEXT_PACKAGE, localedir && localedir[0] ? localedir : TAMGA_LOCALEDIR);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    textdomain(GETTEXT_PACKAGE);

    if (tamga_init() != TAMGA_OK) {
        fprintf(stderr, "tamga-recorder: %s\n", _("cannot initialise the crypto library"));
        return 1;
    }
    g_set_application_name(_("Tamga Recorder"));
    g_autoptr(TamgaApplication) app = tamga_application_new();
    return g_application_run(G_APPLICATION(app), argc, argv);
}
