/* test-bridge.c — one session's traffic between a client and a back-end over byte
 * streams: echo, both ways through a back-end, the counters, and the ways a bridge ends
 * (a side that hangs up, a close asked for through the session)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <sys/socket.h>

#include "gh-bridge.h"

#define TIMEOUT_SECONDS 10

/* Two connected ends of a local socket pair, as GIOStreams. */
static void
stream_pair (GIOStream **a,
             GIOStream **b)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket_a = NULL;
  g_autoptr(GSocket) socket_b = NULL;
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  socket_a = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  socket_b = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  *a = G_IO_STREAM (g_socket_connection_factory_create_connection (socket_a));
  *b = G_IO_STREAM (g_socket_connection_factory_create_connection (socket_b));
}

static GhSession *
new_session (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) client = g_inet_socket_address_new (loopback, 40000);

  return gh_session_new ("test", client);
}

static gboolean
on_timeout (gpointer data)
{
  g_error ("timed out waiting for %s", (const char *) data);
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done is TRUE. */
static void
wait_until (gboolean   *done,
            const char *what)
{
  guint timeout = g_timeout_add_seconds (TIMEOUT_SECONDS, on_timeout, (gpointer) what);

  while (!*done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

typedef struct {
  char     buffer[256];
  gsize    length;
  gsize    wanted;
  gboolean done;
  gboolean eof;
} Reader;

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reader *reader = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n <= 0)
    {
      reader->eof = TRUE;
      reader->done = TRUE;
      return;
    }

  reader->length += n;
  if (reader->length >= reader->wanted)
    {
      reader->done = TRUE;
      return;
    }
  g_input_stream_read_async (G_INPUT_STREAM (source), reader->buffer + reader->length,
                             sizeof reader->buffer - reader->length - 1, G_PRIORITY_DEFAULT, NULL, on_read, reader);
}

/* What @stream reads until @wanted bytes came, or the end. */
static char *
read_from (GIOStream *stream,
           gsize      wanted,
           gboolean  *eof)
{
  Reader reader = { .wanted = wanted };

  g_input_stream_read_async (g_io_stream_get_input_stream (stream), reader.buffer, sizeof reader.buffer - 1,
                             G_PRIORITY_DEFAULT, NULL, on_read, &reader);
  wait_until (&reader.done, "a read");
  if (eof != NULL)
    *eof = reader.eof;
  return g_strndup (reader.buffer, reader.length);
}

static void
write_to (GIOStream  *stream,
          const char *text)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (stream), text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
on_changed (GhSession *session,
            gboolean  *closed)
{
  if (gh_session_get_state (session) == GH_SESSION_STATE_CLOSED)
    *closed = TRUE;
}

static void
wait_closed (GhSession *session)
{
  gboolean closed = gh_session_get_state (session) == GH_SESSION_STATE_CLOSED;
  gulong handler = g_signal_connect (session, "changed", G_CALLBACK (on_changed), &closed);

  wait_until (&closed, "the session to close");
  g_signal_handler_disconnect (session, handler);
}

static void
test_echo (void)
{
  g_autoptr(GIOStream) peer = NULL;
  g_autoptr(GIOStream) served = NULL;
  g_autoptr(GhSession) session = new_session ();
  g_autofree char *echoed = NULL;

  stream_pair (&peer, &served);
  gh_bridge_start (session, gh_endpoint_new_stream (served), NULL, 65536, 0);
  g_assert_cmpint (gh_session_get_state (session), ==, GH_SESSION_STATE_OPEN);

  write_to (peer, "ping\n");
  echoed = read_from (peer, 5, NULL);
  g_assert_cmpstr (echoed, ==, "ping\n");
  g_assert_cmpuint (gh_session_get_bytes_from_client (session), ==, 5);

  /* The client hangs up: the bridge ends and the session with it. */
  g_io_stream_close (peer, NULL, NULL);
  wait_closed (session);
  g_assert_cmpuint (gh_session_get_bytes_to_client (session), ==, 5);
}

static void
test_proxy (void)
{
  g_autoptr(GIOStream) client = NULL;
  g_autoptr(GIOStream) client_side = NULL;
  g_autoptr(GIOStream) backend = NULL;
  g_autoptr(GIOStream) backend_side = NULL;
  g_autoptr(GhSession) session = new_session ();
  g_autofree char *up = NULL;
  g_autofree char *down = NULL;
  g_autofree char *rest = NULL;
  gboolean eof = FALSE;

  stream_pair (&client, &client_side);
  stream_pair (&backend, &backend_side);
  gh_bridge_start (session, gh_endpoint_new_stream (client_side), gh_endpoint_new_stream (backend_side), 65536, 0);

  write_to (client, "request");
  up = read_from (backend, 7, NULL);
  g_assert_cmpstr (up, ==, "request");

  write_to (backend, "response!");
  down = read_from (client, 9, NULL);
  g_assert_cmpstr (down, ==, "response!");

  g_assert_cmpuint (gh_session_get_bytes_from_client (session), ==, 7);
  g_assert_cmpuint (gh_session_get_bytes_to_client (session), ==, 9);

  /* The back-end hangs up: the client's side is closed too. */
  g_io_stream_close (backend, NULL, NULL);
  rest = read_from (client, 1, &eof);
  g_assert_true (eof);
  g_assert_cmpstr (rest, ==, "");
  wait_closed (session);
}

static void
test_close_requested (void)
{
  g_autoptr(GIOStream) client = NULL;
  g_autoptr(GIOStream) client_side = NULL;
  g_autoptr(GIOStream) backend = NULL;
  g_autoptr(GIOStream) backend_side = NULL;
  g_autoptr(GhSession) session = new_session ();
  g_autofree char *from_client = NULL;
  g_autofree char *from_backend = NULL;
  gboolean client_eof = FALSE, backend_eof = FALSE;

  stream_pair (&client, &client_side);
  stream_pair (&backend, &backend_side);
  gh_bridge_start (session, gh_endpoint_new_stream (client_side), gh_endpoint_new_stream (backend_side), 65536, 0);

  /* Closing a session from the admin API closes both sides, with the reason kept. */
  gh_session_close (session, "closed by an operator");
  wait_closed (session);
  g_assert_cmpstr (gh_session_get_close_reason (session), ==, "closed by an operator");

  from_client = read_from (client, 1, &client_eof);
  from_backend = read_from (backend, 1, &backend_eof);
  g_assert_true (client_eof);
  g_assert_true (backend_eof);
}

static void
test_refuse (void)
{
  g_autoptr(GIOStream) client = NULL;
  g_autoptr(GIOStream) client_side = NULL;
  g_autofree char *rest = NULL;
  gboolean eof = FALSE;

  /* An endpoint refused before any bridge: the client sees the connection end. */
  stream_pair (&client, &client_side);
  gh_endpoint_refuse (gh_endpoint_new_stream (client_side), "back-end unavailable");
  g_assert_true (g_io_stream_is_closed (client_side));
  rest = read_from (client, 1, &eof);
  g_assert_true (eof);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bridge/echo", test_echo);
  g_test_add_func ("/bridge/proxy", test_proxy);
  g_test_add_func ("/bridge/close-requested", test_close_requested);
  g_test_add_func ("/bridge/refuse", test_refuse);

  return g_test_run ();
}
