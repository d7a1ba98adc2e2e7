/* test-admin-request.c — the admin API's request heads and header values
 *
 * The pure parsers of gh-admin-request.c, and the guard in front of libsoup
 * (GhAdminGuardStream) on memory streams: what passes, what is refused, and where.
 * tests/integration/test_abuse_http.py checks the same against the real daemon.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gh-admin-guard-stream.h"
#include "gh-admin-request.h"

#define MAX_BODY (4 * 1024 * 1024)

static void
test_content_length (void)
{
  const char *refused[] = { "", "-1", "-0", "+5", " 5", "5 ", "5, 5", "5,6", "0x10", "abc", "5abc",
                            "9223372036854775808", "18446744073709551615", "18446744073709551617",
                            "99999999999999999999999999", NULL };
  goffset length = -1;

  g_assert_true (gh_admin_parse_content_length ("0", &length));
  g_assert_cmpint (length, ==, 0);
  g_assert_true (gh_admin_parse_content_length ("0042", &length));
  g_assert_cmpint (length, ==, 42);
  g_assert_true (gh_admin_parse_content_length ("9223372036854775807", &length));
  g_assert_cmpint (length, ==, G_MAXINT64);

  for (guint i = 0; refused[i] != NULL; i++)
    {
      length = -1;
      g_assert_false (gh_admin_parse_content_length (refused[i], &length));
      g_assert_cmpint (length, ==, -1);
    }
}

static void
test_media_type (void)
{
  const char *json[] = { "application/json", "Application/JSON", "application/json; charset=utf-8",
                         "application/json;charset=UTF-8", "application/json; charset=\"utf-8\"",
                         " application/json ;  charset=Utf-8 ", "application/json;", "application/json; ;charset=utf-8",
                         NULL };
  const char *other[] = { "", "application/json; charset=iso-8859-1", "application/json; charset=utf-16",
                          "application/json; charset=\"latin1\"", "application/json; charset=",
                          "application/json; foo=bar", "application/json; charset=utf-8; charset=latin1",
                          "application/jsonx", "application/json, text/plain", "text/json", "application /json",
                          "application/json; charset=utf-8 x", "application/json; charset=\"utf-8", NULL };

  g_assert_false (gh_admin_media_type_is_json (NULL));
  for (guint i = 0; json[i] != NULL; i++)
    g_assert_true (gh_admin_media_type_is_json (json[i]));
  for (guint i = 0; other[i] != NULL; i++)
    g_assert_false (gh_admin_media_type_is_json (other[i]));
}

static void
test_if_match (void)
{
  const char *etag = "\"v3\"";

  g_assert_cmpint (gh_admin_if_match_evaluate ("*", etag), ==, GH_ADMIN_IF_MATCH_MATCHES);
  g_assert_cmpint (gh_admin_if_match_evaluate (" * ", etag), ==, GH_ADMIN_IF_MATCH_MATCHES);
  g_assert_cmpint (gh_admin_if_match_evaluate ("\"v3\"", etag), ==, GH_ADMIN_IF_MATCH_MATCHES);
  g_assert_cmpint (gh_admin_if_match_evaluate ("\"v1\", \"v3\"", etag), ==, GH_ADMIN_IF_MATCH_MATCHES);
  g_assert_cmpint (gh_admin_if_match_evaluate ("\"v1\",,\"v3\" ,", etag), ==, GH_ADMIN_IF_MATCH_MATCHES);
  g_assert_cmpint (gh_admin_if_match_evaluate ("\"v1\"", etag), ==, GH_ADMIN_IF_MATCH_FAILS);
  g_assert_cmpint (gh_admin_if_match_evaluate ("W/\"v3\"", etag), ==, GH_ADMIN_IF_MATCH_FAILS);
  g_assert_cmpint (gh_admin_if_match_evaluate ("\"v2\", W/\"v3\"", etag), ==, GH_ADMIN_IF_MATCH_FAILS);
  g_assert_cmpint (gh_admin_if_match_evaluate ("\"v33\"", etag), ==, GH_ADMIN_IF_MATCH_FAILS);

  /* "*" only alone; entity-tags only; at least one. */
  g_assert_cmpint (gh_admin_if_match_evaluate ("\"v1\", *", etag), ==, GH_ADMIN_IF_MATCH_MALFORMED);
  g_assert_cmpint (gh_admin_if_match_evaluate ("*, \"v3\"", etag), ==, GH_ADMIN_IF_MATCH_MALFORMED);
  g_assert_cmpint (gh_admin_if_match_evaluate (", *", etag), ==, GH_ADMIN_IF_MATCH_MALFORMED);
  g_assert_cmpint (gh_admin_if_match_evaluate ("**", etag), ==, GH_ADMIN_IF_MATCH_MALFORMED);
  g_assert_cmpint (gh_admin_if_match_evaluate ("v3", etag), ==, GH_ADMIN_IF_MATCH_MALFORMED);
  g_assert_cmpint (gh_admin_if_match_evaluate ("\"v3", etag), ==, GH_ADMIN_IF_MATCH_MALFORMED);
  g_assert_cmpint (gh_admin_if_match_evaluate ("\"v3\" \"v1\"", etag), ==, GH_ADMIN_IF_MATCH_MALFORMED);
  g_assert_cmpint (gh_admin_if_match_evaluate ("", etag), ==, GH_ADMIN_IF_MATCH_MALFORMED);
  g_assert_cmpint (gh_admin_if_match_evaluate (" , ", etag), ==, GH_ADMIN_IF_MATCH_MALFORMED);
  g_assert_cmpint (gh_admin_if_match_evaluate (NULL, etag), ==, GH_ADMIN_IF_MATCH_MALFORMED);
}

static void
assert_head (const char *text,
             int         code,        /* -1: accepted */
             goffset     content_length)
{
  g_auto(GhAdminRequestHead) head = { 0, };
  g_autoptr(GError) error = NULL;
  gboolean ok = gh_admin_request_head_check (text, strlen (text), MAX_BODY, &head, &error);

  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpint (head.content_length, ==, content_length);
    }
  else
    {
      g_assert_error (error, GH_ADMIN_REQUEST_ERROR, code);
      g_assert_false (ok);
    }
}

static void
test_head (void)
{
  g_autoptr(GString) big = g_string_new ("GET /api/v1/info HTTP/1.1\r\nHost: x\r\n");
  g_autoptr(GString) many = g_string_new ("GET /api/v1/info HTTP/1.1\r\nHost: x\r\n");
  const char *problem;

  assert_head ("GET /api/v1/info HTTP/1.1\r\nHost: x\r\n\r\n", -1, 0);
  assert_head ("PUT /api/v1/config HTTP/1.1\nHost: x\nContent-Length: 13\n\n", -1, 13);
  assert_head ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4194304\r\n\r\n", -1, MAX_BODY);
  assert_head ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4194305\r\n\r\n", GH_ADMIN_REQUEST_ERROR_BODY_TOO_LARGE, 0);
  assert_head ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", GH_ADMIN_REQUEST_ERROR_MALFORMED, 0);
  assert_head ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n",
               GH_ADMIN_REQUEST_ERROR_MALFORMED, 0);
  assert_head ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", GH_ADMIN_REQUEST_ERROR_LENGTH_REQUIRED, 0);
  assert_head ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
               GH_ADMIN_REQUEST_ERROR_MALFORMED, 0);
  assert_head ("GARBAGE\r\n\r\n", GH_ADMIN_REQUEST_ERROR_MALFORMED, 0);

  while (big->len <= GH_ADMIN_MAX_HEAD_BYTES)
    g_string_append (big, "X-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
  g_string_append (big, "\r\n");
  assert_head (big->str, GH_ADMIN_REQUEST_ERROR_HEADERS_TOO_LARGE, 0);

  for (guint i = 0; i < GH_ADMIN_MAX_HEAD_FIELDS - 1; i++)
    g_string_append_printf (many, "X-F%u: v\r\n", i);
  g_string_append (many, "\r\n");
  assert_head (many->str, -1, 0);
  g_string_insert (many, many->len - 2, "X-Last: v\r\n");
  assert_head (many->str, GH_ADMIN_REQUEST_ERROR_HEADERS_TOO_LARGE, 0);

  {
    g_autoptr(GError) error = g_error_new_literal (GH_ADMIN_REQUEST_ERROR, GH_ADMIN_REQUEST_ERROR_HEADERS_TOO_LARGE, "");

    g_assert_cmpuint (gh_admin_request_error_status (error, &problem), ==, 431);
    g_assert_cmpstr (problem, ==, "headers-too-large");
  }

  g_assert_cmpint (gh_admin_request_head_end ("GET / HTTP/1.1\r\nHost: x\r\n", 25), ==, -1);
  g_assert_cmpint (gh_admin_request_head_end ("GET / HTTP/1.1\r\nHost: x\r\n\r\nbody", 31), ==, 27);
  g_assert_cmpint (gh_admin_request_head_end ("GET / HTTP/1.1\nHost: x\n\nbody", 28), ==, 24);
}

/* The guard on memory streams */

static GBytes *
refuse (GhAdminGuardStream       *stream,
        const GhAdminRequestHead *head,
        const GError             *error,
        gpointer                  user_data)
{
  GString *refusals = user_data;
  const char *problem;
  guint status = gh_admin_request_error_status (error, &problem);

  g_string_append_printf (refusals, "%u %s %s;", status, head->method ? head->method : "?", head->path ? head->path : "?");
  return gh_admin_guard_response_new (status, "Refused", "text/plain", problem, strlen (problem));
}

/* What passes the guard of @input read in chunks of @chunk; the refusals in @refusals
 * and the bytes answered in @answered. */
static char *
guard_pass (const char  *input,
            gsize        chunk,
            GString     *refusals,
            char       **answered)
{
  gsize size = strlen (input);
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (input, size, NULL);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GIOStream) base = g_simple_io_stream_new (in, out);
  g_autoptr(GhAdminGuardStream) guard = gh_admin_guard_stream_new (base, MAX_BODY, "/api/v1/events", refuse,
                                                                   refusals, NULL);
  GInputStream *guarded = g_io_stream_get_input_stream (G_IO_STREAM (guard));
  g_autoptr(GString) passed = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  while ((n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (guarded), buffer,
                                                        MIN (chunk, sizeof buffer), NULL, NULL)) > 0)
    g_string_append_len (passed, buffer, n);
  g_assert_cmpint (n, ==, 0);
  g_assert_true (g_io_stream_close (G_IO_STREAM (guard), NULL, NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (g_output_stream_is_closed (out));
  *answered = g_strndup (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)) > 0
                         ? g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)) : "",
                         g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
  return g_string_free (g_steal_pointer (&passed), FALSE);
}

static void
test_guard (void)
{
  const char *good = "POST /api/v1/config/validate HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n"
                     "GET /x HTTP/1.1\r\n\r\n"  /* a body that looks like a head */
                     "\r\nGET /api/v1/info HTTP/1.1\r\nHost: x\r\n\r\n";
  const char *smuggled = "GET /api/v1/info HTTP/1.1\r\nHost: x\r\n\r\n"
                         "POST /api/v1/config HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}";
  const char *upgrade = "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n"
                        "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n";
  g_autoptr(GString) flood = g_string_new ("GET /api/v1/info HTTP/1.1\r\n");

  for (gsize chunk = 1; chunk <= 4096; chunk *= 8)
    {
      g_autoptr(GString) refusals = g_string_new (NULL);
      g_autofree char *answered = NULL;
      g_autofree char *passed = NULL;

      /* Everything passes: bodies are not heads, empty lines between requests. */
      passed = guard_pass (good, chunk, refusals, &answered);
      g_assert_cmpstr (passed, ==, good);
      g_assert_cmpstr (refusals->str, ==, "");
      g_assert_cmpstr (answered, ==, "");
      g_clear_pointer (&passed, g_free);
      g_clear_pointer (&answered, g_free);

      /* The first request passes whole, the second never whole; its answer is sent. */
      passed = guard_pass (smuggled, chunk, refusals, &answered);
      g_assert_true (g_str_has_prefix (smuggled, passed));
      g_assert_cmpuint (strlen (passed), >=, strstr (smuggled, "POST") - smuggled);
      g_assert_cmpuint (strlen (passed), <, strstr (smuggled, "{}") - smuggled);
      if (chunk >= strlen (smuggled))
        g_assert_cmpuint (strlen (passed), ==, strstr (smuggled, "POST") - smuggled);
      g_assert_cmpstr (refusals->str, ==, "400 POST /api/v1/config;");
      g_assert_true (g_str_has_prefix (answered, "HTTP/1.1 400 Refused\r\n"));
      g_assert_nonnull (strstr (answered, "Connection: close\r\n"));
      g_clear_pointer (&passed, g_free);
      g_clear_pointer (&answered, g_free);
      g_string_truncate (refusals, 0);

      /* After an upgrade to the event stream, frames pass unread. */
      passed = guard_pass (upgrade, chunk, refusals, &answered);
      g_assert_cmpstr (passed, ==, upgrade);
      g_assert_cmpstr (refusals->str, ==, "");
    }

  /* A head that never ends is refused once it is over the limit, without the rest. */
  while (flood->len < 4 * GH_ADMIN_MAX_HEAD_BYTES)
    g_string_append (flood, "X-Flood: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
  {
    g_autoptr(GString) refusals = g_string_new (NULL);
    g_autofree char *answered = NULL;
    g_autofree char *passed = guard_pass (flood->str, 4096, refusals, &answered);

    g_assert_cmpuint (strlen (passed), <=, GH_ADMIN_MAX_HEAD_BYTES);
    g_assert_cmpstr (refusals->str, ==, "431 GET /api/v1/info;");
    g_assert_true (g_str_has_prefix (answered, "HTTP/1.1 431 Refused\r\n"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/admin-request/content-length", test_content_length);
  g_test_add_func ("/admin-request/media-type", test_media_type);
  g_test_add_func ("/admin-request/if-match", test_if_match);
  g_test_add_func ("/admin-request/head", test_head);
  g_test_add_func ("/admin-request/guard", test_guard);

  return g_test_run ();
}
