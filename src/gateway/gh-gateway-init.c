/* gh-gateway-init.c — `gatehoused init`: a working setup in one step
 *
 * DIR gets:
 *   gatehoused.json        the configuration: an echo service on wss://HOST:PORT/echo
 *   keystore.p12 (+ .pw)   the gateway's identities: "gateway" toward clients (and as
 *                          client certificate toward back-ends) and "admin" on the admin
 *                          listener, both issued by the gateway CA
 *   truststore.pem         the CAs the gateway trusts (the gateway CA, for demo back-ends)
 *   ca.pem                 the gateway CA, for clients to trust
 *   ca-key.p12 (+ .pw)     the gateway CA's key, to issue more certificates later
 *   admin-ca.pem           the admin CA: admin identities are issued by it
 *   admin-ca-key.p12 (+ .pw)
 *   gatehouse-admin.p12 (+ .pw)  the admin identity for Gatehouse and gatehousectl
 * Every file holding a key or a password is mode 0600.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gatehoused"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <json-glib/json-glib.h>

#include "gh-gateway-init.h"
#include "gh-file-util.h"
#include "gh-keystore.h"

#define CONFIG_NAME "gatehoused.json"

static char *
random_password (void)
{
  guchar bytes[24];
  char *text;

  gnutls_rnd (GNUTLS_RND_KEY, bytes, sizeof bytes);
  text = g_base64_encode (bytes, sizeof bytes);
  gnutls_memset (bytes, 0, sizeof bytes);
  for (char *p = text; *p != '\0'; p++)
    if (*p == '+' || *p == '/')
      *p = *p == '+' ? '-' : '_';
  return text;
}

static gboolean
write_secret (GFile       *dir,
              const char  *name,
              const char  *text,
              GError     **error)
{
  g_autoptr(GFile) file = g_file_get_child (dir, name);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return gh_file_replace_atomically (file, bytes, error);
}

static gboolean
write_public (GFile       *dir,
              const char  *name,
              const char  *text,
              GError     **error)
{
  g_autoptr(GFile) file = g_file_get_child (dir, name);
  g_autofree char *path = g_file_get_path (file);

  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

static gboolean
write_store (GFile           *dir,
             const char      *name,
             GhKeystoreEntry *first,
             GhKeystoreEntry *second,
             GError         **error)
{
  g_autoptr(GhKeystore) store = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  g_autoptr(GhSecret) password = random_password ();
  g_autofree char *password_name = g_strconcat (name, ".pw", NULL);
  g_autofree char *store_name = g_strconcat (name, ".p12", NULL);
  g_autoptr(GFile) file = g_file_get_child (dir, store_name);
  g_autofree char *password_line = g_strconcat (password, "\n", NULL);
  gboolean ok;

  if (!gh_keystore_add (store, first, error) || (second != NULL && !gh_keystore_add (store, second, error)))
    return FALSE;

  ok = write_secret (dir, password_name, password_line, error) && gh_keystore_save (store, file, password, error);
  gnutls_memset (password_line, 0, strlen (password_line));
  return ok;
}

static GhKeystoreEntry *
make_entry (const char    *alias,
            GhPrivateKey  *key,
            GhCertificate *certificate,
            GhCertificate *issuer)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();

  g_ptr_array_add (chain, certificate);
  if (issuer != NULL)
    g_ptr_array_add (chain, issuer);
  return gh_keystore_entry_new_key (alias, key, chain);
}

static char *
make_config (const GhGatewayInitOptions *options)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *accept = g_strdup_printf ("wss://%s:%u/echo", options->hostname, options->port);
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", options->admin_port);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "properties");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, options->hostname);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "security");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "keystore");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, "keystore.p12");
  json_builder_set_member_name (builder, "password-file");
  json_builder_add_string_value (builder, "keystore.pw");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "truststore");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, "truststore.pem");
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "admin");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "listen");
  json_builder_add_string_value (builder, listen);
  json_builder_set_member_name (builder, "certificate-alias");
  json_builder_add_string_value (builder, "admin");
  json_builder_set_member_name (builder, "client-ca");
  json_builder_add_string_value (builder, "admin-ca.pem");
  json_builder_set_member_name (builder, "identities");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, "CN=gatehouse-admin");
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "admin");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "services");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "echo");
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "echo");
  json_builder_set_member_name (builder, "accept");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, accept);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

gboolean
gh_gateway_init_directory (GFile                      *dir,
                           const GhGatewayInitOptions *options,
                           GError                    **error)
{
  g_autoptr(GFile) config_file = g_file_get_child (dir, CONFIG_NAME);
  g_autofree char *dir_name = g_file_get_parse_name (dir);
  g_autofree char *dir_path = g_file_get_path (dir);
  g_autoptr(GhPrivateKey) ca_key = NULL, admin_ca_key = NULL, gateway_key = NULL, admin_key = NULL, client_key = NULL;
  g_autoptr(GhCertificate) ca = NULL, admin_ca = NULL, gateway = NULL, admin = NULL, client = NULL;
  g_autoptr(GhKeystoreEntry) gateway_entry = NULL, admin_entry = NULL, client_entry = NULL, ca_entry = NULL, admin_ca_entry = NULL;
  g_autofree char *ca_pem = NULL, *admin_ca_pem = NULL, *config = NULL;
  g_autofree char *ca_subject = g_strdup_printf ("CN=Gatehouse Gateway CA (%s)", options->hostname);
  g_autofree char *admin_ca_subject = g_strdup_printf ("CN=Gatehouse Admin CA (%s)", options->hostname);
  g_autofree char *subject = g_strdup_printf ("CN=%s", options->hostname);
  const char *sans[] = { options->hostname, g_ascii_strcasecmp (options->hostname, "localhost") == 0 ? "127.0.0.1" : NULL, NULL };

  if (dir_path == NULL || g_mkdir_with_parents (dir_path, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot create the directory %s"), dir_name);
      return FALSE;
    }
  if (g_file_query_exists (config_file, NULL) && !options->force)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("%s already holds a setup (%s): give --force to replace it"), dir_name, CONFIG_NAME);
      return FALSE;
    }

  /* Two CAs: one for the gateway's TLS identities, one for its administrators. */
  if ((ca_key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, error)) == NULL ||
      (ca = gh_private_key_issue_certificate (ca_key, NULL, NULL, ca_subject, NULL, 3650, GH_CERTIFICATE_ROLE_CA, error)) == NULL ||
      (admin_ca_key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, error)) == NULL ||
      (admin_ca = gh_private_key_issue_certificate (admin_ca_key, NULL, NULL, admin_ca_subject, NULL, 3650, GH_CERTIFICATE_ROLE_CA, error)) == NULL ||
      (gateway_key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, error)) == NULL ||
      (gateway = gh_private_key_issue_certificate (ca_key, ca, gateway_key, subject, sans, 825,
                                                   GH_CERTIFICATE_ROLE_SERVER | GH_CERTIFICATE_ROLE_CLIENT, error)) == NULL ||
      (admin_key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, error)) == NULL ||
      (admin = gh_private_key_issue_certificate (ca_key, ca, admin_key, subject, sans, 825, GH_CERTIFICATE_ROLE_SERVER, error)) == NULL ||
      (client_key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, error)) == NULL ||
      (client = gh_private_key_issue_certificate (admin_ca_key, admin_ca, client_key, "CN=gatehouse-admin", NULL, 825,
                                                  GH_CERTIFICATE_ROLE_CLIENT, error)) == NULL)
    return FALSE;

  gateway_entry = make_entry ("gateway", gateway_key, gateway, ca);
  admin_entry = make_entry ("admin", admin_key, admin, ca);
  client_entry = make_entry ("gatehouse-admin", client_key, client, admin_ca);
  ca_entry = make_entry ("ca", ca_key, ca, NULL);
  admin_ca_entry = make_entry ("admin-ca", admin_ca_key, admin_ca, NULL);

  ca_pem = gh_certificate_to_pem (ca);
  admin_ca_pem = gh_certificate_to_pem (admin_ca);
  config = make_config (options);

  if (!write_store (dir, "keystore", gateway_entry, admin_entry, error) ||
      !write_store (dir, "gatehouse-admin", client_entry, NULL, error) ||
      !write_store (dir, "ca-key", ca_entry, NULL, error) ||
      !write_store (dir, "admin-ca-key", admin_ca_entry, NULL, error) ||
      !write_public (dir, "ca.pem", ca_pem, error) ||
      !write_public (dir, "truststore.pem", ca_pem, error) ||
      !write_public (dir, "admin-ca.pem", admin_ca_pem, error) ||
      !write_public (dir, CONFIG_NAME, config, error))
    return FALSE;

  g_print (_("Created a gateway setup in %s\n"), dir_name);
  g_print (_("  configuration:    %s/%s\n"), dir_name, CONFIG_NAME);
  g_print (_("  echo service:     wss://%s:%u/echo (clients trust %s/ca.pem)\n"), options->hostname, options->port, dir_name);
  g_print (_("  admin URL:        https://127.0.0.1:%u/api/v1\n"), options->admin_port);
  g_print (_("  admin identity:   %s/gatehouse-admin.p12 (password in gatehouse-admin.pw)\n"), dir_name);
  g_print (_("  admin certificate SHA-256 fingerprint, to compare on first contact:\n    %s\n"),
           gh_certificate_get_sha256_fingerprint (admin));
  g_print (_("Run it with: gatehoused --config %s/%s\n"), dir_name, CONFIG_NAME);
  return TRUE;
}
