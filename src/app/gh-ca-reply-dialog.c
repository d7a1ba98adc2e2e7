/* gh-ca-reply-dialog.c — a certificate authority's reply installed on the key entry
 * that asked for it
 *
 * The reply is pasted into the text view, or read from a file into it (so what is sent
 * is what the user sees), and sent with PUT /keystore/{alias}/certificate. The gateway
 * checks that the certificate is for the entry's key and replaces the placeholder;
 * a refusal (another key's certificate, no certificate at all) is said in the dialog,
 * the text kept as it is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ca-reply-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-ca-reply-dialog.h"

/* A reply is a chain of a few certificates. */
#define MAX_REPLY (1024 * 1024)

struct _GhCaReplyDialog
{
  AdwDialog      parent_instance;

  GhAdminClient *client;
  char          *alias;
  gint64         version;
  GCancellable  *cancellable;
  char          *problem;
  gboolean       busy;

  GtkLabel      *intro_label;
  GtkTextView   *reply_view;
  GtkLabel      *problem_label;
};

G_DEFINE_FINAL_TYPE (GhCaReplyDialog, gh_ca_reply_dialog, ADW_TYPE_DIALOG)

enum {
  SIGNAL_INSTALLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
dup_text (GhCaReplyDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->reply_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
update_actions (GhCaReplyDialog *self)
{
  g_autofree char *text = dup_text (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reply.install", !self->busy && *g_strstrip (text) != '\0');
}

static void
set_problem (GhCaReplyDialog *self,
             const char      *problem)
{
  g_set_str (&self->problem, problem);
  gtk_label_set_text (self->problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
}

static void
on_installed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GhCaReplyDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gh_admin_client_import_certificate_reply_finish (GH_ADMIN_CLIENT (source), result, NULL, &error))
    {
      g_autofree char *problem = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      problem = g_strdup_printf (_("The gateway refused it: %s"), error->message);
      self->busy = FALSE;
      set_problem (self, problem);
      update_actions (self);
      return;
    }

  self->busy = FALSE;
  g_signal_emit (self, signals[SIGNAL_INSTALLED], 0, self->alias);
  adw_dialog_close (ADW_DIALOG (self));
}

static void
install_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GhCaReplyDialog *self = GH_CA_REPLY_DIALOG (widget);
  g_autofree char *text = dup_text (self);

  if (self->busy)
    return;
  if (!g_str_has_prefix (g_strstrip (text), "-----BEGIN"))
    {
      set_problem (self, _("This is not PEM text: a reply starts with “-----BEGIN CERTIFICATE-----” "
                           "(or “-----BEGIN PKCS7-----”)"));
      return;
    }
  self->busy = TRUE;
  set_problem (self, NULL);
  update_actions (self);
  gh_admin_client_import_certificate_reply_async (self->client, self->alias, text, self->version, self->cancellable,
                                                  on_installed, g_object_ref (self));
}

static void
on_file_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GhCaReplyDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  g_autofree char *name = g_file_get_basename (G_FILE (source));
  gsize size = 0;
  const char *bytes;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (data == NULL)
    {
      g_autofree char *problem = g_strdup_printf (_("%s could not be read: %s"), name, error->message);

      set_problem (self, problem);
      return;
    }
  bytes = g_bytes_get_data (data, &size);
  if (size > MAX_REPLY || !g_utf8_validate_len (bytes, size, NULL))
    {
      g_autofree char *problem = g_strdup_printf (_("%s is not a PEM file (a CA’s reply in DER can be turned into "
                                                    "PEM with “openssl x509 -inform DER”)"), name);

      set_problem (self, problem);
      return;
    }
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->reply_view), bytes, (int) size);
  set_problem (self, NULL);
}

static void
on_file_chosen (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GhCaReplyDialog) self = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, NULL);

  if (file != NULL)
    g_file_load_bytes_async (file, self->cancellable, on_file_loaded, g_object_ref (self));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GhCaReplyDialog *self = GH_CA_REPLY_DIALOG (widget);
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  GtkRoot *root = gtk_widget_get_root (widget);

  gtk_file_dialog_set_title (dialog, _("Open the CA’s Reply"));
  gtk_file_dialog_open (dialog, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->cancellable,
                        on_file_chosen, g_object_ref (self));
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
gh_ca_reply_dialog_dispose (GObject *object)
{
  GhCaReplyDialog *self = GH_CA_REPLY_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_CA_REPLY_DIALOG);

  G_OBJECT_CLASS (gh_ca_reply_dialog_parent_class)->dispose (object);
}

static void
gh_ca_reply_dialog_finalize (GObject *object)
{
  GhCaReplyDialog *self = GH_CA_REPLY_DIALOG (object);

  g_free (self->alias);
  g_free (self->problem);

  G_OBJECT_CLASS (gh_ca_reply_dialog_parent_class)->finalize (object);
}

static void
gh_ca_reply_dialog_class_init (GhCaReplyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_ca_reply_dialog_dispose;
  object_class->finalize = gh_ca_reply_dialog_finalize;

  signals[SIGNAL_INSTALLED] =
    g_signal_new ("installed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatehouse/Gatehouse/gh-ca-reply-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, GhCaReplyDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, GhCaReplyDialog, reply_view);
  gtk_widget_class_bind_template_child (widget_class, GhCaReplyDialog, problem_label);

  gtk_widget_class_install_action (widget_class, "reply.install", NULL, install_action);
  gtk_widget_class_install_action (widget_class, "reply.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "reply.cancel", NULL, cancel_action);
}

static void
gh_ca_reply_dialog_init (GhCaReplyDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (gtk_text_view_get_buffer (self->reply_view), "changed", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  update_actions (self);
}

/* Public */

AdwDialog *
gh_ca_reply_dialog_new (GhAdminClient *client,
                        const char    *alias,
                        gint64         version)
{
  GhCaReplyDialog *self;
  g_autofree char *intro = NULL;

  g_return_val_if_fail (GH_IS_ADMIN_CLIENT (client), NULL);
  g_return_val_if_fail (alias != NULL, NULL);

  self = g_object_new (GH_TYPE_CA_REPLY_DIALOG, NULL);
  self->client = g_object_ref (client);
  self->alias = g_strdup (alias);
  self->version = version;
  /* TRANSLATORS: %s is a keystore entry's alias */
  intro = g_strdup_printf (_("Paste the certificate your authority issued for “%s” (PEM, with its chain), or open "
                             "the file it sent. The gateway checks that it is for the entry’s key."), alias);
  gtk_label_set_text (self->intro_label, intro);
  return ADW_DIALOG (self);
}

void
gh_ca_reply_dialog_set_text (GhCaReplyDialog *self,
                             const char      *text)
{
  g_return_if_fail (GH_IS_CA_REPLY_DIALOG (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->reply_view), text ? text : "", -1);
}

const char *
gh_ca_reply_dialog_get_problem (GhCaReplyDialog *self)
{
  g_return_val_if_fail (GH_IS_CA_REPLY_DIALOG (self), NULL);

  return self->problem;
}
