/* gh-config-edit.c — changing a configuration a service at a time, as an editor does
 *
 * An editor changes one service and must not disturb the rest of the document: the
 * other services, and the members of its own service it shows no field for, stay
 * exactly as written. So the edit works on the JSON the configuration serializes to,
 * not on the model: a service is a JsonObject copied out of it, changed member by
 * member (a member whose new value means what the file says already is left alone),
 * and put back in its place; the result is parsed again, which is where a change that
 * cannot be a configuration fails, with the GH_CONFIG_ERROR problems of the parser.
 *
 * When the configuration changed meanwhile (a 412 from the gateway), the service edit
 * is merged three ways: each member the admin changed (mine differs from base) goes
 * over the service as it is now (theirs), objects ("limits") member by member. Where
 * both sides changed one member to different values, the admin's value wins, and the
 * member's path is reported as a conflict so that a caller can say so.
 *
 * The descriptions are for people: one line per changed member, with its value before
 * and after, nested members by their dotted path ("limits.idle-timeout").
 *
 * The protocols-and-ciphers presets an editor offers live here too, with which preset
 * a priority string as written is, so that no widget holds a GnuTLS priority string.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-config-edit"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gh-config-edit.h"
#include "gh-config-error.h"

/* Reading */

/**
 * gh_config_edit_get_string:
 * Returns: (nullable) (transfer none): @member of @object when it is a string
 */
const char *
gh_config_edit_get_string (JsonObject *object,
                           const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

/**
 * gh_config_edit_get_object:
 * Returns: (nullable) (transfer none): @member of @object when it is an object
 */
JsonObject *
gh_config_edit_get_object (JsonObject *object,
                           const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* null and absent mean the same. */
static gboolean
nodes_equal (JsonNode *a,
             JsonNode *b)
{
  if (a != NULL && JSON_NODE_HOLDS_NULL (a))
    a = NULL;
  if (b != NULL && JSON_NODE_HOLDS_NULL (b))
    b = NULL;
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

static gboolean
holds_object_or_nothing (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_OBJECT (node);
}

static JsonObject *
node_object (JsonNode *node)
{
  return node != NULL ? json_node_get_object (node) : NULL;
}

/* The member names of @a, then those only @b has. (transfer container) */
static GList *
union_of_members (JsonObject *a,
                  JsonObject *b)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GList *names = NULL;
  JsonObject *objects[] = { a, b };

  for (guint o = 0; o < G_N_ELEMENTS (objects); o++)
    {
      g_autoptr(GList) members = objects[o] != NULL ? json_object_get_members (objects[o]) : NULL;

      for (GList *l = members; l != NULL; l = l->next)
        if (g_hash_table_add (seen, l->data))
          names = g_list_prepend (names, l->data);
    }
  return g_list_reverse (names);
}

/* Writing */

/**
 * gh_config_edit_string_node:
 * Returns: (nullable) (transfer full): a string node, or NULL for NULL or ""
 */
JsonNode *
gh_config_edit_string_node (const char *text)
{
  if (text == NULL || *text == '\0')
    return NULL;
  return json_node_init_string (json_node_alloc (), text);
}

/**
 * gh_config_edit_int_node:
 * Returns: (transfer full): an integer node
 */
JsonNode *
gh_config_edit_int_node (gint64 value)
{
  return json_node_init_int (json_node_alloc (), value);
}

/**
 * gh_config_edit_update_member:
 * @object: a service object, or one inside it
 * @member: the member to set
 * @value: (transfer full) (nullable): its new value; NULL: left out
 * @same_as_absent: (nullable): the value that leaving the member out means (the
 *   default), when there is one
 *
 * Sets @member of @object to @value, unless what it holds means the same (null, an
 * empty string and @same_as_absent all mean "absent"): then the file keeps what it says.
 */
void
gh_config_edit_update_member (JsonObject *object,
                              const char *member,
                              JsonNode   *value,
                              JsonNode   *same_as_absent)
{
  g_autoptr(JsonNode) owned = value;
  JsonNode *normalized;

  g_return_if_fail (object != NULL);
  g_return_if_fail (member != NULL);

  normalized = json_object_get_member (object, member);
  if (normalized != NULL && JSON_NODE_HOLDS_NULL (normalized))
    normalized = NULL;
  if (normalized != NULL && JSON_NODE_HOLDS_VALUE (normalized) &&
      json_node_get_value_type (normalized) == G_TYPE_STRING &&
      *json_node_get_string (normalized) == '\0')
    normalized = NULL;
  if (normalized != NULL && same_as_absent != NULL && json_node_equal (normalized, same_as_absent))
    normalized = NULL;

  if (nodes_equal (normalized, value))
    return;
  if (value == NULL)
    json_object_remove_member (object, member);
  else
    json_object_set_member (object, member, g_steal_pointer (&owned));
}

/**
 * gh_config_edit_copy_object:
 * Returns: (transfer full): a deep copy of @object (json_node_copy() shares the
 *   objects inside)
 */
JsonObject *
gh_config_edit_copy_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) copy = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  json_node_set_object (node, object);
  text = json_to_string (node, FALSE);
  copy = json_from_string (text, NULL);
  g_assert (copy != NULL && JSON_NODE_HOLDS_OBJECT (copy));
  return json_object_ref (json_node_get_object (copy));
}

/**
 * gh_config_edit_dup_member_object:
 * Returns: (transfer full): @member of @object as an object of its own, to change and
 *   put back with gh_config_edit_put_member_object(); empty when there is none
 */
JsonObject *
gh_config_edit_dup_member_object (JsonObject *object,
                                  const char *member)
{
  JsonObject *inner = gh_config_edit_get_object (object, member);

  return inner != NULL ? gh_config_edit_copy_object (inner) : json_object_new ();
}

/**
 * gh_config_edit_put_member_object:
 * @inner: (nullable): the new value; NULL or empty: the member is left out
 */
void
gh_config_edit_put_member_object (JsonObject *object,
                                  const char *member,
                                  JsonObject *inner)
{
  g_return_if_fail (object != NULL);

  if (inner == NULL || json_object_get_size (inner) == 0)
    json_object_remove_member (object, member);
  else
    json_object_set_object_member (object, member, json_object_ref (inner));
}

/* Protocols and ciphers */

static const char * const priority_presets[GH_CONFIG_EDIT_N_PRIORITY_PRESETS] = {
  NULL,                    /* the default, left out of the file */
  /* TLS 1.3 only */
  "SECURE:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+CHACHA20-POLY1305:+AES-256-GCM:+AES-128-GCM:"
  "-MAC-ALL:+AEAD",
  /* compatible: more ciphers, for older clients */
  "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2",
};

/**
 * gh_config_edit_get_priority_preset:
 * Returns: (nullable): the GnuTLS priority string of @preset; NULL for the default
 *   (written as no member at all) and beyond the presets
 */
const char *
gh_config_edit_get_priority_preset (guint preset)
{
  return preset < G_N_ELEMENTS (priority_presets) ? priority_presets[preset] : NULL;
}

/**
 * gh_config_edit_find_priority_preset:
 * @priority: (nullable): a priority string as written
 *
 * Returns: the preset @priority is — 0 when it is missing, empty or the default
 *   written out — or GH_CONFIG_EDIT_N_PRIORITY_PRESETS when it is none of them
 */
guint
gh_config_edit_find_priority_preset (const char *priority)
{
  if (priority == NULL || *priority == '\0' || g_str_equal (priority, GH_CONFIG_DEFAULT_TLS_PRIORITY))
    return 0;

  for (guint i = 1; i < G_N_ELEMENTS (priority_presets); i++)
    if (g_str_equal (priority, priority_presets[i]))
      return i;
  return GH_CONFIG_EDIT_N_PRIORITY_PRESETS;
}

/* Services */

static JsonArray *
services_of (JsonNode *root)
{
  JsonNode *services = json_object_get_member (json_node_get_object (root), "services");

  return services != NULL && JSON_NODE_HOLDS_ARRAY (services) ? json_node_get_array (services) : NULL;
}

/* The position of the service named @name in @services, or -1. */
static int
find_service (JsonArray  *services,
              const char *name)
{
  for (guint i = 0; services != NULL && name != NULL && i < json_array_get_length (services); i++)
    {
      JsonObject *service = json_array_get_object_element (services, i);

      if (g_strcmp0 (gh_config_edit_get_string (service, "name"), name) == 0)
        return (int) i;
    }
  return -1;
}

static JsonObject *
service_at (JsonArray *services,
            int        position)
{
  return position >= 0 ? json_array_get_object_element (services, (guint) position) : NULL;
}

/**
 * gh_config_edit_dup_service:
 * @name: (nullable): the service's name
 * @index: (out) (optional): its position; when there is none such, the position a
 *   new service would take (the end)
 *
 * Returns: (transfer full) (nullable): a copy of the service object named @name in
 *   @config's JSON, or NULL
 */
JsonObject *
gh_config_edit_dup_service (GhGatewayConfig *config,
                            const char      *name,
                            guint           *index)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *services;
  int position;

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (config), NULL);

  root = gh_gateway_config_to_json (config);
  services = services_of (root);
  position = find_service (services, name);
  if (index != NULL)
    *index = position >= 0 ? (guint) position : services != NULL ? json_array_get_length (services) : 0;
  return position >= 0 ? gh_config_edit_copy_object (service_at (services, position)) : NULL;
}

/* @root, changed, parsed again as a configuration in @config's directory. */
static GhGatewayConfig *
config_from_root (GhGatewayConfig  *config,
                  JsonNode         *root,
                  GError          **error)
{
  g_autofree char *text = json_to_string (root, TRUE);
  GhGatewayConfig *result = gh_gateway_config_new_from_data (text, -1, error);

  if (result != NULL)
    gh_gateway_config_set_base_directory (result, gh_gateway_config_get_base_directory (config));
  return result;
}

static JsonArray *
ensure_services (JsonNode *root)
{
  JsonArray *services = services_of (root);

  if (services == NULL)
    {
      services = json_array_new ();
      json_object_set_array_member (json_node_get_object (root), "services", services);
    }
  return services;
}

/**
 * gh_config_edit_with_service:
 * @config: the configuration the edit goes on top of
 * @replace: (nullable): the name the service had in @config; NULL for a new one
 * @service: the service object as it should be written
 * @index: (out) (optional): where @service is in the result
 * @error: GH_CONFIG_ERROR with the problems of the parser when the result cannot be
 *   a configuration (validation is the caller's: gh_gateway_config_check())
 *
 * Returns: (transfer full) (nullable): @config with the service named @replace put
 *   as @service in its place (or added at the end, when there is none such); the
 *   other services and every other member stay as written
 */
GhGatewayConfig *
gh_config_edit_with_service (GhGatewayConfig  *config,
                             const char       *replace,
                             JsonObject       *service,
                             guint            *index,
                             GError          **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *services;
  int position;

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (config), NULL);
  g_return_val_if_fail (service != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = gh_gateway_config_to_json (config);
  services = ensure_services (root);
  position = find_service (services, replace);
  if (position >= 0)
    {
      /* json-glib has no replace: the array is made again, the service in its place. */
      JsonArray *rebuilt = json_array_new ();

      for (guint i = 0; i < json_array_get_length (services); i++)
        if (i == (guint) position)
          json_array_add_object_element (rebuilt, json_object_ref (service));
        else
          json_array_add_element (rebuilt, json_node_copy (json_array_get_element (services, i)));
      json_object_set_array_member (json_node_get_object (root), "services", rebuilt);
    }
  else
    {
      position = (int) json_array_get_length (services);
      json_array_add_object_element (services, json_object_ref (service));
    }

  if (index != NULL)
    *index = (guint) position;
  return config_from_root (config, root, error);
}

/**
 * gh_config_edit_without_service:
 * @error: GH_CONFIG_ERROR_MISSING when @config has no service named @name
 *
 * Returns: (transfer full) (nullable): @config without the service named @name
 */
GhGatewayConfig *
gh_config_edit_without_service (GhGatewayConfig  *config,
                                const char       *name,
                                GError          **error)
{
  g_autoptr(JsonNode) root = NULL;
  int position;

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (config), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = gh_gateway_config_to_json (config);
  position = find_service (services_of (root), name);
  if (position < 0)
    {
      g_autofree char *message = g_strdup_printf (_("There is no service “%s”"), name);

      gh_config_error_set_problem (error, GH_CONFIG_ERROR_MISSING, "services", message);
      return NULL;
    }

  json_array_remove_element (services_of (root), (guint) position);
  return config_from_root (config, root, error);
}

/**
 * gh_config_edit_service_member_path:
 * @path: a problem's path in the document, as "services[2].accept[1]"
 * @index: the position of the service in the document
 *
 * Where a problem lands inside one service, so that an editor can put it on the field
 * that shows that member.
 *
 * Returns: (nullable): the rest of @path inside the service at @index — "" for the
 *   service itself, "accept[1]", "tls.priority" — or NULL when @path is elsewhere
 */
const char *
gh_config_edit_service_member_path (const char *path,
                                    guint       index)
{
  g_autofree char *prefix = NULL;
  const char *rest;

  if (path == NULL)
    return NULL;

  prefix = g_strdup_printf ("services[%u]", index);
  if (!g_str_has_prefix (path, prefix))
    return NULL;

  rest = path + strlen (prefix);
  if (*rest == '\0')
    return rest;
  return *rest == '.' ? rest + 1 : NULL;
}

/* Merging */

static JsonObject *
merge_object (JsonObject   *base,
              JsonObject   *mine,
              JsonObject   *theirs,
              const char   *prefix,
              GStrvBuilder *conflicts)
{
  JsonObject *merged = theirs != NULL ? gh_config_edit_copy_object (theirs) : json_object_new ();
  g_autoptr(GList) names = union_of_members (mine, base);

  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *b = base != NULL ? json_object_get_member (base, name) : NULL;
      JsonNode *m = json_object_get_member (mine, name);
      JsonNode *t = theirs != NULL ? json_object_get_member (theirs, name) : NULL;
      g_autofree char *path = prefix != NULL ? g_strdup_printf ("%s.%s", prefix, name) : g_strdup (name);

      if (nodes_equal (b, m))
        continue;   /* not the admin's change: theirs stays */

      if (m != NULL && JSON_NODE_HOLDS_OBJECT (m) && holds_object_or_nothing (b) && holds_object_or_nothing (t))
        {
          g_autoptr(JsonObject) inner = merge_object (node_object (b), json_node_get_object (m), node_object (t),
                                                      path, conflicts);

          gh_config_edit_put_member_object (merged, name, inner);
          continue;
        }

      /* Both changed it, each their own way: the admin's wins, and it is said. */
      if (!nodes_equal (b, t) && !nodes_equal (m, t))
        g_strv_builder_add (conflicts, path);

      if (m == NULL)
        json_object_remove_member (merged, name);
      else
        json_object_set_member (merged, name, json_node_copy (m));
    }
  return merged;
}

/**
 * gh_config_edit_merge_service:
 * @base: (nullable): the service as it was when the edit began (NULL: a new one)
 * @mine: the service as edited
 * @theirs: (nullable): the service as it is now (NULL: removed meanwhile)
 * @conflicts: (out) (optional) (transfer full): the dotted paths of the members both
 *   sides changed to different values ("limits.idle-timeout"); empty when none
 *
 * Each member the edit changed goes over @theirs; the rest of @theirs stays. On a
 * conflict the edit's value wins.
 *
 * Returns: (transfer full): the merged service object
 */
JsonObject *
gh_config_edit_merge_service (JsonObject  *base,
                              JsonObject  *mine,
                              JsonObject  *theirs,
                              GStrv       *conflicts)
{
  g_autoptr(GStrvBuilder) found = g_strv_builder_new ();
  JsonObject *merged;

  g_return_val_if_fail (mine != NULL, NULL);

  merged = merge_object (base, mine, theirs, NULL, found);
  if (conflicts != NULL)
    *conflicts = g_strv_builder_end (found);
  return merged;
}

/* Describing */

static char *
value_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) parts = NULL;

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *part = value_text (json_array_get_element (array, i));
          g_strv_builder_add (builder, part != NULL ? part : "null");
        }
      parts = g_strv_builder_end (builder);
      return g_strjoinv (", ", parts);
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return json_to_string (node, FALSE);
}

static void
describe_members (GStrvBuilder *lines,
                  const char   *service,
                  const char   *prefix,
                  JsonObject   *before,
                  JsonObject   *after)
{
  g_autoptr(GList) names = union_of_members (before, after);

  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *a = before != NULL ? json_object_get_member (before, name) : NULL;
      JsonNode *b = after != NULL ? json_object_get_member (after, name) : NULL;
      g_autofree char *member = prefix != NULL ? g_strdup_printf ("%s.%s", prefix, name) : g_strdup (name);
      g_autofree char *was = NULL, *now = NULL;

      if (nodes_equal (a, b))
        continue;
      if (holds_object_or_nothing (a) && holds_object_or_nothing (b))
        {
          describe_members (lines, service, member, node_object (a), node_object (b));
          continue;
        }

      was = value_text (a);
      now = value_text (b);
      if (was == NULL)
        g_strv_builder_take (lines, g_strdup_printf (_("Service “%s”: %s set to “%s”"), service, member, now));
      else if (now == NULL)
        g_strv_builder_take (lines, g_strdup_printf (_("Service “%s”: %s removed (was “%s”)"), service, member, was));
      else
        g_strv_builder_take (lines, g_strdup_printf (_("Service “%s”: %s changed from “%s” to “%s”"),
                                                     service, member, was, now));
    }
}

/**
 * gh_config_edit_describe_service:
 * @name: the service's name, for the lines
 * @before: (nullable): the service object before
 * @after: (nullable): and after
 *
 * Returns: (transfer full): one line per member that differs ("Service “a”: connect
 *   changed from “x” to “y”"), nested objects member by member; empty when none
 */
GStrv
gh_config_edit_describe_service (const char *name,
                                 JsonObject *before,
                                 JsonObject *after)
{
  g_autoptr(GStrvBuilder) lines = g_strv_builder_new ();

  describe_members (lines, name, NULL, before, after);
  return g_strv_builder_end (lines);
}

/**
 * gh_config_edit_describe_changes:
 *
 * Returns: (transfer full): what changed from @before to @after, one readable line
 *   each: the parts of the gateway outside the services, each service added or
 *   removed, each member of a service changed; never empty (an identical document
 *   means the keystore or truststore changed, which is all a new version can be then)
 */
GStrv
gh_config_edit_describe_changes (GhGatewayConfig *before,
                                 GhGatewayConfig *after)
{
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autoptr(GStrvBuilder) lines = g_strv_builder_new ();
  JsonArray *services_a, *services_b;
  guint n_lines = 0;
  const struct { const char *member; const char *text; } parts[] = {
    { "properties", N_("The gateway’s properties changed") },
    { "security", N_("The keystore or truststore settings changed") },
    { "admin", N_("The admin API settings changed") },
  };

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (before), NULL);
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (after), NULL);

  a = gh_gateway_config_to_json (before);
  b = gh_gateway_config_to_json (after);
  services_a = services_of (a);
  services_b = services_of (b);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (!nodes_equal (json_object_get_member (json_node_get_object (a), parts[i].member),
                      json_object_get_member (json_node_get_object (b), parts[i].member)))
      {
        g_strv_builder_add (lines, _(parts[i].text));
        n_lines++;
      }

  for (guint i = 0; services_b != NULL && i < json_array_get_length (services_b); i++)
    {
      JsonObject *service = json_array_get_object_element (services_b, i);
      const char *name = gh_config_edit_get_string (service, "name");
      JsonObject *old = service_at (services_a, find_service (services_a, name));
      g_auto(GStrv) changed = NULL;

      if (old == NULL)
        {
          g_strv_builder_take (lines, g_strdup_printf (_("Service “%s” added"), name));
          n_lines++;
          continue;
        }
      changed = gh_config_edit_describe_service (name, old, service);
      g_strv_builder_addv (lines, (const char **) changed);
      n_lines += g_strv_length (changed);
    }
  for (guint i = 0; services_a != NULL && i < json_array_get_length (services_a); i++)
    {
      const char *name = gh_config_edit_get_string (json_array_get_object_element (services_a, i), "name");

      if (find_service (services_b, name) < 0)
        {
          g_strv_builder_take (lines, g_strdup_printf (_("Service “%s” removed"), name));
          n_lines++;
        }
    }

  if (n_lines == 0)
    g_strv_builder_add (lines, _("Nothing in the configuration document: the keystore or truststore changed"));
  return g_strv_builder_end (lines);
}
