/* gh-admin-client-keystore.c — GhAdminClient: the gateway's keystore (its own
 * identities: GET, POST /keystore, GET, PUT, DELETE /keystore/{alias}, the CSR and
 * the CA's reply) and its truststore (GET, POST /truststore, DELETE
 * /truststore/{alias})
 *
 * Uploads carry a private key and maybe its password: their bodies are written
 * straight into a buffer that is wiped when libsoup lets it go, never into a
 * JsonNode. The answers never hold a key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-client-keystore"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gh-admin-client-private.h"

GH_API_DEFINE_PARSE_FUNC (keystore_entry)
GH_API_DEFINE_PARSE_FUNC (truststore_entry)

static gpointer read_entry_write (GhAdminClient *self, GhAdminRequest *request, GBytes *body, JsonNode *root,
                                  GError **error);
static gpointer read_csr         (GhAdminClient *self, GhAdminRequest *request, GBytes *body, JsonNode *root,
                                  GError **error);

static const GhAdminCall list_keystore_call = {
  .method = "GET", .path = "keystore", .answer = GH_ADMIN_ANSWER_LIST,
  .parse = parse_keystore_entry, .item_type = gh_api_keystore_entry_get_type, .member = "entries",
};

static const GhAdminCall get_keystore_entry_call = {
  .method = "GET", .path = "keystore/%s", .answer = GH_ADMIN_ANSWER_OBJECT, .parse = parse_keystore_entry,
};

static const GhAdminCall add_key_call = {
  .method = "POST", .path = "keystore", .answer = GH_ADMIN_ANSWER_CUSTOM,
  .convert = read_entry_write, .free_result = g_object_unref,
};

/* The answer may leave the entry out: then it is fetched (get_keystore_entry_call). */
static const GhAdminCall rotate_key_call = {
  .method = "PUT", .path = "keystore/%s", .answer = GH_ADMIN_ANSWER_CUSTOM,
  .convert = read_entry_write, .free_result = g_object_unref,
};

static const GhAdminCall delete_key_call = {
  .method = "DELETE", .path = "keystore/%s", .answer = GH_ADMIN_ANSWER_VERSION,
};

static const GhAdminCall create_csr_call = {
  .method = "POST", .path = "keystore/%s/csr", .answer = GH_ADMIN_ANSWER_CUSTOM,
  .convert = read_csr, .free_result = g_free,
};

static const GhAdminCall import_certificate_reply_call = {
  .method = "PUT", .path = "keystore/%s/certificate", .answer = GH_ADMIN_ANSWER_VERSION,
};

static const GhAdminCall list_truststore_call = {
  .method = "GET", .path = "truststore", .answer = GH_ADMIN_ANSWER_LIST,
  .parse = parse_truststore_entry, .item_type = gh_api_truststore_entry_get_type, .member = "entries",
};

static const GhAdminCall add_trusted_call = {
  .method = "POST", .path = "truststore", .answer = GH_ADMIN_ANSWER_VERSION,
};

static const GhAdminCall delete_trusted_call = {
  .method = "DELETE", .path = "truststore/%s", .answer = GH_ADMIN_ANSWER_VERSION,
};

/* Answers */

/* {"version": N, "entry": {…}} */
static gpointer
read_entry_write (GhAdminClient   *self,
                  GhAdminRequest  *request,
                  GBytes          *body,
                  JsonNode        *root,
                  GError         **error)
{
  gboolean rotate = request->call == &rotate_key_call;
  JsonObject *entry = NULL;

  if (_gh_api_node_get_object (root, "the answer", error) == NULL ||
      !_gh_admin_request_read_version (request, root, error) ||
      !_gh_api_get_object (json_node_get_object (root), "the answer", "entry",
                           rotate ? GH_API_NULLABLE : GH_API_REQUIRED, &entry, error))
    return NULL;

  if (entry == NULL)
    {
      /* Rotated without the entry in the answer: fetch it, keeping the version. */
      g_autofree char *path = g_strdup (request->path);

      _gh_admin_request_follow (self, request, &get_keystore_entry_call, path);
      return NULL;
    }

  return gh_api_keystore_entry_new_from_json (json_object_get_member (json_node_get_object (root), "entry"), error);
}

/* {"version": N, "csr": "-----BEGIN CERTIFICATE REQUEST-----…"} */
static gpointer
read_csr (GhAdminClient   *self,
          GhAdminRequest  *request,
          GBytes          *body,
          JsonNode        *root,
          GError         **error)
{
  g_autofree char *csr = NULL;

  if (_gh_api_node_get_object (root, "the answer", error) == NULL ||
      !_gh_admin_request_read_version (request, root, error) ||
      !_gh_api_get_string (json_node_get_object (root), "the answer", "csr", GH_API_REQUIRED, &csr, error))
    return NULL;

  if (!g_str_has_prefix (csr, "-----BEGIN"))
    {
      _gh_api_set_protocol_error (error, "“csr” is not PEM");
      return NULL;
    }

  return g_steal_pointer (&csr);
}

/* Bodies */

/* A JSON string literal of @text, appended to @out. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      else if (*p < 0x20)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* The body of an upload: the password is written straight into a buffer that is
 * wiped when libsoup lets it go, never into a JsonNode. */
static GString *
key_upload_body (const char     *alias,
                 GhApiKeyFormat  format,
                 GBytes         *data,
                 const char     *source_alias,
                 const char     *password)
{
  GString *body = g_string_sized_new (g_bytes_get_size (data) * 4 / 3 + 256);
  gsize size;
  const guchar *bytes = g_bytes_get_data (data, &size);

  g_string_append (body, "{");
  if (alias != NULL)
    {
      g_string_append (body, "\"alias\":");
      append_json_string (body, alias);
      g_string_append (body, ",");
    }
  if (format == GH_API_KEY_FORMAT_PKCS12)
    {
      g_autofree char *base64 = g_base64_encode (bytes, size);

      g_string_append (body, "\"pkcs12\":\"");
      g_string_append (body, base64);
      g_string_append (body, "\"");
      if (source_alias != NULL)
        {
          g_string_append (body, ",\"source_alias\":");
          append_json_string (body, source_alias);
        }
    }
  else
    {
      g_autofree char *pem = g_strndup ((const char *) bytes, size);

      g_string_append (body, "\"pem\":");
      append_json_string (body, pem);
      /* The PEM may hold an unencrypted key: no copy left behind. */
      memset (pem, 0, size);
    }
  if (password != NULL)
    {
      g_string_append (body, ",\"password\":");
      append_json_string (body, password);
    }
  g_string_append (body, "}");

  return body;
}

/* {"<member>": "<value>", …} for the simple bodies. */
static GBytes *
string_body (const char *first_member,
             ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_member);
  for (const char *member = first_member; member != NULL; member = va_arg (args, const char *))
    {
      json_builder_set_member_name (builder, member);
      json_builder_add_string_value (builder, va_arg (args, const char *));
    }
  va_end (args);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return _gh_admin_body_new_json (root);
}

/* The keystore */

void
gh_admin_client_list_keystore_async (GhAdminClient       *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  _gh_admin_client_call (self, &list_keystore_call, NULL, NULL, GH_API_VERSION_NONE, cancellable, callback, user_data);
}

GListModel *
gh_admin_client_list_keystore_finish (GhAdminClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &list_keystore_call, NULL, error);
}

void
gh_admin_client_get_keystore_entry_async (GhAdminClient       *self,
                                          const char          *alias,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (alias != NULL);

  _gh_admin_client_call (self, &get_keystore_entry_call, alias, NULL, GH_API_VERSION_NONE,
                         cancellable, callback, user_data);
}

GhApiKeystoreEntry *
gh_admin_client_get_keystore_entry_finish (GhAdminClient  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &get_keystore_entry_call, NULL, error);
}

/* POST /keystore with the alias in the body, or PUT /keystore/{alias}. */
static void
upload_key (GhAdminClient       *self,
            const GhAdminCall   *call,
            const char          *alias,
            GhApiKeyFormat       format,
            GBytes              *data,
            const char          *source_alias,
            const char          *password,
            gint64               if_match,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  gboolean rotate = call == &rotate_key_call;
  g_autoptr(GBytes) body = NULL;

  if (format == GH_API_KEY_FORMAT_PEM && g_bytes_get_size (data) > 0 && memchr (g_bytes_get_data (data, NULL), '\0', g_bytes_get_size (data)) != NULL)
    {
      g_task_report_new_error (self, callback, user_data, (gpointer) call, GH_API_ERROR, GH_API_ERROR_MALFORMED,
                               _("The PEM text holds a NUL byte"));
      return;
    }

  body = _gh_admin_body_new_secret (key_upload_body (rotate ? NULL : alias, format, data, source_alias, password));
  _gh_admin_client_call (self, call, alias, body, if_match, cancellable, callback, user_data);
}

void
gh_admin_client_add_key_async (GhAdminClient       *self,
                               const char          *alias,
                               GhApiKeyFormat       format,
                               GBytes              *data,
                               const char          *source_alias,
                               const char          *password,
                               gint64               if_match,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (alias != NULL);
  g_return_if_fail (data != NULL);

  upload_key (self, &add_key_call, alias, format, data, source_alias, password,
              if_match, cancellable, callback, user_data);
}

GhApiKeystoreEntry *
gh_admin_client_add_key_finish (GhAdminClient  *self,
                                GAsyncResult   *result,
                                gint64         *new_version,
                                GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &add_key_call, new_version, error);
}

void
gh_admin_client_rotate_key_async (GhAdminClient       *self,
                                  const char          *alias,
                                  GhApiKeyFormat       format,
                                  GBytes              *data,
                                  const char          *source_alias,
                                  const char          *password,
                                  gint64               if_match,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (alias != NULL);
  g_return_if_fail (data != NULL);

  upload_key (self, &rotate_key_call, alias, format, data, source_alias, password,
              if_match, cancellable, callback, user_data);
}

GhApiKeystoreEntry *
gh_admin_client_rotate_key_finish (GhAdminClient  *self,
                                   GAsyncResult   *result,
                                   gint64         *new_version,
                                   GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &rotate_key_call, new_version, error);
}

void
gh_admin_client_delete_key_async (GhAdminClient       *self,
                                  const char          *alias,
                                  gint64               if_match,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (alias != NULL);

  _gh_admin_client_call (self, &delete_key_call, alias, NULL, if_match, cancellable, callback, user_data);
}

gboolean
gh_admin_client_delete_key_finish (GhAdminClient  *self,
                                   GAsyncResult   *result,
                                   gint64         *new_version,
                                   GError        **error)
{
  return _gh_admin_client_call_finish_boolean (self, result, &delete_key_call, new_version, error);
}

void
gh_admin_client_create_csr_async (GhAdminClient       *self,
                                  const char          *alias,
                                  const char          *key_type,
                                  const char          *subject,
                                  const char * const  *dns_names,
                                  gint64               if_match,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (alias != NULL);
  g_return_if_fail (subject != NULL);

  json_builder_begin_object (builder);
  if (key_type != NULL)
    {
      json_builder_set_member_name (builder, "key_type");
      json_builder_add_string_value (builder, key_type);
    }
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, subject);
  json_builder_set_member_name (builder, "dns_names");
  json_builder_begin_array (builder);
  for (guint i = 0; dns_names != NULL && dns_names[i] != NULL; i++)
    json_builder_add_string_value (builder, dns_names[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = _gh_admin_body_new_json (root);

  _gh_admin_client_call (self, &create_csr_call, alias, body, if_match, cancellable, callback, user_data);
}

char *
gh_admin_client_create_csr_finish (GhAdminClient  *self,
                                   GAsyncResult   *result,
                                   gint64         *new_version,
                                   GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &create_csr_call, new_version, error);
}

void
gh_admin_client_import_certificate_reply_async (GhAdminClient       *self,
                                                const char          *alias,
                                                const char          *pem,
                                                gint64               if_match,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (alias != NULL);
  g_return_if_fail (pem != NULL);

  body = string_body ("pem", pem, NULL);
  _gh_admin_client_call (self, &import_certificate_reply_call, alias, body, if_match, cancellable, callback, user_data);
}

gboolean
gh_admin_client_import_certificate_reply_finish (GhAdminClient  *self,
                                                 GAsyncResult   *result,
                                                 gint64         *new_version,
                                                 GError        **error)
{
  return _gh_admin_client_call_finish_boolean (self, result, &import_certificate_reply_call, new_version, error);
}

/* The truststore */

void
gh_admin_client_list_truststore_async (GhAdminClient       *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  _gh_admin_client_call (self, &list_truststore_call, NULL, NULL, GH_API_VERSION_NONE,
                         cancellable, callback, user_data);
}

GListModel *
gh_admin_client_list_truststore_finish (GhAdminClient  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &list_truststore_call, NULL, error);
}

void
gh_admin_client_add_trusted_async (GhAdminClient       *self,
                                   const char          *alias,
                                   const char          *pem,
                                   gint64               if_match,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (alias != NULL);
  g_return_if_fail (pem != NULL);

  body = string_body ("alias", alias, "pem", pem, NULL);
  _gh_admin_client_call (self, &add_trusted_call, NULL, body, if_match, cancellable, callback, user_data);
}

gboolean
gh_admin_client_add_trusted_finish (GhAdminClient  *self,
                                    GAsyncResult   *result,
                                    gint64         *new_version,
                                    GError        **error)
{
  return _gh_admin_client_call_finish_boolean (self, result, &add_trusted_call, new_version, error);
}

void
gh_admin_client_delete_trusted_async (GhAdminClient       *self,
                                      const char          *alias,
                                      gint64               if_match,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (alias != NULL);

  _gh_admin_client_call (self, &delete_trusted_call, alias, NULL, if_match, cancellable, callback, user_data);
}

gboolean
gh_admin_client_delete_trusted_finish (GhAdminClient  *self,
                                       GAsyncResult   *result,
                                       gint64         *new_version,
                                       GError        **error)
{
  return _gh_admin_client_call_finish_boolean (self, result, &delete_trusted_call, new_version, error);
}
