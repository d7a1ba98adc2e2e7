/* gh-api-session-export.c — sessions as a person takes them away: one as the admin
 * API's JSON (to paste into a ticket), a list as CSV (for a spreadsheet)
 *
 * The JSON is what GET /sessions/{id} answers, written by the one writer of the type
 * (gh_api_session_fields_to_json()). The CSV follows RFC 4180 (a header line, CRLF
 * line ends, fields with a comma, a quote or a line end quoted, quotes doubled), and a
 * field that a spreadsheet would take for a formula (=, +, -, @, a tab or a carriage
 * return first) is given a leading apostrophe: an address or a client certificate's
 * subject comes from outside, and opening the file must not run it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-session"

#include "config.h"

#include <string.h>

#include "gh-api-session.h"

static void
fields_from_session (GhApiSession       *session,
                     GhApiSessionFields *fields)
{
  GDateTime *started = gh_api_session_get_started (session);

  *fields = (GhApiSessionFields) {
    .id = gh_api_session_get_id (session),
    .service = gh_api_session_get_service (session),
    .client = gh_api_session_get_client (session),
    .state = gh_api_session_get_state (session),
    .started = started != NULL ? g_date_time_to_unix_usec (started) : 0,
    .tls_protocol = gh_api_session_get_tls_protocol (session),
    .tls_cipher = gh_api_session_get_tls_cipher (session),
    .tls_server_name = gh_api_session_get_tls_server_name (session),
    .tls_alpn = gh_api_session_get_tls_alpn (session),
    .tls_client_subject = gh_api_session_get_tls_client_subject (session),
    .backend = gh_api_session_get_backend (session),
    .backend_tls = gh_api_session_get_backend_tls (session),
    .bytes_in = gh_api_session_get_bytes_in (session),
    .bytes_out = gh_api_session_get_bytes_out (session),
    .messages_in = gh_api_session_get_messages_in (session),
    .messages_out = gh_api_session_get_messages_out (session),
    .close_reason = gh_api_session_get_close_reason (session),
  };
}

/**
 * gh_api_session_to_json:
 * @self: a #GhApiSession
 *
 * Returns: (transfer full): @self as the admin API writes a session
 */
JsonNode *
gh_api_session_to_json (GhApiSession *self)
{
  GhApiSessionFields fields;

  g_return_val_if_fail (GH_IS_API_SESSION (self), NULL);

  fields_from_session (self, &fields);
  return gh_api_session_fields_to_json (&fields);
}

static void
append_field (GString    *csv,
              const char *value)
{
  gboolean formula = value != NULL && strchr ("=+-@\t\r", value[0]) != NULL && value[0] != '\0';

  if (value == NULL)
    value = "";
  if (formula || strpbrk (value, ",\"\r\n") != NULL)
    {
      g_string_append_c (csv, '"');
      if (formula)
        g_string_append_c (csv, '\'');
      for (const char *p = value; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (csv, '"');
          g_string_append_c (csv, *p);
        }
      g_string_append_c (csv, '"');
    }
  else
    {
      g_string_append (csv, value);
    }
}

/**
 * gh_api_sessions_to_csv:
 * @sessions: a #GListModel of #GhApiSession
 *
 * Returns: (transfer full): @sessions as CSV, one line each after a header, in their
 *   order
 */
char *
gh_api_sessions_to_csv (GListModel *sessions)
{
  static const char * const header[] = {
    "id", "service", "client", "state", "started", "tls_protocol", "tls_cipher", "tls_server_name",
    "tls_alpn", "tls_client_subject", "backend", "backend_tls", "bytes_in", "bytes_out",
    "messages_in", "messages_out",
  };
  GString *csv = g_string_new (NULL);

  g_return_val_if_fail (G_IS_LIST_MODEL (sessions), NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (header); i++)
    g_string_append_printf (csv, "%s%s", i ? "," : "", header[i]);
  g_string_append (csv, "\r\n");

  for (guint i = 0; i < g_list_model_get_n_items (sessions); i++)
    {
      g_autoptr(GhApiSession) session = g_list_model_get_item (sessions, i);
      GhApiSessionFields f;
      g_autofree char *started = NULL;
      g_autofree char *numbers = NULL;
      const char *text[12];

      fields_from_session (session, &f);
      started = f.started != 0 ? g_date_time_format_iso8601 (gh_api_session_get_started (session)) : NULL;
      text[0] = f.id, text[1] = f.service, text[2] = f.client, text[3] = f.state, text[4] = started;
      text[5] = f.tls_protocol, text[6] = f.tls_cipher, text[7] = f.tls_server_name, text[8] = f.tls_alpn;
      text[9] = f.tls_client_subject, text[10] = f.backend, text[11] = f.backend_tls;
      for (gsize j = 0; j < G_N_ELEMENTS (text); j++)
        {
          if (j > 0)
            g_string_append_c (csv, ',');
          append_field (csv, text[j]);
        }
      numbers = g_strdup_printf (",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "\r\n",
                                 f.bytes_in, f.bytes_out, f.messages_in, f.messages_out);
      g_string_append (csv, numbers);
    }

  return g_string_free (csv, FALSE);
}
