/* gh-api-csr.h — what a certificate request for a gateway should ask for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-gateway-config.h"

G_BEGIN_DECLS

/* The host names (and IP addresses) that the gateway's TLS accepts answer to, each once,
 * in the order of the configuration: the names a new certificate for it should hold. */
char       **gh_api_csr_suggest_names   (GhGatewayConfig    *config);
/* "CN=" and the first of @names, or "CN=" alone. */
char        *gh_api_csr_suggest_subject (const char * const *names);
/* @text as names, split at commas and white space, each once: what a person typed in
 * one field. */
char       **gh_api_csr_parse_names     (const char         *text);

G_END_DECLS
