/* gh-admin-server-crls.c — /api/v1/truststore/crls
 *
 * The revocation lists the gateway honours: kept in the truststore's file (PEM "X509
 * CRL" blocks beside its certificates) and given to GnuTLS for client certificates
 * (tls.verify-client) and back-end chains, and to GhTrustChain for the `revoked`
 * findings. Listed, uploaded and deleted here; a change is made on a copy of the
 * running truststore and applied as the truststore's other changes are, so the file is
 * rewritten atomically and new handshakes honour it at once.
 *
 * A list is known by the SHA-256 of its DER (its "id"). An upload replaces the list of
 * the same issuer (a CRL supersedes the one before it), so pushing each new CRL is all
 * a cron job has to do. A PKCS#12 truststore keeps no CRLs: uploading to one is 409.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-server"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-server-private.h"
#include "gh-json.h"
#include "gh-keystore-crls.h"

static const char * const crl_members[] = { "pem", NULL };

/* The truststore entry whose certificate signed @crl, or NULL. */
static const char *
verifying_alias (GhKeystore *truststore,
                 GhCrl      *crl)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (truststore));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (truststore), i);
      GhCertificate *certificate = gh_keystore_entry_get_certificate (entry);

      if (certificate != NULL && gh_crl_is_issued_by (crl, certificate))
        return gh_keystore_entry_get_alias (entry);
    }
  return NULL;
}

/* A CRL as the API shows it: gh_crl_to_json() and "verified_by", the truststore entry
 * that signed it (null for a list from an intermediate, which the truststore does not
 * hold: GnuTLS and GhTrustChain check it against the chain that meets it). */
static JsonNode *
crl_to_json (GhKeystore *truststore,
             GhCrl      *crl)
{
  JsonNode *node = gh_crl_to_json (crl);
  const char *alias = verifying_alias (truststore, crl);

  if (alias != NULL)
    json_object_set_string_member (json_node_get_object (node), "verified_by", alias);
  else
    json_object_set_null_member (json_node_get_object (node), "verified_by");
  return node;
}

static JsonNode *
crls_to_json (GhKeystore *truststore,
              GPtrArray  *crls)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "crls");
  json_builder_begin_array (builder);
  for (guint i = 0; i < crls->len; i++)
    json_builder_add_value (builder, crl_to_json (truststore, g_ptr_array_index (crls, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* POST /truststore/crls: {"pem": "<one or more X509 CRL blocks>"} */
static void
handle_crl_add (GhAdminRequest *request,
                GhKeystore     *running)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) added = NULL;
  g_autoptr(GPtrArray) crls = NULL;
  g_autoptr(GhKeystore) truststore = NULL;
  JsonObject *object;
  JsonNode *pem;

  if ((object = _gh_admin_parse_body_object (request, crl_members, &root)) == NULL)
    goto out;
  pem = json_object_get_member (object, "pem");
  if (pem == NULL || !JSON_NODE_HOLDS_VALUE (pem) || json_node_get_value_type (pem) != G_TYPE_STRING)
    {
      g_autofree char *detail = g_strdup_printf (_("The member “%s” must be a string"), "pem");

      _gh_admin_respond_problem (request, SOUP_STATUS_BAD_REQUEST, "malformed", detail, NULL);
      goto out;
    }
  if (gh_keystore_get_format (running) != GH_KEYSTORE_FORMAT_PEM)
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_CONFLICT, "conflict",
                                 _("A PKCS#12 truststore keeps no revocation lists: use a PEM truststore"), NULL);
      goto out;
    }
  if ((added = gh_crl_list_from_pem (json_node_get_string (pem), -1, &error)) == NULL)
    {
      _gh_admin_respond_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "pki-error", error->message, NULL);
      goto out;
    }

  /* The lists kept: those of other issuers, then the new ones. */
  crls = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < gh_keystore_get_crls (running)->len; i++)
    {
      GhCrl *kept = g_ptr_array_index (gh_keystore_get_crls (running), i);
      gboolean superseded = FALSE;

      for (guint j = 0; j < added->len && !superseded; j++)
        superseded = g_strcmp0 (gh_crl_get_issuer (kept), gh_crl_get_issuer (g_ptr_array_index (added, j))) == 0;
      if (!superseded)
        g_ptr_array_add (crls, g_object_ref (kept));
    }
  for (guint j = 0; j < added->len; j++)
    g_ptr_array_add (crls, g_object_ref (g_ptr_array_index (added, j)));

  truststore = _gh_admin_store_copy (running);
  gh_keystore_set_crls (truststore, crls);
  _gh_admin_store_apply (request, NULL, truststore, SOUP_STATUS_CREATED, crls_to_json (running, added));
  return;

out:
  _gh_admin_request_free (request);
}

/* DELETE /truststore/crls/{id} */
static void
handle_crl_remove (GhAdminRequest *request,
                   GhKeystore     *running,
                   GhCrl          *crl)
{
  g_autoptr(GhKeystore) truststore = _gh_admin_store_copy (running);

  /* The copy's own array holds its own references. */
  g_ptr_array_remove (gh_keystore_get_crls (truststore), crl);
  _gh_admin_store_apply (request, NULL, truststore, SOUP_STATUS_OK, NULL);
}

void
_gh_admin_handle_truststore_crls (GhAdminRequest *request)
{
  const char *method = soup_server_message_get_method (request->msg);
  guint n = g_strv_length (request->segments);
  GhKeystore *truststore = gh_gateway_get_truststore (request->server->gateway);
  GhCrl *crl = NULL;

  if (n == 2)
    {
      if (g_str_equal (method, "GET"))
        {
          g_autoptr(GPtrArray) none = g_ptr_array_new ();

          _gh_admin_respond_json (request, SOUP_STATUS_OK,
                                  crls_to_json (truststore, truststore ? gh_keystore_get_crls (truststore) : none));
          _gh_admin_request_free (request);
          return;
        }
      if (!g_str_equal (method, "POST"))
        {
          _gh_admin_store_refuse_method (request, "GET, POST");
          return;
        }
      request->action = g_strdup ("truststore crl add");
      if (!_gh_admin_store_check_write (request))
        return;
      if (truststore == NULL)
        {
          _gh_admin_respond_problem (request, SOUP_STATUS_CONFLICT, "conflict",
                                     _("The configuration names no truststore (security.truststore.file)"), NULL);
          _gh_admin_request_free (request);
          return;
        }
      handle_crl_add (request, truststore);
      return;
    }

  if (n == 3 && truststore != NULL)
    crl = gh_keystore_lookup_crl (truststore, request->segments[2]);

  if (n == 3 && g_str_equal (method, "GET"))
    {
      if (crl == NULL)
        _gh_admin_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", NULL, NULL);
      else
        _gh_admin_respond_json (request, SOUP_STATUS_OK, crl_to_json (truststore, crl));
      _gh_admin_request_free (request);
      return;
    }
  if (n == 3 && g_str_equal (method, "DELETE"))
    {
      request->action = g_strdup_printf ("truststore crl delete %s", request->segments[2]);
      if (!_gh_admin_store_check_write (request))
        return;
      if (crl == NULL)
        {
          _gh_admin_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", NULL, NULL);
          _gh_admin_request_free (request);
          return;
        }
      handle_crl_remove (request, truststore, crl);
      return;
    }
  if (n == 3)
    {
      _gh_admin_store_refuse_method (request, "GET, DELETE");
      return;
    }

  _gh_admin_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", NULL, NULL);
  _gh_admin_request_free (request);
}
