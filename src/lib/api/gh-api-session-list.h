/* gh-api-session-list.h — the live sessions of GhEventStream: a GListModel of
 * GhApiSession indexed by id, so that opening, closing and finding a session costs
 * O(log n), not a scan, at 100,000 sessions
 *
 * Internal to src/lib/api: the stream hands it out as a GListModel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-api-session.h"

G_BEGIN_DECLS

#define GH_TYPE_API_SESSION_LIST (gh_api_session_list_get_type ())

G_DECLARE_FINAL_TYPE (GhApiSessionList, gh_api_session_list, GH, API_SESSION_LIST, GObject)

GhApiSessionList *gh_api_session_list_new         (void);
/* (transfer none) */
GhApiSession     *gh_api_session_list_lookup      (GhApiSessionList *self,
                                                   const char       *id);
/* Appends @session; FALSE (nothing changes) when its id is there already. */
gboolean          gh_api_session_list_append      (GhApiSessionList *self,
                                                   GhApiSession     *session);
/* FALSE when there is no session @id. */
gboolean          gh_api_session_list_remove      (GhApiSessionList *self,
                                                   const char       *id);
/* Exactly @sessions (of GhApiSession, unique ids), in their order, in one change. */
void              gh_api_session_list_replace_all (GhApiSessionList *self,
                                                   GPtrArray        *sessions);

G_END_DECLS
