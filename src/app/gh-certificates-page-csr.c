/* gh-certificates-page-csr.c — a key entry's life from the Certificates page: a new key
 * made inside the gateway, its request, the certificate authority's reply, and rotation
 *
 * "New Key and Certificate Request…" opens GhCsrDialog prefilled with what the TLS
 * accepts of the last configuration read answer to; "Install the CA Reply…" opens
 * GhCaReplyDialog for the selected key entry; "Rotate the Key and Certificate…" asks
 * for a file and shows the import's preview with the selected entry as the one to
 * replace (PUT /keystore/{alias}: new handshakes get it, live sessions keep theirs).
 * All need the admin role, as importing does, and say so otherwise
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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certificates.rotate",
                                 may && selected_key_entry (self) != NULL);
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

static void
rotate_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhCertificatesPage *self = GH_CERTIFICATES_PAGE (widget);
  GhApiCertEntry *entry = selected_key_entry (self);
  g_autofree char *title = NULL;

  if (entry == NULL || !_gh_certificates_page_may_import (self))
    return;
  /* TRANSLATORS: the title of the file chooser; %s is a keystore entry's alias */
  title = g_strdup_printf (_("Rotate “%s”: the New Key and Certificate"), gh_api_cert_entry_get_alias (entry));
  _gh_certificates_page_choose_file (self, title, gh_api_cert_entry_get_alias (entry));
}

void
_gh_certificates_page_class_init_csr (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "certificates.new-key", NULL, new_key_action);
  gtk_widget_class_install_action (widget_class, "certificates.install-reply", NULL, install_reply_action);
  gtk_widget_class_install_action (widget_class, "certificates.rotate", NULL, rotate_action);
}
