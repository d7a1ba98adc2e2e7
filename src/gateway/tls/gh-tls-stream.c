/* gh-tls-stream.c — TLS over a socket connection, driven with GnuTLS directly
 *
 * GIO's GTlsConnection cannot take a GnuTLS priority string per connection nor pick
 * the server certificate by SNI, so the gateway drives gnutls_session_t itself. The
 * session reads and writes the socket's file descriptor, which GSocket keeps
 * non-blocking; GNUTLS_E_AGAIN becomes G_IO_ERROR_WOULD_BLOCK, and the streams are
 * pollable so that libsoup's HTTP and WebSocket code runs on top unchanged.
 *
 * As with any pollable stream, a write that would block must be retried with the
 * same data (GnuTLS keeps the record it already encrypted).
 *
 * GnuTLS reads the socket through our own pull function, which records whether the
 * socket itself said EAGAIN: GnuTLS also answers AGAIN right after it handles a
 * post-handshake message, with more input waiting, and the edge-triggered watch may
 * only be told "empty" when the socket is (#13).
 *
 * The pull function reads ahead: GnuTLS asks for a record's header and then for its
 * body, and each ask was a recv(), with a third one to learn that the socket was
 * empty. One recv() into a buffer the size of a record serves both asks, and when it
 * comes back short the socket was empty (epoll(7), stream sockets): until the watch
 * sees the next edge, the next ask is answered "would block" without a system call.
 * Three calls per record became one (#13). The buffer lives only while it holds
 * bytes, so an idle session keeps none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-tls-stream"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include <glib/gi18n.h>

#include "gh-pki-private.h"
#include "gh-poll-watch.h"
#include "gh-tls-private.h"
#include "gh-tls-stream.h"

struct _GhTlsStream
{
  GIOStream           parent_instance;

  GSocketConnection  *base;
  GSocket            *socket;
  GhPollWatch        *watch;       /* for the sources handed out once handshaken; NULL before */
  gnutls_session_t    session;
  GObject            *context;     /* GhTlsServerContext or GhTlsClientContext, kept alive */
  gboolean            is_server;
  gboolean            handshaken;
  gboolean            closed;
  gboolean            write_shut;
  guint64             bytes_written;  /* plaintext accepted by gnutls_record_send */
  guint64             bytes_read;     /* plaintext gnutls_record_recv gave */
  gsize               read_burst;     /* read without waiting since the last source was made */
  gboolean            input_paused;
  gboolean            pull_would_block;  /* the last read of the socket said EAGAIN */
  int                 pull_errno;        /* what the last failed read of the socket said */
  int                 fd;
  guint8             *ahead;       /* read from the socket, not yet given to GnuTLS */
  gsize               ahead_start;
  gsize               ahead_end;

  GInputStream       *input;
  GOutputStream      *output;

  char               *protocol;
  char               *cipher;
  char               *server_name;
  char               *alpn;
  char               *identity_alias;
  GhCertificate      *peer_certificate;
  unsigned int        verify_status;   /* of verify_optional_client(), when it refused */
};

G_DEFINE_FINAL_TYPE (GhTlsStream, gh_tls_stream, G_TYPE_IO_STREAM)

#define MAX_READ_BURST (128 * 1024)

/* A TLS record at its largest (2^14 bytes of data and the most a TLS 1.2 cipher adds),
 * with its header. */
#define READ_AHEAD (5 + 16384 + 2048)

/* The input and output halves */

#define GH_TYPE_TLS_INPUT (gh_tls_input_get_type ())
G_DECLARE_FINAL_TYPE (GhTlsInput, gh_tls_input, GH, TLS_INPUT, GInputStream)

struct _GhTlsInput
{
  GInputStream  parent_instance;
  GhTlsStream  *tls;  /* weak: the stream owns its halves */
};

static void gh_tls_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GhTlsInput, gh_tls_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM, gh_tls_input_pollable_init))

#define GH_TYPE_TLS_OUTPUT (gh_tls_output_get_type ())
G_DECLARE_FINAL_TYPE (GhTlsOutput, gh_tls_output, GH, TLS_OUTPUT, GOutputStream)

struct _GhTlsOutput
{
  GOutputStream  parent_instance;
  GhTlsStream   *tls;
};

static void gh_tls_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GhTlsOutput, gh_tls_output, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM, gh_tls_output_pollable_init))

static gboolean
set_tls_error (GError      **error,
               GhTlsStream  *self,
               int           code)
{
  if (code == GNUTLS_E_REHANDSHAKE)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                         _("TLS: the peer asked to renegotiate, which the gateway does not allow"));
  else if (code == GNUTLS_E_FATAL_ALERT_RECEIVED)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                 _("TLS: the peer sent the alert “%s”"),
                 gnutls_alert_get_name (gnutls_alert_get (self->session)));
  else if (code == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR)
    {
      gnutls_datum_t text = { NULL, 0 };
      unsigned int status = self->verify_status != 0 ? self->verify_status
                                                     : gnutls_session_get_verify_cert_status (self->session);

      gnutls_certificate_verification_status_print (status, GNUTLS_CRT_X509, &text, 0);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("TLS: the peer’s certificate was refused: %s"), text.data ? (char *) text.data : "");
      gnutls_free (text.data);
    }
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "TLS: %s", gnutls_strerror (code));

  return FALSE;
}

/* GnuTLS met EAGAIN: the watch waits for the socket's next edge in that direction. */
static void
socket_would_block (GhTlsStream *self)
{
  if (self->watch != NULL)
    gh_poll_watch_would_block (self->watch, gnutls_record_get_direction (self->session) ? G_IO_OUT : G_IO_IN);
}

/* (nullable) The watch for the sources, made on first use. */
static GhPollWatch *
ensure_watch (GhTlsStream *self)
{
  if (self->watch == NULL && !self->closed)
    self->watch = gh_poll_watch_new (self->fd);
  return self->watch;
}

/* GnuTLS reads the socket here. Only this function knows whether the socket was
 * empty: GnuTLS returns AGAIN as well right after it handles a post-handshake message
 * (a TLS 1.3 NewSessionTicket, a KeyUpdate) with the next record already waiting. The
 * watch is edge-triggered, so taking that for "empty" waits for an edge that never
 * comes: the session stalled behind any back-end that sends session tickets (Node.js
 * ws, nginx, HAProxy, Python). */
static ssize_t
transport_pull (gnutls_transport_ptr_t  ptr,
                void                   *data,
                size_t                  size)
{
  GhTlsStream *self = ptr;
  guint8 *into;
  gsize want;
  ssize_t n;

  if (self->ahead_end > self->ahead_start)
    {
      n = MIN (size, self->ahead_end - self->ahead_start);
      memcpy (data, self->ahead + self->ahead_start, n);
      self->ahead_start += n;
      if (self->ahead_start == self->ahead_end)
        {
          g_clear_pointer (&self->ahead, g_free);
          self->ahead_start = self->ahead_end = 0;
        }
      return n;
    }

  /* Found empty by a short read, and no edge since. */
  if (self->watch != NULL && !gh_poll_watch_is_ready (self->watch, G_IO_IN))
    {
      self->pull_would_block = TRUE;
      gnutls_transport_set_errno (self->session, EAGAIN);
      return -1;
    }

  if (size >= READ_AHEAD)
    {
      into = data;
      want = size;
    }
  else
    {
      self->ahead = g_malloc (READ_AHEAD);
      into = self->ahead;
      want = READ_AHEAD;
    }

  do
    n = recv (self->fd, into, want, 0);
  while (n < 0 && errno == EINTR);

  if (n < 0)
    {
      int saved = errno;

      if (saved == EAGAIN || saved == EWOULDBLOCK)
        {
          self->pull_would_block = TRUE;
          if (self->watch != NULL)
            gh_poll_watch_would_block (self->watch, G_IO_IN);
        }
      self->pull_errno = saved;
      gnutls_transport_set_errno (self->session, saved);
    }
  else if (n > 0 && (gsize) n < want && self->watch != NULL)
    gh_poll_watch_would_block (self->watch, G_IO_IN);  /* not at the end: that stays */

  if (into == data)
    return n;

  if (n <= 0)
    {
      g_clear_pointer (&self->ahead, g_free);
      return n;
    }
  self->ahead_start = 0;
  self->ahead_end = n;
  return transport_pull (ptr, data, size);
}

/* Whether a read can give something without the socket: data GnuTLS decrypted, or
 * bytes read ahead. */
static gboolean
input_buffered (GhTlsStream *self)
{
  return self->ahead_end > self->ahead_start || gnutls_record_check_pending (self->session) > 0;
}

/* What GnuTLS asks before a read it may have to wait for (TLS 1.3, timeouts). */
static int
transport_pull_timeout (gnutls_transport_ptr_t ptr,
                        unsigned int           ms)
{
  GhTlsStream *self = ptr;
  struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
  int ret;

  if (self->ahead_end > self->ahead_start)
    return 1;

  do
    ret = poll (&pfd, 1, ms == GNUTLS_INDEFINITE_TIMEOUT ? -1 : (int) MIN (ms, G_MAXINT));
  while (ret < 0 && errno == EINTR);

  if (ret < 0)
    gnutls_transport_set_errno (self->session, errno);
  return ret;
}

/* A peer that sends nothing but post-handshake messages still lets other sessions
 * have their turn. */
#define MAX_POST_HANDSHAKE_MESSAGES 64

static gssize
tls_read (GhTlsStream   *self,
          void          *buffer,
          gsize          count,
          gboolean       blocking,
          GCancellable  *cancellable,
          GError       **error)
{
  guint post_handshake = 0;

  for (;;)
    {
      ssize_t ret;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;

      self->pull_would_block = FALSE;
      ret = gnutls_record_recv (self->session, buffer, count);
      if (ret >= 0)
        {
          self->bytes_read += ret;
          return ret;
        }

      if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
        {
          if (!self->pull_would_block && gnutls_record_get_direction (self->session) == 0)
            {
              /* A post-handshake message, handled: the socket was not found empty. */
              if (blocking || ++post_handshake < MAX_POST_HANDSHAKE_MESSAGES)
                continue;
              /* The watch's bit stays set, so the source dispatches again. */
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, _("Operation would block"));
              return -1;
            }
          socket_would_block (self);
          if (!blocking)
            {
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, _("Operation would block"));
              return -1;
            }
          if (!g_socket_condition_wait (self->socket, G_IO_IN, cancellable, error))
            return -1;
          continue;
        }

      /* Many clients close without a close_notify alert: that is an end of stream. So
       * is a reset (a peer that closed with our data unread): whether the peer's
       * kernel sends a FIN or a reset is a race, and a reader should not tell two
       * stories of the same close. */
      if (ret == GNUTLS_E_PREMATURE_TERMINATION ||
          (ret == GNUTLS_E_PULL_ERROR && self->pull_errno == ECONNRESET))
        return 0;

      set_tls_error (error, self, ret);
      return -1;
    }
}

static gssize
tls_write (GhTlsStream   *self,
           const void    *buffer,
           gsize          count,
           gboolean       blocking,
           GCancellable  *cancellable,
           GError       **error)
{
  for (;;)
    {
      ssize_t ret;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;

      ret = gnutls_record_send (self->session, buffer, count);
      if (ret >= 0)
        {
          self->bytes_written += ret;
          return ret;
        }

      if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
        {
          socket_would_block (self);
          if (!blocking)
            {
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, _("Operation would block"));
              return -1;
            }
          if (!g_socket_condition_wait (self->socket, G_IO_OUT, cancellable, error))
            return -1;
          continue;
        }

      set_tls_error (error, self, ret);
      return -1;
    }
}

static gssize
gh_tls_input_read (GInputStream  *stream,
                   void          *buffer,
                   gsize          count,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return tls_read (GH_TLS_INPUT (stream)->tls, buffer, count, TRUE, cancellable, error);
}

static gssize
gh_tls_input_read_nonblocking (GPollableInputStream  *stream,
                               void                  *buffer,
                               gsize                  count,
                               GError               **error)
{
  GhTlsStream *tls = GH_TLS_INPUT (stream)->tls;
  gssize n;

  /* libsoup reads a WebSocket until the socket is empty before it handles a frame:
   * a bounded burst (one would-block, then reading goes on) lets back-pressure act in
   * between, and other sessions have their turn. */
  if (tls->input_paused || tls->read_burst >= MAX_READ_BURST)
    {
      tls->read_burst = 0;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, _("Operation would block"));
      return -1;
    }

  n = tls_read (tls, buffer, count, FALSE, NULL, error);
  if (n > 0)
    tls->read_burst += n;
  return n;
}

static gboolean
gh_tls_input_is_readable (GPollableInputStream *stream)
{
  GhTlsStream *tls = GH_TLS_INPUT (stream)->tls;

  if (tls->input_paused)
    return FALSE;
  return input_buffered (tls) || g_socket_condition_check (tls->socket, G_IO_IN) != 0;
}

static gboolean
input_has_pending (gpointer data)
{
  GhTlsStream *tls = GH_TLS_INPUT (data)->tls;

  return tls != NULL && input_buffered (tls);
}

static GSource *
gh_tls_input_create_source (GPollableInputStream *stream,
                            GCancellable         *cancellable)
{
  GhTlsStream *tls = GH_TLS_INPUT (stream)->tls;
  GhPollWatch *watch = ensure_watch (tls);
  g_autoptr(GSource) child = NULL;

  tls->read_burst = 0;
  if (watch != NULL)
    return gh_poll_watch_create_source (watch, G_IO_IN, G_OBJECT (stream), input_has_pending, stream, cancellable);

  /* Data GnuTLS already decrypted, or read ahead, does not wake the socket: dispatch
   * at once. */
  if (input_buffered (tls))
    child = g_timeout_source_new (0);
  else
    child = g_socket_create_source (tls->socket, G_IO_IN, NULL);

  return g_pollable_source_new_full (stream, child, cancellable);
}

/**
 * gh_tls_stream_create_input_source:
 * @self: a #GhTlsStream, handshaken
 * @pollable: the stream the source's callback is given (a stream over this one)
 * @cancellable: (nullable): a #GCancellable
 *
 * The input's own source, for a stream layered over this one that has nothing to add
 * to it: one source in the main loop instead of two (a wrapper and this as its child).
 * Each read of a WebSocket makes one, and GLib visits every source on every iteration.
 * The layer holds reading back with gh_tls_stream_set_input_paused().
 *
 * Returns: (transfer full) (nullable): the source, or %NULL if the stream's sources
 *   are GSocket ones (use a wrapper then)
 */
GSource *
gh_tls_stream_create_input_source (GhTlsStream  *self,
                                   GObject      *pollable,
                                   GCancellable *cancellable)
{
  GhPollWatch *watch;

  g_return_val_if_fail (GH_IS_TLS_STREAM (self), NULL);

  if ((watch = ensure_watch (self)) == NULL)
    return NULL;
  self->read_burst = 0;
  return gh_poll_watch_create_source (watch, G_IO_IN, pollable, input_has_pending, self->input, cancellable);
}

static void
gh_tls_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->is_readable = gh_tls_input_is_readable;
  iface->create_source = gh_tls_input_create_source;
  iface->read_nonblocking = gh_tls_input_read_nonblocking;
}

static gboolean
gh_tls_input_close (GInputStream  *stream,
                    GCancellable  *cancellable,
                    GError       **error)
{
  /* The stream closes the connection as a whole. */
  return TRUE;
}

static void
gh_tls_input_class_init (GhTlsInputClass *klass)
{
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  input_class->read_fn = gh_tls_input_read;
  input_class->close_fn = gh_tls_input_close;
}

static void
gh_tls_input_init (GhTlsInput *self)
{
}

static gssize
gh_tls_output_write (GOutputStream  *stream,
                     const void     *buffer,
                     gsize           count,
                     GCancellable   *cancellable,
                     GError        **error)
{
  return tls_write (GH_TLS_OUTPUT (stream)->tls, buffer, count, TRUE, cancellable, error);
}

static gssize
gh_tls_output_write_nonblocking (GPollableOutputStream  *stream,
                                 const void             *buffer,
                                 gsize                   count,
                                 GError                **error)
{
  return tls_write (GH_TLS_OUTPUT (stream)->tls, buffer, count, FALSE, NULL, error);
}

static gboolean
gh_tls_output_is_writable (GPollableOutputStream *stream)
{
  return g_socket_condition_check (GH_TLS_OUTPUT (stream)->tls->socket, G_IO_OUT) != 0;
}

static GSource *
gh_tls_output_create_source (GPollableOutputStream *stream,
                             GCancellable          *cancellable)
{
  GhTlsStream *tls = GH_TLS_OUTPUT (stream)->tls;
  GhPollWatch *watch = ensure_watch (tls);
  g_autoptr(GSource) child = NULL;

  if (watch != NULL)
    return gh_poll_watch_create_source (watch, G_IO_OUT, G_OBJECT (stream), NULL, NULL, cancellable);

  child = g_socket_create_source (tls->socket, G_IO_OUT, NULL);
  return g_pollable_source_new_full (stream, child, cancellable);
}

static void
gh_tls_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->is_writable = gh_tls_output_is_writable;
  iface->create_source = gh_tls_output_create_source;
  iface->write_nonblocking = gh_tls_output_write_nonblocking;
}

static gboolean
gh_tls_output_close (GOutputStream  *stream,
                     GCancellable   *cancellable,
                     GError        **error)
{
  return TRUE;
}

static void
gh_tls_output_class_init (GhTlsOutputClass *klass)
{
  GOutputStreamClass *output_class = G_OUTPUT_STREAM_CLASS (klass);

  output_class->write_fn = gh_tls_output_write;
  output_class->close_fn = gh_tls_output_close;
}

static void
gh_tls_output_init (GhTlsOutput *self)
{
}

/* The stream */

static GhTlsStream *
new_stream (GSocketConnection  *base,
            GObject            *context,
            gboolean            is_server,
            GError            **error)
{
  g_autoptr(GhTlsStream) self = g_object_new (GH_TYPE_TLS_STREAM, NULL);
  int ret;

  self->base = g_object_ref (base);
  self->socket = g_object_ref (g_socket_connection_get_socket (base));
  self->fd = g_socket_get_fd (self->socket);
  self->context = g_object_ref (context);
  self->is_server = is_server;

  ret = gnutls_init (&self->session, (is_server ? GNUTLS_SERVER : GNUTLS_CLIENT) | GNUTLS_NONBLOCK | GNUTLS_NO_SIGNAL);
  if (ret < 0)
    {
      set_tls_error (error, self, ret);
      return NULL;
    }

  /* Reads through transport_pull() (which needs the stream), writes straight to the
   * descriptor (GnuTLS's own writev). */
  gnutls_transport_set_ptr2 (self->session, self, GINT_TO_POINTER (self->fd));
  gnutls_transport_set_pull_function (self->session, transport_pull);
  gnutls_transport_set_pull_timeout_function (self->session, transport_pull_timeout);
  gnutls_session_set_ptr (self->session, self);

  self->input = g_object_new (GH_TYPE_TLS_INPUT, NULL);
  GH_TLS_INPUT (self->input)->tls = self;
  self->output = g_object_new (GH_TYPE_TLS_OUTPUT, NULL);
  GH_TLS_OUTPUT (self->output)->tls = self;

  return g_steal_pointer (&self);
}

/**
 * gh_tls_stream_set_input_paused:
 * @self: a #GhTlsStream, handshaken
 * @paused: whether the sources of its input stream stay quiet
 *
 * Back-pressure for readers that read whenever the input is readable (libsoup's
 * WebSockets): while paused, nothing more is read from the socket and TCP slows the
 * peer down.
 *
 * Returns: %FALSE if the stream cannot pause (its sources are GSocket ones)
 */
gboolean
gh_tls_stream_set_input_paused (GhTlsStream *self,
                                gboolean     paused)
{
  GhPollWatch *watch;

  g_return_val_if_fail (GH_IS_TLS_STREAM (self), FALSE);

  if ((watch = ensure_watch (self)) == NULL)
    return FALSE;
  self->input_paused = paused;
  gh_poll_watch_set_paused (watch, G_IO_IN, paused);
  return TRUE;
}

/* verify-client "optional": a client that sends no certificate goes on; one that sends
 * a certificate has it verified as "required" does. (gnutls_session_set_verify_cert()
 * refuses the first: with no certificate, its check fails with "Error in the
 * certificate".) */
static int
verify_optional_client (gnutls_session_t session)
{
  GhTlsStream *self = gnutls_session_get_ptr (session);
  unsigned int n_peers = 0;

  if (gnutls_certificate_get_peers (session, &n_peers) == NULL || n_peers == 0)
    return 0;
  if (gnutls_certificate_verify_peers2 (session, &self->verify_status) < 0)
    return GNUTLS_E_CERTIFICATE_ERROR;
  return self->verify_status == 0 ? 0 : GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR;
}

/**
 * gh_tls_stream_new_server:
 * @base: an accepted connection
 * @context: the service's TLS settings toward clients
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the stream, ready for gh_tls_stream_handshake_async()
 */
GhTlsStream *
gh_tls_stream_new_server (GSocketConnection   *base,
                          GhTlsServerContext  *context,
                          GError             **error)
{
  g_autoptr(GhTlsStream) self = NULL;
  int ret;

  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (base), NULL);
  g_return_val_if_fail (GH_IS_TLS_SERVER_CONTEXT (context), NULL);

  if ((self = new_stream (base, G_OBJECT (context), TRUE, error)) == NULL)
    return NULL;

  if ((ret = gnutls_priority_set (self->session, gh_tls_server_context_get_priority (context))) < 0 ||
      (ret = gnutls_credentials_set (self->session, GNUTLS_CRD_CERTIFICATE,
                                     gh_tls_server_context_get_credentials (context))) < 0)
    {
      set_tls_error (error, self, ret);
      return NULL;
    }

  switch (gh_tls_server_context_get_verify_client (context))
    {
    case GH_VERIFY_CLIENT_NONE:
      gnutls_certificate_server_set_request (self->session, GNUTLS_CERT_IGNORE);
      break;
    case GH_VERIFY_CLIENT_OPTIONAL:
      gnutls_certificate_server_set_request (self->session, GNUTLS_CERT_REQUEST);
      gnutls_session_set_verify_function (self->session, verify_optional_client);
      break;
    case GH_VERIFY_CLIENT_REQUIRED:
      gnutls_certificate_server_set_request (self->session, GNUTLS_CERT_REQUIRE);
      gnutls_session_set_verify_cert (self->session, NULL, 0);
      break;
    }

  return g_steal_pointer (&self);
}

/**
 * gh_tls_stream_new_client:
 * @base: a connection to a server
 * @context: the service's TLS settings toward its back-end
 * @server_name: the back-end's host name (sent as SNI unless an IP address) or
 *   address, verified against its certificate when the context verifies
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the stream, ready for gh_tls_stream_handshake_async()
 */
GhTlsStream *
gh_tls_stream_new_client (GSocketConnection   *base,
                          GhTlsClientContext  *context,
                          const char          *server_name,
                          GError             **error)
{
  g_autoptr(GhTlsStream) self = NULL;
  int ret;

  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (base), NULL);
  g_return_val_if_fail (GH_IS_TLS_CLIENT_CONTEXT (context), NULL);
  g_return_val_if_fail (server_name != NULL, NULL);

  if ((self = new_stream (base, G_OBJECT (context), FALSE, error)) == NULL)
    return NULL;

  if ((ret = gnutls_priority_set (self->session, gh_tls_client_context_get_priority (context))) < 0 ||
      (ret = gnutls_credentials_set (self->session, GNUTLS_CRD_CERTIFICATE,
                                     gh_tls_client_context_get_credentials (context))) < 0 ||
      (!g_hostname_is_ip_address (server_name) &&
       (ret = gnutls_server_name_set (self->session, GNUTLS_NAME_DNS, server_name, strlen (server_name))) < 0))
    {
      set_tls_error (error, self, ret);
      return NULL;
    }

  if (gh_tls_client_context_get_verify (context))
    gnutls_session_set_verify_cert (self->session, server_name, 0);

  return g_steal_pointer (&self);
}

static void
record_session (GhTlsStream *self)
{
  const gnutls_datum_t *peer;
  unsigned int n_peer = 0;
  char name[256];
  size_t size = sizeof name - 1;
  unsigned int type = 0;
  gnutls_datum_t alpn = { NULL, 0 };
  const char *suite;

  self->protocol = g_strdup (gnutls_protocol_get_name (gnutls_protocol_get_version (self->session)));
  suite = gnutls_ciphersuite_get (self->session);
  self->cipher = g_strdup (suite != NULL ? suite : "");

  if (self->is_server && gnutls_server_name_get (self->session, name, &size, &type, 0) >= 0 &&
      type == GNUTLS_NAME_DNS)
    {
      name[size] = '\0';
      self->server_name = g_strdup (name);
    }

  if (gnutls_alpn_get_selected_protocol (self->session, &alpn) >= 0 && alpn.size > 0)
    self->alpn = g_strndup ((const char *) alpn.data, alpn.size);


  peer = gnutls_certificate_get_peers (self->session, &n_peer);
  if (peer != NULL && n_peer > 0)
    {
      g_autoptr(GBytes) der = g_bytes_new (peer[0].data, peer[0].size);
      self->peer_certificate = gh_certificate_new_from_der (der, NULL);
    }
}

/* The server's certificate, chosen per handshake by SNI, then the accept host. */
int
_gh_tls_stream_retrieve_server_certificate (gnutls_session_t                  session,
                                            const struct gnutls_cert_retr_st *info,
                                            gnutls_pcert_st                 **certs,
                                            unsigned int                     *n_certs,
                                            gnutls_ocsp_data_st             **ocsp,
                                            unsigned int                     *n_ocsp,
                                            gnutls_privkey_t                 *privkey,
                                            unsigned int                     *flags)
{
  GhTlsStream *self = gnutls_session_get_ptr (session);
  GhTlsServerContext *context;
  char server_name[256] = "";
  size_t size = sizeof server_name - 1;
  unsigned int type = 0;
  GhTlsIdentity *identity;

  if (self == NULL || !GH_IS_TLS_SERVER_CONTEXT (self->context))
    return -1;
  context = GH_TLS_SERVER_CONTEXT (self->context);

  if (gnutls_server_name_get (session, server_name, &size, &type, 0) < 0 || type != GNUTLS_NAME_DNS)
    server_name[0] = '\0';
  else
    server_name[MIN (size, sizeof server_name - 1)] = '\0';

  identity = gh_tls_identities_select (gh_tls_server_context_get_identities (context), server_name,
                                       gh_tls_server_context_get_fallback_host (context));
  /* Every key a TLS accept can serve was opened when the generation was built. */
  if (identity == NULL || (*privkey = gh_tls_identity_get_privkey (identity)) == NULL)
    return -1;

  *certs = gh_tls_identity_get_pcerts (identity, n_certs);
  *ocsp = NULL;
  *n_ocsp = 0;
  *flags = 0;

  g_free (self->identity_alias);
  self->identity_alias = g_strdup (gh_tls_identity_get_alias (identity));
  return 0;
}

typedef struct {
  GSource *wait;
  GSource *timeout;
} Handshake;

static void
handshake_free (gpointer data)
{
  Handshake *handshake = data;

  if (handshake->wait != NULL)
    {
      g_source_destroy (handshake->wait);
      g_source_unref (handshake->wait);
    }
  if (handshake->timeout != NULL)
    {
      g_source_destroy (handshake->timeout);
      g_source_unref (handshake->timeout);
    }
  g_free (handshake);
}

static gboolean handshake_step (gpointer user_data);

static gboolean
on_socket_ready (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  return handshake_step (user_data);
}

static gboolean
handshake_step (gpointer user_data)
{
  GTask *task = user_data;
  GhTlsStream *self = g_task_get_source_object (task);
  Handshake *handshake = g_task_get_task_data (task);
  int ret;

  if (g_task_return_error_if_cancelled (task))
    goto done;

  ret = gnutls_handshake (self->session);
  if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
    {
      GIOCondition condition = gnutls_record_get_direction (self->session) ? G_IO_OUT : G_IO_IN;

      if (handshake->wait != NULL)
        {
          g_source_destroy (handshake->wait);
          g_source_unref (handshake->wait);
        }
      /* Cancelling the task wakes it. */
      handshake->wait = g_socket_create_source (self->socket, condition, g_task_get_cancellable (task));
      g_source_set_callback (handshake->wait, G_SOURCE_FUNC (on_socket_ready), task, NULL);
      g_source_attach (handshake->wait, g_task_get_context (task));
      return G_SOURCE_REMOVE;
    }

  if (ret < 0)
    {
      GError *error = NULL;

      /* The peer learns why (a client without the certificate asked for reads
       * "certificate required"), rather than meeting the end of the stream. What it
       * sent meanwhile (up to 64 KiB) is read and dropped, so that closing sends a FIN
       * behind the alert, not a reset that may destroy it (a TLS 1.3 client sends its
       * request right after its Finished). */
      if (gnutls_error_is_fatal (ret) && ret != GNUTLS_E_FATAL_ALERT_RECEIVED)
        {
          char sink[4096];

          gnutls_alert_send_appropriate (self->session, ret);
          for (int i = 0; i < 16 && recv (self->fd, sink, sizeof sink, MSG_DONTWAIT) > 0; i++)
            ;
        }
      set_tls_error (&error, self, ret);
      g_task_return_error (task, error);
      goto done;
    }

  self->handshaken = TRUE;
  record_session (self);
  g_task_return_boolean (task, TRUE);

done:
  /* The task's data owns the sources; dropping the task destroys them. */
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static gboolean
on_handshake_timeout (gpointer user_data)
{
  GTask *task = user_data;
  Handshake *handshake = g_task_get_task_data (task);

  g_clear_pointer (&handshake->timeout, g_source_unref);
  if (handshake->wait != NULL)
    {
      g_source_destroy (handshake->wait);
      g_clear_pointer (&handshake->wait, g_source_unref);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("TLS: the handshake timed out"));
      g_object_unref (task);
    }

  return G_SOURCE_REMOVE;
}

/**
 * gh_tls_stream_handshake_async:
 * @self: a #GhTlsStream
 * @timeout_seconds: give up after this long; 0 for never
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the handshake is done or failed
 * @user_data: data for @callback
 */
void
gh_tls_stream_handshake_async (GhTlsStream         *self,
                               guint                timeout_seconds,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  Handshake *handshake;

  g_return_if_fail (GH_IS_TLS_STREAM (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_tls_stream_handshake_async);
  handshake = g_new0 (Handshake, 1);
  g_task_set_task_data (task, handshake, handshake_free);

  if (timeout_seconds > 0)
    {
      handshake->timeout = g_timeout_source_new_seconds (timeout_seconds);
      g_source_set_callback (handshake->timeout, on_handshake_timeout, task, NULL);
      g_source_attach (handshake->timeout, g_task_get_context (task));
    }

  /* The task holds itself until it returns (see handshake_step). */
  handshake_step (task);
}

gboolean
gh_tls_stream_handshake_finish (GhTlsStream   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

GSocketConnection *
gh_tls_stream_get_base (GhTlsStream *self)
{
  g_return_val_if_fail (GH_IS_TLS_STREAM (self), NULL);
  return self->base;
}

/**
 * gh_tls_stream_get_bytes_written:
 * @self: a #GhTlsStream
 *
 * Counts the plaintext bytes GnuTLS has taken so far (a write that would block takes
 * nothing until it is retried). A writer that counts what it queued can tell how much
 * is still waiting in its queue.
 *
 * Returns: the bytes written since the stream was made
 */
guint64
gh_tls_stream_get_bytes_written (GhTlsStream *self)
{
  g_return_val_if_fail (GH_IS_TLS_STREAM (self), 0);
  return self->bytes_written;
}

/**
 * gh_tls_stream_get_bytes_read:
 * @self: a #GhTlsStream
 *
 * Returns: the plaintext bytes read from the peer since the stream was made
 */
guint64
gh_tls_stream_get_bytes_read (GhTlsStream *self)
{
  g_return_val_if_fail (GH_IS_TLS_STREAM (self), 0);
  return self->bytes_read;
}

/**
 * gh_tls_stream_shutdown:
 * @self: a #GhTlsStream
 *
 * Ends the connection under whoever reads or writes it: a close_notify when the
 * handshake is done and the socket takes it now, then the socket shut down both ways.
 * Pending and later reads see the end of the stream, writes fail, and the owner closes
 * the stream as it does for any peer that went away. For timeouts and limits.
 */
void
gh_tls_stream_shutdown (GhTlsStream *self)
{
  g_return_if_fail (GH_IS_TLS_STREAM (self));

  if (self->closed)
    return;
  if (self->handshaken)
    gnutls_bye (self->session, GNUTLS_SHUT_WR);
  g_socket_shutdown (self->socket, TRUE, TRUE, NULL);
}

#define GETTER(type, name) \
  type gh_tls_stream_get_##name (GhTlsStream *self) \
  { \
    g_return_val_if_fail (GH_IS_TLS_STREAM (self), NULL); \
    return self->name; \
  }

GETTER (const char *, protocol)
GETTER (const char *, cipher)
GETTER (const char *, server_name)
GETTER (const char *, alpn)
GETTER (const char *, identity_alias)
GETTER (GhCertificate *, peer_certificate)

#undef GETTER

/**
 * gh_tls_stream_dup_peer_chain:
 * @self: a #GhTlsStream
 *
 * Returns: (transfer container) (element-type GhCertificate): the peer's certificates
 *   as it sent them, leaf first; empty when it sent none (or none that parse)
 */
GPtrArray *
gh_tls_stream_dup_peer_chain (GhTlsStream *self)
{
  GPtrArray *chain = g_ptr_array_new_with_free_func (g_object_unref);
  const gnutls_datum_t *peers;
  unsigned int n_peers = 0;

  g_return_val_if_fail (GH_IS_TLS_STREAM (self), chain);

  peers = gnutls_certificate_get_peers (self->session, &n_peers);
  for (unsigned int i = 0; peers != NULL && i < n_peers; i++)
    {
      g_autoptr(GBytes) der = g_bytes_new (peers[i].data, peers[i].size);
      GhCertificate *certificate = gh_certificate_new_from_der (der, NULL);

      if (certificate == NULL)
        break;
      g_ptr_array_add (chain, certificate);
    }

  return chain;
}

gboolean
gh_tls_stream_get_certificate_requested (GhTlsStream *self)
{
  g_return_val_if_fail (GH_IS_TLS_STREAM (self), FALSE);
  return !self->is_server && gnutls_certificate_client_get_request_status (self->session) != 0;
}

gboolean
gh_tls_stream_get_certificate_sent (GhTlsStream *self)
{
  g_return_val_if_fail (GH_IS_TLS_STREAM (self), FALSE);
  return !self->is_server && gnutls_certificate_get_ours (self->session) != NULL;
}

static GInputStream *
gh_tls_stream_get_input_stream (GIOStream *stream)
{
  return GH_TLS_STREAM (stream)->input;
}

static GOutputStream *
gh_tls_stream_get_output_stream (GIOStream *stream)
{
  return GH_TLS_STREAM (stream)->output;
}

static gboolean
gh_tls_stream_close (GIOStream     *stream,
                     GCancellable  *cancellable,
                     GError       **error)
{
  GhTlsStream *self = GH_TLS_STREAM (stream);

  if (!self->closed)
    {
      self->closed = TRUE;
      /* Best effort: a close_notify if the socket takes it now, never a wait. */
      if (self->handshaken && !self->write_shut)
        gnutls_bye (self->session, GNUTLS_SHUT_WR);
      /* Out of the epoll set before the descriptor closes (and its number is reused). */
      if (self->watch != NULL)
        gh_poll_watch_stop (self->watch);
    }

  return g_io_stream_close (G_IO_STREAM (self->base), cancellable, error);
}

void
gh_tls_stream_shutdown_write (GhTlsStream *self)
{
  g_return_if_fail (GH_IS_TLS_STREAM (self));

  if (self->closed || self->write_shut)
    return;
  self->write_shut = TRUE;
  /* Best effort, as in close. */
  if (self->handshaken)
    gnutls_bye (self->session, GNUTLS_SHUT_WR);
  g_socket_shutdown (self->socket, FALSE, TRUE, NULL);
}

static void
gh_tls_stream_dispose (GObject *object)
{
  GhTlsStream *self = GH_TLS_STREAM (object);

  if (self->input != NULL)
    GH_TLS_INPUT (self->input)->tls = NULL;
  if (self->output != NULL)
    GH_TLS_OUTPUT (self->output)->tls = NULL;
  g_clear_object (&self->input);
  g_clear_object (&self->output);

  G_OBJECT_CLASS (gh_tls_stream_parent_class)->dispose (object);
}

static void
gh_tls_stream_finalize (GObject *object)
{
  GhTlsStream *self = GH_TLS_STREAM (object);

  if (self->watch != NULL)
    gh_poll_watch_stop (self->watch);
  g_clear_pointer (&self->watch, gh_poll_watch_unref);
  g_clear_pointer (&self->session, gnutls_deinit);
  g_clear_pointer (&self->ahead, g_free);
  g_clear_object (&self->socket);
  g_clear_object (&self->base);
  g_clear_object (&self->context);
  g_clear_object (&self->peer_certificate);
  g_free (self->protocol);
  g_free (self->cipher);
  g_free (self->server_name);
  g_free (self->alpn);
  g_free (self->identity_alias);

  G_OBJECT_CLASS (gh_tls_stream_parent_class)->finalize (object);
}

static void
gh_tls_stream_class_init (GhTlsStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->dispose = gh_tls_stream_dispose;
  object_class->finalize = gh_tls_stream_finalize;

  stream_class->get_input_stream = gh_tls_stream_get_input_stream;
  stream_class->get_output_stream = gh_tls_stream_get_output_stream;
  stream_class->close_fn = gh_tls_stream_close;
}

static void
gh_tls_stream_init (GhTlsStream *self)
{
}
