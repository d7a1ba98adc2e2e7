/* gh-ctl-gateway-truststore.c — `gatehousectl truststore …` on a running gateway
 *
 * The certificates the gateway trusts, one entry per certificate: list reads
 * /truststore; add (one PEM certificate, aliased by its common name unless --alias
 * says) and delete are writes with If-Match.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-gateway-truststore"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-ctl-private.h"

gboolean
gh_ctl_truststore_list (const GhCommand  *command,
                        int               argc,
                        char            **argv,
                        GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *entries;

  if (!gh_ctl_gateway_open_for (&gateway, "truststore", command, argc, argv, 0, error) ||
      (root = gh_ctl_gateway_get (&gateway, "truststore", error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    {
      gh_ctl_print_json (root);
      return TRUE;
    }

  entries = gh_ctl_json_array (root, "entries");
  g_print ("%-24s %-10s %-36s %s\n", _("ALIAS"), _("EXPIRES"), _("SUBJECT"), _("SHA-256"));
  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = gh_ctl_json_element (entries, i);
      JsonObject *certificate = gh_ctl_json_object (entry, "certificate");
      g_autofree char *expires = gh_ctl_format_date (gh_ctl_json_string (certificate, "not_after"));

      g_print ("%-24s %-10s %-36s %s\n", gh_ctl_json_string (entry, "alias"), expires,
               gh_ctl_json_string (certificate, "subject"), gh_ctl_json_string (certificate, "sha256_fingerprint"));
    }

  return TRUE;
}

gboolean
gh_ctl_truststore_add (const GhCommand  *command,
                       int               argc,
                       char            **argv,
                       GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) pki_error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *alias = NULL;
  GhCertificate *certificate;
  GError *local_error = NULL;
  gint64 version = 0, new_version = 0;

  if (!gh_ctl_check_arguments (command, argc, argv, 1, error))
    return FALSE;

  if (!g_file_get_contents (argv[1], &pem, NULL, &local_error))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, "%s", local_error->message);
      g_clear_error (&local_error);
      return FALSE;
    }
  certificates = gh_certificate_list_from_pem (pem, -1, &pki_error);
  if (certificates == NULL || certificates->len != 1)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                   _("%s: give one PEM certificate (the gateway trusts certificates one by one): %s"), argv[1],
                   pki_error != NULL ? pki_error->message : _("the file holds more than one"));
      return FALSE;
    }
  certificate = g_ptr_array_index (certificates, 0);

  /* The alias: --alias, else the certificate's common name in lower case. */
  if (gh_ctl_options.alias != NULL)
    alias = g_strdup (gh_ctl_options.alias);
  else
    {
      g_autofree char *cn = gh_certificate_get_subject_field (certificate, "CN");

      if (cn == NULL || cn[0] == '\0')
        {
          g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                               _("the certificate has no common name: give the entry an alias with --alias ALIAS"));
          return FALSE;
        }
      alias = g_ascii_strdown (cn, -1);
      g_strdelimit (alias, " ", '-');
    }

  if (!gh_ctl_gateway_open (&gateway, "truststore", command, error) ||
      !gh_ctl_gateway_write_version (&gateway, &version, error))
    return FALSE;

  gh_admin_client_add_trusted_async (gateway.client, alias, pem, version, NULL, gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  if (!gh_admin_client_add_trusted_finish (gateway.client, result, &new_version, &local_error))
    return gh_ctl_gateway_fail (&gateway, local_error, error);

  if (!gh_ctl_options.json)
    g_print (_("The gateway trusts “%s” now: %s, SHA-256 %s\n"), alias, gh_certificate_get_subject (certificate),
             gh_certificate_get_sha256_fingerprint (certificate));
  gh_ctl_gateway_print_version (new_version);

  return TRUE;
}

gboolean
gh_ctl_truststore_delete (const GhCommand  *command,
                          int               argc,
                          char            **argv,
                          GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  GError *local_error = NULL;
  gint64 version = 0, new_version = 0;

  if (!gh_ctl_gateway_open_for (&gateway, "truststore", command, argc, argv, 1, error) ||
      !gh_ctl_gateway_write_version (&gateway, &version, error))
    return FALSE;

  gh_admin_client_delete_trusted_async (gateway.client, argv[1], version, NULL, gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  if (!gh_admin_client_delete_trusted_finish (gateway.client, result, &new_version, &local_error))
    return gh_ctl_gateway_fail (&gateway, local_error, error);

  if (!gh_ctl_options.json)
    g_print (_("The gateway no longer trusts “%s”\n"), argv[1]);
  gh_ctl_gateway_print_version (new_version);

  return TRUE;
}
