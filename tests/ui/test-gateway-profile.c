/* test-gateway-profile.c — the saved profile of a gateway and how a connection
 * follows it: the default name, the pin as a fingerprint, the form GSettings keeps,
 * and the name and pin notified by the connection too
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "gh-gateway-connection.h"
#include "gh-gateway-profile.h"

#define PIN_LOWER "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89"
#define PIN       "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_properties (void)
{
  GhGatewayProfile *profile = gh_gateway_profile_new ("  Production  ", "https://gw.example:9443",
                                                      "/keys/admin.p12", PIN_LOWER, TRUE);
  g_autofree char *url = NULL;
  g_autofree char *name = NULL;
  gboolean persistent = FALSE;
  guint names = 0, pins = 0;

  g_assert_cmpstr (gh_gateway_profile_get_name (profile), ==, "Production");
  g_assert_cmpstr (gh_gateway_profile_get_url (profile), ==, "https://gw.example:9443");
  g_assert_cmpstr (gh_gateway_profile_get_identity_path (profile), ==, "/keys/admin.p12");
  g_assert_cmpstr (gh_gateway_profile_get_pin (profile), ==, PIN);
  g_assert_true (gh_gateway_profile_get_persistent (profile));
  g_object_get (profile, "url", &url, "name", &name, "persistent", &persistent, NULL);
  g_assert_cmpstr (url, ==, "https://gw.example:9443");
  g_assert_cmpstr (name, ==, "Production");
  g_assert_true (persistent);

  g_signal_connect (profile, "notify::name", G_CALLBACK (count_notify), &names);
  g_signal_connect (profile, "notify::pin", G_CALLBACK (count_notify), &pins);

  /* No name: the URL's host and port. */
  gh_gateway_profile_set_name (profile, "   ");
  g_assert_cmpstr (gh_gateway_profile_get_name (profile), ==, "gw.example:9443");
  gh_gateway_profile_set_name (profile, "gw.example:9443");
  g_assert_cmpuint (names, ==, 1);

  /* The same pin written otherwise is no change; not a fingerprint is none. */
  g_assert_false (gh_gateway_profile_set_pin (profile, PIN));
  g_assert_cmpuint (pins, ==, 0);
  g_assert_true (gh_gateway_profile_set_pin (profile, "not a fingerprint"));
  g_assert_null (gh_gateway_profile_get_pin (profile));
  g_object_set (profile, "pin", PIN_LOWER, NULL);
  g_assert_cmpstr (gh_gateway_profile_get_pin (profile), ==, PIN);
  g_assert_cmpuint (pins, ==, 2);

  g_assert_finalize_object (profile);
}

static void
test_variant (void)
{
  g_autoptr(GhGatewayProfile) profile = gh_gateway_profile_new (NULL, "https://127.0.0.1:9443", "/keys/a.p12",
                                                                NULL, TRUE);
  g_autoptr(GVariant) saved = g_variant_ref_sink (gh_gateway_profile_to_variant (profile));
  g_autoptr(GhGatewayProfile) loaded = NULL;
  g_autoptr(GVariant) pinned = g_variant_ref_sink (g_variant_new ("(ssss)", "Lab", "https://lab:9443", "/k.p12", PIN));
  g_autoptr(GhGatewayProfile) with_pin = NULL;
  g_autoptr(GVariant) no_url = g_variant_ref_sink (g_variant_new ("(ssss)", "x", "", "/k.p12", ""));
  g_autoptr(GVariant) no_identity = g_variant_ref_sink (g_variant_new ("(ssss)", "x", "https://lab:9443", "", ""));

  g_assert_true (g_variant_is_of_type (saved, GH_GATEWAY_PROFILE_VARIANT_TYPE));
  g_assert_cmpstr (g_variant_get_type_string (saved), ==, "(ssss)");
  loaded = gh_gateway_profile_new_from_variant (saved);
  g_assert_cmpstr (gh_gateway_profile_get_name (loaded), ==, "127.0.0.1:9443");
  g_assert_cmpstr (gh_gateway_profile_get_url (loaded), ==, "https://127.0.0.1:9443");
  g_assert_cmpstr (gh_gateway_profile_get_identity_path (loaded), ==, "/keys/a.p12");
  g_assert_null (gh_gateway_profile_get_pin (loaded));
  g_assert_true (gh_gateway_profile_get_persistent (loaded));

  with_pin = gh_gateway_profile_new_from_variant (pinned);
  g_assert_cmpstr (gh_gateway_profile_get_name (with_pin), ==, "Lab");
  g_assert_cmpstr (gh_gateway_profile_get_pin (with_pin), ==, PIN);

  g_assert_null (gh_gateway_profile_new_from_variant (no_url));
  g_assert_null (gh_gateway_profile_new_from_variant (no_identity));
}

static void
test_connection_follows (void)
{
  GhGatewayProfile *profile = gh_gateway_profile_new ("One", "https://127.0.0.1:1", "/k.p12", NULL, FALSE);
  GhGatewayConnection *connection = gh_gateway_connection_new_for_profile (profile);
  g_autofree char *identity_path = NULL;
  guint names = 0, pins = 0;

  g_assert_true (gh_gateway_connection_get_profile (connection) == profile);
  g_assert_false (gh_gateway_connection_get_persistent (connection));
  g_object_get (connection, "identity-path", &identity_path, NULL);
  g_assert_cmpstr (identity_path, ==, "/k.p12");

  g_signal_connect (connection, "notify::name", G_CALLBACK (count_notify), &names);
  g_signal_connect (connection, "notify::pin", G_CALLBACK (count_notify), &pins);
  gh_gateway_profile_set_name (profile, "Two");
  g_assert_cmpstr (gh_gateway_connection_get_name (connection), ==, "Two");
  gh_gateway_connection_set_name (connection, "Three");
  g_assert_cmpstr (gh_gateway_profile_get_name (profile), ==, "Three");
  g_assert_cmpuint (names, ==, 2);

  gh_gateway_connection_set_pin (connection, PIN_LOWER);
  g_assert_cmpstr (gh_gateway_profile_get_pin (profile), ==, PIN);
  g_assert_cmpstr (gh_gateway_connection_get_pin (connection), ==, PIN);
  g_assert_cmpuint (pins, ==, 1);

  g_assert_finalize_object (connection);
  g_assert_finalize_object (profile);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gateway-profile/properties", test_properties);
  g_test_add_func ("/gateway-profile/variant", test_variant);
  g_test_add_func ("/gateway-profile/connection-follows", test_connection_follows);

  return g_test_run ();
}
