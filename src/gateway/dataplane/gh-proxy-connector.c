/* gh-proxy-connector.c — connecting a session to its back-end, and the back-end's health
 *
 * A proxy session reaches its back-end (tcp, ssl, ws or wss) on the worker thread that
 * serves the client: connect, then the TLS handshake with the service's client context,
 * then the WebSocket handshake, each step a callback on the same thread. Each attempt
 * tells the data plane whether the back-end answered (the admin API's backend.health).
 *
 * The three steps share one deadline and one cancellable: a back-end that accepts TCP
 * and then says nothing (or a stall like #13's) ends the session after
 * GH_CONNECT_TIMEOUT with the step it was in, instead of leaving it "connecting" for
 * ever. Closing the session through the API cancels the attempt the same way.
 *
 * gh-backend-probe.c takes the same steps for the admin API's probe; the words a
 * session's log and close reason use are shared with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gatehoused"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "gh-backend-probe.h"
#include "gh-dataplane-private.h"
#include "gh-metered-stream.h"
#include "gh-proxy-connector.h"
#include "gh-websocket-client.h"

typedef struct {
  GhDataplane  *dataplane;
  GhSession    *session;
  GhService    *service;
  GhEndpoint   *client;
  GUri         *uri;
  GIOStream    *stream;
  char         *address;
  GCancellable *cancellable;
  GSource      *deadline;
  gulong        close_handler;
  const char   *step;          /* what the attempt waits for, for the close reason */
  char         *interrupted;   /* why it was cancelled: the deadline or a close request */
} Connect;

static gboolean
uri_is_websocket (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);

  return g_ascii_strcasecmp (scheme, "ws") == 0 || g_ascii_strcasecmp (scheme, "wss") == 0;
}

static void
connect_free (Connect *connect)
{
  g_clear_signal_handler (&connect->close_handler, connect->session);
  if (connect->deadline != NULL)
    g_source_destroy (connect->deadline);
  g_clear_pointer (&connect->deadline, g_source_unref);
  g_clear_object (&connect->cancellable);
  g_free (connect->interrupted);
  g_clear_object (&connect->dataplane);
  g_clear_object (&connect->session);
  g_clear_pointer (&connect->service, gh_service_unref);
  gh_endpoint_free (connect->client);
  g_clear_pointer (&connect->uri, g_uri_unref);
  g_clear_object (&connect->stream);
  g_free (connect->address);
  g_free (connect);
}

static void
connect_failed (Connect    *connect,
                GError     *error)
{
  const char *message = connect->interrupted != NULL &&
                        g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                          ? connect->interrupted : error->message;
  g_autofree char *reason = gh_backend_refusal (connect->address, message);

  _gh_dataplane_log_session (connect->session, "refused: %s", reason);
  gh_session_set_backend (connect->session, connect->address, message);
  _gh_dataplane_set_backend_health (connect->dataplane, connect->service->name, FALSE, reason);

  /* The client learns only that the back-end is unavailable; the log has the why. */
  gh_endpoint_refuse (g_steal_pointer (&connect->client), "back-end unavailable");
  gh_session_mark_closed (connect->session, reason);
  connect_free (connect);
}

/* The deadline: cancels the step under way, whose callback then ends the session. */
static gboolean
on_connect_deadline (gpointer user_data)
{
  Connect *connect = user_data;

  g_clear_pointer (&connect->deadline, g_source_unref);
  connect->interrupted = g_strdup_printf (_("no answer within %u s (%s)"), (guint) GH_CONNECT_TIMEOUT, connect->step);
  /* The step's callback may run at once and free @connect. */
  g_cancellable_cancel (connect->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_close_requested (GhSession  *session,
                    const char *reason,
                    gpointer    user_data)
{
  Connect *connect = user_data;

  if (connect->interrupted == NULL)
    connect->interrupted = g_strdup (reason);
  g_cancellable_cancel (connect->cancellable);
}

static void
connect_done (Connect    *connect,
              GhEndpoint *backend)
{
  gh_session_set_state (connect->session, GH_SESSION_STATE_OPEN);
  _gh_dataplane_log_session (connect->session, "connected to %s", connect->address);
  _gh_dataplane_set_backend_health (connect->dataplane, connect->service->name, TRUE, NULL);
  gh_bridge_start (connect->session, g_steal_pointer (&connect->client), backend,
                   gh_service_config_get_max_pending_bytes (connect->service->config),
                   gh_service_config_get_idle_timeout (connect->service->config));
  connect_free (connect);
}

static void
on_backend_websocket (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Connect *connect = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) websocket = gh_websocket_client_connect_finish (G_IO_STREAM (source), result, &error);
  GhEndpoint *backend;
  guint64 max_message;

  if (websocket == NULL)
    {
      connect_failed (connect, error);
      return;
    }

  max_message = gh_service_config_get_max_message_bytes (connect->service->config);
  soup_websocket_connection_set_max_incoming_payload_size (websocket, max_message);
  backend = gh_endpoint_new_websocket (websocket);
  gh_endpoint_set_metered (backend, GH_METERED_STREAM (connect->stream));
  gh_metered_stream_start_frames (GH_METERED_STREAM (connect->stream), max_message);
  connect_done (connect, backend);
}

static void
backend_stream_ready (Connect *connect)
{
  if (uri_is_websocket (connect->uri))
    {
      /* The WebSocket's frames are metered, and its reading can be held back. */
      g_set_object (&connect->stream, G_IO_STREAM (gh_metered_stream_new (connect->stream)));
      connect->step = _("WebSocket upgrade");
      gh_websocket_client_connect_async (connect->stream, connect->uri, connect->cancellable,
                                         on_backend_websocket, connect);
    }
  else
    connect_done (connect, gh_endpoint_new_stream (connect->stream));
}

static void
on_backend_handshake (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Connect *connect = user_data;
  g_autoptr(GError) error = NULL;
  GhTlsStream *tls = GH_TLS_STREAM (source);
  g_autofree char *tls_result = NULL;

  if (!gh_tls_stream_handshake_finish (tls, result, &error))
    {
      connect_failed (connect, error);
      return;
    }

  tls_result = gh_backend_describe_tls (tls, connect->service->connect_tls);
  gh_session_set_backend (connect->session, connect->address, tls_result);
  backend_stream_ready (connect);
}

static void
on_backend_connected (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Connect *connect = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);

  if (connection == NULL)
    {
      connect_failed (connect, error);
      return;
    }
  gh_socket_connection_set_no_delay (connection);

  if (connect->service->connect_tls != NULL)
    {
      const char *server_name = gh_service_config_get_connect_server_name (connect->service->config);
      GhTlsStream *tls = gh_tls_stream_new_client (connection, connect->service->connect_tls,
                                                   server_name ? server_name : g_uri_get_host (connect->uri), &error);

      if (tls == NULL)
        {
          connect_failed (connect, error);
          return;
        }
      connect->stream = G_IO_STREAM (tls);
      connect->step = _("TLS handshake");
      /* The connect deadline bounds it. */
      gh_tls_stream_handshake_async (tls, 0, connect->cancellable, on_backend_handshake, connect);
      return;
    }

  gh_session_set_backend (connect->session, connect->address, NULL);
  connect->stream = G_IO_STREAM (g_steal_pointer (&connection));
  backend_stream_ready (connect);
}

void
gh_proxy_connector_serve_session (GhDataplane *dataplane,
                                  GhService   *service,
                                  GhSession   *session,
                                  GhEndpoint  *client)
{
  Connect *connect;
  g_autoptr(GSocketClient) socket_client = NULL;
  GUri *uri;

  if (gh_service_config_get_service_type (service->config) != GH_SERVICE_TYPE_PROXY)
    {
      gh_bridge_start (session, client, NULL,
                       gh_service_config_get_max_pending_bytes (service->config),
                       gh_service_config_get_idle_timeout (service->config));
      return;
    }

  uri = gh_service_config_get_connect_uri (service->config);
  connect = g_new0 (Connect, 1);
  connect->dataplane = g_object_ref (dataplane);
  connect->session = g_object_ref (session);
  connect->service = gh_service_ref (service);
  connect->client = client;
  connect->uri = g_uri_ref (uri);
  connect->address = gh_backend_address (uri);
  connect->cancellable = g_cancellable_new ();
  connect->step = _("TCP connect");
  gh_session_set_state (session, GH_SESSION_STATE_CONNECTING);

  connect->deadline = g_timeout_source_new_seconds (GH_CONNECT_TIMEOUT);
  g_source_set_static_name (connect->deadline, "[gatehouse] back-end connect deadline");
  g_source_set_callback (connect->deadline, on_connect_deadline, connect, NULL);
  g_source_attach (connect->deadline, g_main_context_get_thread_default ());
  connect->close_handler = g_signal_connect (session, "close-requested", G_CALLBACK (on_close_requested), connect);

  /* No socket timeout: GIO would keep it on the connection and end an idle ws:// or
   * tcp:// back-end's session after it; the deadline bounds the connect. */
  socket_client = g_socket_client_new ();
  /* Back-ends are reached directly: a desktop's proxy settings are not the gateway's,
   * and asking libproxy for each of a thousand connections queues them in its threads. */
  g_socket_client_set_enable_proxy (socket_client, FALSE);
  g_socket_client_connect_to_host_async (socket_client, g_uri_get_host (uri), g_uri_get_port (uri),
                                         connect->cancellable, on_backend_connected, connect);
}
