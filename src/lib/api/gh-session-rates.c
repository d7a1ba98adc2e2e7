/* gh-session-rates.c — rates from counters
 *
 * The event stream updates each session's counters in place and says nothing of
 * rates; this keeps, per session, its last GH_SESSION_RATES_SPAN samples (time, bytes
 * in + out) in a small ring and takes the rate between the oldest and the newest. One
 * sample walks every session once (at 100,000 sessions a few milliseconds, once a
 * tick). A service's throughput is the sum of its live sessions' rates: bytes of a
 * session that closed between two samples are not counted, which the gateway's own
 * counters (gateway-wide only) would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-session-rates"

#include "config.h"

#include "gh-session-rates.h"
#include "gh-stats-series.h"

typedef struct {
  gint64 time;
  gint64 bytes;
} Sample;

typedef struct {
  Sample  samples[GH_SESSION_RATES_SPAN];
  guint   n;         /* samples held, up to GH_SESSION_RATES_SPAN */
  guint   next;      /* where the next one goes */
  double      rate;
  guint64     round;     /* the last sample that saw the session */
  const char *service;   /* interned: a key compared by address */
} Entry;

struct _GhSessionRates
{
  GObject     parent_instance;

  gint64      window;
  guint64     round;
  gint64      last_time;
  GHashTable *entries;      /* GhApiSession (owned) → Entry (owned) */
  GPtrArray  *throughput;   /* of GhStatsSeries */
};

G_DEFINE_FINAL_TYPE (GhSessionRates, gh_session_rates, G_TYPE_OBJECT)

static void
gh_session_rates_finalize (GObject *object)
{
  GhSessionRates *self = GH_SESSION_RATES (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->throughput, g_ptr_array_unref);

  G_OBJECT_CLASS (gh_session_rates_parent_class)->finalize (object);
}

static void
gh_session_rates_class_init (GhSessionRatesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_session_rates_finalize;
}

static void
gh_session_rates_init (GhSessionRates *self)
{
  self->entries = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, g_free);
  self->throughput = g_ptr_array_new_with_free_func (g_object_unref);
}

GhSessionRates *
gh_session_rates_new (gint64 window)
{
  GhSessionRates *self;

  g_return_val_if_fail (window > 0, NULL);

  self = g_object_new (GH_TYPE_SESSION_RATES, NULL);
  self->window = window;
  return self;
}

static void
entry_add_sample (Entry  *entry,
                  gint64  time,
                  gint64  bytes)
{
  const Sample *oldest;

  entry->samples[entry->next] = (Sample) { time, bytes };
  entry->next = (entry->next + 1) % GH_SESSION_RATES_SPAN;
  entry->n = MIN (entry->n + 1, GH_SESSION_RATES_SPAN);
  oldest = &entry->samples[entry->n < GH_SESSION_RATES_SPAN ? 0 : entry->next];
  if (time > oldest->time && bytes >= oldest->bytes)
    entry->rate = (bytes - oldest->bytes) * (double) G_USEC_PER_SEC / (time - oldest->time);
  else
    entry->rate = 0;
}

void
gh_session_rates_sample (GhSessionRates *self,
                         GListModel     *sessions,
                         gint64          time)
{
  g_autoptr(GHashTable) per_service = g_hash_table_new (NULL, NULL);   /* interned name → index in sums */
  g_autoptr(GArray) sums = NULL;
  GHashTableIter iter;
  gpointer value;
  guint n;

  g_return_if_fail (GH_IS_SESSION_RATES (self));
  g_return_if_fail (G_IS_LIST_MODEL (sessions));

  if (time <= self->last_time)
    return;
  self->last_time = time;
  self->round++;

  n = g_list_model_get_n_items (sessions);
  sums = g_array_sized_new (FALSE, TRUE, sizeof (double), 16);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhApiSession) session = g_list_model_get_item (sessions, i);
      Entry *entry = g_hash_table_lookup (self->entries, session);
      gpointer index;

      if (entry == NULL)
        {
          entry = g_new0 (Entry, 1);
          entry->service = g_intern_string (gh_api_session_get_service (session));
          g_hash_table_insert (self->entries, g_object_ref (session), entry);
        }
      entry->round = self->round;
      entry_add_sample (entry, time,
                        MAX (gh_api_session_get_bytes_in (session), 0) + MAX (gh_api_session_get_bytes_out (session), 0));

      if (entry->service == NULL)
        continue;
      if (!g_hash_table_lookup_extended (per_service, entry->service, NULL, &index))
        {
          double zero = 0;

          index = GUINT_TO_POINTER (sums->len);
          g_array_append_val (sums, zero);
          g_hash_table_insert (per_service, (gpointer) entry->service, index);
          gh_stats_series_find_or_add (self->throughput, entry->service);   /* a series from its first sample on */
        }
      g_array_index (sums, double, GPOINTER_TO_UINT (index)) += entry->rate;
    }

  /* Forget the sessions that are gone. */
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Entry *) value)->round != self->round)
      g_hash_table_iter_remove (&iter);

  for (guint i = 0; i < self->throughput->len; )
    {
      GhStatsSeries *series = g_ptr_array_index (self->throughput, i);
      gpointer index;
      guint n_points;
      double sum = 0;

      gh_stats_series_drop_before (series, time - self->window);
      if (g_hash_table_lookup_extended (per_service, g_intern_string (gh_stats_series_get_name (series)), NULL, &index))
        sum = g_array_index (sums, double, GPOINTER_TO_UINT (index));
      else if (gh_stats_series_get_points (series, &n_points), n_points == 0)
        {
          /* No session of it in the whole window: the service leaves the chart. */
          g_ptr_array_remove_index (self->throughput, i);
          continue;
        }
      gh_stats_series_add_point (series, time, sum);
      i++;
    }
}

void
gh_session_rates_reset (GhSessionRates *self)
{
  g_return_if_fail (GH_IS_SESSION_RATES (self));

  g_hash_table_remove_all (self->entries);
  g_ptr_array_set_size (self->throughput, 0);
  self->last_time = 0;
}

double
gh_session_rates_get_rate (GhSessionRates *self,
                           GhApiSession   *session)
{
  Entry *entry;

  g_return_val_if_fail (GH_IS_SESSION_RATES (self), 0);

  entry = g_hash_table_lookup (self->entries, session);
  return entry != NULL ? entry->rate : 0;
}

typedef struct {
  GhApiSession *session;
  double        rate;
} Ranked;

/* Higher rate first; then the older session (an order that does not flicker). */
static gboolean
ranks_before (const Ranked *a,
              const Ranked *b)
{
  GDateTime *a_started, *b_started;

  if (a->rate != b->rate)
    return a->rate > b->rate;
  a_started = gh_api_session_get_started (a->session);
  b_started = gh_api_session_get_started (b->session);
  if (a_started != NULL && b_started != NULL && g_date_time_compare (a_started, b_started) != 0)
    return g_date_time_compare (a_started, b_started) < 0;
  return g_strcmp0 (gh_api_session_get_id (a->session), gh_api_session_get_id (b->session)) < 0;
}

GPtrArray *
gh_session_rates_get_busiest (GhSessionRates *self,
                              guint           n)
{
  g_autofree Ranked *top = NULL;
  GPtrArray *busiest;
  guint n_top = 0;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (GH_IS_SESSION_RATES (self), NULL);

  busiest = g_ptr_array_new_with_free_func (g_object_unref);
  if (n == 0)
    return busiest;

  /* A walk keeping the best n in order: n is small. */
  top = g_new0 (Ranked, n);
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Ranked candidate = { key, ((Entry *) value)->rate };
      guint at;

      if (candidate.rate <= 0)
        continue;
      if (n_top == n && !ranks_before (&candidate, &top[n - 1]))
        continue;
      at = MIN (n_top, n - 1);
      while (at > 0 && ranks_before (&candidate, &top[at - 1]))
        {
          top[at] = top[at - 1];
          at--;
        }
      top[at] = candidate;
      n_top = MIN (n_top + 1, n);
    }

  for (guint i = 0; i < n_top; i++)
    g_ptr_array_add (busiest, g_object_ref (top[i].session));
  return busiest;
}

GPtrArray *
gh_session_rates_get_throughput (GhSessionRates *self)
{
  g_return_val_if_fail (GH_IS_SESSION_RATES (self), NULL);

  return g_ptr_array_ref (self->throughput);
}
