/* gh-admin-identity.c — the admin identity from a PKCS#12 file
 *
 * Loading says why it failed, by an error code of its own: the app asks again for a
 * password, but for a file gone or of the wrong kind it asks for another file. The
 * file is read with GnuTLS, decrypted once: whether the bytes are PKCS#12 at all is
 * a parse of its outer structure, which needs no password; the MAC says whether the
 * password is the file's; a PKCS#12 that opens but gives no key with a certificate
 * makes no identity. The chain and key become a GTlsCertificate through PEM.
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

/* The MAC says whether @password is the file's: NULL and "" are different keys, and
 * a file written "without a password" may have used either. A file without a MAC
 * cannot tell; its decryption will. Returns the password that verified, in @effective. */
static gboolean
verify_password (gnutls_pkcs12_t   pkcs12,
                 const char       *password,
                 const char      **effective)
{
  int ret = gnutls_pkcs12_verify_mac (pkcs12, password);

  *effective = password;
  if (ret >= 0)
    return TRUE;
  if (ret != GNUTLS_E_MAC_VERIFY_FAILED)
    return TRUE;  /* no MAC to check (GnuTLS 3.8 says INVALID_REQUEST) */

  if (password == NULL || *password == '\0')
    {
      const char *other = password == NULL ? "" : NULL;

      if (gnutls_pkcs12_verify_mac (pkcs12, other) >= 0)
        {
          *effective = other;
          return TRUE;
        }
    }

  return FALSE;
}

/* The chain, leaf first, then the key (PKCS#8, not encrypted), as one PEM text for
 * g_tls_certificate_new_from_pem(). The caller wipes it. */
static char *
identity_to_pem (gnutls_x509_crt_t     *chain,
                 unsigned int           chain_length,
                 gnutls_x509_privkey_t  key,
                 gsize                 *length)
{
  g_autoptr(GString) pem = g_string_new (NULL);
  gnutls_datum_t datum = { NULL, 0 };

  for (unsigned int i = 0; i < chain_length; i++)
    {
      if (gnutls_x509_crt_export2 (chain[i], GNUTLS_X509_FMT_PEM, &datum) < 0)
        return NULL;
      g_string_append_len (pem, (const char *) datum.data, datum.size);
      gnutls_free (datum.data);
    }

  if (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &datum) < 0)
    {
      explicit_bzero (pem->str, pem->len);
      return NULL;
    }
  g_string_append_len (pem, (const char *) datum.data, datum.size);
  explicit_bzero (datum.data, datum.size);
  gnutls_free (datum.data);

  *length = pem->len;
  return g_string_free (g_steal_pointer (&pem), FALSE);
}

/* GIO's g_tls_certificate_new_from_pkcs12() is not used: glib-networking first
 * decrypts with an empty password (its "pkcs12-data" property is set before
 * "password"), and when that wrong key happens to give valid padding (one file in
 * about 256, by its random salt) the bogus error it records outlives the decryption
 * with the right password, so a good file fails to load. */
static GTlsCertificate *
identity_from_pkcs12 (const char    *pkcs12_path,
                      const guint8  *data,
                      gsize          length,
                      const char    *password,
                      GError       **error)
{
  gnutls_pkcs12_t pkcs12 = NULL;
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t *chain = NULL;
  unsigned int chain_length = 0;
  gnutls_datum_t datum = { (unsigned char *) data, (unsigned int) length };
  const char *effective = NULL;
  g_autoptr(GError) local_error = NULL;
  GTlsCertificate *certificate = NULL;
  char *pem = NULL;
  gsize pem_length = 0;
  int ret;

  if (length > G_MAXUINT || gnutls_pkcs12_init (&pkcs12) < 0 ||
      (gnutls_pkcs12_import (pkcs12, &datum, GNUTLS_X509_FMT_DER, 0) < 0 &&
       gnutls_pkcs12_import (pkcs12, &datum, GNUTLS_X509_FMT_PEM, 0) < 0))
    {
      g_set_error (error, GH_ADMIN_IDENTITY_ERROR, GH_ADMIN_IDENTITY_ERROR_NOT_PKCS12,
                   _("%s is not a PKCS#12 identity with a certificate and its key: it is not a PKCS#12 file"),
                   pkcs12_path);
      goto out;
    }

  if (!verify_password (pkcs12, password, &effective))
    {
      g_set_error (error, GH_ADMIN_IDENTITY_ERROR, GH_ADMIN_IDENTITY_ERROR_WRONG_PASSWORD,
                   _("The password of the admin identity %s is not the right one"), pkcs12_path);
      goto out;
    }

  ret = gnutls_pkcs12_simple_parse (pkcs12, effective, &key, &chain, &chain_length, NULL, NULL, NULL,
                                    GNUTLS_PKCS12_SP_INCLUDE_SELF_SIGNED);
  if (ret == GNUTLS_E_DECRYPTION_FAILED)
    {
      g_set_error (error, GH_ADMIN_IDENTITY_ERROR, GH_ADMIN_IDENTITY_ERROR_WRONG_PASSWORD,
                   _("The password of the admin identity %s is not the right one"), pkcs12_path);
      goto out;
    }
  if (ret < 0 || key == NULL || chain_length == 0)
    {
      g_set_error (error, GH_ADMIN_IDENTITY_ERROR, GH_ADMIN_IDENTITY_ERROR_NO_KEY,
                   _("%s is not a PKCS#12 identity with a certificate and its key: %s"), pkcs12_path,
                   ret < 0 ? gnutls_strerror (ret) : _("it holds no private key"));
      goto out;
    }

  pem = identity_to_pem (chain, chain_length, key, &pem_length);
  if (pem != NULL)
    certificate = g_tls_certificate_new_from_pem (pem, pem_length, &local_error);
  if (certificate == NULL)
    g_set_error (error, GH_ADMIN_IDENTITY_ERROR, GH_ADMIN_IDENTITY_ERROR_NO_KEY,
                 _("%s is not a PKCS#12 identity with a certificate and its key: %s"), pkcs12_path,
                 local_error != NULL ? local_error->message : _("its certificate or key cannot be used"));

out:
  if (pem != NULL)
    {
      explicit_bzero (pem, pem_length);
      g_free (pem);
    }
  for (unsigned int i = 0; i < chain_length; i++)
    gnutls_x509_crt_deinit (chain[i]);
  gnutls_free (chain);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  if (pkcs12 != NULL)
    gnutls_pkcs12_deinit (pkcs12);
  return certificate;
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
  GTlsCertificate *certificate;

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

  certificate = identity_from_pkcs12 (pkcs12_path, (const guint8 *) data, length, password, error);
  explicit_bzero (data, length);

  return certificate;
}

typedef struct {
  char *path;
  char *password;
} LoadJob;

static void
load_job_free (LoadJob *job)
{
  g_free (job->path);
  if (job->password != NULL)
    explicit_bzero (job->password, strlen (job->password));
  g_free (job->password);
  g_free (job);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadJob *job = task_data;
  GError *error = NULL;
  GTlsCertificate *identity = gh_admin_identity_load (job->path, job->password, &error);

  if (identity == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, identity, g_object_unref);
}

/**
 * gh_admin_identity_load_async:
 * @pkcs12_path: the identity file
 * @password: (nullable): its password (copied, and wiped once used)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * gh_admin_identity_load() in a thread.
 */
void
gh_admin_identity_load_async (const char          *pkcs12_path,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadJob *job;

  g_return_if_fail (pkcs12_path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (LoadJob, 1);
  job->path = g_strdup (pkcs12_path);
  job->password = g_strdup (password);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_admin_identity_load_async);
  g_task_set_task_data (task, job, (GDestroyNotify) load_job_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * gh_admin_identity_load_finish:
 * @result: the #GAsyncResult of gh_admin_identity_load_async()
 * @error: as gh_admin_identity_load() sets it
 *
 * Returns: (transfer full) (nullable): the client certificate with its key
 */
GTlsCertificate *
gh_admin_identity_load_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gh_admin_identity_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
