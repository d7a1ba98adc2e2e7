/* gh-tls-context.c — how one side of a service does TLS: credentials, priorities,
 * verification
 *
 * A context is immutable once made and shared by every connection of a service; a
 * reload makes new contexts for new handshakes while live sessions keep theirs. (The
 * truststore's revocation lists are added right after making it, before it serves.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-tls-context"

#include "config.h"

#include <glib/gi18n.h>
#include <gnutls/abstract.h>

#include "gh-pki-private.h"
#include "gh-tls-context.h"
#include "gh-tls-private.h"

struct _GhTlsServerContext
{
  GObject                           parent_instance;

  GhTlsIdentities                  *identities;
  char                             *fallback_host;
  GhVerifyClient                    verify_client;
  gnutls_certificate_credentials_t  credentials;
  gnutls_priority_t                 priority;
};

G_DEFINE_FINAL_TYPE (GhTlsServerContext, gh_tls_server_context, G_TYPE_OBJECT)

struct _GhTlsClientContext
{
  GObject                           parent_instance;

  gboolean                          verify;
  gnutls_certificate_credentials_t  credentials;
  gnutls_priority_t                 priority;
};

G_DEFINE_FINAL_TYPE (GhTlsClientContext, gh_tls_client_context, G_TYPE_OBJECT)

static gnutls_priority_t
make_priority (const char  *priority,
               GError     **error)
{
  gnutls_priority_t result = NULL;
  const char *where = NULL;
  int ret;

  ret = gnutls_priority_init2 (&result, priority ? priority : GH_TLS_DEFAULT_PRIORITY, &where, 0);
  if (ret < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Invalid TLS priority string “%s” (at “%s”): %s"),
                   priority, where ? where : "", gnutls_strerror (ret));
      return NULL;
    }

  return result;
}

static gboolean
add_anchors (gnutls_certificate_credentials_t   credentials,
             GPtrArray                         *anchors,
             GError                           **error)
{
  for (guint i = 0; anchors != NULL && i < anchors->len; i++)
    {
      gnutls_x509_crt_t crt = _gh_certificate_get_gnutls (g_ptr_array_index (anchors, i));
      int ret = gnutls_certificate_set_x509_trust (credentials, &crt, 1);

      if (ret < 0)
        return _gh_pki_set_gnutls_error (error, ret, _("Cannot trust a truststore certificate"));
    }

  return TRUE;
}

static gboolean
add_crls (gnutls_certificate_credentials_t   credentials,
          GPtrArray                         *crls,
          GError                           **error)
{
  for (guint i = 0; crls != NULL && i < crls->len; i++)
    {
      GBytes *der = gh_crl_get_der (g_ptr_array_index (crls, i));
      gnutls_datum_t datum = { (guchar *) g_bytes_get_data (der, NULL), (unsigned int) g_bytes_get_size (der) };
      int ret = gnutls_certificate_set_x509_crl_mem (credentials, &datum, GNUTLS_X509_FMT_DER);

      if (ret < 0)
        return _gh_pki_set_gnutls_error (error, ret, _("Cannot use a revocation list of the truststore"));
    }

  return TRUE;
}

/**
 * gh_tls_server_context_new:
 * @identities: the certificates the server may present
 * @fallback_host: the accept URI's host: whose certificate to present without SNI
 * @priority: (nullable): a GnuTLS priority string; %NULL for #GH_TLS_DEFAULT_PRIORITY
 * @verify_client: whether to ask clients for a certificate
 * @client_anchors: (nullable) (element-type GhCertificate): CAs for client certificates
 * @error: return location for a #GError
 *
 * Fails when no identity serves @fallback_host: a service must have a certificate
 * for the host it accepts on.
 *
 * Returns: (transfer full): the context
 */
GhTlsServerContext *
gh_tls_server_context_new (GhTlsIdentities  *identities,
                           const char       *fallback_host,
                           const char       *priority,
                           GhVerifyClient    verify_client,
                           GPtrArray        *client_anchors,
                           GError          **error)
{
  g_autoptr(GhTlsServerContext) self = NULL;
  GhTlsIdentity *identity;
  int ret;

  g_return_val_if_fail (GH_IS_TLS_IDENTITIES (identities), NULL);
  g_return_val_if_fail (fallback_host != NULL, NULL);

  if ((identity = gh_tls_identities_select (identities, NULL, fallback_host)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No key entry of the keystore has a certificate for “%s”"), fallback_host);
      return NULL;
    }
  /* The accept's own key is opened now: one that cannot be fails here, not a client. */
  if (!gh_tls_identity_open_key (identity, error))
    return NULL;
  if (verify_client != GH_VERIFY_CLIENT_NONE && (client_anchors == NULL || client_anchors->len == 0))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Verifying client certificates needs a truststore with their CAs"));
      return NULL;
    }

  self = g_object_new (GH_TYPE_TLS_SERVER_CONTEXT, NULL);
  self->identities = g_object_ref (identities);
  self->fallback_host = g_strdup (fallback_host);
  self->verify_client = verify_client;

  if ((self->priority = make_priority (priority, error)) == NULL)
    return NULL;

  if ((ret = gnutls_certificate_allocate_credentials (&self->credentials)) < 0)
    {
      _gh_pki_set_gnutls_error (error, ret, _("Cannot set up TLS"));
      return NULL;
    }
  gnutls_certificate_set_retrieve_function3 (self->credentials, _gh_tls_stream_retrieve_server_certificate);
  if (!add_anchors (self->credentials, client_anchors, error))
    return NULL;

  return g_steal_pointer (&self);
}

GhTlsIdentities *
gh_tls_server_context_get_identities (GhTlsServerContext *self)
{
  g_return_val_if_fail (GH_IS_TLS_SERVER_CONTEXT (self), NULL);
  return self->identities;
}

const char *
gh_tls_server_context_get_fallback_host (GhTlsServerContext *self)
{
  g_return_val_if_fail (GH_IS_TLS_SERVER_CONTEXT (self), NULL);
  return self->fallback_host;
}

GhVerifyClient
gh_tls_server_context_get_verify_client (GhTlsServerContext *self)
{
  g_return_val_if_fail (GH_IS_TLS_SERVER_CONTEXT (self), GH_VERIFY_CLIENT_NONE);
  return self->verify_client;
}

gnutls_certificate_credentials_t
gh_tls_server_context_get_credentials (GhTlsServerContext *self)
{
  g_return_val_if_fail (GH_IS_TLS_SERVER_CONTEXT (self), NULL);
  return self->credentials;
}

gnutls_priority_t
gh_tls_server_context_get_priority (GhTlsServerContext *self)
{
  g_return_val_if_fail (GH_IS_TLS_SERVER_CONTEXT (self), NULL);
  return self->priority;
}

/* A context is shared once made: the generation builder adds the truststore's CRLs
 * before any handshake uses it. */
gboolean
gh_tls_server_context_add_crls (GhTlsServerContext  *self,
                                GPtrArray           *crls,
                                GError             **error)
{
  g_return_val_if_fail (GH_IS_TLS_SERVER_CONTEXT (self), FALSE);
  return add_crls (self->credentials, crls, error);
}

static void
gh_tls_server_context_finalize (GObject *object)
{
  GhTlsServerContext *self = GH_TLS_SERVER_CONTEXT (object);

  g_clear_pointer (&self->credentials, gnutls_certificate_free_credentials);
  g_clear_pointer (&self->priority, gnutls_priority_deinit);
  g_clear_object (&self->identities);
  g_clear_pointer (&self->fallback_host, g_free);

  G_OBJECT_CLASS (gh_tls_server_context_parent_class)->finalize (object);
}

static void
gh_tls_server_context_class_init (GhTlsServerContextClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_tls_server_context_finalize;
}

static void
gh_tls_server_context_init (GhTlsServerContext *self)
{
}

/**
 * gh_tls_client_context_new:
 * @priority: (nullable): a GnuTLS priority string; %NULL for #GH_TLS_DEFAULT_PRIORITY
 * @verify: verify the server's chain against @anchors and its host name
 * @anchors: (nullable) (element-type GhCertificate): the CAs to trust
 * @client_identity: (nullable): a key entry to present as client certificate
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the context
 */
GhTlsClientContext *
gh_tls_client_context_new (const char       *priority,
                           gboolean          verify,
                           GPtrArray        *anchors,
                           GhKeystoreEntry  *client_identity,
                           GError          **error)
{
  g_autoptr(GhTlsClientContext) self = g_object_new (GH_TYPE_TLS_CLIENT_CONTEXT, NULL);
  int ret;

  self->verify = verify;
  if ((self->priority = make_priority (priority, error)) == NULL)
    return NULL;

  if ((ret = gnutls_certificate_allocate_credentials (&self->credentials)) < 0)
    {
      _gh_pki_set_gnutls_error (error, ret, _("Cannot set up TLS"));
      return NULL;
    }
  if (!add_anchors (self->credentials, anchors, error))
    return NULL;

  if (client_identity != NULL)
    {
      g_autoptr(GhPrivateKey) key = NULL;
      GPtrArray *chain = gh_keystore_entry_get_chain (client_identity);
      g_autofree gnutls_x509_crt_t *crts = g_new0 (gnutls_x509_crt_t, chain->len);
      g_autoptr(GError) local_error = NULL;

      if (gh_keystore_entry_get_kind (client_identity) != GH_KEYSTORE_ENTRY_KEY)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a key entry: a client certificate needs its private key"),
                       gh_keystore_entry_get_alias (client_identity));
          return NULL;
        }
      /* Decrypted for the credentials, which keep their own copy. */
      if ((key = gh_keystore_entry_load_private_key (client_identity, &local_error)) == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The private key of keystore entry “%s” cannot be used: %s"),
                       gh_keystore_entry_get_alias (client_identity), local_error->message);
          return NULL;
        }
      for (guint i = 0; i < chain->len; i++)
        crts[i] = _gh_certificate_get_gnutls (g_ptr_array_index (chain, i));
      ret = gnutls_certificate_set_x509_key (self->credentials, crts, chain->len, _gh_private_key_get_gnutls (key));
      if (ret < 0)
        {
          _gh_pki_set_gnutls_error (error, ret, _("Cannot use the client certificate"));
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

gboolean
gh_tls_client_context_get_verify (GhTlsClientContext *self)
{
  g_return_val_if_fail (GH_IS_TLS_CLIENT_CONTEXT (self), TRUE);
  return self->verify;
}

gnutls_certificate_credentials_t
gh_tls_client_context_get_credentials (GhTlsClientContext *self)
{
  g_return_val_if_fail (GH_IS_TLS_CLIENT_CONTEXT (self), NULL);
  return self->credentials;
}

gnutls_priority_t
gh_tls_client_context_get_priority (GhTlsClientContext *self)
{
  g_return_val_if_fail (GH_IS_TLS_CLIENT_CONTEXT (self), NULL);
  return self->priority;
}

gboolean
gh_tls_client_context_add_crls (GhTlsClientContext  *self,
                                GPtrArray           *crls,
                                GError             **error)
{
  g_return_val_if_fail (GH_IS_TLS_CLIENT_CONTEXT (self), FALSE);
  return add_crls (self->credentials, crls, error);
}

static void
gh_tls_client_context_finalize (GObject *object)
{
  GhTlsClientContext *self = GH_TLS_CLIENT_CONTEXT (object);

  g_clear_pointer (&self->credentials, gnutls_certificate_free_credentials);
  g_clear_pointer (&self->priority, gnutls_priority_deinit);

  G_OBJECT_CLASS (gh_tls_client_context_parent_class)->finalize (object);
}

static void
gh_tls_client_context_class_init (GhTlsClientContextClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_tls_client_context_finalize;
}

static void
gh_tls_client_context_init (GhTlsClientContext *self)
{
}
