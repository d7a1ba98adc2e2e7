/* gh-api-session-list.c — the live sessions of GhEventStream, indexed by id
 *
 * A GSequence keeps the order (and gives a position in O(log n)); a hash table maps
 * each id to its place in the sequence.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-session-list"

#include "config.h"

#include "gh-api-session-list.h"

struct _GhApiSessionList
{
  GObject     parent_instance;

  GSequence  *items;   /* of GhApiSession, owned */
  GHashTable *by_id;   /* id (the session's string) → GSequenceIter */
};

static void gh_api_session_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GhApiSessionList, gh_api_session_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, gh_api_session_list_model_init))

static GType
gh_api_session_list_get_item_type (GListModel *model)
{
  return GH_TYPE_API_SESSION;
}

static guint
gh_api_session_list_get_n_items (GListModel *model)
{
  GhApiSessionList *self = GH_API_SESSION_LIST (model);

  return (guint) g_sequence_get_length (self->items);
}

static gpointer
gh_api_session_list_get_item (GListModel *model,
                              guint       position)
{
  GhApiSessionList *self = GH_API_SESSION_LIST (model);
  GSequenceIter *iter;

  if (position >= (guint) g_sequence_get_length (self->items))
    return NULL;

  iter = g_sequence_get_iter_at_pos (self->items, (gint) position);
  return g_object_ref (g_sequence_get (iter));
}

static void
gh_api_session_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = gh_api_session_list_get_item_type;
  iface->get_n_items = gh_api_session_list_get_n_items;
  iface->get_item = gh_api_session_list_get_item;
}

static void
gh_api_session_list_finalize (GObject *object)
{
  GhApiSessionList *self = GH_API_SESSION_LIST (object);

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->items, g_sequence_free);

  G_OBJECT_CLASS (gh_api_session_list_parent_class)->finalize (object);
}

static void
gh_api_session_list_class_init (GhApiSessionListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_session_list_finalize;
}

static void
gh_api_session_list_init (GhApiSessionList *self)
{
  self->items = g_sequence_new (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

GhApiSessionList *
gh_api_session_list_new (void)
{
  return g_object_new (GH_TYPE_API_SESSION_LIST, NULL);
}

GhApiSession *
gh_api_session_list_lookup (GhApiSessionList *self,
                            const char       *id)
{
  GSequenceIter *iter;

  g_return_val_if_fail (GH_IS_API_SESSION_LIST (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  iter = g_hash_table_lookup (self->by_id, id);
  return iter != NULL ? g_sequence_get (iter) : NULL;
}

gboolean
gh_api_session_list_append (GhApiSessionList *self,
                            GhApiSession     *session)
{
  const char *id;
  GSequenceIter *iter;

  g_return_val_if_fail (GH_IS_API_SESSION_LIST (self), FALSE);
  g_return_val_if_fail (GH_IS_API_SESSION (session), FALSE);

  id = gh_api_session_get_id (session);
  if (g_hash_table_contains (self->by_id, id))
    return FALSE;

  iter = g_sequence_append (self->items, g_object_ref (session));
  g_hash_table_insert (self->by_id, (gpointer) id, iter);
  g_list_model_items_changed (G_LIST_MODEL (self), (guint) g_sequence_iter_get_position (iter), 0, 1);

  return TRUE;
}

gboolean
gh_api_session_list_remove (GhApiSessionList *self,
                            const char       *id)
{
  GSequenceIter *iter;
  guint position;

  g_return_val_if_fail (GH_IS_API_SESSION_LIST (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  iter = g_hash_table_lookup (self->by_id, id);
  if (iter == NULL)
    return FALSE;

  position = (guint) g_sequence_iter_get_position (iter);
  /* The key is the session's own string: out of the table before the session goes. */
  g_hash_table_remove (self->by_id, id);
  g_sequence_remove (iter);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);

  return TRUE;
}

void
gh_api_session_list_replace_all (GhApiSessionList *self,
                                 GPtrArray        *sessions)
{
  g_autoptr(GSequence) old = NULL;
  guint removed;

  g_return_if_fail (GH_IS_API_SESSION_LIST (self));
  g_return_if_fail (sessions != NULL);

  removed = (guint) g_sequence_get_length (self->items);

  /* The old sessions live until the new list is in place: some are in both. */
  old = g_steal_pointer (&self->items);
  self->items = g_sequence_new (g_object_unref);
  g_hash_table_remove_all (self->by_id);

  for (guint i = 0; i < sessions->len; i++)
    {
      GhApiSession *session = g_ptr_array_index (sessions, i);
      const char *id = gh_api_session_get_id (session);

      if (g_hash_table_contains (self->by_id, id))
        continue;
      g_hash_table_insert (self->by_id, (gpointer) id,
                           g_sequence_append (self->items, g_object_ref (session)));
    }

  if (removed > 0 || g_sequence_get_length (self->items) > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, (guint) g_sequence_get_length (self->items));
}
