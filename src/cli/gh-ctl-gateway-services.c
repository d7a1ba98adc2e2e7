/* gh-ctl-gateway-services.c — `gatehousectl services …` on a running gateway
 *
 * list and show read /services; start and stop are the typed calls; apply reads
 * service objects from a file, puts them into the current configuration (replacing
 * those of the same name, adding the others) and writes it back with If-Match.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-gateway-services"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "gh-ctl-private.h"

static void
print_service_row (JsonObject *service)
{
  g_autofree char *accept = gh_ctl_json_join (service, "accept", " ");

  g_print ("%-20s %-10s %-8s %6" G_GINT64_FORMAT " %8" G_GINT64_FORMAT "  %s\n",
           gh_ctl_json_string (service, "name"), gh_ctl_json_string (service, "type"),
           gh_ctl_json_string (service, "state"), gh_ctl_json_int (service, "sessions_open"),
           gh_ctl_json_int (service, "sessions_total"), accept);
}

static void
print_service_header (void)
{
  g_print ("%-20s %-10s %-8s %6s %8s  %s\n", _("NAME"), _("TYPE"), _("STATE"), _("OPEN"), _("TOTAL"), _("ACCEPT"));
}

gboolean
gh_ctl_services_list (const GhCommand  *command,
                      int               argc,
                      char            **argv,
                      GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *services;

  if (!gh_ctl_gateway_open_for (&gateway, "services", command, argc, argv, 0, error) ||
      (root = gh_ctl_gateway_get (&gateway, "services", error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    {
      gh_ctl_print_json (root);
      return TRUE;
    }

  services = gh_ctl_json_array (root, "services");
  print_service_header ();
  for (guint i = 0; services != NULL && i < json_array_get_length (services); i++)
    print_service_row (gh_ctl_json_element (services, i));

  return TRUE;
}

gboolean
gh_ctl_services_show (const GhCommand  *command,
                      int               argc,
                      char            **argv,
                      GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *name = NULL, *path = NULL, *accept = NULL, *config = NULL;
  JsonObject *service;
  JsonNode *config_node;

  if (!gh_ctl_gateway_open_for (&gateway, "services", command, argc, argv, 1, error))
    return FALSE;

  name = gh_ctl_escape (argv[1]);
  path = g_strconcat ("services/", name, NULL);
  if ((root = gh_ctl_gateway_get (&gateway, path, error)) == NULL)
    return FALSE;

  if (gh_ctl_options.json)
    {
      gh_ctl_print_json (root);
      return TRUE;
    }

  service = json_node_get_object (root);
  accept = gh_ctl_json_join (service, "accept", ", ");
  g_print ("%-14s %s\n", _("Name:"), gh_ctl_json_string (service, "name"));
  g_print ("%-14s %s\n", _("Type:"), gh_ctl_json_string (service, "type"));
  if (gh_ctl_json_string (service, "description")[0] != '\0')
    g_print ("%-14s %s\n", _("Description:"), gh_ctl_json_string (service, "description"));
  g_print ("%-14s %s\n", _("State:"), gh_ctl_json_string (service, "state"));
  g_print ("%-14s %s\n", _("Accept:"), accept);
  if (gh_ctl_json_string (service, "connect")[0] != '\0')
    g_print ("%-14s %s\n", _("Connect:"), gh_ctl_json_string (service, "connect"));
  g_print (_("%-14s %" PRId64 " open, %" PRId64 " in all\n"), _("Sessions:"),
           gh_ctl_json_int (service, "sessions_open"), gh_ctl_json_int (service, "sessions_total"));
  if ((config_node = json_object_get_member (service, "config")) != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();

      json_generator_set_pretty (generator, TRUE);
      json_generator_set_indent (generator, 2);
      json_generator_set_root (generator, config_node);
      config = json_generator_to_data (generator, NULL);
      g_print ("%s\n%s\n", _("Configuration:"), config);
    }

  return TRUE;
}

static gboolean
change_service_state (const GhCommand  *command,
                      int               argc,
                      char            **argv,
                      gboolean          start,
                      GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GhApiService) service = NULL;
  GError *local_error = NULL;

  if (!gh_ctl_gateway_open_for (&gateway, "services", command, argc, argv, 1, error))
    return FALSE;

  if (start)
    gh_admin_client_start_service_async (gateway.client, argv[1], NULL, gh_ctl_gateway_store_result, &result);
  else
    gh_admin_client_stop_service_async (gateway.client, argv[1], NULL, gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  service = start ? gh_admin_client_start_service_finish (gateway.client, result, &local_error)
                  : gh_admin_client_stop_service_finish (gateway.client, result, &local_error);
  if (service == NULL)
    return gh_ctl_gateway_fail (&gateway, local_error, error);

  if (gh_ctl_options.json)
    {
      g_autofree char *name = gh_ctl_escape (argv[1]);
      g_autofree char *path = g_strconcat ("services/", name, NULL);
      g_autoptr(JsonNode) root = gh_ctl_gateway_get (&gateway, path, error);

      if (root == NULL)
        return FALSE;
      gh_ctl_print_json (root);
    }
  else if (start)
    g_print (_("Started “%s”: it accepts connections again\n"), gh_api_service_get_name (service));
  else
    g_print (_("Stopped “%s”: it refuses new connections, and its sessions were closed\n"),
             gh_api_service_get_name (service));

  return TRUE;
}

gboolean
gh_ctl_services_start (const GhCommand  *command,
                       int               argc,
                       char            **argv,
                       GError          **error)
{
  return change_service_state (command, argc, argv, TRUE, error);
}

gboolean
gh_ctl_services_stop (const GhCommand  *command,
                      int               argc,
                      char            **argv,
                      GError          **error)
{
  return change_service_state (command, argc, argv, FALSE, error);
}

/* The service objects FILE holds: one object with a "name", or a list of them. */
static GPtrArray *
read_service_objects (const char  *path,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) services = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED, "%s: %s", path, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root) && json_object_has_member (json_node_get_object (root), "name"))
    {
      g_ptr_array_add (services, json_node_copy (root));
    }
  else if (root != NULL && JSON_NODE_HOLDS_ARRAY (root) && json_array_get_length (json_node_get_array (root)) > 0)
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *object = gh_ctl_json_element (array, i);

          if (object == NULL || gh_ctl_json_string (object, "name")[0] == '\0')
            {
              g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                           _("%s: item %u of the list is not a service object with a “name”"), path, i);
              return NULL;
            }
          g_ptr_array_add (services, json_node_copy (json_array_get_element (array, i)));
        }
    }
  else
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                   _("%s: give one service object ({\"name\": …, \"type\": …, \"accept\": […]}) or a list of them; "
                     "a whole configuration is not a service"), path);
      return NULL;
    }

  for (guint i = 0; i < services->len; i++)
    {
      JsonObject *object = json_node_get_object (g_ptr_array_index (services, i));
      JsonNode *name = json_object_get_member (object, "name");

      if (!JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING)
        {
          g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_FAILED,
                       _("%s: a service’s “name” is a string"), path);
          return NULL;
        }
    }

  return g_steal_pointer (&services);
}

gboolean
gh_ctl_services_apply (const GhCommand  *command,
                       int               argc,
                       char            **argv,
                       GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GPtrArray) services = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) put_result = NULL;
  g_autoptr(GhGatewayConfig) current = NULL;
  g_autoptr(GhGatewayConfig) changed = NULL;
  g_autoptr(JsonNode) current_json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) replaced = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *current_text = NULL, *changed_text = NULL;
  g_autoptr(GError) config_error = NULL;
  JsonObject *document;
  JsonArray *old_list = NULL, *new_list;
  JsonNode *list_node;
  GError *local_error = NULL;
  gint64 version = 0, new_version = 0;

  if (!gh_ctl_check_arguments (command, argc, argv, 1, error) ||
      (services = read_service_objects (argv[1], error)) == NULL ||
      !gh_ctl_gateway_open (&gateway, "services", command, error))
    return FALSE;

  /* The configuration as it is, and its version (unless --if-match pins one). */
  gh_admin_client_get_config_async (gateway.client, NULL, gh_ctl_gateway_store_result, &result);
  gh_ctl_gateway_wait (&result);
  current = gh_admin_client_get_config_finish (gateway.client, result, &version, &local_error);
  if (current == NULL)
    return gh_ctl_gateway_fail (&gateway, local_error, error);
  gateway.if_match = version;
  if (gh_ctl_options.if_match != NULL && !gh_ctl_gateway_write_version (&gateway, &version, error))
    return FALSE;

  /* Replace the services of those names, add the others at the end. */
  current_json = gh_gateway_config_to_json (current);
  current_text = json_to_string (current_json, FALSE);
  if (!json_parser_load_from_data (parser, current_text, -1, &local_error))
    return gh_ctl_gateway_fail (&gateway, local_error, error);
  document = json_node_get_object (json_parser_get_root (parser));
  if ((list_node = json_object_get_member (document, "services")) != NULL && JSON_NODE_HOLDS_ARRAY (list_node))
    old_list = json_node_get_array (list_node);

  new_list = json_array_new ();
  for (guint i = 0; old_list != NULL && i < json_array_get_length (old_list); i++)
    {
      JsonNode *element = json_array_get_element (old_list, i);
      const char *name = gh_ctl_json_string (gh_ctl_json_element (old_list, i), "name");
      JsonNode *replacement = NULL;

      for (guint j = 0; j < services->len && replacement == NULL; j++)
        {
          JsonNode *candidate = g_ptr_array_index (services, j);

          if (g_str_equal (name, gh_ctl_json_string (json_node_get_object (candidate), "name")))
            replacement = candidate;
        }
      if (replacement != NULL)
        g_ptr_array_add (replaced, g_strdup (name));
      json_array_add_element (new_list, json_node_copy (replacement != NULL ? replacement : element));
    }
  for (guint j = 0; j < services->len; j++)
    {
      JsonNode *candidate = g_ptr_array_index (services, j);
      const char *name = gh_ctl_json_string (json_node_get_object (candidate), "name");

      if (!g_ptr_array_find_with_equal_func (replaced, name, g_str_equal, NULL) &&
          !g_ptr_array_find_with_equal_func (added, name, g_str_equal, NULL))
        {
          g_ptr_array_add (added, g_strdup (name));
          json_array_add_element (new_list, json_node_copy (candidate));
        }
    }
  json_object_set_array_member (document, "services", new_list);

  changed_text = json_to_string (json_parser_get_root (parser), FALSE);
  changed = gh_gateway_config_new_from_data (changed_text, -1, &config_error);
  if (changed == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("%s cannot be part of a configuration: %s"),
                                                  argv[1], config_error->message);
      g_set_error_literal (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_INVALID, message);
      return FALSE;
    }

  gh_admin_client_put_config_async (gateway.client, changed, version, NULL, gh_ctl_gateway_store_result, &put_result);
  gh_ctl_gateway_wait (&put_result);
  if (!gh_admin_client_put_config_finish (gateway.client, put_result, &new_version, &local_error))
    return gh_ctl_gateway_fail (&gateway, local_error, error);

  if (gh_ctl_options.json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();
      JsonArray *added_names = json_array_new (), *replaced_names = json_array_new ();

      for (guint i = 0; i < added->len; i++)
        json_array_add_string_element (added_names, g_ptr_array_index (added, i));
      for (guint i = 0; i < replaced->len; i++)
        json_array_add_string_element (replaced_names, g_ptr_array_index (replaced, i));
      json_object_set_int_member (object, "version", new_version);
      json_object_set_array_member (object, "added", added_names);
      json_object_set_array_member (object, "replaced", replaced_names);
      json_node_take_object (node, object);
      gh_ctl_print_json (node);
      return TRUE;
    }

  for (guint i = 0; i < added->len; i++)
    g_print (_("Added service “%s”\n"), (const char *) g_ptr_array_index (added, i));
  for (guint i = 0; i < replaced->len; i++)
    g_print (_("Replaced service “%s”\n"), (const char *) g_ptr_array_index (replaced, i));
  gh_ctl_gateway_print_version (new_version);

  return TRUE;
}
