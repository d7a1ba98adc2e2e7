/* gh-audit-page.h — a gateway's audit log: who changed what, when, with which result;
 * filtered, searched, and a change rolled back or compared from here
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-gateway-connection.h"

G_BEGIN_DECLS

#define GH_TYPE_AUDIT_PAGE (gh_audit_page_get_type ())

G_DECLARE_FINAL_TYPE (GhAuditPage, gh_audit_page, GH, AUDIT_PAGE, AdwBin)

GhAuditPage         *gh_audit_page_new            (void);

GhGatewayConnection *gh_audit_page_get_connection (GhAuditPage         *self);
void                 gh_audit_page_set_connection (GhAuditPage         *self,
                                                   GhGatewayConnection *connection);

/* What the list shows (for the tests): the entries the filters let through, of
 * GhApiAuditEntry, newest first. */
GListModel          *gh_audit_page_get_shown      (GhAuditPage         *self);
/* The configuration version @entry produced, or 0. */
gint64               gh_audit_page_get_entry_version (GhAuditPage      *self,
                                                   GhApiAuditEntry     *entry);

G_END_DECLS
