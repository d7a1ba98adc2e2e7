/* gh-session-registry.c — every live session of the gateway: a GListModel of GhSession
 *
 * A session leaves the registry when it closes. Lookups by id are constant time; a
 * removal finds the position from the end, where short sessions usually are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-session-registry"

#include "config.h"

#include "gh-session-registry.h"

struct _GhSessionRegistry
{
  GObject     parent_instance;

  GPtrArray  *sessions;     /* of GhSession, in the order they opened */
  GHashTable *by_id;        /* id → GhSession (borrowed) */
  GHashTable *per_service;  /* service → count */
  GHashTable *per_service_total;  /* service → sessions ever opened */
  guint64     total;        /* sessions ever opened */
  GhSessionTraffic closed;  /* what the sessions that left carried */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GhSessionRegistry, gh_session_registry, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return GH_TYPE_SESSION;
}

static guint
get_n_items (GListModel *model)
{
  return GH_SESSION_REGISTRY (model)->sessions->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  GhSessionRegistry *self = GH_SESSION_REGISTRY (model);

  if (position >= self->sessions->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->sessions, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

GhSessionRegistry *
gh_session_registry_new (void)
{
  return g_object_new (GH_TYPE_SESSION_REGISTRY, NULL);
}

static void
add_traffic (GhSessionTraffic *sum,
             GhSession        *session)
{
  GhSessionTraffic traffic;

  gh_session_get_traffic (session, &traffic);
  sum->bytes_in += traffic.bytes_in;
  sum->bytes_out += traffic.bytes_out;
  sum->messages_in += traffic.messages_in;
  sum->messages_out += traffic.messages_out;
}

static void
on_session_changed (GhSession         *session,
                    GhSessionRegistry *self)
{
  const char *service;
  guint count;

  if (gh_session_get_state (session) != GH_SESSION_STATE_CLOSED)
    return;

  for (guint i = self->sessions->len; i > 0; i--)
    {
      if (g_ptr_array_index (self->sessions, i - 1) != session)
        continue;

      service = gh_session_get_service (session);
      add_traffic (&self->closed, session);
      count = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_service, service));
      if (count > 1)
        g_hash_table_insert (self->per_service, g_strdup (service), GUINT_TO_POINTER (count - 1));
      else
        g_hash_table_remove (self->per_service, service);

      g_hash_table_remove (self->by_id, gh_session_get_id (session));
      g_signal_handlers_disconnect_by_func (session, on_session_changed, self);
      g_ptr_array_remove_index (self->sessions, i - 1);
      g_list_model_items_changed (G_LIST_MODEL (self), i - 1, 1, 0);
      return;
    }
}

void
gh_session_registry_add (GhSessionRegistry *self,
                         GhSession         *session)
{
  const char *service;
  guint count;

  g_return_if_fail (GH_IS_SESSION_REGISTRY (self));
  g_return_if_fail (GH_IS_SESSION (session));

  service = gh_session_get_service (session);
  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_service, service));
  g_hash_table_insert (self->per_service, g_strdup (service), GUINT_TO_POINTER (count + 1));
  g_hash_table_insert (self->per_service_total, g_strdup (service),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->per_service_total, service)) + 1));
  g_hash_table_insert (self->by_id, g_strdup (gh_session_get_id (session)), session);
  g_ptr_array_add (self->sessions, g_object_ref (session));
  self->total++;
  gh_session_set_serial (session, self->total);
  g_signal_connect (session, "changed", G_CALLBACK (on_session_changed), self);
  g_list_model_items_changed (G_LIST_MODEL (self), self->sessions->len - 1, 0, 1);
}

/* (transfer none) (nullable) */
GhSession *
gh_session_registry_lookup (GhSessionRegistry *self,
                            const char        *id)
{
  g_return_val_if_fail (GH_IS_SESSION_REGISTRY (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_hash_table_lookup (self->by_id, id);
}

guint
gh_session_registry_count_service (GhSessionRegistry *self,
                                   const char        *service)
{
  g_return_val_if_fail (GH_IS_SESSION_REGISTRY (self), 0);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->per_service, service));
}

guint64
gh_session_registry_get_total (GhSessionRegistry *self)
{
  g_return_val_if_fail (GH_IS_SESSION_REGISTRY (self), 0);

  return self->total;
}

guint
gh_session_registry_count_service_total (GhSessionRegistry *self,
                                         const char        *service)
{
  g_return_val_if_fail (GH_IS_SESSION_REGISTRY (self), 0);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->per_service_total, service));
}

/* What every session, live or gone, carried so far. */
void
gh_session_registry_get_traffic (GhSessionRegistry *self,
                                 GhSessionTraffic  *traffic)
{
  g_return_if_fail (GH_IS_SESSION_REGISTRY (self));

  *traffic = self->closed;
  for (guint i = 0; i < self->sessions->len; i++)
    {
      add_traffic (traffic, g_ptr_array_index (self->sessions, i));
    }
}

static void
gh_session_registry_dispose (GObject *object)
{
  GhSessionRegistry *self = GH_SESSION_REGISTRY (object);

  for (guint i = 0; self->sessions != NULL && i < self->sessions->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->sessions, i), on_session_changed, self);
  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->per_service, g_hash_table_unref);
  g_clear_pointer (&self->per_service_total, g_hash_table_unref);

  G_OBJECT_CLASS (gh_session_registry_parent_class)->dispose (object);
}

static void
gh_session_registry_class_init (GhSessionRegistryClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gh_session_registry_dispose;
}

static void
gh_session_registry_init (GhSessionRegistry *self)
{
  self->sessions = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->per_service = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->per_service_total = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
