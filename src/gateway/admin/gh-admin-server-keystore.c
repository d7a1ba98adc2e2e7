/* gh-admin-server-keystore.c — /api/v1/keystore, and what the truststore shares
 *
 * A change to a store is made on a copy of the running store and applied with
 * gh_gateway_apply_async(): checked with the configuration, written atomically,
 * swapped in for new handshakes. Uploads are read, keys generated and chains verified
 * in threads. Private keys go in, never out: entries are shown by their certificates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-server"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-request.h"
#include "gh-admin-server-private.h"
#include "gh-import.h"
#include "gh-json.h"
#include "gh-keystore-crls.h"
#include "gh-pki-error.h"
#include "gh-private-key.h"

static JsonNode *
entry_to_json (GhKeystoreEntry *entry)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GPtrArray *chain = gh_keystore_entry_get_chain (entry);

  json_builder_begin_object (builder);
  gh_json_add_string (builder, "alias", gh_keystore_entry_get_alias (entry));
  gh_json_add_string (builder, "kind", gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY ? "key" : "trusted");
  json_builder_set_member_name (builder, "chain");
  json_builder_begin_array (builder);
  if (chain != NULL && chain->len > 0)
    for (guint i = 0; i < chain->len; i++)
      json_builder_add_value (builder, _gh_admin_certificate_to_json (g_ptr_array_index (chain, i)));
  else
    json_builder_add_value (builder, _gh_admin_certificate_to_json (gh_keystore_entry_get_certificate (entry)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
_gh_admin_store_entries_to_json (GhKeystore *store,
                                 gboolean    trusted_form)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n = store ? g_list_model_get_n_items (G_LIST_MODEL (store)) : 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (trusted_form)
        {
          json_builder_begin_object (builder);
          gh_json_add_string (builder, "alias", gh_keystore_entry_get_alias (entry));
          json_builder_set_member_name (builder, "certificate");
          json_builder_add_value (builder, _gh_admin_certificate_to_json (gh_keystore_entry_get_certificate (entry)));
          json_builder_end_object (builder);
        }
      else
        {
          json_builder_add_value (builder, entry_to_json (entry));
        }
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* A copy of @store to change: the entries are shared, they do not change. */
GhKeystore *
_gh_admin_store_copy (GhKeystore *store)
{
  GhKeystore *copy = gh_keystore_new (gh_keystore_get_format (store));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  gh_keystore_set_profile (copy, gh_keystore_get_profile (store));
  gh_keystore_set_crls (copy, gh_keystore_get_crls (store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (store), i);

      gh_keystore_add (copy, entry, NULL);
    }
  return copy;
}

/* Applying a changed store */

typedef struct {
  GhAdminRequest  *request;
  JsonNode        *extra;     /* members added to the answer */
  guint            status;
} Apply;

static void
apply_free (Apply *apply)
{
  g_clear_pointer (&apply->request, _gh_admin_request_free);
  g_clear_pointer (&apply->extra, json_node_unref);
  g_free (apply);
}

static void
on_store_applied (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Apply *apply = user_data;
  GhAdminRequest *request = apply->request;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;
  JsonObject *object;
  gint64 version = 0;

  if (!gh_gateway_apply_finish (GH_GATEWAY (source), result, &version, &error))
    {
      _gh_admin_respond_apply_error (request, error);
      apply_free (apply);
      return;
    }

  if (apply->extra == NULL)
    {
      /* json_node_init_object() takes a reference of its own: the node takes ours. */
      apply->extra = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (apply->extra, json_object_new ());
    }
  object = json_node_get_object (apply->extra);
  json_object_set_int_member (object, "version", version);
  etag = _gh_admin_etag (request->server);
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "ETag", etag);
  _gh_admin_respond_json (request, apply->status, g_steal_pointer (&apply->extra));
  apply_free (apply);
}

void
_gh_admin_store_apply (GhAdminRequest *request,
                       GhKeystore     *keystore,
                       GhKeystore     *truststore,
                       guint           status,
                       JsonNode       *extra)
{
  Apply *apply = g_new0 (Apply, 1);
  g_autofree char *caller = _gh_admin_caller_name (request);

  apply->request = request;
  apply->extra = extra;
  apply->status = status;
  _gh_admin_request_pause (request);
  gh_gateway_apply_async (request->server->gateway, NULL, keystore, truststore, GH_GATEWAY_APPLY_NONE,
                          caller, request->action, on_store_applied, apply);
}

/* Reading an upload, in a thread */

typedef struct {
  char            *alias;
  GBytes          *data;
  GhSecret        *password;
  char            *source_alias;
  GhKeystoreEntry *entry;     /* the result */
} Upload;

static void
upload_free (Upload *upload)
{
  g_free (upload->alias);
  g_clear_pointer (&upload->data, g_bytes_unref);
  g_clear_pointer (&upload->password, gh_secret_free);
  g_free (upload->source_alias);
  g_clear_object (&upload->entry);
  g_free (upload);
}

static void
read_upload_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Upload *upload = task_data;
  g_autoptr(GhImport) import = NULL;
  GError *error = NULL;
  GListModel *entries;
  GhKeystoreEntry *found = NULL;

  if ((import = gh_import_new_from_bytes (upload->data, upload->password, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  entries = gh_import_get_entries (import);
  for (guint i = 0; i < g_list_model_get_n_items (entries) && found == NULL; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (entries, i);

      if (gh_keystore_entry_get_private_key (entry) == NULL)
        continue;
      if (upload->source_alias != NULL && g_strcmp0 (gh_keystore_entry_get_alias (entry), upload->source_alias) != 0)
        continue;
      found = entry;
      upload->entry = gh_keystore_entry_new_key (upload->alias, gh_keystore_entry_get_private_key (entry),
                                                 gh_keystore_entry_get_chain (entry));
    }

  if (upload->entry == NULL)
    {
      if (upload->source_alias != NULL)
        g_task_return_new_error (task, GH_PKI_ERROR, GH_PKI_ERROR_NOT_FOUND,
                                 _("The upload has no key entry “%s”"), upload->source_alias);
      else
        g_task_return_new_error (task, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                                 _("The upload holds no private key with its certificate"));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_upload_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GhAdminRequest *request = user_data;
  Upload *upload = g_task_get_task_data (G_TASK (result));
  GhKeystore *running = gh_gateway_get_keystore (request->server->gateway);
  g_autoptr(GhKeystore) keystore = NULL;
  g_autoptr(GError) error = NULL;
  gboolean replace = g_str_equal (soup_server_message_get_method (request->msg), "PUT");
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "pki-error", error->message, NULL);
      _gh_admin_request_free (request);
      return;
    }

  keystore = _gh_admin_store_copy (running);
  if (!(replace ? gh_keystore_replace (keystore, upload->entry, &error) : gh_keystore_add (keystore, upload->entry, &error)))
    {
      gboolean conflict = g_error_matches (error, GH_PKI_ERROR, GH_PKI_ERROR_EXISTS);

      _gh_admin_respond_problem (request, conflict ? SOUP_STATUS_CONFLICT : SOUP_STATUS_UNPROCESSABLE_ENTITY,
                                 conflict ? "conflict" : "pki-error", error->message, NULL);
      _gh_admin_request_free (request);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entry");
  json_builder_add_value (builder, entry_to_json (upload->entry));
  json_builder_end_object (builder);
  _gh_admin_store_apply (request, keystore, NULL, replace ? SOUP_STATUS_OK : SOUP_STATUS_CREATED, json_builder_get_root (builder));
}

/* POST /keystore, PUT /keystore/{alias}: {"alias", "pkcs12" | "pem", "password", "source_alias"} */
static void
handle_upload (GhAdminRequest *request,
               const char     *path_alias)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  GhKeystore *running = gh_gateway_get_keystore (request->server->gateway);
  GhAdminUpload body;
  const char *alias;
  g_autoptr(GTask) task = NULL;
  JsonObject *object;
  Upload *upload;

  if ((object = _gh_admin_parse_body_object (request, gh_admin_upload_members, &root)) == NULL)
    goto out;
  if (!gh_admin_parse_upload (object, path_alias == NULL, &body, &error))
    {
      _gh_admin_respond_malformed (request, error);
      goto out;
    }
  alias = body.alias;

  if (path_alias != NULL)
    {
      if (alias != NULL && !g_str_equal (alias, path_alias))
        {
          _gh_admin_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed",
                                     _("The alias in the body differs from the one in the path"), NULL);
          goto out;
        }
      alias = path_alias;
      if (gh_keystore_lookup (running, alias) == NULL)
        {
          g_autofree char *detail = g_strdup_printf (_("The keystore has no entry “%s” to rotate"), alias);

          _gh_admin_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", detail, NULL);
          goto out;
        }
    }
  else if (!gh_keystore_alias_is_valid (alias))
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed",
                                 _("The alias is not valid: 1 to 255 printable characters"), NULL);
      goto out;
    }
  else if (gh_keystore_lookup (running, alias) != NULL)
    {
      g_autofree char *detail = g_strdup_printf (_("The keystore has an entry “%s” already; rotate it with PUT"), alias);

      _gh_admin_respond_problem (request, SOUP_STATUS_CONFLICT, "conflict", detail, NULL);
      goto out;
    }

  upload = g_new0 (Upload, 1);
  upload->alias = g_strdup (alias);
  upload->password = g_strdup (body.password);
  upload->source_alias = g_strdup (body.source_alias);
  if (body.pem != NULL)
    {
      upload->data = g_bytes_new (body.pem, strlen (body.pem));
    }
  else
    {
      gsize length = 0;
      guchar *der = g_base64_decode (body.pkcs12, &length);

      upload->data = g_bytes_new_take (der, length);
    }

  task = g_task_new (NULL, NULL, on_upload_read, request);
  g_task_set_source_tag (task, handle_upload);
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);
  _gh_admin_request_pause (request);
  g_task_run_in_thread (task, read_upload_thread);
  return;

out:
  _gh_admin_request_free (request);
}

/* POST /keystore/{alias}/csr */

typedef struct {
  char            *alias;
  char            *subject;
  GStrv            sans;
  GhKeyType        key_type;
  GhKeystoreEntry *entry;
  char            *csr;
} Csr;

static void
csr_free (Csr *csr)
{
  g_free (csr->alias);
  g_free (csr->subject);
  g_strfreev (csr->sans);
  g_clear_object (&csr->entry);
  g_free (csr->csr);
  g_free (csr);
}

static void
csr_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Csr *csr = task_data;
  g_autoptr(GhPrivateKey) key = NULL;
  g_autoptr(GhCertificate) placeholder = NULL;
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func (g_object_unref);
  GError *error = NULL;

  if ((key = gh_private_key_generate (csr->key_type, cancellable, &error)) == NULL ||
      (placeholder = gh_private_key_create_self_signed (key, csr->subject, (const char * const *) csr->sans, 90, &error)) == NULL ||
      (csr->csr = gh_private_key_create_csr (key, csr->subject, (const char * const *) csr->sans, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_ptr_array_add (chain, g_steal_pointer (&placeholder));
  csr->entry = gh_keystore_entry_new_key (csr->alias, key, chain);
  g_task_return_boolean (task, TRUE);
}

static void
on_csr_made (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GhAdminRequest *request = user_data;
  Csr *csr = g_task_get_task_data (G_TASK (result));
  g_autoptr(GhKeystore) keystore = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "pki-error", error->message, NULL);
      _gh_admin_request_free (request);
      return;
    }

  keystore = _gh_admin_store_copy (gh_gateway_get_keystore (request->server->gateway));
  if (!gh_keystore_add (keystore, csr->entry, &error))
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_CONFLICT, "conflict", error->message, NULL);
      _gh_admin_request_free (request);
      return;
    }

  json_builder_begin_object (builder);
  gh_json_add_string (builder, "csr", csr->csr);
  json_builder_set_member_name (builder, "entry");
  json_builder_add_value (builder, entry_to_json (csr->entry));
  json_builder_end_object (builder);
  _gh_admin_store_apply (request, keystore, NULL, SOUP_STATUS_CREATED, json_builder_get_root (builder));
}

static void
handle_csr (GhAdminRequest *request,
            const char     *alias)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sans = NULL;
  g_autoptr(GTask) task = NULL;
  const char *key_type = NULL, *subject = NULL;
  JsonObject *object;
  GhKeyType type = GH_KEY_TYPE_ECDSA_P256;
  Csr *csr;

  if ((object = _gh_admin_parse_body_object (request, gh_admin_csr_members, &root)) == NULL)
    goto out;
  if (!gh_admin_parse_csr (object, &key_type, &subject, &sans, &error))
    {
      _gh_admin_respond_malformed (request, error);
      goto out;
    }

  if (key_type != NULL && !gh_key_type_from_string (key_type, &type))
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed",
                                 _("key_type is one of rsa2048, rsa3072, rsa4096, p256, p384, ed25519"), NULL);
      goto out;
    }

  if (!gh_keystore_alias_is_valid (alias))
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed", _("The alias is not valid"), NULL);
      goto out;
    }
  if (gh_keystore_lookup (gh_gateway_get_keystore (request->server->gateway), alias) != NULL)
    {
      g_autofree char *detail = g_strdup_printf (_("The keystore has an entry “%s” already"), alias);

      _gh_admin_respond_problem (request, SOUP_STATUS_CONFLICT, "conflict", detail, NULL);
      goto out;
    }

  csr = g_new0 (Csr, 1);
  csr->alias = g_strdup (alias);
  csr->subject = g_strdup (subject);
  csr->sans = g_steal_pointer (&sans);
  csr->key_type = type;

  task = g_task_new (NULL, NULL, on_csr_made, request);
  g_task_set_source_tag (task, handle_csr);
  g_task_set_task_data (task, csr, (GDestroyNotify) csr_free);
  _gh_admin_request_pause (request);
  g_task_run_in_thread (task, csr_thread);
  return;

out:
  _gh_admin_request_free (request);
}

/* PUT /keystore/{alias}/certificate: the CA's reply for a key made with csr */
static void
handle_reply (GhAdminRequest *request,
              const char     *alias)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(GhKeystore) keystore = NULL;
  g_autoptr(GhKeystoreEntry) entry = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GhKeystoreEntry *existing = gh_keystore_lookup (gh_gateway_get_keystore (request->server->gateway), alias);
  const char *pem = NULL;
  JsonObject *object;
  GhPrivateKey *key;

  if ((object = _gh_admin_parse_body_object (request, gh_admin_reply_members, &root)) == NULL)
    goto out;
  if (!gh_admin_parse_reply (object, &pem, &error))
    {
      _gh_admin_respond_malformed (request, error);
      goto out;
    }

  if (existing == NULL || (key = gh_keystore_entry_get_private_key (existing)) == NULL)
    {
      g_autofree char *detail = g_strdup_printf (_("The keystore has no key entry “%s”"), alias);

      _gh_admin_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", detail, NULL);
      goto out;
    }

  if ((chain = gh_certificate_list_from_pem (pem, -1, &error)) == NULL || chain->len == 0)
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "pki-error",
                                 error ? error->message : _("The reply holds no certificate"), NULL);
      goto out;
    }

  if (!gh_private_key_matches (key, g_ptr_array_index (chain, 0)))
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "pki-error",
                                 _("The reply’s first certificate is not for this entry’s key"), NULL);
      goto out;
    }

  entry = gh_keystore_entry_new_key (alias, key, chain);
  keystore = _gh_admin_store_copy (gh_gateway_get_keystore (request->server->gateway));
  if (!gh_keystore_replace (keystore, entry, &error))
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "pki-error", error->message, NULL);
      goto out;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entry");
  json_builder_add_value (builder, entry_to_json (entry));
  json_builder_end_object (builder);
  _gh_admin_store_apply (request, keystore, NULL, SOUP_STATUS_OK, json_builder_get_root (builder));
  return;

out:
  _gh_admin_request_free (request);
}

/* DELETE /keystore/{alias} */
static void
handle_delete_key (GhAdminRequest *request,
                   const char     *alias)
{
  GhGateway *gateway = request->server->gateway;
  GhGatewayConfig *config = gh_gateway_get_config (gateway);
  GListModel *services = gh_gateway_config_get_services (config);
  g_autoptr(GhKeystore) keystore = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *user = NULL;

  if (gh_keystore_lookup (gh_gateway_get_keystore (gateway), alias) == NULL)
    {
      g_autofree char *detail = g_strdup_printf (_("The keystore has no entry “%s”"), alias);

      _gh_admin_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", detail, NULL);
      goto out;
    }

  if (gh_gateway_config_has_admin (config) && g_str_equal (gh_gateway_config_get_admin_certificate_alias (config), alias))
    user = g_strdup ("admin.certificate-alias");
  for (guint i = 0; user == NULL && i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr(GhServiceConfig) service = g_list_model_get_item (services, i);

      if (g_strcmp0 (gh_service_config_get_client_certificate_alias (service), alias) == 0)
        user = g_strdup_printf ("services[%u].connect-tls.client-certificate-alias", i);
    }
  if (user != NULL)
    {
      g_autofree char *detail = g_strdup_printf (_("The entry “%s” is in use by %s"), alias, user);

      _gh_admin_respond_problem (request, SOUP_STATUS_CONFLICT, "conflict", detail, NULL);
      goto out;
    }

  keystore = _gh_admin_store_copy (gh_gateway_get_keystore (gateway));
  gh_keystore_remove (keystore, alias, NULL);
  _gh_admin_store_apply (request, keystore, NULL, SOUP_STATUS_OK, NULL);
  return;

out:
  _gh_admin_request_free (request);
}

void
_gh_admin_store_refuse_method (GhAdminRequest *request,
                               const char     *allow)
{
  _gh_admin_respond_method_not_allowed (request, allow);
  _gh_admin_request_free (request);
}

/* Every write: the admin role and the version. */
gboolean
_gh_admin_store_check_write (GhAdminRequest *request)
{
  if (_gh_admin_require_role (request, GH_ADMIN_ROLE_ADMIN) && _gh_admin_check_if_match (request))
    return TRUE;
  _gh_admin_request_free (request);
  return FALSE;
}

void
_gh_admin_handle_keystore (GhAdminRequest *request)
{
  const char *method = soup_server_message_get_method (request->msg);
  guint n = g_strv_length (request->segments);
  GhKeystore *keystore = gh_gateway_get_keystore (request->server->gateway);
  const char *alias = n >= 2 ? request->segments[1] : NULL;

  if (n == 1)
    {
      if (g_str_equal (method, "GET"))
        {
          _gh_admin_respond_json (request, SOUP_STATUS_OK, _gh_admin_store_entries_to_json (keystore, FALSE));
          _gh_admin_request_free (request);
        }
      else if (g_str_equal (method, "POST"))
        {
          request->action = g_strdup ("keystore upload");
          if (_gh_admin_store_check_write (request))
            handle_upload (request, NULL);
        }
      else
        _gh_admin_store_refuse_method (request, "GET, POST");
      return;
    }

  if (n == 2)
    {
      if (g_str_equal (method, "GET"))
        {
          GhKeystoreEntry *entry = gh_keystore_lookup (keystore, alias);

          if (entry == NULL)
            _gh_admin_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", NULL, NULL);
          else
            _gh_admin_respond_json (request, SOUP_STATUS_OK, entry_to_json (entry));
          _gh_admin_request_free (request);
        }
      else if (g_str_equal (method, "PUT"))
        {
          request->action = g_strdup_printf ("keystore rotate %s", alias);
          if (_gh_admin_store_check_write (request))
            handle_upload (request, alias);
        }
      else if (g_str_equal (method, "DELETE"))
        {
          request->action = g_strdup_printf ("keystore delete %s", alias);
          if (_gh_admin_store_check_write (request))
            handle_delete_key (request, alias);
        }
      else
        _gh_admin_store_refuse_method (request, "GET, PUT, DELETE");
      return;
    }

  if (n == 3 && g_str_equal (request->segments[2], "csr"))
    {
      if (!g_str_equal (method, "POST"))
        {
          _gh_admin_store_refuse_method (request, "POST");
          return;
        }
      request->action = g_strdup_printf ("keystore csr %s", alias);
      if (_gh_admin_store_check_write (request))
        handle_csr (request, alias);
      return;
    }

  if (n == 3 && g_str_equal (request->segments[2], "certificate"))
    {
      if (!g_str_equal (method, "PUT"))
        {
          _gh_admin_store_refuse_method (request, "PUT");
          return;
        }
      request->action = g_strdup_printf ("keystore reply %s", alias);
      if (_gh_admin_store_check_write (request))
        handle_reply (request, alias);
      return;
    }

  _gh_admin_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", NULL, NULL);
  _gh_admin_request_free (request);
}

