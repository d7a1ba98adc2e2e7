/* gh-gateway-config-json.c — the gateway configuration from JSON and back
 *
 * The input faces the outside (the admin API's PUT body), so it is bounded before
 * json-glib sees it: its size, its nesting (counted by a scan that follows strings the
 * way strict JSON writes them), and no NUL, raw or as \u0000, which json-glib would
 * silently cut a string at. json-glib then parses in strict mode (no comments, no
 * single quotes, one value), and reports each member it adds, which is how a member
 * given twice in one object is caught: json-glib itself keeps the last one quietly.
 *
 * The tree becomes the model member by member, each with its JSON path, so that every
 * problem (unknown member, wrong type, string too long) names its field. All such
 * problems are collected, not only the first.
 *
 * Serialization writes members in the order of docs/config.md and only what the model
 * holds: no defaults, no nulls, no empty objects (except "admin", whose presence turns
 * the admin listener on).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-gateway-config"

#include "config.h"

#include <inttypes.h>

#include <string.h>
#include <glib/gi18n.h>

#include "gh-config-private.h"

/* Member names longer than this are cut short in messages. */
#define MAX_NAME_IN_MESSAGE 64

typedef struct {
  GhConfigProblems *problems;
  const char       *service;   /* the name of the service being read, for messages */
} Reader;

/* Scanning the text */

static gboolean
scan_text (const char       *data,
           gsize             length,
           GhConfigProblems *problems)
{
  gboolean in_string = FALSE;
  guint depth = 0;
  guint line = 1;
  guint column = 1;

  for (gsize i = 0; i < length; i++)
    {
      guchar c = data[i];

      if (c == '\0')
        {
          _gh_config_problems_add_at (problems, GH_CONFIG_ERROR_SYNTAX, line, column,
                                      _("the text contains a NUL byte, which JSON does not allow"));
          return FALSE;
        }

      if (in_string)
        {
          if (c == '\\' && i + 1 < length)
            {
              if (i + 5 < length && data[i + 1] == 'u' && memcmp (data + i + 2, "0000", 4) == 0)
                {
                  _gh_config_problems_add_at (problems, GH_CONFIG_ERROR_SYNTAX, line, column,
                                              _("a string contains \\u0000 (NUL), which no "
                                                "configuration value may hold"));
                  return FALSE;
                }

              /* The escaped character is never a line break in JSON that parses. */
              i++;
              column += 2;
              continue;
            }
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > GH_CONFIG_MAX_DEPTH)
            {
              _gh_config_problems_add_at (problems, GH_CONFIG_ERROR_TOO_LARGE, line, column,
                                          _("objects and lists are nested more than %u levels "
                                            "deep, far deeper than any configuration"),
                                          GH_CONFIG_MAX_DEPTH);
              return FALSE;
            }
        }
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;

      if (c == '\n')
        {
          line++;
          column = 1;
        }
      else if ((c & 0xc0) != 0x80)
        column++;
    }

  return TRUE;
}

/* json-glib says "<data>:LINE:COLUMN: Parse error: what"; keep the position apart. */
static void
add_parser_error (GhConfigProblems *problems,
                  const GError     *error)
{
  const char *text = error->message;
  g_autofree char *valid = NULL;
  guint line = 0;
  guint column = 0;

  if (g_str_has_prefix (text, "<data>:"))
    {
      const char *p = text + strlen ("<data>:");
      char *end = NULL;
      guint64 l, c;

      l = g_ascii_strtoull (p, &end, 10);
      if (end != p && *end == ':')
        {
          p = end + 1;
          c = g_ascii_strtoull (p, &end, 10);
          if (end != p && *end == ':')
            {
              line = MIN (l, G_MAXUINT);
              column = MIN (c, G_MAXUINT);
              text = end + 1;
              while (*text == ' ')
                text++;
              if (g_str_has_prefix (text, "Parse error: "))
                text += strlen ("Parse error: ");
            }
        }
    }

  /* json-glib quotes the text it choked on, and may cut a character in half. */
  valid = g_utf8_make_valid (text, -1);
  _gh_config_problems_add_at (problems, GH_CONFIG_ERROR_SYNTAX, line, column,
                              _("this is not valid JSON: %s"), valid);
}

/* What json-glib adds, member by member: a second member of the same name in one
 * object does not make the object grow. */
typedef struct {
  GHashTable *counts;      /* JsonObject → number of members seen */
  char       *duplicate;   /* the first name seen twice */
  guint       line;
  guint       column;
} DuplicateCheck;

static char *
name_for_message (const char *name)
{
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = name; *p != '\0' && n < MAX_NAME_IN_MESSAGE; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_c (out, '?');
      else
        g_string_append_unichar (out, c);
    }
  if (g_utf8_strlen (name, -1) > MAX_NAME_IN_MESSAGE)
    g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

static void
on_object_member (JsonParser *parser,
                  JsonObject *object,
                  const char *member_name,
                  gpointer    user_data)
{
  DuplicateCheck *check = user_data;
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (check->counts, object)) + 1;

  g_hash_table_insert (check->counts, object, GUINT_TO_POINTER (count));

  if (count > json_object_get_size (object) && check->duplicate == NULL)
    {
      check->duplicate = name_for_message (member_name);
      check->line = json_parser_get_current_line (parser);
      check->column = json_parser_get_current_pos (parser);
    }
}

/* Reading the tree */

static char *
member_path (const char *path,
             const char *member)
{
  if (*path == '\0')
    return g_strdup (member);

  return g_strdup_printf ("%s.%s", path, member);
}

static char *
index_path (const char *path,
            guint       index)
{
  return g_strdup_printf ("%s[%u]", path, index);
}

static const char *
describe_node (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return _("an object");
    case JSON_NODE_ARRAY:
      return _("a list");
    case JSON_NODE_NULL:
      return _("null");
    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return _("a string");
    case G_TYPE_BOOLEAN:
      return _("true or false");
    case G_TYPE_INT64:
      return _("a whole number");
    case G_TYPE_DOUBLE:
      return _("a number with a fraction");
    default:
      return _("a value");
    }
}

static void
wrong_type (Reader     *r,
            const char *path,
            const char *expected,
            JsonNode   *node)
{
  _gh_config_problems_add (r->problems, GH_CONFIG_ERROR_WRONG_TYPE, path, r->service,
                           /* Translators: "should be a string, not a whole number" */
                           _("should be %s, not %s"), expected, describe_node (node));
}

/* Each member of @object that is not in @known is a problem. */
static void
check_members (Reader             *r,
               JsonObject         *object,
               const char         *path,
               const char * const *known)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      g_autofree char *here = NULL;
      g_autofree char *shown = NULL;

      if (g_strv_contains (known, name))
        continue;

      here = member_path (path, name);
      shown = name_for_message (name);

      if (g_str_equal (name, "protocols") || g_str_equal (name, "ciphers"))
        _gh_config_problems_add (r->problems, GH_CONFIG_ERROR_UNKNOWN_MEMBER, here, r->service,
                                 _("there is no member “%s”: one GnuTLS priority string, "
                                   "“priority”, sets both protocols and ciphers"), shown);
      else
        {
          g_autofree char *list = g_strjoinv ("”, “", (char **) known);

          _gh_config_problems_add (r->problems, GH_CONFIG_ERROR_UNKNOWN_MEMBER, here, r->service,
                                   _("there is no member “%s” here; the members are “%s”"),
                                   shown, list);
        }
    }
}

/* The member @name of @object, or NULL when it is absent or null: null means the same
 * as leaving a member out. */
static JsonNode *
get_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

/* The object at @node, or NULL when it is not one (a problem). */
static JsonObject *
read_object (Reader     *r,
             JsonNode   *node,
             const char *path)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      wrong_type (r, path, _("an object"), node);
      return NULL;
    }

  return json_node_get_object (node);
}

static gboolean
string_is_acceptable (Reader     *r,
                      const char *path,
                      const char *value)
{
  gsize length = strlen (value);

  if (length > GH_CONFIG_MAX_STRING_LENGTH)
    {
      _gh_config_problems_add (r->problems, GH_CONFIG_ERROR_TOO_LARGE, path, r->service,
                               ngettext ("is %zu byte long; the limit is %u",
                                         "is %zu bytes long; the limit is %u", length),
                               length, GH_CONFIG_MAX_STRING_LENGTH);
      return FALSE;
    }

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        {
          _gh_config_problems_add (r->problems, GH_CONFIG_ERROR_INVALID, path, r->service,
                                   _("contains a control character (U+%04X), which no "
                                     "configuration value may hold"), c);
          return FALSE;
        }
    }

  return TRUE;
}

static char *
node_to_string (Reader     *r,
                JsonNode   *node,
                const char *path)
{
  const char *value;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      wrong_type (r, path, _("a string"), node);
      return NULL;
    }

  value = json_node_get_string (node);
  if (!string_is_acceptable (r, path, value))
    return NULL;

  return g_strdup (value);
}

static void
read_string (Reader      *r,
             JsonObject  *object,
             const char  *path,
             const char  *name,
             char       **out)
{
  JsonNode *node = get_member (object, name);
  g_autofree char *here = NULL;

  if (node == NULL)
    return;

  here = member_path (path, name);
  *out = node_to_string (r, node, here);
}

static void
read_int (Reader      *r,
          JsonObject  *object,
          const char  *path,
          const char  *name,
          GhConfigInt *out)
{
  JsonNode *node = get_member (object, name);
  g_autofree char *here = NULL;

  if (node == NULL)
    return;

  here = member_path (path, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      wrong_type (r, here, _("a whole number"), node);
      return;
    }

  out->set = TRUE;
  out->value = json_node_get_int (node);
}

static void
read_bool (Reader       *r,
           JsonObject   *object,
           const char   *path,
           const char   *name,
           GhConfigBool *out)
{
  JsonNode *node = get_member (object, name);
  g_autofree char *here = NULL;

  if (node == NULL)
    return;

  here = member_path (path, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      wrong_type (r, here, _("true or false"), node);
      return;
    }

  *out = json_node_get_boolean (node) ? GH_CONFIG_BOOL_TRUE : GH_CONFIG_BOOL_FALSE;
}

/* The array member @name, or NULL when absent, null, not an array or too long. */
static JsonArray *
read_array (Reader     *r,
            JsonObject *object,
            const char *path,
            const char *name,
            guint       max_length,
            const char *what)
{
  JsonNode *node = get_member (object, name);
  g_autofree char *here = NULL;
  JsonArray *array;

  if (node == NULL)
    return NULL;

  here = member_path (path, name);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      wrong_type (r, here, _("a list"), node);
      return NULL;
    }

  array = json_node_get_array (node);
  if (json_array_get_length (array) > max_length)
    {
      _gh_config_problems_add (r->problems, GH_CONFIG_ERROR_TOO_LARGE, here, r->service,
                               /* Translators: the second %s is "services", "accept URIs", … */
                               _("lists %u %s; the limit is %u"),
                               json_array_get_length (array), what, max_length);
      return NULL;
    }

  return array;
}

static void
read_string_list (Reader      *r,
                  JsonObject  *object,
                  const char  *path,
                  const char  *name,
                  guint        max_length,
                  const char  *what,
                  GStrv       *out)
{
  JsonArray *array = read_array (r, object, path, name, max_length, what);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *here = NULL;
  gboolean ok = TRUE;
  guint n;

  if (array == NULL)
    return;

  here = member_path (path, name);
  builder = g_strv_builder_new ();
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *item_path = index_path (here, i);
      g_autofree char *value = node_to_string (r, json_array_get_element (array, i), item_path);

      if (value == NULL)
        ok = FALSE;
      else
        g_strv_builder_take (builder, g_steal_pointer (&value));
    }

  if (ok)
    *out = g_strv_builder_end (builder);
}

static const char * const store_members[] = { "file", "password-file", NULL };

static void
read_store (Reader      *r,
            JsonObject  *security,
            const char  *path,
            const char  *name,
            char       **file,
            char       **password_file)
{
  JsonNode *node = get_member (security, name);
  g_autofree char *here = NULL;
  JsonObject *object;

  if (node == NULL)
    return;

  here = member_path (path, name);
  if ((object = read_object (r, node, here)) == NULL)
    return;

  check_members (r, object, here, store_members);
  read_string (r, object, here, "file", file);
  read_string (r, object, here, "password-file", password_file);
}

static void
read_security (Reader          *r,
               JsonObject      *root,
               GhGatewayConfig *config)
{
  static const char * const members[] = { "keystore", "truststore", NULL };
  JsonNode *node = get_member (root, "security");
  JsonObject *object;

  if (node == NULL || (object = read_object (r, node, "security")) == NULL)
    return;

  check_members (r, object, "security", members);
  read_store (r, object, "security", "keystore", &config->keystore_file, &config->keystore_password_file);
  read_store (r, object, "security", "truststore", &config->truststore_file, &config->truststore_password_file);
}

static void
read_properties (Reader          *r,
                 JsonObject      *root,
                 GhGatewayConfig *config)
{
  static const char * const members[] = { "name", NULL };
  JsonNode *node = get_member (root, "properties");
  JsonObject *object;

  if (node == NULL || (object = read_object (r, node, "properties")) == NULL)
    return;

  check_members (r, object, "properties", members);
  read_string (r, object, "properties", "name", &config->name);
}

static void
read_admin (Reader          *r,
            JsonObject      *root,
            GhGatewayConfig *config)
{
  static const char * const members[] = {
    "listen", "certificate-alias", "client-ca", "timeouts", "identities", NULL
  };
  static const char * const timeout_members[] = { "handshake", "request", "body", "idle", NULL };
  static const char * const identity_members[] = { "subject", "fingerprint", "role", NULL };
  JsonNode *node = get_member (root, "admin");
  JsonObject *object;
  JsonObject *timeouts;
  JsonArray *identities;

  if (node == NULL || (object = read_object (r, node, "admin")) == NULL)
    return;

  config->has_admin = TRUE;
  check_members (r, object, "admin", members);
  read_string (r, object, "admin", "listen", &config->admin_listen);
  read_string (r, object, "admin", "certificate-alias", &config->admin_certificate_alias);
  read_string (r, object, "admin", "client-ca", &config->admin_client_ca);

  if ((node = get_member (object, "timeouts")) != NULL && (timeouts = read_object (r, node, "admin.timeouts")) != NULL)
    {
      check_members (r, timeouts, "admin.timeouts", timeout_members);
      for (guint i = 0; i < GH_ADMIN_N_TIMEOUTS; i++)
        read_int (r, timeouts, "admin.timeouts", gh_admin_timeout_to_string (i), &config->admin_timeouts[i]);
    }

  identities = read_array (r, object, "admin", "identities", GH_CONFIG_MAX_IDENTITIES, _("identities"));
  for (guint i = 0; identities != NULL && i < json_array_get_length (identities); i++)
    {
      g_autofree char *here = g_strdup_printf ("admin.identities[%u]", i);
      JsonObject *item = read_object (r, json_array_get_element (identities, i), here);
      GhConfigIdentity *identity;

      if (item == NULL)
        continue;

      check_members (r, item, here, identity_members);
      identity = g_new0 (GhConfigIdentity, 1);
      read_string (r, item, here, "subject", &identity->subject);
      read_string (r, item, here, "fingerprint", &identity->fingerprint);
      read_string (r, item, here, "role", &identity->role);
      g_ptr_array_add (config->identities, identity);
    }
}

static GhServiceConfig *
read_service (Reader     *r,
              JsonNode   *node,
              const char *path)
{
  static const char * const members[] = {
    "name", "description", "type", "accept", "connect", "directory", "tls", "connect-tls", "limits", NULL
  };
  static const char * const tls_members[] = { "priority", "verify-client", NULL };
  static const char * const connect_tls_members[] = {
    "priority", "verify", "server-name", "client-certificate-alias", NULL
  };
  static const char * const limits_members[] = {
    "max-pending-bytes", "max-message-bytes", "idle-timeout", "max-sessions", NULL
  };
  g_autoptr(GhServiceConfig) service = NULL;
  JsonObject *object;
  JsonObject *part;
  JsonNode *part_node;

  if ((object = read_object (r, node, path)) == NULL)
    return NULL;

  service = _gh_service_config_new ();

  /* The name first, so that every other problem can name the service. */
  read_string (r, object, path, "name", &service->name);
  r->service = service->name;

  check_members (r, object, path, members);
  read_string (r, object, path, "description", &service->description);
  read_string (r, object, path, "type", &service->type);
  read_string_list (r, object, path, "accept", GH_CONFIG_MAX_ACCEPTS, _("accept URIs"), &service->accept);
  read_string (r, object, path, "connect", &service->connect);
  read_string (r, object, path, "directory", &service->directory);

  if ((part_node = get_member (object, "tls")) != NULL)
    {
      g_autofree char *here = member_path (path, "tls");

      if ((part = read_object (r, part_node, here)) != NULL)
        {
          check_members (r, part, here, tls_members);
          read_string (r, part, here, "priority", &service->tls_priority);
          read_string (r, part, here, "verify-client", &service->verify_client);
        }
    }

  if ((part_node = get_member (object, "connect-tls")) != NULL)
    {
      g_autofree char *here = member_path (path, "connect-tls");

      if ((part = read_object (r, part_node, here)) != NULL)
        {
          check_members (r, part, here, connect_tls_members);
          read_string (r, part, here, "priority", &service->connect_priority);
          read_bool (r, part, here, "verify", &service->connect_verify);
          read_string (r, part, here, "server-name", &service->server_name);
          read_string (r, part, here, "client-certificate-alias", &service->client_certificate_alias);
        }
    }

  if ((part_node = get_member (object, "limits")) != NULL)
    {
      g_autofree char *here = member_path (path, "limits");

      if ((part = read_object (r, part_node, here)) != NULL)
        {
          check_members (r, part, here, limits_members);
          read_int (r, part, here, "max-pending-bytes", &service->max_pending_bytes);
          read_int (r, part, here, "max-message-bytes", &service->max_message_bytes);
          read_int (r, part, here, "idle-timeout", &service->idle_timeout);
          read_int (r, part, here, "max-sessions", &service->max_sessions);
        }
    }

  r->service = NULL;
  _gh_service_config_derive (service);

  return g_steal_pointer (&service);
}

static void
read_services (Reader          *r,
               JsonObject      *root,
               GhGatewayConfig *config)
{
  JsonArray *services = read_array (r, root, "", "services", GH_CONFIG_MAX_SERVICES, _("services"));

  for (guint i = 0; services != NULL && i < json_array_get_length (services); i++)
    {
      g_autofree char *here = index_path ("services", i);
      g_autoptr(GhServiceConfig) service = read_service (r, json_array_get_element (services, i), here);

      if (service != NULL)
        g_list_store_append (config->services, service);
    }
}

/* FALSE when the rest cannot be read: the document follows another schema. */
static gboolean
read_version (Reader          *r,
              JsonObject      *root,
              GhGatewayConfig *config)
{
  JsonNode *node = get_member (root, "version");

  if (node == NULL)
    {
      _gh_config_problems_add (r->problems, GH_CONFIG_ERROR_UNSUPPORTED_VERSION, "version", NULL,
                               _("is missing: a configuration starts with \"version\": %d"),
                               GH_CONFIG_VERSION);
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      wrong_type (r, "version", _("a whole number"), node);
      return FALSE;
    }

  config->version = json_node_get_int (node);
  if (config->version != GH_CONFIG_VERSION)
    {
      _gh_config_problems_add (r->problems, GH_CONFIG_ERROR_UNSUPPORTED_VERSION, "version", NULL,
                               _("is %" PRId64 "; this gateway reads version %d"),
                               config->version, GH_CONFIG_VERSION);
      return FALSE;
    }

  return TRUE;
}

static GhGatewayConfig *
read_root (Reader   *r,
           JsonNode *root)
{
  static const char * const members[] = { "version", "properties", "security", "admin", "services", NULL };
  g_autoptr(GhGatewayConfig) config = _gh_gateway_config_new ();
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      _gh_config_problems_add (r->problems, GH_CONFIG_ERROR_WRONG_TYPE, "", NULL,
                               _("a configuration is a JSON object ({ … }), not %s"),
                               describe_node (root));
      return NULL;
    }

  object = json_node_get_object (root);
  if (!read_version (r, object, config))
    return NULL;

  check_members (r, object, "", members);
  read_properties (r, object, config);
  read_security (r, object, config);
  read_admin (r, object, config);
  read_services (r, object, config);

  if (!_gh_config_problems_is_empty (r->problems))
    return NULL;

  return g_steal_pointer (&config);
}

static GhGatewayConfig *
parse (const char        *data,
       gsize              length,
       GhConfigProblems  *problems)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) counts = NULL;
  DuplicateCheck check = { 0 };
  Reader reader = { 0 };

  if (length > GH_CONFIG_MAX_SIZE)
    {
      _gh_config_problems_add (problems, GH_CONFIG_ERROR_TOO_LARGE, NULL, NULL,
                               ngettext ("the configuration is %zu byte long; the limit is %u",
                                         "the configuration is %zu bytes long; the limit is %u", length),
                               length, GH_CONFIG_MAX_SIZE);
      return NULL;
    }

  if (!scan_text (data, length, problems))
    return NULL;

  parser = json_parser_new_immutable ();
  json_parser_set_strict (parser, TRUE);
  counts = g_hash_table_new (NULL, NULL);
  check.counts = counts;
  g_signal_connect (parser, "object-member", G_CALLBACK (on_object_member), &check);

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_free (check.duplicate);
      add_parser_error (problems, local_error);
      return NULL;
    }

  if (check.duplicate != NULL)
    {
      _gh_config_problems_add_at (problems, GH_CONFIG_ERROR_DUPLICATE_MEMBER, check.line, check.column,
                                  _("“%s” is given twice in the same object; say it once"),
                                  check.duplicate);
      g_free (check.duplicate);
      return NULL;
    }

  reader.problems = problems;
  return read_root (&reader, json_parser_get_root (parser));
}

/**
 * gh_gateway_config_new_from_data:
 * @data: the JSON text
 * @length: its length in bytes, or -1 when @data is nul-terminated
 * @error: return location for a #GError
 *
 * Reads a configuration. Fails with %GH_CONFIG_ERROR when @data is over
 * %GH_CONFIG_MAX_SIZE, not JSON, or does not fit the schema (unknown member, wrong
 * type, version); the error carries every such problem. A configuration that reads
 * may still be invalid: see gh_gateway_config_validate().
 *
 * Returns: (transfer full): the configuration, or %NULL
 */
GhGatewayConfig *
gh_gateway_config_new_from_data (const char  *data,
                                 gssize       length,
                                 GError     **error)
{
  GhConfigProblems problems;
  GhGatewayConfig *config;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (data);

  _gh_config_problems_init (&problems);
  config = parse (length > 0 ? data : "", length, &problems);
  if (config == NULL)
    _gh_config_problems_propagate (&problems, error);
  _gh_config_problems_clear (&problems);

  return config;
}

/* Reads at most GH_CONFIG_MAX_SIZE + 1 bytes: enough to tell that a file is too big
 * without reading all of it. */
static GBytes *
read_bounded (GFile         *file,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GByteArray) buffer = g_byte_array_new ();

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  while (buffer->len <= GH_CONFIG_MAX_SIZE)
    {
      guint8 chunk[16384];
      gsize want = MIN (sizeof chunk, GH_CONFIG_MAX_SIZE + 1 - buffer->len);
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), chunk, want, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_byte_array_append (buffer, chunk, n);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

/**
 * gh_gateway_config_new_from_file:
 * @file: a configuration file
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * As gh_gateway_config_new_from_data(), with the file's name before the message. The
 * base directory becomes @file's directory. Fails with %GH_CONFIG_ERROR_IO when the
 * file cannot be read.
 *
 * Returns: (transfer full): the configuration, or %NULL
 */
GhGatewayConfig *
gh_gateway_config_new_from_file (GFile         *file,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GFile) parent = NULL;
  g_autofree char *name = NULL;
  GhGatewayConfig *config;
  const char *data;
  gsize length;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = g_file_get_parse_name (file);
  bytes = read_bounded (file, cancellable, &local_error);
  if (bytes == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, GH_CONFIG_ERROR, GH_CONFIG_ERROR_IO,
                     _("Could not read the configuration “%s”: %s"), name, local_error->message);
      return NULL;
    }

  data = g_bytes_get_data (bytes, &length);
  config = gh_gateway_config_new_from_data (length > 0 ? data : "", length, error);
  if (config == NULL)
    {
      g_prefix_error (error, "%s: ", name);
      return NULL;
    }

  parent = g_file_get_parent (file);
  gh_gateway_config_set_base_directory (config, parent);

  return config;
}

/* Writing */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_int (JsonBuilder       *builder,
         const char        *name,
         const GhConfigInt *value)
{
  if (!value->set)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value->value);
}

static void
add_store (JsonBuilder *builder,
           const char  *name,
           const char  *file,
           const char  *password_file)
{
  if (file == NULL && password_file == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  add_string (builder, "file", file);
  add_string (builder, "password-file", password_file);
  json_builder_end_object (builder);
}

static void
add_service (JsonBuilder     *builder,
             GhServiceConfig *service)
{
  json_builder_begin_object (builder);
  add_string (builder, "name", service->name);
  add_string (builder, "description", service->description);
  add_string (builder, "type", service->type);

  if (service->accept != NULL && service->accept[0] != NULL)
    {
      json_builder_set_member_name (builder, "accept");
      json_builder_begin_array (builder);
      for (guint i = 0; service->accept[i] != NULL; i++)
        json_builder_add_string_value (builder, service->accept[i]);
      json_builder_end_array (builder);
    }

  add_string (builder, "connect", service->connect);
  add_string (builder, "directory", service->directory);

  if (service->tls_priority != NULL || service->verify_client != NULL)
    {
      json_builder_set_member_name (builder, "tls");
      json_builder_begin_object (builder);
      add_string (builder, "priority", service->tls_priority);
      add_string (builder, "verify-client", service->verify_client);
      json_builder_end_object (builder);
    }

  if (service->connect_priority != NULL || service->connect_verify != GH_CONFIG_BOOL_UNSET ||
      service->server_name != NULL || service->client_certificate_alias != NULL)
    {
      json_builder_set_member_name (builder, "connect-tls");
      json_builder_begin_object (builder);
      add_string (builder, "priority", service->connect_priority);
      if (service->connect_verify != GH_CONFIG_BOOL_UNSET)
        {
          json_builder_set_member_name (builder, "verify");
          json_builder_add_boolean_value (builder, service->connect_verify == GH_CONFIG_BOOL_TRUE);
        }
      add_string (builder, "server-name", service->server_name);
      add_string (builder, "client-certificate-alias", service->client_certificate_alias);
      json_builder_end_object (builder);
    }

  if (service->max_pending_bytes.set || service->max_message_bytes.set || service->idle_timeout.set ||
      service->max_sessions.set)
    {
      json_builder_set_member_name (builder, "limits");
      json_builder_begin_object (builder);
      add_int (builder, "max-pending-bytes", &service->max_pending_bytes);
      add_int (builder, "max-message-bytes", &service->max_message_bytes);
      add_int (builder, "idle-timeout", &service->idle_timeout);
      add_int (builder, "max-sessions", &service->max_sessions);
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);
}

/**
 * gh_gateway_config_to_json:
 * @self: a #GhGatewayConfig
 *
 * Returns: (transfer full): the configuration as JSON: what the model holds, in the
 *   order docs/config.md gives, defaults left out
 */
JsonNode *
gh_gateway_config_to_json (GhGatewayConfig *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  guint n;

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, self->version);

  if (self->name != NULL)
    {
      json_builder_set_member_name (builder, "properties");
      json_builder_begin_object (builder);
      add_string (builder, "name", self->name);
      json_builder_end_object (builder);
    }

  if (self->keystore_file != NULL || self->keystore_password_file != NULL ||
      self->truststore_file != NULL || self->truststore_password_file != NULL)
    {
      json_builder_set_member_name (builder, "security");
      json_builder_begin_object (builder);
      add_store (builder, "keystore", self->keystore_file, self->keystore_password_file);
      add_store (builder, "truststore", self->truststore_file, self->truststore_password_file);
      json_builder_end_object (builder);
    }

  if (self->has_admin)
    {
      json_builder_set_member_name (builder, "admin");
      json_builder_begin_object (builder);
      add_string (builder, "listen", self->admin_listen);
      add_string (builder, "certificate-alias", self->admin_certificate_alias);
      add_string (builder, "client-ca", self->admin_client_ca);
      for (guint i = 0; i < GH_ADMIN_N_TIMEOUTS; i++)
        {
          if (!self->admin_timeouts[i].set)
            continue;
          json_builder_set_member_name (builder, "timeouts");
          json_builder_begin_object (builder);
          for (guint k = 0; k < GH_ADMIN_N_TIMEOUTS; k++)
            add_int (builder, gh_admin_timeout_to_string (k), &self->admin_timeouts[k]);
          json_builder_end_object (builder);
          break;
        }
      if (self->identities->len > 0)
        {
          json_builder_set_member_name (builder, "identities");
          json_builder_begin_array (builder);
          for (guint i = 0; i < self->identities->len; i++)
            {
              GhConfigIdentity *identity = g_ptr_array_index (self->identities, i);

              json_builder_begin_object (builder);
              add_string (builder, "subject", identity->subject);
              add_string (builder, "fingerprint", identity->fingerprint);
              add_string (builder, "role", identity->role);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->services));
  if (n > 0)
    {
      json_builder_set_member_name (builder, "services");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GhServiceConfig) service = g_list_model_get_item (G_LIST_MODEL (self->services), i);

          add_service (builder, service);
        }
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * gh_gateway_config_to_data:
 * @self: a #GhGatewayConfig
 * @length: (out) (optional): the length of the text
 *
 * Returns: (transfer full): the configuration as JSON text, indented by two spaces
 *   (on one line when indenting would take it over %GH_CONFIG_MAX_SIZE), ending with a
 *   line break; gh_gateway_config_new_from_data() reads it back into an equal
 *   configuration
 */
char *
gh_gateway_config_to_data (GhGatewayConfig *self,
                           gsize           *length)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  root = gh_gateway_config_to_json (self);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);

  text = g_string_new (NULL);
  json_generator_to_gstring (generator, text);

  /* Indentation can push a configuration that was read near the size limit over it;
   * without it, the text is never longer than what was read, and reads back. */
  if (text->len >= GH_CONFIG_MAX_SIZE)
    {
      json_generator_set_pretty (generator, FALSE);
      g_string_truncate (text, 0);
      json_generator_to_gstring (generator, text);
    }
  g_string_append_c (text, '\n');

  if (length != NULL)
    *length = text->len;

  return g_string_free (g_steal_pointer (&text), FALSE);
}
