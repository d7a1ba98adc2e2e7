/* gh-api-session.h — a live (or closed) session of the gateway, and one page of
 * GET /api/v1/sessions
 *
 * A GhApiSession is updated in place by the event stream (session.updated): each
 * setter notifies its property only on change, and "changed" is emitted once after a
 * whole update, so that a list row can refresh with one handler.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "gh-certificate.h"

G_BEGIN_DECLS

/* A session as the admin API writes it (GET /sessions, the snapshot,
 * session.opened): gatehoused fills one from a live session and
 * gh_api_session_fields_to_json() writes it; gh_api_session_new_from_json() reads the
 * same members back. The strings are borrowed. */
typedef struct {
  const char *id;
  const char *service;
  const char *client;              /* "127.0.0.1:51234" */
  const char *state;               /* "open", "closed", … */
  gint64      started;             /* real time in µs */
  const char *tls_protocol;        /* NULL for a plain session: then "tls" is null */
  const char *tls_cipher;
  const char *tls_server_name;
  const char *tls_alpn;
  const char *tls_client_subject;
  const char *backend;
  const char *backend_tls;
  gint64      bytes_in;
  gint64      bytes_out;
  gint64      messages_in;
  gint64      messages_out;
  const char *close_reason;
} GhApiSessionFields;

JsonNode     *gh_api_session_fields_to_json         (const GhApiSessionFields *fields);
/* One entry of session.updated: the id, the state and the counters of @fields; read
 * by gh_api_session_update_from_json(). */
void          gh_api_session_fields_add_update      (const GhApiSessionFields *fields,
                                                     JsonBuilder              *builder);

#define GH_TYPE_API_SESSION (gh_api_session_get_type ())

G_DECLARE_FINAL_TYPE (GhApiSession, gh_api_session, GH, API_SESSION, GObject)

GhApiSession *gh_api_session_new_from_json          (JsonNode      *node,
                                                     GError       **error);

const char   *gh_api_session_get_id                 (GhApiSession  *self);
const char   *gh_api_session_get_service            (GhApiSession  *self);
const char   *gh_api_session_get_client             (GhApiSession  *self);  /* "127.0.0.1:51234" */
const char   *gh_api_session_get_state              (GhApiSession  *self);  /* "open", "closed", … */
GDateTime    *gh_api_session_get_started            (GhApiSession  *self);  /* nullable */
/* tls: all NULL for a plain session (ws, tcp). */
const char   *gh_api_session_get_tls_protocol       (GhApiSession  *self);
const char   *gh_api_session_get_tls_cipher         (GhApiSession  *self);
const char   *gh_api_session_get_tls_server_name    (GhApiSession  *self);
const char   *gh_api_session_get_tls_alpn           (GhApiSession  *self);
const char   *gh_api_session_get_tls_client_subject (GhApiSession  *self);
/* The client's certificate: only in the answer of GET /sessions/{id}, else NULL. */
GhCertificate *gh_api_session_get_client_certificate (GhApiSession *self);
const char   *gh_api_session_get_backend            (GhApiSession  *self);  /* nullable */
const char   *gh_api_session_get_backend_tls        (GhApiSession  *self);  /* nullable */
gint64        gh_api_session_get_bytes_in           (GhApiSession  *self);
gint64        gh_api_session_get_bytes_out          (GhApiSession  *self);
gint64        gh_api_session_get_messages_in        (GhApiSession  *self);
gint64        gh_api_session_get_messages_out       (GhApiSession  *self);
const char   *gh_api_session_get_close_reason       (GhApiSession  *self);  /* nullable */

/* In-place updates; each notifies its property when the value changes, then emits
 * "changed" if anything did. */
void          gh_api_session_set_state              (GhApiSession  *self,
                                                     const char    *state);
void          gh_api_session_set_close_reason       (GhApiSession  *self,
                                                     const char    *reason);
void          gh_api_session_set_counters           (GhApiSession  *self,
                                                     gint64         bytes_in,
                                                     gint64         bytes_out,
                                                     gint64         messages_in,
                                                     gint64         messages_out);
/* One entry of session.updated: {"id", "state", "bytes_in", "bytes_out",
 * "messages_in", "messages_out"}, and "backend", "backend_tls" once known (the members
 * present are applied; the id must be this session's). Nothing changes when the entry
 * is not valid. */
gboolean      gh_api_session_update_from_json       (GhApiSession  *self,
                                                     JsonNode      *node,
                                                     GError       **error);
/* @self as the admin API writes a session (gh-api-session-export.c). */
JsonNode     *gh_api_session_to_json                (GhApiSession  *self);
/* @sessions (of GhApiSession) as RFC 4180 CSV with a header line; fields a spreadsheet
 * would run as a formula start with an apostrophe. */
char         *gh_api_sessions_to_csv                (GListModel    *sessions);

/* Everything from another description of the same session (a snapshot's). */
void          gh_api_session_update_from_session    (GhApiSession  *self,
                                                     GhApiSession  *other);

#define GH_TYPE_API_SESSION_PAGE (gh_api_session_page_get_type ())

G_DECLARE_FINAL_TYPE (GhApiSessionPage, gh_api_session_page, GH, API_SESSION_PAGE, GObject)

GhApiSessionPage *gh_api_session_page_new_from_json      (JsonNode         *node,
                                                          GError          **error);
GListModel       *gh_api_session_page_get_sessions       (GhApiSessionPage *self);  /* of GhApiSession */
/* The cursor of the next page, NULL on the last one. */
const char       *gh_api_session_page_get_next_cursor    (GhApiSessionPage *self);
/* How many sessions match the filters, over all pages. */
gint64            gh_api_session_page_get_total          (GhApiSessionPage *self);

G_END_DECLS
