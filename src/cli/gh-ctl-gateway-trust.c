/* gh-ctl-gateway-trust.c — `gatehousectl services tls|probe` and `gatehousectl
 * truststore crl …` on a running gateway
 *
 * Both sides of a service's TLS as GET /services/{name}/tls reports them: each accept's
 * certificate choice and its chain, and the back-end probed the way a session reaches
 * it. `services probe` prints the back-end side alone and exits 1 when a session would
 * be refused, for a monitoring check. The truststore's revocation lists are listed,
 * uploaded (each replaces its issuer's) and removed by id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-gateway-trust"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-client-crls.h"
#include "gh-ctl-private.h"

/* One trust-chain, a line per link with its findings under it. */
static void
print_chain (JsonObject *chain,
             const char *indent)
{
  JsonNode *links_node = chain ? json_object_get_member (chain, "links") : NULL;
  JsonArray *links = NULL;

  if (chain == NULL)
    {
      g_print ("%s%s\n", indent, _("no chain"));
      return;
    }
  if (links_node != NULL && JSON_NODE_HOLDS_ARRAY (links_node))
    links = json_node_get_array (links_node);
  g_print ("%s%s (%s)\n", indent,
           json_object_get_boolean_member_with_default (chain, "trusted", FALSE) ? _("trusted") : _("NOT trusted"),
           gh_ctl_json_string (chain, "severity"));
  for (guint i = 0; links != NULL && i < json_array_get_length (links); i++)
    {
      JsonObject *link = gh_ctl_json_element (links, i);
      JsonObject *certificate = gh_ctl_json_object (link, "certificate");
      JsonNode *findings_node = json_object_get_member (link, "findings");
      JsonArray *findings = findings_node && JSON_NODE_HOLDS_ARRAY (findings_node) ? json_node_get_array (findings_node) : NULL;
      g_autofree char *expires = gh_ctl_format_date (gh_ctl_json_string (certificate, "not_after"));

      g_print ("%s  %-12s %-8s %s (%s %s)\n", indent, gh_ctl_json_string (link, "role"),
               gh_ctl_json_string (link, "severity"), gh_ctl_json_string (certificate, "subject"),
               _("expires"), expires);
      for (guint j = 0; findings != NULL && j < json_array_get_length (findings); j++)
        {
          JsonObject *finding = gh_ctl_json_element (findings, j);

          g_print ("%s    %s: %s\n", indent, gh_ctl_json_string (finding, "kind"), gh_ctl_json_string (finding, "message"));
          if (gh_ctl_json_string (finding, "fix")[0] != '\0')
            g_print ("%s      %s %s\n", indent, _("fix:"), gh_ctl_json_string (finding, "fix"));
        }
    }
}

static const char *
or_dash (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : "—";
}

/* Whose trust a served chain needs (docs/design.md, "Whose trust a served chain needs"). */
static const char *
anchor_words (const char *anchor)
{
  if (g_strcmp0 (anchor, "system") == 0)
    return _("a root the system trusts");
  if (g_strcmp0 (anchor, "truststore") == 0)
    return _("a root in the gateway's truststore: clients need it too");
  if (g_strcmp0 (anchor, "clients") == 0)
    return _("a root the clients must trust (neither the system nor the truststore has it)");
  if (g_strcmp0 (anchor, "incomplete") == 0)
    return _("none: the chain does not reach a root");
  return "—";
}

static void
print_probe (JsonObject *connect)
{
  JsonObject *probe = gh_ctl_json_object (connect, "probe");
  JsonObject *client = probe ? gh_ctl_json_object (probe, "client_certificate") : NULL;

  g_print ("%-16s %s\n", _("Back-end:"), gh_ctl_json_string (connect, "uri"));
  if (probe == NULL)
    {
      g_print ("%-16s %s\n", "", _("plain TCP or WebSocket: no TLS to probe"));
      return;
    }
  g_print ("%-16s %s\n", _("Verdict:"), gh_ctl_json_string (probe, "verdict"));
  g_print ("%-16s %s\n", _("SNI sent:"), or_dash (gh_ctl_json_string (probe, "server_name")));
  g_print ("%-16s %s\n", _("Name checked:"), or_dash (gh_ctl_json_string (probe, "verify_name")));
  g_print ("%-16s %s\n", _("TLS:"), or_dash (gh_ctl_json_string (probe, "backend_tls")));
  if (json_object_get_boolean_member_with_default (probe, "certificate_requested", FALSE) && client == NULL)
    g_print ("%-16s %s\n", _("Client cert:"), _("asked for by the back-end, none set"));
  else if (client != NULL)
    g_print ("%-16s %s (%s, %s)\n", _("Client cert:"), gh_ctl_json_string (client, "alias"),
             json_object_get_boolean_member_with_default (client, "requested", FALSE) ? _("asked for") : _("not asked for"),
             json_object_get_boolean_member_with_default (client, "presented", FALSE) ? _("presented") : _("not presented"));
  if (gh_ctl_json_string (probe, "error")[0] != '\0')
    g_print ("%-16s %s\n", _("Problem:"), gh_ctl_json_string (probe, "error"));
  g_print ("%-16s\n", _("Chain:"));
  print_chain (gh_ctl_json_object (probe, "chain"), "  ");
}

static JsonNode *
get_service_tls (GhCtlGateway  *gateway,
                 const char    *name,
                 GError       **error)
{
  g_autofree char *escaped = gh_ctl_escape (name);
  g_autofree char *path = g_strconcat ("services/", escaped, "/tls", NULL);

  return gh_ctl_gateway_get (gateway, path, error);
}

gboolean
gh_ctl_services_tls (const GhCommand  *command,
                     int               argc,
                     char            **argv,
                     GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *accepts;
  JsonObject *connect;

  if (!gh_ctl_gateway_open_for (&gateway, "services", command, argc, argv, 1, error) ||
      (root = get_service_tls (&gateway, argv[1], error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    {
      gh_ctl_print_json (root);
      return TRUE;
    }

  accepts = gh_ctl_json_array (root, "accept");
  for (guint i = 0; accepts != NULL && i < json_array_get_length (accepts); i++)
    {
      JsonObject *accept = gh_ctl_json_element (accepts, i);

      g_print ("%-16s %s\n", _("Accept:"), gh_ctl_json_string (accept, "uri"));
      if (!json_object_get_boolean_member_with_default (accept, "secure", FALSE))
        {
          g_print ("%-16s %s\n", "", _("not TLS"));
          continue;
        }
      g_print ("%-16s %s\n", _("Certificate:"), or_dash (gh_ctl_json_string (accept, "alias")));
      g_print ("%-16s %s\n", _("Anchor:"), anchor_words (gh_ctl_json_string (accept, "anchor")));
      print_chain (gh_ctl_json_object (accept, "chain"), "  ");
    }

  connect = gh_ctl_json_object (json_node_get_object (root), "connect");
  if (connect != NULL)
    print_probe (connect);
  return TRUE;
}

gboolean
gh_ctl_services_probe (const GhCommand  *command,
                       int               argc,
                       char            **argv,
                       GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *connect;
  JsonObject *probe;

  if (!gh_ctl_gateway_open_for (&gateway, "services", command, argc, argv, 1, error) ||
      (root = get_service_tls (&gateway, argv[1], error)) == NULL)
    return FALSE;

  connect = gh_ctl_json_object (json_node_get_object (root), "connect");
  probe = connect ? gh_ctl_json_object (connect, "probe") : NULL;
  if (gh_ctl_options.json)
    gh_ctl_print_json (json_object_get_member (json_node_get_object (root), "connect"));
  else if (connect != NULL)
    print_probe (connect);

  if (connect == NULL)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE, _("The service “%s” has no back-end to probe"), argv[1]);
      return FALSE;
    }
  if (probe != NULL && !json_object_get_boolean_member_with_default (probe, "connected", FALSE))
    {
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_QUIET_FAILURE, _("A session would be refused"));
      return FALSE;
    }
  return TRUE;
}

/* truststore crl … */

gboolean
gh_ctl_truststore_crl_list (const GhCommand  *command,
                            int               argc,
                            char            **argv,
                            GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *crls;

  if (!gh_ctl_gateway_open_for (&gateway, "truststore", command, argc, argv, 0, error) ||
      (root = gh_ctl_gateway_get (&gateway, "truststore/crls", error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    {
      gh_ctl_print_json (root);
      return TRUE;
    }

  crls = gh_ctl_json_array (root, "crls");
  g_print ("%-36s %-10s %-8s %-16s %s\n", _("ISSUER"), _("NEXT"), _("REVOKED"), _("SIGNED BY"), _("ID"));
  for (guint i = 0; crls != NULL && i < json_array_get_length (crls); i++)
    {
      JsonObject *crl = gh_ctl_json_element (crls, i);
      g_autofree char *next = gh_ctl_format_date (gh_ctl_json_string (crl, "next_update"));

      g_print ("%-36s %-10s %-8" G_GINT64_FORMAT " %-16s %s\n", gh_ctl_json_string (crl, "issuer"), or_dash (next),
               gh_ctl_json_int (crl, "revoked"), or_dash (gh_ctl_json_string (crl, "verified_by")),
               gh_ctl_json_string (crl, "id"));
    }

  return TRUE;
}

gboolean
gh_ctl_truststore_crl_add (const GhCommand  *command,
                           int               argc,
                           char            **argv,
                           GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *pem = NULL;
  GError *local_error = NULL;
  gint64 version = 0, new_version = 0;

  if (!gh_ctl_check_arguments (command, argc, argv, 1, error))
    return FALSE;
  if (!g_file_get_contents (argv[1], &pem, NULL, &local_error))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, "%s", local_error->message);
      g_clear_error (&local_error);
      return FALSE;
    }

  if (!gh_ctl_gateway_open (&gateway, "truststore", command, error) ||
      !gh_ctl_gateway_write_version (&gateway, &version, error))
    return FALSE;

  gh_admin_client_add_crls_async (gateway.client, pem, version, NULL, gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  if (!gh_admin_client_add_crls_finish (gateway.client, result, &new_version, &local_error))
    return gh_ctl_gateway_fail (&gateway, local_error, error);

  if (!gh_ctl_options.json)
    g_print (_("The gateway honours the revocation lists of %s now\n"), argv[1]);
  gh_ctl_gateway_print_version (new_version);
  return TRUE;
}

gboolean
gh_ctl_truststore_crl_remove (const GhCommand  *command,
                              int               argc,
                              char            **argv,
                              GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  GError *local_error = NULL;
  gint64 version = 0, new_version = 0;

  if (!gh_ctl_gateway_open_for (&gateway, "truststore", command, argc, argv, 1, error) ||
      !gh_ctl_gateway_write_version (&gateway, &version, error))
    return FALSE;

  gh_admin_client_delete_crl_async (gateway.client, argv[1], version, NULL, gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  if (!gh_admin_client_delete_crl_finish (gateway.client, result, &new_version, &local_error))
    return gh_ctl_gateway_fail (&gateway, local_error, error);

  if (!gh_ctl_options.json)
    g_print (_("The revocation list %s is removed\n"), argv[1]);
  gh_ctl_gateway_print_version (new_version);
  return TRUE;
}
