/* gh-admin-request.h — reading the JSON bodies of admin API requests
 *
 * Kept apart from the HTTP handling so that one fuzz target (tests/fuzz/
 * fuzz-admin-request.c) runs the exact code every request body goes through.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define GH_ADMIN_BODY_ERROR (gh_admin_body_error_quark ())

typedef enum {
  GH_ADMIN_BODY_ERROR_MEDIA_TYPE,  /* not application/json */
  GH_ADMIN_BODY_ERROR_MALFORMED,   /* not JSON, not an object, a wrong or missing member */
} GhAdminBodyError;

GQuark      gh_admin_body_error_quark (void);

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
