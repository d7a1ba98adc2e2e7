/* test-trust-diagram.c — GhTrustDiagram and GhTrustNode from API answers, without a
 * gateway: each certificate a node, each finding under its certificate with the fix of
 * its side (clients: rotate the entry, or trust the CA; back-end: trust the issuer, set
 * the server name, or probe again, also for a kind this client does not know), a failed
 * probe shown as the back-end with its error, what a session would know (the SNI, the
 * TLS, the verdict, the client certificate asked for), the truststore's revocation
 * lists (a badge where one covers a certificate; a revoked back-end's words and its
 * list one click away), what the summary counts, and both freed with their window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <adwaita.h>

#include "gh-api.h"
#include "gh-trust-diagram.h"

static GhApiService *
service_from (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, &error);
  GhApiService *service;

  g_assert_no_error (error);
  service = gh_api_service_new_from_json (node, &error);
  g_assert_no_error (error);
  return service;
}

static GhApiServiceTls *
tls_from (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, &error);
  GhApiServiceTls *tls;

  g_assert_no_error (error);
  tls = gh_api_service_tls_new_from_json (node, &error);
  g_assert_no_error (error);
  return tls;
}

/* A trust link of the API; @issuer_json: a JSON string or null. */
#define LINK_ISSUED_BY(role, severity, name, issuer_json, not_after, findings) \
  "{\"role\": \"" role "\", \"severity\": \"" severity "\", \"certificate\": {\"subject\": \"CN=" name "\"," \
  " \"issuer\": " issuer_json ", \"display_name\": \"" name "\", \"sha256_fingerprint\": \"" name "-sha\"," \
  " \"not_after\": \"" not_after "\"}, \"findings\": [" findings "]}"
#define LINK(role, severity, name, not_after, findings) \
  LINK_ISSUED_BY (role, severity, name, "null", not_after, findings)
#define FINDING(kind, severity, message) \
  "{\"kind\": \"" kind "\", \"severity\": \"" severity "\", \"message\": \"" message "\", \"fix\": null}"

static GhTrustNode *
node_at (GhTrustDiagram *diagram,
         GhTrustSide     side,
         guint           index)
{
  GPtrArray *nodes = gh_trust_diagram_get_nodes (diagram, side);

  g_assert_cmpuint (index, <, nodes->len);
  return g_ptr_array_index (nodes, index);
}

static void
assert_fix (GhTrustNode *node,
            const char  *kind,
            const char  *action,
            const char  *target)
{
  GtkWidget *fix = gh_trust_node_get_fix (node, kind);

  g_assert_nonnull (fix);
  g_assert_true (gtk_widget_is_ancestor (fix, GTK_WIDGET (node)));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (fix)), ==, action);
  g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (fix)), NULL), ==,
                   target);
}

/* Whether a label of @widget says @text. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

static void
test_clients_and_failed_probe (void)
{
  g_autoptr(GhApiService) service = service_from (
    "{\"name\": \"relay\", \"type\": \"proxy\", \"description\": null,"
    " \"accept\": [\"wss://localhost:8443/relay\", \"ws://localhost:8080/relay\"],"
    " \"connect\": \"ssl://backend:9443\", \"state\": \"started\","
    " \"config\": {\"name\": \"relay\", \"connect-tls\": {\"server-name\": \"backend.example\"}}}");
  g_autoptr(GhApiServiceTls) tls = tls_from (
    "{\"accept\": ["
    "  {\"uri\": \"wss://localhost:8443/relay\", \"host\": \"localhost\", \"secure\": true, \"alias\": \"web\","
    "   \"chain\": {\"trusted\": false, \"severity\": \"error\", \"status_message\": null, \"hostname\": \"localhost\","
    "     \"purpose\": \"server\", \"links\": ["
    LINK ("leaf", "error", "localhost", "2021-01-01T00:00:00Z",
          FINDING ("expired", "error", "It expired.") "," FINDING ("untrusted-root", "error", "Not trusted."))
    "," LINK ("anchor", "info", "Web CA", "2035-01-01T00:00:00Z", "") "]}, \"anchor\": \"clients\"},"
    "  {\"uri\": \"ws://localhost:8080/relay\", \"host\": \"localhost\", \"secure\": false, \"alias\": null,"
    "   \"chain\": null}],"
    " \"connect\": {\"uri\": \"ssl://backend:9443\", \"verify\": true,"
    "   \"probe\": {\"ok\": false, \"error\": \"Connection refused\", \"chain\": null}}}");
  GtkWidget *window = gtk_window_new ();
  GtkWidget *diagram = gh_trust_diagram_new (service, tls, NULL, NULL, NULL, NULL);
  GhTrustDiagram *self = GH_TRUST_DIAGRAM (diagram);
  const char *name = NULL;
  GhTrustNode *node;

  g_object_ref (diagram);
  gtk_window_set_child (GTK_WINDOW (window), diagram);
  g_assert_cmpstr (gh_trust_diagram_get_service_name (self), ==, "relay");

  /* The clients' chain, leaf first, each finding at the leaf with its fix. */
  g_assert_cmpuint (gh_trust_diagram_get_nodes (self, GH_TRUST_SIDE_CLIENTS)->len, ==, 2);
  node = node_at (self, GH_TRUST_SIDE_CLIENTS, 0);
  g_assert_cmpstr (gh_trust_node_get_name (node), ==, "localhost");
  g_assert_cmpstr (gh_trust_node_get_style_class (node), ==, "error");
  g_assert_cmpstr (gh_trust_node_get_fingerprint (node), ==, "localhost-sha");
  assert_fix (node, "expired", "trust.rotate", "web");
  assert_fix (node, "untrusted-root", "trust.add-ca", "web");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (gh_trust_node_get_card (node)), "It expired."));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (gh_trust_node_get_card (node)), "Expired on 2021-01-01"));
  node = node_at (self, GH_TRUST_SIDE_CLIENTS, 1);
  g_assert_cmpstr (gh_trust_node_get_style_class (node), ==, "success");
  g_assert_false (gh_trust_node_has_finding (node, "expired"));
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (gh_trust_node_get_card (node)), "Fine."));
  /* Whose trust the served chain needs, in words: here a root only clients can judge. */
  g_assert_true (shows_text (diagram, "Anchor not known here: the clients decide whether to trust “Web CA”"));

  /* The probe failed: the back-end itself, its error, and probing again. */
  g_assert_cmpuint (gh_trust_diagram_get_nodes (self, GH_TRUST_SIDE_BACKEND)->len, ==, 1);
  node = node_at (self, GH_TRUST_SIDE_BACKEND, 0);
  g_assert_cmpstr (gh_trust_node_get_name (node), ==, "backend");
  g_assert_cmpstr (gh_trust_node_get_style_class (node), ==, "error");
  assert_fix (node, "probe-failure", "trust.probe", "relay");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (gh_trust_node_get_card (node)), "Connection refused"));

  /* Two chains (the plain accept has none), neither fine; the leaf expires first. */
  g_assert_cmpuint (gh_trust_diagram_get_n_chains (self), ==, 2);
  g_assert_cmpuint (gh_trust_diagram_get_n_fine (self), ==, 0);
  g_assert_nonnull (gh_trust_diagram_get_nearest_expiry (self, &name));
  g_assert_cmpstr (name, ==, "localhost");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (diagram);
}

static void
test_backend_fixes (void)
{
  g_autoptr(GhApiService) service = service_from (
    "{\"name\": \"api\", \"type\": \"proxy\", \"description\": \"The API\", \"accept\": [],"
    " \"connect\": \"wss://api.internal/\", \"state\": \"started\", \"config\": {\"name\": \"api\"}}");
  g_autoptr(GhApiServiceTls) tls = tls_from (
    "{\"accept\": [], \"connect\": {\"uri\": \"wss://api.internal/\", \"verify\": true,"
    "   \"probe\": {\"ok\": false, \"error\": \"The chain does not verify\","
    "     \"chain\": {\"trusted\": false, \"severity\": \"error\", \"status_message\": null, \"hostname\": \"api.internal\","
    "       \"purpose\": \"server\", \"links\": ["
    LINK ("leaf", "error", "other.example", "2030-01-01T00:00:00Z",
          FINDING ("host-mismatch", "error", "Wrong name.") "," FINDING ("expires-soon", "warning", "Soon.") ","
          FINDING ("brand-new-kind", "warning", "Something new."))
    "," LINK ("intermediate", "error", "Issuing CA", "2031-01-01T00:00:00Z",
              FINDING ("missing-intermediate", "error", "Issuer unknown."))
    "," LINK ("anchor", "error", "Some Root", "2040-01-01T00:00:00Z",
              FINDING ("untrusted-root", "error", "Not trusted."))
    "]}}}}");
  GtkWidget *diagram = g_object_ref_sink (gh_trust_diagram_new (service, tls, NULL, NULL, NULL, NULL));
  GhTrustDiagram *self = GH_TRUST_DIAGRAM (diagram);
  GhTrustNode *leaf;

  /* The back-end's chain is the back-end's: the gateway trusts an issuer, expects
   * another name, or probes again once the back-end is fixed. */
  g_assert_cmpuint (gh_trust_diagram_get_nodes (self, GH_TRUST_SIDE_CLIENTS)->len, ==, 0);
  leaf = node_at (self, GH_TRUST_SIDE_BACKEND, 0);
  assert_fix (leaf, "host-mismatch", "trust.edit-service", "api");
  assert_fix (leaf, "expires-soon", "trust.probe", "api");
  assert_fix (leaf, "brand-new-kind", "trust.probe", "api");
  assert_fix (node_at (self, GH_TRUST_SIDE_BACKEND, 1), "missing-intermediate", "trust.add-ca", "api");
  assert_fix (node_at (self, GH_TRUST_SIDE_BACKEND, 2), "untrusted-root", "trust.add-ca", "api");
  g_assert_cmpuint (gh_trust_diagram_get_n_chains (self), ==, 1);
  g_assert_cmpuint (gh_trust_diagram_get_n_fine (self), ==, 0);

  /* Narrow and back: the same nodes. */
  gh_trust_diagram_set_narrow (self, TRUE);
  gh_trust_diagram_set_narrow (self, FALSE);
  g_assert_cmpuint (gh_trust_diagram_get_nodes (self, GH_TRUST_SIDE_BACKEND)->len, ==, 3);

  g_assert_finalize_object (diagram);
}

/* Whether a button of @widget takes @action. */
static gboolean
has_button_for (GtkWidget  *widget,
                const char *action)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (has_button_for (child, action))
      return TRUE;
  return FALSE;
}

#define ISSUED_LINK(role, severity, name, issuer, findings) \
  LINK_ISSUED_BY (role, severity, name, "\"CN=" issuer "\"", "2035-01-01T00:00:00Z", findings)

static void
test_session_and_revocation (void)
{
  g_autoptr(GhApiService) service = service_from (
    "{\"name\": \"pay\", \"type\": \"proxy\", \"description\": null, \"accept\": [],"
    " \"connect\": \"ssl://pay.internal:9443\", \"state\": \"started\", \"config\": {\"name\": \"pay\"}}");
  g_autoptr(GhApiServiceTls) tls = tls_from (
    "{\"accept\": [], \"connect\": {\"uri\": \"ssl://pay.internal:9443\", \"verify\": true,"
    "   \"probe\": {\"ok\": false, \"error\": \"revoked\", \"connected\": false, \"step\": \"TLS handshake\","
    "     \"verdict\": \"refused: back-end ssl://pay.internal:9443: revoked\", \"server_name\": \"pay.internal\","
    "     \"verify_name\": \"pay.internal\", \"protocol\": null, \"cipher\": null, \"backend_tls\": null,"
    "     \"client_certificate\": null, \"certificates\": [],"
    "     \"chain\": {\"trusted\": false, \"severity\": \"error\", \"status_message\": null,"
    "       \"hostname\": \"pay.internal\", \"purpose\": \"server\", \"links\": ["
    ISSUED_LINK ("leaf", "error", "pay.internal", "Pay CA", FINDING ("revoked", "error", "It was revoked."))
    "," ISSUED_LINK ("intermediate", "info", "Pay CA", "Pay Root", "")
    "," ISSUED_LINK ("anchor", "info", "Pay Root", "Pay Root", "")
    "]}}}}");
  g_autoptr(GhApiServiceTls) good_tls = tls_from (
    "{\"accept\": [], \"connect\": {\"uri\": \"ssl://pay.internal:9443\", \"verify\": true,"
    "   \"probe\": {\"ok\": true, \"error\": null, \"connected\": true, \"step\": null,"
    "     \"verdict\": \"connected to ssl://10.0.0.7:9443\", \"server_name\": null,"
    "     \"verify_name\": \"10.0.0.7\", \"protocol\": \"TLS1.3\", \"cipher\": \"AES-256-GCM\","
    "     \"backend_tls\": \"TLS1.3 AES-256-GCM, verified\","
    "     \"client_certificate\": null,"
    "     \"chain\": {\"trusted\": true, \"severity\": \"info\", \"status_message\": null,"
    "       \"hostname\": \"10.0.0.7\", \"purpose\": \"server\", \"links\": ["
    ISSUED_LINK ("leaf", "info", "10.0.0.7", "Pay CA", "")
    "," ISSUED_LINK ("anchor", "info", "Pay CA", "Pay CA", "")
    "]}}}}");
  g_autoptr(GListStore) crls = g_list_store_new (GH_TYPE_API_CRL);
  g_autoptr(JsonNode) crl_node = json_from_string ("{\"id\": \"crl-id\", \"issuer\": \"CN=Pay CA\","
                                                   " \"this_update\": \"2026-11-30T00:00:00Z\", \"revoked\": 1}", NULL);
  g_autoptr(GhApiCrl) crl = gh_api_crl_new_from_json (crl_node, NULL);
  GtkWidget *diagram;
  GhTrustDiagram *self;
  GhTrustNode *node;
  g_autofree char *with_crls = NULL;
  g_autofree char *without_crls = NULL;

  g_assert_nonnull (crl);
  g_list_store_append (crls, crl);

  /* Revoked, its issuer's list in the truststore: the words say whose fix it is, the
   * button shows the list. */
  diagram = g_object_ref_sink (gh_trust_diagram_new (service, tls, NULL, NULL, NULL, G_LIST_MODEL (crls)));
  self = GH_TRUST_DIAGRAM (diagram);
  node = node_at (self, GH_TRUST_SIDE_BACKEND, 0);
  g_assert_cmpstr (gh_trust_node_get_style_class (node), ==, "error");
  assert_fix (node, "revoked", "trust.show-crl", "crl-id");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (gh_trust_node_get_card (node)), "back-end’s operator"));
  g_assert_false (gh_trust_node_has_finding (node, "revocation-checked"));
  /* The intermediate is not covered by that list (its issuer is the root): no badge. */
  g_assert_false (gh_trust_node_has_finding (node_at (self, GH_TRUST_SIDE_BACKEND, 1), "revocation-checked"));
  /* What a session would know: the name sent, why there is no TLS, the verdict. */
  g_assert_true (shows_text (diagram, "Server name sent (SNI): pay.internal"));
  g_assert_true (shows_text (diagram, "stopped at the TLS handshake"));
  g_assert_true (shows_text (diagram, "refused: back-end ssl://pay.internal:9443: revoked"));
  g_assert_finalize_object (diagram);

  /* Without the list: still revoked, probing again is all the page can offer. */
  diagram = g_object_ref_sink (gh_trust_diagram_new (service, tls, NULL, NULL, NULL, NULL));
  assert_fix (node_at (GH_TRUST_DIAGRAM (diagram), GH_TRUST_SIDE_BACKEND, 0), "revoked", "trust.probe", "pay");
  g_assert_finalize_object (diagram);

  /* A good chain, its leaf's issuer's list in the truststore: a badge, still green;
   * by IP address, no SNI; the TLS negotiated. */
  diagram = g_object_ref_sink (gh_trust_diagram_new (service, good_tls, NULL, NULL, NULL, G_LIST_MODEL (crls)));
  self = GH_TRUST_DIAGRAM (diagram);
  node = node_at (self, GH_TRUST_SIDE_BACKEND, 0);
  g_assert_true (gh_trust_node_has_finding (node, "revocation-checked"));
  g_assert_null (gh_trust_node_get_fix (node, "revocation-checked"));
  g_assert_cmpstr (gh_trust_node_get_style_class (node), ==, "success");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (gh_trust_node_get_card (node)), "Not revoked"));
  g_assert_true (shows_text (diagram, "No server name sent (SNI)"));
  g_assert_true (shows_text (diagram, "TLS: TLS1.3, AES-256-GCM"));
  g_assert_true (shows_text (diagram, "A session now: connected to ssl://10.0.0.7:9443"));
  g_assert_cmpuint (gh_trust_diagram_get_n_fine (self), ==, 1);
  g_assert_finalize_object (diagram);

  /* The lists are part of what a diagram shows. */
  with_crls = gh_trust_diagram_sign (service, good_tls, NULL, NULL, NULL, G_LIST_MODEL (crls));
  without_crls = gh_trust_diagram_sign (service, good_tls, NULL, NULL, NULL, NULL);
  g_assert_cmpstr (with_crls, !=, without_crls);
}

static void
test_client_certificate_asked (void)
{
  g_autoptr(GhApiService) service = service_from (
    "{\"name\": \"bank\", \"type\": \"proxy\", \"description\": null, \"accept\": [],"
    " \"connect\": \"ssl://bank:9443\", \"state\": \"started\", \"config\": {\"name\": \"bank\"}}");
  g_autoptr(GhApiServiceTls) tls = tls_from (
    "{\"accept\": [], \"connect\": {\"uri\": \"ssl://bank:9443\", \"verify\": true,"
    "   \"probe\": {\"ok\": true, \"error\": null, \"connected\": true, \"step\": null,"
    "     \"verdict\": \"connected to ssl://bank:9443\", \"server_name\": \"bank\", \"verify_name\": \"bank\","
    "     \"protocol\": \"TLS1.3\", \"cipher\": \"AES-128-GCM\", \"backend_tls\": null,"
    "     \"client_certificate\": null,"
    "     \"chain\": {\"trusted\": true, \"severity\": \"info\", \"status_message\": null,"
    "       \"hostname\": \"bank\", \"purpose\": \"server\", \"links\": ["
    ISSUED_LINK ("leaf", "info", "bank", "Bank CA", "") "]}}}}");
  GtkWidget *diagram;

  /* No client certificate set, and the back-end did not ask: nothing said. */
  diagram = g_object_ref_sink (gh_trust_diagram_new (service, tls, NULL, NULL, NULL, NULL));
  g_assert_false (shows_text (diagram, "asks for a client certificate"));
  g_assert_false (has_button_for (diagram, "trust.edit-service"));
  g_assert_finalize_object (diagram);
  g_clear_object (&tls);

  /* The back-end asks; the service names none: said, with the editor to choose one. */
  tls = tls_from (
    "{\"accept\": [], \"connect\": {\"uri\": \"ssl://bank:9443\", \"verify\": true,"
    "   \"probe\": {\"ok\": true, \"error\": null, \"connected\": true, \"verdict\": \"connected to ssl://bank:9443\","
    "     \"client_certificate\": null, \"certificate_requested\": true,"
    "     \"chain\": null}}}");
  diagram = g_object_ref_sink (gh_trust_diagram_new (service, tls, NULL, NULL, NULL, NULL));
  g_assert_true (shows_text (diagram, "The back-end asks for a client certificate"));
  g_assert_true (has_button_for (diagram, "trust.edit-service"));
  g_assert_finalize_object (diagram);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/trust-diagram/clients-and-failed-probe", test_clients_and_failed_probe);
  g_test_add_func ("/trust-diagram/backend-fixes", test_backend_fixes);
  g_test_add_func ("/trust-diagram/session-and-revocation", test_session_and_revocation);
  g_test_add_func ("/trust-diagram/client-certificate-asked", test_client_certificate_asked);

  return g_test_run ();
}
