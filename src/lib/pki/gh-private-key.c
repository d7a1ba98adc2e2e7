/* gh-private-key.c — a private key: generated, imported, never shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-private-key"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-pki-private.h"

struct _GhPrivateKey
{
  GObject                parent_instance;

  gnutls_x509_privkey_t  key;
  char                  *algorithm;
  guint                  bits;
  char                  *public_key_id;
};

G_DEFINE_FINAL_TYPE (GhPrivateKey, gh_private_key, G_TYPE_OBJECT)

static const struct {
  GhKeyType              type;
  const char            *name;
  gnutls_pk_algorithm_t  algorithm;
  unsigned int           bits;
} key_types[] = {
  { GH_KEY_TYPE_RSA_2048, "rsa2048", GNUTLS_PK_RSA, 2048 },
  { GH_KEY_TYPE_RSA_3072, "rsa3072", GNUTLS_PK_RSA, 3072 },
  { GH_KEY_TYPE_RSA_4096, "rsa4096", GNUTLS_PK_RSA, 4096 },
  { GH_KEY_TYPE_ECDSA_P256, "p256", GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1) },
  { GH_KEY_TYPE_ECDSA_P384, "p384", GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP384R1) },
  { GH_KEY_TYPE_ED25519, "ed25519", GNUTLS_PK_EDDSA_ED25519, 256 },
};

gboolean
gh_key_type_from_string (const char *name,
                         GhKeyType  *type)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (key_types); i++)
    {
      if (g_ascii_strcasecmp (name, key_types[i].name) == 0)
        {
          if (type != NULL)
            *type = key_types[i].type;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
gh_key_type_to_string (GhKeyType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_types); i++)
    {
      if (key_types[i].type == type)
        return key_types[i].name;
    }

  g_return_val_if_reached (NULL);
}

void
gh_secret_free (GhSecret *secret)
{
  if (secret == NULL)
    return;

  gnutls_memset (secret, 0, strlen (secret));
  g_free (secret);
}

GhPrivateKey *
_gh_private_key_new_take (gnutls_x509_privkey_t key)
{
  GhPrivateKey *self;
  unsigned int bits = 0;
  int algorithm;
  guchar id[64];
  size_t size = sizeof id;

  g_return_val_if_fail (key != NULL, NULL);

  self = g_object_new (GH_TYPE_PRIVATE_KEY, NULL);
  self->key = key;

  algorithm = gnutls_x509_privkey_get_pk_algorithm2 (key, &bits);
  self->bits = bits;
  if (algorithm == GNUTLS_PK_ECDSA)
    self->algorithm = g_strdup_printf ("ECDSA P-%u", bits == 528 ? 521 : bits);
  else if (algorithm >= 0 && gnutls_pk_get_name (algorithm) != NULL)
    self->algorithm = g_strdup (gnutls_pk_get_name (algorithm));
  else
    self->algorithm = g_strdup (_("Unknown"));

  if (gnutls_x509_privkey_get_key_id (key, GNUTLS_KEYID_USE_SHA256, id, &size) >= 0)
    self->public_key_id = _gh_pki_hex (id, size, FALSE);
  else
    self->public_key_id = g_strdup ("");

  return self;
}

gnutls_x509_privkey_t
_gh_private_key_get_gnutls (GhPrivateKey *self)
{
  g_return_val_if_fail (GH_IS_PRIVATE_KEY (self), NULL);

  return self->key;
}

/**
 * gh_private_key_generate:
 * @type: the kind of key
 * @cancellable: (nullable): checked before the work starts
 * @error: return location for a #GH_PKI_ERROR
 *
 * Generates a key. Blocks for up to seconds (RSA 4096): from the main thread, use
 * gh_private_key_generate_async().
 *
 * Returns: (transfer full): the new key, or %NULL with @error set
 */
GhPrivateKey *
gh_private_key_generate (GhKeyType      type,
                         GCancellable  *cancellable,
                         GError       **error)
{
  gnutls_x509_privkey_t key = NULL;
  int ret;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (key_types); i++)
    {
      if (key_types[i].type != type)
        continue;

      if ((ret = gnutls_x509_privkey_init (&key)) < 0 ||
          (ret = gnutls_x509_privkey_generate2 (key, key_types[i].algorithm,
                                                key_types[i].bits, 0, NULL, 0)) < 0)
        {
          g_clear_pointer (&key, gnutls_x509_privkey_deinit);
          _gh_pki_set_gnutls_error (error, ret, _("Could not generate the key"));
          return NULL;
        }

      return _gh_private_key_new_take (key);
    }

  g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID, _("Unknown key type %d"), type);
  return NULL;
}

static void
generate_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GhKeyType type = GPOINTER_TO_INT (task_data);
  GError *error = NULL;
  GhPrivateKey *key = gh_private_key_generate (type, cancellable, &error);

  if (key == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, g_object_unref);
}

void
gh_private_key_generate_async (GhKeyType            type,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, gh_private_key_generate_async);
  g_task_set_task_data (task, GINT_TO_POINTER (type), NULL);
  g_task_run_in_thread (task, generate_thread);
}

GhPrivateKey *
gh_private_key_generate_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gh_private_key_generate_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
is_encrypted_key (const guchar *data,
                  gsize         length)
{
  return g_strstr_len ((const char *) data, length, "-----BEGIN ENCRYPTED PRIVATE KEY-----") != NULL ||
         g_strstr_len ((const char *) data, length, "Proc-Type: 4,ENCRYPTED") != NULL;
}

/**
 * gh_private_key_new_from_data:
 * @data: the key, PEM or DER: PKCS#8 (plain or encrypted), PKCS#1 RSA or SEC1 EC
 * @password: (nullable): the password of an encrypted key
 * @error: return location for a #GH_PKI_ERROR
 *
 * Returns: (transfer full): the key, or %NULL with @error set
 */
GhPrivateKey *
gh_private_key_new_from_data (GBytes      *data,
                              const char  *password,
                              GError     **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_datum_t datum;
  gsize length = 0;
  const guchar *bytes;
  gboolean pem;
  int ret;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_bytes_get_data (data, &length);
  if (!_gh_pki_check_input_size (length, error))
    return NULL;

  pem = _gh_pki_looks_like_pem (bytes, length);
  if (pem && password == NULL && is_encrypted_key (bytes, length))
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

  datum.data = (guchar *) bytes;
  datum.size = length;
  ret = gnutls_x509_privkey_import2 (key, &datum,
                                     pem ? GNUTLS_X509_FMT_PEM : GNUTLS_X509_FMT_DER,
                                     password, password == NULL ? GNUTLS_PKCS_PLAIN : 0);
  if (ret < 0 && password == NULL && !pem)
    {
      /* DER that is not a plain key may be an encrypted PKCS#8 one. */
      ret = gnutls_x509_privkey_import_pkcs8 (key, &datum, GNUTLS_X509_FMT_DER, "", 0);
      if (ret >= 0 || ret == GNUTLS_E_DECRYPTION_FAILED)
        {
          gnutls_x509_privkey_deinit (key);
          g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED,
                               _("The private key is encrypted: give its password"));
          return NULL;
        }
    }

  if (ret < 0)
    {
      gnutls_x509_privkey_deinit (key);
      if (ret == GNUTLS_E_DECRYPTION_FAILED)
        g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_WRONG_PASSWORD,
                             _("The password of the private key is wrong"));
      else
        _gh_pki_set_gnutls_error (error, ret, _("Could not read the private key"));
      return NULL;
    }

  return _gh_private_key_new_take (key);
}

/* "RSA", "ECDSA P-256", "EdDSA (Ed25519)", … as for certificates */
const char *
gh_private_key_get_algorithm (GhPrivateKey *self)
{
  g_return_val_if_fail (GH_IS_PRIVATE_KEY (self), NULL);

  return self->algorithm;
}

guint
gh_private_key_get_bits (GhPrivateKey *self)
{
  g_return_val_if_fail (GH_IS_PRIVATE_KEY (self), 0);

  return self->bits;
}

/* SHA-256 of the public key's SubjectPublicKeyInfo, hex: a public value. */
const char *
gh_private_key_get_public_key_id (GhPrivateKey *self)
{
  g_return_val_if_fail (GH_IS_PRIVATE_KEY (self), NULL);

  return self->public_key_id;
}

gboolean
gh_private_key_matches (GhPrivateKey  *self,
                        GhCertificate *certificate)
{
  g_return_val_if_fail (GH_IS_PRIVATE_KEY (self), FALSE);
  g_return_val_if_fail (GH_IS_CERTIFICATE (certificate), FALSE);

  return *self->public_key_id != '\0' &&
         g_str_equal (self->public_key_id, gh_certificate_get_public_key_id (certificate));
}

/**
 * gh_private_key_export_pkcs8_pem:
 * @self: a #GhPrivateKey
 * @password: (nullable): encrypt with this password (PBES2, AES-256); %NULL for a
 *   plain key, which only a caller that writes it to a 0600 file should ask for
 * @error: return location for a #GH_PKI_ERROR
 *
 * Returns: (transfer full): the PEM text; free it with gh_secret_free()
 */
char *
gh_private_key_export_pkcs8_pem (GhPrivateKey  *self,
                                 const char    *password,
                                 GError       **error)
{
  gnutls_datum_t out = { NULL, 0 };
  char *pem;
  int ret;

  g_return_val_if_fail (GH_IS_PRIVATE_KEY (self), NULL);

  ret = gnutls_x509_privkey_export2_pkcs8 (self->key, GNUTLS_X509_FMT_PEM, password,
                                           password != NULL ? GNUTLS_PKCS_PBES2_AES_256 : GNUTLS_PKCS_PLAIN,
                                           &out);
  if (ret < 0)
    {
      _gh_pki_set_gnutls_error (error, ret, _("Could not export the private key"));
      return NULL;
    }

  pem = g_strndup ((const char *) out.data, out.size);
  gnutls_memset (out.data, 0, out.size);
  gnutls_free (out.data);
  return pem;
}

static gboolean
parse_ip (const char *text,
          guint8      bytes[16],
          gsize      *length)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (text);

  if (address == NULL)
    return FALSE;

  *length = g_inet_address_get_native_size (address);
  memcpy (bytes, g_inet_address_to_bytes (address), *length);
  return TRUE;
}

typedef int (*SetSanFunc) (gpointer, gnutls_x509_subject_alt_name_t, const void *, unsigned int, unsigned int);

static gboolean
set_sans (gpointer             target,
          SetSanFunc           set_san,
          const char * const  *sans,
          GError             **error)
{
  for (guint i = 0; sans != NULL && sans[i] != NULL; i++)
    {
      guint8 ip[16];
      gsize ip_length = 0;
      int ret;

      if (*sans[i] == '\0')
        {
          g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                               _("A subject alternative name is empty"));
          return FALSE;
        }

      if (parse_ip (sans[i], ip, &ip_length))
        ret = set_san (target, GNUTLS_SAN_IPADDRESS, ip, ip_length, GNUTLS_FSAN_APPEND);
      else if (g_hostname_is_ip_address (sans[i]) || strchr (sans[i], ' ') != NULL)
        ret = GNUTLS_E_INVALID_REQUEST;
      else
        ret = set_san (target, GNUTLS_SAN_DNSNAME, sans[i], strlen (sans[i]), GNUTLS_FSAN_APPEND);

      if (ret < 0)
        {
          g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                       _("“%s” is not a valid host name or IP address"), sans[i]);
          return FALSE;
        }
    }

  return TRUE;
}

static gnutls_privkey_t
abstract_key (GhPrivateKey  *self,
              GError       **error)
{
  gnutls_privkey_t privkey = NULL;
  int ret;

  if ((ret = gnutls_privkey_init (&privkey)) < 0 ||
      (ret = gnutls_privkey_import_x509 (privkey, self->key, 0)) < 0)
    {
      g_clear_pointer (&privkey, gnutls_privkey_deinit);
      _gh_pki_set_gnutls_error (error, ret, _("Could not use the private key"));
      return NULL;
    }

  return privkey;
}

static gboolean
check_subject (const char  *subject,
               GError     **error)
{
  if (subject == NULL || *subject == '\0')
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                           _("The subject is empty: give one such as “CN=gateway.example.com”"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
set_dn_error (GError     **error,
              const char  *subject,
              const char  *where)
{
  g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
               _("“%s” is not a valid subject (at “%s”): use the form “CN=name,O=organization”"),
               subject, where ? where : "");
  return FALSE;
}

/**
 * gh_private_key_issue_certificate:
 * @self: the issuer's private key
 * @issuer: (nullable): the issuer's certificate; %NULL for a self-signed certificate
 * @subject_key: (nullable): the key the certificate is for; %NULL means @self
 * @subject: the subject DN, such as "CN=gateway.example.com,O=Example"
 * @sans: (nullable) (array zero-terminated=1): DNS names and IP addresses
 * @days: validity from now
 * @roles: what the certificate is for
 * @error: return location for a #GH_PKI_ERROR
 *
 * Issues a version 3 certificate with a random serial, the key identifiers, and the
 * key usages its roles need.
 *
 * Returns: (transfer full): the certificate, or %NULL with @error set
 */
GhCertificate *
gh_private_key_issue_certificate (GhPrivateKey        *self,
                                  GhCertificate       *issuer,
                                  GhPrivateKey        *subject_key,
                                  const char          *subject,
                                  const char * const  *sans,
                                  guint                days,
                                  GhCertificateRole    roles,
                                  GError             **error)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_privkey_t privkey = NULL;
  guchar serial[16];
  guchar key_id[64];
  size_t key_id_size = sizeof key_id;
  const char *where = NULL;
  unsigned int usage = 0;
  time_t now = time (NULL);
  int ret;

  g_return_val_if_fail (GH_IS_PRIVATE_KEY (self), NULL);
  g_return_val_if_fail (issuer == NULL || GH_IS_CERTIFICATE (issuer), NULL);
  g_return_val_if_fail (subject_key == NULL || GH_IS_PRIVATE_KEY (subject_key), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (subject_key == NULL)
    subject_key = self;

  if (!check_subject (subject, error))
    return NULL;
  if (days == 0 || days > 36500)
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                   ngettext ("A validity of %u day is out of range (1 to 36500)",
                             "A validity of %u days is out of range (1 to 36500)", days), days);
      return NULL;
    }
  if (issuer != NULL && !gh_private_key_matches (self, issuer))
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_KEY_MISMATCH,
                           _("The issuer’s key does not belong to the issuer’s certificate"));
      return NULL;
    }

  if ((ret = gnutls_x509_crt_init (&crt)) < 0)
    goto gnutls_failed;

  if (gnutls_x509_crt_set_dn (crt, subject, &where) < 0)
    {
      gnutls_x509_crt_deinit (crt);
      set_dn_error (error, subject, where);
      return NULL;
    }
  if (!set_sans (crt, (SetSanFunc) gnutls_x509_crt_set_subject_alt_name, sans, error))
    {
      gnutls_x509_crt_deinit (crt);
      return NULL;
    }

  gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial);
  serial[0] &= 0x7f;
  serial[0] |= 0x01;

  if (roles & GH_CERTIFICATE_ROLE_CA)
    usage |= GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN;
  if (roles & (GH_CERTIFICATE_ROLE_SERVER | GH_CERTIFICATE_ROLE_CLIENT))
    {
      usage |= GNUTLS_KEY_DIGITAL_SIGNATURE;
      if (gnutls_x509_privkey_get_pk_algorithm (subject_key->key) == GNUTLS_PK_RSA)
        usage |= GNUTLS_KEY_KEY_ENCIPHERMENT;
    }

  if ((ret = gnutls_x509_crt_set_version (crt, 3)) < 0 ||
      (ret = gnutls_x509_crt_set_serial (crt, serial, sizeof serial)) < 0 ||
      (ret = gnutls_x509_crt_set_activation_time (crt, now - 60)) < 0 ||
      (ret = gnutls_x509_crt_set_expiration_time (crt, now + (time_t) days * 24 * 3600)) < 0 ||
      (ret = gnutls_x509_crt_set_key (crt, subject_key->key)) < 0 ||
      (ret = gnutls_x509_crt_set_basic_constraints (crt, (roles & GH_CERTIFICATE_ROLE_CA) != 0, -1)) < 0 ||
      (usage != 0 && (ret = gnutls_x509_crt_set_key_usage (crt, usage)) < 0) ||
      ((roles & GH_CERTIFICATE_ROLE_SERVER) && (ret = gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0)) < 0) ||
      ((roles & GH_CERTIFICATE_ROLE_CLIENT) && (ret = gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_CLIENT, 0)) < 0) ||
      (ret = gnutls_x509_privkey_get_key_id (subject_key->key, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_size)) < 0 ||
      (ret = gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_size)) < 0)
    goto gnutls_failed;

  if (issuer != NULL)
    {
      key_id_size = sizeof key_id;
      if ((ret = gnutls_x509_privkey_get_key_id (self->key, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_size)) < 0 ||
          (ret = gnutls_x509_crt_set_authority_key_id (crt, key_id, key_id_size)) < 0)
        goto gnutls_failed;
    }

  if ((privkey = abstract_key (self, error)) == NULL)
    {
      gnutls_x509_crt_deinit (crt);
      return NULL;
    }

  ret = gnutls_x509_crt_privkey_sign (crt, issuer ? _gh_certificate_get_gnutls (issuer) : crt, privkey, 0, 0);
  gnutls_privkey_deinit (privkey);
  if (ret < 0)
    goto gnutls_failed;

  return _gh_certificate_new_take (crt);

gnutls_failed:
  g_clear_pointer (&crt, gnutls_x509_crt_deinit);
  _gh_pki_set_gnutls_error (error, ret, _("Could not create the certificate"));
  return NULL;
}

/**
 * gh_private_key_create_self_signed:
 * @self: a #GhPrivateKey
 * @subject: the subject DN, such as "CN=gateway.example.com,O=Example"
 * @sans: (nullable) (array zero-terminated=1): DNS names and IP addresses
 * @days: validity from now
 * @error: return location for a #GH_PKI_ERROR
 *
 * Makes a self-signed end-entity certificate for TLS servers and clients.
 *
 * Returns: (transfer full): the certificate, or %NULL with @error set
 */
GhCertificate *
gh_private_key_create_self_signed (GhPrivateKey        *self,
                                   const char          *subject,
                                   const char * const  *sans,
                                   guint                days,
                                   GError             **error)
{
  return gh_private_key_issue_certificate (self, NULL, NULL, subject, sans, days,
                                           GH_CERTIFICATE_ROLE_SERVER | GH_CERTIFICATE_ROLE_CLIENT,
                                           error);
}

/**
 * gh_private_key_create_csr:
 * @self: a #GhPrivateKey
 * @subject: the subject DN
 * @sans: (nullable) (array zero-terminated=1): DNS names and IP addresses
 * @error: return location for a #GH_PKI_ERROR
 *
 * Returns: (transfer full): a PKCS#10 certificate signing request, PEM
 */
char *
gh_private_key_create_csr (GhPrivateKey        *self,
                           const char          *subject,
                           const char * const  *sans,
                           GError             **error)
{
  gnutls_x509_crq_t crq = NULL;
  gnutls_privkey_t privkey = NULL;
  gnutls_datum_t out = { NULL, 0 };
  const char *where = NULL;
  char *pem;
  int ret;

  g_return_val_if_fail (GH_IS_PRIVATE_KEY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_subject (subject, error))
    return NULL;

  if ((ret = gnutls_x509_crq_init (&crq)) < 0)
    goto gnutls_failed;

  if (gnutls_x509_crq_set_dn (crq, subject, &where) < 0)
    {
      gnutls_x509_crq_deinit (crq);
      set_dn_error (error, subject, where);
      return NULL;
    }
  if (!set_sans (crq, (SetSanFunc) gnutls_x509_crq_set_subject_alt_name, sans, error))
    {
      gnutls_x509_crq_deinit (crq);
      return NULL;
    }

  if ((ret = gnutls_x509_crq_set_version (crq, 1)) < 0 ||
      (ret = gnutls_x509_crq_set_key (crq, self->key)) < 0 ||
      (ret = gnutls_x509_crq_set_key_purpose_oid (crq, GNUTLS_KP_TLS_WWW_SERVER, 0)) < 0 ||
      (ret = gnutls_x509_crq_set_key_purpose_oid (crq, GNUTLS_KP_TLS_WWW_CLIENT, 0)) < 0)
    goto gnutls_failed;

  if ((privkey = abstract_key (self, error)) == NULL)
    {
      gnutls_x509_crq_deinit (crq);
      return NULL;
    }

  ret = gnutls_x509_crq_privkey_sign (crq, privkey, 0, 0);
  gnutls_privkey_deinit (privkey);
  if (ret < 0 || (ret = gnutls_x509_crq_export2 (crq, GNUTLS_X509_FMT_PEM, &out)) < 0)
    goto gnutls_failed;

  gnutls_x509_crq_deinit (crq);
  pem = g_strndup ((const char *) out.data, out.size);
  gnutls_free (out.data);
  return pem;

gnutls_failed:
  g_clear_pointer (&crq, gnutls_x509_crq_deinit);
  _gh_pki_set_gnutls_error (error, ret, _("Could not create the certificate request"));
  return NULL;
}

static void
gh_private_key_finalize (GObject *object)
{
  GhPrivateKey *self = GH_PRIVATE_KEY (object);

  /* gnutls_x509_privkey_deinit() wipes the key material. */
  g_clear_pointer (&self->key, gnutls_x509_privkey_deinit);
  g_clear_pointer (&self->algorithm, g_free);
  g_clear_pointer (&self->public_key_id, g_free);

  G_OBJECT_CLASS (gh_private_key_parent_class)->finalize (object);
}

static void
gh_private_key_class_init (GhPrivateKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gh_private_key_finalize;
}

static void
gh_private_key_init (GhPrivateKey *self)
{
}
