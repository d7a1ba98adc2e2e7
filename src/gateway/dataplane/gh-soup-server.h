/* gh-soup-server.h — a SoupServer for connections the gateway accepts itself
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A server fed with soup_server_accept_iostream() that keeps HTTP/1.1 connections
 * alive and declines permessage-deflate. */
SoupServer *gh_soup_server_new (GError **error);

G_END_DECLS
