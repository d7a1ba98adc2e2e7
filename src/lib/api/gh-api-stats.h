/* gh-api-stats.h — GET /api/v1/stats and the stats.tick event: the gateway's counters,
 * and each service's (GhApiServiceStats)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The counters as the admin API writes them (GET /stats, stats.tick, the snapshot):
 * gatehoused fills these and gh_api_stats_fields_to_json() writes them;
 * gh_api_stats_new_from_json() reads the same members back. Strings are borrowed. */
typedef struct {
  const char *name;
  const char *state;             /* "started", "stopped" */
  gint64      sessions_open;
  gint64      sessions_total;
} GhApiServiceStatsFields;

typedef struct {
  gint64                         time;      /* real time in µs */
  gint64                         uptime;    /* seconds */
  gint64                         sessions_open;
  gint64                         sessions_total;
  gint64                         bytes_in;
  gint64                         bytes_out;
  gint64                         messages_in;
  gint64                         messages_out;
  const GhApiServiceStatsFields *services;
  guint                          n_services;
} GhApiStatsFields;

JsonNode          *gh_api_stats_fields_to_json               (const GhApiStatsFields *fields);

#define GH_TYPE_API_SERVICE_STATS (gh_api_service_stats_get_type ())

G_DECLARE_FINAL_TYPE (GhApiServiceStats, gh_api_service_stats, GH, API_SERVICE_STATS, GObject)

GhApiServiceStats *gh_api_service_stats_new_from_json        (JsonNode          *node,
                                                              GError           **error);
const char        *gh_api_service_stats_get_name             (GhApiServiceStats *self);
const char        *gh_api_service_stats_get_state            (GhApiServiceStats *self);  /* "started", "stopped" */
gint64             gh_api_service_stats_get_sessions_open    (GhApiServiceStats *self);
gint64             gh_api_service_stats_get_sessions_total   (GhApiServiceStats *self);

#define GH_TYPE_API_STATS (gh_api_stats_get_type ())

G_DECLARE_FINAL_TYPE (GhApiStats, gh_api_stats, GH, API_STATS, GObject)

GhApiStats        *gh_api_stats_new_from_json                (JsonNode          *node,
                                                              GError           **error);
GDateTime         *gh_api_stats_get_time                     (GhApiStats        *self);  /* nullable */
gint64             gh_api_stats_get_uptime                   (GhApiStats        *self);
gint64             gh_api_stats_get_sessions_open            (GhApiStats        *self);
gint64             gh_api_stats_get_sessions_total           (GhApiStats        *self);
gint64             gh_api_stats_get_bytes_in                 (GhApiStats        *self);
gint64             gh_api_stats_get_bytes_out                (GhApiStats        *self);
gint64             gh_api_stats_get_messages_in              (GhApiStats        *self);
gint64             gh_api_stats_get_messages_out             (GhApiStats        *self);
/* Of GhApiServiceStats, in the server's order. */
GListModel        *gh_api_stats_get_services                 (GhApiStats        *self);
GhApiServiceStats *gh_api_stats_lookup_service               (GhApiStats        *self,
                                                              const char        *name);

G_END_DECLS
