/* gh-bridge.c — carries one session's traffic between the client and the back-end
 *
 * Messages and bytes: WebSocket to WebSocket goes message by message; WebSocket to a
 * byte stream sends each message's payload as bytes, and each chunk read from the
 * stream as one binary message, as the KAAZING proxy does.
 *
 * The reason a session closed says what happened: a side that closed (a WebSocket close
 * frame, the end of a byte stream), a side that went away without closing, or a
 * connection that failed, with its error (a refused TLS renegotiation is one).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-bridge"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-bridge.h"
#include "gh-websocket-client.h"

#define READ_SIZE 16384

typedef struct _GhBridge GhBridge;

struct _GhEndpoint
{
  GhBridge                *bridge;
  GhEndpoint              *peer;      /* where what this side reads goes */
  gboolean                 is_client;

  GIOStream               *stream;
  SoupWebsocketConnection *websocket;
  gulong                   message_handler;
  gulong                   closed_handler;
  gulong                   error_handler;
  char                    *error;     /* the first error its WebSocket reported */

  GCancellable            *cancellable;
  gboolean                 reading;
  gboolean                 read_paused;
  gboolean                 closed;

  GQueue                   early;     /* WebSocket messages before the bridge started */
  gboolean                 early_text;
  gboolean                 closed_early;
  GQueue                   queue;     /* of GBytes waiting to be written */
  guint64                  pending;   /* bytes in the queue */
  gboolean                 writing;

  /* A WebSocket on a metered stream: what waits in libsoup's queue is what was handed
   * to it minus what the connection took, and its reading can be held back. */
  GhMeteredStream         *metered;
  gulong                   frame_error_handler;
  char                    *violation;     /* how the peer broke the protocol, for the log */
  guint                    violation_code;
  guint64                  handed;        /* counted as the stream counts what it wrote */
  gboolean                 masked;        /* our frames are a client's */
  gboolean                 input_paused;  /* held back: its peer is behind */
};

struct _GhBridge
{
  GhSession  *session;
  GhEndpoint *client;
  GhEndpoint *backend;    /* NULL for echo */
  guint64     max_pending;
  guint       idle_timeout;
  GSource    *drain_source;   /* while an end waits for a WebSocket peer to catch up */
  GList       idle_link;      /* in its thread's IdleSweep while it has a timeout */
  gboolean    idle_linked;
  gint64      last_activity;  /* monotonic µs */
  gulong      close_handler;
  gboolean    closing;
  guint       open_ends;
};

GhEndpoint *
gh_endpoint_new_stream (GIOStream *stream)
{
  GhEndpoint *endpoint = g_new0 (GhEndpoint, 1);

  endpoint->stream = g_object_ref (stream);
  endpoint->cancellable = g_cancellable_new ();
  g_queue_init (&endpoint->queue);
  return endpoint;
}

static void on_websocket_message (SoupWebsocketConnection *websocket, SoupWebsocketDataType type,
                                  GBytes *message, gpointer user_data);
static void on_websocket_closed (SoupWebsocketConnection *websocket, gpointer user_data);

/* @endpoint's peer sent bad frames: @code (1002, 1007 or 1009) is what the close frame
 * told it, @what is for the log. */
static void
endpoint_set_violation (GhEndpoint *endpoint,
                        guint       code,
                        const char *what)
{
  if (endpoint->violation != NULL)
    return;
  endpoint->violation = g_strdup (what);
  endpoint->violation_code = code;
}

static char *
violation_reason (GhEndpoint *endpoint)
{
  guint code = endpoint->violation_code;
  const char *what = endpoint->violation;

  if (code == SOUP_WEBSOCKET_CLOSE_TOO_BIG)
    return endpoint->is_client ? g_strdup_printf (_("the client sent a message too big (%u): %s"), code, what)
                               : g_strdup_printf (_("the back-end sent a message too big (%u): %s"), code, what);
  return endpoint->is_client ? g_strdup_printf (_("the client broke the WebSocket protocol (%u): %s"), code, what)
                             : g_strdup_printf (_("the back-end broke the WebSocket protocol (%u): %s"), code, what);
}

static void
on_websocket_error (SoupWebsocketConnection *websocket,
                    GError                  *error,
                    gpointer                 user_data)
{
  GhEndpoint *endpoint = user_data;

  /* libsoup's own checks: its error code is the close code it sent */
  if (error->domain == SOUP_WEBSOCKET_ERROR &&
      (error->code == SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR || error->code == SOUP_WEBSOCKET_CLOSE_BAD_DATA ||
       error->code == SOUP_WEBSOCKET_CLOSE_TOO_BIG))
    endpoint_set_violation (endpoint, error->code, error->message);
  else if (endpoint->error == NULL)
    endpoint->error = g_strdup (error->message);
}

/* The meter's checks (gh-frame-meter.c): the close frame says it, then libsoup is let
 * to read the end of the stream. */
static void
on_frame_error (GhMeteredStream *metered,
                guint            code,
                const char      *what,
                gpointer         user_data)
{
  GhEndpoint *endpoint = user_data;

  endpoint_set_violation (endpoint, code, what);
  if (soup_websocket_connection_get_state (endpoint->websocket) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (endpoint->websocket, code, what);
  gh_metered_stream_end_input (metered);
}

static void
endpoint_disconnect (GhEndpoint *endpoint)
{
  g_clear_signal_handler (&endpoint->message_handler, endpoint->websocket);
  g_clear_signal_handler (&endpoint->closed_handler, endpoint->websocket);
  g_clear_signal_handler (&endpoint->error_handler, endpoint->websocket);
}

/* The WebSocket is listened to at once: a client may send before the back-end is
 * connected, and those messages wait in the endpoint. */
GhEndpoint *
gh_endpoint_new_websocket (SoupWebsocketConnection *websocket)
{
  GhEndpoint *endpoint = g_new0 (GhEndpoint, 1);

  endpoint->websocket = g_object_ref (websocket);
  endpoint->cancellable = g_cancellable_new ();
  g_queue_init (&endpoint->queue);
  g_queue_init (&endpoint->early);
  endpoint->message_handler = g_signal_connect (websocket, "message", G_CALLBACK (on_websocket_message), endpoint);
  endpoint->closed_handler = g_signal_connect (websocket, "closed", G_CALLBACK (on_websocket_closed), endpoint);
  endpoint->error_handler = g_signal_connect (websocket, "error", G_CALLBACK (on_websocket_error), endpoint);
  return endpoint;
}

/* The metered stream under @endpoint's WebSocket: its queue can then be measured, its
 * reading held back (back-pressure), and its frames are checked. */
void
gh_endpoint_set_metered (GhEndpoint      *endpoint,
                         GhMeteredStream *metered)
{
  g_return_if_fail (endpoint->websocket != NULL && endpoint->bridge == NULL && endpoint->metered == NULL);
  g_return_if_fail (GH_IS_METERED_STREAM (metered));

  endpoint->metered = g_object_ref (metered);
  endpoint->frame_error_handler = g_signal_connect (metered, "frame-error", G_CALLBACK (on_frame_error), endpoint);
  endpoint->handed = gh_metered_stream_get_bytes_written (metered);
  endpoint->masked = soup_websocket_connection_get_connection_type (endpoint->websocket) ==
                     SOUP_WEBSOCKET_CONNECTION_CLIENT;
}

void
gh_endpoint_free (GhEndpoint *endpoint)
{
  if (endpoint == NULL)
    return;

  if (endpoint->websocket != NULL)
    endpoint_disconnect (endpoint);
  g_queue_clear_full (&endpoint->queue, (GDestroyNotify) g_bytes_unref);
  g_queue_clear_full (&endpoint->early, (GDestroyNotify) g_bytes_unref);
  g_clear_object (&endpoint->cancellable);
  g_clear_object (&endpoint->stream);
  g_clear_object (&endpoint->websocket);
  if (endpoint->metered != NULL)
    g_clear_signal_handler (&endpoint->frame_error_handler, endpoint->metered);
  g_clear_object (&endpoint->metered);
  g_free (endpoint->violation);
  g_free (endpoint->error);
  g_free (endpoint);
}

void
gh_endpoint_refuse (GhEndpoint *endpoint,
                    const char *reason)
{
  g_return_if_fail (endpoint != NULL && endpoint->bridge == NULL);

  if (endpoint->websocket != NULL)
    {
      endpoint_disconnect (endpoint);
      if (soup_websocket_connection_get_state (endpoint->websocket) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (endpoint->websocket, SOUP_WEBSOCKET_CLOSE_SERVER_ERROR, reason);
    }
  else
    {
      g_io_stream_close (endpoint->stream, NULL, NULL);
    }

  gh_endpoint_free (endpoint);
}

static void bridge_close (GhBridge *bridge, const char *reason);
static void stop_idle_timer (GhBridge *bridge);
static void stop_drain_watch (GhBridge *bridge);
static void endpoint_read (GhEndpoint *endpoint);
static void endpoint_flush (GhEndpoint *endpoint);

static void
bridge_finish (GhBridge *bridge)
{
  GhEndpoint *ends[] = { bridge->client, bridge->backend };

  for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
    if (ends[i] != NULL && ends[i]->stream != NULL)
      g_io_stream_close (ends[i]->stream, NULL, NULL);

  stop_idle_timer (bridge);
  stop_drain_watch (bridge);
  g_clear_signal_handler (&bridge->close_handler, bridge->session);
  gh_session_mark_closed (bridge->session, NULL);
  gh_endpoint_free (bridge->client);
  gh_endpoint_free (bridge->backend);
  g_object_unref (bridge->session);
  g_free (bridge);
}

/* An end is done once its reads and writes have stopped; the bridge when all are. */
static void
end_done (GhBridge *bridge)
{
  g_assert (bridge->open_ends > 0);
  if (--bridge->open_ends == 0)
    bridge_finish (bridge);
}

/* Idle timeouts: one timer per thread looks at that thread's bridges once a second, and
 * traffic only stamps the time. A timer per session would be one more source for GLib's
 * main loop to walk on every iteration, for every session. */
typedef struct {
  GQueue   bridges;  /* with an idle timeout, by their idle_link */
  GSource *timer;
} IdleSweep;

static GPrivate idle_sweeps;  /* IdleSweep, per thread; threads that run bridges live on */

static gboolean
sweep_idle_bridges (gpointer data)
{
  IdleSweep *sweep = data;
  gint64 now = g_get_monotonic_time ();
  GList *next;

  for (GList *l = sweep->bridges.head; l != NULL; l = next)
    {
      GhBridge *bridge = l->data;

      next = l->next;
      if (now >= bridge->last_activity + (gint64) bridge->idle_timeout * G_USEC_PER_SEC)
        bridge_close (bridge, _("idle timeout"));
    }

  if (sweep->bridges.length > 0)
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&sweep->timer, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
start_idle_timer (GhBridge *bridge)
{
  IdleSweep *sweep;

  bridge->last_activity = g_get_monotonic_time ();
  if (bridge->idle_timeout == 0 || bridge->closing)
    return;

  if ((sweep = g_private_get (&idle_sweeps)) == NULL)
    {
      sweep = g_new0 (IdleSweep, 1);
      g_private_set (&idle_sweeps, sweep);
    }
  if (sweep->timer == NULL)
    {
      g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

      sweep->timer = g_timeout_source_new_seconds (1);
      g_source_set_static_name (sweep->timer, "[gatehouse] idle timeouts");
      g_source_set_callback (sweep->timer, sweep_idle_bridges, sweep, NULL);
      g_source_attach (sweep->timer, context);
    }

  bridge->idle_link.data = bridge;
  g_queue_push_tail_link (&sweep->bridges, &bridge->idle_link);
  bridge->idle_linked = TRUE;
}

static void
stop_idle_timer (GhBridge *bridge)
{
  IdleSweep *sweep = g_private_get (&idle_sweeps);

  if (!bridge->idle_linked)
    return;

  g_assert (sweep != NULL);
  g_queue_unlink (&sweep->bridges, &bridge->idle_link);
  bridge->idle_linked = FALSE;
}

static void
on_idle_timeout_reset (GhBridge *bridge)
{
  bridge->last_activity = g_get_monotonic_time ();
}

static void
count_traffic (GhEndpoint *from,
               gsize       bytes,
               guint       messages)
{
  if (from->is_client)
    gh_session_add_client_traffic (from->bridge->session, bytes, messages);
  else
    gh_session_add_backend_traffic (from->bridge->session, bytes, messages);
}

/* Back-pressure */

/* What waits to be written toward @endpoint, as far as the gateway can tell (a
 * WebSocket without a metered stream under it: libsoup does not say). */
static guint64
endpoint_backlog (GhEndpoint *endpoint)
{
  guint64 written;

  if (endpoint->stream != NULL)
    return endpoint->pending;
  if (endpoint->metered == NULL)
    return 0;

  written = gh_metered_stream_get_bytes_written (endpoint->metered);
  return endpoint->handed > written ? endpoint->handed - written : 0;
}

static void
let_go (GhEndpoint *endpoint)
{
  if (endpoint == NULL)
    return;

  if (endpoint->input_paused)
    {
      endpoint->input_paused = FALSE;
      gh_metered_stream_set_input_paused (endpoint->metered, FALSE);
    }
  if (endpoint->read_paused && !endpoint->bridge->closing)
    {
      endpoint->read_paused = FALSE;
      endpoint_read (endpoint);
    }
}

/* libsoup says nothing when its queue drains: while an end waits on a WebSocket peer,
 * the bridge looks every 10 ms and lets it go below half the limit. */
static gboolean
check_drain (gpointer user_data)
{
  GhBridge *bridge = user_data;
  GhEndpoint *ends[] = { bridge->client, bridge->backend };
  gboolean waiting = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
    {
      GhEndpoint *end = ends[i];

      if (end == NULL || (!end->input_paused && !end->read_paused))
        continue;
      if (endpoint_backlog (end->peer) < bridge->max_pending / 2)
        let_go (end);
      else
        waiting = TRUE;
    }

  if (waiting)
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&bridge->drain_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
watch_drain (GhBridge *bridge)
{
  g_autoptr(GMainContext) context = NULL;

  if (bridge->drain_source != NULL)
    return;

  context = g_main_context_ref_thread_default ();
  bridge->drain_source = g_timeout_source_new (10);
  g_source_set_static_name (bridge->drain_source, "[gatehouse] back-pressure");
  g_source_set_callback (bridge->drain_source, check_drain, bridge, NULL);
  g_source_attach (bridge->drain_source, context);
}

static void
stop_drain_watch (GhBridge *bridge)
{
  if (bridge->drain_source == NULL)
    return;

  g_source_destroy (bridge->drain_source);
  g_clear_pointer (&bridge->drain_source, g_source_unref);
}

/* Stops reading the WebSocket @endpoint until its peer catches up. */
static gboolean
hold_back (GhEndpoint *endpoint)
{
  if (!endpoint->input_paused)
    {
      if (endpoint->metered == NULL)
        return FALSE;
      gh_metered_stream_set_input_paused (endpoint->metered, TRUE);
      endpoint->input_paused = TRUE;
    }
  if (endpoint->peer->websocket != NULL)
    watch_drain (endpoint->bridge);
  return TRUE;
}

/* Sends @data to @endpoint: a message on a WebSocket, bytes on a stream. */
static void
endpoint_send (GhEndpoint *endpoint,
               GBytes     *data,
               gboolean    text)
{
  if (endpoint->closed)
    return;

  if (endpoint->websocket != NULL)
    {
      if (soup_websocket_connection_get_state (endpoint->websocket) == SOUP_WEBSOCKET_STATE_OPEN)
        {
          soup_websocket_connection_send_message (endpoint->websocket,
                                                  text ? SOUP_WEBSOCKET_DATA_TEXT : SOUP_WEBSOCKET_DATA_BINARY,
                                                  data);
          endpoint->handed += gh_websocket_frame_size (g_bytes_get_size (data), endpoint->masked);
        }
      return;
    }

  g_queue_push_tail (&endpoint->queue, g_bytes_ref (data));
  endpoint->pending += g_bytes_get_size (data);
  endpoint_flush (endpoint);
}

/* What @from read goes to its peer, or back for echo. */
static void
forward (GhEndpoint *from,
         GBytes     *data,
         gboolean    text,
         guint       messages)
{
  GhBridge *bridge = from->bridge;
  GhEndpoint *to = from->peer;

  count_traffic (from, g_bytes_get_size (data), messages);
  if (to == from)
    gh_session_add_backend_traffic (bridge->session, g_bytes_get_size (data), messages);  /* echo */
  on_idle_timeout_reset (bridge);

  /* A stream that feeds a full peer pauses after this read (on_read); a WebSocket's
   * reading is held back, or, without a metered stream under it, the session ends past
   * the limit toward a stream (toward another such WebSocket libsoup does not tell). */
  if (from->websocket != NULL && endpoint_backlog (to) + g_bytes_get_size (data) > bridge->max_pending &&
      !hold_back (from) && to->stream != NULL)
    {
      bridge_close (bridge, _("back-pressure: the other side does not keep up"));
      return;
    }

  endpoint_send (to, data, text);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GhEndpoint *endpoint = user_data;
  GhBridge *bridge = endpoint->bridge;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = g_queue_pop_head (&endpoint->queue);

  endpoint->writing = FALSE;
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      if (!cancelled)
        bridge_close (bridge, endpoint->is_client ? _("the client connection failed") : _("the back-end connection failed"));
      end_done (bridge);
      return;
    }

  endpoint->pending -= g_bytes_get_size (data);

  /* Caught up: the side that feeds this one may read again. */
  if (endpoint->pending < bridge->max_pending)
    let_go (endpoint->peer);

  if (!bridge->closing)
    endpoint_flush (endpoint);
  end_done (bridge);
}

static void
endpoint_flush (GhEndpoint *endpoint)
{
  GBytes *head;

  if (endpoint->writing || endpoint->closed || g_queue_is_empty (&endpoint->queue))
    return;

  head = g_queue_peek_head (&endpoint->queue);
  endpoint->writing = TRUE;
  endpoint->bridge->open_ends++;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (endpoint->stream),
                                   g_bytes_get_data (head, NULL), g_bytes_get_size (head),
                                   G_PRIORITY_DEFAULT, endpoint->cancellable, on_written, endpoint);
}

/* Why the session ends because @endpoint did: @error when its connection failed, else
 * whether it closed (a close frame, the end of a stream) or went away without. */
static char *
end_reason (GhEndpoint *endpoint,
            const char *error,
            gboolean    closed)
{
  if (error != NULL)
    return g_strdup_printf (endpoint->is_client ? _("the client connection failed: %s")
                                                : _("the back-end connection failed: %s"), error);
  if (closed)
    return g_strdup (endpoint->is_client ? _("closed by the client") : _("closed by the back-end"));
  return g_strdup (endpoint->is_client ? _("the client went away without closing")
                                       : _("the back-end went away without closing"));
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GhEndpoint *endpoint = user_data;
  GhBridge *bridge = endpoint->bridge;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  endpoint->reading = FALSE;

  if (data == NULL || g_bytes_get_size (data) == 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *reason = end_reason (endpoint, error != NULL ? error->message : NULL, data != NULL);

          bridge_close (bridge, reason);
        }
      end_done (bridge);
      return;
    }

  if (!bridge->closing)
    forward (endpoint, data, FALSE, 0);

  if (!bridge->closing && endpoint_backlog (endpoint->peer) >= bridge->max_pending)
    {
      endpoint->read_paused = TRUE;  /* resumed when the peer drains */
      if (endpoint->peer->websocket != NULL)
        watch_drain (bridge);
    }
  else if (!bridge->closing)
    endpoint_read (endpoint);

  end_done (bridge);
}

static void
endpoint_read (GhEndpoint *endpoint)
{
  if (endpoint->stream == NULL || endpoint->reading || endpoint->closed || endpoint->bridge->closing)
    return;

  endpoint->reading = TRUE;
  endpoint->bridge->open_ends++;
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (endpoint->stream), READ_SIZE,
                                   G_PRIORITY_DEFAULT, endpoint->cancellable, on_read, endpoint);
}

static void
on_websocket_message (SoupWebsocketConnection *websocket,
                      SoupWebsocketDataType    type,
                      GBytes                  *message,
                      gpointer                 user_data)
{
  GhEndpoint *endpoint = user_data;

  if (endpoint->bridge == NULL)
    {
      /* Text-ness of early messages is kept per queue: they are all of one kind in practice. */
      endpoint->early_text = type == SOUP_WEBSOCKET_DATA_TEXT;
      g_queue_push_tail (&endpoint->early, g_bytes_ref (message));
      return;
    }

  if (!endpoint->bridge->closing)
    forward (endpoint, message, type == SOUP_WEBSOCKET_DATA_TEXT, 1);
}

static void
on_websocket_closed (SoupWebsocketConnection *websocket,
                     gpointer                 user_data)
{
  GhEndpoint *endpoint = user_data;
  GhBridge *bridge = endpoint->bridge;

  if (bridge == NULL)
    {
      endpoint->closed_early = TRUE;
      return;
    }

  endpoint_disconnect (endpoint);
  endpoint->closed = TRUE;
  {
    gushort code = soup_websocket_connection_get_close_code (websocket);
    /* No close frame came (libsoup's code is 0): the peer went away without closing. */
    g_autofree char *reason = endpoint->violation != NULL
                                ? violation_reason (endpoint)
                                : end_reason (endpoint, endpoint->error, code != 0 && code != SOUP_WEBSOCKET_CLOSE_ABNORMAL);

    bridge_close (bridge, reason);
  }
  end_done (bridge);
}

static void
endpoint_close (GhEndpoint *endpoint,
                const char *reason)
{
  if (endpoint == NULL)
    return;

  g_cancellable_cancel (endpoint->cancellable);

  if (endpoint->websocket != NULL)
    {
      if (soup_websocket_connection_get_state (endpoint->websocket) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (endpoint->websocket, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, reason);
    }
  else
    {
      /* Pending reads and writes end as cancelled; the stream is closed once they
       * have, in bridge_finish(). */
      endpoint->closed = TRUE;
    }
}

static void
bridge_close (GhBridge   *bridge,
              const char *reason)
{
  if (bridge->closing)
    return;

  bridge->closing = TRUE;
  stop_idle_timer (bridge);
  stop_drain_watch (bridge);
  /* A WebSocket's closing handshake needs its reading back. */
  let_go (bridge->client);
  let_go (bridge->backend);
  gh_session_mark_closed (bridge->session, reason);
  g_debug ("Session %s closed: %s", gh_session_get_id (bridge->session), reason);

  endpoint_close (bridge->client, reason);
  endpoint_close (bridge->backend, reason);
}

static void
on_close_requested (GhSession  *session,
                    const char *reason,
                    gpointer    user_data)
{
  bridge_close (user_data, reason);
}

static void
endpoint_start (GhBridge   *bridge,
                GhEndpoint *endpoint)
{

  if (endpoint->websocket != NULL)
    {
      GBytes *early;

      bridge->open_ends++;
      while ((early = g_queue_pop_head (&endpoint->early)) != NULL)
        {
          if (!bridge->closing)
            forward (endpoint, early, endpoint->early_text, 1);
          g_bytes_unref (early);
        }
      if (endpoint->closed_early ||
          soup_websocket_connection_get_state (endpoint->websocket) == SOUP_WEBSOCKET_STATE_CLOSED)
        on_websocket_closed (endpoint->websocket, endpoint);
    }
  else
    {
      endpoint_read (endpoint);
    }
}

void
gh_bridge_start (GhSession  *session,
                 GhEndpoint *client,
                 GhEndpoint *backend,
                 guint64     max_pending,
                 guint       idle_timeout_seconds)
{
  GhBridge *bridge;

  g_return_if_fail (GH_IS_SESSION (session));
  g_return_if_fail (client != NULL);

  bridge = g_new0 (GhBridge, 1);
  bridge->session = g_object_ref (session);
  bridge->client = client;
  bridge->backend = backend;
  bridge->max_pending = MAX (max_pending, READ_SIZE);
  bridge->idle_timeout = idle_timeout_seconds;

  client->is_client = TRUE;
  client->bridge = bridge;
  client->peer = backend != NULL ? backend : client;
  if (backend != NULL)
    {
      backend->bridge = bridge;
      backend->peer = client;
    }

  bridge->close_handler = g_signal_connect (session, "close-requested", G_CALLBACK (on_close_requested), bridge);
  gh_session_set_state (session, GH_SESSION_STATE_OPEN);

  /* Held while the start runs, so that an end failing at once cannot free the bridge. */
  bridge->open_ends++;
  endpoint_start (bridge, client);
  if (backend != NULL)
    endpoint_start (bridge, backend);
  start_idle_timer (bridge);
  end_done (bridge);
}
