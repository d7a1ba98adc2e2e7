/* fuzz-crl.c — gh_crl_new_from_der() and gh_crl_list_from_pem() on arbitrary bytes:
 * the revocation lists an admin uploads (POST /truststore/crls) and the truststore file
 * carries. Every list read is taken apart with every getter, its JSON and its PEM, and
 * checked against a certificate as its issuer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "fuzz-common.h"
#include "gh-crl.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
touch_crl (GhCrl *crl)
{
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *json_text = NULL;
  g_autofree char *pem = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_auto(GStrv) serials = NULL;

  g_assert (gh_crl_get_der (crl) != NULL);
  (void) gh_crl_get_sha256_fingerprint (crl);
  (void) gh_crl_get_issuer (crl);
  g_assert (gh_crl_get_this_update (crl) != NULL);
  (void) gh_crl_get_next_update (crl);
  serials = gh_crl_dup_revoked_serials (crl);
  g_assert (serials != NULL && g_strv_length (serials) <= gh_crl_get_n_revoked (crl));

  json = gh_crl_to_json (crl);
  g_assert (json != NULL && JSON_NODE_HOLDS_OBJECT (json));
  json_text = json_to_string (json, FALSE);
  g_assert (json_text != NULL);

  /* What is written back reads back as the same list. */
  pem = gh_crl_to_pem (crl);
  g_assert (pem != NULL);
  again = gh_crl_list_from_pem (pem, -1, NULL);
  g_assert (again != NULL && again->len == 1);
  g_assert (g_strcmp0 (gh_crl_get_sha256_fingerprint (g_ptr_array_index (again, 0)),
                       gh_crl_get_sha256_fingerprint (crl)) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = fuzz_bytes (data, size);
  g_autoptr(GhCrl) crl = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;

  crl = gh_crl_new_from_der (bytes, &error);
  if (crl != NULL)
    touch_crl (crl);
  else
    g_assert (error != NULL && error->message != NULL);
  g_clear_error (&error);

  /* Not nul-terminated: the length says where the text ends. */
  list = gh_crl_list_from_pem (size > 0 ? (const char *) data : "", size, &error);
  if (list == NULL)
    {
      g_assert (error != NULL && error->message != NULL);
      return 0;
    }
  g_assert (list->len > 0);
  certificates = gh_certificate_list_from_pem ((const char *) data, size, NULL);
  for (guint i = 0; i < list->len; i++)
    {
      touch_crl (g_ptr_array_index (list, i));
      for (guint j = 0; certificates != NULL && j < certificates->len; j++)
        (void) gh_crl_is_issued_by (g_ptr_array_index (list, i), g_ptr_array_index (certificates, j));
    }

  return 0;
}
