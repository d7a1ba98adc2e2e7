/* gh-api-private.h — what the files of src/lib/api share: strict readers of the
 * admin API's JSON and the errors of the domain
 *
 * Every reader checks the JSON type of what it reads; a wrong type, or a required
 * member that is absent, is GH_API_ERROR_PROTOCOL naming the object and the member.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "gh-api-error.h"

G_BEGIN_DECLS

typedef enum {
  GH_API_OPTIONAL = 0,        /* absent: the out value is left as it was */
  GH_API_REQUIRED = 1 << 0,   /* absent: an error */
  GH_API_NULLABLE = 1 << 1,   /* null: the out value is NULL (or unchanged for numbers) */
} GhApiMemberFlags;

/* GH_API_ERROR_PROTOCOL: "the gateway's answer is not what the admin API says: …". */
void        _gh_api_set_protocol_error  (GError     **error,
                                         const char  *format,
                                         ...) G_GNUC_PRINTF (2, 3);

JsonObject *_gh_api_node_get_object     (JsonNode    *node,
                                         const char  *what,
                                         GError     **error);

gboolean    _gh_api_get_string          (JsonObject  *object,
                                         const char  *what,
                                         const char  *member,
                                         GhApiMemberFlags flags,
                                         char       **out,
                                         GError     **error);
gboolean    _gh_api_get_int             (JsonObject  *object,
                                         const char  *what,
                                         const char  *member,
                                         GhApiMemberFlags flags,
                                         gint64      *out,
                                         GError     **error);
gboolean    _gh_api_get_boolean         (JsonObject  *object,
                                         const char  *what,
                                         const char  *member,
                                         GhApiMemberFlags flags,
                                         gboolean    *out,
                                         GError     **error);
/* An RFC 3339 string. */
gboolean    _gh_api_get_time            (JsonObject  *object,
                                         const char  *what,
                                         const char  *member,
                                         GhApiMemberFlags flags,
                                         GDateTime  **out,
                                         GError     **error);
/* An array of strings; absent or null gives an empty one. */
gboolean    _gh_api_get_strv            (JsonObject  *object,
                                         const char  *what,
                                         const char  *member,
                                         GhApiMemberFlags flags,
                                         GStrv       *out,
                                         GError     **error);
/* (transfer none) NULL when absent or null (and allowed). */
gboolean    _gh_api_get_array           (JsonObject  *object,
                                         const char  *what,
                                         const char  *member,
                                         GhApiMemberFlags flags,
                                         JsonArray  **out,
                                         GError     **error);
gboolean    _gh_api_get_object          (JsonObject  *object,
                                         const char  *what,
                                         const char  *member,
                                         GhApiMemberFlags flags,
                                         JsonObject **out,
                                         GError     **error);

/* A chain (array of certificates) member: of GhCertificate, empty when absent or null. */
GPtrArray  *_gh_api_get_chain           (JsonObject  *object,
                                         const char  *what,
                                         const char  *member,
                                         GhApiMemberFlags flags,
                                         GError     **error);

typedef gpointer (*GhApiParseFunc) (JsonNode *node, GError **error);

/* A GhApiParseFunc for gh_api_<type>_new_from_json(), named parse_<type>: called
 * through the exact function type (-fsanitize=function checks it). */
#define GH_API_DEFINE_PARSE_FUNC(type) \
  static gpointer \
  parse_##type (JsonNode  *node, \
                GError   **error) \
  { \
    return gh_api_##type##_new_from_json (node, error); \
  }

/* Each element of @array through @parse, into a GListStore of @item_type. */
GListModel *_gh_api_list_from_array     (JsonArray     *array,
                                         GType          item_type,
                                         GhApiParseFunc parse,
                                         const char    *what,
                                         GError       **error);

/* A problem answer as a GError of GH_API_ERROR: @detail as the message, @problems
 * (of GhConfigProblem, may be NULL) and the rest attached. */
GError     *_gh_api_error_new_problem   (GhApiError   code,
                                         guint        status,
                                         const char  *detail,
                                         GListModel  *problems,
                                         gint64       current_version);

/* The problems list of config-invalid answers and of /config/validate:
 * [{"path", "message", "code"?, "service"?}…] into GhConfigProblem. */
GListModel *_gh_api_problems_from_array (JsonArray   *array,
                                         GError     **error);

G_END_DECLS
