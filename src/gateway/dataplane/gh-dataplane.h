/* gh-dataplane.h — what the threads that run sessions share with the gateway
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-generation.h"
#include "gh-session-registry.h"
#include "gh-workers.h"

G_BEGIN_DECLS

#define GH_TYPE_DATAPLANE (gh_dataplane_get_type ())

G_DECLARE_FINAL_TYPE (GhDataplane, gh_dataplane, GH, DATAPLANE, GObject)

GhDataplane  *gh_dataplane_new                  (GhSessionRegistry *sessions);

/* Only the main context changes the generation, so it reads it without the lock:
 * gh_dataplane_get_generation() is for the main context, dup for the threads. */
void          gh_dataplane_set_generation       (GhDataplane  *self,
                                                 GhGeneration *generation);
GhGeneration *gh_dataplane_get_generation       (GhDataplane  *self);  /* or NULL */
GhGeneration *gh_dataplane_dup_generation       (GhDataplane  *self);  /* or NULL */

/* Which listener (gh-listener.h) is bound at each key now: key → GhListener. */
void          gh_dataplane_share_listeners      (GhDataplane  *self,
                                                 GHashTable   *listeners);

void          gh_dataplane_set_workers          (GhDataplane  *self,
                                                 GhWorkers    *workers);
GhWorkers    *gh_dataplane_get_workers          (GhDataplane  *self);  /* or NULL */
void          gh_dataplane_set_accepting        (GhDataplane  *self,
                                                 gboolean      accepting);
gboolean      gh_dataplane_get_accepting        (GhDataplane  *self);

gboolean      gh_dataplane_get_service_stopped  (GhDataplane  *self,
                                                 const char   *name);
void          gh_dataplane_set_service_stopped  (GhDataplane  *self,
                                                 const char   *name,
                                                 gboolean      stopped);

G_END_DECLS
