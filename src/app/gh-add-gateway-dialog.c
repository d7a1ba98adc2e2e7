/* gh-add-gateway-dialog.c — add a gateway: its admin URL, the admin identity and its
 * password; first contact shows the gateway's admin certificate to confirm, like SSH,
 * and only then is it pinned and the gateway added
 *
 * Steps: "form" (validated as you type) → Connect: the identity is loaded in a thread
 * and the gateway probed → "confirm" (fingerprint, subject) → Trust and Add: a first
 * pinned request proves the gateway accepts the identity → the connection joins the
 * list. Every failure is shown inline with what to do; the work can be cancelled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-add-gateway-dialog"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gh-add-gateway-dialog.h"
#include "gh-admin-identity.h"

struct _GhAddGatewayDialog
{
  AdwDialog            parent_instance;

  GhGatewayList       *list;
  GSettings           *settings;
  GCancellable        *cancellable;
  char                *identity_path;
  GTlsCertificate     *identity;
  GTlsCertificate     *certificate;   /* the gateway's, from the probe */
  char                *fingerprint;
  char                *url;           /* as probed */
  GhGatewayConnection *added;

  /* template widgets */
  AdwNavigationView   *navigation;
  AdwEntryRow         *url_row;
  AdwActionRow        *identity_row;
  AdwPasswordEntryRow *password_row;
  AdwEntryRow         *name_row;
  GtkLabel            *url_hint;
  GtkStack            *connect_stack;
  GtkWidget           *form_error;
  GtkLabel            *form_error_title;
  GtkLabel            *form_error_detail;
  GtkStack            *trust_stack;
  GtkLabel            *fingerprint_label;
  AdwActionRow        *subject_row;
  AdwActionRow        *address_row;
  AdwActionRow        *expires_row;
  GtkWidget           *confirm_error;
  GtkLabel            *confirm_error_title;
  GtkLabel            *confirm_error_detail;
};

G_DEFINE_FINAL_TYPE (GhAddGatewayDialog, gh_add_gateway_dialog, ADW_TYPE_DIALOG)

enum {
  ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

char *
gh_format_fingerprint_for_reading (const char *fingerprint)
{
  g_auto(GStrv) bytes = NULL;
  GString *text;
  guint n;

  g_return_val_if_fail (fingerprint != NULL, NULL);

  bytes = g_strsplit (fingerprint, ":", -1);
  n = g_strv_length (bytes);
  text = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      g_string_append (text, bytes[i]);
      if (i + 1 == n)
        break;
      g_string_append_c (text, (i + 1) % 8 == 0 ? '\n' : ':');
    }

  return g_string_free (text, FALSE);
}

/* https://host[:port][/ | /api/v1] → TRUE */
gboolean
gh_admin_url_is_valid (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *path;

  if (text == NULL)
    return FALSE;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  path = g_uri_get_path (uri);
  return g_strcmp0 (g_uri_get_scheme (uri), "https") == 0 &&
         g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0' &&
         g_uri_get_userinfo (uri) == NULL &&
         g_uri_get_query (uri) == NULL &&
         g_uri_get_fragment (uri) == NULL &&
         (path[0] == '\0' || g_str_equal (path, "/") || g_str_equal (path, "/api/v1") ||
          g_str_equal (path, "/api/v1/"));
}

static char *
dup_url (GhAddGatewayDialog *self)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));
  gsize len = strlen (url);

  /* One form for the same gateway: no trailing "/". */
  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';

  return g_steal_pointer (&url);
}

static void
show_problem (GtkWidget   *box,
              GtkLabel    *title_label,
              GtkLabel    *detail_label,
              const char  *title,
              const char  *detail)
{
  gtk_label_set_text (title_label, title);
  gtk_label_set_text (detail_label, detail);
  gtk_widget_set_visible (box, title != NULL);
  if (title != NULL)
    {
      g_autofree char *spoken = g_strdup_printf ("%s. %s", title, detail);

      gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, spoken,
                                      -1);
      gtk_accessible_announce (GTK_ACCESSIBLE (box), spoken, GTK_ACCESSIBLE_ANNOUNCEMENT_PRIORITY_HIGH);
    }
}

static void
show_form_problem (GhAddGatewayDialog *self,
                   const char         *title,
                   const char         *detail)
{
  show_problem (self->form_error, self->form_error_title, self->form_error_detail, title, detail);
}

static void
show_confirm_problem (GhAddGatewayDialog *self,
                      const char         *title,
                      const char         *detail)
{
  show_problem (self->confirm_error, self->confirm_error_title, self->confirm_error_detail, title, detail);
}

/* What went wrong talking to the gateway, and what to do. */
static void
describe_api_error (GhAddGatewayDialog *self,
                    const GError       *error,
                    char              **title,
                    char              **detail)
{
  if (error->domain == GH_API_ERROR)
    switch (error->code)
      {
      case GH_API_ERROR_UNREACHABLE:
        *title = g_strdup (_("The gateway cannot be reached"));
        *detail = g_strdup_printf (_("Nothing answered at %s (%s). Check that gatehoused is running and that "
                                     "the host and port are those of its admin listener: gatehoused init "
                                     "printed the admin URL."), self->url, error->message);
        return;
      case GH_API_ERROR_TLS:
        *title = g_strdup (_("The gateway refused the connection"));
        *detail = g_strdup_printf (_("%s. Check that the URL is the gateway’s admin listener, and that the "
                                     "admin identity was made for this gateway."), error->message);
        return;
      case GH_API_ERROR_NOT_AN_IDENTITY:
      case GH_API_ERROR_FORBIDDEN_ROLE:
        *title = g_strdup (_("The gateway does not accept this identity"));
        *detail = g_strdup_printf (_("%s. Use an admin identity the gateway lists in its admin configuration, "
                                     "such as the gatehouse-admin.p12 that gatehoused init wrote."), error->message);
        return;
      case GH_API_ERROR_PIN_MISMATCH:
        *title = g_strdup (_("The gateway’s certificate changed"));
        *detail = g_strdup_printf (_("%s. Go back and connect again to see the certificate it shows now."),
                                   error->message);
        return;
      default:
        break;
      }

  *title = g_strdup (_("Could not connect to the gateway"));
  *detail = g_strdup (error->message);
}

static void
set_busy (GhAddGatewayDialog *self,
          gboolean            busy)
{
  gtk_stack_set_visible_child_name (self->connect_stack, busy ? "busy" : "button");
  gtk_stack_set_visible_child_name (self->trust_stack, busy ? "busy" : "button");
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->identity_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "add-gateway.trust", !busy && self->fingerprint != NULL);
}

static void
update_connect_enabled (GhAddGatewayDialog *self)
{
  g_autofree char *url = dup_url (self);
  gboolean url_ok = gh_admin_url_is_valid (url);
  gboolean busy = self->cancellable != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->url_hint), !url_ok);
  if (url_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->url_row), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->url_row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               url_ok ? GTK_ACCESSIBLE_INVALID_FALSE : GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "add-gateway.connect",
                                 !busy && url_ok && self->identity_path != NULL);
}

static void
on_form_changed (GhAddGatewayDialog *self)
{
  update_connect_enabled (self);
}

static void
on_entry_activated (GhAddGatewayDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "add-gateway.connect", NULL);
}

static void
on_confirm_hidden (GhAddGatewayDialog *self)
{
  if (self->list == NULL)
    return;  /* disposed */

  /* Back to the form: the probed certificate is forgotten. */
  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_object (&self->certificate);
  show_confirm_problem (self, NULL, NULL);
  set_busy (self, FALSE);
  update_connect_enabled (self);
}

/* Connect: load the identity, probe */

static void
finish_busy (GhAddGatewayDialog *self)
{
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  update_connect_enabled (self);
}

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GhAddGatewayDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *grouped = NULL;
  g_autofree char *subject = NULL;
  GDateTime *not_after;

  certificate = gh_admin_client_probe_finish (GH_ADMIN_CLIENT (source), result, &fingerprint, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  finish_busy (self);

  if (certificate == NULL)
    {
      g_autofree char *title = NULL, *detail = NULL;

      describe_api_error (self, error, &title, &detail);
      show_form_problem (self, title, detail);
      return;
    }

  g_set_object (&self->certificate, certificate);
  g_free (self->fingerprint);
  self->fingerprint = g_steal_pointer (&fingerprint);

  grouped = gh_format_fingerprint_for_reading (self->fingerprint);
  gtk_label_set_text (self->fingerprint_label, grouped);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->fingerprint_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->fingerprint,
                                  -1);
  subject = g_tls_certificate_get_subject_name (certificate);
  adw_action_row_set_subtitle (self->subject_row, subject != NULL ? subject : _("(none)"));
  adw_action_row_set_subtitle (self->address_row, self->url);
  not_after = g_tls_certificate_get_not_valid_after (certificate);
  if (not_after != NULL)
    {
      g_autofree char *text = g_date_time_format (not_after, "%x");

      adw_action_row_set_subtitle (self->expires_row, text);
      g_date_time_unref (not_after);
    }
  show_confirm_problem (self, NULL, NULL);
  set_busy (self, FALSE);

  /* make check-flatpak reads this (and "Identity chosen") to know where the dialog is. */
  g_debug ("Confirm the gateway at %s: %s", self->url, self->fingerprint);
  adw_navigation_view_push_by_tag (self->navigation, "confirm");
}

static void
on_identity_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GhAddGatewayDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) identity = gh_admin_identity_load_finish (result, &error);
  g_autoptr(GhAdminClient) client = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
    return;

  if (identity == NULL)
    {
      finish_busy (self);
      switch (error->domain == GH_ADMIN_IDENTITY_ERROR ? error->code : GH_ADMIN_IDENTITY_ERROR_NOT_PKCS12)
        {
        case GH_ADMIN_IDENTITY_ERROR_NOT_FOUND:
        case GH_ADMIN_IDENTITY_ERROR_UNREADABLE:
          {
            g_autofree char *detail = g_strdup_printf (_("%s does not exist. Choose the admin identity again: "
                                                         "gatehoused init writes gatehouse-admin.p12 into its "
                                                         "directory."), self->identity_path);
            show_form_problem (self, _("The identity file is missing"), detail);
          }
          break;
        case GH_ADMIN_IDENTITY_ERROR_WRONG_PASSWORD:
          show_form_problem (self, _("Wrong password"),
                             _("This is not the password of the admin identity. gatehoused init wrote it to "
                               "gatehouse-admin.pw, next to the identity file."));
          gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
          break;
        case GH_ADMIN_IDENTITY_ERROR_NOT_PKCS12:
        case GH_ADMIN_IDENTITY_ERROR_NO_KEY:
        default:
          {
            g_autofree char *detail = g_strdup_printf (_("%s is not a PKCS#12 identity with a certificate and its "
                                                         "private key. Choose the .p12 file gatehoused init wrote "
                                                         "(gatehouse-admin.p12), not a certificate or a keystore."),
                                                       self->identity_path);
            show_form_problem (self, _("Not an admin identity"), detail);
          }
          break;
        }
      return;
    }

  g_set_object (&self->identity, identity);
  client = gh_admin_client_new (self->url, identity, NULL);
  gh_admin_client_probe_async (client, self->cancellable, on_probed, g_object_ref (self));
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GhAddGatewayDialog *self = GH_ADD_GATEWAY_DIALOG (widget);

  if (self->cancellable != NULL || self->identity_path == NULL)
    return;

  g_free (self->url);
  self->url = dup_url (self);
  if (!gh_admin_url_is_valid (self->url))
    return;

  show_form_problem (self, NULL, NULL);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  update_connect_enabled (self);

  gh_admin_identity_load_async (self->identity_path, gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                                self->cancellable, on_identity_loaded, g_object_ref (self));
}

/* Trust and Add: a first pinned request, then the gateway joins the list */

static void
on_first_info (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GhAddGatewayDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiInfo) info = gh_admin_client_get_info_finish (GH_ADMIN_CLIENT (source), result, &error);
  g_autoptr(GhGatewayConnection) connection = NULL;
  g_autofree char *name = NULL;
  const char *password;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (info == NULL)
    {
      g_autofree char *title = NULL, *detail = NULL;

      describe_api_error (self, error, &title, &detail);
      show_confirm_problem (self, title, detail);
      return;
    }

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  if (name[0] == '\0' && gh_api_info_get_name (info) != NULL)
    {
      g_free (name);
      name = g_strdup (gh_api_info_get_name (info));
    }

  if (gh_gateway_list_lookup (self->list, self->url) != NULL)
    {
      show_confirm_problem (self, _("This gateway is in the list already"),
                            _("Gatehouse shows each admin URL once. Remove the gateway from the sidebar first to "
                              "add it again with another identity."));
      return;
    }

  connection = gh_gateway_connection_new (name, self->url, self->identity_path, self->fingerprint, TRUE);
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  gh_gateway_connection_set_password (connection, password,
                                      g_settings_get_boolean (self->settings, "remember-passwords"));
  gh_gateway_list_add (self->list, connection);
  gh_gateway_connection_start (connection);
  g_set_object (&self->added, connection);

  g_signal_emit (self, signals[ADDED], 0, connection);
  adw_dialog_close (ADW_DIALOG (self));
}

static void
trust_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  GhAddGatewayDialog *self = GH_ADD_GATEWAY_DIALOG (widget);
  g_autoptr(GhAdminClient) client = NULL;

  if (self->cancellable != NULL || self->fingerprint == NULL || self->identity == NULL)
    return;

  show_confirm_problem (self, NULL, NULL);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);

  client = gh_admin_client_new (self->url, self->identity, self->fingerprint);
  gh_admin_client_get_info_async (client, self->cancellable, on_first_info, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhAddGatewayDialog *self = GH_ADD_GATEWAY_DIALOG (widget);

  if (self->cancellable != NULL)
    {
      /* Stop the work, stay in the dialog. */
      g_cancellable_cancel (self->cancellable);
      finish_busy (self);
      return;
    }

  adw_dialog_close (ADW_DIALOG (self));
}

/* Choose the identity */

void
gh_add_gateway_dialog_set_identity_path (GhAddGatewayDialog *self,
                                         const char         *path)
{
  g_return_if_fail (GH_IS_ADD_GATEWAY_DIALOG (self));

  g_free (self->identity_path);
  self->identity_path = g_strdup (path);
  adw_action_row_set_subtitle (self->identity_row,
                               path != NULL ? path : _("No file chosen (PKCS#12, .p12 or .pfx)"));
  show_form_problem (self, NULL, NULL);
  update_connect_enabled (self);
}

static void
on_identity_chosen (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GhAddGatewayDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, &error);
  g_autofree char *path = NULL;

  if (file == NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      show_form_problem (self, _("Not a local file"),
                         _("Choose an identity file on this computer."));
      return;
    }
  g_debug ("Identity chosen: %s", path);
  gh_add_gateway_dialog_set_identity_path (self, path);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
choose_identity_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  GhAddGatewayDialog *self = GH_ADD_GATEWAY_DIALOG (widget);
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);

  gtk_file_filter_set_name (filter, _("Admin Identities (PKCS#12)"));
  gtk_file_filter_add_suffix (filter, "p12");
  gtk_file_filter_add_suffix (filter, "pfx");
  gtk_file_filter_add_mime_type (filter, "application/x-pkcs12");
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  g_list_store_append (filters, filter);
  g_list_store_append (filters, all);

  gtk_file_dialog_set_title (dialog, _("Choose the Admin Identity"));
  gtk_file_dialog_set_modal (dialog, TRUE);
  gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  gtk_file_dialog_set_default_filter (dialog, filter);
  if (self->identity_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (self->identity_path);
      gtk_file_dialog_set_initial_file (dialog, file);
    }

  gtk_file_dialog_open (dialog, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), NULL,
                        on_identity_chosen, g_object_ref (self));
}

/* Public API */

GhAddGatewayDialog *
gh_add_gateway_dialog_new (GhGatewayList *list)
{
  GhAddGatewayDialog *self;

  g_return_val_if_fail (GH_IS_GATEWAY_LIST (list), NULL);

  self = g_object_new (GH_TYPE_ADD_GATEWAY_DIALOG, NULL);
  self->list = g_object_ref (list);

  return self;
}

const char *
gh_add_gateway_dialog_get_step (GhAddGatewayDialog *self)
{
  AdwNavigationPage *page;

  g_return_val_if_fail (GH_IS_ADD_GATEWAY_DIALOG (self), NULL);

  page = adw_navigation_view_get_visible_page (self->navigation);
  return page != NULL ? adw_navigation_page_get_tag (page) : NULL;
}

gboolean
gh_add_gateway_dialog_get_busy (GhAddGatewayDialog *self)
{
  g_return_val_if_fail (GH_IS_ADD_GATEWAY_DIALOG (self), FALSE);

  return self->cancellable != NULL;
}

const char *
gh_add_gateway_dialog_get_fingerprint (GhAddGatewayDialog *self)
{
  g_return_val_if_fail (GH_IS_ADD_GATEWAY_DIALOG (self), NULL);

  return self->fingerprint;
}

const char *
gh_add_gateway_dialog_get_problem (GhAddGatewayDialog *self)
{
  gboolean confirm;

  g_return_val_if_fail (GH_IS_ADD_GATEWAY_DIALOG (self), NULL);

  confirm = g_strcmp0 (gh_add_gateway_dialog_get_step (self), "confirm") == 0;
  if (!gtk_widget_get_visible (confirm ? self->confirm_error : self->form_error))
    return NULL;

  return gtk_label_get_text (confirm ? self->confirm_error_title : self->form_error_title);
}

const char *
gh_add_gateway_dialog_get_problem_detail (GhAddGatewayDialog *self)
{
  gboolean confirm;

  g_return_val_if_fail (GH_IS_ADD_GATEWAY_DIALOG (self), NULL);

  confirm = g_strcmp0 (gh_add_gateway_dialog_get_step (self), "confirm") == 0;
  if (!gtk_widget_get_visible (confirm ? self->confirm_error : self->form_error))
    return NULL;

  return gtk_label_get_text (confirm ? self->confirm_error_detail : self->form_error_detail);
}

GhGatewayConnection *
gh_add_gateway_dialog_get_added (GhAddGatewayDialog *self)
{
  g_return_val_if_fail (GH_IS_ADD_GATEWAY_DIALOG (self), NULL);

  return self->added;
}

/* GObject */

static void
gh_add_gateway_dialog_dispose (GObject *object)
{
  GhAddGatewayDialog *self = GH_ADD_GATEWAY_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_ADD_GATEWAY_DIALOG);
  g_clear_object (&self->list);
  g_clear_object (&self->identity);
  g_clear_object (&self->certificate);
  g_clear_object (&self->added);

  G_OBJECT_CLASS (gh_add_gateway_dialog_parent_class)->dispose (object);
}

static void
gh_add_gateway_dialog_finalize (GObject *object)
{
  GhAddGatewayDialog *self = GH_ADD_GATEWAY_DIALOG (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->identity_path, g_free);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->url, g_free);

  G_OBJECT_CLASS (gh_add_gateway_dialog_parent_class)->finalize (object);
}

static void
gh_add_gateway_dialog_class_init (GhAddGatewayDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_add_gateway_dialog_dispose;
  object_class->finalize = gh_add_gateway_dialog_finalize;

  /**
   * GhAddGatewayDialog::added:
   * @connection: the new gateway, in the list and started
   */
  signals[ADDED] = g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, GH_TYPE_GATEWAY_CONNECTION);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatehouse/Gatehouse/gh-add-gateway-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, GhAddGatewayDialog, navigation);
  gtk_widget_class_bind_template_child (widget_class, GhAddGatewayDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, GhAddGatewayDialog, identity_row);
  gtk_widget_class_bind_template_child (widget_class, GhAddGatewayDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, GhAddGatewayDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, GhAddGatewayDialog, url_hint);
  gtk_widget_class_bind_template_child (widget_class, GhAddGatewayDialog, connect_stack);
  gtk_widget_class_bind_template_child (widget_class, GhAddGatewayDialog, form_error);
  gtk_widget_class_bind_template_child (widget_class, GhAddGatewayDialog, form_error_title);
  gtk_widget_class_bind_template_child (widget_class, GhAddGatewayDialog, form_error_detail);
  gtk_widget_class_bind_template_child (widget_class, GhAddGatewayDialog, trust_stack);
  gtk_widget_class_bind_template_child (widget_class, GhAddGatewayDialog, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, GhAddGatewayDialog, subject_row);
  gtk_widget_class_bind_template_child (widget_class, GhAddGatewayDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, GhAddGatewayDialog, expires_row);
  gtk_widget_class_bind_template_child (widget_class, GhAddGatewayDialog, confirm_error);
  gtk_widget_class_bind_template_child (widget_class, GhAddGatewayDialog, confirm_error_title);
  gtk_widget_class_bind_template_child (widget_class, GhAddGatewayDialog, confirm_error_detail);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_hidden);

  gtk_widget_class_install_action (widget_class, "add-gateway.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "add-gateway.trust", NULL, trust_action);
  gtk_widget_class_install_action (widget_class, "add-gateway.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "add-gateway.choose-identity", NULL, choose_identity_action);
}

static void
gh_add_gateway_dialog_init (GhAddGatewayDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "add-gateway.trust", FALSE);
  update_connect_enabled (self);
}
