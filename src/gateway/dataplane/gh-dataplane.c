/* gh-dataplane.c — what the threads that run sessions share with the gateway
 *
 * The gateway (runtime/) lives on its main context and swaps generations; the
 * listeners, HTTP fronts and back-end connections of this folder run on the workers'
 * threads and read what they need from here under one lock: the current generation,
 * the listener bound at each address, the stopped services, the sessions each service
 * admitted. What the threads tell the gateway (a session to register, a back-end's
 * health) comes back to the home context; the back-end's health as a signal, so that
 * the data plane knows nothing of the gateway above it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gatehoused"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-dataplane-private.h"
#include "gh-listener.h"

enum {
  BACKEND_HEALTH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (GhDataplane, gh_dataplane, G_TYPE_OBJECT)

GhDataplane *
gh_dataplane_new (GhSessionRegistry *sessions)
{
  GhDataplane *self;

  g_return_val_if_fail (GH_IS_SESSION_REGISTRY (sessions), NULL);

  self = g_object_new (GH_TYPE_DATAPLANE, NULL);
  g_weak_ref_set (&self->sessions, sessions);
  return self;
}

void
gh_dataplane_set_generation (GhDataplane  *self,
                             GhGeneration *generation)
{
  GhGeneration *previous;

  g_return_if_fail (GH_IS_DATAPLANE (self));

  g_mutex_lock (&self->lock);
  previous = g_steal_pointer (&self->generation);
  self->generation = generation ? gh_generation_ref (generation) : NULL;
  g_mutex_unlock (&self->lock);
  g_clear_pointer (&previous, gh_generation_unref);
}

GhGeneration *
gh_dataplane_get_generation (GhDataplane *self)
{
  g_return_val_if_fail (GH_IS_DATAPLANE (self), NULL);

  return self->generation;
}

/* (transfer full) (nullable) */
GhGeneration *
gh_dataplane_dup_generation (GhDataplane *self)
{
  GhGeneration *generation;

  g_mutex_lock (&self->lock);
  generation = self->generation ? gh_generation_ref (self->generation) : NULL;
  g_mutex_unlock (&self->lock);
  return generation;
}

GhBinding *
_gh_dataplane_lookup_binding (GhDataplane   *self,
                              const char    *key,
                              GhGeneration **generation)
{
  *generation = gh_dataplane_dup_generation (self);
  return *generation ? g_hash_table_lookup ((*generation)->bindings, key) : NULL;
}

void
gh_dataplane_share_listeners (GhDataplane *self,
                              GHashTable  *listeners)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (GH_IS_DATAPLANE (self));

  g_mutex_lock (&self->lock);
  g_hash_table_remove_all (self->listener_ids);
  g_hash_table_iter_init (&iter, listeners);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (self->listener_ids, g_strdup (key), GUINT_TO_POINTER (gh_listener_get_id (value)));
  g_mutex_unlock (&self->lock);
}

gboolean
_gh_dataplane_listener_current (GhDataplane *self,
                                const char  *key,
                                guint        listener_id)
{
  gboolean current;

  g_mutex_lock (&self->lock);
  current = GPOINTER_TO_UINT (g_hash_table_lookup (self->listener_ids, key)) == listener_id;
  g_mutex_unlock (&self->lock);
  return current;
}

void
gh_dataplane_set_workers (GhDataplane *self,
                          GhWorkers   *workers)
{
  g_return_if_fail (GH_IS_DATAPLANE (self));

  self->workers = workers;
}

GhWorkers *
gh_dataplane_get_workers (GhDataplane *self)
{
  g_return_val_if_fail (GH_IS_DATAPLANE (self), NULL);

  return self->workers;
}

void
gh_dataplane_set_accepting (GhDataplane *self,
                            gboolean     accepting)
{
  g_return_if_fail (GH_IS_DATAPLANE (self));

  self->accepting = accepting;
}

gboolean
gh_dataplane_get_accepting (GhDataplane *self)
{
  g_return_val_if_fail (GH_IS_DATAPLANE (self), FALSE);

  return self->accepting;
}

gboolean
gh_dataplane_get_service_stopped (GhDataplane *self,
                                  const char  *name)
{
  gboolean stopped;

  g_mutex_lock (&self->lock);
  stopped = g_hash_table_contains (self->stopped, name);
  g_mutex_unlock (&self->lock);
  return stopped;
}

void
gh_dataplane_set_service_stopped (GhDataplane *self,
                                  const char  *name,
                                  gboolean     stopped)
{
  g_return_if_fail (GH_IS_DATAPLANE (self));

  g_mutex_lock (&self->lock);
  if (stopped)
    g_hash_table_add (self->stopped, g_strdup (name));
  else
    g_hash_table_remove (self->stopped, name);
  g_mutex_unlock (&self->lock);
}

/* Sessions */

void
_gh_dataplane_log_session (GhSession  *session,
                           const char *format,
                           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "SERVICE", gh_session_get_service (session),
                    "SESSION", gh_session_get_id (session),
                    "CLIENT", gh_session_get_client_address (session),
                    "MESSAGE", "service %s, session %s from %s: %s",
                    gh_session_get_service (session), gh_session_get_id (session),
                    gh_session_get_client_address (session), message);
}

/* On the main context. */
static void
on_session_changed (GhSession *session,
                    gpointer   user_data)
{
  GhDataplane *self = user_data;
  const char *service = gh_session_get_service (session);
  guint count;

  if (gh_session_get_state (session) != GH_SESSION_STATE_CLOSED)
    return;

  _gh_dataplane_log_session (session, "closed (%s), %" G_GUINT64_FORMAT " bytes in, %" G_GUINT64_FORMAT " bytes out",
                             gh_session_get_close_reason (session) ? gh_session_get_close_reason (session) : "",
                             gh_session_get_bytes_from_client (session), gh_session_get_bytes_to_client (session));

  g_mutex_lock (&self->lock);
  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->admitted, service));
  if (count > 1)
    g_hash_table_insert (self->admitted, g_strdup (service), GUINT_TO_POINTER (count - 1));
  else
    g_hash_table_remove (self->admitted, service);
  g_mutex_unlock (&self->lock);

  g_signal_handlers_disconnect_by_func (session, on_session_changed, self);
}

static void
unref_closure (gpointer  data,
               GClosure *closure)
{
  g_object_unref (data);
}

typedef struct {
  GhDataplane *dataplane;
  GhSession   *session;
} Publish;

static void
publish_free (gpointer data)
{
  Publish *publish = data;

  g_object_unref (publish->dataplane);
  g_object_unref (publish->session);
  g_free (publish);
}

/* On the main context: the session joins the registry (and the admin API sees it). */
static gboolean
publish_session (gpointer data)
{
  Publish *publish = data;
  g_autoptr(GhSessionRegistry) sessions = g_weak_ref_get (&publish->dataplane->sessions);

  g_signal_connect_data (publish->session, "changed", G_CALLBACK (on_session_changed),
                         g_object_ref (publish->dataplane), unref_closure, 0);
  if (sessions != NULL)
    gh_session_registry_add (sessions, publish->session);
  return G_SOURCE_REMOVE;
}

GhSession *
_gh_dataplane_open_session (GhDataplane    *self,
                            GhService      *service,
                            GSocketAddress *client,
                            GhTlsStream    *tls)
{
  g_autoptr(GhSession) session = gh_session_new (service->name, client);
  guint max_sessions = gh_service_config_get_max_sessions (service->config);
  gboolean stopped, full = FALSE;
  Publish *publish;

  gh_session_set_home_context (session, self->home);
  if (tls != NULL)
    gh_session_set_client_tls (session, gh_tls_stream_get_protocol (tls), gh_tls_stream_get_cipher (tls),
                               gh_tls_stream_get_server_name (tls), gh_tls_stream_get_alpn (tls),
                               gh_tls_stream_get_peer_certificate (tls));

  g_mutex_lock (&self->lock);
  stopped = g_hash_table_contains (self->stopped, service->name);
  if (!stopped)
    {
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->admitted, service->name));

      full = count >= max_sessions;
      if (!full)
        g_hash_table_insert (self->admitted, g_strdup (service->name), GUINT_TO_POINTER (count + 1));
    }
  g_mutex_unlock (&self->lock);

  if (stopped)
    {
      gh_session_mark_closed (session, _("refused: the service is stopped"));
      _gh_dataplane_log_session (session, "refused: the service is stopped");
      return NULL;
    }

  if (full)
    {
      gh_session_mark_closed (session, _("refused: the service has its maximum of sessions"));
      _gh_dataplane_log_session (session, "refused: the service has its maximum of %u sessions", max_sessions);
      return NULL;
    }

  publish = g_new0 (Publish, 1);
  publish->dataplane = g_object_ref (self);
  publish->session = g_object_ref (session);
  gh_context_invoke (self->home, publish_session, publish, publish_free);
  _gh_dataplane_log_session (session, "opened%s%s", tls ? " over " : "", tls ? gh_tls_stream_get_protocol (tls) : "");
  return g_steal_pointer (&session);
}

/* Back-end health */

typedef struct {
  GhDataplane *dataplane;
  char        *service;
  gboolean     ok;
  char        *error;
} Health;

static void
health_free (gpointer data)
{
  Health *health = data;

  g_object_unref (health->dataplane);
  g_free (health->service);
  g_free (health->error);
  g_free (health);
}

static gboolean
emit_backend_health (gpointer data)
{
  Health *health = data;

  g_signal_emit (health->dataplane, signals[BACKEND_HEALTH], 0, health->service, health->ok, health->error);
  return G_SOURCE_REMOVE;
}

void
_gh_dataplane_set_backend_health (GhDataplane *self,
                                  const char  *service,
                                  gboolean     ok,
                                  const char  *error)
{
  gpointer previous;
  gboolean changed;
  Health *health;

  g_mutex_lock (&self->lock);
  changed = !g_hash_table_lookup_extended (self->backend_health, service, NULL, &previous) ||
            GPOINTER_TO_INT (previous) != ok;
  if (changed)
    g_hash_table_insert (self->backend_health, g_strdup (service), GINT_TO_POINTER (ok));
  g_mutex_unlock (&self->lock);

  if (!changed)
    return;

  health = g_new0 (Health, 1);
  health->dataplane = g_object_ref (self);
  health->service = g_strdup (service);
  health->ok = ok;
  health->error = g_strdup (error);
  gh_context_invoke (self->home, emit_backend_health, health, health_free);
}

static void
gh_dataplane_finalize (GObject *object)
{
  GhDataplane *self = GH_DATAPLANE (object);

  g_clear_pointer (&self->generation, gh_generation_unref);
  g_clear_pointer (&self->listener_ids, g_hash_table_unref);
  g_clear_pointer (&self->stopped, g_hash_table_unref);
  g_clear_pointer (&self->admitted, g_hash_table_unref);
  g_clear_pointer (&self->backend_health, g_hash_table_unref);
  g_clear_pointer (&self->home, g_main_context_unref);
  g_weak_ref_clear (&self->sessions);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (gh_dataplane_parent_class)->finalize (object);
}

static void
gh_dataplane_class_init (GhDataplaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gh_dataplane_finalize;

  /**
   * GhDataplane::backend-health:
   * @service: the service
   * @ok: whether the last connection to its back-end succeeded
   * @error: (nullable): why not
   *
   * Emitted on the context the data plane was made on.
   */
  signals[BACKEND_HEALTH] =
    g_signal_new ("backend-health", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_STRING);
}

static void
gh_dataplane_init (GhDataplane *self)
{
  g_mutex_init (&self->lock);
  self->listener_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->stopped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->admitted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->backend_health = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->home = g_main_context_ref_thread_default ();
  g_weak_ref_init (&self->sessions, NULL);
}
