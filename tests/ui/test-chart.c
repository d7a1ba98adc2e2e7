/* test-chart.c — GhChart on its own: its properties, its summary in words (the newest
 * value of each series, the largest in the window, in its unit) kept in its
 * accessible description as the series change, drawing at any size, finalization
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <adwaita.h>

#include "gh-api.h"
#include "gh-chart.h"

#define T0 1700000000000000
#define NBSP "\xc2\xa0"   /* as g_format_size() puts between a number and its unit */

static GPtrArray *
make_series (void)
{
  GPtrArray *series = g_ptr_array_new_with_free_func (g_object_unref);
  GhStatsSeries *chat = gh_stats_series_new ("chat");
  GhStatsSeries *feed = gh_stats_series_new ("feed");

  /* Ten minutes of chat: the 500 at the start is outside a five-minute window. */
  gh_stats_series_add_point (chat, T0, 500);
  gh_stats_series_add_point (chat, T0 + 5 * 60 * G_USEC_PER_SEC, 150);
  gh_stats_series_add_point (chat, T0 + 10 * 60 * G_USEC_PER_SEC, 120);
  gh_stats_series_add_point (feed, T0 + 10 * 60 * G_USEC_PER_SEC, 40);
  g_ptr_array_add (series, chat);
  g_ptr_array_add (series, feed);
  return series;
}

static void
test_summary (void)
{
  GhChart *chart = g_object_ref_sink (gh_chart_new ());
  g_autoptr(GPtrArray) series = make_series ();
  g_autofree char *rate = NULL;

  gh_chart_set_title (chart, "Open Sessions");
  g_assert_cmpstr (gh_chart_get_title (chart), ==, "Open Sessions");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL, "Open Sessions");
  g_assert_cmpint (gh_chart_get_window (chart), ==, 5 * 60 * G_USEC_PER_SEC);
  g_assert_cmpstr (gh_chart_get_summary (chart), ==, "No data yet");

  gh_chart_set_series (chart, series);
  g_assert_true (gh_chart_get_series (chart) == series);
  g_assert_cmpstr (gh_chart_get_summary (chart), ==, "chat: 120, feed: 40; the most in the last 5 minutes: 150");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "chat: 120, feed: 40; the most in the last 5 minutes: 150");

  /* A wider window reaches the 500; one minute, only the newest. */
  gh_chart_set_window (chart, 10 * 60 * G_USEC_PER_SEC);
  g_assert_cmpstr (gh_chart_get_summary (chart), ==, "chat: 120, feed: 40; the most in the last 10 minutes: 500");
  gh_chart_set_window (chart, 60 * G_USEC_PER_SEC);
  g_assert_cmpstr (gh_chart_get_summary (chart), ==, "chat: 120, feed: 40; the most in the last minute: 120");

  /* In bytes per second. */
  gh_chart_set_unit (chart, GH_CHART_UNIT_BYTES_PER_SECOND);
  rate = gh_chart_format_value (chart, 1500);
  g_assert_cmpstr (rate, ==, "1.5" NBSP "kB/s");
  g_assert_cmpstr (gh_chart_get_summary (chart), ==,
                   "chat: 120 bytes/s, feed: 40 bytes/s; the most in the last minute: 120 bytes/s");

  gh_chart_set_series (chart, NULL);
  g_assert_cmpstr (gh_chart_get_summary (chart), ==, "No data yet");
  g_assert_finalize_object (chart);
}

/* Drawn in a window, light and dark, wide and very small: nothing to complain of. */
static void
test_draws (void)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GhChart *chart = gh_chart_new ();
  g_autoptr(GPtrArray) series = make_series ();
  AdwStyleManager *style = adw_style_manager_get_default ();

  g_object_ref (chart);
  gh_chart_set_series (chart, series);
  gtk_window_set_child (window, GTK_WIDGET (chart));
  gtk_window_set_default_size (window, 400, 200);
  gtk_window_present (window);
  while (gtk_widget_get_width (GTK_WIDGET (chart)) == 0)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < 2; i++)
    {
      adw_style_manager_set_color_scheme (style, i == 0 ? ADW_COLOR_SCHEME_FORCE_LIGHT : ADW_COLOR_SCHEME_FORCE_DARK);
      {
        GtkSnapshot *snapshot = gtk_snapshot_new ();
        g_autoptr(GskRenderNode) node = NULL;

        GTK_WIDGET_GET_CLASS (chart)->snapshot (GTK_WIDGET (chart), snapshot);
        node = gtk_snapshot_free_to_node (snapshot);
        g_assert_nonnull (node);   /* something drawn */
        g_assert_cmpint (gsk_render_node_get_node_type (node), ==, GSK_CAIRO_NODE);
      }
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (chart);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/chart/summary", test_summary);
  g_test_add_func ("/chart/draws", test_draws);

  return g_test_run ();
}
