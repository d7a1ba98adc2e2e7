/* gh-event-stream.h — the admin API's event stream (wss://…/api/v1/events, subprotocol
 * gatehouse.v1) kept as live models
 *
 * GhEventStream holds the gateway's live sessions as a GListModel of GhApiSession,
 * updated in place from session.opened/updated/closed, and replaced exactly by each
 * snapshot (no stale row survives a reconnection). It keeps the last stats.tick
 * values, newest last. When the stream drops, or a seq number is skipped, it
 * reconnects with exponential backoff (0.5 s doubling to 30 s, with jitter) and
 * resynchronises from the new snapshot. Other events are emitted as "event".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "gh-admin-client.h"

G_BEGIN_DECLS

typedef enum {
  GH_EVENT_STREAM_DISCONNECTED,   /* not started, or stopped */
  GH_EVENT_STREAM_CONNECTING,     /* first connection under way */
  GH_EVENT_STREAM_CONNECTED,      /* connected and synchronised (a snapshot applied) */
  GH_EVENT_STREAM_RECONNECTING,   /* lost, or out of sync: waiting to connect again */
} GhEventStreamState;

#define GH_TYPE_EVENT_STREAM_STATE (gh_event_stream_state_get_type ())
GType gh_event_stream_state_get_type (void);

#define GH_EVENT_STREAM_DEFAULT_HISTORY 300

#define GH_TYPE_EVENT_STREAM (gh_event_stream_get_type ())

G_DECLARE_FINAL_TYPE (GhEventStream, gh_event_stream, GH, EVENT_STREAM, GObject)

GhEventStream      *gh_event_stream_new                   (GhAdminClient  *client);

/* Connect (and keep reconnecting) until gh_event_stream_stop(). */
void                gh_event_stream_start                 (GhEventStream  *self);
void                gh_event_stream_stop                  (GhEventStream  *self);

GhAdminClient      *gh_event_stream_get_client            (GhEventStream  *self);
GhEventStreamState  gh_event_stream_get_state             (GhEventStream  *self);
/* Why the last connection failed or ended, or NULL. */
const GError       *gh_event_stream_get_last_error        (GhEventStream  *self);

/* The live sessions, of GhApiSession, in the order the gateway opened them. */
GListModel         *gh_event_stream_get_sessions          (GhEventStream  *self);
GhApiSession       *gh_event_stream_lookup_session        (GhEventStream  *self,
                                                           const char     *id);
/* The last stats.tick values (of GhApiStats), oldest first, at most
 * gh_event_stream_get_history_size() of them. */
GListModel         *gh_event_stream_get_stats_history     (GhEventStream  *self);
guint               gh_event_stream_get_history_size      (GhEventStream  *self);
void                gh_event_stream_set_history_size      (GhEventStream  *self,
                                                           guint           size);
/* The newest stats (from a tick or the snapshot), or NULL. */
GhApiStats         *gh_event_stream_get_stats             (GhEventStream  *self);
/* From hello, snapshot and config.changed; 0 before. */
gint64              gh_event_stream_get_config_version    (GhEventStream  *self);
/* How many times a connection reached CONNECTED (1 after the first snapshot). */
guint               gh_event_stream_get_n_synchronizations (GhEventStream *self);

/* Signals:
 *   "event" (const char *type, JsonNode *data): config.changed, service.state,
 *       cert.reloaded, cert.expiring, backend.health, and any type this client does
 *       not know. Detailed by the type: "event::cert.expiring".
 *   "message" (JsonNode *envelope): every event, whole and in order, before it is
 *       applied (what `gatehousectl events` prints).
 *   "synchronized" (): a snapshot was applied; the models are exact. */

G_END_DECLS
