/* gh-metered-stream.c — a WebSocket's stream, its frames metered and its reading held
 *
 * libsoup reads a WebSocket by itself, whenever its stream is readable, and assembles
 * each message before the gateway sees it. Two things the gateway needs are below
 * libsoup, so the stream under it is this one, around the connection (TLS or plain):
 *
 * - Its input passes every byte it reads through a GhFrameMeter (gh-frame-meter.c):
 *   when a message passes the service's limit, or the frames break the protocol,
 *   reading stops at once and "frame-error" says why, from an idle (never from inside
 *   libsoup's read); the owner then closes the WebSocket with the code and calls
 *   gh_metered_stream_end_input(), after which libsoup reads the end of the stream.
 * - Its reading can be held back (back-pressure) whatever the connection: the sources
 *   it gives out are gates whose child, the connection's own source, is taken away
 *   while paused. A GSocket's source is level-triggered, so a paused stream that kept
 *   it would wake libsoup for ever; GhTlsStream could pause itself, a ws:// socket
 *   could not (#13). Over a GhTlsStream, then, there is no gate: libsoup gets the TLS
 *   stream's own source and the TLS stream is paused, which keeps one source per read
 *   instead of two in the main loop (GLib visits them all on each iteration).
 *
 * Its output counts what the connection took, so the bridge can tell how much waits in
 * libsoup's queue. Closing it closes the connection (asynchronously, on the caller's
 * thread: GIO's default would close the streams in a thread).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-metered-stream"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "gh-frame-meter.h"
#include "gh-metered-stream.h"
#include "gh-poll-watch.h"
#include "gh-tls-stream.h"

struct _GhMeteredStream
{
  GIOStream     parent_instance;
  GIOStream    *base;
  GInputStream *input;
  GOutputStream *output;
};

enum { FRAME_ERROR, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Input */

#define GH_TYPE_METERED_INPUT (gh_metered_input_get_type ())
G_DECLARE_FINAL_TYPE (GhMeteredInput, gh_metered_input, GH, METERED_INPUT, GInputStream)

struct _GhMeteredInput
{
  GInputStream     parent_instance;
  GhMeteredStream *stream;   /* its owner; not a reference */
  GInputStream    *base;
  GhTlsStream     *tls;      /* the connection, when it is TLS; the owner's reference */
  GhFrameMeter     meter;
  gboolean         paused;
  gboolean         judged;   /* the meter gave a verdict: nothing more is read */
  gboolean         ended;    /* then: the reader sees the end of the stream */
  GPtrArray       *gates;    /* GateSource, live; not references */
};

static void gh_metered_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GhMeteredInput, gh_metered_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM, gh_metered_input_pollable_init))

typedef struct {
  GSource         source;
  GhMeteredInput *input;   /* a reference */
  GSource        *child;   /* the connection's source while reading is allowed; owned by the gate */
} GateSource;

static gboolean
gate_dispatch (GSource     *source,
               GSourceFunc  callback,
               gpointer     user_data)
{
  GateSource *gate = (GateSource *) source;
  GPollableSourceFunc func = (GPollableSourceFunc) (void (*) (void)) callback;

  g_source_set_ready_time (source, -1);
  if (func == NULL)
    return G_SOURCE_CONTINUE;
  return func (G_OBJECT (gate->input), user_data);
}

static void
gate_finalize (GSource *source)
{
  GateSource *gate = (GateSource *) source;

  g_ptr_array_remove_fast (gate->input->gates, gate);
  g_clear_object (&gate->input);
}

static GSourceFuncs gate_funcs = {
  .dispatch = gate_dispatch,
  .finalize = gate_finalize,
  /* libsoup sets its callbacks with g_source_set_closure() */
  .closure_callback = (GSourceFunc) (void (*) (void)) gh_poll_watch_closure_callback,
};

static gboolean
input_held (GhMeteredInput *self)
{
  return self->paused || self->judged;
}

static void
gate_open (GateSource *gate)
{
  g_autoptr(GSource) child = NULL;

  if (gate->child != NULL || g_source_is_destroyed ((GSource *) gate))
    return;
  child = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (gate->input->base), NULL);
  g_source_set_dummy_callback (child);
  g_source_add_child_source ((GSource *) gate, child);
  gate->child = child;
}

static void
gate_close (GateSource *gate)
{
  if (gate->child == NULL)
    return;
  if (!g_source_is_destroyed ((GSource *) gate))
    g_source_remove_child_source ((GSource *) gate, gate->child);
  gate->child = NULL;
}

/* Wakes the readers once: to read again after a pause, or to read the end. */
static void
gates_update (GhMeteredInput *self)
{
  /* Its sources, given out without a gate; unpausing wakes them. */
  if (self->tls != NULL)
    gh_tls_stream_set_input_paused (self->tls, input_held (self) && !self->ended);

  for (guint i = 0; i < self->gates->len; i++)
    {
      GateSource *gate = g_ptr_array_index (self->gates, i);

      if (input_held (self) && !self->ended)
        {
          gate_close (gate);
          continue;
        }
      if (!self->ended)
        gate_open (gate);
      if (!g_source_is_destroyed ((GSource *) gate))
        g_source_set_ready_time ((GSource *) gate, 0);
    }
}

static gboolean
emit_frame_error (gpointer data)
{
  GhMeteredStream *stream = data;
  GhMeteredInput *input = GH_METERED_INPUT (stream->input);
  guint code = input->meter.verdict == GH_FRAME_METER_TOO_BIG ? SOUP_WEBSOCKET_CLOSE_TOO_BIG
                                                              : SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR;

  g_signal_emit (stream, signals[FRAME_ERROR], 0, code, input->meter.why);
  return G_SOURCE_REMOVE;
}

/* Called with the meter's verdict after each read. */
static void
input_judge (GhMeteredInput      *self,
             GhFrameMeterVerdict  verdict)
{
  g_autoptr(GSource) idle = NULL;

  if (verdict == GH_FRAME_METER_OK || self->judged || self->stream == NULL)
    return;

  self->judged = TRUE;
  gates_update (self);
  idle = g_idle_source_new ();
  g_source_set_static_name (idle, "[gatehouse] frame error");
  g_source_set_callback (idle, emit_frame_error, g_object_ref (self->stream), g_object_unref);
  g_source_attach (idle, g_main_context_get_thread_default ());
}

/* Meters the @n bytes just read into @buffer. The frame a verdict is about is kept from
 * the reader: libsoup would judge some of them itself, and end the connection without
 * a close frame (a length of 2^63). */
static gssize
input_metered (GhMeteredInput  *self,
               const void      *buffer,
               gssize           n,
               GError         **error)
{
  guint64 before = self->meter.offset;

  if (n <= 0 || gh_frame_meter_feed (&self->meter, buffer, n) == GH_FRAME_METER_OK)
    return n;

  input_judge (self, self->meter.verdict);
  n = self->meter.frame_start > before ? (gssize) MIN ((guint64) n, self->meter.frame_start - before) : 0;
  if (n == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, _("Operation would block"));
      return -1;
    }
  return n;
}

static gssize
gh_metered_input_read (GInputStream  *stream,
                       void          *buffer,
                       gsize          count,
                       GCancellable  *cancellable,
                       GError       **error)
{
  GhMeteredInput *self = GH_METERED_INPUT (stream);

  if (self->ended)
    return 0;
  return input_metered (self, buffer, g_input_stream_read (self->base, buffer, count, cancellable, error), error);
}

static gboolean
gh_metered_input_close (GInputStream  *stream,
                        GCancellable  *cancellable,
                        GError       **error)
{
  return TRUE;  /* the connection is closed with the GIOStream */
}

static gssize
gh_metered_input_read_nonblocking (GPollableInputStream  *stream,
                                   void                  *buffer,
                                   gsize                  count,
                                   GError               **error)
{
  GhMeteredInput *self = GH_METERED_INPUT (stream);

  if (self->ended)
    return 0;
  if (input_held (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, _("Operation would block"));
      return -1;
    }
  return input_metered (self, buffer,
                        g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base),
                                                                  buffer, count, NULL, error),
                        error);
}

static gboolean
gh_metered_input_can_poll (GPollableInputStream *stream)
{
  GhMeteredInput *self = GH_METERED_INPUT (stream);

  return G_IS_POLLABLE_INPUT_STREAM (self->base) &&
         g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (self->base));
}

static gboolean
gh_metered_input_is_readable (GPollableInputStream *stream)
{
  GhMeteredInput *self = GH_METERED_INPUT (stream);

  if (self->ended)
    return TRUE;
  return !input_held (self) && g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
gh_metered_input_create_source (GPollableInputStream *stream,
                                GCancellable         *cancellable)
{
  GhMeteredInput *self = GH_METERED_INPUT (stream);
  GSource *source;
  GateSource *gate;

  if (self->tls != NULL && !self->ended &&
      (source = gh_tls_stream_create_input_source (self->tls, G_OBJECT (self), cancellable)) != NULL)
    return source;

  source = g_source_new (&gate_funcs, sizeof (GateSource));
  gate = (GateSource *) source;
  g_source_set_static_name (source, "[gatehouse] metered input");
  gate->input = g_object_ref (self);
  g_ptr_array_add (self->gates, gate);

  if (cancellable != NULL)
    {
      g_autoptr(GSource) cancelled = g_cancellable_source_new (cancellable);

      g_source_set_dummy_callback (cancelled);
      g_source_add_child_source (source, cancelled);
    }
  if (self->ended)
    g_source_set_ready_time (source, 0);
  else if (!input_held (self))
    gate_open (gate);
  return source;
}

static void
gh_metered_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = gh_metered_input_can_poll;
  iface->is_readable = gh_metered_input_is_readable;
  iface->create_source = gh_metered_input_create_source;
  iface->read_nonblocking = gh_metered_input_read_nonblocking;
}

static void
gh_metered_input_finalize (GObject *object)
{
  GhMeteredInput *self = GH_METERED_INPUT (object);

  g_ptr_array_unref (self->gates);
  g_clear_object (&self->base);
  G_OBJECT_CLASS (gh_metered_input_parent_class)->finalize (object);
}

static void
gh_metered_input_class_init (GhMeteredInputClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_metered_input_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = gh_metered_input_read;
  G_INPUT_STREAM_CLASS (klass)->close_fn = gh_metered_input_close;
}

static void
gh_metered_input_init (GhMeteredInput *self)
{
  self->gates = g_ptr_array_new ();
  /* Until the owner says frames start: an HTTP head, then frames, with no limit yet. */
  gh_frame_meter_init (&self->meter, G_MAXUINT64, FALSE);
}

/* Output */

#define GH_TYPE_METERED_OUTPUT (gh_metered_output_get_type ())
G_DECLARE_FINAL_TYPE (GhMeteredOutput, gh_metered_output, GH, METERED_OUTPUT, GOutputStream)

struct _GhMeteredOutput
{
  GOutputStream  parent_instance;
  GOutputStream *base;
  guint64        bytes_written;
};

static void gh_metered_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GhMeteredOutput, gh_metered_output, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM, gh_metered_output_pollable_init))

static gssize
output_counted (GhMeteredOutput *self,
                gssize           n)
{
  if (n > 0)
    self->bytes_written += n;
  return n;
}

static gssize
gh_metered_output_write (GOutputStream  *stream,
                         const void     *buffer,
                         gsize           count,
                         GCancellable   *cancellable,
                         GError        **error)
{
  GhMeteredOutput *self = GH_METERED_OUTPUT (stream);

  return output_counted (self, g_output_stream_write (self->base, buffer, count, cancellable, error));
}

static gboolean
gh_metered_output_close (GOutputStream  *stream,
                         GCancellable   *cancellable,
                         GError        **error)
{
  return TRUE;  /* the connection is closed with the GIOStream */
}

static gssize
gh_metered_output_write_nonblocking (GPollableOutputStream  *stream,
                                     const void             *buffer,
                                     gsize                   count,
                                     GError                **error)
{
  GhMeteredOutput *self = GH_METERED_OUTPUT (stream);

  return output_counted (self, g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (self->base),
                                                                           buffer, count, NULL, error));
}

static gboolean
gh_metered_output_can_poll (GPollableOutputStream *stream)
{
  GhMeteredOutput *self = GH_METERED_OUTPUT (stream);

  return G_IS_POLLABLE_OUTPUT_STREAM (self->base) &&
         g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (self->base));
}

static gboolean
gh_metered_output_is_writable (GPollableOutputStream *stream)
{
  return g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (GH_METERED_OUTPUT (stream)->base));
}

static GSource *
gh_metered_output_create_source (GPollableOutputStream *stream,
                                 GCancellable          *cancellable)
{
  GhMeteredOutput *self = GH_METERED_OUTPUT (stream);
  g_autoptr(GSource) child = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (self->base), NULL);

  return g_pollable_source_new_full (stream, child, cancellable);
}

static void
gh_metered_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = gh_metered_output_can_poll;
  iface->is_writable = gh_metered_output_is_writable;
  iface->create_source = gh_metered_output_create_source;
  iface->write_nonblocking = gh_metered_output_write_nonblocking;
}

static void
gh_metered_output_finalize (GObject *object)
{
  g_clear_object (&GH_METERED_OUTPUT (object)->base);
  G_OBJECT_CLASS (gh_metered_output_parent_class)->finalize (object);
}

static void
gh_metered_output_class_init (GhMeteredOutputClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_metered_output_finalize;
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = gh_metered_output_write;
  G_OUTPUT_STREAM_CLASS (klass)->close_fn = gh_metered_output_close;
}

static void
gh_metered_output_init (GhMeteredOutput *self)
{
}

/* The stream */

G_DEFINE_FINAL_TYPE (GhMeteredStream, gh_metered_stream, G_TYPE_IO_STREAM)

static GInputStream *
gh_metered_stream_get_input_stream (GIOStream *stream)
{
  return GH_METERED_STREAM (stream)->input;
}

static GOutputStream *
gh_metered_stream_get_output_stream (GIOStream *stream)
{
  return GH_METERED_STREAM (stream)->output;
}

static void
close_own_streams (GhMeteredStream *self)
{
  /* Their close functions do nothing: this only marks them closed. */
  g_input_stream_close (self->input, NULL, NULL);
  g_output_stream_close (self->output, NULL, NULL);
}

static gboolean
gh_metered_stream_close (GIOStream     *stream,
                         GCancellable  *cancellable,
                         GError       **error)
{
  GhMeteredStream *self = GH_METERED_STREAM (stream);

  close_own_streams (self);
  return g_io_stream_close (self->base, cancellable, error);
}

static void
on_base_closed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
gh_metered_stream_close_async (GIOStream           *stream,
                               int                  io_priority,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GhMeteredStream *self = GH_METERED_STREAM (stream);
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, gh_metered_stream_close_async);
  close_own_streams (self);
  g_io_stream_close_async (self->base, io_priority, cancellable, on_base_closed, g_steal_pointer (&task));
}

static gboolean
gh_metered_stream_close_finish (GIOStream     *stream,
                                GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
gh_metered_stream_dispose (GObject *object)
{
  GhMeteredStream *self = GH_METERED_STREAM (object);

  if (self->input != NULL)
    GH_METERED_INPUT (self->input)->stream = NULL;
  G_OBJECT_CLASS (gh_metered_stream_parent_class)->dispose (object);
}

static void
gh_metered_stream_finalize (GObject *object)
{
  GhMeteredStream *self = GH_METERED_STREAM (object);

  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_object (&self->base);
  G_OBJECT_CLASS (gh_metered_stream_parent_class)->finalize (object);
}

static void
gh_metered_stream_class_init (GhMeteredStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->dispose = gh_metered_stream_dispose;
  object_class->finalize = gh_metered_stream_finalize;
  stream_class->get_input_stream = gh_metered_stream_get_input_stream;
  stream_class->get_output_stream = gh_metered_stream_get_output_stream;
  stream_class->close_fn = gh_metered_stream_close;
  stream_class->close_async = gh_metered_stream_close_async;
  stream_class->close_finish = gh_metered_stream_close_finish;

  /**
   * GhMeteredStream::frame-error:
   * @code: the WebSocket close code that says it (1002 or 1009)
   * @reason: what the peer did, for the log and the close frame
   *
   * The peer's frames broke the protocol or passed the message limit; nothing more is
   * read from it.
   */
  signals[FRAME_ERROR] = g_signal_new ("frame-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
}

static void
gh_metered_stream_init (GhMeteredStream *self)
{
}

/**
 * gh_metered_stream_new:
 * @base: a connection whose streams are pollable, before its HTTP request or response
 *
 * Returns: (transfer full): the stream to hand to libsoup in place of @base
 */
GhMeteredStream *
gh_metered_stream_new (GIOStream *base)
{
  GhMeteredStream *self;
  GhMeteredInput *input;
  GhMeteredOutput *output;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);

  self = g_object_new (GH_TYPE_METERED_STREAM, NULL);
  self->base = g_object_ref (base);

  input = g_object_new (GH_TYPE_METERED_INPUT, NULL);
  input->stream = self;
  input->base = g_object_ref (g_io_stream_get_input_stream (base));
  if (GH_IS_TLS_STREAM (base))
    input->tls = GH_TLS_STREAM (base);
  self->input = G_INPUT_STREAM (input);

  output = g_object_new (GH_TYPE_METERED_OUTPUT, NULL);
  output->base = g_object_ref (g_io_stream_get_output_stream (base));
  self->output = G_OUTPUT_STREAM (output);
  return self;
}

GIOStream *
gh_metered_stream_get_base (GhMeteredStream *self)
{
  g_return_val_if_fail (GH_IS_METERED_STREAM (self), NULL);

  return self->base;
}

/**
 * gh_metered_stream_start_frames:
 * @self: a #GhMeteredStream
 * @max_message: what one message may hold, all its fragments together
 *
 * The WebSocket handshake is done: what comes next is frames. Data that came after
 * the handshake's request, before its response, is a frame error.
 */
void
gh_metered_stream_start_frames (GhMeteredStream *self,
                                guint64          max_message)
{
  GhMeteredInput *input;

  g_return_if_fail (GH_IS_METERED_STREAM (self));

  input = GH_METERED_INPUT (self->input);
  input->meter.max_message = max_message;
  input_judge (input, gh_frame_meter_start_frames (&input->meter));
}

guint64
gh_metered_stream_get_bytes_written (GhMeteredStream *self)
{
  g_return_val_if_fail (GH_IS_METERED_STREAM (self), 0);

  return GH_METERED_OUTPUT (self->output)->bytes_written;
}

/**
 * gh_metered_stream_set_input_paused:
 * @self: a #GhMeteredStream
 * @paused: whether its reader is kept from reading
 *
 * Back-pressure: while paused, nothing more is read from the connection and TCP slows
 * the peer down. Resuming wakes the reader once.
 */
void
gh_metered_stream_set_input_paused (GhMeteredStream *self,
                                    gboolean         paused)
{
  GhMeteredInput *input;

  g_return_if_fail (GH_IS_METERED_STREAM (self));

  input = GH_METERED_INPUT (self->input);
  if (input->paused == paused)
    return;
  input->paused = paused;
  gates_update (input);
}

void
gh_metered_stream_end_input (GhMeteredStream *self)
{
  GhMeteredInput *input;

  g_return_if_fail (GH_IS_METERED_STREAM (self));

  input = GH_METERED_INPUT (self->input);
  if (input->ended)
    return;
  input->ended = TRUE;
  gates_update (input);
}
