/* gh-served-chain.h — judging the chain a gateway serves its clients, whose trust is
 * the clients' own and not the gateway's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-trust-chain.h"

G_BEGIN_DECLS

typedef enum {
  GH_SERVED_ANCHOR_SYSTEM,      /* a root the system trusts: what clients with a current trust store accept */
  GH_SERVED_ANCHOR_TRUSTSTORE,  /* a root of the gateway's truststore: clients need it too */
  GH_SERVED_ANCHOR_CLIENTS,     /* a root neither knows, served or named: the clients decide */
  GH_SERVED_ANCHOR_INCOMPLETE,  /* the chain does not reach a root: no client can build the path */
} GhServedAnchor;

/* After @chain (a served chain, verified against @truststore_anchors and the system's
 * anchors) is verified: where its trust comes from. When neither anchors it but it
 * reaches a root, whether to trust that root is the clients' decision, which the
 * gateway cannot see: its untrusted-root or self-signed finding becomes a warning
 * that says so (docs/design.md, "Whose trust a served chain needs"). */
GhServedAnchor gh_served_chain_judge          (GhTrustChain   *chain,
                                               GPtrArray      *truststore_anchors);
/* "system", "truststore", "clients", "incomplete" */
const char    *gh_served_anchor_to_string     (GhServedAnchor  anchor);

G_END_DECLS
