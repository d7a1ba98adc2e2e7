/* fuzz-import.c — gh_import_new_from_bytes() on arbitrary bytes with a fixed password:
 * format detection and every reader behind it (PEM, DER, PKCS#7, PKCS#8, PKCS#12).
 * Every import read is walked and committed to an empty keystore.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"
#include "gh-import.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = fuzz_bytes (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhImport) import = gh_import_new_from_bytes (bytes, FUZZ_PASSWORD, &error);
  g_autoptr(GhKeystore) keystore = NULL;
  const char * const *notes;
  GPtrArray *certificates, *keys;
  GListModel *entries;

  if (import == NULL)
    {
      g_assert (error != NULL && error->message != NULL);
      return 0;
    }

  (void) gh_import_get_format (import);
  g_assert (gh_import_get_format_name (import) != NULL);
  certificates = gh_import_get_certificates (import);
  keys = gh_import_get_private_keys (import);
  entries = gh_import_get_entries (import);
  notes = gh_import_get_notes (import);

  for (guint i = 0; certificates != NULL && i < certificates->len; i++)
    (void) gh_certificate_get_sha256_fingerprint (g_ptr_array_index (certificates, i));
  for (guint i = 0; keys != NULL && i < keys->len; i++)
    (void) gh_private_key_get_public_key_id (g_ptr_array_index (keys, i));
  for (guint i = 0; entries != NULL && i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (entries, i);

      g_assert (gh_keystore_alias_is_valid (gh_keystore_entry_get_alias (entry)));
    }
  for (guint i = 0; notes != NULL && notes[i] != NULL; i++)
    g_assert (g_utf8_validate (notes[i], -1, NULL));

  keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  (void) gh_import_find_reply_target (import, keystore);
  if (!gh_import_commit (import, keystore, NULL, &error))
    {
      g_assert (error != NULL);
      g_assert (g_list_model_get_n_items (G_LIST_MODEL (keystore)) == 0);
    }

  return 0;
}
