/* gh-audit-filter.h — how the Audit page reads the audit log: the result of an entry
 * in three words, which entries a filter and a search let through, and which entry
 * produced which configuration version
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-api-audit-entry.h"

G_BEGIN_DECLS

typedef enum {
  GH_AUDIT_RESULT_ANY,        /* as a filter: every entry */
  GH_AUDIT_RESULT_SUCCEEDED,  /* 1xx–3xx: the change was made */
  GH_AUDIT_RESULT_REFUSED,    /* 4xx: the gateway said no (role, stale version, invalid) */
  GH_AUDIT_RESULT_FAILED,     /* 5xx, or no status: the gateway could not do it */
} GhAuditResult;

GhAuditResult gh_audit_result_classify       (guint            status);
/* For people: "Succeeded", "Refused", "Failed" (translated). */
const char   *gh_audit_result_get_label      (GhAuditResult    result);

/* Who, as the identity filter lists them: the subject and the role ("CN=ops · admin"),
 * or the fingerprint when the caller had no subject; a new string, never NULL. */
char         *gh_audit_entry_dup_identity    (GhApiAuditEntry *entry);

/* What kind of change an action is, without its target: "session close" for
 * "session close 4f2a…", "service stop" for "service stop echo"; a new string. */
char         *gh_audit_action_dup_kind       (const char      *action);

/* TRUE when @entry passes every given criterion; NULL (or ANY) means any.
 * @identity compares with gh_audit_entry_dup_identity(), @action with the entry's
 * action exactly or with its kind (gh_audit_action_dup_kind()); @search is a case-insensitive substring of the subject, the action,
 * the path or the detail (several words: each must be found). */
gboolean      gh_audit_entry_matches         (GhApiAuditEntry *entry,
                                              const char      *identity,
                                              const char      *action,
                                              GhAuditResult    result,
                                              const char      *search);

/* For each entry of @entries (GhApiAuditEntry, newest first), the configuration
 * version it produced, or 0: a succeeded change whose action and time (within
 * @slack_seconds) match a version of @versions (GhApiConfigVersion, newest first).
 * Each version goes to one entry at most. Returns an array of gint64, one per entry. */
GArray       *gh_audit_match_versions        (GListModel      *entries,
                                              GListModel      *versions,
                                              guint            slack_seconds);

G_END_DECLS
