/* gh-api-cert-usage.h — which parts of a gateway use which certificate entry: the
 * accepts that serve a key entry (GET /services/{name}/tls), the admin listener and the
 * back-end client certificates the configuration names, and the chains a truststore
 * certificate anchors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-api-cert-entry.h"
#include "gh-api-service-tls.h"
#include "gh-gateway-config.h"

G_BEGIN_DECLS

#define GH_TYPE_API_CERT_USAGE (gh_api_cert_usage_get_type ())

G_DECLARE_FINAL_TYPE (GhApiCertUsage, gh_api_cert_usage, GH, API_CERT_USAGE, GObject)

GhApiCertUsage *gh_api_cert_usage_new             (void);
/* The admin listener's certificate and each service's client certificate toward
 * its back-end. */
void            gh_api_cert_usage_add_config      (GhApiCertUsage  *self,
                                                   GhGatewayConfig *config);
/* Each accept's key entry, and the anchors of its chains (accepts and back-end). */
void            gh_api_cert_usage_add_service_tls (GhApiCertUsage  *self,
                                                   const char      *service,
                                                   GhApiServiceTls *tls);
/* What uses the entry @alias of @store, whose leaf is @certificate (nullable), in the
 * order added, each once. */
GStrv           gh_api_cert_usage_lookup          (GhApiCertUsage  *self,
                                                   GhApiCertStore   store,
                                                   const char      *alias,
                                                   GhCertificate   *certificate);

G_END_DECLS
