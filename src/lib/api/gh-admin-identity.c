/* gh-admin-identity.c — the admin identity from a PKCS#12 file
 *
 * Loading says why it failed, by an error code of its own: the app asks again for a
 * password, but for a file gone or of the wrong kind it asks for another file. The
 * file is decrypted once, by GIO (g_tls_certificate_new_from_pkcs12(), which also
 * tells a wrong password apart); the cases it lumps together are told apart without
 * decrypting again: whether the bytes are PKCS#12 at all is a parse of its outer DER
 * structure by GnuTLS, which needs no password, and a PKCS#12 that opens but makes no
 * identity has no key with its certificate.
 *
 * The file holds the private key (encrypted, but still): its bytes are wiped once read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-identity"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <gnutls/pkcs12.h>

#include "gh-admin-identity.h"

G_DEFINE_QUARK (gh-admin-identity-error-quark, gh_admin_identity_error)

/* The outer structure only: no MAC checked, nothing decrypted. */
static gboolean
is_pkcs12 (const guint8 *data,
           gsize         length)
{
  gnutls_pkcs12_t pkcs12 = NULL;
  gnutls_datum_t datum = { (unsigned char *) data, (unsigned int) length };
  gboolean parsed;

  if (length > G_MAXUINT || gnutls_pkcs12_init (&pkcs12) < 0)
    return FALSE;
  parsed = gnutls_pkcs12_import (pkcs12, &datum, GNUTLS_X509_FMT_DER, 0) >= 0 ||
           gnutls_pkcs12_import (pkcs12, &datum, GNUTLS_X509_FMT_PEM, 0) >= 0;
  gnutls_pkcs12_deinit (pkcs12);
  return parsed;
}

/* GIO's backend may make a certificate without a key of a PKCS#12 that has none. */
static gboolean
has_private_key (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) key = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *uri = NULL;
  gboolean found;

  g_object_get (certificate, "private-key", &key, "private-key-pem", &key_pem, "private-key-pkcs11-uri", &uri, NULL);
  found = key != NULL || key_pem != NULL || uri != NULL;
  if (key != NULL)
    explicit_bzero (key->data, key->len);
  if (key_pem != NULL)
    explicit_bzero (key_pem, strlen (key_pem));
  return found;
}

/**
 * gh_admin_identity_load:
 * @pkcs12_path: the identity file
 * @password: (nullable): its password (NULL: a file without one)
 * @error: GH_ADMIN_IDENTITY_ERROR, its code saying why, its message for people
 *
 * Returns: (transfer full) (nullable): the client certificate with its key
 */
GTlsCertificate *
gh_admin_identity_load (const char  *pkcs12_path,
                        const char  *password,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr(GTlsCertificate) certificate = NULL;
  gboolean pkcs12;

  g_return_val_if_fail (pkcs12_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (pkcs12_path, &data, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, GH_ADMIN_IDENTITY_ERROR, GH_ADMIN_IDENTITY_ERROR_NOT_FOUND,
                     _("The admin identity file %s does not exist"), pkcs12_path);
      else
        g_set_error (error, GH_ADMIN_IDENTITY_ERROR, GH_ADMIN_IDENTITY_ERROR_UNREADABLE,
                     _("Could not read the admin identity file: %s"), local_error->message);
      return NULL;
    }

  pkcs12 = is_pkcs12 ((const guint8 *) data, length);
  if (pkcs12)
    certificate = g_tls_certificate_new_from_pkcs12 ((const guint8 *) data, length, password, &local_error);
  explicit_bzero (data, length);

  if (!pkcs12)
    {
      g_set_error (error, GH_ADMIN_IDENTITY_ERROR, GH_ADMIN_IDENTITY_ERROR_NOT_PKCS12,
                   _("%s is not a PKCS#12 identity with a certificate and its key: it is not a PKCS#12 file"),
                   pkcs12_path);
      return NULL;
    }
  if (g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE_PASSWORD))
    {
      g_set_error (error, GH_ADMIN_IDENTITY_ERROR, GH_ADMIN_IDENTITY_ERROR_WRONG_PASSWORD,
                   _("The password of the admin identity %s is not the right one"), pkcs12_path);
      return NULL;
    }
  if (certificate == NULL || !has_private_key (certificate))
    {
      g_set_error (error, GH_ADMIN_IDENTITY_ERROR, GH_ADMIN_IDENTITY_ERROR_NO_KEY,
                   _("%s is not a PKCS#12 identity with a certificate and its key: %s"), pkcs12_path,
                   local_error != NULL ? local_error->message : _("it holds no private key"));
      return NULL;
    }

  return g_steal_pointer (&certificate);
}
