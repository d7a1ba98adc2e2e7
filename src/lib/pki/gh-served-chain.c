/* gh-served-chain.c — judging the chain a gateway serves its clients
 *
 * GhTrustChain judges a chain against anchors; for the chain the gateway serves, the
 * anchors that matter are the clients', which the gateway cannot see. The gateway's
 * truststore is the back-ends' trust (and client certificates'), not the clients', so
 * a private client-facing root should not have to go there for the Trust page to be
 * content. What the gateway can judge, it judges as before (expiry, host name, usage,
 * keys, signatures, a missing intermediate: everything a client would meet whatever
 * it trusts); the anchor it reports by where it comes from, and a root that neither
 * the system nor the truststore knows is a warning in words (the clients decide), not
 * an error. A chain that stops short of a root stays an error: no client can build it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-served-chain"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-served-chain.h"
#include "gh-trust-chain-private.h"

static GhFinding *
find_finding (GhTrustLink   *link,
              GhFindingKind  kind)
{
  GListModel *findings = gh_trust_link_get_findings (link);

  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(GhFinding) finding = g_list_model_get_item (findings, i);

      if (finding->kind == kind && finding->severity == GH_SEVERITY_ERROR)
        return finding;   /* the link keeps it */
    }
  return NULL;
}

static gboolean
in_truststore (GhCertificate *certificate,
               GPtrArray     *truststore_anchors)
{
  for (guint i = 0; truststore_anchors != NULL && i < truststore_anchors->len; i++)
    if (gh_certificate_equal (certificate, g_ptr_array_index (truststore_anchors, i)))
      return TRUE;
  return FALSE;
}

/* The finding said the root is not trusted; it is the clients' to trust. */
static void
leave_to_clients (GhFinding     *finding,
                  GhCertificate *root)
{
  const char *name = gh_certificate_get_display_name (root);

  finding->severity = GH_SEVERITY_WARNING;
  g_free (finding->message);
  finding->message = g_strdup_printf (_("The chain ends at the root “%s”, which neither the system nor the "
                                        "gateway’s truststore holds: whether to trust it is for the clients "
                                        "to decide."), name);
  g_free (finding->fix);
  finding->fix = g_strdup_printf (_("Give “%s” to the clients that connect here, or have the certificate issued "
                                    "by a public CA. Adding it to the gateway’s truststore would also make the "
                                    "gateway trust back-ends and client certificates it issues."), name);
}

/**
 * gh_served_chain_judge:
 * @chain: a verified chain the gateway serves
 * @truststore_anchors: (nullable) (element-type GhCertificate): the truststore's anchors
 *
 * Returns: where the chain's trust comes from
 */
GhServedAnchor
gh_served_chain_judge (GhTrustChain *chain,
                       GPtrArray    *truststore_anchors)
{
  GListModel *links;
  g_autoptr(GhTrustLink) top = NULL;
  GhCertificate *root;
  GhFinding *finding;

  g_return_val_if_fail (GH_IS_TRUST_CHAIN (chain), GH_SERVED_ANCHOR_INCOMPLETE);

  links = gh_trust_chain_get_links (chain);
  if (g_list_model_get_n_items (links) == 0)
    return GH_SERVED_ANCHOR_INCOMPLETE;
  top = g_list_model_get_item (links, g_list_model_get_n_items (links) - 1);
  root = gh_trust_link_get_certificate (top);

  if ((finding = find_finding (top, GH_FINDING_UNTRUSTED_ROOT)) != NULL ||
      (finding = find_finding (top, GH_FINDING_SELF_SIGNED)) != NULL)
    {
      leave_to_clients (finding, root);
      _gh_trust_chain_leave_anchor_to_clients (chain);
      return GH_SERVED_ANCHOR_CLIENTS;
    }
  if (gh_trust_link_get_role (top) != GH_TRUST_LINK_ANCHOR)
    return GH_SERVED_ANCHOR_INCOMPLETE;
  return in_truststore (root, truststore_anchors) ? GH_SERVED_ANCHOR_TRUSTSTORE : GH_SERVED_ANCHOR_SYSTEM;
}

const char *
gh_served_anchor_to_string (GhServedAnchor anchor)
{
  switch (anchor)
    {
    case GH_SERVED_ANCHOR_SYSTEM:
      return "system";
    case GH_SERVED_ANCHOR_TRUSTSTORE:
      return "truststore";
    case GH_SERVED_ANCHOR_CLIENTS:
      return "clients";
    case GH_SERVED_ANCHOR_INCOMPLETE:
    default:
      return "incomplete";
    }
}
