/* gh-http-front.h — a listener's HTTP and WebSocket front, one per worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-dataplane.h"
#include "gh-tls-stream.h"

G_BEGIN_DECLS

/* On the calling thread's server for listener @listener_id: serves @stream, whose
 * client is @remote (and @tls, if secure), with the paths of @binding. */
void     gh_http_front_accept (GhDataplane    *dataplane,
                               guint           listener_id,
                               const char     *key,
                               GhBinding      *binding,
                               GIOStream      *stream,
                               GhTlsStream    *tls,
                               GSocketAddress *local,
                               GSocketAddress *remote);
/* A GSourceFunc for each thread: drops its server for listener
 * GPOINTER_TO_UINT (@listener_id). */
gboolean gh_http_front_drop   (gpointer        listener_id);

G_END_DECLS
