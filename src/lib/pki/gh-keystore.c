/* gh-keystore.c — a keystore or truststore file: a GListModel of GhKeystoreEntry
 *
 * Both backends read into the same intermediate form (keys and certificates with
 * their friendly names and local key ids, as PKCS#12 bags carry them) and assemble
 * entries from it the same way: each key with the certificate that holds its public
 * key and that certificate's issuers, in order; the certificates left over become
 * trusted-certificate entries. The backends are gh-keystore-pkcs12.c and
 * gh-keystore-pem.c; this file is the model, the entries, the assembly, and saving.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-keystore"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "gh-file-util.h"
#include "gh-keystore-private.h"

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GhKeystore, gh_keystore, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

void
_gh_keystore_item_free (gpointer data)
{
  GhKeystoreItem *item = data;

  g_clear_object (&item->object);
  g_clear_pointer (&item->sealed, _gh_sealed_key_unref);
  g_free (item->name);
  g_free (item->key_id);
  g_free (item);
}

void
_gh_keystore_add_item (GPtrArray  *items,
                       gpointer    object,
                       const char *name,
                       const char *key_id)
{
  GhKeystoreItem *item = g_new0 (GhKeystoreItem, 1);

  item->object = object;
  item->name = (name != NULL && *name != '\0') ? g_strdup (name) : NULL;
  item->key_id = (key_id != NULL && *key_id != '\0') ? g_strdup (key_id) : NULL;
  g_ptr_array_add (items, item);
}

void
_gh_keystore_add_sealed_item (GPtrArray   *items,
                              GhSealedKey *key,
                              const char  *name,
                              const char  *key_id)
{
  _gh_keystore_add_item (items, NULL, name, key_id);
  ((GhKeystoreItem *) g_ptr_array_index (items, items->len - 1))->sealed = _gh_sealed_key_ref (key);
}

gboolean
gh_pkcs12_profile_from_string (const char      *name,
                               GhPkcs12Profile *profile)
{
  g_return_val_if_fail (name != NULL, FALSE);

  if (g_str_equal (name, "modern"))
    *profile = GH_PKCS12_PROFILE_MODERN;
  else if (g_str_equal (name, "compatible"))
    *profile = GH_PKCS12_PROFILE_COMPATIBLE;
  else
    return FALSE;

  return TRUE;
}

/* GListModel */

static GType
gh_keystore_get_item_type (GListModel *model)
{
  return GH_TYPE_KEYSTORE_ENTRY;
}

static guint
gh_keystore_get_n_items (GListModel *model)
{
  return GH_KEYSTORE (model)->entries->len;
}

static gpointer
gh_keystore_get_item (GListModel *model,
                      guint       position)
{
  GhKeystore *self = GH_KEYSTORE (model);

  if (position >= self->entries->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = gh_keystore_get_item_type;
  iface->get_n_items = gh_keystore_get_n_items;
  iface->get_item = gh_keystore_get_item;
}

GhKeystore *
gh_keystore_new (GhKeystoreFormat format)
{
  GhKeystore *self = g_object_new (GH_TYPE_KEYSTORE, NULL);

  self->format = format;
  return self;
}

/* A keystore of the same entries (shared: they do not change), format, profile, CRLs
 * and kept bags: what a change that may fail half-way works on, off the main thread. */
GhKeystore *
_gh_keystore_copy (GhKeystore *self)
{
  GhKeystore *copy = gh_keystore_new (self->format);

  copy->profile = self->profile;
  copy->keys_opened_to_pair = self->keys_opened_to_pair;
  for (guint i = 0; i < self->entries->len; i++)
    {
      GhKeystoreEntry *entry = g_ptr_array_index (self->entries, i);

      g_ptr_array_add (copy->entries, g_object_ref (entry));
      g_hash_table_insert (copy->by_alias, g_strdup (gh_keystore_entry_get_alias (entry)), entry);
    }
  if (self->crls != NULL)
    {
      copy->crls = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < self->crls->len; i++)
        g_ptr_array_add (copy->crls, g_object_ref (g_ptr_array_index (self->crls, i)));
    }
  for (guint i = 0; i < self->kept_bags->len; i++)
    g_ptr_array_add (copy->kept_bags, g_bytes_ref (g_ptr_array_index (self->kept_bags, i)));

  return copy;
}

GhKeystoreFormat
gh_keystore_get_format (GhKeystore *self)
{
  g_return_val_if_fail (GH_IS_KEYSTORE (self), GH_KEYSTORE_FORMAT_PKCS12);

  return self->format;
}

void
gh_keystore_set_format (GhKeystore       *self,
                        GhKeystoreFormat  format)
{
  g_return_if_fail (GH_IS_KEYSTORE (self));

  self->format = format;
}

GhPkcs12Profile
gh_keystore_get_profile (GhKeystore *self)
{
  g_return_val_if_fail (GH_IS_KEYSTORE (self), GH_PKCS12_PROFILE_MODERN);

  return self->profile;
}

void
gh_keystore_set_profile (GhKeystore      *self,
                         GhPkcs12Profile  profile)
{
  g_return_if_fail (GH_IS_KEYSTORE (self));

  self->profile = profile;
}

/* Entries */

static gboolean
find_position (GhKeystore *self,
               const char *alias,
               guint      *position)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      if (g_str_equal (gh_keystore_entry_get_alias (g_ptr_array_index (self->entries, i)), alias))
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* (transfer none) (nullable) */
GhKeystoreEntry *
gh_keystore_lookup (GhKeystore *self,
                    const char *alias)
{
  g_return_val_if_fail (GH_IS_KEYSTORE (self), NULL);
  g_return_val_if_fail (alias != NULL, NULL);

  return g_hash_table_lookup (self->by_alias, alias);
}

/* (transfer none) (nullable): the key entry whose key belongs to @certificate */
GhKeystoreEntry *
gh_keystore_find_key_for (GhKeystore    *self,
                          GhCertificate *certificate)
{
  g_return_val_if_fail (GH_IS_KEYSTORE (self), NULL);
  g_return_val_if_fail (GH_IS_CERTIFICATE (certificate), NULL);

  /* A key entry's leaf holds its key's public key: only an entry whose leaf has the
   * same one has its key decrypted, to check that the key is that one. */
  for (guint i = 0; i < self->entries->len; i++)
    {
      GhKeystoreEntry *entry = g_ptr_array_index (self->entries, i);
      g_autoptr(GhPrivateKey) key = NULL;

      if (gh_keystore_entry_get_kind (entry) != GH_KEYSTORE_ENTRY_KEY ||
          g_strcmp0 (gh_certificate_get_public_key_id (gh_keystore_entry_get_certificate (entry)),
                     gh_certificate_get_public_key_id (certificate)) != 0)
        continue;
      key = gh_keystore_entry_load_private_key (entry, NULL);
      if (key != NULL && gh_private_key_matches (key, certificate))
        return entry;
    }

  return NULL;
}

gboolean
gh_keystore_add (GhKeystore       *self,
                 GhKeystoreEntry  *entry,
                 GError          **error)
{
  const char *alias;

  g_return_val_if_fail (GH_IS_KEYSTORE (self), FALSE);
  g_return_val_if_fail (GH_IS_KEYSTORE_ENTRY (entry), FALSE);

  alias = gh_keystore_entry_get_alias (entry);
  if (g_hash_table_contains (self->by_alias, alias))
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_EXISTS,
                   _("The keystore already has an entry “%s”: choose another alias, or delete that one first"),
                   alias);
      return FALSE;
    }

  g_ptr_array_add (self->entries, g_object_ref (entry));
  g_hash_table_insert (self->by_alias, g_strdup (alias), entry);
  g_list_model_items_changed (G_LIST_MODEL (self), self->entries->len - 1, 0, 1);

  return TRUE;
}

static gboolean
set_not_found (GError     **error,
               const char  *alias)
{
  g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_NOT_FOUND,
               _("The keystore has no entry “%s”"), alias);
  return FALSE;
}

/* Puts @entry in the place of the entry with the same alias. */
gboolean
gh_keystore_replace (GhKeystore       *self,
                     GhKeystoreEntry  *entry,
                     GError          **error)
{
  const char *alias;
  guint position;

  g_return_val_if_fail (GH_IS_KEYSTORE (self), FALSE);
  g_return_val_if_fail (GH_IS_KEYSTORE_ENTRY (entry), FALSE);

  alias = gh_keystore_entry_get_alias (entry);
  if (!find_position (self, alias, &position))
    return set_not_found (error, alias);

  g_object_unref (g_ptr_array_index (self->entries, position));
  g_ptr_array_index (self->entries, position) = g_object_ref (entry);
  g_hash_table_insert (self->by_alias, g_strdup (alias), entry);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);

  return TRUE;
}

gboolean
gh_keystore_remove (GhKeystore  *self,
                    const char  *alias,
                    GError     **error)
{
  guint position;

  g_return_val_if_fail (GH_IS_KEYSTORE (self), FALSE);
  g_return_val_if_fail (alias != NULL, FALSE);

  if (!find_position (self, alias, &position))
    return set_not_found (error, alias);

  g_hash_table_remove (self->by_alias, alias);
  g_ptr_array_remove_index (self->entries, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);

  return TRUE;
}

gboolean
gh_keystore_rename (GhKeystore  *self,
                    const char  *alias,
                    const char  *new_alias,
                    GError     **error)
{
  g_autoptr(GhKeystoreEntry) renamed = NULL;
  GhKeystoreEntry *entry;
  guint position;

  g_return_val_if_fail (GH_IS_KEYSTORE (self), FALSE);
  g_return_val_if_fail (alias != NULL, FALSE);
  g_return_val_if_fail (new_alias != NULL, FALSE);

  if (!find_position (self, alias, &position))
    return set_not_found (error, alias);
  if (!gh_keystore_alias_is_valid (new_alias))
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                   _("“%s” is not a valid alias: use 1 to 255 characters, no control characters, no space at either end"),
                   new_alias);
      return FALSE;
    }
  if (g_str_equal (alias, new_alias))
    return TRUE;
  if (g_hash_table_contains (self->by_alias, new_alias))
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_EXISTS,
                   _("The keystore already has an entry “%s”"), new_alias);
      return FALSE;
    }

  entry = g_ptr_array_index (self->entries, position);
  renamed = _gh_keystore_entry_copy_renamed (entry, new_alias);

  g_hash_table_remove (self->by_alias, alias);
  g_hash_table_insert (self->by_alias, g_strdup (new_alias), renamed);
  g_object_unref (entry);
  g_ptr_array_index (self->entries, position) = g_object_ref (renamed);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);

  return TRUE;
}

/**
 * gh_keystore_make_alias:
 * @self: a #GhKeystore
 * @certificate: the certificate an entry is for
 *
 * Returns: (transfer full): an alias not yet in @self, from the certificate's name
 */
char *
gh_keystore_make_alias (GhKeystore    *self,
                        GhCertificate *certificate)
{
  g_autoptr(GString) base = g_string_new (NULL);
  g_autofree char *valid_name = NULL;
  const char *name;
  char *alias;

  g_return_val_if_fail (GH_IS_KEYSTORE (self), NULL);
  g_return_val_if_fail (GH_IS_CERTIFICATE (certificate), NULL);

  /* A certificate's name can hold any bytes: an alias is UTF-8. */
  name = valid_name = g_utf8_make_valid (gh_certificate_get_display_name (certificate), -1);
  for (const char *p = name; p != NULL && *p != '\0' && base->len < 200; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_string_append_unichar (base, g_unichar_iscntrl (c) ? '_' : g_unichar_tolower (c));
    }
  g_strstrip (base->str);
  g_string_set_size (base, strlen (base->str));
  if (base->len == 0)
    g_string_assign (base, "entry");

  alias = g_strdup (base->str);
  for (guint n = 2; g_hash_table_contains (self->by_alias, alias); n++)
    {
      g_free (alias);
      alias = g_strdup_printf ("%s-%u", base->str, n);
    }

  return alias;
}

/**
 * gh_keystore_get_trusted_certificates:
 * @self: a #GhKeystore
 *
 * Returns: (transfer container) (element-type GhCertificate): the certificates of
 *   the trusted-certificate entries
 */
GPtrArray *
gh_keystore_get_trusted_certificates (GhKeystore *self)
{
  GPtrArray *certificates;

  g_return_val_if_fail (GH_IS_KEYSTORE (self), NULL);

  certificates = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->entries->len; i++)
    {
      GhKeystoreEntry *entry = g_ptr_array_index (self->entries, i);

      if (gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_TRUSTED_CERT)
        g_ptr_array_add (certificates, g_object_ref (gh_keystore_entry_get_certificate (entry)));
    }

  return certificates;
}

/* Assembly: items → entries. */

/* Certificates by public key, subject and fingerprint: assembling a keystore of
 * 10,000 entries must not compare every certificate with every other. A CA in the
 * chain of every entry is marked once, not once per entry. */
typedef struct {
  GPtrArray  *items;
  GHashTable *by_public_key;  /* made when a key that was not sealed asks for it */
  GHashTable *by_subject;
  GHashTable *by_fingerprint;
  GHashTable *by_key_id;      /* the certificates' local key ids */
  GHashTable *by_name;        /* the certificates' friendly names */
  GHashTable *marked;         /* chain certificates already marked */
} ItemIndex;

static void
index_add (GHashTable *table,
           const char *key,
           GhKeystoreItem       *item)
{
  GPtrArray *items = g_hash_table_lookup (table, key);

  if (items == NULL)
    {
      items = g_ptr_array_new ();
      g_hash_table_insert (table, (gpointer) key, items);
    }
  g_ptr_array_add (items, item);
}

static void
item_index_init (ItemIndex *index,
                 GPtrArray *items)
{
  g_autoptr(GHashTable) indexed = g_hash_table_new (NULL, NULL);

  index->items = items;
  index->by_public_key = NULL;
  index->marked = g_hash_table_new (NULL, NULL);
  index->by_subject = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  index->by_fingerprint = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  index->by_key_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  index->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < items->len; i++)
    {
      GhKeystoreItem *item = g_ptr_array_index (items, i);
      GhCertificate *certificate;

      if (!GH_IS_CERTIFICATE (item->object))
        continue;
      certificate = GH_CERTIFICATE (item->object);
      /* One item per certificate: a CA in 10,000 chains is one issuer candidate. */
      if (g_hash_table_add (indexed, certificate))
        index_add (index->by_subject, gh_certificate_get_subject (certificate), item);
      index_add (index->by_fingerprint, gh_certificate_get_sha256_fingerprint (certificate), item);
      if (item->key_id != NULL)
        index_add (index->by_key_id, item->key_id, item);
      if (item->name != NULL)
        index_add (index->by_name, item->name, item);
    }
}

static void
item_index_clear (ItemIndex *index)
{
  g_clear_pointer (&index->by_public_key, g_hash_table_unref);
  g_clear_pointer (&index->by_subject, g_hash_table_unref);
  g_clear_pointer (&index->by_fingerprint, g_hash_table_unref);
  g_clear_pointer (&index->by_key_id, g_hash_table_unref);
  g_clear_pointer (&index->by_name, g_hash_table_unref);
  g_clear_pointer (&index->marked, g_hash_table_unref);
}

/* The public key ids of the certificates: only a key that came decrypted (PEM, a key
 * bag without attributes) is paired by them. */
static GHashTable *
item_index_by_public_key (ItemIndex *index)
{
  if (index->by_public_key != NULL)
    return index->by_public_key;

  index->by_public_key = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < index->items->len; i++)
    {
      GhKeystoreItem *item = g_ptr_array_index (index->items, i);

      if (GH_IS_CERTIFICATE (item->object))
        index_add (index->by_public_key, gh_certificate_get_public_key_id (GH_CERTIFICATE (item->object)), item);
    }
  return index->by_public_key;
}

/* The first certificate of @candidates not yet in an entry, preferring one named
 * @name: two key bags with the same local key id (as older Gatehouse wrote the same
 * key under two aliases) each get their own certificate. */
static GhKeystoreItem *
first_unused (GPtrArray  *candidates,
              const char *name)
{
  GhKeystoreItem *found = NULL;

  for (guint i = 0; candidates != NULL && i < candidates->len; i++)
    {
      GhKeystoreItem *item = g_ptr_array_index (candidates, i);

      if (item->used)
        continue;
      if (name == NULL || g_strcmp0 (item->name, name) == 0)
        return item;
      if (found == NULL)
        found = item;
    }

  return found;
}

/* A sealed key's certificate, by the bags' attributes alone: the same local key id,
 * else the same friendly name. NULL when only the key itself can tell. */
static GhKeystoreItem *
find_leaf_for_sealed_key (ItemIndex      *index,
                          GhKeystoreItem *key_item)
{
  GhKeystoreItem *leaf = NULL;

  if (key_item->key_id != NULL)
    leaf = first_unused (g_hash_table_lookup (index->by_key_id, key_item->key_id), key_item->name);
  if (leaf == NULL && key_item->name != NULL)
    leaf = first_unused (g_hash_table_lookup (index->by_name, key_item->name), NULL);

  return leaf;
}

static GhKeystoreItem *
find_leaf_for_key (ItemIndex *index,
                   GhKeystoreItem      *key_item)
{
  GhPrivateKey *key = GH_PRIVATE_KEY (key_item->object);
  GPtrArray *candidates = g_hash_table_lookup (item_index_by_public_key (index), gh_private_key_get_public_key_id (key));

  if (candidates == NULL || *gh_private_key_get_public_key_id (key) == '\0')
    return NULL;

  /* The certificate with the same local key id, else any with the key's public key. */
  for (guint i = 0; key_item->key_id != NULL && i < candidates->len; i++)
    {
      GhKeystoreItem *item = g_ptr_array_index (candidates, i);

      if (item->key_id != NULL && g_str_equal (key_item->key_id, item->key_id))
        return item;
    }

  return g_ptr_array_index (candidates, 0);
}

static gboolean
in_chain (GPtrArray     *chain,
          GhCertificate *certificate)
{
  for (guint j = 0; j < chain->len; j++)
    if (gh_certificate_equal (g_ptr_array_index (chain, j), certificate))
      return TRUE;
  return FALSE;
}

static gboolean
issuer_candidate (GhKeystoreItem *item,
                  GhCertificate  *certificate,
                  GPtrArray      *chain)
{
  if (!GH_IS_CERTIFICATE (item->object) || in_chain (chain, GH_CERTIFICATE (item->object)))
    return FALSE;

  return gh_certificate_is_issued_by (certificate, GH_CERTIFICATE (item->object));
}

static GhKeystoreItem *
find_issuer_item (ItemIndex     *index,
                  GPtrArray     *items,
                  GhCertificate *certificate,
                  GPtrArray     *chain)
{
  GhKeystoreItem *named = NULL;
  GPtrArray *candidates;
  guint n_named = 0;

  if (gh_certificate_is_self_issued (certificate))
    return NULL;

  /* Issuers whose subject reads as this certificate's issuer first. One that the
   * names and key ids single out is it (a CA is in the chains of 1,000 entries: no
   * signature to check 1,000 times); among several, the signature tells. */
  candidates = g_hash_table_lookup (index->by_subject, gh_certificate_get_issuer (certificate));
  for (guint i = 0; candidates != NULL && i < candidates->len; i++)
    {
      GhKeystoreItem *item = g_ptr_array_index (candidates, i);

      if (named != NULL && (item->object == named->object ||
                            gh_certificate_equal (GH_CERTIFICATE (item->object), GH_CERTIFICATE (named->object))))
        continue;
      /* The issuer's name, and its key identifier when both certificates carry one:
       * what keytool goes by. Cheap, unlike a signature. */
      if (_gh_certificate_names_issuer (certificate, GH_CERTIFICATE (item->object)) && !in_chain (chain, GH_CERTIFICATE (item->object)))
        {
          named = named != NULL ? named : item;
          n_named++;
        }
    }
  if (n_named == 1)
    return named;

  /* Names can be equal in X.509 and still read differently: then every certificate. */
  for (guint i = 0; candidates != NULL && i < candidates->len; i++)
    if (issuer_candidate (g_ptr_array_index (candidates, i), certificate, chain))
      return g_ptr_array_index (candidates, i);

  for (guint i = 0; i < items->len; i++)
    {
      GhKeystoreItem *item = g_ptr_array_index (items, i);

      if (candidates != NULL && g_ptr_array_find (candidates, item, NULL))
        continue;
      if (issuer_candidate (item, certificate, chain))
        return item;
    }

  return NULL;
}

/* A chain certificate with a name of its own is also a trusted entry. Java names
 * each chain certificate after its subject DN: that is no alias. */
static void
mark_chain_certificate (ItemIndex     *index,
                        GhCertificate *certificate)
{
  const char *subject = gh_certificate_get_subject (certificate);
  GPtrArray *same;

  if (!g_hash_table_add (index->marked, certificate))
    return;
  same = g_hash_table_lookup (index->by_fingerprint, gh_certificate_get_sha256_fingerprint (certificate));

  for (guint i = 0; same != NULL && i < same->len; i++)
    {
      GhKeystoreItem *item = g_ptr_array_index (same, i);

      if (gh_certificate_equal (GH_CERTIFICATE (item->object), certificate) &&
          (item->name == NULL || g_str_equal (item->name, subject)))
        item->used = TRUE;
    }
}

static char *
unique_alias (GhKeystore    *self,
              const char    *name,
              GhCertificate *certificate)
{
  char *alias;

  if (name == NULL || !gh_keystore_alias_is_valid (name))
    return gh_keystore_make_alias (self, certificate);

  alias = g_strdup (name);
  for (guint n = 2; g_hash_table_contains (self->by_alias, alias); n++)
    {
      g_free (alias);
      alias = g_strdup_printf ("%s-%u", name, n);
    }

  /* A name of 250 bytes and more has no room for the suffix. */
  if (!gh_keystore_alias_is_valid (alias))
    {
      g_free (alias);
      return gh_keystore_make_alias (self, certificate);
    }

  return alias;
}

gboolean
_gh_keystore_assemble_entries (GhKeystore  *self,
                               GPtrArray   *items,
                               GError     **error)
{
  ItemIndex index;

  item_index_init (&index, items);

  /* Key entries first, in the order of their keys. */
  for (guint i = 0; i < items->len; i++)
    {
      GhKeystoreItem *key_item = g_ptr_array_index (items, i);
      g_autoptr(GPtrArray) chain = NULL;
      g_autoptr(GhKeystoreEntry) entry = NULL;
      g_autofree char *alias = NULL;
      GhKeystoreItem *leaf = NULL, *issuer;

      if (key_item->sealed != NULL && (leaf = find_leaf_for_sealed_key (&index, key_item)) == NULL)
        {
          /* Nothing but the key says which certificate is its own: open it. */
          key_item->object = G_OBJECT (_gh_sealed_key_open (key_item->sealed, NULL, error));
          if (key_item->object == NULL)
            {
              item_index_clear (&index);
              return FALSE;
            }
          g_clear_pointer (&key_item->sealed, _gh_sealed_key_unref);
          self->keys_opened_to_pair++;
        }
      if (key_item->sealed == NULL && !GH_IS_PRIVATE_KEY (key_item->object))
        continue;

      if (key_item->sealed == NULL)
        leaf = find_leaf_for_key (&index, key_item);
      if (leaf == NULL)
        {
          g_debug ("A private key in the keystore has no certificate; it is left out");
          continue;
        }

      chain = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (chain, g_object_ref (leaf->object));
      leaf->used = TRUE;
      for (GhCertificate *last = GH_CERTIFICATE (leaf->object);
           (issuer = find_issuer_item (&index, items, last, chain)) != NULL;
           last = GH_CERTIFICATE (issuer->object))
        {
          g_ptr_array_add (chain, g_object_ref (issuer->object));
          mark_chain_certificate (&index, GH_CERTIFICATE (issuer->object));
        }

      alias = unique_alias (self, key_item->name ? key_item->name : leaf->name,
                            GH_CERTIFICATE (leaf->object));
      if (key_item->sealed != NULL)
        entry = _gh_keystore_entry_new_sealed (alias, key_item->sealed, chain);
      else
        entry = gh_keystore_entry_new_key (alias, GH_PRIVATE_KEY (key_item->object), chain);
      g_ptr_array_add (self->entries, g_object_ref (entry));
      g_hash_table_insert (self->by_alias, g_strdup (alias), entry);
    }

  for (guint i = 0; i < items->len; i++)
    {
      GhKeystoreItem *item = g_ptr_array_index (items, i);
      g_autoptr(GhKeystoreEntry) entry = NULL;
      g_autofree char *alias = NULL;

      if (!GH_IS_CERTIFICATE (item->object) || item->used)
        continue;

      alias = unique_alias (self, item->name, GH_CERTIFICATE (item->object));
      entry = gh_keystore_entry_new_trusted (alias, GH_CERTIFICATE (item->object));
      g_ptr_array_add (self->entries, g_object_ref (entry));
      g_hash_table_insert (self->by_alias, g_strdup (alias), entry);
    }

  item_index_clear (&index);
  if (self->keys_opened_to_pair > 0)
    g_debug ("%u of the keystore's keys were decrypted to pair them with their certificates",
             self->keys_opened_to_pair);
  return TRUE;
}

/* gh_file_replace_atomically() writes ".NAME.XXXXXX" beside the file, then renames it
 * over the file: a crash in between leaves it behind, with keys in it (0600). Such
 * files of ours go on the next load or save of the keystore. */
static void
remove_stray_temporaries (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *dir_name = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;
  dir_name = g_path_get_dirname (path);
  prefix = g_strdup_printf (".%s.", strrchr (path, G_DIR_SEPARATOR) ? strrchr (path, G_DIR_SEPARATOR) + 1 : path);
  if ((dir = g_dir_open (dir_name, 0, NULL)) == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *stray = NULL;
      gsize n = strlen (prefix);
      gboolean ours = g_str_has_prefix (name, prefix) && strlen (name) == n + 6;
      GStatBuf st;

      for (gsize i = n; ours && name[i] != '\0'; i++)
        ours = g_ascii_isalnum (name[i]);
      if (!ours)
        continue;

      stray = g_build_filename (dir_name, name, NULL);
      if (g_lstat (stray, &st) == 0 && S_ISREG (st.st_mode) && st.st_uid == getuid () && g_unlink (stray) == 0)
        g_debug ("Removed “%s”, left by a save that did not finish", name);
    }
}

/**
 * gh_keystore_new_from_bytes:
 * @data: a PKCS#12 file or a PEM bundle (told apart by content)
 * @password: (nullable): the keystore's password
 * @flags: how to load
 * @error: return location for a #GH_PKI_ERROR
 *
 * Returns: (transfer full): the keystore, or %NULL with @error saying what is wrong
 */
GhKeystore *
gh_keystore_new_from_bytes (GBytes               *data,
                            const char           *password,
                            GhKeystoreLoadFlags   flags,
                            GError              **error)
{
  g_autoptr(GhKeystore) self = NULL;
  const guchar *bytes;
  gsize length = 0;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_bytes_get_data (data, &length);
  if (!_gh_pki_check_input_size (length, error))
    return NULL;

  self = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  if (_gh_pki_looks_like_pem (bytes, length))
    {
      if (!_gh_keystore_load_pem (self, (const char *) bytes, length, password, error))
        return NULL;
    }
  else if (!_gh_keystore_load_pkcs12 (self, bytes, length, password, flags, error))
    {
      return NULL;
    }

  return g_steal_pointer (&self);
}

GhKeystore *
gh_keystore_new_from_file (GFile                *file,
                           const char           *password,
                           GhKeystoreLoadFlags   flags,
                           GError              **error)
{
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  remove_stray_temporaries (file);

  /* A regular file only, read with the bound whatever its size claims: a keystore
   * path may come from a configuration sent through the admin API. */
  data = gh_file_load_bounded (file, GH_PKI_MAX_INPUT_SIZE, GH_FILE_LOAD_NONE, &local_error);
  if (data == NULL)
    {
      name = g_file_get_parse_name (file);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_TOO_LARGE,
                     _("“%s” is too large for a keystore (at most %d MiB)"),
                     name, GH_PKI_MAX_INPUT_SIZE / (1024 * 1024));
      else
        g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_IO, _("Cannot read “%s”: %s"), name, local_error->message);
      return NULL;
    }

  return gh_keystore_new_from_bytes (data, password, flags, error);
}

/**
 * gh_keystore_serialize:
 * @self: a #GhKeystore
 * @password: (nullable): encrypts the private keys (and, for PKCS#12, the file)
 * @error: return location for a #GH_PKI_ERROR
 *
 * Returns: (transfer full): the file's content in the keystore's format and profile
 */
GBytes *
gh_keystore_serialize (GhKeystore  *self,
                       const char  *password,
                       GError     **error)
{
  g_return_val_if_fail (GH_IS_KEYSTORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->format == GH_KEYSTORE_FORMAT_PEM)
    return _gh_keystore_serialize_pem (self, password, error);

  return _gh_keystore_serialize_pkcs12 (self, password, error);
}

/**
 * gh_keystore_save:
 * @self: a #GhKeystore
 * @file: where to save
 * @password: (nullable): the keystore's password
 * @error: return location for a #GH_PKI_ERROR
 *
 * Saves atomically (see gh_file_replace_atomically()), mode 0600.
 */
gboolean
gh_keystore_save (GhKeystore  *self,
                  GFile       *file,
                  const char  *password,
                  GError     **error)
{
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (GH_IS_KEYSTORE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = gh_keystore_serialize (self, password, error);
  if (data == NULL)
    return FALSE;

  if ((path = g_file_get_path (file)) == NULL)
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_IO, _("Keystores are saved to local files only"));
      return FALSE;
    }

  remove_stray_temporaries (file);

  /* The keystore's errors are GH_PKI_ERROR ones, whatever wrote the file. */
  if (!gh_file_replace_atomically (file, data, &local_error))
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_IO, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
gh_keystore_finalize (GObject *object)
{
  GhKeystore *self = GH_KEYSTORE (object);

  g_clear_pointer (&self->by_alias, g_hash_table_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->crls, g_ptr_array_unref);
  g_clear_pointer (&self->kept_bags, g_ptr_array_unref);

  G_OBJECT_CLASS (gh_keystore_parent_class)->finalize (object);
}

static void
gh_keystore_class_init (GhKeystoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gh_keystore_finalize;
}

static void
gh_keystore_init (GhKeystore *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_alias = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->kept_bags = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->format = GH_KEYSTORE_FORMAT_PKCS12;
  self->profile = GH_PKCS12_PROFILE_MODERN;
}
