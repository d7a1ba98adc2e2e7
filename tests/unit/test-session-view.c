/* test-session-view.c — GhSessionView: always the filtered and sorted sessions, and
 * told so with the fewest changes
 *
 * Each check drives a source model (a GListStore, as the event stream's list emits the
 * same changes) through openings, closings and updates, and after every flush compares
 * the view with the answer computed from scratch (filter all, sort all), and with a
 * shadow list that only applies the view's items-changed signals: both must be the
 * view, and at each signal the view must already be as the signal says. Updates that
 * move nothing emit nothing; the changes of one main loop iteration, however many,
 * emit one signal over the range that differs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "gh-api-session.h"
#include "gh-session-view.h"

static GhApiSession *
make_session (guint       n,
              const char *service,
              const char *state,
              const char *server_name,
              gint64      bytes_in)
{
  g_autofree char *id = g_strdup_printf ("s%05u", n);
  g_autofree char *client = g_strdup_printf ("10.0.%u.%u:%u", n / 250, n % 250, 40000 + n);
  g_autofree char *subject = g_strdup_printf ("CN=client-%u,O=Example", n % 7);
  GhApiSessionFields fields = {
    .id = id,
    .service = service,
    .client = client,
    .state = state,
    .started = 1700000000000000 + (gint64) (n % 50) * 1000000,   /* ties, on purpose */
    .tls_protocol = server_name != NULL ? "TLS1.3" : NULL,
    .tls_cipher = server_name != NULL ? "AES-256-GCM" : NULL,
    .tls_server_name = server_name,
    .tls_client_subject = server_name != NULL && n % 3 == 0 ? subject : NULL,
    .backend = "127.0.0.1:9000",
    .bytes_in = bytes_in,
    .bytes_out = bytes_in / 2,
    .messages_in = bytes_in / 100,
    .messages_out = 0,
  };
  g_autoptr(JsonNode) node = gh_api_session_fields_to_json (&fields);
  g_autoptr(GError) error = NULL;
  GhApiSession *session = gh_api_session_new_from_json (node, &error);

  g_assert_no_error (error);
  return session;
}

/* The view's signals, applied to a plain array; and how many there were. */
typedef struct {
  GPtrArray *shadow;
  guint      signals;
  guint      largest;   /* the most items one signal removed or added */
} Watch;

static void
on_view_changed (GListModel *model,
                 guint       position,
                 guint       removed,
                 guint       added,
                 Watch      *watch)
{
  g_assert_cmpuint (position + removed, <=, watch->shadow->len);
  g_ptr_array_remove_range (watch->shadow, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (watch->shadow, position + i, g_list_model_get_item (model, position + i));
  /* When the signal comes, the model is already as the signal says. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, watch->shadow->len);
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, position + i);

      g_assert_true (item == g_ptr_array_index (watch->shadow, position + i));
    }
  watch->signals++;
  watch->largest = MAX (watch->largest, MAX (removed, added));
}

static gboolean
reference_matches (GhApiSession *session,
                   const char   *service,
                   const char   *state,
                   const char   *search)
{
  g_autofree char *haystack = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *needle = NULL;

  if (service != NULL && g_strcmp0 (gh_api_session_get_service (session), service) != 0)
    return FALSE;
  if (state != NULL && g_strcmp0 (gh_api_session_get_state (session), state) != 0)
    return FALSE;
  if (search == NULL)
    return TRUE;
  haystack = g_strjoin ("\n", gh_api_session_get_client (session),
                        gh_api_session_get_tls_server_name (session) ?: "",
                        gh_api_session_get_tls_client_subject (session) ?: "", NULL);
  folded = g_utf8_casefold (haystack, -1);
  needle = g_utf8_casefold (search, -1);
  return strstr (folded, needle) != NULL;
}

static gint64
started_usec (GhApiSession *session)
{
  return g_date_time_to_unix_usec (gh_api_session_get_started (session));
}

/* Written apart from the view: bytes in, then start, then id. */
static int
reference_by_bytes_in (gconstpointer a,
                       gconstpointer b)
{
  GhApiSession *x = *(GhApiSession * const *) a;
  GhApiSession *y = *(GhApiSession * const *) b;
  gint64 u = gh_api_session_get_bytes_in (x), v = gh_api_session_get_bytes_in (y);

  if (u != v)
    return u < v ? -1 : 1;
  if (started_usec (x) != started_usec (y))
    return started_usec (x) < started_usec (y) ? -1 : 1;
  return strcmp (gh_api_session_get_id (x), gh_api_session_get_id (y));
}

static int
reference_by_server_name (gconstpointer a,
                          gconstpointer b)
{
  GhApiSession *x = *(GhApiSession * const *) a;
  GhApiSession *y = *(GhApiSession * const *) b;
  const char *u = gh_api_session_get_tls_server_name (x), *v = gh_api_session_get_tls_server_name (y);
  int order = (u == NULL || v == NULL) ? (u != NULL) - (v != NULL) : g_utf8_collate (u, v);

  if (order != 0)
    return order;
  if (started_usec (x) != started_usec (y))
    return started_usec (x) < started_usec (y) ? -1 : 1;
  return strcmp (gh_api_session_get_id (x), gh_api_session_get_id (y));
}

static void
assert_view (GhSessionView  *view,
             GListStore     *store,
             Watch          *watch,
             GCompareFunc    order,
             gboolean        descending)
{
  GListModel *model = G_LIST_MODEL (view);
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(GhApiSession) session = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (reference_matches (session, gh_session_view_get_service (view), gh_session_view_get_state (view),
                             gh_session_view_get_search (view)))
        g_ptr_array_add (expected, g_object_ref (session));
    }
  g_ptr_array_sort (expected, order);
  if (descending)
    for (guint i = 0; i < expected->len / 2; i++)
      {
        gpointer swap = expected->pdata[i];

        expected->pdata[i] = expected->pdata[expected->len - 1 - i];
        expected->pdata[expected->len - 1 - i] = swap;
      }

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected->len);
  g_assert_cmpuint (watch->shadow->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr(GhApiSession) item = g_list_model_get_item (model, i);

      g_assert_true (item == g_ptr_array_index (expected, i));
      g_assert_true (g_ptr_array_index (watch->shadow, i) == item);
    }
}

static const char *services[] = { "chat", "feed", "files" };
static const char *names[] = { "chat.example.com", "feed.example.com", NULL, "Admin.Example.COM" };

static void
test_follows_the_source (void)
{
  g_autoptr(GListStore) store = g_list_store_new (GH_TYPE_API_SESSION);
  g_autoptr(GhSessionView) view = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261207);
  Watch watch = { g_ptr_array_new_with_free_func (g_object_unref), 0, 0 };
  guint next = 0;

  for (; next < 300; next++)
    {
      g_autoptr(GhApiSession) session = make_session (next, services[next % 3], "open", names[next % 4],
                                                      g_rand_int_range (rand, 0, 1000));

      g_list_store_append (store, session);
    }

  view = gh_session_view_new (G_LIST_MODEL (store));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (view)); i++)
    g_ptr_array_add (watch.shadow, g_list_model_get_item (G_LIST_MODEL (view), i));
  g_signal_connect (view, "items-changed", G_CALLBACK (on_view_changed), &watch);

  gh_session_view_set_sort (view, GH_SESSION_SORT_BYTES_IN, FALSE);
  assert_view (view, store, &watch, reference_by_bytes_in, FALSE);
  gh_session_view_set_service (view, "chat");
  assert_view (view, store, &watch, reference_by_bytes_in, FALSE);

  /* Openings, closings and counter updates, checked after each. */
  for (guint step = 0; step < 2000; step++)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (store));
      guint kind = g_rand_int_range (rand, 0, 10);

      if (kind < 2)
        {
          g_autoptr(GhApiSession) session = make_session (next, services[next % 3], "open", names[next % 4],
                                                          g_rand_int_range (rand, 0, 1000));

          next++;
          g_list_store_insert (store, g_rand_int_range (rand, 0, n + 1), session);
        }
      else if (kind < 4 && n > 0)
        {
          g_list_store_remove (store, g_rand_int_range (rand, 0, n));
        }
      else if (n > 0)
        {
          g_autoptr(GhApiSession) session = g_list_model_get_item (G_LIST_MODEL (store),
                                                                   g_rand_int_range (rand, 0, n));
          gint64 bytes = gh_api_session_get_bytes_in (session) + g_rand_int_range (rand, 0, 200);

          if (kind == 9)
            gh_api_session_set_state (session, g_rand_boolean (rand) ? "closing" : "open");
          else
            gh_api_session_set_counters (session, bytes, bytes / 2, bytes / 100, 0);
        }

      /* Several changes at a time, as a session.updated brings them. */
      if (step % 3 != 2)
        continue;
      gh_session_view_flush (view);

      if (step == 500)
        gh_session_view_set_state (view, "open");
      if (step == 1001)
        gh_session_view_set_sort (view, GH_SESSION_SORT_BYTES_IN, TRUE);
      if (step == 1502)
        gh_session_view_set_service (view, NULL);

      assert_view (view, store, &watch, reference_by_bytes_in, step >= 1001);
    }

  g_ptr_array_unref (watch.shadow);
}

static void
test_search_and_text_order (void)
{
  g_autoptr(GListStore) store = g_list_store_new (GH_TYPE_API_SESSION);
  g_autoptr(GhSessionView) view = gh_session_view_new (G_LIST_MODEL (store));
  Watch watch = { g_ptr_array_new_with_free_func (g_object_unref), 0, 0 };

  g_signal_connect (view, "items-changed", G_CALLBACK (on_view_changed), &watch);
  for (guint n = 0; n < 120; n++)
    {
      g_autoptr(GhApiSession) session = make_session (n, services[n % 3], "open", names[n % 4], n);

      g_list_store_append (store, session);
    }
  gh_session_view_flush (view);

  gh_session_view_set_sort (view, GH_SESSION_SORT_SERVER_NAME, FALSE);
  assert_view (view, store, &watch, reference_by_server_name, FALSE);

  /* Case does not matter, in the host or the search; the subject and the address count. */
  gh_session_view_set_search (view, "admin.example");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (view)), ==, 30);
  assert_view (view, store, &watch, reference_by_server_name, FALSE);
  gh_session_view_set_search (view, "cn=CLIENT-3,");
  assert_view (view, store, &watch, reference_by_server_name, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (view)), >, 0);
  gh_session_view_set_search (view, "10.0.0.17:");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (view)), ==, 1);
  gh_session_view_set_search (view, "  ");
  g_assert_null (gh_session_view_get_search (view));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (view)), ==, 120);
  assert_view (view, store, &watch, reference_by_server_name, FALSE);

  g_ptr_array_unref (watch.shadow);
}

/* What a person sees at 100,000 rows: an update that moves nothing costs no signal;
 * a thousand that move rows, one signal when the main loop comes round. */
static void
test_minimal_changes (void)
{
  g_autoptr(GListStore) store = g_list_store_new (GH_TYPE_API_SESSION);
  g_autoptr(GhSessionView) view = NULL;
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  Watch watch = { g_ptr_array_new_with_free_func (g_object_unref), 0, 0 };

  for (guint n = 0; n < 100000; n++)
    g_ptr_array_add (sessions, make_session (n, services[n % 3], "open", names[n % 4], (gint64) n * 10));
  g_list_store_splice (store, 0, 0, sessions->pdata, sessions->len);

  view = gh_session_view_new (G_LIST_MODEL (store));
  gh_session_view_set_sort (view, GH_SESSION_SORT_BYTES_IN, FALSE);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (view)); i++)
    g_ptr_array_add (watch.shadow, g_list_model_get_item (G_LIST_MODEL (view), i));
  g_signal_connect (view, "items-changed", G_CALLBACK (on_view_changed), &watch);

  /* Sorted by start time, counters move nothing. */
  gh_session_view_set_sort (view, GH_SESSION_SORT_STARTED, FALSE);
  watch.signals = 0;
  for (guint n = 0; n < 1000; n++)
    gh_api_session_set_counters (g_ptr_array_index (sessions, n * 97), n * 1000003, 1, 1, 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (watch.signals, ==, 0);

  /* Sorted by bytes, 1,000 updates: nothing until the main loop comes round, then one
   * signal over the range, and the view is right. A second round within the second
   * waits for it (or for a flush). */
  gh_session_view_set_sort (view, GH_SESSION_SORT_BYTES_IN, FALSE);
  watch.signals = watch.largest = 0;
  for (guint n = 0; n < 1000; n++)
    {
      GhApiSession *session = g_ptr_array_index (sessions, (n * 7919) % 100000);

      gh_api_session_set_counters (session, gh_api_session_get_bytes_in (session) + 25, 1, 1, 1);
    }
  g_assert_cmpuint (watch.signals, ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (watch.signals, ==, 1);
  assert_view (view, store, &watch, reference_by_bytes_in, FALSE);
  for (guint n = 0; n < 1000; n++)
    {
      GhApiSession *session = g_ptr_array_index (sessions, (n * 104729) % 100000);

      gh_api_session_set_counters (session, gh_api_session_get_bytes_in (session) + 31, 1, 1, 1);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (watch.signals, ==, 1);
  gh_session_view_flush (view);
  g_assert_cmpuint (watch.signals, ==, 2);
  assert_view (view, store, &watch, reference_by_bytes_in, FALSE);

  /* A few: each as its own small change, at once. One session moving up by one
   * place: it leaves, it arrives. */
  watch.signals = watch.largest = 0;
  gh_api_session_set_counters (g_ptr_array_index (sessions, 50000),
                               gh_api_session_get_bytes_in (g_ptr_array_index (sessions, 50001)) + 1, 1, 1, 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (watch.signals, ==, 2);
  g_assert_cmpuint (watch.largest, ==, 1);
  assert_view (view, store, &watch, reference_by_bytes_in, FALSE);

  /* A session closing: one removal of one row. */
  watch.signals = watch.largest = 0;
  g_list_store_remove (store, 500);
  gh_session_view_flush (view);
  g_assert_cmpuint (watch.signals, ==, 1);
  g_assert_cmpuint (watch.largest, ==, 1);
  assert_view (view, store, &watch, reference_by_bytes_in, FALSE);

  g_ptr_array_unref (watch.shadow);
}

static void
test_switch_source (void)
{
  g_autoptr(GListStore) first = g_list_store_new (GH_TYPE_API_SESSION);
  g_autoptr(GListStore) second = g_list_store_new (GH_TYPE_API_SESSION);
  g_autoptr(GhSessionView) view = NULL;
  Watch watch = { g_ptr_array_new_with_free_func (g_object_unref), 0, 0 };

  for (guint n = 0; n < 40; n++)
    {
      g_autoptr(GhApiSession) a = make_session (n, "chat", "open", names[n % 4], n);
      g_autoptr(GhApiSession) b = make_session (n + 1000, "feed", "open", names[n % 4], n);

      g_list_store_append (first, a);
      if (n < 25)
        g_list_store_append (second, b);
    }

  view = gh_session_view_new (G_LIST_MODEL (first));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (view)); i++)
    g_ptr_array_add (watch.shadow, g_list_model_get_item (G_LIST_MODEL (view), i));
  g_signal_connect (view, "items-changed", G_CALLBACK (on_view_changed), &watch);
  gh_session_view_set_sort (view, GH_SESSION_SORT_BYTES_IN, FALSE);

  /* Another gateway: its sessions, the same order; the first's changes no longer count. */
  gh_session_view_set_sessions (view, G_LIST_MODEL (second));
  assert_view (view, second, &watch, reference_by_bytes_in, FALSE);
  g_list_store_remove_all (first);
  gh_session_view_flush (view);
  assert_view (view, second, &watch, reference_by_bytes_in, FALSE);

  gh_session_view_set_sessions (view, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (view)), ==, 0);
  g_assert_cmpuint (watch.shadow->len, ==, 0);

  g_ptr_array_unref (watch.shadow);
}

/* Taking sessions away: JSON as the API writes it, CSV a spreadsheet opens safely. */
static void
test_export (void)
{
  g_autoptr(GListStore) store = g_list_store_new (GH_TYPE_API_SESSION);
  g_autoptr(GhApiSession) plain = make_session (1, "chat", "open", NULL, 10);
  g_autoptr(GhApiSession) tls = make_session (3, "feed", "open", "feed.example.com", 20);
  g_autoptr(GhApiSession) again = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  GhApiSessionFields evil = {
    .id = "s-evil", .service = "chat", .client = "10.0.0.9:4000", .state = "open",
    .started = 1700000000000000, .tls_protocol = "TLS1.3", .tls_cipher = "AES-128-GCM",
    .tls_server_name = "a,b.example", .tls_client_subject = "=HYPERLINK(\"x\")",
  };
  g_autoptr(JsonNode) evil_json = gh_api_session_fields_to_json (&evil);
  g_autoptr(GhApiSession) evil_session = gh_api_session_new_from_json (evil_json, &error);

  g_assert_no_error (error);

  /* JSON: read back, the same session. */
  json = gh_api_session_to_json (tls);
  again = gh_api_session_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gh_api_session_get_id (again), ==, "s00003");
  g_assert_cmpstr (gh_api_session_get_tls_server_name (again), ==, "feed.example.com");
  g_assert_cmpstr (gh_api_session_get_tls_client_subject (again), ==, "CN=client-3,O=Example");
  g_assert_cmpint (gh_api_session_get_bytes_in (again), ==, 20);
  g_assert_true (g_date_time_equal (gh_api_session_get_started (again), gh_api_session_get_started (tls)));

  /* CSV: a header, a line each, CRLF; commas and quotes quoted; no formula. */
  g_list_store_append (store, plain);
  g_list_store_append (store, tls);
  g_list_store_append (store, evil_session);
  csv = gh_api_sessions_to_csv (G_LIST_MODEL (store));
  g_assert_true (g_str_has_suffix (csv, "\r\n"));
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_cmpstr (lines[0], ==, "id,service,client,state,started,tls_protocol,tls_cipher,tls_server_name,"
                                 "tls_alpn,tls_client_subject,backend,backend_tls,bytes_in,bytes_out,"
                                 "messages_in,messages_out");
  g_assert_true (g_str_has_prefix (lines[1], "s00001,chat,10.0.0.1:40001,open,2023-11-14T22:13:21Z,,,,,,127.0.0.1:9000,,10,5,0,0"));
  g_assert_nonnull (strstr (lines[2], ",TLS1.3,AES-256-GCM,feed.example.com,,\"CN=client-3,O=Example\","));
  g_assert_nonnull (strstr (lines[3], ",\"a,b.example\",,\"'=HYPERLINK(\"\"x\"\")\","));
  g_assert_cmpstr (lines[4], ==, "");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session-view/follows-the-source", test_follows_the_source);
  g_test_add_func ("/session-view/search-and-text-order", test_search_and_text_order);
  g_test_add_func ("/session-view/minimal-changes", test_minimal_changes);
  g_test_add_func ("/session-view/switch-source", test_switch_source);
  g_test_add_func ("/session-view/export", test_export);

  return g_test_run ();
}
