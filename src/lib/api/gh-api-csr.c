/* gh-api-csr.c — what a certificate request for a gateway should ask for
 *
 * The names come from the configuration, not from the keystore: a new key is made for
 * what the gateway answers to, whatever its old certificate said.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-csr"

#include "config.h"

#include <string.h>

#include "gh-api-csr.h"
#include "gh-service-config.h"

static gboolean
is_secure (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);

  return g_strcmp0 (scheme, "wss") == 0 || g_strcmp0 (scheme, "https") == 0 || g_strcmp0 (scheme, "ssl") == 0;
}

static void
add_once (GPtrArray  *names,
          const char *name)
{
  if (name == NULL || *name == '\0')
    return;
  for (guint i = 0; i < names->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (names, i), name) == 0)
      return;
  g_ptr_array_add (names, g_strdup (name));
}

char **
gh_api_csr_suggest_names (GhGatewayConfig *config)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GListModel *services;

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (config), NULL);

  services = gh_gateway_config_get_services (config);
  for (guint i = 0; i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr(GhServiceConfig) service = g_list_model_get_item (services, i);
      GPtrArray *uris = gh_service_config_get_accept_uris (service);

      for (guint j = 0; j < uris->len; j++)
        if (is_secure (g_ptr_array_index (uris, j)))
          add_once (names, g_uri_get_host (g_ptr_array_index (uris, j)));
    }
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

char *
gh_api_csr_suggest_subject (const char * const *names)
{
  return g_strconcat ("CN=", names != NULL && names[0] != NULL ? names[0] : "", NULL);
}

char **
gh_api_csr_parse_names (const char *text)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = g_regex_split_simple ("[\\s,]+", text != NULL ? text : "", 0, 0);

  for (guint i = 0; parts[i] != NULL; i++)
    add_once (names, parts[i]);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}
