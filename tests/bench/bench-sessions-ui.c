/* bench-sessions-ui.c — the Connections table at 100,000 live sessions: frame intervals
 * of a GtkColumnView over GhSessionView, beside GTK's own GtkFilterListModel +
 * GtkSortListModel, in the same run
 *
 * Each mode shows the same sessions in the same column view (text cells bound to the
 * sessions' properties, as the page's), filtered to the open sessions and sorted by
 * bytes in, while updates arrive as the event stream brings them: every 100 ms a batch
 * of sessions' counters change (session.updated), and some sessions close and open.
 * A tick callback asks for a frame at every refresh, so a frame interval is how long
 * the window could not draw. GTK's stock models do not watch their items: to stay
 * correct they are told after each batch that the filter and the order changed, which
 * is what a page built on them would have to do.
 *
 * A third run is GhSessionView with the page's charts as the page draws them: once a
 * second every session's counters are sampled for the throughput and the busiest
 * sessions (GhSessionRates), and the time of each sample is reported.
 *
 * Usage (under a display, e.g. xvfb-run): bench-sessions-ui [SESSIONS [SECONDS [BATCH]]]
 * Prints one line per mode (frame intervals p50, p95, p99, max in ms; frames drawn;
 * the time to apply a tick's updates; the process's CPU time per tick, which other
 * load on the machine disturbs less than intervals do) and the ratios.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <adwaita.h>

#include "gh-api.h"

typedef struct {
  GListStore  *store;
  GPtrArray   *sessions;   /* every session made, open or not */
  GRand       *rand;
  GArray      *intervals;  /* of double, ms */
  gint64       last_frame;
  gboolean     done;
  guint        batch;
  GtkFilter   *filter;     /* the stock mode's, or NULL */
  GtkSorter   *sorter;
  guint        next_id;
  gint64       update_time;  /* µs spent applying the updates */
  guint        updates;
  GhSessionRates *rates;   /* the charts' mode only */
  GArray      *samples;    /* of double, ms per sample of the charts */
} Bench;

static GhApiSession *
make_session (guint n)
{
  g_autofree char *id = g_strdup_printf ("s%07u", n);
  g_autofree char *client = g_strdup_printf ("10.%u.%u.%u:%u", n >> 16 & 255, n >> 8 & 255, n & 255, 1024 + n % 60000);
  GhApiSessionFields fields = {
    .id = id,
    .service = n % 3 == 0 ? "chat" : n % 3 == 1 ? "feed" : "files",
    .client = client,
    .state = n % 10 == 0 ? "connecting" : "open",
    .started = 1700000000000000 + (gint64) n * 1000,
    .tls_protocol = "TLS1.3",
    .tls_cipher = "AES-256-GCM",
    .tls_server_name = "gateway.example.com",
    .backend = "10.1.0.5:9000",
    .bytes_in = n % 5000,
    .bytes_out = n % 7000,
  };
  g_autoptr(JsonNode) node = gh_api_session_fields_to_json (&fields);

  return gh_api_session_new_from_json (node, NULL);
}

/* The session.updated of one tick: counters of @batch sessions, a few closings and
 * openings. */
static gboolean
on_update (gpointer data)
{
  Bench *bench = data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (bench->store));
  gint64 begin = g_get_monotonic_time ();

  for (guint i = 0; i < bench->batch && n > 0; i++)
    {
      GhApiSession *session = g_ptr_array_index (bench->sessions, g_rand_int_range (bench->rand, 0, bench->sessions->len));
      gint64 more = g_rand_int_range (bench->rand, 1, 4000);

      gh_api_session_set_counters (session, gh_api_session_get_bytes_in (session) + more,
                                   gh_api_session_get_bytes_out (session) + more,
                                   gh_api_session_get_messages_in (session) + 1,
                                   gh_api_session_get_messages_out (session) + 1);
    }
  for (guint i = 0; i < 20 && n > 0; i++)
    g_list_store_remove (bench->store, g_rand_int_range (bench->rand, 0, n - i));
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GhApiSession) session = make_session (bench->next_id++);

      g_ptr_array_add (bench->sessions, g_object_ref (session));
      g_list_store_append (bench->store, session);
    }

  if (bench->filter != NULL)
    {
      gtk_filter_changed (bench->filter, GTK_FILTER_CHANGE_DIFFERENT);
      gtk_sorter_changed (bench->sorter, GTK_SORTER_CHANGE_DIFFERENT);
    }
  bench->update_time += g_get_monotonic_time () - begin;
  bench->updates++;
  return G_SOURCE_CONTINUE;
}

/* A stats tick of the page with its charts shown: every session sampled, then what
 * the charts and the busiest sessions read. */
static gboolean
on_sample (gpointer data)
{
  Bench *bench = data;
  gint64 begin = g_get_monotonic_time ();
  g_autoptr(GPtrArray) busiest = NULL;
  g_autoptr(GPtrArray) throughput = NULL;

  gh_session_rates_sample (bench->rates, G_LIST_MODEL (bench->store), g_get_real_time ());
  busiest = gh_session_rates_get_busiest (bench->rates, 5);
  throughput = gh_session_rates_get_throughput (bench->rates);
  g_array_append_val (bench->samples, ((double) { (g_get_monotonic_time () - begin) / 1000.0 }));
  return G_SOURCE_CONTINUE;
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  Bench *bench = data;
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (bench->last_frame != 0)
    g_array_append_val (bench->intervals, ((double) { (now - bench->last_frame) / 1000.0 }));
  bench->last_frame = now;
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_done (gpointer data)
{
  ((Bench *) data)->done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

/* Each cell follows its session's property, as the page's bindings do. */
static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           const char               *property)
{
  GObject *session = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  /* Counters (gint64) become text by GLib's own transformation. */
  GBinding *binding = g_object_bind_property (session, property, label, "label", G_BINDING_SYNC_CREATE);

  g_object_set_data (G_OBJECT (item), "binding", binding);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  data)
{
  GBinding *binding = g_object_get_data (G_OBJECT (item), "binding");

  if (binding != NULL)
    g_binding_unbind (binding);
  g_object_set_data (G_OBJECT (item), "binding", NULL);
}

static GtkColumnView *
make_column_view (GListModel *model)
{
  static const char * const columns[] = { "service", "client", "state", "tls-server-name", "backend",
                                          "bytes-in", "bytes-out" };
  GtkColumnView *view = GTK_COLUMN_VIEW (gtk_column_view_new (GTK_SELECTION_MODEL (gtk_multi_selection_new (model))));

  for (gsize i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) columns[i]);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), NULL);
      column = gtk_column_view_column_new (columns[i], factory);
      gtk_column_view_column_set_expand (column, TRUE);
      gtk_column_view_append_column (view, column);
      g_object_unref (column);
    }
  return view;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *sorted,
            double  p)
{
  if (sorted->len == 0)
    return 0;
  return g_array_index (sorted, double, MIN (sorted->len - 1, (guint) (p * sorted->len)));
}

typedef struct {
  double p50, p95, p99, max;
  guint  frames;
  double update_ms;   /* the mean time to apply one tick's updates */
  double cpu_ms;      /* the process's CPU time per tick: updates, model, layout, drawing */
  double sample_p50;  /* the charts' sample, ms (the charts' mode) */
  double sample_p95;
} Result;

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static Result
run_mode (gboolean stock,
          gboolean charts,
          guint    n_sessions,
          guint    seconds,
          guint    batch)
{
  Bench bench = { 0 };
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GhSessionView) view = NULL;
  GtkWindow *window;
  GtkWidget *scrolled;
  Result result = { 0 };
  guint update_id, sample_id = 0;
  double cpu_start;

  bench.store = g_list_store_new (GH_TYPE_API_SESSION);
  bench.sessions = g_ptr_array_new_with_free_func (g_object_unref);
  bench.rand = g_rand_new_with_seed (7);
  bench.intervals = g_array_new (FALSE, FALSE, sizeof (double));
  bench.batch = batch;
  for (guint n = 0; n < n_sessions; n++)
    g_ptr_array_add (bench.sessions, make_session (n));
  bench.next_id = n_sessions;
  g_list_store_splice (bench.store, 0, 0, bench.sessions->pdata, bench.sessions->len);

  if (stock)
    {
      GtkExpression *state = gtk_property_expression_new (GH_TYPE_API_SESSION, NULL, "state");
      GtkExpression *bytes = gtk_property_expression_new (GH_TYPE_API_SESSION, NULL, "bytes-in");
      GtkStringFilter *filter = gtk_string_filter_new (state);
      GtkNumericSorter *sorter = gtk_numeric_sorter_new (bytes);
      GtkFilterListModel *filtered;

      gtk_string_filter_set_search (filter, "open");
      gtk_string_filter_set_match_mode (filter, GTK_STRING_FILTER_MATCH_MODE_EXACT);
      bench.filter = GTK_FILTER (filter);
      bench.sorter = GTK_SORTER (sorter);
      filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (bench.store)), g_object_ref (bench.filter));
      model = G_LIST_MODEL (gtk_sort_list_model_new (G_LIST_MODEL (filtered), g_object_ref (bench.sorter)));
    }
  else
    {
      view = gh_session_view_new (G_LIST_MODEL (bench.store));
      gh_session_view_set_state (view, "open");
      gh_session_view_set_sort (view, GH_SESSION_SORT_BYTES_IN, FALSE);
      model = G_LIST_MODEL (g_object_ref (view));
    }

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1280, 800);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (make_column_view (g_object_ref (model))));
  gtk_window_set_child (window, scrolled);
  gtk_window_present (window);

  /* Settle, then measure. */
  for (gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC; g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  gtk_widget_add_tick_callback (scrolled, on_tick, &bench, NULL);
  cpu_start = cpu_seconds ();
  update_id = g_timeout_add (100, on_update, &bench);
  if (charts)
    {
      bench.rates = gh_session_rates_new (5 * 60 * G_USEC_PER_SEC);
      bench.samples = g_array_new (FALSE, FALSE, sizeof (double));
      sample_id = g_timeout_add_seconds (1, on_sample, &bench);
    }
  g_timeout_add_seconds (seconds, on_done, &bench);
  while (!bench.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (update_id);
  if (sample_id != 0)
    {
      g_source_remove (sample_id);
      g_array_sort (bench.samples, compare_double);
      result.sample_p50 = percentile (bench.samples, 0.50);
      result.sample_p95 = percentile (bench.samples, 0.95);
      g_clear_object (&bench.rates);
      g_array_unref (bench.samples);
    }
  result.cpu_ms = bench.updates ? (cpu_seconds () - cpu_start) * 1000 / bench.updates : 0;

  g_array_sort (bench.intervals, compare_double);
  result.p50 = percentile (bench.intervals, 0.50);
  result.p95 = percentile (bench.intervals, 0.95);
  result.p99 = percentile (bench.intervals, 0.99);
  result.max = bench.intervals->len ? g_array_index (bench.intervals, double, bench.intervals->len - 1) : 0;
  result.frames = bench.intervals->len;
  result.update_ms = bench.updates ? bench.update_time / 1000.0 / bench.updates : 0;

  gtk_window_destroy (window);
  for (gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2; g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  g_clear_object (&bench.filter);
  g_clear_object (&bench.sorter);
  g_array_unref (bench.intervals);
  g_rand_free (bench.rand);
  g_ptr_array_unref (bench.sessions);
  g_object_unref (bench.store);
  return result;
}

int
main (int   argc,
      char *argv[])
{
  guint n_sessions = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  guint seconds = argc > 2 ? (guint) atoi (argv[2]) : 10;
  guint batch = argc > 3 ? (guint) atoi (argv[3]) : 2000;
  Result ours, charted, stock;

  setlocale (LC_ALL, "");
  gtk_init ();

  g_print ("sessions %u, %u s per mode, %u counter updates + 20 closed + 20 opened every 100 ms; "
           "filter state = open, sort bytes in\n", n_sessions, seconds, batch);
  g_print ("%-40s %8s %8s %8s %8s %7s %9s %9s\n", "frame interval (ms)", "p50", "p95", "p99", "max", "frames",
           "update", "CPU/tick");
  ours = run_mode (FALSE, FALSE, n_sessions, seconds, batch);
  g_print ("%-40s %8.1f %8.1f %8.1f %8.1f %7u %9.1f %9.1f\n", "GhSessionView", ours.p50, ours.p95, ours.p99,
           ours.max, ours.frames, ours.update_ms, ours.cpu_ms);
  charted = run_mode (FALSE, TRUE, n_sessions, seconds, batch);
  g_print ("%-40s %8.1f %8.1f %8.1f %8.1f %7u %9.1f %9.1f\n", "GhSessionView + charts", charted.p50, charted.p95,
           charted.p99, charted.max, charted.frames, charted.update_ms, charted.cpu_ms);
  stock = run_mode (TRUE, FALSE, n_sessions, seconds, batch);
  g_print ("%-40s %8.1f %8.1f %8.1f %8.1f %7u %9.1f %9.1f\n", "GtkFilterListModel + GtkSortListModel",
           stock.p50, stock.p95, stock.p99, stock.max, stock.frames, stock.update_ms, stock.cpu_ms);
  g_print ("ratio (stock / GhSessionView): p95 %.1f×, p99 %.1f×, frames drawn %.2f×, CPU per tick %.1f×\n",
           ours.p95 > 0 ? stock.p95 / ours.p95 : 0, ours.p99 > 0 ? stock.p99 / ours.p99 : 0,
           stock.frames > 0 ? (double) ours.frames / stock.frames : 0,
           ours.cpu_ms > 0 ? stock.cpu_ms / ours.cpu_ms : 0);
  g_print ("charts: a sample of every session's counters, once a second: p50 %.1f ms, p95 %.1f ms\n",
           charted.sample_p50, charted.sample_p95);
  return 0;
}
