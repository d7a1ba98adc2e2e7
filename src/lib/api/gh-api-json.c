/* gh-api-json.c — strict readers of the admin API's JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-json"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-api-private.h"
#include "gh-config-problem.h"

void
_gh_api_set_protocol_error (GError     **error,
                            const char  *format,
                            ...)
{
  g_autofree char *what = NULL;
  g_autofree char *valid = NULL;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  /* What the peer sent may be quoted in @what: keep the message valid UTF-8. */
  valid = g_utf8_make_valid (what, -1);
  g_set_error (error, GH_API_ERROR, GH_API_ERROR_PROTOCOL,
               _("The gateway’s answer is not what the admin API says: %s"), valid);
}

JsonObject *
_gh_api_node_get_object (JsonNode    *node,
                         const char  *what,
                         GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      _gh_api_set_protocol_error (error, _("%s is not a JSON object"), what);
      return NULL;
    }

  return json_node_get_object (node);
}

/* The member, or NULL when absent or null and that is allowed; FALSE on error. */
static gboolean
lookup_member (JsonObject        *object,
               const char        *what,
               const char        *member,
               GhApiMemberFlags   flags,
               JsonNode         **out,
               GError           **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;

  if (node == NULL)
    {
      if (flags & GH_API_REQUIRED)
        {
          _gh_api_set_protocol_error (error, _("%s has no “%s”"), what, member);
          return FALSE;
        }
      return TRUE;
    }

  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (!(flags & GH_API_NULLABLE))
        {
          _gh_api_set_protocol_error (error, _("“%s” of %s is null"), member, what);
          return FALSE;
        }
      return TRUE;
    }

  *out = node;
  return TRUE;
}

static gboolean
wrong_type (const char  *what,
            const char  *member,
            const char  *expected,
            GError     **error)
{
  _gh_api_set_protocol_error (error, _("“%s” of %s is not %s"), member, what, expected);
  return FALSE;
}

gboolean
_gh_api_get_string (JsonObject        *object,
                    const char        *what,
                    const char        *member,
                    GhApiMemberFlags   flags,
                    char             **out,
                    GError           **error)
{
  JsonNode *node;

  if (!lookup_member (object, what, member, flags, &node, error))
    return FALSE;

  if (node == NULL)
    {
      if (json_object_has_member (object, member))
        g_clear_pointer (out, g_free);
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (what, member, _("a string"), error);

  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

gboolean
_gh_api_get_int (JsonObject        *object,
                 const char        *what,
                 const char        *member,
                 GhApiMemberFlags   flags,
                 gint64            *out,
                 GError           **error)
{
  JsonNode *node;

  if (!lookup_member (object, what, member, flags, &node, error))
    return FALSE;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return wrong_type (what, member, _("an integer"), error);

  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
_gh_api_get_boolean (JsonObject        *object,
                     const char        *what,
                     const char        *member,
                     GhApiMemberFlags   flags,
                     gboolean          *out,
                     GError           **error)
{
  JsonNode *node;

  if (!lookup_member (object, what, member, flags, &node, error))
    return FALSE;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return wrong_type (what, member, _("true or false"), error);

  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
_gh_api_get_time (JsonObject        *object,
                  const char        *what,
                  const char        *member,
                  GhApiMemberFlags   flags,
                  GDateTime        **out,
                  GError           **error)
{
  g_autofree char *text = NULL;
  GDateTime *time;

  if (!_gh_api_get_string (object, what, member, flags, &text, error))
    return FALSE;

  if (text == NULL)
    return TRUE;

  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    return wrong_type (what, member, _("an RFC 3339 time"), error);

  g_clear_pointer (out, g_date_time_unref);
  *out = time;
  return TRUE;
}

gboolean
_gh_api_get_strv (JsonObject        *object,
                  const char        *what,
                  const char        *member,
                  GhApiMemberFlags   flags,
                  GStrv             *out,
                  GError           **error)
{
  JsonArray *array = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (!_gh_api_get_array (object, what, member, flags, &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return wrong_type (what, member, _("a list of strings"), error);
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  g_strfreev (*out);
  *out = g_strv_builder_end (builder);
  return TRUE;
}

gboolean
_gh_api_get_array (JsonObject        *object,
                   const char        *what,
                   const char        *member,
                   GhApiMemberFlags   flags,
                   JsonArray        **out,
                   GError           **error)
{
  JsonNode *node;

  *out = NULL;

  if (!lookup_member (object, what, member, flags, &node, error))
    return FALSE;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (what, member, _("a list"), error);

  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
_gh_api_get_object (JsonObject        *object,
                    const char        *what,
                    const char        *member,
                    GhApiMemberFlags   flags,
                    JsonObject       **out,
                    GError           **error)
{
  JsonNode *node;

  *out = NULL;

  if (!lookup_member (object, what, member, flags, &node, error))
    return FALSE;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (what, member, _("an object"), error);

  *out = json_node_get_object (node);
  return TRUE;
}

GListModel *
_gh_api_list_from_array (JsonArray      *array,
                         GType           item_type,
                         GhApiParseFunc  parse,
                         const char     *what,
                         GError        **error)
{
  g_autoptr(GListStore) store = g_list_store_new (item_type);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autoptr(GObject) item = parse (json_array_get_element (array, i), error);

      if (item == NULL)
        {
          g_prefix_error (error, "%s[%u]: ", what, i);
          return NULL;
        }
      g_list_store_append (store, item);
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}

static GhConfigError
config_code_from_name (const char *name)
{
  if (name == NULL)
    return GH_CONFIG_ERROR_INVALID;

  for (GhConfigError code = GH_CONFIG_ERROR_FAILED; code <= GH_CONFIG_ERROR_NEEDS_TRUSTSTORE; code++)
    if (g_strcmp0 (gh_config_error_code_to_string (code), name) == 0)
      return code;

  return GH_CONFIG_ERROR_INVALID;
}

GListModel *
_gh_api_problems_from_array (JsonArray  *array,
                             GError    **error)
{
  g_autoptr(GListStore) store = g_list_store_new (GH_TYPE_CONFIG_PROBLEM);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *object = _gh_api_node_get_object (json_array_get_element (array, i), "problem", error);
      g_autofree char *path = NULL, *message = NULL, *code = NULL, *service = NULL;
      g_autoptr(GhConfigProblem) problem = NULL;

      if (object == NULL ||
          !_gh_api_get_string (object, "problem", "path", GH_API_NULLABLE, &path, error) ||
          !_gh_api_get_string (object, "problem", "message", GH_API_REQUIRED, &message, error) ||
          !_gh_api_get_string (object, "problem", "code", GH_API_NULLABLE, &code, error) ||
          !_gh_api_get_string (object, "problem", "service", GH_API_NULLABLE, &service, error))
        return NULL;

      problem = gh_config_problem_new (config_code_from_name (code), path, service, message);
      g_list_store_append (store, problem);
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}
