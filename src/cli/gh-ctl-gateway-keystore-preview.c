/* gh-ctl-gateway-keystore-preview.c — `keystore upload|rotate --dry-run` on a gateway:
 * what would be sent, and what each accept would serve
 *
 * The file is read here as the gateway would read it (GhImport: the format found by
 * content, the password asked for only when needed) and nothing is sent but questions:
 * whether the alias exists (an upload onto it would be refused, a rotate of a missing
 * one too), and, for a rotate, POST /config/preview with the new chain, which says what
 * each accept would serve from the next handshake and flags one that would serve an
 * expired certificate or none. The key stays here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-gateway-keystore"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-client-preview.h"
#include "gh-api-key-upload.h"
#include "gh-ctl-private.h"
#include "gh-import.h"
#include "gh-json.h"

/* The key entry of @import that would be sent: --source-alias, else the first. */
static GhKeystoreEntry *
entry_to_send (GhImport    *import,
               const char  *path,
               GError     **error)
{
  GListModel *entries = gh_import_get_entries (import);

  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (entries, i);

      if (gh_keystore_entry_get_kind (entry) != GH_KEYSTORE_ENTRY_KEY)
        continue;
      if (gh_ctl_options.source_alias == NULL ||
          g_strcmp0 (gh_keystore_entry_get_alias (entry), gh_ctl_options.source_alias) == 0)
        return g_steal_pointer (&entry);
    }
  g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
               gh_ctl_options.source_alias ? _("%s has no key entry “%s”") : _("%s holds no key entry"),
               path, gh_ctl_options.source_alias);
  return NULL;
}

static void
print_accepts (GhApiConfigPreview *preview,
               JsonBuilder        *builder)
{
  GListModel *accepts = gh_api_config_preview_get_accepts (preview);

  if (builder != NULL)
    {
      json_builder_set_member_name (builder, "accepts");
      json_builder_begin_array (builder);
    }
  for (guint i = 0; i < g_list_model_get_n_items (accepts); i++)
    {
      g_autoptr(GhApiAcceptPreview) item = g_list_model_get_item (accepts, i);
      GhApiTlsAccept *accept = gh_api_accept_preview_get_accept (item);
      GListModel *findings = gh_api_tls_accept_get_findings (accept);
      const char *flag = gh_api_accept_preview_get_flag (item);

      if (builder != NULL)
        {
          json_builder_begin_object (builder);
          gh_json_add_string (builder, "service", gh_api_accept_preview_get_service (item));
          gh_json_add_string (builder, "uri", gh_api_tls_accept_get_uri (accept));
          gh_json_add_string (builder, "alias", gh_api_tls_accept_get_alias (accept));
          gh_json_add_string (builder, "flag", flag);
          json_builder_set_member_name (builder, "findings");
          json_builder_begin_array (builder);
          for (guint j = 0; findings != NULL && j < g_list_model_get_n_items (findings); j++)
            {
              g_autoptr(GhApiFinding) finding = g_list_model_get_item (findings, j);

              json_builder_add_string_value (builder, gh_api_finding_get_message (finding));
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
          continue;
        }

      /* TRANSLATORS: an accept and the entry it would serve: "echo wss://gw:8443/echo: “web”" */
      g_print (_("  %s %s: %s%s%s\n"), gh_api_accept_preview_get_service (item), gh_api_tls_accept_get_uri (accept),
               gh_api_tls_accept_get_alias (accept) ? gh_api_tls_accept_get_alias (accept) : _("no certificate"),
               flag ? " — " : "", flag ? flag : "");
      for (guint j = 0; findings != NULL && j < g_list_model_get_n_items (findings); j++)
        {
          g_autoptr(GhApiFinding) finding = g_list_model_get_item (findings, j);

          g_print ("    %s\n", gh_api_finding_get_message (finding));
        }
    }
  if (builder != NULL)
    json_builder_end_array (builder);
}

gboolean
gh_ctl_gateway_preview_key (GhCtlGateway  *gateway,
                            const char    *alias,
                            const char    *path,
                            GBytes        *data,
                            const char    *password,
                            gboolean       rotate,
                            GError       **error)
{
  g_autoptr(GhImport) import = NULL;
  g_autoptr(GhKeystoreEntry) entry = NULL;
  g_autoptr(GAsyncResult) shown = NULL;
  g_autoptr(GAsyncResult) previewed = NULL;
  g_autoptr(GhApiKeystoreEntry) existing = NULL;
  g_autoptr(GhApiConfigPreview) preview = NULL;
  g_autoptr(GError) lookup_error = NULL;
  g_autoptr(JsonBuilder) builder = gh_ctl_options.json ? json_builder_new () : NULL;
  g_autofree char *pem = NULL;
  GError *local_error = NULL;
  gboolean exists;

  if ((import = gh_import_new_from_bytes (data, password, &local_error)) == NULL)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, "%s: %s", path, local_error->message);
      g_error_free (local_error);
      return FALSE;
    }
  if ((entry = entry_to_send (import, path, error)) == NULL)
    return FALSE;

  gh_admin_client_get_keystore_entry_async (gateway->client, alias, NULL, gh_ctl_gateway_store_result, &shown);
  gh_ctl_gateway_wait (&shown);
  existing = gh_admin_client_get_keystore_entry_finish (gateway->client, shown, &lookup_error);
  if (existing == NULL && !g_error_matches (lookup_error, GH_API_ERROR, GH_API_ERROR_NOT_FOUND))
    return gh_ctl_gateway_fail (gateway, g_steal_pointer (&lookup_error), error);
  exists = existing != NULL;

  if (builder != NULL)
    {
      json_builder_begin_object (builder);
      gh_json_add_string (builder, "alias", alias);
      gh_json_add_string (builder, "subject", gh_certificate_get_subject (gh_keystore_entry_get_certificate (entry)));
      json_builder_set_member_name (builder, "exists");
      json_builder_add_boolean_value (builder, exists);
    }
  else
    {
      g_print (rotate ? _("Would rotate “%s” to:\n") : _("Would upload as “%s”:\n"), alias);
      g_print ("  %s\n", gh_certificate_get_subject (gh_keystore_entry_get_certificate (entry)));
    }

  if (rotate && exists)
    {
      pem = gh_api_key_upload_chain_pem (entry);
      gh_admin_client_preview_config_async (gateway->client, NULL, alias, pem, NULL, gh_ctl_gateway_store_result,
                                            &previewed);
      gh_ctl_gateway_wait (&previewed);
      if ((preview = gh_admin_client_preview_config_finish (gateway->client, previewed, &local_error)) == NULL)
        return gh_ctl_gateway_fail (gateway, local_error, error);
      if (builder == NULL)
        g_print (_("From the next handshake, the accepts would serve:\n"));
      print_accepts (preview, builder);
    }

  if (builder != NULL)
    {
      g_autoptr(JsonNode) root = NULL;

      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      gh_ctl_print_json (root);
    }
  else if (rotate && !exists)
    g_print (_("The gateway has no entry “%s”: a rotate would be refused (upload it instead)\n"), alias);
  else if (!rotate && exists)
    g_print (_("The gateway has an entry “%s” already: an upload would be refused (rotate it instead)\n"), alias);
  if (builder == NULL)
    g_print (_("Nothing was sent (--dry-run)\n"));

  /* What an upload or rotate would meet: a refusal is a failure here too. */
  if (rotate != exists || (preview != NULL && gh_api_config_preview_get_n_flagged (preview) > 0))
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                           rotate != exists ? _("The gateway would refuse this change")
                                            : _("An accept would serve an expired certificate, or none"));
      return FALSE;
    }
  return TRUE;
}
