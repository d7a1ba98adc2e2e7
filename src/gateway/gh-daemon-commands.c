/* gh-daemon-commands.c — the command line of gatehoused
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-daemon-commands"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-daemon-commands.h"

static char *opt_config;
static gboolean opt_check;
static char *opt_init_dir;
static char *opt_init_hostname;
static gboolean opt_init_force;

static const GOptionEntry serve_options[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
    N_("Serve the gateway that the JSON configuration FILE describes"), N_("FILE") },
  { "check", 0, 0, G_OPTION_ARG_NONE, &opt_check,
    N_("Validate the configuration, its keystore and truststore, then exit"), NULL },
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry init_options[] = {
  { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &opt_init_dir,
    N_("Create the setup in DIR (created if missing)"), N_("DIR") },
  { "hostname", 0, 0, G_OPTION_ARG_STRING, &opt_init_hostname,
    N_("Host name of the gateway's certificate (default: localhost)"), N_("NAME") },
  { "force", 0, 0, G_OPTION_ARG_NONE, &opt_init_force,
    N_("Replace an existing setup in DIR"), NULL },
  G_OPTION_ENTRY_NULL
};

static gboolean
serve (const GhCommand  *command,
       int               argc,
       char            **argv,
       GError          **error)
{
  if (argc > 1)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("“%s” is not a command of gatehoused"), argv[1]);
      return FALSE;
    }

  if (opt_config == NULL)
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                           _("no configuration: give one with --config FILE "
                             "(“gatehoused init --dir DIR” creates one)"));
      return FALSE;
    }

  g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_UNAVAILABLE,
               _("serving a configuration is not available in Gatehouse %s yet"),
               PACKAGE_VERSION);
  return FALSE;
}

static const GhCommand daemon_subcommands[] = {
  { "init", NULL,
    N_("Create a working setup: configuration, keystore, admin CA and admin identity"),
    N_("Prints the admin URL and the fingerprint of the admin certificate to pin."),
    init_options, NULL, NULL },
  { NULL }
};

static const GhCommand daemon_command = {
  "gatehoused", NULL,
  N_("The Gatehouse TLS/WebSocket gateway."),
  N_("Without a command, gatehoused serves the configuration given with --config.\n"
     "SIGHUP reloads the configuration, keystore and truststore; SIGTERM drains and stops.\n"
     "\n"
     "Exit status: 0 success, 1 failure, 2 usage error, 69 not available in this version."),
  serve_options, serve, daemon_subcommands,
};

const GhCommand *
gh_daemon_get_command (void)
{
  return &daemon_command;
}
