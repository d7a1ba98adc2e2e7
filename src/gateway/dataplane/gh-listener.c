/* gh-listener.c — a bound address: accepting, the TLS handshake, and the hand-over
 *
 * A listener lives on the main context and follows the current generation's binding
 * of its address (its key). It accepts, then hands the connection to a worker thread
 * (gh-workers.c), which does the TLS handshake with the binding's context and serves
 * it: raw tcp/ssl services become a session at once, http/ws listeners go through the
 * thread's HTTP front. A reload during the handshake is seen: the binding is looked up
 * again after it, and a connection whose listener was replaced meanwhile is closed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gatehoused"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-dataplane-private.h"
#include "gh-http-front.h"
#include "gh-listener.h"
#include "gh-proxy-connector.h"

#define LISTEN_BACKLOG 4096

struct _GhListener
{
  GhDataplane    *dataplane;
  guint           id;
  char           *key;
  gboolean        http;
  GSocketService *socket_service;
};

/* A connection the main context accepted, on its way to the thread that serves it. */
typedef struct {
  GhDataplane       *dataplane;
  guint              listener_id;
  char              *key;
  GSocketConnection *connection;
  GSocketAddress    *local;
  GSocketAddress    *remote;
} Accepted;

static void
accepted_free (Accepted *accepted)
{
  g_object_unref (accepted->dataplane);
  g_free (accepted->key);
  g_object_unref (accepted->connection);
  g_object_unref (accepted->local);
  g_object_unref (accepted->remote);
  g_free (accepted);
}

static void
dispatch (Accepted    *accepted,
          GhBinding   *binding,
          GIOStream   *stream,
          GhTlsStream *tls)
{
  if (!binding->http)
    {
      g_autoptr(GhSession) session = _gh_dataplane_open_session (accepted->dataplane, binding->raw, accepted->remote, tls);

      if (session == NULL)
        {
          g_io_stream_close (stream, NULL, NULL);
          return;
        }
      gh_proxy_connector_serve_session (accepted->dataplane, binding->raw, session, gh_endpoint_new_stream (stream));
      return;
    }

  gh_http_front_accept (accepted->dataplane, accepted->listener_id, accepted->key, binding,
                        stream, tls, accepted->local, accepted->remote);
}

/* Serves @accepted with @binding if its listener is still the one bound there;
 * closes it otherwise. */
static void
serve_accepted (Accepted    *accepted,
                GhBinding   *binding,
                GIOStream   *stream,
                GhTlsStream *tls)
{
  if (binding == NULL || !_gh_dataplane_listener_current (accepted->dataplane, accepted->key, accepted->listener_id))
    g_io_stream_close (stream, NULL, NULL);
  else
    dispatch (accepted, binding, stream, tls);
}

static void
on_client_handshake (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Accepted *accepted = user_data;
  g_autoptr(GhTlsStream) tls = GH_TLS_STREAM (source);
  g_autoptr(GError) error = NULL;

  if (!gh_tls_stream_handshake_finish (tls, result, &error))
    {
      g_autofree char *peer = gh_socket_address_to_string (accepted->remote);

      /* A refusal: a clear line, and the gateway goes on serving others. */
      g_message ("listener %s: TLS handshake with %s refused: %s", accepted->key, peer, error->message);
      g_io_stream_close (G_IO_STREAM (tls), NULL, NULL);
    }
  else
    {
      /* A reload during the handshake: the binding as it is now. */
      g_autoptr(GhGeneration) generation = NULL;
      GhBinding *binding = _gh_dataplane_lookup_binding (accepted->dataplane, accepted->key, &generation);

      serve_accepted (accepted, binding, G_IO_STREAM (tls), tls);
    }

  accepted_free (accepted);
}

/* On the thread that serves the connection: the TLS handshake, then the service. */
static gboolean
serve_connection (gpointer data)
{
  Accepted *accepted = data;
  g_autoptr(GhGeneration) generation = NULL;
  GhBinding *binding = _gh_dataplane_lookup_binding (accepted->dataplane, accepted->key, &generation);
  g_autoptr(GError) error = NULL;
  GhTlsStream *tls;

  gh_socket_connection_set_no_delay (accepted->connection);

  if (binding == NULL || !binding->secure)
    {
      serve_accepted (accepted, binding, G_IO_STREAM (accepted->connection), NULL);
      accepted_free (accepted);
      return G_SOURCE_REMOVE;
    }

  if ((tls = gh_tls_stream_new_server (accepted->connection, binding->tls, &error)) == NULL)
    {
      g_message ("listener %s: %s", accepted->key, error->message);
      g_io_stream_close (G_IO_STREAM (accepted->connection), NULL, NULL);
      accepted_free (accepted);
      return G_SOURCE_REMOVE;
    }

  gh_tls_stream_handshake_async (tls, GH_HANDSHAKE_TIMEOUT, NULL, on_client_handshake, accepted);
  return G_SOURCE_REMOVE;
}

static gboolean
on_incoming (GSocketService    *socket_service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  GhListener *listener = user_data;
  GhDataplane *dataplane = listener->dataplane;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  GMainContext *worker;
  Accepted *accepted;

  if (!dataplane->accepting || local == NULL || remote == NULL)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  accepted = g_new0 (Accepted, 1);
  accepted->dataplane = g_object_ref (dataplane);
  accepted->listener_id = listener->id;
  accepted->key = g_strdup (listener->key);
  accepted->connection = g_object_ref (connection);
  accepted->local = g_steal_pointer (&local);
  accepted->remote = g_steal_pointer (&remote);

  if ((worker = gh_workers_next (dataplane->workers)) == NULL)
    serve_connection (accepted);
  else
    gh_context_invoke (worker, serve_connection, accepted, NULL);
  return TRUE;
}

void
gh_listener_free (GhListener *listener)
{
  GhWorkers *workers = listener->dataplane->workers;

  if (listener->socket_service != NULL)
    {
      g_socket_service_stop (listener->socket_service);
      g_socket_listener_close (G_SOCKET_LISTENER (listener->socket_service));
      g_signal_handlers_disconnect_by_data (listener->socket_service, listener);
    }
  g_clear_object (&listener->socket_service);

  /* Its servers go on every thread, after the connections already handed over. */
  if (listener->http)
    {
      gh_http_front_drop (GUINT_TO_POINTER (listener->id));
      for (guint i = 0; workers != NULL && i < gh_workers_get_n (workers); i++)
        gh_context_invoke (gh_workers_get_context (workers, i), gh_http_front_drop, GUINT_TO_POINTER (listener->id), NULL);
    }

  g_free (listener->key);
  g_object_unref (listener->dataplane);
  g_free (listener);
}

GhListener *
gh_listener_new (GhDataplane  *dataplane,
                 GhBinding    *binding,
                 GError      **error)
{
  GhListener *listener;

  g_return_val_if_fail (GH_IS_DATAPLANE (dataplane), NULL);

  listener = g_new0 (GhListener, 1);
  listener->dataplane = g_object_ref (dataplane);
  listener->id = ++dataplane->last_listener_id;
  listener->key = g_strdup (binding->key);
  listener->http = binding->http;
  listener->socket_service = g_socket_service_new ();
  /* GIO's default of 10 drops the SYNs of a burst of clients, which then wait out
   * TCP's retransmission back-off (1, 3, 7… seconds). */
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (listener->socket_service), LISTEN_BACKLOG);

  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (listener->socket_service), binding->address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, NULL, error))
    {
      g_prefix_error (error, _("Cannot listen on %s: "), binding->key);
      gh_listener_free (listener);
      return NULL;
    }

  g_signal_connect (listener->socket_service, "incoming", G_CALLBACK (on_incoming), listener);
  return listener;
}

void
gh_listener_start (GhListener *listener)
{
  g_socket_service_start (listener->socket_service);
}

guint
gh_listener_get_id (GhListener *listener)
{
  return listener->id;
}

gboolean
gh_listener_is_http (GhListener *listener)
{
  return listener->http;
}
