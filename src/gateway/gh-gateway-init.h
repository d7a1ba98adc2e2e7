/* gh-gateway-init.h — `gatehoused init`: a working setup in one step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  const char *hostname;    /* of the gateway's certificate and accept URIs */
  guint16     port;        /* of the echo service */
  guint16     admin_port;
  gboolean    force;       /* replace an existing setup */
} GhGatewayInitOptions;

gboolean gh_gateway_init_directory (GFile                      *dir,
                                    const GhGatewayInitOptions *options,
                                    GError                    **error);

G_END_DECLS
