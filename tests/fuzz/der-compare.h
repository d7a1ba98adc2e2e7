/* der-compare.h — gh-der-reader.c's answers against GnuTLS's, field by field
 *
 * Shared by the unit test (tests/unit/test-der-reader.c, over certificates that real
 * tools made) and the fuzz target (tests/fuzz/fuzz-der-reader.c, over anything): the
 * same comparison, so that what the fuzzer checks is what the test shows working.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>

#include "gh-der-reader.h"
#include "gh-pki-private.h"

typedef enum {
  DER_COMPARE_REFUSED,      /* neither reads it */
  DER_COMPARE_GNUTLS_ONLY,  /* the walker leaves it to GnuTLS */
  DER_COMPARE_WALKED,       /* walked; the list's fields from GnuTLS */
  DER_COMPARE_LISTED,       /* walked, and every list field read from the DER */
} DerCompareResult;

static char *
der_compare_dates (GDateTime *a,
                   GDateTime *b)
{
  if (g_date_time_equal (a, b))
    return NULL;
  return g_strdup_printf ("%" G_GINT64_FORMAT " != %" G_GINT64_FORMAT,
                          g_date_time_to_unix (a), g_date_time_to_unix (b));
}

#define DER_COMPARE_STR(field) \
  if (g_strcmp0 (gh_certificate_get_##field (walked), gh_certificate_get_##field (gnutls)) != 0) \
    return g_strdup_printf (#field ": “%s” (walker) != “%s” (GnuTLS)", \
                            gh_certificate_get_##field (walked), gh_certificate_get_##field (gnutls))
#define DER_COMPARE_UINT(field) \
  if (gh_certificate_get_##field (walked) != gh_certificate_get_##field (gnutls)) \
    return g_strdup_printf (#field ": %u (walker) != %u (GnuTLS)", \
                            (guint) gh_certificate_get_##field (walked), (guint) gh_certificate_get_##field (gnutls))
#define DER_COMPARE_STRV(field) \
  if (!g_strv_equal (gh_certificate_get_##field (walked), gh_certificate_get_##field (gnutls))) \
    { \
      g_autofree char *a = g_strjoinv (",", (char **) gh_certificate_get_##field (walked)); \
      g_autofree char *b = g_strjoinv (",", (char **) gh_certificate_get_##field (gnutls)); \
      return g_strdup_printf (#field ": “%s” (walker) != “%s” (GnuTLS)", a, b); \
    }

/* NULL when the two agree on every field a list shows; else what differs. */
static char *
der_compare_certificates (GhCertificate *walked,
                          GhCertificate *gnutls)
{
  char *dates;

  DER_COMPARE_STR (subject);
  DER_COMPARE_STR (issuer);
  DER_COMPARE_STR (display_name);
  DER_COMPARE_STR (serial);
  DER_COMPARE_UINT (version);
  if ((dates = der_compare_dates (gh_certificate_get_not_before (walked), gh_certificate_get_not_before (gnutls))))
    return g_strconcat ("not_before: ", dates, NULL);
  if ((dates = der_compare_dates (gh_certificate_get_not_after (walked), gh_certificate_get_not_after (gnutls))))
    return g_strconcat ("not_after: ", dates, NULL);
  DER_COMPARE_STRV (dns_names);
  DER_COMPARE_STRV (ip_addresses);
  DER_COMPARE_STRV (emails);
  DER_COMPARE_STR (key_algorithm);
  DER_COMPARE_UINT (key_bits);
  DER_COMPARE_STR (signature_algorithm);
  DER_COMPARE_STR (sha256_fingerprint);
  DER_COMPARE_STR (public_key_id);
  if (gh_certificate_has_weak_signature (walked) != gh_certificate_has_weak_signature (gnutls))
    return g_strdup ("weak_signature differs");
  if (gh_certificate_is_self_issued (walked) != gh_certificate_is_self_issued (gnutls))
    return g_strdup ("self_issued differs");
  return NULL;
}

#undef DER_COMPARE_STR
#undef DER_COMPARE_UINT
#undef DER_COMPARE_STRV

/* Reads @data both ways; sets @difference (else NULL) when the two disagree, the
 * walker reading a certificate GnuTLS refuses included. */
static DerCompareResult
der_compare (const guchar  *data,
             gsize          length,
             char         **difference)
{
  g_autoptr(GhCertificate) walked = NULL;
  g_autoptr(GhCertificate) gnutls = NULL;
  GhDerCertificate parts;
  GhDerListFields fields;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum = { (guchar *) data, (unsigned int) length };
  gboolean walker_reads, listed;
  int ret = 0;

  *difference = NULL;
  walker_reads = _gh_der_certificate_parse (data, length, &parts);
  if (gnutls_x509_crt_init (&crt) < 0 || gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) < 0)
    {
      g_clear_pointer (&crt, gnutls_x509_crt_deinit);
      if (walker_reads)
        *difference = g_strdup ("the walker reads a certificate GnuTLS refuses");
      return DER_COMPARE_REFUSED;
    }
  gnutls = _gh_certificate_new_imported (crt, data, length);
  if (!walker_reads)
    return DER_COMPARE_GNUTLS_ONLY;

  listed = _gh_der_certificate_list_fields (&parts, &fields);
  if (listed)
    _gh_der_list_fields_clear (&fields);

  walked = _gh_certificate_new_from_der_data (data, length, &ret);
  g_assert (walked != NULL);
  *difference = der_compare_certificates (walked, gnutls);
  if (*difference == NULL &&
      _gh_certificate_names_issuer (walked, walked) != _gh_certificate_names_issuer (gnutls, gnutls))
    *difference = g_strdup ("names_issuer (itself) differs");
  return listed ? DER_COMPARE_LISTED : DER_COMPARE_WALKED;
}
