/* gh-admin-audit.h — who did what through the admin API, and what came of it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* How many records are kept in memory for GET /audit. */
#define GH_ADMIN_AUDIT_KEPT 1000

#define GH_TYPE_ADMIN_AUDIT (gh_admin_audit_get_type ())

G_DECLARE_FINAL_TYPE (GhAdminAudit, gh_admin_audit, GH, ADMIN_AUDIT, GObject)

/* Records also go to @file (JSON lines, mode 0600) when it is given. */
GhAdminAudit *gh_admin_audit_new      (GFile        *file);
void          gh_admin_audit_record   (GhAdminAudit *self,
                                       const char   *subject,
                                       const char   *fingerprint,
                                       const char   *role,
                                       const char   *method,
                                       const char   *path,
                                       const char   *action,
                                       guint         status,
                                       const char   *detail);
/* {"entries": [...]}, newest first, at most @limit. */
JsonNode     *gh_admin_audit_to_json  (GhAdminAudit *self,
                                       guint         limit);
/* How many records were made since the start (a count that only grows). */
guint64       gh_admin_audit_get_count (GhAdminAudit *self);
/* {"entries": [...], "more"}: the records made after the first @count, newest first, at
 * most @limit; "more" when there were others (beyond @limit, or no longer kept). */
JsonNode     *gh_admin_audit_since    (GhAdminAudit *self,
                                       guint64       count,
                                       guint         limit);

G_END_DECLS
