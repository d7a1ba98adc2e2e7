/* gh-keystore-pem.c — the PEM bundle backend of GhKeystore: reading and writing
 *
 * OpenSSL's "Bag Attributes" lines are read and written, so aliases survive
 * `openssl pkcs12 -nodes` and back; private keys are written encrypted (PKCS#8).
 * "X509 CRL" blocks are the store's revocation lists (gh-keystore-crls.c).
 *
 * An encrypted PKCS#8 key is what a PKCS#12 shrouded key bag holds, so it is kept
 * sealed the same way (gh-sealed-key.c): a bundle of 10,000 entries lists without a
 * key derivation per key. The first encrypted key is opened at once, in place of
 * the MAC a PEM bundle does not have, so that a wrong password still fails the load.
 * A save with the same password writes sealed keys back as they were read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-keystore"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gh-der-reader.h"
#include "gh-keystore-crls.h"
#include "gh-keystore-private.h"

typedef struct {
  GPtrArray  *items;
  GPtrArray  *crls;
  const char *password;
  char       *password_box;  /* for the sealed keys (_gh_keystore_password_new()) */
  gboolean    checked;       /* an encrypted key was opened: the password is right */
  GHashTable *certificates;  /* DER → GhCertificate: a CA in 1,000 chains is read once */
} PemLoad;

/* An ENCRYPTED PRIVATE KEY block as the DER of its EncryptedPrivateKeyInfo. */
static GBytes *
pem_block_der (GBytes     *block,
               const char *label)
{
  gsize size;
  gnutls_datum_t pem, der = { NULL, 0 };
  GBytes *bytes;

  pem.data = (guchar *) g_bytes_get_data (block, &size);
  pem.size = size;
  if (gnutls_pem_base64_decode2 (label, &pem, &der) < 0)
    return NULL;
  bytes = g_bytes_new (der.data, der.size);
  gnutls_free (der.data);
  return bytes;
}

/* A block's DER when its body is plain base64 lines, decoded in one pass: GnuTLS's
 * decoder (nettle, a call per character) was a third of the time of listing a
 * bundle. A block with anything else between its BEGIN and END lines (headers, stray
 * characters) goes to GnuTLS. */
static GBytes *
pem_body_der (GBytes     *block,
              const char *label)
{
  static gint8 values[256];
  static gsize values_set = 0;
  gsize size, length = 0, tail = strlen ("\n-----END -----") + strlen (label);
  const char *text = g_bytes_get_data (block, &size);
  const char *body = memchr (text, '\n', size);
  /* The block ends with its END line (_gh_pem_foreach_block()). */
  const char *end = size > tail && text[size - tail] == '\n' ? text + size - tail : NULL;
  guint32 bits = 0;
  guint n_bits = 0, n_padding = 0;
  guchar *der;

  if (g_once_init_enter (&values_set))
    {
      static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

      memset (values, -1, sizeof values);
      for (guint i = 0; i < 64; i++)
        values[(guchar) alphabet[i]] = i;
      g_once_init_leave (&values_set, 1);
    }

  if (body == NULL || end == NULL || end < body)
    return pem_block_der (block, label);

  der = g_malloc ((end - body) / 4 * 3 + 3);
  for (const guchar *p = (const guchar *) body + 1; p < (const guchar *) end; p++)
    {
      if (*p == '\n' || *p == '\r')
        continue;
      if (*p == '=' && n_padding < 2)
        {
          n_padding++;
          continue;
        }
      if (values[*p] < 0 || n_padding > 0)
        {
          g_free (der);
          return pem_block_der (block, label);
        }
      bits = (bits << 6) | values[*p];
      n_bits += 6;
      if (n_bits >= 8)
        {
          n_bits -= 8;
          der[length++] = (bits >> n_bits) & 0xff;
        }
    }
  /* What is left over are the padding's zero bits, as many as the '=' say. */
  if (length == 0 || (bits & ((1u << n_bits) - 1)) != 0 || n_padding != (n_bits == 0 ? 0 : n_bits == 4 ? 2 : 1))
    {
      g_free (der);
      return pem_block_der (block, label);
    }
  return g_bytes_new_take (der, length);
}

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
      g_autoptr(GBytes) der = pem_body_der (block, label);
      GhCertificate *certificate = der ? g_hash_table_lookup (load->certificates, der) : NULL;

      if (certificate != NULL)
        {
          _gh_keystore_add_item (load->items, g_object_ref (certificate), name, key_id);
          return TRUE;
        }
      if (der == NULL)
        g_set_error_literal (&local_error, GH_PKI_ERROR, GH_PKI_ERROR_CORRUPT, _("not valid PEM"));
      else
        certificate = gh_certificate_new_from_der (der, &local_error);
      if (certificate == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("Certificate %u of the bundle: "), number);
          return FALSE;
        }
      g_hash_table_insert (load->certificates, g_bytes_ref (der), g_object_ref (certificate));
      _gh_keystore_add_item (load->items, certificate, name, key_id);
    }
  else if (g_str_equal (label, "ENCRYPTED PRIVATE KEY") && load->checked)
    {
      g_autoptr(GBytes) der = pem_body_der (block, label);
      GhSealedKey *sealed;

      if (der == NULL)
        {
          g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_CORRUPT, _("Private key %u of the bundle is not valid PEM"), number);
          return FALSE;
        }
      sealed = _gh_sealed_key_new (der, load->password_box, GH_SEALED_KEY_PEM);
      _gh_keystore_add_sealed_item (load->items, sealed, name, key_id);
      _gh_sealed_key_unref (sealed);
    }
  else if (g_str_has_suffix (label, "PRIVATE KEY"))
    {
      GhPrivateKey *key = gh_private_key_new_from_data (block, load->password, error);

      if (key == NULL)
        return FALSE;
      load->checked = load->checked || (g_str_equal (label, "ENCRYPTED PRIVATE KEY") && load->password != NULL);
      _gh_keystore_add_item (load->items, key, name, key_id);
    }
  else if (g_str_equal (label, "X509 CRL"))
    {
      gsize size;
      const char *data = g_bytes_get_data (block, &size);
      g_autoptr(GPtrArray) crls = gh_crl_list_from_pem (data, size, error);

      if (crls == NULL)
        return FALSE;
      g_ptr_array_extend_and_steal (load->crls, g_steal_pointer (&crls));
    }
  /* Other blocks (requests, parameters) are not keystore entries. */

  return TRUE;
}

gboolean
_gh_keystore_load_pem (GhKeystore   *self,
                       const char   *text,
                       gsize         length,
                       const char   *password,
                       GError      **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (_gh_keystore_item_free);
  g_autoptr(GPtrArray) crls = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) certificates = g_hash_table_new_full (_gh_der_bytes_hash, g_bytes_equal,
                                                              (GDestroyNotify) g_bytes_unref, g_object_unref);
  PemLoad load = { items, crls, password, _gh_keystore_password_new (password), FALSE, certificates };
  guint n_blocks = 0;
  gboolean read;

  read = _gh_pem_foreach_block (text, length, load_pem_block, &load, &n_blocks, error);
  _gh_keystore_password_unref (load.password_box);
  if (!read)
    return FALSE;

  if (n_blocks == 0)
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_UNKNOWN_FORMAT,
                           _("No PEM block found: this is neither a PEM bundle nor a PKCS#12 keystore"));
      return FALSE;
    }

  if (!_gh_keystore_assemble_entries (self, items, error))
    return FALSE;
  gh_keystore_set_crls (self, crls);
  self->format = GH_KEYSTORE_FORMAT_PEM;
  return TRUE;
}

/* @key_id: (nullable): the public key id of a key entry's key (its leaf's) */
static void
append_bag_attributes (GString         *text,
                       const char      *alias,
                       const char      *key_id)
{
  g_string_append (text, "Bag Attributes\n");
  g_string_append_printf (text, "    friendlyName: %s\n", alias);
  if (key_id != NULL)
    g_string_append_printf (text, "    localKeyID: %s\n", key_id);
}

/* A key still sealed with @password: its block as it was read, no key derivation. */
static gboolean
append_sealed_key (GString         *text,
                   GhKeystoreEntry *entry,
                   const char      *password)
{
  GhSealedKey *sealed = _gh_keystore_entry_get_sealed (entry);
  GBytes *der = sealed ? _gh_sealed_key_get_bytes_for (sealed, password, GH_SEALED_KEY_PEM) : NULL;
  gnutls_datum_t datum, pem = { NULL, 0 };
  gsize size;

  if (der == NULL)
    return FALSE;
  datum.data = (guchar *) g_bytes_get_data (der, &size);
  datum.size = size;
  if (gnutls_pem_base64_encode2 ("ENCRYPTED PRIVATE KEY", &datum, &pem) < 0)
    return FALSE;
  g_string_append_len (text, (const char *) pem.data, pem.size);
  gnutls_free (pem.data);
  return TRUE;
}

GBytes *
_gh_keystore_serialize_pem (GhKeystore  *self,
                            const char  *password,
                            GError     **error)
{
  g_autoptr(GString) text = g_string_new ("# Gatehouse keystore: a PEM bundle. Private keys are encrypted (PKCS#8, AES-256).\n");
  gsize length;

  for (guint i = 0; i < self->entries->len; i++)
    {
      GhKeystoreEntry *entry = g_ptr_array_index (self->entries, i);
      gboolean has_key = gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY;
      GPtrArray *chain = gh_keystore_entry_get_chain (entry);
      const char *alias = gh_keystore_entry_get_alias (entry);
      const char *key_id = has_key ? gh_certificate_get_public_key_id (g_ptr_array_index (chain, 0)) : NULL;

      if (has_key)
        {
          g_autoptr(GhPrivateKey) key = NULL;
          g_autoptr(GhSecret) pem = NULL;

          if (password == NULL)
            {
              g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED,
                                   _("A keystore with private keys needs a password to encrypt them"));
              return NULL;
            }
          append_bag_attributes (text, alias, key_id);
          if (!append_sealed_key (text, entry, password))
            {
              if ((key = gh_keystore_entry_load_private_key (entry, error)) == NULL ||
                  (pem = gh_private_key_export_pkcs8_pem (key, password, error)) == NULL)
                return NULL;
              g_string_append (text, pem);
            }
        }

      for (guint j = 0; j < chain->len; j++)
        {
          g_autofree char *pem = gh_certificate_to_pem (g_ptr_array_index (chain, j));

          if (j == 0)
            append_bag_attributes (text, alias, key_id);
          g_string_append (text, pem);
        }
    }

  _gh_keystore_append_crls_pem (text, self->crls);
  length = text->len;
  return g_bytes_new_take (g_string_free (g_steal_pointer (&text), FALSE), length);
}
