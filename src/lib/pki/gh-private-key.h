/* gh-private-key.h — a private key: generated, imported, never shown
 *
 * A private key leaves this object only encrypted (PKCS#8 with a password, or inside
 * a PKCS#12), or as the plain PKCS#8 that a caller asks for by name. Nothing here
 * prints it, logs it or puts it in JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-certificate.h"

G_BEGIN_DECLS

#define GH_TYPE_PRIVATE_KEY (gh_private_key_get_type ())

G_DECLARE_FINAL_TYPE (GhPrivateKey, gh_private_key, GH, PRIVATE_KEY, GObject)

typedef enum {
  GH_KEY_TYPE_RSA_2048,
  GH_KEY_TYPE_RSA_3072,
  GH_KEY_TYPE_RSA_4096,
  GH_KEY_TYPE_ECDSA_P256,
  GH_KEY_TYPE_ECDSA_P384,
  GH_KEY_TYPE_ED25519,
} GhKeyType;

gboolean      gh_key_type_from_string            (const char          *name,
                                                  GhKeyType           *type);
const char   *gh_key_type_to_string              (GhKeyType            type);

GhPrivateKey *gh_private_key_generate            (GhKeyType            type,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
void          gh_private_key_generate_async      (GhKeyType            type,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GhPrivateKey *gh_private_key_generate_finish     (GAsyncResult        *result,
                                                  GError             **error);

/* DER or PEM; PKCS#8 (plain or encrypted with @password), PKCS#1 RSA, SEC1 EC. */
GhPrivateKey *gh_private_key_new_from_data       (GBytes              *data,
                                                  const char          *password,
                                                  GError             **error);

const char   *gh_private_key_get_algorithm       (GhPrivateKey        *self);
guint         gh_private_key_get_bits            (GhPrivateKey        *self);
const char   *gh_private_key_get_public_key_id   (GhPrivateKey        *self);
gboolean      gh_private_key_matches             (GhPrivateKey        *self,
                                                  GhCertificate       *certificate);

/* Encrypted PKCS#8 PEM (PBES2 AES-256), or plain when @password is NULL. */
char         *gh_private_key_export_pkcs8_pem    (GhPrivateKey        *self,
                                                  const char          *password,
                                                  GError             **error);

typedef enum {
  GH_CERTIFICATE_ROLE_SERVER = 1 << 0,  /* extended key usage TLS server */
  GH_CERTIFICATE_ROLE_CLIENT = 1 << 1,  /* extended key usage TLS client */
  GH_CERTIFICATE_ROLE_CA     = 1 << 2,  /* CA:TRUE, keyCertSign and cRLSign */
} GhCertificateRole;

GhCertificate *gh_private_key_issue_certificate  (GhPrivateKey        *self,
                                                  GhCertificate       *issuer,
                                                  GhPrivateKey        *subject_key,
                                                  const char          *subject,
                                                  const char * const  *sans,
                                                  guint                days,
                                                  GhCertificateRole    roles,
                                                  GError             **error);
GhCertificate *gh_private_key_create_self_signed (GhPrivateKey        *self,
                                                  const char          *subject,
                                                  const char * const  *sans,
                                                  guint                days,
                                                  GError             **error);
char         *gh_private_key_create_csr          (GhPrivateKey        *self,
                                                  const char          *subject,
                                                  const char * const  *sans,
                                                  GError             **error);

/* Wipes and frees a password or other secret string. */
typedef char GhSecret;
void          gh_secret_free                     (GhSecret            *secret);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhSecret, gh_secret_free)

G_END_DECLS
