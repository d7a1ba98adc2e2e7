/* gh-import-read.c — what a file holds, told by its content
 *
 * PEM text of any number of blocks in any order, or one DER structure whose first two
 * elements say what it is (a certificate, a PKCS#1/SEC1/PKCS#8 key, an encrypted
 * PKCS#8 key, PKCS#7 or PKCS#12). Every certificate and key found becomes an item of
 * the import; what is left out (requests, CRLs, parameters) becomes a note.
 *
 * PKCS#12 is read by the keystore itself (gh_keystore_new_from_bytes()), so a file
 * previews exactly as it opens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-import"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-import-private.h"

/* DER */

typedef struct {
  guint8        tag;
  const guchar *content;
  gsize         length;  /* of the content; what is left when the length is indefinite */
  gsize         size;    /* header and content; 0 when the length is indefinite (BER) */
} Tlv;

static gboolean
read_tlv (const guchar *bytes,
          gsize         available,
          Tlv          *tlv)
{
  gsize header = 2, length = 0;

  if (available < 2 || (bytes[0] & 0x1f) == 0x1f)
    return FALSE;

  tlv->tag = bytes[0];
  if (bytes[1] < 0x80)
    {
      length = bytes[1];
    }
  else if (bytes[1] == 0x80)
    {
      tlv->content = bytes + 2;
      tlv->length = available - 2;
      tlv->size = 0;
      return TRUE;
    }
  else
    {
      guint n = bytes[1] & 0x7f;

      if (n > 4 || available < 2 + n)
        return FALSE;
      for (guint i = 0; i < n; i++)
        length = (length << 8) | bytes[2 + i];
      header = 2 + n;
    }

  tlv->content = bytes + header;
  tlv->size = header + length;
  tlv->length = MIN (length, available - header);
  return TRUE;
}

typedef enum {
  DER_UNKNOWN,
  DER_SIGNED,              /* certificate, certificate request or CRL */
  DER_PRIVATE_KEY,         /* PKCS#1 RSA, SEC1 EC, DSA */
  DER_PKCS8,
  DER_ENCRYPTED_PKCS8,
  DER_PKCS7,
  DER_PKCS12,
} DerKind;

/* What a DER structure is, from its first two elements. */
static DerKind
classify_der (const guchar *bytes,
              gsize         length)
{
  Tlv outer, first, second;

  if (!read_tlv (bytes, length, &outer) || outer.tag != 0x30 ||
      !read_tlv (outer.content, outer.length, &first))
    return DER_UNKNOWN;

  if (first.tag == 0x06)
    return DER_PKCS7;  /* a ContentInfo */

  if (first.size == 0 || first.size >= outer.length ||
      !read_tlv (outer.content + first.size, outer.length - first.size, &second))
    return DER_UNKNOWN;

  if (first.tag == 0x02)
    {
      if (second.tag == 0x30)
        return (first.length == 1 && first.content[0] == 3) ? DER_PKCS12 : DER_PKCS8;
      if (second.tag == 0x02 || second.tag == 0x04)
        return DER_PRIVATE_KEY;
    }
  else if (first.tag == 0x30)
    {
      if (second.tag == 0x04)
        return DER_ENCRYPTED_PKCS8;
      if (second.tag == 0x30)
        return DER_SIGNED;
    }

  return DER_UNKNOWN;
}

static gboolean
set_truncated (GError **error)
{
  g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_TRUNCATED,
                       _("The file is truncated: it ends before its content does. Get the whole file again"));
  return FALSE;
}

static gboolean
set_corrupt (GError     **error,
             const char  *what,
             int          code)
{
  g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_CORRUPT,
               _("%s is corrupt (%s): get the file again from where it came"), what, gnutls_strerror (code));
  return FALSE;
}

gboolean
_gh_import_set_request_alone (GError **error)
{
  g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_UNKNOWN_FORMAT,
                       _("This is a certificate request, not a certificate: send it to your certificate authority, "
                         "then import the certificate it returns"));
  return FALSE;
}

static gboolean
read_pkcs7 (GhImport      *self,
            const guchar  *bytes,
            gsize          length,
            GError       **error)
{
  gnutls_pkcs7_t p7 = NULL;
  gnutls_datum_t datum = { (guchar *) bytes, length };
  gboolean ok = FALSE;
  int ret, count;

  if ((ret = gnutls_pkcs7_init (&p7)) < 0)
    return _gh_pki_set_gnutls_error (error, ret, _("Could not read the PKCS#7 file"));

  if ((ret = gnutls_pkcs7_import (p7, &datum, GNUTLS_X509_FMT_DER)) < 0)
    {
      if (ret == GNUTLS_E_ASN1_DER_OVERFLOW)
        set_truncated (error);
      else
        set_corrupt (error, _("The PKCS#7 file"), ret);
      goto out;
    }

  count = gnutls_pkcs7_get_crt_count (p7);
  for (int i = 0; i < count; i++)
    {
      gnutls_datum_t der = { NULL, 0 };
      g_autoptr(GBytes) der_bytes = NULL;
      g_autoptr(GError) local_error = NULL;
      GhCertificate *certificate;

      if ((ret = gnutls_pkcs7_get_crt_raw2 (p7, i, &der)) < 0)
        {
          set_corrupt (error, _("The PKCS#7 file"), ret);
          goto out;
        }
      der_bytes = g_bytes_new (der.data, der.size);
      gnutls_free (der.data);

      certificate = gh_certificate_new_from_der (der_bytes, &local_error);
      if (certificate == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("Certificate %d of the PKCS#7 file: "), i + 1);
          goto out;
        }
      _gh_import_add_item (self, certificate, NULL, NULL);
    }

  count = gnutls_pkcs7_get_crl_count (p7);
  if (count > 0)
    self->n_crls += count;

  ok = TRUE;

out:
  gnutls_pkcs7_deinit (p7);
  return ok;
}

/* A key given as DER: plain keys never get the password, encrypted ones need it. */
static GhPrivateKey *
read_der_key (const guchar  *bytes,
              gsize          length,
              gboolean       encrypted,
              const char    *password,
              GError       **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_datum_t datum = { (guchar *) bytes, length };
  int ret;

  if (encrypted && password == NULL)
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED,
                           _("The private key is encrypted: give its password"));
      return NULL;
    }

  if ((ret = gnutls_x509_privkey_init (&key)) < 0)
    {
      _gh_pki_set_gnutls_error (error, ret, _("Could not read the private key"));
      return NULL;
    }

  if (encrypted)
    ret = gnutls_x509_privkey_import_pkcs8 (key, &datum, GNUTLS_X509_FMT_DER, password, 0);
  else
    ret = gnutls_x509_privkey_import2 (key, &datum, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN);

  if (ret < 0)
    {
      gnutls_x509_privkey_deinit (key);
      if (ret == GNUTLS_E_DECRYPTION_FAILED)
        g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_WRONG_PASSWORD,
                             _("The password of the private key is wrong"));
      else if (ret == GNUTLS_E_ASN1_DER_OVERFLOW)
        set_truncated (error);
      else if (ret == GNUTLS_E_UNKNOWN_CIPHER_TYPE || ret == GNUTLS_E_UNSUPPORTED_ENCRYPTION_ALGORITHM ||
               ret == GNUTLS_E_UNKNOWN_PK_ALGORITHM || ret == GNUTLS_E_UNKNOWN_ALGORITHM ||
               ret == GNUTLS_E_UNKNOWN_HASH_ALGORITHM || ret == GNUTLS_E_ECC_UNSUPPORTED_CURVE)
        _gh_pki_set_gnutls_error (error, ret, _("The private key uses an algorithm Gatehouse cannot read"));
      else
        set_corrupt (error, _("The private key"), ret);
      return NULL;
    }

  return _gh_private_key_new_take (key);
}

static gboolean
read_signed (GhImport      *self,
             const guchar  *bytes,
             gsize          length,
             GError       **error)
{
  gnutls_datum_t datum = { (guchar *) bytes, length };
  gnutls_x509_crt_t crt = NULL;
  gnutls_x509_crq_t crq = NULL;
  gnutls_x509_crl_t crl = NULL;
  int ret, crt_ret;

  if ((ret = gnutls_x509_crt_init (&crt)) < 0)
    return _gh_pki_set_gnutls_error (error, ret, _("Could not read the certificate"));

  crt_ret = gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER);
  if (crt_ret >= 0)
    {
      _gh_import_add_item (self, _gh_certificate_new_take (crt), NULL, NULL);
      return TRUE;
    }
  gnutls_x509_crt_deinit (crt);

  if (gnutls_x509_crq_init (&crq) >= 0)
    {
      ret = gnutls_x509_crq_import (crq, &datum, GNUTLS_X509_FMT_DER);
      gnutls_x509_crq_deinit (crq);
      if (ret >= 0)
        {
          self->n_requests++;
          return TRUE;
        }
    }

  if (gnutls_x509_crl_init (&crl) >= 0)
    {
      ret = gnutls_x509_crl_import (crl, &datum, GNUTLS_X509_FMT_DER);
      gnutls_x509_crl_deinit (crl);
      if (ret >= 0)
        {
          self->n_crls++;
          return TRUE;
        }
    }

  if (crt_ret == GNUTLS_E_ASN1_DER_OVERFLOW)
    return set_truncated (error);

  return set_corrupt (error, _("The certificate"), crt_ret);
}

static gboolean
read_pkcs12 (GhImport      *self,
             GBytes        *data,
             const char    *password,
             GError       **error)
{
  g_autoptr(GhKeystore) keystore = NULL;
  g_autoptr(GError) local_error = NULL;
  guint n;

  keystore = gh_keystore_new_from_bytes (data, password, GH_KEYSTORE_LOAD_NONE, &local_error);
  if (keystore == NULL && g_error_matches (local_error, GH_PKI_ERROR, GH_PKI_ERROR_NO_MAC))
    {
      g_clear_error (&local_error);
      keystore = gh_keystore_new_from_bytes (data, password, GH_KEYSTORE_LOAD_ALLOW_NO_MAC, &local_error);
      if (keystore != NULL)
        _gh_import_add_note (self, "%s", _("The PKCS#12 file has no integrity protection (no MAC): anyone could have changed it. "
                                           "Import it only if you trust where it came from"));
    }
  if (keystore == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (keystore));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (keystore), i);
      GhPrivateKey *key = gh_keystore_entry_get_private_key (entry);
      GPtrArray *chain = gh_keystore_entry_get_chain (entry);

      if (key != NULL)
        _gh_import_add_item (self, g_object_ref (key), gh_keystore_entry_get_alias (entry), NULL);
      for (guint j = 0; j < chain->len; j++)
        _gh_import_add_item (self, g_object_ref (g_ptr_array_index (chain, j)),
                             j == 0 ? gh_keystore_entry_get_alias (entry) : NULL, NULL);
    }

  /* The entries are the keystore's own, as it opens. */
  g_set_object (&self->entries, keystore);
  return TRUE;
}

/* Java keystores start with a magic number: say how to convert them. */
static gboolean
is_java_keystore (const guchar *bytes,
                  gsize         length)
{
  static const guchar jks[] = { 0xfe, 0xed, 0xfe, 0xed };
  static const guchar jceks[] = { 0xce, 0xce, 0xce, 0xce };

  return length >= 4 && (memcmp (bytes, jks, 4) == 0 || memcmp (bytes, jceks, 4) == 0);
}

static gboolean
set_unknown_format (GError **error)
{
  g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_UNKNOWN_FORMAT,
                       _("This is not a certificate, key or keystore that Gatehouse can read: "
                         "use PEM, DER, PKCS#7, PKCS#8 or PKCS#12"));
  return FALSE;
}

/* One DER object of @kind: all of @data. */
static gboolean
read_der_object (GhImport      *self,
                 GBytes        *data,
                 DerKind        kind,
                 const char    *password,
                 GError       **error)
{
  gsize length = 0;
  const guchar *bytes = g_bytes_get_data (data, &length);
  g_autoptr(GhPrivateKey) key = NULL;

  switch (kind)
    {
    case DER_SIGNED:
      self->format = GH_IMPORT_FORMAT_DER_CERTIFICATE;
      self->format_name = N_("DER certificate");
      return read_signed (self, bytes, length, error);

    case DER_PKCS12:
      self->format = GH_IMPORT_FORMAT_PKCS12;
      self->format_name = N_("PKCS#12");
      return read_pkcs12 (self, data, password, error);

    case DER_PKCS7:
      self->format = GH_IMPORT_FORMAT_PKCS7;
      self->format_name = N_("PKCS#7");
      return read_pkcs7 (self, bytes, length, error);

    case DER_PRIVATE_KEY:
    case DER_PKCS8:
    case DER_ENCRYPTED_PKCS8:
      self->format = kind == DER_PRIVATE_KEY ? GH_IMPORT_FORMAT_DER_PRIVATE_KEY : GH_IMPORT_FORMAT_PKCS8;
      self->format_name = kind == DER_PRIVATE_KEY ? N_("DER private key")
                        : kind == DER_PKCS8 ? N_("PKCS#8") : N_("PKCS#8, encrypted");
      key = read_der_key (bytes, length, kind == DER_ENCRYPTED_PKCS8, password, error);
      if (key == NULL)
        return FALSE;
      _gh_import_add_item (self, g_steal_pointer (&key), NULL, NULL);
      return TRUE;

    case DER_UNKNOWN:
    default:
      return set_unknown_format (error);
    }
}

static gboolean
is_blank (const guchar *bytes,
          gsize         length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (bytes[i] != '\0' && !g_ascii_isspace (bytes[i]))
        return FALSE;
    }

  return TRUE;
}

gboolean
_gh_import_read_der (GhImport      *self,
                     GBytes        *data,
                     const char    *password,
                     GError       **error)
{
  gsize length = 0;
  const guchar *bytes = g_bytes_get_data (data, &length);
  g_autoptr(GBytes) first = NULL;
  DerKind kind;
  gsize size;
  Tlv outer;

  if (is_java_keystore (bytes, length))
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_UNKNOWN_FORMAT,
                           _("This is a Java keystore (JKS or JCEKS): convert it to PKCS#12 first with "
                             "“keytool -importkeystore -srckeystore FILE -destkeystore FILE.p12 -deststoretype PKCS12”"));
      return FALSE;
    }

  if (!read_tlv (bytes, length, &outer) || outer.tag != 0x30)
    return set_unknown_format (error);
  if (outer.size > length)
    return set_truncated (error);

  /* A DER object says how long it is (unless its length is BER's indefinite one):
   * GnuTLS rejects anything after it, as a newline an editor added. */
  size = outer.size > 0 ? outer.size : length;
  first = g_bytes_new_from_bytes (data, 0, size);
  kind = classify_der (bytes, size);
  if (!read_der_object (self, first, kind, password, error))
    return FALSE;

  /* What follows is another certificate (`cat a.der b.der`), or left out. */
  for (gsize offset = size; offset < length && !is_blank (bytes + offset, length - offset); )
    {
      const guchar *rest = bytes + offset;
      gsize left = length - offset;
      Tlv next;

      if (kind != DER_SIGNED || !read_tlv (rest, left, &next) || next.tag != 0x30 || next.size == 0)
        {
          _gh_import_add_note (self, "%s", _("The file goes on after its content: the rest was left out"));
          break;
        }
      if (next.size > left)
        return set_truncated (error);
      if (classify_der (rest, next.size) != DER_SIGNED)
        {
          _gh_import_add_note (self, "%s", _("The file goes on after its content: the rest was left out"));
          break;
        }
      if (!read_signed (self, rest, next.size, error))
        return FALSE;
      offset += next.size;
    }

  return TRUE;
}

/* PEM */

static gboolean
is_key_label (const char *label)
{
  return g_str_equal (label, "PRIVATE KEY") || g_str_equal (label, "ENCRYPTED PRIVATE KEY") ||
         g_str_equal (label, "RSA PRIVATE KEY") || g_str_equal (label, "EC PRIVATE KEY") ||
         g_str_equal (label, "DSA PRIVATE KEY");
}

static GBytes *
decode_pem_block (const char  *label,
                  GBytes      *block,
                  GError     **error)
{
  gnutls_datum_t pem, der = { NULL, 0 };
  GBytes *bytes;
  gsize size;
  int ret;

  pem.data = (guchar *) g_bytes_get_data (block, &size);
  pem.size = size;
  if ((ret = gnutls_pem_base64_decode2 (label, &pem, &der)) < 0)
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_CORRUPT,
                   _("The PEM block “%s” is corrupt (%s): get the file again from where it came"),
                   label, gnutls_strerror (ret));
      return NULL;
    }

  bytes = g_bytes_new (der.data, der.size);
  gnutls_free (der.data);
  return bytes;
}

static gboolean
read_pem_block (GhImport     *self,
                const char   *label,
                GBytes       *block,
                guint         number,
                const char   *name,
                const char   *key_id,
                const char   *password,
                GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize size;
  const char *text = g_bytes_get_data (block, &size);

  if (g_str_equal (label, "CERTIFICATE") || g_str_equal (label, "X509 CERTIFICATE") ||
      g_str_equal (label, "TRUSTED CERTIFICATE"))
    {
      g_autoptr(GBytes) der = decode_pem_block (label, block, error);
      GhCertificate *certificate;
      gsize der_size = 0, length;
      const guchar *der_data;
      Tlv tlv;

      if (der == NULL)
        return FALSE;

      /* OpenSSL's TRUSTED CERTIFICATE is a certificate followed by its trust settings. */
      der_data = g_bytes_get_data (der, &der_size);
      length = (read_tlv (der_data, der_size, &tlv) && tlv.size > 0 && tlv.size < der_size) ? tlv.size : der_size;
      {
        g_autoptr(GBytes) certificate_der = g_bytes_new_from_bytes (der, 0, length);

        certificate = gh_certificate_new_from_der (certificate_der, &local_error);
      }
      if (certificate == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("Block %u of the file (a certificate): "), number);
          return FALSE;
        }
      _gh_import_add_item (self, certificate, name, key_id);
    }
  else if (is_key_label (label))
    {
      gboolean encrypted = g_str_equal (label, "ENCRYPTED PRIVATE KEY") ||
                           g_strstr_len (text, size, "Proc-Type: 4,ENCRYPTED") != NULL;
      GhPrivateKey *key = gh_private_key_new_from_data (block, encrypted ? password : NULL, &local_error);

      if (key == NULL)
        {
          if (local_error->domain == GH_PKI_ERROR &&
              (local_error->code == GH_PKI_ERROR_PASSWORD_REQUIRED || local_error->code == GH_PKI_ERROR_WRONG_PASSWORD))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                        _("Block %u of the file (a private key): "), number);
          return FALSE;
        }
      _gh_import_add_item (self, key, name, key_id);
    }
  else if (g_str_equal (label, "PKCS7") || g_str_equal (label, "PKCS #7 SIGNED DATA") || g_str_equal (label, "CMS"))
    {
      g_autoptr(GBytes) der = decode_pem_block (label, block, error);
      gsize der_size = 0;
      const guchar *der_data;

      if (der == NULL)
        return FALSE;
      der_data = g_bytes_get_data (der, &der_size);
      if (!read_pkcs7 (self, der_data, der_size, error))
        return FALSE;
    }
  else if (g_str_equal (label, "CERTIFICATE REQUEST") || g_str_equal (label, "NEW CERTIFICATE REQUEST"))
    {
      self->n_requests++;
    }
  else if (g_str_equal (label, "X509 CRL"))
    {
      self->n_crls++;
    }
  else if (g_str_has_suffix (label, " PARAMETERS"))
    {
      /* EC or DH parameters, as `openssl ecparam -genkey` writes before the key. */
    }
  else if (g_str_equal (label, "PUBLIC KEY") || g_str_equal (label, "RSA PUBLIC KEY"))
    {
      _gh_import_add_note (self, "%s", _("A public key was left out: a keystore holds certificates, which carry public keys"));
    }
  else
    {
      _gh_import_add_note (self, _("A PEM block “%s” was left out: it is not a certificate or key Gatehouse can use"), label);
    }

  return TRUE;
}

typedef struct {
  GhImport   *self;
  const char *password;
  guint       n_pkcs7;
} PemRead;

static gboolean
read_pem_block_cb (const char  *label,
                   GBytes      *block,
                   guint        number,
                   const char  *name,
                   const char  *key_id,
                   gpointer     user_data,
                   GError     **error)
{
  PemRead *read = user_data;

  if (g_str_equal (label, "PKCS7") || g_str_equal (label, "PKCS #7 SIGNED DATA") || g_str_equal (label, "CMS"))
    read->n_pkcs7++;

  return read_pem_block (read->self, label, block, number, name, key_id, read->password, error);
}

gboolean
_gh_import_read_pem (GhImport      *self,
                     GBytes        *data,
                     const char    *password,
                     GError       **error)
{
  gsize length = 0;
  const char *text = g_bytes_get_data (data, &length);
  PemRead read = { self, password, 0 };
  guint n_blocks = 0, n_pkcs7;

  self->format = GH_IMPORT_FORMAT_PEM;
  self->format_name = N_("PEM bundle");

  if (!_gh_pem_foreach_block (text, length, read_pem_block_cb, &read, &n_blocks, error))
    return FALSE;
  n_pkcs7 = read.n_pkcs7;

  if (n_blocks == 0)
    return set_unknown_format (error);

  /* A PEM file that is one PKCS#7 block is a PKCS#7 file. */
  if (n_blocks == 1 && n_pkcs7 == 1)
    {
      self->format = GH_IMPORT_FORMAT_PKCS7;
      self->format_name = N_("PKCS#7");
    }

  return TRUE;
}
