/* gh-admin-server-private.h — what the admin API's handlers share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "gh-admin-audit.h"
#include "gh-admin-connections.h"
#include "gh-admin-events.h"
#include "gh-admin-server.h"
#include "gh-gateway.h"
#include "gh-tls-stream.h"
#include "gh-trust-chain.h"

G_BEGIN_DECLS

/* Request bodies: at most this many bytes. */
#define GH_ADMIN_MAX_BODY (4 * 1024 * 1024)
struct _GhAdminServer
{
  GObject         parent_instance;

  GhGateway      *gateway;
  GhAdminAudit   *audit;
  GhAdminEvents  *events;
  GSocketService *socket_service;
  SoupServer     *soup;
  char           *listen;        /* admin.listen as bound */
  GSocketAddress *address;       /* as bound, with the real port */
  GhAdminConnections *connections;
};

/* One request, from the handler to its (possibly later) answer. */
typedef struct {
  GhAdminServer     *server;
  SoupServerMessage *msg;
  GhAdminCaller     *caller;
  GhAdminRole        role;
  char              *path;      /* after /api/v1, e.g. "/services/echo" */
  GStrv              segments;  /* path split at '/', without the empty first */
  GHashTable        *query;     /* may be NULL */
  char              *action;    /* for the audit, when the request changes something */
  gboolean           audited;
  gboolean           paused;    /* answered later, from a callback */
} GhAdminRequest;

void      _gh_admin_request_free         (GhAdminRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhAdminRequest, _gh_admin_request_free)

/* Answers; each also writes the audit record when the request needs one. */
void      _gh_admin_respond_json         (GhAdminRequest *request,
                                          guint           status,
                                          JsonNode       *node);
void      _gh_admin_respond_problem      (GhAdminRequest *request,
                                          guint           status,
                                          const char     *name,
                                          const char     *detail,
                                          JsonNode       *problems);
void      _gh_admin_respond_method_not_allowed (GhAdminRequest *request,
                                                const char     *allow);
void      _gh_admin_respond_not_found    (GhAdminRequest *request,
                                          const char     *detail);
/* The application/problem+json text of a problem. */
char     *_gh_admin_problem_to_text      (guint           status,
                                          const char     *name,
                                          const char     *detail,
                                          JsonNode       *problems);
/* [{"path", "message"}…] of @problems; with none, @fallback's message (when given). */
JsonNode *_gh_admin_problems_to_json     (GListModel     *problems,
                                          const GError   *fallback);
/* 422 config-invalid with the problems of a GH_CONFIG_ERROR, or the error's text. */
void      _gh_admin_respond_apply_error  (GhAdminRequest *request,
                                          const GError   *error);
/* The status of an answer given asynchronously: the request is paused until then. */
void      _gh_admin_request_pause        (GhAdminRequest *request);

gboolean  _gh_admin_require_role         (GhAdminRequest *request,
                                          GhAdminRole     role);
/* For writes: FALSE after answering 428 or 412. */
gboolean  _gh_admin_check_if_match       (GhAdminRequest *request);
/* The JSON object of the body with only @allowed members, or NULL after answering
 * 400/415. */
JsonObject *_gh_admin_parse_body_object  (GhAdminRequest      *request,
                                          const char * const  *allowed,
                                          JsonNode           **root);
void      _gh_admin_respond_malformed    (GhAdminRequest *request,
                                          const GError   *error);
/* The status of a GH_ADMIN_REQUEST_ERROR, and the connection closed after it. */
void      _gh_admin_respond_request_error (GhAdminRequest *request,
                                           const GError   *error);
/* The reason phrase of @status, also for those libsoup's table lacks (428, 431). */
const char *_gh_admin_status_phrase      (guint           status);
/* The admin server's stream for a connection's decrypted @tls: request heads are
 * checked before libsoup reads them (gh-admin-server-guard.c). */
GIOStream *_gh_admin_guard_connection    (GhAdminServer  *self,
                                          GIOStream      *tls,
                                          const char     *peer);

gboolean  _gh_admin_method_is            (GhAdminRequest *request,
                                          const char     *method);
/* ?limit=: @fallback when absent; FALSE after answering 400 when not 1…@maximum. */
gboolean  _gh_admin_parse_limit          (GhAdminRequest *request,
                                          const char     *text,
                                          guint           fallback,
                                          guint           maximum,
                                          guint          *limit);

char     *_gh_admin_caller_name          (GhAdminRequest *request);
/* The ETag of the running configuration: "vN". */
char     *_gh_admin_etag                 (GhAdminServer  *self);

/* Handlers by resource, one file each; each answers every request it is given. Those
 * that take the request (transfer full) free it, the others leave it to the caller. */
void      _gh_admin_handle_info          (GhAdminRequest *request);
void      _gh_admin_handle_stats         (GhAdminRequest *request);
void      _gh_admin_handle_sessions      (GhAdminRequest *request);
void      _gh_admin_handle_audit         (GhAdminRequest *request);
void      _gh_admin_handle_config        (GhAdminRequest *request);  /* transfer full */
void      _gh_admin_handle_services      (GhAdminRequest *request);  /* transfer full */
void      _gh_admin_handle_keystore      (GhAdminRequest *request);  /* transfer full */
void      _gh_admin_handle_truststore    (GhAdminRequest *request);  /* transfer full */
void      _gh_admin_handle_truststore_crls (GhAdminRequest *request);  /* transfer full */
void      _gh_admin_handle_config_preview (GhAdminRequest *request);  /* transfer full */
void      _gh_admin_handle_services_tls  (GhAdminRequest *request,   /* transfer full */
                                          const char     *name);

/* gh-admin-server-service-tls.c: chains as trust-chain JSON, for /services/{name}/tls
 * and the previews of /config/validate. */
JsonNode *_gh_admin_verify_chain_to_json (GPtrArray       *chain,
                                          GPtrArray       *anchors,
                                          GPtrArray       *crls,
                                          gboolean         system_anchors,
                                          const char      *hostname,
                                          GhTrustPurpose   purpose);
JsonNode *_gh_admin_accepts_to_json      (GhServiceConfig *service,
                                          GhKeystore      *keystore,
                                          GPtrArray       *anchors,
                                          GPtrArray       *crls);

/* What the keystore and the truststore share (gh-admin-server-keystore.c); those that
 * take @request (transfer full) answer and free it. */
JsonNode   *_gh_admin_store_entries_to_json (GhKeystore     *store,
                                             gboolean        trusted_form);
/* A copy of @store to change: the entries are shared, they do not change. */
GhKeystore *_gh_admin_store_copy            (GhKeystore     *store);
/* Applies the changed store(s) and answers @status with @extra and the new version. */
void        _gh_admin_store_apply           (GhAdminRequest *request,
                                             GhKeystore     *keystore,
                                             GhKeystore     *truststore,
                                             guint           status,
                                             JsonNode       *extra);
void        _gh_admin_store_refuse_method   (GhAdminRequest *request,
                                             const char     *allow);
/* Every write: the admin role and the version; FALSE after answering (and freeing). */
gboolean    _gh_admin_store_check_write     (GhAdminRequest *request);

JsonNode *_gh_admin_certificate_to_json  (GhCertificate  *certificate);
/* The caller as /info and the event stream's hello show it: subject, fingerprint, role. */
JsonNode *_gh_admin_identity_to_json     (GhAdminRequest *request);

G_END_DECLS
