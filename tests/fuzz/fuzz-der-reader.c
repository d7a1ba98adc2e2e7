/* fuzz-der-reader.c — the certificate walker (gh-der-reader.c) against GnuTLS on
 * arbitrary bytes: the walker never reads what GnuTLS refuses, and where both read
 * a certificate every field a list shows is the same (tests/fuzz/der-compare.h).
 * Whatever the walker takes, its slices stay inside the input (ASan).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"
#include "der-compare.h"

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
  g_autofree char *difference = NULL;
  /* A copy of exactly @size bytes: ASan sees any read past the end. */
  g_autofree guchar *copy = g_memdup2 (data, size);

  if (size == 0 || size > 65536)
    return 0;

  der_compare (copy, size, &difference);
  if (difference != NULL)
    {
      g_printerr ("fuzz-der-reader: %s\n", difference);
      abort ();
    }
  return 0;
}
