/* test-session-registry.c — the live sessions as a GListModel: joining, leaving when
 * closed, lookups by id, per-service counts and the traffic of sessions gone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "gh-session-registry.h"

static GhSession *
new_session (const char *service,
             guint16     port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) client = g_inet_socket_address_new (loopback, port);

  return gh_session_new (service, client);
}

typedef struct {
  guint position;
  guint removed;
  guint added;
  guint calls;
} ItemsChanged;

static void
on_items_changed (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *changed)
{
  changed->position = position;
  changed->removed = removed;
  changed->added = added;
  changed->calls++;
}

static void
test_new (void)
{
  GhSessionRegistry *registry = gh_session_registry_new ();
  GhSessionTraffic traffic = { 1, 1, 1, 1 };

  g_assert_true (G_IS_LIST_MODEL (registry));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (registry)) == GH_TYPE_SESSION);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 0);
  g_assert_cmpuint (gh_session_registry_get_total (registry), ==, 0);
  gh_session_registry_get_traffic (registry, &traffic);
  g_assert_cmpuint (traffic.bytes_in, ==, 0);
  g_assert_cmpuint (traffic.messages_out, ==, 0);

  g_assert_finalize_object (registry);
}

static void
test_add_and_lookup (void)
{
  g_autoptr(GhSessionRegistry) registry = gh_session_registry_new ();
  g_autoptr(GhSession) a = new_session ("web", 40001);
  g_autoptr(GhSession) b = new_session ("web", 40002);
  g_autoptr(GhSession) c = new_session ("tcp", 40003);
  g_autoptr(GhSession) second = NULL;
  ItemsChanged changed = { 0, };

  g_signal_connect (registry, "items-changed", G_CALLBACK (on_items_changed), &changed);
  gh_session_registry_add (registry, a);
  g_assert_cmpuint (changed.calls, ==, 1);
  g_assert_cmpuint (changed.position, ==, 0);
  g_assert_cmpuint (changed.added, ==, 1);
  gh_session_registry_add (registry, b);
  gh_session_registry_add (registry, c);
  g_assert_cmpuint (changed.position, ==, 2);

  /* In the order they opened, each numbered. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 3);
  second = g_list_model_get_item (G_LIST_MODEL (registry), 1);
  g_assert_true (second == b);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (registry), 3));
  g_assert_cmpuint (gh_session_get_serial (a), ==, 1);
  g_assert_cmpuint (gh_session_get_serial (c), ==, 3);

  g_assert_true (gh_session_registry_lookup (registry, gh_session_get_id (b)) == b);
  g_assert_null (gh_session_registry_lookup (registry, "no-such-session"));
  g_assert_cmpstr (gh_session_get_client_address (a), ==, "127.0.0.1:40001");

  g_assert_cmpuint (gh_session_registry_count_service (registry, "web"), ==, 2);
  g_assert_cmpuint (gh_session_registry_count_service (registry, "tcp"), ==, 1);
  g_assert_cmpuint (gh_session_registry_count_service (registry, "none"), ==, 0);
  g_assert_cmpuint (gh_session_registry_get_total (registry), ==, 3);
}

static void
test_closed_leave (void)
{
  g_autoptr(GhSessionRegistry) registry = gh_session_registry_new ();
  g_autoptr(GhSession) a = new_session ("web", 40001);
  g_autoptr(GhSession) b = new_session ("web", 40002);
  g_autofree char *id = g_strdup (gh_session_get_id (a));
  ItemsChanged changed = { 0, };

  gh_session_registry_add (registry, a);
  gh_session_registry_add (registry, b);
  g_signal_connect (registry, "items-changed", G_CALLBACK (on_items_changed), &changed);

  /* Another state is not a departure. */
  gh_session_set_state (a, GH_SESSION_STATE_OPEN);
  g_assert_cmpuint (changed.calls, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 2);

  gh_session_mark_closed (a, "test");
  g_assert_cmpuint (changed.calls, ==, 1);
  g_assert_cmpuint (changed.position, ==, 0);
  g_assert_cmpuint (changed.removed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 1);
  g_assert_null (gh_session_registry_lookup (registry, id));

  /* The live count drops, the totals stay. */
  g_assert_cmpuint (gh_session_registry_count_service (registry, "web"), ==, 1);
  g_assert_cmpuint (gh_session_registry_count_service_total (registry, "web"), ==, 2);
  g_assert_cmpuint (gh_session_registry_get_total (registry), ==, 2);

  gh_session_mark_closed (b, "test");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 0);
  g_assert_cmpuint (gh_session_registry_count_service (registry, "web"), ==, 0);
}

static void
test_traffic (void)
{
  g_autoptr(GhSessionRegistry) registry = gh_session_registry_new ();
  g_autoptr(GhSession) a = new_session ("web", 40001);
  g_autoptr(GhSession) b = new_session ("web", 40002);
  GhSessionTraffic traffic;

  gh_session_registry_add (registry, a);
  gh_session_registry_add (registry, b);
  gh_session_add_client_traffic (a, 100, 2);
  gh_session_add_backend_traffic (a, 40, 1);
  gh_session_add_client_traffic (b, 5, 1);

  gh_session_registry_get_traffic (registry, &traffic);
  g_assert_cmpuint (traffic.bytes_in, ==, 105);
  g_assert_cmpuint (traffic.messages_in, ==, 3);
  g_assert_cmpuint (traffic.bytes_out, ==, 40);
  g_assert_cmpuint (traffic.messages_out, ==, 1);

  /* What a closed session carried still counts. */
  gh_session_mark_closed (a, "test");
  gh_session_registry_get_traffic (registry, &traffic);
  g_assert_cmpuint (traffic.bytes_in, ==, 105);
  g_assert_cmpuint (traffic.bytes_out, ==, 40);
}

static void
test_finalize_with_sessions (void)
{
  GhSessionRegistry *registry = gh_session_registry_new ();
  g_autoptr(GhSession) a = new_session ("web", 40001);

  gh_session_registry_add (registry, a);
  g_assert_finalize_object (registry);

  /* The registry no longer listens to a session that outlives it. */
  gh_session_mark_closed (a, "after the registry");
  g_assert_cmpint (gh_session_get_state (a), ==, GH_SESSION_STATE_CLOSED);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session-registry/new", test_new);
  g_test_add_func ("/session-registry/add-and-lookup", test_add_and_lookup);
  g_test_add_func ("/session-registry/closed-leave", test_closed_leave);
  g_test_add_func ("/session-registry/traffic", test_traffic);
  g_test_add_func ("/session-registry/finalize-with-sessions", test_finalize_with_sessions);

  return g_test_run ();
}
