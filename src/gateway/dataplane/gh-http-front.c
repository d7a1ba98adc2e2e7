/* gh-http-front.c — a listener's HTTP and WebSocket front, one per worker thread
 *
 * libsoup parses HTTP and WebSocket on any GIOStream (soup_server_accept_iostream), so
 * an http, https, ws or wss listener hands its connections, after the TLS handshake,
 * to a SoupServer. libsoup's server is not thread-safe, so each thread that serves a
 * listener's HTTP connections has its own, made on first use and dropped with the
 * listener. WebSocket paths become sessions (gh-proxy-connector.c); plain requests go
 * to the directory service. libsoup gets each connection inside a GhMeteredStream,
 * which checks a WebSocket's frames and holds its reading back when its peer is behind.
 *
 * A connection must send a whole request within GH_REQUEST_TIMEOUT of its handshake
 * (or of the previous response, on a kept-alive connection), or it is shut down: a crowd of connections that never finish their upgrade request holds nothing
 * for long. A WebSocket, once upgraded, has its service's idle timeout instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gatehoused"

#include "config.h"

#include <libsoup/soup.h>

#include "gh-dataplane-private.h"
#include "gh-directory-service.h"
#include "gh-metered-stream.h"
#include "gh-http-front.h"
#include "gh-proxy-connector.h"
#include "gh-soup-server.h"

typedef struct {
  GhDataplane *dataplane;
  char        *key;
  SoupServer  *soup;
  GHashTable  *paths;        /* with a handler registered on soup */
  GHashTable  *streams_by_peer;  /* "ip:port" of a client → GhMeteredStream (weak), for WebSocket sessions */
  GHashTable  *deadlines;    /* "ip:port" of a client → RequestDeadline */
} ThreadSoup;

/* The time a connection has left to send its request. */
typedef struct {
  ThreadSoup *thread_soup;
  char       *peer;
  GIOStream  *stream;      /* weak */
  GSource    *timer;       /* while it waits for headers */
  gboolean    upgraded;
} RequestDeadline;

static void
deadline_disarm (RequestDeadline *deadline)
{
  if (deadline->timer != NULL)
    {
      g_source_destroy (deadline->timer);
      g_clear_pointer (&deadline->timer, g_source_unref);
    }
}

static void deadline_stream_gone (gpointer data, GObject *where_the_object_was);

static void
deadline_free (gpointer data)
{
  RequestDeadline *deadline = data;

  deadline_disarm (deadline);
  if (deadline->stream != NULL)
    g_object_weak_unref (G_OBJECT (deadline->stream), deadline_stream_gone, deadline);
  g_free (deadline->peer);
  g_free (deadline);
}

/* The table holds the deadline of each live connection only: one that a newer
 * connection from the same address replaced was freed then. */
static void
deadline_stream_gone (gpointer  data,
                      GObject  *where_the_object_was)
{
  RequestDeadline *deadline = data;

  deadline->stream = NULL;
  g_hash_table_remove (deadline->thread_soup->deadlines, deadline->peer);
}

static gboolean
on_request_timeout (gpointer data)
{
  RequestDeadline *deadline = data;

  g_clear_pointer (&deadline->timer, g_source_unref);
  g_message ("listener %s: %s sent no whole request within %u s; closed", deadline->thread_soup->key,
             deadline->peer, GH_REQUEST_TIMEOUT);
  /* libsoup sees the end of the stream and lets go of the connection. */
  if (GH_IS_TLS_STREAM (deadline->stream))
    gh_tls_stream_shutdown (GH_TLS_STREAM (deadline->stream));
  else
    g_socket_shutdown (g_socket_connection_get_socket (G_SOCKET_CONNECTION (deadline->stream)), TRUE, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

static void
deadline_arm (RequestDeadline *deadline)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  deadline_disarm (deadline);
  if (deadline->upgraded)
    return;
  deadline->timer = g_timeout_source_new_seconds (GH_REQUEST_TIMEOUT);
  g_source_set_static_name (deadline->timer, "[gatehouse] request timeout");
  g_source_set_callback (deadline->timer, on_request_timeout, deadline, NULL);
  g_source_attach (deadline->timer, context);
}

static RequestDeadline *
deadline_lookup (ThreadSoup        *thread_soup,
                 SoupServerMessage *msg)
{
  g_autofree char *peer = gh_socket_address_to_string (soup_server_message_get_remote_address (msg));

  return g_hash_table_lookup (thread_soup->deadlines, peer);
}

/* The whole request is in (the data port takes no uploads: its body is timed too). */
static void
on_request_read (SoupServer        *server,
                 SoupServerMessage *msg,
                 ThreadSoup        *thread_soup)
{
  RequestDeadline *deadline = deadline_lookup (thread_soup, msg);

  if (deadline != NULL)
    deadline_disarm (deadline);
}

/* Answered: the next request's headers are timed from now. */
static void
on_request_finished (SoupServer        *server,
                     SoupServerMessage *msg,
                     ThreadSoup        *thread_soup)
{
  RequestDeadline *deadline = deadline_lookup (thread_soup, msg);

  if (deadline != NULL)
    deadline_arm (deadline);
}

static void
deadline_start (ThreadSoup *thread_soup,
                GIOStream  *stream,
                const char *peer)
{
  RequestDeadline *deadline = g_new0 (RequestDeadline, 1);

  deadline->thread_soup = thread_soup;
  deadline->peer = g_strdup (peer);
  deadline->stream = stream;
  g_object_weak_ref (G_OBJECT (stream), deadline_stream_gone, deadline);
  g_hash_table_replace (thread_soup->deadlines, g_strdup (peer), deadline);
  deadline_arm (deadline);
}

static void
forget_peer_stream (gpointer  data,
                    GObject  *where_the_object_was)
{
  ThreadSoup *thread_soup = data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, thread_soup->streams_by_peer);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == where_the_object_was)
      g_hash_table_iter_remove (&iter);
}

static void
thread_soup_free (gpointer data)
{
  ThreadSoup *thread_soup = data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, thread_soup->streams_by_peer);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_object_weak_unref (value, forget_peer_stream, thread_soup);
  g_hash_table_unref (thread_soup->streams_by_peer);
  g_hash_table_unref (thread_soup->deadlines);
  soup_server_disconnect (thread_soup->soup);
  g_object_unref (thread_soup->soup);
  g_hash_table_unref (thread_soup->paths);
  g_free (thread_soup->key);
  g_object_unref (thread_soup->dataplane);
  g_free (thread_soup);
}

/* listener id → ThreadSoup, for the calling thread */
static GPrivate thread_soups = G_PRIVATE_INIT ((GDestroyNotify) g_hash_table_unref);

gboolean
gh_http_front_drop (gpointer listener_id)
{
  GHashTable *soups = g_private_get (&thread_soups);

  if (soups != NULL)
    g_hash_table_remove (soups, listener_id);
  return G_SOURCE_REMOVE;
}

static void
on_websocket (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *websocket,
              gpointer                 user_data)
{
  ThreadSoup *thread_soup = user_data;
  g_autoptr(GhGeneration) generation = NULL;
  GhBinding *binding = _gh_dataplane_lookup_binding (thread_soup->dataplane, thread_soup->key, &generation);
  GhService *service = binding ? g_hash_table_lookup (binding->paths, path) : NULL;
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  g_autofree char *peer = gh_socket_address_to_string (remote);
  GhMeteredStream *metered = g_hash_table_lookup (thread_soup->streams_by_peer, peer);
  GIOStream *base = metered != NULL ? gh_metered_stream_get_base (metered) : NULL;
  GhTlsStream *tls = GH_IS_TLS_STREAM (base) ? GH_TLS_STREAM (base) : NULL;
  g_autoptr(GhSession) session = NULL;
  guint64 max_message;
  GhEndpoint *client;
  RequestDeadline *deadline = g_hash_table_lookup (thread_soup->deadlines, peer);

  if (deadline != NULL)
    {
      deadline->upgraded = TRUE;
      deadline_disarm (deadline);
    }

  if (service == NULL)
    {
      soup_websocket_connection_close (websocket, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "no such service");
      return;
    }

  max_message = gh_service_config_get_max_message_bytes (service->config);
  soup_websocket_connection_set_max_incoming_payload_size (websocket, max_message);
  session = _gh_dataplane_open_session (thread_soup->dataplane, service, remote, tls);
  if (session == NULL)
    {
      soup_websocket_connection_close (websocket, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "too many sessions");
      return;
    }

  client = gh_endpoint_new_websocket (websocket);
  if (metered != NULL)
    {
      gh_endpoint_set_metered (client, metered);
      gh_metered_stream_start_frames (metered, max_message);
    }
  gh_proxy_connector_serve_session (thread_soup->dataplane, service, session, client);
}

static void
on_http_request (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  ThreadSoup *thread_soup = user_data;
  g_autoptr(GhGeneration) generation = NULL;
  GhBinding *binding = _gh_dataplane_lookup_binding (thread_soup->dataplane, thread_soup->key, &generation);

  gh_directory_service_handle (thread_soup->dataplane, binding, msg, path);
}

/* Registers on @thread_soup's server the paths of @binding it does not serve yet. */
static void
thread_soup_register_paths (ThreadSoup *thread_soup,
                            GhBinding  *binding)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, binding->paths);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (g_hash_table_contains (thread_soup->paths, key))
        continue;

      if (g_hash_table_contains (binding->websocket, key))
        soup_server_add_websocket_handler (thread_soup->soup, key, NULL, NULL, on_websocket, thread_soup, NULL);
      else
        soup_server_add_handler (thread_soup->soup, key, on_http_request, thread_soup, NULL);
      g_hash_table_add (thread_soup->paths, g_strdup (key));
    }
}

/* (transfer none) The calling thread's server for listener @id. */
static ThreadSoup *
thread_soup_get (GhDataplane *dataplane,
                 guint        id,
                 const char  *key,
                 GError     **error)
{
  GHashTable *soups = g_private_get (&thread_soups);
  ThreadSoup *thread_soup;
  SoupServer *soup;

  if (soups == NULL)
    {
      soups = g_hash_table_new_full (NULL, NULL, NULL, thread_soup_free);
      g_private_set (&thread_soups, soups);
    }

  if ((thread_soup = g_hash_table_lookup (soups, GUINT_TO_POINTER (id))) != NULL)
    return thread_soup;

  if ((soup = gh_soup_server_new (error)) == NULL)
    return NULL;

  thread_soup = g_new0 (ThreadSoup, 1);
  thread_soup->dataplane = g_object_ref (dataplane);
  thread_soup->key = g_strdup (key);
  thread_soup->soup = soup;
  thread_soup->paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  thread_soup->streams_by_peer = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  thread_soup->deadlines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, deadline_free);
  g_signal_connect (soup, "request-read", G_CALLBACK (on_request_read), thread_soup);
  g_signal_connect (soup, "request-finished", G_CALLBACK (on_request_finished), thread_soup);
  g_signal_connect (soup, "request-aborted", G_CALLBACK (on_request_finished), thread_soup);
  g_hash_table_insert (soups, GUINT_TO_POINTER (id), thread_soup);
  return thread_soup;
}

void
gh_http_front_accept (GhDataplane    *dataplane,
                      guint           listener_id,
                      const char     *key,
                      GhBinding      *binding,
                      GIOStream      *stream,
                      GhTlsStream    *tls,
                      GSocketAddress *local,
                      GSocketAddress *remote)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *peer = gh_socket_address_to_string (remote);
  g_autoptr(GhMeteredStream) metered = NULL;
  GhMeteredStream *previous;
  ThreadSoup *thread_soup;

  if ((thread_soup = thread_soup_get (dataplane, listener_id, key, &error)) == NULL)
    {
      g_message ("listener %s: %s", key, error->message);
      g_io_stream_close (stream, NULL, NULL);
      return;
    }
  thread_soup_register_paths (thread_soup, binding);

  metered = gh_metered_stream_new (stream);
  if ((previous = g_hash_table_lookup (thread_soup->streams_by_peer, peer)) != NULL)
    g_object_weak_unref (G_OBJECT (previous), forget_peer_stream, thread_soup);
  g_hash_table_insert (thread_soup->streams_by_peer, g_strdup (peer), metered);
  g_object_weak_ref (G_OBJECT (metered), forget_peer_stream, thread_soup);
  deadline_start (thread_soup, stream, peer);

  if (!soup_server_accept_iostream (thread_soup->soup, G_IO_STREAM (metered), local, remote, &error))
    g_message ("listener %s: %s", key, error->message);
}
