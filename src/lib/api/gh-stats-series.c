/* gh-stats-series.c — a chart's data, made outside the chart
 *
 * A series is a name and its points in time order; the chart only draws what it is
 * given. The series of open sessions per service are rebuilt from the stats history
 * at each tick: a few hundred ticks of a few services, cheaper to rebuild than to keep
 * in step with the history's own trimming.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-stats-series"

#include "config.h"

#include "gh-api-stats.h"
#include "gh-stats-series.h"

struct _GhStatsSeries
{
  GObject  parent_instance;

  char    *name;
  GArray  *points;   /* of GhStatsPoint, oldest first */
};

G_DEFINE_FINAL_TYPE (GhStatsSeries, gh_stats_series, G_TYPE_OBJECT)

static void
gh_stats_series_finalize (GObject *object)
{
  GhStatsSeries *self = GH_STATS_SERIES (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->points, g_array_unref);

  G_OBJECT_CLASS (gh_stats_series_parent_class)->finalize (object);
}

static void
gh_stats_series_class_init (GhStatsSeriesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_stats_series_finalize;
}

static void
gh_stats_series_init (GhStatsSeries *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (GhStatsPoint));
}

GhStatsSeries *
gh_stats_series_new (const char *name)
{
  GhStatsSeries *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (GH_TYPE_STATS_SERIES, NULL);
  self->name = g_strdup (name);
  return self;
}

const char *
gh_stats_series_get_name (GhStatsSeries *self)
{
  g_return_val_if_fail (GH_IS_STATS_SERIES (self), NULL);
  return self->name;
}

const GhStatsPoint *
gh_stats_series_get_points (GhStatsSeries *self,
                            guint         *n_points)
{
  g_return_val_if_fail (GH_IS_STATS_SERIES (self), NULL);
  g_return_val_if_fail (n_points != NULL, NULL);

  *n_points = self->points->len;
  return (const GhStatsPoint *) self->points->data;
}

void
gh_stats_series_add_point (GhStatsSeries *self,
                           gint64         time,
                           double         value)
{
  GhStatsPoint point = { time, value };

  g_return_if_fail (GH_IS_STATS_SERIES (self));

  if (self->points->len > 0 && time < gh_stats_series_get_last_time (self))
    return;
  g_array_append_val (self->points, point);
}

void
gh_stats_series_drop_before (GhStatsSeries *self,
                             gint64         time)
{
  guint n = 0;

  g_return_if_fail (GH_IS_STATS_SERIES (self));

  while (n < self->points->len && g_array_index (self->points, GhStatsPoint, n).time < time)
    n++;
  if (n > 0)
    g_array_remove_range (self->points, 0, n);
}

double
gh_stats_series_get_last (GhStatsSeries *self)
{
  g_return_val_if_fail (GH_IS_STATS_SERIES (self), 0);

  return self->points->len > 0 ? g_array_index (self->points, GhStatsPoint, self->points->len - 1).value : 0;
}

gint64
gh_stats_series_get_last_time (GhStatsSeries *self)
{
  g_return_val_if_fail (GH_IS_STATS_SERIES (self), 0);

  return self->points->len > 0 ? g_array_index (self->points, GhStatsPoint, self->points->len - 1).time : 0;
}

double
gh_stats_series_get_max (GhStatsSeries *self)
{
  double max = 0;

  g_return_val_if_fail (GH_IS_STATS_SERIES (self), 0);

  for (guint i = 0; i < self->points->len; i++)
    max = MAX (max, g_array_index (self->points, GhStatsPoint, i).value);
  return max;
}

/* The series named @name in @series, or NULL. */
static GhStatsSeries *
lookup (GPtrArray  *series,
        const char *name)
{
  for (guint i = 0; i < series->len; i++)
    if (g_str_equal (gh_stats_series_get_name (g_ptr_array_index (series, i)), name))
      return g_ptr_array_index (series, i);
  return NULL;
}

GhStatsSeries *
gh_stats_series_find_or_add (GPtrArray  *series,
                             const char *name)
{
  GhStatsSeries *found;

  g_return_val_if_fail (series != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  found = lookup (series, name);
  if (found != NULL)
    return found;
  found = gh_stats_series_new (name);
  g_ptr_array_add (series, found);
  return found;
}

GPtrArray *
gh_stats_series_align (GPtrArray *series,
                       GPtrArray *order)
{
  g_autoptr(GPtrArray) aligned = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (series != NULL, NULL);
  g_return_val_if_fail (order != NULL, NULL);

  for (guint i = 0; i < order->len; i++)
    {
      const char *name = gh_stats_series_get_name (g_ptr_array_index (order, i));
      GhStatsSeries *found = lookup (series, name);

      g_ptr_array_add (aligned, found != NULL ? g_object_ref (found) : gh_stats_series_new (name));
    }
  for (guint j = 0; j < series->len; j++)
    {
      GhStatsSeries *one = g_ptr_array_index (series, j);

      if (lookup (aligned, gh_stats_series_get_name (one)) == NULL)
        g_ptr_array_add (aligned, g_object_ref (one));
    }
  return g_steal_pointer (&aligned);
}

/**
 * gh_stats_series_sessions_per_service:
 * @history: (element-type GhApiStats): stats ticks, oldest first
 * @window: how far back from the newest tick, in µs
 *
 * Returns: (transfer full) (element-type GhStatsSeries): a series per service
 */
GPtrArray *
gh_stats_series_sessions_per_service (GListModel *history,
                                      gint64      window)
{
  g_autoptr(GPtrArray) series = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;
  gint64 newest = G_MININT64;
  guint first = 0;

  g_return_val_if_fail (G_IS_LIST_MODEL (history), NULL);

  n = g_list_model_get_n_items (history);
  /* The newest tick with a time gives the window and the order of the services. */
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(GhApiStats) stats = g_list_model_get_item (history, i - 1);
      GListModel *services = gh_api_stats_get_services (stats);

      if (gh_api_stats_get_time (stats) == NULL)
        continue;
      newest = g_date_time_to_unix_usec (gh_api_stats_get_time (stats));
      for (guint j = 0; j < g_list_model_get_n_items (services); j++)
        {
          g_autoptr(GhApiServiceStats) service = g_list_model_get_item (services, j);

          gh_stats_series_find_or_add (series, gh_api_service_stats_get_name (service));
        }
      first = i;
      break;
    }
  if (first == 0)
    return g_steal_pointer (&series);

  for (guint i = 0; i < first; i++)
    {
      g_autoptr(GhApiStats) stats = g_list_model_get_item (history, i);
      GListModel *services = gh_api_stats_get_services (stats);
      gint64 time;

      if (gh_api_stats_get_time (stats) == NULL)
        continue;
      time = g_date_time_to_unix_usec (gh_api_stats_get_time (stats));
      if (time < newest - window)
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (services); j++)
        {
          g_autoptr(GhApiServiceStats) service = g_list_model_get_item (services, j);

          gh_stats_series_add_point (gh_stats_series_find_or_add (series, gh_api_service_stats_get_name (service)), time,
                                     (double) gh_api_service_stats_get_sessions_open (service));
        }
    }

  return g_steal_pointer (&series);
}
