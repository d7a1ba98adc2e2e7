/* fuzz-api-json.c — the admin API client's JSON readers on arbitrary bytes, as a
 * gateway (or whatever answers in its place) could send them: every typed object,
 * a session update applied in place, the problems of a config-invalid answer, and
 * the event stream's envelopes applied to its live models. Each reader must give a
 * value or GH_API_ERROR_PROTOCOL, never crash, warn or leak; what reads must answer
 * every getter.
 *
 * The input is tried whole, and also as a sequence of events (one per line), so that
 * the seeds can hold a conversation: hello, snapshot, session events.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "gh-api.h"
#include "gh-api-private.h"
#include "gh-event-stream-private.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

typedef gpointer (*ParseFunc) (JsonNode *node, GError **error);

GH_API_DEFINE_PARSE_FUNC (info)
GH_API_DEFINE_PARSE_FUNC (stats)
GH_API_DEFINE_PARSE_FUNC (service_stats)
GH_API_DEFINE_PARSE_FUNC (service)
GH_API_DEFINE_PARSE_FUNC (session)
GH_API_DEFINE_PARSE_FUNC (session_page)
GH_API_DEFINE_PARSE_FUNC (audit_entry)
GH_API_DEFINE_PARSE_FUNC (keystore_entry)
GH_API_DEFINE_PARSE_FUNC (truststore_entry)
GH_API_DEFINE_PARSE_FUNC (config_version)
GH_API_DEFINE_PARSE_FUNC (service_tls)
GH_API_DEFINE_PARSE_FUNC (tls_accept)
GH_API_DEFINE_PARSE_FUNC (tls_connect)
GH_API_DEFINE_PARSE_FUNC (finding)
GH_API_DEFINE_PARSE_FUNC (trust_chain)
GH_API_DEFINE_PARSE_FUNC (trust_link)
GH_API_DEFINE_PARSE_FUNC (backend_probe)
GH_API_DEFINE_PARSE_FUNC (crl)
GH_API_DEFINE_PARSE_FUNC (config_preview)

static void
check_result (gpointer  object,
              GError   *error)
{
  if (object == NULL)
    {
      g_assert (error != NULL);
      g_assert (error->domain == GH_API_ERROR && error->code == GH_API_ERROR_PROTOCOL);
      g_assert (g_utf8_validate (error->message, -1, NULL));
    }
  else
    g_assert (error == NULL);
}

static void
touch_session (GhApiSession *session)
{
  g_assert (gh_api_session_get_id (session) != NULL);
  g_assert (gh_api_session_get_service (session) != NULL);
  g_assert (gh_api_session_get_state (session) != NULL);
  g_assert (gh_api_session_get_bytes_in (session) >= 0);
  g_assert (gh_api_session_get_bytes_out (session) >= 0);
  g_assert (gh_api_session_get_messages_in (session) >= 0);
  g_assert (gh_api_session_get_messages_out (session) >= 0);
  (void) gh_api_session_get_started (session);
  (void) gh_api_session_get_tls_protocol (session);
  (void) gh_api_session_get_close_reason (session);
}

static void
touch_findings (GListModel *findings)
{
  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(GhApiFinding) finding = g_list_model_get_item (findings, i);
      GhFindingKind kind;

      (void) gh_api_finding_get_kind (finding, &kind);
      g_assert (gh_api_finding_get_severity (finding) <= GH_SEVERITY_ERROR);
      g_assert (gh_api_finding_get_message (finding) != NULL);
    }
}

static void
touch_object (GObject *object)
{
  if (GH_IS_API_INFO (object))
    {
      GhApiInfo *info = GH_API_INFO (object);

      g_assert (gh_api_info_get_name (info) != NULL);
      g_assert (gh_api_info_get_listeners (info) != NULL);
      (void) gh_api_info_get_identity_role (info);
    }
  else if (GH_IS_API_STATS (object))
    {
      GListModel *services = gh_api_stats_get_services (GH_API_STATS (object));

      for (guint i = 0; i < g_list_model_get_n_items (services); i++)
        {
          g_autoptr(GhApiServiceStats) service = g_list_model_get_item (services, i);

          g_assert (gh_api_stats_lookup_service (GH_API_STATS (object), gh_api_service_stats_get_name (service)) != NULL);
        }
    }
  else if (GH_IS_API_SERVICE (object))
    g_assert (gh_api_service_get_accept (GH_API_SERVICE (object)) != NULL);
  else if (GH_IS_API_SESSION (object))
    touch_session (GH_API_SESSION (object));
  else if (GH_IS_API_SESSION_PAGE (object))
    {
      GListModel *sessions = gh_api_session_page_get_sessions (GH_API_SESSION_PAGE (object));

      for (guint i = 0; i < g_list_model_get_n_items (sessions); i++)
        {
          g_autoptr(GhApiSession) session = g_list_model_get_item (sessions, i);

          touch_session (session);
        }
    }
  else if (GH_IS_API_KEYSTORE_ENTRY (object))
    {
      GPtrArray *chain = gh_api_keystore_entry_get_chain (GH_API_KEYSTORE_ENTRY (object));

      for (guint i = 0; i < chain->len; i++)
        g_assert (gh_certificate_get_sha256_fingerprint (g_ptr_array_index (chain, i)) != NULL);
    }
  else if (GH_IS_API_TRUSTSTORE_ENTRY (object))
    g_assert (gh_api_truststore_entry_get_certificate (GH_API_TRUSTSTORE_ENTRY (object)) != NULL);
  else if (GH_IS_API_SERVICE_TLS (object))
    {
      GListModel *accepts = gh_api_service_tls_get_accepts (GH_API_SERVICE_TLS (object));
      GhApiTlsConnect *connect = gh_api_service_tls_get_connect (GH_API_SERVICE_TLS (object));

      for (guint i = 0; i < g_list_model_get_n_items (accepts); i++)
        {
          g_autoptr(GhApiTlsAccept) accept = g_list_model_get_item (accepts, i);

          touch_findings (gh_api_tls_accept_get_findings (accept));
          if (gh_api_tls_accept_get_chain (accept) != NULL)
            touch_object (G_OBJECT (gh_api_tls_accept_get_chain (accept)));
          else
            g_assert (!gh_api_tls_accept_get_trusted (accept));
        }
      if (connect != NULL)
        {
          touch_findings (gh_api_tls_connect_get_probe_findings (connect));
          g_assert (gh_api_tls_connect_has_probe (connect) || gh_api_tls_connect_get_probe_chain (connect) == NULL);
        }
    }
  else if (GH_IS_API_BACKEND_PROBE (object))
    {
      GhApiBackendProbe *probe = GH_API_BACKEND_PROBE (object);

      if (gh_api_backend_probe_get_client_certificate_chain (probe) != NULL)
        touch_object (G_OBJECT (gh_api_backend_probe_get_client_certificate_chain (probe)));
      g_assert (gh_api_backend_probe_get_client_certificate_alias (probe) != NULL ||
                gh_api_backend_probe_get_client_certificate_chain (probe) == NULL);
      for (guint i = 0; i < gh_api_backend_probe_get_certificates (probe)->len; i++)
        g_assert (gh_certificate_get_der (g_ptr_array_index (gh_api_backend_probe_get_certificates (probe), i)) != NULL);
    }
  else if (GH_IS_API_CRL (object))
    {
      const char * const *serials = gh_api_crl_get_revoked_serials (GH_API_CRL (object));

      g_assert (gh_api_crl_get_id (GH_API_CRL (object)) != NULL && serials != NULL);
      for (guint i = 0; serials[i] != NULL; i++)
        g_assert (strlen (serials[i]) < G_MAXSIZE);
    }
  else if (GH_IS_API_CONFIG_PREVIEW (object))
    {
      GListModel *accepts = gh_api_config_preview_get_accepts (GH_API_CONFIG_PREVIEW (object));

      g_assert (gh_api_config_preview_get_problems (GH_API_CONFIG_PREVIEW (object)) != NULL);
      g_assert (gh_api_config_preview_get_n_flagged (GH_API_CONFIG_PREVIEW (object)) <= g_list_model_get_n_items (accepts));
      for (guint i = 0; i < g_list_model_get_n_items (accepts); i++)
        {
          g_autoptr(GhApiAcceptPreview) accept = g_list_model_get_item (accepts, i);

          g_assert (gh_api_accept_preview_get_service (accept) != NULL);
          touch_findings (gh_api_tls_accept_get_findings (gh_api_accept_preview_get_accept (accept)));
        }
    }
  else if (GH_IS_API_TRUST_CHAIN (object))
    {
      GListModel *links = gh_api_trust_chain_get_links (GH_API_TRUST_CHAIN (object));
      guint n_findings = 0;

      for (guint i = 0; i < g_list_model_get_n_items (links); i++)
        {
          g_autoptr(GhApiTrustLink) link = g_list_model_get_item (links, i);

          g_assert (gh_api_trust_link_get_subject (link) != NULL);
          n_findings += g_list_model_get_n_items (gh_api_trust_link_get_findings (link));
        }
      g_assert (n_findings == g_list_model_get_n_items (gh_api_trust_chain_get_findings (GH_API_TRUST_CHAIN (object))));
      touch_findings (gh_api_trust_chain_get_findings (GH_API_TRUST_CHAIN (object)));
    }
}

static const ParseFunc parsers[] = {
  parse_info,
  parse_stats,
  parse_service_stats,
  parse_service,
  parse_session,
  parse_session_page,
  parse_audit_entry,
  parse_keystore_entry,
  parse_truststore_entry,
  parse_config_version,
  parse_service_tls,
  parse_tls_accept,
  parse_tls_connect,
  parse_finding,
  parse_trust_chain,
  parse_trust_link,
  parse_backend_probe,
  parse_crl,
  parse_config_preview,
};

static void
parse_every_type (JsonNode *root)
{
  for (guint i = 0; i < G_N_ELEMENTS (parsers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GObject) object = parsers[i] (root, &error);

      check_result (object, error);
      if (object != NULL)
        touch_object (object);
    }

  /* A session.updated entry, applied to a session whose id it may name. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GhApiSession) session = NULL;
    g_autoptr(GError) error = NULL;
    gint64 before;
    gboolean applied;

    json_parser_load_from_data (parser, "{\"id\":\"s\",\"service\":\"echo\",\"state\":\"open\",\"bytes_in\":3}", -1, NULL);
    session = gh_api_session_new_from_json (json_parser_get_root (parser), NULL);
    g_assert (session != NULL);
    before = gh_api_session_get_bytes_in (session);
    applied = gh_api_session_update_from_json (session, root, &error);
    check_result (applied ? session : NULL, error);
    if (!applied)
      g_assert (gh_api_session_get_bytes_in (session) == before);
    touch_session (session);
  }

  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) problems = _gh_api_problems_from_array (json_node_get_array (root), &error);

      check_result (problems, error);
    }

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) chain = _gh_api_get_chain (json_node_get_object (root), "fuzz", "chain",
                                                      GH_API_NULLABLE, &error);

      check_result (chain, error);
    }
}

/* The stream's models must stay coherent whatever the events say. */
static void
check_stream (GhEventStream *stream)
{
  GListModel *sessions = gh_event_stream_get_sessions (stream);
  GListModel *history = gh_event_stream_get_stats_history (stream);

  g_assert (g_list_model_get_n_items (history) <= gh_event_stream_get_history_size (stream));
  for (guint i = 0; i < g_list_model_get_n_items (sessions); i++)
    {
      g_autoptr(GhApiSession) session = g_list_model_get_item (sessions, i);

      touch_session (session);
      g_assert (gh_event_stream_lookup_session (stream, gh_api_session_get_id (session)) == session);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GhAdminClient) client = gh_admin_client_new ("https://127.0.0.1:1", NULL, NULL);
  g_autoptr(GhEventStream) stream = gh_event_stream_new (client);
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto(GStrv) lines = NULL;

  if (json_parser_load_from_data (parser, (const char *) data, size, NULL))
    parse_every_type (json_parser_get_root (parser));

  /* As events: the whole input, then each line, on a small history. */
  gh_event_stream_set_history_size (stream, 3);
  {
    g_autoptr(GError) error = NULL;
    gboolean ok = _gh_event_stream_handle_text (stream, (const char *) data, size, &error);

    check_result (ok ? stream : NULL, error);
  }

  lines = g_strsplit (text, "\n", 64);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = _gh_event_stream_handle_text (stream, lines[i], strlen (lines[i]), &error);

      check_result (ok ? stream : NULL, error);
      check_stream (stream);
    }

  return 0;
}
