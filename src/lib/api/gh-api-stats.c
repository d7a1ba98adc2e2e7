/* gh-api-stats.c — the gateway's counters (GET /api/v1/stats, stats.tick)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-stats"

#include "config.h"

#include "gh-api-private.h"
#include "gh-api-stats.h"
#include "gh-json.h"

struct _GhApiServiceStats
{
  GObject  parent_instance;

  char    *name;
  char    *state;
  gint64   sessions_open;
  gint64   sessions_total;
};

G_DEFINE_FINAL_TYPE (GhApiServiceStats, gh_api_service_stats, G_TYPE_OBJECT)

static void
gh_api_service_stats_finalize (GObject *object)
{
  GhApiServiceStats *self = GH_API_SERVICE_STATS (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->state, g_free);

  G_OBJECT_CLASS (gh_api_service_stats_parent_class)->finalize (object);
}

static void
gh_api_service_stats_class_init (GhApiServiceStatsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_service_stats_finalize;
}

static void
gh_api_service_stats_init (GhApiServiceStats *self)
{
}

/**
 * gh_api_service_stats_new_from_json:
 * @node: {"name", "state", "sessions_open", "sessions_total"}
 * @error: %GH_API_ERROR_PROTOCOL when it is not that
 *
 * Returns: (transfer full) (nullable): one service's counters
 */
GhApiServiceStats *
gh_api_service_stats_new_from_json (JsonNode  *node,
                                    GError   **error)
{
  g_autoptr(GhApiServiceStats) self = g_object_new (GH_TYPE_API_SERVICE_STATS, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "service stats", error);

  if (object == NULL ||
      !_gh_api_get_string (object, "service stats", "name", GH_API_REQUIRED, &self->name, error) ||
      !_gh_api_get_string (object, "service stats", "state", GH_API_NULLABLE, &self->state, error) ||
      !_gh_api_get_int (object, "service stats", "sessions_open", GH_API_NULLABLE, &self->sessions_open, error) ||
      !_gh_api_get_int (object, "service stats", "sessions_total", GH_API_NULLABLE, &self->sessions_total, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
gh_api_service_stats_get_name (GhApiServiceStats *self)
{
  g_return_val_if_fail (GH_IS_API_SERVICE_STATS (self), NULL);
  return self->name;
}

const char *
gh_api_service_stats_get_state (GhApiServiceStats *self)
{
  g_return_val_if_fail (GH_IS_API_SERVICE_STATS (self), NULL);
  return self->state;
}

gint64
gh_api_service_stats_get_sessions_open (GhApiServiceStats *self)
{
  g_return_val_if_fail (GH_IS_API_SERVICE_STATS (self), 0);
  return self->sessions_open;
}

gint64
gh_api_service_stats_get_sessions_total (GhApiServiceStats *self)
{
  g_return_val_if_fail (GH_IS_API_SERVICE_STATS (self), 0);
  return self->sessions_total;
}

struct _GhApiStats
{
  GObject     parent_instance;

  GDateTime  *time;
  gint64      uptime;
  gint64      sessions_open;
  gint64      sessions_total;
  gint64      bytes_in;
  gint64      bytes_out;
  gint64      messages_in;
  gint64      messages_out;
  GListModel *services;
};

G_DEFINE_FINAL_TYPE (GhApiStats, gh_api_stats, G_TYPE_OBJECT)

GH_API_DEFINE_PARSE_FUNC (service_stats)

static void
gh_api_stats_finalize (GObject *object)
{
  GhApiStats *self = GH_API_STATS (object);

  g_clear_pointer (&self->time, g_date_time_unref);
  g_clear_object (&self->services);

  G_OBJECT_CLASS (gh_api_stats_parent_class)->finalize (object);
}

static void
gh_api_stats_class_init (GhApiStatsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_stats_finalize;
}

static void
gh_api_stats_init (GhApiStats *self)
{
}

/**
 * gh_api_stats_fields_to_json:
 * @fields: the gateway's counters
 *
 * The one place that writes the counters of the admin API; gh_api_stats_new_from_json()
 * is the one that reads them.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
gh_api_stats_fields_to_json (const GhApiStatsFields *fields)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *time = NULL;

  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (fields->n_services == 0 || fields->services != NULL, NULL);

  time = gh_json_format_time (fields->time);

  json_builder_begin_object (builder);
  gh_json_add_string (builder, "time", time);
  gh_json_add_int (builder, "uptime", fields->uptime);
  gh_json_add_int (builder, "sessions_open", fields->sessions_open);
  gh_json_add_int (builder, "sessions_total", fields->sessions_total);
  gh_json_add_int (builder, "bytes_in", fields->bytes_in);
  gh_json_add_int (builder, "bytes_out", fields->bytes_out);
  gh_json_add_int (builder, "messages_in", fields->messages_in);
  gh_json_add_int (builder, "messages_out", fields->messages_out);
  json_builder_set_member_name (builder, "services");
  json_builder_begin_array (builder);
  for (guint i = 0; i < fields->n_services; i++)
    {
      const GhApiServiceStatsFields *service = &fields->services[i];

      json_builder_begin_object (builder);
      gh_json_add_string (builder, "name", service->name);
      gh_json_add_string (builder, "state", service->state);
      gh_json_add_int (builder, "sessions_open", service->sessions_open);
      gh_json_add_int (builder, "sessions_total", service->sessions_total);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * gh_api_stats_new_from_json:
 * @node: the answer of GET /stats, or a stats.tick's data
 * @error: %GH_API_ERROR_PROTOCOL when it is not one
 *
 * Returns: (transfer full) (nullable): the counters
 */
GhApiStats *
gh_api_stats_new_from_json (JsonNode  *node,
                            GError   **error)
{
  g_autoptr(GhApiStats) self = g_object_new (GH_TYPE_API_STATS, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "stats", error);
  JsonArray *services = NULL;

  if (object == NULL ||
      !_gh_api_get_time (object, "stats", "time", GH_API_NULLABLE, &self->time, error) ||
      !_gh_api_get_int (object, "stats", "uptime", GH_API_NULLABLE, &self->uptime, error) ||
      !_gh_api_get_int (object, "stats", "sessions_open", GH_API_REQUIRED, &self->sessions_open, error) ||
      !_gh_api_get_int (object, "stats", "sessions_total", GH_API_REQUIRED, &self->sessions_total, error) ||
      !_gh_api_get_int (object, "stats", "bytes_in", GH_API_REQUIRED, &self->bytes_in, error) ||
      !_gh_api_get_int (object, "stats", "bytes_out", GH_API_REQUIRED, &self->bytes_out, error) ||
      !_gh_api_get_int (object, "stats", "messages_in", GH_API_REQUIRED, &self->messages_in, error) ||
      !_gh_api_get_int (object, "stats", "messages_out", GH_API_REQUIRED, &self->messages_out, error) ||
      !_gh_api_get_array (object, "stats", "services", GH_API_NULLABLE, &services, error))
    return NULL;

  self->services = _gh_api_list_from_array (services, GH_TYPE_API_SERVICE_STATS,
                                            parse_service_stats,
                                            "stats.services", error);
  if (self->services == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

GDateTime *
gh_api_stats_get_time (GhApiStats *self)
{
  g_return_val_if_fail (GH_IS_API_STATS (self), NULL);
  return self->time;
}

gint64
gh_api_stats_get_uptime (GhApiStats *self)
{
  g_return_val_if_fail (GH_IS_API_STATS (self), 0);
  return self->uptime;
}

gint64
gh_api_stats_get_sessions_open (GhApiStats *self)
{
  g_return_val_if_fail (GH_IS_API_STATS (self), 0);
  return self->sessions_open;
}

gint64
gh_api_stats_get_sessions_total (GhApiStats *self)
{
  g_return_val_if_fail (GH_IS_API_STATS (self), 0);
  return self->sessions_total;
}

gint64
gh_api_stats_get_bytes_in (GhApiStats *self)
{
  g_return_val_if_fail (GH_IS_API_STATS (self), 0);
  return self->bytes_in;
}

gint64
gh_api_stats_get_bytes_out (GhApiStats *self)
{
  g_return_val_if_fail (GH_IS_API_STATS (self), 0);
  return self->bytes_out;
}

gint64
gh_api_stats_get_messages_in (GhApiStats *self)
{
  g_return_val_if_fail (GH_IS_API_STATS (self), 0);
  return self->messages_in;
}

gint64
gh_api_stats_get_messages_out (GhApiStats *self)
{
  g_return_val_if_fail (GH_IS_API_STATS (self), 0);
  return self->messages_out;
}

GListModel *
gh_api_stats_get_services (GhApiStats *self)
{
  g_return_val_if_fail (GH_IS_API_STATS (self), NULL);
  return self->services;
}

/**
 * gh_api_stats_lookup_service:
 * @self: a #GhApiStats
 * @name: a service name
 *
 * Returns: (transfer none) (nullable): that service's counters
 */
GhApiServiceStats *
gh_api_stats_lookup_service (GhApiStats *self,
                             const char *name)
{
  g_return_val_if_fail (GH_IS_API_STATS (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (self->services); i++)
    {
      g_autoptr(GhApiServiceStats) service = g_list_model_get_item (self->services, i);

      if (g_strcmp0 (service->name, name) == 0)
        return service;  /* the list keeps its reference */
    }

  return NULL;
}
