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
#include <string.h>
#include <libsoup/soup.h>
#include <adwaita.h>

#include "gh-add-gateway-dialog.h"
#include "gh-application.h"
#include "gh-gateway-connection.h"
#include "gh-gateway-list.h"
#include "gh-overview-page.h"
#include "gh-window.h"
#include "gh-test-gateway.h"
#include "gh-test-widgets.h"

#define TIMEOUT_SECONDS 40

/* The daemon on its `gatehoused init` setup. */
static GhTestGateway *gateway;

/* Helpers */

#define WAIT_FOR(condition, what) GH_TEST_WAIT_FOR (TIMEOUT_SECONDS, condition, what)

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
static GhTestWsClient *
echo_connect (void)
{
  GhTestWsClient *echo = gh_test_ws_client_new (gateway, "/echo", TIMEOUT_SECONDS);

  g_assert_no_error (echo->error);
  return echo;
}

static void
echo_close (GhTestWsClient *echo)
{
  gh_test_ws_client_free (echo, TIMEOUT_SECONDS);
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
  gh_test_drain ();

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
  gh_test_drain ();
}

static void
dialog_close (DialogFixture *fixture)
{
  adw_dialog_force_close (ADW_DIALOG (fixture->dialog));
  gh_test_drain ();
  gh_test_destroy_window (fixture->window);
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

  dialog_open (&fixture, "https://127.0.0.1:9443", gateway->identity_path, gateway->password);
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

  dialog_open (&fixture, gateway->admin_url, gateway->identity_path, "not the password");
  dialog_connect (&fixture);
  g_assert_cmpstr (gh_add_gateway_dialog_get_step (fixture.dialog), ==, "form");
  g_assert_cmpstr (gh_add_gateway_dialog_get_problem (fixture.dialog), ==, "Wrong password");
  take_shot ("add-gateway-wrong-password.png");
  g_assert_nonnull (strstr (gh_add_gateway_dialog_get_problem_detail (fixture.dialog), "gatehouse-admin.pw"));
  g_assert_null (strstr (gh_add_gateway_dialog_get_problem_detail (fixture.dialog), gateway->password));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture.list)), ==, 0);
  dialog_close (&fixture);
}

static void
test_dialog_wrong_file (void)
{
  DialogFixture fixture = { 0 };
  g_autofree char *ca = g_build_filename (gateway->dir, "ca.pem", NULL);
  g_autofree char *missing = g_build_filename (gateway->dir, "no-such.p12", NULL);

  dialog_open (&fixture, gateway->admin_url, ca, gateway->password);
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
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u", gh_test_free_port ());

  dialog_open (&fixture, url, gateway->identity_path, gateway->password);
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

  dialog_open (&fixture, gateway->admin_url, gateway->identity_path, gateway->password);
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
  g_autofree char *other_dir = g_build_filename (gateway->dir, "other", NULL);
  g_autofree char *other_p12 = g_build_filename (other_dir, "gatehouse-admin.p12", NULL);
  g_autofree char *other_pw_path = g_build_filename (other_dir, "gatehouse-admin.pw", NULL);
  g_autofree char *other_password = NULL;
  g_autofree char *port = g_strdup_printf ("%u", gh_test_free_port ());
  g_autofree char *admin_port = g_strdup_printf ("%u", gh_test_free_port ());
  g_autoptr(GSubprocess) init = NULL;
  g_autoptr(GError) error = NULL;
  const char *problem;

  /* An admin identity of another gateway (another admin CA): this one refuses it. */
  init = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, gateway->gatehoused, "init", "--dir", other_dir,
                           "--port", port, "--admin-port", admin_port, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (init, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (other_pw_path, &other_password, NULL, &error);
  g_assert_no_error (error);
  g_strchomp (other_password);

  dialog_open (&fixture, gateway->admin_url, other_p12, other_password);
  dialog_connect (&fixture);
  WAIT_FOR (g_strcmp0 (gh_add_gateway_dialog_get_step (fixture.dialog), "confirm") == 0, "the confirm step");
  g_assert_cmpstr (gh_add_gateway_dialog_get_fingerprint (fixture.dialog), ==, gateway->fingerprint);

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

  dialog_open (&fixture, gateway->admin_url, gateway->identity_path, gateway->password);
  take_shot ("add-gateway-form.png");
  check_accessible_names (GTK_WIDGET (fixture.dialog), &n_checked);
  g_assert_cmpuint (n_checked, >=, 5);

  dialog_connect (&fixture);
  g_assert_null (gh_add_gateway_dialog_get_problem (fixture.dialog));
  WAIT_FOR (g_strcmp0 (gh_add_gateway_dialog_get_step (fixture.dialog), "confirm") == 0, "the confirm step");

  /* The exact fingerprint init printed, shown grouped for reading. */
  g_assert_cmpstr (gh_add_gateway_dialog_get_fingerprint (fixture.dialog), ==, gateway->fingerprint);
  fingerprint_label = find_label_with_class (GTK_WIDGET (fixture.dialog), "gh-fingerprint");
  g_assert_nonnull (fingerprint_label);
  shown = g_string_new (gtk_label_get_text (fingerprint_label));
  g_assert_nonnull (strchr (shown->str, '\n'));
  g_string_replace (shown, "\n", ":", 0);
  g_assert_cmpstr (shown->str, ==, gateway->fingerprint);
  take_shot ("add-gateway-confirm.png");
  n_checked = 0;
  check_accessible_names (GTK_WIDGET (fixture.dialog), &n_checked);

  /* Trust and Add: pinned, saved (no password in GSettings), connected. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.dialog), "add-gateway.trust", NULL));
  WAIT_FOR (gh_add_gateway_dialog_get_added (fixture.dialog) != NULL, "the gateway to be added");
  connection = g_object_ref (gh_add_gateway_dialog_get_added (fixture.dialog));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture.list)), ==, 1);
  g_assert_cmpstr (gh_gateway_connection_get_pin (connection), ==, gateway->fingerprint);
  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_CONNECTED, "CONNECTED");
  g_assert_null (gh_gateway_connection_get_state_message (connection));
  g_assert_false (gh_gateway_connection_get_stale (connection));
  WAIT_FOR (gh_gateway_connection_get_info (connection) != NULL, "the gateway's info");
  g_assert_cmpint (gh_gateway_connection_get_config_version (connection), >=, 1);

  saved = g_settings_get_value (settings, "gateways");
  g_assert_cmpuint (g_variant_n_children (saved), ==, 1);
  g_variant_get_child (saved, 0, "(&s&s&s&s)", &name, &url, &identity, &pin);
  g_assert_cmpstr (url, ==, gateway->admin_url);
  g_assert_cmpstr (identity, ==, gateway->identity_path);
  g_assert_cmpstr (pin, ==, gateway->fingerprint);
  {
    g_autofree char *printed = g_variant_print (saved, FALSE);

    g_assert_null (strstr (printed, gateway->password));
  }

  /* Adding it again is refused, in the dialog. */
  {
    DialogFixture again = { 0 };

    dialog_open (&again, gateway->admin_url, gateway->identity_path, gateway->password);
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
  GhTestWsClient *echo;
  GtkListBox *sidebar;
  GtkListBoxRow *row;
  guint n_checked = 0;

  g_settings_reset (settings, "gateways");
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));

  connection = gh_gateway_connection_new ("Test gateway", gateway->admin_url, gateway->identity_path, gateway->fingerprint, FALSE);
  gh_gateway_connection_set_password (connection, gateway->password, FALSE);
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
  g_assert_cmpstr (gh_overview_page_get_subtitle (page), ==, gateway->admin_url);
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
  gh_test_gateway_kill (gateway);
  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_RECONNECTING ||
            gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_UNREACHABLE, "RECONNECTING");
  g_assert_true (gh_gateway_connection_get_stale (connection));
  gh_test_drain ();
  g_assert_true (gh_overview_page_get_stale (page));
  g_assert_true (g_str_has_prefix (gh_overview_page_get_subtitle (page), "Last known"));
  g_assert_nonnull (gh_window_get_banner_title (window));
  g_assert_null (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
  /* The last known figures stay. */
  g_assert_true (figure_is (page, "version", gh_api_info_get_version (info)));

  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_UNREACHABLE, "UNREACHABLE");
  g_assert_nonnull (strstr (gh_gateway_connection_get_state_message (connection), gateway->admin_url));
  g_assert_cmpstr (state_icon_says (row), ==, "Unreachable");
  g_assert_true (gtk_test_accessible_check_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                     "Test gateway, Unreachable") == NULL);
  gh_test_drain ();
  g_assert_nonnull (strstr (gh_window_get_banner_title (window), "unreachable"));
  take_shot ("overview-unreachable-stale.png");

  /* Back: live again on its own. */
  gh_test_gateway_start (gateway);
  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_CONNECTED, "CONNECTED again");
  gh_test_drain ();
  g_assert_false (gh_gateway_connection_get_stale (connection));
  g_assert_false (gh_overview_page_get_stale (page));
  g_assert_null (gh_window_get_banner_title (window));
  WAIT_FOR (figure_is (page, "sessions", "0"), "the sessions after the restart");

  gh_test_destroy_window (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_connection_pin_changed (void)
{
  g_autoptr(GhGatewayConnection) connection = NULL;
  const char *wrong = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";

  connection = gh_gateway_connection_new (NULL, gateway->admin_url, gateway->identity_path, wrong, FALSE);
  {
    /* No name: the host and port. */
    g_autofree char *host_port = g_strdup_printf ("127.0.0.1:%u", gateway->admin_port);
    g_assert_cmpstr (gh_gateway_connection_get_name (connection), ==, host_port);
  }
  gh_gateway_connection_set_password (connection, gateway->password, FALSE);
  gh_gateway_connection_start (connection);

  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_NEEDS_ATTENTION &&
            gh_gateway_connection_get_new_pin (connection) != NULL, "NEEDS_ATTENTION");
  g_assert_cmpint (gh_gateway_connection_get_attention (connection), ==, GH_GATEWAY_ATTENTION_PIN_CHANGED);
  g_assert_cmpstr (gh_gateway_connection_get_new_pin (connection), ==, gateway->fingerprint);
  g_assert_nonnull (strstr (gh_gateway_connection_get_state_message (connection), "changed: was"));
  g_assert_nonnull (strstr (gh_gateway_connection_get_state_message (connection), wrong));
  g_assert_nonnull (strstr (gh_gateway_connection_get_state_message (connection), gateway->fingerprint));

  /* The user confirms: pinned, and connected. */
  gh_gateway_connection_set_pin (connection, gh_gateway_connection_get_new_pin (connection));
  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_CONNECTED, "CONNECTED");
  g_assert_cmpstr (gh_gateway_connection_get_pin (connection), ==, gateway->fingerprint);
  gh_gateway_connection_stop (connection);
}

static void
test_connection_wrong_password (void)
{
  g_autoptr(GhGatewayConnection) connection = NULL;

  connection = gh_gateway_connection_new ("x", gateway->admin_url, gateway->identity_path, gateway->fingerprint, FALSE);
  gh_gateway_connection_set_password (connection, "wrong", FALSE);
  gh_gateway_connection_start (connection);
  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_NEEDS_ATTENTION, "NEEDS_ATTENTION");
  g_assert_cmpint (gh_gateway_connection_get_attention (connection), ==, GH_GATEWAY_ATTENTION_PASSWORD);
  g_assert_nonnull (strstr (gh_gateway_connection_get_state_message (connection), "not the right one"));

  gh_gateway_connection_set_password (connection, gateway->password, FALSE);
  gh_gateway_connection_reconnect (connection);
  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_CONNECTED, "CONNECTED");
  gh_gateway_connection_stop (connection);
}

/* The window's answer to a changed pin: the banner, the row's menu and the dialog. */

/* A label that shows @fingerprint for reading and says it whole to assistive technologies. */
static GtkLabel *
find_fingerprint_label (GtkWidget  *widget,
                        const char *fingerprint)
{
  g_autofree char *readable = gh_format_fingerprint_for_reading (fingerprint);

  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), readable) == 0 &&
      gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, fingerprint) == NULL)
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_fingerprint_label (child, fingerprint);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_window_confirm_fingerprint (void)
{
  GhWindow *window = g_object_ref (g_object_new (GH_TYPE_WINDOW, NULL));
  g_autoptr(GhGatewayConnection) connection = NULL;
  const char *wrong = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";
  GtkListBoxRow *row;
  AdwDialog *dialog;
  guint n_checked = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  /* Mapped before anything happens to it: a surface destroyed while GDK still waits
   * for its first frame trips a critical in GTK's X11 backend. */
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)), "mapped");
  gh_test_drain ();
  connection = gh_gateway_connection_new ("Pinned", gateway->admin_url, gateway->identity_path, wrong, FALSE);
  gh_gateway_connection_set_password (connection, gateway->password, FALSE);
  gh_window_add_gateway (window, connection);
  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_NEEDS_ATTENTION &&
            gh_gateway_connection_get_new_pin (connection) != NULL, "NEEDS_ATTENTION");
  gh_test_drain ();
  g_assert_nonnull (gh_window_get_banner_title (window));

  /* From the row's menu (its item is enabled now): both fingerprints, named. */
  row = gtk_list_box_get_row_at_index (find_descendant (GTK_WIDGET (window), GTK_TYPE_LIST_BOX), 0);
  g_assert_cmpstr (state_icon_says (row), ==, "Needs attention");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "gateway.confirm-fingerprint", NULL));
  gh_test_drain ();
  dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window));
  g_assert_true (ADW_IS_ALERT_DIALOG (dialog));
  g_assert_cmpstr (adw_alert_dialog_get_heading (ADW_ALERT_DIALOG (dialog)), ==, "Trust the New Certificate?");
  g_assert_cmpint (adw_alert_dialog_get_response_appearance (ADW_ALERT_DIALOG (dialog), "trust"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_alert_dialog_get_default_response (ADW_ALERT_DIALOG (dialog)), ==, "cancel");
  check_accessible_names (GTK_WIDGET (dialog), &n_checked);
  g_assert_nonnull (find_fingerprint_label (GTK_WIDGET (dialog), wrong));
  g_assert_nonnull (find_fingerprint_label (GTK_WIDGET (dialog), gateway->fingerprint));

  /* Trusted: pinned, and connected. */
  g_signal_emit_by_name (dialog, "response", "trust");
  adw_dialog_force_close (dialog);
  gh_test_drain ();
  WAIT_FOR (gh_gateway_connection_get_state (connection) == GH_GATEWAY_STATE_CONNECTED, "CONNECTED");
  g_assert_cmpstr (gh_gateway_connection_get_pin (connection), ==, gateway->fingerprint);
  gh_test_drain ();
  g_assert_null (gh_window_get_banner_title (window));

  gh_test_destroy_window (GTK_WINDOW (window));
  g_assert_finalize_object (window);
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
  g_assert_cmpstr (gh_gateway_connection_get_pin (connection), ==, gateway->fingerprint);
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
  g_autofree char *pin = g_ascii_strdown (gateway->fingerprint, -1);
  char *argv[] = {
    "gatehouse", "--gateway", gateway->admin_url, "--identity", gateway->identity_path,
    "--identity-password-file", gateway->password_path, "--pin", pin, "--gateway-name", "Demo", NULL,
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

  gateway = gh_test_gateway_new ("ui/gateways");
  gh_test_gateway_start (gateway);

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
  g_test_add_func ("/gateways/window/confirm-fingerprint", test_window_confirm_fingerprint);
  /* Last: it kills and restarts the daemon. */
  g_test_add_func ("/gateways/window/overview-live", test_window_overview_live);

  status = g_test_run ();

  /* A failed run keeps its directory (the daemon's log, its configuration). */
  gateway->keep_dir = status != 0;
  g_clear_pointer (&gateway, gh_test_gateway_free);

  return status;
}
