/* gh-gateway.h — the running gateway: listeners, services, sessions, reloads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-config-history.h"
#include "gh-gateway-config.h"
#include "gh-keystore.h"
#include "gh-session-registry.h"
#include "gh-tls-context.h"

G_BEGIN_DECLS

/* The admin API's TLS: 1.3 only. */
#define GH_ADMIN_TLS_PRIORITY "SECURE:-VERS-ALL:+VERS-TLS1.3:%PROFILE_MEDIUM"

typedef enum {
  GH_GATEWAY_APPLY_NONE    = 0,
  GH_GATEWAY_APPLY_CONFIG  = 1 << 0,  /* the configuration is a change: write it */
  GH_GATEWAY_APPLY_DRY_RUN = 1 << 1,  /* check only */
} GhGatewayApplyFlags;

#define GH_TYPE_GATEWAY (gh_gateway_get_type ())

G_DECLARE_FINAL_TYPE (GhGateway, gh_gateway, GH, GATEWAY, GObject)

GhGateway         *gh_gateway_new              (GFile      *config_file);

/* Reads the configuration, keystore and truststore, and binds every accept address. */
gboolean           gh_gateway_start            (GhGateway  *self,
                                                GError    **error);
/* Reads everything again; new handshakes use the new material, live sessions keep
 * running. On error nothing changes. */
gboolean           gh_gateway_reload           (GhGateway  *self,
                                                GError    **error);
void               gh_gateway_reload_async     (GhGateway           *self,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean           gh_gateway_reload_finish    (GhGateway           *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* Stops accepting; live sessions go on until they end or are closed. */
void               gh_gateway_stop_accepting   (GhGateway  *self);
/* Closes every live session with @reason. */
void               gh_gateway_close_sessions   (GhGateway  *self,
                                                const char *reason);

/* Checks a configuration file as gh_gateway_start() would, binding nothing. */
gboolean           gh_gateway_check            (GFile      *config_file,
                                                GError    **error);

GhGatewayConfig   *gh_gateway_get_config       (GhGateway  *self);
GhSessionRegistry *gh_gateway_get_sessions     (GhGateway  *self);
/* "host:port" of every bound listener. */
GStrv              gh_gateway_dup_listen_addresses (GhGateway *self);

GFile             *gh_gateway_get_config_file  (GhGateway  *self);
/* Where the gateway keeps what it writes besides the files the configuration names:
 * history/ and audit.log. By default the configuration's directory; set it before
 * gh_gateway_start() (gatehoused --state-dir, /var/lib/gatehouse in the Debian unit). */
void               gh_gateway_set_state_directory (GhGateway *self,
                                                   GFile     *directory);
GFile             *gh_gateway_get_state_directory (GhGateway *self);
/* Grows by one with every change to the configuration, keystore or truststore. */
gint64             gh_gateway_get_config_version (GhGateway *self);
GhConfigHistory   *gh_gateway_get_history      (GhGateway  *self);  /* or NULL */
gint64             gh_gateway_get_started      (GhGateway  *self);  /* real time, µs */
GhKeystore        *gh_gateway_get_keystore     (GhGateway  *self);
GhKeystore        *gh_gateway_get_truststore   (GhGateway  *self);  /* or NULL */
GPtrArray         *gh_gateway_get_anchors      (GhGateway  *self);  /* of GhCertificate */
GhTlsServerContext *gh_gateway_get_admin_tls   (GhGateway  *self);  /* or NULL */
GhTlsClientContext *gh_gateway_get_connect_tls (GhGateway  *self,
                                                const char *service_name);
JsonNode          *gh_gateway_stats_to_json    (GhGateway  *self);

gboolean           gh_gateway_get_service_started (GhGateway  *self,
                                                   const char *name);
gboolean           gh_gateway_set_service_started (GhGateway   *self,
                                                   const char  *name,
                                                   gboolean     started,
                                                   const char  *reason,
                                                   GError     **error);

void               gh_gateway_apply_async      (GhGateway           *self,
                                                GhGatewayConfig     *config,
                                                GhKeystore          *keystore,
                                                GhKeystore          *truststore,
                                                GhGatewayApplyFlags  flags,
                                                const char          *identity,
                                                const char          *action,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean           gh_gateway_apply_finish     (GhGateway           *self,
                                                GAsyncResult        *result,
                                                gint64              *version,
                                                GError             **error);

G_END_DECLS
