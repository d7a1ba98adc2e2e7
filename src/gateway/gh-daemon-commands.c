/* gh-daemon-commands.c — the command line of gatehoused
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gatehoused"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-server.h"
#include "gh-daemon-commands.h"
#include "gh-gateway.h"
#include "gh-workers.h"
#include "gh-gateway-init.h"

#include <signal.h>
#include <glib-unix.h>

#define DRAIN_SECONDS 30

static char *opt_config;
static char *opt_state_dir;
static gboolean opt_check;
static int opt_workers = G_MININT;  /* unset */
static char *opt_init_dir;
static char *opt_init_hostname;
static gboolean opt_init_force;
static int opt_init_port;
static int opt_init_admin_port;

static const GOptionEntry serve_options[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
    N_("Serve the gateway that the JSON configuration FILE describes"), N_("FILE") },
  { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_state_dir,
    N_("Keep the configuration history and the audit log in DIR (default: the configuration's directory)"), N_("DIR") },
  { "check", 0, 0, G_OPTION_ARG_NONE, &opt_check,
    N_("Validate the configuration, its keystore and truststore, then exit"), NULL },
  { "workers", 0, 0, G_OPTION_ARG_INT, &opt_workers,
    N_("Run the sessions on N threads (default: one per processor; 0: on the main thread)"), N_("N") },
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry init_options[] = {
  { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &opt_init_dir,
    N_("Create the setup in DIR (created if missing)"), N_("DIR") },
  { "hostname", 0, 0, G_OPTION_ARG_STRING, &opt_init_hostname,
    N_("Host name of the gateway's certificate (default: localhost)"), N_("NAME") },
  { "force", 0, 0, G_OPTION_ARG_NONE, &opt_init_force,
    N_("Replace an existing setup in DIR"), NULL },
  { "port", 0, 0, G_OPTION_ARG_INT, &opt_init_port,
    N_("Port of the echo service (default: 8443)"), N_("PORT") },
  { "admin-port", 0, 0, G_OPTION_ARG_INT, &opt_init_admin_port,
    N_("Port of the admin API (default: 9443)"), N_("PORT") },
  G_OPTION_ENTRY_NULL
};

typedef struct {
  GhGateway *gateway;
  GhAdminServer *admin;
  GMainLoop *loop;
  guint      drain_source;
  gboolean   stopping;
} Daemon;

static void
on_reloaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gh_gateway_reload_finish (GH_GATEWAY (source), result, &error))
    g_message ("reload refused, nothing changed: %s", error->message);
}

static gboolean
on_sighup (gpointer user_data)
{
  Daemon *daemon = user_data;

  g_message ("reloading");
  gh_gateway_reload_async (daemon->gateway, on_reloaded, NULL);
  return G_SOURCE_CONTINUE;
}

static void
quit_when_drained (Daemon *daemon)
{
  if (daemon->stopping &&
      g_list_model_get_n_items (G_LIST_MODEL (gh_gateway_get_sessions (daemon->gateway))) == 0)
    g_main_loop_quit (daemon->loop);
}

static void
on_sessions_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     gpointer    user_data)
{
  quit_when_drained (user_data);
}

static gboolean
on_drain_timeout (gpointer user_data)
{
  Daemon *daemon = user_data;

  daemon->drain_source = 0;
  g_message ("closing the sessions still open after %d s", DRAIN_SECONDS);
  gh_gateway_close_sessions (daemon->gateway, _("the gateway is stopping"));
  /* Whatever did not close by now is cut. */
  g_timeout_add_seconds (2, G_SOURCE_FUNC (g_main_loop_quit), daemon->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_sigterm (gpointer user_data)
{
  Daemon *daemon = user_data;

  if (daemon->stopping)
    {
      g_main_loop_quit (daemon->loop);
      return G_SOURCE_CONTINUE;
    }

  daemon->stopping = TRUE;
  g_message ("stopping: no new connections; waiting up to %d s for %u sessions",
             DRAIN_SECONDS, g_list_model_get_n_items (G_LIST_MODEL (gh_gateway_get_sessions (daemon->gateway))));
  gh_gateway_stop_accepting (daemon->gateway);
  gh_admin_server_stop (daemon->admin);
  daemon->drain_source = g_timeout_add_seconds (DRAIN_SECONDS, on_drain_timeout, daemon);
  quit_when_drained (daemon);
  return G_SOURCE_CONTINUE;
}

static void
drop_message (const gchar    *log_domain,
              GLogLevelFlags  log_level,
              const gchar    *message,
              gpointer        user_data)
{
}

static gboolean
serve (const GhCommand  *command,
       int               argc,
       char            **argv,
       GError          **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) local_error = NULL;
  Daemon daemon = { 0 };
  guint signal_sources[3];

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

  file = g_file_new_for_commandline_arg (opt_config);

  if (opt_check)
    {
      if (!gh_gateway_check (file, &local_error))
        {
          g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, local_error->message);
          return FALSE;
        }
      g_print (_("%s: the configuration, its keystore and truststore are valid\n"), opt_config);
      return TRUE;
    }

  if (opt_workers != G_MININT && (opt_workers < 0 || opt_workers > GH_WORKERS_MAX))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("--workers takes 0 to %d, not %d"), GH_WORKERS_MAX, opt_workers);
      return FALSE;
    }
  if (opt_workers != G_MININT)
    gh_workers_set_default_count (opt_workers);

  /* A peer that went away is an error on that connection, not a signal. */
  signal (SIGPIPE, SIG_IGN);

  /* libsoup logs every WebSocket frame at debug level, and GLib routes each message to
   * the structured writer before that drops it: 2 % of the data plane's CPU (#13).
   * Unless G_MESSAGES_DEBUG asks for libsoup's messages, they stop here. */
  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, "libsoup"))
    g_log_set_handler ("libsoup", G_LOG_LEVEL_DEBUG, drop_message, NULL);

  daemon.gateway = gh_gateway_new (file);
  if (opt_state_dir != NULL)
    {
      g_autoptr(GFile) state_directory = g_file_new_for_commandline_arg (opt_state_dir);
      gh_gateway_set_state_directory (daemon.gateway, state_directory);
    }
  if (!gh_gateway_start (daemon.gateway, &local_error))
    {
      g_clear_object (&daemon.gateway);
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, local_error->message);
      return FALSE;
    }

  daemon.admin = gh_admin_server_new (daemon.gateway);
  if (!gh_admin_server_start (daemon.admin, &local_error))
    {
      g_clear_object (&daemon.admin);
      g_clear_object (&daemon.gateway);
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, local_error->message);
      return FALSE;
    }

  daemon.loop = g_main_loop_new (NULL, FALSE);
  signal_sources[0] = g_unix_signal_add (SIGHUP, on_sighup, &daemon);
  signal_sources[1] = g_unix_signal_add (SIGTERM, on_sigterm, &daemon);
  signal_sources[2] = g_unix_signal_add (SIGINT, on_sigterm, &daemon);
  g_signal_connect (gh_gateway_get_sessions (daemon.gateway), "items-changed",
                    G_CALLBACK (on_sessions_changed), &daemon);

  g_message ("gatehoused %s serving %s", PACKAGE_VERSION, opt_config);
  g_main_loop_run (daemon.loop);
  g_message ("stopped");

  for (guint i = 0; i < G_N_ELEMENTS (signal_sources); i++)
    g_source_remove (signal_sources[i]);
  g_clear_handle_id (&daemon.drain_source, g_source_remove);
  g_signal_handlers_disconnect_by_data (gh_gateway_get_sessions (daemon.gateway), &daemon);
  g_clear_object (&daemon.admin);
  g_clear_object (&daemon.gateway);
  g_main_loop_unref (daemon.loop);
  return TRUE;
}

static gboolean
init (const GhCommand  *command,
      int               argc,
      char            **argv,
      GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFile) dir = NULL;
  GhGatewayInitOptions options = { 0 };

  if (argc > 1)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE, _("unexpected argument “%s”"), argv[1]);
      return FALSE;
    }
  if (opt_init_dir == NULL)
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE, _("where? Give --dir DIR"));
      return FALSE;
    }
  if (opt_init_port < 0 || opt_init_port > 65535 || opt_init_admin_port < 0 || opt_init_admin_port > 65535)
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE, _("ports are from 1 to 65535"));
      return FALSE;
    }

  dir = g_file_new_for_commandline_arg (opt_init_dir);
  options.hostname = opt_init_hostname ? opt_init_hostname : "localhost";
  options.port = opt_init_port ? opt_init_port : 8443;
  options.admin_port = opt_init_admin_port ? opt_init_admin_port : 9443;
  options.force = opt_init_force;

  if (!gh_gateway_init_directory (dir, &options, &local_error))
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static const GhCommand daemon_subcommands[] = {
  { "init", NULL,
    N_("Create a working setup: configuration, keystore, admin CA and admin identity"),
    N_("Prints the admin URL and the fingerprint of the admin certificate to pin."),
    init_options, init, NULL },
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
