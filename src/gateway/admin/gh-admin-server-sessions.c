/* gh-admin-server-sessions.c — GET /sessions, GET|DELETE /sessions/{id}
 *
 * The live sessions, a page at a time: the cursor is the serial number of the last
 * session given, so a page never repeats or skips one while sessions come and go.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-server"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-server-private.h"
#include "gh-json.h"

/* One session as the list gives it, with the certificate its client presented (or
 * null): for the details of one session, too large for every row. */
static JsonNode *
session_with_certificate (GhSession *session)
{
  JsonNode *node = gh_session_to_json (session);
  GhCertificate *certificate = gh_session_get_client_certificate (session);

  json_object_set_member (json_node_get_object (node), "client_certificate",
                          certificate != NULL ? _gh_admin_certificate_to_json (certificate) : json_node_new (JSON_NODE_NULL));
  return node;
}

void
_gh_admin_handle_sessions (GhAdminRequest *request)
{
  GhSessionRegistry *registry = gh_gateway_get_sessions (request->server->gateway);
  guint n = g_strv_length (request->segments);

  if (n == 1)
    {
      GListModel *model = G_LIST_MODEL (registry);
      const char *service = request->query ? g_hash_table_lookup (request->query, "service") : NULL;
      const char *state = request->query ? g_hash_table_lookup (request->query, "state") : NULL;
      const char *cursor = request->query ? g_hash_table_lookup (request->query, "cursor") : NULL;
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      guint limit, listed = 0, total = 0;
      guint64 after = 0;
      GhSession *last = NULL;
      gboolean more = FALSE;

      if (!_gh_admin_method_is (request, "GET"))
        {
          _gh_admin_respond_method_not_allowed (request, "GET");
          return;
        }
      if (!_gh_admin_parse_limit (request, request->query ? g_hash_table_lookup (request->query, "limit") : NULL, 100, 1000, &limit))
        return;

      /* The cursor is the serial number of the last session given: the next page
       * starts after it, whether that session is still open or not. */
      if (cursor != NULL && !g_ascii_string_to_unsigned (cursor, 10, 0, G_MAXUINT64, &after, NULL))
        {
          _gh_admin_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed",
                                     _("The cursor is not one this gateway gave"), NULL);
          return;
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sessions");
      json_builder_begin_array (builder);
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(GhSession) session = g_list_model_get_item (model, i);

          if (service != NULL && g_strcmp0 (gh_session_get_service (session), service) != 0)
            continue;
          if (state != NULL && g_strcmp0 (gh_session_state_to_string (gh_session_get_state (session)), state) != 0)
            continue;
          total++;
          if (gh_session_get_serial (session) <= after)
            continue;
          if (listed == limit)
            {
              more = TRUE;
              continue;
            }
          json_builder_add_value (builder, gh_session_to_json (session));
          last = session;
          listed++;
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "next_cursor");
      if (more && last != NULL)
        {
          g_autofree char *next = g_strdup_printf ("%" G_GUINT64_FORMAT, gh_session_get_serial (last));

          json_builder_add_string_value (builder, next);
        }
      else
        {
          json_builder_add_null_value (builder);
        }
      gh_json_add_int (builder, "total", total);
      json_builder_end_object (builder);
      _gh_admin_respond_json (request, SOUP_STATUS_OK, json_builder_get_root (builder));
      return;
    }

  if (n == 2)
    {
      GhSession *session = gh_session_registry_lookup (registry, request->segments[1]);

      if (_gh_admin_method_is (request, "DELETE"))
        {
          request->action = g_strdup_printf ("session close %s", request->segments[1]);
          if (!_gh_admin_require_role (request, GH_ADMIN_ROLE_OPERATOR))
            return;
        }
      else if (!_gh_admin_method_is (request, "GET"))
        {
          _gh_admin_respond_method_not_allowed (request, "GET, DELETE");
          return;
        }

      if (session == NULL)
        {
          _gh_admin_respond_not_found (request, _("There is no open session with that id"));
          return;
        }

      if (_gh_admin_method_is (request, "DELETE"))
        {
          g_autoptr(GhSession) held = g_object_ref (session);
          g_autofree char *caller = _gh_admin_caller_name (request);
          g_autofree char *reason = g_strdup_printf (_("closed by %s"), caller);

          gh_session_close (held, reason);
          _gh_admin_respond_json (request, SOUP_STATUS_OK, gh_session_to_json (held));
          return;
        }

      _gh_admin_respond_json (request, SOUP_STATUS_OK, session_with_certificate (session));
      return;
    }

  _gh_admin_respond_not_found (request, NULL);
}

