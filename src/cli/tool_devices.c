/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga devices: the audio inputs and outputs this computer has. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tool.h"
#include "util.h"

static int devices_json(const tamga_audio_device *d, size_t n)
{
    json_t *arr = json_array();
    if (arr == NULL)
        return tool_fail(TAMGA_ERR_NOMEM, _("cannot list audio devices"));
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_pack("{s:i, s:s, s:s, s:i, s:i, s:f, s:b, s:b}", "index", d[i].index,
                              "name", d[i].name, "host_api", d[i].host_api, "input_channels",
                              d[i].max_input_channels, "output_channels", d[i].max_output_channels,
                              "default_rate", d[i].default_rate, "default_input",
                              d[i].is_default_input, "default_output", d[i].is_default_output);
        if (o == NULL || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            return tool_fail(TAMGA_ERR_NOMEM, _("cannot list audio devices"));
        }
    }
    char *text = json_dumps(arr, JSON_INDENT(2) | JSON_ENSURE_ASCII);
    json_decref(arr);
    return tool_put_json(text);
}

static void devices_section(const tamga_audio_device *d, size_t n, int inputs)
{
    printf(inputs ? _("Inputs (record with --device INDEX or a part of the name):\n")
                  : _("Outputs (play with --device INDEX or a part of the name):\n"));
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        int ch = inputs ? d[i].max_input_channels : d[i].max_output_channels;
        if (ch <= 0)
            continue;
        int dflt = inputs ? d[i].is_default_input : d[i].is_default_output;
        printf("  %c %3d  ", dflt ? '*' : ' ', d[i].index);
        tool_put_safe(stdout, d[i].name);
        printf("  (");
        tool_put_safe(stdout, d[i].host_api);
        printf(_(", %d channel%s, %.0f Hz)\n"), ch, ch == 1 ? "" : "s", d[i].default_rate);
        any = 1;
    }
    if (!any)
        printf(_("  (none)\n"));
}

static int devices_run(int argc, char **argv)
{
    int json, status;
    if (!tool_parse_json(argc, argv, 0, NULL, &json, &status))
        return status;

    tamga_audio_device *list = NULL;
    size_t n = 0;
    int rc = tamga_audio_devices(&list, &n);
    if (rc != TAMGA_OK)
        return tool_fail(rc, _("cannot list audio devices"));
    if (json) {
        status = devices_json(list, n);
    } else {
        devices_section(list, n, 1);
        printf("\n");
        devices_section(list, n, 0);
        printf(_("\n* = the default device\n"));
        status = 0;
    }
    free(list);
    return status;
}

const tool_command tool_cmd_devices = {
    .name = "devices",
    .run = devices_run,
    .summary = N_("list the audio inputs and outputs of this computer"),
    .usage = "tamga devices [--json]",
    .help = N_("Lists the microphones and other inputs tamga can record from, and the\n"
               "outputs it can play to: index, name, audio system, channels and usual\n"
               "sample rate. `*` marks the default. Give the index or a part of the name\n"
               "to `tamga record --device` or `tamga play --device`.\n"
               "\n"
               "Options:\n"
               "  --json  print an array of objects: index, name, host_api,\n"
               "          input_channels, output_channels, default_rate, default_input,\n"
               "          default_output\n"),
};
