/* fuzz-keystore-pem.c — gh_keystore_new_from_bytes() on arbitrary text with a fixed
 * password, as a PEM bundle: blocks of any kind, OpenSSL's "Bag Attributes" lines,
 * encrypted and plain keys. Every entry read is walked, then the keystore is written
 * again in memory.
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
  /* Text without a PEM marker goes to the PKCS#12 reader: fuzz-keystore-pkcs12's job. */
  if (g_strstr_len ((const char *) data, size, "-----BEGIN ") == NULL)
    return -1;

  fuzz_keystore (data, size, GH_KEYSTORE_LOAD_NONE);
  return 0;
}
