/* test-net-util.c — how the gateway spells socket addresses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <gio/gunixsocketaddress.h>

#include "gh-net-util.h"

static void
assert_address (const char *ip,
                guint16     port,
                const char *expected)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (ip);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, port);
  g_autofree char *text = gh_socket_address_to_string (address);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_socket_address_to_string (void)
{
  g_autoptr(GSocketAddress) unix_address = g_unix_socket_address_new ("/run/gatehoused.sock");
  g_autofree char *unix_text = gh_socket_address_to_string (unix_address);
  g_autofree char *none = gh_socket_address_to_string (NULL);

  assert_address ("127.0.0.1", 8443, "127.0.0.1:8443");
  assert_address ("0.0.0.0", 0, "0.0.0.0:0");
  /* IPv6 in brackets, so that the port stays apart. */
  assert_address ("::1", 9443, "[::1]:9443");
  assert_address ("2001:db8::7", 443, "[2001:db8::7]:443");
  /* Not an IP address: said so, not guessed. */
  g_assert_cmpstr (unix_text, ==, "unknown");
  g_assert_cmpstr (none, ==, "unknown");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/net-util/socket-address-to-string", test_socket_address_to_string);

  return g_test_run ();
}
