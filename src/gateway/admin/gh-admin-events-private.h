/* gh-admin-events-private.h — what the event stream's tests may tune
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-admin-events.h"

G_BEGIN_DECLS

/* The limits of the bounded backlog; the defaults are the contract's (1 MiB, 64 KiB,
 * 30 s). For tests. */
void        _gh_admin_events_set_limits   (GhAdminEvents *self,
                                           gsize          max_backlog,
                                           gsize          resume_backlog,
                                           guint          behind_timeout_ms);

G_END_DECLS
