/* fuzz-gateway-config.c — gh_gateway_config_new_from_data() on arbitrary bytes, as the
 * admin API's PUT /config body would bring them. Whatever reads is validated, walked
 * with every getter, serialized and read back: the round trip must give an equal
 * model, the same text and the same problems. Whatever does not read must say why,
 * with at least one problem attached to its error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "gh-gateway-config.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

/* Each problem's text, one per line, to compare two lists. */
static char *
describe_problems (GListModel *problems)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (problems); i++)
    {
      g_autoptr(GhConfigProblem) problem = g_list_model_get_item (problems, i);
      g_autoptr(JsonNode) json = gh_config_problem_to_json (problem);
      g_autofree char *text = gh_config_problem_to_string (problem);

      g_assert (json != NULL);
      g_assert (g_utf8_validate (text, -1, NULL));
      g_assert (gh_config_error_code_to_string (gh_config_problem_get_code (problem)) != NULL);
      g_string_append_printf (out, "%s\n", text);
    }

  return g_string_free (out, FALSE);
}

static void
touch_service (GhGatewayConfig *config,
               GhServiceConfig *service)
{
  const char * const *accept = gh_service_config_get_accept (service);
  GPtrArray *uris = gh_service_config_get_accept_uris (service);
  GUri *connect = gh_service_config_get_connect_uri (service);
  g_autoptr(GFile) directory = gh_gateway_config_resolve_file (config, gh_service_config_get_directory (service));

  g_assert (accept != NULL);
  g_assert (uris != NULL && uris->len <= g_strv_length ((char **) accept));
  for (guint i = 0; i < uris->len; i++)
    g_assert (g_uri_get_port (g_ptr_array_index (uris, i)) > 0);
  g_assert (connect == NULL || g_uri_get_port (connect) > 0);
  g_assert (gh_service_config_get_tls_priority (service) != NULL);
  g_assert (gh_service_config_get_connect_tls_priority (service) != NULL);
  g_assert (gh_service_config_get_verify_client (service) <= GH_VERIFY_CLIENT_REQUIRED);
  (void) gh_service_config_get_service_type (service);
  (void) gh_service_config_get_connect_verify (service);
  (void) gh_service_config_get_connect_server_name (service);
  g_assert (gh_service_config_get_max_pending_bytes (service) >= GH_CONFIG_MIN_PENDING_BYTES);
  g_assert (gh_service_config_get_max_pending_bytes (service) <= GH_CONFIG_MAX_PENDING_BYTES);
  g_assert (gh_service_config_get_idle_timeout (service) >= GH_CONFIG_MIN_IDLE_TIMEOUT);
  g_assert (gh_service_config_get_max_sessions (service) <= GH_CONFIG_MAX_SESSIONS);
  if (gh_service_config_get_name (service) != NULL)
    g_assert (gh_gateway_config_lookup_service (config, gh_service_config_get_name (service)) != NULL);
}

static void
touch_config (GhGatewayConfig *config)
{
  g_autoptr(GSocketConnectable) admin = gh_gateway_config_dup_admin_address (config);
  g_autoptr(GFile) keystore = gh_gateway_config_dup_keystore_file (config);
  g_autoptr(GFile) truststore = gh_gateway_config_dup_truststore_file (config);
  g_autoptr(GFile) client_ca = gh_gateway_config_dup_admin_client_ca_file (config);
  GListModel *services = gh_gateway_config_get_services (config);

  g_assert (gh_gateway_config_get_version (config) == GH_CONFIG_VERSION);
  g_assert (gh_gateway_config_get_name (config) != NULL);
  g_assert (gh_gateway_config_get_admin_listen (config) != NULL);
  g_assert (gh_gateway_config_get_admin_certificate_alias (config) != NULL);

  for (guint i = 0; i < gh_gateway_config_get_n_admin_identities (config); i++)
    {
      const char *subject = gh_gateway_config_get_admin_identity_subject (config, i);

      (void) gh_gateway_config_get_admin_identity_role (config, i);
      if (subject != NULL)
        (void) gh_gateway_config_lookup_admin_role (config, subject,
                                                    gh_gateway_config_get_admin_identity_fingerprint (config, i));
    }

  for (guint i = 0; i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr(GhServiceConfig) service = g_list_model_get_item (services, i);

      touch_service (config, service);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GhGatewayConfig) config = NULL;
  g_autoptr(GhGatewayConfig) again = NULL;
  g_autoptr(GListModel) problems = NULL;
  g_autoptr(GListModel) problems_again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  g_autofree char *described = NULL;
  g_autofree char *described_again = NULL;
  gboolean valid;
  gsize length;

  /* The input as it comes: not nul-terminated, read only within @size. */
  config = gh_gateway_config_new_from_data ((const char *) data, size, &error);
  if (config == NULL)
    {
      GListModel *why;

      g_assert (error != NULL && error->domain == GH_CONFIG_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      why = gh_config_error_get_problems (error);
      g_assert (why != NULL && g_list_model_get_n_items (why) >= 1);
      described = describe_problems (why);
      return 0;
    }

  problems = gh_gateway_config_check (config);
  described = describe_problems (problems);
  valid = gh_gateway_config_validate (config, &error);
  g_assert (valid == (g_list_model_get_n_items (problems) == 0));
  g_assert (valid == (error == NULL));
  touch_config (config);

  /* The round trip: what was written reads back as the same model, and writes the same. */
  text = gh_gateway_config_to_data (config, &length);
  g_assert (length == strlen (text));
  g_clear_error (&error);
  again = gh_gateway_config_new_from_data (text, length, &error);
  if (again == NULL)
    {
      g_printerr ("the serialized configuration does not read back: %s\n%s", error->message, text);
      abort ();
    }
  if (!gh_gateway_config_equal (config, again))
    {
      g_printerr ("the configuration read back is not the same:\n%s", text);
      abort ();
    }

  text_again = gh_gateway_config_to_data (again, NULL);
  g_assert (strcmp (text, text_again) == 0);

  problems_again = gh_gateway_config_check (again);
  described_again = describe_problems (problems_again);
  g_assert (strcmp (described, described_again) == 0);

  return 0;
}
