/* gh-websocket-client.c — the client side of a WebSocket handshake over any stream
 *
 * libsoup's client handshake needs its own connection to the server; the gateway
 * has one already (its own TLS stream toward the back-end, verified its own way), so
 * it sends the upgrade request itself and hands the stream to
 * soup_websocket_connection_new().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-websocket-client"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-websocket-client.h"

#define MAX_RESPONSE_HEADER 16384

typedef struct {
  GUri    *uri;
  char    *key;
  char    *request;
  GString *response;
  guint8   byte;
} Handshake;

static void
handshake_free (gpointer data)
{
  Handshake *handshake = data;

  g_uri_unref (handshake->uri);
  g_free (handshake->key);
  g_free (handshake->request);
  g_string_free (handshake->response, TRUE);
  g_free (handshake);
}

char *
gh_websocket_accept_key (const char *key)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize length = sizeof digest;

  g_checksum_update (sha1, (const guchar *) key, -1);
  g_checksum_update (sha1, (const guchar *) "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", -1);
  g_checksum_get_digest (sha1, digest, &length);
  return g_base64_encode (digest, length);
}

static gboolean
header_is (const char *headers,
           const char *name,
           const char *value)
{
  g_auto(GStrv) lines = g_strsplit (headers, "\r\n", -1);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');
      g_autofree char *field = NULL;
      g_autofree char *content = NULL;

      if (colon == NULL)
        continue;
      field = g_strndup (lines[i], colon - lines[i]);
      content = g_strstrip (g_strdup (colon + 1));
      if (g_ascii_strcasecmp (field, name) == 0 &&
          (value == NULL || g_ascii_strcasecmp (content, value) == 0))
        return TRUE;
    }

  return FALSE;
}

static void read_response_byte (GTask *task);

static void
on_response_byte (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Handshake *handshake = g_task_get_task_data (task);
  GIOStream *stream = g_task_get_source_object (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  g_autofree char *expected = NULL;

  if (n < 0)
    {
      g_task_return_error (task, error);
      return;
    }
  if (n == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                               _("The back-end closed the connection during the WebSocket handshake"));
      return;
    }

  g_string_append_c (handshake->response, (char) handshake->byte);
  if (handshake->response->len > MAX_RESPONSE_HEADER)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The back-end’s WebSocket handshake response is too long"));
      return;
    }
  if (!g_str_has_suffix (handshake->response->str, "\r\n\r\n"))
    {
      read_response_byte (g_steal_pointer (&task));
      return;
    }

  /* One byte at a time, so that nothing after the headers is taken from the stream. */
  expected = gh_websocket_accept_key (handshake->key);
  if (!g_str_has_prefix (handshake->response->str, "HTTP/1.1 101"))
    {
      g_autofree char *status = g_strndup (handshake->response->str, strcspn (handshake->response->str, "\r\n"));
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The back-end refused the WebSocket upgrade: %s"), status);
      return;
    }
  if (!header_is (handshake->response->str, "Upgrade", "websocket") ||
      !header_is (handshake->response->str, "Sec-WebSocket-Accept", expected))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The back-end’s WebSocket handshake response is invalid"));
      return;
    }

  g_task_return_pointer (task,
                         soup_websocket_connection_new (stream, handshake->uri,
                                                        SOUP_WEBSOCKET_CONNECTION_CLIENT,
                                                        NULL, NULL, NULL),
                         g_object_unref);
}

static void
read_response_byte (GTask *task)
{
  Handshake *handshake = g_task_get_task_data (task);
  GIOStream *stream = g_task_get_source_object (task);

  g_input_stream_read_async (g_io_stream_get_input_stream (stream), &handshake->byte, 1,
                             G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                             on_response_byte, task);
}

static void
on_request_written (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  read_response_byte (g_steal_pointer (&task));
}

/**
 * gh_websocket_client_connect_async:
 * @stream: a connection to the server (TLS already done for wss)
 * @uri: the ws:// or wss:// URI
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the open WebSocket, or an error
 * @user_data: data for @callback
 */
void
gh_websocket_client_connect_async (GIOStream           *stream,
                                   GUri                *uri,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Handshake *handshake;
  guint8 nonce[16];
  const char *path;
  const char *query;
  int port;

  g_return_if_fail (G_IS_IO_STREAM (stream));
  g_return_if_fail (uri != NULL);

  task = g_task_new (stream, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_websocket_client_connect_async);

  for (guint i = 0; i < sizeof nonce; i++)
    nonce[i] = g_random_int_range (0, 256);

  handshake = g_new0 (Handshake, 1);
  handshake->uri = g_uri_ref (uri);
  handshake->key = g_base64_encode (nonce, sizeof nonce);
  handshake->response = g_string_new (NULL);
  path = *g_uri_get_path (uri) != '\0' ? g_uri_get_path (uri) : "/";
  query = g_uri_get_query (uri);
  port = g_uri_get_port (uri);
  handshake->request = g_strdup_printf ("GET %s%s%s HTTP/1.1\r\n"
                                        "Host: %s%s%.0d\r\n"
                                        "Upgrade: websocket\r\n"
                                        "Connection: Upgrade\r\n"
                                        "Sec-WebSocket-Key: %s\r\n"
                                        "Sec-WebSocket-Version: 13\r\n"
                                        "User-Agent: gatehoused/" PACKAGE_VERSION "\r\n"
                                        "\r\n",
                                        path, query ? "?" : "", query ? query : "",
                                        g_uri_get_host (uri), port > 0 ? ":" : "", port > 0 ? port : 0,
                                        handshake->key);
  g_task_set_task_data (task, handshake, handshake_free);

  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   handshake->request, strlen (handshake->request),
                                   G_PRIORITY_DEFAULT, cancellable,
                                   on_request_written, g_steal_pointer (&task));
}

SoupWebsocketConnection *
gh_websocket_client_connect_finish (GIOStream     *stream,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint64
gh_websocket_frame_size (gsize    payload,
                         gboolean masked)
{
  guint64 header = payload < 126 ? 2 : payload < 65536 ? 4 : 10;

  return payload + header + (masked ? 4 : 0);
}
