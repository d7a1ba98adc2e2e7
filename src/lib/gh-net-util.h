/* gh-net-util.h — small helpers for socket addresses and connections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char     *gh_socket_address_to_string       (GSocketAddress    *address);
void      gh_socket_connection_set_no_delay (GSocketConnection *connection);

G_END_DECLS
