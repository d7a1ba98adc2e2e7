/* gh-keystore-pkcs12.c — the PKCS#12 backend of GhKeystore: reading and writing
 *
 * Reading verifies the MAC once, decrypts the certificates' SafeContents and turns
 * every certificate into an item with the friendly name and local key id its bag
 * carries; each shrouded key bag stays encrypted, as its bytes (gh-sealed-key.c),
 * paired with its certificate by those attributes. The DER and crypto are
 * gh-pkcs12-codec.c's; a file it does not read (BER, an algorithm it does not do) is
 * read as before, by GnuTLS, every key decrypted.
 *
 * Writing puts all certificates in one encrypted SafeContents (one key derivation
 * for the lot) and the keys in a plain one, each a shrouded key bag: a key still
 * sealed with the same password and profile is written back byte for byte, any
 * other is encrypted afresh (its own salt). Friendly names are BMPStrings, and each
 * key entry's local key id is its own. Bags that are no entry (CRLs, secrets, bags of
 * types yet unknown) are kept as read and written back with the certificates (the
 * GnuTLS path still drops them). The profile is the keystore's (modern: PBES2
 * AES-256 and a SHA-256 MAC; compatible: 3DES and a SHA-1 MAC, for old Java, macOS
 * and Windows).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-keystore"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gh-der-reader.h"
#include "gh-keystore-private.h"
#include "gh-pkcs12-private.h"

/* Reading */

/* 0 when @password is the MAC's, GNUTLS_E_MAC_VERIFY_FAILED when it is not, another
 * error when the MAC cannot be checked. */
typedef int (*MacCheckFunc) (gconstpointer  data,
                             const char    *password);

static int
check_gnutls_mac (gconstpointer  data,
                  const char    *password)
{
  int ret = gnutls_pkcs12_verify_mac ((gnutls_pkcs12_t) data, password);

  return ret >= 0 ? 0 : ret;
}

/* Returns 0, or an error with @error set. */
static int
verify_mac (MacCheckFunc     check,
            gconstpointer    data,
            const char      *password,
            const char     **effective,
            GError         **error)
{
  int ret = check (data, password);

  if (ret == 0)
    {
      *effective = password;
      return 0;
    }

  if (ret == GNUTLS_E_MAC_VERIFY_FAILED)
    {
      /* An empty password and no password are different keys: try the other one,
       * so that a user who typed nothing is not told the password is wrong. */
      if (password == NULL || *password == '\0')
        {
          const char *other = password == NULL ? "" : NULL;

          if (check (data, other) == 0)
            {
              *effective = other;
              return 0;
            }

          g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED,
                               _("The keystore is protected by a password: give it"));
          return ret;
        }

      if (check (data, "") == 0 || check (data, NULL) == 0)
        {
          g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_EMPTY_PASSWORD,
                               _("The keystore’s password is empty, not the one given: open it without a password"));
          return ret;
        }

      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_WRONG_PASSWORD,
                           _("The keystore password is wrong"));
      return ret;
    }

  _gh_pki_set_gnutls_error (error, ret, _("Could not check the keystore’s integrity"));
  return ret;
}

static gboolean
set_decryption_error (GError     **error,
                      const char  *effective)
{
  g_set_error_literal (error, GH_PKI_ERROR,
                       effective == NULL ? GH_PKI_ERROR_PASSWORD_REQUIRED : GH_PKI_ERROR_WRONG_PASSWORD,
                       effective == NULL ? _("The keystore is encrypted: give its password")
                                         : _("The keystore password is wrong"));
  return FALSE;
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
              return _gh_keystore_set_key_error (error, ret);
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

/* The whole file through GnuTLS, every key decrypted: for what the lazy reader does
 * not read. */
static gboolean
load_eager (GhKeystore           *self,
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
  else if (verify_mac (check_gnutls_mac, p12, password, &effective, error) != 0)
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
              set_decryption_error (error, effective);
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

  if (!_gh_keystore_assemble_entries (self, items, error))
    goto out;
  self->format = GH_KEYSTORE_FORMAT_PKCS12;
  self->profile = (mac == GNUTLS_MAC_SHA1) ? GH_PKCS12_PROFILE_COMPATIBLE : GH_PKCS12_PROFILE_MODERN;
  ok = TRUE;

out:
  gnutls_pkcs12_deinit (p12);
  return ok;
}

/* The lazy reader */

typedef enum {
  LAZY_DONE,
  LAZY_FAILED,       /* with the error set */
  LAZY_NOT_HANDLED,  /* a file for load_eager() */
} LazyResult;

typedef struct {
  GPtrArray       *items;
  char            *password;      /* the keys' (a _gh_keystore_password_new() box) */
  GhPkcs12Profile  profile;
  GHashTable      *certificates;  /* DER → GhCertificate: a CA in 1,000 chains is read once */
  GPtrArray       *kept_bags;     /* of GBytes: the SafeBags that are no entry's */
} LazyLoad;

static gboolean
read_attributes (GhDer  *attributes,
                 char  **name,
                 char  **key_id)
{
  while (attributes->size > 0)
    {
      GhDer attribute, oid, values, value;

      if (!_gh_der_read_tag (attributes, 0x30, &attribute) ||
          !_gh_der_read_tag (&attribute, 0x06, &oid) ||
          !_gh_der_read_tag (&attribute, 0x31, &values))
        return FALSE;

      if (_GH_DER_IS (&oid, GH_OID_FRIENDLY_NAME) && *name == NULL)
        {
          if (!_gh_der_read_tag (&values, 0x1e, &value))
            return FALSE;
          /* A name that is no text is no alias: the entry is named after its certificate. */
          *name = _gh_bmp_to_utf8 (value.data, value.size);
        }
      else if (_GH_DER_IS (&oid, GH_OID_LOCAL_KEY_ID) && *key_id == NULL)
        {
          if (!_gh_der_read_tag (&values, 0x04, &value))
            return FALSE;
          if (value.size > 0)
            *key_id = _gh_pki_hex (value.data, value.size, FALSE);
        }
    }

  return TRUE;
}

static LazyResult
read_cert_bag (LazyLoad     *load,
               GhDerTlv     *value,
               const char   *name,
               const char   *key_id,
               GError      **error)
{
  GhDer bag = value->value, oid, wrapped, der;
  g_autoptr(GBytes) key = NULL;
  GhCertificate *certificate;
  int ret;

  if (value->tag != 0x30 ||
      !_gh_der_read_tag (&bag, 0x06, &oid) ||
      !_gh_der_read_tag (&bag, 0xa0, &wrapped))
    return LAZY_NOT_HANDLED;
  /* SDSI certificates are not X.509 ones: no entry of ours. */
  if (!_GH_DER_IS (&oid, GH_OID_X509_CERTIFICATE))
    return LAZY_DONE;
  if (!_gh_der_read_tag (&wrapped, 0x04, &der))
    return LAZY_NOT_HANDLED;

  key = g_bytes_new_static (der.data, der.size);
  if ((certificate = g_hash_table_lookup (load->certificates, key)) != NULL)
    {
      _gh_keystore_add_item (load->items, g_object_ref (certificate), name, key_id);
      return LAZY_DONE;
    }

  certificate = _gh_certificate_new_from_der_data (der.data, der.size, &ret);
  if (certificate == NULL)
    {
      _gh_pki_set_gnutls_error (error, ret, _("A certificate in the keystore is broken"));
      return LAZY_FAILED;
    }
  g_hash_table_insert (load->certificates, g_bytes_ref (gh_certificate_get_der (certificate)), certificate);
  _gh_keystore_add_item (load->items, g_object_ref (certificate), name, key_id);
  return LAZY_DONE;
}

static LazyResult
read_key_bag (LazyLoad     *load,
              GhDerTlv     *value,
              gboolean      shrouded,
              const char   *name,
              const char   *key_id,
              GError      **error)
{
  g_autoptr(GBytes) der = NULL;
  GhSealedKey *sealed;
  gnutls_x509_privkey_t key = NULL;
  gnutls_datum_t datum;
  int ret;

  if (value->tag != 0x30)
    return LAZY_NOT_HANDLED;

  if (shrouded)
    {
      der = g_bytes_new (value->start, value->total);
      sealed = _gh_sealed_key_new (der, load->password, load->profile);
      _gh_keystore_add_sealed_item (load->items, sealed, name, key_id);
      _gh_sealed_key_unref (sealed);
      return LAZY_DONE;
    }

  /* A plain key costs nothing to read. */
  datum = (gnutls_datum_t) { (guchar *) value->start, value->total };
  if ((ret = gnutls_x509_privkey_init (&key)) < 0 ||
      (ret = gnutls_x509_privkey_import_pkcs8 (key, &datum, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN)) < 0)
    {
      g_clear_pointer (&key, gnutls_x509_privkey_deinit);
      _gh_pki_set_gnutls_error (error, ret, _("A private key in the keystore cannot be read"));
      return LAZY_FAILED;
    }
  _gh_keystore_add_item (load->items, _gh_private_key_new_take (key), name, key_id);
  return LAZY_DONE;
}

static LazyResult
read_safe_contents (LazyLoad  *load,
                    GhDer      contents,
                    GError   **error)
{
  GhDer bags;

  if (!_gh_der_read_tag (&contents, 0x30, &bags))
    return LAZY_NOT_HANDLED;

  while (bags.size > 0)
    {
      g_autofree char *name = NULL;
      g_autofree char *key_id = NULL;
      GhDer bag, oid, wrapped, attributes;
      GhDerTlv value, whole;
      LazyResult result = LAZY_DONE;

      if (!_gh_der_read (&bags, &whole) || whole.tag != 0x30)
        return LAZY_NOT_HANDLED;
      bag = whole.value;
      if (!_gh_der_read_tag (&bag, 0x06, &oid) ||
          !_gh_der_read_tag (&bag, 0xa0, &wrapped) ||
          !_gh_der_read (&wrapped, &value))
        return LAZY_NOT_HANDLED;
      if (bag.size > 0 &&
          (!_gh_der_read_tag (&bag, 0x31, &attributes) || !read_attributes (&attributes, &name, &key_id)))
        return LAZY_NOT_HANDLED;

      if (_GH_DER_IS (&oid, GH_OID_CERT_BAG))
        result = read_cert_bag (load, &value, name, key_id, error);
      else if (_GH_DER_IS (&oid, GH_OID_SHROUDED_KEY_BAG))
        result = read_key_bag (load, &value, TRUE, name, key_id, error);
      else if (_GH_DER_IS (&oid, GH_OID_KEY_BAG))
        result = read_key_bag (load, &value, FALSE, name, key_id, error);
      else if (oid.size == sizeof GH_OID_CERT_BAG && memcmp (oid.data, GH_OID_CERT_BAG, oid.size - 1) == 0 &&
               oid.data[oid.size - 1] == 0x06)
        result = LAZY_NOT_HANDLED;  /* a nested SafeContents */
      else
        /* CRLs, secrets and bags yet unknown are no entries: kept as they are, and
         * written back with the certificates. */
        g_ptr_array_add (load->kept_bags, g_bytes_new (whole.start, whole.total));

      if (result != LAZY_DONE)
        return result;
    }

  return LAZY_DONE;
}

static LazyResult
read_encrypted_data (LazyLoad     *load,
                     GhDer         wrapped,
                     const char   *password,
                     GError      **error)
{
  g_autoptr(GBytes) plain = NULL;
  GhDer data, info, type, ciphertext, algorithm;
  GhDerTlv algorithm_tlv;
  guint64 version;
  gboolean unsupported = FALSE;
  gsize size = 0;
  const guchar *bytes;

  if (!_gh_der_read_tag (&wrapped, 0x30, &data) ||
      !_gh_der_read_uint (&data, &version) ||
      !_gh_der_read_tag (&data, 0x30, &info) ||
      !_gh_der_read_tag (&info, 0x06, &type) ||
      !_gh_der_read (&info, &algorithm_tlv) || algorithm_tlv.tag != 0x30 ||
      !_gh_der_read_tag (&info, 0x80, &ciphertext))
    return LAZY_NOT_HANDLED;

  algorithm = (GhDer) { algorithm_tlv.start, algorithm_tlv.total };
  plain = _gh_pkcs12_decrypt (&algorithm, &ciphertext, password, &unsupported);
  if (plain == NULL)
    {
      if (unsupported)
        return LAZY_NOT_HANDLED;
      set_decryption_error (error, password);
      return LAZY_FAILED;
    }

  bytes = g_bytes_get_data (plain, &size);
  return read_safe_contents (load, (GhDer) { bytes, size }, error);
}

static int
check_lazy_mac (gconstpointer  data,
                const char    *password)
{
  const GhDer *pieces = data;  /* the MacData, the AuthenticatedSafe */
  gboolean unsupported = FALSE;

  if (_gh_pkcs12_check_mac (&pieces[0], &pieces[1], password, &unsupported))
    return 0;
  return unsupported ? GNUTLS_E_UNKNOWN_HASH_ALGORITHM : GNUTLS_E_MAC_VERIFY_FAILED;
}

static LazyResult
load_lazy (GhKeystore           *self,
           const guchar         *bytes,
           gsize                 length,
           const char           *password,
           GhKeystoreLoadFlags   flags,
           GError              **error)
{
  static const guchar sha1[] = { 0x2b, 0x0e, 0x03, 0x02, 0x1a };
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (_gh_keystore_item_free);
  GhDer in = { bytes, length }, pfx, auth, type, wrapped, safe, contents;
  GhDer pieces[2];  /* the MacData, the AuthenticatedSafe */
  GhDerTlv mac;
  const char *effective = password;
  g_autoptr(GHashTable) certificates = g_hash_table_new_full (_gh_der_bytes_hash, g_bytes_equal,
                                                             (GDestroyNotify) g_bytes_unref, g_object_unref);
  g_autoptr(GPtrArray) kept_bags = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  LazyLoad load = { items, NULL, GH_PKCS12_PROFILE_MODERN, certificates, kept_bags };
  LazyResult result = LAZY_DONE;
  guint64 version;

  if (!_gh_der_read_tag (&in, 0x30, &pfx) ||
      !_gh_der_read_uint (&pfx, &version) ||
      !_gh_der_read_tag (&pfx, 0x30, &auth) ||
      !_gh_der_read_tag (&auth, 0x06, &type) || !_GH_DER_IS (&type, GH_OID_DATA) ||
      !_gh_der_read_tag (&auth, 0xa0, &wrapped) ||
      !_gh_der_read_tag (&wrapped, 0x04, &safe))
    return LAZY_NOT_HANDLED;

  if (pfx.size == 0)
    {
      if (!(flags & GH_KEYSTORE_LOAD_ALLOW_NO_MAC))
        {
          g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_NO_MAC,
                               _("The keystore has no integrity protection (no MAC): anyone could have changed it. "
                                 "Open it only if you trust where it came from"));
          return LAZY_FAILED;
        }
    }
  else
    {
      GhDer seq, digest_info, algorithm, oid;
      int ret;

      if (!_gh_der_read (&pfx, &mac) || mac.tag != 0x30)
        return LAZY_NOT_HANDLED;
      pieces[0] = (GhDer) { mac.start, mac.total };
      pieces[1] = safe;
      ret = verify_mac (check_lazy_mac, pieces, password, &effective, error);
      if (ret == GNUTLS_E_UNKNOWN_HASH_ALGORITHM)
        {
          g_clear_error (error);
          return LAZY_NOT_HANDLED;
        }
      if (ret != 0)
        return LAZY_FAILED;

      seq = mac.value;
      if (_gh_der_read_tag (&seq, 0x30, &digest_info) && _gh_der_read_tag (&digest_info, 0x30, &algorithm) &&
          _gh_der_read_tag (&algorithm, 0x06, &oid) && _GH_DER_IS (&oid, sha1))
        load.profile = GH_PKCS12_PROFILE_COMPATIBLE;
    }

  load.password = _gh_keystore_password_new (effective);
  if (!_gh_der_read_tag (&safe, 0x30, &contents))
    result = LAZY_NOT_HANDLED;
  while (result == LAZY_DONE && contents.size > 0)
    {
      GhDer info, content_type, content, octets;

      if (!_gh_der_read_tag (&contents, 0x30, &info) ||
          !_gh_der_read_tag (&info, 0x06, &content_type) ||
          !_gh_der_read_tag (&info, 0xa0, &content))
        result = LAZY_NOT_HANDLED;
      else if (_GH_DER_IS (&content_type, GH_OID_DATA))
        result = _gh_der_read_tag (&content, 0x04, &octets) ? read_safe_contents (&load, octets, error)
                                                             : LAZY_NOT_HANDLED;
      else if (_GH_DER_IS (&content_type, GH_OID_ENCRYPTED_DATA))
        result = read_encrypted_data (&load, content, effective, error);
      else
        result = LAZY_NOT_HANDLED;  /* EnvelopedData: public-key protection */
    }
  _gh_keystore_password_unref (load.password);
  if (result != LAZY_DONE)
    return result;

  if (!_gh_keystore_assemble_entries (self, items, error))
    return LAZY_FAILED;
  self->format = GH_KEYSTORE_FORMAT_PKCS12;
  self->profile = load.profile;
  g_ptr_array_extend_and_steal (self->kept_bags, g_steal_pointer (&kept_bags));
  return LAZY_DONE;
}

gboolean
_gh_keystore_load_pkcs12 (GhKeystore           *self,
                          const guchar         *bytes,
                          gsize                 length,
                          const char           *password,
                          GhKeystoreLoadFlags   flags,
                          GError              **error)
{
  if (der_sequence_size (bytes, length) > length)
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_TRUNCATED,
                           _("The keystore file is truncated: it ends before its content does"));
      return FALSE;
    }

  switch (load_lazy (self, bytes, length, password, flags, error))
    {
    case LAZY_DONE:
      return TRUE;
    case LAZY_FAILED:
      return FALSE;
    case LAZY_NOT_HANDLED:
    default:
      g_debug ("The keystore is read by GnuTLS, every key decrypted");
      return load_eager (self, bytes, length, password, flags, error);
    }
}

/* Writing */

static void
append_attribute (GByteArray   *out,
                  const guchar *oid,
                  gsize         oid_size,
                  guchar        tag,
                  const guchar *value,
                  gsize         size)
{
  gsize attribute = _gh_der_begin (out), values;

  _gh_der_append (out, 0x06, oid, oid_size);
  values = _gh_der_begin (out);
  _gh_der_append (out, tag, value, size);
  _gh_der_end (out, 0x31, values);
  _gh_der_end (out, 0x30, attribute);
}

/* The bag's attributes: its friendly name (a BMPString), its local key id, and for a
 * trusted certificate the attribute Java's keytool wants to list it as one. */
static void
append_attributes (GByteArray   *out,
                   const char   *alias,
                   const guchar *key_id,
                   gboolean      trusted)
{
  gsize set = _gh_der_begin (out);

  if (alias != NULL)
    {
      g_autofree guchar *bmp = NULL;
      gsize size = 0;

      /* An alias is valid UTF-8 (gh_keystore_alias_is_valid()). */
      bmp = _gh_utf8_to_bmp (alias, &size);
      append_attribute (out, GH_OID_FRIENDLY_NAME, sizeof GH_OID_FRIENDLY_NAME, 0x1e, bmp, size);
    }
  if (key_id != NULL)
    append_attribute (out, GH_OID_LOCAL_KEY_ID, sizeof GH_OID_LOCAL_KEY_ID, 0x04, key_id, 20);
  if (trusted)
    append_attribute (out, GH_OID_JAVA_TRUSTED_KEY_USAGE, sizeof GH_OID_JAVA_TRUSTED_KEY_USAGE,
                      0x06, GH_OID_ANY_EXTENDED_KEY_USAGE, sizeof GH_OID_ANY_EXTENDED_KEY_USAGE);
  if (out->len > set)
    _gh_der_end (out, 0x31, set);
}

static void
append_cert_bag (GByteArray    *out,
                 GhCertificate *certificate,
                 const char    *alias,
                 const guchar  *key_id,
                 gboolean       trusted)
{
  GBytes *der = gh_certificate_get_der (certificate);
  gsize bag = _gh_der_begin (out), wrapped, value, inner;
  gsize size = 0;
  const guchar *data = g_bytes_get_data (der, &size);

  _gh_der_append (out, 0x06, GH_OID_CERT_BAG, sizeof GH_OID_CERT_BAG);
  wrapped = _gh_der_begin (out);
  value = _gh_der_begin (out);
  _gh_der_append (out, 0x06, GH_OID_X509_CERTIFICATE, sizeof GH_OID_X509_CERTIFICATE);
  inner = _gh_der_begin (out);
  _gh_der_append (out, 0x04, data, size);
  _gh_der_end (out, 0xa0, inner);
  _gh_der_end (out, 0x30, value);
  _gh_der_end (out, 0xa0, wrapped);
  append_attributes (out, alias, key_id, trusted);
  _gh_der_end (out, 0x30, bag);
}

/* The shrouded key bag of @entry: its sealed bytes when they are encrypted with
 * @password in the keystore's profile, else the key encrypted afresh. */
static gboolean
append_key_bag (GhKeystore       *self,
                GByteArray       *out,
                GhKeystoreEntry  *entry,
                const guchar     *key_id,
                const char       *password,
                GError          **error)
{
  GhSealedKey *sealed = _gh_keystore_entry_get_sealed (entry);
  GBytes *kept = sealed != NULL ? _gh_sealed_key_get_bytes_for (sealed, password, self->profile) : NULL;
  gnutls_datum_t pkcs8 = { NULL, 0 };
  gsize bag, wrapped, size = 0;
  const guchar *data;

  if (kept != NULL)
    {
      data = g_bytes_get_data (kept, &size);
    }
  else
    {
      g_autoptr(GhPrivateKey) key = gh_keystore_entry_load_private_key (entry, error);
      unsigned int flags = self->profile == GH_PKCS12_PROFILE_MODERN ? GNUTLS_PKCS_PBES2_AES_256
                                                                     : GNUTLS_PKCS_PKCS12_3DES;
      int ret;

      if (key == NULL)
        return FALSE;
      ret = gnutls_x509_privkey_export2_pkcs8 (_gh_private_key_get_gnutls (key), GNUTLS_X509_FMT_DER,
                                               password, flags, &pkcs8);
      if (ret < 0)
        return _gh_pki_set_gnutls_error (error, ret, _("Could not write the keystore"));
      data = pkcs8.data;
      size = pkcs8.size;
    }

  bag = _gh_der_begin (out);
  _gh_der_append (out, 0x06, GH_OID_SHROUDED_KEY_BAG, sizeof GH_OID_SHROUDED_KEY_BAG);
  wrapped = _gh_der_begin (out);
  g_byte_array_append (out, data, size);
  _gh_der_end (out, 0xa0, wrapped);
  append_attributes (out, gh_keystore_entry_get_alias (entry), key_id, FALSE);
  _gh_der_end (out, 0x30, bag);

  if (pkcs8.data != NULL)
    {
      gnutls_memset (pkcs8.data, 0, pkcs8.size);
      gnutls_free (pkcs8.data);
    }
  return TRUE;
}

/* Each key entry's local key id: the SHA-1 of its leaf, or, when another entry has
 * the same leaf (one key under two aliases), of the leaf and the alias. */
static void
entry_key_id (GhKeystoreEntry *entry,
              GHashTable      *taken,
              guchar           id[20])
{
  GBytes *der = gh_certificate_get_der (gh_keystore_entry_get_certificate (entry));
  const char *alias = gh_keystore_entry_get_alias (entry);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  char *hex;
  gsize size = 20;

  g_checksum_update (checksum, g_bytes_get_data (der, NULL), g_bytes_get_size (der));
  g_checksum_get_digest (checksum, id, &size);
  hex = _gh_pki_hex (id, 20, FALSE);
  if (g_hash_table_contains (taken, hex))
    {
      g_autoptr(GChecksum) again = g_checksum_new (G_CHECKSUM_SHA1);

      g_checksum_update (again, g_bytes_get_data (der, NULL), g_bytes_get_size (der));
      g_checksum_update (again, (const guchar *) alias, strlen (alias));
      size = 20;
      g_checksum_get_digest (again, id, &size);
      g_free (hex);
      hex = _gh_pki_hex (id, 20, FALSE);
    }
  g_hash_table_add (taken, hex);
}

/* ContentInfo { @type, [0] EXPLICIT the content } around what is written from
 * @start on. */
static void
end_content_info (GByteArray   *out,
                  const guchar *type,
                  gsize         type_size,
                  gsize         start)
{
  g_autoptr(GByteArray) head = g_byte_array_new ();

  _gh_der_end (out, 0xa0, start);
  _gh_der_append (head, 0x06, type, type_size);
  g_byte_array_set_size (out, out->len + head->len);
  memmove (out->data + start + head->len, out->data + start, out->len - start - head->len);
  memcpy (out->data + start, head->data, head->len);
  _gh_der_end (out, 0x30, start);
}

GBytes *
_gh_keystore_serialize_pkcs12 (GhKeystore  *self,
                               const char  *password,
                               GError     **error)
{
  g_autoptr(GByteArray) certs = g_byte_array_new ();
  g_autoptr(GByteArray) keys = g_byte_array_new ();
  g_autoptr(GByteArray) safe = g_byte_array_new ();
  g_autoptr(GByteArray) pfx = g_byte_array_new ();
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean modern = self->profile == GH_PKCS12_PROFILE_MODERN;
  gsize start, data;

  if (password == NULL)
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED,
                           _("A PKCS#12 keystore needs a password"));
      return NULL;
    }

  /* The certificates first, as readers expect; then the keys. */
  for (guint i = 0; i < self->entries->len; i++)
    {
      GhKeystoreEntry *entry = g_ptr_array_index (self->entries, i);
      GPtrArray *chain = gh_keystore_entry_get_chain (entry);
      const char *alias = gh_keystore_entry_get_alias (entry);
      guchar id[20];

      if (gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_TRUSTED_CERT)
        {
          append_cert_bag (certs, gh_keystore_entry_get_certificate (entry), alias, NULL, TRUE);
          continue;
        }

      entry_key_id (entry, taken, id);
      for (guint j = 0; j < chain->len; j++)
        append_cert_bag (certs, g_ptr_array_index (chain, j), j == 0 ? alias : NULL, j == 0 ? id : NULL, FALSE);
      if (!append_key_bag (self, keys, entry, id, password, error))
        return NULL;
    }

  for (guint i = 0; i < self->kept_bags->len; i++)
    {
      GBytes *bag = g_ptr_array_index (self->kept_bags, i);

      g_byte_array_append (certs, g_bytes_get_data (bag, NULL), g_bytes_get_size (bag));
    }

  /* AuthenticatedSafe: the certificates encrypted, the (shrouded) keys not. */
  start = _gh_der_begin (safe);
  if (certs->len > 0)
    {
      gsize info = _gh_der_begin (safe), encrypted_data, content_info;

      _gh_der_end (certs, 0x30, 0);
      encrypted_data = _gh_der_begin (safe);
      _gh_der_append_uint (safe, 0);
      content_info = _gh_der_begin (safe);
      _gh_der_append (safe, 0x06, GH_OID_DATA, sizeof GH_OID_DATA);
      if (!_gh_pkcs12_encrypt (safe, certs->data, certs->len, password, modern, 0x80))
        {
          g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_FAILED, _("Could not write the keystore"));
          return NULL;
        }
      _gh_der_end (safe, 0x30, content_info);
      _gh_der_end (safe, 0x30, encrypted_data);
      end_content_info (safe, GH_OID_ENCRYPTED_DATA, sizeof GH_OID_ENCRYPTED_DATA, info);
    }
  if (keys->len > 0)
    {
      gsize info = _gh_der_begin (safe);

      _gh_der_end (keys, 0x30, 0);
      _gh_der_append (safe, 0x04, keys->data, keys->len);
      end_content_info (safe, GH_OID_DATA, sizeof GH_OID_DATA, info);
    }
  _gh_der_end (safe, 0x30, start);

  /* PFX { version 3, authSafe, macData } */
  _gh_der_append_uint (pfx, 3);
  data = _gh_der_begin (pfx);
  _gh_der_append (pfx, 0x04, safe->data, safe->len);
  end_content_info (pfx, GH_OID_DATA, sizeof GH_OID_DATA, data);
  if (!_gh_pkcs12_append_mac (pfx, safe->data, safe->len, password, modern))
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_FAILED, _("Could not write the keystore"));
      return NULL;
    }
  _gh_der_end (pfx, 0x30, 0);

  return g_byte_array_free_to_bytes (g_steal_pointer (&pfx));
}

