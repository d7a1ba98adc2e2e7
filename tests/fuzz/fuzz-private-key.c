/* fuzz-private-key.c — gh_private_key_new_from_data() on arbitrary bytes, without a
 * password and with one; every key read is taken apart and exported again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"
#include "gh-private-key.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
touch_key (GhPrivateKey *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhSecret) pem = NULL;

  g_assert (gh_private_key_get_algorithm (key) != NULL);
  (void) gh_private_key_get_bits (key);
  g_assert (gh_private_key_get_public_key_id (key) != NULL);

  /* Plain PKCS#8 costs no key derivation; the encrypted form would cost 600,000
   * PBKDF2 rounds per input. */
  pem = gh_private_key_export_pkcs8_pem (key, NULL, &error);
  g_assert (pem != NULL || error != NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = fuzz_bytes (data, size);

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GhPrivateKey) key = gh_private_key_new_from_data (bytes, attempt == 0 ? NULL : FUZZ_PASSWORD, &error);

      if (key != NULL)
        touch_key (key);
      else
        g_assert (error != NULL && error->message != NULL);
    }

  return 0;
}
