/* gh-test-identity.h — another admin identity for a test gateway, with a role of its
 * own (a viewer, to see a page read-only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-test-gateway.h"

G_BEGIN_DECLS

/* Issues @subject a client certificate from the admin CA that `gatehoused init` made,
 * saves it as "@file_name" (PKCS#12 under @password) in the gateway's directory and
 * names it in the configuration with @role; before the daemon starts. Returns the
 * file's path. */
char *gh_test_add_admin_identity (GhTestGateway *gateway,
                                  const char    *subject,
                                  const char    *role,
                                  const char    *file_name,
                                  const char    *password);

G_END_DECLS
