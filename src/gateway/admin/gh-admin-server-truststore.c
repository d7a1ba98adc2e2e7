/* gh-admin-server-truststore.c — /api/v1/truststore
 *
 * The CA certificates the gateway trusts toward back-ends and for client certificates:
 * listed, added (PEM, one or many), deleted. A change is made on a copy of the running
 * store and applied as the keystore's are (gh-admin-server-keystore.c). Its revocation
 * lists, /truststore/crls, are gh-admin-server-crls.c's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-server"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-request.h"
#include "gh-admin-server-private.h"
#include "gh-import.h"
#include "gh-json.h"
#include "gh-pki-error.h"

static void
handle_trust_add (GhAdminRequest *request)
{
  GhKeystore *running = gh_gateway_get_truststore (request->server->gateway);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GhKeystore) truststore = NULL;
  g_autoptr(GhKeystoreEntry) entry = NULL;
  const char *alias = NULL, *pem = NULL;
  JsonObject *object;

  if ((object = _gh_admin_parse_body_object (request, gh_admin_trust_members, &root)) == NULL)
    goto out;
  if (!gh_admin_parse_trust (object, &alias, &pem, &error))
    {
      _gh_admin_respond_malformed (request, error);
      goto out;
    }

  if (running == NULL)
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_CONFLICT, "conflict",
                                 _("The configuration names no truststore (security.truststore.file)"), NULL);
      goto out;
    }
  if (!gh_keystore_alias_is_valid (alias) || g_str_equal (alias, "crls"))  /* /truststore/crls is the CRLs' */
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed", _("The alias is not valid"), NULL);
      goto out;
    }
  if (gh_keystore_lookup (running, alias) != NULL)
    {
      g_autofree char *detail = g_strdup_printf (_("The truststore has an entry “%s” already"), alias);

      _gh_admin_respond_problem (request, SOUP_STATUS_CONFLICT, "conflict", detail, NULL);
      goto out;
    }
  if ((certificates = gh_certificate_list_from_pem (pem, -1, &error)) == NULL || certificates->len != 1)
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "pki-error",
                                 error ? error->message : _("Send exactly one certificate"), NULL);
      goto out;
    }

  entry = gh_keystore_entry_new_trusted (alias, g_ptr_array_index (certificates, 0));
  truststore = _gh_admin_store_copy (running);
  if (!gh_keystore_add (truststore, entry, &error))
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_CONFLICT, "conflict", error->message, NULL);
      goto out;
    }
  _gh_admin_store_apply (request, NULL, truststore, SOUP_STATUS_CREATED, NULL);
  return;

out:
  _gh_admin_request_free (request);
}

void
_gh_admin_handle_truststore (GhAdminRequest *request)
{
  const char *method = soup_server_message_get_method (request->msg);
  guint n = g_strv_length (request->segments);
  GhKeystore *truststore = gh_gateway_get_truststore (request->server->gateway);

  if (n >= 2 && g_str_equal (request->segments[1], "crls"))
    {
      _gh_admin_handle_truststore_crls (request);
      return;
    }

  if (n == 1)
    {
      if (g_str_equal (method, "GET"))
        {
          _gh_admin_respond_json (request, SOUP_STATUS_OK, _gh_admin_store_entries_to_json (truststore, TRUE));
          _gh_admin_request_free (request);
        }
      else if (g_str_equal (method, "POST"))
        {
          request->action = g_strdup ("truststore add");
          if (_gh_admin_store_check_write (request))
            handle_trust_add (request);
        }
      else
        _gh_admin_store_refuse_method (request, "GET, POST");
      return;
    }

  if (n == 2)
    {
      const char *alias = request->segments[1];
      GhKeystoreEntry *entry = truststore ? gh_keystore_lookup (truststore, alias) : NULL;

      if (g_str_equal (method, "GET"))
        {
          if (entry == NULL)
            _gh_admin_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", NULL, NULL);
          else
            {
              g_autoptr(JsonBuilder) builder = json_builder_new ();

              json_builder_begin_object (builder);
              gh_json_add_string (builder, "alias", alias);
              json_builder_set_member_name (builder, "certificate");
              json_builder_add_value (builder, _gh_admin_certificate_to_json (gh_keystore_entry_get_certificate (entry)));
              json_builder_end_object (builder);
              _gh_admin_respond_json (request, SOUP_STATUS_OK, json_builder_get_root (builder));
            }
          _gh_admin_request_free (request);
        }
      else if (g_str_equal (method, "DELETE"))
        {
          g_autoptr(GhKeystore) copy = NULL;

          request->action = g_strdup_printf ("truststore delete %s", alias);
          if (!_gh_admin_store_check_write (request))
            return;
          if (entry == NULL)
            {
              _gh_admin_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", NULL, NULL);
              _gh_admin_request_free (request);
              return;
            }
          copy = _gh_admin_store_copy (truststore);
          gh_keystore_remove (copy, alias, NULL);
          _gh_admin_store_apply (request, NULL, copy, SOUP_STATUS_OK, NULL);
        }
      else
        _gh_admin_store_refuse_method (request, "GET, DELETE");
      return;
    }

  _gh_admin_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", NULL, NULL);
  _gh_admin_request_free (request);
}

