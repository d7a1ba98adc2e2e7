/* gh-gateway-connection-private.h — what the files of GhGatewayConnection share
 *
 * GhGatewayConnection is split by concern: gh-gateway-connection.c (the profile, the
 * identity and its password, the state machine of the event stream, the properties
 * and signals), gh-gateway-connection-data.c (what it fetches and caches for the
 * pages: info, audit, the keystore's expiring entries, and the events that change
 * them).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-gateway-connection.h"

G_BEGIN_DECLS

struct _GhGatewayConnection
{
  GObject             parent_instance;

  GhGatewayProfile   *profile;

  GhGatewayState      state;
  char               *state_message;
  gboolean            stale;
  gint64              config_version;
  GhGatewayAttention  attention;
  char               *new_pin;

  char               *password;        /* wiped when dropped */

  GhAdminClient      *client;
  GhEventStream      *events;
  GCancellable       *cancellable;     /* of the work of the current start */

  GhApiInfo          *info;
  GListStore         *audit;
  GHashTable         *expiring;        /* aliases */

  GSettings          *settings;
  gboolean            running;
  guint               unreachable_timeout;
  guint               unreachable_id;
  guint               poll_id;
  guint               tls_failures;
};

/* The state machine (gh-gateway-connection.c) */
void _gh_gateway_connection_set_info              (GhGatewayConnection *self,
                                                   GhApiInfo           *info);
void _gh_gateway_connection_set_config_version    (GhGatewayConnection *self,
                                                   gint64               version);
void _gh_gateway_connection_notify_expiring_count (GhGatewayConnection *self);
void _gh_gateway_connection_emit_config_changed   (GhGatewayConnection *self,
                                                   gint64               version,
                                                   const char          *identity,
                                                   const char          *action);
void _gh_gateway_connection_emit_service_state    (GhGatewayConnection *self,
                                                   const char          *name,
                                                   const char          *state);

/* The data (gh-gateway-connection-data.c) */
/* On each (re)synchronisation of the stream: info, audit, keystore. */
void _gh_gateway_connection_fetch_data            (GhGatewayConnection *self);
void _gh_gateway_connection_refresh_keystore      (GhGatewayConnection *self);
void _gh_gateway_connection_handle_event          (GhGatewayConnection *self,
                                                   const char          *type,
                                                   JsonNode            *data);

G_END_DECLS
