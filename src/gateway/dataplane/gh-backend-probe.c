/* gh-backend-probe.c — reaching a service's back-end as a session would, to see its
 * chain and what a session would be told
 *
 * The Trust page draws the back-end's chain from this probe, and an admin believes the
 * picture only if it never disagrees with the traffic. So the probe takes the steps of
 * gh-proxy-connector.c with the same parts: the service's own GhTlsClientContext (its
 * priority string, its client certificate, its truststore), the same SNI and host name
 * check, the same WebSocket upgrade for wss, under the same GH_CONNECT_TIMEOUT; and it
 * words its verdict as the session log does (gh_backend_refusal(),
 * gh_backend_describe_tls(), which the connector uses too). Unlike a session it keeps
 * the chain the back-end sent even when the handshake refused it, to show why.
 *
 * A TLS 1.3 back-end that requires a client certificate refuses one that is missing
 * only after the handshake: the wss upgrade shows it, as it does for a session; for
 * an ssl:// byte stream the session learns it at its first read, and the probe reports
 * whether the back-end asked and whether the gateway sent one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-backend-probe"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "gh-backend-probe.h"
#include "gh-dataplane-private.h"
#include "gh-websocket-client.h"

typedef struct {
  GhBackendProbe     *probe;
  GUri               *uri;
  GhTlsClientContext *context;
  GhTlsStream        *tls;
  GSource            *deadline;
  gboolean            timed_out;
  GCancellable       *cancellable;   /* the task's, or ours for the deadline */
  gulong              cancelled_handler;
  GCancellable       *caller_cancellable;
} Probe;

void
gh_backend_probe_free (GhBackendProbe *probe)
{
  if (probe == NULL)
    return;
  g_free (probe->address);
  g_free (probe->server_name);
  g_free (probe->verify_name);
  g_free (probe->step);
  g_free (probe->error);
  g_free (probe->verdict);
  g_free (probe->backend_tls);
  g_free (probe->protocol);
  g_free (probe->cipher);
  g_clear_pointer (&probe->peer_chain, g_ptr_array_unref);
  g_free (probe);
}

static void
probe_state_free (gpointer data)
{
  Probe *state = data;

  if (state->deadline != NULL)
    g_source_destroy (state->deadline);
  g_clear_pointer (&state->deadline, g_source_unref);
  if (state->caller_cancellable != NULL)
    g_cancellable_disconnect (state->caller_cancellable, state->cancelled_handler);
  g_clear_object (&state->caller_cancellable);
  g_clear_object (&state->cancellable);
  g_clear_pointer (&state->probe, gh_backend_probe_free);
  g_clear_pointer (&state->uri, g_uri_unref);
  g_clear_object (&state->context);
  if (state->tls != NULL)
    g_io_stream_close (G_IO_STREAM (state->tls), NULL, NULL);
  g_clear_object (&state->tls);
  g_free (state);
}

char *
gh_backend_address (GUri *uri)
{
  return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri), g_uri_get_port (uri));
}

/* A session's backend_tls once its handshake is done. */
char *
gh_backend_describe_tls (GhTlsStream        *tls,
                         GhTlsClientContext *context)
{
  return g_strdup_printf ("%s %s, %s", gh_tls_stream_get_protocol (tls), gh_tls_stream_get_cipher (tls),
                          gh_tls_client_context_get_verify (context) ? "verified" : "not verified");
}

/* A session's close reason when its back-end could not be reached. */
char *
gh_backend_refusal (const char *address,
                    const char *message)
{
  return g_strdup_printf ("%s %s: %s", _("back-end"), address, message);
}

static void
probe_return (GTask *task)
{
  Probe *state = g_task_get_task_data (task);
  GhBackendProbe *probe = state->probe;

  if (state->tls != NULL && probe->peer_chain->len == 0)
    {
      g_ptr_array_unref (probe->peer_chain);
      probe->peer_chain = gh_tls_stream_dup_peer_chain (state->tls);
    }
  if (state->tls != NULL)
    {
      probe->certificate_requested = gh_tls_stream_get_certificate_requested (state->tls);
      probe->certificate_sent = gh_tls_stream_get_certificate_sent (state->tls);
    }
  if (probe->connected)
    probe->verdict = g_strdup_printf ("connected to %s", probe->address);
  else
    {
      g_autofree char *reason = gh_backend_refusal (probe->address, probe->error);

      probe->verdict = g_strdup_printf ("refused: %s", reason);
    }

  g_task_return_pointer (task, g_steal_pointer (&state->probe), (GDestroyNotify) gh_backend_probe_free);
}

static void
probe_failed (GTask        *task,
              const GError *error)
{
  Probe *state = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !state->timed_out)
    {
      g_task_return_error (task, g_error_copy (error));
      return;
    }
  state->probe->error = state->timed_out
                        ? g_strdup_printf (_("no answer within %u s (%s)"), (guint) GH_CONNECT_TIMEOUT, state->probe->step)
                        : g_strdup (error->message);
  probe_return (task);
}

static void
probe_succeeded (GTask *task)
{
  Probe *state = g_task_get_task_data (task);

  state->probe->connected = TRUE;
  g_clear_pointer (&state->probe->step, g_free);
  probe_return (task);
}

static void
set_step (Probe      *state,
          const char *step)
{
  g_free (state->probe->step);
  state->probe->step = g_strdup (step);
}

static void
on_websocket (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) websocket = gh_websocket_client_connect_finish (G_IO_STREAM (source), result, &error);

  if (websocket == NULL)
    {
      probe_failed (task, error);
      return;
    }
  /* A probe, not a session: close at once; the stream goes with the task. */
  probe_succeeded (task);
}

static void
on_handshake (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *state = g_task_get_task_data (task);
  GhTlsStream *tls = GH_TLS_STREAM (source);
  g_autoptr(GError) error = NULL;

  if (!gh_tls_stream_handshake_finish (tls, result, &error))
    {
      probe_failed (task, error);
      return;
    }

  state->probe->protocol = g_strdup (gh_tls_stream_get_protocol (tls));
  state->probe->cipher = g_strdup (gh_tls_stream_get_cipher (tls));
  state->probe->backend_tls = gh_backend_describe_tls (tls, state->context);
  state->probe->peer_chain = gh_tls_stream_dup_peer_chain (tls);

  if (g_ascii_strcasecmp (g_uri_get_scheme (state->uri), "wss") == 0)
    {
      set_step (state, _("WebSocket upgrade"));
      gh_websocket_client_connect_async (G_IO_STREAM (tls), state->uri, state->cancellable,
                                         on_websocket, g_steal_pointer (&task));
      return;
    }
  probe_succeeded (task);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *state = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);

  if (connection == NULL)
    {
      probe_failed (task, error);
      return;
    }
  gh_socket_connection_set_no_delay (connection);

  if ((state->tls = gh_tls_stream_new_client (connection, state->context, state->probe->verify_name, &error)) == NULL)
    {
      probe_failed (task, error);
      return;
    }
  set_step (state, _("TLS handshake"));
  gh_tls_stream_handshake_async (state->tls, 0, state->cancellable, on_handshake, g_steal_pointer (&task));
}

static gboolean
on_deadline (gpointer user_data)
{
  Probe *state = user_data;

  g_clear_pointer (&state->deadline, g_source_unref);
  state->timed_out = TRUE;
  g_cancellable_cancel (state->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

void
gh_backend_probe_async (GhServiceConfig     *config,
                        GhTlsClientContext  *context,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSocketClient) client = NULL;
  GUri *uri;
  Probe *state;

  g_return_if_fail (GH_IS_SERVICE_CONFIG (config));
  g_return_if_fail (GH_IS_TLS_CLIENT_CONTEXT (context));
  g_return_if_fail (gh_service_config_get_connect_uri (config) != NULL);

  uri = gh_service_config_get_connect_uri (config);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_backend_probe_async);

  state = g_new0 (Probe, 1);
  state->probe = g_new0 (GhBackendProbe, 1);
  state->probe->address = gh_backend_address (uri);
  state->probe->verify_name = g_strdup (gh_service_config_get_connect_server_name (config));
  if (!g_hostname_is_ip_address (state->probe->verify_name))
    state->probe->server_name = g_strdup (state->probe->verify_name);
  state->probe->peer_chain = g_ptr_array_new_with_free_func (g_object_unref);
  state->probe->step = g_strdup (_("TCP connect"));
  state->uri = g_uri_ref (uri);
  state->context = g_object_ref (context);
  state->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      state->caller_cancellable = g_object_ref (cancellable);
      state->cancelled_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                        state->cancellable, NULL);
    }
  g_task_set_task_data (task, state, probe_state_free);

  state->deadline = g_timeout_source_new_seconds (GH_CONNECT_TIMEOUT);
  g_source_set_static_name (state->deadline, "[gatehouse] back-end probe deadline");
  g_source_set_callback (state->deadline, on_deadline, state, NULL);
  g_source_attach (state->deadline, g_main_context_get_thread_default ());

  /* As gh_proxy_connector_serve_session() connects. */
  client = g_socket_client_new ();
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_connect_to_host_async (client, g_uri_get_host (uri), g_uri_get_port (uri),
                                         state->cancellable, on_connected, g_steal_pointer (&task));
}

/**
 * gh_backend_probe_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError: only %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full): what the probe saw
 */
GhBackendProbe *
gh_backend_probe_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
