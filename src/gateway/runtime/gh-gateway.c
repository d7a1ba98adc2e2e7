/* gh-gateway.c — the running gateway: a thin front over generations and listeners
 *
 * GhGateway owns what lives on the main context: the configuration file and its
 * history, the listeners bound now, the session registry and the data plane's shared
 * state (dataplane/gh-dataplane.c). A generation is built from the configuration
 * without sockets (gh-generation-builder.c); swapping one in binds what is new first,
 * so that a port in use fails the whole change. Applying a change through the admin
 * API is its own file (gh-gateway-apply.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gatehoused"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-api-stats.h"
#include "gh-config-history.h"
#include "gh-gateway-private.h"
#include "gh-generation-builder.h"
#include "gh-listener.h"

enum {
  APPLIED,
  SERVICE_STATE,
  BACKEND_HEALTH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (GhGateway, gh_gateway, G_TYPE_OBJECT)

/* Which listener is bound at each address now, for the threads. */
static void
share_listeners (GhGateway *self)
{
  gh_dataplane_share_listeners (self->dataplane, self->listeners);
}

gboolean
_gh_gateway_swap_generation (GhGateway     *self,
                             GhGeneration  *generation,
                             GError       **error)
{
  g_autoptr(GHashTable) added = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) gh_listener_free);
  GHashTableIter iter;
  gpointer key, value;

  /* Bind what is new first: a port in use fails the whole change. */
  g_hash_table_iter_init (&iter, generation->bindings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GhBinding *binding = value;
      GhListener *existing = g_hash_table_lookup (self->listeners, key);
      GhListener *listener;

      if (existing != NULL && gh_listener_is_http (existing) == binding->http)
        continue;

      if ((listener = gh_listener_new (self->dataplane, binding, error)) == NULL)
        {
          gh_generation_error_to_problem (error, binding->path ? binding->path : "");
          return FALSE;
        }
      g_hash_table_insert (added, g_strdup (key), listener);
    }

  /* Then swap. */
  gh_dataplane_set_generation (self->dataplane, generation);

  g_hash_table_iter_init (&iter, self->listeners);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!g_hash_table_contains (generation->bindings, key) || g_hash_table_contains (added, key))
        g_hash_table_iter_remove (&iter);
    }

  g_hash_table_iter_init (&iter, added);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_hash_table_iter_steal (&iter);
      g_hash_table_insert (self->listeners, key, value);
      gh_listener_start (value);
      g_message ("listening on %s", (char *) key);
    }
  share_listeners (self);

  return TRUE;
}

GBytes *
_gh_gateway_config_document (GhGatewayConfig *config)
{
  gsize length = 0;
  char *data = gh_gateway_config_to_data (config, &length);

  return g_bytes_new_take (data, length);
}

void
_gh_gateway_record_version (GhGateway  *self,
                            const char *identity,
                            const char *action)
{
  g_autoptr(GBytes) document = _gh_gateway_config_document (_gh_gateway_generation (self)->config);
  g_autoptr(GError) error = NULL;
  gint64 version = 0;

  if (self->history != NULL)
    version = gh_config_history_record (self->history, document, identity, action, &error);
  if (version == 0)
    {
      /* Without a history the gateway still counts, so ETags stay right. */
      if (error != NULL)
        g_warning ("configuration history: %s", error->message);
      version = self->version + 1;
    }
  self->version = version;
}

static void
open_history (GhGateway  *self,
              const char *action)
{
  g_autoptr(GFile) history_directory = g_file_get_child (self->state_directory, "history");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) latest = NULL;
  g_autoptr(GBytes) current = NULL;

  self->history = gh_config_history_new (history_directory, &error);
  if (self->history == NULL)
    g_warning ("%s", error->message);

  /* The running configuration is the newest version; one edited by hand since the
   * last run becomes a new one. */
  if (self->history != NULL)
    {
      latest = gh_config_history_dup_latest (self->history);
      current = _gh_gateway_config_document (_gh_gateway_generation (self)->config);
      if (latest != NULL && g_bytes_equal (latest, current))
        {
          self->version = gh_config_history_get_current (self->history);
          return;
        }
    }
  _gh_gateway_record_version (self, "gatehoused", action);
}

GhGateway *
gh_gateway_new (GFile *config_file)
{
  GhGateway *self;

  g_return_val_if_fail (G_IS_FILE (config_file), NULL);

  self = g_object_new (GH_TYPE_GATEWAY, NULL);
  self->config_file = g_object_ref (config_file);
  self->state_directory = g_file_get_parent (config_file);
  return self;
}

gboolean
gh_gateway_check (GFile   *config_file,
                  GError **error)
{
  g_autoptr(GhGeneration) generation = NULL;

  g_return_val_if_fail (G_IS_FILE (config_file), FALSE);

  generation = gh_generation_build_from_file (config_file, error);
  return generation != NULL;
}

gboolean
gh_gateway_start (GhGateway  *self,
                  GError    **error)
{
  g_autoptr(GhGeneration) generation = NULL;

  g_return_val_if_fail (GH_IS_GATEWAY (self), FALSE);
  g_return_val_if_fail (_gh_gateway_generation (self) == NULL, FALSE);

  if ((generation = gh_generation_build_from_file (self->config_file, error)) == NULL)
    return FALSE;

  self->workers = gh_workers_get_default ();
  gh_dataplane_set_workers (self->dataplane, self->workers);
  gh_dataplane_set_accepting (self->dataplane, TRUE);
  if (!_gh_gateway_swap_generation (self, generation, error))
    return FALSE;

  open_history (self, "start");
  return TRUE;
}

/* A reload (SIGHUP) read @generation from the files: swap it in and count a version. */
static gboolean
apply_reloaded (GhGateway     *self,
                GhGeneration  *generation,
                GError       **error)
{
  if (!_gh_gateway_swap_generation (self, generation, error))
    return FALSE;

  _gh_gateway_record_version (self, "gatehoused", "reload");
  g_message ("reloaded %s: %u services, %u listeners, version %" G_GINT64_FORMAT,
             g_file_peek_path (self->config_file),
             g_hash_table_size (generation->services), g_hash_table_size (self->listeners), self->version);
  _gh_gateway_emit_applied (self, "gatehoused", "reload");
  return TRUE;
}

static void
load_generation_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;
  GhGeneration *generation = gh_generation_build_from_file (task_data, &error);

  if (generation == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, generation, (GDestroyNotify) gh_generation_unref);
}

/**
 * gh_gateway_reload_async:
 * @self: a #GhGateway
 * @callback: called when the reload is applied or refused
 * @user_data: data for @callback
 *
 * As gh_gateway_reload(), with the files read and the keys decrypted in a thread, so
 * that live sessions never wait for a reload.
 */
void
gh_gateway_reload_async (GhGateway           *self,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GH_IS_GATEWAY (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, gh_gateway_reload_async);
  g_task_set_task_data (task, g_object_ref (self->config_file), g_object_unref);
  g_task_run_in_thread (task, load_generation_thread);
}

gboolean
gh_gateway_reload_finish (GhGateway     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_autoptr(GhGeneration) generation = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if ((generation = g_task_propagate_pointer (G_TASK (result), error)) == NULL)
    return FALSE;

  return apply_reloaded (self, generation, error);
}

gboolean
gh_gateway_reload (GhGateway  *self,
                   GError    **error)
{
  g_autoptr(GhGeneration) generation = NULL;

  g_return_val_if_fail (GH_IS_GATEWAY (self), FALSE);

  if ((generation = gh_generation_build_from_file (self->config_file, error)) == NULL)
    return FALSE;

  return apply_reloaded (self, generation, error);
}

void
gh_gateway_stop_accepting (GhGateway *self)
{
  g_return_if_fail (GH_IS_GATEWAY (self));

  gh_dataplane_set_accepting (self->dataplane, FALSE);
  g_hash_table_remove_all (self->listeners);
  share_listeners (self);
}

void
gh_gateway_close_sessions (GhGateway  *self,
                           const char *reason)
{
  GListModel *model = G_LIST_MODEL (self->sessions);
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (sessions, g_list_model_get_item (model, i));

  for (guint i = 0; i < sessions->len; i++)
    gh_session_close (g_ptr_array_index (sessions, i), reason);
}

GhGatewayConfig *
gh_gateway_get_config (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  return _gh_gateway_generation (self) ? _gh_gateway_generation (self)->config : NULL;
}

GhSessionRegistry *
gh_gateway_get_sessions (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  return self->sessions;
}

GStrv
gh_gateway_dup_listen_addresses (GhGateway *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  g_hash_table_iter_init (&iter, self->listeners);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_strv_builder_add (builder, key);

  return g_strv_builder_end (builder);
}

gint64
gh_gateway_get_config_version (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), 0);

  return self->version;
}

GFile *
gh_gateway_get_config_file (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  return self->config_file;
}

void
gh_gateway_set_state_directory (GhGateway *self,
                                GFile     *directory)
{
  g_return_if_fail (GH_IS_GATEWAY (self));
  g_return_if_fail (G_IS_FILE (directory));
  g_return_if_fail (self->history == NULL);

  g_set_object (&self->state_directory, directory);
}

GFile *
gh_gateway_get_state_directory (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  return self->state_directory;
}

GhConfigHistory *
gh_gateway_get_history (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  return self->history;
}

gint64
gh_gateway_get_started (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), 0);

  return self->started;
}

GhKeystore *
gh_gateway_get_keystore (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  return _gh_gateway_generation (self) ? _gh_gateway_generation (self)->keystore : NULL;
}

GhKeystore *
gh_gateway_get_truststore (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  return _gh_gateway_generation (self) ? _gh_gateway_generation (self)->truststore : NULL;
}

GPtrArray *
gh_gateway_get_anchors (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  return _gh_gateway_generation (self) ? _gh_gateway_generation (self)->anchors : NULL;
}

GhTlsServerContext *
gh_gateway_get_admin_tls (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  return _gh_gateway_generation (self) ? _gh_gateway_generation (self)->admin_tls : NULL;
}

GhTlsClientContext *
gh_gateway_get_connect_tls (GhGateway  *self,
                            const char *service_name)
{
  GhService *service;

  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  if (_gh_gateway_generation (self) == NULL ||
      (service = g_hash_table_lookup (_gh_gateway_generation (self)->services, service_name)) == NULL)
    return NULL;
  return service->connect_tls;
}

gboolean
gh_gateway_get_service_started (GhGateway  *self,
                                const char *name)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), FALSE);

  return !gh_dataplane_get_service_stopped (self->dataplane, name);
}

/**
 * gh_gateway_set_service_started:
 * @self: a #GhGateway
 * @name: a service of the running configuration
 * @started: %FALSE to refuse new connections and close the live sessions
 * @reason: why, recorded on the closed sessions
 * @error: %G_IO_ERROR_NOT_FOUND for an unknown service, %G_IO_ERROR_EXISTS when it is
 *   in that state already
 *
 * The state is the running gateway's, not the configuration's: a restart starts
 * every service.
 */
gboolean
gh_gateway_set_service_started (GhGateway   *self,
                                const char  *name,
                                gboolean     started,
                                const char  *reason,
                                GError     **error)
{
  GListModel *model;
  g_autoptr(GPtrArray) doomed = NULL;

  g_return_val_if_fail (GH_IS_GATEWAY (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (_gh_gateway_generation (self) == NULL || !g_hash_table_contains (_gh_gateway_generation (self)->services, name))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no service “%s”"), name);
      return FALSE;
    }

  if (started == gh_gateway_get_service_started (self, name))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   started ? _("The service “%s” is started already") : _("The service “%s” is stopped already"), name);
      return FALSE;
    }

  if (started)
    {
      gh_dataplane_set_service_stopped (self->dataplane, name, FALSE);
      g_message ("service %s started", name);
      g_signal_emit (self, signals[SERVICE_STATE], 0, name, TRUE);
      return TRUE;
    }

  gh_dataplane_set_service_stopped (self->dataplane, name, TRUE);
  g_message ("service %s stopped", name);

  model = G_LIST_MODEL (self->sessions);
  doomed = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GhSession) session = g_list_model_get_item (model, i);

      if (g_str_equal (gh_session_get_service (session), name))
        g_ptr_array_add (doomed, g_steal_pointer (&session));
    }
  for (guint i = 0; i < doomed->len; i++)
    gh_session_close (g_ptr_array_index (doomed, i), reason);

  g_signal_emit (self, signals[SERVICE_STATE], 0, name, FALSE);
  return TRUE;
}

/**
 * gh_gateway_stats_to_json:
 * @self: a #GhGateway
 *
 * The gateway's counters as the admin API's `GET /stats` gives them.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
gh_gateway_stats_to_json (GhGateway *self)
{
  g_autoptr(GArray) services = g_array_new (FALSE, TRUE, sizeof (GhApiServiceStatsFields));
  GhApiStatsFields stats;
  GhSessionTraffic traffic;
  gint64 real_time = g_get_real_time ();

  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  gh_session_registry_get_traffic (self->sessions, &traffic);

  if (_gh_gateway_generation (self) != NULL)
    {
      GListModel *configs = gh_gateway_config_get_services (_gh_gateway_generation (self)->config);

      for (guint i = 0; i < g_list_model_get_n_items (configs); i++)
        {
          g_autoptr(GhServiceConfig) config = g_list_model_get_item (configs, i);
          const char *name = gh_service_config_get_name (config);
          GhApiServiceStatsFields service = {
            .name = name,  /* owned by the generation's configuration, which outlives this call */
            .state = gh_gateway_get_service_started (self, name) ? "started" : "stopped",
            .sessions_open = gh_session_registry_count_service (self->sessions, name),
            .sessions_total = gh_session_registry_count_service_total (self->sessions, name),
          };

          g_array_append_val (services, service);
        }
    }

  stats = (GhApiStatsFields) {
    .time = real_time,
    .uptime = (real_time - self->started) / G_USEC_PER_SEC,
    .sessions_open = g_list_model_get_n_items (G_LIST_MODEL (self->sessions)),
    .sessions_total = gh_session_registry_get_total (self->sessions),
    .bytes_in = traffic.bytes_in,
    .bytes_out = traffic.bytes_out,
    .messages_in = traffic.messages_in,
    .messages_out = traffic.messages_out,
    .services = (const GhApiServiceStatsFields *) services->data,
    .n_services = services->len,
  };

  return gh_api_stats_fields_to_json (&stats);
}
void
_gh_gateway_emit_applied (GhGateway  *self,
                          const char *identity,
                          const char *action)
{
  g_signal_emit (self, signals[APPLIED], 0, self->version, identity, action);
}

static void
on_backend_health (GhDataplane *dataplane,
                   const char  *service,
                   gboolean     ok,
                   const char  *error,
                   gpointer     user_data)
{
  g_signal_emit (user_data, signals[BACKEND_HEALTH], 0, service, ok, error);
}

static void
gh_gateway_dispose (GObject *object)
{
  GhGateway *self = GH_GATEWAY (object);

  if (self->listeners != NULL)
    {
      g_hash_table_remove_all (self->listeners);
      gh_dataplane_set_generation (self->dataplane, NULL);
      share_listeners (self);
      /* The workers drop the listeners' servers before the gateway goes. */
      if (self->workers != NULL)
        gh_workers_sync (self->workers);
    }
  g_clear_pointer (&self->listeners, g_hash_table_unref);

  G_OBJECT_CLASS (gh_gateway_parent_class)->dispose (object);
}

static void
gh_gateway_finalize (GObject *object)
{
  GhGateway *self = GH_GATEWAY (object);

  g_clear_object (&self->config_file);
  g_clear_object (&self->state_directory);
  g_clear_object (&self->sessions);
  g_clear_object (&self->dataplane);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (gh_gateway_parent_class)->finalize (object);
}

static void
gh_gateway_class_init (GhGatewayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_gateway_dispose;
  object_class->finalize = gh_gateway_finalize;

  /**
   * GhGateway::applied:
   * @version: the new version
   * @identity: who changed it ("gatehoused" for a reload)
   * @action: what changed, for people ("config", "keystore upload web", …)
   *
   * A change to the configuration, keystore or truststore took effect.
   */
  signals[APPLIED] =
    g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * GhGateway::service-state:
   * @name: the service
   * @started: whether it now accepts
   */
  signals[SERVICE_STATE] =
    g_signal_new ("service-state", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  /**
   * GhGateway::backend-health:
   * @service: the service
   * @ok: whether the last connection to its back-end succeeded
   * @error: (nullable): why not
   *
   * A service's back-end became reachable or unreachable, as sessions found it.
   */
  signals[BACKEND_HEALTH] =
    g_signal_new ("backend-health", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_STRING);
}

static void
gh_gateway_init (GhGateway *self)
{
  self->listeners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) gh_listener_free);
  self->sessions = gh_session_registry_new ();
  self->dataplane = gh_dataplane_new (self->sessions);
  g_signal_connect_object (self->dataplane, "backend-health", G_CALLBACK (on_backend_health), self, 0);
  self->started = g_get_real_time ();
}
