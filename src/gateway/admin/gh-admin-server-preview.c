/* gh-admin-server-preview.c — POST /api/v1/config/preview: what each accept would
 * serve under a proposed configuration (and keystore entry), before it is applied
 *
 * The service editor and the Certificates page's rotate show this before the user
 * applies: per accept, the key entry the SNI choice would pick and its chain's findings,
 * flagging an accept that would serve no certificate or an expired one. It is
 * /config/validate's sibling and keeps its rule (#12): below admin, a document that
 * names other files than the running configuration is 403 before anything is read, and
 * the stores are the ones the gateway has loaded; an admin's preview of other files
 * reads them, as the admin's validation does.
 *
 * The generation is built as an apply builds it (gh_generation_build(), in a thread,
 * binding nothing), so the choice is the data plane's own (GhTlsIdentities). A proposed
 * rotate sends the new chain without its key: the choice depends on the leaf's names
 * only, so the entry keeps its current key in the preview's copy of the keystore; the
 * copy never serves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-server"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-server-private.h"
#include "gh-config-error.h"
#include "gh-generation-builder.h"
#include "gh-json.h"
#include "gh-keystore-crls.h"

static const char * const preview_members[] = { "config", "keystore_entry", NULL };
static const char * const entry_members[] = { "alias", "chain", NULL };

typedef struct {
  GhGatewayConfig *config;
  GhKeystore      *keystore;     /* the running stores, or NULL to read the files */
  GhKeystore      *truststore;
  char            *alias;        /* a proposed rotate: the entry and its new chain */
  GPtrArray       *chain;
  GError          *problem;      /* the generation's error: not valid */
  JsonNode        *accepts;
} Preview;

static void
preview_free (Preview *preview)
{
  g_clear_object (&preview->config);
  g_clear_object (&preview->keystore);
  g_clear_object (&preview->truststore);
  g_free (preview->alias);
  g_clear_pointer (&preview->chain, g_ptr_array_unref);
  g_clear_error (&preview->problem);
  g_clear_pointer (&preview->accepts, json_node_unref);
  g_free (preview);
}

/* "no-certificate" for a TLS accept without a key entry, "expired" for one whose leaf
 * has expired, else NULL. */
static const char *
accept_flag (JsonObject *accept)
{
  JsonObject *chain;
  JsonArray *links;
  JsonArray *findings;

  if (!json_object_get_boolean_member_with_default (accept, "secure", FALSE))
    return NULL;
  if (json_object_get_null_member (accept, "alias") || !json_object_has_member (accept, "chain") ||
      json_object_get_null_member (accept, "chain"))
    return "no-certificate";

  chain = json_object_get_object_member (accept, "chain");
  links = json_object_get_array_member (chain, "links");
  if (links == NULL || json_array_get_length (links) == 0)
    return NULL;
  findings = json_object_get_array_member (json_array_get_object_element (links, 0), "findings");
  for (guint i = 0; findings != NULL && i < json_array_get_length (findings); i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (json_array_get_object_element (findings, i), "kind", NULL),
                   "expired") == 0)
      return "expired";
  return NULL;
}

static JsonNode *
preview_accepts (GhGatewayConfig *config,
                 GhKeystore      *keystore,
                 GhKeystore      *truststore)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) anchors = truststore ? gh_keystore_get_trusted_certificates (truststore) : NULL;
  GListModel *services = gh_gateway_config_get_services (config);
  GPtrArray *crls = truststore ? gh_keystore_get_crls (truststore) : NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr(GhServiceConfig) service = g_list_model_get_item (services, i);
      g_autoptr(JsonNode) accepts = _gh_admin_accepts_to_json (service, keystore, anchors, crls);
      JsonArray *array = json_node_get_array (accepts);

      for (guint j = 0; j < json_array_get_length (array); j++)
        {
          JsonObject *accept = json_array_get_object_element (array, j);
          const char *flag = accept_flag (accept);

          json_object_set_string_member (accept, "service", gh_service_config_get_name (service));
          if (flag != NULL)
            json_object_set_string_member (accept, "flag", flag);
          else
            json_object_set_null_member (accept, "flag");
          json_builder_add_value (builder, json_node_copy (json_array_get_element (array, j)));
        }
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/* In a thread: the generation as an apply would build it; when it fails (the document
 * is not valid), the accepts are still previewed against the stores the gateway has
 * loaded, when the document names those. */
static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Preview *preview = task_data;
  g_autoptr(GhGeneration) generation = NULL;
  g_autoptr(GhGeneration) proposed = NULL;
  g_autoptr(GhKeystore) rotated = NULL;
  GhKeystore *keystore = preview->keystore;
  GhKeystore *truststore = preview->truststore;
  GError *error = NULL;

  generation = gh_generation_build (preview->config, preview->keystore, preview->truststore, &error);
  if (generation != NULL)
    {
      keystore = generation->keystore;
      truststore = generation->truststore;
    }
  else
    preview->problem = error;

  if (preview->alias != NULL)
    {
      GhKeystoreEntry *current = keystore ? gh_keystore_lookup (keystore, preview->alias) : NULL;
      g_autoptr(GhKeystoreEntry) entry = NULL;

      if (current == NULL || gh_keystore_entry_get_private_key (current) == NULL)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                   _("The keystore has no key entry “%s” to rotate"), preview->alias);
          return;
        }
      entry = gh_keystore_entry_new_key (preview->alias, gh_keystore_entry_get_private_key (current), preview->chain);
      rotated = _gh_admin_store_copy (keystore);
      gh_keystore_replace (rotated, entry, NULL);
      keystore = rotated;
      /* Valid with the new chain too: an accept may lose its only certificate. */
      if (generation != NULL &&
          (proposed = gh_generation_build (preview->config, rotated, truststore, &error)) == NULL)
        preview->problem = error;
    }

  if (generation != NULL || preview->keystore != NULL)
    preview->accepts = preview_accepts (preview->config, keystore, truststore);
  g_task_return_boolean (task, TRUE);
}

static void
on_previewed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GhAdminRequest *request = user_data;
  Preview *preview = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean valid = preview->problem == NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", error->message, NULL);
      _gh_admin_request_free (request);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "valid");
  json_builder_add_boolean_value (builder, valid);
  json_builder_set_member_name (builder, "problems");
  json_builder_add_value (builder,
                          _gh_admin_problems_to_json (valid || preview->problem->domain != GH_CONFIG_ERROR
                                                      ? NULL : gh_config_error_get_problems (preview->problem),
                                                      preview->problem));
  json_builder_set_member_name (builder, "accepts");
  json_builder_add_value (builder, preview->accepts ? g_steal_pointer (&preview->accepts) : json_node_new (JSON_NODE_NULL));
  json_builder_end_object (builder);
  _gh_admin_respond_json (request, SOUP_STATUS_OK, json_builder_get_root (builder));
  _gh_admin_request_free (request);
}

/* The proposed document: "config", or the running one when absent. */
static GhGatewayConfig *
read_config (GhAdminRequest *request,
             JsonObject     *body)
{
  GhGatewayConfig *running = gh_gateway_get_config (request->server->gateway);
  JsonNode *node = json_object_get_member (body, "config");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GhGatewayConfig *config;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_autoptr(JsonNode) document = gh_gateway_config_to_json (running);

      text = json_to_string (document, FALSE);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    text = json_to_string (node, FALSE);
  else
    {
      g_autofree char *detail = g_strdup_printf (_("The member “%s” must be a configuration document"), "config");

      _gh_admin_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed", detail, NULL);
      return NULL;
    }

  if ((config = gh_gateway_config_new_from_data (text, strlen (text), &error)) == NULL)
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed", error->message,
                                 _gh_admin_problems_to_json (gh_config_error_get_problems (error), NULL));
      return NULL;
    }
  gh_gateway_config_set_base_directory (config, gh_gateway_config_get_base_directory (running));
  return config;
}

/* "keystore_entry": {"alias", "chain": "<PEM certificates, leaf first>"}, or absent. */
static gboolean
read_entry (GhAdminRequest *request,
            JsonObject     *body,
            Preview        *preview)
{
  JsonNode *node = json_object_get_member (body, "keystore_entry");
  g_autoptr(GError) error = NULL;
  JsonObject *entry;
  const char *alias, *chain;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  alias = entry ? json_object_get_string_member_with_default (entry, "alias", NULL) : NULL;
  chain = entry ? json_object_get_string_member_with_default (entry, "chain", NULL) : NULL;
  if (alias == NULL || chain == NULL)
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed",
                                 _("“keystore_entry” must be {\"alias\", \"chain\"}: the entry to rotate and its new PEM chain"),
                                 NULL);
      return FALSE;
    }
  {
    g_autoptr(GList) members = json_object_get_members (entry);

    for (GList *l = members; l != NULL; l = l->next)
      if (!g_strv_contains (entry_members, l->data))
        {
          g_autofree char *detail = g_strdup_printf (_("Unknown member “%s”"), (const char *) l->data);

          _gh_admin_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed", detail, NULL);
          return FALSE;
        }
  }

  if ((preview->chain = gh_certificate_list_from_pem (chain, -1, &error)) == NULL)
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "pki-error", error->message, NULL);
      return FALSE;
    }
  preview->alias = g_strdup (alias);
  return TRUE;
}

void
_gh_admin_handle_config_preview (GhAdminRequest *request)
{
  GhGateway *gateway = request->server->gateway;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GTask) task = NULL;
  Preview *preview = NULL;
  JsonObject *body;
  gboolean same_files;

  if (!_gh_admin_method_is (request, "POST"))
    {
      _gh_admin_respond_method_not_allowed (request, "POST");
      goto out;
    }
  if ((body = _gh_admin_parse_body_object (request, preview_members, &root)) == NULL)
    goto out;

  preview = g_new0 (Preview, 1);
  if ((preview->config = read_config (request, body)) == NULL || !read_entry (request, body, preview))
    goto out;

  same_files = gh_gateway_config_names_same_files (preview->config, gh_gateway_get_config (gateway));
  if (!same_files && request->role < GH_ADMIN_ROLE_ADMIN)
    {
      g_autofree char *detail =
        g_strdup_printf (_("Previewing a configuration that names other files than the running one "
                           "(keystore, truststore, password files, admin client CA) needs the role “%s”"),
                         gh_admin_role_to_string (GH_ADMIN_ROLE_ADMIN));

      _gh_admin_respond_problem (request, SOUP_STATUS_FORBIDDEN, "forbidden-role", detail, NULL);
      goto out;
    }
  if (same_files)
    {
      g_set_object (&preview->keystore, gh_gateway_get_keystore (gateway));
      g_set_object (&preview->truststore, gh_gateway_get_truststore (gateway));
    }

  task = g_task_new (NULL, NULL, on_previewed, request);
  g_task_set_source_tag (task, _gh_admin_handle_config_preview);
  g_task_set_task_data (task, g_steal_pointer (&preview), (GDestroyNotify) preview_free);
  _gh_admin_request_pause (request);
  g_task_run_in_thread (task, preview_thread);
  return;

out:
  g_clear_pointer (&preview, preview_free);
  _gh_admin_request_free (request);
}
