/* gh-keystore-crls.c — the revocation lists a truststore keeps beside its certificates
 *
 * Kept apart from gh-keystore.c: a CRL is no entry (no alias, not in the list model),
 * it only rides along in the store's file, so the store holds them in one array that
 * the PEM backend fills when it reads "X509 CRL" blocks and writes back after the
 * entries. The gateway reads them from its truststore for GnuTLS and GhTrustChain.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-keystore"

#include "config.h"

#include "gh-keystore-crls.h"
#include "gh-keystore-private.h"

GPtrArray *
gh_keystore_get_crls (GhKeystore *self)
{
  g_return_val_if_fail (GH_IS_KEYSTORE (self), NULL);

  if (self->crls == NULL)
    self->crls = g_ptr_array_new_with_free_func (g_object_unref);
  return self->crls;
}

void
gh_keystore_set_crls (GhKeystore *self,
                      GPtrArray  *crls)
{
  GPtrArray *own;

  g_return_if_fail (GH_IS_KEYSTORE (self));

  own = gh_keystore_get_crls (self);
  if (own == crls)
    return;
  g_ptr_array_set_size (own, 0);
  for (guint i = 0; crls != NULL && i < crls->len; i++)
    g_ptr_array_add (own, g_object_ref (g_ptr_array_index (crls, i)));
}

GhCrl *
gh_keystore_lookup_crl (GhKeystore *self,
                        const char *id)
{
  GPtrArray *crls;

  g_return_val_if_fail (GH_IS_KEYSTORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  crls = gh_keystore_get_crls (self);
  for (guint i = 0; i < crls->len; i++)
    if (g_ascii_strcasecmp (gh_crl_get_sha256_fingerprint (g_ptr_array_index (crls, i)), id) == 0)
      return g_ptr_array_index (crls, i);
  return NULL;
}

void
_gh_keystore_append_crls_pem (GString   *text,
                              GPtrArray *crls)
{
  for (guint i = 0; crls != NULL && i < crls->len; i++)
    {
      g_autofree char *pem = gh_crl_to_pem (g_ptr_array_index (crls, i));

      if (pem != NULL)
        g_string_append (text, pem);
    }
}
