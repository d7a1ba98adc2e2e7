/* gh-test-identity.c — another admin identity for a test gateway (see
 * gh-test-identity.h)
 *
 * The identity is made the way an administrator would: a key and a certificate issued
 * by the admin CA that `gatehoused init` wrote, and a line in the configuration's
 * admin identities. Shared by the UI tests that show a page to a viewer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gh-file-util.h"
#include "gh-keystore.h"
#include "gh-private-key.h"
#include "gh-test-identity.h"

char *
gh_test_add_admin_identity (GhTestGateway *gateway,
                            const char    *subject,
                            const char    *role,
                            const char    *file_name,
                            const char    *password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ca_path = g_build_filename (gateway->dir, "admin-ca-key.p12", NULL);
  g_autofree char *ca_password_path = g_build_filename (gateway->dir, "admin-ca-key.pw", NULL);
  g_autoptr(GFile) ca_password_file = g_file_new_for_path (ca_password_path);
  g_autoptr(GhSecret) ca_password = gh_file_read_password (ca_password_file, &error);
  g_autoptr(GFile) ca_file = g_file_new_for_path (ca_path);
  g_autoptr(GhKeystore) ca_store = NULL;
  GhKeystoreEntry *ca_entry;
  g_autoptr(GhPrivateKey) key = NULL;
  g_autoptr(GhCertificate) certificate = NULL;
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GhKeystoreEntry) entry = NULL;
  g_autoptr(GhKeystore) store = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  g_autoptr(GFile) file = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonBuilder) identity = json_builder_new ();
  g_autoptr(JsonNode) identity_node = NULL;
  char *path;
  JsonObject *admin;

  g_assert_no_error (error);
  ca_store = gh_keystore_new_from_file (ca_file, ca_password, GH_KEYSTORE_LOAD_NONE, &error);
  g_assert_no_error (error);
  ca_entry = gh_keystore_lookup (ca_store, "admin-ca");
  g_assert_nonnull (ca_entry);

  key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  g_assert_no_error (error);
  certificate = gh_private_key_issue_certificate (gh_keystore_entry_get_private_key (ca_entry),
                                                  gh_keystore_entry_get_certificate (ca_entry), key,
                                                  subject, NULL, 30, GH_CERTIFICATE_ROLE_CLIENT, &error);
  g_assert_no_error (error);
  g_ptr_array_add (chain, g_object_ref (certificate));
  g_ptr_array_add (chain, g_object_ref (gh_keystore_entry_get_certificate (ca_entry)));
  entry = gh_keystore_entry_new_key ("identity", key, chain);
  g_assert_true (gh_keystore_add (store, entry, &error));
  path = g_build_filename (gateway->dir, file_name, NULL);
  file = g_file_new_for_path (path);
  g_assert_true (gh_keystore_save (store, file, password, &error));
  g_assert_no_error (error);

  json_parser_load_from_file (parser, gateway->config_path, &error);
  g_assert_no_error (error);
  admin = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "admin");
  json_builder_begin_object (identity);
  json_builder_set_member_name (identity, "subject");
  json_builder_add_string_value (identity, subject);
  json_builder_set_member_name (identity, "role");
  json_builder_add_string_value (identity, role);
  json_builder_end_object (identity);
  identity_node = json_builder_get_root (identity);
  json_array_add_element (json_object_get_array_member (admin, "identities"), g_steal_pointer (&identity_node));
  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_set_pretty (generator, TRUE);
  g_assert_true (json_generator_to_file (generator, gateway->config_path, &error));
  g_assert_no_error (error);
  return path;
}
