/* gh-generation.c — the lifetime of services, bindings and generations
 *
 * Only constructors and reference counting: what goes into a generation is the
 * runtime's business (runtime/gh-generation-builder.c), reading it the data plane's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-generation"

#include "config.h"

#include "gh-generation.h"

GhService *
gh_service_new (GhServiceConfig *config)
{
  GhService *service;

  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (config), NULL);

  service = g_new0 (GhService, 1);
  g_atomic_ref_count_init (&service->ref_count);
  service->name = g_strdup (gh_service_config_get_name (config));
  service->config = g_object_ref (config);
  return service;
}

GhService *
gh_service_ref (GhService *service)
{
  g_atomic_ref_count_inc (&service->ref_count);
  return service;
}

void
gh_service_unref (GhService *service)
{
  if (!g_atomic_ref_count_dec (&service->ref_count))
    return;

  g_free (service->name);
  g_clear_object (&service->config);
  g_clear_object (&service->connect_tls);
  g_clear_object (&service->directory);
  g_free (service);
}

GhBinding *
gh_binding_new (const char     *key,
                const char     *path,
                GSocketAddress *address,
                gboolean        secure,
                gboolean        http)
{
  GhBinding *binding = g_new0 (GhBinding, 1);

  binding->key = g_strdup (key);
  binding->path = g_strdup (path);
  binding->address = g_object_ref (address);
  binding->secure = secure;
  binding->http = http;
  binding->paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) gh_service_unref);
  binding->websocket = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return binding;
}

void
gh_binding_free (GhBinding *binding)
{
  g_free (binding->key);
  g_free (binding->path);
  g_clear_object (&binding->address);
  g_clear_object (&binding->tls);
  g_clear_pointer (&binding->raw, gh_service_unref);
  g_clear_pointer (&binding->paths, g_hash_table_unref);
  g_clear_pointer (&binding->websocket, g_hash_table_unref);
  g_free (binding);
}

GhGeneration *
gh_generation_new (GhGatewayConfig *config)
{
  GhGeneration *generation;

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (config), NULL);

  generation = g_new0 (GhGeneration, 1);
  g_atomic_ref_count_init (&generation->ref_count);
  generation->services = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) gh_service_unref);
  generation->bindings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) gh_binding_free);
  generation->config = g_object_ref (config);
  return generation;
}

GhGeneration *
gh_generation_ref (GhGeneration *generation)
{
  g_atomic_ref_count_inc (&generation->ref_count);
  return generation;
}

void
gh_generation_unref (GhGeneration *generation)
{
  if (generation == NULL || !g_atomic_ref_count_dec (&generation->ref_count))
    return;

  g_clear_object (&generation->config);
  g_clear_object (&generation->keystore);
  g_clear_object (&generation->truststore);
  g_clear_pointer (&generation->anchors, g_ptr_array_unref);
  g_clear_object (&generation->identities);
  g_clear_pointer (&generation->services, g_hash_table_unref);
  g_clear_pointer (&generation->bindings, g_hash_table_unref);
  g_clear_object (&generation->admin_tls);
  g_free (generation);
}
