/* gh-admin-request.h — reading admin API requests: their heads and JSON bodies
 *
 * Kept apart from the HTTP handling so that one fuzz target (tests/fuzz/
 * fuzz-admin-request.c) runs the exact code every request head and body goes through.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define GH_ADMIN_BODY_ERROR (gh_admin_body_error_quark ())

typedef enum {
  GH_ADMIN_BODY_ERROR_MEDIA_TYPE,  /* not application/json */
  GH_ADMIN_BODY_ERROR_MALFORMED,   /* not JSON, not an object, a wrong or missing member */
} GhAdminBodyError;

GQuark      gh_admin_body_error_quark (void);

/* Request heads: what the admin listener refuses before it reads a body. */
#define GH_ADMIN_REQUEST_ERROR (gh_admin_request_error_quark ())

typedef enum {
  GH_ADMIN_REQUEST_ERROR_MALFORMED,          /* 400: unreadable, a bad Content-Length, smuggling shapes */
  GH_ADMIN_REQUEST_ERROR_LENGTH_REQUIRED,    /* 411: a body without Content-Length (chunked) */
  GH_ADMIN_REQUEST_ERROR_BODY_TOO_LARGE,     /* 413 */
  GH_ADMIN_REQUEST_ERROR_HEADERS_TOO_LARGE,  /* 431 */
} GhAdminRequestError;

/* A request head is at most this many bytes (request line and header fields, up to
 * the empty line) and this many header fields. The API's own clients send under 1 KiB
 * and a dozen fields; the bounds leave room for proxies in between and are those of
 * nginx (32 KiB of large header buffers) and Apache (LimitRequestFields 100), far
 * below libsoup's own 64 KiB, which it answers only by closing the connection. */
#define GH_ADMIN_MAX_HEAD_BYTES (32 * 1024)
#define GH_ADMIN_MAX_HEAD_FIELDS 100

GQuark      gh_admin_request_error_quark (void);

/* The status and problem name (docs/admin-api.md) of a GH_ADMIN_REQUEST_ERROR. */
guint       gh_admin_request_error_status (const GError       *error,
                                           const char        **problem);

typedef struct {
  char       *method;          /* NULL when the request line cannot be read */
  char       *path;
  goffset     content_length;  /* 0 without a body */
  gboolean    upgrade;         /* asks to switch protocols */
} GhAdminRequestHead;

void        gh_admin_request_head_clear (GhAdminRequestHead *head);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GhAdminRequestHead, gh_admin_request_head_clear)

/* Where the head at the start of @data ends (after its empty line), or -1 while it
 * has not ended. Like libsoup, either CRLF or LF ends a line. */
gssize      gh_admin_request_head_end (const char          *data,
                                       gsize                length);
/* Checks one request head as it came in (@data: the request line to the empty line)
 * and fills @head; @max_body bounds the Content-Length. The method and path are filled
 * also on failure when the request line could be read. */
gboolean    gh_admin_request_head_check (const char          *data,
                                         gsize                length,
                                         goffset              max_body,
                                         GhAdminRequestHead  *head,
                                         GError             **error);
/* The same checks on headers libsoup parsed: the number and size of the fields, the
 * framing of the body (Transfer-Encoding, Content-Length) and its size. */
gboolean    gh_admin_request_headers_check (SoupMessageHeaders  *headers,
                                            goffset              max_body,
                                            goffset             *content_length,
                                            GError             **error);
/* Content-Length as RFC 9110 has it: digits only, one value (@value is the field's
 * values joined with ", " as libsoup keeps them), at most G_MAXINT64. */
gboolean    gh_admin_parse_content_length (const char        *value,
                                           goffset           *length);

/* Whether a Content-Type field value is JSON: application/json, with no parameter
 * but an optional charset=utf-8 (case-insensitive, quoted or not). */
gboolean    gh_admin_media_type_is_json (const char          *value);

typedef enum {
  GH_ADMIN_IF_MATCH_MALFORMED = -1,
  GH_ADMIN_IF_MATCH_FAILS,
  GH_ADMIN_IF_MATCH_MATCHES,
} GhAdminIfMatch;

/* If-Match (RFC 9110 13.1.1): "*" alone, or a list of entity-tags of which one must
 * equal @etag (strong comparison: a weak tag never matches). "*" inside a list, an
 * empty list or anything that is not an entity-tag is malformed. */
GhAdminIfMatch gh_admin_if_match_evaluate (const char      *value,
                                           const char      *etag);

/* The body as a JSON object with only @allowed members; the root is returned in @root
 * and owns the object. */
JsonObject *gh_admin_body_parse       (const char          *content_type,
                                       const char          *data,
                                       gsize                length,
                                       const char * const  *allowed,
                                       JsonNode           **root,
                                       GError             **error);

/* The members of each body; strings are borrowed from the object. */
typedef struct {
  const char *alias;
  const char *pkcs12;        /* base64 */
  const char *pem;
  const char *password;
  const char *source_alias;
} GhAdminUpload;

extern const char * const gh_admin_upload_members[];
gboolean    gh_admin_parse_upload     (JsonObject          *object,
                                       gboolean             alias_required,
                                       GhAdminUpload       *upload,
                                       GError             **error);

extern const char * const gh_admin_csr_members[];
/* @dns_names: (out) (transfer full): the names, never NULL after success. */
gboolean    gh_admin_parse_csr        (JsonObject          *object,
                                       const char         **key_type,
                                       const char         **subject,
                                       GStrv               *dns_names,
                                       GError             **error);

extern const char * const gh_admin_reply_members[];
gboolean    gh_admin_parse_reply      (JsonObject          *object,
                                       const char         **pem,
                                       GError             **error);

extern const char * const gh_admin_trust_members[];
gboolean    gh_admin_parse_trust      (JsonObject          *object,
                                       const char         **alias,
                                       const char         **pem,
                                       GError             **error);

extern const char * const gh_admin_rollback_members[];
gboolean    gh_admin_parse_rollback   (JsonObject          *object,
                                       gint64              *version,
                                       GError             **error);

G_END_DECLS
