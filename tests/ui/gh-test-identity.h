/* gh-test-identity.h — a further admin identity for a test gateway, with a role of
 * its own (a viewer, an operator), made before the daemon starts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-test-gateway.h"

G_BEGIN_DECLS

/* Issues "CN=@name" from the admin CA that `gatehoused init` made, saves it with its
 * key as <dir>/<name>.p12 under @password, and names it in the gateway's configuration
 * with @role. Returns the PKCS#12 file's path. */
char *gh_test_gateway_add_identity (GhTestGateway *gateway,
                                    const char    *name,
                                    const char    *role,
                                    const char    *password);

G_END_DECLS
