/* gh-certificate.c — an X.509 certificate and every field a details view needs
 *
 * Immutable once made, and shared between threads. Its fields are read from the
 * GnuTLS certificate when first asked for, in groups, each once (g_once): the
 * names, dates and key a list shows; the SHA-256 fingerprint a keystore indexes by;
 * the public key id (pairing a key that came decrypted); the details (extensions,
 * SHA-1, whether the signature is its own). A keystore of 10,000 entries thus never reads an extension
 * or checks a signature to be listed, and a certificate read from a file is parsed
 * once, not re-encoded and parsed again as one made here is.
 *
 * A certificate read from DER is walked by gh-der-reader.c, which reads what a list
 * shows straight from the bytes; GnuTLS parses it only when something needs more
 * (details, verification, the TLS layer): the gnutls_x509_crt_t is made on first use.
 * Where the walker cannot answer exactly as GnuTLS would, GnuTLS reads the fields.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-certificate"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gh-der-reader.h"
#include "gh-json.h"
#include "gh-pki-private.h"

struct _GhCertificate
{
  GObject            parent_instance;

  gnutls_x509_crt_t  crt;           /* made on first use when @walked */
  GBytes            *der;
  GhDerCertificate   walked;        /* slices of @der */
  gboolean           has_walked;

  GhDerListFields    names;         /* what a list shows: from @walked, or GnuTLS */
  char              *sha256;
  char              *sha1;
  char              *public_key_id;
  guint              key_usage;
  gboolean           has_key_usage;
  GStrv              extended_key_usage;
  gboolean           is_ca;
  int                path_length;
  char              *subject_key_id;
  char              *authority_key_id;
  gboolean           self_signed;

  gsize              crt_made;      /* g_once: crt */
  gsize              names_read;    /* g_once: subject … display_name, self_issued */
  gsize              ids_read;      /*         sha256 */
  gsize              key_id_read;   /*         public_key_id */
  gsize              details_read;  /*         sha1, extensions, self_signed */
};

G_DEFINE_FINAL_TYPE (GhCertificate, gh_certificate, G_TYPE_OBJECT)

/* Helpers shared by the files of src/lib/pki. */

gboolean
_gh_pki_set_gnutls_error (GError     **error,
                          int          code,
                          const char  *what)
{
  int pki_code;

  switch (code)
    {
    case GNUTLS_E_BASE64_DECODING_ERROR:
    case GNUTLS_E_BASE64_UNEXPECTED_HEADER_ERROR:
    case GNUTLS_E_ASN1_DER_ERROR:
    case GNUTLS_E_ASN1_TAG_ERROR:
    case GNUTLS_E_ASN1_TYPE_ANY_ERROR:
    case GNUTLS_E_ASN1_SYNTAX_ERROR:
    case GNUTLS_E_ASN1_VALUE_NOT_VALID:
    case GNUTLS_E_ASN1_ELEMENT_NOT_FOUND:
    case GNUTLS_E_ASN1_IDENTIFIER_NOT_FOUND:
    case GNUTLS_E_CERTIFICATE_ERROR:
      pki_code = GH_PKI_ERROR_CORRUPT;
      break;
    case GNUTLS_E_ASN1_DER_OVERFLOW:
      pki_code = GH_PKI_ERROR_TRUNCATED;
      break;
    case GNUTLS_E_DECRYPTION_FAILED:
    case GNUTLS_E_MAC_VERIFY_FAILED:
      pki_code = GH_PKI_ERROR_WRONG_PASSWORD;
      break;
    case GNUTLS_E_UNKNOWN_CIPHER_TYPE:
    case GNUTLS_E_UNKNOWN_HASH_ALGORITHM:
    case GNUTLS_E_UNKNOWN_PK_ALGORITHM:
    case GNUTLS_E_UNKNOWN_ALGORITHM:
    case GNUTLS_E_UNSUPPORTED_ENCRYPTION_ALGORITHM:
    case GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM:
    case GNUTLS_E_UNKNOWN_PKCS_CONTENT_TYPE:
    case GNUTLS_E_UNKNOWN_PKCS_BAG_TYPE:
    case GNUTLS_E_ECC_UNSUPPORTED_CURVE:
    case GNUTLS_E_UNIMPLEMENTED_FEATURE:
      pki_code = GH_PKI_ERROR_UNSUPPORTED_ALGORITHM;
      break;
    default:
      pki_code = GH_PKI_ERROR_FAILED;
      break;
    }

  g_set_error (error, GH_PKI_ERROR, pki_code, "%s: %s", what, gnutls_strerror (code));
  return FALSE;
}

char *
_gh_pki_hex (const guchar *data,
             gsize         length,
             gboolean      colons)
{
  static const char digits[] = "0123456789ABCDEF";
  GString *hex = g_string_sized_new (length * 3);

  for (gsize i = 0; i < length; i++)
    {
      if (colons && i > 0)
        g_string_append_c (hex, ':');
      g_string_append_c (hex, digits[data[i] >> 4]);
      g_string_append_c (hex, digits[data[i] & 0xf]);
    }

  return g_string_free_and_steal (hex);
}

gboolean
_gh_pki_check_input_size (gsize    length,
                          GError **error)
{
  if (length == 0)
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_EMPTY,
                           _("The data is empty"));
      return FALSE;
    }

  if (length > GH_PKI_MAX_INPUT_SIZE)
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_TOO_LARGE,
                   _("The data is too large (%zu MiB; at most %d MiB)"),
                   length / (1024 * 1024), GH_PKI_MAX_INPUT_SIZE / (1024 * 1024));
      return FALSE;
    }

  return TRUE;
}

gboolean
_gh_pki_looks_like_pem (const guchar *data,
                        gsize         length)
{
  static const char marker[] = "-----BEGIN ";

  return length >= sizeof marker - 1 &&
         g_strstr_len ((const char *) data, MIN (length, G_MAXSSIZE), marker) != NULL;
}

/* @marker in [@p, @end): base64 has no '-', so memchr() leaps from one to the next
 * (g_strstr_len() compared at every byte: 7 % of listing a bundle). */
static const char *
find_marker (const char *p,
             const char *end,
             const char *marker)
{
  gsize marker_length = strlen (marker);

  while (p < end && (p = memchr (p, '-', end - p)) != NULL)
    {
      if ((gsize) (end - p) >= marker_length && memcmp (p, marker, marker_length) == 0)
        return p;
      p++;
    }
  return NULL;
}

gboolean
_gh_pem_foreach_block (const char      *text,
                       gsize            length,
                       GhPemBlockFunc   func,
                       gpointer         user_data,
                       guint           *n_blocks,
                       GError         **error)
{
  g_autofree char *name = NULL;
  g_autofree char *key_id = NULL;
  const char *p = text;
  const char *end = text + length;

  *n_blocks = 0;

  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      gsize line_length = (eol ? eol : end) - p;
      g_autofree char *line = g_strstrip (g_strndup (p, line_length));
      const char *next = eol ? eol + 1 : end;

      /* OpenSSL's "Bag Attributes" before a block name it, as `openssl pkcs12 -nodes` writes. */
      if (g_str_has_prefix (line, "friendlyName:"))
        {
          g_free (name);
          name = g_strstrip (g_strdup (line + strlen ("friendlyName:")));
        }
      else if (g_str_has_prefix (line, "localKeyID:"))
        {
          g_autoptr(GString) hex = g_string_new (NULL);

          for (const char *c = line + strlen ("localKeyID:"); *c != '\0'; c++)
            if (g_ascii_isxdigit (*c))
              g_string_append_c (hex, g_ascii_toupper (*c));
          g_free (key_id);
          key_id = g_string_free_and_steal (g_steal_pointer (&hex));
        }
      else if (g_str_has_prefix (line, "-----BEGIN ") && g_str_has_suffix (line, "-----") && strlen (line) > 16)
        {
          g_autofree char *label = g_strndup (line + 11, strlen (line) - 16);
          g_autofree char *end_marker = g_strdup_printf ("-----END %s-----", label);
          const char *block_end = find_marker (p, end, end_marker);
          g_autoptr(GBytes) block = NULL;

          if (block_end == NULL)
            {
              g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_TRUNCATED,
                           _("The PEM block “%s” has no end line: the file is truncated. Get the whole file again"),
                           label);
              return FALSE;
            }
          block_end += strlen (end_marker);
          block = g_bytes_new (p, block_end - p);
          next = block_end;

          if (!func (label, block, ++*n_blocks, name, key_id, user_data, error))
            return FALSE;

          g_clear_pointer (&name, g_free);
          g_clear_pointer (&key_id, g_free);
        }

      p = next;
    }

  return TRUE;
}

/* Field readers. */

static char *
read_dn (gnutls_x509_crt_t crt,
         gboolean          issuer)
{
  gnutls_datum_t dn = { NULL, 0 };
  int ret = issuer ? gnutls_x509_crt_get_issuer_dn3 (crt, &dn, 0)
                   : gnutls_x509_crt_get_dn3 (crt, &dn, 0);
  char *result;

  if (ret < 0)
    return g_strdup ("");

  /* Names are any bytes a CA wrote: what we hand on (JSON, a UI) is valid UTF-8. */
  result = g_utf8_make_valid ((const char *) dn.data, dn.size);
  gnutls_free (dn.data);
  return result;
}

static const char *
field_oid (const char *oid_or_name)
{
  static const struct { const char *name; const char *oid; } names[] = {
    { "CN", GNUTLS_OID_X520_COMMON_NAME },
    { "O", GNUTLS_OID_X520_ORGANIZATION_NAME },
    { "OU", GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME },
    { "C", GNUTLS_OID_X520_COUNTRY_NAME },
    { "L", GNUTLS_OID_X520_LOCALITY_NAME },
    { "ST", GNUTLS_OID_X520_STATE_OR_PROVINCE_NAME },
    { "emailAddress", GNUTLS_OID_PKCS9_EMAIL },
    { "serialNumber", "2.5.4.5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_ascii_strcasecmp (names[i].name, oid_or_name) == 0)
        return names[i].oid;
    }

  return oid_or_name;
}

static char *
read_dn_field (gnutls_x509_crt_t  crt,
               const char        *oid_or_name,
               gboolean           issuer)
{
  const char *oid = field_oid (oid_or_name);
  char buffer[1024];
  size_t size = sizeof buffer;
  int ret = issuer ? gnutls_x509_crt_get_issuer_dn_by_oid (crt, oid, 0, 0, buffer, &size)
                   : gnutls_x509_crt_get_dn_by_oid (crt, oid, 0, 0, buffer, &size);

  if (ret < 0)
    return NULL;

  return g_utf8_make_valid (buffer, size);
}

static gnutls_x509_crt_t get_crt (GhCertificate *self);

static void
read_sans (GhCertificate *self)
{
  g_autoptr(GStrvBuilder) dns = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) ips = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) emails = g_strv_builder_new ();

  for (guint i = 0; ; i++)
    {
      char fixed[1024];
      g_autofree char *allocated = NULL;
      char *buffer = fixed;
      size_t size = sizeof fixed - 1;
      unsigned int type = 0;
      int ret = gnutls_x509_crt_get_subject_alt_name2 (get_crt (self), i, fixed, &size, &type, NULL);

      if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      if (ret == GNUTLS_E_SHORT_MEMORY_BUFFER && size < 65536)
        {
          buffer = allocated = g_malloc0 (size + 1);
          ret = gnutls_x509_crt_get_subject_alt_name2 (get_crt (self), i, buffer, &size, &type, NULL);
        }
      if (ret < 0)
        {
          if (i > 1024)
            break;
          continue;
        }
      buffer[size] = '\0';

      switch (ret)
        {
        case GNUTLS_SAN_DNSNAME:
          g_strv_builder_take (dns, g_utf8_make_valid (buffer, size));
          break;

        case GNUTLS_SAN_RFC822NAME:
          g_strv_builder_take (emails, g_utf8_make_valid (buffer, size));
          break;

        case GNUTLS_SAN_IPADDRESS:
          if (size == 4 || size == 16)
            {
              g_autoptr(GInetAddress) address =
                g_inet_address_new_from_bytes ((const guint8 *) buffer,
                                               size == 4 ? G_SOCKET_FAMILY_IPV4 : G_SOCKET_FAMILY_IPV6);
              g_strv_builder_take (ips, g_inet_address_to_string (address));
            }
          break;

        default:
          break;
        }
    }

  self->names.dns_names = g_strv_builder_end (dns);
  self->names.ip_addresses = g_strv_builder_end (ips);
  self->names.emails = g_strv_builder_end (emails);
}

static void
read_key (GhCertificate *self)
{
  unsigned int bits = 0;
  int algorithm = gnutls_x509_crt_get_pk_algorithm (get_crt (self), &bits);

  self->names.key_bits = bits;

  if (algorithm == GNUTLS_PK_ECDSA)
    {
      gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;

      if (gnutls_x509_crt_get_pk_ecc_raw (get_crt (self), &curve, NULL, NULL) >= 0)
        {
          const char *name;

          switch (curve)
            {
            case GNUTLS_ECC_CURVE_SECP256R1: name = "P-256"; break;
            case GNUTLS_ECC_CURVE_SECP384R1: name = "P-384"; break;
            case GNUTLS_ECC_CURVE_SECP521R1: name = "P-521"; break;
            default: name = gnutls_ecc_curve_get_name (curve); break;
            }
          self->names.key_algorithm = g_strdup_printf ("ECDSA %s", name ? name : "?");
          return;
        }
    }

  if (algorithm >= 0 && gnutls_pk_get_name (algorithm) != NULL)
    self->names.key_algorithm = g_strdup (gnutls_pk_get_name (algorithm));
  else
    self->names.key_algorithm = g_strdup (_("Unknown"));
}

static char *
read_id (gnutls_x509_crt_t crt,
         int (*getter) (gnutls_x509_crt_t, void *, size_t *, unsigned int *))
{
  guchar buffer[128];
  size_t size = sizeof buffer;
  unsigned int critical = 0;

  if (getter (crt, buffer, &size, &critical) < 0)
    return NULL;

  return _gh_pki_hex (buffer, size, TRUE);
}

/* A digest of the DER we hold (gnutls_x509_crt_get_fingerprint() encodes the
 * certificate again to hash it: a fifth of the time of listing a keystore). */
static char *
read_fingerprint (GBytes                   *der,
                  gnutls_digest_algorithm_t digest)
{
  guchar buffer[64];
  gsize size = 0;
  const guchar *data = g_bytes_get_data (der, &size);

  if (size == 0 || gnutls_hash_fast (digest, data, size, buffer) < 0)
    return g_strdup ("");

  return _gh_pki_hex (buffer, gnutls_hash_get_len (digest), TRUE);
}

static void
read_extensions (GhCertificate *self)
{
  g_autoptr(GStrvBuilder) ekus = g_strv_builder_new ();
  gnutls_x509_crt_t crt = get_crt (self);
  unsigned int usage = 0, critical = 0, ca = 0;
  int path_length = -1;

  if (gnutls_x509_crt_get_key_usage (crt, &usage, &critical) >= 0)
    {
      self->key_usage = usage;
      self->has_key_usage = TRUE;
    }

  for (guint i = 0; ; i++)
    {
      char oid[128];
      size_t size = sizeof oid;
      int ret = gnutls_x509_crt_get_key_purpose_oid (crt, i, oid, &size, NULL);

      if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      if (ret >= 0)
        g_strv_builder_add (ekus, oid);
      else if (i > 64)
        break;
    }
  self->extended_key_usage = g_strv_builder_end (ekus);

  if (gnutls_x509_crt_get_basic_constraints (crt, &critical, &ca, &path_length) >= 0)
    {
      self->is_ca = ca != 0;
      self->path_length = path_length;
    }
  else
    {
      self->path_length = -1;
    }

  self->subject_key_id = read_id (crt, gnutls_x509_crt_get_subject_key_id);
  self->authority_key_id = read_id (crt, gnutls_x509_crt_get_authority_key_id);
}

static gboolean
signature_verifies_with (gnutls_x509_crt_t crt,
                         gnutls_x509_crt_t issuer)
{
  unsigned int status = 0;
  unsigned int flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
                       GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
                       GNUTLS_VERIFY_ALLOW_BROKEN |
                       GNUTLS_VERIFY_ALLOW_UNSORTED_CHAIN |
                       GNUTLS_VERIFY_DISABLE_CA_SIGN;

  if (gnutls_x509_crt_verify (crt, &issuer, 1, flags, &status) < 0)
    return FALSE;

  return (status & GNUTLS_CERT_SIGNATURE_FAILURE) == 0 &&
         (status & GNUTLS_CERT_SIGNER_NOT_FOUND) == 0;
}

/* Each group of fields, read once, whichever thread asks first. */
#define ENSURE(self, group) \
  G_STMT_START { \
    if (g_once_init_enter (&(self)->group##_read)) \
      { \
        read_##group (self); \
        g_once_init_leave (&(self)->group##_read, 1); \
      } \
  } G_STMT_END

/* Subject and issuer are the same bytes (gnutls_x509_crt_check_issuer() on the
 * certificate itself costs as much as the rest of the list's fields). */
static gboolean
same_raw_names (gnutls_x509_crt_t crt)
{
  gnutls_datum_t subject = { NULL, 0 }, issuer = { NULL, 0 };
  gboolean same;

  same = gnutls_x509_crt_get_raw_dn (crt, &subject) >= 0 && gnutls_x509_crt_get_raw_issuer_dn (crt, &issuer) >= 0 &&
         subject.size == issuer.size && memcmp (subject.data, issuer.data, subject.size) == 0;
  gnutls_free (subject.data);
  gnutls_free (issuer.data);
  return same;
}

static void
read_names (GhCertificate *self)
{
  gnutls_x509_crt_t crt;
  guchar buffer[64];
  size_t size = sizeof buffer;
  int sign;
  time_t t;
  GhDerListFields fields;

  if (self->has_walked && _gh_der_certificate_list_fields (&self->walked, &fields))
    {
      self->names = fields;
      return;
    }

  crt = get_crt (self);
  self->names.subject = read_dn (crt, FALSE);
  self->names.issuer = read_dn (crt, TRUE);

  if (gnutls_x509_crt_get_serial (crt, buffer, &size) >= 0)
    self->names.serial = _gh_pki_hex (buffer, size, TRUE);
  else
    self->names.serial = g_strdup ("");

  self->names.version = MAX (gnutls_x509_crt_get_version (crt), 0);
  t = gnutls_x509_crt_get_activation_time (crt);
  self->names.not_before = g_date_time_new_from_unix_utc (t == (time_t) -1 ? 0 : t);
  t = gnutls_x509_crt_get_expiration_time (crt);
  self->names.not_after = g_date_time_new_from_unix_utc (t == (time_t) -1 ? 0 : t);

  read_sans (self);
  read_key (self);

  sign = gnutls_x509_crt_get_signature_algorithm (crt);
  self->names.signature_algorithm = g_strdup (sign >= 0 && gnutls_sign_get_name (sign)
                                        ? gnutls_sign_get_name (sign) : _("Unknown"));
  self->names.weak_signature = sign < 0 || !gnutls_sign_is_secure2 (sign, GNUTLS_SIGN_FLAG_SECURE_FOR_CERTS);
  self->names.self_issued = same_raw_names (crt);

  {
    g_autofree char *cn = read_dn_field (crt, "CN", FALSE);

    if (cn != NULL && *cn != '\0')
      self->names.display_name = g_steal_pointer (&cn);
    else if (self->names.dns_names[0] != NULL)
      self->names.display_name = g_strdup (self->names.dns_names[0]);
    else
      self->names.display_name = g_strdup (self->names.subject);
  }
}

static void
read_ids (GhCertificate *self)
{
  self->sha256 = read_fingerprint (self->der, GNUTLS_DIG_SHA256);
}

static void
read_key_id (GhCertificate *self)
{
  guchar buffer[64];
  size_t size = sizeof buffer;
  g_autofree char *algorithm = NULL;
  guint bits = 0;

  /* A key the walker knows is encoded as GnuTLS would encode it again: the id is
   * the SHA-256 of the SubjectPublicKeyInfo as it stands. */
  if (self->has_walked && _gh_der_certificate_key (&self->walked, &algorithm, &bits) &&
      gnutls_hash_fast (GNUTLS_DIG_SHA256, self->walked.spki.data, self->walked.spki.size, buffer) >= 0)
    {
      self->public_key_id = _gh_pki_hex (buffer, gnutls_hash_get_len (GNUTLS_DIG_SHA256), FALSE);
      return;
    }

  if (gnutls_x509_crt_get_key_id (get_crt (self), GNUTLS_KEYID_USE_SHA256, buffer, &size) >= 0)
    self->public_key_id = _gh_pki_hex (buffer, size, FALSE);
  else
    self->public_key_id = g_strdup ("");
}

static void
read_details (GhCertificate *self)
{
  self->sha1 = read_fingerprint (self->der, GNUTLS_DIG_SHA1);
  read_extensions (self);
  ENSURE (self, names);
  self->self_signed = self->names.self_issued && signature_verifies_with (get_crt (self), get_crt (self));
}


/* Takes @crt, imported from @der (which it keeps): no second parse. */
static GhCertificate *
certificate_new (gnutls_x509_crt_t crt,
                 GBytes           *der)
{
  GhCertificate *self = g_object_new (GH_TYPE_CERTIFICATE, NULL);

  self->crt = crt;
  self->crt_made = 1;
  self->der = der;
  return self;
}

/* Takes @der, which the walker read whole: GnuTLS parses it on first use. */
static GhCertificate *
certificate_new_walked (GBytes           *der,
                        GhDerCertificate *walked)
{
  GhCertificate *self = g_object_new (GH_TYPE_CERTIFICATE, NULL);

  self->der = der;
  self->walked = *walked;
  self->has_walked = TRUE;
  return self;
}

/* A certificate of @der (copied), walked if the walker reads it, else imported by
 * GnuTLS; NULL with GnuTLS's error code when GnuTLS cannot read it either. */
GhCertificate *
_gh_certificate_new_from_der_data (const guchar *data,
                                   gsize         length,
                                   int          *gnutls_error)
{
  GBytes *der = g_bytes_new (data, length);
  GhDerCertificate walked;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum;
  int ret;

  data = g_bytes_get_data (der, &length);
  if (_gh_der_certificate_parse (data, length, &walked))
    return certificate_new_walked (der, &walked);

  datum = (gnutls_datum_t) { (guchar *) data, (unsigned int) length };
  if ((ret = gnutls_x509_crt_init (&crt)) < 0 ||
      (ret = gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER)) < 0)
    {
      g_clear_pointer (&crt, gnutls_x509_crt_deinit);
      g_bytes_unref (der);
      *gnutls_error = ret;
      return NULL;
    }
  return certificate_new (crt, der);
}

/* The walker and GnuTLS agree on which certificates are well formed (the fuzz target
 * checks it); should GnuTLS still refuse one the walker read, it stays an empty
 * certificate to GnuTLS, which verifies nothing and matches no host. */
static gnutls_x509_crt_t
get_crt (GhCertificate *self)
{
  if (g_once_init_enter (&self->crt_made))
    {
      gsize length = 0;
      const guchar *data = g_bytes_get_data (self->der, &length);
      gnutls_datum_t datum = { (guchar *) data, (unsigned int) length };
      gnutls_x509_crt_t crt = NULL;
      int ret;

      if (gnutls_x509_crt_init (&crt) < 0)
        g_error ("gnutls_x509_crt_init: out of memory");
      if ((ret = gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER)) < 0)
        {
          g_warning ("A certificate GnuTLS cannot read: %s", gnutls_strerror (ret));
          gnutls_x509_crt_deinit (crt);
          if (gnutls_x509_crt_init (&crt) < 0)
            g_error ("gnutls_x509_crt_init: out of memory");
        }
      self->crt = crt;
      g_once_init_leave (&self->crt_made, 1);
    }

  return self->crt;
}

/* A certificate GnuTLS imported from @data (DER): it is not parsed again. */
GhCertificate *
_gh_certificate_new_imported (gnutls_x509_crt_t  crt,
                              const guchar      *data,
                              gsize              length)
{
  g_return_val_if_fail (crt != NULL, NULL);

  return certificate_new (crt, g_bytes_new (data, length));
}

GhCertificate *
_gh_certificate_new_take (gnutls_x509_crt_t crt)
{
  gnutls_datum_t der = { NULL, 0 };
  GBytes *bytes;

  g_return_val_if_fail (crt != NULL, NULL);

  /* Read everything back from the encoding, so that a certificate just made reads
   * exactly as it will from a file. */
  if (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der) >= 0)
    {
      gnutls_x509_crt_t parsed = NULL;

      bytes = g_bytes_new (der.data, der.size);
      if (gnutls_x509_crt_init (&parsed) >= 0 &&
          gnutls_x509_crt_import (parsed, &der, GNUTLS_X509_FMT_DER) >= 0)
        {
          gnutls_x509_crt_deinit (crt);
          crt = parsed;
        }
      else
        {
          g_clear_pointer (&parsed, gnutls_x509_crt_deinit);
        }
      gnutls_free (der.data);
    }
  else
    {
      bytes = g_bytes_new (NULL, 0);
    }

  return certificate_new (crt, bytes);
}

gnutls_x509_crt_t
_gh_certificate_get_gnutls (GhCertificate *self)
{
  g_return_val_if_fail (GH_IS_CERTIFICATE (self), NULL);

  return get_crt (self);
}

static GhCertificate *
new_from_datum (const guchar        *data,
                gsize                length,
                gnutls_x509_crt_fmt_t format,
                GError             **error)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum = { (guchar *) data, (unsigned int) length };
  int ret;

  if (!_gh_pki_check_input_size (length, error))
    return NULL;

  if (format == GNUTLS_X509_FMT_DER)
    {
      GhCertificate *certificate = _gh_certificate_new_from_der_data (data, length, &ret);

      if (certificate == NULL)
        _gh_pki_set_gnutls_error (error, ret, _("Could not read the certificate"));
      return certificate;
    }

  if ((ret = gnutls_x509_crt_init (&crt)) < 0)
    {
      _gh_pki_set_gnutls_error (error, ret, _("Could not read the certificate"));
      return NULL;
    }

  if ((ret = gnutls_x509_crt_import (crt, &datum, format)) < 0)
    {
      gnutls_x509_crt_deinit (crt);
      _gh_pki_set_gnutls_error (error, ret, _("Could not read the certificate"));
      return NULL;
    }

  return _gh_certificate_new_take (crt);
}

/**
 * gh_certificate_new_from_der:
 * @der: the certificate's DER encoding
 * @error: return location for a #GH_PKI_ERROR
 *
 * Returns: (transfer full): the certificate, or %NULL with @error set
 */
GhCertificate *
gh_certificate_new_from_der (GBytes  *der,
                             GError **error)
{
  gsize length = 0;
  const guchar *data;

  g_return_val_if_fail (der != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (der, &length);
  return new_from_datum (data, length, GNUTLS_X509_FMT_DER, error);
}

/**
 * gh_certificate_new_from_pem:
 * @pem: text with a `CERTIFICATE` PEM block
 * @length: its length, or -1 when nul-terminated
 * @error: return location for a #GH_PKI_ERROR
 *
 * Returns: (transfer full): the first certificate in @pem, or %NULL with @error set
 */
GhCertificate *
gh_certificate_new_from_pem (const char  *pem,
                             gssize       length,
                             GError     **error)
{
  g_return_val_if_fail (pem != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (pem);

  return new_from_datum ((const guchar *) pem, length, GNUTLS_X509_FMT_PEM, error);
}

/**
 * gh_certificate_list_from_pem:
 * @pem: text with one or more `CERTIFICATE` PEM blocks
 * @length: its length, or -1 when nul-terminated
 * @error: return location for a #GH_PKI_ERROR
 *
 * Returns: (transfer full) (element-type GhCertificate): the certificates in the
 *   order of the text, or %NULL with @error set when there is none or one is broken
 */
GPtrArray *
gh_certificate_list_from_pem (const char  *pem,
                              gssize       length,
                              GError     **error)
{
  g_autoptr(GPtrArray) list = NULL;
  gnutls_x509_crt_t *crts = NULL;
  unsigned int n_crts = 0;
  gnutls_datum_t datum;
  int ret;

  g_return_val_if_fail (pem != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (pem);
  if (!_gh_pki_check_input_size (length, error))
    return NULL;

  datum.data = (guchar *) pem;
  datum.size = length;
  ret = gnutls_x509_crt_list_import2 (&crts, &n_crts, &datum, GNUTLS_X509_FMT_PEM, 0);
  if (ret == GNUTLS_E_NO_CERTIFICATE_FOUND || (ret >= 0 && n_crts == 0))
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_UNKNOWN_FORMAT,
                           _("No certificate found: expected PEM blocks “BEGIN CERTIFICATE”"));
      return NULL;
    }
  if (ret < 0)
    {
      _gh_pki_set_gnutls_error (error, ret, _("Could not read the certificates"));
      return NULL;
    }

  list = g_ptr_array_new_with_free_func (g_object_unref);
  for (unsigned int i = 0; i < n_crts; i++)
    g_ptr_array_add (list, _gh_certificate_new_take (crts[i]));
  gnutls_free (crts);

  return g_steal_pointer (&list);
}

GBytes *
gh_certificate_get_der (GhCertificate *self)
{
  g_return_val_if_fail (GH_IS_CERTIFICATE (self), NULL);

  return self->der;
}

char *
gh_certificate_to_pem (GhCertificate *self)
{
  gnutls_datum_t der, pem = { NULL, 0 };
  gsize length = 0;
  char *result;

  g_return_val_if_fail (GH_IS_CERTIFICATE (self), NULL);

  /* The DER we hold, as GnuTLS would export it, without parsing it for that. */
  der.data = (guchar *) g_bytes_get_data (self->der, &length);
  der.size = length;
  if (length == 0 || gnutls_pem_base64_encode2 ("CERTIFICATE", &der, &pem) < 0)
    return NULL;

  result = g_strndup ((const char *) pem.data, pem.size);
  gnutls_free (pem.data);
  return result;
}

#define GETTER(type, name, field, group) \
  type gh_certificate_get_##name (GhCertificate *self) \
  { \
    g_return_val_if_fail (GH_IS_CERTIFICATE (self), (type) 0); \
    ENSURE (self, group); \
    return (type) self->field; \
  }

/* Distinguished names as RFC 4514 strings, such as "CN=example.com,O=Example". */
GETTER (const char *, subject, names.subject, names)
GETTER (const char *, issuer, names.issuer, names)
/* The common name, else the first DNS name, else the subject. */
GETTER (const char *, display_name, names.display_name, names)
/* Upper-case hex with colons. */
GETTER (const char *, serial, names.serial, names)
GETTER (guint, version, names.version, names)
GETTER (GDateTime *, not_before, names.not_before, names)
GETTER (GDateTime *, not_after, names.not_after, names)
GETTER (const char * const *, dns_names, names.dns_names, names)
GETTER (const char * const *, ip_addresses, names.ip_addresses, names)
GETTER (const char * const *, emails, names.emails, names)
/* "RSA", "ECDSA P-256", "EdDSA (Ed25519)", … */
GETTER (const char *, key_algorithm, names.key_algorithm, names)
GETTER (guint, key_bits, names.key_bits, names)
GETTER (const char *, signature_algorithm, names.signature_algorithm, names)
GETTER (const char *, sha256_fingerprint, sha256, ids)
GETTER (const char *, sha1_fingerprint, sha1, details)
/* SHA-256 of the SubjectPublicKeyInfo, hex: equal to the matching key's. */
GETTER (const char *, public_key_id, public_key_id, key_id)
GETTER (guint, key_usage, key_usage, details)
GETTER (const char * const *, extended_key_usage, extended_key_usage, details)
/* -1 when the basic constraints set no path length */
GETTER (int, path_length, path_length, details)
GETTER (const char *, subject_key_id, subject_key_id, details)
GETTER (const char *, authority_key_id, authority_key_id, details)

#undef GETTER

char *
gh_certificate_get_subject_field (GhCertificate *self,
                                  const char    *oid_or_name)
{
  g_return_val_if_fail (GH_IS_CERTIFICATE (self), NULL);
  g_return_val_if_fail (oid_or_name != NULL, NULL);

  return read_dn_field (get_crt (self), oid_or_name, FALSE);
}

char *
gh_certificate_get_issuer_field (GhCertificate *self,
                                 const char    *oid_or_name)
{
  g_return_val_if_fail (GH_IS_CERTIFICATE (self), NULL);
  g_return_val_if_fail (oid_or_name != NULL, NULL);

  return read_dn_field (get_crt (self), oid_or_name, TRUE);
}

/* MD5, SHA-1 and other signatures GnuTLS no longer deems secure. */
gboolean
gh_certificate_has_weak_signature (GhCertificate *self)
{
  g_return_val_if_fail (GH_IS_CERTIFICATE (self), FALSE);

  ENSURE (self, names);
  return self->names.weak_signature;
}

gboolean
gh_certificate_has_key_usage (GhCertificate *self)
{
  g_return_val_if_fail (GH_IS_CERTIFICATE (self), FALSE);

  ENSURE (self, details);
  return self->has_key_usage;
}

gboolean
gh_certificate_is_ca (GhCertificate *self)
{
  g_return_val_if_fail (GH_IS_CERTIFICATE (self), FALSE);

  ENSURE (self, details);
  return self->is_ca;
}

/* Issuer and subject are the same name. */
gboolean
gh_certificate_is_self_issued (GhCertificate *self)
{
  g_return_val_if_fail (GH_IS_CERTIFICATE (self), FALSE);

  ENSURE (self, names);
  return self->names.self_issued;
}

/* Self-issued, and the signature verifies with its own key. */
gboolean
gh_certificate_is_self_signed (GhCertificate *self)
{
  g_return_val_if_fail (GH_IS_CERTIFICATE (self), FALSE);

  ENSURE (self, details);
  return self->self_signed;
}

/* @issuer's subject is @self's issuer (and the key identifiers agree), and @issuer's
 * key verifies @self's signature. */
gboolean
gh_certificate_is_issued_by (GhCertificate *self,
                             GhCertificate *issuer)
{
  g_return_val_if_fail (GH_IS_CERTIFICATE (self), FALSE);
  g_return_val_if_fail (GH_IS_CERTIFICATE (issuer), FALSE);

  return gnutls_x509_crt_check_issuer (get_crt (self), get_crt (issuer)) != 0 &&
         signature_verifies_with (get_crt (self), get_crt (issuer));
}

/* @issuer's subject is @self's issuer name, and their key identifiers agree when
 * both carry one: what gnutls_x509_crt_check_issuer() says, read from the DER when
 * both were walked. A signature is not checked. */
gboolean
_gh_certificate_names_issuer (GhCertificate *self,
                              GhCertificate *issuer)
{
  gnutls_x509_crt_t crt, issuer_crt;
  guchar authority[64], subject[64];
  size_t authority_size = sizeof authority, subject_size = sizeof subject;

  if (self->has_walked && issuer->has_walked)
    {
      const GhDerCertificate *a = &self->walked, *b = &issuer->walked;

      /* Names that read the same but differ in bytes: GnuTLS below. */
      if (a->issuer.size == b->subject.size && memcmp (a->issuer.data, b->subject.data, a->issuer.size) == 0)
        {
          if (!a->has_authority_key_id || !b->has_subject_key_id)
            return TRUE;
          return a->authority_key_id.size == b->subject_key_id.size &&
                 memcmp (a->authority_key_id.data, b->subject_key_id.data, a->authority_key_id.size) == 0;
        }
    }

  crt = get_crt (self);
  issuer_crt = get_crt (issuer);
  if (gnutls_x509_crt_check_issuer (crt, issuer_crt) == 0)
    return FALSE;
  if (gnutls_x509_crt_get_authority_key_id (crt, authority, &authority_size, NULL) < 0 ||
      gnutls_x509_crt_get_subject_key_id (issuer_crt, subject, &subject_size, NULL) < 0)
    return TRUE;
  return authority_size == subject_size && memcmp (authority, subject, subject_size) == 0;
}

/* RFC 6125 matching against the DNS and IP names (the CN only when there is none). */
gboolean
gh_certificate_matches_host (GhCertificate *self,
                             const char    *hostname)
{
  g_return_val_if_fail (GH_IS_CERTIFICATE (self), FALSE);
  g_return_val_if_fail (hostname != NULL, FALSE);

  return gnutls_x509_crt_check_hostname2 (get_crt (self), hostname, 0) != 0;
}

gboolean
gh_certificate_equal (GhCertificate *self,
                      GhCertificate *other)
{
  g_return_val_if_fail (GH_IS_CERTIFICATE (self), FALSE);
  g_return_val_if_fail (GH_IS_CERTIFICATE (other), FALSE);

  return self == other || g_bytes_equal (self->der, other->der);
}

/**
 * gh_certificate_to_json:
 * @self: a #GhCertificate
 *
 * Every field of the certificate as a JSON object, for `--json` output and the admin
 * API. Certificates are public: this holds nothing secret.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
gh_certificate_to_json (GhCertificate *self)
{
  static const struct { guint bit; const char *name; } usages[] = {
    { GH_KEY_USAGE_DIGITAL_SIGNATURE, "digitalSignature" },
    { GH_KEY_USAGE_NON_REPUDIATION, "nonRepudiation" },
    { GH_KEY_USAGE_KEY_ENCIPHERMENT, "keyEncipherment" },
    { GH_KEY_USAGE_DATA_ENCIPHERMENT, "dataEncipherment" },
    { GH_KEY_USAGE_KEY_AGREEMENT, "keyAgreement" },
    { GH_KEY_USAGE_KEY_CERT_SIGN, "keyCertSign" },
    { GH_KEY_USAGE_CRL_SIGN, "cRLSign" },
    { GH_KEY_USAGE_ENCIPHER_ONLY, "encipherOnly" },
    { GH_KEY_USAGE_DECIPHER_ONLY, "decipherOnly" },
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *not_before = NULL;
  g_autofree char *not_after = NULL;

  g_return_val_if_fail (GH_IS_CERTIFICATE (self), NULL);

  ENSURE (self, names);
  ENSURE (self, ids);
  ENSURE (self, key_id);
  ENSURE (self, details);
  not_before = g_date_time_format_iso8601 (self->names.not_before);
  not_after = g_date_time_format_iso8601 (self->names.not_after);

  json_builder_begin_object (builder);
  gh_json_add_string (builder, "subject", self->names.subject);
  gh_json_add_string (builder, "issuer", self->names.issuer);
  gh_json_add_string (builder, "serial", self->names.serial);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, self->names.version);
  gh_json_add_string (builder, "not_before", not_before);
  gh_json_add_string (builder, "not_after", not_after);
  gh_json_add_strv (builder, "dns_names", (const char * const *) self->names.dns_names);
  gh_json_add_strv (builder, "ip_addresses", (const char * const *) self->names.ip_addresses);
  gh_json_add_strv (builder, "emails", (const char * const *) self->names.emails);
  gh_json_add_string (builder, "key_algorithm", self->names.key_algorithm);
  json_builder_set_member_name (builder, "key_bits");
  json_builder_add_int_value (builder, self->names.key_bits);
  gh_json_add_string (builder, "signature_algorithm", self->names.signature_algorithm);
  json_builder_set_member_name (builder, "weak_signature");
  json_builder_add_boolean_value (builder, self->names.weak_signature);
  gh_json_add_string (builder, "sha256_fingerprint", self->sha256);
  gh_json_add_string (builder, "sha1_fingerprint", self->sha1);
  json_builder_set_member_name (builder, "key_usage");
  if (self->has_key_usage)
    {
      json_builder_begin_array (builder);
      for (guint i = 0; i < G_N_ELEMENTS (usages); i++)
        if (self->key_usage & usages[i].bit)
          json_builder_add_string_value (builder, usages[i].name);
      json_builder_end_array (builder);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
  gh_json_add_strv (builder, "extended_key_usage", (const char * const *) self->extended_key_usage);
  json_builder_set_member_name (builder, "ca");
  json_builder_add_boolean_value (builder, self->is_ca);
  json_builder_set_member_name (builder, "path_length");
  if (self->path_length >= 0)
    json_builder_add_int_value (builder, self->path_length);
  else
    json_builder_add_null_value (builder);
  gh_json_add_string (builder, "subject_key_id", self->subject_key_id);
  gh_json_add_string (builder, "authority_key_id", self->authority_key_id);
  json_builder_set_member_name (builder, "self_signed");
  json_builder_add_boolean_value (builder, self->self_signed);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
gh_certificate_finalize (GObject *object)
{
  GhCertificate *self = GH_CERTIFICATE (object);

  g_clear_pointer (&self->crt, gnutls_x509_crt_deinit);
  g_clear_pointer (&self->der, g_bytes_unref);
  _gh_der_list_fields_clear (&self->names);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->sha1, g_free);
  g_clear_pointer (&self->public_key_id, g_free);
  g_clear_pointer (&self->extended_key_usage, g_strfreev);
  g_clear_pointer (&self->subject_key_id, g_free);
  g_clear_pointer (&self->authority_key_id, g_free);

  G_OBJECT_CLASS (gh_certificate_parent_class)->finalize (object);
}

static void
gh_certificate_class_init (GhCertificateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gh_certificate_finalize;
}

static void
gh_certificate_init (GhCertificate *self)
{
  self->path_length = -1;
}
