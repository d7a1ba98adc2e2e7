/* test-config-edit.c — changing a configuration a service at a time: replacing,
 * adding and removing a service without disturbing the rest, the three-way merge of
 * a service edit onto a newer configuration, and the lines that describe a change
 *
 * Every configuration here is parsed by gh_gateway_config_new_from_data(), as the
 * editor's are; JSON is written with single quotes, turned into double quotes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "gh-config-edit.h"
#include "gh-config-error.h"

static const char base_text[] =
  "{"
  "  'version': 1,"
  "  'properties': { 'name': 'edit-test' },"
  "  'security': {"
  "    'keystore':   { 'file': 'keystore.p12', 'password-file': 'keystore.pw' },"
  "    'truststore': { 'file': 'truststore.pem' }"
  "  },"
  "  'services': ["
  "    { 'name': 'echo', 'type': 'echo', 'accept': ['wss://localhost:8443/echo'] },"
  "    { 'name': 'backend', 'type': 'proxy', 'description': 'the orders back-end',"
  "      'accept': ['wss://localhost:8444/backend'],"
  "      'connect': 'ssl://backend.internal:9443',"
  "      'connect-tls': { 'server-name': 'backend.internal' },"
  "      'limits': { 'idle-timeout': 300, 'max-sessions': 500 } },"
  "    { 'name': 'files', 'type': 'directory', 'accept': ['https://localhost:8445/files/'], 'directory': 'www' }"
  "  ]"
  "}";

static GhGatewayConfig *
parse (const char *text)
{
  g_autofree char *data = g_strdup (text);
  g_autoptr(GError) error = NULL;
  GhGatewayConfig *config;

  g_strdelimit (data, "'", '"');
  config = gh_gateway_config_new_from_data (data, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (config);
  return config;
}

/* @text with @from put as @to, once. */
static GhGatewayConfig *
parse_with (const char *from,
            const char *to)
{
  g_autoptr(GString) text = g_string_new (base_text);

  g_assert_cmpuint (g_string_replace (text, from, to, 1), ==, 1);
  return parse (text->str);
}

static JsonObject *
service (GhGatewayConfig *config,
         const char      *name)
{
  JsonObject *object = gh_config_edit_dup_service (config, name, NULL);

  g_assert_nonnull (object);
  return object;
}

static gint64
limit (JsonObject *service,
       const char *member)
{
  JsonObject *limits = gh_config_edit_get_object (service, "limits");

  g_assert_nonnull (limits);
  return json_object_get_int_member (limits, member);
}

static gboolean
strv_has (GStrv       lines,
          const char *line)
{
  return g_strv_contains ((const char * const *) lines, line);
}

/* Sets limits.@member of @service, as an editor does. */
static void
set_limit (JsonObject *service,
           const char *member,
           gint64      value)
{
  g_autoptr(JsonObject) limits = gh_config_edit_dup_member_object (service, "limits");

  json_object_set_int_member (limits, member, value);
  gh_config_edit_put_member_object (service, "limits", limits);
}

/* An edit of "backend" begun on the base configuration, while someone else changed its
 * idle timeout from 300 to 120. */
typedef struct {
  GhGatewayConfig *base;
  GhGatewayConfig *now;
  JsonObject      *original;
  JsonObject      *mine;
  JsonObject      *theirs;
} Merge;

static void
merge_setup (Merge         *fixture,
             gconstpointer  data)
{
  fixture->base = parse (base_text);
  fixture->now = parse_with ("'idle-timeout': 300", "'idle-timeout': 120");
  fixture->original = service (fixture->base, "backend");
  fixture->mine = service (fixture->base, "backend");
  fixture->theirs = service (fixture->now, "backend");
}

static void
merge_teardown (Merge         *fixture,
                gconstpointer  data)
{
  g_clear_object (&fixture->base);
  g_clear_object (&fixture->now);
  g_clear_pointer (&fixture->original, json_object_unref);
  g_clear_pointer (&fixture->mine, json_object_unref);
  g_clear_pointer (&fixture->theirs, json_object_unref);
}

static void
test_dup_service (void)
{
  g_autoptr(GhGatewayConfig) config = parse (base_text);
  g_autoptr(JsonObject) backend = NULL;
  g_autoptr(JsonObject) missing = NULL;
  guint index = 99;

  backend = gh_config_edit_dup_service (config, "backend", &index);
  g_assert_cmpuint (index, ==, 1);
  g_assert_cmpstr (gh_config_edit_get_string (backend, "connect"), ==, "ssl://backend.internal:9443");
  g_assert_cmpstr (gh_config_edit_get_string (gh_config_edit_get_object (backend, "connect-tls"), "server-name"),
                   ==, "backend.internal");
  g_assert_null (gh_config_edit_get_string (backend, "limits"));
  g_assert_null (gh_config_edit_get_object (backend, "connect"));

  /* A copy: changing it leaves the configuration alone. */
  json_object_set_string_member (backend, "connect", "ssl://elsewhere:1");
  g_clear_pointer (&backend, json_object_unref);
  backend = service (config, "backend");
  g_assert_cmpstr (gh_config_edit_get_string (backend, "connect"), ==, "ssl://backend.internal:9443");

  missing = gh_config_edit_dup_service (config, "nope", &index);
  g_assert_null (missing);
  g_assert_cmpuint (index, ==, 3);   /* where a new one goes */
  g_assert_null (gh_config_edit_dup_service (config, NULL, &index));
  g_assert_cmpuint (index, ==, 3);
}

static void
test_update_member (void)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) none = gh_config_edit_string_node ("none");

  g_assert_null (gh_config_edit_string_node (NULL));
  g_assert_null (gh_config_edit_string_node (""));

  /* The default the file leaves out stays left out; written, it stays written. */
  gh_config_edit_update_member (object, "verify-client", NULL, none);
  g_assert_false (json_object_has_member (object, "verify-client"));
  json_object_set_string_member (object, "verify-client", "none");
  gh_config_edit_update_member (object, "verify-client", NULL, none);
  g_assert_cmpstr (json_object_get_string_member (object, "verify-client"), ==, "none");
  gh_config_edit_update_member (object, "verify-client", gh_config_edit_string_node ("required"), none);
  g_assert_cmpstr (json_object_get_string_member (object, "verify-client"), ==, "required");
  gh_config_edit_update_member (object, "verify-client", NULL, none);
  g_assert_false (json_object_has_member (object, "verify-client"));

  /* An empty string or null in the file means absent. */
  json_object_set_string_member (object, "server-name", "");
  gh_config_edit_update_member (object, "server-name", NULL, NULL);
  g_assert_cmpstr (json_object_get_string_member (object, "server-name"), ==, "");
  json_object_set_null_member (object, "server-name");
  gh_config_edit_update_member (object, "server-name", gh_config_edit_string_node ("b.example"), NULL);
  g_assert_cmpstr (json_object_get_string_member (object, "server-name"), ==, "b.example");

  gh_config_edit_update_member (object, "idle-timeout", gh_config_edit_int_node (60), NULL);
  g_assert_cmpint (json_object_get_int_member (object, "idle-timeout"), ==, 60);
}

static void
test_member_objects (void)
{
  g_autoptr(GhGatewayConfig) config = parse (base_text);
  g_autoptr(JsonObject) backend = service (config, "backend");
  g_autoptr(JsonObject) limits = gh_config_edit_dup_member_object (backend, "limits");
  g_autoptr(JsonObject) tls = gh_config_edit_dup_member_object (backend, "tls");

  g_assert_cmpuint (json_object_get_size (tls), ==, 0);
  json_object_set_int_member (limits, "idle-timeout", 60);
  g_assert_cmpint (limit (backend, "idle-timeout"), ==, 300);   /* a copy */

  gh_config_edit_put_member_object (backend, "limits", limits);
  g_assert_cmpint (limit (backend, "idle-timeout"), ==, 60);
  gh_config_edit_put_member_object (backend, "tls", tls);
  g_assert_false (json_object_has_member (backend, "tls"));     /* empty: left out */
  gh_config_edit_put_member_object (backend, "limits", NULL);
  g_assert_false (json_object_has_member (backend, "limits"));
}

static void
test_replace_keeps_the_rest (void)
{
  g_autoptr(GhGatewayConfig) config = parse (base_text);
  g_autoptr(JsonObject) backend = service (config, "backend");
  g_autoptr(GhGatewayConfig) edited = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) echo_before = service (config, "echo");
  g_autoptr(JsonObject) echo_after = NULL;
  g_autoptr(JsonObject) files_before = service (config, "files");
  g_autoptr(JsonObject) files_after = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *services;
  guint index = 99;

  /* An edit of one field, and a rename. */
  json_object_set_string_member (backend, "name", "orders");
  json_object_set_string_member (backend, "connect", "ssl://orders.internal:9443");
  edited = gh_config_edit_with_service (config, "backend", backend, &index, &error);
  g_assert_no_error (error);
  g_assert_nonnull (edited);
  g_assert_cmpuint (index, ==, 1);

  services = gh_gateway_config_get_services (edited);
  g_assert_cmpuint (g_list_model_get_n_items (services), ==, 3);
  g_assert_null (gh_gateway_config_lookup_service (edited, "backend"));
  g_assert_nonnull (gh_gateway_config_lookup_service (edited, "orders"));
  g_assert_cmpstr (gh_gateway_config_get_name (edited), ==, "edit-test");
  g_assert_cmpstr (gh_gateway_config_get_keystore_path (edited), ==, "keystore.p12");

  /* The members no field touched stay as written, the other services untouched. */
  after = service (edited, "orders");
  g_assert_cmpstr (gh_config_edit_get_string (after, "description"), ==, "the orders back-end");
  g_assert_cmpstr (gh_config_edit_get_string (gh_config_edit_get_object (after, "connect-tls"), "server-name"),
                   ==, "backend.internal");
  g_assert_cmpint (limit (after, "idle-timeout"), ==, 300);
  g_assert_cmpint (limit (after, "max-sessions"), ==, 500);
  g_assert_false (json_object_has_member (after, "tls"));
  echo_after = service (edited, "echo");
  files_after = service (edited, "files");
  g_assert_true (json_object_equal (echo_before, echo_after));
  g_assert_true (json_object_equal (files_before, files_after));
}

static void
test_add_and_remove (void)
{
  g_autoptr(GhGatewayConfig) config = parse (base_text);
  g_autoptr(GhGatewayConfig) added = NULL;
  g_autoptr(GhGatewayConfig) removed = NULL;
  g_autoptr(GhGatewayConfig) none = NULL;
  g_autoptr(JsonObject) chat = json_object_new ();
  g_autoptr(JsonArray) accept = json_array_new ();
  g_autoptr(GError) error = NULL;
  guint index = 0;

  json_object_set_string_member (chat, "name", "chat");
  json_object_set_string_member (chat, "type", "echo");
  json_array_add_string_element (accept, "ws://localhost:8080/chat");
  json_object_set_array_member (chat, "accept", json_array_ref (accept));

  added = gh_config_edit_with_service (config, NULL, chat, &index, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (index, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (gh_gateway_config_get_services (added)), ==, 4);
  g_assert_nonnull (gh_gateway_config_lookup_service (added, "chat"));
  /* A name that is not there is a new service too. */
  g_clear_object (&added);
  added = gh_config_edit_with_service (config, "gone", chat, &index, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (index, ==, 3);

  removed = gh_config_edit_without_service (added, "echo", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (gh_gateway_config_get_services (removed)), ==, 3);
  g_assert_null (gh_gateway_config_lookup_service (removed, "echo"));
  g_assert_nonnull (gh_gateway_config_lookup_service (removed, "chat"));
  g_assert_nonnull (gh_gateway_config_lookup_service (removed, "backend"));

  none = gh_config_edit_without_service (config, "chat", &error);
  g_assert_null (none);
  g_assert_error (error, GH_CONFIG_ERROR, GH_CONFIG_ERROR_MISSING);
  g_assert_nonnull (strstr (error->message, "chat"));
}

static void
test_replace_fails_with_problems (void)
{
  g_autoptr(GhGatewayConfig) config = parse (base_text);
  g_autoptr(JsonObject) echo = service (config, "echo");
  g_autoptr(GhGatewayConfig) edited = NULL;
  g_autoptr(GError) error = NULL;

  /* A type error cannot become a configuration: the parser's problem, with its path. */
  json_object_set_int_member (echo, "type", 3);
  edited = gh_config_edit_with_service (config, "echo", echo, NULL, &error);
  g_assert_null (edited);
  g_assert_error (error, GH_CONFIG_ERROR, GH_CONFIG_ERROR_WRONG_TYPE);
  g_assert_cmpstr (gh_config_error_get_path (error), ==, "services[0].type");
}

static void
test_merge_keeps_their_change (Merge         *m,
                               gconstpointer  data)
{
  g_autoptr(JsonObject) merged = NULL;
  g_autoptr(GhGatewayConfig) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) conflicts = NULL;

  /* Other fields than theirs, one in the same object. */
  json_object_set_string_member (m->mine, "connect", "ssl://orders.internal:9443");
  set_limit (m->mine, "max-sessions", 900);
  json_object_remove_member (m->mine, "description");

  merged = gh_config_edit_merge_service (m->original, m->mine, m->theirs, &conflicts);
  g_assert_nonnull (conflicts);
  g_assert_cmpuint (g_strv_length (conflicts), ==, 0);
  g_assert_cmpstr (gh_config_edit_get_string (merged, "connect"), ==, "ssl://orders.internal:9443");
  g_assert_cmpint (limit (merged, "max-sessions"), ==, 900);    /* mine */
  g_assert_cmpint (limit (merged, "idle-timeout"), ==, 120);    /* theirs, in the same object */
  g_assert_false (json_object_has_member (merged, "description"));

  result = gh_config_edit_with_service (m->now, "backend", merged, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (gh_gateway_config_get_services (result)), ==, 3);
}

static void
test_merge_reports_conflict (Merge         *m,
                             gconstpointer  data)
{
  g_autoptr(JsonObject) merged = NULL;
  g_autoptr(JsonObject) same = NULL;
  g_autoptr(JsonObject) unchanged = NULL;
  g_auto(GStrv) conflicts = NULL;
  g_auto(GStrv) none = NULL;

  /* Both changed the same field, each their own way: the edit wins, and it is said. */
  set_limit (m->mine, "idle-timeout", 60);
  merged = gh_config_edit_merge_service (m->original, m->mine, m->theirs, &conflicts);
  g_assert_cmpuint (g_strv_length (conflicts), ==, 1);
  g_assert_cmpstr (conflicts[0], ==, "limits.idle-timeout");
  g_assert_cmpint (limit (merged, "idle-timeout"), ==, 60);
  g_assert_cmpint (limit (merged, "max-sessions"), ==, 500);

  /* The same change on both sides is no conflict. */
  set_limit (m->mine, "idle-timeout", 120);
  same = gh_config_edit_merge_service (m->original, m->mine, m->theirs, &none);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
  g_assert_cmpint (limit (same, "idle-timeout"), ==, 120);

  /* Nothing edited: theirs as it is. */
  unchanged = gh_config_edit_merge_service (m->original, m->original, m->theirs, NULL);
  g_assert_true (json_object_equal (unchanged, m->theirs));
}

static void
test_merge_removed_meanwhile (void)
{
  g_autoptr(GhGatewayConfig) base = parse (base_text);
  g_autoptr(JsonObject) original = service (base, "echo");
  g_autoptr(JsonObject) mine = service (base, "echo");
  g_autoptr(JsonObject) merged = NULL;
  g_auto(GStrv) conflicts = NULL;

  /* The service is gone now; the edit's changes are what comes back. */
  json_object_set_string_member (mine, "description", "a new description");
  merged = gh_config_edit_merge_service (original, mine, NULL, &conflicts);
  g_assert_cmpstr (gh_config_edit_get_string (merged, "description"), ==, "a new description");
  g_assert_cmpuint (g_strv_length (conflicts), ==, 0);
}

static void
test_describe_service (void)
{
  g_autoptr(GhGatewayConfig) base = parse (base_text);
  g_autoptr(JsonObject) before = service (base, "backend");
  g_autoptr(JsonObject) after = service (base, "backend");
  g_autoptr(JsonArray) accept = json_array_new ();
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) nothing = NULL;

  json_object_set_string_member (after, "connect", "ssl://orders.internal:9443");
  json_object_remove_member (after, "description");
  set_limit (after, "idle-timeout", 60);
  set_limit (after, "max-pending-bytes", 4096);
  json_array_add_string_element (accept, "wss://localhost:8444/backend");
  json_array_add_string_element (accept, "ssl://localhost:9001");
  json_object_set_array_member (after, "accept", json_array_ref (accept));

  lines = gh_config_edit_describe_service ("backend", before, after);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_true (strv_has (lines, "Service “backend”: connect changed from “ssl://backend.internal:9443” "
                                  "to “ssl://orders.internal:9443”"));
  g_assert_true (strv_has (lines, "Service “backend”: description removed (was “the orders back-end”)"));
  g_assert_true (strv_has (lines, "Service “backend”: limits.idle-timeout changed from “300” to “60”"));
  g_assert_true (strv_has (lines, "Service “backend”: limits.max-pending-bytes set to “4096”"));
  g_assert_true (strv_has (lines, "Service “backend”: accept changed from “wss://localhost:8444/backend” "
                                  "to “wss://localhost:8444/backend, ssl://localhost:9001”"));

  nothing = gh_config_edit_describe_service ("backend", before, before);
  g_assert_cmpuint (g_strv_length (nothing), ==, 0);
}

static void
test_describe_changes (void)
{
  g_autoptr(GhGatewayConfig) base = parse (base_text);
  g_autoptr(GhGatewayConfig) renamed = parse_with ("'name': 'edit-test'", "'name': 'other'");
  g_autoptr(GhGatewayConfig) truststore = parse_with ("'truststore.pem'", "'other.pem'");
  g_autoptr(GhGatewayConfig) without = NULL;
  g_autoptr(GhGatewayConfig) with = NULL;
  g_autoptr(GhGatewayConfig) edited = parse_with ("'directory': 'www'", "'directory': 'public'");
  g_autoptr(JsonObject) chat = service (base, "echo");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) properties = NULL, security = NULL, added = NULL, removed = NULL, field = NULL, same = NULL;

  properties = gh_config_edit_describe_changes (base, renamed);
  g_assert_cmpuint (g_strv_length (properties), ==, 1);
  g_assert_cmpstr (properties[0], ==, "The gateway’s properties changed");

  security = gh_config_edit_describe_changes (base, truststore);
  g_assert_cmpuint (g_strv_length (security), ==, 1);
  g_assert_cmpstr (security[0], ==, "The keystore or truststore settings changed");

  without = gh_config_edit_without_service (base, "echo", &error);
  g_assert_no_error (error);
  removed = gh_config_edit_describe_changes (base, without);
  g_assert_cmpuint (g_strv_length (removed), ==, 1);
  g_assert_cmpstr (removed[0], ==, "Service “echo” removed");

  json_object_set_string_member (chat, "name", "chat");
  json_object_set_array_member (chat, "accept", json_array_new ());
  json_array_add_string_element (json_object_get_array_member (chat, "accept"), "ws://localhost:8080/chat");
  with = gh_config_edit_with_service (base, NULL, chat, NULL, &error);
  g_assert_no_error (error);
  added = gh_config_edit_describe_changes (base, with);
  g_assert_cmpuint (g_strv_length (added), ==, 1);
  g_assert_cmpstr (added[0], ==, "Service “chat” added");

  field = gh_config_edit_describe_changes (base, edited);
  g_assert_cmpuint (g_strv_length (field), ==, 1);
  g_assert_cmpstr (field[0], ==, "Service “files”: directory changed from “www” to “public”");

  /* The same document: what changed is outside it. */
  same = gh_config_edit_describe_changes (base, base);
  g_assert_cmpuint (g_strv_length (same), ==, 1);
  g_assert_cmpstr (same[0], ==, "Nothing in the configuration document: the keystore or truststore changed");
}

static void
test_priority_presets (void)
{
  const char *tls13 = gh_config_edit_get_priority_preset (1);
  const char *compatible = gh_config_edit_get_priority_preset (2);

  /* The default is written as no member at all. */
  g_assert_null (gh_config_edit_get_priority_preset (0));
  g_assert_nonnull (tls13);
  g_assert_nonnull (strstr (tls13, "+VERS-TLS1.3"));
  g_assert_null (strstr (tls13, "+VERS-TLS1.2"));
  g_assert_cmpstr (compatible, ==, "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2");
  g_assert_null (gh_config_edit_get_priority_preset (GH_CONFIG_EDIT_N_PRIORITY_PRESETS));

  g_assert_cmpuint (gh_config_edit_find_priority_preset (NULL), ==, 0);
  g_assert_cmpuint (gh_config_edit_find_priority_preset (""), ==, 0);
  g_assert_cmpuint (gh_config_edit_find_priority_preset (GH_CONFIG_DEFAULT_TLS_PRIORITY), ==, 0);
  g_assert_cmpuint (gh_config_edit_find_priority_preset (tls13), ==, 1);
  g_assert_cmpuint (gh_config_edit_find_priority_preset (compatible), ==, 2);
  g_assert_cmpuint (gh_config_edit_find_priority_preset ("NORMAL"), ==, GH_CONFIG_EDIT_N_PRIORITY_PRESETS);
}

static void
test_service_member_path (void)
{
  g_assert_cmpstr (gh_config_edit_service_member_path ("services[2]", 2), ==, "");
  g_assert_cmpstr (gh_config_edit_service_member_path ("services[2].name", 2), ==, "name");
  g_assert_cmpstr (gh_config_edit_service_member_path ("services[2].accept[1]", 2), ==, "accept[1]");
  g_assert_cmpstr (gh_config_edit_service_member_path ("services[2].connect-tls.verify", 2), ==,
                   "connect-tls.verify");

  /* Another service, one whose position starts the same, or not a service at all. */
  g_assert_null (gh_config_edit_service_member_path ("services[1].accept[0]", 2));
  g_assert_null (gh_config_edit_service_member_path ("services[21].accept[0]", 2));
  g_assert_null (gh_config_edit_service_member_path ("services[2]x", 2));
  g_assert_null (gh_config_edit_service_member_path ("services", 2));
  g_assert_null (gh_config_edit_service_member_path ("admin.listen", 0));
  g_assert_null (gh_config_edit_service_member_path ("", 0));
  g_assert_null (gh_config_edit_service_member_path (NULL, 0));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/config-edit/dup-service", test_dup_service);
  g_test_add_func ("/config-edit/update-member", test_update_member);
  g_test_add_func ("/config-edit/member-objects", test_member_objects);
  g_test_add_func ("/config-edit/replace-keeps-the-rest", test_replace_keeps_the_rest);
  g_test_add_func ("/config-edit/add-and-remove", test_add_and_remove);
  g_test_add_func ("/config-edit/replace-fails-with-problems", test_replace_fails_with_problems);
  g_test_add ("/config-edit/merge/keeps-their-change", Merge, NULL,
              merge_setup, test_merge_keeps_their_change, merge_teardown);
  g_test_add ("/config-edit/merge/reports-conflict", Merge, NULL,
              merge_setup, test_merge_reports_conflict, merge_teardown);
  g_test_add_func ("/config-edit/merge/removed-meanwhile", test_merge_removed_meanwhile);
  g_test_add_func ("/config-edit/describe/service", test_describe_service);
  g_test_add_func ("/config-edit/describe/changes", test_describe_changes);
  g_test_add_func ("/config-edit/priority-presets", test_priority_presets);
  g_test_add_func ("/config-edit/service-member-path", test_service_member_path);

  return g_test_run ();
}
