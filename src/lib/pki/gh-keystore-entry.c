/* gh-keystore-entry.c — one entry of a keystore: a key with its chain, or a trusted
 * certificate
 *
 * Entries are immutable: renaming or replacing one puts a new entry in its place.
 * A key entry read from a PKCS#12 file holds its key sealed (gh-sealed-key.c) until
 * someone asks for it; gh_keystore_entry_load_private_key() decrypts it for the
 * caller alone, gh_keystore_entry_get_private_key() keeps it decrypted in the entry
 * (for callers that hold the entry as long as the key, like the TLS identities).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-keystore-entry"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-keystore-private.h"

struct _GhKeystoreEntry
{
  GObject              parent_instance;

  char                *alias;
  GhKeystoreEntryKind  kind;
  GPtrArray           *chain;        /* of GhCertificate, leaf first; never empty */
  GhPrivateKey        *private_key;  /* only for key entries: given, or opened */
  GhSealedKey         *sealed;       /* only for key entries read from PKCS#12 */
  GMutex               lock;         /* opening @sealed into @private_key */
};

G_DEFINE_FINAL_TYPE (GhKeystoreEntry, gh_keystore_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ALIAS,
  PROP_KIND,
  PROP_CERTIFICATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * gh_keystore_alias_is_valid:
 * @alias: a candidate alias
 *
 * An alias is 1 to 255 bytes of UTF-8 without control characters and without
 * white space at either end.
 */
gboolean
gh_keystore_alias_is_valid (const char *alias)
{
  gsize length;

  if (alias == NULL || !g_utf8_validate (alias, -1, NULL))
    return FALSE;

  length = strlen (alias);
  if (length == 0 || length > 255)
    return FALSE;

  if (g_ascii_isspace (alias[0]) || g_ascii_isspace (alias[length - 1]))
    return FALSE;

  for (const char *p = alias; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

/**
 * gh_keystore_entry_new_key:
 * @alias: a valid alias
 * @key: the private key
 * @chain: (element-type GhCertificate): the certificate chain, leaf first; the leaf
 *   must belong to @key
 *
 * Returns: (transfer full): the entry
 */
GhKeystoreEntry *
gh_keystore_entry_new_key (const char   *alias,
                           GhPrivateKey *key,
                           GPtrArray    *chain)
{
  GhKeystoreEntry *self;

  g_return_val_if_fail (gh_keystore_alias_is_valid (alias), NULL);
  g_return_val_if_fail (GH_IS_PRIVATE_KEY (key), NULL);
  g_return_val_if_fail (chain != NULL && chain->len > 0, NULL);

  self = g_object_new (GH_TYPE_KEYSTORE_ENTRY, NULL);
  self->alias = g_strdup (alias);
  self->kind = GH_KEYSTORE_ENTRY_KEY;
  self->private_key = g_object_ref (key);
  self->chain = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < chain->len; i++)
    g_ptr_array_add (self->chain, g_object_ref (g_ptr_array_index (chain, i)));

  return self;
}

GhKeystoreEntry *
gh_keystore_entry_new_trusted (const char    *alias,
                               GhCertificate *certificate)
{
  GhKeystoreEntry *self;

  g_return_val_if_fail (gh_keystore_alias_is_valid (alias), NULL);
  g_return_val_if_fail (GH_IS_CERTIFICATE (certificate), NULL);

  self = g_object_new (GH_TYPE_KEYSTORE_ENTRY, NULL);
  self->alias = g_strdup (alias);
  self->kind = GH_KEYSTORE_ENTRY_TRUSTED_CERT;
  self->chain = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->chain, g_object_ref (certificate));

  return self;
}

const char *
gh_keystore_entry_get_alias (GhKeystoreEntry *self)
{
  g_return_val_if_fail (GH_IS_KEYSTORE_ENTRY (self), NULL);

  return self->alias;
}

GhKeystoreEntryKind
gh_keystore_entry_get_kind (GhKeystoreEntry *self)
{
  g_return_val_if_fail (GH_IS_KEYSTORE_ENTRY (self), GH_KEYSTORE_ENTRY_TRUSTED_CERT);

  return self->kind;
}

/* The leaf of a key entry, or the trusted certificate. */
GhCertificate *
gh_keystore_entry_get_certificate (GhKeystoreEntry *self)
{
  g_return_val_if_fail (GH_IS_KEYSTORE_ENTRY (self), NULL);

  return g_ptr_array_index (self->chain, 0);
}

/**
 * gh_keystore_entry_get_chain:
 * @self: a #GhKeystoreEntry
 *
 * Returns: (transfer none) (element-type GhCertificate): the chain, leaf first
 */
GPtrArray *
gh_keystore_entry_get_chain (GhKeystoreEntry *self)
{
  g_return_val_if_fail (GH_IS_KEYSTORE_ENTRY (self), NULL);

  return self->chain;
}

static GhPrivateKey *
open_sealed (GhKeystoreEntry  *self,
             GError          **error)
{
  g_autoptr(GhPrivateKey) key = _gh_sealed_key_open (self->sealed, gh_keystore_entry_get_certificate (self), error);

  if (key == NULL)
    return NULL;

  /* The file paired key and certificate by the bags' attributes: check them now. */
  if (!gh_private_key_matches (key, gh_keystore_entry_get_certificate (self)))
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_KEY_MISMATCH,
                   _("The private key of entry “%s” does not belong to its certificate"), self->alias);
      return NULL;
    }

  return g_steal_pointer (&key);
}

/**
 * gh_keystore_entry_load_private_key:
 * @self: a #GhKeystoreEntry
 * @error: return location for a #GH_PKI_ERROR
 *
 * Decrypts the key of a key entry if it is still sealed, for the caller alone: the
 * entry does not keep it.
 *
 * Returns: (transfer full): the key, or %NULL with @error set (a trusted entry, or a
 *   key that cannot be read)
 */
GhPrivateKey *
gh_keystore_entry_load_private_key (GhKeystoreEntry  *self,
                                    GError          **error)
{
  GhPrivateKey *key = NULL;

  g_return_val_if_fail (GH_IS_KEYSTORE_ENTRY (self), NULL);

  g_mutex_lock (&self->lock);
  if (self->private_key != NULL)
    key = g_object_ref (self->private_key);
  g_mutex_unlock (&self->lock);

  if (key != NULL)
    return key;
  if (self->sealed == NULL)
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_NOT_FOUND,
                   _("The entry “%s” is a trusted certificate: it has no private key"), self->alias);
      return NULL;
    }

  return open_sealed (self, error);
}

/**
 * gh_keystore_entry_get_private_key:
 * @self: a #GhKeystoreEntry
 *
 * The key of a key entry, decrypted on first use and then kept in the entry. To
 * know whether an entry has a key, ask gh_keystore_entry_get_kind(): that decrypts
 * nothing.
 *
 * Returns: (transfer none) (nullable): the private key of a key entry; %NULL for a
 *   trusted entry, or a key that cannot be read (see
 *   gh_keystore_entry_load_private_key() for why)
 */
GhPrivateKey *
gh_keystore_entry_get_private_key (GhKeystoreEntry *self)
{
  g_autoptr(GError) error = NULL;
  GhPrivateKey *key;

  g_return_val_if_fail (GH_IS_KEYSTORE_ENTRY (self), NULL);

  g_mutex_lock (&self->lock);
  if (self->private_key == NULL && self->sealed != NULL)
    {
      self->private_key = open_sealed (self, &error);
      if (self->private_key == NULL)
        g_message ("Entry “%s”: %s", self->alias, error->message);
    }
  key = self->private_key;
  g_mutex_unlock (&self->lock);

  return key;
}

GhKeystoreEntry *
_gh_keystore_entry_new_sealed (const char  *alias,
                               GhSealedKey *key,
                               GPtrArray   *chain)
{
  GhKeystoreEntry *self;

  g_return_val_if_fail (gh_keystore_alias_is_valid (alias), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (chain != NULL && chain->len > 0, NULL);

  self = g_object_new (GH_TYPE_KEYSTORE_ENTRY, NULL);
  self->alias = g_strdup (alias);
  self->kind = GH_KEYSTORE_ENTRY_KEY;
  self->sealed = _gh_sealed_key_ref (key);
  self->chain = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < chain->len; i++)
    g_ptr_array_add (self->chain, g_object_ref (g_ptr_array_index (chain, i)));

  return self;
}

GhSealedKey *
_gh_keystore_entry_get_sealed (GhKeystoreEntry *self)
{
  return self->sealed;
}

GhKeystoreEntry *
_gh_keystore_entry_copy_renamed (GhKeystoreEntry *self,
                                 const char      *alias)
{
  GhKeystoreEntry *copy;

  if (self->kind == GH_KEYSTORE_ENTRY_TRUSTED_CERT)
    return gh_keystore_entry_new_trusted (alias, gh_keystore_entry_get_certificate (self));
  if (self->sealed == NULL)
    return gh_keystore_entry_new_key (alias, self->private_key, self->chain);

  copy = _gh_keystore_entry_new_sealed (alias, self->sealed, self->chain);
  g_mutex_lock (&self->lock);
  if (self->private_key != NULL)
    copy->private_key = g_object_ref (self->private_key);
  g_mutex_unlock (&self->lock);
  return copy;
}

static void
gh_keystore_entry_finalize (GObject *object)
{
  GhKeystoreEntry *self = GH_KEYSTORE_ENTRY (object);

  g_clear_pointer (&self->alias, g_free);
  g_clear_pointer (&self->chain, g_ptr_array_unref);
  g_clear_object (&self->private_key);
  g_clear_pointer (&self->sealed, _gh_sealed_key_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (gh_keystore_entry_parent_class)->finalize (object);
}

static void
gh_keystore_entry_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  GhKeystoreEntry *self = GH_KEYSTORE_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ALIAS:
      g_value_set_string (value, self->alias);
      break;

    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;

    case PROP_CERTIFICATE:
      g_value_set_object (value, gh_keystore_entry_get_certificate (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_keystore_entry_class_init (GhKeystoreEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gh_keystore_entry_finalize;
  object_class->get_property = gh_keystore_entry_get_property;

  /* Read-only, for binding rows of a list to entries. */
  properties[PROP_ALIAS] =
    g_param_spec_string ("alias", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL,
                      GH_KEYSTORE_ENTRY_KEY, GH_KEYSTORE_ENTRY_TRUSTED_CERT, GH_KEYSTORE_ENTRY_KEY,
                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", NULL, NULL, GH_TYPE_CERTIFICATE,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_keystore_entry_init (GhKeystoreEntry *self)
{
  g_mutex_init (&self->lock);
}
