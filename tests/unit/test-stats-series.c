/* test-stats-series.c — the charts' data: open sessions per service from a stats
 * history (the window, the order, ticks without a time), and the sessions' rates from
 * successive counters (the span, forgetting closed sessions, the busiest, each
 * service's throughput)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "gh-api-session.h"
#include "gh-api-stats.h"
#include "gh-session-rates.h"
#include "gh-stats-series.h"

#define T0 1700000000000000

static GhApiStats *
make_stats (gint64 time,
            gint64 chat_open,
            gint64 feed_open)
{
  GhApiServiceStatsFields services[] = {
    { .name = "chat", .state = "started", .sessions_open = chat_open, .sessions_total = chat_open },
    { .name = "feed", .state = "started", .sessions_open = feed_open, .sessions_total = feed_open },
  };
  GhApiStatsFields fields = {
    .time = time,
    .sessions_open = chat_open + feed_open,
    .services = services,
    .n_services = feed_open >= 0 ? 2 : 1,
  };
  g_autoptr(JsonNode) node = gh_api_stats_fields_to_json (&fields);
  g_autoptr(GError) error = NULL;
  GhApiStats *stats;

  if (time == 0)
    json_object_remove_member (json_node_get_object (node), "time");
  stats = gh_api_stats_new_from_json (node, &error);

  g_assert_no_error (error);
  return stats;
}

static GhApiSession *
make_session (guint       n,
              const char *service)
{
  g_autofree char *id = g_strdup_printf ("s%u", n);
  g_autofree char *client = g_strdup_printf ("10.0.0.%u:4000", n);
  GhApiSessionFields fields = {
    .id = id,
    .service = service,
    .client = client,
    .state = "open",
    .started = T0 + n,
  };
  g_autoptr(JsonNode) node = gh_api_session_fields_to_json (&fields);
  g_autoptr(GError) error = NULL;
  GhApiSession *session = gh_api_session_new_from_json (node, &error);

  g_assert_no_error (error);
  return session;
}

static GhStatsSeries *
series_at (GPtrArray *series,
           guint      i)
{
  g_assert_cmpuint (i, <, series->len);
  return g_ptr_array_index (series, i);
}

static void
test_series_points (void)
{
  g_autoptr(GhStatsSeries) series = gh_stats_series_new ("chat");
  const GhStatsPoint *points;
  guint n;

  g_assert_cmpstr (gh_stats_series_get_name (series), ==, "chat");
  g_assert_cmpfloat (gh_stats_series_get_last (series), ==, 0);
  g_assert_cmpint (gh_stats_series_get_last_time (series), ==, 0);

  gh_stats_series_add_point (series, 10, 3);
  gh_stats_series_add_point (series, 20, 7);
  gh_stats_series_add_point (series, 15, 100);   /* older than the last: ignored */
  gh_stats_series_add_point (series, 30, 5);
  points = gh_stats_series_get_points (series, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (points[0].time, ==, 10);
  g_assert_cmpfloat (points[2].value, ==, 5);
  g_assert_cmpfloat (gh_stats_series_get_last (series), ==, 5);
  g_assert_cmpfloat (gh_stats_series_get_max (series), ==, 7);
  g_assert_cmpint (gh_stats_series_get_last_time (series), ==, 30);

  gh_stats_series_drop_before (series, 20);
  points = gh_stats_series_get_points (series, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (points[0].time, ==, 20);
  g_assert_finalize_object (g_steal_pointer (&series));
}

static void
test_sessions_per_service (void)
{
  g_autoptr(GListStore) history = g_list_store_new (GH_TYPE_API_STATS);
  g_autoptr(GPtrArray) series = NULL;
  g_autoptr(GhApiStats) untimed = NULL;
  const GhStatsPoint *points;
  guint n;

  /* Nothing yet: no series. */
  series = gh_stats_series_sessions_per_service (G_LIST_MODEL (history), 60 * G_USEC_PER_SEC);
  g_assert_cmpuint (series->len, ==, 0);
  g_clear_pointer (&series, g_ptr_array_unref);

  /* Ten minutes of ticks, one a minute; "feed" only in the last three. */
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(GhApiStats) stats = make_stats (T0 + (gint64) i * 60 * G_USEC_PER_SEC, 100 + i, i >= 7 ? 40 : -1);

      g_list_store_append (history, stats);
    }
  /* A tick without a time (an old gateway) counts for nothing. */
  untimed = make_stats (0, 999, 999);
  g_list_store_append (history, untimed);

  series = gh_stats_series_sessions_per_service (G_LIST_MODEL (history), 5 * 60 * G_USEC_PER_SEC);
  g_assert_cmpuint (series->len, ==, 2);
  g_assert_cmpstr (gh_stats_series_get_name (series_at (series, 0)), ==, "chat");
  g_assert_cmpstr (gh_stats_series_get_name (series_at (series, 1)), ==, "feed");

  /* The last five minutes: the ticks at 4..9 minutes. */
  points = gh_stats_series_get_points (series_at (series, 0), &n);
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpint (points[0].time, ==, T0 + 4 * 60 * G_USEC_PER_SEC);
  g_assert_cmpfloat (points[0].value, ==, 104);
  g_assert_cmpfloat (gh_stats_series_get_last (series_at (series, 0)), ==, 109);
  g_assert_cmpfloat (gh_stats_series_get_max (series_at (series, 0)), ==, 109);
  points = gh_stats_series_get_points (series_at (series, 1), &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (points[2].value, ==, 40);
}

/* Another chart's series in the order of the services: a service missing there gets
 * an empty series in its place, one unknown to the order comes last. */
static void
test_align (void)
{
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) series = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) aligned = NULL;

  gh_stats_series_find_or_add (order, "chat");
  gh_stats_series_find_or_add (order, "feed");
  gh_stats_series_find_or_add (order, "echo");
  gh_stats_series_add_point (gh_stats_series_find_or_add (series, "echo"), T0, 3);
  gh_stats_series_add_point (gh_stats_series_find_or_add (series, "gone"), T0, 4);
  gh_stats_series_add_point (gh_stats_series_find_or_add (series, "chat"), T0, 5);

  aligned = gh_stats_series_align (series, order);
  g_assert_cmpuint (aligned->len, ==, 4);
  g_assert_cmpstr (gh_stats_series_get_name (g_ptr_array_index (aligned, 0)), ==, "chat");
  g_assert_true (g_ptr_array_index (aligned, 0) == g_ptr_array_index (series, 2));
  g_assert_cmpstr (gh_stats_series_get_name (g_ptr_array_index (aligned, 1)), ==, "feed");
  g_assert_cmpfloat (gh_stats_series_get_last_time (g_ptr_array_index (aligned, 1)), ==, 0);
  g_assert_cmpstr (gh_stats_series_get_name (g_ptr_array_index (aligned, 2)), ==, "echo");
  g_assert_cmpfloat (gh_stats_series_get_last (g_ptr_array_index (aligned, 2)), ==, 3);
  g_assert_cmpstr (gh_stats_series_get_name (g_ptr_array_index (aligned, 3)), ==, "gone");
  g_assert_cmpfloat (gh_stats_series_get_last (g_ptr_array_index (aligned, 3)), ==, 4);
}

static void
test_rates (void)
{
  g_autoptr(GhSessionRates) rates = gh_session_rates_new (60 * G_USEC_PER_SEC);
  g_autoptr(GListStore) sessions = g_list_store_new (GH_TYPE_API_SESSION);
  g_autoptr(GhApiSession) chat1 = make_session (1, "chat");
  g_autoptr(GhApiSession) chat2 = make_session (2, "chat");
  g_autoptr(GhApiSession) feed = make_session (3, "feed");
  g_autoptr(GPtrArray) busiest = NULL;
  g_autoptr(GPtrArray) throughput = NULL;
  const GhStatsPoint *points;
  guint n;

  g_list_store_append (sessions, chat1);
  g_list_store_append (sessions, chat2);
  g_list_store_append (sessions, feed);

  /* Seen once: no rate yet, and nobody busy. */
  gh_session_rates_sample (rates, G_LIST_MODEL (sessions), T0);
  g_assert_cmpfloat (gh_session_rates_get_rate (rates, chat1), ==, 0);
  busiest = gh_session_rates_get_busiest (rates, 5);
  g_assert_cmpuint (busiest->len, ==, 0);
  g_clear_pointer (&busiest, g_ptr_array_unref);

  /* One second later: chat1 moved 1000 bytes in and 500 out, feed 100. */
  gh_api_session_set_counters (chat1, 1000, 500, 1, 1);
  gh_api_session_set_counters (feed, 100, 0, 1, 0);
  gh_session_rates_sample (rates, G_LIST_MODEL (sessions), T0 + G_USEC_PER_SEC);
  g_assert_cmpfloat_with_epsilon (gh_session_rates_get_rate (rates, chat1), 1500, 1e-6);
  g_assert_cmpfloat_with_epsilon (gh_session_rates_get_rate (rates, feed), 100, 1e-6);
  g_assert_cmpfloat (gh_session_rates_get_rate (rates, chat2), ==, 0);

  /* A sample at the same time again changes nothing. */
  gh_api_session_set_counters (chat2, 1000000, 0, 1, 0);
  gh_session_rates_sample (rates, G_LIST_MODEL (sessions), T0 + G_USEC_PER_SEC);
  g_assert_cmpfloat (gh_session_rates_get_rate (rates, chat2), ==, 0);
  gh_api_session_set_counters (chat2, 0, 0, 0, 0);

  busiest = gh_session_rates_get_busiest (rates, 5);
  g_assert_cmpuint (busiest->len, ==, 2);   /* chat2 moved nothing */
  g_assert_true (g_ptr_array_index (busiest, 0) == chat1);
  g_assert_true (g_ptr_array_index (busiest, 1) == feed);
  g_clear_pointer (&busiest, g_ptr_array_unref);
  busiest = gh_session_rates_get_busiest (rates, 1);
  g_assert_cmpuint (busiest->len, ==, 1);
  g_assert_true (g_ptr_array_index (busiest, 0) == chat1);
  g_clear_pointer (&busiest, g_ptr_array_unref);

  /* The rate spans the last GH_SESSION_RATES_SPAN samples: a burst then silence
   * lowers it step by step, not at once. */
  gh_api_session_set_counters (feed, 100 + 3000, 0, 2, 0);
  gh_session_rates_sample (rates, G_LIST_MODEL (sessions), T0 + 2 * G_USEC_PER_SEC);
  g_assert_cmpfloat_with_epsilon (gh_session_rates_get_rate (rates, feed), 3100 / 2.0, 1e-6);
  gh_session_rates_sample (rates, G_LIST_MODEL (sessions), T0 + 3 * G_USEC_PER_SEC);
  g_assert_cmpfloat_with_epsilon (gh_session_rates_get_rate (rates, feed), 3100 / 3.0, 1e-6);
  gh_session_rates_sample (rates, G_LIST_MODEL (sessions), T0 + 4 * G_USEC_PER_SEC);
  /* The oldest now is the sample at T0 + 1 s (100 bytes). */
  g_assert_cmpfloat_with_epsilon (gh_session_rates_get_rate (rates, feed), 3000 / 3.0, 1e-6);
  busiest = gh_session_rates_get_busiest (rates, 5);
  g_assert_true (g_ptr_array_index (busiest, 0) == feed);
  g_clear_pointer (&busiest, g_ptr_array_unref);

  /* Each service's throughput is the sum of its sessions' rates, at each sample. */
  throughput = gh_session_rates_get_throughput (rates);
  g_assert_cmpuint (throughput->len, ==, 2);
  g_assert_cmpstr (gh_stats_series_get_name (series_at (throughput, 0)), ==, "chat");
  points = gh_stats_series_get_points (series_at (throughput, 0), &n);
  g_assert_cmpuint (n, ==, 5);   /* the repeated sample added nothing */
  g_assert_cmpfloat_with_epsilon (points[1].value, 1500, 1e-6);
  g_assert_cmpfloat_with_epsilon (gh_stats_series_get_last (series_at (throughput, 1)), 1000, 1e-6);
  g_clear_pointer (&throughput, g_ptr_array_unref);

  /* A closed session is forgotten; its service stays at 0 while the window holds it. */
  g_list_store_remove (sessions, 2);
  gh_session_rates_sample (rates, G_LIST_MODEL (sessions), T0 + 5 * G_USEC_PER_SEC);
  g_assert_cmpfloat (gh_session_rates_get_rate (rates, feed), ==, 0);
  throughput = gh_session_rates_get_throughput (rates);
  g_assert_cmpuint (throughput->len, ==, 2);
  g_assert_cmpfloat (gh_stats_series_get_last (series_at (throughput, 1)), ==, 0);
  g_clear_pointer (&throughput, g_ptr_array_unref);

  /* ...and leaves when the window has none of its points. */
  gh_session_rates_sample (rates, G_LIST_MODEL (sessions), T0 + 100 * G_USEC_PER_SEC);
  throughput = gh_session_rates_get_throughput (rates);
  g_assert_cmpuint (throughput->len, ==, 1);
  points = gh_stats_series_get_points (series_at (throughput, 0), &n);
  g_assert_cmpuint (n, ==, 1);
  g_clear_pointer (&throughput, g_ptr_array_unref);

  gh_session_rates_reset (rates);
  throughput = gh_session_rates_get_throughput (rates);
  g_assert_cmpuint (throughput->len, ==, 0);
  g_assert_cmpfloat (gh_session_rates_get_rate (rates, chat1), ==, 0);

  g_list_store_remove_all (sessions);
  g_assert_finalize_object (g_steal_pointer (&rates));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stats-series/points", test_series_points);
  g_test_add_func ("/stats-series/sessions-per-service", test_sessions_per_service);
  g_test_add_func ("/stats-series/align", test_align);
  g_test_add_func ("/session-rates/rates", test_rates);

  return g_test_run ();
}
