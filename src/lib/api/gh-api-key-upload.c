/* gh-api-key-upload.c — an imported entry, as the admin API takes it
 *
 * GhImport reads every format (PEM, DER, PKCS#7, PKCS#8, PKCS#12) into keystore
 * entries; the gateway takes a key entry as PKCS#12 or as PEM. PEM is what every
 * entry can become without inventing a password, so the upload is the key as PKCS#8
 * and the chain after it, sent over the admin API's TLS and wiped from memory when
 * the bytes are freed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-key-upload"

#include "config.h"

#include <string.h>

#include "gh-api-key-upload.h"
#include "gh-private-key.h"

GhApiCertStore
gh_api_import_destination (GhKeystoreEntry *entry)
{
  g_return_val_if_fail (GH_IS_KEYSTORE_ENTRY (entry), GH_API_CERT_STORE_TRUSTSTORE);

  return gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY ? GH_API_CERT_STORE_KEYSTORE
                                                                     : GH_API_CERT_STORE_TRUSTSTORE;
}

static void
wipe_and_free (gpointer data)
{
  gh_secret_free (data);
}

GBytes *
gh_api_key_upload_pem (GhKeystoreEntry  *entry,
                       GError          **error)
{
  GPtrArray *chain;
  g_autoptr(GhSecret) key = NULL;
  GString *pem;
  char *text;
  gsize length;

  g_return_val_if_fail (GH_IS_KEYSTORE_ENTRY (entry), NULL);
  g_return_val_if_fail (gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY, NULL);

  key = gh_private_key_export_pkcs8_pem (gh_keystore_entry_get_private_key (entry), NULL, error);
  if (key == NULL)
    return NULL;

  /* Sized once, so that no copy of the key is left behind by a reallocation. */
  chain = gh_keystore_entry_get_chain (entry);
  pem = g_string_sized_new (strlen (key) + 2048 * (chain->len + 1));
  g_string_append (pem, key);
  for (guint i = 0; i < chain->len; i++)
    {
      g_autofree char *certificate = gh_certificate_to_pem (g_ptr_array_index (chain, i));

      if (pem->len + strlen (certificate) + 1 >= pem->allocated_len)
        {
          /* Would reallocate: wipe what is there first. */
          GString *bigger = g_string_sized_new ((pem->len + strlen (certificate)) * 2);

          g_string_append_len (bigger, pem->str, pem->len);
          memset (pem->str, 0, pem->len);
          g_string_free (pem, TRUE);
          pem = bigger;
        }
      g_string_append (pem, certificate);
    }

  length = pem->len;
  text = g_string_free (pem, FALSE);
  return g_bytes_new_with_free_func (text, length, wipe_and_free, text);
}

char *
gh_api_key_upload_chain_pem (GhKeystoreEntry *entry)
{
  GPtrArray *chain;
  GString *pem = g_string_new (NULL);

  g_return_val_if_fail (GH_IS_KEYSTORE_ENTRY (entry), NULL);

  chain = gh_keystore_entry_get_chain (entry);
  for (guint i = 0; i < chain->len; i++)
    {
      g_autofree char *certificate = gh_certificate_to_pem (g_ptr_array_index (chain, i));

      g_string_append (pem, certificate);
    }
  return g_string_free (pem, FALSE);
}
