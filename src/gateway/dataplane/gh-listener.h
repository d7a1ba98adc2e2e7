/* gh-listener.h — a bound address: accepting, the TLS handshake, and the hand-over
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-dataplane.h"

G_BEGIN_DECLS

typedef struct _GhListener GhListener;

/* Binds @binding's address (not yet accepting); NULL when it cannot be bound. */
GhListener *gh_listener_new      (GhDataplane  *dataplane,
                                  GhBinding    *binding,
                                  GError      **error);
void        gh_listener_start    (GhListener   *listener);
void        gh_listener_free     (GhListener   *listener);
guint       gh_listener_get_id   (GhListener   *listener);
gboolean    gh_listener_is_http  (GhListener   *listener);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhListener, gh_listener_free)

G_END_DECLS
