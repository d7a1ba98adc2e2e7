/* test-audit-filter.c — how the Audit page classifies, filters and searches the audit
 * log, and pairs its entries with configuration versions (the comparison of two
 * versions uses gh-text-diff, tested by test-text-diff)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "gh-api-config-version.h"
#include "gh-audit-filter.h"

static GhApiAuditEntry *
entry_new (const char *time,
           const char *subject,
           const char *role,
           const char *method,
           const char *path,
           const char *action,
           guint       status,
           const char *detail)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  GhApiAuditEntry *entry;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, time);
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, subject);
  json_builder_set_member_name (builder, "fingerprint");
  json_builder_add_string_value (builder, "AB:CD");
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, role);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, method);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "action");
  if (action != NULL)
    json_builder_add_string_value (builder, action);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  json_builder_set_member_name (builder, "detail");
  if (detail != NULL)
    json_builder_add_string_value (builder, detail);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  entry = gh_api_audit_entry_new_from_json (node, &error);
  g_assert_no_error (error);
  return entry;
}

static GhApiConfigVersion *
version_new (gint64      number,
             const char *time,
             const char *action)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (time, NULL);

  g_assert_nonnull (when);
  return gh_api_config_version_new (number, when, "CN=admin", action);
}

static void
test_classify (void)
{
  g_assert_cmpint (gh_audit_result_classify (200), ==, GH_AUDIT_RESULT_SUCCEEDED);
  g_assert_cmpint (gh_audit_result_classify (201), ==, GH_AUDIT_RESULT_SUCCEEDED);
  g_assert_cmpint (gh_audit_result_classify (204), ==, GH_AUDIT_RESULT_SUCCEEDED);
  g_assert_cmpint (gh_audit_result_classify (304), ==, GH_AUDIT_RESULT_SUCCEEDED);
  g_assert_cmpint (gh_audit_result_classify (400), ==, GH_AUDIT_RESULT_REFUSED);
  g_assert_cmpint (gh_audit_result_classify (403), ==, GH_AUDIT_RESULT_REFUSED);
  g_assert_cmpint (gh_audit_result_classify (412), ==, GH_AUDIT_RESULT_REFUSED);
  g_assert_cmpint (gh_audit_result_classify (428), ==, GH_AUDIT_RESULT_REFUSED);
  g_assert_cmpint (gh_audit_result_classify (499), ==, GH_AUDIT_RESULT_REFUSED);
  g_assert_cmpint (gh_audit_result_classify (500), ==, GH_AUDIT_RESULT_FAILED);
  g_assert_cmpint (gh_audit_result_classify (503), ==, GH_AUDIT_RESULT_FAILED);
  /* No status at all is not a success. */
  g_assert_cmpint (gh_audit_result_classify (0), ==, GH_AUDIT_RESULT_FAILED);

  g_assert_cmpstr (gh_audit_result_get_label (GH_AUDIT_RESULT_SUCCEEDED), ==, "Succeeded");
  g_assert_cmpstr (gh_audit_result_get_label (GH_AUDIT_RESULT_REFUSED), ==, "Refused");
  g_assert_cmpstr (gh_audit_result_get_label (GH_AUDIT_RESULT_FAILED), ==, "Failed");
}

static void
test_identity (void)
{
  g_autoptr(GhApiAuditEntry) entry = entry_new ("2026-01-02T10:00:00Z", "CN=ops", "admin", "PUT",
                                                "/api/v1/config", "config", 200, NULL);
  g_autofree char *identity = gh_audit_entry_dup_identity (entry);

  g_assert_cmpstr (identity, ==, "CN=ops · admin");
}

static void
test_matches (void)
{
  g_autoptr(GhApiAuditEntry) change = entry_new ("2026-01-02T10:00:00Z", "CN=ops", "admin", "PUT",
                                                 "/api/v1/config", "config", 200, NULL);
  g_autoptr(GhApiAuditEntry) refused = entry_new ("2026-01-02T10:01:00Z", "CN=watcher", "viewer", "DELETE",
                                                  "/api/v1/sessions/abc123", "session close abc123", 403,
                                                  "The identity’s role does not allow this");
  g_autoptr(GhApiAuditEntry) failed = entry_new ("2026-01-02T10:02:00Z", "CN=ops", "admin", "POST",
                                                 "/api/v1/services/echo/start", "service start echo", 500,
                                                 "Address already in use");

  /* Nothing asked: everything passes. */
  g_assert_true (gh_audit_entry_matches (change, NULL, NULL, GH_AUDIT_RESULT_ANY, NULL));
  g_assert_true (gh_audit_entry_matches (refused, NULL, NULL, GH_AUDIT_RESULT_ANY, ""));

  /* By result */
  g_assert_true (gh_audit_entry_matches (change, NULL, NULL, GH_AUDIT_RESULT_SUCCEEDED, NULL));
  g_assert_false (gh_audit_entry_matches (refused, NULL, NULL, GH_AUDIT_RESULT_SUCCEEDED, NULL));
  g_assert_true (gh_audit_entry_matches (refused, NULL, NULL, GH_AUDIT_RESULT_REFUSED, NULL));
  g_assert_false (gh_audit_entry_matches (failed, NULL, NULL, GH_AUDIT_RESULT_REFUSED, NULL));
  g_assert_true (gh_audit_entry_matches (failed, NULL, NULL, GH_AUDIT_RESULT_FAILED, NULL));

  /* By identity and action, exactly */
  g_assert_true (gh_audit_entry_matches (change, "CN=ops · admin", NULL, GH_AUDIT_RESULT_ANY, NULL));
  g_assert_false (gh_audit_entry_matches (refused, "CN=ops · admin", NULL, GH_AUDIT_RESULT_ANY, NULL));
  g_assert_false (gh_audit_entry_matches (change, "CN=op", NULL, GH_AUDIT_RESULT_ANY, NULL));
  g_assert_true (gh_audit_entry_matches (failed, NULL, "service start echo", GH_AUDIT_RESULT_ANY, NULL));
  g_assert_false (gh_audit_entry_matches (change, NULL, "service start echo", GH_AUDIT_RESULT_ANY, NULL));
  g_assert_false (gh_audit_entry_matches (change, NULL, "conf", GH_AUDIT_RESULT_ANY, NULL));
  /* …or by kind, without the target */
  g_assert_true (gh_audit_entry_matches (refused, NULL, "session close", GH_AUDIT_RESULT_ANY, NULL));
  g_assert_true (gh_audit_entry_matches (failed, NULL, "service start", GH_AUDIT_RESULT_ANY, NULL));
  g_assert_false (gh_audit_entry_matches (failed, NULL, "service stop", GH_AUDIT_RESULT_ANY, NULL));
  g_assert_false (gh_audit_entry_matches (failed, NULL, "service", GH_AUDIT_RESULT_ANY, NULL));

  /* Search: subject, action, path, detail; any case; every word */
  g_assert_true (gh_audit_entry_matches (refused, NULL, NULL, GH_AUDIT_RESULT_ANY, "WATCHER"));
  g_assert_true (gh_audit_entry_matches (refused, NULL, NULL, GH_AUDIT_RESULT_ANY, "abc123"));
  g_assert_true (gh_audit_entry_matches (refused, NULL, NULL, GH_AUDIT_RESULT_ANY, "role does"));
  g_assert_true (gh_audit_entry_matches (failed, NULL, NULL, GH_AUDIT_RESULT_ANY, "already in use"));
  g_assert_true (gh_audit_entry_matches (failed, NULL, NULL, GH_AUDIT_RESULT_ANY, "/services/echo"));
  g_assert_false (gh_audit_entry_matches (change, NULL, NULL, GH_AUDIT_RESULT_ANY, "watcher"));
  g_assert_false (gh_audit_entry_matches (refused, NULL, NULL, GH_AUDIT_RESULT_ANY, "watcher echo"));
  /* The role is the identity filter's, not the search's. */
  g_assert_false (gh_audit_entry_matches (refused, NULL, NULL, GH_AUDIT_RESULT_ANY, "AB:CD"));

  /* All criteria together */
  g_assert_true (gh_audit_entry_matches (failed, "CN=ops · admin", "service start echo",
                                         GH_AUDIT_RESULT_FAILED, "echo"));
  g_assert_false (gh_audit_entry_matches (failed, "CN=ops · admin", "service start echo",
                                          GH_AUDIT_RESULT_SUCCEEDED, "echo"));
}

static void
test_action_kind (void)
{
  const struct { const char *action, *kind; } cases[] = {
    { "session close 4f2a9c", "session close" },
    { "service stop echo", "service stop" },
    { "keystore rotate gateway", "keystore rotate" },
    { "keystore upload", "keystore upload" },
    { "truststore crl delete root ca", "truststore crl delete" },
    { "truststore crl add", "truststore crl add" },
    { "config rollback to v3", "config rollback" },
    { "config", "config" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *kind = gh_audit_action_dup_kind (cases[i].action);

      g_assert_cmpstr (kind, ==, cases[i].kind);
    }
  g_assert_null (gh_audit_action_dup_kind (NULL));
}

static void
test_match_versions (void)
{
  g_autoptr(GListStore) entries = g_list_store_new (GH_TYPE_API_AUDIT_ENTRY);
  g_autoptr(GListStore) versions = g_list_store_new (GH_TYPE_API_CONFIG_VERSION);
  g_autoptr(GArray) produced = NULL;
  g_autoptr(GhApiAuditEntry) e0 = entry_new ("2026-01-02T10:05:00.400Z", "CN=ops", "admin", "POST",
                                             "/api/v1/config/rollback", "config rollback to v2", 200, NULL);
  g_autoptr(GhApiAuditEntry) e1 = entry_new ("2026-01-02T10:04:00Z", "CN=ops", "admin", "PUT",
                                             "/api/v1/config", "config", 412, "stale");
  g_autoptr(GhApiAuditEntry) e2 = entry_new ("2026-01-02T10:03:00.200Z", "CN=ops", "admin", "PUT",
                                             "/api/v1/config", "config", 200, NULL);
  g_autoptr(GhApiAuditEntry) e3 = entry_new ("2026-01-02T10:02:00Z", "CN=ops", "operator", "POST",
                                             "/api/v1/services/echo/stop", "service stop echo", 200, NULL);
  g_autoptr(GhApiAuditEntry) e4 = entry_new ("2026-01-02T10:01:00.100Z", "CN=ops", "admin", "PUT",
                                             "/api/v1/config", "config", 200, NULL);
  g_autoptr(GhApiConfigVersion) v4 = version_new (4, "2026-01-02T10:05:00Z", "config rollback to v2");
  g_autoptr(GhApiConfigVersion) v3 = version_new (3, "2026-01-02T10:03:00Z", "config");
  g_autoptr(GhApiConfigVersion) v2 = version_new (2, "2026-01-02T10:01:00Z", "config");
  g_autoptr(GhApiConfigVersion) v1 = version_new (1, "2026-01-02T09:00:00Z", "start");

  g_list_store_append (entries, e0);
  g_list_store_append (entries, e1);
  g_list_store_append (entries, e2);
  g_list_store_append (entries, e3);
  g_list_store_append (entries, e4);
  g_list_store_append (versions, v4);
  g_list_store_append (versions, v3);
  g_list_store_append (versions, v2);
  g_list_store_append (versions, v1);

  produced = gh_audit_match_versions (G_LIST_MODEL (entries), G_LIST_MODEL (versions), 5);
  g_assert_cmpuint (produced->len, ==, 5);
  g_assert_cmpint (g_array_index (produced, gint64, 0), ==, 4);
  /* A refused change made no version, nor did a service stop. */
  g_assert_cmpint (g_array_index (produced, gint64, 1), ==, 0);
  g_assert_cmpint (g_array_index (produced, gint64, 2), ==, 3);
  g_assert_cmpint (g_array_index (produced, gint64, 3), ==, 0);
  g_assert_cmpint (g_array_index (produced, gint64, 4), ==, 2);
  g_clear_pointer (&produced, g_array_unref);

  /* Out of time: the same action a minute apart is not the same change. */
  produced = gh_audit_match_versions (G_LIST_MODEL (entries), G_LIST_MODEL (versions), 0);
  g_assert_cmpint (g_array_index (produced, gint64, 2), ==, 0);
  g_clear_pointer (&produced, g_array_unref);

  /* No versions known yet */
  produced = gh_audit_match_versions (G_LIST_MODEL (entries), NULL, 5);
  for (guint i = 0; i < produced->len; i++)
    g_assert_cmpint (g_array_index (produced, gint64, i), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/audit-filter/classify", test_classify);
  g_test_add_func ("/audit-filter/identity", test_identity);
  g_test_add_func ("/audit-filter/matches", test_matches);
  g_test_add_func ("/audit-filter/action-kind", test_action_kind);
  g_test_add_func ("/audit-filter/match-versions", test_match_versions);

  return g_test_run ();
}
