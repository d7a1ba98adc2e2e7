/* fuzz-keystore-pkcs12.c — gh_keystore_new_from_bytes() on arbitrary bytes with a
 * fixed password, as a PKCS#12 keystore (inputs that look like PEM are left to
 * fuzz-keystore-pem). Keystores without a MAC are allowed, so that mutations past the
 * integrity check reach the bags. Every entry read is walked, then the keystore is
 * written again in memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"
#include "fuzz-keystore.h"

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
  if (g_strstr_len ((const char *) data, size, "-----BEGIN ") != NULL)
    return -1; /* not worth keeping in this corpus */

  fuzz_keystore (data, size, GH_KEYSTORE_LOAD_ALLOW_NO_MAC);
  return 0;
}
