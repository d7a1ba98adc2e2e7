/* gh-admin-request.c — reading the JSON bodies of admin API requests
 *
 * Strict: UTF-8 without NUL, one JSON object, no member the endpoint does not know,
 * every member of its type. Errors name the member.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-request"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-request.h"

G_DEFINE_QUARK (gh-admin-body-error-quark, gh_admin_body_error)

const char * const gh_admin_upload_members[] = { "alias", "pkcs12", "pem", "password", "source_alias", NULL };
const char * const gh_admin_csr_members[] = { "key_type", "subject", "dns_names", NULL };
const char * const gh_admin_reply_members[] = { "pem", NULL };
const char * const gh_admin_trust_members[] = { "alias", "pem", NULL };
const char * const gh_admin_rollback_members[] = { "version", NULL };

static gboolean malformed (GError     **error,
                           const char  *format,
                           ...) G_GNUC_PRINTF (2, 3);

static gboolean
malformed (GError     **error,
           const char  *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, GH_ADMIN_BODY_ERROR, GH_ADMIN_BODY_ERROR_MALFORMED, message);
  return FALSE;
}

JsonObject *
gh_admin_body_parse (const char          *content_type,
                     const char          *data,
                     gsize                length,
                     const char * const  *allowed,
                     JsonNode           **root,
                     GError             **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GList) members = NULL;
  JsonNode *node;

  *root = NULL;

  if (g_strcmp0 (content_type, "application/json") != 0)
    {
      g_set_error_literal (error, GH_ADMIN_BODY_ERROR, GH_ADMIN_BODY_ERROR_MEDIA_TYPE,
                           _("Send the body as application/json"));
      return NULL;
    }

  if (length == 0 || data == NULL)
    {
      malformed (error, _("The body is empty"));
      return NULL;
    }
  if (!g_utf8_validate_len (data, length, NULL) || memchr (data, '\0', length) != NULL)
    {
      malformed (error, _("The body is not UTF-8 text"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      /* json-glib's messages quote the input: keep them short, they may end up in a
       * log. The position is what helps. */
      g_set_error (error, GH_ADMIN_BODY_ERROR, GH_ADMIN_BODY_ERROR_MALFORMED,
                   _("The body is not JSON: %.200s"), local_error->message);
      return NULL;
    }

  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      malformed (error, _("The body must be a JSON object"));
      return NULL;
    }

  members = json_object_get_members (json_node_get_object (node));
  for (GList *l = members; l != NULL; l = l->next)
    if (allowed != NULL && !g_strv_contains (allowed, l->data))
      {
        g_autofree char *name = g_utf8_make_valid (l->data, MIN (strlen (l->data), 64));

        malformed (error, _("There is no member “%s” here"), name);
        return NULL;
      }

  *root = json_node_ref (node);
  return json_node_get_object (*root);
}

static gboolean
get_string (JsonObject   *object,
            const char   *name,
            gboolean      required,
            const char  **value,
            GError      **error)
{
  JsonNode *member = json_object_get_member (object, name);

  *value = NULL;
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return required ? malformed (error, _("The member “%s” is required"), name) : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
    return malformed (error, _("The member “%s” must be a string"), name);

  *value = json_node_get_string (member);
  if (required && **value == '\0')
    return malformed (error, _("The member “%s” must not be empty"), name);
  return TRUE;
}

gboolean
gh_admin_parse_upload (JsonObject     *object,
                       gboolean        alias_required,
                       GhAdminUpload  *upload,
                       GError        **error)
{
  memset (upload, 0, sizeof *upload);

  if (!get_string (object, "alias", alias_required, &upload->alias, error) ||
      !get_string (object, "pkcs12", FALSE, &upload->pkcs12, error) ||
      !get_string (object, "pem", FALSE, &upload->pem, error) ||
      !get_string (object, "password", FALSE, &upload->password, error) ||
      !get_string (object, "source_alias", FALSE, &upload->source_alias, error))
    return FALSE;

  if ((upload->pkcs12 == NULL) == (upload->pem == NULL))
    return malformed (error, _("Give either “pkcs12” (base64) or “pem”"));

  return TRUE;
}

gboolean
gh_admin_parse_csr (JsonObject   *object,
                    const char  **key_type,
                    const char  **subject,
                    GStrv        *dns_names,
                    GError      **error)
{
  g_autoptr(GStrvBuilder) sans = g_strv_builder_new ();
  JsonNode *names;

  *dns_names = NULL;
  if (!get_string (object, "key_type", FALSE, key_type, error) ||
      !get_string (object, "subject", TRUE, subject, error))
    return FALSE;

  names = json_object_get_member (object, "dns_names");
  if (names != NULL && !JSON_NODE_HOLDS_NULL (names))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (names))
        return malformed (error, _("The member “%s” must be a list of strings"), "dns_names");

      array = json_node_get_array (names);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING ||
              *json_node_get_string (element) == '\0')
            return malformed (error, _("The member “%s” must be a list of names"), "dns_names");
          g_strv_builder_add (sans, json_node_get_string (element));
        }
    }

  *dns_names = g_strv_builder_end (sans);
  return TRUE;
}

gboolean
gh_admin_parse_reply (JsonObject   *object,
                      const char  **pem,
                      GError      **error)
{
  return get_string (object, "pem", TRUE, pem, error);
}

gboolean
gh_admin_parse_trust (JsonObject   *object,
                      const char  **alias,
                      const char  **pem,
                      GError      **error)
{
  return get_string (object, "alias", TRUE, alias, error) && get_string (object, "pem", TRUE, pem, error);
}

gboolean
gh_admin_parse_rollback (JsonObject  *object,
                         gint64      *version,
                         GError     **error)
{
  JsonNode *member = json_object_get_member (object, "version");

  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_INT64 ||
      json_node_get_int (member) < 1)
    return malformed (error, _("The member “%s” must be a version number"), "version");

  *version = json_node_get_int (member);
  return TRUE;
}
