/* gh-csr-dialog.c — a new key made inside the gateway, and the request for its
 * certificate
 *
 * A form (alias, key type, subject, the names), prefilled with what the gateway answers
 * to; Generate sends POST /keystore/{alias}/csr with the configuration's version as
 * If-Match. The gateway makes the key, keeps it with a placeholder certificate, and
 * answers with the request, which the dialog then shows to copy or save. A refusal
 * (the alias exists, a subject that does not parse) is said in the form, which stays
 * as typed. The CA's reply is installed later on the entry (gh-ca-reply-dialog.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-csr-dialog"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gh-api-csr.h"
#include "gh-csr-dialog.h"

/* The key types of the combo row, in its order, as the API names them. */
static const char * const key_types[] = { "p256", "p384", "rsa2048", "rsa3072", "rsa4096", "ed25519" };

struct _GhCsrDialog
{
  AdwDialog        parent_instance;

  GhAdminClient   *client;
  gint64           version;
  GCancellable    *cancellable;
  char            *request;
  char            *problem;
  gboolean         busy;

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkWidget       *generate_button;
  GtkWidget       *cancel_button;
  AdwEntryRow     *alias_row;
  AdwComboRow     *key_type_row;
  AdwEntryRow     *subject_row;
  AdwEntryRow     *names_row;
  GtkLabel        *problem_label;
  GtkLabel        *request_label;
  GtkTextView     *request_view;
};

G_DEFINE_FINAL_TYPE (GhCsrDialog, gh_csr_dialog, ADW_TYPE_DIALOG)

enum {
  SIGNAL_GENERATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_actions (GhCsrDialog *self)
{
  const char *alias = gtk_editable_get_text (GTK_EDITABLE (self->alias_row));
  const char *subject = gtk_editable_get_text (GTK_EDITABLE (self->subject_row));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "csr.generate",
                                 !self->busy && self->request == NULL && *alias != '\0' && *subject != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "csr.copy", self->request != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "csr.save", self->request != NULL);
}

static void
set_problem (GhCsrDialog *self,
             const char  *problem)
{
  g_set_str (&self->problem, problem);
  gtk_label_set_text (self->problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
}

static void
on_field_changed (GhCsrDialog *self)
{
  update_actions (self);
}

static void
on_generated (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GhCsrDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 version = 0;
  g_autofree char *request = gh_admin_client_create_csr_finish (GH_ADMIN_CLIENT (source), result, &version, &error);
  g_autofree char *text = NULL;
  const char *alias = gtk_editable_get_text (GTK_EDITABLE (self->alias_row));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  if (request == NULL)
    {
      g_autofree char *problem = g_strdup_printf (_("The gateway refused it: %s"), error->message);

      set_problem (self, problem);
      update_actions (self);
      return;
    }

  self->request = g_steal_pointer (&request);
  self->version = version;
  /* TRANSLATORS: %s is the new entry's alias */
  text = g_strdup_printf (_("The key is in the gateway as “%s”. Send this request to your certificate authority; "
                            "when it answers, select the entry on the Certificates page and install the reply."),
                          alias);
  gtk_label_set_text (self->request_label, text);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->request_view), self->request, -1);
  gtk_stack_set_visible_child_name (self->stack, "request");
  gtk_button_set_label (GTK_BUTTON (self->cancel_button), _("_Close"));
  gtk_widget_set_visible (self->generate_button, FALSE);
  update_actions (self);
  g_signal_emit (self, signals[SIGNAL_GENERATED], 0, alias);
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  GhCsrDialog *self = GH_CSR_DIALOG (widget);
  g_auto(GStrv) names = gh_api_csr_parse_names (gtk_editable_get_text (GTK_EDITABLE (self->names_row)));
  guint selected = adw_combo_row_get_selected (self->key_type_row);

  if (self->busy || self->request != NULL)
    return;
  self->busy = TRUE;
  set_problem (self, NULL);
  update_actions (self);
  gh_admin_client_create_csr_async (self->client, gtk_editable_get_text (GTK_EDITABLE (self->alias_row)),
                                    key_types[selected < G_N_ELEMENTS (key_types) ? selected : 0],
                                    gtk_editable_get_text (GTK_EDITABLE (self->subject_row)),
                                    (const char * const *) names, self->version, self->cancellable,
                                    on_generated, g_object_ref (self));
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GhCsrDialog *self = GH_CSR_DIALOG (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->request);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Request copied")));
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GhCsrDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (source));
  g_autofree char *title = NULL;

  if (g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    title = g_strdup_printf (_("Request saved as “%s”"), name);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    title = g_strdup_printf (_("Not saved: %s"), error->message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
on_save_file_chosen (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GhCsrDialog) self = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, NULL);

  if (file != NULL)
    g_file_replace_contents_async (file, self->request, strlen (self->request), NULL, FALSE,
                                   G_FILE_CREATE_REPLACE_DESTINATION, self->cancellable, on_saved,
                                   g_object_ref (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GhCsrDialog *self = GH_CSR_DIALOG (widget);
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autofree char *name = g_strdelimit (g_strdup_printf ("%s.csr", gtk_editable_get_text (GTK_EDITABLE (self->alias_row))),
                                        G_DIR_SEPARATOR_S, '_');
  GtkRoot *root = gtk_widget_get_root (widget);

  gtk_file_dialog_set_title (dialog, _("Save the Certificate Request"));
  gtk_file_dialog_set_initial_name (dialog, name);
  gtk_file_dialog_save (dialog, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->cancellable,
                        on_save_file_chosen, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  adw_dialog_close (ADW_DIALOG (widget));
}

/* GObject */

static void
gh_csr_dialog_dispose (GObject *object)
{
  GhCsrDialog *self = GH_CSR_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_CSR_DIALOG);

  G_OBJECT_CLASS (gh_csr_dialog_parent_class)->dispose (object);
}

static void
gh_csr_dialog_finalize (GObject *object)
{
  GhCsrDialog *self = GH_CSR_DIALOG (object);

  g_free (self->request);
  g_free (self->problem);

  G_OBJECT_CLASS (gh_csr_dialog_parent_class)->finalize (object);
}

static void
gh_csr_dialog_class_init (GhCsrDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_csr_dialog_dispose;
  object_class->finalize = gh_csr_dialog_finalize;

  signals[SIGNAL_GENERATED] =
    g_signal_new ("generated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatehouse/Gatehouse/gh-csr-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, GhCsrDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GhCsrDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, GhCsrDialog, generate_button);
  gtk_widget_class_bind_template_child (widget_class, GhCsrDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, GhCsrDialog, alias_row);
  gtk_widget_class_bind_template_child (widget_class, GhCsrDialog, key_type_row);
  gtk_widget_class_bind_template_child (widget_class, GhCsrDialog, subject_row);
  gtk_widget_class_bind_template_child (widget_class, GhCsrDialog, names_row);
  gtk_widget_class_bind_template_child (widget_class, GhCsrDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, GhCsrDialog, request_label);
  gtk_widget_class_bind_template_child (widget_class, GhCsrDialog, request_view);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);

  gtk_widget_class_install_action (widget_class, "csr.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "csr.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "csr.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "csr.cancel", NULL, cancel_action);
}

static void
gh_csr_dialog_init (GhCsrDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/* Public */

AdwDialog *
gh_csr_dialog_new (GhAdminClient      *client,
                   const char * const *names,
                   gint64              version)
{
  GhCsrDialog *self;
  g_autofree char *joined = NULL;
  g_autofree char *subject = NULL;

  g_return_val_if_fail (GH_IS_ADMIN_CLIENT (client), NULL);

  self = g_object_new (GH_TYPE_CSR_DIALOG, NULL);
  self->client = g_object_ref (client);
  self->version = version;
  joined = names != NULL ? g_strjoinv (", ", (char **) names) : g_strdup ("");
  subject = gh_api_csr_suggest_subject (names);
  gtk_editable_set_text (GTK_EDITABLE (self->names_row), joined);
  gtk_editable_set_text (GTK_EDITABLE (self->subject_row), subject);
  update_actions (self);
  return ADW_DIALOG (self);
}

const char *
gh_csr_dialog_get_request (GhCsrDialog *self)
{
  g_return_val_if_fail (GH_IS_CSR_DIALOG (self), NULL);

  return self->request;
}

const char *
gh_csr_dialog_get_problem (GhCsrDialog *self)
{
  g_return_val_if_fail (GH_IS_CSR_DIALOG (self), NULL);

  return self->problem;
}
