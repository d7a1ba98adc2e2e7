/* test-services.c — the services page and the service editor against the real
 * gatehoused: `gatehoused init` into the build directory, the daemon on free loopback
 * ports, a GhGatewayConnection as the window makes one, and a TCP echo back-end in
 * this process. A proxy service is created through the editor's fields and apply
 * action and relays a real WSS client to the back-end; it is edited; a change made
 * meanwhile by a second admin client causes a 412 that the editor recovers from by
 * re-applying on top; the change is undone through the rollback; the service is
 * stopped and deleted. Problems land on their fields (local) or in the banner (a
 * port the gateway cannot bind), and every interactive widget has an accessible name.
 *
 * With GATEHOUSE_SCREENSHOT_DIR set, the page and the editor are also rendered to
 * PNG files there (light and dark, wide and narrow).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <libsoup/soup.h>
#include <adwaita.h>

#include "gh-api.h"
#include "gh-gateway-connection.h"
#include "gh-service-editor.h"
#include "gh-services-page.h"
#include "gh-test-gateway.h"
#include "gh-test-widgets.h"

#define TIMEOUT_SECONDS 30

typedef struct {
  GhTestGateway *gateway;     /* the daemon; its port is the gateway's wss listener */
  guint16      backend_port;  /* the TCP echo back-end */
  guint16      busy_port;     /* held by this process, for a listener that cannot bind */
  GTlsCertificate *identity;
  GSocketService *backend;
  guint        backend_connections;
  GSocketListener *busy;

  GhGatewayConnection *connection;
  AdwWindow   *window;
  GhServicesPage *page;
} Setup;

static Setup setup;

/* Helpers */

#define WAIT_FOR(condition, what) GH_TEST_WAIT_FOR (TIMEOUT_SECONDS, condition, what)
#define RUN(call_async, ...) GH_TEST_RUN (TIMEOUT_SECONDS, call_async, __VA_ARGS__)

/* The back-end: echoes every byte, on the main context. */

typedef struct {
  GSocketConnection *connection;
  guint8             buffer[4096];
} EchoSession;

static void echo_read (EchoSession *session);

static void
on_echo_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  EchoSession *session = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      g_object_unref (session->connection);
      g_free (session);
      return;
    }
  echo_read (session);
}

static void
on_echo_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  EchoSession *session = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (session->connection));

  if (n <= 0)
    {
      g_io_stream_close (G_IO_STREAM (session->connection), NULL, NULL);
      g_object_unref (session->connection);
      g_free (session);
      return;
    }
  g_output_stream_write_all_async (output, session->buffer, n, G_PRIORITY_DEFAULT, NULL, on_echo_written, session);
}

static void
echo_read (EchoSession *session)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (session->connection));

  g_input_stream_read_async (input, session->buffer, sizeof session->buffer, G_PRIORITY_DEFAULT, NULL,
                             on_echo_read, session);
}

static gboolean
on_backend_incoming (GSocketService    *service,
                     GSocketConnection *connection,
                     GObject           *source,
                     gpointer           user_data)
{
  EchoSession *session = g_new0 (EchoSession, 1);

  setup.backend_connections++;
  session->connection = g_object_ref (connection);
  echo_read (session);
  return TRUE;
}

static void
start_backend (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) busy_address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;

  setup.backend = g_socket_service_new ();
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_listener_add_address (G_SOCKET_LISTENER (setup.backend), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  setup.backend_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (setup.backend, "incoming", G_CALLBACK (on_backend_incoming), NULL);
  g_socket_service_start (setup.backend);

  /* A port this process holds: the gateway cannot listen there. */
  g_clear_object (&effective);
  setup.busy = g_socket_listener_new ();
  busy_address = g_inet_socket_address_new (loopback, 0);
  g_socket_listener_add_address (setup.busy, busy_address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                 &effective, &error);
  g_assert_no_error (error);
  setup.busy_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
}

static void
make_setup (void)
{
  g_autoptr(GError) error = NULL;

  start_backend ();
  {
    /* Neither listener of the gateway on a port this process holds. */
    const guint16 held[] = { setup.backend_port, setup.busy_port };

    setup.gateway = gh_test_gateway_new_full ("ui/services", held, G_N_ELEMENTS (held));
  }

  setup.identity = gh_admin_client_load_identity (setup.gateway->identity_path, setup.gateway->password, &error);
  g_assert_no_error (error);

  gh_test_gateway_start (setup.gateway);
}

static GhAdminClient *
new_client (void)
{
  return gh_admin_client_new (setup.gateway->admin_url, setup.identity, setup.gateway->fingerprint);
}

static GhGatewayConfig *
get_config (gint64 *version)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GAsyncResult) result = RUN (gh_admin_client_get_config_async, client);
  g_autoptr(GError) error = NULL;
  GhGatewayConfig *config = gh_admin_client_get_config_finish (client, result, version, &error);

  g_assert_no_error (error);
  return config;
}

/* Widgets */

static gboolean
title_is (AdwPreferencesRow *row,
          const char        *title)
{
  g_autoptr(GString) plain = g_string_new (adw_preferences_row_get_title (row));

  g_string_replace (plain, "_", "", 0);
  return g_str_equal (plain->str, title);
}

/* The row of @type titled @title (mnemonics aside) under @root. */
static gpointer
find_row (gpointer    root,
          GType       type,
          const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  gh_test_collect (GTK_WIDGET (root), type, rows);
  for (guint i = 0; i < rows->len; i++)
    if (title_is (g_ptr_array_index (rows, i), title))
      return g_ptr_array_index (rows, i);
  g_error ("no row “%s”", title);
  return NULL;
}

static void
set_entry (gpointer    root,
           const char *title,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (find_row (root, ADW_TYPE_ENTRY_ROW, title)), text);
}

static gboolean
row_has_error (gpointer    root,
               const char *title)
{
  return gtk_widget_has_css_class (find_row (root, ADW_TYPE_PREFERENCES_ROW, title), "error");
}

/* The error explanation under the row titled @title, or NULL when none shows. */
static const char *
explanation_of (gpointer    root,
                const char *title)
{
  GtkWidget *row = find_row (root, ADW_TYPE_PREFERENCES_ROW, title);
  GtkWidget *next = gtk_widget_get_next_sibling (row);
  GtkWidget *label;

  if (next == NULL || !gtk_widget_has_css_class (next, "gh-field-explanation") || !gtk_widget_get_visible (next))
    return NULL;
  label = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (next)) != NULL
            ? gtk_widget_get_first_child (next) : NULL;
  {
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();

    gh_test_collect (next, GTK_TYPE_LABEL, labels);
    label = labels->len > 0 ? g_ptr_array_index (labels, 0) : NULL;
  }
  return label != NULL ? gtk_label_get_label (GTK_LABEL (label)) : NULL;
}

static gboolean
page_idle (gpointer data)
{
  return gh_services_page_get_idle (setup.page);
}

static GhApiService *
lookup_api_service (const char *name)
{
  g_autoptr(GhAdminClient) client = new_client ();
  g_autoptr(GAsyncResult) result = RUN (gh_admin_client_list_services_async, client);
  g_autoptr(GListModel) services = gh_admin_client_list_services_finish (client, result, NULL);

  for (guint i = 0; services != NULL && i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr(GhApiService) service = g_list_model_get_item (services, i);

      if (g_str_equal (gh_api_service_get_name (service), name))
        return g_steal_pointer (&service);
    }
  return NULL;
}

/* The page's row named @name, or NULL. */
static GObject *
page_row (const char *name)
{
  GListModel *model = gh_services_page_get_model (setup.page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_autofree char *item_name = NULL;

      g_object_get (item, "name", &item_name, NULL);
      if (g_strcmp0 (item_name, name) == 0)
        return item;   /* the model holds it */
    }
  return NULL;
}

static char *
page_row_state (const char *name)
{
  GObject *item = page_row (name);
  char *state = NULL;

  if (item != NULL)
    g_object_get (item, "state", &state, NULL);
  return state;
}

static gboolean
page_row_state_is (const char *name,
                   const char *state)
{
  g_autofree char *current = page_row_state (name);

  return g_strcmp0 (current, state) == 0;
}

/* The row's open sessions, as the page shows them. */
static gint64
page_row_sessions (const char *name)
{
  GObject *item = page_row (name);
  gint64 sessions = -1;

  if (item != NULL)
    g_object_get (item, "sessions-open", &sessions, NULL);
  return sessions;
}

static GhServiceEditor *
visible_editor (void)
{
  AdwDialog *dialog = adw_window_get_visible_dialog (setup.window);

  return GH_IS_SERVICE_EDITOR (dialog) ? GH_SERVICE_EDITOR (dialog) : NULL;
}

static gboolean
editor_gone (gpointer data)
{
  return adw_window_get_visible_dialog (setup.window) == NULL;
}



/* A WSS client of the relay, trusting the gateway's CA. */
static GhTestWsClient *
ws_connect (const char *path)
{
  return gh_test_ws_client_new (setup.gateway, path, TIMEOUT_SECONDS);
}

static void
ws_free (GhTestWsClient *client)
{
  gh_test_ws_client_free (client, TIMEOUT_SECONDS);
}

/* Fixtures: one connection and one window for the whole run, as the app has. */

static void
open_window (void)
{
  setup.connection = gh_test_connect (setup.gateway, TIMEOUT_SECONDS);
  setup.page = GH_SERVICES_PAGE (g_object_ref (gh_services_page_new ()));
  setup.window = gh_test_window_for_page (GTK_WIDGET (setup.page), TIMEOUT_SECONDS);

  gh_services_page_set_connection (setup.page, setup.connection);
  WAIT_FOR (page_row ("echo") != NULL && page_idle (NULL), "the services");
}

/* Tests */

static void
test_page_lists_services (void)
{
  g_autofree char *type = NULL, *accept = NULL;
  GObject *echo = page_row ("echo");

  g_assert_nonnull (echo);
  g_object_get (echo, "service-type", &type, "accept", &accept, NULL);
  g_assert_cmpstr (type, ==, "echo");
  g_assert_nonnull (strstr (accept, "/echo"));
  g_assert_true (page_row_state_is ("echo", "started"));

  gh_test_assert_all_named (GTK_WIDGET (setup.window));
  gh_test_screenshots (GTK_WINDOW (setup.window), "services-page", NULL);

  /* The row's menu from the keyboard: the actions of the selected service. */
  {
    g_autoptr(GPtrArray) menus = g_ptr_array_new ();

    g_assert_true (gh_services_page_select (setup.page, "echo"));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "services.menu", NULL));
    gh_test_drain ();
    gh_test_collect (GTK_WIDGET (setup.page), GTK_TYPE_POPOVER_MENU, menus);
    g_assert_cmpuint (menus->len, ==, 1);
    g_assert_true (gtk_widget_get_visible (g_ptr_array_index (menus, 0)));
    gtk_popover_popdown (g_ptr_array_index (menus, 0));
    gh_test_drain ();
  }
}

static void
test_editor_local_problems (void)
{
  GhServiceEditor *editor;
  g_autofree char *wrong_scheme = g_strdup_printf ("https://localhost:%u/x", setup.gateway->port);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "services.new", NULL));
  gh_test_drain ();
  editor = visible_editor ();
  g_assert_nonnull (editor);
  g_assert_null (gh_service_editor_get_service_name (editor));

  /* Nothing typed yet: no field shouts. */
  g_assert_false (row_has_error (editor, "Name"));
  g_assert_false (row_has_error (editor, "Accept URI 1"));

  /* As you type: a bad name, a scheme a proxy does not accept, a port out of range. */
  set_entry (editor, "Name", "Bad Name");
  g_assert_true (row_has_error (editor, "Name"));
  g_assert_nonnull (explanation_of (editor, "Name"));
  set_entry (editor, "Name", "relay");
  g_assert_false (row_has_error (editor, "Name"));
  g_assert_null (explanation_of (editor, "Name"));

  set_entry (editor, "Accept URI 1", wrong_scheme);
  g_assert_true (row_has_error (editor, "Accept URI 1"));
  g_assert_nonnull (strstr (explanation_of (editor, "Accept URI 1"), "https"));
  set_entry (editor, "Accept URI 1", "wss://localhost:70000/relay");
  g_assert_true (row_has_error (editor, "Accept URI 1"));
  set_entry (editor, "Accept URI 1", "ssl://localhost/relay");
  g_assert_true (row_has_error (editor, "Accept URI 1"));
  set_entry (editor, "Back-End URI", "htp://backend");
  g_assert_true (row_has_error (editor, "Back-End URI"));
  gh_test_screenshots (GTK_WINDOW (setup.window), "service-editor-problems", NULL);

  /* Type-aware: an echo service has no back-end; a directory service its directory. */
  adw_combo_row_set_selected (find_row (editor, ADW_TYPE_COMBO_ROW, "Type"), 2);
  g_assert_false (gtk_widget_is_visible (find_row (editor, ADW_TYPE_ENTRY_ROW, "Back-End URI")));
  g_assert_true (gtk_widget_is_visible (find_row (editor, ADW_TYPE_ENTRY_ROW, "Directory Served")));
  adw_combo_row_set_selected (find_row (editor, ADW_TYPE_COMBO_ROW, "Type"), 0);
  g_assert_true (gtk_widget_is_visible (find_row (editor, ADW_TYPE_ENTRY_ROW, "Back-End URI")));

  /* Apply with problems left: nothing is sent, the first field with one has the focus. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.apply", NULL));
  gh_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (gh_service_editor_get_problems (editor)), >, 0);
  g_assert_true (visible_editor () == editor);

  /* A listener the gateway cannot bind: only the gateway knows. Its 422 names the
   * accept (services[i].accept[0]), so the refusal lands on that field. */
  {
    g_autofree char *busy = g_strdup_printf ("tcp://127.0.0.1:%u", setup.busy_port);
    g_autofree char *backend = g_strdup_printf ("tcp://127.0.0.1:%u", setup.backend_port);

    set_entry (editor, "Accept URI 1", busy);
    set_entry (editor, "Back-End URI", backend);
    g_assert_cmpuint (g_list_model_get_n_items (gh_service_editor_get_problems (editor)), ==, 0);
    g_assert_false (row_has_error (editor, "Accept URI 1"));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.apply", NULL));
    WAIT_FOR (row_has_error (editor, "Accept URI 1"), "the gateway's refusal on the accept field");
    g_assert_nonnull (strstr (explanation_of (editor, "Accept URI 1"), "listen"));
    g_assert_true (visible_editor () == editor);
  }

  gh_test_assert_all_named (GTK_WIDGET (editor));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.cancel", NULL);
  WAIT_FOR (editor_gone (NULL), "the editor to close");
}

static void
test_create_proxy (void)
{
  GhServiceEditor *editor;
  g_autofree char *accept = g_strdup_printf ("wss://localhost:%u/relay", setup.gateway->port);
  g_autofree char *backend = g_strdup_printf ("tcp://127.0.0.1:%u", setup.backend_port);
  g_autoptr(GhGatewayConfig) config = NULL;
  GhServiceConfig *relay;
  gint64 before = 0, after = 0;
  GhTestWsClient *client;

  g_autoptr(GhGatewayConfig) old = get_config (&before);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "services.new", NULL));
  gh_test_drain ();
  editor = visible_editor ();
  g_assert_nonnull (editor);

  set_entry (editor, "Name", "relay");
  set_entry (editor, "Description", "to the test back-end");
  set_entry (editor, "Accept URI 1", accept);
  set_entry (editor, "Back-End URI", backend);
  /* TLS toward clients shows for a wss accept; toward the back-end not for tcp. */
  g_assert_true (gtk_widget_is_visible (find_row (editor, ADW_TYPE_COMBO_ROW, "Client Certificates")));
  g_assert_false (gtk_widget_is_visible (find_row (editor, ADW_TYPE_SWITCH_ROW, "Verify the Back-End")));
  adw_spin_row_set_value (find_row (editor, ADW_TYPE_SPIN_ROW, "Maximum Sessions"), 50);
  g_assert_cmpuint (g_list_model_get_n_items (gh_service_editor_get_problems (editor)), ==, 0);

  if (g_getenv ("GATEHOUSE_SCREENSHOT_DIR") != NULL)
    gh_test_screenshots (GTK_WINDOW (setup.window), "service-editor", NULL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.apply", NULL));
  WAIT_FOR (editor_gone (NULL), "the editor to apply and close");
  WAIT_FOR (page_row_state_is ("relay", "started") && page_idle (NULL), "the new service in the list");

  config = get_config (&after);
  g_assert_cmpint (after, ==, before + 1);
  relay = gh_gateway_config_lookup_service (config, "relay");
  g_assert_nonnull (relay);
  g_assert_cmpstr (gh_service_config_get_connect (relay), ==, backend);
  g_assert_cmpstr (gh_service_config_get_description (relay), ==, "to the test back-end");
  g_assert_cmpuint (gh_service_config_get_max_sessions (relay), ==, 50);
  /* Defaults stay out of the file. */
  {
    g_autofree char *text = gh_gateway_config_to_data (config, NULL);

    g_assert_null (strstr (text, "idle-timeout"));
    g_assert_null (strstr (text, "\"tls\""));
  }
  /* The other services are as they were. */
  g_assert_true (gh_service_config_equal (gh_gateway_config_lookup_service (old, "echo"),
                                          gh_gateway_config_lookup_service (config, "echo")));

  /* A real client through the relay to the back-end and back. */
  client = ws_connect ("/relay");
  g_assert_no_error (client->error);
  soup_websocket_connection_send_text (client->connection, "hello through the gateway");
  WAIT_FOR (strstr (client->received->str, "hello through the gateway") != NULL, "the echo from the back-end");
  /* The list follows the live sessions (the event stream's stats), without a reload. */
  WAIT_FOR (page_row_sessions ("relay") == 1, "the relay's session in the list");
  g_assert_cmpuint (setup.backend_connections, >=, 1);
  ws_free (client);
  WAIT_FOR (page_row_sessions ("relay") == 0, "the relay's session gone from the list");

  gh_test_screenshots (GTK_WINDOW (setup.window), "services-page-relay", NULL);
}

static void
edit_relay (void)
{
  g_assert_true (gh_services_page_select (setup.page, "relay"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "services.edit", NULL));
  gh_test_drain ();
  g_assert_nonnull (visible_editor ());
  g_assert_cmpstr (gh_service_editor_get_service_name (visible_editor ()), ==, "relay");
}

static void
test_edit (void)
{
  GhServiceEditor *editor;
  g_autoptr(GhGatewayConfig) config = NULL;
  gint64 version = 0;

  edit_relay ();
  editor = visible_editor ();
  g_assert_cmpstr (gtk_editable_get_text (find_row (editor, ADW_TYPE_ENTRY_ROW, "Description")), ==,
                   "to the test back-end");
  g_assert_cmpfloat (adw_spin_row_get_value (find_row (editor, ADW_TYPE_SPIN_ROW, "Maximum Sessions")), ==, 50);

  set_entry (editor, "Description", "edited");
  adw_spin_row_set_value (find_row (editor, ADW_TYPE_SPIN_ROW, "Idle Timeout (Seconds)"), 60);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.apply", NULL));
  WAIT_FOR (editor_gone (NULL), "the edit to apply");
  WAIT_FOR (page_idle (NULL), "the page to reload");

  config = get_config (&version);
  g_assert_cmpstr (gh_service_config_get_description (gh_gateway_config_lookup_service (config, "relay")), ==, "edited");
  g_assert_cmpuint (gh_service_config_get_idle_timeout (gh_gateway_config_lookup_service (config, "relay")), ==, 60);
  g_assert_cmpuint (gh_service_config_get_max_sessions (gh_gateway_config_lookup_service (config, "relay")), ==, 50);
}

/* Someone else's change, through the API as another admin would make it. */
static gint64
change_meanwhile (void)
{
  g_autoptr(GhAdminClient) client = new_client ();
  gint64 version = 0, new_version = 0;
  g_autoptr(GhGatewayConfig) config = get_config (&version);
  g_autoptr(JsonNode) root = gh_gateway_config_to_json (config);
  JsonArray *services = json_object_get_array_member (json_node_get_object (root), "services");
  g_autoptr(JsonObject) other = json_object_new ();
  g_autoptr(JsonArray) accept = json_array_new ();
  g_autofree char *uri = g_strdup_printf ("wss://localhost:%u/other", setup.gateway->port);
  g_autofree char *text = NULL;
  g_autoptr(GhGatewayConfig) changed = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < json_array_get_length (services); i++)
    {
      JsonObject *service = json_array_get_object_element (services, i);

      if (g_str_equal (json_object_get_string_member (service, "name"), "relay"))
        {
          JsonObject *limits = json_object_get_object_member (service, "limits");

          json_object_set_int_member (limits, "max-sessions", 42);
        }
    }
  json_object_set_string_member (other, "name", "other");
  json_object_set_string_member (other, "type", "echo");
  json_array_add_string_element (accept, uri);
  json_object_set_array_member (other, "accept", g_steal_pointer (&accept));
  json_array_add_object_element (services, g_steal_pointer (&other));

  text = json_to_string (root, FALSE);
  changed = gh_gateway_config_new_from_data (text, -1, &error);
  g_assert_no_error (error);
  result = RUN (gh_admin_client_put_config_async, client, changed, version);
  gh_admin_client_put_config_finish (client, result, &new_version, &error);
  g_assert_no_error (error);
  return new_version;
}

static gboolean
conflict_lists (GhServiceEditor *editor,
                const char      *text)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  gh_test_collect (GTK_WIDGET (editor), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_is_visible (g_ptr_array_index (rows, i)) &&
        strstr (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), text) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_conflict_and_reapply (void)
{
  GhServiceEditor *editor;
  g_autoptr(GhGatewayConfig) config = NULL;
  GhServiceConfig *relay;
  gint64 theirs, version = 0;
  GtkStack *stack;
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  edit_relay ();
  editor = visible_editor ();
  set_entry (editor, "Description", "mine");

  theirs = change_meanwhile ();
  g_assert_cmpint (theirs, >, gh_service_editor_get_base_version (editor));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.apply", NULL));
  gh_test_collect (GTK_WIDGET (editor), GTK_TYPE_STACK, stacks);
  stack = g_ptr_array_index (stacks, 0);
  WAIT_FOR (g_strcmp0 (gtk_stack_get_visible_child_name (stack), "conflict") == 0, "the 412 to be shown");

  /* What changed, readably. */
  g_assert_true (conflict_lists (editor, "Service “relay”: limits.max-sessions changed from “50” to “42”"));
  g_assert_true (conflict_lists (editor, "Service “other” added"));
  g_assert_true (conflict_lists (editor, "Your change: Service “relay”: description changed from “edited” to “mine”"));
  gh_test_assert_all_named (GTK_WIDGET (editor));
  if (g_getenv ("GATEHOUSE_SCREENSHOT_DIR") != NULL)
    gh_test_screenshots (GTK_WINDOW (setup.window), "service-editor-conflict", NULL);

  /* Re-apply: my description on top of their limit and their new service. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.reapply", NULL));
  WAIT_FOR (editor_gone (NULL), "the re-apply");
  WAIT_FOR (page_row ("other") != NULL && page_idle (NULL), "the page to show their change");

  config = get_config (&version);
  g_assert_cmpint (version, ==, theirs + 1);
  relay = gh_gateway_config_lookup_service (config, "relay");
  g_assert_cmpstr (gh_service_config_get_description (relay), ==, "mine");
  g_assert_cmpuint (gh_service_config_get_max_sessions (relay), ==, 42);
  g_assert_cmpuint (gh_service_config_get_idle_timeout (relay), ==, 60);
  g_assert_nonnull (gh_gateway_config_lookup_service (config, "other"));
}

static void
test_undo (void)
{
  g_autoptr(GhGatewayConfig) config = NULL;
  gint64 before = 0, version = 0;

  g_autoptr(GhGatewayConfig) current = get_config (&before);

  /* Undo the re-applied edit: the rollback goes to their version. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "services.undo", NULL));
  WAIT_FOR (page_idle (NULL), "the rollback");
  config = get_config (&version);
  g_assert_cmpint (version, ==, before + 1);
  g_assert_cmpstr (gh_service_config_get_description (gh_gateway_config_lookup_service (config, "relay")), ==, "edited");
  g_assert_cmpuint (gh_service_config_get_max_sessions (gh_gateway_config_lookup_service (config, "relay")), ==, 42);
  g_assert_nonnull (gh_gateway_config_lookup_service (config, "other"));
}

static void
test_stop_and_delete (void)
{
  g_autoptr(GhApiService) stopped = NULL;
  g_autoptr(GhGatewayConfig) config = NULL;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  AdwDialog *dialog;
  GtkWidget *delete_button = NULL;
  GhTestWsClient *client;
  gint64 version = 0;

  g_assert_true (gh_services_page_select (setup.page, "relay"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "services.stop", NULL));
  WAIT_FOR (page_row_state_is ("relay", "stopped") && page_idle (NULL), "the service to stop");
  stopped = lookup_api_service ("relay");
  g_assert_false (gh_api_service_is_started (stopped));

  /* Stopped: no session (refused in the handshake, or closed right after it). */
  client = ws_connect ("/relay");
  WAIT_FOR (client->error != NULL ||
            soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_CLOSED,
            "the stopped service to refuse the client");
  ws_free (client);

  /* Start again, then stop for good and delete with confirmation. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "services.start", NULL));
  WAIT_FOR (page_row_state_is ("relay", "started") && page_idle (NULL), "the service to start");

  g_assert_true (gh_services_page_select (setup.page, "relay"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "services.delete", NULL));
  gh_test_drain ();
  dialog = adw_window_get_visible_dialog (setup.window);
  g_assert_true (ADW_IS_ALERT_DIALOG (dialog));
  g_assert_cmpint (adw_alert_dialog_get_response_appearance (ADW_ALERT_DIALOG (dialog), "delete"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_alert_dialog_get_default_response (ADW_ALERT_DIALOG (dialog)), ==, "cancel");
  gh_test_assert_all_named (GTK_WIDGET (dialog));

  gh_test_collect (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      const char *label = gtk_button_get_label (g_ptr_array_index (buttons, i));

      if (label != NULL && g_str_equal (label, "_Delete"))
        delete_button = g_ptr_array_index (buttons, i);
    }
  g_assert_nonnull (delete_button);
  g_assert_true (gtk_widget_is_sensitive (delete_button));
  g_signal_emit_by_name (delete_button, "clicked");
  WAIT_FOR (page_row ("relay") == NULL && page_idle (NULL), "the service to go");

  config = get_config (&version);
  g_assert_null (gh_gateway_config_lookup_service (config, "relay"));
  g_assert_nonnull (gh_gateway_config_lookup_service (config, "echo"));
}

static void
test_stale_keeps_list (void)
{
  /* No connection: nothing to show, nothing to do. */
  gh_services_page_set_connection (setup.page, NULL);
  gh_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (gh_services_page_get_model (setup.page)), ==, 0);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (setup.page), "services.new", NULL) &&
                  visible_editor () != NULL);
  g_assert_null (visible_editor ());

  gh_services_page_set_connection (setup.page, setup.connection);
  WAIT_FOR (page_row ("echo") != NULL && page_idle (NULL), "the services again");

  /* The gateway goes away: the last list stays, the actions go off. */
  gh_test_gateway_kill (setup.gateway);
  WAIT_FOR (gh_gateway_connection_get_state (setup.connection) != GH_GATEWAY_STATE_CONNECTED,
            "the connection to notice");
  gh_test_drain ();
  g_assert_nonnull (page_row ("echo"));
  g_assert_true (gh_services_page_select (setup.page, "echo"));
  gtk_widget_activate_action (GTK_WIDGET (setup.page), "services.new", NULL);
  gh_test_drain ();
  g_assert_null (visible_editor ());
  gtk_widget_activate_action (GTK_WIDGET (setup.page), "services.delete", NULL);
  gh_test_drain ();
  g_assert_null (adw_window_get_visible_dialog (setup.window));
  if (g_getenv ("GATEHOUSE_SCREENSHOT_DIR") != NULL)
    gh_test_screenshots (GTK_WINDOW (setup.window), "services-page-stale", NULL);
}

/* The window's Services page lists the gateway's services, none still loading. */
static gboolean
window_page_listed (GtkWidget *window)
{
  GtkWidget *page = gh_test_window_page_shown (window, GH_TYPE_SERVICES_PAGE);

  return page != NULL && g_list_model_get_n_items (gh_services_page_get_model (GH_SERVICES_PAGE (page))) >= 2 &&
         gh_services_page_get_idle (GH_SERVICES_PAGE (page));
}

/* The metainfo's screenshot: the whole window on the Services page, with the echo
 * service and the proxy /services/create-proxy made (only with GATEHOUSE_SCREENSHOT_DIR). */
static void
test_window_screenshot (void)
{
  gh_test_window_screenshot (setup.gateway, "services", window_page_listed, "services-window.png", TIMEOUT_SECONDS);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "");
  /* The accessibility checks read what the widgets tell assistive technologies. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  make_setup ();
  open_window ();

  g_test_add_func ("/services/list", test_page_lists_services);
  g_test_add_func ("/services/local-problems", test_editor_local_problems);
  g_test_add_func ("/services/create-proxy", test_create_proxy);
  g_test_add_func ("/services/window-screenshot", test_window_screenshot);
  g_test_add_func ("/services/edit", test_edit);
  g_test_add_func ("/services/conflict-reapply", test_conflict_and_reapply);
  g_test_add_func ("/services/undo", test_undo);
  g_test_add_func ("/services/stop-delete", test_stop_and_delete);
  g_test_add_func ("/services/stale", test_stale_keeps_list);

  status = g_test_run ();

  gh_services_page_set_connection (setup.page, NULL);
  gh_test_destroy_window (GTK_WINDOW (setup.window));
  gh_test_drain ();
  g_assert_finalize_object (setup.page);
  gh_gateway_connection_stop (setup.connection);
  gh_test_drain ();
  g_clear_object (&setup.connection);
  gh_test_gateway_kill (setup.gateway);
  g_socket_service_stop (setup.backend);
  g_socket_listener_close (G_SOCKET_LISTENER (setup.backend));
  g_clear_object (&setup.backend);
  g_socket_listener_close (setup.busy);
  g_clear_object (&setup.busy);
  g_clear_object (&setup.identity);
  /* A failed run keeps its directory (the daemon's log, its configuration). */
  setup.gateway->keep_dir = status != 0;
  g_clear_pointer (&setup.gateway, gh_test_gateway_free);

  return status;
}
