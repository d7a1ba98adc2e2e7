/* gh-poll-watch.h — a socket watched through one epoll set per main context
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _GhPollWatch GhPollWatch;

/* Whether the stream is ready by means of its own (data it already decrypted). */
typedef gboolean (*GhPollReadyFunc) (gpointer data);

GhPollWatch *gh_poll_watch_new           (int              fd);
GhPollWatch *gh_poll_watch_ref           (GhPollWatch     *watch);
void         gh_poll_watch_unref         (GhPollWatch     *watch);
void         gh_poll_watch_stop          (GhPollWatch     *watch);
void         gh_poll_watch_would_block   (GhPollWatch     *watch,
                                          GIOCondition     condition);
gboolean     gh_poll_watch_is_ready      (GhPollWatch     *watch,
                                          GIOCondition     condition);
void         gh_poll_watch_set_paused    (GhPollWatch     *watch,
                                          GIOCondition     condition,
                                          gboolean         paused);
GSource     *gh_poll_watch_create_source (GhPollWatch     *watch,
                                          GIOCondition     condition,
                                          GObject         *pollable,
                                          GhPollReadyFunc  ready_func,
                                          gpointer         ready_data,
                                          GCancellable    *cancellable);

gboolean     gh_poll_watch_closure_callback (GObject       *pollable,
                                            gpointer       data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhPollWatch, gh_poll_watch_unref)

G_END_DECLS
