/* test-window.c — the main window, its pages, actions, dialogs and layouts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>

#include "gh-application.h"
#include "gh-certificates-page.h"
#include "gh-audit-page.h"
#include "gh-connections-page.h"
#include "gh-gateway-row.h"
#include "gh-overview-page.h"
#include "gh-services-page.h"
#include "gh-preferences-dialog.h"
#include "gh-shortcuts-dialog.h"
#include "gh-trust-page.h"
#include "gh-window.h"

static const char * const pages[] = {
  "overview", "services", "certificates", "trust", "connections", "audit",
};

static void
run_until (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static void
drain_main_context (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
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

static GhWindow *
create_window (int width, int height)
{
  GhWindow *window = g_object_ref (g_object_new (GH_TYPE_WINDOW, NULL));

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  run_until (is_mapped, window);
  drain_main_context ();

  return window;
}

static void
destroy_window (GhWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  drain_main_context ();
  g_assert_finalize_object (window);
}

static void
test_window_pages (void)
{
  GhWindow *window = create_window (1280, 800);
  AdwViewStack *stack = find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);
  AdwNavigationSplitView *split = find_descendant (GTK_WIDGET (window), ADW_TYPE_NAVIGATION_SPLIT_VIEW);

  g_assert_nonnull (stack);
  g_assert_cmpstr (gh_window_get_page (window), ==, "overview");

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *child = adw_view_stack_get_child_by_name (stack, pages[i]);
      AdwViewStackPage *page;
      AdwNavigationPage *content;
      g_autofree char *property = NULL;

      g_assert_nonnull (child);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.page", "s", pages[i]));
      drain_main_context ();

      g_assert_cmpstr (gh_window_get_page (window), ==, pages[i]);
      g_assert_true (adw_view_stack_get_visible_child (stack) == child);
      g_object_get (window, "page", &property, NULL);
      g_assert_cmpstr (property, ==, pages[i]);

      /* The content's title follows the page, for when the switcher has no room. */
      page = adw_view_stack_get_page (stack, child);
      content = adw_navigation_split_view_get_content (split);
      g_assert_cmpstr (adw_navigation_page_get_title (content), ==, adw_view_stack_page_get_title (page));
      g_assert_nonnull (adw_view_stack_page_get_icon_name (page));

      /* The pages that exist are the real ones; no page invents data: a page whose
       * feature is missing says so. */
      if (g_str_equal (pages[i], "overview"))
        g_assert_true (GH_IS_OVERVIEW_PAGE (child));
      else if (g_str_equal (pages[i], "services"))
        g_assert_true (GH_IS_SERVICES_PAGE (child));
      else if (g_str_equal (pages[i], "certificates"))
        g_assert_true (GH_IS_CERTIFICATES_PAGE (child));
      else if (g_str_equal (pages[i], "connections"))
        g_assert_true (GH_IS_CONNECTIONS_PAGE (child));
      else if (g_str_equal (pages[i], "audit"))
        g_assert_true (GH_IS_AUDIT_PAGE (child));
      else if (g_str_equal (pages[i], "trust"))
        g_assert_true (GH_IS_TRUST_PAGE (child));
      else
        {
          g_assert_true (ADW_IS_STATUS_PAGE (child));
          g_assert_nonnull (adw_status_page_get_description (ADW_STATUS_PAGE (child)));
        }
    }

  destroy_window (window);
}

static gboolean
page_in_switchers (AdwViewStack *stack,
                   const char   *name)
{
  return adw_view_stack_page_get_visible (adw_view_stack_get_page (stack, adw_view_stack_get_child_by_name (stack, name)));
}

static void
test_window_trust_page (void)
{
  GhWindow *window = create_window (1280, 800);
  AdwViewStack *stack = find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);
  GtkWidget *child = adw_view_stack_get_child_by_name (stack, "trust");

  /* The last page that was a placeholder is built: the trust diagrams. */
  g_assert_true (GH_IS_TRUST_PAGE (child));
  /* A wide window lists it. */
  g_assert_true (page_in_switchers (stack, "trust"));

  destroy_window (window);
}

static gboolean
is_visible_in (GtkWidget *widget,
               GtkWidget *ancestor)
{
  for (; widget != NULL && widget != ancestor; widget = gtk_widget_get_parent (widget))
    if (!gtk_widget_get_child_visible (widget) || !gtk_widget_get_visible (widget))
      return FALSE;

  return widget == ancestor;
}

static void
test_window_no_gateways (void)
{
  GhWindow *window = create_window (1280, 800);
  AdwViewStack *stack = find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);
  AdwBanner *banner = find_descendant (GTK_WIDGET (window), ADW_TYPE_BANNER);
  GtkWidget *status;
  GtkWidget *button;

  /* No gateway: no page of one, but a way to add one; no banner to cry about it. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gh_window_get_gateways (window))), ==, 0);
  g_assert_null (gh_window_get_selected_gateway (window));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (stack)));
  g_assert_false (adw_banner_get_revealed (banner));
  g_assert_null (gh_window_get_banner_title (window));

  status = NULL;
  for (GtkWidget *w = gtk_widget_get_parent (GTK_WIDGET (stack)); w != NULL && status == NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_STACK (w))
      status = gtk_stack_get_child_by_name (GTK_STACK (w), "empty");
  g_assert_true (ADW_IS_STATUS_PAGE (status));
  g_assert_true (gtk_widget_get_mapped (status));
  button = adw_status_page_get_child (ADW_STATUS_PAGE (status));
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "win.add-gateway");
  g_assert_true (is_visible_in (button, GTK_WIDGET (window)));

  /* It opens the add-gateway dialog. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-gateway", NULL));
  drain_main_context ();
  g_assert_true (GH_IS_ADD_GATEWAY_DIALOG (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window))));
  adw_dialog_force_close (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
  drain_main_context ();

  destroy_window (window);
}

static void
test_window_unknown_page (void)
{
  if (g_test_subprocess ())
    {
      GhWindow *window = create_window (1280, 800);

      /* Warn, but do not abort: the window must survive the bad name. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK);
      gh_window_set_page (window, "services");
      gh_window_set_page (window, "nonsense");
      g_assert_cmpstr (gh_window_get_page (window), ==, "services");
      destroy_window (window);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*WARNING*No page named “nonsense”*");
}

static void
test_window_show_expiring_certificates (void)
{
  GhWindow *window = create_window (1280, 800);
  GhCertificatesPage *page = find_descendant (GTK_WIDGET (window), GH_TYPE_CERTIFICATES_PAGE);
  GhOverviewPage *overview = gh_window_get_overview_page (window);
  GtkWidget *button = NULL;

  /* The Overview's "Show Certificates" names the action that opens the page filtered
   * to what expires soon, whatever the page's search and filters were. */
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (overview)); w != NULL; )
    {
      if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)),
                                          "win.show-expiring-certificates") == 0)
        {
          button = w;
          break;
        }
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL && w != GTK_WIDGET (overview))
            w = gtk_widget_get_parent (w);
          w = (w == NULL || w == GTK_WIDGET (overview)) ? NULL : gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_nonnull (button);

  gh_certificates_page_set_search (page, "something");
  g_assert_cmpstr (gh_window_get_page (window), ==, "overview");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-expiring-certificates", NULL));
  drain_main_context ();
  g_assert_cmpstr (gh_window_get_page (window), ==, "certificates");
  g_assert_true (gh_certificates_page_get_expiring_only (page));

  destroy_window (window);
}

static void
test_window_wide (void)
{
  GhWindow *window = create_window (1280, 800);
  AdwNavigationSplitView *split = find_descendant (GTK_WIDGET (window), ADW_TYPE_NAVIGATION_SPLIT_VIEW);
  AdwViewSwitcherBar *bar = find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_BAR);

  g_assert_false (adw_navigation_split_view_get_collapsed (split));
  g_assert_false (adw_view_switcher_bar_get_reveal (bar));
  g_assert_nonnull (find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER));

  destroy_window (window);
}

static void
test_window_narrow (void)
{
  GhWindow *window = create_window (360, 720);
  AdwNavigationSplitView *split = find_descendant (GTK_WIDGET (window), ADW_TYPE_NAVIGATION_SPLIT_VIEW);
  AdwViewSwitcherBar *bar = find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_BAR);

  /* Phone width: one pane at a time, the pages in a bar at the bottom. */
  g_assert_true (adw_navigation_split_view_get_collapsed (split));
  g_assert_true (adw_view_switcher_bar_get_reveal (bar));
  g_assert_true (adw_navigation_split_view_get_show_content (split));

  /* Back to the sidebar, then a page action brings the content back. */
  adw_navigation_split_view_set_show_content (split, FALSE);
  gh_window_set_page (window, "trust");
  g_assert_true (adw_navigation_split_view_get_show_content (split));

  destroy_window (window);
}

/* The row of the sidebar's page list that shows @page. */
static AdwActionRow *
find_page_row (GtkWidget  *widget,
               const char *page)
{
  if (ADW_IS_ACTION_ROW (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "win.page") == 0 &&
      g_str_equal (g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget)), NULL), page))
    return ADW_ACTION_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      AdwActionRow *found = find_page_row (child, page);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_window_phone (void)
{
  GhWindow *window = create_window (360, 720);
  AdwNavigationSplitView *split = find_descendant (GTK_WIDGET (window), ADW_TYPE_NAVIGATION_SPLIT_VIEW);
  AdwViewStack *stack = find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);
  AdwViewSwitcherBar *bar = find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_BAR);

  /* Six names do not fit in the bar at phone width: it keeps five... */
  g_assert_true (adw_view_switcher_bar_get_reveal (bar));
  g_assert_true (page_in_switchers (stack, "overview"));
  g_assert_true (page_in_switchers (stack, "services"));
  g_assert_true (page_in_switchers (stack, "certificates"));
  g_assert_true (page_in_switchers (stack, "connections"));
  g_assert_true (page_in_switchers (stack, "audit"));
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    if (g_str_equal (pages[i], "trust"))
      g_assert_false (page_in_switchers (stack, pages[i]));

  /* ...and the others can still be shown (Alt+N, the Overview's buttons). */
  gh_window_set_page (window, "trust");
  g_assert_cmpstr (gh_window_get_page (window), ==, "trust");

  /* The sidebar lists all six pages at this width: its Trust row shows Trust. */
  gh_window_set_page (window, "overview");
  adw_navigation_split_view_set_show_content (split, FALSE);
  drain_main_context ();
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      AdwActionRow *row = find_page_row (GTK_WIDGET (window), pages[i]);

      g_assert_nonnull (row);
      g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (row)));
    }
  g_assert_true (gtk_widget_activate (GTK_WIDGET (find_page_row (GTK_WIDGET (window), "trust"))));
  drain_main_context ();
  g_assert_cmpstr (gh_window_get_page (window), ==, "trust");
  g_assert_true (adw_navigation_split_view_get_show_content (split));
  destroy_window (window);
}

/* Narrowing the window to phone width while Trust is shown stays on Trust; Trust
 * leaves the bottom bar once another page is shown. */
static void
test_window_narrowed_on_trust (void)
{
  GhWindow *window = create_window (1280, 800);
  AdwViewStack *stack = find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);
  gint64 deadline;

  gh_window_set_page (window, "trust");
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline && gtk_widget_get_width (GTK_WIDGET (window)) > 400)
    g_main_context_iteration (NULL, FALSE);
  drain_main_context ();
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 400);

  g_assert_cmpstr (gh_window_get_page (window), ==, "trust");
  g_assert_true (page_in_switchers (stack, "trust"));

  gh_window_set_page (window, "services");
  drain_main_context ();
  g_assert_false (page_in_switchers (stack, "trust"));
  gh_window_set_page (window, "trust");
  g_assert_cmpstr (gh_window_get_page (window), ==, "trust");
  destroy_window (window);
}

static void
test_window_state_saved (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  GhWindow *window = create_window (900, 640);
  g_autofree char *last_page = NULL;

  gh_window_set_page (window, "connections");
  gtk_window_close (GTK_WINDOW (window));
  drain_main_context ();

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  last_page = g_settings_get_string (settings, "last-page");
  g_assert_cmpstr (last_page, ==, "connections");
  g_assert_finalize_object (window);

  /* A new window opens where the last one was left. */
  window = g_object_ref (g_object_new (GH_TYPE_WINDOW, NULL));
  g_assert_cmpstr (gh_window_get_page (window), ==, "connections");
  destroy_window (window);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "last-page");
}

static void
on_activate_check (GApplication *app,
                   gpointer      user_data)
{
  GtkWindow *window;
  AdwDialog *dialog;
  g_auto(GStrv) accels = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  AdwStyleManager *style = adw_style_manager_get_default ();

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (GH_IS_WINDOW (window));
  run_until (is_mapped, window);

  /* Alt+N reaches every page. */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *action = g_strdup_printf ("win.page::%s", pages[i]);
      g_autofree char *accel = g_strdup_printf ("<Alt>%u", i + 1);

      g_clear_pointer (&accels, g_strfreev);
      accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);
      g_assert_nonnull (accels);
      g_assert_cmpstr (accels[0], ==, accel);
    }
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_cmpstr (accels[0], ==, "<Control>comma");

  /* The shortcuts dialog lists them. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  drain_main_context ();
  dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window));
  g_assert_true (GH_IS_SHORTCUTS_DIALOG (dialog));
  g_assert_nonnull (find_descendant (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW));
  adw_dialog_force_close (dialog);
  drain_main_context ();

  /* Preferences: choosing Dark makes the application dark at once. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  drain_main_context ();
  dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window));
  g_assert_true (GH_IS_PREFERENCES_DIALOG (dialog));
  {
    AdwComboRow *row = find_descendant (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW);
    g_assert_nonnull (row);
    adw_combo_row_set_selected (row, 2);
    g_assert_cmpint (g_settings_get_enum (settings, "color-scheme"), ==, 2);
    g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_DARK);
    adw_combo_row_set_selected (row, 0);
    g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);
  }
  adw_dialog_force_close (dialog);
  drain_main_context ();

  /* About, then quit closes the windows and ends the application. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  drain_main_context ();
  dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window));
  g_assert_true (ADW_IS_ABOUT_DIALOG (dialog));
  g_assert_cmpstr (adw_about_dialog_get_version (ADW_ABOUT_DIALOG (dialog)), ==, PACKAGE_VERSION);
  adw_dialog_force_close (dialog);

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

/* The sidebar row of a gateway, its menu and the dialogs of its actions. */

static AdwAlertDialog *
visible_alert (GhWindow *window)
{
  AdwDialog *dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window));

  g_assert_true (ADW_IS_ALERT_DIALOG (dialog));
  return ADW_ALERT_DIALOG (dialog);
}

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_has_action (section, action))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_str_equal (name, action))
        return TRUE;
    }

  return FALSE;
}

static void
test_window_gateway_row (void)
{
  GhWindow *window = create_window (1280, 800);
  g_autoptr(GhGatewayConnection) connection = NULL;
  GtkListBox *sidebar = find_descendant (GTK_WIDGET (window), GTK_TYPE_LIST_BOX);
  GtkListBoxRow *row;
  GMenuModel *menu;
  AdwAlertDialog *dialog;
  GtkEditable *entry;

  /* Nothing listens there: the gateway only has to exist. */
  connection = gh_gateway_connection_new ("Lab", "https://127.0.0.1:9", "/nonexistent/admin.p12", NULL, FALSE);
  gh_window_add_gateway (window, connection);
  drain_main_context ();

  row = gtk_list_box_get_row_at_index (sidebar, 0);
  g_assert_true (GH_IS_GATEWAY_ROW (row));
  g_assert_true (gh_gateway_row_get_connection (GH_GATEWAY_ROW (row)) == connection);
  g_assert_true (gtk_list_box_get_selected_row (sidebar) == row);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Lab — Gatehouse");

  /* The menu, from the template; the fingerprint item only when the pin changed. */
  menu = gh_gateway_row_get_menu_model (GH_GATEWAY_ROW (row));
  g_assert_true (menu_has_action (menu, "gateway.rename"));
  g_assert_true (menu_has_action (menu, "gateway.remove"));
  g_assert_true (menu_has_action (menu, "gateway.confirm-fingerprint"));
  if (gh_gateway_connection_get_attention (connection) != GH_GATEWAY_ATTENTION_PIN_CHANGED)
    {
      gtk_widget_activate_action (GTK_WIDGET (row), "gateway.confirm-fingerprint", NULL);
      drain_main_context ();
      g_assert_null (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
    }

  /* Rename, from the row's menu: the row and the window's title follow. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "gateway.rename", NULL));
  drain_main_context ();
  dialog = visible_alert (window);
  entry = GTK_EDITABLE (find_descendant (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "Lab");
  gtk_editable_set_text (entry, "Lab 2");
  g_signal_emit_by_name (dialog, "response", "rename");
  adw_dialog_force_close (ADW_DIALOG (dialog));
  drain_main_context ();
  g_assert_cmpstr (gh_gateway_connection_get_name (connection), ==, "Lab 2");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Lab 2 — Gatehouse");
  g_assert_nonnull (find_descendant (GTK_WIDGET (row), GTK_TYPE_LABEL));

  /* The password dialog forgets what was typed when it closes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "gateway.enter-password", NULL) ||
                 gtk_widget_activate_action (GTK_WIDGET (window), "win.enter-password", "s", ""));
  drain_main_context ();
  dialog = visible_alert (window);
  entry = GTK_EDITABLE (find_descendant (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW));
  gtk_editable_set_text (entry, "secret");
  g_signal_emit_by_name (dialog, "response", "cancel");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "");
  adw_dialog_force_close (ADW_DIALOG (dialog));
  drain_main_context ();

  /* Remove, cancelled, then confirmed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "gateway.remove", NULL));
  drain_main_context ();
  dialog = visible_alert (window);
  g_assert_cmpstr (adw_alert_dialog_get_heading (dialog), ==, "Remove “Lab 2”?");
  g_assert_cmpstr (adw_alert_dialog_get_close_response (dialog), ==, "cancel");
  g_assert_cmpint (adw_alert_dialog_get_response_appearance (dialog, "remove"), ==, ADW_RESPONSE_DESTRUCTIVE);
  g_signal_emit_by_name (dialog, "response", "remove");
  adw_dialog_force_close (ADW_DIALOG (dialog));
  drain_main_context ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gh_window_get_gateways (window))), ==, 0);
  g_assert_null (gh_window_get_selected_gateway (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Gatehouse");

  destroy_window (window);
}

/* Keyboard shortcuts: no key is both an application accelerator and a page's or a
 * row's shortcut (the application's would always win), and the dialog lists both. */

static AdwActionRow *find_action_row (GtkWidget  *widget,
                                      const char *title);

static GtkWidget *
find_keys (GtkWidget *widget)
{
  GtkWidget *first = gtk_widget_get_first_child (widget);

  if (GTK_IS_BOX (widget) && first != NULL && gtk_widget_has_css_class (first, "keycap"))
    return widget;

  for (GtkWidget *child = first; child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_keys (child);
      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The key caps of a shortcut's row, as "Ctrl+Shift+N". */
static char *
row_keys (AdwActionRow *row)
{
  GString *keys = g_string_new (NULL);
  GtkWidget *box;

  g_assert_nonnull (row);
  box = find_keys (GTK_WIDGET (row));
  g_assert_nonnull (box);
  for (GtkWidget *cap = gtk_widget_get_first_child (box); cap != NULL; cap = gtk_widget_get_next_sibling (cap))
    g_string_append_printf (keys, "%s%s", keys->len > 0 ? "+" : "", gtk_label_get_text (GTK_LABEL (cap)));

  return g_string_free (keys, FALSE);
}

static void
assert_row_keys (GtkWidget  *dialog,
                 const char *title,
                 const char *keys)
{
  g_autofree char *shown = row_keys (find_action_row (dialog, title));

  g_assert_cmpstr (shown, ==, keys);
}

static AdwActionRow *
find_action_row (GtkWidget  *widget,
                 const char *title)
{
  if (ADW_IS_ACTION_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return ADW_ACTION_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      AdwActionRow *found = find_action_row (child, title);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
on_activate_check_shortcuts (GApplication *app,
                             gpointer      user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr(GhGatewayConnection) connection = NULL;
  g_autoptr(GPtrArray) pairs = NULL;
  gboolean found_new_service = FALSE;
  AdwDialog *dialog;

  run_until (is_mapped, window);
  connection = gh_gateway_connection_new ("Lab", "https://127.0.0.1:9", "/nonexistent/admin.p12", NULL, FALSE);
  gh_window_add_gateway (GH_WINDOW (window), connection);
  drain_main_context ();

  pairs = gh_shortcuts_collect_widget_shortcuts (GTK_WIDGET (window));
  g_assert_cmpuint (pairs->len, >, 0);
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    {
      const char *accel = g_ptr_array_index (pairs, i);
      const char *action = g_ptr_array_index (pairs, i + 1);
      g_auto(GStrv) taken = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), accel);

      /* The window's own controller of the application's accelerators lists them too. */
      for (guint j = 0; taken != NULL && taken[j] != NULL; j++)
        if (!g_str_equal (taken[j], action))
          g_error ("%s is %s's and %s's", accel, action, taken[j]);
      if (g_str_equal (action, "services.new"))
        {
          guint key;
          GdkModifierType mods;

          g_assert_true (gtk_accelerator_parse (accel, &key, &mods));
          g_assert_cmpuint (key, ==, GDK_KEY_n);
          g_assert_cmpuint (mods, ==, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
          found_new_service = TRUE;
        }
    }
  g_assert_true (found_new_service);
  {
    g_auto(GStrv) help = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.help");
    g_auto(GStrv) help_page = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.help-page");

    g_assert_cmpstr (help[0], ==, "F1");
    g_assert_cmpstr (help_page[0], ==, "<Shift>F1");
  }

  /* The dialog: the application's, the window's, the sidebar's and the page's. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  drain_main_context ();
  dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window));
  g_assert_true (GH_IS_SHORTCUTS_DIALOG (dialog));
  assert_row_keys (GTK_WIDGET (dialog), "Add Gateway", "Ctrl+N");
  assert_row_keys (GTK_WIDGET (dialog), "Services", "Alt+2");
  assert_row_keys (GTK_WIDGET (dialog), "New Service", "Ctrl+Shift+N");
  assert_row_keys (GTK_WIDGET (dialog), "Refresh", "F5");
  assert_row_keys (GTK_WIDGET (dialog), "Gateway Menu", "Shift+F10");
  assert_row_keys (GTK_WIDGET (dialog), "Search Sessions", "Ctrl+F");
  assert_row_keys (GTK_WIDGET (dialog), "Close the Selected Sessions", "Delete");
  adw_dialog_force_close (dialog);
  drain_main_context ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

/* F1 opens the help's index; Shift+F1 and the main menu's "Help on This Page" open the
 * help page about what the window shows, and that page exists. (A keystore file's page,
 * "local-keystores", needs a file open: test-keystores shows one.) */
static void
assert_help_page (GhWindow   *window,
                  const char *expected)
{
  g_autofree char *file = g_strdup_printf ("%s/help/C/%s.page", g_getenv ("GATEHOUSE_SOURCE_ROOT"), expected);

  g_assert_cmpstr (gh_window_get_help_page (window), ==, expected);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
}

static void
test_window_help_page (void)
{
  GhWindow *window = create_window (1280, 800);
  g_autoptr(GhGatewayConnection) connection = NULL;
  gboolean installed = FALSE;
  GType owner;
  const char *name, *property;
  const GVariantType *parameter;

  for (guint i = 0; gtk_widget_class_query_action (GTK_WIDGET_GET_CLASS (window), i, &owner, &name, &parameter, &property);
       i++)
    installed |= g_str_equal (name, "win.help-page");
  g_assert_true (installed);
  assert_help_page (window, "getting-started");

  connection = gh_gateway_connection_new ("Lab", "https://127.0.0.1:9", "/nonexistent/admin.p12", NULL, FALSE);
  gh_window_add_gateway (window, connection);
  drain_main_context ();
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.page", "s", pages[i]));
      drain_main_context ();
      assert_help_page (window, pages[i]);
    }

  destroy_window (window);
}

static void
test_shortcuts (void)
{
  g_autoptr(GhApplication) app = gh_application_new ();
  char *argv[] = { "gatehouse", NULL };

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate_check_shortcuts), NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, argv), ==, 0);
}

static void
test_application (void)
{
  g_autoptr(GhApplication) app = gh_application_new ();
  char *argv[] = { "gatehouse", NULL };

  /* Not unique: the test must not find or become another running instance. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate_check), NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, argv), ==, 0);
  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (app)));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/window/pages", test_window_pages);
  g_test_add_func ("/window/trust-page", test_window_trust_page);
  g_test_add_func ("/window/no-gateways", test_window_no_gateways);
  g_test_add_func ("/window/unknown-page", test_window_unknown_page);
  g_test_add_func ("/window/show-expiring-certificates", test_window_show_expiring_certificates);
  g_test_add_func ("/window/wide", test_window_wide);
  g_test_add_func ("/window/narrow", test_window_narrow);
  g_test_add_func ("/window/phone", test_window_phone);
  g_test_add_func ("/window/narrowed-on-trust", test_window_narrowed_on_trust);
  g_test_add_func ("/window/state-saved", test_window_state_saved);
  g_test_add_func ("/window/gateway-row", test_window_gateway_row);
  g_test_add_func ("/window/help-page", test_window_help_page);
  g_test_add_func ("/application/actions-and-dialogs", test_application);
  g_test_add_func ("/application/shortcuts", test_shortcuts);

  return g_test_run ();
}
