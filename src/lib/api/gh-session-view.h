/* gh-session-view.h — the live sessions as a person looks at them: filtered and
 * sorted, at 100,000 rows, with changes as small as the change itself
 *
 * GhSessionView is a GListModel over a model of GhApiSession (the event stream's). It
 * owns its filter (a service, a state, a search over the client address, the SNI host
 * and the client certificate's subject) and its order (any column, either way), and
 * keeps both while sessions open, close and count bytes. The changes of one main loop
 * iteration are applied together: a few as a change per run of rows, many (a busy
 * gateway sorted by a counter) as one range over the part that differs, at most once a
 * second. An update that changes nothing the view shows emits nothing (the row follows
 * the session's own notifications). Only a new filter, a new order or a new source
 * rebuild the whole list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-api-session.h"

G_BEGIN_DECLS

typedef enum {
  GH_SESSION_SORT_STARTED,
  GH_SESSION_SORT_SERVICE,
  GH_SESSION_SORT_CLIENT,
  GH_SESSION_SORT_STATE,
  GH_SESSION_SORT_SERVER_NAME,
  GH_SESSION_SORT_CLIENT_SUBJECT,
  GH_SESSION_SORT_BACKEND,
  GH_SESSION_SORT_BYTES_IN,
  GH_SESSION_SORT_BYTES_OUT,
  GH_SESSION_SORT_MESSAGES_IN,
  GH_SESSION_SORT_MESSAGES_OUT,
} GhSessionSortKey;

#define GH_TYPE_SESSION_SORT_KEY (gh_session_sort_key_get_type ())
GType gh_session_sort_key_get_type (void);

#define GH_TYPE_SESSION_VIEW (gh_session_view_get_type ())

G_DECLARE_FINAL_TYPE (GhSessionView, gh_session_view, GH, SESSION_VIEW, GObject)

GhSessionView    *gh_session_view_new                (GListModel       *sessions);

GListModel       *gh_session_view_get_sessions       (GhSessionView    *self);
void              gh_session_view_set_sessions       (GhSessionView    *self,
                                                      GListModel       *sessions);

/* Filters: NULL (or "") shows every service, state, text. */
const char       *gh_session_view_get_service        (GhSessionView    *self);
void              gh_session_view_set_service        (GhSessionView    *self,
                                                      const char       *service);
const char       *gh_session_view_get_state          (GhSessionView    *self);
void              gh_session_view_set_state          (GhSessionView    *self,
                                                      const char       *state);
/* Matched, ignoring case, within the client address, the SNI host and the client
 * certificate's subject. */
const char       *gh_session_view_get_search         (GhSessionView    *self);
void              gh_session_view_set_search         (GhSessionView    *self,
                                                      const char       *search);

GhSessionSortKey  gh_session_view_get_sort_key       (GhSessionView    *self);
gboolean          gh_session_view_get_descending     (GhSessionView    *self);
void              gh_session_view_set_sort           (GhSessionView    *self,
                                                      GhSessionSortKey  key,
                                                      gboolean          descending);

/* Changes are gathered and applied together at high idle priority (before GTK draws),
 * many of them at most once a second; this applies them now. */
void              gh_session_view_flush              (GhSessionView    *self);

/* Where @session is now (O(log n)), or G_MAXUINT when the view does not show it. */
guint             gh_session_view_get_position       (GhSessionView    *self,
                                                      GhApiSession     *session);

/* Whether @session passes the filters (whether or not it is in the source). */
gboolean          gh_session_view_matches            (GhSessionView    *self,
                                                      GhApiSession     *session);

G_END_DECLS
