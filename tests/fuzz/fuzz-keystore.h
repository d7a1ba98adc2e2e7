/* fuzz-keystore.h — what the two keystore fuzz targets do with a keystore they read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fuzz-common.h"
#include "gh-keystore.h"

static inline void
fuzz_keystore (const uint8_t       *data,
               size_t               size,
               GhKeystoreLoadFlags  flags)
{
  g_autoptr(GBytes) bytes = fuzz_bytes (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeystore) keystore = gh_keystore_new_from_bytes (bytes, FUZZ_PASSWORD, flags, &error);
  g_autoptr(GPtrArray) trusted = NULL;
  guint n_items;

  if (keystore == NULL)
    {
      g_assert (error != NULL && error->message != NULL);
      return;
    }

  n_items = g_list_model_get_n_items (G_LIST_MODEL (keystore));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (keystore), i);
      const char *alias = gh_keystore_entry_get_alias (entry);
      GhCertificate *certificate = gh_keystore_entry_get_certificate (entry);
      GPtrArray *chain = gh_keystore_entry_get_chain (entry);

      /* Every alias the loader makes is valid and unique. */
      g_assert (gh_keystore_alias_is_valid (alias));
      g_assert (gh_keystore_lookup (keystore, alias) == entry);
      g_assert (chain != NULL && chain->len > 0);
      g_assert (gh_certificate_equal (g_ptr_array_index (chain, 0), certificate));
      (void) gh_certificate_get_sha256_fingerprint (certificate);
      if (gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY)
        {
          g_autoptr(GError) key_error = NULL;
          g_autoptr(GhPrivateKey) key = gh_keystore_entry_load_private_key (entry, &key_error);

          /* A PKCS#12 key stays encrypted until asked for: then it opens and belongs
           * to its certificate, or says why not. */
          g_assert ((key != NULL) != (key_error != NULL));
          if (key != NULL)
            {
              g_assert (gh_private_key_matches (key, certificate));
              g_assert (gh_keystore_find_key_for (keystore, certificate) != NULL);
            }
        }
      else
        {
          g_assert (gh_keystore_entry_get_private_key (entry) == NULL);
        }
    }
  g_assert (g_list_model_get_item (G_LIST_MODEL (keystore), n_items) == NULL);

  trusted = gh_keystore_get_trusted_certificates (keystore);
  g_assert (trusted->len <= n_items);

  /* Writing it again is cheap as PEM without keys, and as PKCS#12 it would cost
   * 600,000 PBKDF2 rounds per key: only keystores without keys are written. */
  if (trusted->len == n_items)
    {
      g_autoptr(GBytes) again = NULL;
      g_autoptr(GhKeystore) reread = NULL;

      gh_keystore_set_format (keystore, GH_KEYSTORE_FORMAT_PEM);
      again = gh_keystore_serialize (keystore, NULL, &error);
      g_assert_no_error (error);
      reread = gh_keystore_new_from_bytes (again, NULL, GH_KEYSTORE_LOAD_NONE, &error);
      if (n_items > 0)
        {
          g_assert_no_error (error);
          g_assert (g_list_model_get_n_items (G_LIST_MODEL (reread)) == n_items);
        }
    }
}
