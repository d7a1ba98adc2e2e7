/* test-connections.c — the Connections page against the real gatehoused: WSS clients
 * of its echo service appear as rows from the event stream, with their TLS and
 * counters; search and the state filter select rows; a click on a column header sorts
 * by it, and the order holds while the counters move; a session is closed from the
 * page (confirmed, then without confirmation when the Preference says so) and its
 * client sees the close; when the gateway goes away the last rows stay, marked.
 * Above the table, the charts show each service's open sessions as /stats counts
 * them, the throughput of a service whose client talks and that session first among
 * the busiest, and say the same in their accessible descriptions. An identity with
 * the viewer role sees the rows and a Close that is off and names the operator role.
 * A client that presented a certificate shows it in the Certificates page's details
 * view, as the gateway received it.
 *
 * With GATEHOUSE_SCREENSHOT_DIR set, the page is also rendered to PNG files there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <libsoup/soup.h>
#include <adwaita.h>

#include "gh-api.h"
#include "gh-certificate-details.h"
#include "gh-chart.h"
#include "gh-connections-page.h"
#include "gh-overview-page.h"
#include "gh-gateway-connection.h"
#include "gh-session-details.h"
#include "gh-test-gateway.h"
#include "gh-test-identity.h"
#include "gh-test-widgets.h"

#define TIMEOUT_SECONDS 30
#define N_CLIENTS 4
#define VIEWER_PASSWORD "viewer password of the test"

static struct {
  GhTestGateway       *gateway;
  GhGatewayConnection *connection;
  AdwWindow           *window;
  GhConnectionsPage   *page;
  GhTestWsClient      *clients[N_CLIENTS];
  char                *viewer_path;   /* an identity with the viewer role (PKCS#12) */
} setup;

#define WAIT_FOR(condition, what) GH_TEST_WAIT_FOR (TIMEOUT_SECONDS, condition, what)
#define RUN(call_async, ...) GH_TEST_RUN (TIMEOUT_SECONDS, call_async, __VA_ARGS__)

/* Widgets of the page */

static GtkWidget *
find_widget (GType type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  gh_test_collect (GTK_WIDGET (setup.page), type, found);
  g_assert_cmpuint (found->len, >, 0);
  return g_ptr_array_index (found, 0);
}

static GtkColumnViewColumn *
column_titled (const char *title)
{
  GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (find_widget (GTK_TYPE_COLUMN_VIEW)));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return column;
    }
  g_error ("no column “%s”", title);
}

static GtkWidget *
close_button (void)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  gh_test_collect (GTK_WIDGET (setup.page), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (g_ptr_array_index (buttons, i)), "connections.close") == 0)
      return g_ptr_array_index (buttons, i);
  g_error ("no Close button");
}

static GhChart *
chart_titled (const char *title)
{
  g_autoptr(GPtrArray) charts = g_ptr_array_new ();

  gh_test_collect (GTK_WIDGET (setup.page), GH_TYPE_CHART, charts);
  for (guint i = 0; i < charts->len; i++)
    if (g_strcmp0 (gh_chart_get_title (g_ptr_array_index (charts, i)), title) == 0)
      return g_ptr_array_index (charts, i);
  g_error ("no chart “%s”", title);
}

/* The newest value of a chart's series, or -1 when it has none of that name. */
static double
chart_value (GhChart    *chart,
             const char *name)
{
  GPtrArray *series = gh_chart_get_series (chart);

  for (guint i = 0; series != NULL && i < series->len; i++)
    if (g_strcmp0 (gh_stats_series_get_name (g_ptr_array_index (series, i)), name) == 0)
      return gh_stats_series_get_last (g_ptr_array_index (series, i));
  return -1;
}

/* The page's own stack: none, empty, no-match, list. */
static const char *
visible_state (void)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  gh_test_collect (GTK_WIDGET (setup.page), GTK_TYPE_STACK, stacks);
  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_child_by_name (g_ptr_array_index (stacks, i), "no-match") != NULL)
      return gtk_stack_get_visible_child_name (g_ptr_array_index (stacks, i));
  g_error ("no stack of the page");
}

static guint
n_rows (void)
{
  return g_list_model_get_n_items (G_LIST_MODEL (gh_connections_page_get_view (setup.page)));
}

static GhApiSession *
row (guint position)
{
  GhApiSession *session = g_list_model_get_item (G_LIST_MODEL (gh_connections_page_get_view (setup.page)), position);

  g_object_unref (session);   /* the view keeps it */
  return session;
}

static guint
n_open_clients (void)
{
  guint n = 0;

  for (guint i = 0; i < N_CLIENTS; i++)
    if (setup.clients[i] != NULL && setup.clients[i]->connection != NULL &&
        soup_websocket_connection_get_state (setup.clients[i]->connection) == SOUP_WEBSOCKET_STATE_OPEN)
      n++;
  return n;
}

static guint
n_open_rows (void)
{
  guint n = 0;

  for (guint i = 0; i < n_rows (); i++)
    n += g_strcmp0 (gh_api_session_get_state (row (i)), "open") == 0;
  return n;
}

static gboolean
rows_by_bytes_in_descending (void)
{
  for (guint i = 1; i < n_rows (); i++)
    if (gh_api_session_get_bytes_in (row (i - 1)) < gh_api_session_get_bytes_in (row (i)))
      return FALSE;
  return TRUE;
}

/* The gateway's counters, as GET /stats gives them. */
static GhApiStats *
get_stats (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) identity = gh_admin_client_load_identity (setup.gateway->identity_path,
                                                                       setup.gateway->password, &error);
  g_autoptr(GhAdminClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GhApiStats *stats;

  g_assert_no_error (error);
  client = gh_admin_client_new (setup.gateway->admin_url, identity, setup.gateway->fingerprint);
  result = RUN (gh_admin_client_get_stats_async, client);
  stats = gh_admin_client_get_stats_finish (client, result, &error);
  g_assert_no_error (error);
  return stats;
}

/* Fixture: one gateway, one connection, one window, as the app has. */

/* The echo service asks its clients for a certificate, and trusts the admin CA's (the
 * viewer's identity is one): the rows and details show what a client presented. */
static void
ask_for_client_certificates (void)
{
  g_autofree char *truststore_path = g_build_filename (setup.gateway->dir, "truststore.pem", NULL);
  g_autofree char *admin_ca_path = g_build_filename (setup.gateway->dir, "admin-ca.pem", NULL);
  g_autofree char *truststore = NULL, *admin_ca = NULL, *both = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *echo, *tls;

  g_assert_true (g_file_get_contents (truststore_path, &truststore, NULL, &error));
  g_assert_true (g_file_get_contents (admin_ca_path, &admin_ca, NULL, &error));
  both = g_strconcat (truststore, admin_ca, NULL);
  g_assert_true (g_file_set_contents (truststore_path, both, -1, &error));

  g_assert_true (json_parser_load_from_file (parser, setup.gateway->config_path, &error));
  echo = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                                      "services"), 0);
  g_assert_cmpstr (json_object_get_string_member (echo, "name"), ==, "echo");
  tls = json_object_new ();
  json_object_set_string_member (tls, "verify-client", "optional");
  json_object_set_object_member (echo, "tls", tls);
  json_generator_set_root (generator, json_parser_get_root (parser));
  g_assert_true (json_generator_to_file (generator, setup.gateway->config_path, &error));
}

static void
open_window (void)
{
  setup.gateway = gh_test_gateway_new ("ui/connections");
  setup.viewer_path = gh_test_gateway_add_identity (setup.gateway, "test-viewer", "viewer", VIEWER_PASSWORD);
  ask_for_client_certificates ();
  gh_test_gateway_start (setup.gateway);

  setup.connection = gh_test_connect (setup.gateway, TIMEOUT_SECONDS);
  setup.page = GH_CONNECTIONS_PAGE (g_object_ref (gh_connections_page_new ()));
  setup.window = gh_test_window_for_page (GTK_WIDGET (setup.page), TIMEOUT_SECONDS);
}

/* Tests */

static void
test_rows_follow_sessions (void)
{
  /* Before a gateway: nothing to show. */
  g_assert_cmpstr (visible_state (), ==, "none");

  gh_connections_page_set_connection (setup.page, setup.connection);
  WAIT_FOR (g_strcmp0 (visible_state (), "empty") == 0, "the empty state");

  for (guint i = 0; i < N_CLIENTS; i++)
    {
      setup.clients[i] = gh_test_ws_client_new (setup.gateway, "/echo", TIMEOUT_SECONDS);
      g_assert_nonnull (setup.clients[i]->connection);
    }
  WAIT_FOR (n_rows () == N_CLIENTS, "a row per client");
  g_assert_cmpstr (visible_state (), ==, "list");
  /* Each is open once the gateway says so (its next update). */
  WAIT_FOR (n_open_rows () == N_CLIENTS, "every session open");

  for (guint i = 0; i < n_rows (); i++)
    {
      GhApiSession *session = row (i);

      g_assert_cmpstr (gh_api_session_get_service (session), ==, "echo");
      g_assert_true (g_str_has_prefix (gh_api_session_get_client (session), "127.0.0.1:"));
      g_assert_cmpstr (gh_api_session_get_tls_protocol (session), ==, "TLS1.3");
      g_assert_cmpstr (gh_api_session_get_tls_server_name (session), ==, "localhost");
    }

  gh_test_assert_all_named (GTK_WIDGET (setup.window));
}

/* A little at a time: less than the sort test's busy client sends in all. */
static gboolean
send_message (gpointer data)
{
  GhTestWsClient *client = data;
  g_autofree char *message = g_strnfill (100, 't');

  if (client->connection != NULL)
    soup_websocket_connection_send_text (client->connection, message);
  return G_SOURCE_CONTINUE;
}

/* The talking session: the one that received the most. */
static GhApiSession *
talking_session (void)
{
  GhApiSession *talking = NULL;

  for (guint i = 0; i < n_rows (); i++)
    if (talking == NULL || gh_api_session_get_bytes_in (row (i)) > gh_api_session_get_bytes_in (talking))
      talking = row (i);
  return talking;
}

/* The first of the busiest sessions (a button), or NULL. */
static GtkWidget *
first_busiest (void)
{
  g_autoptr(GPtrArray) boxes = g_ptr_array_new ();

  gh_test_collect (GTK_WIDGET (setup.page), GTK_TYPE_BOX, boxes);
  for (guint i = 0; i < boxes->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (boxes, i), "busiest-sessions"))
      return gtk_widget_get_first_child (g_ptr_array_index (boxes, i));
  g_error ("no busiest sessions");
}

/* The client address it shows, or NULL. */
static const char *
first_busiest_client (void)
{
  GtkWidget *first = first_busiest ();

  if (first == NULL)
    return NULL;
  g_assert_true (GTK_IS_BUTTON (first));
  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (gtk_button_get_child (GTK_BUTTON (first)))));
}

static void
test_charts (void)
{
  GhChart *sessions = chart_titled ("Open Sessions per Service");
  GhChart *throughput = chart_titled ("Throughput per Service");
  g_autoptr(GhApiStats) stats = get_stats ();
  GListModel *services = gh_api_stats_get_services (stats);
  g_autofree char *expected = g_strdup_printf ("echo: %u", N_CLIENTS);
  guint talker;
  GhApiSession *talking;

  /* A series per service of the gateway, at the count /stats gives (from the next
   * tick on: the clients are all open, so the counts hold still). */
  g_assert_cmpuint (g_list_model_get_n_items (services), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr(GhApiServiceStats) service = g_list_model_get_item (services, i);
      const char *name = gh_api_service_stats_get_name (service);

      WAIT_FOR (chart_value (sessions, name) == (double) gh_api_service_stats_get_sessions_open (service),
                "the chart to count a service's sessions as /stats does");
    }
  g_assert_cmpfloat (chart_value (sessions, "echo"), ==, N_CLIENTS);
  /* ...and in words, for assistive technologies. */
  g_assert_nonnull (strstr (gh_chart_get_summary (sessions), expected));
  g_assert_nonnull (strstr (gh_chart_get_summary (sessions), "the most in the last 5 minutes: "));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (sessions), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       gh_chart_get_summary (sessions));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (sessions), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Open Sessions per Service");

  /* One client talks: the echo service's throughput rises, and its session leads the
   * busiest. */
  g_assert_null (first_busiest_client ());
  talker = g_timeout_add (100, send_message, setup.clients[1]);
  WAIT_FOR (chart_value (throughput, "echo") > 0 && first_busiest_client () != NULL, "the throughput");
  talking = talking_session ();
  WAIT_FOR (g_strcmp0 (first_busiest_client (), gh_api_session_get_client (talking)) == 0,
            "the talking session first among the busiest");
  g_assert_nonnull (strstr (gh_chart_get_summary (throughput), "echo: "));
  g_assert_null (strstr (gh_chart_get_summary (throughput), "echo: 0 bytes/s"));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (throughput), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       gh_chart_get_summary (throughput));
  gh_test_assert_all_named (GTK_WIDGET (setup.window));
  gh_test_screenshots (GTK_WINDOW (setup.window), "connections-charts", NULL);
  g_source_remove (talker);

  /* A click on it selects it in the list, and shows its details: even when a search
   * hid it, which then goes. */
  gtk_editable_set_text (GTK_EDITABLE (find_widget (GTK_TYPE_SEARCH_ENTRY)), "no-such-client.example");
  WAIT_FOR (n_rows () == 0, "the search to hide every session");
  g_signal_emit_by_name (first_busiest (), "clicked");
  gh_test_drain ();
  g_assert_cmpuint (n_rows (), ==, N_CLIENTS);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_widget (GTK_TYPE_SEARCH_ENTRY))), ==, "");
  g_assert_true (gh_session_details_get_session (GH_SESSION_DETAILS (find_widget (GH_TYPE_SESSION_DETAILS))) == talking);
  g_assert_true (gtk_selection_model_is_selected (gtk_column_view_get_model (GTK_COLUMN_VIEW (find_widget (GTK_TYPE_COLUMN_VIEW))),
                                                  gh_session_view_get_position (gh_connections_page_get_view (setup.page),
                                                                                talking)));
  gtk_selection_model_unselect_all (gtk_column_view_get_model (GTK_COLUMN_VIEW (find_widget (GTK_TYPE_COLUMN_VIEW))));
}

/* TRUE once @shown has held for some seconds since *@since (0: not yet), so that the
 * charts have lines to draw. */
static gboolean
shown_for_a_while (gboolean  shown,
                   gint64   *since)
{
  if (!shown)
    return FALSE;
  if (*since == 0)
    *since = g_get_monotonic_time ();
  return g_get_monotonic_time () - *since > 8 * G_USEC_PER_SEC;
}

/* The window's Connections page has its rows and busiest sessions, and has charted
 * them for some seconds. */
static gboolean
window_page_charted (GtkWidget *window)
{
  static gint64 busy_since;
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GPtrArray) boxes = g_ptr_array_new ();
  gboolean busy = FALSE;

  gh_test_collect (window, GH_TYPE_CONNECTIONS_PAGE, pages);
  if (pages->len != 1 || !gtk_widget_get_mapped (g_ptr_array_index (pages, 0)) ||
      g_list_model_get_n_items (G_LIST_MODEL (gh_connections_page_get_view (g_ptr_array_index (pages, 0)))) == 0)
    return FALSE;
  gh_test_collect (g_ptr_array_index (pages, 0), GTK_TYPE_BOX, boxes);
  for (guint i = 0; i < boxes->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (boxes, i), "busiest-sessions"))
      busy = gtk_widget_get_first_child (g_ptr_array_index (boxes, i)) != NULL;
  return shown_for_a_while (busy, &busy_since);
}

/* The window's Overview shows the sessions of the test's clients, and has charted them
 * for some seconds. */
static gboolean
window_overview_charted (GtkWidget *window)
{
  static gint64 shown_since;
  GtkWidget *page = gh_test_window_page_shown (window, GH_TYPE_OVERVIEW_PAGE);
  const char *sessions = page != NULL ? gh_overview_page_get_figure (GH_OVERVIEW_PAGE (page), "sessions") : NULL;

  return shown_for_a_while (sessions != NULL && g_strcmp0 (sessions, "0") != 0 && g_strcmp0 (sessions, "—") != 0,
                            &shown_since);
}

/* A metainfo screenshot: the whole window on @page_name, two clients talking (only
 * with GATEHOUSE_SCREENSHOT_DIR). */
static void
window_screenshot_while_talking (const char *page_name,
                                 gboolean  (*ready) (GtkWidget *window),
                                 const char *file)
{
  guint talkers[] = {
    g_timeout_add (100, send_message, setup.clients[1]),
    g_timeout_add (40, send_message, setup.clients[3]),
  };

  gh_test_window_screenshot (setup.gateway, page_name, ready, file, TIMEOUT_SECONDS);
  for (guint i = 0; i < G_N_ELEMENTS (talkers); i++)
    g_source_remove (talkers[i]);
}

/* The metainfo's screenshot of the Connections page. */
static void
test_window_screenshot (void)
{
  window_screenshot_while_talking ("connections", window_page_charted, "connections-window.png");
}

/* The metainfo's first screenshot: the Overview. */
static void
test_overview_screenshot (void)
{
  window_screenshot_while_talking ("overview", window_overview_charted, "overview-window.png");
}

/* A viewer sees the sessions, and a Close that is off and says which role it needs. */
static void
test_viewer_cannot_close (void)
{
  g_autoptr(GhGatewayConnection) viewer = gh_gateway_connection_new ("viewer", setup.gateway->admin_url,
                                                                     setup.viewer_path, setup.gateway->fingerprint,
                                                                     FALSE);
  GtkSelectionModel *selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (find_widget (GTK_TYPE_COLUMN_VIEW)));
  const char *tooltip;

  gh_gateway_connection_set_password (viewer, VIEWER_PASSWORD, FALSE);
  gh_gateway_connection_start (viewer);
  WAIT_FOR (gh_gateway_connection_get_state (viewer) == GH_GATEWAY_STATE_CONNECTED &&
            gh_gateway_connection_get_role (viewer) == GH_ADMIN_ROLE_VIEWER, "the viewer's connection");

  gh_connections_page_set_connection (setup.page, viewer);
  WAIT_FOR (n_rows () == N_CLIENTS, "the viewer's rows");
  gtk_selection_model_select_item (selection, 0, TRUE);
  gh_test_drain ();
  g_assert_false (gtk_widget_is_sensitive (close_button ()));
  tooltip = gtk_widget_get_tooltip_text (close_button ());
  g_assert_nonnull (tooltip);
  g_assert_true (g_str_has_prefix (tooltip, "Needs the operator role"));
  /* The key does nothing either. */
  gtk_widget_activate_action (GTK_WIDGET (setup.page), "connections.close", NULL);
  gh_test_drain ();
  g_assert_null (adw_window_get_visible_dialog (setup.window));
  g_assert_cmpuint (n_open_clients (), ==, N_CLIENTS);

  /* Back to the admin: Close is on again, with its own tooltip. */
  gh_connections_page_set_connection (setup.page, setup.connection);
  gh_gateway_connection_stop (viewer);
  WAIT_FOR (n_rows () == N_CLIENTS, "the admin's rows");
  gtk_selection_model_select_item (selection, 0, TRUE);
  gh_test_drain ();
  g_assert_true (gtk_widget_is_sensitive (close_button ()));
  g_assert_false (g_str_has_prefix (gtk_widget_get_tooltip_text (close_button ()), "Needs"));
  gtk_selection_model_unselect_all (selection);
}

static void
test_search_and_filter (void)
{
  GtkEditable *search = GTK_EDITABLE (find_widget (GTK_TYPE_SEARCH_ENTRY));
  g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();
  GtkDropDown *state = NULL;

  /* Search within the address, the SNI host and the client certificate. */
  gtk_editable_set_text (search, "LOCALHOST");
  WAIT_FOR (g_strcmp0 (gh_session_view_get_search (gh_connections_page_get_view (setup.page)), "localhost") == 0,
            "the search");
  g_assert_cmpuint (n_rows (), ==, N_CLIENTS);
  gtk_editable_set_text (search, "no-such-client.example");
  WAIT_FOR (n_rows () == 0, "no match");
  g_assert_cmpstr (visible_state (), ==, "no-match");
  gtk_editable_set_text (search, "");
  WAIT_FOR (n_rows () == N_CLIENTS, "every row again");

  /* The state drop-down (the gateway's states): none is connecting; all are open. */
  gh_test_collect (GTK_WIDGET (setup.page), GTK_TYPE_DROP_DOWN, dropdowns);
  for (guint i = 0; i < dropdowns->len; i++)
    {
      GListModel *items = gtk_drop_down_get_model (g_ptr_array_index (dropdowns, i));
      g_autoptr(GtkStringObject) first = g_list_model_get_item (items, 0);

      if (g_str_equal (gtk_string_object_get_string (first), "All States"))
        state = g_ptr_array_index (dropdowns, i);
    }
  g_assert_nonnull (state);
  gtk_drop_down_set_selected (state, 2);   /* Connecting */
  g_assert_cmpuint (n_rows (), ==, 0);
  gtk_drop_down_set_selected (state, 3);   /* Open */
  g_assert_cmpuint (n_rows (), ==, N_CLIENTS);
  gtk_drop_down_set_selected (state, 0);
}

static void
test_sort_by_column (void)
{
  GtkColumnView *column_view = GTK_COLUMN_VIEW (find_widget (GTK_TYPE_COLUMN_VIEW));
  GhTestWsClient *busy = setup.clients[2];
  g_autofree char *message = g_strnfill (1000, 'm');

  /* A click on "In", twice: the most bytes first. */
  gtk_column_view_sort_by_column (column_view, column_titled ("In"), GTK_SORT_DESCENDING);
  g_assert_cmpint (gh_session_view_get_sort_key (gh_connections_page_get_view (setup.page)), ==,
                   GH_SESSION_SORT_BYTES_IN);
  g_assert_true (gh_session_view_get_descending (gh_connections_page_get_view (setup.page)));

  /* One client talks: its row rises to the top as its counters come in, and the order
   * holds. */
  for (guint i = 0; i < 40; i++)
    soup_websocket_connection_send_text (busy->connection, message);
  WAIT_FOR (n_rows () == N_CLIENTS && gh_api_session_get_bytes_in (row (0)) >= 40000, "the busy session first");
  g_assert_true (rows_by_bytes_in_descending ());
  g_assert_cmpint (gh_api_session_get_messages_in (row (0)), >=, 40);

  gh_test_screenshots (GTK_WINDOW (setup.window), "connections-page", NULL);
}

/* What this process put on the clipboard (no round trip through the X server). */
static char *
clipboard_text (GdkClipboard *clipboard)
{
  GdkContentProvider *content = gdk_clipboard_get_content (clipboard);
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, &error));
  g_assert_no_error (error);
  return g_value_dup_string (&value);
}

static void
test_details (void)
{
  GtkSelectionModel *selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (find_widget (GTK_TYPE_COLUMN_VIEW)));
  GhSessionDetails *details = GH_SESSION_DETAILS (find_widget (GH_TYPE_SESSION_DETAILS));
  AdwOverlaySplitView *split = ADW_OVERLAY_SPLIT_VIEW (find_widget (ADW_TYPE_OVERLAY_SPLIT_VIEW));
  g_autofree char *message = g_strnfill (2000, 'r');
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  GhApiSession *busiest;

  /* None selected: no details. One: its details, beside the table. */
  gtk_selection_model_unselect_all (selection);
  gh_test_drain ();
  g_assert_false (adw_overlay_split_view_get_show_sidebar (split));
  gtk_selection_model_select_item (selection, 0, TRUE);
  busiest = row (0);
  gh_test_drain ();
  g_assert_true (adw_overlay_split_view_get_show_sidebar (split));
  g_assert_true (gh_session_details_get_session (details) == busiest);

  /* It follows the session: the rate rises while the client talks. */
  for (guint i = 0; i < 20; i++)
    soup_websocket_connection_send_text (setup.clients[2]->connection, message);
  WAIT_FOR (gh_session_details_get_rate (details) > 0, "a rate");
  gh_test_assert_all_named (GTK_WIDGET (setup.window));
  gh_test_screenshots (GTK_WINDOW (setup.window), "connections-details", NULL);

  /* Copied as the API writes it. */
  gtk_widget_activate_action (GTK_WIDGET (setup.page), "connections.copy-json", NULL);
  text = clipboard_text (gtk_widget_get_clipboard (GTK_WIDGET (setup.page)));
  json = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "id"), ==,
                   gh_api_session_get_id (busiest));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "client"), ==,
                   gh_api_session_get_client (busiest));

  /* Two selected: no details. */
  gtk_selection_model_select_range (selection, 0, 2, TRUE);
  gh_test_drain ();
  g_assert_false (adw_overlay_split_view_get_show_sidebar (split));
}

static void
test_close_sessions (void)
{
  GtkSelectionModel *selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (find_widget (GTK_TYPE_COLUMN_VIEW)));
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  AdwDialog *dialog;

  /* Nothing selected: nothing to close. */
  gtk_selection_model_unselect_all (selection);
  gh_test_drain ();
  g_assert_false (gtk_widget_is_sensitive (close_button ()));

  /* The busiest session, confirmed. */
  g_settings_set_boolean (settings, "confirm-close-session", TRUE);
  gtk_selection_model_select_item (selection, 0, TRUE);
  gh_test_drain ();
  g_assert_true (gtk_widget_is_sensitive (close_button ()));
  gtk_widget_activate_action (GTK_WIDGET (setup.page), "connections.close", NULL);
  WAIT_FOR ((dialog = adw_window_get_visible_dialog (setup.window)) != NULL, "the confirmation");
  g_assert_true (ADW_IS_ALERT_DIALOG (dialog));
  g_assert_cmpstr (adw_alert_dialog_get_heading (ADW_ALERT_DIALOG (dialog)), ==, "Close 1 Session?");
  gh_test_save_png (GTK_WIDGET (setup.window), "connections-close-light-1280.png");
  g_signal_emit_by_name (dialog, "response", "close");
  adw_dialog_force_close (dialog);
  WAIT_FOR (n_open_clients () == N_CLIENTS - 1 && n_rows () == N_CLIENTS - 1, "the session to close");
  g_assert_true (setup.clients[2]->connection == NULL ||
                 soup_websocket_connection_get_state (setup.clients[2]->connection) != SOUP_WEBSOCKET_STATE_OPEN);
  /* The row went; a toast says why, as the gateway recorded it. */
  WAIT_FOR (gh_test_label_shown (GTK_WIDGET (setup.page), " closed: closed by CN="), "the reason of the close");

  /* Two at once, without confirmation, as the Preference says. */
  g_settings_set_boolean (settings, "confirm-close-session", FALSE);
  gtk_selection_model_select_range (selection, 0, 2, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (setup.page), "connections.close", NULL);
  g_assert_null (adw_window_get_visible_dialog (setup.window));
  WAIT_FOR (n_open_clients () == N_CLIENTS - 3 && n_rows () == N_CLIENTS - 3, "two sessions to close");
  WAIT_FOR (gh_test_label_shown (GTK_WIDGET (setup.page), "2 sessions closed"), "the count of the closed");
}

static GtkWidget *
certificate_button (void)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  gh_test_collect (GTK_WIDGET (setup.page), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (g_ptr_array_index (buttons, i)), "details.show-certificate") == 0)
      return g_ptr_array_index (buttons, i);
  g_error ("no button for the client certificate");
}

static guint
row_of_subject (const char *subject)
{
  for (guint i = 0; i < n_rows (); i++)
    if (g_strcmp0 (gh_api_session_get_tls_client_subject (row (i)), subject) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

/* A client that presented a certificate: its subject in the row, and the certificate
 * itself, field by field and verified, in the Certificates page's details view. */
static void
test_client_certificate (void)
{
  GtkSelectionModel *selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (find_widget (GTK_TYPE_COLUMN_VIEW)));
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) identity = gh_admin_client_load_identity (setup.viewer_path, VIEWER_PASSWORD, &error);
  GhTestWsClient *client;
  GhApiCertEntry *entry;
  AdwDialog *dialog;
  guint position;

  g_assert_no_error (error);
  gtk_selection_model_unselect_all (selection);
  client = gh_test_ws_client_new_with_certificate (setup.gateway, "/echo", identity, TIMEOUT_SECONDS);
  g_assert_nonnull (client->connection);
  WAIT_FOR (row_of_subject ("CN=test-viewer") != GTK_INVALID_LIST_POSITION, "the row with the client's subject");

  /* A session without a certificate has nothing to show. */
  position = row_of_subject ("CN=test-viewer");
  gtk_selection_model_select_item (selection, position == 0 ? 1 : 0, TRUE);
  gh_test_drain ();
  g_assert_null (gh_api_session_get_tls_client_subject (gh_session_details_get_session (
                   GH_SESSION_DETAILS (find_widget (GH_TYPE_SESSION_DETAILS)))));
  g_assert_false (gtk_widget_is_sensitive (certificate_button ()));

  gtk_selection_model_select_item (selection, row_of_subject ("CN=test-viewer"), TRUE);
  gh_test_drain ();
  g_assert_true (gtk_widget_is_sensitive (certificate_button ()));
  g_signal_emit_by_name (certificate_button (), "clicked");
  WAIT_FOR ((dialog = adw_window_get_visible_dialog (setup.window)) != NULL, "the certificate's details");
  g_assert_true (GH_IS_CERTIFICATE_DETAILS (dialog));
  entry = gh_certificate_details_get_entry (GH_CERTIFICATE_DETAILS (dialog));
  g_assert_cmpint (gh_api_cert_entry_get_store (entry), ==, GH_API_CERT_STORE_PEER);
  g_assert_cmpstr (gh_api_cert_entry_get_subject (entry), ==, "CN=test-viewer");
  g_assert_cmpstr (gh_api_cert_entry_get_kind_label (entry), ==, "Client Certificate");
  /* The very certificate the client holds. */
  {
    g_autoptr(GByteArray) der = NULL;
    g_autoptr(GBytes) ours = NULL;
    GBytes *shown = gh_certificate_get_der (gh_api_cert_entry_get_certificate (entry));

    g_object_get (identity, "certificate", &der, NULL);
    ours = g_bytes_new (der->data, der->len);
    g_assert_true (g_bytes_equal (ours, shown));
  }
  WAIT_FOR (gh_certificate_details_get_verified (GH_CERTIFICATE_DETAILS (dialog)), "the chain verified");
  gh_test_assert_all_named (GTK_WIDGET (dialog));
  gh_test_screenshots (GTK_WINDOW (setup.window), "connections-client-certificate", NULL);
  adw_dialog_force_close (dialog);

  gh_test_ws_client_free (client, TIMEOUT_SECONDS);
  WAIT_FOR (row_of_subject ("CN=test-viewer") == GTK_INVALID_LIST_POSITION, "the session to end");
}

static void
test_stale_keeps_rows (void)
{
  AdwBanner *banner = ADW_BANNER (find_widget (ADW_TYPE_BANNER));
  guint before = n_rows ();

  g_assert_cmpuint (before, >, 0);
  g_assert_false (adw_banner_get_revealed (banner));
  gh_test_gateway_kill (setup.gateway);
  WAIT_FOR (gh_gateway_connection_get_stale (setup.connection), "the connection to notice");
  gh_test_drain ();
  g_assert_true (adw_banner_get_revealed (banner));
  g_assert_cmpuint (n_rows (), ==, before);
  gtk_selection_model_select_item (gtk_column_view_get_model (GTK_COLUMN_VIEW (find_widget (GTK_TYPE_COLUMN_VIEW))),
                                   0, TRUE);
  gh_test_drain ();
  g_assert_false (gtk_widget_is_sensitive (close_button ()));
  gh_test_screenshots (GTK_WINDOW (setup.window), "connections-page-stale", NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "");
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  open_window ();

  g_test_add_func ("/connections/rows-follow-sessions", test_rows_follow_sessions);
  g_test_add_func ("/connections/charts", test_charts);
  g_test_add_func ("/connections/window-screenshot", test_window_screenshot);
  g_test_add_func ("/connections/overview-screenshot", test_overview_screenshot);
  g_test_add_func ("/connections/viewer", test_viewer_cannot_close);
  g_test_add_func ("/connections/search-and-filter", test_search_and_filter);
  g_test_add_func ("/connections/sort-by-column", test_sort_by_column);
  g_test_add_func ("/connections/details", test_details);
  g_test_add_func ("/connections/close", test_close_sessions);
  g_test_add_func ("/connections/client-certificate", test_client_certificate);
  g_test_add_func ("/connections/stale", test_stale_keeps_rows);

  status = g_test_run ();

  for (guint i = 0; i < N_CLIENTS; i++)
    if (setup.clients[i] != NULL)
      gh_test_ws_client_free (setup.clients[i], TIMEOUT_SECONDS);
  gh_connections_page_set_connection (setup.page, NULL);
  gh_test_destroy_window (GTK_WINDOW (setup.window));
  gh_test_drain ();
  g_assert_finalize_object (setup.page);
  g_clear_object (&setup.connection);
  gh_test_gateway_free (setup.gateway);
  g_free (setup.viewer_path);
  return status;
}
