/* test-dataplane.c — what the worker threads share with the gateway: the current
 * generation, stopped services, sessions admitted per service (and refused past the
 * maximum), the listener bound at each address, and the back-end health signal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "gh-dataplane-private.h"
#include "gh-listener.h"

static GhGatewayConfig *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup (text);
  GhGatewayConfig *config;

  g_strdelimit (json, "'", '"');
  config = gh_gateway_config_new_from_data (json, -1, &error);
  g_assert_no_error (error);
  return config;
}

/* A generation with one service "echo" that admits at most two sessions. */
static GhGeneration *
new_generation (void)
{
  g_autoptr(GhGatewayConfig) config = parse ("{ 'version': 1, 'services': ["
                                             "  { 'name': 'echo', 'type': 'echo', 'accept': ['tcp://127.0.0.1:9'],"
                                             "    'limits': { 'max-sessions': 2 } } ] }");
  GListModel *services = gh_gateway_config_get_services (config);
  g_autoptr(GhServiceConfig) service_config = g_list_model_get_item (services, 0);
  GhGeneration *generation = gh_generation_new (config);

  g_hash_table_insert (generation->services, g_strdup ("echo"), gh_service_new (service_config));
  return generation;
}

static GSocketAddress *
client_address (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  return g_inet_socket_address_new (loopback, 40000);
}

static void
test_new (void)
{
  g_autoptr(GhSessionRegistry) sessions = gh_session_registry_new ();
  GhDataplane *dataplane = gh_dataplane_new (sessions);

  g_assert_true (GH_IS_DATAPLANE (dataplane));
  g_assert_null (gh_dataplane_get_generation (dataplane));
  g_assert_null (gh_dataplane_dup_generation (dataplane));
  g_assert_false (gh_dataplane_get_accepting (dataplane));
  g_assert_null (gh_dataplane_get_workers (dataplane));
  g_assert_finalize_object (dataplane);
}

static void
test_generation (void)
{
  g_autoptr(GhSessionRegistry) sessions = gh_session_registry_new ();
  g_autoptr(GhDataplane) dataplane = gh_dataplane_new (sessions);
  g_autoptr(GhGeneration) generation = new_generation ();
  g_autoptr(GhGeneration) second = new_generation ();
  g_autoptr(GhGeneration) held = NULL;

  gh_dataplane_set_generation (dataplane, generation);
  g_assert_true (gh_dataplane_get_generation (dataplane) == generation);

  /* A thread keeps the generation it took while a newer one replaces it. */
  held = gh_dataplane_dup_generation (dataplane);
  g_assert_true (held == generation);
  gh_dataplane_set_generation (dataplane, second);
  g_assert_true (gh_dataplane_get_generation (dataplane) == second);
  g_assert_true (g_hash_table_contains (held->services, "echo"));

  gh_dataplane_set_generation (dataplane, NULL);
  g_assert_null (gh_dataplane_get_generation (dataplane));
}

static void
test_service_stopped (void)
{
  g_autoptr(GhSessionRegistry) sessions = gh_session_registry_new ();
  g_autoptr(GhDataplane) dataplane = gh_dataplane_new (sessions);

  g_assert_false (gh_dataplane_get_service_stopped (dataplane, "echo"));
  gh_dataplane_set_service_stopped (dataplane, "echo", TRUE);
  g_assert_true (gh_dataplane_get_service_stopped (dataplane, "echo"));
  g_assert_false (gh_dataplane_get_service_stopped (dataplane, "other"));
  gh_dataplane_set_service_stopped (dataplane, "echo", FALSE);
  g_assert_false (gh_dataplane_get_service_stopped (dataplane, "echo"));
}

static void
test_open_session (void)
{
  g_autoptr(GhSessionRegistry) sessions = gh_session_registry_new ();
  g_autoptr(GhDataplane) dataplane = gh_dataplane_new (sessions);
  g_autoptr(GhGeneration) generation = new_generation ();
  g_autoptr(GSocketAddress) client = client_address ();
  GhService *echo = g_hash_table_lookup (generation->services, "echo");
  g_autoptr(GhSession) first = NULL;
  g_autoptr(GhSession) second = NULL;
  g_autoptr(GhSession) third = NULL;
  g_autoptr(GhSession) again = NULL;
  g_autoptr(GhSession) stopped = NULL;

  /* On the home context, an admitted session is in the registry at once. */
  first = _gh_dataplane_open_session (dataplane, echo, client, NULL);
  g_assert_nonnull (first);
  g_assert_cmpstr (gh_session_get_service (first), ==, "echo");
  g_assert_cmpstr (gh_session_get_client_address (first), ==, "127.0.0.1:40000");
  g_assert_true (gh_session_registry_lookup (sessions, gh_session_get_id (first)) == first);
  second = _gh_dataplane_open_session (dataplane, echo, client, NULL);
  g_assert_nonnull (second);

  /* Its maximum of two reached: refused. */
  third = _gh_dataplane_open_session (dataplane, echo, client, NULL);
  g_assert_null (third);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sessions)), ==, 2);

  /* A session that closes makes room. */
  gh_session_mark_closed (first, "test");
  again = _gh_dataplane_open_session (dataplane, echo, client, NULL);
  g_assert_nonnull (again);

  /* A stopped service admits nobody. */
  gh_session_mark_closed (again, "test");
  gh_dataplane_set_service_stopped (dataplane, "echo", TRUE);
  stopped = _gh_dataplane_open_session (dataplane, echo, client, NULL);
  g_assert_null (stopped);
}

static void
test_listener_current (void)
{
  g_autoptr(GhSessionRegistry) sessions = gh_session_registry_new ();
  g_autoptr(GhDataplane) dataplane = gh_dataplane_new (sessions);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GhBinding) binding = gh_binding_new ("127.0.0.1:0", "services[0].accept[0]", address, FALSE, FALSE);
  g_autoptr(GHashTable) listeners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           (GDestroyNotify) gh_listener_free);
  g_autoptr(GError) error = NULL;
  GhListener *listener = gh_listener_new (dataplane, binding, &error);
  guint id;

  g_assert_no_error (error);
  g_assert_nonnull (listener);
  g_assert_false (gh_listener_is_http (listener));
  id = gh_listener_get_id (listener);

  /* A connection is served only while the listener that took it is the one bound. */
  g_assert_false (_gh_dataplane_listener_current (dataplane, "127.0.0.1:0", id));
  g_hash_table_insert (listeners, g_strdup ("127.0.0.1:0"), listener);
  gh_dataplane_share_listeners (dataplane, listeners);
  g_assert_true (_gh_dataplane_listener_current (dataplane, "127.0.0.1:0", id));
  g_assert_false (_gh_dataplane_listener_current (dataplane, "127.0.0.1:0", id + 1));
  g_assert_false (_gh_dataplane_listener_current (dataplane, "127.0.0.1:1", id));

  g_hash_table_remove_all (listeners);
  gh_dataplane_share_listeners (dataplane, listeners);
  g_assert_false (_gh_dataplane_listener_current (dataplane, "127.0.0.1:0", id));
}

typedef struct {
  guint    calls;
  char    *service;
  gboolean ok;
  char    *error;
} Health;

static void
on_backend_health (GhDataplane *dataplane,
                   const char  *service,
                   gboolean     ok,
                   const char  *error,
                   Health      *health)
{
  health->calls++;
  g_free (health->service);
  g_free (health->error);
  health->service = g_strdup (service);
  health->ok = ok;
  health->error = g_strdup (error);
}

static void
test_backend_health (void)
{
  g_autoptr(GhSessionRegistry) sessions = gh_session_registry_new ();
  g_autoptr(GhDataplane) dataplane = gh_dataplane_new (sessions);
  Health health = { 0, };

  g_signal_connect (dataplane, "backend-health", G_CALLBACK (on_backend_health), &health);

  /* The first answer is news; the same answer again is not; a change is. */
  _gh_dataplane_set_backend_health (dataplane, "proxy", TRUE, NULL);
  g_assert_cmpuint (health.calls, ==, 1);
  g_assert_cmpstr (health.service, ==, "proxy");
  g_assert_true (health.ok);
  _gh_dataplane_set_backend_health (dataplane, "proxy", TRUE, NULL);
  g_assert_cmpuint (health.calls, ==, 1);
  _gh_dataplane_set_backend_health (dataplane, "proxy", FALSE, "connection refused");
  g_assert_cmpuint (health.calls, ==, 2);
  g_assert_false (health.ok);
  g_assert_cmpstr (health.error, ==, "connection refused");
  /* Each service on its own. */
  _gh_dataplane_set_backend_health (dataplane, "other", FALSE, "timeout");
  g_assert_cmpuint (health.calls, ==, 3);
  g_assert_cmpstr (health.service, ==, "other");

  g_free (health.service);
  g_free (health.error);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dataplane/new", test_new);
  g_test_add_func ("/dataplane/generation", test_generation);
  g_test_add_func ("/dataplane/service-stopped", test_service_stopped);
  g_test_add_func ("/dataplane/open-session", test_open_session);
  g_test_add_func ("/dataplane/listener-current", test_listener_current);
  g_test_add_func ("/dataplane/backend-health", test_backend_health);

  return g_test_run ();
}
