/* gh-api-service-tls.c — GET /api/v1/services/{name}/tls: trust-chains, accepts, probes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-service-tls"

#include "config.h"

#include "gh-api-keystore-entry.h"
#include "gh-api-private.h"
#include "gh-api-backend-probe.h"
#include "gh-api-service-tls.h"

/* GhApiFinding */

struct _GhApiFinding
{
  GObject     parent_instance;

  char       *kind;
  GhSeverity  severity;
  char       *message;
  char       *fix;
  gint64      depth;
};

G_DEFINE_FINAL_TYPE (GhApiFinding, gh_api_finding, G_TYPE_OBJECT)

GH_API_DEFINE_PARSE_FUNC (finding)
GH_API_DEFINE_PARSE_FUNC (tls_accept)

static void
gh_api_finding_finalize (GObject *object)
{
  GhApiFinding *self = GH_API_FINDING (object);

  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->fix, g_free);

  G_OBJECT_CLASS (gh_api_finding_parent_class)->finalize (object);
}

static void
gh_api_finding_class_init (GhApiFindingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_finding_finalize;
}

static void
gh_api_finding_init (GhApiFinding *self)
{
}

/**
 * gh_api_finding_new_from_json:
 * @node: {"kind", "severity", "message", "fix"} (and "depth", 0 when absent: a link
 *   gives its findings its own)
 * @error: %GH_API_ERROR_PROTOCOL when it is not that
 *
 * Returns: (transfer full) (nullable): the finding
 */
GhApiFinding *
gh_api_finding_new_from_json (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(GhApiFinding) self = g_object_new (GH_TYPE_API_FINDING, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "finding", error);
  g_autofree char *severity = NULL;

  if (object == NULL ||
      !_gh_api_get_string (object, "finding", "kind", GH_API_REQUIRED, &self->kind, error) ||
      !_gh_api_get_string (object, "finding", "severity", GH_API_REQUIRED, &severity, error) ||
      !_gh_api_get_string (object, "finding", "message", GH_API_REQUIRED, &self->message, error) ||
      !_gh_api_get_string (object, "finding", "fix", GH_API_NULLABLE, &self->fix, error) ||
      !_gh_api_get_int (object, "finding", "depth", GH_API_NULLABLE, &self->depth, error))
    return NULL;

  if (g_str_equal (severity, "info"))
    self->severity = GH_SEVERITY_INFO;
  else if (g_str_equal (severity, "warning"))
    self->severity = GH_SEVERITY_WARNING;
  else if (g_str_equal (severity, "error"))
    self->severity = GH_SEVERITY_ERROR;
  else
    {
      _gh_api_set_protocol_error (error, "finding.severity “%s” is not info, warning or error", severity);
      return NULL;
    }

  if (self->depth < 0 || self->depth > G_MAXUINT)
    {
      _gh_api_set_protocol_error (error, "finding.depth %" G_GINT64_FORMAT " is out of range", self->depth);
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
gh_api_finding_get_kind_name (GhApiFinding *self)
{
  g_return_val_if_fail (GH_IS_API_FINDING (self), NULL);
  return self->kind;
}

/**
 * gh_api_finding_get_kind:
 * @self: a #GhApiFinding
 * @kind: (out): the kind
 *
 * Returns: whether the kind is one this client knows
 */
gboolean
gh_api_finding_get_kind (GhApiFinding  *self,
                         GhFindingKind *kind)
{
  g_return_val_if_fail (GH_IS_API_FINDING (self), FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  for (GhFindingKind k = GH_FINDING_EXPIRED; k <= GH_FINDING_BAD_SIGNATURE; k++)
    {
      if (g_strcmp0 (gh_finding_kind_to_string (k), self->kind) == 0)
        {
          *kind = k;
          return TRUE;
        }
    }

  return FALSE;
}

GhSeverity
gh_api_finding_get_severity (GhApiFinding *self)
{
  g_return_val_if_fail (GH_IS_API_FINDING (self), GH_SEVERITY_INFO);
  return self->severity;
}

const char *
gh_api_finding_get_message (GhApiFinding *self)
{
  g_return_val_if_fail (GH_IS_API_FINDING (self), NULL);
  return self->message;
}

const char *
gh_api_finding_get_fix (GhApiFinding *self)
{
  g_return_val_if_fail (GH_IS_API_FINDING (self), NULL);
  return self->fix;
}

guint
gh_api_finding_get_depth (GhApiFinding *self)
{
  g_return_val_if_fail (GH_IS_API_FINDING (self), 0);
  return (guint) self->depth;
}

static gboolean
severity_from_json (JsonObject  *object,
                    const char  *what,
                    GhSeverity  *severity,
                    GError     **error)
{
  g_autofree char *name = NULL;

  if (!_gh_api_get_string (object, what, "severity", GH_API_NULLABLE, &name, error))
    return FALSE;

  if (name == NULL || g_str_equal (name, "info"))
    *severity = GH_SEVERITY_INFO;
  else if (g_str_equal (name, "warning"))
    *severity = GH_SEVERITY_WARNING;
  else if (g_str_equal (name, "error"))
    *severity = GH_SEVERITY_ERROR;
  else
    {
      _gh_api_set_protocol_error (error, "%s.severity “%s” is not info, warning or error", what, name);
      return FALSE;
    }

  return TRUE;
}

/* GhApiTrustLink */

struct _GhApiTrustLink
{
  GObject          parent_instance;

  GhTrustLinkRole  role;
  GhSeverity       severity;
  char            *subject;
  char            *issuer;
  char            *display_name;
  char            *sha256_fingerprint;
  GDateTime       *not_after;
  GListModel      *findings;
};

G_DEFINE_FINAL_TYPE (GhApiTrustLink, gh_api_trust_link, G_TYPE_OBJECT)

static void
gh_api_trust_link_finalize (GObject *object)
{
  GhApiTrustLink *self = GH_API_TRUST_LINK (object);

  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->sha256_fingerprint, g_free);
  g_clear_pointer (&self->not_after, g_date_time_unref);
  g_clear_object (&self->findings);

  G_OBJECT_CLASS (gh_api_trust_link_parent_class)->finalize (object);
}

static void
gh_api_trust_link_class_init (GhApiTrustLinkClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_trust_link_finalize;
}

static void
gh_api_trust_link_init (GhApiTrustLink *self)
{
}

/* The link at @depth of its chain: its findings get that depth. */
static GhApiTrustLink *
trust_link_new_from_json (JsonNode  *node,
                          guint      depth,
                          GError   **error)
{
  g_autoptr(GhApiTrustLink) self = g_object_new (GH_TYPE_API_TRUST_LINK, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "link", error);
  JsonObject *certificate = NULL;
  JsonArray *findings = NULL;
  g_autofree char *role = NULL;

  if (object == NULL ||
      !_gh_api_get_string (object, "link", "role", GH_API_REQUIRED, &role, error) ||
      !severity_from_json (object, "link", &self->severity, error) ||
      !_gh_api_get_object (object, "link", "certificate", GH_API_REQUIRED, &certificate, error) ||
      !_gh_api_get_array (object, "link", "findings", GH_API_NULLABLE, &findings, error))
    return NULL;

  if (g_str_equal (role, "leaf"))
    self->role = GH_TRUST_LINK_LEAF;
  else if (g_str_equal (role, "intermediate"))
    self->role = GH_TRUST_LINK_INTERMEDIATE;
  else if (g_str_equal (role, "anchor"))
    self->role = GH_TRUST_LINK_ANCHOR;
  else
    {
      _gh_api_set_protocol_error (error, "link.role “%s” is not leaf, intermediate or anchor", role);
      return NULL;
    }

  if (!_gh_api_get_string (certificate, "link.certificate", "subject", GH_API_REQUIRED, &self->subject, error) ||
      !_gh_api_get_string (certificate, "link.certificate", "issuer", GH_API_NULLABLE, &self->issuer, error) ||
      !_gh_api_get_string (certificate, "link.certificate", "display_name", GH_API_NULLABLE, &self->display_name, error) ||
      !_gh_api_get_string (certificate, "link.certificate", "sha256_fingerprint", GH_API_NULLABLE,
                           &self->sha256_fingerprint, error) ||
      !_gh_api_get_time (certificate, "link.certificate", "not_after", GH_API_NULLABLE, &self->not_after, error))
    return NULL;

  self->findings = _gh_api_list_from_array (findings, GH_TYPE_API_FINDING, parse_finding, "findings", error);
  if (self->findings == NULL)
    return NULL;

  for (guint i = 0; i < g_list_model_get_n_items (self->findings); i++)
    {
      g_autoptr(GhApiFinding) finding = g_list_model_get_item (self->findings, i);

      finding->depth = depth;
    }

  return g_steal_pointer (&self);
}

/**
 * gh_api_trust_link_new_from_json:
 * @node: {"role", "severity", "certificate": {…}, "findings": [finding…]}
 * @error: %GH_API_ERROR_PROTOCOL when it is not that
 *
 * Returns: (transfer full) (nullable): the link (its findings at depth 0)
 */
GhApiTrustLink *
gh_api_trust_link_new_from_json (JsonNode  *node,
                                 GError   **error)
{
  return trust_link_new_from_json (node, 0, error);
}

GhTrustLinkRole
gh_api_trust_link_get_role (GhApiTrustLink *self)
{
  g_return_val_if_fail (GH_IS_API_TRUST_LINK (self), GH_TRUST_LINK_LEAF);
  return self->role;
}

GhSeverity
gh_api_trust_link_get_severity (GhApiTrustLink *self)
{
  g_return_val_if_fail (GH_IS_API_TRUST_LINK (self), GH_SEVERITY_INFO);
  return self->severity;
}

const char *
gh_api_trust_link_get_subject (GhApiTrustLink *self)
{
  g_return_val_if_fail (GH_IS_API_TRUST_LINK (self), NULL);
  return self->subject;
}

const char *
gh_api_trust_link_get_issuer (GhApiTrustLink *self)
{
  g_return_val_if_fail (GH_IS_API_TRUST_LINK (self), NULL);
  return self->issuer;
}

const char *
gh_api_trust_link_get_display_name (GhApiTrustLink *self)
{
  g_return_val_if_fail (GH_IS_API_TRUST_LINK (self), NULL);
  return self->display_name;
}

const char *
gh_api_trust_link_get_sha256_fingerprint (GhApiTrustLink *self)
{
  g_return_val_if_fail (GH_IS_API_TRUST_LINK (self), NULL);
  return self->sha256_fingerprint;
}

GDateTime *
gh_api_trust_link_get_not_after (GhApiTrustLink *self)
{
  g_return_val_if_fail (GH_IS_API_TRUST_LINK (self), NULL);
  return self->not_after;
}

GListModel *
gh_api_trust_link_get_findings (GhApiTrustLink *self)
{
  g_return_val_if_fail (GH_IS_API_TRUST_LINK (self), NULL);
  return self->findings;
}

/* GhApiTrustChain */

struct _GhApiTrustChain
{
  GObject     parent_instance;

  gboolean    trusted;
  GhSeverity  severity;
  char       *status_message;
  char       *hostname;
  char       *purpose;
  GListStore *links;
  GListStore *findings;
};

G_DEFINE_FINAL_TYPE (GhApiTrustChain, gh_api_trust_chain, G_TYPE_OBJECT)

static void
gh_api_trust_chain_finalize (GObject *object)
{
  GhApiTrustChain *self = GH_API_TRUST_CHAIN (object);

  g_clear_pointer (&self->status_message, g_free);
  g_clear_pointer (&self->hostname, g_free);
  g_clear_pointer (&self->purpose, g_free);
  g_clear_object (&self->links);
  g_clear_object (&self->findings);

  G_OBJECT_CLASS (gh_api_trust_chain_parent_class)->finalize (object);
}

static void
gh_api_trust_chain_class_init (GhApiTrustChainClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_trust_chain_finalize;
}

static void
gh_api_trust_chain_init (GhApiTrustChain *self)
{
  self->links = g_list_store_new (GH_TYPE_API_TRUST_LINK);
  self->findings = g_list_store_new (GH_TYPE_API_FINDING);
}

/**
 * gh_api_trust_chain_new_from_json:
 * @node: {"trusted", "severity", "status_message", "hostname", "purpose", "links"}
 * @error: %GH_API_ERROR_PROTOCOL when it is not that
 *
 * Returns: (transfer full) (nullable): the chain
 */
GhApiTrustChain *
gh_api_trust_chain_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(GhApiTrustChain) self = g_object_new (GH_TYPE_API_TRUST_CHAIN, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "trust-chain", error);
  JsonArray *links = NULL;

  if (object == NULL ||
      !_gh_api_get_boolean (object, "trust-chain", "trusted", GH_API_REQUIRED, &self->trusted, error) ||
      !severity_from_json (object, "trust-chain", &self->severity, error) ||
      !_gh_api_get_string (object, "trust-chain", "status_message", GH_API_NULLABLE, &self->status_message, error) ||
      !_gh_api_get_string (object, "trust-chain", "hostname", GH_API_NULLABLE, &self->hostname, error) ||
      !_gh_api_get_string (object, "trust-chain", "purpose", GH_API_NULLABLE, &self->purpose, error) ||
      !_gh_api_get_array (object, "trust-chain", "links", GH_API_REQUIRED, &links, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (links); i++)
    {
      g_autoptr(GhApiTrustLink) link = trust_link_new_from_json (json_array_get_element (links, i), i, error);

      if (link == NULL)
        {
          g_prefix_error (error, "links[%u]: ", i);
          return NULL;
        }
      g_list_store_append (self->links, link);
      for (guint j = 0; j < g_list_model_get_n_items (link->findings); j++)
        {
          g_autoptr(GhApiFinding) finding = g_list_model_get_item (link->findings, j);

          g_list_store_append (self->findings, finding);
        }
    }

  return g_steal_pointer (&self);
}

gboolean
gh_api_trust_chain_get_trusted (GhApiTrustChain *self)
{
  g_return_val_if_fail (GH_IS_API_TRUST_CHAIN (self), FALSE);
  return self->trusted;
}

GhSeverity
gh_api_trust_chain_get_severity (GhApiTrustChain *self)
{
  g_return_val_if_fail (GH_IS_API_TRUST_CHAIN (self), GH_SEVERITY_INFO);
  return self->severity;
}

const char *
gh_api_trust_chain_get_status_message (GhApiTrustChain *self)
{
  g_return_val_if_fail (GH_IS_API_TRUST_CHAIN (self), NULL);
  return self->status_message;
}

const char *
gh_api_trust_chain_get_hostname (GhApiTrustChain *self)
{
  g_return_val_if_fail (GH_IS_API_TRUST_CHAIN (self), NULL);
  return self->hostname;
}

const char *
gh_api_trust_chain_get_purpose (GhApiTrustChain *self)
{
  g_return_val_if_fail (GH_IS_API_TRUST_CHAIN (self), NULL);
  return self->purpose;
}

GListModel *
gh_api_trust_chain_get_links (GhApiTrustChain *self)
{
  g_return_val_if_fail (GH_IS_API_TRUST_CHAIN (self), NULL);
  return G_LIST_MODEL (self->links);
}

GListModel *
gh_api_trust_chain_get_findings (GhApiTrustChain *self)
{
  g_return_val_if_fail (GH_IS_API_TRUST_CHAIN (self), NULL);
  return G_LIST_MODEL (self->findings);
}

/* A "chain" member: a trust-chain or null. */
static gboolean
get_trust_chain (JsonObject       *object,
                 const char       *what,
                 GhApiTrustChain **out,
                 GError          **error)
{
  JsonObject *chain = NULL;

  if (!_gh_api_get_object (object, what, "chain", GH_API_NULLABLE, &chain, error))
    return FALSE;

  if (chain == NULL)
    return TRUE;

  *out = gh_api_trust_chain_new_from_json (json_object_get_member (object, "chain"), error);
  if (*out == NULL)
    {
      g_prefix_error (error, "%s.chain: ", what);
      return FALSE;
    }

  return TRUE;
}

static GListModel *
empty_findings (void)
{
  return G_LIST_MODEL (g_list_store_new (GH_TYPE_API_FINDING));
}

/* GhApiTlsAccept */

struct _GhApiTlsAccept
{
  GObject          parent_instance;

  char            *uri;
  char            *host;
  gboolean         secure;
  char            *alias;
  GhApiTrustChain *chain;
  char            *anchor;
  GListModel      *no_findings;
};

G_DEFINE_FINAL_TYPE (GhApiTlsAccept, gh_api_tls_accept, G_TYPE_OBJECT)

static void
gh_api_tls_accept_finalize (GObject *object)
{
  GhApiTlsAccept *self = GH_API_TLS_ACCEPT (object);

  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->alias, g_free);
  g_clear_object (&self->chain);
  g_clear_pointer (&self->anchor, g_free);
  g_clear_object (&self->no_findings);

  G_OBJECT_CLASS (gh_api_tls_accept_parent_class)->finalize (object);
}

static void
gh_api_tls_accept_class_init (GhApiTlsAcceptClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_tls_accept_finalize;
}

static void
gh_api_tls_accept_init (GhApiTlsAccept *self)
{
  self->no_findings = empty_findings ();
}

/**
 * gh_api_tls_accept_new_from_json:
 * @node: {"uri", "host", "secure", "alias", "chain": trust-chain|null, "anchor"}
 * @error: %GH_API_ERROR_PROTOCOL when it is not that
 *
 * Returns: (transfer full) (nullable): the accept
 */
GhApiTlsAccept *
gh_api_tls_accept_new_from_json (JsonNode  *node,
                                 GError   **error)
{
  g_autoptr(GhApiTlsAccept) self = g_object_new (GH_TYPE_API_TLS_ACCEPT, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "accept", error);

  if (object == NULL ||
      !_gh_api_get_string (object, "accept", "uri", GH_API_REQUIRED, &self->uri, error) ||
      !_gh_api_get_string (object, "accept", "host", GH_API_NULLABLE, &self->host, error) ||
      !_gh_api_get_boolean (object, "accept", "secure", GH_API_NULLABLE, &self->secure, error) ||
      !_gh_api_get_string (object, "accept", "alias", GH_API_NULLABLE, &self->alias, error) ||
      !get_trust_chain (object, "accept", &self->chain, error) ||
      !_gh_api_get_string (object, "accept", "anchor", GH_API_NULLABLE, &self->anchor, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
gh_api_tls_accept_get_uri (GhApiTlsAccept *self)
{
  g_return_val_if_fail (GH_IS_API_TLS_ACCEPT (self), NULL);
  return self->uri;
}

const char *
gh_api_tls_accept_get_host (GhApiTlsAccept *self)
{
  g_return_val_if_fail (GH_IS_API_TLS_ACCEPT (self), NULL);
  return self->host;
}

gboolean
gh_api_tls_accept_get_secure (GhApiTlsAccept *self)
{
  g_return_val_if_fail (GH_IS_API_TLS_ACCEPT (self), FALSE);
  return self->secure;
}

const char *
gh_api_tls_accept_get_alias (GhApiTlsAccept *self)
{
  g_return_val_if_fail (GH_IS_API_TLS_ACCEPT (self), NULL);
  return self->alias;
}

const char *
gh_api_tls_accept_get_anchor (GhApiTlsAccept *self)
{
  g_return_val_if_fail (GH_IS_API_TLS_ACCEPT (self), NULL);
  return self->anchor;
}

/**
 * gh_api_tls_accept_get_chain:
 * @self: a #GhApiTlsAccept
 *
 * Returns: (transfer none) (nullable): the chain clients get, as verified
 */
GhApiTrustChain *
gh_api_tls_accept_get_chain (GhApiTlsAccept *self)
{
  g_return_val_if_fail (GH_IS_API_TLS_ACCEPT (self), NULL);
  return self->chain;
}

gboolean
gh_api_tls_accept_get_trusted (GhApiTlsAccept *self)
{
  g_return_val_if_fail (GH_IS_API_TLS_ACCEPT (self), FALSE);
  return self->chain != NULL && self->chain->trusted;
}

GListModel *
gh_api_tls_accept_get_findings (GhApiTlsAccept *self)
{
  g_return_val_if_fail (GH_IS_API_TLS_ACCEPT (self), NULL);
  return self->chain != NULL ? G_LIST_MODEL (self->chain->findings) : self->no_findings;
}

/* GhApiTlsConnect */

struct _GhApiTlsConnect
{
  GObject          parent_instance;

  char            *uri;
  gboolean         verify;
  gboolean         has_probe;
  gboolean         probe_ok;
  char            *probe_error;
  GhApiTrustChain *probe_chain;
  GhApiBackendProbe *probe;
  GListModel      *no_findings;
};

G_DEFINE_FINAL_TYPE (GhApiTlsConnect, gh_api_tls_connect, G_TYPE_OBJECT)

static void
gh_api_tls_connect_finalize (GObject *object)
{
  GhApiTlsConnect *self = GH_API_TLS_CONNECT (object);

  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->probe_error, g_free);
  g_clear_object (&self->probe_chain);
  g_clear_object (&self->probe);
  g_clear_object (&self->no_findings);

  G_OBJECT_CLASS (gh_api_tls_connect_parent_class)->finalize (object);
}

static void
gh_api_tls_connect_class_init (GhApiTlsConnectClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_tls_connect_finalize;
}

static void
gh_api_tls_connect_init (GhApiTlsConnect *self)
{
  self->verify = TRUE;
  self->no_findings = empty_findings ();
}

/**
 * gh_api_tls_connect_new_from_json:
 * @node: {"uri", "verify", "probe": {"ok", "error", "chain"}|null}
 * @error: %GH_API_ERROR_PROTOCOL when it is not that
 *
 * Returns: (transfer full) (nullable): the back-end's side
 */
GhApiTlsConnect *
gh_api_tls_connect_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(GhApiTlsConnect) self = g_object_new (GH_TYPE_API_TLS_CONNECT, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "connect", error);
  JsonObject *probe = NULL;

  if (object == NULL ||
      !_gh_api_get_string (object, "connect", "uri", GH_API_REQUIRED, &self->uri, error) ||
      !_gh_api_get_boolean (object, "connect", "verify", GH_API_NULLABLE, &self->verify, error) ||
      !_gh_api_get_object (object, "connect", "probe", GH_API_NULLABLE, &probe, error))
    return NULL;

  if (probe != NULL)
    {
      self->has_probe = TRUE;
      if (!_gh_api_get_boolean (probe, "connect.probe", "ok", GH_API_REQUIRED, &self->probe_ok, error) ||
          !_gh_api_get_string (probe, "connect.probe", "error", GH_API_NULLABLE, &self->probe_error, error) ||
          !get_trust_chain (probe, "connect.probe", &self->probe_chain, error) ||
          (self->probe = gh_api_backend_probe_new_from_json (json_object_get_member (object, "probe"), error)) == NULL)
        return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
gh_api_tls_connect_get_uri (GhApiTlsConnect *self)
{
  g_return_val_if_fail (GH_IS_API_TLS_CONNECT (self), NULL);
  return self->uri;
}

gboolean
gh_api_tls_connect_get_verify (GhApiTlsConnect *self)
{
  g_return_val_if_fail (GH_IS_API_TLS_CONNECT (self), FALSE);
  return self->verify;
}

gboolean
gh_api_tls_connect_has_probe (GhApiTlsConnect *self)
{
  g_return_val_if_fail (GH_IS_API_TLS_CONNECT (self), FALSE);
  return self->has_probe;
}

gboolean
gh_api_tls_connect_get_probe_ok (GhApiTlsConnect *self)
{
  g_return_val_if_fail (GH_IS_API_TLS_CONNECT (self), FALSE);
  return self->probe_ok;
}

const char *
gh_api_tls_connect_get_probe_error (GhApiTlsConnect *self)
{
  g_return_val_if_fail (GH_IS_API_TLS_CONNECT (self), NULL);
  return self->probe_error;
}

/**
 * gh_api_tls_connect_get_probe_chain:
 * @self: a #GhApiTlsConnect
 *
 * Returns: (transfer none) (nullable): the back-end's chain as verified
 */
GhApiTrustChain *
gh_api_tls_connect_get_probe_chain (GhApiTlsConnect *self)
{
  g_return_val_if_fail (GH_IS_API_TLS_CONNECT (self), NULL);
  return self->probe_chain;
}

/**
 * gh_api_tls_connect_get_probe:
 * @self: a #GhApiTlsConnect
 *
 * Returns: (transfer none) (nullable): what the probe saw as a session would
 */
GhApiBackendProbe *
gh_api_tls_connect_get_probe (GhApiTlsConnect *self)
{
  g_return_val_if_fail (GH_IS_API_TLS_CONNECT (self), NULL);
  return self->probe;
}

GListModel *
gh_api_tls_connect_get_probe_findings (GhApiTlsConnect *self)
{
  g_return_val_if_fail (GH_IS_API_TLS_CONNECT (self), NULL);
  return self->probe_chain != NULL ? G_LIST_MODEL (self->probe_chain->findings) : self->no_findings;
}

/* GhApiServiceTls */

struct _GhApiServiceTls
{
  GObject          parent_instance;

  GListModel      *accepts;
  GhApiTlsConnect *connect;
};

G_DEFINE_FINAL_TYPE (GhApiServiceTls, gh_api_service_tls, G_TYPE_OBJECT)

static void
gh_api_service_tls_finalize (GObject *object)
{
  GhApiServiceTls *self = GH_API_SERVICE_TLS (object);

  g_clear_object (&self->accepts);
  g_clear_object (&self->connect);

  G_OBJECT_CLASS (gh_api_service_tls_parent_class)->finalize (object);
}

static void
gh_api_service_tls_class_init (GhApiServiceTlsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_service_tls_finalize;
}

static void
gh_api_service_tls_init (GhApiServiceTls *self)
{
}

/**
 * gh_api_service_tls_new_from_json:
 * @node: {"accept": [accept…], "connect": connect|null}
 * @error: %GH_API_ERROR_PROTOCOL when it is not that
 *
 * Returns: (transfer full) (nullable): the service's TLS picture
 */
GhApiServiceTls *
gh_api_service_tls_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(GhApiServiceTls) self = g_object_new (GH_TYPE_API_SERVICE_TLS, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "service TLS", error);
  JsonArray *accepts = NULL;
  JsonObject *connect = NULL;

  if (object == NULL ||
      !_gh_api_get_array (object, "service TLS", "accept", GH_API_REQUIRED | GH_API_NULLABLE, &accepts, error) ||
      !_gh_api_get_object (object, "service TLS", "connect", GH_API_NULLABLE, &connect, error))
    return NULL;

  self->accepts = _gh_api_list_from_array (accepts, GH_TYPE_API_TLS_ACCEPT, parse_tls_accept, "accept", error);
  if (self->accepts == NULL)
    return NULL;

  if (connect != NULL)
    {
      self->connect = gh_api_tls_connect_new_from_json (json_object_get_member (object, "connect"), error);
      if (self->connect == NULL)
        return NULL;
    }

  return g_steal_pointer (&self);
}

GListModel *
gh_api_service_tls_get_accepts (GhApiServiceTls *self)
{
  g_return_val_if_fail (GH_IS_API_SERVICE_TLS (self), NULL);
  return self->accepts;
}

/**
 * gh_api_service_tls_get_connect:
 * @self: a #GhApiServiceTls
 *
 * Returns: (transfer none) (nullable): the back-end's side
 */
GhApiTlsConnect *
gh_api_service_tls_get_connect (GhApiServiceTls *self)
{
  g_return_val_if_fail (GH_IS_API_SERVICE_TLS (self), NULL);
  return self->connect;
}
