/* gh-admin-guard-stream.c — the admin listener's request heads, checked before libsoup
 *
 * libsoup 3.6 reads a whole request body before the server may answer, and it meets
 * a request head it cannot use in ways a client cannot act on: over 64 KiB it closes
 * the connection without a word, a Content-Length it reads as a number (strtoull takes
 * "-1" for 2^64 - 1) has it wait for a body that never comes. So the decrypted stream
 * passes through this guard on its way to soup_server_accept_iostream(): it follows
 * the requests' framing (a head, then Content-Length bytes of body; the admin API
 * takes no other), copies each head as it passes, and checks it with
 * gh_admin_request_head_check() once its empty line arrives, or as soon as it is over
 * the size limit. A refused head never reaches libsoup whole: the guard writes the
 * answer itself (the owner's refuse function makes it) and ends the input, and libsoup,
 * seeing the end of the stream, closes the connection. The answer goes out when libsoup
 * reads for its next request, never while it is still writing an earlier response
 * (pipelining). A request to upgrade to the event stream ends the checks for good:
 * WebSocket frames follow, not heads.
 *
 * The input half is the guard's own pollable stream; the output half is the base's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-guard"

#include "config.h"

#include "gh-admin-guard-stream.h"
#include "gh-tls-stream.h"

/* Sending a refusal to a client that does not read gives up after this long. */
#define REFUSAL_TIMEOUT 10  /* seconds */
/* After a refusal the client may still be sending (the body the guard refused): a
 * socket closed with input unread makes the kernel reset the connection, and a reset
 * can destroy the answer before the client reads it. So the sending side ends first
 * (the client sees the end of the answer at once) and input is read and dropped until
 * the client closes, as nginx's lingering close does, within bounds. */
#define LINGER_TIMEOUT 2  /* seconds */
#define LINGER_BYTES (8 * 1024 * 1024)

typedef enum {
  GUARD_HEAD,      /* in a request head (or before one) */
  GUARD_BODY,      /* in a body of known length */
  GUARD_PASS,      /* upgraded: no more heads */
} GuardState;

struct _GhAdminGuardStream
{
  GIOStream               parent_instance;

  GIOStream              *base;
  GInputStream           *input;
  goffset                 max_body;
  char                   *events_path;
  GhAdminGuardRefuseFunc  refuse;
  gpointer                user_data;
  GDestroyNotify          destroy;

  GuardState              state;
  GByteArray             *head;        /* the head so far; NULL between heads */
  goffset                 body_left;
  GBytes                 *refusal;     /* decided, sent at the next read */
  GBytes                 *sent;        /* being sent */
  gboolean                refused;     /* sent or being sent: the input has ended */
  GCancellable           *sending;
  guint                   timeout_id;
  GSource                *linger;
  gsize                   lingered;
};

G_DEFINE_FINAL_TYPE (GhAdminGuardStream, gh_admin_guard_stream, G_TYPE_IO_STREAM)

/* The input half */

#define GH_TYPE_ADMIN_GUARD_INPUT (gh_admin_guard_input_get_type ())
G_DECLARE_FINAL_TYPE (GhAdminGuardInput, gh_admin_guard_input, GH, ADMIN_GUARD_INPUT, GInputStream)

struct _GhAdminGuardInput
{
  GInputStream        parent_instance;
  GhAdminGuardStream *guard;  /* unowned: the guard owns this half */
};

static void gh_admin_guard_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GhAdminGuardInput, gh_admin_guard_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      gh_admin_guard_input_pollable_init))

/* Refusing */

static gboolean
on_refusal_timeout (gpointer data)
{
  GhAdminGuardStream *self = data;

  self->timeout_id = 0;
  g_cancellable_cancel (self->sending);
  return G_SOURCE_REMOVE;
}

static void
linger_end (GhAdminGuardStream *self)
{
  /* The source holds the guard: kept until the base is closed. */
  g_autoptr(GhAdminGuardStream) hold = g_object_ref (self);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->linger != NULL)
    {
      g_source_destroy (self->linger);
      g_clear_pointer (&self->linger, g_source_unref);
    }
  g_io_stream_close (self->base, NULL, NULL);
}

static gboolean
on_linger_timeout (gpointer data)
{
  GhAdminGuardStream *self = data;

  self->timeout_id = 0;
  linger_end (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_linger_input (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      data)
{
  GhAdminGuardStream *self = data;
  g_autoptr(GError) error = NULL;
  char buffer[16384];
  gssize n;

  while ((n = g_socket_receive_with_blocking (socket, buffer, sizeof buffer, FALSE, NULL, &error)) > 0)
    if ((self->lingered += n) > LINGER_BYTES)
      break;

  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return G_SOURCE_CONTINUE;

  /* The end of the input, an error, or enough. */
  g_clear_pointer (&self->linger, g_source_unref);
  linger_end (self);
  return G_SOURCE_REMOVE;
}

static void
linger_then_close (GhAdminGuardStream *self)
{
  GSocket *socket = NULL;

  if (GH_IS_TLS_STREAM (self->base))
    socket = g_socket_connection_get_socket (gh_tls_stream_get_base (GH_TLS_STREAM (self->base)));
  if (socket == NULL || g_socket_is_closed (socket))
    {
      g_io_stream_close (self->base, NULL, NULL);
      return;
    }

  gh_tls_stream_shutdown_write (GH_TLS_STREAM (self->base));

  self->linger = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (self->linger, G_SOURCE_FUNC (on_linger_input), g_object_ref (self), g_object_unref);
  g_source_attach (self->linger, NULL);
  self->timeout_id = g_timeout_add_seconds (LINGER_TIMEOUT, on_linger_timeout, self);
}

static void
on_refusal_sent (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GhAdminGuardStream) self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_debug ("a refusal was not sent: %s", error->message);
      g_io_stream_close (self->base, NULL, NULL);
      return;
    }
  linger_then_close (self);
}

static void
send_refusal (GhAdminGuardStream *self)
{
  GOutputStream *output = g_io_stream_get_output_stream (self->base);

  self->refused = TRUE;
  self->sent = g_steal_pointer (&self->refusal);
  g_clear_pointer (&self->head, g_byte_array_unref);
  self->sending = g_cancellable_new ();
  self->timeout_id = g_timeout_add_seconds (REFUSAL_TIMEOUT, on_refusal_timeout, self);
  g_output_stream_write_all_async (output, g_bytes_get_data (self->sent, NULL), g_bytes_get_size (self->sent),
                                   G_PRIORITY_DEFAULT, self->sending, on_refusal_sent, g_object_ref (self));
}

static void
decide_refusal (GhAdminGuardStream       *self,
                const GhAdminRequestHead *head,
                const GError             *error)
{
  self->refusal = self->refuse (self, head, error, self->user_data);
}

/* Following the framing */

static gboolean
opens_event_stream (GhAdminGuardStream       *self,
                    const GhAdminRequestHead *head)
{
  gsize length = strlen (self->events_path);

  return head->upgrade && g_strcmp0 (head->method, "GET") == 0 &&
         strncmp (head->path, self->events_path, length) == 0 &&
         (head->path[length] == '\0' || head->path[length] == '?');
}

/* At the end of a head of @length bytes: FALSE after deciding a refusal. */
static gboolean
head_ended (GhAdminGuardStream *self,
            gsize               length)
{
  g_auto(GhAdminRequestHead) head = { 0, };
  g_autoptr(GError) error = NULL;

  if (!gh_admin_request_head_check ((const char *) self->head->data, length, self->max_body, &head, &error))
    {
      decide_refusal (self, &head, error);
      return FALSE;
    }

  g_clear_pointer (&self->head, g_byte_array_unref);
  if (opens_event_stream (self, &head))
    self->state = GUARD_PASS;
  else if (head.content_length > 0)
    {
      self->state = GUARD_BODY;
      self->body_left = head.content_length;
    }
  return TRUE;
}

/* Follows @n bytes just read; returns how many of them libsoup gets: all of them, or
 * those before a refused head. */
static gsize
follow (GhAdminGuardStream *self,
        const guint8       *data,
        gsize               n)
{
  gsize i = 0;

  while (i < n)
    {
      if (self->state == GUARD_PASS)
        return n;

      if (self->state == GUARD_BODY)
        {
          gsize take = (gsize) MIN ((goffset) (n - i), self->body_left);

          i += take;
          self->body_left -= take;
          if (self->body_left == 0)
            self->state = GUARD_HEAD;
          continue;
        }

      /* GUARD_HEAD. Empty lines before a request line are skipped (RFC 9112 2.2),
       * by libsoup too. */
      if (self->head == NULL)
        {
          while (i < n && (data[i] == '\r' || data[i] == '\n'))
            i++;
          if (i == n)
            break;
          self->head = g_byte_array_new ();
        }

      {
        gsize start = i;
        gsize before = self->head->len;
        gsize from = before >= 2 ? before - 2 : 0;
        gssize end;

        g_byte_array_append (self->head, data + i, n - i);
        end = gh_admin_request_head_end ((const char *) self->head->data + from, self->head->len - from);
        if (end < 0)
          {
            if (self->head->len > GH_ADMIN_MAX_HEAD_BYTES)
              {
                g_auto(GhAdminRequestHead) head = { 0, };
                g_autoptr(GError) error = NULL;

                /* Checked as it is: the request line may tell who asked what. */
                gh_admin_request_head_check ((const char *) self->head->data, self->head->len,
                                             self->max_body, &head, &error);
                decide_refusal (self, &head, error);
                return before == 0 ? start : 0;
              }
            return n;
          }

        end += from;
        if (!head_ended (self, end))
          return before == 0 ? start : 0;
        i = start + (end - before);
      }
    }

  return n;
}

static gssize
guard_read (GhAdminGuardStream  *self,
            void                *buffer,
            gsize                count,
            gboolean             blocking,
            GCancellable        *cancellable,
            GError             **error)
{
  GInputStream *base = g_io_stream_get_input_stream (self->base);
  gssize n;
  gsize passed;

  if (self->refused)
    return 0;
  if (self->refusal != NULL)
    {
      send_refusal (self);
      return 0;
    }

  if (blocking)
    n = g_input_stream_read (base, buffer, count, cancellable, error);
  else
    n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (base), buffer, count, cancellable, error);
  if (n <= 0)
    return n;

  passed = follow (self, buffer, n);
  if (passed == 0 && self->refusal != NULL)
    send_refusal (self);
  return passed;
}

static gssize
gh_admin_guard_input_read (GInputStream  *stream,
                           void          *buffer,
                           gsize          count,
                           GCancellable  *cancellable,
                           GError       **error)
{
  GhAdminGuardStream *guard = GH_ADMIN_GUARD_INPUT (stream)->guard;

  if (guard == NULL)
    return 0;
  return guard_read (guard, buffer, count, TRUE, cancellable, error);
}

static gssize
gh_admin_guard_input_read_nonblocking (GPollableInputStream  *stream,
                                       void                  *buffer,
                                       gsize                  count,
                                       GError               **error)
{
  GhAdminGuardStream *guard = GH_ADMIN_GUARD_INPUT (stream)->guard;

  if (guard == NULL)
    return 0;
  return guard_read (guard, buffer, count, FALSE, NULL, error);
}

static gboolean
gh_admin_guard_input_is_readable (GPollableInputStream *stream)
{
  GhAdminGuardStream *guard = GH_ADMIN_GUARD_INPUT (stream)->guard;

  /* An end to deliver is input. */
  if (guard == NULL || guard->refused || guard->refusal != NULL)
    return TRUE;
  return g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (guard->base)));
}

static GSource *
gh_admin_guard_input_create_source (GPollableInputStream *stream,
                                    GCancellable         *cancellable)
{
  GhAdminGuardStream *guard = GH_ADMIN_GUARD_INPUT (stream)->guard;
  g_autoptr(GSource) child = NULL;

  if (guard == NULL || guard->refused || guard->refusal != NULL)
    child = g_timeout_source_new (0);
  else
    child = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (guard->base)),
                                                   NULL);
  return g_pollable_source_new_full (stream, child, cancellable);
}

static void
gh_admin_guard_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->is_readable = gh_admin_guard_input_is_readable;
  iface->create_source = gh_admin_guard_input_create_source;
  iface->read_nonblocking = gh_admin_guard_input_read_nonblocking;
}

static gboolean
gh_admin_guard_input_close (GInputStream  *stream,
                            GCancellable  *cancellable,
                            GError       **error)
{
  /* The guard closes the connection as a whole. */
  return TRUE;
}

static void
gh_admin_guard_input_class_init (GhAdminGuardInputClass *klass)
{
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  input_class->read_fn = gh_admin_guard_input_read;
  input_class->close_fn = gh_admin_guard_input_close;
}

static void
gh_admin_guard_input_init (GhAdminGuardInput *self)
{
}

/* The stream */

GBytes *
gh_admin_guard_response_new (guint        status,
                             const char  *reason,
                             const char  *content_type,
                             const char  *body,
                             gsize        length)
{
  GString *response = g_string_new (NULL);

  g_string_append_printf (response,
                          "HTTP/1.1 %u %s\r\n"
                          "Content-Type: %s\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Cache-Control: no-store\r\n"
                          "X-Content-Type-Options: nosniff\r\n"
                          "Connection: close\r\n"
                          "\r\n",
                          status, reason, content_type, length);
  g_string_append_len (response, body, length);
  return g_string_free_to_bytes (response);
}

GhAdminGuardStream *
gh_admin_guard_stream_new (GIOStream              *base,
                           goffset                 max_body,
                           const char             *events_path,
                           GhAdminGuardRefuseFunc  refuse,
                           gpointer                user_data,
                           GDestroyNotify          destroy)
{
  GhAdminGuardStream *self;
  GhAdminGuardInput *input;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);
  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (base)), NULL);
  g_return_val_if_fail (events_path != NULL && refuse != NULL, NULL);

  self = g_object_new (GH_TYPE_ADMIN_GUARD_STREAM, NULL);
  self->base = g_object_ref (base);
  self->max_body = max_body;
  self->events_path = g_strdup (events_path);
  self->refuse = refuse;
  self->user_data = user_data;
  self->destroy = destroy;

  input = g_object_new (GH_TYPE_ADMIN_GUARD_INPUT, NULL);
  input->guard = self;
  self->input = G_INPUT_STREAM (input);
  return self;
}

static GInputStream *
gh_admin_guard_stream_get_input_stream (GIOStream *stream)
{
  return GH_ADMIN_GUARD_STREAM (stream)->input;
}

static GOutputStream *
gh_admin_guard_stream_get_output_stream (GIOStream *stream)
{
  return g_io_stream_get_output_stream (GH_ADMIN_GUARD_STREAM (stream)->base);
}

static gboolean
gh_admin_guard_stream_close (GIOStream     *stream,
                             GCancellable  *cancellable,
                             GError       **error)
{
  GhAdminGuardStream *self = GH_ADMIN_GUARD_STREAM (stream);

  /* A refusal being sent closes the base when it is out. */
  if (self->refused)
    return TRUE;
  return g_io_stream_close (self->base, cancellable, error);
}

/* Closing never waits (the base's close does not), so it runs here, not in a thread. */
static void
gh_admin_guard_stream_close_async (GIOStream           *stream,
                                   int                  io_priority,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, gh_admin_guard_stream_close_async);
  if (gh_admin_guard_stream_close (stream, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
gh_admin_guard_stream_close_finish (GIOStream     *stream,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
gh_admin_guard_stream_dispose (GObject *object)
{
  GhAdminGuardStream *self = GH_ADMIN_GUARD_STREAM (object);

  if (self->input != NULL)
    GH_ADMIN_GUARD_INPUT (self->input)->guard = NULL;
  g_clear_object (&self->input);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->linger != NULL)
    {
      g_source_destroy (self->linger);
      g_clear_pointer (&self->linger, g_source_unref);
    }
  if (self->destroy != NULL)
    g_clear_pointer (&self->user_data, self->destroy);

  G_OBJECT_CLASS (gh_admin_guard_stream_parent_class)->dispose (object);
}

static void
gh_admin_guard_stream_finalize (GObject *object)
{
  GhAdminGuardStream *self = GH_ADMIN_GUARD_STREAM (object);

  g_clear_pointer (&self->head, g_byte_array_unref);
  g_clear_pointer (&self->refusal, g_bytes_unref);
  g_clear_pointer (&self->sent, g_bytes_unref);
  g_clear_object (&self->sending);
  g_clear_object (&self->base);
  g_free (self->events_path);

  G_OBJECT_CLASS (gh_admin_guard_stream_parent_class)->finalize (object);
}

static void
gh_admin_guard_stream_class_init (GhAdminGuardStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->dispose = gh_admin_guard_stream_dispose;
  object_class->finalize = gh_admin_guard_stream_finalize;

  stream_class->get_input_stream = gh_admin_guard_stream_get_input_stream;
  stream_class->get_output_stream = gh_admin_guard_stream_get_output_stream;
  stream_class->close_fn = gh_admin_guard_stream_close;
  stream_class->close_async = gh_admin_guard_stream_close_async;
  stream_class->close_finish = gh_admin_guard_stream_close_finish;
}

static void
gh_admin_guard_stream_init (GhAdminGuardStream *self)
{
}
