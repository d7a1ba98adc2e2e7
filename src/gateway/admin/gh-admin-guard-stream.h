/* gh-admin-guard-stream.h — the admin listener's request heads, checked before libsoup
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-admin-request.h"

G_BEGIN_DECLS

#define GH_TYPE_ADMIN_GUARD_STREAM (gh_admin_guard_stream_get_type ())

G_DECLARE_FINAL_TYPE (GhAdminGuardStream, gh_admin_guard_stream, GH, ADMIN_GUARD_STREAM, GIOStream)

/* A refused request head: returns the whole HTTP response to send before the
 * connection ends. @head has the method and path when they could be read. */
typedef GBytes *(*GhAdminGuardRefuseFunc) (GhAdminGuardStream       *stream,
                                           const GhAdminRequestHead *head,
                                           const GError             *error,
                                           gpointer                  user_data);

/* @events_path: requests to it that ask to upgrade end the checks (WebSocket frames
 * follow). */
GhAdminGuardStream *gh_admin_guard_stream_new (GIOStream              *base,
                                               goffset                 max_body,
                                               const char             *events_path,
                                               GhAdminGuardRefuseFunc  refuse,
                                               gpointer                user_data,
                                               GDestroyNotify          destroy);

/* The HTTP response of a refusal: status line, the problem document's headers,
 * Connection: close. */
GBytes *gh_admin_guard_response_new (guint        status,
                                     const char  *reason,
                                     const char  *content_type,
                                     const char  *body,
                                     gsize        length);

G_END_DECLS
