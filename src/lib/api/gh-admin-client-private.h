/* gh-admin-client-private.h — what GhEventStream and the other files of src/lib/api
 * share with GhAdminClient
 *
 * The endpoints live in one file per resource, as the server's handlers do
 * (gh-admin-client-config.c, -services.c, -keystore.c, -sessions.c, -info.c,
 * -audit.c). Each endpoint is a const GhAdminCall, a description of the request and
 * of how its answer reads, started with _gh_admin_client_call() and finished with
 * _gh_admin_client_call_finish(); the description is the task's source tag.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "gh-admin-client.h"
#include "gh-api-private.h"

G_BEGIN_DECLS

/* The URL of @path under /api/v1 ("events"), wss:// when @websocket. */
char        *_gh_admin_client_dup_url         (GhAdminClient *self,
                                               const char    *path,
                                               gboolean       websocket);
/* A message set up as every request of this client: client certificate, pin check. */
SoupMessage *_gh_admin_client_new_message     (GhAdminClient *self,
                                               const char    *method,
                                               const char    *url);
SoupSession *_gh_admin_client_get_session     (GhAdminClient *self);
/* A failure of @message (libsoup's, GIO's or TLS's error) as a GH_API_ERROR. Takes
 * @error. */
GError      *_gh_admin_client_translate_error (GhAdminClient *self,
                                               SoupMessage   *message,
                                               GError        *error);
/* An answer with an error status (problem+json in @root, or none) as a GH_API_ERROR. */
GError      *_gh_admin_client_problem_error   (SoupMessage   *message,
                                               JsonNode      *root);

/* How a call reads a successful answer. */
typedef enum {
  GH_ADMIN_ANSWER_OBJECT,    /* one object: @parse gives the result */
  GH_ADMIN_ANSWER_LIST,      /* {"@member": [item…]}: a GListModel of @item_type through @parse */
  GH_ADMIN_ANSWER_VERSION,   /* a write's {"version": N} or its ETag: TRUE, the version kept */
  GH_ADMIN_ANSWER_JSON,      /* the JSON as it came (a null node for no body) */
  GH_ADMIN_ANSWER_CUSTOM,    /* @convert reads it, @free_result frees what it gives */
} GhAdminAnswer;

typedef struct _GhAdminCall    GhAdminCall;
typedef struct _GhAdminRequest GhAdminRequest;

/* The result of an answer (transfer full), or NULL with @error set. NULL without an
 * error: _gh_admin_request_follow() was called, the request goes on. */
typedef gpointer (*GhAdminConvertFunc) (GhAdminClient   *self,
                                        GhAdminRequest  *request,
                                        GBytes          *body,
                                        JsonNode        *root,
                                        GError         **error);

struct _GhAdminCall {
  const char          *method;
  /* Under /api/v1. A "%s" is the call's argument, escaped as a path segment; NULL:
   * the argument is the whole path, escaped already (with a query, say). */
  const char          *path;
  GhAdminAnswer        answer;
  GhApiParseFunc       parse;             /* OBJECT, LIST */
  GType              (*item_type) (void); /* LIST */
  const char          *member;            /* LIST: the array */
  const char          *version_member;    /* LIST: the member that is the version, or NULL */
  GhAdminConvertFunc   convert;           /* CUSTOM */
  GDestroyNotify       free_result;       /* CUSTOM */
};

struct _GhAdminRequest {
  const GhAdminCall *call;      /* how the answer reads (a follow-up changes it) */
  SoupMessage       *message;
  char              *path;      /* the path asked for, escaped */
  gint64             version;   /* from the answer's ETag, or its body */
};

/* Starts @call. @body (may be NULL) is sent once, on a connection of its own. */
void         _gh_admin_client_call            (GhAdminClient       *self,
                                               const GhAdminCall   *call,
                                               const char          *argument,
                                               GBytes              *body,
                                               gint64               if_match,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* The result of @call; @version (may be NULL) the version the answer carried. */
gpointer     _gh_admin_client_call_finish     (GhAdminClient       *self,
                                               GAsyncResult        *result,
                                               const GhAdminCall   *call,
                                               gint64              *version,
                                               GError             **error);
/* The same for ANSWER_VERSION calls: TRUE, or FALSE with @error (and *@version 0). */
gboolean     _gh_admin_client_call_finish_boolean (GhAdminClient     *self,
                                                   GAsyncResult      *result,
                                                   const GhAdminCall *call,
                                                   gint64            *version,
                                                   GError           **error);
/* From a GhAdminConvertFunc: sends a GET of @path next, its answer read by @call. */
void         _gh_admin_request_follow         (GhAdminClient       *self,
                                               GhAdminRequest      *request,
                                               const GhAdminCall   *call,
                                               const char          *path);
/* {"version": N, …} (or none, with an ETag): the version into @request. */
gboolean     _gh_admin_request_read_version   (GhAdminRequest      *request,
                                               JsonNode            *root,
                                               GError             **error);

/* Request bodies: @node's text; @text (taken) wiped when freed, for passwords. */
GBytes      *_gh_admin_body_new_json          (JsonNode            *node);
GBytes      *_gh_admin_body_new_secret        (GString             *text);

G_END_DECLS
