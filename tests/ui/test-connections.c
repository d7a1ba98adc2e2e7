/* test-connections.c — the Connections page against the real gatehoused: WSS clients
 * of its echo service appear as rows from the event stream, with their TLS and
 * counters; search and the state filter select rows; a click on a column header sorts
 * by it, and the order holds while the counters move; a session is closed from the
 * page (confirmed, then without confirmation when the Preference says so) and its
 * client sees the close; when the gateway goes away the last rows stay, marked.
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
#include "gh-connections-page.h"
#include "gh-gateway-connection.h"
#include "gh-session-details.h"
#include "gh-test-gateway.h"
#include "gh-test-widgets.h"

#define TIMEOUT_SECONDS 30
#define N_CLIENTS 4

static struct {
  GhTestGateway       *gateway;
  GhGatewayConnection *connection;
  AdwWindow           *window;
  GhConnectionsPage   *page;
  GhTestWsClient      *clients[N_CLIENTS];
} setup;

#define WAIT_FOR(condition, what) GH_TEST_WAIT_FOR (TIMEOUT_SECONDS, condition, what)

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

/* Fixture: one gateway, one connection, one window, as the app has. */

static void
open_window (void)
{
  setup.gateway = gh_test_gateway_new ("ui/connections");
  gh_test_gateway_start (setup.gateway);

  setup.connection = gh_gateway_connection_new ("test gateway", setup.gateway->admin_url, setup.gateway->identity_path,
                                                setup.gateway->fingerprint, FALSE);
  gh_gateway_connection_set_password (setup.connection, setup.gateway->password, FALSE);
  gh_gateway_connection_start (setup.connection);
  WAIT_FOR (gh_gateway_connection_get_state (setup.connection) == GH_GATEWAY_STATE_CONNECTED, "the connection");

  setup.window = ADW_WINDOW (adw_window_new ());
  setup.page = g_object_ref (gh_connections_page_new ());
  adw_window_set_content (setup.window, GTK_WIDGET (setup.page));
  gtk_window_set_default_size (GTK_WINDOW (setup.window), 1280, 800);
  gtk_window_present (GTK_WINDOW (setup.window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (setup.page)), "the window");
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

  /* Two at once, without confirmation, as the Preference says. */
  g_settings_set_boolean (settings, "confirm-close-session", FALSE);
  gtk_selection_model_select_range (selection, 0, 2, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (setup.page), "connections.close", NULL);
  g_assert_null (adw_window_get_visible_dialog (setup.window));
  WAIT_FOR (n_open_clients () == N_CLIENTS - 3 && n_rows () == N_CLIENTS - 3, "two sessions to close");
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
  g_test_add_func ("/connections/search-and-filter", test_search_and_filter);
  g_test_add_func ("/connections/sort-by-column", test_sort_by_column);
  g_test_add_func ("/connections/details", test_details);
  g_test_add_func ("/connections/close", test_close_sessions);
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
  return status;
}
