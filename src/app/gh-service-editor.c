/* gh-service-editor.c — a dialog editing one service of a gateway's configuration
 *
 * The editor keeps the configuration it started from (its version is the If-Match of
 * the apply) and the service's JSON object as written. This file holds the form: the
 * fields, which of them a service's type shows, loading them from the service object
 * and building the object they describe back on top of the original, members the
 * admin did not touch left exactly as written.
 *
 * GhServiceEditor is split by concern around gh-service-editor-private.h: checking
 * what the fields make, with each problem on its field, is gh-service-editor-check.c's;
 * applying it (PUT, the gateway's own problems, the 412 conflict view and re-apply) is
 * gh-service-editor-apply.c's. What is done to the JSON (putting the service back,
 * keeping what the file says, the merge, the lines that describe a change) is
 * gh-config-edit's, in the core library with its tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-service-editor"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gh-config-edit.h"
#include "gh-service-editor-private.h"

/* The protocols-and-ciphers rows: gh-config-edit's presets, then "Custom". */
#define PRIORITY_CUSTOM GH_CONFIG_EDIT_N_PRIORITY_PRESETS

static const char * const type_names[] = { "proxy", "echo", "directory" };
static const char * const verify_client_names[] = { "none", "optional", "required" };

G_DEFINE_FINAL_TYPE (GhServiceEditor, gh_service_editor, ADW_TYPE_DIALOG)

enum {
  SIGNAL_APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_gh_service_editor_emit_applied (GhServiceEditor *self,
                                 gint64           new_version,
                                 const char      *name)
{
  g_signal_emit (self, signals[SIGNAL_APPLIED], 0, self->base_version, new_version, name);
}

/* Priority rows */

static void
priority_load (AdwComboRow *combo,
               AdwEntryRow *custom,
               const char  *value)
{
  guint selected = gh_config_edit_find_priority_preset (value);

  adw_combo_row_set_selected (combo, selected);
  gtk_editable_set_text (GTK_EDITABLE (custom), selected == PRIORITY_CUSTOM ? value : "");
}

static JsonNode *
priority_value (AdwComboRow *combo,
                AdwEntryRow *custom)
{
  guint selected = adw_combo_row_get_selected (combo);

  if (selected == PRIORITY_CUSTOM)
    return gh_config_edit_string_node (gtk_editable_get_text (GTK_EDITABLE (custom)));
  return gh_config_edit_string_node (gh_config_edit_get_priority_preset (selected));
}

/* The presets' names, in gh-config-edit's order. */
static GtkStringList *
priority_model (void)
{
  const char * const items[] = {
    _("Default (TLS 1.2 and 1.3)"),
    _("TLS 1.3 Only"),
    _("Compatible (More Ciphers)"),
    _("Custom"),
    NULL
  };

  return gtk_string_list_new (items);
}

/* Explanations */

static void
field_view_init (FieldView *view,
                 GtkWidget *row,
                 GtkWidget *listbox,
                 int        position)
{
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *explanation = g_object_new (ADW_TYPE_PREFERENCES_ROW,
                                         "activatable", FALSE,
                                         "selectable", FALSE,
                                         "focusable", FALSE,
                                         "visible", FALSE,
                                         "child", label,
                                         NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 8);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (explanation, "gh-field-explanation");

  view->row = row;
  view->explanation = ADW_PREFERENCES_ROW (explanation);
  view->label = GTK_LABEL (label);
  if (listbox != NULL)
    gtk_list_box_insert (GTK_LIST_BOX (listbox), explanation, position);
}

/* Under @row, in its group's list. */
static void
field_view_init_after (FieldView *view,
                       GtkWidget *row)
{
  GtkWidget *listbox = gtk_widget_get_parent (row);

  g_assert (GTK_IS_LIST_BOX (listbox));
  field_view_init (view, row, listbox, gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) + 1);
}

void
_gh_service_editor_field_view_set (FieldView  *view,
                                   const char *message)
{
  gboolean invalid = message != NULL;
  GtkWidget *row = view->row;

  if (invalid)
    {
      const char *old = gtk_label_get_label (view->label);

      /* Several problems of one field: one line each. */
      if (gtk_widget_get_visible (GTK_WIDGET (view->explanation)) && old != NULL && *old != '\0' &&
          strstr (old, message) == NULL)
        {
          g_autofree char *both = g_strdup_printf ("%s\n%s", old, message);
          gtk_label_set_label (view->label, both);
        }
      else
        gtk_label_set_label (view->label, message);
    }
  else
    gtk_label_set_label (view->label, "");

  gtk_widget_set_visible (GTK_WIDGET (view->explanation), invalid);
  if (row == NULL)
    return;

  if (invalid)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  if (invalid)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                    GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, view->label, NULL,
                                    -1);
  else
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
}

/* Accept rows */

static void
renumber_accepts (GhServiceEditor *self)
{
  for (guint i = 0; i < self->accepts->len; i++)
    {
      AcceptRow *accept = g_ptr_array_index (self->accepts, i);
      g_autofree char *title = g_strdup_printf (_("Accept URI %u"), i + 1);
      g_autofree char *remove = g_strdup_printf (_("Remove Accept URI %u"), i + 1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (accept->row), title);
      gtk_widget_set_tooltip_text (GTK_WIDGET (accept->remove), remove);
      gtk_accessible_update_property (GTK_ACCESSIBLE (accept->remove),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, remove,
                                      -1);
      gtk_widget_set_sensitive (GTK_WIDGET (accept->remove), self->accepts->len > 1);
    }
}

static void
accept_row_free (gpointer data)
{
  g_free (data);
}

static void
on_accept_changed (GtkEditable     *editable,
                   GhServiceEditor *self)
{
  if (self->loading)
    return;
  for (guint i = 0; i < self->accepts->len; i++)
    {
      AcceptRow *accept = g_ptr_array_index (self->accepts, i);

      if ((GtkEditable *) accept->row == editable)
        accept->view.touched = TRUE;
    }
  _gh_service_editor_revalidate (self);
}

static void
on_remove_accept_clicked (GtkButton       *button,
                          GhServiceEditor *self)
{
  for (guint i = 0; i < self->accepts->len; i++)
    {
      AcceptRow *accept = g_ptr_array_index (self->accepts, i);

      if (accept->remove == button)
        {
          AcceptRow *next = i + 1 < self->accepts->len ? g_ptr_array_index (self->accepts, i + 1)
                                                       : i > 0 ? g_ptr_array_index (self->accepts, i - 1) : NULL;

          adw_preferences_group_remove (self->accept_group, GTK_WIDGET (accept->view.explanation));
          adw_preferences_group_remove (self->accept_group, GTK_WIDGET (accept->row));
          g_ptr_array_remove_index (self->accepts, i);
          renumber_accepts (self);
          if (next != NULL)
            gtk_widget_grab_focus (GTK_WIDGET (next->row));
          _gh_service_editor_revalidate (self);
          return;
        }
    }
}

static AcceptRow *
add_accept_row (GhServiceEditor *self,
                const char      *text)
{
  AcceptRow *accept = g_new0 (AcceptRow, 1);
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  accept->row = ADW_ENTRY_ROW (adw_entry_row_new ());
  gtk_editable_set_text (GTK_EDITABLE (accept->row), text != NULL ? text : "");
  adw_entry_row_set_input_purpose (accept->row, GTK_INPUT_PURPOSE_URL);
  g_signal_connect_object (accept->row, "changed", G_CALLBACK (on_accept_changed), self, 0);

  accept->remove = GTK_BUTTON (remove);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_accept_clicked), self, 0);
  adw_entry_row_add_suffix (accept->row, remove);

  adw_preferences_group_add (self->accept_group, GTK_WIDGET (accept->row));
  field_view_init_after (&accept->view, GTK_WIDGET (accept->row));
  accept->view.touched = text != NULL && *text != '\0';
  g_ptr_array_add (self->accepts, accept);
  renumber_accepts (self);

  return accept;
}

static void
clear_accept_rows (GhServiceEditor *self)
{
  for (guint i = 0; i < self->accepts->len; i++)
    {
      AcceptRow *accept = g_ptr_array_index (self->accepts, i);

      adw_preferences_group_remove (self->accept_group, GTK_WIDGET (accept->view.explanation));
      adw_preferences_group_remove (self->accept_group, GTK_WIDGET (accept->row));
    }
  g_ptr_array_set_size (self->accepts, 0);
}

static gboolean
scheme_is (const char *uri,
           const char *scheme)
{
  g_autofree char *found = g_uri_parse_scheme (uri);

  return found != NULL && g_ascii_strcasecmp (found, scheme) == 0;
}

static gboolean
has_secure_accept (GhServiceEditor *self)
{
  for (guint i = 0; i < self->accepts->len; i++)
    {
      AcceptRow *accept = g_ptr_array_index (self->accepts, i);
      const char *text = gtk_editable_get_text (GTK_EDITABLE (accept->row));

      if (scheme_is (text, "wss") || scheme_is (text, "https") || scheme_is (text, "ssl"))
        return TRUE;
    }
  return FALSE;
}

static const char *
selected_type (GhServiceEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->type_row);

  return selected < G_N_ELEMENTS (type_names) ? type_names[selected] : "proxy";
}

static gboolean
has_secure_connect (GhServiceEditor *self)
{
  const char *connect = gtk_editable_get_text (GTK_EDITABLE (self->connect_row));

  return g_str_equal (selected_type (self), "proxy") &&
         (scheme_is (connect, "ssl") || scheme_is (connect, "wss"));
}

/* What the fields show */

void
_gh_service_editor_update_visibility (GhServiceEditor *self)
{
  const char *type = selected_type (self);
  gboolean proxy = g_str_equal (type, "proxy");
  gboolean directory = g_str_equal (type, "directory");
  gboolean secure_connect = has_secure_connect (self);

  gtk_widget_set_visible (GTK_WIDGET (self->connect_row), proxy);
  gtk_widget_set_visible (GTK_WIDGET (self->directory_row), directory);
  gtk_widget_set_visible (GTK_WIDGET (self->tls_group), has_secure_accept (self));
  gtk_widget_set_visible (GTK_WIDGET (self->tls_custom_row),
                          adw_combo_row_get_selected (self->tls_priority_row) == PRIORITY_CUSTOM);
  gtk_widget_set_visible (GTK_WIDGET (self->backend_group), secure_connect);
  gtk_widget_set_visible (GTK_WIDGET (self->connect_custom_row),
                          adw_combo_row_get_selected (self->connect_priority_row) == PRIORITY_CUSTOM);

  if (directory)
    adw_preferences_group_set_description (self->accept_group,
                                           _("Where browsers fetch the files: https or http URIs with a path"));
  else
    adw_preferences_group_set_description (self->accept_group,
                                           _("Where clients connect: wss or ws URIs with a path, ssl or tcp URIs with a port"));
}

/* The service object the fields describe, on top of the original as written. */
JsonObject *
_gh_service_editor_build_service_object (GhServiceEditor *self)
{
  JsonObject *service = self->original != NULL ? gh_config_edit_copy_object (self->original) : json_object_new ();
  g_autoptr(JsonObject) tls = gh_config_edit_dup_member_object (service, "tls");
  g_autoptr(JsonObject) connect_tls = gh_config_edit_dup_member_object (service, "connect-tls");
  g_autoptr(JsonObject) limits = gh_config_edit_dup_member_object (service, "limits");
  g_autoptr(JsonNode) default_priority = gh_config_edit_string_node (GH_CONFIG_DEFAULT_TLS_PRIORITY);
  g_autoptr(JsonNode) verify_none = gh_config_edit_string_node ("none");
  g_autoptr(JsonNode) verify_true = json_node_init_boolean (json_node_alloc (), TRUE);
  g_autoptr(JsonNode) default_pending = gh_config_edit_int_node (GH_CONFIG_DEFAULT_MAX_PENDING_BYTES);
  g_autoptr(JsonNode) default_idle = gh_config_edit_int_node (GH_CONFIG_DEFAULT_IDLE_TIMEOUT);
  g_autoptr(JsonNode) default_sessions = gh_config_edit_int_node (GH_CONFIG_DEFAULT_MAX_SESSIONS);
  g_autoptr(JsonArray) accept = json_array_new ();
  g_autoptr(JsonNode) accept_node = json_node_new (JSON_NODE_ARRAY);
  const char *type = selected_type (self);
  gboolean proxy = g_str_equal (type, "proxy");
  gboolean directory = g_str_equal (type, "directory");
  guint verify_client = adw_combo_row_get_selected (self->verify_client_row);
  guint alias = adw_combo_row_get_selected (self->client_alias_row);
  gint64 pending = (gint64) adw_spin_row_get_value (self->pending_row);
  gint64 idle = (gint64) adw_spin_row_get_value (self->idle_row);
  gint64 sessions = (gint64) adw_spin_row_get_value (self->sessions_row);

  json_object_set_string_member (service, "name", gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  gh_config_edit_update_member (service, "description",
                 gh_config_edit_string_node (gtk_editable_get_text (GTK_EDITABLE (self->description_row))), NULL);
  json_object_set_string_member (service, "type", type);

  for (guint i = 0; i < self->accepts->len; i++)
    {
      AcceptRow *row = g_ptr_array_index (self->accepts, i);

      json_array_add_string_element (accept, gtk_editable_get_text (GTK_EDITABLE (row->row)));
    }
  json_node_set_array (accept_node, accept);
  gh_config_edit_update_member (service, "accept", json_node_copy (accept_node), NULL);

  gh_config_edit_update_member (service, "connect",
                 proxy ? gh_config_edit_string_node (gtk_editable_get_text (GTK_EDITABLE (self->connect_row))) : NULL, NULL);
  gh_config_edit_update_member (service, "directory",
                 directory ? gh_config_edit_string_node (gtk_editable_get_text (GTK_EDITABLE (self->directory_row))) : NULL,
                 NULL);

  if (has_secure_accept (self))
    {
      gh_config_edit_update_member (tls, "priority", priority_value (self->tls_priority_row, self->tls_custom_row),
                     default_priority);
      gh_config_edit_update_member (tls, "verify-client",
                     verify_client > 0 && verify_client < G_N_ELEMENTS (verify_client_names)
                       ? gh_config_edit_string_node (verify_client_names[verify_client]) : NULL,
                     verify_none);
      gh_config_edit_put_member_object (service, "tls", tls);
    }
  else
    json_object_remove_member (service, "tls");

  if (has_secure_connect (self))
    {
      gh_config_edit_update_member (connect_tls, "priority",
                     priority_value (self->connect_priority_row, self->connect_custom_row), default_priority);
      gh_config_edit_update_member (connect_tls, "verify",
                     adw_switch_row_get_active (self->connect_verify_row)
                       ? NULL : json_node_init_boolean (json_node_alloc (), FALSE),
                     verify_true);
      gh_config_edit_update_member (connect_tls, "server-name",
                     gh_config_edit_string_node (gtk_editable_get_text (GTK_EDITABLE (self->server_name_row))), NULL);
      gh_config_edit_update_member (connect_tls, "client-certificate-alias",
                     alias > 0 && alias <= self->aliases->len
                       ? gh_config_edit_string_node (g_ptr_array_index (self->aliases, alias - 1)) : NULL,
                     NULL);
      gh_config_edit_put_member_object (service, "connect-tls", connect_tls);
    }
  else
    json_object_remove_member (service, "connect-tls");

  gh_config_edit_update_member (limits, "max-pending-bytes",
                 pending != GH_CONFIG_DEFAULT_MAX_PENDING_BYTES ? gh_config_edit_int_node (pending) : NULL, default_pending);
  gh_config_edit_update_member (limits, "idle-timeout",
                 idle != GH_CONFIG_DEFAULT_IDLE_TIMEOUT ? gh_config_edit_int_node (idle) : NULL, default_idle);
  gh_config_edit_update_member (limits, "max-sessions",
                 sessions != GH_CONFIG_DEFAULT_MAX_SESSIONS ? gh_config_edit_int_node (sessions) : NULL, default_sessions);
  gh_config_edit_put_member_object (service, "limits", limits);

  return service;
}

/* Loading the fields */

static void
set_aliases (GhServiceEditor *self,
             const char      *selected)
{
  const char * const *aliases = (const char * const *) self->keystore_aliases;
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  guint position = 0;

  g_ptr_array_set_size (self->aliases, 0);
  gtk_string_list_append (model, _("None"));
  for (guint i = 0; aliases != NULL && aliases[i] != NULL; i++)
    {
      g_ptr_array_add (self->aliases, g_strdup (aliases[i]));
      gtk_string_list_append (model, aliases[i]);
      if (g_strcmp0 (aliases[i], selected) == 0)
        position = i + 1;
    }
  /* An alias the keystore does not hold (yet) stays what the file says. */
  if (selected != NULL && position == 0)
    {
      g_autofree char *missing = g_strdup_printf (_("%s (not in the keystore)"), selected);

      g_ptr_array_add (self->aliases, g_strdup (selected));
      gtk_string_list_append (model, missing);
      position = self->aliases->len;
    }

  adw_combo_row_set_model (self->client_alias_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->client_alias_row, position);
}

static const char *
selected_alias (GhServiceEditor *self)
{
  guint alias = adw_combo_row_get_selected (self->client_alias_row);

  return alias > 0 && alias <= self->aliases->len ? g_ptr_array_index (self->aliases, alias - 1) : NULL;
}

static void
spin_load (AdwSpinRow *row,
           JsonObject *limits,
           const char *member,
           gint64      fallback)
{
  JsonNode *node = limits != NULL ? json_object_get_member (limits, member) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    adw_spin_row_set_value (row, json_node_get_int (node));
  else
    adw_spin_row_set_value (row, fallback);
}

void
_gh_service_editor_load_service (GhServiceEditor *self,
                                 JsonObject      *service)
{
  JsonObject *tls = gh_config_edit_get_object (service, "tls");
  JsonObject *connect_tls = gh_config_edit_get_object (service, "connect-tls");
  JsonObject *limits = gh_config_edit_get_object (service, "limits");
  JsonNode *accept = service != NULL ? json_object_get_member (service, "accept") : NULL;
  JsonNode *verify = connect_tls != NULL ? json_object_get_member (connect_tls, "verify") : NULL;
  const char *type = gh_config_edit_get_string (service, "type");
  const char *verify_client = gh_config_edit_get_string (tls, "verify-client");

  self->loading = TRUE;

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), gh_config_edit_get_string (service, "name") ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->description_row), gh_config_edit_get_string (service, "description") ?: "");
  adw_combo_row_set_selected (self->type_row, 0);
  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (type_names); i++)
    if (g_str_equal (type, type_names[i]))
      adw_combo_row_set_selected (self->type_row, i);
  gtk_editable_set_text (GTK_EDITABLE (self->connect_row), gh_config_edit_get_string (service, "connect") ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->directory_row), gh_config_edit_get_string (service, "directory") ?: "");

  clear_accept_rows (self);
  if (accept != NULL && JSON_NODE_HOLDS_ARRAY (accept))
    {
      JsonArray *array = json_node_get_array (accept);

      for (guint i = 0; i < json_array_get_length (array); i++)
        add_accept_row (self, json_array_get_string_element (array, i));
    }
  if (self->accepts->len == 0)
    add_accept_row (self, NULL);

  priority_load (self->tls_priority_row, self->tls_custom_row, gh_config_edit_get_string (tls, "priority"));
  adw_combo_row_set_selected (self->verify_client_row, 0);
  for (guint i = 0; verify_client != NULL && i < G_N_ELEMENTS (verify_client_names); i++)
    if (g_str_equal (verify_client, verify_client_names[i]))
      adw_combo_row_set_selected (self->verify_client_row, i);

  adw_switch_row_set_active (self->connect_verify_row,
                             verify == NULL || !JSON_NODE_HOLDS_VALUE (verify) || json_node_get_boolean (verify));
  gtk_editable_set_text (GTK_EDITABLE (self->server_name_row), gh_config_edit_get_string (connect_tls, "server-name") ?: "");
  set_aliases (self, gh_config_edit_get_string (connect_tls, "client-certificate-alias"));
  priority_load (self->connect_priority_row, self->connect_custom_row, gh_config_edit_get_string (connect_tls, "priority"));

  spin_load (self->pending_row, limits, "max-pending-bytes", GH_CONFIG_DEFAULT_MAX_PENDING_BYTES);
  spin_load (self->idle_row, limits, "idle-timeout", GH_CONFIG_DEFAULT_IDLE_TIMEOUT);
  spin_load (self->sessions_row, limits, "max-sessions", GH_CONFIG_DEFAULT_MAX_SESSIONS);

  self->loading = FALSE;
  _gh_service_editor_update_visibility (self);
  _gh_service_editor_revalidate (self);
}

static void
on_entry_changed (GtkEditable     *editable,
                  GhServiceEditor *self)
{
  _gh_service_editor_field_changed (self, NULL, G_OBJECT (editable));
}

static void
editor_add_accept (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GhServiceEditor *self = GH_SERVICE_EDITOR (widget);
  AcceptRow *accept;

  if (self->accepts->len >= GH_CONFIG_MAX_ACCEPTS)
    return;
  accept = add_accept_row (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (accept->row));
  _gh_service_editor_revalidate (self);
}

/* The keystore's key entries, for the client certificate. */
static void
on_keystore (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GhServiceEditor) self = user_data;
  g_autoptr(GListModel) entries = gh_admin_client_list_keystore_finish (GH_ADMIN_CLIENT (source), result, NULL);
  g_autoptr(GStrvBuilder) aliases = g_strv_builder_new ();
  g_autofree char *selected = NULL;
  gboolean loading = self->loading;

  if (entries == NULL)
    return;

  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(GhApiKeystoreEntry) entry = g_list_model_get_item (entries, i);

      if (gh_api_keystore_entry_get_kind (entry) == GH_API_KEYSTORE_ENTRY_KEY)
        g_strv_builder_add (aliases, gh_api_keystore_entry_get_alias (entry));
    }

  g_strfreev (self->keystore_aliases);
  self->keystore_aliases = g_strv_builder_end (aliases);
  selected = g_strdup (selected_alias (self));
  self->loading = TRUE;
  set_aliases (self, selected);
  self->loading = loading;
}

/* GObject */

GhServiceEditor *
gh_service_editor_new (GhAdminClient   *client,
                       GhGatewayConfig *config,
                       gint64           version,
                       const char      *service_name)
{
  GhServiceEditor *self;

  g_return_val_if_fail (GH_IS_ADMIN_CLIENT (client), NULL);
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (config), NULL);

  self = g_object_new (GH_TYPE_SERVICE_EDITOR, NULL);
  self->client = g_object_ref (client);
  self->base_config = g_object_ref (config);
  self->base_version = version;
  self->service_name = g_strdup (service_name);
  self->original = service_name != NULL ? gh_config_edit_dup_service (config, service_name, &self->index) : NULL;
  if (self->original == NULL)
    {
      g_clear_pointer (&self->service_name, g_free);
      gh_config_edit_dup_service (config, NULL, &self->index);
    }

  if (self->original != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Edit “%s”"), service_name);

      adw_dialog_set_title (ADW_DIALOG (self), title);
      /* What is there already is judged at once: an existing service shows its problems. */
      for (guint i = 0; i < N_FIELDS; i++)
        self->fields[i].touched = TRUE;
    }
  _gh_service_editor_load_service (self, self->original);

  gh_admin_client_list_keystore_async (client, self->cancellable, on_keystore, g_object_ref (self));

  return self;
}

const char *
gh_service_editor_get_service_name (GhServiceEditor *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_EDITOR (self), NULL);

  return self->service_name;
}

gint64
gh_service_editor_get_base_version (GhServiceEditor *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_EDITOR (self), 0);

  return self->base_version;
}

/**
 * gh_service_editor_build_config:
 * Returns: (transfer full) (nullable): the configuration Apply would send
 */
GhGatewayConfig *
gh_service_editor_build_config (GhServiceEditor *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_EDITOR (self), NULL);

  return _gh_service_editor_build_config (self, NULL);
}

/**
 * gh_service_editor_get_problems:
 * Returns: (transfer none): the problems of the configuration the fields make
 */
GListModel *
gh_service_editor_get_problems (GhServiceEditor *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_EDITOR (self), NULL);

  return G_LIST_MODEL (self->problems);
}

static void
gh_service_editor_closed (AdwDialog *dialog)
{
  GhServiceEditor *self = GH_SERVICE_EDITOR (dialog);

  g_cancellable_cancel (self->cancellable);
  _gh_service_editor_stop_preview (self);

  if (ADW_DIALOG_CLASS (gh_service_editor_parent_class)->closed != NULL)
    ADW_DIALOG_CLASS (gh_service_editor_parent_class)->closed (dialog);
}

static void
gh_service_editor_dispose (GObject *object)
{
  GhServiceEditor *self = GH_SERVICE_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  _gh_service_editor_stop_preview (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_SERVICE_EDITOR);

  G_OBJECT_CLASS (gh_service_editor_parent_class)->dispose (object);
}

static void
gh_service_editor_finalize (GObject *object)
{
  GhServiceEditor *self = GH_SERVICE_EDITOR (object);

  g_clear_object (&self->client);
  g_clear_object (&self->base_config);
  g_clear_object (&self->their_config);
  g_clear_object (&self->problems);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->service_name, g_free);
  g_clear_pointer (&self->original, json_object_unref);
  g_clear_pointer (&self->accepts, g_ptr_array_unref);
  g_clear_pointer (&self->aliases, g_ptr_array_unref);
  g_clear_pointer (&self->keystore_aliases, g_strfreev);
  g_clear_pointer (&self->conflict_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (gh_service_editor_parent_class)->finalize (object);
}

static void
gh_service_editor_class_init (GhServiceEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwDialogClass *dialog_class = ADW_DIALOG_CLASS (klass);

  object_class->dispose = gh_service_editor_dispose;
  object_class->finalize = gh_service_editor_finalize;
  dialog_class->closed = gh_service_editor_closed;

  /**
   * GhServiceEditor::applied:
   * @previous_version: the version the change was applied on top of
   * @new_version: the version the change made
   * @service_name: the service's name after the change
   */
  signals[SIGNAL_APPLIED] =
    g_signal_new ("applied",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_STRING);

  g_type_ensure (GH_TYPE_SERVE_PREVIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatehouse/Gatehouse/gh-service-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, banner);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, spinner);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, edit_page);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, service_group);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, accept_group);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, tls_group);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, backend_group);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, conflict_group);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, description_row);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, type_row);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, connect_row);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, directory_row);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, tls_priority_row);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, tls_custom_row);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, verify_client_row);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, connect_verify_row);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, server_name_row);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, client_alias_row);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, connect_priority_row);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, connect_custom_row);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, pending_row);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, idle_row);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, sessions_row);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, apply_button);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, reapply_button);
  gtk_widget_class_bind_template_child (widget_class, GhServiceEditor, serve_preview);

  gtk_widget_class_install_action (widget_class, "editor.add-accept", NULL, editor_add_accept);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "editor.add-accept", NULL);

  _gh_service_editor_class_apply_init (klass);
}

static void
gh_service_editor_init (GhServiceEditor *self)
{
  struct { Field field; GtkWidget *row; } rows[] = {
    { FIELD_NAME, NULL }, { FIELD_DESCRIPTION, NULL }, { FIELD_TYPE, NULL }, { FIELD_CONNECT, NULL },
    { FIELD_DIRECTORY, NULL }, { FIELD_TLS_PRIORITY, NULL }, { FIELD_VERIFY_CLIENT, NULL },
    { FIELD_CONNECT_VERIFY, NULL }, { FIELD_SERVER_NAME, NULL }, { FIELD_CLIENT_ALIAS, NULL },
    { FIELD_CONNECT_PRIORITY, NULL }, { FIELD_PENDING, NULL }, { FIELD_IDLE, NULL }, { FIELD_SESSIONS, NULL },
  };
  GtkEditable *entries[7];
  GObject *combos[6];
  g_autoptr(GtkStringList) tls_presets = NULL;
  g_autoptr(GtkStringList) connect_presets = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->problems = g_list_store_new (GH_TYPE_CONFIG_PROBLEM);
  self->cancellable = g_cancellable_new ();
  self->accepts = g_ptr_array_new_with_free_func (accept_row_free);
  self->aliases = g_ptr_array_new_with_free_func (g_free);
  self->conflict_rows = g_ptr_array_new ();

  tls_presets = priority_model ();
  connect_presets = priority_model ();
  adw_combo_row_set_model (self->tls_priority_row, G_LIST_MODEL (tls_presets));
  adw_combo_row_set_model (self->connect_priority_row, G_LIST_MODEL (connect_presets));
  set_aliases (self, NULL);

  rows[0].row = GTK_WIDGET (self->name_row);
  rows[1].row = GTK_WIDGET (self->description_row);
  rows[2].row = GTK_WIDGET (self->type_row);
  rows[3].row = GTK_WIDGET (self->connect_row);
  rows[4].row = GTK_WIDGET (self->directory_row);
  rows[5].row = GTK_WIDGET (self->tls_custom_row);
  rows[6].row = GTK_WIDGET (self->verify_client_row);
  rows[7].row = GTK_WIDGET (self->connect_verify_row);
  rows[8].row = GTK_WIDGET (self->server_name_row);
  rows[9].row = GTK_WIDGET (self->client_alias_row);
  rows[10].row = GTK_WIDGET (self->connect_custom_row);
  rows[11].row = GTK_WIDGET (self->pending_row);
  rows[12].row = GTK_WIDGET (self->idle_row);
  rows[13].row = GTK_WIDGET (self->sessions_row);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    field_view_init_after (&self->fields[rows[i].field], rows[i].row);

  /* The priority's problem shows under the custom string when there is one, else
   * under the preset; the groups' own problems at their top. */
  self->fields[FIELD_TLS_PRIORITY].row = GTK_WIDGET (self->tls_priority_row);
  self->fields[FIELD_CONNECT_PRIORITY].row = GTK_WIDGET (self->connect_priority_row);
  field_view_init (&self->fields[FIELD_ACCEPT], NULL, NULL, 0);
  adw_preferences_group_add (self->accept_group, GTK_WIDGET (self->fields[FIELD_ACCEPT].explanation));
  field_view_init (&self->fields[FIELD_TLS], NULL, gtk_widget_get_parent (GTK_WIDGET (self->tls_priority_row)), 0);
  field_view_init (&self->fields[FIELD_CONNECT_TLS], NULL,
                   gtk_widget_get_parent (GTK_WIDGET (self->connect_verify_row)), 0);

  entries[0] = GTK_EDITABLE (self->name_row);
  entries[1] = GTK_EDITABLE (self->description_row);
  entries[2] = GTK_EDITABLE (self->connect_row);
  entries[3] = GTK_EDITABLE (self->directory_row);
  entries[4] = GTK_EDITABLE (self->tls_custom_row);
  entries[5] = GTK_EDITABLE (self->server_name_row);
  entries[6] = GTK_EDITABLE (self->connect_custom_row);
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    g_signal_connect_object (entries[i], "changed", G_CALLBACK (on_entry_changed), self, 0);

  combos[0] = G_OBJECT (self->type_row);
  combos[1] = G_OBJECT (self->tls_priority_row);
  combos[2] = G_OBJECT (self->verify_client_row);
  combos[3] = G_OBJECT (self->client_alias_row);
  combos[4] = G_OBJECT (self->connect_priority_row);
  combos[5] = NULL;
  for (guint i = 0; combos[i] != NULL; i++)
    g_signal_connect_object (combos[i], "notify::selected", G_CALLBACK (_gh_service_editor_field_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connect_verify_row, "notify::active", G_CALLBACK (_gh_service_editor_field_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pending_row, "notify::value", G_CALLBACK (_gh_service_editor_field_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->idle_row, "notify::value", G_CALLBACK (_gh_service_editor_field_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sessions_row, "notify::value", G_CALLBACK (_gh_service_editor_field_changed), self, G_CONNECT_SWAPPED);
}
