/* gh-event-stream.c — the admin API's event stream kept as live models
 *
 * One WebSocket at a time. Each connection starts unsynchronised: session events are
 * ignored until a snapshot has replaced the model, and again after resync_required.
 * A closed stream, a skipped seq or an envelope that is not the contract's drops the
 * connection; the next attempt waits 0.5 s, doubling up to 30 s, each delay drawn
 * between half and all of it (jitter), and the wait starts over once a snapshot
 * arrives.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-event-stream"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "gh-admin-client-private.h"
#include "gh-api-private.h"
#include "gh-api-session-list.h"
#include "gh-event-stream-private.h"

#define SUBPROTOCOL        "gatehouse.v1"
#define BACKOFF_FIRST_MS   500
#define BACKOFF_MAX_MS     30000
/* A snapshot comes whole: about 250 bytes a session, 25 MB for 100k sessions. */
#define MAX_MESSAGE_SIZE   (256 * 1024 * 1024)

struct _GhEventStream
{
  GObject                  parent_instance;

  GhAdminClient           *client;
  GhEventStreamState       state;
  GError                  *last_error;

  gboolean                 running;
  GCancellable            *cancellable;    /* of the connection attempt */
  SoupWebsocketConnection *connection;
  guint                    reconnect_id;
  guint                    attempt;        /* failed attempts since the last snapshot */

  gint64                   next_seq;       /* -1: none seen yet on this connection */
  gboolean                 synchronized;   /* a snapshot applied, no resync pending */

  GhApiSessionList        *sessions;       /* of GhApiSession, by id */
  GListStore              *history;        /* of GhApiStats */
  guint                    history_size;
  GhApiStats              *stats;
  gint64                   config_version;
  guint                    n_synchronizations;
};

G_DEFINE_ENUM_TYPE (GhEventStreamState, gh_event_stream_state,
                    G_DEFINE_ENUM_VALUE (GH_EVENT_STREAM_DISCONNECTED, "disconnected"),
                    G_DEFINE_ENUM_VALUE (GH_EVENT_STREAM_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (GH_EVENT_STREAM_CONNECTED, "connected"),
                    G_DEFINE_ENUM_VALUE (GH_EVENT_STREAM_RECONNECTING, "reconnecting"))

G_DEFINE_FINAL_TYPE (GhEventStream, gh_event_stream, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_STATE,
  PROP_HISTORY_SIZE,
  PROP_CONFIG_VERSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  EVENT,
  MESSAGE,
  SYNCHRONIZED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void connect_now (GhEventStream *self);

static void
set_state (GhEventStream      *self,
           GhEventStreamState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_config_version (GhEventStream *self,
                    gint64         version)
{
  if (self->config_version == version)
    return;

  self->config_version = version;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIG_VERSION]);
}

/* Unreferenced from the main loop: the connection may be emitting the signal that
 * made us drop it. */
static gboolean
unref_later (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

static void
drop_connection (GhEventStream *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      if (soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_idle_add (unref_later, g_steal_pointer (&self->connection));
    }

  self->synchronized = FALSE;
  self->next_seq = -1;
}

static gboolean
on_reconnect_timeout (gpointer user_data)
{
  GhEventStream *self = user_data;

  self->reconnect_id = 0;
  connect_now (self);

  return G_SOURCE_REMOVE;
}

/* Drops the connection (taking @error as the reason) and plans the next attempt. */
static void
reconnect_later (GhEventStream *self,
                 GError        *error)
{
  guint delay;

  drop_connection (self);

  if (error != NULL)
    {
      g_clear_error (&self->last_error);
      self->last_error = error;
      g_debug ("event stream lost: %s", error->message);
    }

  if (!self->running)
    return;

  delay = BACKOFF_FIRST_MS;
  for (guint i = 0; i < self->attempt && delay < BACKOFF_MAX_MS; i++)
    delay *= 2;
  delay = MIN (delay, BACKOFF_MAX_MS);
  delay = delay / 2 + g_random_int_range (0, (gint32) (delay / 2) + 1);
  self->attempt++;

  set_state (self, GH_EVENT_STREAM_RECONNECTING);
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  self->reconnect_id = g_timeout_add (delay, on_reconnect_timeout, self);
}

/* The model */

static void
replace_sessions (GhEventStream *self,
                  GPtrArray     *fresh)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  /* Keep the objects of sessions still there (rows keep their widgets), with the new
   * description; everything else goes, in one change of the model. */
  for (guint i = 0; i < fresh->len; i++)
    {
      GhApiSession *session = g_ptr_array_index (fresh, i);
      GhApiSession *known = gh_api_session_list_lookup (self->sessions, gh_api_session_get_id (session));

      if (known != NULL)
        {
          gh_api_session_update_from_session (known, session);
          session = known;
        }
      g_ptr_array_add (items, g_object_ref (session));
    }

  gh_api_session_list_replace_all (self->sessions, items);
}

static void
add_session (GhEventStream *self,
             GhApiSession  *session)
{
  GhApiSession *known = gh_api_session_list_lookup (self->sessions, gh_api_session_get_id (session));

  if (known != NULL)
    gh_api_session_update_from_session (known, session);
  else
    gh_api_session_list_append (self->sessions, session);
}

static void
remove_session (GhEventStream *self,
                const char    *id,
                const char    *reason)
{
  g_autoptr(GhApiSession) known = NULL;

  known = gh_api_session_list_lookup (self->sessions, id);
  if (known == NULL)
    return;

  /* Whoever holds the row sees how it ended. */
  g_object_ref (known);
  gh_api_session_set_state (known, "closed");
  if (reason != NULL)
    gh_api_session_set_close_reason (known, reason);
  gh_api_session_list_remove (self->sessions, id);
}

static void
push_stats (GhEventStream *self,
            GhApiStats    *stats,
            gboolean       tick)
{
  g_set_object (&self->stats, stats);

  if (!tick)
    return;

  g_list_store_append (self->history, stats);
  while (g_list_model_get_n_items (G_LIST_MODEL (self->history)) > self->history_size)
    g_list_store_remove (self->history, 0);
}

/* Events */

static gboolean
apply_snapshot (GhEventStream  *self,
                JsonObject     *data,
                GError        **error)
{
  JsonArray *array = NULL;
  JsonObject *stats_object = NULL;
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GhApiStats) stats = NULL;
  gint64 config_version = self->config_version;

  if (!_gh_api_get_array (data, "snapshot", "sessions", GH_API_REQUIRED, &array, error) ||
      !_gh_api_get_object (data, "snapshot", "stats", GH_API_NULLABLE, &stats_object, error) ||
      !_gh_api_get_int (data, "snapshot", "config_version", GH_API_NULLABLE, &config_version, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      GhApiSession *session = gh_api_session_new_from_json (json_array_get_element (array, i), error);

      if (session == NULL)
        return FALSE;
      g_ptr_array_add (sessions, session);
    }

  if (stats_object != NULL &&
      (stats = gh_api_stats_new_from_json (json_object_get_member (data, "stats"), error)) == NULL)
    return FALSE;

  /* Everything read: apply at once. */
  replace_sessions (self, sessions);
  if (stats != NULL)
    push_stats (self, stats, FALSE);
  set_config_version (self, config_version);

  self->synchronized = TRUE;
  self->attempt = 0;
  self->n_synchronizations++;
  g_clear_error (&self->last_error);
  set_state (self, GH_EVENT_STREAM_CONNECTED);
  g_signal_emit (self, signals[SYNCHRONIZED], 0);

  return TRUE;
}

static gboolean
apply_session_updates (GhEventStream  *self,
                       JsonObject     *data,
                       GError        **error)
{
  JsonArray *array = NULL;

  if (!_gh_api_get_array (data, "session.updated", "sessions", GH_API_REQUIRED, &array, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *entry = json_array_get_element (array, i);
      JsonObject *object = _gh_api_node_get_object (entry, "session update", error);
      g_autofree char *id = NULL;
      GhApiSession *known;

      if (object == NULL ||
          !_gh_api_get_string (object, "session update", "id", GH_API_REQUIRED, &id, error))
        return FALSE;

      /* An update of a session not (or no longer) in the model: a race with its close. */
      known = gh_api_session_list_lookup (self->sessions, id);
      if (known != NULL && !gh_api_session_update_from_json (known, entry, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
handle_event (GhEventStream  *self,
              const char     *type,
              JsonNode       *data_node,
              GError        **error)
{
  JsonObject *data = NULL;

  if (g_str_equal (type, "hello"))
    {
      gint64 version = self->config_version;

      if ((data = _gh_api_node_get_object (data_node, "hello", error)) == NULL ||
          !_gh_api_get_int (data, "hello", "config_version", GH_API_NULLABLE, &version, error))
        return FALSE;
      set_config_version (self, version);
      return TRUE;
    }

  if (g_str_equal (type, "snapshot"))
    return (data = _gh_api_node_get_object (data_node, "snapshot", error)) != NULL &&
           apply_snapshot (self, data, error);

  if (g_str_equal (type, "resync_required"))
    {
      self->synchronized = FALSE;
      return TRUE;
    }

  if (g_str_equal (type, "stats.tick"))
    {
      g_autoptr(GhApiStats) stats = gh_api_stats_new_from_json (data_node, error);

      if (stats == NULL)
        return FALSE;
      push_stats (self, stats, TRUE);
      return TRUE;
    }

  if (g_str_has_prefix (type, "session."))
    {
      /* Until a snapshot has set the model, it would only put rows in and out of it
       * that the snapshot replaces; the contract's snapshot comes right after. */
      if (!self->synchronized)
        return TRUE;

      if (g_str_equal (type, "session.opened"))
        {
          g_autoptr(GhApiSession) session = gh_api_session_new_from_json (data_node, error);

          if (session == NULL)
            return FALSE;
          add_session (self, session);
          return TRUE;
        }

      if (g_str_equal (type, "session.updated"))
        return (data = _gh_api_node_get_object (data_node, "session.updated", error)) != NULL &&
               apply_session_updates (self, data, error);

      if (g_str_equal (type, "session.closed"))
        {
          g_autofree char *id = NULL, *reason = NULL;

          if ((data = _gh_api_node_get_object (data_node, "session.closed", error)) == NULL ||
              !_gh_api_get_string (data, "session.closed", "id", GH_API_REQUIRED, &id, error) ||
              !_gh_api_get_string (data, "session.closed", "reason", GH_API_NULLABLE, &reason, error))
            return FALSE;
          remove_session (self, id, reason);
          return TRUE;
        }
    }

  if (g_str_equal (type, "config.changed"))
    {
      gint64 version = self->config_version;

      if ((data = _gh_api_node_get_object (data_node, "config.changed", error)) == NULL ||
          !_gh_api_get_int (data, "config.changed", "version", GH_API_NULLABLE, &version, error))
        return FALSE;
      set_config_version (self, version);
    }

  /* try_string: a detail nobody connected to has no quark, and the peer's type names
   * must not grow the quark table. */
  g_signal_emit (self, signals[EVENT], g_quark_try_string (type), type, data_node);
  return TRUE;
}

gboolean
_gh_event_stream_handle_text (GhEventStream  *self,
                              const char     *text,
                              gsize           length,
                              GError        **error)
{
  /* Not json_parser_new_immutable(): json-glib 1.10 aborts in get_root() on some
   * inputs it reads ("9{…}"), and the answer is the peer's to choose. */
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *envelope;
  g_autofree char *type = NULL;
  gint64 v = 0, seq = -1;

  g_return_val_if_fail (GH_IS_EVENT_STREAM (self), FALSE);

  if (!json_parser_load_from_data (parser, text != NULL ? text : "", length, &local_error))
    {
      _gh_api_set_protocol_error (error, "an event is not JSON: %s", local_error->message);
      return FALSE;
    }

  envelope = _gh_api_node_get_object (json_parser_get_root (parser), "event", error);
  if (envelope == NULL ||
      !_gh_api_get_int (envelope, "event", "v", GH_API_REQUIRED, &v, error) ||
      !_gh_api_get_string (envelope, "event", "type", GH_API_REQUIRED, &type, error) ||
      !_gh_api_get_int (envelope, "event", "seq", GH_API_REQUIRED, &seq, error))
    return FALSE;

  if (v != 1)
    {
      _gh_api_set_protocol_error (error, "event version %" G_GINT64_FORMAT " is not 1", v);
      return FALSE;
    }

  /* A gap means events were lost: only a new snapshot can tell the truth. */
  if (self->next_seq >= 0 && seq != self->next_seq)
    {
      g_set_error (error, GH_API_ERROR, GH_API_ERROR_PROTOCOL,
                   _("Events were lost (seq %" PRId64 " after %" PRId64 "): resynchronising"),
                   seq, self->next_seq - 1);
      return FALSE;
    }
  self->next_seq = seq < G_MAXINT64 ? seq + 1 : -1;

  g_signal_emit (self, signals[MESSAGE], 0, json_parser_get_root (parser));

  if (!handle_event (self, type, json_object_get_member (envelope, "data"), error))
    {
      g_prefix_error (error, "%s: ", type);
      return FALSE;
    }

  return TRUE;
}

static void
on_message (SoupWebsocketConnection *connection,
            gint                     data_type,
            GBytes                  *message,
            gpointer                 user_data)
{
  GhEventStream *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) hold = g_object_ref (G_OBJECT (self));
  gsize size;
  const char *text = g_bytes_get_data (message, &size);

  if (data_type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      _gh_api_set_protocol_error (&error, "an event is not a text frame");
      reconnect_later (self, g_steal_pointer (&error));
      return;
    }

  if (!_gh_event_stream_handle_text (self, text, size, &error))
    reconnect_later (self, g_steal_pointer (&error));
}

static void
on_closed (SoupWebsocketConnection *connection,
           gpointer                 user_data)
{
  GhEventStream *self = user_data;
  const char *data = soup_websocket_connection_get_close_data (connection);
  gushort code = soup_websocket_connection_get_close_code (connection);

  reconnect_later (self, g_error_new (GH_API_ERROR, GH_API_ERROR_UNREACHABLE,
                                      _("The gateway closed the event stream (%u%s%s)"),
                                      code, data != NULL && data[0] != '\0' ? ": " : "",
                                      data != NULL ? data : ""));
}

static void
on_error (SoupWebsocketConnection *connection,
          GError                  *error,
          gpointer                 user_data)
{
  GhEventStream *self = user_data;

  g_clear_error (&self->last_error);
  self->last_error = g_error_copy (error);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SoupMessage) message = user_data;
  GhEventStream *self;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (connection == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* stopped, or dropped: self may be gone */

  self = g_object_get_data (G_OBJECT (message), "gh-event-stream");
  g_assert (GH_IS_EVENT_STREAM (self));

  g_clear_object (&self->cancellable);

  if (connection == NULL)
    {
      /* Refused with an HTTP status (a role, a Host): say what the gateway said. */
      if (soup_message_get_status (message) >= 400)
        reconnect_later (self, _gh_admin_client_problem_error (message, NULL));
      else
        reconnect_later (self, _gh_admin_client_translate_error (self->client, message, g_steal_pointer (&error)));
      return;
    }

  self->connection = connection;
  self->next_seq = -1;
  self->synchronized = FALSE;
  soup_websocket_connection_set_max_incoming_payload_size (connection, MAX_MESSAGE_SIZE);
  soup_websocket_connection_set_keepalive_interval (connection, 20);
  g_signal_connect (connection, "message", G_CALLBACK (on_message), self);
  g_signal_connect (connection, "closed", G_CALLBACK (on_closed), self);
  g_signal_connect (connection, "error", G_CALLBACK (on_error), self);
}

static void
connect_now (GhEventStream *self)
{
  g_autofree char *url = _gh_admin_client_dup_url (self->client, "events", FALSE);
  SoupMessage *message;
  const char *protocols[] = { SUBPROTOCOL, NULL };

  drop_connection (self);

  message = _gh_admin_client_new_message (self->client, "GET", url);
  if (message == NULL)
    {
      self->running = FALSE;
      g_clear_error (&self->last_error);
      self->last_error = g_error_new (GH_API_ERROR, GH_API_ERROR_UNREACHABLE,
                                      _("“%s” is not an https:// URL of a gateway"),
                                      gh_admin_client_get_base_url (self->client));
      set_state (self, GH_EVENT_STREAM_DISCONNECTED);
      return;
    }

  if (self->state != GH_EVENT_STREAM_RECONNECTING)
    set_state (self, GH_EVENT_STREAM_CONNECTING);

  /* The message outlives a dropped stream; it knows its stream only while running. */
  g_object_set_data (G_OBJECT (message), "gh-event-stream", self);
  self->cancellable = g_cancellable_new ();
  soup_session_websocket_connect_async (_gh_admin_client_get_session (self->client), message, NULL,
                                        (char **) protocols, G_PRIORITY_DEFAULT, self->cancellable,
                                        on_connected, message);
}

/* GObject */

static void
gh_event_stream_dispose (GObject *object)
{
  GhEventStream *self = GH_EVENT_STREAM (object);

  self->running = FALSE;
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  drop_connection (self);

  G_OBJECT_CLASS (gh_event_stream_parent_class)->dispose (object);
}

static void
gh_event_stream_finalize (GObject *object)
{
  GhEventStream *self = GH_EVENT_STREAM (object);

  g_clear_object (&self->client);
  g_clear_error (&self->last_error);
  g_clear_object (&self->sessions);
  g_clear_object (&self->history);
  g_clear_object (&self->stats);

  G_OBJECT_CLASS (gh_event_stream_parent_class)->finalize (object);
}

static void
gh_event_stream_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GhEventStream *self = GH_EVENT_STREAM (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_HISTORY_SIZE:
      g_value_set_uint (value, self->history_size);
      break;

    case PROP_CONFIG_VERSION:
      g_value_set_int64 (value, self->config_version);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_event_stream_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GhEventStream *self = GH_EVENT_STREAM (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    case PROP_HISTORY_SIZE:
      gh_event_stream_set_history_size (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_event_stream_class_init (GhEventStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_event_stream_dispose;
  object_class->finalize = gh_event_stream_finalize;
  object_class->get_property = gh_event_stream_get_property;
  object_class->set_property = gh_event_stream_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, GH_TYPE_ADMIN_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, GH_TYPE_EVENT_STREAM_STATE, GH_EVENT_STREAM_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HISTORY_SIZE] =
    g_param_spec_uint ("history-size", NULL, NULL, 1, 100000, GH_EVENT_STREAM_DEFAULT_HISTORY,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CONFIG_VERSION] =
    g_param_spec_int64 ("config-version", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GhEventStream::event:
   * @type: the event's type: "config.changed", "cert.expiring", …
   * @data: (nullable): the event's data
   *
   * The events that do not change the stream's models. Detailed by the type.
   */
  signals[EVENT] = g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                 G_TYPE_STRING, JSON_TYPE_NODE);

  /**
   * GhEventStream::synchronized:
   *
   * A snapshot was applied: the models are exact.
   */
  /**
   * GhEventStream::message:
   * @envelope: the whole event, `{v, type, seq, ts, data}`, as the gateway sent it
   *
   * Every event of the contract, in order, before it is applied to the models.
   */
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_NODE);

  signals[SYNCHRONIZED] = g_signal_new ("synchronized", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gh_event_stream_init (GhEventStream *self)
{
  self->sessions = gh_api_session_list_new ();
  self->history = g_list_store_new (GH_TYPE_API_STATS);
  self->history_size = GH_EVENT_STREAM_DEFAULT_HISTORY;
  self->next_seq = -1;
}

GhEventStream *
gh_event_stream_new (GhAdminClient *client)
{
  g_return_val_if_fail (GH_IS_ADMIN_CLIENT (client), NULL);

  return g_object_new (GH_TYPE_EVENT_STREAM, "client", client, NULL);
}

void
gh_event_stream_start (GhEventStream *self)
{
  g_return_if_fail (GH_IS_EVENT_STREAM (self));

  if (self->running)
    return;

  self->running = TRUE;
  self->attempt = 0;
  set_state (self, GH_EVENT_STREAM_CONNECTING);
  connect_now (self);
}

void
gh_event_stream_stop (GhEventStream *self)
{
  g_return_if_fail (GH_IS_EVENT_STREAM (self));

  self->running = FALSE;
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  drop_connection (self);
  set_state (self, GH_EVENT_STREAM_DISCONNECTED);
}

GhAdminClient *
gh_event_stream_get_client (GhEventStream *self)
{
  g_return_val_if_fail (GH_IS_EVENT_STREAM (self), NULL);
  return self->client;
}

GhEventStreamState
gh_event_stream_get_state (GhEventStream *self)
{
  g_return_val_if_fail (GH_IS_EVENT_STREAM (self), GH_EVENT_STREAM_DISCONNECTED);
  return self->state;
}

const GError *
gh_event_stream_get_last_error (GhEventStream *self)
{
  g_return_val_if_fail (GH_IS_EVENT_STREAM (self), NULL);
  return self->last_error;
}

GListModel *
gh_event_stream_get_sessions (GhEventStream *self)
{
  g_return_val_if_fail (GH_IS_EVENT_STREAM (self), NULL);
  return G_LIST_MODEL (self->sessions);
}

/**
 * gh_event_stream_lookup_session:
 * @self: a #GhEventStream
 * @id: a session id
 *
 * Returns: (transfer none) (nullable): the live session
 */
GhApiSession *
gh_event_stream_lookup_session (GhEventStream *self,
                                const char    *id)
{
  g_return_val_if_fail (GH_IS_EVENT_STREAM (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return gh_api_session_list_lookup (self->sessions, id);
}

GListModel *
gh_event_stream_get_stats_history (GhEventStream *self)
{
  g_return_val_if_fail (GH_IS_EVENT_STREAM (self), NULL);
  return G_LIST_MODEL (self->history);
}

guint
gh_event_stream_get_history_size (GhEventStream *self)
{
  g_return_val_if_fail (GH_IS_EVENT_STREAM (self), 0);
  return self->history_size;
}

void
gh_event_stream_set_history_size (GhEventStream *self,
                                  guint          size)
{
  g_return_if_fail (GH_IS_EVENT_STREAM (self));
  g_return_if_fail (size > 0);

  if (self->history_size == size)
    return;

  self->history_size = size;
  while (g_list_model_get_n_items (G_LIST_MODEL (self->history)) > size)
    g_list_store_remove (self->history, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY_SIZE]);
}

/**
 * gh_event_stream_get_stats:
 * @self: a #GhEventStream
 *
 * Returns: (transfer none) (nullable): the newest stats
 */
GhApiStats *
gh_event_stream_get_stats (GhEventStream *self)
{
  g_return_val_if_fail (GH_IS_EVENT_STREAM (self), NULL);
  return self->stats;
}

gint64
gh_event_stream_get_config_version (GhEventStream *self)
{
  g_return_val_if_fail (GH_IS_EVENT_STREAM (self), 0);
  return self->config_version;
}

guint
gh_event_stream_get_n_synchronizations (GhEventStream *self)
{
  g_return_val_if_fail (GH_IS_EVENT_STREAM (self), 0);
  return self->n_synchronizations;
}
