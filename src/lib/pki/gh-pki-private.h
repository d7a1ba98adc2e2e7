/* gh-pki-private.h — what the files of src/lib/pki share, and nothing outside them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/abstract.h>
#include <gnutls/pkcs12.h>
#include <gnutls/pkcs7.h>
#include <gnutls/crypto.h>

#include "gh-pki-error.h"
#include "gh-certificate.h"
#include "gh-private-key.h"

G_BEGIN_DECLS

/* Takes ownership of @crt. */
GhCertificate       *_gh_certificate_new_take       (gnutls_x509_crt_t   crt);
/* Takes @crt, which GnuTLS imported from @data: kept as is, not parsed again. */
GhCertificate       *_gh_certificate_new_imported   (gnutls_x509_crt_t   crt,
                                                     const guchar       *data,
                                                     gsize               length);
gnutls_x509_crt_t    _gh_certificate_get_gnutls     (GhCertificate      *self);
/* A certificate of the DER at @data (copied): its list fields are read from the DER
 * and GnuTLS parses it when first needed. NULL with @gnutls_error when neither reads it. */
GhCertificate       *_gh_certificate_new_from_der_data (const guchar    *data,
                                                        gsize            length,
                                                        int             *gnutls_error);
/* Names and key ids make @issuer @self's issuer (no signature is checked). */
gboolean             _gh_certificate_names_issuer   (GhCertificate      *self,
                                                     GhCertificate      *issuer);

/* Takes ownership of @key. */
GhPrivateKey        *_gh_private_key_new_take       (gnutls_x509_privkey_t key);
gnutls_x509_privkey_t _gh_private_key_get_gnutls    (GhPrivateKey       *self);

/* Sets @error from a GnuTLS return code, with @what saying what was being done. */
gboolean             _gh_pki_set_gnutls_error       (GError            **error,
                                                     int                 code,
                                                     const char         *what);
char                *_gh_pki_hex                    (const guchar       *data,
                                                     gsize               length,
                                                     gboolean            colons);
gboolean             _gh_pki_check_input_size       (gsize               length,
                                                     GError            **error);
gboolean             _gh_pki_looks_like_pem         (const guchar       *data,
                                                     gsize               length);

/* One PEM block: its label ("CERTIFICATE"), the whole block with its BEGIN and END
 * lines, its number from 1, and the OpenSSL "Bag Attributes" before it, if any. */
typedef gboolean (*GhPemBlockFunc) (const char  *label,
                                    GBytes      *block,
                                    guint        number,
                                    const char  *friendly_name,
                                    const char  *local_key_id,
                                    gpointer     user_data,
                                    GError     **error);

/* Calls @func for each block of @text; fails on a block without its END line or when
 * @func fails. Returns the number of blocks in @n_blocks. */
gboolean             _gh_pem_foreach_block          (const char         *text,
                                                     gsize               length,
                                                     GhPemBlockFunc      func,
                                                     gpointer            user_data,
                                                     guint              *n_blocks,
                                                     GError            **error);

G_END_DECLS
