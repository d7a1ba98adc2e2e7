/* gh-workers.c — threads that each run a main context of their own, for the sessions
 *
 * GLib's main loop polls and checks every source of a context on each iteration, so its
 * cost per iteration grows with the sources attached: with thousands of sessions on one
 * context every event, an admin request as much as a relayed message, paid for all of
 * them. The gateway therefore accepts on the main context and runs each session's TLS,
 * HTTP and WebSocket work on one of these workers (round robin), and keeps its
 * bookkeeping (the session registry, the admin API, the configuration) on the main
 * context, where changes from the workers arrive through gh_context_invoke().
 *
 * The workers live as long as the process: a session in flight never outlives the
 * context it runs on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-workers"

#include "config.h"

#include "gh-workers.h"

struct _GhWorkers
{
  guint          n_workers;
  GMainContext **contexts;
  GThread      **threads;
  guint          next;  /* atomic */
};

static guint default_count = G_MAXUINT;  /* unset: one per processor */

/* Before the first gh_workers_get_default(); 0 runs every session on the main context. */
void
gh_workers_set_default_count (guint n_workers)
{
  default_count = MIN (n_workers, GH_WORKERS_MAX);
}

static gpointer
worker_main (gpointer data)
{
  GMainContext *context = data;
  g_autoptr(GMainLoop) loop = g_main_loop_new (context, FALSE);

  g_main_context_push_thread_default (context);
  g_main_loop_run (loop);  /* never quits: the workers live as long as the process */
  g_main_context_pop_thread_default (context);
  return NULL;
}

static GhWorkers *
gh_workers_new (guint n_workers)
{
  GhWorkers *self = g_new0 (GhWorkers, 1);

  self->n_workers = n_workers;
  self->contexts = g_new0 (GMainContext *, MAX (n_workers, 1));
  self->threads = g_new0 (GThread *, MAX (n_workers, 1));
  for (guint i = 0; i < n_workers; i++)
    {
      g_autofree char *name = g_strdup_printf ("gh-worker-%u", i);

      self->contexts[i] = g_main_context_new ();
      self->threads[i] = g_thread_new (name, worker_main, self->contexts[i]);
    }
  return self;
}

/* The process's workers, started on first use. */
GhWorkers *
gh_workers_get_default (void)
{
  static GhWorkers *workers;

  if (g_once_init_enter_pointer (&workers))
    {
      guint n = default_count != G_MAXUINT ? default_count : MIN (g_get_num_processors (), GH_WORKERS_MAX);

      g_once_init_leave_pointer (&workers, gh_workers_new (n));
    }
  return workers;
}

guint
gh_workers_get_n (GhWorkers *self)
{
  return self->n_workers;
}

GMainContext *
gh_workers_get_context (GhWorkers *self,
                        guint      index)
{
  g_return_val_if_fail (index < self->n_workers, NULL);
  return self->contexts[index];
}

/* The worker for the next session, in turn; NULL without workers. */
GMainContext *
gh_workers_next (GhWorkers *self)
{
  if (self->n_workers == 0)
    return NULL;
  return self->contexts[g_atomic_int_add (&self->next, 1) % self->n_workers];
}

/* Runs @function on @context: at once when it is the calling thread's own context,
 * otherwise as soon as that context's loop gets to it, after what was queued before. */
void
gh_context_invoke (GMainContext  *context,
                   GSourceFunc    function,
                   gpointer       data,
                   GDestroyNotify notify)
{
  g_autoptr(GMainContext) current = g_main_context_ref_thread_default ();
  g_autoptr(GSource) source = NULL;

  if (current == context)
    {
      function (data);
      if (notify != NULL)
        notify (data);
      return;
    }

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, function, data, notify);
  g_source_set_static_name (source, "[gatehouse] invoke");
  g_source_attach (source, context);
}

typedef struct {
  GMutex mutex;
  GCond  cond;
  guint  pending;
} Sync;

static gboolean
sync_one (gpointer data)
{
  Sync *sync = data;

  g_mutex_lock (&sync->mutex);
  sync->pending--;
  g_cond_signal (&sync->cond);
  g_mutex_unlock (&sync->mutex);
  return G_SOURCE_REMOVE;
}

/* Waits until every worker has run what was queued for it before the call. */
void
gh_workers_sync (GhWorkers *self)
{
  Sync sync = { .pending = self->n_workers };

  g_mutex_init (&sync.mutex);
  g_cond_init (&sync.cond);
  for (guint i = 0; i < self->n_workers; i++)
    gh_context_invoke (self->contexts[i], sync_one, &sync, NULL);

  g_mutex_lock (&sync.mutex);
  while (sync.pending > 0)
    g_cond_wait (&sync.cond, &sync.mutex);
  g_mutex_unlock (&sync.mutex);
  g_mutex_clear (&sync.mutex);
  g_cond_clear (&sync.cond);
}
