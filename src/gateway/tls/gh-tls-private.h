/* gh-tls-private.h — what the TLS files of the gateway share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>

G_BEGIN_DECLS

int _gh_tls_stream_retrieve_server_certificate (gnutls_session_t                  session,
                                                const struct gnutls_cert_retr_st *info,
                                                gnutls_pcert_st                 **certs,
                                                unsigned int                     *n_certs,
                                                gnutls_ocsp_data_st             **ocsp,
                                                unsigned int                     *n_ocsp,
                                                gnutls_privkey_t                 *privkey,
                                                unsigned int                     *flags);

G_END_DECLS
