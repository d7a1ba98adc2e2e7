/* gh-test-gateway.c — a real gatehoused for the tests: `gatehoused init` under the
 * build directory on free loopback ports, the daemon started on that setup and killed
 * with the test process (PR_SET_PDEATHSIG), whatever ends it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>

#include "gh-test-gateway.h"

/* How long the daemon may take to listen on both ports. */
#define START_SECONDS 15

/* Ports */

static guint
ephemeral_low (void)
{
  g_autofree char *range = NULL;
  guint64 low;

  if (!g_file_get_contents ("/proc/sys/net/ipv4/ip_local_port_range", &range, NULL, NULL) ||
      (low = g_ascii_strtoull (range, NULL, 10)) < 11000 || low > 65535)
    return 32768;
  return (guint) low;
}

/* A loopback port nobody is bound to now, at random below the kernel's ephemeral
 * range: a port from bind(0) is an ephemeral one, which outgoing connections of the
 * tests running beside this one may take before the daemon binds it. Never the same
 * port twice in one process (the test's ports are taken before anything listens). */
guint16
gh_test_free_port (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  guint high = ephemeral_low ();
  /* Seeded from /dev/urandom: two test programs started in the same run (whose
   * g_random may be seeded alike by g_test_init()) still pick apart. */
  g_autoptr(GRand) rand = g_rand_new ();
  static GHashTable *handed_out;

  if (handed_out == NULL)
    handed_out = g_hash_table_new (NULL, NULL);

  for (guint tries = 0; tries < 1000; tries++)
    {
      guint16 port = (guint16) g_rand_int_range (rand, 10000, (gint32) high);
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

      g_assert_no_error (error);
      if (g_hash_table_contains (handed_out, GUINT_TO_POINTER (port)) ||
          !g_socket_bind (socket, address, FALSE, NULL))
        continue;
      g_hash_table_add (handed_out, GUINT_TO_POINTER (port));
      return port;
    }
  g_error ("no free loopback port below the ephemeral range");
}

gboolean
gh_test_port_accepts (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  return connection != NULL;
}

static gboolean
port_in (guint16        port,
         const guint16 *ports,
         gsize          n_ports)
{
  for (gsize i = 0; i < n_ports; i++)
    if (ports[i] == port)
      return TRUE;
  return FALSE;
}

/* Files */

void
gh_test_remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        gh_test_remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* Children */

/* In the child, between fork and exec (async-signal-safe calls only): SIGKILL when
 * the thread that spawned it ends, and at once if the test is already gone. The
 * spawning thread is the test's main thread, which lives as long as the test. */
static void
die_with_parent (gpointer user_data)
{
  pid_t parent = (pid_t) GPOINTER_TO_INT (user_data);

  if (prctl (PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid () != parent)
    _exit (127);
}

static GSubprocessLauncher *
new_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, GINT_TO_POINTER ((int) getpid ()), NULL);
  return launcher;
}

/* The gateway */

/* The test's thread holds the default main context for the whole run, as
 * g_application_run() does in the app. Otherwise, between two iterations of a wait,
 * another thread may take it: glib-networking's handshake thread runs
 * GTlsInteraction's request-certificate (libsoup's, for a client certificate) by
 * iterating the interaction's context itself when nobody owns it, and so dispatches
 * the test's sources, GTK's layout among them, on the wrong thread. */
static void
hold_main_context (void)
{
  static gboolean held;

  if (!held)
    held = g_main_context_acquire (NULL);
  g_assert_true (held);
}

GhTestGateway *
gh_test_gateway_new (const char *subdir_prefix)
{
  return gh_test_gateway_new_full (subdir_prefix, NULL, 0);
}

/* Like gh_test_gateway_new(), with ports that neither listener may take (ones this
 * process holds, for instance). */
GhTestGateway *
gh_test_gateway_new_full (const char    *subdir_prefix,
                          const guint16 *avoid_ports,
                          gsize          n_avoid_ports)
{
  GhTestGateway *self = g_new0 (GhTestGateway, 1);
  const char *build_root = g_getenv ("GATEHOUSE_BUILD_ROOT");
  g_autofree char *prefix = NULL;
  g_autofree char *template = NULL;
  g_autofree char *port = NULL, *admin_port = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) init = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_nonnull (build_root);
  g_assert_nonnull (subdir_prefix);
  hold_main_context ();
  prefix = g_strconcat (subdir_prefix, "-XXXXXX", NULL);
  template = g_build_filename (build_root, "tests", prefix, NULL);
  self->dir = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (self->dir);
  self->gatehoused = g_build_filename (build_root, "src", "gateway", "gatehoused", NULL);
  self->config_path = g_build_filename (self->dir, "gatehoused.json", NULL);
  self->password_path = g_build_filename (self->dir, "gatehouse-admin.pw", NULL);
  self->identity_path = g_build_filename (self->dir, "gatehouse-admin.p12", NULL);

  do
    self->port = gh_test_free_port ();
  while (port_in (self->port, avoid_ports, n_avoid_ports));
  do
    self->admin_port = gh_test_free_port ();
  while (self->admin_port == self->port || port_in (self->admin_port, avoid_ports, n_avoid_ports));
  port = g_strdup_printf ("%u", self->port);
  admin_port = g_strdup_printf ("%u", self->admin_port);
  self->admin_url = g_strdup_printf ("https://127.0.0.1:%u", self->admin_port);

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  init = g_subprocess_launcher_spawn (launcher, &error, self->gatehoused, "init", "--dir", self->dir,
                                      "--port", port, "--admin-port", admin_port, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (init, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (init))
    g_error ("gatehoused init failed:\n%s%s", out, err);

  /* "admin certificate SHA-256 fingerprint, …:\n    AB:CD:…" */
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "SHA-256 fingerprint") != NULL && lines[i + 1] != NULL)
      {
        g_free (self->fingerprint);
        self->fingerprint = g_strstrip (g_strdup (lines[i + 1]));
      }
  g_assert_nonnull (self->fingerprint);
  g_assert_cmpuint (strlen (self->fingerprint), ==, 95);

  g_file_get_contents (self->password_path, &self->password, NULL, &error);
  g_assert_no_error (error);
  g_strchomp (self->password);

  return self;
}

/* Spawns `gatehoused --config` (its output in <dir>/gatehoused.log) and waits until
 * both ports accept; fails with the log if the daemon dies or does not listen in time. */
void
gh_test_gateway_start (GhTestGateway *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = g_build_filename (self->dir, "gatehoused.log", NULL);
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (G_SUBPROCESS_FLAGS_NONE);
  gint64 deadline = g_get_monotonic_time () + START_SECONDS * G_USEC_PER_SEC;

  g_assert_null (self->daemon);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  self->daemon = g_subprocess_launcher_spawn (launcher, &error, self->gatehoused, "--config", self->config_path, NULL);
  g_assert_no_error (error);

  while (!(gh_test_port_accepts (self->admin_port) && gh_test_port_accepts (self->port)))
    {
      /* No identifier: the daemon is gone (reaped by GLib's worker thread). */
      gboolean exited = g_subprocess_get_identifier (self->daemon) == NULL;

      if (exited || g_get_monotonic_time () > deadline)
        {
          g_autofree char *text = NULL;

          g_file_get_contents (log, &text, NULL, NULL);
          g_error ("gatehoused %s:\n%s", exited ? "exited before listening" : "did not start listening",
                   text != NULL ? text : "");
        }
      g_usleep (50 * 1000);
    }
}

/* SIGKILLs the daemon and reaps it; nothing when it is not running. */
void
gh_test_gateway_kill (GhTestGateway *self)
{
  g_autoptr(GError) error = NULL;

  if (self->daemon == NULL)
    return;

  g_subprocess_send_signal (self->daemon, SIGKILL);
  g_subprocess_wait (self->daemon, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&self->daemon);
}

/* Kills the daemon and removes the directory (unless keep_dir). */
void
gh_test_gateway_free (GhTestGateway *self)
{
  if (self == NULL)
    return;

  gh_test_gateway_kill (self);
  if (!self->keep_dir)
    gh_test_remove_dir (self->dir);
  g_free (self->dir);
  g_free (self->gatehoused);
  g_free (self->config_path);
  g_free (self->fingerprint);
  g_free (self->password);
  g_free (self->password_path);
  g_free (self->identity_path);
  g_free (self->admin_url);
  g_free (self);
}

/* WebSocket clients */

static void
on_ws_message (SoupWebsocketConnection *connection,
               gint                     type,
               GBytes                  *message,
               gpointer                 user_data)
{
  GhTestWsClient *client = user_data;
  gsize length;
  const char *data = g_bytes_get_data (message, &length);

  client->n_received++;
  g_string_append_len (client->received, data, length);
}

static void
on_ws_connected (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GhTestWsClient *client = user_data;

  client->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &client->error);
  if (client->connection != NULL)
    g_signal_connect (client->connection, "message", G_CALLBACK (on_ws_message), client);
  client->done = TRUE;
}

/* Connects to wss://localhost:<port><path>, trusting <dir>/ca.pem, and iterates the main
 * context until the handshake ends (failing after @timeout_seconds). Whether it
 * succeeded is the caller's to check: client->error. */
GhTestWsClient *
gh_test_ws_client_new (GhTestGateway *gateway,
                       const char    *path,
                       guint          timeout_seconds)
{
  return gh_test_ws_client_new_with_certificate (gateway, path, NULL, timeout_seconds);
}

GhTestWsClient *
gh_test_ws_client_new_with_certificate (GhTestGateway   *gateway,
                                        const char      *path,
                                        GTlsCertificate *certificate,
                                        guint            timeout_seconds)
{
  GhTestWsClient *client = g_new0 (GhTestWsClient, 1);
  g_autofree char *ca = g_build_filename (gateway->dir, "ca.pem", NULL);
  g_autofree char *url = g_strdup_printf ("wss://localhost:%u%s", gateway->port, path);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  database = g_tls_file_database_new (ca, &error);
  g_assert_no_error (error);
  client->received = g_string_new (NULL);
  client->session = soup_session_new ();
  soup_session_set_tls_database (client->session, database);

  message = soup_message_new ("GET", url);
  if (certificate != NULL)
    soup_message_set_tls_client_certificate (message, certificate);
  soup_session_websocket_connect_async (client->session, message, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_ws_connected, client);
  GH_TEST_WAIT_FOR (timeout_seconds, client->done, "the WebSocket handshake");

  return client;
}

/* Closes the connection if open (waiting for the close to complete) and frees @client. */
void
gh_test_ws_client_free (GhTestWsClient *client,
                        guint           timeout_seconds)
{
  if (client->connection != NULL &&
      soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      GH_TEST_WAIT_FOR (timeout_seconds,
                        soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_CLOSED,
                        "the WebSocket to close");
    }
  g_clear_object (&client->connection);
  g_clear_object (&client->session);
  g_clear_error (&client->error);
  g_string_free (client->received, TRUE);
  g_free (client);
}

/* Main-context helpers */

/* A timeout's callback: sets the gboolean at @user_data. */
gboolean
gh_test_on_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* A GAsyncReadyCallback: keeps a reference to @result in the GAsyncResult * at @user_data. */
void
gh_test_on_result (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Dispatches what is pending on the default main context, without blocking. */
void
gh_test_drain (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}
