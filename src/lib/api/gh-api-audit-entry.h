/* gh-api-audit-entry.h — one record of GET /api/v1/audit: who did what, when, with
 * which result
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define GH_TYPE_API_AUDIT_ENTRY (gh_api_audit_entry_get_type ())

G_DECLARE_FINAL_TYPE (GhApiAuditEntry, gh_api_audit_entry, GH, API_AUDIT_ENTRY, GObject)

GhApiAuditEntry *gh_api_audit_entry_new_from_json     (JsonNode        *node,
                                                       GError         **error);

GDateTime       *gh_api_audit_entry_get_time          (GhApiAuditEntry *self);  /* nullable */
const char      *gh_api_audit_entry_get_subject       (GhApiAuditEntry *self);  /* nullable */
const char      *gh_api_audit_entry_get_fingerprint   (GhApiAuditEntry *self);  /* nullable */
const char      *gh_api_audit_entry_get_role          (GhApiAuditEntry *self);  /* nullable */
const char      *gh_api_audit_entry_get_method        (GhApiAuditEntry *self);
const char      *gh_api_audit_entry_get_path          (GhApiAuditEntry *self);
const char      *gh_api_audit_entry_get_action        (GhApiAuditEntry *self);  /* nullable */
guint            gh_api_audit_entry_get_status        (GhApiAuditEntry *self);  /* HTTP status */
const char      *gh_api_audit_entry_get_detail        (GhApiAuditEntry *self);  /* nullable */

G_END_DECLS
