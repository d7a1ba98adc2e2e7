/* gh-admin-client-sessions.c — GhAdminClient: the gateway's live connections
 * (GET /sessions, GET and DELETE /sessions/{id})
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-client-sessions"

#include "config.h"

#include <string.h>

#include "gh-admin-client-private.h"

GH_API_DEFINE_PARSE_FUNC (session)
GH_API_DEFINE_PARSE_FUNC (session_page)

/* The path comes with its query: "sessions?service=…&limit=…". */
static const GhAdminCall list_sessions_call = {
  .method = "GET", .path = NULL, .answer = GH_ADMIN_ANSWER_OBJECT, .parse = parse_session_page,
};

static const GhAdminCall get_session_call = {
  .method = "GET", .path = "sessions/%s", .answer = GH_ADMIN_ANSWER_OBJECT, .parse = parse_session,
};

static const GhAdminCall close_session_call = {
  .method = "DELETE", .path = "sessions/%s", .answer = GH_ADMIN_ANSWER_OBJECT, .parse = parse_session,
};

static void
append_query (GString    *path,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL)
    return;

  escaped = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_c (path, strchr (path->str, '?') != NULL ? '&' : '?');
  g_string_append_printf (path, "%s=%s", name, escaped);
}

void
gh_admin_client_list_sessions_async (GhAdminClient       *self,
                                     const char          *service,
                                     const char          *state,
                                     guint                limit,
                                     const char          *cursor,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new ("sessions");
  g_autofree char *limit_text = limit > 0 ? g_strdup_printf ("%u", MIN (limit, 1000)) : NULL;

  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  append_query (path, "service", service);
  append_query (path, "state", state);
  append_query (path, "limit", limit_text);
  append_query (path, "cursor", cursor);

  _gh_admin_client_call (self, &list_sessions_call, path->str, NULL, GH_API_VERSION_NONE,
                         cancellable, callback, user_data);
}

GhApiSessionPage *
gh_admin_client_list_sessions_finish (GhAdminClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &list_sessions_call, NULL, error);
}

void
gh_admin_client_get_session_async (GhAdminClient       *self,
                                   const char          *id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (id != NULL);

  _gh_admin_client_call (self, &get_session_call, id, NULL, GH_API_VERSION_NONE, cancellable, callback, user_data);
}

GhApiSession *
gh_admin_client_get_session_finish (GhAdminClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &get_session_call, NULL, error);
}

void
gh_admin_client_close_session_async (GhAdminClient       *self,
                                     const char          *id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (id != NULL);

  _gh_admin_client_call (self, &close_session_call, id, NULL, GH_API_VERSION_NONE, cancellable, callback, user_data);
}

GhApiSession *
gh_admin_client_close_session_finish (GhAdminClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &close_session_call, NULL, error);
}
