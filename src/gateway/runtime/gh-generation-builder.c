/* gh-generation-builder.c — a generation from a configuration and its stores
 *
 * Reads the keystore and truststore the configuration names (or takes the ones an
 * admin request brings), makes the TLS identities and contexts, and maps every accept
 * URI to a binding of its address. It binds no socket, so it runs in a thread (a
 * reload, a change through the admin API) and in unit tests; the gateway binds the
 * listeners afterwards (runtime/gh-gateway.c).
 *
 * The keystore is read without decrypting a key; what is decrypted here is what the
 * generation serves for certain: the key of each TLS accept host, each back-end
 * client certificate, the admin listener's (gh-tls-identities.c says why).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gatehoused"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-generation-builder.h"
#include "gh-file-util.h"
#include "gh-gateway.h"
#include "gh-keystore-crls.h"
#include "gh-net-util.h"

gboolean
gh_generation_read_store_password (GFile       *password_file,
                                   const char  *what,
                                   GhSecret   **password,
                                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  *password = NULL;
  if (password_file == NULL || (*password = gh_file_read_password (password_file, &local_error)) != NULL)
    return TRUE;

  {
    g_autofree char *password_name = g_file_get_parse_name (password_file);

    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The %s password file %s: %s"),
                 what, password_name, local_error->message);
  }
  return FALSE;
}

static GhKeystore *
load_store (GFile       *file,
            GFile       *password_file,
            const char  *what,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GhSecret) password = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  GhKeystore *store;

  if (!gh_generation_read_store_password (password_file, what, &password, error))
    return NULL;

  store = gh_keystore_new_from_file (file, password, GH_KEYSTORE_LOAD_NONE, &local_error);
  if (store == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The %s %s: %s"), what, name, local_error->message);

  return store;
}

static GList *
resolve_host (const char  *host,
              GError     **error)
{
  g_autoptr(GResolver) resolver = NULL;
  GList *addresses;

  if (g_hostname_is_ip_address (host))
    return g_list_append (NULL, g_inet_address_new_from_string (host));

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return g_list_append (NULL, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));

  resolver = g_resolver_get_default ();
  addresses = g_resolver_lookup_by_name (resolver, host, NULL, error);
  return addresses;
}

static const char *
uri_path (GUri *uri)
{
  const char *path = g_uri_get_path (uri);

  return (path != NULL && *path != '\0') ? path : "/";
}

static gboolean
scheme_is (GUri       *uri,
           const char *scheme)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), scheme) == 0;
}

static gboolean
is_secure (GUri *uri)
{
  return scheme_is (uri, "wss") || scheme_is (uri, "https") || scheme_is (uri, "ssl");
}

static gboolean
is_http (GUri *uri)
{
  return scheme_is (uri, "ws") || scheme_is (uri, "wss") || scheme_is (uri, "http") || scheme_is (uri, "https");
}

/* The truststore's revocation lists: GnuTLS honours them for back-end chains and
 * client certificates as GhTrustChain does for the findings. */
static GPtrArray *
truststore_crls (GhGeneration *generation)
{
  return generation->truststore != NULL ? gh_keystore_get_crls (generation->truststore) : NULL;
}

static GhService *
make_service (GhGeneration     *generation,
              guint             index,
              GhServiceConfig  *config,
              GError          **error)
{
  g_autoptr(GhService) service = gh_service_new (config);
  GUri *connect = gh_service_config_get_connect_uri (config);

  if (gh_service_config_get_service_type (config) == GH_SERVICE_TYPE_DIRECTORY)
    service->directory = gh_gateway_config_resolve_file (generation->config, gh_service_config_get_directory (config));

  if (connect != NULL && (scheme_is (connect, "ssl") || scheme_is (connect, "wss")))
    {
      const char *alias = gh_service_config_get_client_certificate_alias (config);
      GhKeystoreEntry *identity = NULL;
      g_autoptr(GError) local_error = NULL;

      if (alias != NULL)
        {
          identity = generation->keystore ? gh_keystore_lookup (generation->keystore, alias) : NULL;
          if (identity == NULL)
            {
              g_autofree char *path = g_strdup_printf ("services[%u].connect-tls.client-certificate-alias", index);
              g_autofree char *message = g_strdup_printf (_("Service “%s”: the keystore has no entry “%s” for the client certificate"),
                                                          service->name, alias);

              gh_config_error_set_problem (error, GH_CONFIG_ERROR_INVALID, path, message);
              return NULL;
            }
        }

      service->connect_tls = gh_tls_client_context_new (gh_service_config_get_connect_tls_priority (config),
                                                        gh_service_config_get_connect_verify (config),
                                                        generation->anchors, identity, &local_error);
      if (service->connect_tls == NULL ||
          !gh_tls_client_context_add_crls (service->connect_tls, truststore_crls (generation), &local_error))
        {
          g_autofree char *path = g_strdup_printf ("services[%u].connect-tls", index);
          g_autofree char *message = g_strdup_printf (_("Service “%s”: %s"), service->name, local_error->message);

          gh_config_error_set_problem (error, GH_CONFIG_ERROR_INVALID, path, message);
          return NULL;
        }
    }

  return g_steal_pointer (&service);
}

/* Another accept on a TLS address already bound: its host's key, if the keystore
 * has one for it, is opened now, as the first accept's was with the context. */
static gboolean
open_accept_key (GhGeneration *generation,
                 GhService    *service,
                 GUri         *uri,
                 GError      **error)
{
  GhTlsIdentity *identity = gh_tls_identities_select (generation->identities, NULL, g_uri_get_host (uri));
  g_autoptr(GError) local_error = NULL;
  g_autofree char *accept = NULL;

  if (identity == NULL || gh_tls_identity_open_key (identity, &local_error))
    return TRUE;

  accept = g_uri_to_string (uri);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Service “%s”, accept %s: %s"),
               service->name, accept, local_error->message);
  return FALSE;
}

static gboolean
has_tls_accept (GhGeneration *generation)
{
  GHashTableIter iter;
  GhBinding *binding;

  g_hash_table_iter_init (&iter, generation->bindings);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &binding))
    if (binding->tls != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
add_accept (GhGeneration *generation,
            const char   *path,
            GhService    *service,
            GUri        *uri,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GList *addresses = resolve_host (g_uri_get_host (uri), &local_error);

  if (addresses == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("Service “%s”: cannot resolve the accept host “%s”: %s"),
                   service->name, g_uri_get_host (uri), local_error ? local_error->message : "");
      return FALSE;
    }

  for (GList *l = addresses; l != NULL; l = l->next)
    {
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (l->data, g_uri_get_port (uri));
      g_autofree char *key = gh_socket_address_to_string (address);
      GhBinding *binding = g_hash_table_lookup (generation->bindings, key);

      if (binding == NULL)
        {
          binding = gh_binding_new (key, path, address, is_secure (uri), is_http (uri));
          g_hash_table_insert (generation->bindings, g_strdup (key), binding);
        }
      else if (binding->secure != is_secure (uri) || binding->http != is_http (uri) || !binding->http)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                       _("Service “%s”: %s is already used by another service in another way"),
                       service->name, key);
          g_list_free_full (addresses, g_object_unref);
          return FALSE;
        }

      if (binding->secure && binding->tls == NULL)
        {
          binding->tls = gh_tls_server_context_new (generation->identities, g_uri_get_host (uri),
                                                    gh_service_config_get_tls_priority (service->config),
                                                    gh_service_config_get_verify_client (service->config),
                                                    generation->anchors, &local_error);
          if (binding->tls != NULL &&
              !gh_tls_server_context_add_crls (binding->tls, truststore_crls (generation), &local_error))
            g_clear_object (&binding->tls);
          if (binding->tls == NULL)
            {
              g_autofree char *keystore = generation->keystore ? NULL : g_strdup (_("(no keystore configured)"));
              g_autofree char *accept = g_uri_to_string (uri);

              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Service “%s”, accept %s: %s %s"),
                           service->name, accept, local_error->message,
                           keystore ? keystore : gh_gateway_config_get_keystore_path (generation->config));
              g_list_free_full (addresses, g_object_unref);
              return FALSE;
            }
        }
      else if (binding->secure && !open_accept_key (generation, service, uri, error))
        {
          g_list_free_full (addresses, g_object_unref);
          return FALSE;
        }

      if (binding->http)
        {
          g_hash_table_insert (binding->paths, g_strdup (uri_path (uri)), gh_service_ref (service));
          if (scheme_is (uri, "ws") || scheme_is (uri, "wss"))
            g_hash_table_add (binding->websocket, g_strdup (uri_path (uri)));
        }
      else
        {
          binding->raw = gh_service_ref (service);
        }
    }

  g_list_free_full (addresses, g_object_unref);
  return TRUE;
}

void
gh_generation_error_to_problem (GError     **error,
                                const char  *path)
{
  GError *original;

  if (error == NULL || *error == NULL)
    return;
  if ((*error)->domain == GH_CONFIG_ERROR && gh_config_error_get_problems (*error) != NULL)
    return;

  original = g_steal_pointer (error);
  gh_config_error_set_problem (error, GH_CONFIG_ERROR_INVALID, path, original->message);
  g_error_free (original);
}

/* The admin listener's TLS: TLS 1.3 only, the admin certificate whatever the name asked
 * for, a client certificate required from the admin CA. */
static GhTlsServerContext *
make_admin_tls (GhGeneration *generation,
                GError     **error)
{
  GhGatewayConfig *config = generation->config;
  const char *alias = gh_gateway_config_get_admin_certificate_alias (config);
  GhKeystoreEntry *entry = gh_keystore_lookup (generation->keystore, alias);
  g_autoptr(GFile) client_ca_file = gh_gateway_config_dup_admin_client_ca_file (config);
  g_autoptr(GhTlsIdentities) identities = NULL;
  g_autoptr(GhKeystore) client_ca = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(GError) local_error = NULL;
  GhTlsServerContext *context;

  if (entry == NULL || gh_keystore_entry_get_kind (entry) != GH_KEYSTORE_ENTRY_KEY)
    {
      g_autofree char *message = g_strdup_printf (_("the keystore has no key entry “%s”"), alias);

      gh_config_error_set_problem (error, GH_CONFIG_ERROR_INVALID, "admin.certificate-alias", message);
      return NULL;
    }
  if ((identities = gh_tls_identities_new_single (entry, error)) == NULL)
    {
      gh_generation_error_to_problem (error, "admin.certificate-alias");
      return NULL;
    }

  if (client_ca_file == NULL ||
      (client_ca = gh_keystore_new_from_file (client_ca_file, NULL, GH_KEYSTORE_LOAD_NONE, &local_error)) == NULL)
    {
      gh_config_error_set_problem (error, GH_CONFIG_ERROR_INVALID, "admin.client-ca",
                                   local_error ? local_error->message : _("missing"));
      return NULL;
    }
  anchors = gh_keystore_get_trusted_certificates (client_ca);
  if (anchors->len == 0)
    {
      g_autofree char *message = g_strdup_printf (_("%s holds no certificate"), g_file_peek_path (client_ca_file));

      gh_config_error_set_problem (error, GH_CONFIG_ERROR_INVALID, "admin.client-ca", message);
      return NULL;
    }

  /* The single identity is served whatever the name: the fallback never decides. */
  context = gh_tls_server_context_new (identities, "localhost", GH_ADMIN_TLS_PRIORITY,
                                       GH_VERIFY_CLIENT_REQUIRED, anchors, error);
  if (context == NULL)
    gh_generation_error_to_problem (error, "admin");
  return context;
}

/* Everything @config (valid or not) and its stores would make; @keystore and
 * @truststore, when given, replace the files the configuration names. */
GhGeneration *
gh_generation_build (GhGatewayConfig  *config,
                     GhKeystore       *keystore,
                     GhKeystore       *truststore,
                     GError          **error)
{
  g_autoptr(GhGeneration) generation = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFile) keystore_file = NULL;
  g_autoptr(GFile) truststore_file = NULL;
  GListModel *services;

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (config), NULL);

  generation = gh_generation_new (config);

  if (!gh_gateway_config_validate (generation->config, &local_error))
    {
      /* The configuration's errors name the file and the field already. */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (keystore != NULL)
    {
      generation->keystore = g_object_ref (keystore);
    }
  else if ((keystore_file = gh_gateway_config_dup_keystore_file (generation->config)) != NULL)
    {
      g_autoptr(GFile) password_file = gh_gateway_config_dup_keystore_password_file (generation->config);

      if ((generation->keystore = load_store (keystore_file, password_file, _("keystore"), error)) == NULL)
        {
          gh_generation_error_to_problem (error, "security.keystore");
          return NULL;
        }
    }
  else
    {
      generation->keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
    }

  if (truststore != NULL)
    {
      generation->truststore = g_object_ref (truststore);
      generation->anchors = gh_keystore_get_trusted_certificates (generation->truststore);
    }
  else if ((truststore_file = gh_gateway_config_dup_truststore_file (generation->config)) != NULL)
    {
      g_autoptr(GFile) password_file = gh_gateway_config_dup_truststore_password_file (generation->config);

      if ((generation->truststore = load_store (truststore_file, password_file, _("truststore"), error)) == NULL)
        {
          gh_generation_error_to_problem (error, "security.truststore");
          return NULL;
        }
      generation->anchors = gh_keystore_get_trusted_certificates (generation->truststore);
    }
  else
    {
      generation->anchors = g_ptr_array_new_with_free_func (g_object_unref);
    }

  generation->identities = gh_tls_identities_new_from_keystore (generation->keystore, error);
  if (generation->identities == NULL)
    {
      gh_generation_error_to_problem (error, "security.keystore");
      return NULL;
    }

  services = gh_gateway_config_get_services (generation->config);
  for (guint i = 0; i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr(GhServiceConfig) service_config = g_list_model_get_item (services, i);
      g_autoptr(GhService) service = make_service (generation, i, service_config, error);
      GPtrArray *accepts;

      if (service == NULL)
        {
          g_autofree char *path = g_strdup_printf ("services[%u]", i);

          gh_generation_error_to_problem (error, path);
          return NULL;
        }

      accepts = gh_service_config_get_accept_uris (service_config);
      for (guint j = 0; j < accepts->len; j++)
        {
          g_autofree char *path = g_strdup_printf ("services[%u].accept[%u]", i, j);

          if (!add_accept (generation, path, service, g_ptr_array_index (accepts, j), error))
            {
              gh_generation_error_to_problem (error, path);
              return NULL;
            }
        }

      g_hash_table_insert (generation->services, g_strdup (service->name), gh_service_ref (service));
    }

  /* A client's SNI reaches any identity of a TLS accept: every key is opened now,
   * here, so that no handshake derives one on the data plane. */
  if (has_tls_accept (generation))
    gh_tls_identities_open_all (generation->identities);

  if (gh_gateway_config_has_admin (generation->config) &&
      (generation->admin_tls = make_admin_tls (generation, error)) == NULL)
    return NULL;

  return g_steal_pointer (&generation);
}

GhGeneration *
gh_generation_build_from_file (GFile   *config_file,
                               GError **error)
{
  g_autoptr(GhGatewayConfig) config = gh_gateway_config_new_from_file (config_file, NULL, error);

  if (config == NULL)
    return NULL;
  return gh_generation_build (config, NULL, NULL, error);
}
