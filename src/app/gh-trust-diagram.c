/* gh-trust-diagram.c — one service's trust as a diagram
 *
 * Three columns in reading order: the clients (each accept URI, the host they ask
 * for, the keystore entry the gateway picks for it and the chain it serves, leaf to
 * anchor; with tls.verify-client the truststore anchors their certificates must chain
 * to), the gateway, and the back-end (the chain the probe saw, verified against the
 * truststore and the expected host, and the client certificate the gateway presents).
 * Narrow, the columns stack in the same order.
 *
 * The nodes are widgets (GhTrustNode): focus, activation and what screen readers say
 * come with them. Only the connectors are drawn, in snapshot() under the children:
 * axis-aligned rectangles, sharp at any scale, each in the colour of the certificate
 * it leads to (the theme's success, warning or error colour), so a broken link shows
 * where it breaks. Which fix a finding gets depends on its side: on the clients' side
 * the keystore entry is ours to rotate; on the back-end's, the chain is the back-end's,
 * and what the gateway can change is its truststore and the name it expects. A revoked
 * back-end certificate is its operator's to replace: the words say so and the button
 * shows the list. Under each accept, whose trust its chain needs (the gateway's
 * judgement, gh-served-chain.c); under the back-end, what the probe saw as a session
 * (the SNI sent, the TLS, the verdict). A certificate whose issuer has a revocation
 * list in the truststore carries a "checked" note.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-trust-diagram"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gh-api-backend-probe.h"
#include "gh-api-crl.h"
#include "gh-api-keystore-entry.h"
#include "gh-trust-diagram.h"

#define LINE_WIDTH 2.f
#define CHAIN_LINE_X 19.f   /* from a card's start edge: under its state icon */
#define EXPIRY_WARNING_DAYS 30

typedef struct {
  GtkWidget   *from;
  GtkWidget   *to;
  GhTrustNode *colour;     /* nullable: the neutral colour */
  gboolean     across;     /* between columns: only drawn side by side */
} Connector;

struct _GhTrustDiagram
{
  GtkWidget    parent_instance;

  char        *service_name;
  GPtrArray   *nodes[2];       /* of GhTrustNode, per GhTrustSide */
  GArray      *connectors;     /* of Connector */
  guint        n_chains;
  guint        n_fine;
  GDateTime   *nearest_expiry;
  char        *nearest_name;

  GtkWidget   *heading;
  GtkWidget   *body;           /* the three columns: clients, gateway, back-end */
  GtkWidget   *centre;         /* the gateway's column */
  gboolean     narrow;
  GtkWidget   *gateway_card;
  GListModel  *crls;           /* while building: the truststore's lists (nullable) */
};

G_DEFINE_FINAL_TYPE (GhTrustDiagram, gh_trust_diagram, GTK_TYPE_WIDGET)

/* Building */

static void
connect_widgets (GhTrustDiagram *self,
                 GtkWidget      *from,
                 GtkWidget      *to,
                 GhTrustNode    *colour,
                 gboolean        across)
{
  Connector connector = { from, to, colour, across };

  g_array_append_val (self->connectors, connector);
}

static GtkWidget *
fix_button (const char *label,
            const char *action_name,
            const char *target)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target != NULL ? target : "");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_widget_add_css_class (button, "gh-trust-fix");
  return button;
}

static void
note_expiry (GhTrustDiagram *self,
             GDateTime      *not_after,
             const char     *name)
{
  if (not_after == NULL)
    return;
  if (self->nearest_expiry == NULL || g_date_time_compare (not_after, self->nearest_expiry) < 0)
    {
      g_clear_pointer (&self->nearest_expiry, g_date_time_unref);
      self->nearest_expiry = g_date_time_ref (not_after);
      g_free (self->nearest_name);
      self->nearest_name = g_strdup (name);
    }
}

static const char *
link_role_label (GhTrustLinkRole role)
{
  switch (role)
    {
    case GH_TRUST_LINK_LEAF:
      return _("Leaf");
    case GH_TRUST_LINK_INTERMEDIATE:
      return _("Intermediate");
    case GH_TRUST_LINK_ANCHOR:
    default:
      return _("Anchor");
    }
}

/* The fix of a finding about the chain the gateway serves (@alias: its entry). */
static GtkWidget *
client_side_fix (const char *kind,
                 const char *alias)
{
  g_autofree char *label = NULL;

  if (g_str_equal (kind, "untrusted-root"))
    return fix_button (_("Add CA to Truststore…"), "trust.add-ca", alias);
  if (alias == NULL)
    return NULL;
  if (g_str_equal (kind, "missing-intermediate"))
    label = g_strdup_printf (_("Rotate “%s” with Its Full Chain…"), alias);
  else
    label = g_strdup_printf (_("Rotate “%s”…"), alias);
  return fix_button (label, "trust.rotate", alias);
}

/* The truststore's list from @issuer (a DN), or NULL. */
static GhApiCrl *
lookup_crl (GListModel *crls,
            const char *issuer)
{
  for (guint i = 0; issuer != NULL && crls != NULL && i < g_list_model_get_n_items (crls); i++)
    {
      g_autoptr(GhApiCrl) crl = g_list_model_get_item (crls, i);

      if (g_strcmp0 (gh_api_crl_get_issuer (crl), issuer) == 0)
        return g_steal_pointer (&crl);
    }
  return NULL;
}

/* The fix of a finding about the back-end's chain: the gateway's side of it. */
static GtkWidget *
backend_side_fix (const char *kind,
                  const char *service)
{
  if (g_str_equal (kind, "untrusted-root") || g_str_equal (kind, "not-a-ca"))
    return fix_button (_("Add CA to Truststore…"), "trust.add-ca", service);
  if (g_str_equal (kind, "missing-intermediate"))
    return fix_button (_("Add Issuer to Truststore…"), "trust.add-ca", service);
  if (g_str_equal (kind, "host-mismatch"))
    return fix_button (_("Set Server Name…"), "trust.edit-service", service);
  /* The back-end's own certificate: fixed there, then checked again from here. */
  return fix_button (_("Probe Again"), "trust.probe", service);
}

/* A revoked back-end certificate: replacing it is the back-end's business, so the
 * words say so, and the button shows the list that revoked it. */
static void
add_revoked_finding (GhTrustDiagram *self,
                     GhTrustNode    *node,
                     GhApiTrustLink *link,
                     GhApiFinding   *finding)
{
  g_autoptr(GhApiCrl) crl = lookup_crl (self->crls, gh_api_trust_link_get_issuer (link));
  g_autofree char *message = g_strdup_printf ("%s %s", gh_api_finding_get_message (finding),
                                              _("Only the back-end’s operator can replace it: ask them for a new "
                                                "certificate, then probe again."));

  gh_trust_node_add_finding (node, "revoked", gh_api_finding_get_severity (finding), message,
                             crl != NULL ? fix_button (_("Show Revocation List"), "trust.show-crl",
                                                       gh_api_crl_get_id (crl))
                                         : fix_button (_("Probe Again"), "trust.probe", self->service_name));
}

/* A certificate whose issuer has a list in the truststore: checked, and not revoked
 * unless a finding says so. */
static void
add_revocation_badge (GhTrustDiagram *self,
                      GhTrustNode    *node,
                      GhApiTrustLink *link)
{
  g_autoptr(GhApiCrl) crl = NULL;
  g_autofree char *text = NULL;
  g_autofree char *date = NULL;

  if (gh_api_trust_link_get_role (link) == GH_TRUST_LINK_ANCHOR || gh_trust_node_has_finding (node, "revoked") ||
      (crl = lookup_crl (self->crls, gh_api_trust_link_get_issuer (link))) == NULL)
    return;
  date = gh_api_crl_get_this_update (crl) != NULL ? g_date_time_format (gh_api_crl_get_this_update (crl), "%Y-%m-%d")
                                                  : g_strdup ("?");
  text = g_strdup_printf (_("Not revoked: checked against the truststore’s revocation list from its issuer, "
                            "issued on %s."), date);
  gh_trust_node_add_finding (node, "revocation-checked", GH_SEVERITY_INFO, text, NULL);
}

/* A chain, leaf first, under @above (joined to it); returns the last node. */
static GtkWidget *
add_chain (GhTrustDiagram  *self,
           GtkWidget       *column,
           GhTrustSide      side,
           GhApiTrustChain *chain,
           const char      *alias,
           GtkWidget       *above)
{
  GListModel *links = gh_api_trust_chain_get_links (chain);

  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    {
      g_autoptr(GhApiTrustLink) link = g_list_model_get_item (links, i);
      GListModel *findings = gh_api_trust_link_get_findings (link);
      const char *name = gh_api_trust_link_get_display_name (link);
      GtkWidget *node;

      if (name == NULL)
        name = gh_api_trust_link_get_subject (link);
      node = gh_trust_node_new (link_role_label (gh_api_trust_link_get_role (link)), name,
                                gh_api_trust_link_get_not_after (link), gh_api_trust_link_get_severity (link));
      gh_trust_node_set_fingerprint (GH_TRUST_NODE (node), gh_api_trust_link_get_sha256_fingerprint (link));
      for (guint j = 0; j < g_list_model_get_n_items (findings); j++)
        {
          g_autoptr(GhApiFinding) finding = g_list_model_get_item (findings, j);
          const char *kind = gh_api_finding_get_kind_name (finding);
          GtkWidget *fix;

          if (side == GH_TRUST_SIDE_BACKEND && g_str_equal (kind, "revoked"))
            {
              add_revoked_finding (self, GH_TRUST_NODE (node), link, finding);
              continue;
            }
          fix = side == GH_TRUST_SIDE_CLIENTS ? client_side_fix (kind, alias)
                                              : backend_side_fix (kind, self->service_name);
          gh_trust_node_add_finding (GH_TRUST_NODE (node), kind, gh_api_finding_get_severity (finding),
                                     gh_api_finding_get_message (finding), fix);
        }
      add_revocation_badge (self, GH_TRUST_NODE (node), link);
      note_expiry (self, gh_api_trust_link_get_not_after (link), name);
      gtk_box_append (GTK_BOX (column), node);
      g_ptr_array_add (self->nodes[side], node);
      if (above != NULL)
        connect_widgets (self, GH_IS_TRUST_NODE (above) ? gh_trust_node_get_card (GH_TRUST_NODE (above)) : above,
                         gh_trust_node_get_card (GH_TRUST_NODE (node)), GH_TRUST_NODE (node), FALSE);
      above = node;
    }
  return above;
}

/* A certificate of the stores (not of a verified chain): judged by its expiry alone. */
static GtkWidget *
add_store_node (GhTrustDiagram *self,
                GtkWidget      *column,
                GhTrustSide     side,
                const char     *role_label,
                GhCertificate  *certificate,
                const char     *rotate_alias)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDateTime *not_after = gh_certificate_get_not_after (certificate);
  GTimeSpan left = not_after != NULL ? g_date_time_difference (not_after, now) : G_MAXINT64;
  GhSeverity severity = left < 0 ? GH_SEVERITY_ERROR
                        : left < EXPIRY_WARNING_DAYS * G_TIME_SPAN_DAY ? GH_SEVERITY_WARNING
                        : GH_SEVERITY_INFO;
  GtkWidget *node = gh_trust_node_new (role_label, gh_certificate_get_display_name (certificate), not_after, severity);

  gh_trust_node_set_fingerprint (GH_TRUST_NODE (node), gh_certificate_get_sha256_fingerprint (certificate));
  if (severity != GH_SEVERITY_INFO)
    {
      const char *kind = left < 0 ? "expired" : "expires-soon";
      const char *message = left < 0 ? _("This certificate has expired.") : _("This certificate expires soon.");
      g_autofree char *label = rotate_alias != NULL ? g_strdup_printf (_("Rotate “%s”…"), rotate_alias) : NULL;

      gh_trust_node_add_finding (GH_TRUST_NODE (node), kind, severity, message,
                                 label != NULL ? fix_button (label, "trust.rotate", rotate_alias) : NULL);
    }
  note_expiry (self, not_after, gh_certificate_get_display_name (certificate));
  gtk_box_append (GTK_BOX (column), node);
  g_ptr_array_add (self->nodes[side], node);
  return node;
}

static const char *
config_string (JsonNode   *config,
               const char *group,
               const char *member)
{
  JsonObject *object;

  if (config == NULL || !JSON_NODE_HOLDS_OBJECT (config))
    return NULL;
  object = json_node_get_object (config);
  if (!json_object_has_member (object, group) || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, group)))
    return NULL;
  object = json_object_get_object_member (object, group);
  if (!json_object_has_member (object, member) || !JSON_NODE_HOLDS_VALUE (json_object_get_member (object, member)) ||
      json_node_get_value_type (json_object_get_member (object, member)) != G_TYPE_STRING)
    return NULL;
  return json_object_get_string_member (object, member);
}

static GtkWidget *
new_column (const char *title)
{
  GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_widget_set_hexpand (column, TRUE);
  gtk_widget_add_css_class (column, "gh-trust-column");
  gtk_box_append (GTK_BOX (column), gh_trust_label_new (title, "heading"));
  return column;
}

/* A header in a column: what the chain under it is for. */
static GtkWidget *
new_header (GtkWidget  *column,
            const char *title,
            const char *subtitle)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_widget_add_css_class (header, "gh-trust-header");
  gtk_box_append (GTK_BOX (header), gh_trust_label_new (title, "monospace"));
  if (subtitle != NULL)
    gtk_box_append (GTK_BOX (header), gh_trust_label_new (subtitle, "dim-label"));
  gtk_box_append (GTK_BOX (column), header);
  return header;
}

/* Whose trust the served chain needs, in words (gh-served-chain.c decides); NULL from
 * an older gateway. */
static char *
describe_anchor (GhApiTlsAccept *accept)
{
  const char *anchor = gh_api_tls_accept_get_anchor (accept);
  GListModel *links = gh_api_tls_accept_get_chain (accept) != NULL
                      ? gh_api_trust_chain_get_links (gh_api_tls_accept_get_chain (accept)) : NULL;
  g_autoptr(GhApiTrustLink) top = NULL;
  const char *root;

  if (anchor == NULL || links == NULL || g_list_model_get_n_items (links) == 0)
    return NULL;
  top = g_list_model_get_item (links, g_list_model_get_n_items (links) - 1);
  root = gh_api_trust_link_get_display_name (top) != NULL ? gh_api_trust_link_get_display_name (top)
                                                          : gh_api_trust_link_get_subject (top);
  if (g_str_equal (anchor, "system"))
    return g_strdup_printf (_("Anchored in the system’s trust (“%s”): clients with a current trust store accept it"),
                            root);
  if (g_str_equal (anchor, "truststore"))
    return g_strdup_printf (_("Anchored in the gateway’s truststore, which is the back-ends’ trust: clients must "
                              "trust “%s” themselves"), root);
  if (g_str_equal (anchor, "clients"))
    return g_strdup_printf (_("Anchor not known here: the clients decide whether to trust “%s”"), root);
  return g_strdup (_("The chain does not reach a root: no client can complete it"));
}

static void
build_clients (GhTrustDiagram  *self,
               GtkWidget       *column,
               GhApiService    *service,
               GhApiServiceTls *tls,
               GListModel      *truststore)
{
  GListModel *accepts = gh_api_service_tls_get_accepts (tls);
  const char *verify_client = config_string (gh_api_service_get_config (service), "tls", "verify-client");

  for (guint i = 0; i < g_list_model_get_n_items (accepts); i++)
    {
      g_autoptr(GhApiTlsAccept) accept = g_list_model_get_item (accepts, i);
      const char *host = gh_api_tls_accept_get_host (accept);
      const char *alias = gh_api_tls_accept_get_alias (accept);
      GhApiTrustChain *chain = gh_api_tls_accept_get_chain (accept);
      g_autofree char *subtitle = NULL;
      GtkWidget *header;

      if (!gh_api_tls_accept_get_secure (accept))
        subtitle = g_strdup (_("Without TLS: no certificate"));
      else if (alias == NULL)
        subtitle = g_strdup_printf (_("Clients asking for %s get no certificate: no keystore entry matches"),
                                    host != NULL ? host : "?");
      else
        subtitle = g_strdup_printf (_("Clients asking for %s are served the entry “%s”"),
                                    host != NULL ? host : "?", alias);
      header = new_header (column, gh_api_tls_accept_get_uri (accept), subtitle);
      connect_widgets (self, header, self->gateway_card, NULL, TRUE);
      {
        g_autofree char *anchor = describe_anchor (accept);

        if (anchor != NULL)
          gtk_box_append (GTK_BOX (header), gh_trust_label_new (anchor, "caption"));
      }

      if (!gh_api_tls_accept_get_secure (accept))
        continue;
      self->n_chains++;
      if (chain == NULL)
        continue;
      if (gh_api_trust_chain_get_trusted (chain) && gh_api_trust_chain_get_severity (chain) < GH_SEVERITY_WARNING)
        self->n_fine++;
      add_chain (self, column, GH_TRUST_SIDE_CLIENTS, chain, alias, header);
    }

  if (verify_client != NULL && !g_str_equal (verify_client, "none") && truststore != NULL)
    {
      GtkWidget *header = new_header (column,
                                      g_str_equal (verify_client, "required")
                                        ? _("Client certificates required")
                                        : _("Client certificates asked for"),
                                      _("They must chain to one of these anchors of the truststore"));
      GtkWidget *above = header;

      for (guint i = 0; i < g_list_model_get_n_items (truststore); i++)
        {
          g_autoptr(GhApiTruststoreEntry) entry = g_list_model_get_item (truststore, i);
          GtkWidget *node = add_store_node (self, column, GH_TRUST_SIDE_CLIENTS, _("Anchor for client certificates"),
                                            gh_api_truststore_entry_get_certificate (entry), NULL);

          connect_widgets (self, GH_IS_TRUST_NODE (above) ? gh_trust_node_get_card (GH_TRUST_NODE (above)) : above,
                           gh_trust_node_get_card (GH_TRUST_NODE (node)), GH_TRUST_NODE (node), FALSE);
          above = node;
        }
    }
}

static GhApiKeystoreEntry *
lookup_key (GListModel *keystore,
            const char *alias)
{
  for (guint i = 0; keystore != NULL && i < g_list_model_get_n_items (keystore); i++)
    {
      g_autoptr(GhApiKeystoreEntry) entry = g_list_model_get_item (keystore, i);

      if (g_strcmp0 (gh_api_keystore_entry_get_alias (entry), alias) == 0)
        return g_steal_pointer (&entry);
    }
  return NULL;
}

static char *
connect_host (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

  return parsed != NULL ? g_strdup (g_uri_get_host (parsed)) : NULL;
}

/* What a session would know, under the back-end's header: the name sent, the TLS it
 * got, and the session log's verdict. */
static void
add_session_facts (GtkWidget         *header,
                   GhApiBackendProbe *probe)
{
  const char *server_name = gh_api_backend_probe_get_server_name (probe);
  const char *protocol = gh_api_backend_probe_get_protocol (probe);
  const char *verdict = gh_api_backend_probe_get_verdict (probe);
  GtkWidget *facts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *sni = NULL;
  g_autofree char *tls = NULL;

  gtk_widget_add_css_class (facts, "gh-trust-facts");
  gtk_widget_set_margin_top (facts, 4);
  sni = server_name != NULL ? g_strdup_printf (_("Server name sent (SNI): %s"), server_name)
                            : g_strdup (_("No server name sent (SNI): the back-end is reached by its address"));
  gtk_box_append (GTK_BOX (facts), gh_trust_label_new (sni, "caption"));
  if (protocol != NULL)
    tls = g_strdup_printf (_("TLS: %s, %s"), protocol,
                           gh_api_backend_probe_get_cipher (probe) != NULL ? gh_api_backend_probe_get_cipher (probe) : "?");
  else if (gh_api_backend_probe_get_step (probe) != NULL)
    tls = g_strdup_printf (_("TLS: none negotiated (the probe stopped at the %s)"), gh_api_backend_probe_get_step (probe));
  if (tls != NULL)
    gtk_box_append (GTK_BOX (facts), gh_trust_label_new (tls, "caption"));
  if (verdict != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("A session now: %s"), verdict);

      gtk_box_append (GTK_BOX (facts), gh_trust_label_new (text, "caption"));
    }
  gtk_box_append (GTK_BOX (header), facts);
}

/* Whether the back-end asked for the gateway's client certificate, and got it. */
static const char *
client_certificate_outcome (GhApiBackendProbe *probe)
{
  gboolean requested, presented;

  if (probe == NULL || gh_api_backend_probe_get_verdict (probe) == NULL)
    return NULL;
  requested = gh_api_backend_probe_get_client_certificate_requested (probe);
  presented = gh_api_backend_probe_get_client_certificate_presented (probe);
  if (requested && presented)
    return _("The back-end asked for it, and the gateway presented it");
  if (requested)
    return _("The back-end asked for it, and the gateway presented none");
  return _("The back-end did not ask for it: not presented");
}

static void
build_backend (GhTrustDiagram  *self,
               GtkWidget       *column,
               GhApiService    *service,
               GhApiTlsConnect *connect,
               GListModel      *keystore)
{
  JsonNode *config = gh_api_service_get_config (service);
  const char *server_name = config_string (config, "connect-tls", "server-name");
  const char *client_alias = config_string (config, "connect-tls", "client-certificate-alias");
  g_autofree char *host = connect_host (gh_api_tls_connect_get_uri (connect));
  g_autofree char *subtitle = NULL;
  GhApiBackendProbe *probe = gh_api_tls_connect_get_probe (connect);
  GhApiTrustChain *chain;
  GtkWidget *header;

  if (!gh_api_tls_connect_has_probe (connect))
    subtitle = g_strdup (_("Without TLS: nothing to verify"));
  else if (!gh_api_tls_connect_get_verify (connect))
    subtitle = g_strdup (_("Its chain is not verified (connect-tls.verify is off)"));
  else
    subtitle = g_strdup_printf (_("Verified against the truststore and the name %s"),
                                server_name != NULL ? server_name : host != NULL ? host : "?");
  header = new_header (column, gh_api_tls_connect_get_uri (connect), subtitle);
  connect_widgets (self, self->gateway_card, header, NULL, TRUE);
  if (probe != NULL)
    add_session_facts (header, probe);

  if (gh_api_tls_connect_has_probe (connect))
    {
      const char *error = gh_api_tls_connect_get_probe_error (connect);

      self->n_chains++;
      chain = gh_api_tls_connect_get_probe_chain (connect);
      if (chain != NULL && g_list_model_get_n_items (gh_api_trust_chain_get_links (chain)) > 0)
        {
          if (gh_api_tls_connect_get_probe_ok (connect) &&
              gh_api_trust_chain_get_severity (chain) < GH_SEVERITY_WARNING)
            self->n_fine++;
          add_chain (self, column, GH_TRUST_SIDE_BACKEND, chain, NULL, header);
        }
      else
        {
          /* No chain to show: the back-end itself, and why the probe failed. */
          GtkWidget *node = gh_trust_node_new (_("Back-end"), host, NULL, GH_SEVERITY_ERROR);

          gh_trust_node_add_finding (GH_TRUST_NODE (node), "probe-failure", GH_SEVERITY_ERROR,
                                     error != NULL ? error : _("The probe got no certificate from the back-end"),
                                     fix_button (_("Probe Again"), "trust.probe", self->service_name));
          gtk_box_append (GTK_BOX (column), node);
          g_ptr_array_add (self->nodes[GH_TRUST_SIDE_BACKEND], node);
          connect_widgets (self, header, gh_trust_node_get_card (GH_TRUST_NODE (node)), GH_TRUST_NODE (node), FALSE);
        }
      if (error != NULL && chain != NULL && g_list_model_get_n_items (gh_api_trust_chain_get_links (chain)) > 0)
        gtk_box_append (GTK_BOX (column), gh_trust_label_new (error, "dim-label"));
    }

  if (client_alias != NULL)
    {
      g_autoptr(GhApiKeystoreEntry) entry = lookup_key (keystore, client_alias);
      g_autofree char *title = g_strdup_printf (_("The gateway presents “%s” as its client certificate"),
                                                client_alias);
      GhCertificate *certificate = entry != NULL ? gh_api_keystore_entry_get_certificate (entry) : NULL;

      new_header (column, title, certificate == NULL ? _("No such entry in the keystore")
                                                     : client_certificate_outcome (probe));
      if (certificate != NULL)
        add_store_node (self, column, GH_TRUST_SIDE_BACKEND, _("Client certificate"), certificate, client_alias);
    }
  else if (probe != NULL && gh_api_backend_probe_get_certificate_requested (probe))
    {
      /* The back-end asks for one and the service names none. */
      GtkWidget *missing = new_header (column, _("The back-end asks for a client certificate"),
                                       _("The gateway has none to present: choose a keystore entry as the "
                                         "service’s client certificate (connect-tls.client-certificate-alias)"));

      gtk_box_append (GTK_BOX (missing), fix_button (_("Choose Client Certificate…"), "trust.edit-service",
                                                     self->service_name));
    }
}

static GtkWidget *
new_gateway_card (GhApiService *service)
{
  GtkWidget *card = g_object_new (GTK_TYPE_BOX,
                                  "orientation", GTK_ORIENTATION_VERTICAL,
                                  "spacing", 4,
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP,
                                  NULL);
  GtkWidget *icon = gtk_image_new_from_icon_name ("network-server-symbolic");

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "gh-trust-gateway");
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 32);
  gtk_box_append (GTK_BOX (card), icon);
  gtk_box_append (GTK_BOX (card), gtk_label_new (_("Gateway")));
  gtk_widget_add_css_class (gtk_widget_get_last_child (card), "heading");
  gtk_widget_set_valign (card, GTK_ALIGN_START);
  gtk_widget_set_halign (card, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Gateway"), -1);
  return card;
}

/* Laying out the columns: side by side, the two sides get the same width whatever
 * their contents ask for, the gateway what it needs between them; narrow, one under
 * the other. */

#define COLUMN_GAP 24

static GtkSizeRequestMode
body_request_mode (GtkWidget *body)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static int
centre_width (GtkWidget *centre)
{
  int natural = 0;

  gtk_widget_measure (centre, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  return natural;
}

static void
body_measure (GtkWidget      *body,
              GtkOrientation  orientation,
              int             for_size,
              int            *minimum,
              int            *natural,
              int            *minimum_baseline,
              int            *natural_baseline)
{
  GhTrustDiagram *self = GH_TRUST_DIAGRAM (gtk_widget_get_parent (body));
  gboolean side_by_side = !self->narrow;
  int centre = centre_width (self->centre);
  int side = -1;

  *minimum = *natural = 0;
  if (side_by_side && orientation == GTK_ORIENTATION_VERTICAL && for_size >= 0)
    side = MAX (0, (for_size - centre - 2 * COLUMN_GAP) / 2);

  for (GtkWidget *child = gtk_widget_get_first_child (body); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      int child_min = 0, child_nat = 0;
      int size = child == self->centre && side >= 0 ? centre : side_by_side ? side : for_size;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, orientation, size, &child_min, &child_nat, NULL, NULL);
      if (side_by_side && orientation == GTK_ORIENTATION_HORIZONTAL && child != self->centre)
        {
          /* Each side as wide as the wider one. */
          *minimum = MAX (*minimum, child_min);
          *natural = MAX (*natural, child_nat);
        }
      else if (side_by_side == (orientation == GTK_ORIENTATION_VERTICAL))
        {
          *minimum = MAX (*minimum, child_min);
          *natural = MAX (*natural, child_nat);
        }
      else if (orientation == GTK_ORIENTATION_VERTICAL)
        {
          *minimum += child_min;
          *natural += child_nat;
        }
    }
  if (side_by_side && orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 2 * *minimum + centre + 2 * COLUMN_GAP;
      *natural = 2 * *natural + centre + 2 * COLUMN_GAP;
    }
}

static void
body_allocate (GtkWidget *body,
               int        width,
               int        height,
               int        baseline)
{
  GhTrustDiagram *self = GH_TRUST_DIAGRAM (gtk_widget_get_parent (body));
  int centre = centre_width (self->centre);
  int side = MAX (0, (width - centre - 2 * COLUMN_GAP) / 2);
  gboolean rtl = gtk_widget_get_direction (body) == GTK_TEXT_DIR_RTL;
  int x = 0, y = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (body); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      int child_width = child == self->centre ? centre : side;
      int child_height = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      if (self->narrow)
        {
          gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, NULL, &child_height, NULL, NULL);
          gtk_widget_size_allocate (child, &(GtkAllocation) { 0, y, width, child_height }, -1);
          y += child_height;
          continue;
        }
      /* The back-end's side ends at the far edge, even when it is hidden. Right to
       * left, the columns mirror: the clients on the right. */
      if (child != self->centre && child != gtk_widget_get_first_child (body))
        x = width - side;
      gtk_widget_size_allocate (child, &(GtkAllocation) { rtl ? width - x - child_width : x, 0, child_width, height },
                                -1);
      x += child_width + COLUMN_GAP;
    }
}

static void
build (GhTrustDiagram  *self,
       GhApiService    *service,
       GhApiServiceTls *tls,
       const char      *problem,
       GListModel      *keystore,
       GListModel      *truststore)
{
  const char *description = gh_api_service_get_description (service);
  GtkWidget *heading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *probe = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  GtkWidget *clients, *backend, *centre;
  GhApiTlsConnect *connect = tls != NULL ? gh_api_service_tls_get_connect (tls) : NULL;

  gtk_box_append (GTK_BOX (titles), gh_trust_label_new (self->service_name, "title-3"));
  gtk_box_append (GTK_BOX (titles), gh_trust_label_new (description != NULL ? description
                                                                     : gh_api_service_get_service_type (service),
                                                "dim-label"));
  gtk_widget_set_hexpand (titles, TRUE);
  gtk_box_append (GTK_BOX (heading), titles);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (probe), "s", self->service_name);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), "trust.probe");
  gtk_widget_set_valign (probe, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (probe, "flat");
  gtk_widget_set_tooltip_text (probe, _("Probe Again"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (probe), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Probe Again"), -1);
  gtk_box_append (GTK_BOX (heading), probe);
  self->heading = heading;
  gtk_widget_set_parent (heading, GTK_WIDGET (self));

  /* The gateway in the middle, the two sides as wide as each other (body_measure()). */
  self->body = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_layout_manager (self->body, gtk_custom_layout_new (body_request_mode, body_measure, body_allocate));
  gtk_widget_set_parent (self->body, GTK_WIDGET (self));

  self->gateway_card = new_gateway_card (service);
  clients = new_column (_("Clients"));
  gtk_box_append (GTK_BOX (self->body), clients);

  centre = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (centre), self->gateway_card);
  gtk_box_append (GTK_BOX (self->body), centre);

  backend = new_column (_("Back-end"));
  gtk_box_append (GTK_BOX (self->body), backend);
  self->centre = centre;
  gh_trust_diagram_set_narrow (self, FALSE);

  if (tls == NULL)
    {
      gtk_box_append (GTK_BOX (clients), gh_trust_label_new (problem != NULL ? problem : _("Not known yet"), "dim-label"));
      gtk_widget_set_visible (backend, FALSE);
      return;
    }

  build_clients (self, clients, service, tls, truststore);
  if (connect != NULL)
    build_backend (self, backend, service, connect, keystore);
  else
    gtk_box_append (GTK_BOX (backend),
                    gh_trust_label_new (g_str_equal (gh_api_service_get_service_type (service), "proxy")
                                  ? _("No back-end") : _("None: the gateway answers itself"),
                                "dim-label"));
}

GtkWidget *
gh_trust_diagram_new (GhApiService    *service,
                      GhApiServiceTls *tls,
                      const char      *problem,
                      GListModel      *keystore,
                      GListModel      *truststore,
                      GListModel      *crls)
{
  GhTrustDiagram *self;

  g_return_val_if_fail (GH_IS_API_SERVICE (service), NULL);
  g_return_val_if_fail (tls == NULL || GH_IS_API_SERVICE_TLS (tls), NULL);

  self = g_object_new (GH_TYPE_TRUST_DIAGRAM, NULL);
  self->service_name = g_strdup (gh_api_service_get_name (service));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, self->service_name, -1);
  self->crls = crls;
  build (self, service, tls, problem, keystore, truststore);
  self->crls = NULL;
  return GTK_WIDGET (self);
}

const char *
gh_trust_diagram_get_service_name (GhTrustDiagram *self)
{
  g_return_val_if_fail (GH_IS_TRUST_DIAGRAM (self), NULL);
  return self->service_name;
}

void
gh_trust_diagram_set_narrow (GhTrustDiagram *self,
                             gboolean        narrow)
{
  g_return_if_fail (GH_IS_TRUST_DIAGRAM (self));

  self->narrow = !!narrow;
  /* Between the stacked sides, or level with the sides' first headers. */
  gtk_widget_set_margin_top (self->centre, narrow ? 18 : 30);
  gtk_widget_set_margin_bottom (self->centre, narrow ? 18 : 0);
  gtk_widget_queue_resize (self->body);
}

GPtrArray *
gh_trust_diagram_get_nodes (GhTrustDiagram *self,
                            GhTrustSide     side)
{
  g_return_val_if_fail (GH_IS_TRUST_DIAGRAM (self), NULL);
  g_return_val_if_fail (side <= GH_TRUST_SIDE_BACKEND, NULL);
  return self->nodes[side];
}

guint
gh_trust_diagram_get_n_chains (GhTrustDiagram *self)
{
  g_return_val_if_fail (GH_IS_TRUST_DIAGRAM (self), 0);
  return self->n_chains;
}

guint
gh_trust_diagram_get_n_fine (GhTrustDiagram *self)
{
  g_return_val_if_fail (GH_IS_TRUST_DIAGRAM (self), 0);
  return self->n_fine;
}

GDateTime *
gh_trust_diagram_get_nearest_expiry (GhTrustDiagram  *self,
                                     const char     **name)
{
  g_return_val_if_fail (GH_IS_TRUST_DIAGRAM (self), NULL);
  if (name != NULL)
    *name = self->nearest_name;
  return self->nearest_expiry;
}

/* What a diagram shows */

static void
sign_chain (GString         *signature,
            GhApiTrustChain *chain)
{
  GListModel *links;

  if (chain == NULL)
    {
      g_string_append (signature, "-;");
      return;
    }
  links = gh_api_trust_chain_get_links (chain);
  g_string_append_printf (signature, "%d%d[", gh_api_trust_chain_get_trusted (chain),
                          gh_api_trust_chain_get_severity (chain));
  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    {
      g_autoptr(GhApiTrustLink) link = g_list_model_get_item (links, i);
      GListModel *findings = gh_api_trust_link_get_findings (link);

      g_string_append_printf (signature, "%s/%d:", gh_api_trust_link_get_sha256_fingerprint (link),
                              gh_api_trust_link_get_severity (link));
      for (guint j = 0; j < g_list_model_get_n_items (findings); j++)
        {
          g_autoptr(GhApiFinding) finding = g_list_model_get_item (findings, j);

          g_string_append_printf (signature, "%s,", gh_api_finding_get_message (finding));
        }
    }
  g_string_append (signature, "];");
}

static void
sign_store (GString    *signature,
            GListModel *store)
{
  for (guint i = 0; store != NULL && i < g_list_model_get_n_items (store); i++)
    {
      g_autoptr(GObject) entry = g_list_model_get_item (store, i);
      GhCertificate *certificate = GH_IS_API_KEYSTORE_ENTRY (entry)
                                     ? gh_api_keystore_entry_get_certificate (GH_API_KEYSTORE_ENTRY (entry))
                                     : gh_api_truststore_entry_get_certificate (GH_API_TRUSTSTORE_ENTRY (entry));

      g_string_append_printf (signature, "%s,", certificate != NULL ? gh_certificate_get_sha256_fingerprint (certificate)
                                                                   : "-");
    }
}

/**
 * gh_trust_diagram_sign:
 *
 * Everything a diagram of these inputs shows, in one string: the same string, the
 * same diagram (the page makes one again only when it changes).
 *
 * Returns: (transfer full): the signature
 */
char *
gh_trust_diagram_sign (GhApiService    *service,
                       GhApiServiceTls *tls,
                       const char      *problem,
                       GListModel      *keystore,
                       GListModel      *truststore,
                       GListModel      *crls)
{
  const char *name = gh_api_service_get_name (service);
  JsonNode *config = gh_api_service_get_config (service);
  GString *signature = g_string_new (NULL);
  g_autofree char *config_text = config != NULL ? json_to_string (config, FALSE) : NULL;

  g_string_append_printf (signature, "%s|%s|%s|", name, gh_api_service_get_description (service),
                          config_text != NULL ? config_text : "");
  g_string_append_printf (signature, "%s|", problem);
  if (tls != NULL)
    {
      GListModel *accepts = gh_api_service_tls_get_accepts (tls);
      GhApiTlsConnect *connect = gh_api_service_tls_get_connect (tls);

      for (guint i = 0; i < g_list_model_get_n_items (accepts); i++)
        {
          g_autoptr(GhApiTlsAccept) accept = g_list_model_get_item (accepts, i);

          g_string_append_printf (signature, "%s>%s>%s>%s:", gh_api_tls_accept_get_uri (accept),
                                  gh_api_tls_accept_get_host (accept), gh_api_tls_accept_get_alias (accept),
                                  gh_api_tls_accept_get_anchor (accept));
          sign_chain (signature, gh_api_tls_accept_get_chain (accept));
        }
      if (connect != NULL)
        {
          GhApiBackendProbe *probe = gh_api_tls_connect_get_probe (connect);

          g_string_append_printf (signature, "%s>%d>%d>%s:", gh_api_tls_connect_get_uri (connect),
                                  gh_api_tls_connect_has_probe (connect), gh_api_tls_connect_get_probe_ok (connect),
                                  gh_api_tls_connect_get_probe_error (connect));
          if (probe != NULL)
            g_string_append_printf (signature, "%s>%s>%s>%s>%d%d:", gh_api_backend_probe_get_verdict (probe),
                                    gh_api_backend_probe_get_server_name (probe),
                                    gh_api_backend_probe_get_protocol (probe),
                                    gh_api_backend_probe_get_cipher (probe),
                                    gh_api_backend_probe_get_client_certificate_requested (probe),
                                    gh_api_backend_probe_get_client_certificate_presented (probe));
          sign_chain (signature, gh_api_tls_connect_get_probe_chain (connect));
        }
    }
  /* The client certificate toward the back-end and the anchors of client certificates. */
  sign_store (signature, keystore);
  sign_store (signature, truststore);
  /* The revocation lists: their badges. */
  for (guint i = 0; crls != NULL && i < g_list_model_get_n_items (crls); i++)
    {
      g_autoptr(GhApiCrl) crl = g_list_model_get_item (crls, i);

      g_string_append_printf (signature, "%s,", gh_api_crl_get_id (crl));
    }
  return g_string_free (signature, FALSE);
}

/* Drawing the connectors */

static void
append_line (GtkSnapshot   *snapshot,
             const GdkRGBA *colour,
             float          x1,
             float          y1,
             float          x2,
             float          y2)
{
  float x = MIN (x1, x2), y = MIN (y1, y2);

  gtk_snapshot_append_color (snapshot, colour,
                             &GRAPHENE_RECT_INIT (x - LINE_WIDTH / 2, y - LINE_WIDTH / 2,
                                                  fabsf (x2 - x1) + LINE_WIDTH, fabsf (y2 - y1) + LINE_WIDTH));
}

static void
draw_connector (GhTrustDiagram  *self,
                GtkSnapshot     *snapshot,
                const Connector *connector)
{
  graphene_rect_t a, b;
  GdkRGBA colour;

  if (!gtk_widget_get_mapped (connector->from) || !gtk_widget_get_mapped (connector->to) ||
      !gtk_widget_compute_bounds (connector->from, GTK_WIDGET (self), &a) ||
      !gtk_widget_compute_bounds (connector->to, GTK_WIDGET (self), &b))
    return;

  if (connector->colour != NULL)
    gh_trust_node_get_color (connector->colour, &colour);
  else
    {
      gtk_widget_get_color (GTK_WIDGET (self), &colour);
      colour.alpha *= 0.35f;
    }

  if (b.origin.x >= a.origin.x + a.size.width || a.origin.x >= b.origin.x + b.size.width)
    {
      /* Side by side: out of the facing edges, turning between (right to left, @b is
       * on the left of @a). */
      gboolean leftward = a.origin.x >= b.origin.x + b.size.width;
      float y1 = a.origin.y + MIN (a.size.height / 2, 24), y2 = b.origin.y + MIN (b.size.height / 2, 24);
      float x1 = leftward ? a.origin.x : a.origin.x + a.size.width;
      float x2 = leftward ? b.origin.x + b.size.width : b.origin.x;
      float mid = (x1 + x2) / 2;

      append_line (snapshot, &colour, x1, y1, mid, y1);
      append_line (snapshot, &colour, mid, y1, mid, y2);
      append_line (snapshot, &colour, mid, y2, x2, y2);
    }
  else if (!connector->across && b.origin.y >= a.origin.y + a.size.height)
    {
      /* Down a column, beside the findings in between, under the cards' state icons
       * (at their right edge right to left). */
      gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
      float x1 = rtl ? a.origin.x + a.size.width - CHAIN_LINE_X : a.origin.x + CHAIN_LINE_X;
      float x2 = rtl ? b.origin.x + b.size.width - CHAIN_LINE_X : b.origin.x + CHAIN_LINE_X;
      float y1 = a.origin.y + a.size.height, y2 = b.origin.y, mid = (y1 + y2) / 2;

      append_line (snapshot, &colour, x1, y1, x1, mid);
      append_line (snapshot, &colour, x1, mid, x2, mid);
      append_line (snapshot, &colour, x2, mid, x2, y2);
    }
}

static void
gh_trust_diagram_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  GhTrustDiagram *self = GH_TRUST_DIAGRAM (widget);

  for (guint i = 0; i < self->connectors->len; i++)
    draw_connector (self, snapshot, &g_array_index (self->connectors, Connector, i));

  GTK_WIDGET_CLASS (gh_trust_diagram_parent_class)->snapshot (widget, snapshot);
}

/* GObject */

static void
gh_trust_diagram_dispose (GObject *object)
{
  GhTrustDiagram *self = GH_TRUST_DIAGRAM (object);

  g_array_set_size (self->connectors, 0);
  g_clear_pointer (&self->heading, gtk_widget_unparent);
  g_clear_pointer (&self->body, gtk_widget_unparent);
  g_ptr_array_set_size (self->nodes[GH_TRUST_SIDE_CLIENTS], 0);
  g_ptr_array_set_size (self->nodes[GH_TRUST_SIDE_BACKEND], 0);

  G_OBJECT_CLASS (gh_trust_diagram_parent_class)->dispose (object);
}

static void
gh_trust_diagram_finalize (GObject *object)
{
  GhTrustDiagram *self = GH_TRUST_DIAGRAM (object);

  g_free (self->service_name);
  g_free (self->nearest_name);
  g_clear_pointer (&self->nearest_expiry, g_date_time_unref);
  g_array_unref (self->connectors);
  g_ptr_array_unref (self->nodes[GH_TRUST_SIDE_CLIENTS]);
  g_ptr_array_unref (self->nodes[GH_TRUST_SIDE_BACKEND]);

  G_OBJECT_CLASS (gh_trust_diagram_parent_class)->finalize (object);
}

static void
gh_trust_diagram_class_init (GhTrustDiagramClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_trust_diagram_dispose;
  object_class->finalize = gh_trust_diagram_finalize;
  widget_class->snapshot = gh_trust_diagram_snapshot;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gh-trust-diagram");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
gh_trust_diagram_init (GhTrustDiagram *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 12);
  self->connectors = g_array_new (FALSE, TRUE, sizeof (Connector));
  /* The nodes are the columns' children: these only point at them. */
  self->nodes[GH_TRUST_SIDE_CLIENTS] = g_ptr_array_new ();
  self->nodes[GH_TRUST_SIDE_BACKEND] = g_ptr_array_new ();
}
