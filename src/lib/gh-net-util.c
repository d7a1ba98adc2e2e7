/* gh-net-util.c — small helpers for socket addresses and connections
 *
 * The gateway names clients, listeners and back-ends by "ip:port" in its sessions,
 * logs and admin API, and the CLI and app read them back: one spelling, here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-net-util"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "gh-net-util.h"

/**
 * gh_socket_address_to_string:
 * @address: (nullable): an address
 *
 * Returns: "ip:port", "[ipv6]:port", or "unknown" for an address that is not an IP one
 */
char *
gh_socket_address_to_string (GSocketAddress *address)
{
  if (G_IS_INET_SOCKET_ADDRESS (address))
    {
      GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (address);
      g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (inet));

      if (g_inet_address_get_family (g_inet_socket_address_get_address (inet)) == G_SOCKET_FAMILY_IPV6)
        return g_strdup_printf ("[%s]:%u", host, g_inet_socket_address_get_port (inet));
      return g_strdup_printf ("%s:%u", host, g_inet_socket_address_get_port (inet));
    }

  return g_strdup ("unknown");
}

/**
 * gh_socket_connection_set_no_delay:
 * @connection: a TCP connection
 *
 * Relayed messages go out at once: Nagle's algorithm would hold a small write back
 * until the previous one is acknowledged, as HAProxy and nginx also avoid.
 */
void
gh_socket_connection_set_no_delay (GSocketConnection *connection)
{
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}
