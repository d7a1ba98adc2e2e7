/* gh-import-dialog.c — the preview of an import into a gateway
 *
 * The file is read by GhImport (src/lib/pki: the format detected by content, nothing
 * committed) and shown as what it holds: each key entry with its chain, each
 * certificate alone, and what was left out and why. A password is asked on its field
 * when the file needs one, and a wrong one is said there, not in a toast. Only the
 * Import button sends anything: each key entry to the keystore (POST /keystore, as
 * gh_api_key_upload_pem() writes it), each certificate alone to the truststore (POST
 * /truststore), the first under the alias typed, one after the other, each with the
 * version the previous change made as its If-Match. A refusal stops there and is
 * shown in the dialog. When the gateway's configuration changed meanwhile (412), the
 * dialog says by whom and what, takes the current version, and Import sends again
 * what is left, against it. Rotating (gh_import_dialog_set_rotate_alias(), the Trust
 * page's fix) puts the first key entry in place of an existing one instead (PUT
 * /keystore/{alias}), its alias fixed; the preview then asks the gateway what each
 * accept would serve with the new chain (POST /config/preview, the key not sent) and
 * shows it (GhServePreview). An accept that would serve no certificate or an expired
 * one does not stop the rotate, but Import asks first. The same preview serves a local
 * keystore file (gh_import_dialog_new_local()): Import then commits to the file
 * (GhKeystoreFile, saved at once), and nothing goes over the network.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-import-dialog"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "gh-api-key-upload.h"
#include "gh-import.h"
#include "gh-import-dialog.h"
#include "gh-keystore-file.h"
#include "gh-pki-error.h"
#include "gh-serve-preview.h"

struct _GhImportDialog
{
  AdwDialog             parent_instance;

  GhAdminClient        *client;
  GhKeystoreFile       *local;         /* the target when it is a local file, or NULL */
  GBytes               *data;
  gint64                version;
  GhImport             *import;
  char                 *rotate_alias;  /* the first key entry replaces it, or NULL */
  GPtrArray            *rows;          /* of the contents group, made per read */
  GCancellable         *cancellable;
  char                 *problem;
  guint                 next;          /* the entry being sent */
  gboolean              resume;        /* Import goes on from next (after a 412) */
  gboolean              busy;
  gboolean              flags_confirmed; /* Import was confirmed despite flagged accepts */

  /* template widgets */
  AdwPreferencesGroup  *file_group;
  AdwPasswordEntryRow  *password_row;
  GtkWidget            *password_problem;
  GtkLabel             *problem_label;
  GtkWidget            *alias_group;
  AdwEntryRow          *alias_row;
  GtkButton            *import_button;
  AdwPreferencesGroup  *contents_group;
  GhServePreview       *serve_preview;
};

G_DEFINE_FINAL_TYPE (GhImportDialog, gh_import_dialog, ADW_TYPE_DIALOG)

enum {
  SIGNAL_IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static guint
n_entries (GhImportDialog *self)
{
  return self->import != NULL ? g_list_model_get_n_items (gh_import_get_entries (self->import)) : 0;
}

static void
update_actions (GhImportDialog *self)
{
  const char *alias = gtk_editable_get_text (GTK_EDITABLE (self->alias_row));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.commit",
                                 !self->busy && n_entries (self) > 0 && alias != NULL && *alias != '\0');
}

static void
set_problem (GhImportDialog *self,
             const char     *problem)
{
  g_free (self->problem);
  self->problem = g_strdup (problem);
  gtk_label_set_label (self->problem_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
}

/* Reading */

static void
clear_rows (GhImportDialog *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->contents_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static void
add_content_row (GhImportDialog *self,
                 const char     *title,
                 const char     *subtitle,
                 const char     *icon_name)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon_name));
  adw_preferences_group_add (self->contents_group, row);
  g_ptr_array_add (self->rows, row);
}

/* Where an entry goes in a local file: beside the others, or onto the key entry it
 * is the CA's reply for. */
static char *
local_destination (GhImportDialog  *self,
                   GhKeystoreEntry *entry)
{
  GhKeystoreEntry *target = gh_import_find_reply_target (self->import, gh_keystore_file_get_keystore (self->local));

  if (target != NULL)
    return g_strdup_printf (_("The CA’s reply → the chain of the key entry “%s”"), gh_keystore_entry_get_alias (target));
  if (gh_keystore_entry_get_kind (entry) == GH_KEYSTORE_ENTRY_KEY)
    return g_strdup (_("Private key and its chain → a key entry of the file"));
  return g_strdup (_("Certificate → a trusted certificate of the file"));
}

static void
show_contents (GhImportDialog *self)
{
  GListModel *entries = gh_import_get_entries (self->import);
  const char * const *notes = gh_import_get_notes (self->import);

  adw_preferences_group_set_description (self->file_group, gh_import_get_format_name (self->import));
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (entries, i);
      GhCertificate *leaf = gh_keystore_entry_get_certificate (entry);
      g_autofree char *subtitle = NULL;

      if (self->local != NULL)
        subtitle = local_destination (self, entry);
      else if (gh_api_import_destination (entry) == GH_API_CERT_STORE_KEYSTORE)
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "Private key and its certificate → the keystore",
                                                 "Private key and a chain of %u certificates → the keystore",
                                                 gh_keystore_entry_get_chain (entry)->len),
                                    gh_keystore_entry_get_chain (entry)->len);
      else
        subtitle = g_strdup (_("Certificate → the truststore, as an authority the gateway trusts"));
      add_content_row (self, leaf != NULL ? gh_certificate_get_display_name (leaf) : gh_keystore_entry_get_alias (entry),
                       subtitle, gh_api_import_destination (entry) == GH_API_CERT_STORE_KEYSTORE
                                 ? "dialog-password-symbolic" : "gh-certificate-symbolic");
    }
  for (guint i = 0; notes != NULL && notes[i] != NULL; i++)
    add_content_row (self, _("Left Out"), notes[i], "dialog-information-symbolic");

  gtk_widget_set_visible (GTK_WIDGET (self->contents_group), TRUE);
  gtk_widget_set_visible (self->alias_group, g_list_model_get_n_items (entries) > 0);
  if (g_list_model_get_n_items (entries) > 0 && *gtk_editable_get_text (GTK_EDITABLE (self->alias_row)) == '\0')
    {
      g_autoptr(GhKeystoreEntry) first = g_list_model_get_item (entries, 0);

      gtk_editable_set_text (GTK_EDITABLE (self->alias_row), gh_keystore_entry_get_alias (first));
    }
  if (g_list_model_get_n_items (entries) == 0)
    set_problem (self, _("The file holds nothing the gateway can take: no key entry, no certificate."));
}

/* Rotating: what the accepts would serve with the first key entry's chain */

static GhKeystoreEntry *
rotate_entry (GhImportDialog *self)
{
  g_autoptr(GhKeystoreEntry) first = NULL;

  if (self->rotate_alias == NULL || n_entries (self) == 0)
    return NULL;
  first = g_list_model_get_item (gh_import_get_entries (self->import), 0);
  return gh_keystore_entry_get_kind (first) == GH_KEYSTORE_ENTRY_KEY ? g_steal_pointer (&first) : NULL;
}

static void
request_serve_preview (GhImportDialog *self)
{
  g_autoptr(GhKeystoreEntry) entry = rotate_entry (self);
  g_autofree char *chain = NULL;
  g_autofree char *description = NULL;

  gh_serve_preview_cancel (self->serve_preview);
  self->flags_confirmed = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->serve_preview), entry != NULL);
  if (entry == NULL)
    return;

  description = g_strdup_printf (_("The accepts that would serve “%s” once rotated, as the gateway chooses "
                                   "by SNI; live sessions keep their connection"), self->rotate_alias);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->serve_preview), description);
  chain = gh_api_key_upload_chain_pem (entry);
  gh_serve_preview_request (self->serve_preview, self->client, NULL, self->rotate_alias, chain, NULL);
}

static void
read_file (GhImportDialog *self,
           const char     *password)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->import);
  clear_rows (self);
  set_problem (self, NULL);
  gtk_widget_set_visible (self->password_problem, FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->password_row), "error");

  self->import = gh_import_new_from_bytes (self->data, password, &error);
  if (self->import != NULL)
    show_contents (self);
  else if (g_error_matches (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->password_row), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
    }
  else if (g_error_matches (error, GH_PKI_ERROR, GH_PKI_ERROR_WRONG_PASSWORD) ||
           g_error_matches (error, GH_PKI_ERROR, GH_PKI_ERROR_EMPTY_PASSWORD))
    {
      /* On the field, where the user types it again. */
      gtk_widget_set_visible (GTK_WIDGET (self->password_row), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->password_row), "error");
      gtk_widget_set_visible (self->password_problem, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
    }
  else
    set_problem (self, error->message);

  request_serve_preview (self);
  update_actions (self);
}

static void
on_password_apply (GhImportDialog *self)
{
  read_file (self, gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
}

static void
on_alias_changed (GhImportDialog *self)
{
  update_actions (self);
}

/* Sending, one entry after the other */

static void send_next (GhImportDialog *self);

/* What changed since our version, from the gateway's list of versions. */
static void
on_versions (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GhImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 current = 0;
  g_autoptr(GListModel) versions = gh_admin_client_list_config_versions_finish (GH_ADMIN_CLIENT (source), result,
                                                                               &current, &error);
  g_autoptr(GString) changes = g_string_new (NULL);
  gint64 newest = MAX (self->version, current);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Newest first in the list: told oldest first. */
  for (guint i = versions != NULL ? g_list_model_get_n_items (versions) : 0; i > 0; i--)
    {
      g_autoptr(GhApiConfigVersion) version = g_list_model_get_item (versions, i - 1);
      gint64 number = gh_api_config_version_get_version (version);

      if (number <= self->version)
        continue;
      /* TRANSLATORS: one change of the configuration: its version, who and what, as
       * "version 7 by CN=ops (keystore add web)" */
      g_string_append_printf (changes, changes->len > 0 ? _(", version %" PRId64 " by %s (%s)")
                                                         : _("version %" PRId64 " by %s (%s)"),
                              number, gh_api_config_version_get_identity (version) ?: "?",
                              gh_api_config_version_get_action (version) ?: "?");
    }

  self->busy = FALSE;
  if (newest > self->version && changes->len > 0)
    text = g_strdup_printf (_("The gateway changed while you were looking: %s. Press Import to import against "
                              "it."), changes->str);
  else if (newest > self->version)
    text = g_strdup_printf (_("The gateway changed while you were looking (now version %" PRId64 "). "
                              "Press Import to import against it."), newest);
  if (newest > self->version)
    {
      self->version = newest;
      self->resume = TRUE;
    }
  else
    {
      text = g_strdup_printf (_("The gateway changed while you were looking, and what changed cannot be read "
                                "now: %s"), error ? error->message : "?");
    }
  set_problem (self, text);
  update_actions (self);
}

static void
sent (GhImportDialog *self,
      gboolean        ok,
      gint64          new_version,
      GError         *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (!ok && g_error_matches (error, GH_API_ERROR, GH_API_ERROR_PRECONDITION_FAILED))
    {
      gh_admin_client_list_config_versions_async (self->client, self->cancellable, on_versions, g_object_ref (self));
      return;
    }

  if (!ok)
    {
      g_autofree char *text = g_strdup_printf (_("The gateway refused it: %s"), error->message);

      self->busy = FALSE;
      set_problem (self, text);
      update_actions (self);
      return;
    }

  if (new_version > 0)
    self->version = new_version;
  self->next++;
  send_next (self);
}

static void
on_key_sent (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GhImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiKeystoreEntry) entry = NULL;
  gint64 version = 0;

  if (self->rotate_alias != NULL && self->next == 0)
    entry = gh_admin_client_rotate_key_finish (GH_ADMIN_CLIENT (source), result, &version, &error);
  else
    entry = gh_admin_client_add_key_finish (GH_ADMIN_CLIENT (source), result, &version, &error);
  sent (self, entry != NULL, version, error);
}

static void
on_trusted_sent (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GhImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 version = 0;
  gboolean ok = gh_admin_client_add_trusted_finish (GH_ADMIN_CLIENT (source), result, &version, &error);

  sent (self, ok, version, error);
}

static void
send_next (GhImportDialog *self)
{
  GListModel *entries = gh_import_get_entries (self->import);
  g_autoptr(GhKeystoreEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  const char *alias;

  if (self->next >= g_list_model_get_n_items (entries))
    {
      self->busy = FALSE;
      g_signal_emit (self, signals[SIGNAL_IMPORTED], 0, self->next);
      adw_dialog_close (ADW_DIALOG (self));
      return;
    }

  entry = g_list_model_get_item (entries, self->next);
  alias = self->next == 0 ? gtk_editable_get_text (GTK_EDITABLE (self->alias_row)) : gh_keystore_entry_get_alias (entry);
  if (gh_api_import_destination (entry) == GH_API_CERT_STORE_KEYSTORE)
    {
      g_autoptr(GBytes) pem = gh_api_key_upload_pem (entry, &error);

      if (pem == NULL)
        {
          sent (self, FALSE, 0, error);
          return;
        }
      if (self->rotate_alias != NULL && self->next == 0)
        gh_admin_client_rotate_key_async (self->client, self->rotate_alias, GH_API_KEY_FORMAT_PEM, pem, NULL, NULL,
                                          self->version, self->cancellable, on_key_sent, g_object_ref (self));
      else
        gh_admin_client_add_key_async (self->client, alias, GH_API_KEY_FORMAT_PEM, pem, NULL, NULL, self->version,
                                       self->cancellable, on_key_sent, g_object_ref (self));
    }
  else
    {
      g_autofree char *pem = gh_certificate_to_pem (gh_keystore_entry_get_certificate (entry));

      gh_admin_client_add_trusted_async (self->client, alias, pem, self->version, self->cancellable,
                                         on_trusted_sent, g_object_ref (self));
    }
}

/* A local file: one commit, saved at once (or nothing changed, and said why). */
static void
commit_local (GhImportDialog *self)
{
  const char *alias = gtk_editable_get_text (GTK_EDITABLE (self->alias_row));
  g_autoptr(GError) error = NULL;
  guint n = n_entries (self);

  if (gh_import_find_reply_target (self->import, gh_keystore_file_get_keystore (self->local)) != NULL)
    alias = NULL;  /* the reply names its entry itself */
  if (!gh_keystore_file_import (self->local, self->import, alias, &error))
    {
      set_problem (self, error->message);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_IMPORTED], 0, n);
  adw_dialog_close (ADW_DIALOG (self));
}

static void commit_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter);

static void
on_flags_confirmed (GhImportDialog *self,
                    const char     *response)
{
  if (g_strcmp0 (response, "apply") != 0)
    return;
  self->flags_confirmed = TRUE;
  commit_action (GTK_WIDGET (self), "import.commit", NULL);
}

/* A rotate that would leave an accept without a certificate, or serving an expired
 * one, is the admin's call, but not one made by a single click. */
static void
confirm_flags (GhImportDialog *self)
{
  AdwDialog *dialog = gh_serve_preview_new_confirmation (self->serve_preview, _("Rotate Anyway?"),
                                                         _("_Rotate Anyway"));

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_flags_confirmed), self, G_CONNECT_SWAPPED);
  adw_dialog_present (dialog, GTK_WIDGET (self));
}

static void
commit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhImportDialog *self = GH_IMPORT_DIALOG (widget);

  if (self->busy || n_entries (self) == 0)
    return;
  if (self->local != NULL)
    {
      commit_local (self);
      return;
    }
  if (gtk_widget_get_visible (GTK_WIDGET (self->serve_preview)) &&
      gh_serve_preview_get_n_flagged (self->serve_preview) > 0 && !self->flags_confirmed)
    {
      confirm_flags (self);
      return;
    }
  self->busy = TRUE;
  if (!self->resume)
    self->next = 0;
  self->resume = FALSE;
  set_problem (self, NULL);
  update_actions (self);
  send_next (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  adw_dialog_close (ADW_DIALOG (widget));
}

/* Public */

static void
read_data (GhImportDialog *self,
           GBytes         *data,
           const char     *name)
{
  self->data = g_bytes_ref (data);
  adw_preferences_group_set_title (self->file_group, name != NULL ? name : _("Pasted Text"));
  read_file (self, NULL);
}

AdwDialog *
gh_import_dialog_new (GhAdminClient *client,
                      GBytes        *data,
                      const char    *name,
                      gint64         version)
{
  GhImportDialog *self;

  g_return_val_if_fail (GH_IS_ADMIN_CLIENT (client), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (GH_TYPE_IMPORT_DIALOG, NULL);
  self->client = g_object_ref (client);
  self->version = version;
  read_data (self, data, name);

  return ADW_DIALOG (self);
}

/**
 * gh_import_dialog_new_local:
 * @file: the local keystore file to import into
 * @data: the bytes to import
 * @name: (nullable): their file's name
 *
 * Returns: (transfer floating): the preview of an import into @file
 */
AdwDialog *
gh_import_dialog_new_local (GhKeystoreFile *file,
                            GBytes         *data,
                            const char     *name)
{
  GhImportDialog *self;

  g_return_val_if_fail (GH_IS_KEYSTORE_FILE (file), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (GH_TYPE_IMPORT_DIALOG, NULL);
  self->local = g_object_ref (file);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->alias_row), _("Alias in the File"));
  read_data (self, data, name);

  return ADW_DIALOG (self);
}

void
gh_import_dialog_set_alias (GhImportDialog *self,
                            const char     *alias)
{
  g_return_if_fail (GH_IS_IMPORT_DIALOG (self));
  g_return_if_fail (alias != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->alias_row), alias);
}

void
gh_import_dialog_set_rotate_alias (GhImportDialog *self,
                                   const char     *alias)
{
  g_autofree char *title = NULL;

  g_return_if_fail (GH_IS_IMPORT_DIALOG (self));
  g_return_if_fail (alias != NULL);

  g_free (self->rotate_alias);
  self->rotate_alias = g_strdup (alias);
  gtk_editable_set_text (GTK_EDITABLE (self->alias_row), alias);
  gtk_editable_set_editable (GTK_EDITABLE (self->alias_row), FALSE);
  /* TRANSLATORS: the import dialog's title when it replaces the entry %s */
  title = g_strdup_printf (_("Rotate “%s”"), alias);
  adw_dialog_set_title (ADW_DIALOG (self), title);
  gtk_button_set_label (self->import_button, _("_Rotate"));
  request_serve_preview (self);
  update_actions (self);
}

guint
gh_import_dialog_get_n_items (GhImportDialog *self)
{
  g_return_val_if_fail (GH_IS_IMPORT_DIALOG (self), 0);
  return n_entries (self);
}

const char *
gh_import_dialog_get_problem (GhImportDialog *self)
{
  g_return_val_if_fail (GH_IS_IMPORT_DIALOG (self), NULL);
  return self->problem;
}

GhServePreview *
gh_import_dialog_get_serve_preview (GhImportDialog *self)
{
  g_return_val_if_fail (GH_IS_IMPORT_DIALOG (self), NULL);
  return self->serve_preview;
}

gboolean
gh_import_dialog_get_wrong_password (GhImportDialog *self)
{
  g_return_val_if_fail (GH_IS_IMPORT_DIALOG (self), FALSE);
  return gtk_widget_has_css_class (GTK_WIDGET (self->password_row), "error");
}

/* GObject */

static void
gh_import_dialog_dispose (GObject *object)
{
  GhImportDialog *self = GH_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (gh_import_dialog_parent_class)->dispose (object);
}

static void
gh_import_dialog_finalize (GObject *object)
{
  GhImportDialog *self = GH_IMPORT_DIALOG (object);

  g_clear_object (&self->client);
  g_clear_object (&self->local);
  g_clear_pointer (&self->rotate_alias, g_free);
  g_clear_pointer (&self->data, g_bytes_unref);
  g_clear_object (&self->import);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (gh_import_dialog_parent_class)->finalize (object);
}

static void
gh_import_dialog_class_init (GhImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_import_dialog_dispose;
  object_class->finalize = gh_import_dialog_finalize;

  signals[SIGNAL_IMPORTED] =
    g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  g_type_ensure (GH_TYPE_SERVE_PREVIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatehouse/Gatehouse/gh-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, GhImportDialog, file_group);
  gtk_widget_class_bind_template_child (widget_class, GhImportDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, GhImportDialog, password_problem);
  gtk_widget_class_bind_template_child (widget_class, GhImportDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, GhImportDialog, alias_group);
  gtk_widget_class_bind_template_child (widget_class, GhImportDialog, alias_row);
  gtk_widget_class_bind_template_child (widget_class, GhImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, GhImportDialog, contents_group);
  gtk_widget_class_bind_template_child (widget_class, GhImportDialog, serve_preview);
  gtk_widget_class_bind_template_callback (widget_class, on_password_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_alias_changed);

  gtk_widget_class_install_action (widget_class, "import.commit", NULL, commit_action);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_action);
}

/* The password row's own peek button has a tooltip but no accessible name. */
static void
name_peek_button (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && gtk_button_get_label (GTK_BUTTON (child)) == NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Show or Hide the Password"), -1);
      name_peek_button (child);
    }
}

static void
gh_import_dialog_init (GhImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  name_peek_button (GTK_WIDGET (self->password_row));
  self->rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  update_actions (self);
}
