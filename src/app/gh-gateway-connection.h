/* gh-gateway-connection.h — one gateway the app administers: its profile, its admin
 * client and event stream, and how the connection is doing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-admin-client.h"
#include "gh-event-stream.h"
#include "gh-api-info.h"
#include "gh-gateway-profile.h"

G_BEGIN_DECLS

typedef enum {
  GH_GATEWAY_STATE_DISCONNECTED,   /* not started, or removed */
  GH_GATEWAY_STATE_CONNECTING,     /* first contact under way */
  GH_GATEWAY_STATE_CONNECTED,      /* the event stream is synchronised */
  GH_GATEWAY_STATE_RECONNECTING,   /* lost; the data shown is the last known (stale) */
  GH_GATEWAY_STATE_UNREACHABLE,    /* could not reach it for a while; still retrying */
  GH_GATEWAY_STATE_NEEDS_ATTENTION,/* the user must act: pin changed, identity refused,
                                      password missing; no retry until they do */
} GhGatewayState;

#define GH_TYPE_GATEWAY_STATE (gh_gateway_state_get_type ())
GType gh_gateway_state_get_type (void);

#define GH_TYPE_GATEWAY_CONNECTION (gh_gateway_connection_get_type ())

G_DECLARE_FINAL_TYPE (GhGatewayConnection, gh_gateway_connection, GH, GATEWAY_CONNECTION, GObject)

/* Properties (all notify): "name", "url", "identity-path", "pin" (the profile's),
 * "state", "state-message", "stale", "config-version", "info" (GhApiInfo, last known). */
const char     *gh_gateway_connection_get_name            (GhGatewayConnection *self);
const char     *gh_gateway_connection_get_url             (GhGatewayConnection *self);
const char     *gh_gateway_connection_get_identity_path   (GhGatewayConnection *self);
const char     *gh_gateway_connection_get_pin             (GhGatewayConnection *self);
GhGatewayState  gh_gateway_connection_get_state           (GhGatewayConnection *self);
/* For people: what is wrong and what to do, or NULL when connected. */
const char     *gh_gateway_connection_get_state_message   (GhGatewayConnection *self);
/* TRUE while what the pages show is the last known data, not live. */
gboolean        gh_gateway_connection_get_stale           (GhGatewayConnection *self);
/* The configuration version (ETag "vN") last seen; 0 before. */
gint64          gh_gateway_connection_get_config_version  (GhGatewayConnection *self);

/* Both NULL until the identity is loaded; they outlive reconnections. */
GhAdminClient  *gh_gateway_connection_get_client          (GhGatewayConnection *self);
GhEventStream  *gh_gateway_connection_get_events          (GhGatewayConnection *self);

/* Signals:
 *   "config-changed" (gint64 version, const char *identity, const char *action):
 *       the gateway's configuration, keystore or truststore changed (from anyone).
 *   "service-state" (const char *name, const char *state): a service started/stopped. */

/* Additions (the app's): creating, starting and steering a connection. */

/* A profile; @pin normalized or NULL. @persistent: FALSE for a gateway given on the
 * command line (kept out of GSettings, its password never stored). */
GhGatewayConnection *gh_gateway_connection_new            (const char          *name,
                                                           const char          *url,
                                                           const char          *identity_path,
                                                           const char          *pin,
                                                           gboolean             persistent);
gboolean        gh_gateway_connection_get_persistent      (GhGatewayConnection *self);
/* A connection for @profile, whose name and pin it shares. */
GhGatewayConnection *gh_gateway_connection_new_for_profile (GhGatewayProfile   *profile);
GhGatewayProfile *gh_gateway_connection_get_profile       (GhGatewayConnection *self);
void            gh_gateway_connection_set_name            (GhGatewayConnection *self,
                                                           const char          *name);
/* The identity's password for this session; with @remember (and a persistent
 * profile) also stored in the user's keyring. The copy is wiped when dropped. */
void            gh_gateway_connection_set_password        (GhGatewayConnection *self,
                                                           const char          *password,
                                                           gboolean             remember);
/* Removes the password from the keyring (when the profile is removed). */
void            gh_gateway_connection_forget_password     (GhGatewayConnection *self);
/* Load the identity (the password from memory or the keyring), connect, keep the
 * event stream running. Idempotent. */
void            gh_gateway_connection_start               (GhGatewayConnection *self);
void            gh_gateway_connection_stop                (GhGatewayConnection *self);
/* Start over now (also after NEEDS_ATTENTION once the user acted). */
void            gh_gateway_connection_reconnect           (GhGatewayConnection *self);

typedef enum {
  GH_GATEWAY_ATTENTION_NONE,
  GH_GATEWAY_ATTENTION_PIN_CHANGED,      /* gh_gateway_connection_get_new_pin() */
  GH_GATEWAY_ATTENTION_PASSWORD,         /* no password, or not the identity's */
  GH_GATEWAY_ATTENTION_IDENTITY,         /* file missing/unreadable, or refused by the gateway */
} GhGatewayAttention;

GhGatewayAttention gh_gateway_connection_get_attention    (GhGatewayConnection *self);
/* The fingerprint the gateway shows now, when the pin changed. */
const char     *gh_gateway_connection_get_new_pin         (GhGatewayConnection *self);
/* Pins @pin (normally get_new_pin()) and reconnects. */
void            gh_gateway_connection_set_pin             (GhGatewayConnection *self,
                                                           const char          *pin);

/* Last known data for the pages (kept while stale). */
GhApiInfo      *gh_gateway_connection_get_info            (GhGatewayConnection *self);
/* The identity's role as GET /info said it; NONE until then ("info" notifies). */
GhAdminRole     gh_gateway_connection_get_role            (GhGatewayConnection *self);
/* The latest audit entries (of GhApiAuditEntry, newest first, at most 10). */
GListModel     *gh_gateway_connection_get_audit           (GhGatewayConnection *self);
/* Keystore certificates expiring within the expiry-warning-days setting, or 30. */
guint           gh_gateway_connection_get_expiring_count  (GhGatewayConnection *self);
/* How long RECONNECTING lasts before it is called UNREACHABLE (default 15 s). */
void            gh_gateway_connection_set_unreachable_timeout (GhGatewayConnection *self,
                                                           guint                seconds);

/* For the sidebar and the banner: a short name of the state and its icon. */
const char     *gh_gateway_state_get_label                (GhGatewayState       state);
const char     *gh_gateway_state_get_icon_name            (GhGatewayState       state);

/* Signals (additions):
 *   "notice" (const char *message): something to tell the user once, in a toast
 *       (the keyring is not available: the password is kept for this session only). */

G_END_DECLS
