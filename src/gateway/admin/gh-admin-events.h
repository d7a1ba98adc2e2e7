/* gh-admin-events.h — the admin API's event stream (/api/v1/events), server side
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "gh-admin-audit.h"
#include "gh-gateway.h"
#include "gh-tls-stream.h"

G_BEGIN_DECLS

#define GH_TYPE_ADMIN_EVENTS (gh_admin_events_get_type ())

G_DECLARE_FINAL_TYPE (GhAdminEvents, gh_admin_events, GH, ADMIN_EVENTS, GObject)

/* @audit: the admin API's records, sent as "audit" events (at most one a second). */
GhAdminEvents *gh_admin_events_new           (GhGateway               *gateway,
                                              GhAdminAudit            *audit);

void           gh_admin_events_add_client    (GhAdminEvents           *self,
                                              SoupWebsocketConnection *connection,
                                              GhTlsStream             *tls,
                                              JsonNode                *hello_data);
void           gh_admin_events_publish       (GhAdminEvents           *self,
                                              const char              *type,
                                              JsonNode                *data);
guint          gh_admin_events_get_n_clients (GhAdminEvents           *self);
void           gh_admin_events_close_all     (GhAdminEvents           *self);

G_END_DECLS
