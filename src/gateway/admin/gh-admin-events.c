/* gh-admin-events.c — the admin API's event stream (/api/v1/events), server side
 *
 * Each client gets hello, a snapshot, then the gateway's events, every one in the
 * envelope {v, type, seq, ts, data} with its own seq. An event is serialized once: its
 * text is split around the seq, and each client gets head + its seq + tail.
 *
 * Sessions: while there are clients, the registry's model is mirrored position for
 * position (an array of Tracked, one per session, in the registry's order). A removal
 * in the model names positions only; the mirror says which sessions they were, exactly
 * and without a lookup. Traffic changes no signal, so the one-second tick compares each
 * session's counters with the values last sent (five getters per session for 10,000
 * idle ones) and queues the changed ones, oldest change first; session.updated takes at
 * most MAX_UPDATED_BATCH from the head of that queue.
 *
 * Backlog: libsoup queues frames without telling how many. With the client's
 * GhTlsStream, what we handed to libsoup (payload plus frame header) minus what GnuTLS
 * accepted is what waits. Past max_backlog (not counting a snapshot still on its way,
 * which is as large as the gateway has sessions) events are dropped for that client;
 * below resume_backlog it gets resync_required and a new snapshot; behind for longer
 * than behind_timeout, it is closed (1008).
 *
 * Audit: the tick sends what the admin API recorded since the last tick as one "audit"
 * event, at most MAX_AUDIT_BATCH records ("more" says there were others): a flood of
 * refused requests costs the event clients one bounded message a second.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-events"

#include "config.h"

#include <string.h>

#include "gh-admin-events-private.h"
#include "gh-api-session.h"
#include "gh-json.h"
#include "gh-websocket-client.h"

#define DEFAULT_MAX_BACKLOG       (1024 * 1024)
#define DEFAULT_RESUME_BACKLOG    (64 * 1024)
#define DEFAULT_BEHIND_TIMEOUT_MS (30 * 1000)
#define MAX_UPDATED_BATCH         2000
#define MAX_AUDIT_BATCH           100
#define CERT_EXPIRING_DAYS        30

/* One event, serialized once. */
typedef struct {
  char  *head;      /* {"v":1,"type":"…","seq": */
  gsize  head_len;
  char  *tail;      /* ,"ts":"…","data":…} */
  gsize  tail_len;
} Event;

static void
event_free (Event *event)
{
  g_free (event->head);
  g_free (event->tail);
  g_free (event);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Event, event_free)

/* Types are written into the envelope as they are: no character needs escaping. */
static gboolean
event_type_is_valid (const char *type)
{
  if (type == NULL || *type == '\0')
    return FALSE;

  for (const char *p = type; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '.' && *p != '_' && *p != '-')
      return FALSE;

  return TRUE;
}

/* @data: (transfer none) (nullable) */
static Event *
event_new (const char *type,
           JsonNode   *data)
{
  g_autofree char *ts = gh_json_format_time (g_get_real_time ());
  g_autofree char *data_text = data != NULL ? json_to_string (data, FALSE) : g_strdup ("null");
  Event *event = g_new0 (Event, 1);

  g_assert (event_type_is_valid (type));

  event->head = g_strconcat ("{\"v\":1,\"type\":\"", type, "\",\"seq\":", NULL);
  event->head_len = strlen (event->head);
  event->tail = g_strconcat (",\"ts\":\"", ts, "\",\"data\":", data_text, "}", NULL);
  event->tail_len = strlen (event->tail);
  return event;
}

/* @data: (transfer full) (nullable) */
static Event *
event_new_take (const char *type,
                JsonNode   *data)
{
  g_autoptr(JsonNode) owned = data;

  return event_new (type, owned);
}

/* What a session's entry in session.updated says. */
typedef struct {
  GhSessionState state;
  guint64        bytes_in;
  guint64        bytes_out;
  guint64        messages_in;
  guint64        messages_out;
  guint          backend_version;
} Counters;

static void
read_counters (GhSession *session,
               Counters  *counters)
{
  GhSessionTraffic traffic;

  gh_session_get_traffic (session, &traffic);
  counters->state = gh_session_get_state (session);
  counters->bytes_in = traffic.bytes_in;
  counters->bytes_out = traffic.bytes_out;
  counters->messages_in = traffic.messages_in;
  counters->messages_out = traffic.messages_out;
  counters->backend_version = traffic.backend_version;
}

static gboolean
counters_equal (const Counters *a,
                const Counters *b)
{
  return a->state == b->state &&
         a->bytes_in == b->bytes_in && a->bytes_out == b->bytes_out &&
         a->messages_in == b->messages_in && a->messages_out == b->messages_out &&
         a->backend_version == b->backend_version;
}

/* One session of the mirror. */
typedef struct {
  GhSession *session;
  Counters   sent;    /* as the last event about it said */
  GList      link;    /* in the dirty queue when queued */
  gboolean   queued;
} Tracked;

static Tracked *
tracked_new (GhSession *session)
{
  Tracked *tracked = g_new0 (Tracked, 1);

  tracked->session = session;
  tracked->link.data = tracked;
  read_counters (session, &tracked->sent);
  return tracked;
}

static void
tracked_free (gpointer data)
{
  Tracked *tracked = data;

  g_assert (!tracked->queued);
  g_object_unref (tracked->session);
  g_free (tracked);
}

/* One client of the stream. Reference-counted (g_rc_box) so that a broadcast can hold
 * its clients while one of them goes away. */
typedef struct {
  GhAdminEvents           *events;        /* unowned; NULL once released */
  SoupWebsocketConnection *connection;
  GhTlsStream             *tls;           /* NULL: no backlog accounting */
  gulong                   message_id;
  gulong                   closed_id;
  guint64                  seq;           /* of the last message sent */
  guint64                  handed;        /* bytes given to libsoup, on the TLS stream's scale */
  guint64                  snapshot_end;  /* where the last snapshot ends, on that scale */
  gint64                   behind_since;  /* monotonic µs; 0 when not behind */
  gboolean                 closing;       /* we asked it to close */
} Client;

static void
client_clear (gpointer data)
{
  Client *client = data;

  g_clear_object (&client->connection);
  g_clear_object (&client->tls);
}

static Client *
client_ref (Client *client)
{
  return g_rc_box_acquire (client);
}

static void
client_unref (gpointer data)
{
  g_rc_box_release_full (data, client_clear);
}

/* Lets the client go: no more signals from its connection. */
static void
client_release (gpointer data)
{
  Client *client = data;

  g_clear_signal_handler (&client->message_id, client->connection);
  g_clear_signal_handler (&client->closed_id, client->connection);
  client->events = NULL;
  client->closing = TRUE;
  client_unref (client);
}

struct _GhAdminEvents
{
  GObject            parent_instance;

  GhGateway         *gateway;          /* unowned: it outlives us */
  GhSessionRegistry *registry;
  GhAdminAudit      *audit;            /* nullable */
  GPtrArray         *clients;          /* of Client */

  /* While watching, i.e. while there are (or just were) clients: */
  GPtrArray         *tracked;          /* of Tracked, the registry's mirror */
  GQueue             dirty;            /* of Tracked (embedded links), oldest change first */
  gulong             items_changed_id;
  guint              tick_id;
  gint64             next_cert_check;  /* monotonic µs */
  guint64            audit_sent;       /* audit records sent (or there before watching) */

  guint64            max_backlog;
  guint64            resume_backlog;
  gint64             behind_timeout;   /* µs */
};

G_DEFINE_FINAL_TYPE (GhAdminEvents, gh_admin_events, G_TYPE_OBJECT)

/* Sending */

/* What waits in libsoup's queue for @client; with @beyond_snapshot, not counting what
 * is left of the last snapshot. */
static guint64
client_get_backlog (Client   *client,
                    gboolean  beyond_snapshot)
{
  guint64 written;

  if (client->tls == NULL)
    return 0;

  written = gh_tls_stream_get_bytes_written (client->tls);
  if (beyond_snapshot)
    written = MAX (written, client->snapshot_end);

  return client->handed > written ? client->handed - written : 0;
}

static gboolean
client_is_open (Client *client)
{
  return client->events != NULL && !client->closing &&
         soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN;
}

/* Sends @event to @client unless it is behind or falls behind now; @always sends even
 * then (hello, snapshot, resync_required). Returns whether it was sent. */
static gboolean
client_send (Client   *client,
             Event    *event,
             gboolean  always)
{
  GhAdminEvents *self = client->events;
  char seq[24];
  gsize seq_len;
  gsize length;
  char *text;
  g_autoptr(GBytes) bytes = NULL;

  if (!client_is_open (client))
    return FALSE;

  if (!always)
    {
      if (client->behind_since != 0)
        return FALSE;

      if (client_get_backlog (client, TRUE) > self->max_backlog)
        {
          g_debug ("client %p: %" G_GUINT64_FORMAT " bytes waiting, dropping events until it catches up",
                   client, client_get_backlog (client, FALSE));
          client->behind_since = g_get_monotonic_time ();
          return FALSE;
        }
    }

  seq_len = g_snprintf (seq, sizeof seq, "%" G_GUINT64_FORMAT, client->seq + 1);
  length = event->head_len + seq_len + event->tail_len;
  text = g_malloc (length);
  memcpy (text, event->head, event->head_len);
  memcpy (text + event->head_len, seq, seq_len);
  memcpy (text + event->head_len + seq_len, event->tail, event->tail_len);
  bytes = g_bytes_new_take (text, length);

  soup_websocket_connection_send_message (client->connection, SOUP_WEBSOCKET_DATA_TEXT, bytes);
  client->seq++;
  client->handed += gh_websocket_frame_size (length, FALSE);
  return TRUE;
}

static void
client_send_snapshot (Client *client,
                      Event  *snapshot)
{
  if (client_send (client, snapshot, TRUE))
    client->snapshot_end = client->handed;
}

static void
client_close (Client     *client,
              gushort     code,
              const char *reason)
{
  if (client->closing)
    return;

  client->closing = TRUE;
  if (soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (client->connection, code, reason);
}

static GPtrArray *
copy_clients (GhAdminEvents *self)
{
  GPtrArray *clients = g_ptr_array_new_full (self->clients->len, client_unref);

  for (guint i = 0; i < self->clients->len; i++)
    g_ptr_array_add (clients, client_ref (g_ptr_array_index (self->clients, i)));

  return clients;
}

static void
broadcast (GhAdminEvents *self,
           Event         *event)
{
  g_autoptr(GPtrArray) clients = copy_clients (self);

  for (guint i = 0; i < clients->len; i++)
    client_send (g_ptr_array_index (clients, i), event, FALSE);
}

static gboolean
has_clients (GhAdminEvents *self)
{
  return self->clients != NULL && self->clients->len > 0;
}

/* Events */

static JsonNode *
dup_stats (GhAdminEvents *self)
{
  JsonNode *stats = gh_gateway_stats_to_json (self->gateway);

  return stats != NULL ? stats : json_node_new (JSON_NODE_NULL);
}

static Event *
build_snapshot (GhAdminEvents *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GListModel *model = G_LIST_MODEL (self->registry);
  guint n_sessions = g_list_model_get_n_items (model);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sessions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_sessions; i++)
    {
      g_autoptr(GhSession) session = g_list_model_get_item (model, i);

      json_builder_add_value (builder, gh_session_to_json (session));
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "stats");
  json_builder_add_value (builder, dup_stats (self));
  gh_json_add_int (builder, "config_version", gh_gateway_get_config_version (self->gateway));
  json_builder_end_object (builder);

  return event_new_take ("snapshot", json_builder_get_root (builder));
}

static Event *
build_resync_required (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  gh_json_add_string (builder, "reason", "events were dropped: too much was waiting for this client");
  json_builder_end_object (builder);

  return event_new_take ("resync_required", json_builder_get_root (builder));
}

/* Returns: (transfer full): cert.expiring events, one per key entry of the keystore
 * whose certificate expires within CERT_EXPIRING_DAYS (or has expired). */
static GPtrArray *
build_cert_expiring (GhAdminEvents *self)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) event_free);
  GhKeystore *keystore = gh_gateway_get_keystore (self->gateway);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint n_entries;

  if (keystore == NULL)
    return events;

  n_entries = g_list_model_get_n_items (G_LIST_MODEL (keystore));
  for (guint i = 0; i < n_entries; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (keystore), i);
      g_autoptr(JsonBuilder) builder = NULL;
      g_autofree char *not_after_text = NULL;
      GhCertificate *certificate;
      GDateTime *not_after;
      GTimeSpan left;
      gint64 days_left;

      if (gh_keystore_entry_get_kind (entry) != GH_KEYSTORE_ENTRY_KEY ||
          (certificate = gh_keystore_entry_get_certificate (entry)) == NULL ||
          (not_after = gh_certificate_get_not_after (certificate)) == NULL)
        continue;

      left = g_date_time_difference (not_after, now);
      if (left >= CERT_EXPIRING_DAYS * G_TIME_SPAN_DAY)
        continue;

      /* Whole days, rounded down: 0 on the last day, negative once expired. */
      days_left = left / G_TIME_SPAN_DAY;
      if (left < 0 && left % G_TIME_SPAN_DAY != 0)
        days_left--;

      not_after_text = gh_json_format_time (g_date_time_to_unix_usec (not_after));
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      gh_json_add_string (builder, "alias", gh_keystore_entry_get_alias (entry));
      gh_json_add_string (builder, "not_after", not_after_text);
      gh_json_add_int (builder, "days_left", days_left);
      json_builder_end_object (builder);
      g_ptr_array_add (events, event_new_take ("cert.expiring", json_builder_get_root (builder)));
    }

  return events;
}

/* Queues the sessions whose counters changed since they were last sent, then takes
 * the oldest changes into one session.updated; NULL when nothing changed. */
static Event *
build_session_updated (GhAdminEvents *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  guint n = 0;
  GList *link;

  for (guint i = 0; i < self->tracked->len; i++)
    {
      Tracked *tracked = g_ptr_array_index (self->tracked, i);
      Counters now;

      if (tracked->queued)
        continue;

      read_counters (tracked->session, &now);
      if (counters_equal (&now, &tracked->sent))
        continue;

      g_queue_push_tail_link (&self->dirty, &tracked->link);
      tracked->queued = TRUE;
    }

  if (g_queue_is_empty (&self->dirty))
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sessions");
  json_builder_begin_array (builder);
  while (n < MAX_UPDATED_BATCH && (link = g_queue_pop_head_link (&self->dirty)) != NULL)
    {
      Tracked *tracked = link->data;
      g_autofree char *backend = NULL;
      g_autofree char *backend_tls = NULL;
      guint backend_before = tracked->sent.backend_version;

      tracked->queued = FALSE;
      read_counters (tracked->session, &tracked->sent);
      /* A proxy session's back-end connects after session.opened: sent when it moves. */
      if (tracked->sent.backend_version != backend_before)
        gh_session_dup_backend (tracked->session, &backend, &backend_tls);

      gh_api_session_fields_add_update (&(GhApiSessionFields) {
                                          .id = gh_session_get_id (tracked->session),
                                          .state = gh_session_state_to_string (tracked->sent.state),
                                          .bytes_in = tracked->sent.bytes_in,
                                          .bytes_out = tracked->sent.bytes_out,
                                          .messages_in = tracked->sent.messages_in,
                                          .messages_out = tracked->sent.messages_out,
                                          .backend = backend,
                                          .backend_tls = backend_tls,
                                        }, builder);
      n++;
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return event_new_take ("session.updated", json_builder_get_root (builder));
}

static void
publish_session_closed (GhAdminEvents *self,
                        GhSession     *session)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(Event) event = NULL;

  json_builder_begin_object (builder);
  gh_json_add_string (builder, "id", gh_session_get_id (session));
  gh_json_add_string (builder, "reason", gh_session_get_close_reason (session));
  json_builder_end_object (builder);

  event = event_new_take ("session.closed", json_builder_get_root (builder));
  broadcast (self, event);
}

static void
publish_session_opened (GhAdminEvents *self,
                        GhSession     *session)
{
  g_autoptr(Event) event = event_new_take ("session.opened", gh_session_to_json (session));

  broadcast (self, event);
}

/* Watching the sessions */

static void
on_sessions_changed (GListModel    *model,
                     guint          position,
                     guint          removed,
                     guint          added,
                     GhAdminEvents *self)
{
  gboolean publish = has_clients (self);

  g_assert (self->tracked != NULL);
  g_assert (position + removed <= self->tracked->len);

  for (guint i = 0; i < removed; i++)
    {
      Tracked *tracked = g_ptr_array_index (self->tracked, position + i);

      if (tracked->queued)
        {
          g_queue_unlink (&self->dirty, &tracked->link);
          tracked->queued = FALSE;
        }
      if (publish)
        publish_session_closed (self, tracked->session);
    }
  if (removed > 0)
    g_ptr_array_remove_range (self->tracked, position, removed);

  for (guint i = 0; i < added; i++)
    {
      GhSession *session = g_list_model_get_item (model, position + i);

      g_ptr_array_insert (self->tracked, position + i, tracked_new (session));
      if (publish)
        publish_session_opened (self, session);
    }
}

static void stop_watching (GhAdminEvents *self);

static gboolean
on_tick (gpointer user_data)
{
  GhAdminEvents *self = user_data;
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(Event) snapshot = NULL;
  g_autoptr(Event) resync = NULL;
  g_autoptr(Event) stats = NULL;
  g_autoptr(Event) updated = NULL;
  gint64 now = g_get_monotonic_time ();

  if (!has_clients (self))
    {
      self->tick_id = 0;
      stop_watching (self);
      return G_SOURCE_REMOVE;
    }

  /* Clients behind: caught up, or given up on. */
  clients = copy_clients (self);
  for (guint i = 0; i < clients->len; i++)
    {
      Client *client = g_ptr_array_index (clients, i);

      if (client->behind_since == 0 || !client_is_open (client))
        continue;

      if (client_get_backlog (client, FALSE) < self->resume_backlog)
        {
          if (snapshot == NULL)
            {
              snapshot = build_snapshot (self);
              resync = build_resync_required ();
            }
          client->behind_since = 0;
          client_send (client, resync, TRUE);
          client_send_snapshot (client, snapshot);
        }
      else if (now - client->behind_since > self->behind_timeout)
        {
          g_debug ("client %p: behind for too long, closing", client);
          client_close (client, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "the client does not read its events");
        }
    }

  stats = event_new_take ("stats.tick", dup_stats (self));
  broadcast (self, stats);

  if ((updated = build_session_updated (self)) != NULL)
    broadcast (self, updated);

  if (self->audit != NULL && gh_admin_audit_get_count (self->audit) > self->audit_sent)
    {
      g_autoptr(Event) audit = event_new_take ("audit", gh_admin_audit_since (self->audit, self->audit_sent,
                                                                              MAX_AUDIT_BATCH));

      self->audit_sent = gh_admin_audit_get_count (self->audit);
      broadcast (self, audit);
    }

  if (now >= self->next_cert_check)
    {
      g_autoptr(GPtrArray) expiring = build_cert_expiring (self);

      for (guint i = 0; i < expiring->len; i++)
        broadcast (self, g_ptr_array_index (expiring, i));
      self->next_cert_check = now + G_TIME_SPAN_DAY;
    }

  return G_SOURCE_CONTINUE;
}

static void
start_watching (GhAdminEvents *self)
{
  GListModel *model = G_LIST_MODEL (self->registry);
  guint n_sessions;

  if (self->tracked != NULL)
    return;

  n_sessions = g_list_model_get_n_items (model);
  self->tracked = g_ptr_array_new_full (n_sessions, tracked_free);
  for (guint i = 0; i < n_sessions; i++)
    g_ptr_array_add (self->tracked, tracked_new (g_list_model_get_item (model, i)));

  self->items_changed_id = g_signal_connect (self->registry, "items-changed",
                                             G_CALLBACK (on_sessions_changed), self);
  self->next_cert_check = g_get_monotonic_time () + G_TIME_SPAN_DAY;
  /* What came before is GET /audit's. */
  self->audit_sent = self->audit != NULL ? gh_admin_audit_get_count (self->audit) : 0;
  self->tick_id = g_timeout_add_seconds (1, on_tick, self);
}

static void
stop_watching (GhAdminEvents *self)
{
  GList *link;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_signal_handler (&self->items_changed_id, self->registry);

  /* The links are embedded in the Tracked: unlink them, never free them. */
  while ((link = g_queue_pop_head_link (&self->dirty)) != NULL)
    ((Tracked *) link->data)->queued = FALSE;
  g_clear_pointer (&self->tracked, g_ptr_array_unref);
}

/* Clients */

static void
on_client_message (SoupWebsocketConnection *connection,
                   gint                     type,
                   GBytes                  *message,
                   gpointer                 user_data)
{
  Client *client = user_data;

  g_debug ("client %p sent a message: closing", client);
  client_close (client, SOUP_WEBSOCKET_CLOSE_UNSUPPORTED_DATA, "the event stream only sends");
}

static void
on_client_closed (SoupWebsocketConnection *connection,
                  gpointer                 user_data)
{
  Client *client = user_data;
  GhAdminEvents *self = client->events;

  g_assert (self != NULL);

  /* Releases the client, and so disconnects this handler. */
  g_ptr_array_remove (self->clients, client);
}

/**
 * gh_admin_events_new:
 * @gateway: the gateway whose events to stream; it must outlive the result
 * @audit: (nullable): the admin API's audit records, sent as "audit" events
 *
 * Returns: (transfer full): a new #GhAdminEvents
 */
GhAdminEvents *
gh_admin_events_new (GhGateway    *gateway,
                     GhAdminAudit *audit)
{
  GhAdminEvents *self;

  g_return_val_if_fail (GH_IS_GATEWAY (gateway), NULL);
  g_return_val_if_fail (audit == NULL || GH_IS_ADMIN_AUDIT (audit), NULL);

  self = g_object_new (GH_TYPE_ADMIN_EVENTS, NULL);
  self->gateway = gateway;
  self->registry = g_object_ref (gh_gateway_get_sessions (gateway));
  g_set_object (&self->audit, audit);
  return self;
}

/**
 * gh_admin_events_add_client:
 * @self: a #GhAdminEvents
 * @connection: an accepted WebSocket, subprotocol negotiated
 * @tls: (nullable): the client's TLS stream, for the backlog accounting; %NULL for none
 * @hello_data: (transfer full): the "data" of the hello message
 *
 * Takes over @connection: sends hello, the snapshot, the keystore's certificates that
 * expire soon, then the gateway's events, until the client or gh_admin_events_close_all()
 * closes it. A message from the client closes the stream (1003).
 */
void
gh_admin_events_add_client (GhAdminEvents           *self,
                            SoupWebsocketConnection *connection,
                            GhTlsStream             *tls,
                            JsonNode                *hello_data)
{
  g_autoptr(JsonNode) hello_node = hello_data;
  g_autoptr(Event) hello = NULL;
  g_autoptr(Event) snapshot = NULL;
  g_autoptr(GPtrArray) expiring = NULL;
  Client *client;

  g_return_if_fail (GH_IS_ADMIN_EVENTS (self));
  g_return_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (connection));
  g_return_if_fail (tls == NULL || GH_IS_TLS_STREAM (tls));
  g_return_if_fail (self->clients != NULL);

  if (soup_websocket_connection_get_state (connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return;

  client = g_rc_box_new0 (Client);
  client->events = self;
  client->connection = g_object_ref (connection);
  /* With a compressing extension, the bytes handed are not the bytes written. (The
   * admin server negotiates none.) */
  if (tls != NULL && soup_websocket_connection_get_extensions (connection) == NULL)
    {
      client->tls = g_object_ref (tls);
      client->handed = gh_tls_stream_get_bytes_written (tls);
      client->snapshot_end = client->handed;
    }
  client->message_id = g_signal_connect (connection, "message", G_CALLBACK (on_client_message), client);
  client->closed_id = g_signal_connect (connection, "closed", G_CALLBACK (on_client_closed), client);
  g_ptr_array_add (self->clients, client);

  start_watching (self);

  hello = event_new ("hello", hello_node);
  client_send (client, hello, TRUE);

  snapshot = build_snapshot (self);
  client_send_snapshot (client, snapshot);

  expiring = build_cert_expiring (self);
  for (guint i = 0; i < expiring->len; i++)
    client_send (client, g_ptr_array_index (expiring, i), FALSE);
}

/**
 * gh_admin_events_publish:
 * @self: a #GhAdminEvents
 * @type: the event's type, e.g. "config.changed"
 * @data: (transfer full) (nullable): its data
 *
 * Sends an event the gateway does not watch itself (config.changed, service.state,
 * cert.reloaded, backend.health) to every client.
 */
void
gh_admin_events_publish (GhAdminEvents *self,
                         const char    *type,
                         JsonNode      *data)
{
  g_autoptr(JsonNode) owned = data;
  g_autoptr(Event) event = NULL;

  g_return_if_fail (GH_IS_ADMIN_EVENTS (self));
  g_return_if_fail (event_type_is_valid (type));

  if (!has_clients (self))
    return;

  event = event_new (type, owned);
  broadcast (self, event);
}

/**
 * gh_admin_events_get_n_clients:
 * @self: a #GhAdminEvents
 *
 * Returns: how many clients are served: connected and not being closed
 */
guint
gh_admin_events_get_n_clients (GhAdminEvents *self)
{
  guint n = 0;

  g_return_val_if_fail (GH_IS_ADMIN_EVENTS (self), 0);

  for (guint i = 0; self->clients != NULL && i < self->clients->len; i++)
    if (client_is_open (g_ptr_array_index (self->clients, i)))
      n++;

  return n;
}

/**
 * gh_admin_events_close_all:
 * @self: a #GhAdminEvents
 *
 * Closes every client's stream (1001, going away).
 */
void
gh_admin_events_close_all (GhAdminEvents *self)
{
  g_autoptr(GPtrArray) clients = NULL;

  g_return_if_fail (GH_IS_ADMIN_EVENTS (self));

  if (self->clients == NULL)
    return;

  clients = copy_clients (self);
  for (guint i = 0; i < clients->len; i++)
    client_close (g_ptr_array_index (clients, i), SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "the gateway is stopping");
}

void
_gh_admin_events_set_limits (GhAdminEvents *self,
                             gsize          max_backlog,
                             gsize          resume_backlog,
                             guint          behind_timeout_ms)
{
  g_return_if_fail (GH_IS_ADMIN_EVENTS (self));
  g_return_if_fail (resume_backlog <= max_backlog);

  self->max_backlog = max_backlog;
  self->resume_backlog = resume_backlog;
  self->behind_timeout = (gint64) behind_timeout_ms * 1000;
}

static void
gh_admin_events_dispose (GObject *object)
{
  GhAdminEvents *self = GH_ADMIN_EVENTS (object);

  if (self->clients != NULL)
    gh_admin_events_close_all (self);
  g_clear_pointer (&self->clients, g_ptr_array_unref);
  stop_watching (self);
  g_clear_object (&self->registry);
  g_clear_object (&self->audit);

  G_OBJECT_CLASS (gh_admin_events_parent_class)->dispose (object);
}

static void
gh_admin_events_class_init (GhAdminEventsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gh_admin_events_dispose;
}

static void
gh_admin_events_init (GhAdminEvents *self)
{
  self->clients = g_ptr_array_new_with_free_func (client_release);
  g_queue_init (&self->dirty);
  self->max_backlog = DEFAULT_MAX_BACKLOG;
  self->resume_backlog = DEFAULT_RESUME_BACKLOG;
  self->behind_timeout = (gint64) DEFAULT_BEHIND_TIMEOUT_MS * 1000;
}
