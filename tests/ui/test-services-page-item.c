/* test-services-page-item.c — a row of the services page: what its columns show of a
 * service as configured and as running, and that a change of state notifies only
 * what shows the state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "gh-services-page-item.h"

static const char config_text[] =
  "{"
  "  'version': 1,"
  "  'services': ["
  "    { 'name': 'echo', 'type': 'echo', 'accept': ['wss://localhost:8443/echo', 'ws://localhost:8080/echo'] },"
  "    { 'name': 'backend', 'type': 'proxy', 'description': 'the orders back-end',"
  "      'accept': ['wss://localhost:8444/backend'], 'connect': 'wss://backend.internal:9443/orders' }"
  "  ]"
  "}";

static const char service_text[] =
  "{ 'name': 'backend', 'type': 'proxy', 'description': 'the orders back-end',"
  "  'accept': ['wss://localhost:8444/backend'], 'connect': 'wss://backend.internal:9443/orders',"
  "  'state': 'started', 'sessions_open': 4, 'sessions_total': 20 }";

static GhGatewayConfig *
parse_config (void)
{
  g_autofree char *data = g_strdelimit (g_strdup (config_text), "'", '"');
  g_autoptr(GError) error = NULL;
  GhGatewayConfig *config = gh_gateway_config_new_from_data (data, -1, &error);

  g_assert_no_error (error);
  return config;
}

static GhApiService *
parse_service (void)
{
  g_autofree char *data = g_strdelimit (g_strdup (service_text), "'", '"');
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = json_from_string (data, &error);
  GhApiService *service;

  g_assert_no_error (error);
  service = gh_api_service_new_from_json (root, &error);
  g_assert_no_error (error);
  return service;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              GPtrArray  *names)
{
  g_ptr_array_add (names, (gpointer) g_param_spec_get_name (pspec));
}

static void
test_not_running (void)
{
  g_autoptr(GhGatewayConfig) config = parse_config ();
  GhServicesPageItem *item = gh_services_page_item_new (gh_gateway_config_lookup_service (config, "echo"), NULL);
  g_autofree char *type_label = NULL;
  g_autofree char *accept = NULL;
  g_autofree char *connect = NULL;
  g_autofree char *state_label = NULL;
  g_autofree char *sessions_label = NULL;
  g_autofree char *description = NULL;
  gboolean has_description = TRUE;
  gboolean started = TRUE;

  g_object_get (item,
                "type-label", &type_label,
                "accept", &accept,
                "connect", &connect,
                "state-label", &state_label,
                "sessions-label", &sessions_label,
                "description", &description,
                "has-description", &has_description,
                "started", &started,
                NULL);
  g_assert_cmpstr (gh_services_page_item_get_name (item), ==, "echo");
  g_assert_null (gh_services_page_item_get_state (item));
  g_assert_cmpstr (type_label, ==, "Echo");
  g_assert_cmpstr (accept, ==, "wss://localhost:8443/echo\nws://localhost:8080/echo");
  g_assert_cmpstr (connect, ==, "—");
  g_assert_cmpstr (state_label, ==, "Not running");
  g_assert_cmpstr (sessions_label, ==, "—");
  g_assert_cmpstr (description, ==, "");
  g_assert_false (has_description);
  g_assert_false (started);

  g_assert_finalize_object (item);
}

static void
test_state (void)
{
  g_autoptr(GhGatewayConfig) config = parse_config ();
  g_autoptr(GhApiService) service = parse_service ();
  GhServicesPageItem *item = gh_services_page_item_new (gh_gateway_config_lookup_service (config, "backend"),
                                                        service);
  g_autoptr(GPtrArray) notified = g_ptr_array_new ();
  g_autofree char *type_label = NULL;
  g_autofree char *state_label = NULL;
  g_autofree char *sessions_label = NULL;
  g_autofree char *connect = NULL;
  g_auto(GStrv) classes = NULL;

  g_object_get (item, "type-label", &type_label, "state-label", &state_label, "sessions-label", &sessions_label,
                "connect", &connect, "state-classes", &classes, NULL);
  g_assert_cmpstr (type_label, ==, "Proxy");
  g_assert_cmpstr (state_label, ==, "Started");
  g_assert_cmpstr (sessions_label, ==, "4");
  g_assert_cmpstr (connect, ==, "wss://backend.internal:9443/orders");
  g_assert_cmpstrv (classes, ((const char *[]) { "success", NULL }));
  g_assert_cmpint (gh_services_page_item_get_sessions_open (item), ==, 4);

  /* The same state again is no change. */
  g_signal_connect (item, "notify", G_CALLBACK (count_notify), notified);
  gh_services_page_item_set_state (item, "started", 4);
  g_assert_cmpuint (notified->len, ==, 0);

  /* Stopped: only what shows the state and the sessions. */
  gh_services_page_item_set_state (item, "stopped", 0);
  g_assert_cmpstr (gh_services_page_item_get_state (item), ==, "stopped");
  g_assert_cmpint (gh_services_page_item_get_sessions_open (item), ==, 0);
  g_assert_cmpuint (notified->len, ==, 7);
  for (guint i = 0; i < notified->len; i++)
    g_assert_true (g_str_has_prefix (g_ptr_array_index (notified, i), "state") ||
                   g_str_has_prefix (g_ptr_array_index (notified, i), "sessions") ||
                   g_str_equal (g_ptr_array_index (notified, i), "started"));

  g_clear_pointer (&state_label, g_free);
  g_clear_pointer (&classes, g_strfreev);
  g_object_get (item, "state-label", &state_label, "state-classes", &classes, NULL);
  g_assert_cmpstr (state_label, ==, "Stopped");
  g_assert_cmpstrv (classes, ((const char *[]) { "dim-label", NULL }));

  g_signal_handlers_disconnect_by_data (item, notified);
  g_assert_finalize_object (item);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/services-page-item/not-running", test_not_running);
  g_test_add_func ("/services-page-item/state", test_state);

  return g_test_run ();
}
