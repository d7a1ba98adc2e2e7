/* test-api-csr.c — the names a certificate request for a gateway suggests, and the
 * names a person types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gh-api.h"

static void
test_suggest_names (void)
{
  const char *text =
    "{ \"version\": 1, \"services\": ["
    "  { \"name\": \"echo\", \"type\": \"echo\","
    "    \"accept\": [\"wss://gw.example.com:8443/echo\", \"ws://plain.example.com:8080/echo\","
    "                 \"ssl://192.0.2.7:9443\"] },"
    "  { \"name\": \"files\", \"type\": \"directory\", \"directory\": \"www\","
    "    \"accept\": [\"https://GW.example.com:8443/files/\", \"https://other.example.com/files/\"] } ] }";
  g_autoptr(GError) error = NULL;
  g_autoptr(GhGatewayConfig) config = gh_gateway_config_new_from_data (text, -1, &error);
  g_auto(GStrv) names = NULL;
  g_autofree char *subject = NULL;

  g_assert_no_error (error);
  names = gh_api_csr_suggest_names (config);
  /* The TLS accepts' hosts, once each (case aside), in order; not the plain ws one. */
  g_assert_cmpstrv (names, ((const char *[]) { "gw.example.com", "192.0.2.7", "other.example.com", NULL }));
  subject = gh_api_csr_suggest_subject ((const char * const *) names);
  g_assert_cmpstr (subject, ==, "CN=gw.example.com");
}

static void
test_parse_names (void)
{
  g_auto(GStrv) names = gh_api_csr_parse_names ("  a.example, b.example  c.example,,a.example\n");
  g_auto(GStrv) none = gh_api_csr_parse_names ("  , ");
  g_autofree char *subject = gh_api_csr_suggest_subject ((const char * const *) none);

  g_assert_cmpstrv (names, ((const char *[]) { "a.example", "b.example", "c.example", NULL }));
  g_assert_cmpuint (g_strv_length (none), ==, 0);
  g_assert_cmpstr (subject, ==, "CN=");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/api-csr/suggest-names", test_suggest_names);
  g_test_add_func ("/api-csr/parse-names", test_parse_names);
  return g_test_run ();
}
