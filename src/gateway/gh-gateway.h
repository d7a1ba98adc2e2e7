/* gh-gateway.h — the running gateway: listeners, services, sessions, reloads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-gateway-config.h"
#include "gh-session-registry.h"

G_BEGIN_DECLS

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

G_END_DECLS
