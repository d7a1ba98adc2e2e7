/* fuzz-admin-request.c — the admin API's requests on arbitrary bytes
 *
 * Every JSON body gatehoused accepts goes through gh_admin_body_parse() and then one
 * endpoint's reader; this runs both on each input, for every endpoint. The first byte
 * picks nothing: all readers see the same object, as a hostile client could send any
 * body to any endpoint. What is accepted must hold what the reader promises.
 *
 * The same bytes are also a request head (gh_admin_request_head_check: its size, its
 * fields, Content-Length, Transfer-Encoding), the values of Content-Type and If-Match,
 * and a connection's input through the guard in front of libsoup
 * (GhAdminGuardStream), read in chunks of sizes the input picks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "gh-admin-guard-stream.h"
#include "gh-admin-request.h"

#define MAX_BODY (4 * 1024 * 1024)

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

static void
check_head (const char *data,
            gsize       size)
{
  g_auto(GhAdminRequestHead) head = { 0, };
  g_autoptr(GError) error = NULL;
  gssize end = gh_admin_request_head_end (data, size);
  const char *problem = NULL;

  if (end >= 0)
    {
      g_assert (end >= 2 && (gsize) end <= size && data[end - 1] == '\n');
      g_assert (data[end - 2] == '\n' || (end >= 3 && data[end - 2] == '\r' && data[end - 3] == '\n'));
      g_assert (gh_admin_request_head_end (data, end - 1) == -1 || gh_admin_request_head_end (data, end) <= end);
    }

  if (gh_admin_request_head_check (data, size, MAX_BODY, &head, &error))
    {
      g_assert_no_error (error);
      g_assert (size <= GH_ADMIN_MAX_HEAD_BYTES);
      g_assert (head.method != NULL && head.path != NULL);
      g_assert (head.content_length >= 0 && head.content_length <= MAX_BODY);
    }
  else
    {
      guint status;

      g_assert (error != NULL && error->domain == GH_ADMIN_REQUEST_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      status = gh_admin_request_error_status (error, &problem);
      g_assert (status >= 400 && status < 500 && problem != NULL);
      g_assert (size <= GH_ADMIN_MAX_HEAD_BYTES || error->code == GH_ADMIN_REQUEST_ERROR_HEADERS_TOO_LARGE);
    }
  g_assert (head.method == NULL || g_utf8_validate (head.method, -1, NULL));
  g_assert (head.path == NULL || g_utf8_validate (head.path, -1, NULL));
}

static void
check_header_values (const char *data,
                     gsize       size)
{
  g_autofree char *text = g_strndup (data, size);
  goffset length = -1;

  if (gh_admin_parse_content_length (text, &length))
    {
      g_autofree char *again = g_strdup_printf ("%" G_GOFFSET_FORMAT, length);
      const char *digits = text;

      while (digits[0] == '0' && digits[1] != '\0')
        digits++;
      g_assert (length >= 0 && g_str_equal (again, digits));
    }

  if (gh_admin_media_type_is_json (text))
    {
      const char *p = text;

      while (*p == ' ' || *p == '\t')
        p++;
      g_assert (g_ascii_strncasecmp (p, "application/json", strlen ("application/json")) == 0);
    }

  switch (gh_admin_if_match_evaluate (text, "\"v1\""))
    {
    case GH_ADMIN_IF_MATCH_MATCHES:
      g_assert (strstr (text, "\"v1\"") != NULL || g_str_equal (g_strstrip (text), "*"));
      break;
    case GH_ADMIN_IF_MATCH_FAILS:
      g_assert (strchr (text, '"') != NULL);
      break;
    case GH_ADMIN_IF_MATCH_MALFORMED:
      break;
    }
}

typedef struct {
  guint refusals;
} Refused;

static GBytes *
refuse (GhAdminGuardStream       *stream,
        const GhAdminRequestHead *head,
        const GError             *error,
        gpointer                  user_data)
{
  Refused *refused = user_data;
  const char *problem;
  guint status = gh_admin_request_error_status (error, &problem);

  refused->refusals++;
  return gh_admin_guard_response_new (status, problem, "text/plain", problem, strlen (problem));
}

/* The input as a connection's bytes through the guard: what passes is a prefix of
 * the input, and a refusal is answered once and ends the input. */
static void
check_guard (const guint8 *data,
             gsize         size)
{
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GIOStream) base = g_simple_io_stream_new (input, output);
  Refused refused = { 0 };
  g_autoptr(GhAdminGuardStream) guard = gh_admin_guard_stream_new (base, MAX_BODY, "/api/v1/events",
                                                                   refuse, &refused, NULL);
  GPollableInputStream *guarded = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (G_IO_STREAM (guard)));
  g_autofree guint8 *buffer = g_malloc (size + 1);
  gsize passed = 0;

  for (guint round = 0;; round++)
    {
      gsize chunk = 1 + (size > 0 ? data[round % size] : 0) * 37;
      g_autoptr(GError) error = NULL;
      gssize n;

      g_assert (g_pollable_input_stream_is_readable (guarded));
      n = g_pollable_input_stream_read_nonblocking (guarded, buffer + passed, MIN (chunk, size + 1 - passed),
                                                    NULL, &error);
      g_assert_no_error (error);
      g_assert (n >= 0);
      if (n == 0)
        break;
      g_assert (memcmp (buffer + passed, data + passed, n) == 0);
      passed += n;
    }

  g_assert (passed <= size);
  g_assert (refused.refusals <= 1);
  g_assert (g_io_stream_close (G_IO_STREAM (guard), NULL, NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (refused.refusals == 1)
    g_assert (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (output)) > 0);
  else
    g_assert (passed == size);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char * const *member_lists[] = {
    gh_admin_upload_members, gh_admin_csr_members, gh_admin_reply_members,
    gh_admin_trust_members, gh_admin_rollback_members, NULL,
  };

  check_head ((const char *) data, size);
  check_header_values ((const char *) data, size);
  check_guard (data, size);

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
