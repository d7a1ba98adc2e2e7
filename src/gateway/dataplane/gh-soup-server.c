/* gh-soup-server.c — a SoupServer for connections the gateway accepts itself
 *
 * The gateway accepts and decrypts connections itself (GhTlsStream) and hands libsoup
 * the streams with soup_server_accept_iostream(). libsoup 3.6 keeps a connection alive
 * after a response only while the server has a listener of its own; without one it
 * closes every connection after its first response, and every admin request pays a
 * TLS handshake with a client certificate. So the server gets a listener nobody can
 * reach: a UNIX socket whose name is removed right after it listens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-soup-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>

#include "gh-soup-server.h"

static gboolean
add_unreachable_listener (SoupServer  *server,
                          GError     **error)
{
  g_autofree char *directory = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  gboolean listening;

  if ((directory = g_dir_make_tmp ("gatehoused-XXXXXX", error)) == NULL)
    return FALSE;

  path = g_build_filename (directory, "unused", NULL);
  address = g_unix_socket_address_new (path);
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
  listening = socket != NULL &&
              g_socket_bind (socket, address, FALSE, error) &&
              g_socket_listen (socket, error) &&
              soup_server_listen_socket (server, socket, 0, error);

  /* Gone from the file system: nothing can ever connect to it. */
  g_unlink (path);
  g_rmdir (directory);
  return listening;
}

SoupServer *
gh_soup_server_new (GError **error)
{
  g_autoptr(SoupServer) server = soup_server_new ("server-header", "gatehoused/" PACKAGE_VERSION, NULL);

  /* No permessage-deflate: compressing what clients send next to secrets invites
   * CRIME-style attacks, costs the gateway CPU for every message it only relays,
   * and stalled the data plane under load. Clients fall back to plain frames. */
  soup_server_remove_websocket_extension (server, SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE);

  if (!add_unreachable_listener (server, error))
    {
      g_prefix_error (error, _("Cannot set up HTTP keep-alive: "));
      return NULL;
    }

  return g_steal_pointer (&server);
}
