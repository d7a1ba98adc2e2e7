/* gh-keystore-pkcs12.c — the PKCS#12 backend of GhKeystore: reading and writing
 *
 * Reading verifies the MAC, decrypts the bags and turns every key and certificate
 * into an item with the friendly name and local key id its bag carries. Writing puts
 * all certificates in one encrypted bag and each key in a shrouded bag of its own, in
 * the keystore's profile (modern: PBES2 AES-256 and a SHA-256 MAC; compatible: 3DES
 * and a SHA-1 MAC, for old Java, macOS and Windows).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-keystore"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-keystore-private.h"

/* Reading */

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
          _gh_keystore_add_item (items, _gh_certificate_new_take (crt), name, key_id);
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
          _gh_keystore_add_item (items, _gh_private_key_new_take (key), name, key_id);
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

gboolean
_gh_keystore_load_pkcs12 (GhKeystore           *self,
                          const guchar         *bytes,
                          gsize                 length,
                          const char           *password,
                          GhKeystoreLoadFlags   flags,
                          GError              **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (_gh_keystore_item_free);
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

  _gh_keystore_assemble_entries (self, items);
  self->format = GH_KEYSTORE_FORMAT_PKCS12;
  self->profile = (mac == GNUTLS_MAC_SHA1) ? GH_PKCS12_PROFILE_COMPATIBLE : GH_PKCS12_PROFILE_MODERN;
  ok = TRUE;

out:
  gnutls_pkcs12_deinit (p12);
  return ok;
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

GBytes *
_gh_keystore_serialize_pkcs12 (GhKeystore  *self,
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
