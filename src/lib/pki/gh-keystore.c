/* gh-keystore.c — a keystore or truststore file: a GListModel of GhKeystoreEntry
 *
 * Both backends read into the same intermediate form (keys and certificates with
 * their friendly names and local key ids, as PKCS#12 bags carry them) and assemble
 * entries from it the same way: each key with the certificate that holds its public
 * key and that certificate's issuers, in order; the certificates left over become
 * trusted-certificate entries. The PEM backend reads and writes OpenSSL's
 * "Bag Attributes" lines so aliases survive `openssl pkcs12 -nodes` and back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-keystore"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "gh-keystore.h"
#include "gh-pki-private.h"

struct _GhKeystore
{
  GObject           parent_instance;

  GPtrArray        *entries;   /* of GhKeystoreEntry, in file order */
  GHashTable       *by_alias;  /* alias → GhKeystoreEntry (borrowed) */
  GhKeystoreFormat  format;
  GhPkcs12Profile   profile;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GhKeystore, gh_keystore, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* What a file holds, before it becomes entries. */
typedef struct {
  GObject *object;     /* GhCertificate or GhPrivateKey */
  char    *name;       /* friendlyName, or NULL */
  char    *key_id;     /* localKeyID as hex, or NULL */
  gboolean used;
} Item;

static void
item_free (gpointer data)
{
  Item *item = data;

  g_clear_object (&item->object);
  g_free (item->name);
  g_free (item->key_id);
  g_free (item);
}

static void
add_item (GPtrArray  *items,
          gpointer    object,
          const char *name,
          const char *key_id)
{
  Item *item = g_new0 (Item, 1);

  item->object = object;
  item->name = (name != NULL && *name != '\0') ? g_strdup (name) : NULL;
  item->key_id = (key_id != NULL && *key_id != '\0') ? g_strdup (key_id) : NULL;
  g_ptr_array_add (items, item);
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

  for (guint i = 0; i < self->entries->len; i++)
    {
      GhKeystoreEntry *entry = g_ptr_array_index (self->entries, i);
      GhPrivateKey *key = gh_keystore_entry_get_private_key (entry);

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
  if (gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY)
    renamed = gh_keystore_entry_new_key (new_alias, gh_keystore_entry_get_private_key (entry),
                                         gh_keystore_entry_get_chain (entry));
  else
    renamed = gh_keystore_entry_new_trusted (new_alias, gh_keystore_entry_get_certificate (entry));

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
 * 10,000 entries must not compare every certificate with every other. */
typedef struct {
  GHashTable *by_public_key;
  GHashTable *by_subject;
  GHashTable *by_fingerprint;
} ItemIndex;

static void
index_add (GHashTable *table,
           const char *key,
           Item       *item)
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
  index->by_public_key = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  index->by_subject = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  index->by_fingerprint = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = g_ptr_array_index (items, i);
      GhCertificate *certificate;

      if (!GH_IS_CERTIFICATE (item->object))
        continue;
      certificate = GH_CERTIFICATE (item->object);
      index_add (index->by_public_key, gh_certificate_get_public_key_id (certificate), item);
      index_add (index->by_subject, gh_certificate_get_subject (certificate), item);
      index_add (index->by_fingerprint, gh_certificate_get_sha256_fingerprint (certificate), item);
    }
}

static void
item_index_clear (ItemIndex *index)
{
  g_clear_pointer (&index->by_public_key, g_hash_table_unref);
  g_clear_pointer (&index->by_subject, g_hash_table_unref);
  g_clear_pointer (&index->by_fingerprint, g_hash_table_unref);
}

static Item *
find_leaf_for_key (ItemIndex *index,
                   Item      *key_item)
{
  GhPrivateKey *key = GH_PRIVATE_KEY (key_item->object);
  GPtrArray *candidates = g_hash_table_lookup (index->by_public_key, gh_private_key_get_public_key_id (key));

  if (candidates == NULL || *gh_private_key_get_public_key_id (key) == '\0')
    return NULL;

  /* The certificate with the same local key id, else any with the key's public key. */
  for (guint i = 0; key_item->key_id != NULL && i < candidates->len; i++)
    {
      Item *item = g_ptr_array_index (candidates, i);

      if (item->key_id != NULL && g_str_equal (key_item->key_id, item->key_id))
        return item;
    }

  return g_ptr_array_index (candidates, 0);
}

static gboolean
issuer_candidate (Item          *item,
                  GhCertificate *certificate,
                  GPtrArray     *chain)
{
  if (!GH_IS_CERTIFICATE (item->object))
    return FALSE;

  for (guint j = 0; j < chain->len; j++)
    if (gh_certificate_equal (g_ptr_array_index (chain, j), GH_CERTIFICATE (item->object)))
      return FALSE;

  return gh_certificate_is_issued_by (certificate, GH_CERTIFICATE (item->object));
}

static Item *
find_issuer_item (ItemIndex     *index,
                  GPtrArray     *items,
                  GhCertificate *certificate,
                  GPtrArray     *chain)
{
  GPtrArray *candidates;

  if (gh_certificate_is_self_issued (certificate))
    return NULL;

  /* Issuers whose subject reads as this certificate's issuer first; names can be
   * equal in X.509 and still read differently, so then every certificate. */
  candidates = g_hash_table_lookup (index->by_subject, gh_certificate_get_issuer (certificate));
  for (guint i = 0; candidates != NULL && i < candidates->len; i++)
    if (issuer_candidate (g_ptr_array_index (candidates, i), certificate, chain))
      return g_ptr_array_index (candidates, i);

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = g_ptr_array_index (items, i);

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
  GPtrArray *same = g_hash_table_lookup (index->by_fingerprint, gh_certificate_get_sha256_fingerprint (certificate));

  for (guint i = 0; same != NULL && i < same->len; i++)
    {
      Item *item = g_ptr_array_index (same, i);

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

static void
assemble_entries (GhKeystore *self,
                  GPtrArray  *items)
{
  ItemIndex index;

  item_index_init (&index, items);

  /* Key entries first, in the order of their keys. */
  for (guint i = 0; i < items->len; i++)
    {
      Item *key_item = g_ptr_array_index (items, i);
      g_autoptr(GPtrArray) chain = NULL;
      g_autoptr(GhKeystoreEntry) entry = NULL;
      g_autofree char *alias = NULL;
      Item *leaf, *issuer;

      if (!GH_IS_PRIVATE_KEY (key_item->object))
        continue;

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
      entry = gh_keystore_entry_new_key (alias, GH_PRIVATE_KEY (key_item->object), chain);
      g_ptr_array_add (self->entries, g_object_ref (entry));
      g_hash_table_insert (self->by_alias, g_strdup (alias), entry);
    }

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = g_ptr_array_index (items, i);
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
}

/* PKCS#12 */

static gboolean
verify_mac (gnutls_pkcs12_t   p12,
            const char       *password,
            const char      **effective,
            GError          **error)
{
  int ret = gnutls_pkcs12_verify_mac (p12, password);

  if (ret >= 0)
    {
      *effective = password;
      return TRUE;
    }

  if (ret == GNUTLS_E_MAC_VERIFY_FAILED)
    {
      /* An empty password and no password are different keys: try the other one,
       * so that a user who typed nothing is not told the password is wrong. */
      if (password == NULL || *password == '\0')
        {
          const char *other = password == NULL ? "" : NULL;

          if (gnutls_pkcs12_verify_mac (p12, other) >= 0)
            {
              *effective = other;
              return TRUE;
            }

          g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED,
                               _("The keystore is protected by a password: give it"));
          return FALSE;
        }

      if (gnutls_pkcs12_verify_mac (p12, "") >= 0 || gnutls_pkcs12_verify_mac (p12, NULL) >= 0)
        {
          g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_EMPTY_PASSWORD,
                               _("The keystore’s password is empty, not the one given: open it without a password"));
          return FALSE;
        }

      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_WRONG_PASSWORD,
                           _("The keystore password is wrong"));
      return FALSE;
    }

  return _gh_pki_set_gnutls_error (error, ret, _("Could not check the keystore’s integrity"));
}

static char *
bag_key_id (gnutls_pkcs12_bag_t bag,
            unsigned int        index)
{
  gnutls_datum_t id = { NULL, 0 };

  if (gnutls_pkcs12_bag_get_key_id (bag, index, &id) < 0 || id.size == 0)
    return NULL;

  return _gh_pki_hex (id.data, id.size, FALSE);
}

static gboolean
read_pkcs12_bag (gnutls_pkcs12_bag_t   bag,
                 const char           *password,
                 GPtrArray            *items,
                 GError              **error)
{
  int count = gnutls_pkcs12_bag_get_count (bag);

  if (count < 0)
    return _gh_pki_set_gnutls_error (error, count, _("Could not read the keystore"));

  for (int j = 0; j < count; j++)
    {
      gnutls_datum_t data = { NULL, 0 };
      char *name = NULL;
      g_autofree char *key_id = NULL;
      int type = gnutls_pkcs12_bag_get_type (bag, j);
      int ret;

      if (gnutls_pkcs12_bag_get_data (bag, j, &data) < 0)
        continue;
      if (gnutls_pkcs12_bag_get_friendly_name (bag, j, &name) < 0)
        name = NULL;
      key_id = bag_key_id (bag, j);

      if (type == GNUTLS_BAG_CERTIFICATE)
        {
          gnutls_x509_crt_t crt = NULL;

          if ((ret = gnutls_x509_crt_init (&crt)) < 0 ||
              (ret = gnutls_x509_crt_import (crt, &data, GNUTLS_X509_FMT_DER)) < 0)
            {
              g_clear_pointer (&crt, gnutls_x509_crt_deinit);
              return _gh_pki_set_gnutls_error (error, ret, _("A certificate in the keystore is broken"));
            }
          add_item (items, _gh_certificate_new_take (crt), name, key_id);
        }
      else if (type == GNUTLS_BAG_PKCS8_ENCRYPTED_KEY || type == GNUTLS_BAG_PKCS8_KEY)
        {
          gnutls_x509_privkey_t key = NULL;
          gboolean encrypted = type == GNUTLS_BAG_PKCS8_ENCRYPTED_KEY;

          if ((ret = gnutls_x509_privkey_init (&key)) < 0 ||
              (ret = gnutls_x509_privkey_import_pkcs8 (key, &data, GNUTLS_X509_FMT_DER,
                                                       encrypted ? password : NULL,
                                                       encrypted ? 0 : GNUTLS_PKCS_PLAIN)) < 0)
            {
              g_clear_pointer (&key, gnutls_x509_privkey_deinit);
              /* GnuTLS also says this of a key it decrypted but cannot parse: an EC key
               * without its (optional) public key, as Java writes every EC key. */
              if (ret == GNUTLS_E_DECRYPTION_FAILED)
                {
                  g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_UNSUPPORTED_ALGORITHM,
                                       _("A private key in the keystore cannot be read with the keystore’s password: it has "
                                         "a password of its own, or it is an EC key stored without its public key, as Java’s "
                                         "keytool stores them. Rewrite such a key with “openssl ec” and export the keystore again"));
                  return FALSE;
                }
              return _gh_pki_set_gnutls_error (error, ret, _("A private key in the keystore cannot be read"));
            }
          add_item (items, _gh_private_key_new_take (key), name, key_id);
        }
      /* CRLs and secret bags are not part of a keystore's entries. */
    }

  return TRUE;
}

/* The size a DER SEQUENCE at @bytes says it has, header included; 0 if it is none. */
static gsize
der_sequence_size (const guchar *bytes,
                   gsize         length)
{
  gsize size = 0, header;
  guint n;

  if (length < 2 || bytes[0] != 0x30)
    return 0;
  if (bytes[1] < 0x80)
    return 2 + bytes[1];

  n = bytes[1] & 0x7f;
  if (n == 0 || n > 4 || length < 2 + n)
    return 0;
  for (guint i = 0; i < n; i++)
    size = (size << 8) | bytes[2 + i];
  header = 2 + n;

  return header + size;
}

static gboolean
load_pkcs12 (GhKeystore           *self,
             const guchar         *bytes,
             gsize                 length,
             const char           *password,
             GhKeystoreLoadFlags   flags,
             GError              **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (item_free);
  gnutls_pkcs12_t p12 = NULL;
  gnutls_datum_t datum = { (guchar *) bytes, length };
  unsigned int mac = 0, iterations = 0;
  guchar salt[64];
  unsigned int salt_size = sizeof salt;
  char *oid = NULL;
  const char *effective = password;
  gboolean ok = FALSE;
  int ret;

  if (der_sequence_size (bytes, length) > length)
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_TRUNCATED,
                           _("The keystore file is truncated: it ends before its content does"));
      return FALSE;
    }

  if ((ret = gnutls_pkcs12_init (&p12)) < 0)
    return _gh_pki_set_gnutls_error (error, ret, _("Could not read the keystore"));

  ret = gnutls_pkcs12_import (p12, &datum, GNUTLS_X509_FMT_DER, 0);
  if (ret < 0)
    {
      if (ret == GNUTLS_E_ASN1_DER_OVERFLOW)
        g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_TRUNCATED,
                             _("The keystore file is truncated: it ends before its content does"));
      else if (bytes[0] != 0x30)
        g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_UNKNOWN_FORMAT,
                             _("This is neither a PKCS#12 keystore nor a PEM bundle"));
      else
        g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_CORRUPT,
                     _("The keystore file is corrupt (%s)"), gnutls_strerror (ret));
      goto out;
    }

  ret = gnutls_pkcs12_mac_info (p12, &mac, salt, &salt_size, &iterations, &oid);
  gnutls_free (oid);
  /* GnuTLS 3.8 says INVALID_REQUEST, not DATA_NOT_AVAILABLE, when there is no macData. */
  if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE || ret == GNUTLS_E_INVALID_REQUEST)
    {
      if (!(flags & GH_KEYSTORE_LOAD_ALLOW_NO_MAC))
        {
          g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_NO_MAC,
                               _("The keystore has no integrity protection (no MAC): anyone could have changed it. "
                                 "Open it only if you trust where it came from"));
          goto out;
        }
    }
  else if (ret < 0 && ret != GNUTLS_E_UNKNOWN_HASH_ALGORITHM)
    {
      _gh_pki_set_gnutls_error (error, ret, _("Could not read the keystore’s integrity check"));
      goto out;
    }
  else if (!verify_mac (p12, password, &effective, error))
    {
      goto out;
    }

  for (int i = 0; ; i++)
    {
      gnutls_pkcs12_bag_t bag = NULL;

      if ((ret = gnutls_pkcs12_bag_init (&bag)) < 0)
        {
          _gh_pki_set_gnutls_error (error, ret, _("Could not read the keystore"));
          goto out;
        }

      ret = gnutls_pkcs12_get_bag (p12, i, bag);
      if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        {
          gnutls_pkcs12_bag_deinit (bag);
          break;
        }
      if (ret >= 0 && gnutls_pkcs12_bag_get_type (bag, 0) == GNUTLS_BAG_ENCRYPTED)
        {
          ret = gnutls_pkcs12_bag_decrypt (bag, effective);
          if (ret == GNUTLS_E_DECRYPTION_FAILED)
            {
              gnutls_pkcs12_bag_deinit (bag);
              g_set_error_literal (error, GH_PKI_ERROR,
                                   effective == NULL ? GH_PKI_ERROR_PASSWORD_REQUIRED : GH_PKI_ERROR_WRONG_PASSWORD,
                                   effective == NULL ? _("The keystore is encrypted: give its password")
                                                     : _("The keystore password is wrong"));
              goto out;
            }
        }
      if (ret < 0)
        {
          gnutls_pkcs12_bag_deinit (bag);
          _gh_pki_set_gnutls_error (error, ret, _("Could not read the keystore"));
          goto out;
        }

      /* Not `ok = …`: a later bag that fails must not return this one's TRUE. */
      if (!read_pkcs12_bag (bag, effective, items, error))
        {
          gnutls_pkcs12_bag_deinit (bag);
          goto out;
        }
      gnutls_pkcs12_bag_deinit (bag);
    }

  assemble_entries (self, items);
  self->format = GH_KEYSTORE_FORMAT_PKCS12;
  self->profile = (mac == GNUTLS_MAC_SHA1) ? GH_PKCS12_PROFILE_COMPATIBLE : GH_PKCS12_PROFILE_MODERN;
  ok = TRUE;

out:
  gnutls_pkcs12_deinit (p12);
  return ok;
}

/* PEM bundles */

typedef struct {
  GPtrArray  *items;
  const char *password;
} PemLoad;

static gboolean
load_pem_block (const char  *label,
                GBytes      *block,
                guint        number,
                const char  *name,
                const char  *key_id,
                gpointer     user_data,
                GError     **error)
{
  PemLoad *load = user_data;
  g_autoptr(GError) local_error = NULL;

  if (g_str_equal (label, "CERTIFICATE") || g_str_equal (label, "X509 CERTIFICATE"))
    {
      gsize size;
      const char *data = g_bytes_get_data (block, &size);
      GhCertificate *certificate = gh_certificate_new_from_pem (data, size, &local_error);

      if (certificate == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("Certificate %u of the bundle: "), number);
          return FALSE;
        }
      add_item (load->items, certificate, name, key_id);
    }
  else if (g_str_has_suffix (label, "PRIVATE KEY"))
    {
      GhPrivateKey *key = gh_private_key_new_from_data (block, load->password, error);

      if (key == NULL)
        return FALSE;
      add_item (load->items, key, name, key_id);
    }
  /* Other blocks (requests, CRLs, parameters) are not keystore entries. */

  return TRUE;
}

static gboolean
load_pem (GhKeystore   *self,
          const char   *text,
          gsize         length,
          const char   *password,
          GError      **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (item_free);
  PemLoad load = { items, password };
  guint n_blocks = 0;

  if (!_gh_pem_foreach_block (text, length, load_pem_block, &load, &n_blocks, error))
    return FALSE;

  if (n_blocks == 0)
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_UNKNOWN_FORMAT,
                           _("No PEM block found: this is neither a PEM bundle nor a PKCS#12 keystore"));
      return FALSE;
    }

  assemble_entries (self, items);
  self->format = GH_KEYSTORE_FORMAT_PEM;
  return TRUE;
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
      if (!load_pem (self, (const char *) bytes, length, password, error))
        return NULL;
    }
  else if (!load_pkcs12 (self, bytes, length, password, flags, error))
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
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = g_file_get_parse_name (file);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_IO, _("Cannot open “%s”: %s"), name, local_error->message);
      return NULL;
    }
  if (g_file_info_get_size (info) > GH_PKI_MAX_INPUT_SIZE)
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_TOO_LARGE,
                   _("“%s” is too large for a keystore (%" G_GOFFSET_FORMAT " MiB; at most %d MiB)"),
                   name, g_file_info_get_size (info) / (1024 * 1024), GH_PKI_MAX_INPUT_SIZE / (1024 * 1024));
      return NULL;
    }

  data = g_file_load_bytes (file, NULL, NULL, &local_error);
  if (data == NULL)
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_IO, _("Cannot read “%s”: %s"), name, local_error->message);
      return NULL;
    }

  return gh_keystore_new_from_bytes (data, password, flags, error);
}

/* Writing */

/* All certificates go into one encrypted bag, as OpenSSL and keytool write them: one
 * key derivation for the lot, however many entries (GnuTLS derives keys with its
 * compiled-in PBKDF2 iteration count, 600,000 on Debian 13). Each private key is a
 * shrouded key bag of its own, tied to its certificate by the local key id. */
static int
entry_key_id (GhKeystoreEntry *entry,
              guchar           id[20],
              gnutls_datum_t  *key_id)
{
  GhPrivateKey *key = gh_keystore_entry_get_private_key (entry);
  size_t size = 20;
  int ret;

  key_id->data = NULL;
  key_id->size = 0;
  if (key == NULL)
    return 0;

  ret = gnutls_x509_privkey_get_key_id (_gh_private_key_get_gnutls (key), 0, id, &size);
  if (ret >= 0)
    {
      key_id->data = id;
      key_id->size = size;
    }

  return ret;
}

static gboolean
write_pkcs12_certificates (gnutls_pkcs12_bag_t   cert_bag,
                           GhKeystoreEntry      *entry,
                           GError              **error)
{
  GPtrArray *chain = gh_keystore_entry_get_chain (entry);
  gnutls_datum_t key_id;
  guchar id[20];
  int ret, index;

  if ((ret = entry_key_id (entry, id, &key_id)) < 0)
    return _gh_pki_set_gnutls_error (error, ret, _("Could not write the keystore"));

  for (guint i = 0; i < chain->len; i++)
    {
      if ((ret = index = gnutls_pkcs12_bag_set_crt (cert_bag, _gh_certificate_get_gnutls (g_ptr_array_index (chain, i)))) < 0 ||
          (i == 0 && (ret = gnutls_pkcs12_bag_set_friendly_name (cert_bag, index, gh_keystore_entry_get_alias (entry))) < 0) ||
          (i == 0 && key_id.size > 0 && (ret = gnutls_pkcs12_bag_set_key_id (cert_bag, index, &key_id)) < 0))
        return _gh_pki_set_gnutls_error (error, ret, _("Could not write the keystore"));
    }

  return TRUE;
}

static gboolean
write_pkcs12_key (gnutls_pkcs12_bag_t   key_bag,
                  GhKeystoreEntry      *entry,
                  const char           *password,
                  unsigned int          flags,
                  GError              **error)
{
  GhPrivateKey *key = gh_keystore_entry_get_private_key (entry);
  gnutls_datum_t key_id;
  gnutls_datum_t pkcs8 = { NULL, 0 };
  guchar id[20];
  int ret, index;

  if ((ret = entry_key_id (entry, id, &key_id)) >= 0 &&
      (ret = gnutls_x509_privkey_export2_pkcs8 (_gh_private_key_get_gnutls (key), GNUTLS_X509_FMT_DER,
                                                password, flags, &pkcs8)) >= 0 &&
      (ret = index = gnutls_pkcs12_bag_set_data (key_bag, GNUTLS_BAG_PKCS8_ENCRYPTED_KEY, &pkcs8)) >= 0 &&
      (ret = gnutls_pkcs12_bag_set_friendly_name (key_bag, index, gh_keystore_entry_get_alias (entry))) >= 0)
    ret = gnutls_pkcs12_bag_set_key_id (key_bag, index, &key_id);

  if (pkcs8.data != NULL)
    {
      gnutls_memset (pkcs8.data, 0, pkcs8.size);
      gnutls_free (pkcs8.data);
    }

  if (ret < 0)
    return _gh_pki_set_gnutls_error (error, ret, _("Could not write the keystore"));

  return TRUE;
}

static GBytes *
serialize_pkcs12 (GhKeystore  *self,
                  const char  *password,
                  GError     **error)
{
  gnutls_pkcs12_t p12 = NULL;
  gnutls_pkcs12_bag_t cert_bag = NULL;
  gnutls_pkcs12_bag_t key_bag = NULL;
  gnutls_datum_t out = { NULL, 0 };
  gboolean modern = self->profile == GH_PKCS12_PROFILE_MODERN;
  unsigned int flags = modern ? GNUTLS_PKCS_PBES2_AES_256 : GNUTLS_PKCS_PKCS12_3DES;
  GBytes *bytes = NULL;
  int ret;

  if (password == NULL)
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED,
                           _("A PKCS#12 keystore needs a password"));
      return NULL;
    }

  if ((ret = gnutls_pkcs12_init (&p12)) < 0 || (ret = gnutls_pkcs12_bag_init (&cert_bag)) < 0)
    goto gnutls_failed;

  /* The certificates' bags come first, as readers expect. A GnuTLS bag takes at most
   * 31 elements (MAX_BAG_ELEMENTS - 1): a full one is closed and another one started. */
  for (guint i = 0; i < self->entries->len; i++)
    {
      GhKeystoreEntry *entry = g_ptr_array_index (self->entries, i);
      int count = gnutls_pkcs12_bag_get_count (cert_bag);

      if (count > 0 && count + gh_keystore_entry_get_chain (entry)->len > 31)
        {
          if ((ret = gnutls_pkcs12_bag_encrypt (cert_bag, password, flags)) < 0 ||
              (ret = gnutls_pkcs12_set_bag (p12, cert_bag)) < 0)
            goto gnutls_failed;
          g_clear_pointer (&cert_bag, gnutls_pkcs12_bag_deinit);
          if ((ret = gnutls_pkcs12_bag_init (&cert_bag)) < 0)
            goto gnutls_failed;
        }
      if (!write_pkcs12_certificates (cert_bag, entry, error))
        goto out;
    }
  if (gnutls_pkcs12_bag_get_count (cert_bag) > 0 &&
      ((ret = gnutls_pkcs12_bag_encrypt (cert_bag, password, flags)) < 0 ||
       (ret = gnutls_pkcs12_set_bag (p12, cert_bag)) < 0))
    goto gnutls_failed;

  /* Each shrouded key is a bag of its own: GnuTLS takes no second element in a bag
   * that holds a key. */
  for (guint i = 0; i < self->entries->len; i++)
    {
      GhKeystoreEntry *entry = g_ptr_array_index (self->entries, i);

      if (gh_keystore_entry_get_private_key (entry) == NULL)
        continue;
      if ((ret = gnutls_pkcs12_bag_init (&key_bag)) < 0)
        goto gnutls_failed;
      if (!write_pkcs12_key (key_bag, entry, password, flags, error))
        goto out;
      if ((ret = gnutls_pkcs12_set_bag (p12, key_bag)) < 0)
        goto gnutls_failed;
      g_clear_pointer (&key_bag, gnutls_pkcs12_bag_deinit);
    }

  if ((ret = gnutls_pkcs12_generate_mac2 (p12, modern ? GNUTLS_MAC_SHA256 : GNUTLS_MAC_SHA1, password)) < 0 ||
      (ret = gnutls_pkcs12_export2 (p12, GNUTLS_X509_FMT_DER, &out)) < 0)
    goto gnutls_failed;

  bytes = g_bytes_new (out.data, out.size);
  gnutls_free (out.data);
  goto out;

gnutls_failed:
  _gh_pki_set_gnutls_error (error, ret, _("Could not write the keystore"));

out:
  g_clear_pointer (&cert_bag, gnutls_pkcs12_bag_deinit);
  g_clear_pointer (&key_bag, gnutls_pkcs12_bag_deinit);
  g_clear_pointer (&p12, gnutls_pkcs12_deinit);
  return bytes;
}

static void
append_bag_attributes (GString         *text,
                       const char      *alias,
                       GhPrivateKey    *key)
{
  g_string_append (text, "Bag Attributes\n");
  g_string_append_printf (text, "    friendlyName: %s\n", alias);
  if (key != NULL)
    g_string_append_printf (text, "    localKeyID: %s\n", gh_private_key_get_public_key_id (key));
}

static GBytes *
serialize_pem (GhKeystore  *self,
               const char  *password,
               GError     **error)
{
  g_autoptr(GString) text = g_string_new ("# Gatehouse keystore: a PEM bundle. Private keys are encrypted (PKCS#8, AES-256).\n");
  gsize length;

  for (guint i = 0; i < self->entries->len; i++)
    {
      GhKeystoreEntry *entry = g_ptr_array_index (self->entries, i);
      GhPrivateKey *key = gh_keystore_entry_get_private_key (entry);
      GPtrArray *chain = gh_keystore_entry_get_chain (entry);
      const char *alias = gh_keystore_entry_get_alias (entry);

      if (key != NULL)
        {
          g_autoptr(GhSecret) pem = NULL;

          if (password == NULL)
            {
              g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED,
                                   _("A keystore with private keys needs a password to encrypt them"));
              return NULL;
            }
          if ((pem = gh_private_key_export_pkcs8_pem (key, password, error)) == NULL)
            return NULL;
          append_bag_attributes (text, alias, key);
          g_string_append (text, pem);
        }

      for (guint j = 0; j < chain->len; j++)
        {
          g_autofree char *pem = gh_certificate_to_pem (g_ptr_array_index (chain, j));

          if (j == 0)
            append_bag_attributes (text, alias, key);
          g_string_append (text, pem);
        }
    }

  length = text->len;
  return g_bytes_new_take (g_string_free (g_steal_pointer (&text), FALSE), length);
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
    return serialize_pem (self, password, error);

  return serialize_pkcs12 (self, password, error);
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
  self->format = GH_KEYSTORE_FORMAT_PKCS12;
  self->profile = GH_PKCS12_PROFILE_MODERN;
}
