/* gh-workers.h — threads that each run a main context of their own, for the sessions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GH_WORKERS_MAX 64

typedef struct _GhWorkers GhWorkers;

void          gh_workers_set_default_count (guint          n_workers);
GhWorkers    *gh_workers_get_default       (void);

guint         gh_workers_get_n             (GhWorkers     *self);
GMainContext *gh_workers_get_context       (GhWorkers     *self,
                                            guint          index);
GMainContext *gh_workers_next              (GhWorkers     *self);
void          gh_workers_sync              (GhWorkers     *self);

void          gh_context_invoke            (GMainContext  *context,
                                            GSourceFunc    function,
                                            gpointer       data,
                                            GDestroyNotify notify);

G_END_DECLS
