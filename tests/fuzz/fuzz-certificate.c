/* fuzz-certificate.c — gh_certificate_new_from_der() and gh_certificate_list_from_pem()
 * on arbitrary bytes; every certificate read is taken apart with every getter, its
 * JSON form and its PEM form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "fuzz-common.h"
#include "gh-certificate.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
touch_strv (const char * const *values)
{
  g_assert (values != NULL);
  for (guint i = 0; values[i] != NULL; i++)
    g_assert (strlen (values[i]) < G_MAXSIZE);
}

static void
touch_certificate (GhCertificate *certificate,
                   GhCertificate *previous)
{
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *json_text = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *cn = NULL;
  g_autofree char *issuer_cn = NULL;
  g_autofree char *oid_field = NULL;
  g_autofree char *not_before = NULL;
  g_autofree char *not_after = NULL;
  GBytes *der;

  g_assert (gh_certificate_get_subject (certificate) != NULL);
  g_assert (gh_certificate_get_issuer (certificate) != NULL);
  g_assert (gh_certificate_get_display_name (certificate) != NULL);
  g_assert (gh_certificate_get_serial (certificate) != NULL);
  (void) gh_certificate_get_version (certificate);
  not_before = g_date_time_format_iso8601 (gh_certificate_get_not_before (certificate));
  not_after = g_date_time_format_iso8601 (gh_certificate_get_not_after (certificate));
  touch_strv (gh_certificate_get_dns_names (certificate));
  touch_strv (gh_certificate_get_ip_addresses (certificate));
  touch_strv (gh_certificate_get_emails (certificate));
  g_assert (gh_certificate_get_key_algorithm (certificate) != NULL);
  (void) gh_certificate_get_key_bits (certificate);
  g_assert (gh_certificate_get_signature_algorithm (certificate) != NULL);
  (void) gh_certificate_has_weak_signature (certificate);
  g_assert (gh_certificate_get_sha256_fingerprint (certificate) != NULL);
  g_assert (gh_certificate_get_sha1_fingerprint (certificate) != NULL);
  g_assert (gh_certificate_get_public_key_id (certificate) != NULL);
  (void) gh_certificate_get_key_usage (certificate);
  (void) gh_certificate_has_key_usage (certificate);
  touch_strv (gh_certificate_get_extended_key_usage (certificate));
  (void) gh_certificate_is_ca (certificate);
  (void) gh_certificate_get_path_length (certificate);
  (void) gh_certificate_get_subject_key_id (certificate);
  (void) gh_certificate_get_authority_key_id (certificate);
  (void) gh_certificate_is_self_issued (certificate);
  (void) gh_certificate_is_self_signed (certificate);
  (void) gh_certificate_matches_host (certificate, "gateway.example.com");
  (void) gh_certificate_matches_host (certificate, "127.0.0.1");
  g_assert (gh_certificate_equal (certificate, certificate));

  cn = gh_certificate_get_subject_field (certificate, "CN");
  issuer_cn = gh_certificate_get_issuer_field (certificate, "cn");
  oid_field = gh_certificate_get_subject_field (certificate, "2.5.4.10");

  der = gh_certificate_get_der (certificate);
  g_assert (der != NULL);
  pem = gh_certificate_to_pem (certificate);

  json = gh_certificate_to_json (certificate);
  g_assert (json != NULL && JSON_NODE_HOLDS_OBJECT (json));
  json_text = json_to_string (json, FALSE);
  g_assert (json_text != NULL);

  if (previous != NULL)
    {
      (void) gh_certificate_is_issued_by (previous, certificate);
      (void) gh_certificate_is_issued_by (certificate, previous);
      (void) gh_certificate_equal (certificate, previous);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = fuzz_bytes (data, size);
  g_autoptr(GhCertificate) certificate = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  certificate = gh_certificate_new_from_der (bytes, &error);
  if (certificate != NULL)
    touch_certificate (certificate, NULL);
  else
    g_assert (error != NULL && error->message != NULL);
  g_clear_error (&error);

  /* Not nul-terminated: the length says where the text ends. */
  list = gh_certificate_list_from_pem (size > 0 ? (const char *) data : "", size, &error);
  if (list != NULL)
    {
      g_assert (list->len > 0);
      for (guint i = 0; i < list->len; i++)
        touch_certificate (g_ptr_array_index (list, i), i > 0 ? g_ptr_array_index (list, i - 1) : NULL);
    }
  else
    {
      g_assert (error != NULL && error->message != NULL);
    }

  return 0;
}
