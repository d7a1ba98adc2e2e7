/* gh-poll-watch.c — a socket watched through one epoll set per main context
 *
 * libsoup stops its WebSocket input source before each read and makes a new one after,
 * and GIO's asynchronous reads and writes make a source per wait. A GSocket source adds
 * its descriptor to the context's poll records, which GLib keeps in a list sorted by
 * descriptor: adding and removing one walks the list, so with thousands of sessions on a
 * context every message paid for all of them (half of the gateway's CPU at 1,000
 * sessions, measured with perf).
 *
 * Here each context has one epoll set, polled by a single GSource (the hub). A socket is
 * added to it once, edge-triggered, and the hub turns its events into "ready" bits on
 * the watch. The sources a stream hands out have no descriptor of their own: they are
 * ready while their bit is set (or the stream has data of its own), and the bit is
 * cleared when a read or write would block. Making and dropping such a source costs
 * no walk at all.
 *
 * A source is woken with g_source_set_ready_time(), which writes to the context's
 * wake-up descriptor each time (a system call per wake). A flag read by the source's
 * prepare() and check() would save it, but GLib then unlocks and relocks the context
 * and reads the clock around every such call, for every waiting source on every
 * iteration. Tried (#13): GLib's share of the profile went from 14 % to 29 %, and
 * reading the clock from nothing to 17 %, for a saving of 4 %.
 *
 * A watch belongs to the context that was the thread's default when it was made; its
 * sources must be attached there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-poll-watch"

#include "config.h"

#include <errno.h>
#include <sys/epoll.h>

#include "gh-poll-watch.h"

#define HUB_EVENTS 256

typedef struct {
  GSource  source;
  int      epfd;
  GMutex   lock;  /* held while events are applied and while a watch leaves */
} Hub;

struct _GhPollWatch
{
  gatomicrefcount  ref_count;
  Hub             *hub;
  int              fd;        /* -1 once stopped */
  gint             ready;     /* GIOCondition bits, atomic */
  gint             hung_up;   /* GIOCondition bits that stay ready: the peer closed, atomic */
  gint             paused;    /* GIOCondition bits no source reports, atomic */
  GQueue           waiting;   /* of WatchSource, under the hub's lock */
};

typedef struct {
  GSource          source;
  GhPollWatch     *watch;
  GIOCondition     condition;
  GObject         *pollable;
  GhPollReadyFunc  ready_func;
  gpointer         ready_data;
  GList            link;      /* in watch->waiting */
} WatchSource;

static gboolean
watch_source_ready (WatchSource *self)
{
  if (g_atomic_int_get (&self->watch->paused) & self->condition)
    return FALSE;
  return ((g_atomic_int_get (&self->watch->ready) | g_atomic_int_get (&self->watch->hung_up)) & self->condition) != 0 ||
         (self->ready_func != NULL && self->ready_func (self->ready_data));
}

/* With the hub's lock held: the sources waiting for @bits become ready. */
static void
wake_sources (GhPollWatch *watch,
              gint         bits)
{
  for (GList *l = watch->waiting.head; l != NULL; l = l->next)
    {
      WatchSource *source = l->data;

      if (source->condition & bits & ~g_atomic_int_get (&watch->paused))
        g_source_set_ready_time ((GSource *) source, 0);
    }
}

static gboolean
hub_dispatch (GSource     *source,
              GSourceFunc  callback,
              gpointer     user_data)
{
  Hub *hub = (Hub *) source;
  struct epoll_event events[HUB_EVENTS];
  int n;

  g_mutex_lock (&hub->lock);
  do
    {
      n = epoll_wait (hub->epfd, events, HUB_EVENTS, 0);
      for (int i = 0; i < n; i++)
        {
          GhPollWatch *watch = events[i].data.ptr;
          guint32 what = events[i].events;
          gint bits = 0;

          if (what & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            bits |= G_IO_IN;
          if (what & (EPOLLOUT | EPOLLHUP | EPOLLERR))
            bits |= G_IO_OUT;
          /* The end of the stream comes once, often with the last data in one event:
           * a reader that finds the data short must still read the end. */
          if (what & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            g_atomic_int_or (&watch->hung_up, what & (EPOLLHUP | EPOLLERR) ? G_IO_IN | G_IO_OUT : G_IO_IN);
          g_atomic_int_or (&watch->ready, bits);
          wake_sources (watch, bits);
        }
    }
  while (n == HUB_EVENTS || (n < 0 && errno == EINTR));
  g_mutex_unlock (&hub->lock);

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs hub_funcs = {
  .dispatch = hub_dispatch,
};

/* One hub per context, for the life of the process. */
static Hub *
hub_for_context (GMainContext *context)
{
  static GMutex lock;
  static GHashTable *hubs;  /* GMainContext → Hub */
  Hub *hub;

  g_mutex_lock (&lock);
  if (hubs == NULL)
    hubs = g_hash_table_new (NULL, NULL);
  hub = g_hash_table_lookup (hubs, context);
  if (hub == NULL)
    {
      int epfd = epoll_create1 (EPOLL_CLOEXEC);

      if (epfd >= 0)
        {
          hub = (Hub *) g_source_new (&hub_funcs, sizeof (Hub));
          hub->epfd = epfd;
          g_mutex_init (&hub->lock);
          g_source_set_static_name ((GSource *) hub, "[gatehouse] epoll hub");
          g_source_add_unix_fd ((GSource *) hub, epfd, G_IO_IN);
          g_source_attach ((GSource *) hub, context);
          g_hash_table_insert (hubs, g_main_context_ref (context), hub);
        }
    }
  g_mutex_unlock (&lock);
  return hub;
}

/* Watches @fd from the thread-default context; NULL if epoll refuses it (the caller
 * falls back to GSocket sources). */
GhPollWatch *
gh_poll_watch_new (int fd)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  Hub *hub = hub_for_context (context);
  struct epoll_event event = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET };
  GhPollWatch *watch;

  if (hub == NULL)
    return NULL;

  watch = g_new0 (GhPollWatch, 1);
  g_atomic_ref_count_init (&watch->ref_count);
  watch->hub = hub;
  watch->fd = fd;
  /* Until the socket says otherwise: a first try costs one would-block at most. */
  watch->ready = G_IO_IN | G_IO_OUT;
  event.data.ptr = watch;
  if (epoll_ctl (hub->epfd, EPOLL_CTL_ADD, fd, &event) < 0)
    {
      g_free (watch);
      return NULL;
    }
  return watch;
}

GhPollWatch *
gh_poll_watch_ref (GhPollWatch *watch)
{
  g_atomic_ref_count_inc (&watch->ref_count);
  return watch;
}

void
gh_poll_watch_unref (GhPollWatch *watch)
{
  if (!g_atomic_ref_count_dec (&watch->ref_count))
    return;

  gh_poll_watch_stop (watch);
  g_free (watch);
}

/* Takes the socket out of the epoll set; call before it is closed. Sources still out
 * become ready, so their owners find out. */
void
gh_poll_watch_stop (GhPollWatch *watch)
{
  g_mutex_lock (&watch->hub->lock);
  if (watch->fd >= 0)
    {
      epoll_ctl (watch->hub->epfd, EPOLL_CTL_DEL, watch->fd, NULL);
      watch->fd = -1;
    }
  g_atomic_int_set (&watch->ready, G_IO_IN | G_IO_OUT);
  wake_sources (watch, G_IO_IN | G_IO_OUT);
  g_mutex_unlock (&watch->hub->lock);
}

/* A read (G_IO_IN) or write (G_IO_OUT) would block: wait for the socket's next edge. */
void
gh_poll_watch_would_block (GhPollWatch  *watch,
                           GIOCondition  condition)
{
  if (watch->fd >= 0)
    g_atomic_int_and (&watch->ready, ~(gint) condition);
}

/* Whether the socket may have more in @condition's direction: no would-block since its
 * last edge, or the peer has closed (a read gives the end of the stream). A reader that
 * found it empty (a short read) and has seen no edge since knows that a read would
 * block without trying. */
gboolean
gh_poll_watch_is_ready (GhPollWatch  *watch,
                        GIOCondition  condition)
{
  return ((g_atomic_int_get (&watch->ready) | g_atomic_int_get (&watch->hung_up)) & condition) != 0;
}

/* Holds back (or lets go) the sources of @condition: while paused they are never ready,
 * whatever the socket says. Pausing reads is how a session applies back-pressure to a
 * WebSocket, whose reading libsoup does not let pause. */
void
gh_poll_watch_set_paused (GhPollWatch  *watch,
                          GIOCondition  condition,
                          gboolean      paused)
{
  g_mutex_lock (&watch->hub->lock);
  if (paused)
    {
      g_atomic_int_or (&watch->paused, condition);
    }
  else
    {
      g_atomic_int_and (&watch->paused, ~(gint) condition);
      /* Whatever came meanwhile: a look costs at most one would-block. */
      wake_sources (watch, condition);
    }
  g_mutex_unlock (&watch->hub->lock);
}

/* Sources are woken by the hub (their ready time set to now), never polled: a source
 * costs GLib's main loop no descriptor and no call while it waits. */
static gboolean
watch_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  WatchSource *self = (WatchSource *) source;
  GPollableSourceFunc func = (GPollableSourceFunc) (void (*) (void)) callback;
  gboolean keep;

  g_source_set_ready_time (source, -1);
  if (func == NULL)
    return G_SOURCE_REMOVE;

  keep = func (self->pollable, user_data);
  if (keep && watch_source_ready (self))
    g_source_set_ready_time (source, 0);
  return keep;
}

static void
watch_source_finalize (GSource *source)
{
  WatchSource *self = (WatchSource *) source;
  Hub *hub = self->watch->hub;

  g_mutex_lock (&hub->lock);
  g_queue_unlink (&self->watch->waiting, &self->link);
  g_mutex_unlock (&hub->lock);
  g_clear_pointer (&self->watch, gh_poll_watch_unref);
  g_clear_object (&self->pollable);
}

/* As GIO's pollable sources do, for g_source_set_closure(); for any source whose
 * callback is a GPollableSourceFunc (gh-metered-stream.c has one too). */
gboolean
gh_poll_watch_closure_callback (GObject  *pollable,
                                gpointer  data)
{
  GClosure *closure = data;
  GValue param = G_VALUE_INIT;
  GValue result = G_VALUE_INIT;
  gboolean keep;

  g_value_init (&result, G_TYPE_BOOLEAN);
  g_value_init (&param, G_TYPE_OBJECT);
  g_value_set_object (&param, pollable);
  g_closure_invoke (closure, &result, 1, &param, NULL);
  keep = g_value_get_boolean (&result);
  g_value_unset (&result);
  g_value_unset (&param);
  return keep;
}

static GSourceFuncs watch_source_funcs = {
  .dispatch = watch_source_dispatch,
  .finalize = watch_source_finalize,
  .closure_callback = (GSourceFunc) (void (*) (void)) gh_poll_watch_closure_callback,
};

/* A source as g_pollable_input_stream_create_source() gives (its callback is a
 * GPollableSourceFunc called with @pollable), ready while @condition holds for the
 * socket or @ready_func says so. Attach it to the watch's context. */
GSource *
gh_poll_watch_create_source (GhPollWatch     *watch,
                             GIOCondition     condition,
                             GObject         *pollable,
                             GhPollReadyFunc  ready_func,
                             gpointer         ready_data,
                             GCancellable    *cancellable)
{
  WatchSource *self = (WatchSource *) g_source_new (&watch_source_funcs, sizeof (WatchSource));

  g_source_set_static_name ((GSource *) self, "[gatehouse] socket watch");
  self->watch = gh_poll_watch_ref (watch);
  self->condition = condition;
  self->pollable = g_object_ref (pollable);
  self->ready_func = ready_func;
  self->ready_data = ready_data;
  self->link.data = self;

  g_mutex_lock (&watch->hub->lock);
  g_queue_push_tail_link (&watch->waiting, &self->link);
  g_mutex_unlock (&watch->hub->lock);
  g_source_set_ready_time ((GSource *) self, watch_source_ready (self) ? 0 : -1);

  if (cancellable != NULL)
    {
      g_autoptr(GSource) cancelled = g_cancellable_source_new (cancellable);

      g_source_set_dummy_callback (cancelled);
      g_source_add_child_source ((GSource *) self, cancelled);
    }
  return (GSource *) self;
}
