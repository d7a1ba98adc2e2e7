/* test-window.c — the main window, its pages, actions, dialogs and layouts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <adwaita.h>

#include "gh-application.h"
#include "gh-overview-page.h"
#include "gh-services-page.h"
#include "gh-preferences-dialog.h"
#include "gh-shortcuts-dialog.h"
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
      else
        {
          g_assert_true (ADW_IS_STATUS_PAGE (child));
          g_assert_nonnull (adw_status_page_get_description (ADW_STATUS_PAGE (child)));
        }
    }

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
  g_test_add_func ("/window/no-gateways", test_window_no_gateways);
  g_test_add_func ("/window/unknown-page", test_window_unknown_page);
  g_test_add_func ("/window/wide", test_window_wide);
  g_test_add_func ("/window/narrow", test_window_narrow);
  g_test_add_func ("/window/state-saved", test_window_state_saved);
  g_test_add_func ("/application/actions-and-dialogs", test_application);

  return g_test_run ();
}
