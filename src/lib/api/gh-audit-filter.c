/* gh-audit-filter.c — the Audit page's decisions, kept out of the page
 *
 * The gateway records every change and every refusal with its HTTP status; people
 * read "succeeded / refused / failed", so the status is classified here once, for the
 * list's Result column and its filter alike. A configuration version does not say
 * which request made it, and an audit entry does not say which version it made: both
 * carry the action ("config", "config rollback to v3", "keystore upload") and a time
 * taken moments apart, which is what pairs them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-audit-filter"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gh-api-config-version.h"
#include "gh-audit-filter.h"

GhAuditResult
gh_audit_result_classify (guint status)
{
  if (status >= 100 && status < 400)
    return GH_AUDIT_RESULT_SUCCEEDED;
  if (status >= 400 && status < 500)
    return GH_AUDIT_RESULT_REFUSED;
  return GH_AUDIT_RESULT_FAILED;
}

const char *
gh_audit_result_get_label (GhAuditResult result)
{
  switch (result)
    {
    case GH_AUDIT_RESULT_SUCCEEDED:
      return C_("audit result", "Succeeded");
    case GH_AUDIT_RESULT_REFUSED:
      return C_("audit result", "Refused");
    case GH_AUDIT_RESULT_FAILED:
      return C_("audit result", "Failed");
    case GH_AUDIT_RESULT_ANY:
    default:
      return C_("audit result", "All Results");
    }
}

char *
gh_audit_entry_dup_identity (GhApiAuditEntry *entry)
{
  const char *who;
  const char *role;

  g_return_val_if_fail (GH_IS_API_AUDIT_ENTRY (entry), NULL);

  who = gh_api_audit_entry_get_subject (entry);
  if (who == NULL || *who == '\0')
    who = gh_api_audit_entry_get_fingerprint (entry);
  if (who == NULL || *who == '\0')
    /* TRANSLATORS: the caller of a request that had no client certificate */
    who = _("Unknown");
  role = gh_api_audit_entry_get_role (entry);
  if (role == NULL || *role == '\0')
    return g_strdup (who);
  /* TRANSLATORS: an identity's certificate subject and its role, "CN=ops · admin" */
  return g_strdup_printf (_("%s · %s"), who, role);
}

/* The gateway names its actions "<area> [crl] <verb> [<target>…]" ("session close
 * 4f2a…", "truststore crl delete root", "config rollback to v3", "config"): the kind
 * is what comes before the target, so one filter choice covers every session closed
 * instead of one choice per session. */
char *
gh_audit_action_dup_kind (const char *action)
{
  g_auto(GStrv) words = NULL;
  guint n;

  if (action == NULL)
    return NULL;
  words = g_strsplit (action, " ", 4);
  n = g_strv_length (words);
  if (n >= 3 && g_str_equal (words[1], "crl"))
    return g_strjoin (" ", words[0], words[1], words[2], NULL);
  if (n >= 2)
    return g_strjoin (" ", words[0], words[1], NULL);
  return g_strdup (action);
}

static gboolean
contains (const char *haystack,
          const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
matches_search (GhApiAuditEntry *entry,
                const char      *search)
{
  g_autofree char *folded = g_utf8_casefold (search, -1);
  g_auto(GStrv) words = g_strsplit_set (folded, " \t\n", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (!contains (gh_api_audit_entry_get_subject (entry), words[i]) &&
          !contains (gh_api_audit_entry_get_action (entry), words[i]) &&
          !contains (gh_api_audit_entry_get_path (entry), words[i]) &&
          !contains (gh_api_audit_entry_get_detail (entry), words[i]))
        return FALSE;
    }
  return TRUE;
}

gboolean
gh_audit_entry_matches (GhApiAuditEntry *entry,
                        const char      *identity,
                        const char      *action,
                        GhAuditResult    result,
                        const char      *search)
{
  g_return_val_if_fail (GH_IS_API_AUDIT_ENTRY (entry), FALSE);

  if (result != GH_AUDIT_RESULT_ANY &&
      gh_audit_result_classify (gh_api_audit_entry_get_status (entry)) != result)
    return FALSE;
  if (action != NULL && g_strcmp0 (gh_api_audit_entry_get_action (entry), action) != 0)
    {
      g_autofree char *kind = gh_audit_action_dup_kind (gh_api_audit_entry_get_action (entry));

      if (g_strcmp0 (kind, action) != 0)
        return FALSE;
    }
  if (identity != NULL)
    {
      g_autofree char *who = gh_audit_entry_dup_identity (entry);

      if (!g_str_equal (who, identity))
        return FALSE;
    }
  if (search != NULL && *search != '\0' && !matches_search (entry, search))
    return FALSE;
  return TRUE;
}

static gboolean
close_in_time (GDateTime *a,
               GDateTime *b,
               guint      slack_seconds)
{
  GTimeSpan span;

  if (a == NULL || b == NULL)
    return FALSE;
  span = g_date_time_difference (a, b);
  return ABS (span) <= (GTimeSpan) slack_seconds * G_TIME_SPAN_SECOND;
}

GArray *
gh_audit_match_versions (GListModel *entries,
                         GListModel *versions,
                         guint       slack_seconds)
{
  guint n_entries, n_versions;
  g_autofree gboolean *taken = NULL;
  GArray *produced;

  g_return_val_if_fail (G_IS_LIST_MODEL (entries), NULL);
  g_return_val_if_fail (versions == NULL || G_IS_LIST_MODEL (versions), NULL);

  n_entries = g_list_model_get_n_items (entries);
  n_versions = versions != NULL ? g_list_model_get_n_items (versions) : 0;
  produced = g_array_sized_new (FALSE, TRUE, sizeof (gint64), n_entries);
  g_array_set_size (produced, n_entries);
  taken = g_new0 (gboolean, MAX (n_versions, 1));

  for (guint i = 0; i < n_entries; i++)
    {
      g_autoptr(GhApiAuditEntry) entry = g_list_model_get_item (entries, i);
      const char *action = gh_api_audit_entry_get_action (entry);

      if (action == NULL ||
          gh_audit_result_classify (gh_api_audit_entry_get_status (entry)) != GH_AUDIT_RESULT_SUCCEEDED)
        continue;

      /* Both lists are newest first: the first free version that fits is this one's. */
      for (guint j = 0; j < n_versions; j++)
        {
          g_autoptr(GhApiConfigVersion) version = g_list_model_get_item (versions, j);

          if (taken[j] ||
              g_strcmp0 (gh_api_config_version_get_action (version), action) != 0 ||
              !close_in_time (gh_api_config_version_get_time (version), gh_api_audit_entry_get_time (entry),
                              slack_seconds))
            continue;
          taken[j] = TRUE;
          g_array_index (produced, gint64, i) = gh_api_config_version_get_version (version);
          break;
        }
    }
  return produced;
}
