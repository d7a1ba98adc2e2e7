/* test-rtl.c — the app right to left (as in Hebrew or Arabic) against a real gatehoused:
 * every page and every dialog one can open without changing anything, 1280 and 360 px
 * wide, with nothing drawn outside the widget that holds it
 *
 * The direction is set as GTK sets it for a right-to-left language, before any widget
 * exists. A child allocated beyond its parent's edges is cut off or overlaps its
 * neighbours: that is the finding, named by the widget and the text it shows. What
 * scrolls (viewports, lists) may be larger than its parent. With
 * GATEHOUSE_SCREENSHOT_DIR set, each page and dialog is saved as rtl-<what>-<width>.png
 * (light), to be looked at: what mirrors (icons, the trust diagram, the charts) no test
 * can judge.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <adwaita.h>

#include "gh-test-app.h"
#include "gh-test-gateway.h"
#include "gh-test-widgets.h"

#define TIMEOUT 60

static GhTestGateway *gateway;
static GhTestApp *the_app;

static gboolean
scrolls (GtkWidget *widget)
{
  return GTK_IS_VIEWPORT (widget) || GTK_IS_SCROLLED_WINDOW (widget) || GTK_IS_LIST_VIEW (widget) ||
         GTK_IS_GRID_VIEW (widget) || GTK_IS_COLUMN_VIEW (widget) ||
         g_str_equal (G_OBJECT_TYPE_NAME (widget), "GtkColumnListView") ||
         g_str_equal (G_OBJECT_TYPE_NAME (widget), "GtkColumnViewRowWidget") ||
         ADW_IS_CAROUSEL (widget);
}

/* What a person reads or uses: text, icons, controls, and our own drawings. The
 * toolkit's decorations (gizmos: handles, badges, the view switcher's indicator) may
 * overhang by design. */
static gboolean
is_content (GtkWidget *widget)
{
  return GTK_IS_LABEL (widget) || GTK_IS_IMAGE (widget) || GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) ||
         GTK_IS_TEXT (widget) || GTK_IS_SWITCH (widget) || GTK_IS_DROP_DOWN (widget) || GTK_IS_PICTURE (widget) ||
         ADW_IS_PREFERENCES_ROW (widget) || g_str_has_prefix (G_OBJECT_TYPE_NAME (widget), "Gh");
}

static char *
describe (GtkWidget *widget)
{
  g_autoptr(GString) where = g_string_new (G_OBJECT_TYPE_NAME (widget));
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));

  if (id != NULL)
    g_string_append_printf (where, "#%s", id);
  for (GtkWidget *up = gtk_widget_get_parent (widget); up != NULL; up = gtk_widget_get_parent (up))
    if (g_str_has_prefix (G_OBJECT_TYPE_NAME (up), "Gh"))
      {
        g_string_append_printf (where, " of %s", G_OBJECT_TYPE_NAME (up));
        break;
      }
  gh_test_collect (widget, GTK_TYPE_LABEL, labels);
  if (labels->len > 0)
    g_string_append_printf (where, " (“%s”)", gtk_label_get_text (g_ptr_array_index (labels, 0)));
  return g_string_free (g_steal_pointer (&where), FALSE);
}

/* Children allocated beyond their parent's edges, by more than a pixel. */
static void
find_overflow (GtkWidget *parent,
               GPtrArray *found)
{
  int width = gtk_widget_get_width (parent);
  int height = gtk_widget_get_height (parent);

  for (GtkWidget *child = gtk_widget_get_first_child (parent); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;

      if (!gtk_widget_get_mapped (child) || GTK_IS_NATIVE (child))
        continue;
      if (is_content (child) && !scrolls (parent) && gtk_widget_compute_bounds (child, parent, &bounds) &&
          (bounds.origin.x < -1 || bounds.origin.y < -1 ||
           bounds.origin.x + bounds.size.width > width + 1 || bounds.origin.y + bounds.size.height > height + 1))
        g_ptr_array_add (found, g_strdup_printf ("%s at %.0f,%.0f %.0f×%.0f in %s of %d×%d", describe (child),
                                                 bounds.origin.x, bounds.origin.y, bounds.size.width,
                                                 bounds.size.height, G_OBJECT_TYPE_NAME (parent), width, height));
      find_overflow (child, found);
    }
}

/* @root at 1280 and 360 px: nothing outside its parent; rtl-<what>-<width>.png saved.
 * At phone width the window leaves the Trust page (it has no room in the bottom bar,
 * see gh-window.ui): @page, when set, is shown again, as Alt+4 does. */
static void
check_layout (GtkWidget  *root,
              const char *what,
              const char *page)
{
  static const int widths[] = { 1280, 360 };

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *png = g_strdup_printf ("%s-%d.png", what, widths[i]);

      gh_test_resize (GTK_WINDOW (the_app->window), widths[i], widths[i] == 360 ? 720 : 800);
      if (page != NULL && g_strcmp0 (gh_window_get_page (the_app->window), page) != 0)
        gh_test_app_show_page (the_app, page, TIMEOUT);
      gh_test_drain ();
      find_overflow (root, found);
      for (guint j = 0; j < found->len; j++)
        g_printerr ("# %s, %d px: outside its parent: %s\n", what, widths[i], (char *) g_ptr_array_index (found, j));
      if (found->len > 0)
        g_test_fail_printf ("%u widgets of %s at %d px are outside their parents", found->len, what, widths[i]);
      gh_test_save_png (GTK_WIDGET (the_app->window), png);
    }
  gh_test_resize (GTK_WINDOW (the_app->window), 1280, 800);
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  gh_test_collect (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (labels, i)) &&
        g_str_equal (gtk_label_get_text (g_ptr_array_index (labels, i)), text))
      return g_ptr_array_index (labels, i);
  return NULL;
}

/* The trust diagram reads right to left too: the clients on the right of the gateway,
 * the back-end on its left. */
static void
assert_trust_mirrored (void)
{
  GtkWidget *root = GTK_WIDGET (the_app->window);
  GtkWidget *clients = find_label (root, "Clients");
  GtkWidget *centre = find_label (root, "Gateway");
  GtkWidget *backend = find_label (root, "Back-end");
  graphene_point_t c, g, b;

  g_assert_nonnull (clients);
  g_assert_nonnull (centre);
  g_assert_nonnull (backend);
  g_assert_true (gtk_widget_compute_point (clients, root, &GRAPHENE_POINT_INIT (0, 0), &c));
  g_assert_true (gtk_widget_compute_point (centre, root, &GRAPHENE_POINT_INIT (0, 0), &g));
  g_assert_true (gtk_widget_compute_point (backend, root, &GRAPHENE_POINT_INIT (0, 0), &b));
  g_assert_cmpfloat (c.x, >, g.x);
  g_assert_cmpfloat (g.x, >, b.x);
}

static void
visit_right_to_left (GtkWidget  *root,
                     const char *what,
                     const char *page)
{
  g_autofree char *name = g_strconcat ("rtl-", what, NULL);

  g_assert_cmpint (gtk_widget_get_direction (root), ==, GTK_TEXT_DIR_RTL);
  if (g_strcmp0 (page, "trust") == 0)
    assert_trust_mirrored ();
  check_layout (root, name, page);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keystore_path = NULL;
  int status;

  setlocale (LC_ALL, "");
  gh_test_app_init_keep_going (&argc, &argv);
  adw_init ();
  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);

  gateway = gh_test_gateway_new ("rtl");
  gh_test_gateway_start (gateway);
  the_app = gh_test_app_new (gateway, TIMEOUT);

  keystore_path = g_build_filename (gateway->dir, "ca.pem", NULL);
  gh_test_app_add_visits (the_app, "/rtl", keystore_path, visit_right_to_left, TIMEOUT);

  status = g_test_run ();

  gh_test_app_free (the_app);
  gh_test_gateway_free (gateway);
  return status;
}
