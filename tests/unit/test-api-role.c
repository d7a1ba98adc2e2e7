/* test-api-role.c — what a role lets an identity do, and how a client says what an
 * action needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "gh-api-role.h"

static void
test_allows (void)
{
  /* viewer < operator < admin */
  g_assert_true (gh_admin_role_allows (GH_ADMIN_ROLE_VIEWER, GH_ADMIN_ROLE_VIEWER));
  g_assert_false (gh_admin_role_allows (GH_ADMIN_ROLE_VIEWER, GH_ADMIN_ROLE_OPERATOR));
  g_assert_false (gh_admin_role_allows (GH_ADMIN_ROLE_VIEWER, GH_ADMIN_ROLE_ADMIN));
  g_assert_true (gh_admin_role_allows (GH_ADMIN_ROLE_OPERATOR, GH_ADMIN_ROLE_OPERATOR));
  g_assert_false (gh_admin_role_allows (GH_ADMIN_ROLE_OPERATOR, GH_ADMIN_ROLE_ADMIN));
  g_assert_true (gh_admin_role_allows (GH_ADMIN_ROLE_ADMIN, GH_ADMIN_ROLE_OPERATOR));
  g_assert_true (gh_admin_role_allows (GH_ADMIN_ROLE_ADMIN, GH_ADMIN_ROLE_ADMIN));
  /* Not known yet: the gateway decides. */
  g_assert_true (gh_admin_role_allows (GH_ADMIN_ROLE_NONE, GH_ADMIN_ROLE_ADMIN));
}

static void
test_describe_need (void)
{
  g_autofree char *viewer = gh_admin_role_describe_need (GH_ADMIN_ROLE_OPERATOR, GH_ADMIN_ROLE_VIEWER);
  g_autofree char *operator = gh_admin_role_describe_need (GH_ADMIN_ROLE_ADMIN, GH_ADMIN_ROLE_OPERATOR);
  g_autofree char *unknown = gh_admin_role_describe_need (GH_ADMIN_ROLE_ADMIN, GH_ADMIN_ROLE_NONE);

  g_assert_cmpstr (viewer, ==, "Needs the operator role; the role of this identity is viewer");
  g_assert_cmpstr (operator, ==, "Needs the admin role; the role of this identity is operator");
  g_assert_cmpstr (unknown, ==, "Needs the admin role");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/api-role/allows", test_allows);
  g_test_add_func ("/api-role/describe-need", test_describe_need);

  return g_test_run ();
}
