/* fuzz-admin-request.c — the admin API's request bodies on arbitrary bytes
 *
 * Every JSON body gatehoused accepts goes through gh_admin_body_parse() and then one
 * endpoint's reader; this runs both on each input, for every endpoint. The first byte
 * picks nothing: all readers see the same object, as a hostile client could send any
 * body to any endpoint. What is accepted must hold what the reader promises.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "gh-admin-request.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
check_upload (JsonObject *object)
{
  for (guint required = 0; required < 2; required++)
    {
      g_autoptr(GError) error = NULL;
      GhAdminUpload upload;

      if (gh_admin_parse_upload (object, required, &upload, &error))
        {
          g_assert_no_error (error);
          g_assert ((upload.pkcs12 == NULL) != (upload.pem == NULL));
          g_assert (!required || (upload.alias != NULL && *upload.alias != '\0'));
        }
      else
        {
          g_assert (error != NULL && g_utf8_validate (error->message, -1, NULL));
        }
    }
}

static void
check_csr (JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  const char *key_type = NULL, *subject = NULL;

  if (gh_admin_parse_csr (object, &key_type, &subject, &names, &error))
    {
      g_assert (subject != NULL && *subject != '\0');
      g_assert (names != NULL);
      for (guint i = 0; names[i] != NULL; i++)
        g_assert (names[i][0] != '\0');
    }
  else
    {
      g_assert (error != NULL && names == NULL);
    }
}

static void
check_others (JsonObject *object)
{
  g_autoptr(GError) reply_error = NULL;
  g_autoptr(GError) trust_error = NULL;
  g_autoptr(GError) rollback_error = NULL;
  const char *pem = NULL, *alias = NULL;
  gint64 version = 0;

  if (gh_admin_parse_reply (object, &pem, &reply_error))
    g_assert (pem != NULL && *pem != '\0');
  else
    g_assert (reply_error != NULL);

  if (gh_admin_parse_trust (object, &alias, &pem, &trust_error))
    g_assert (alias != NULL && pem != NULL);
  else
    g_assert (trust_error != NULL);

  if (gh_admin_parse_rollback (object, &version, &rollback_error))
    g_assert (version >= 1);
  else
    g_assert (rollback_error != NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char * const *member_lists[] = {
    gh_admin_upload_members, gh_admin_csr_members, gh_admin_reply_members,
    gh_admin_trust_members, gh_admin_rollback_members, NULL,
  };

  for (guint i = 0; i < G_N_ELEMENTS (member_lists); i++)
    {
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GError) error = NULL;
      JsonObject *object;

      object = gh_admin_body_parse ("application/json", (const char *) data, size, member_lists[i], &root, &error);
      if (object == NULL)
        {
          g_assert (root == NULL);
          g_assert (error != NULL && error->domain == GH_ADMIN_BODY_ERROR);
          g_assert (g_utf8_validate (error->message, -1, NULL));
          continue;
        }

      g_assert_no_error (error);
      check_upload (object);
      check_csr (object);
      check_others (object);
    }

  /* Anything not application/json is refused before it is read. */
  {
    g_autoptr(JsonNode) root = NULL;
    g_autoptr(GError) error = NULL;

    g_assert (gh_admin_body_parse ("text/plain", (const char *) data, size, NULL, &root, &error) == NULL);
    g_assert_error (error, GH_ADMIN_BODY_ERROR, GH_ADMIN_BODY_ERROR_MEDIA_TYPE);
  }

  return 0;
}
