/* gh-api-cert-list.c — the keystore and truststore of a gateway as one list
 *
 * The page binds rows, a selection and filters to this model, so a refresh must not
 * rebuild it: each entry keeps its object from one update to the next (keyed by its
 * store and alias), gone entries are removed and new ones inserted where the gateway
 * lists them, and each items-changed says only that.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-cert-list"

#include "config.h"

#include "gh-api-cert-list.h"
#include "gh-api-keystore-entry.h"

struct _GhApiCertList
{
  GObject    parent_instance;

  GPtrArray *entries;   /* of GhApiCertEntry */
};

static void gh_api_cert_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GhApiCertList, gh_api_cert_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, gh_api_cert_list_model_init))

static GType
gh_api_cert_list_get_item_type (GListModel *model)
{
  return GH_TYPE_API_CERT_ENTRY;
}

static guint
gh_api_cert_list_get_n_items (GListModel *model)
{
  return GH_API_CERT_LIST (model)->entries->len;
}

static gpointer
gh_api_cert_list_get_item (GListModel *model,
                           guint       position)
{
  GhApiCertList *self = GH_API_CERT_LIST (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
gh_api_cert_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = gh_api_cert_list_get_item_type;
  iface->get_n_items = gh_api_cert_list_get_n_items;
  iface->get_item = gh_api_cert_list_get_item;
}

static void
gh_api_cert_list_finalize (GObject *object)
{
  GhApiCertList *self = GH_API_CERT_LIST (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (gh_api_cert_list_parent_class)->finalize (object);
}

static void
gh_api_cert_list_class_init (GhApiCertListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_cert_list_finalize;
}

static void
gh_api_cert_list_init (GhApiCertList *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
}

GhApiCertList *
gh_api_cert_list_new (void)
{
  return g_object_new (GH_TYPE_API_CERT_LIST, NULL);
}

static gint
find_position (GhApiCertList  *self,
               guint           from,
               GhApiCertStore  store,
               const char     *alias)
{
  for (guint i = from; i < self->entries->len; i++)
    {
      GhApiCertEntry *entry = g_ptr_array_index (self->entries, i);

      if (gh_api_cert_entry_get_store (entry) == store &&
          g_str_equal (gh_api_cert_entry_get_alias (entry), alias))
        return (gint) i;
    }
  return -1;
}

GhApiCertEntry *
gh_api_cert_list_lookup (GhApiCertList  *self,
                         GhApiCertStore  store,
                         const char     *alias)
{
  gint position;

  g_return_val_if_fail (GH_IS_API_CERT_LIST (self), NULL);
  g_return_val_if_fail (alias != NULL, NULL);

  position = find_position (self, 0, store, alias);
  return position >= 0 ? g_ptr_array_index (self->entries, position) : NULL;
}

typedef struct {
  GhApiCertStore  store;
  const char     *alias;
  GhApiCertKind   kind;
  GPtrArray      *chain;   /* owned */
} Wanted;

static void
wanted_clear (gpointer data)
{
  Wanted *wanted = data;

  g_clear_pointer (&wanted->chain, g_ptr_array_unref);
}

static gboolean
is_wanted (GArray         *wanted,
           GhApiCertEntry *entry)
{
  for (guint i = 0; i < wanted->len; i++)
    {
      Wanted *w = &g_array_index (wanted, Wanted, i);

      if (w->store == gh_api_cert_entry_get_store (entry) && g_str_equal (w->alias, gh_api_cert_entry_get_alias (entry)))
        return TRUE;
    }
  return FALSE;
}

static void
add_wanted (GArray         *wanted,
            GhApiCertStore  store,
            const char     *alias,
            GhApiCertKind   kind,
            GPtrArray      *chain)
{
  Wanted w = { store, alias, kind, g_ptr_array_ref (chain) };

  /* An alias twice in one store would be the gateway's mistake: the first counts. */
  for (guint i = 0; i < wanted->len; i++)
    if (g_array_index (wanted, Wanted, i).store == store && g_str_equal (g_array_index (wanted, Wanted, i).alias, alias))
      {
        wanted_clear (&w);
        return;
      }
  g_array_append_val (wanted, w);
}

/**
 * gh_api_cert_list_update:
 * @self: a #GhApiCertList
 * @keystore: (nullable): of #GhApiKeystoreEntry
 * @truststore: (nullable): of #GhApiTruststoreEntry
 * @usage: (nullable): what uses which entry
 * @now: (nullable): the time to judge the expiry at
 * @warning_days: the warning window
 */
void
gh_api_cert_list_update (GhApiCertList  *self,
                         GListModel     *keystore,
                         GListModel     *truststore,
                         GhApiCertUsage *usage,
                         GDateTime      *now,
                         guint           warning_days)
{
  g_autoptr(GArray) wanted = g_array_new (FALSE, TRUE, sizeof (Wanted));
  g_autoptr(GDateTime) current = NULL;

  g_return_if_fail (GH_IS_API_CERT_LIST (self));

  g_array_set_clear_func (wanted, wanted_clear);
  if (now == NULL)
    now = current = g_date_time_new_now_utc ();

  for (guint i = 0; keystore != NULL && i < g_list_model_get_n_items (keystore); i++)
    {
      g_autoptr(GhApiKeystoreEntry) entry = g_list_model_get_item (keystore, i);

      add_wanted (wanted, GH_API_CERT_STORE_KEYSTORE, gh_api_keystore_entry_get_alias (entry),
                  gh_api_keystore_entry_get_kind (entry) == GH_API_KEYSTORE_ENTRY_KEY ? GH_API_CERT_KIND_KEY
                                                                                       : GH_API_CERT_KIND_TRUSTED,
                  gh_api_keystore_entry_get_chain (entry));
    }
  for (guint i = 0; truststore != NULL && i < g_list_model_get_n_items (truststore); i++)
    {
      g_autoptr(GhApiTruststoreEntry) entry = g_list_model_get_item (truststore, i);
      g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func (g_object_unref);

      g_ptr_array_add (chain, g_object_ref (gh_api_truststore_entry_get_certificate (entry)));
      add_wanted (wanted, GH_API_CERT_STORE_TRUSTSTORE, gh_api_truststore_entry_get_alias (entry),
                  GH_API_CERT_KIND_TRUSTED, chain);
    }

  /* Gone entries go first, one by one, so that the rows of the others stay. */
  for (guint i = self->entries->len; i > 0; i--)
    if (!is_wanted (wanted, g_ptr_array_index (self->entries, i - 1)))
      {
        g_ptr_array_remove_index (self->entries, i - 1);
        g_list_model_items_changed (G_LIST_MODEL (self), i - 1, 1, 0);
      }

  for (guint i = 0; i < wanted->len; i++)
    {
      Wanted *w = &g_array_index (wanted, Wanted, i);
      gint found = find_position (self, i, w->store, w->alias);
      g_autoptr(GhApiCertEntry) entry = NULL;
      g_auto(GStrv) used_by = NULL;

      if (found == (gint) i)
        entry = g_object_ref (g_ptr_array_index (self->entries, i));
      else if (found > (gint) i)
        {
          /* Moved: taken out where it was, put back here. */
          entry = g_ptr_array_steal_index (self->entries, found);
          g_list_model_items_changed (G_LIST_MODEL (self), found, 1, 0);
        }
      else
        entry = gh_api_cert_entry_new (w->store, w->alias);

      used_by = usage != NULL ? gh_api_cert_usage_lookup (usage, w->store, w->alias,
                                                          w->chain->len > 0 ? g_ptr_array_index (w->chain, 0) : NULL)
                              : NULL;
      gh_api_cert_entry_update (entry, w->kind, w->chain, (const char * const *) used_by, now, warning_days);

      if (found != (gint) i)
        {
          g_ptr_array_insert (self->entries, i, g_object_ref (entry));
          g_list_model_items_changed (G_LIST_MODEL (self), i, 0, 1);
        }
    }
}

void
gh_api_cert_list_classify (GhApiCertList *self,
                           GDateTime     *now,
                           guint          warning_days)
{
  g_autoptr(GDateTime) current = NULL;

  g_return_if_fail (GH_IS_API_CERT_LIST (self));

  if (now == NULL)
    now = current = g_date_time_new_now_utc ();
  for (guint i = 0; i < self->entries->len; i++)
    gh_api_cert_entry_classify (g_ptr_array_index (self->entries, i), now, warning_days);
}

guint
gh_api_cert_list_count_expiring (GhApiCertList *self)
{
  guint count = 0;

  g_return_val_if_fail (GH_IS_API_CERT_LIST (self), 0);

  for (guint i = 0; i < self->entries->len; i++)
    {
      GhApiExpiry expiry = gh_api_cert_entry_get_expiry (g_ptr_array_index (self->entries, i));

      if (expiry == GH_API_EXPIRY_SOON || expiry == GH_API_EXPIRY_EXPIRED)
        count++;
    }
  return count;
}

void
gh_api_cert_list_clear (GhApiCertList *self)
{
  guint n;

  g_return_if_fail (GH_IS_API_CERT_LIST (self));

  n = self->entries->len;
  if (n == 0)
    return;
  g_ptr_array_set_size (self->entries, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}
