/* gh-api-cert-usage.c — what on a gateway uses which certificate entry
 *
 * Key entries are named by alias (the accepts that serve them, the admin listener,
 * the client certificates toward back-ends); a truststore certificate by nothing but
 * its place in the chains the gateway verifies, so it is found by the SHA-256
 * fingerprint of the anchor of those chains. The descriptions are for people: a
 * service's name and the URI or role, in the order they were added.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-cert-usage"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-api-cert-usage.h"
#include "gh-service-config.h"

struct _GhApiCertUsage
{
  GObject     parent_instance;

  GHashTable *by_alias;        /* keystore alias → GPtrArray of descriptions */
  GHashTable *by_fingerprint;  /* anchor SHA-256 → GPtrArray of descriptions */
};

G_DEFINE_FINAL_TYPE (GhApiCertUsage, gh_api_cert_usage, G_TYPE_OBJECT)

static void
gh_api_cert_usage_finalize (GObject *object)
{
  GhApiCertUsage *self = GH_API_CERT_USAGE (object);

  g_clear_pointer (&self->by_alias, g_hash_table_unref);
  g_clear_pointer (&self->by_fingerprint, g_hash_table_unref);

  G_OBJECT_CLASS (gh_api_cert_usage_parent_class)->finalize (object);
}

static void
gh_api_cert_usage_class_init (GhApiCertUsageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_cert_usage_finalize;
}

static void
gh_api_cert_usage_init (GhApiCertUsage *self)
{
  self->by_alias = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->by_fingerprint = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
}

GhApiCertUsage *
gh_api_cert_usage_new (void)
{
  return g_object_new (GH_TYPE_API_CERT_USAGE, NULL);
}

static void
add (GHashTable *table,
     const char *key,
     char       *description)   /* taken */
{
  GPtrArray *list;

  if (key == NULL || *key == '\0')
    {
      g_free (description);
      return;
    }

  list = g_hash_table_lookup (table, key);
  if (list == NULL)
    {
      list = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (table, g_strdup (key), list);
    }
  if (g_ptr_array_find_with_equal_func (list, description, g_str_equal, NULL))
    g_free (description);
  else
    g_ptr_array_add (list, description);
}

void
gh_api_cert_usage_add_config (GhApiCertUsage  *self,
                              GhGatewayConfig *config)
{
  GListModel *services;

  g_return_if_fail (GH_IS_API_CERT_USAGE (self));
  g_return_if_fail (GH_IS_GATEWAY_CONFIG (config));

  add (self->by_alias, gh_gateway_config_get_admin_certificate_alias (config), g_strdup (_("Admin API")));

  services = gh_gateway_config_get_services (config);
  for (guint i = 0; i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr(GhServiceConfig) service = g_list_model_get_item (services, i);

      /* TRANSLATORS: %s is a service's name */
      add (self->by_alias, gh_service_config_get_client_certificate_alias (service),
           g_strdup_printf (_("%s: client certificate to the back-end"), gh_service_config_get_name (service)));
    }
}

/* The anchor of @chain, when the chain has one. */
static const char *
anchor_fingerprint (GhApiTrustChain *chain)
{
  GListModel *links = chain != NULL ? gh_api_trust_chain_get_links (chain) : NULL;
  guint n = links != NULL ? g_list_model_get_n_items (links) : 0;
  g_autoptr(GhApiTrustLink) last = n > 0 ? g_list_model_get_item (links, n - 1) : NULL;

  if (last == NULL || gh_api_trust_link_get_role (last) != GH_TRUST_LINK_ANCHOR)
    return NULL;
  return gh_api_trust_link_get_sha256_fingerprint (last);
}

void
gh_api_cert_usage_add_service_tls (GhApiCertUsage  *self,
                                   const char      *service,
                                   GhApiServiceTls *tls)
{
  GListModel *accepts;
  GhApiTlsConnect *connect;

  g_return_if_fail (GH_IS_API_CERT_USAGE (self));
  g_return_if_fail (service != NULL);
  g_return_if_fail (GH_IS_API_SERVICE_TLS (tls));

  accepts = gh_api_service_tls_get_accepts (tls);
  for (guint i = 0; i < g_list_model_get_n_items (accepts); i++)
    {
      g_autoptr(GhApiTlsAccept) accept = g_list_model_get_item (accepts, i);
      const char *uri = gh_api_tls_accept_get_uri (accept);

      /* TRANSLATORS: a service's name and one of its accept URIs */
      add (self->by_alias, gh_api_tls_accept_get_alias (accept), g_strdup_printf (_("%s: %s"), service, uri));
      add (self->by_fingerprint, anchor_fingerprint (gh_api_tls_accept_get_chain (accept)),
           g_strdup_printf (_("%s: %s"), service, uri));
    }

  connect = gh_api_service_tls_get_connect (tls);
  if (connect != NULL)
    /* TRANSLATORS: %s is a service's name */
    add (self->by_fingerprint, anchor_fingerprint (gh_api_tls_connect_get_probe_chain (connect)),
         g_strdup_printf (_("%s: back-end %s"), service, gh_api_tls_connect_get_uri (connect)));
}

static void
append_all (GPtrArray *result,
            GPtrArray *list)
{
  for (guint i = 0; list != NULL && i < list->len; i++)
    if (!g_ptr_array_find_with_equal_func (result, g_ptr_array_index (list, i), g_str_equal, NULL))
      g_ptr_array_add (result, g_strdup (g_ptr_array_index (list, i)));
}

/**
 * gh_api_cert_usage_lookup:
 * @self: a #GhApiCertUsage
 * @store: the entry's store
 * @alias: the entry's alias
 * @certificate: (nullable): the entry's leaf certificate
 *
 * Returns: (transfer full): what uses the entry; empty when nothing does
 */
GStrv
gh_api_cert_usage_lookup (GhApiCertUsage *self,
                          GhApiCertStore  store,
                          const char     *alias,
                          GhCertificate  *certificate)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_null_terminated (4, g_free, TRUE);

  g_return_val_if_fail (GH_IS_API_CERT_USAGE (self), NULL);
  g_return_val_if_fail (alias != NULL, NULL);

  /* The configuration and the accepts name keystore aliases; the gateway verifies
   * chains against the truststore only. */
  if (store == GH_API_CERT_STORE_KEYSTORE)
    append_all (result, g_hash_table_lookup (self->by_alias, alias));
  else if (certificate != NULL)
    append_all (result, g_hash_table_lookup (self->by_fingerprint, gh_certificate_get_sha256_fingerprint (certificate)));

  return (GStrv) g_ptr_array_steal (result, NULL);
}
