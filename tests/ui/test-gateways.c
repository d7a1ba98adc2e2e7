/* test-gateways.c — adding a gateway, its connection and the Overview, against the real
 * gatehoused: a setup made by `gatehoused init` under the build directory, the daemon
 * on free loopback ports; the add-gateway dialog's messages (wrong password, not an
 * identity, missing file, unreachable), the fingerprint of first contact, Trust and
 * Add reaching CONNECTED, the Overview's version and live session count with a real
 * WebSocket client, the daemon killed (stale, banner, reconnecting/unreachable) and
 * started again (live again), the command line, and accessible names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <adwaita.h>

#include "gh-add-gateway-dialog.h"
#include "gh-application.h"
#include "gh-gateway-connection.h"
#include "gh-gateway-list.h"
#include "gh-overview-page.h"
#include "gh-window.h"

#define TIMEOUT_SECONDS 40

typedef struct {
  char        *dir;
  char        *gatehoused;
  char        *config_path;
  char        *fingerprint;   /* as init printed it */
  char        *password;
  char        *p12_path;
  char        *pw_path;
  guint16      port;          /* the echo service */
  guint16      admin_port;
  char        *admin_url;
  GSubprocess *daemon;
} Setup;

static Setup setup;

/* Helpers */

static guint16
free_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
on_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

#define WAIT_FOR(condition, what) \
  G_STMT_START { \
    gboolean timed_out_ = FALSE; \
    guint timeout_id_ = g_timeout_add_seconds (TIMEOUT_SECONDS, on_timeout, &timed_out_); \
    while (!(condition) && !timed_out_) \
      g_main_context_iteration (NULL, TRUE); \
    if (!timed_out_) \
      g_source_remove (timeout_id_); \
    if (!(condition)) \
      g_error ("timed out waiting for %s", what); \
  } G_STMT_END

static void
drain_main_context (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
port_accepts (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  return connection != NULL;
}

static void
start_daemon (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = g_build_filename (setup.dir, "gatehoused.log", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  setup.daemon = g_subprocess_launcher_spawn (launcher, &error, setup.gatehoused, "--config", setup.config_path, NULL);
  g_assert_no_error (error);

  while (!(port_accepts (setup.admin_port) && port_accepts (setup.port)))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_autofree char *text = NULL;

          g_file_get_contents (log, &text, NULL, NULL);
          g_error ("gatehoused did not start listening:\n%s", text != NULL ? text : "");
        }
      if (g_subprocess_get_identifier (setup.daemon) == NULL)
        deadline = 0;
      g_usleep (50 * 1000);
    }
}

static void
kill_daemon (void)
{
  g_autoptr(GError) error = NULL;

  if (setup.daemon == NULL)
    return;

  g_subprocess_send_signal (setup.daemon, SIGKILL);
  g_subprocess_wait (setup.daemon, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&setup.daemon);
}

static void
make_setup (void)
{
  const char *build_root = g_getenv ("GATEHOUSE_BUILD_ROOT");
  g_autofree char *template = NULL;
  g_autofree char *port = NULL, *admin_port = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GSubprocess) init = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_nonnull (build_root);
  template = g_build_filename (build_root, "tests", "ui", "gateways-XXXXXX", NULL);
  setup.dir = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (setup.dir);
  setup.gatehoused = g_build_filename (build_root, "src", "gateway", "gatehoused", NULL);
  setup.config_path = g_build_filename (setup.dir, "gatehoused.json", NULL);

  setup.port = free_port ();
  do
    setup.admin_port = free_port ();
  while (setup.admin_port == setup.port);
  port = g_strdup_printf ("%u", setup.port);
  admin_port = g_strdup_printf ("%u", setup.admin_port);
  setup.admin_url = g_strdup_printf ("https://127.0.0.1:%u", setup.admin_port);

  init = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           setup.gatehoused, "init", "--dir", setup.dir, "--port", port,
                           "--admin-port", admin_port, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (init, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (init))
    g_error ("gatehoused init failed:\n%s%s", out, err);

  /* "admin certificate SHA-256 fingerprint, …:\n    AB:CD:…" */
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "SHA-256 fingerprint") != NULL && lines[i + 1] != NULL)
      setup.fingerprint = g_strstrip (g_strdup (lines[i + 1]));
  g_assert_nonnull (setup.fingerprint);
  g_assert_cmpuint (strlen (setup.fingerprint), ==, 95);

  setup.pw_path = g_build_filename (setup.dir, "gatehouse-admin.pw", NULL);
  g_file_get_contents (setup.pw_path, &setup.password, NULL, &error);
  g_assert_no_error (error);
  g_strchomp (setup.password);
  setup.p12_path = g_build_filename (setup.dir, "gatehouse-admin.p12", NULL);

  start_daemon ();
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static gpointer
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gpointer found = find_descendant (child, type);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static AdwEntryRow *
find_entry_row (GtkWidget  *widget,
                const char *title)
{
  if (ADW_IS_ENTRY_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return ADW_ENTRY_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwEntryRow *found = find_entry_row (child, title);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action)
{
  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action);
      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Accessible names: every shown button, menu button, text field and switch has one, from its
 * label, an accessible label, a labelled-by relation or its row's title. */
static gboolean
has_accessible_name (GtkWidget *widget)
{
  GtkWidget *row;

  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
      gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;

  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL &&
      gtk_button_get_label (GTK_BUTTON (widget))[0] != '\0')
    return TRUE;

  if (GTK_IS_BUTTON (widget) && GTK_IS_LABEL (gtk_button_get_child (GTK_BUTTON (widget))))
    return TRUE;

  if (ADW_IS_PREFERENCES_ROW (widget))
    return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget))[0] != '\0';

  /* The text of an entry row is named by the row. */
  row = gtk_widget_get_ancestor (widget, ADW_TYPE_ENTRY_ROW);
  if (row != NULL)
    return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row))[0] != '\0';

  return FALSE;
}

static void
check_accessible_names (GtkWidget *widget,
                        guint     *n_checked)
{
  /* The other pages are checked by their own tests; libadwaita's own buttons by it. */
  if (g_str_equal (G_OBJECT_TYPE_NAME (widget), "GhServicesPage") ||
      g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwBackButton") ||
      GTK_IS_WINDOW_CONTROLS (widget) ||
      !gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_TEXT (widget) ||
      GTK_IS_SWITCH (widget) || GTK_IS_CHECK_BUTTON (widget) || ADW_IS_ENTRY_ROW (widget) ||
      GTK_IS_LIST_BOX_ROW (widget))
    {
      if (gtk_widget_get_focusable (widget) || !GTK_IS_LIST_BOX_ROW (widget))
        {
          if (!has_accessible_name (widget))
            g_error ("%s (tooltip “%s”, action %s, in %s in %s) has no accessible name", G_OBJECT_TYPE_NAME (widget),
                     gtk_widget_get_tooltip_text (widget),
                     GTK_IS_ACTIONABLE (widget) ? gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)) : "-",
                     G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)),
                     G_OBJECT_TYPE_NAME (gtk_widget_get_parent (gtk_widget_get_parent (widget))));
          (*n_checked)++;
        }
      if (GTK_IS_MENU_BUTTON (widget))
        return;  /* its inner toggle button is named by it */
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_accessible_names (child, n_checked);
}

/* A WebSocket client of the echo service, trusting the gateway's CA. */
typedef struct {
  SoupSession             *session;
  SoupWebsocketConnection *connection;
  GError                  *error;
  gboolean                 done;
} EchoClient;

static void
on_echo_connected (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  EchoClient *echo = user_data;

  echo->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &echo->error);
  echo->done = TRUE;
}

static EchoClient *
echo_connect (void)
{
  EchoClient *echo = g_new0 (EchoClient, 1);
  g_autofree char *ca = g_build_filename (setup.dir, "ca.pem", NULL);
  g_autofree char *url = g_strdup_printf ("wss://localhost:%u/echo", setup.port);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  database = g_tls_file_database_new (ca, &error);
  g_assert_no_error (error);
  echo->session = soup_session_new ();
  soup_session_set_tls_database (echo->session, database);

  message = soup_message_new ("GET", url);
  soup_session_websocket_connect_async (echo->session, message, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_echo_connected, echo);
  WAIT_FOR (echo->done, "the echo WebSocket");
  g_assert_no_error (echo->error);

  return echo;
}

static void
echo_close (EchoClient *echo)
{
  if (echo->connection != NULL &&
      soup_websocket_connection_get_state (echo->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      soup_websocket_connection_close (echo->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      WAIT_FOR (soup_websocket_connection_get_state (echo->connection) == SOUP_WEBSOCKET_STATE_CLOSED,
                "the echo WebSocket to close");
    }
  g_clear_object (&echo->connection);
  g_clear_object (&echo->session);
  g_clear_error (&echo->error);
  g_free (echo);
}

/* With GATEHOUSE_SHOTS_DIR set, a screenshot of the (Xvfb) screen at a few steps. */
static void
take_shot (const char *name)
{
  const char *dir = g_getenv ("GATEHOUSE_SHOTS_DIR");
  g_autofree char *path = NULL;
  g_autofree char *command = NULL;
  gint64 until = g_get_monotonic_time () + 1500 * 1000;

  if (dir == NULL)
    return;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (10 * 1000);
  path = g_build_filename (dir, name, NULL);
  command = g_strdup_printf ("import -window root %s", path);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
}

/* The dialog */

typedef struct {
  GhGatewayList      *list;
  GtkWindow          *window;
  GhAddGatewayDialog *dialog;
} DialogFixture;

static void
dialog_open (DialogFixture *fixture,
             const char    *url,
             const char    *identity,
             const char    *password)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  fixture->list = gh_gateway_list_new (settings);
  fixture->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (fixture->window, 900, 700);
  gtk_window_present (fixture->window);
  fixture->dialog = g_object_ref (gh_add_gateway_dialog_new (fixture->list));
  adw_dialog_present (ADW_DIALOG (fixture->dialog), GTK_WIDGET (fixture->window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (find_entry_row (GTK_WIDGET (fixture->dialog), "Admin URL"))),
            "the dialog to show");
  drain_main_context ();

  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (GTK_WIDGET (fixture->dialog), "Admin URL")), url);
  if (identity != NULL)
    gh_add_gateway_dialog_set_identity_path (fixture->dialog, identity);
  gtk_editable_set_text (GTK_EDITABLE (find_descendant (GTK_WIDGET (fixture->dialog), ADW_TYPE_PASSWORD_ENTRY_ROW)),
                         password);
}

static void
dialog_connect (DialogFixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), "add-gateway.connect", NULL));
  g_assert_true (gh_add_gateway_dialog_get_busy (fixture->dialog));
  WAIT_FOR (!gh_add_gateway_dialog_get_busy (fixture->dialog), "the probe");
  drain_main_context ();
}

static void
dialog_close (DialogFixture *fixture)
{
  adw_dialog_force_close (ADW_DIALOG (fixture->dialog));
  drain_main_context ();
  gtk_window_destroy (fixture->window);
  drain_main_context ();
  {
    /* Work cancelled in a thread still returns to the main loop before it lets go. */
    gpointer dialog = fixture->dialog;

    g_object_add_weak_pointer (G_OBJECT (dialog), &dialog);
    g_object_unref (fixture->dialog);
    fixture->dialog = NULL;
    WAIT_FOR (dialog == NULL, "the dialog to be finalized");
  }
  g_clear_object (&fixture->list);
}

static void
test_dialog_url_validation (void)
{
  DialogFixture fixture = { 0 };
  AdwEntryRow *url_row;

  dialog_open (&fixture, "https://127.0.0.1:9443", setup.p12_path, setup.password);
  url_row = find_entry_row (GTK_WIDGET (fixture.dialog), "Admin URL");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (url_row), "error"));

  /* Validated as you type: not https, no host, a path of its own. */
  gtk_editable_set_text (GTK_EDITABLE (url_row), "http://127.0.0.1:9443");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (url_row), "error"));
  g_assert_false (gtk_widget_get_sensitive (find_actionable (GTK_WIDGET (fixture.dialog), "add-gateway.connect")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.dialog), "add-gateway.connect", NULL));
  g_assert_false (gh_add_gateway_dialog_get_busy (fixture.dialog));
  gtk_editable_set_text (GTK_EDITABLE (url_row), "https://");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (url_row), "error"));
  gtk_editable_set_text (GTK_EDITABLE (url_row), "https://gw.example:9443/other");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (url_row), "error"));
  gtk_editable_set_text (GTK_EDITABLE (url_row), "https://gw.example:9443/");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (url_row), "error"));
  g_assert_true (gtk_widget_get_sensitive (find_actionable (GTK_WIDGET (fixture.dialog), "add-gateway.connect")));

  g_assert_true (gh_admin_url_is_valid ("https://[::1]:9443"));
  g_assert_false (gh_admin_url_is_valid ("wss://127.0.0.1:9443"));

  dialog_close (&fixture);
}

static void
test_dialog_wrong_password (void)
{
  DialogFixture fixture = { 0 };

  dialog_open (&fixture, setup.admin_url, setup.p12_path, "not the password");
  dialog_connect (&fixture);
  g_assert_cmpstr (gh_add_gateway_dialog_get_step (fixture.dialog), ==, "form");
  g_assert_cmpstr (gh_add_gateway_dialog_get_problem (fixture.dialog), ==, "Wrong password");
  take_shot ("add-gateway-wrong-password.png");
  g_assert_nonnull (strstr (gh_add_gateway_dialog_get_problem_detail (fixture.dialog), "gatehouse-admin.pw"));
  g_assert_null (strstr (gh_add_gateway_dialog_get_problem_detail (fixture.dialog), setup.password));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture.list)), ==, 0);
  dialog_close (&fixture);
}

static void
test_dialog_wrong_file (void)
{
  DialogFixture fixture = { 0 };
  g_autofree char *ca = g_build_filename (setup.dir, "ca.pem", NULL);
  g_autofree char *missing = g_build_filename (setup.dir, "no-such.p12", NULL);

  dialog_open (&fixture, setup.admin_url, ca, setup.password);
  dialog_connect (&fixture);
  g_assert_cmpstr (gh_add_gateway_dialog_get_problem (fixture.dialog), ==, "Not an admin identity");
  g_assert_nonnull (strstr (gh_add_gateway_dialog_get_problem_detail (fixture.dialog), "PKCS#12"));

  gh_add_gateway_dialog_set_identity_path (fixture.dialog, missing);
  g_assert_null (gh_add_gateway_dialog_get_problem (fixture.dialog));
  dialog_connect (&fixture);
  g_assert_cmpstr (gh_add_gateway_dialog_get_problem (fixture.dialog), ==, "The identity file is missing");
  dialog_close (&fixture);
}

static void
test_dialog_unreachable (void)
{
  DialogFixture fixture = { 0 };
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u", free_port ());

  dialog_open (&fixture, url, setup.p12_path, setup.password);
  dialog_connect (&fixture);
  g_assert_cmpstr (gh_add_gateway_dialog_get_step (fixture.dialog), ==, "form");
  g_assert_cmpstr (gh_add_gateway_dialog_get_problem (fixture.dialog), ==, "The gateway cannot be reached");
  take_shot ("add-gateway-unreachable.png");
  g_assert_nonnull (strstr (gh_add_gateway_dialog_get_problem_detail (fixture.dialog), "gatehoused is running"));
  dialog_close (&fixture);
}

static void
test_dialog_cancel (void)
{
  DialogFixture fixture = { 0 };

  dialog_open (&fixture, setup.admin_url, setup.p12_path, setup.password);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.dialog), "add-gateway.connect", NULL));
  g_assert_true (gh_add_gateway_dialog_get_busy (fixture.dialog));
  /* Cancel while busy stops the work and stays. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.dialog), "add-gateway.cancel", NULL));
  g_assert_false (gh_add_gateway_dialog_get_busy (fixture.dialog));
  g_assert_cmpstr (gh_add_gateway_dialog_get_step (fixture.dialog), ==, "form");
  g_assert_null (gh_add_gateway_dialog_get_problem (fixture.dialog));
  dialog_close (&fixture);
}

static void
test_dialog_identity_refused (void)
{
  DialogFixture fixture = { 0 };
  g_autofree char *other_dir = g_build_filename (setup.dir, "other", NULL);
  g_autofree char *other_p12 = g_build_filename (other_dir, "gatehouse-admin.p12", NULL);
  g_autofree char *other_pw_path = g_build_filename (other_dir, "gatehouse-admin.pw", NULL);
  g_autofree char *other_password = NULL;
  g_autofree char *port = g_strdup_printf ("%u", free_port ());
  g_autofree char *admin_port = g_strdup_printf ("%u", free_port ());
  g_autoptr(GSubprocess) init = NULL;
  g_autoptr(GError) error = NULL;
  const char *problem;

  /* An admin identity of another gateway (another admin CA): this one refuses it. */
  init = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, setup.gatehoused, "init", "--dir", other_dir,
                           "--port", port, "--admin-port", admin_port, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (init, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (other_pw_path, &other_password, NULL, &error);
  g_assert_no_error (error);
  g_strchomp (other_password);

  dialog_open (&fixture, setup.admin_url, other_p12, other_password);
  dialog_connect (&fixture);
  WAIT_FOR (g_strcmp0 (gh_add_gateway_dialog_get_step (fixture.dialog), "confirm") == 0, "the confirm step");
  g_assert_cmpstr (gh_add_gateway_dialog_get_fingerprint (fixture.dialog), ==, setup.fingerprint);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.dialog), "add-gateway.trust", NULL));
  WAIT_FOR (!gh_add_gateway_dialog_get_busy (fixture.dialog), "the sign-in");
  problem = gh_add_gateway_dialog_get_problem (fixture.dialog);
  g_assert_nonnull (problem);
  g_assert_true (g_str_equal (problem, "The gateway refused the connection") ||
                 g_str_equal (problem, "The gateway does not accept this identity"));
  g_assert_nonnull (strstr (gh_add_gateway_dialog_get_problem_detail (fixture.dialog), "identity"));
  g_assert_null (gh_add_gateway_dialog_get_added (fixture.dialog));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture.list)), ==, 0);
  dialog_close (&fixture);
}

static GtkLabel *
find_label_with_class (GtkWidget  *widget,
                       const char *css_class)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class))
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label_with_class (child, css_class);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_dialog_trust_and_add (void)
{
  DialogFixture fixture = { 0 };
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GVariant) saved = NULL;
  g_autoptr(GString) shown = NULL;
  GhGatewayConnection *connection;
  GtkLabel *fingerprint_label;
  const char *name, *url, *identity, *pin;
  guint n_checked = 0;

  dialog_open (&fixture, setup.admin_url, setup.p12_path, setup.password);
  take_shot ("add-gateway-form.png");
  check_accessible_names (GTK_WIDGET (fixture.dialog), &n_checked);
  g_assert_cmpuint (n_checked, >=, 5);

  dialog_connect (&fixture);
  g_assert_null (gh_add_gateway_dialog_get_problem (fixture.dialog));
  WAIT_FOR (g_strcmp0 (gh_add_gateway_dialog_get_step (fixture.dialog), "confirm") == 0, "the confirm step");

  /* The exact fingerprint init printed, shown grouped for reading. */
  g_assert_cmpstr (gh_add_gateway_dialog_get_fingerprint (fixture.dialog), ==, setup.fingerprint);
  fingerprint_label = find_label_with_class (GTK_WIDGET (fixture.dialog), "gh-fingerprint");
  g_assert_nonnull (fingerprint_label);
  shown = g_string_new (gtk_label_get_text (fingerprint_label));
  g_assert_nonnull (strchr (shown->str, '\n'));
  g_string_replace (shown, "\n", ":", 0);
  g_assert_cmpstr (shown->str, ==, setup.fingerprint);
  take_shot ("add-gateway-confirm.png");
  n_checked = 0;
  check_accessible_names (GTK_WIDGET (fixture.dialog), &n_checked);

  /* Trust and Add: pinned, saved (no password in GSettings), connected. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.dialog), "add-gateway.trust", NULL));
  WAIT_FOR (gh_add_gateway_dialog_get_added (fixture.dialog) != NULL, "the gateway to be added");
  connection = g_object_ref (gh_add_gateway_dialog_get_added (fixture.dialog));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture.list)), ==, 1);
  g_assert_cmpstr (gh_gateway_connection_get_pin (connection), ==, setup.fingerprint);
  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_CONNECTED, "CONNECTED");
  g_assert_null (gh_gateway_connection_get_state_message (connection));
  g_assert_false (gh_gateway_connection_get_stale (connection));
  WAIT_FOR (gh_gateway_connection_get_info (connection) != NULL, "the gateway's info");
  g_assert_cmpint (gh_gateway_connection_get_config_version (connection), >=, 1);

  saved = g_settings_get_value (settings, "gateways");
  g_assert_cmpuint (g_variant_n_children (saved), ==, 1);
  g_variant_get_child (saved, 0, "(&s&s&s&s)", &name, &url, &identity, &pin);
  g_assert_cmpstr (url, ==, setup.admin_url);
  g_assert_cmpstr (identity, ==, setup.p12_path);
  g_assert_cmpstr (pin, ==, setup.fingerprint);
  g_assert_null (strstr (g_variant_print (saved, FALSE), setup.password));

  /* Adding it again is refused, in the dialog. */
  {
    DialogFixture again = { 0 };

    dialog_open (&again, setup.admin_url, setup.p12_path, setup.password);
    /* dialog_open made a fresh list from the settings: the saved gateway is in it. */
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again.list)), ==, 1);
    dialog_connect (&again);
    WAIT_FOR (g_strcmp0 (gh_add_gateway_dialog_get_step (again.dialog), "confirm") == 0, "the confirm step");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (again.dialog), "add-gateway.trust", NULL));
    WAIT_FOR (!gh_add_gateway_dialog_get_busy (again.dialog), "the sign-in");
    g_assert_cmpstr (gh_add_gateway_dialog_get_problem (again.dialog), ==, "This gateway is in the list already");
    dialog_close (&again);
  }

  gh_gateway_list_remove (fixture.list, connection);
  g_assert_cmpint (gh_gateway_connection_get_state (connection), ==, GH_GATEWAY_STATE_DISCONNECTED);
  g_object_unref (connection);
  dialog_close (&fixture);
  g_settings_reset (settings, "gateways");
}

/* The window: sidebar, Overview, stale and live again */

static gboolean
figure_is (GhOverviewPage *page,
           const char     *name,
           const char     *value)
{
  return g_strcmp0 (gh_overview_page_get_figure (page, name), value) == 0;
}

/* The state icon of a sidebar row: its words (tooltip and accessible label). */
static const char *
state_icon_says (GtkListBoxRow *row)
{
  GtkWidget *icon = find_descendant (GTK_WIDGET (row), GTK_TYPE_IMAGE);

  g_assert_nonnull (icon);
  g_assert_true (gtk_widget_has_css_class (icon, "gh-state-icon"));
  return gtk_widget_get_tooltip_text (icon);
}

static void
test_window_overview_live (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  GhWindow *window = g_object_ref (g_object_new (GH_TYPE_WINDOW, NULL));
  g_autoptr(GhGatewayConnection) connection = NULL;
  GhOverviewPage *page = gh_window_get_overview_page (window);
  GhApiInfo *info;
  EchoClient *echo;
  GtkListBox *sidebar;
  GtkListBoxRow *row;
  guint n_checked = 0;

  g_settings_reset (settings, "gateways");
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));

  connection = gh_gateway_connection_new ("Test gateway", setup.admin_url, setup.p12_path, setup.fingerprint, FALSE);
  gh_gateway_connection_set_password (connection, setup.password, FALSE);
  gh_gateway_connection_set_unreachable_timeout (connection, 2);
  gh_window_add_gateway (window, connection);
  g_assert_true (gh_window_get_selected_gateway (window) == connection);
  g_assert_true (gh_overview_page_get_connection (page) == connection);

  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_CONNECTED, "CONNECTED");
  WAIT_FOR ((info = gh_gateway_connection_get_info (connection)) != NULL, "the info");
  /* A gateway for this run only is not saved. */
  {
    g_autoptr(GVariant) saved = g_settings_get_value (settings, "gateways");
    g_assert_cmpuint (g_variant_n_children (saved), ==, 0);
  }

  /* The Overview: the gateway's version, and a live session count. */
  WAIT_FOR (figure_is (page, "version", gh_api_info_get_version (info)), "the version");
  WAIT_FOR (figure_is (page, "sessions", "0"), "no sessions");
  g_assert_false (gh_overview_page_get_stale (page));
  g_assert_cmpstr (gh_overview_page_get_subtitle (page), ==, setup.admin_url);
  g_assert_null (gh_window_get_banner_title (window));
  WAIT_FOR (!figure_is (page, "services-up", "—"), "the services");
  g_assert_cmpstr (gh_overview_page_get_figure (page, "services-up"), ==, "1");

  echo = echo_connect ();
  WAIT_FOR (figure_is (page, "sessions", "1"), "one session");
  echo_close (echo);
  WAIT_FOR (figure_is (page, "sessions", "0"), "the session to close");

  /* The sidebar row says the state, in words too. */
  sidebar = find_descendant (GTK_WIDGET (window), GTK_TYPE_LIST_BOX);
  row = gtk_list_box_get_row_at_index (sidebar, 0);
  g_assert_nonnull (row);
  g_assert_true (gtk_list_box_get_selected_row (sidebar) == row);
  g_assert_cmpstr (state_icon_says (row), ==, "Connected");
  g_assert_true (gtk_test_accessible_check_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                     "Test gateway, Connected") == NULL);
  check_accessible_names (GTK_WIDGET (window), &n_checked);
  g_assert_cmpuint (n_checked, >=, 6);

  /* The gateway goes away: no dialog, the banner says it, the page is marked stale. */
  kill_daemon ();
  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_RECONNECTING ||
            gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_UNREACHABLE, "RECONNECTING");
  g_assert_true (gh_gateway_connection_get_stale (connection));
  drain_main_context ();
  g_assert_true (gh_overview_page_get_stale (page));
  g_assert_true (g_str_has_prefix (gh_overview_page_get_subtitle (page), "Last known"));
  g_assert_nonnull (gh_window_get_banner_title (window));
  g_assert_null (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
  /* The last known figures stay. */
  g_assert_true (figure_is (page, "version", gh_api_info_get_version (info)));

  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_UNREACHABLE, "UNREACHABLE");
  g_assert_nonnull (strstr (gh_gateway_connection_get_state_message (connection), setup.admin_url));
  g_assert_cmpstr (state_icon_says (row), ==, "Unreachable");
  g_assert_true (gtk_test_accessible_check_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                     "Test gateway, Unreachable") == NULL);
  drain_main_context ();
  g_assert_nonnull (strstr (gh_window_get_banner_title (window), "unreachable"));
  take_shot ("overview-unreachable-stale.png");

  /* Back: live again on its own. */
  start_daemon ();
  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_CONNECTED, "CONNECTED again");
  drain_main_context ();
  g_assert_false (gh_gateway_connection_get_stale (connection));
  g_assert_false (gh_overview_page_get_stale (page));
  g_assert_null (gh_window_get_banner_title (window));
  WAIT_FOR (figure_is (page, "sessions", "0"), "the sessions after the restart");

  gtk_window_destroy (GTK_WINDOW (window));
  drain_main_context ();
  g_assert_finalize_object (window);
}

static void
test_connection_pin_changed (void)
{
  g_autoptr(GhGatewayConnection) connection = NULL;
  const char *wrong = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";

  connection = gh_gateway_connection_new (NULL, setup.admin_url, setup.p12_path, wrong, FALSE);
  {
    /* No name: the host and port. */
    g_autofree char *host_port = g_strdup_printf ("127.0.0.1:%u", setup.admin_port);
    g_assert_cmpstr (gh_gateway_connection_get_name (connection), ==, host_port);
  }
  gh_gateway_connection_set_password (connection, setup.password, FALSE);
  gh_gateway_connection_start (connection);

  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_NEEDS_ATTENTION &&
            gh_gateway_connection_get_new_pin (connection) != NULL, "NEEDS_ATTENTION");
  g_assert_cmpint (gh_gateway_connection_get_attention (connection), ==, GH_GATEWAY_ATTENTION_PIN_CHANGED);
  g_assert_cmpstr (gh_gateway_connection_get_new_pin (connection), ==, setup.fingerprint);
  g_assert_nonnull (strstr (gh_gateway_connection_get_state_message (connection), "changed: was"));
  g_assert_nonnull (strstr (gh_gateway_connection_get_state_message (connection), wrong));
  g_assert_nonnull (strstr (gh_gateway_connection_get_state_message (connection), setup.fingerprint));

  /* The user confirms: pinned, and connected. */
  gh_gateway_connection_set_pin (connection, gh_gateway_connection_get_new_pin (connection));
  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_CONNECTED, "CONNECTED");
  g_assert_cmpstr (gh_gateway_connection_get_pin (connection), ==, setup.fingerprint);
  gh_gateway_connection_stop (connection);
}

static void
test_connection_wrong_password (void)
{
  g_autoptr(GhGatewayConnection) connection = NULL;

  connection = gh_gateway_connection_new ("x", setup.admin_url, setup.p12_path, setup.fingerprint, FALSE);
  gh_gateway_connection_set_password (connection, "wrong", FALSE);
  gh_gateway_connection_start (connection);
  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_NEEDS_ATTENTION, "NEEDS_ATTENTION");
  g_assert_cmpint (gh_gateway_connection_get_attention (connection), ==, GH_GATEWAY_ATTENTION_PASSWORD);
  g_assert_nonnull (strstr (gh_gateway_connection_get_state_message (connection), "not the right one"));

  gh_gateway_connection_set_password (connection, setup.password, FALSE);
  gh_gateway_connection_reconnect (connection);
  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_CONNECTED, "CONNECTED");
  gh_gateway_connection_stop (connection);
}

/* The command line adds a gateway for this run only. */

static void
on_activate_check (GApplication *app,
                   gpointer      user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GhGatewayConnection *connection;
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GVariant) saved = NULL;
  g_auto(GStrv) accels = NULL;

  g_assert_true (GH_IS_WINDOW (window));
  connection = gh_window_get_selected_gateway (GH_WINDOW (window));
  g_assert_nonnull (connection);
  g_assert_cmpstr (gh_gateway_connection_get_name (connection), ==, "Demo");
  g_assert_cmpstr (gh_gateway_connection_get_pin (connection), ==, setup.fingerprint);
  g_assert_false (gh_gateway_connection_get_persistent (connection));
  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_CONNECTED, "CONNECTED");

  saved = g_settings_get_value (settings, "gateways");
  g_assert_cmpuint (g_variant_n_children (saved), ==, 0);

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.add-gateway");
  g_assert_cmpstr (accels[0], ==, "<Control>n");

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

static void
test_command_line (void)
{
  g_autoptr(GhApplication) app = gh_application_new ();
  g_autofree char *pin = g_ascii_strdown (setup.fingerprint, -1);
  char *argv[] = {
    "gatehouse", "--gateway", setup.admin_url, "--identity", setup.p12_path,
    "--identity-password-file", setup.pw_path, "--pin", pin, "--gateway-name", "Demo", NULL,
  };

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate_check), NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), G_N_ELEMENTS (argv) - 1, argv), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "");
  /* The test accessibility backend keeps the accessible properties for the checks. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  make_setup ();

  g_test_add_func ("/gateways/dialog/url-validation", test_dialog_url_validation);
  g_test_add_func ("/gateways/dialog/wrong-password", test_dialog_wrong_password);
  g_test_add_func ("/gateways/dialog/wrong-file", test_dialog_wrong_file);
  g_test_add_func ("/gateways/dialog/unreachable", test_dialog_unreachable);
  g_test_add_func ("/gateways/dialog/cancel", test_dialog_cancel);
  g_test_add_func ("/gateways/dialog/identity-refused", test_dialog_identity_refused);
  g_test_add_func ("/gateways/dialog/trust-and-add", test_dialog_trust_and_add);
  g_test_add_func ("/gateways/connection/pin-changed", test_connection_pin_changed);
  g_test_add_func ("/gateways/connection/wrong-password", test_connection_wrong_password);
  g_test_add_func ("/gateways/command-line", test_command_line);
  /* Last: it kills and restarts the daemon. */
  g_test_add_func ("/gateways/window/overview-live", test_window_overview_live);

  status = g_test_run ();

  kill_daemon ();
  if (status == 0)
    remove_dir (setup.dir);

  return status;
}
