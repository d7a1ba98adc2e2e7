/* gh-import.c — reading keys and certificates of any common format, with a preview
 * before anything is committed to a keystore
 *
 * The format is told by content, never by a file name: PEM text of any number of
 * blocks in any order, or one DER structure whose first two elements say what it is
 * (a certificate, a PKCS#1/SEC1/PKCS#8 key, an encrypted PKCS#8 key, PKCS#7 or
 * PKCS#12). Everything found becomes items; items become the entries a commit adds,
 * the way a keystore assembles them: each key with the certificate holding its public
 * key and that certificate's issuers in order, leftover certificates as trusted ones.
 * What is missing or left out becomes a note for people.
 *
 * Reading each format is in gh-import-read.c; this file makes the items entries, and
 * commits them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-import"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-import-private.h"

G_DEFINE_FINAL_TYPE (GhImport, gh_import, G_TYPE_OBJECT)

static void
item_free (gpointer data)
{
  GhImportItem *item = data;

  g_clear_object (&item->object);
  g_free (item->name);
  g_free (item->key_id);
  g_free (item);
}

void
_gh_import_add_note (GhImport   *self,
                     const char *format,
                     ...)
{
  g_autofree char *text = NULL;
  va_list args;
  char *note;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  /* Labels and names come from the file: keep the note readable text. */
  note = g_utf8_make_valid (text, -1);

  for (guint i = 0; i < self->notes->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->notes, i), note))
        {
          g_free (note);
          return;
        }
    }

  g_ptr_array_add (self->notes, note);
}

/* Adds a certificate or key, once: the same one twice in a file is one item. */
void
_gh_import_add_item (GhImport   *self,
                     gpointer    object,
                     const char *name,
                     const char *key_id)
{
  GhImportItem *item;

  for (guint i = 0; i < self->items->len; i++)
    {
      GhImportItem *other = g_ptr_array_index (self->items, i);
      gboolean same = FALSE;

      if (GH_IS_CERTIFICATE (object) && GH_IS_CERTIFICATE (other->object))
        same = gh_certificate_equal (object, GH_CERTIFICATE (other->object));
      else if (GH_IS_PRIVATE_KEY (object) && GH_IS_PRIVATE_KEY (other->object))
        same = g_str_equal (gh_private_key_get_public_key_id (object),
                            gh_private_key_get_public_key_id (GH_PRIVATE_KEY (other->object)));

      if (same)
        {
          /* An alias wins over no name, and over the subject DN Java gives chain certificates. */
          if (name != NULL && *name != '\0' &&
              (other->name == NULL ||
               (GH_IS_CERTIFICATE (object) && g_str_equal (other->name, gh_certificate_get_subject (object)))))
            g_set_str (&other->name, name);
          if (other->key_id == NULL && key_id != NULL && *key_id != '\0')
            other->key_id = g_strdup (key_id);
          g_object_unref (object);
          return;
        }
    }

  item = g_new0 (GhImportItem, 1);
  item->object = object;
  item->name = (name != NULL && *name != '\0') ? g_strdup (name) : NULL;
  item->key_id = (key_id != NULL && *key_id != '\0') ? g_strdup (key_id) : NULL;
  g_ptr_array_add (self->items, item);

  if (GH_IS_CERTIFICATE (object))
    g_ptr_array_add (self->certificates, g_object_ref (object));
  else
    g_ptr_array_add (self->private_keys, g_object_ref (object));
}

/* Names for people */

static char *
issuer_name (GhCertificate *certificate)
{
  char *cn = gh_certificate_get_issuer_field (certificate, "CN");

  if (cn != NULL && *cn != '\0')
    return cn;

  g_free (cn);
  return g_strdup (gh_certificate_get_issuer (certificate));
}

/* Chains */

/* gh_certificate_is_issued_by(), after a cheap look at the names: equal DNs read as
 * equal strings, and most pairs in a bundle of roots differ there. */
static gboolean
issued_by (GhCertificate *certificate,
           GhCertificate *issuer)
{
  return g_str_equal (gh_certificate_get_issuer (certificate), gh_certificate_get_subject (issuer)) &&
         gh_certificate_is_issued_by (certificate, issuer);
}

static gboolean
chain_contains (GPtrArray     *chain,
                GhCertificate *certificate)
{
  for (guint i = 0; i < chain->len; i++)
    {
      if (gh_certificate_equal (g_ptr_array_index (chain, i), certificate))
        return TRUE;
    }

  return FALSE;
}

/* The issuer of @certificate among @candidates that is not in @chain yet. */
static GhCertificate *
find_issuer (GhCertificate *certificate,
             GPtrArray     *candidates,
             GPtrArray     *chain)
{
  if (candidates == NULL)
    return NULL;

  for (guint i = 0; i < candidates->len; i++)
    {
      GhCertificate *candidate = g_ptr_array_index (candidates, i);

      if (issued_by (certificate, candidate) && !chain_contains (chain, candidate))
        return candidate;
    }

  return NULL;
}

/* @leaf and its issuers in order, as far as @candidates (then @more) go. */
static GPtrArray *
build_chain (GhCertificate *leaf,
             GPtrArray     *candidates,
             GPtrArray     *more)
{
  GPtrArray *chain = g_ptr_array_new_with_free_func (g_object_unref);
  GhCertificate *last = leaf;

  g_ptr_array_add (chain, g_object_ref (leaf));
  while (!gh_certificate_is_self_issued (last))
    {
      GhCertificate *issuer = find_issuer (last, candidates, chain);

      if (issuer == NULL)
        issuer = find_issuer (last, more, chain);
      if (issuer == NULL)
        break;

      g_ptr_array_add (chain, g_object_ref (issuer));
      last = issuer;
    }

  return chain;
}

static void
note_chain_end (GhImport  *self,
                GPtrArray *chain)
{
  GhCertificate *first = g_ptr_array_index (chain, 0);
  GhCertificate *last = g_ptr_array_index (chain, chain->len - 1);
  g_autofree char *issuer = NULL;

  if (gh_certificate_is_self_issued (last))
    return;

  issuer = issuer_name (last);
  _gh_import_add_note (self, _("The chain of “%s” stops at “%s”: the certificate of its issuer “%s” is not in the file"),
                       gh_certificate_get_display_name (first), gh_certificate_get_display_name (last), issuer);
}

/* Whether another certificate of the file was issued by @certificate. */
static gboolean
issued_another (GhImport      *self,
                GhCertificate *certificate)
{
  for (guint i = 0; i < self->certificates->len; i++)
    {
      GhCertificate *other = g_ptr_array_index (self->certificates, i);

      if (issued_by (other, certificate) && !gh_certificate_equal (other, certificate))
        return TRUE;
    }

  return FALSE;
}

/* Notes on the chains of the proposed entries: each key entry's, and for trusted
 * certificates, the chain of each one that issued no other (a leaf, or the top of
 * what the file holds). */
static void
note_chains (GhImport *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  g_autoptr(GPtrArray) in_key_chains = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);
      GPtrArray *chain = gh_keystore_entry_get_chain (entry);

      if (gh_keystore_entry_get_kind (entry) != GH_KEYSTORE_ENTRY_KEY)
        continue;

      note_chain_end (self, chain);
      for (guint j = 0; j < chain->len; j++)
        g_ptr_array_add (in_key_chains, g_ptr_array_index (chain, j));
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);
      GhCertificate *certificate = gh_keystore_entry_get_certificate (entry);
      g_autoptr(GPtrArray) chain = NULL;

      if (gh_keystore_entry_get_kind (entry) != GH_KEYSTORE_ENTRY_TRUSTED_CERT ||
          chain_contains (in_key_chains, certificate) ||
          issued_another (self, certificate))
        continue;

      chain = build_chain (certificate, self->certificates, NULL);
      note_chain_end (self, chain);
    }
}

/* Entries */

static gboolean
alias_is_free (GhKeystore *keystore,
               GHashTable *taken,
               const char *alias)
{
  return gh_keystore_lookup (keystore, alias) == NULL && (taken == NULL || !g_hash_table_contains (taken, alias));
}

/* @base (a valid alias), or @base-2, @base-3, …: the first not in @keystore nor in
 * @taken. A long @base is shortened to leave room for the number. */
static char *
free_alias (GhKeystore *keystore,
            GHashTable *taken,
            const char *base)
{
  g_autofree char *stem = NULL;
  gsize length = strlen (base);
  char *alias;

  if (alias_is_free (keystore, taken, base))
    return g_strdup (base);

  if (length > 240)
    {
      const char *end = base + 240;

      while (end > base && (*end & 0xc0) == 0x80)
        end--;
      length = end - base;
    }
  stem = g_strchomp (g_strndup (base, length));

  alias = NULL;
  for (guint n = 2; alias == NULL || !alias_is_free (keystore, taken, alias); n++)
    {
      g_free (alias);
      alias = g_strdup_printf ("%s-%u", stem, n);
    }

  return alias;
}

/* @name if it is a valid alias, else one from the certificate; unique in @keystore. */
static char *
preview_alias (GhKeystore    *keystore,
               const char    *name,
               GhCertificate *certificate)
{
  if (name == NULL || !gh_keystore_alias_is_valid (name))
    return gh_keystore_make_alias (keystore, certificate);

  return free_alias (keystore, NULL, name);
}

static GhImportItem *
find_leaf_for_key (GhImport *self,
                   GhImportItem     *key_item)
{
  GhPrivateKey *key = GH_PRIVATE_KEY (key_item->object);

  /* The certificate with the same local key id, else the one with the key's public key. */
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < self->items->len; i++)
        {
          GhImportItem *item = g_ptr_array_index (self->items, i);

          if (!GH_IS_CERTIFICATE (item->object) || !gh_private_key_matches (key, GH_CERTIFICATE (item->object)))
            continue;
          if (pass == 1 ||
              (key_item->key_id != NULL && item->key_id != NULL && g_str_equal (key_item->key_id, item->key_id)))
            return item;
        }
    }

  return NULL;
}

static GhImportItem *
find_certificate_item (GhImport      *self,
                       GhCertificate *certificate)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      GhImportItem *item = g_ptr_array_index (self->items, i);

      if (GH_IS_CERTIFICATE (item->object) && gh_certificate_equal (GH_CERTIFICATE (item->object), certificate))
        return item;
    }

  return NULL;
}

static void
add_entry (GhKeystore      *keystore,
           GhKeystoreEntry *entry)
{
  g_autoptr(GError) error = NULL;

  /* The alias was made unique in @keystore. */
  if (!gh_keystore_add (keystore, entry, &error))
    g_critical ("%s", error->message);
}

static void
assemble_entries (GhImport *self)
{
  guint n_lonely_keys = 0;

  /* Key entries first, in the order of their keys. */
  for (guint i = 0; i < self->items->len; i++)
    {
      GhImportItem *key_item = g_ptr_array_index (self->items, i);
      g_autoptr(GPtrArray) chain = NULL;
      g_autoptr(GhKeystoreEntry) entry = NULL;
      g_autofree char *alias = NULL;
      GhImportItem *leaf;

      if (!GH_IS_PRIVATE_KEY (key_item->object))
        continue;

      leaf = find_leaf_for_key (self, key_item);
      if (leaf == NULL)
        {
          n_lonely_keys++;
          continue;
        }

      chain = build_chain (GH_CERTIFICATE (leaf->object), self->certificates, NULL);
      leaf->used = TRUE;
      for (guint j = 1; j < chain->len; j++)
        {
          GhCertificate *certificate = g_ptr_array_index (chain, j);
          GhImportItem *issuer = find_certificate_item (self, certificate);

          /* A chain certificate with a name of its own is also a trusted entry; Java
           * names each chain certificate after its subject DN, which is no alias. */
          if (issuer != NULL &&
              (issuer->name == NULL || g_str_equal (issuer->name, gh_certificate_get_subject (certificate))))
            issuer->used = TRUE;
        }

      alias = preview_alias (self->entries, key_item->name ? key_item->name : leaf->name,
                             GH_CERTIFICATE (leaf->object));
      entry = gh_keystore_entry_new_key (alias, GH_PRIVATE_KEY (key_item->object), chain);
      add_entry (self->entries, entry);
    }

  for (guint i = 0; i < self->items->len; i++)
    {
      GhImportItem *item = g_ptr_array_index (self->items, i);
      g_autoptr(GhKeystoreEntry) entry = NULL;
      g_autofree char *alias = NULL;

      if (!GH_IS_CERTIFICATE (item->object) || item->used)
        continue;

      alias = preview_alias (self->entries, item->name, GH_CERTIFICATE (item->object));
      entry = gh_keystore_entry_new_trusted (alias, GH_CERTIFICATE (item->object));
      add_entry (self->entries, entry);
    }

  if (n_lonely_keys == 1)
    _gh_import_add_note (self, "%s", _("A private key has no certificate: import its certificate too"));
  else if (n_lonely_keys > 1)
    _gh_import_add_note (self, ngettext ("%u private key has no certificate: import its certificate too",
                                         "%u private keys have no certificate: import their certificates too",
                                         n_lonely_keys),
                         n_lonely_keys);
}

/* A private key that no certificate of the file belongs to, next to a server's
 * certificate that no key of the file belongs to: the pair the user meant, and it is
 * not one. Refused, naming both, rather than the key left out and the certificate
 * offered to the truststore as an authority. */
static gboolean
refuse_mismatch (GhImport  *self,
                 GError   **error)
{
  GhImportItem *lonely_key = NULL;
  GhImportItem *lonely_leaf = NULL;
  GhPrivateKey *key;
  GhCertificate *certificate;

  for (guint i = 0; i < self->items->len; i++)
    {
      GhImportItem *item = g_ptr_array_index (self->items, i);

      if (lonely_key == NULL && GH_IS_PRIVATE_KEY (item->object) && find_leaf_for_key (self, item) == NULL)
        lonely_key = item;
      else if (lonely_leaf == NULL && GH_IS_CERTIFICATE (item->object) && !item->used &&
               !gh_certificate_is_ca (GH_CERTIFICATE (item->object)))
        lonely_leaf = item;
    }
  if (lonely_key == NULL || lonely_leaf == NULL)
    return TRUE;

  key = GH_PRIVATE_KEY (lonely_key->object);
  certificate = GH_CERTIFICATE (lonely_leaf->object);
  g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_KEY_MISMATCH,
               _("The private key (%s, public key id %.11s…) does not belong to the certificate “%s” (whose key "
                 "is %s): import each with its own"),
               gh_private_key_get_algorithm (key), gh_private_key_get_public_key_id (key),
               gh_certificate_get_display_name (certificate), gh_certificate_get_key_algorithm (certificate));
  return FALSE;
}

/**
 * gh_import_new_from_bytes:
 * @data: a file's content, of any supported format
 * @password: (nullable): the password of an encrypted key or of a PKCS#12 file
 * @error: return location for a #GH_PKI_ERROR
 *
 * Detects the format by content and reads everything, committing nothing.
 * Certificate requests, CRLs and parameters are left out (with a note); a file
 * with nothing else is an error, and so is a private key next to a server's
 * certificate that does not belong to it (%GH_PKI_ERROR_KEY_MISMATCH).
 *
 * Returns: (transfer full): the import, or %NULL with @error saying what is wrong
 */
GhImport *
gh_import_new_from_bytes (GBytes      *data,
                          const char  *password,
                          GError     **error)
{
  g_autoptr(GhImport) self = NULL;
  const guchar *bytes;
  gsize length = 0;
  gboolean ok;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_bytes_get_data (data, &length);
  if (!_gh_pki_check_input_size (length, error))
    return NULL;

  self = g_object_new (GH_TYPE_IMPORT, NULL);
  if (_gh_pki_looks_like_pem (bytes, length))
    ok = _gh_import_read_pem (self, data, password, error);
  else
    ok = _gh_import_read_der (self, data, password, error);
  if (!ok)
    return NULL;

  if (self->certificates->len == 0 && self->private_keys->len == 0)
    {
      if (self->n_requests > 0)
        return (_gh_import_set_request_alone (error), NULL);

      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_UNKNOWN_FORMAT,
                           self->n_crls > 0
                           ? _("The file holds only certificate revocation lists: import a certificate or a key")
                           : _("The file holds no certificate and no private key: nothing to import"));
      return NULL;
    }

  if (self->format != GH_IMPORT_FORMAT_PKCS12)
    {
      assemble_entries (self);
      if (!refuse_mismatch (self, error))
        return NULL;
    }
  note_chains (self);

  if (self->n_requests > 0)
    _gh_import_add_note (self, "%s", _("A certificate request was left out: import the certificate your certificate authority "
                                       "issues for it"));
  if (self->n_crls > 0)
    _gh_import_add_note (self, "%s", _("A certificate revocation list was left out: a keystore does not hold CRLs"));

  g_clear_pointer (&self->items, g_ptr_array_unref);
  return g_steal_pointer (&self);
}

GhImportFormat
gh_import_get_format (GhImport *self)
{
  g_return_val_if_fail (GH_IS_IMPORT (self), GH_IMPORT_FORMAT_PEM);

  return self->format;
}

/* "PKCS#12", "PEM bundle", "DER certificate", …, translated */
const char *
gh_import_get_format_name (GhImport *self)
{
  g_return_val_if_fail (GH_IS_IMPORT (self), NULL);

  return _(self->format_name);
}

/**
 * gh_import_get_certificates:
 * @self: a #GhImport
 *
 * Returns: (transfer none) (element-type GhCertificate): every certificate found,
 *   in file order, each once
 */
GPtrArray *
gh_import_get_certificates (GhImport *self)
{
  g_return_val_if_fail (GH_IS_IMPORT (self), NULL);

  return self->certificates;
}

/**
 * gh_import_get_private_keys:
 * @self: a #GhImport
 *
 * Returns: (transfer none) (element-type GhPrivateKey): every private key found,
 *   including those without a certificate (which make no entry)
 */
GPtrArray *
gh_import_get_private_keys (GhImport *self)
{
  g_return_val_if_fail (GH_IS_IMPORT (self), NULL);

  return self->private_keys;
}

/**
 * gh_import_get_entries:
 * @self: a #GhImport
 *
 * Returns: (transfer none): a #GListModel of #GhKeystoreEntry: key entries first,
 *   then trusted certificates, with the aliases a commit would give them in an
 *   empty keystore
 */
GListModel *
gh_import_get_entries (GhImport *self)
{
  g_return_val_if_fail (GH_IS_IMPORT (self), NULL);

  return G_LIST_MODEL (self->entries);
}

/**
 * gh_import_get_notes:
 * @self: a #GhImport
 *
 * Returns: (transfer none) (array zero-terminated=1): what is missing from the file
 *   or was left out, one sentence each
 */
const char * const *
gh_import_get_notes (GhImport *self)
{
  g_return_val_if_fail (GH_IS_IMPORT (self), NULL);

  return (const char * const *) self->notes->pdata;
}

/* The key entry of @keystore and the certificate of the import holding its key. */
static GhKeystoreEntry *
find_reply (GhImport       *self,
            GhKeystore     *keystore,
            GhCertificate **leaf)
{
  if (self->private_keys->len > 0)
    return NULL;

  for (guint i = 0; i < self->certificates->len; i++)
    {
      GhCertificate *certificate = g_ptr_array_index (self->certificates, i);
      GhKeystoreEntry *entry = gh_keystore_find_key_for (keystore, certificate);

      if (entry != NULL)
        {
          if (leaf != NULL)
            *leaf = certificate;
          return entry;
        }
    }

  return NULL;
}

/**
 * gh_import_find_reply_target:
 * @self: a #GhImport
 * @keystore: the keystore to import into
 *
 * A file of certificates only (no private key) is a CA's reply when one of its
 * certificates holds the public key of a key entry of @keystore.
 *
 * Returns: (transfer none) (nullable): that key entry
 */
GhKeystoreEntry *
gh_import_find_reply_target (GhImport   *self,
                             GhKeystore *keystore)
{
  g_return_val_if_fail (GH_IS_IMPORT (self), NULL);
  g_return_val_if_fail (GH_IS_KEYSTORE (keystore), NULL);

  return find_reply (self, keystore, NULL);
}

static gboolean
commit_reply (GhImport         *self,
              GhKeystore       *keystore,
              GhKeystoreEntry  *target,
              GhCertificate    *leaf,
              const char       *alias,
              GError          **error)
{
  const char *target_alias = gh_keystore_entry_get_alias (target);
  GPtrArray *old_chain = gh_keystore_entry_get_chain (target);
  g_autoptr(GPtrArray) known = gh_keystore_get_trusted_certificates (keystore);
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(GhKeystoreEntry) entry = NULL;

  if (alias != NULL && !g_str_equal (alias, target_alias))
    {
      GhKeystoreEntry *named = gh_keystore_lookup (keystore, alias);

      if (named != NULL && gh_keystore_entry_get_kind (named) == GH_KEYSTORE_ENTRY_KEY)
        g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_KEY_MISMATCH,
                     _("The certificate “%s” holds the key of “%s”, not of “%s”: import it for “%s”"),
                     gh_certificate_get_display_name (leaf), target_alias, alias, target_alias);
      else if (named != NULL)
        g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_EXISTS,
                     _("The keystore already has an entry “%s”: choose another alias, or delete that one first"),
                     alias);
      else
        g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                     _("This is the certificate authority’s reply for “%s”: import it under that alias, or without one"),
                     target_alias);
      return FALSE;
    }

  /* The issuers from the reply first, then those the entry had (a renewal from the
   * same CA often comes alone), then the keystore's trusted certificates. */
  for (guint i = 1; i < old_chain->len; i++)
    g_ptr_array_insert (known, i - 1, g_object_ref (g_ptr_array_index (old_chain, i)));
  chain = build_chain (leaf, self->certificates, known);

  entry = gh_keystore_entry_new_key (target_alias, gh_keystore_entry_get_private_key (target), chain);
  return gh_keystore_replace (keystore, entry, error);
}

static gboolean
has_trusted (GhKeystore    *keystore,
             GhCertificate *certificate)
{
  g_autoptr(GPtrArray) trusted = gh_keystore_get_trusted_certificates (keystore);

  return chain_contains (trusted, certificate);
}

static gboolean
commit_entries (GhImport    *self,
                GhKeystore  *keystore,
                const char  *alias,
                GError     **error)
{
  GListModel *entries = G_LIST_MODEL (self->entries);
  guint n = g_list_model_get_n_items (entries);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) plan = g_ptr_array_new_with_free_func (g_object_unref);
  guint added = 0;

  if (n == 0)
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                           _("A private key has no certificate: import its certificate too"));
      return FALSE;
    }

  if (alias != NULL)
    g_hash_table_add (taken, g_strdup (alias));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (entries, i);
      GhKeystoreEntryKind kind = gh_keystore_entry_get_kind (entry);
      g_autofree char *final_alias = NULL;

      /* A certificate the keystore already trusts is not added twice. */
      if (kind == GH_KEYSTORE_ENTRY_TRUSTED_CERT && !(i == 0 && alias != NULL) &&
          has_trusted (keystore, gh_keystore_entry_get_certificate (entry)))
        continue;

      if (i == 0 && alias != NULL)
        final_alias = g_strdup (alias);
      else
        final_alias = free_alias (keystore, taken, gh_keystore_entry_get_alias (entry));
      g_hash_table_add (taken, g_strdup (final_alias));

      if (g_str_equal (final_alias, gh_keystore_entry_get_alias (entry)))
        g_ptr_array_add (plan, g_steal_pointer (&entry));
      else if (kind == GH_KEYSTORE_ENTRY_KEY)
        g_ptr_array_add (plan, gh_keystore_entry_new_key (final_alias, gh_keystore_entry_get_private_key (entry),
                                                          gh_keystore_entry_get_chain (entry)));
      else
        g_ptr_array_add (plan, gh_keystore_entry_new_trusted (final_alias, gh_keystore_entry_get_certificate (entry)));
    }

  for (; added < plan->len; added++)
    {
      if (!gh_keystore_add (keystore, g_ptr_array_index (plan, added), error))
        {
          /* Not expected (the aliases were checked): undo what was added. */
          while (added-- > 0)
            gh_keystore_remove (keystore, gh_keystore_entry_get_alias (g_ptr_array_index (plan, added)), NULL);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * gh_import_commit:
 * @self: a #GhImport
 * @keystore: where to add the entries
 * @alias: (nullable): the alias of the first key entry (or of the first trusted
 *   certificate when there is no key); for a CA reply, that of the entry it is for
 * @error: return location for a #GH_PKI_ERROR
 *
 * Adds the proposed entries; aliases taken in @keystore get a number (“web-2”),
 * and certificates @keystore already trusts are not added again. A CA reply (see
 * gh_import_find_reply_target()) replaces the chain of the key entry it is for,
 * completed from the certificates that entry had and those @keystore trusts.
 * On error @keystore is unchanged.
 */
gboolean
gh_import_commit (GhImport    *self,
                  GhKeystore  *keystore,
                  const char  *alias,
                  GError     **error)
{
  GhCertificate *leaf = NULL;
  GhKeystoreEntry *target, *named;

  g_return_val_if_fail (GH_IS_IMPORT (self), FALSE);
  g_return_val_if_fail (GH_IS_KEYSTORE (keystore), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (alias != NULL && !gh_keystore_alias_is_valid (alias))
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                   _("“%s” is not a valid alias: use 1 to 255 characters, no control characters, no space at either end"),
                   alias);
      return FALSE;
    }

  target = find_reply (self, keystore, &leaf);
  if (target != NULL)
    return commit_reply (self, keystore, target, leaf, alias, error);

  named = alias != NULL ? gh_keystore_lookup (keystore, alias) : NULL;
  if (named != NULL)
    {
      if (gh_keystore_entry_get_kind (named) == GH_KEYSTORE_ENTRY_KEY && self->private_keys->len == 0)
        g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_KEY_MISMATCH,
                     _("No certificate in the file holds the public key of “%s”: this is not the certificate "
                       "authority’s reply for it. Check that the request was made from that entry"),
                     alias);
      else
        g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_EXISTS,
                     _("The keystore already has an entry “%s”: choose another alias, or delete that one first"),
                     alias);
      return FALSE;
    }

  return commit_entries (self, keystore, alias, error);
}

static void
gh_import_finalize (GObject *object)
{
  GhImport *self = GH_IMPORT (object);

  g_clear_pointer (&self->certificates, g_ptr_array_unref);
  g_clear_pointer (&self->private_keys, g_ptr_array_unref);
  g_clear_object (&self->entries);
  g_clear_pointer (&self->notes, g_ptr_array_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (gh_import_parent_class)->finalize (object);
}

static void
gh_import_class_init (GhImportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gh_import_finalize;
}

static void
gh_import_init (GhImport *self)
{
  self->certificates = g_ptr_array_new_with_free_func (g_object_unref);
  self->private_keys = g_ptr_array_new_with_free_func (g_object_unref);
  self->entries = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  self->notes = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  self->items = g_ptr_array_new_with_free_func (item_free);
  self->format_name = N_("PEM bundle");
}
