/* test-audit.c — the Audit page against the real gatehoused: changes made through the
 * admin API (a renamed configuration, a stale write the gateway refuses, a service
 * stopped and started) appear without a refresh; the identity, action and result
 * filters and the search select the right rows; a change is rolled back from the page
 * and the gateway's configuration is that version's again; the comparison of two
 * versions shows the changed line; a viewer finds Roll Back off, its tooltip naming the
 * role; when the gateway goes away the rows stay, marked; a gateway never reached is
 * said to be so.
 *
 * With GATEHOUSE_SCREENSHOT_DIR set, the page is also rendered to PNG files there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <adwaita.h>

#include "gh-api.h"
#include "gh-audit-page.h"
#include "gh-gateway-connection.h"
#include "gh-test-gateway.h"
#include "gh-test-identity.h"
#include "gh-test-widgets.h"
#include "gh-version-compare.h"
#include "gh-window.h"

#define TIMEOUT_SECONDS 30
#define VIEWER_PASSWORD "viewer password of the test"

static struct {
  GhTestGateway       *gateway;
  GhGatewayConnection *connection;
  AdwWindow           *window;
  GhAuditPage         *page;
  char                *first_name;    /* the configuration's name before the tests */
  gint64               renamed;       /* the version the first rename made */
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

static GtkWidget *
button_for (const char *action)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  gh_test_collect (GTK_WIDGET (setup.page), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (g_ptr_array_index (buttons, i)), action) == 0)
      return g_ptr_array_index (buttons, i);
  g_error ("no button for %s", action);
}

/* The drop-down whose first choice is @all. */
static GtkDropDown *
dropdown_for (const char *all)
{
  g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();

  gh_test_collect (GTK_WIDGET (setup.page), GTK_TYPE_DROP_DOWN, dropdowns);
  for (guint i = 0; i < dropdowns->len; i++)
    {
      GListModel *items = gtk_drop_down_get_model (g_ptr_array_index (dropdowns, i));
      g_autoptr(GtkStringObject) first = g_list_model_get_n_items (items) > 0 ? g_list_model_get_item (items, 0) : NULL;

      if (first != NULL && g_str_equal (gtk_string_object_get_string (first), all))
        return g_ptr_array_index (dropdowns, i);
    }
  g_error ("no drop-down “%s”", all);
}

static int
find_choice (GtkDropDown *dropdown,
             const char  *choice)
{
  GListModel *items = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (items, i);

      if (g_str_equal (gtk_string_object_get_string (item), choice))
        return (int) i;
    }
  return -1;
}

static void
choose (GtkDropDown *dropdown,
        const char  *choice)
{
  int i = find_choice (dropdown, choice);

  if (i < 0)
    g_error ("no choice “%s”", choice);
  gtk_drop_down_set_selected (dropdown, (guint) i);
}

/* The page's own stack: none, loading, error, empty, no-match, list. */
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
  return g_list_model_get_n_items (gh_audit_page_get_shown (setup.page));
}

static GhApiAuditEntry *
row (guint position)
{
  GhApiAuditEntry *entry = g_list_model_get_item (gh_audit_page_get_shown (setup.page), position);

  g_object_unref (entry);   /* the page keeps it */
  return entry;
}

/* The position of the newest shown entry with @action and @status, or -1. */
static int
find_row (const char *action,
          guint       status)
{
  for (guint i = 0; i < n_rows (); i++)
    if (g_strcmp0 (gh_api_audit_entry_get_action (row (i)), action) == 0 &&
        gh_api_audit_entry_get_status (row (i)) == status)
      return (int) i;
  return -1;
}

static guint
count_rows (const char *action,
            guint       status)
{
  guint n = 0;

  for (guint i = 0; i < n_rows (); i++)
    n += g_strcmp0 (gh_api_audit_entry_get_action (row (i)), action) == 0 &&
         gh_api_audit_entry_get_status (row (i)) == status;
  return n;
}

/* The gateway, through its API */

static GhAdminClient *
client (void)
{
  return gh_gateway_connection_get_client (setup.connection);
}

static GhGatewayConfig *
get_config (gint64 *version)
{
  g_autoptr(GAsyncResult) result = RUN (gh_admin_client_get_config_async, client ());
  g_autoptr(GError) error = NULL;
  GhGatewayConfig *config = gh_admin_client_get_config_finish (client (), result, version, &error);

  g_assert_no_error (error);
  return config;
}

/* PUT /config with the name changed; @if_match 0 for the current version. */
static gint64
rename_config (const char  *name,
               gint64       if_match,
               GError     **error)
{
  return gh_test_rename_gateway (client (), name, if_match, TIMEOUT_SECONDS, error);
}

/* Fixture: one gateway, one connection, one window, as the app has. */

static void
open_window (void)
{
  setup.gateway = gh_test_gateway_new ("ui/audit");
  setup.viewer_path = gh_test_gateway_add_identity (setup.gateway, "test-viewer", "viewer", VIEWER_PASSWORD);
  gh_test_gateway_start (setup.gateway);

  setup.connection = gh_test_connect (setup.gateway, TIMEOUT_SECONDS);
  setup.page = GH_AUDIT_PAGE (g_object_ref (gh_audit_page_new ()));
  setup.window = gh_test_window_for_page (GTK_WIDGET (setup.page), TIMEOUT_SECONDS);
}

/* Tests */

static void
test_entries_arrive_live (void)
{
  g_autoptr(GhGatewayConfig) config = get_config (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) stopped = NULL;
  g_autoptr(GAsyncResult) started = NULL;
  g_autoptr(GhApiService) service = NULL;
  gint64 stale;

  setup.first_name = g_strdup (gh_gateway_config_get_name (config));

  /* Before a gateway: nothing to show. Then the log as it is: nothing changed yet. */
  g_assert_cmpstr (visible_state (), ==, "none");
  gh_audit_page_set_connection (setup.page, setup.connection);
  WAIT_FOR (g_strcmp0 (visible_state (), "loading") != 0, "the log");
  g_assert_cmpstr (visible_state (), ==, "empty");
  g_assert_false (gtk_widget_is_sensitive (button_for ("audit.rollback")));

  /* A change appears without a refresh. */
  setup.renamed = rename_config ("audit-first", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (setup.renamed, >, 1);
  WAIT_FOR (find_row ("config", 200) >= 0, "the change in the list");
  g_assert_cmpstr (visible_state (), ==, "list");
  g_assert_cmpstr (gh_api_audit_entry_get_method (row (find_row ("config", 200))), ==, "PUT");
  g_assert_cmpstr (gh_api_audit_entry_get_path (row (find_row ("config", 200))), ==, "/api/v1/config");
  WAIT_FOR (gh_audit_page_get_entry_version (setup.page, row (find_row ("config", 200))) == setup.renamed,
            "the version the change made");

  /* A write against an old version is refused (412), and recorded. */
  stale = setup.renamed - 1;
  rename_config ("audit-stale", stale, &error);
  g_assert_error (error, GH_API_ERROR, GH_API_ERROR_PRECONDITION_FAILED);
  g_clear_error (&error);

  /* A second change, then a service stopped and started: each is audited and shown. */
  rename_config ("audit-second", 0, &error);
  g_assert_no_error (error);
  stopped = RUN (gh_admin_client_stop_service_async, client (), "echo");
  service = gh_admin_client_stop_service_finish (client (), stopped, &error);
  g_assert_no_error (error);
  g_clear_object (&service);
  started = RUN (gh_admin_client_start_service_async, client (), "echo");
  service = gh_admin_client_start_service_finish (client (), started, &error);
  g_assert_no_error (error);

  WAIT_FOR (count_rows ("config", 200) == 2 && find_row ("service start echo", 200) >= 0, "the later changes");
  g_assert_cmpint (find_row ("service stop echo", 200), >=, 0);
  /* The refused write came in too. */
  g_assert_cmpint (find_row ("config", 412), >=, 0);
  /* Newest first */
  g_assert_cmpint (find_row ("service start echo", 200), <, find_row ("service stop echo", 200));

  gh_test_assert_all_named (GTK_WIDGET (setup.window));
  gh_test_screenshots (GTK_WINDOW (setup.window), "audit-page", NULL);
}

static void
test_filters_and_search (void)
{
  GtkEditable *search = GTK_EDITABLE (find_widget (GTK_TYPE_SEARCH_ENTRY));
  GtkDropDown *results = dropdown_for ("All Results");
  GtkDropDown *actions = dropdown_for ("All Actions");
  GtkDropDown *identities = dropdown_for ("All Identities");
  guint all = n_rows ();
  g_autofree char *identity = gh_audit_entry_dup_identity (row (0));

  g_assert_cmpuint (all, >=, 5);

  /* By result: the refused write only. */
  choose (results, "Refused");
  g_assert_cmpuint (n_rows (), ==, 1);
  g_assert_cmpuint (gh_api_audit_entry_get_status (row (0)), ==, 412);
  choose (results, "Failed");
  g_assert_cmpuint (n_rows (), ==, 0);
  g_assert_cmpstr (visible_state (), ==, "no-match");
  choose (results, "Succeeded");
  g_assert_cmpuint (n_rows (), ==, all - 1);
  choose (results, "All Results");
  g_assert_cmpuint (n_rows (), ==, all);

  /* By kind of action: the service's name is the target, not a choice of its own. */
  g_assert_cmpint (find_choice (actions, "service stop echo"), ==, -1);
  choose (actions, "service stop");
  g_assert_cmpuint (n_rows (), ==, 1);
  g_assert_cmpstr (gh_api_audit_entry_get_path (row (0)), ==, "/api/v1/services/echo/stop");
  choose (actions, "config");
  g_assert_cmpuint (n_rows (), ==, 3);
  choose (actions, "All Actions");

  /* By identity: the test's admin identity did everything. */
  g_assert_nonnull (strstr (identity, "admin"));
  choose (identities, identity);
  g_assert_cmpuint (n_rows (), ==, all);
  choose (identities, "All Identities");

  /* Search: the path, any case. */
  gtk_editable_set_text (search, "SERVICES/ECHO");
  WAIT_FOR (n_rows () == 2, "the search");
  for (guint i = 0; i < n_rows (); i++)
    g_assert_true (g_str_has_prefix (gh_api_audit_entry_get_action (row (i)), "service "));
  gtk_editable_set_text (search, "no-such-thing");
  WAIT_FOR (n_rows () == 0, "no match");
  g_assert_cmpstr (visible_state (), ==, "no-match");
  gtk_editable_set_text (search, "");
  WAIT_FOR (n_rows () == all, "every row again");

  /* Ctrl+F goes to the search. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (setup.page), "audit.search", NULL));
  gh_test_drain ();
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (search))) ||
                 gtk_widget_is_focus (GTK_WIDGET (search)) ||
                 gtk_widget_has_focus (GTK_WIDGET (search)));
}

/* A line of @diff that starts with @mark and holds @text. */
static gboolean
diff_has_line (const char *diff,
               char        mark,
               const char *text)
{
  g_auto(GStrv) lines = g_strsplit (diff, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] == mark && strstr (lines[i], text) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_compare_versions (void)
{
  GtkSingleSelection *selection =
    GTK_SINGLE_SELECTION (gtk_column_view_get_model (GTK_COLUMN_VIEW (find_widget (GTK_TYPE_COLUMN_VIEW))));
  int first = -1;
  g_autofree char *removed = g_strdup_printf ("\"name\" : \"%s\"", setup.first_name);
  AdwDialog *dialog;
  const char *diff;

  /* The oldest change (the first rename) against the version before it. */
  for (guint i = 0; i < n_rows () && first < 0; i++)
    if (gh_audit_page_get_entry_version (setup.page, row (i)) == setup.renamed)
      first = (int) i;
  g_assert_cmpint (first, >=, 0);
  gtk_single_selection_set_selected (selection, (guint) first);
  g_assert_true (gtk_widget_is_sensitive (button_for ("audit.compare")));
  gtk_widget_activate_action (GTK_WIDGET (setup.page), "audit.compare", NULL);
  WAIT_FOR ((dialog = adw_window_get_visible_dialog (setup.window)) != NULL, "the comparison");
  g_assert_true (GH_IS_VERSION_COMPARE (dialog));
  WAIT_FOR (gh_version_compare_get_diff (GH_VERSION_COMPARE (dialog)) != NULL, "the diff");
  diff = gh_version_compare_get_diff (GH_VERSION_COMPARE (dialog));
  g_assert_true (diff_has_line (diff, '+', "\"name\" : \"audit-first\""));
  if (setup.first_name != NULL)
    g_assert_true (diff_has_line (diff, '-', removed));
  g_assert_false (diff_has_line (diff, '+', "\"services\""));
  /* Only the name changed. */
  g_assert_null (strstr (diff, "audit-second"));
  gh_test_assert_all_named (GTK_WIDGET (dialog));
  gh_test_screenshots (GTK_WINDOW (setup.window), "audit-compare", NULL);
  adw_dialog_force_close (dialog);
  gh_test_drain ();
}

static void
test_rollback (void)
{
  GtkSingleSelection *selection =
    GTK_SINGLE_SELECTION (gtk_column_view_get_model (GTK_COLUMN_VIEW (find_widget (GTK_TYPE_COLUMN_VIEW))));
  g_autoptr(GhGatewayConfig) before = get_config (NULL);
  g_autoptr(GhGatewayConfig) after = NULL;
  g_autofree char *rollback_action = g_strdup_printf ("config rollback to v%" G_GINT64_FORMAT, setup.renamed);
  int position = -1;
  gint64 version = 0;
  AdwDialog *dialog;

  g_assert_cmpstr (gh_gateway_config_get_name (before), ==, "audit-second");

  /* A refused change made nothing to go back to. */
  gtk_single_selection_set_selected (selection, (guint) find_row ("config", 412));
  gh_test_drain ();
  g_assert_false (gtk_widget_is_sensitive (button_for ("audit.rollback")));

  /* The first rename's version: confirmed, then applied as a new version. */
  for (guint i = 0; i < n_rows () && position < 0; i++)
    if (gh_audit_page_get_entry_version (setup.page, row (i)) == setup.renamed)
      position = (int) i;
  g_assert_cmpint (position, >=, 0);
  gtk_single_selection_set_selected (selection, (guint) position);
  gh_test_drain ();
  g_assert_true (gtk_widget_is_sensitive (button_for ("audit.rollback")));
  gtk_widget_activate_action (GTK_WIDGET (setup.page), "audit.rollback", NULL);
  WAIT_FOR ((dialog = adw_window_get_visible_dialog (setup.window)) != NULL, "the confirmation");
  g_assert_true (ADW_IS_ALERT_DIALOG (dialog));
  g_assert_nonnull (strstr (adw_alert_dialog_get_heading (ADW_ALERT_DIALOG (dialog)), "Roll Back to Version"));
  gh_test_save_png (GTK_WIDGET (setup.window), "audit-rollback-light-1280.png");
  g_signal_emit_by_name (dialog, "response", "rollback");
  adw_dialog_force_close (dialog);

  /* The gateway's configuration is that version's again, and the rollback is in the
   * log, live. */
  WAIT_FOR (find_row (rollback_action, 200) >= 0, "the rollback in the list");
  after = get_config (&version);
  g_assert_cmpstr (gh_gateway_config_get_name (after), ==, "audit-first");
  g_assert_cmpint (version, >, setup.renamed);
}

/* A viewer reads the log and compares versions, but cannot roll back: the button is
 * off and says which role it needs. */
static void
test_viewer (void)
{
  g_autoptr(GhGatewayConnection) viewer = gh_gateway_connection_new ("viewer", setup.gateway->admin_url,
                                                                     setup.viewer_path, setup.gateway->fingerprint,
                                                                     FALSE);
  GhAuditPage *admin_page = setup.page;
  GtkSingleSelection *selection;
  GtkWidget *rollback;
  const char *tooltip;
  int position;

  gh_gateway_connection_set_password (viewer, VIEWER_PASSWORD, FALSE);
  gh_gateway_connection_start (viewer);
  WAIT_FOR (gh_gateway_connection_get_state (viewer) == GH_GATEWAY_STATE_CONNECTED &&
            gh_gateway_connection_get_role (viewer) == GH_ADMIN_ROLE_VIEWER, "the viewer's connection");

  /* The same page, now the viewer's (setup.page is what the helpers look at). */
  setup.page = g_object_ref (gh_audit_page_new ());
  adw_window_set_content (setup.window, GTK_WIDGET (setup.page));
  gh_audit_page_set_connection (setup.page, viewer);
  WAIT_FOR (g_strcmp0 (visible_state (), "list") == 0, "the viewer's log");
  WAIT_FOR ((position = find_row ("config", 200)) >= 0 &&
            gh_audit_page_get_entry_version (setup.page, row ((guint) position)) > 0, "the versions");

  selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (GTK_COLUMN_VIEW (find_widget (GTK_TYPE_COLUMN_VIEW))));
  gtk_single_selection_set_selected (selection, (guint) position);
  gh_test_drain ();
  rollback = button_for ("audit.rollback");
  tooltip = gtk_widget_get_tooltip_text (rollback);
  g_assert_false (gtk_widget_is_sensitive (rollback));
  g_assert_nonnull (tooltip);
  g_assert_true (g_str_has_prefix (tooltip, "Needs the "));
  g_assert_nonnull (strstr (tooltip, "the role of this identity is viewer"));
  g_assert_true (gtk_widget_is_sensitive (button_for ("audit.compare")));
  gh_test_screenshots (GTK_WINDOW (setup.window), "audit-page-viewer", NULL);

  /* Back to the admin's page for the tests that follow. */
  gh_audit_page_set_connection (setup.page, NULL);
  adw_window_set_content (setup.window, GTK_WIDGET (admin_page));
  {
    /* The page goes once its cancelled requests have come back (each holds it). */
    gpointer viewer_page = g_steal_pointer (&setup.page);

    g_object_add_weak_pointer (viewer_page, &viewer_page);
    g_object_unref (viewer_page);
    WAIT_FOR (viewer_page == NULL, "the viewer's page to be freed");
  }
  setup.page = admin_page;

  /* What the viewer may not do is refused, and the admin's page shows the refusal
   * without a refresh (the gateway's "audit" event). */
  {
    GhAdminClient *viewer_client = gh_gateway_connection_get_client (viewer);
    g_autoptr(GAsyncResult) result = RUN (gh_admin_client_stop_service_async, viewer_client, "echo");
    g_autoptr(GError) error = NULL;
    g_autoptr(GhApiService) service = gh_admin_client_stop_service_finish (viewer_client, result, &error);

    g_assert_error (error, GH_API_ERROR, GH_API_ERROR_FORBIDDEN_ROLE);
    g_assert_null (service);
    WAIT_FOR (find_row ("service stop echo", 403) >= 0, "the refusal in the admin's list");
  }
  gh_gateway_connection_stop (viewer);
}

static gboolean
window_page_listed (GtkWidget *window)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  gh_test_collect (window, GH_TYPE_AUDIT_PAGE, pages);
  if (pages->len != 1 || !gtk_widget_get_mapped (g_ptr_array_index (pages, 0)) ||
      g_list_model_get_n_items (gh_audit_page_get_shown (g_ptr_array_index (pages, 0))) == 0)
    return FALSE;
  /* Not in the middle of a crossfade */
  gh_test_collect (window, GTK_TYPE_STACK, stacks);
  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_transition_running (g_ptr_array_index (stacks, i)))
      return FALSE;
  return TRUE;
}

/* The metainfo's screenshot: the whole window on the Audit page (only with
 * GATEHOUSE_SCREENSHOT_DIR). */
static void
test_window_screenshot (void)
{
  gh_test_window_screenshot (setup.gateway, "audit", window_page_listed, "audit-window.png", TIMEOUT_SECONDS);
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
  g_assert_false (gtk_widget_is_sensitive (button_for ("audit.rollback")));
}

/* A gateway the page cannot read: it says why, rather than wait. */
static void
test_unreachable (void)
{
  g_autoptr(GhGatewayConnection) lost = gh_gateway_connection_new ("Lab", "https://127.0.0.1:9", "/nonexistent/admin.p12",
                                                                   NULL, FALSE);
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  const char *description;

  gh_gateway_connection_start (lost);
  gh_audit_page_set_connection (setup.page, lost);
  WAIT_FOR (g_strcmp0 (visible_state (), "error") == 0, "the page to give up waiting");
  gh_test_collect (GTK_WIDGET (setup.page), ADW_TYPE_STATUS_PAGE, pages);
  description = NULL;
  for (guint i = 0; i < pages->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (pages, i)))
      description = adw_status_page_get_description (g_ptr_array_index (pages, i));
  g_assert_nonnull (description);
  g_assert_cmpstr (description, ==, gh_gateway_connection_get_state_message (lost));
  g_assert_cmpuint (n_rows (), ==, 0);
  gh_audit_page_set_connection (setup.page, NULL);
  gh_gateway_connection_stop (lost);
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

  g_test_add_func ("/audit/entries-arrive-live", test_entries_arrive_live);
  g_test_add_func ("/audit/filters-and-search", test_filters_and_search);
  g_test_add_func ("/audit/compare-versions", test_compare_versions);
  g_test_add_func ("/audit/rollback", test_rollback);
  g_test_add_func ("/audit/viewer", test_viewer);
  g_test_add_func ("/audit/window-screenshot", test_window_screenshot);
  g_test_add_func ("/audit/stale", test_stale_keeps_rows);
  g_test_add_func ("/audit/unreachable", test_unreachable);

  status = g_test_run ();

  gh_audit_page_set_connection (setup.page, NULL);
  gh_test_destroy_window (GTK_WINDOW (setup.window));
  g_assert_finalize_object (setup.page);
  g_clear_object (&setup.connection);
  g_free (setup.first_name);
  g_free (setup.viewer_path);
  gh_test_gateway_free (setup.gateway);
  return status;
}
