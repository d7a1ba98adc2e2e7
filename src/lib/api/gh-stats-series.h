/* gh-stats-series.h — a named series of (time, value) points, as a chart draws it,
 * and the open sessions of each service taken from the event stream's stats history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  gint64 time;    /* real time in µs */
  double value;
} GhStatsPoint;

#define GH_TYPE_STATS_SERIES (gh_stats_series_get_type ())

G_DECLARE_FINAL_TYPE (GhStatsSeries, gh_stats_series, GH, STATS_SERIES, GObject)

GhStatsSeries      *gh_stats_series_new                  (const char    *name);
const char         *gh_stats_series_get_name             (GhStatsSeries *self);
/* Oldest first. */
const GhStatsPoint *gh_stats_series_get_points           (GhStatsSeries *self,
                                                          guint         *n_points);
/* Points come in time order; one older than the last is ignored. */
void                gh_stats_series_add_point            (GhStatsSeries *self,
                                                          gint64         time,
                                                          double         value);
void                gh_stats_series_drop_before          (GhStatsSeries *self,
                                                          gint64         time);
/* The newest value (0 with no point), the largest value, the newest time (0). */
double              gh_stats_series_get_last             (GhStatsSeries *self);
double              gh_stats_series_get_max              (GhStatsSeries *self);
gint64              gh_stats_series_get_last_time        (GhStatsSeries *self);

/* The series named @name in @series (of GhStatsSeries), added at the end if there is
 * none (transfer none). */
GhStatsSeries      *gh_stats_series_find_or_add          (GPtrArray     *series,
                                                          const char    *name);

/* @series (of GhStatsSeries) in the order of the names of @order (of GhStatsSeries),
 * an empty series standing for a name @series lacks, then the series of other names
 * as they come: charts that colour series by their place give a service the same
 * colour in each (transfer full). */
GPtrArray          *gh_stats_series_align                (GPtrArray     *series,
                                                          GPtrArray     *order);

/* Of GhStatsSeries, one per service, in the order the newest stats name them (then
 * services that are gone): each service's open sessions at each stats tick of
 * @history (of GhApiStats) within @window µs of the newest one. Ticks without a time
 * are skipped. */
GPtrArray          *gh_stats_series_sessions_per_service (GListModel    *history,
                                                          gint64         window);

G_END_DECLS
