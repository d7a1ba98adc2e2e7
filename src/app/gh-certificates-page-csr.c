/* gh-certificates-page-csr.c — a new key made inside the gateway, its request, the
 * certificate authority's reply, and a rotate, from the Certificates page
 *
 * "New Key and Certificate Request…" opens GhCsrDialog prefilled with what the TLS
 * accepts of the last configuration read answer to; "Install the CA Reply…" opens
 * GhCaReplyDialog for the selected key entry; "Rotate…" reads a file and opens the
 * import preview in rotate mode for it (what each accept would serve from the next
 * handshake). All need the admin role, as importing does, and say so otherwise
 * (gh-action-roles.c, through the page's table).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-certificates-page"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-ca-reply-dialog.h"
#include "gh-certificates-page-private.h"
#include "gh-csr-dialog.h"
#include "gh-import-dialog.h"

static GhApiCertEntry *
selected_key_entry (GhCertificatesPage *self)
{
  GhApiCertEntry *entry = _gh_certificates_page_get_selected (self);

  if (entry == NULL || gh_api_cert_entry_get_store (entry) != GH_API_CERT_STORE_KEYSTORE ||
      gh_api_cert_entry_get_kind (entry) != GH_API_CERT_KIND_KEY)
    return NULL;
  return entry;
}

void
_gh_certificates_page_update_csr_actions (GhCertificatesPage *self)
{
  gboolean may = _gh_certificates_page_may_import (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certificates.new-key", may);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certificates.install-reply",
                                 may && selected_key_entry (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certificates.rotate", may && selected_key_entry (self) != NULL);
}

static void
on_generated (GhCertificatesPage *self,
              const char         *alias)
{
  g_autofree char *text = g_strdup_printf (_("New key “%s” made in the gateway"), alias);

  _gh_certificates_page_changed (self, text);
}

static void
new_key_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GhCertificatesPage *self = GH_CERTIFICATES_PAGE (widget);
  GhAdminClient *client = _gh_certificates_page_get_client (self);
  AdwDialog *dialog;

  if (client == NULL || !_gh_certificates_page_may_import (self))
    return;
  dialog = gh_csr_dialog_new (client, _gh_certificates_page_get_csr_names (self),
                              _gh_certificates_page_get_version (self));
  g_signal_connect_object (dialog, "generated", G_CALLBACK (on_generated), self, G_CONNECT_SWAPPED);
  adw_dialog_present (dialog, widget);
}

static void
on_installed (GhCertificatesPage *self,
              const char         *alias)
{
  g_autofree char *text = g_strdup_printf (_("The CA’s certificate is installed on “%s”"), alias);

  _gh_certificates_page_changed (self, text);
}

static void
install_reply_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GhCertificatesPage *self = GH_CERTIFICATES_PAGE (widget);
  GhAdminClient *client = _gh_certificates_page_get_client (self);
  GhApiCertEntry *entry = selected_key_entry (self);
  AdwDialog *dialog;

  if (client == NULL || entry == NULL || !_gh_certificates_page_may_import (self))
    return;
  dialog = gh_ca_reply_dialog_new (client, gh_api_cert_entry_get_alias (entry),
                                   _gh_certificates_page_get_version (self));
  g_signal_connect_object (dialog, "installed", G_CALLBACK (on_installed), self, G_CONNECT_SWAPPED);
  adw_dialog_present (dialog, widget);
}

/* Rotating: the file chosen, read, previewed against the entry it replaces */

typedef struct {
  GhCertificatesPage *self;
  char               *alias;
} Rotate;

static void
rotate_free (Rotate *rotate)
{
  g_object_unref (rotate->self);
  g_free (rotate->alias);
  g_free (rotate);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Rotate, rotate_free)

static void
on_rotated (GhCertificatesPage *self,
            guint               n_entries,
            GhImportDialog     *dialog)
{
  _gh_certificates_page_changed (self, _("The entry is rotated: new handshakes get the new certificate"));
}

void
gh_certificates_page_preview_rotate (GhCertificatesPage *self,
                                     const char         *alias,
                                     GBytes             *data,
                                     const char         *name)
{
  GhAdminClient *client;
  AdwDialog *dialog;

  g_return_if_fail (GH_IS_CERTIFICATES_PAGE (self));
  g_return_if_fail (alias != NULL);
  g_return_if_fail (data != NULL);

  client = _gh_certificates_page_get_client (self);
  if (client == NULL)
    return;
  dialog = gh_import_dialog_new (client, data, name, _gh_certificates_page_get_version (self));
  gh_import_dialog_set_rotate_alias (GH_IMPORT_DIALOG (dialog), alias);
  g_signal_connect_object (dialog, "imported", G_CALLBACK (on_rotated), self, G_CONNECT_SWAPPED);
  adw_dialog_present (dialog, GTK_WIDGET (self));
}

static void
on_rotate_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Rotate) rotate = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  g_autofree char *name = g_file_get_basename (G_FILE (source));

  if (data == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("%s could not be read: %s"), name, error->message);

      _gh_certificates_page_toast (rotate->self, text);
      return;
    }
  gh_certificates_page_preview_rotate (rotate->self, rotate->alias, data, name);
}

static void
on_rotate_chosen (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Rotate) rotate = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, NULL);

  if (file != NULL)
    g_file_load_bytes_async (file, NULL, on_rotate_loaded, g_steal_pointer (&rotate));
}

static void
rotate_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhCertificatesPage *self = GH_CERTIFICATES_PAGE (widget);
  GhApiCertEntry *entry = selected_key_entry (self);
  g_autoptr(GtkFileDialog) dialog = NULL;
  g_autofree char *title = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  Rotate *rotate;

  if (entry == NULL || !_gh_certificates_page_may_import (self))
    return;
  rotate = g_new0 (Rotate, 1);
  rotate->self = g_object_ref (self);
  rotate->alias = g_strdup (gh_api_cert_entry_get_alias (entry));
  title = g_strdup_printf (_("Rotate “%s”: the New Key and Certificate"), rotate->alias);
  dialog = gtk_file_dialog_new ();
  gtk_file_dialog_set_title (dialog, title);
  gtk_file_dialog_open (dialog, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL, on_rotate_chosen, rotate);
}

void
_gh_certificates_page_class_init_csr (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "certificates.new-key", NULL, new_key_action);
  gtk_widget_class_install_action (widget_class, "certificates.install-reply", NULL, install_reply_action);
  gtk_widget_class_install_action (widget_class, "certificates.rotate", NULL, rotate_action);
}
