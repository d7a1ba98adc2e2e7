/* gh-serve-preview.c — what each accept would serve from the next handshake
 *
 * The import dialog's rotate and the service editor both ask the gateway, before
 * anything is applied, what its accepts would serve under the change (POST
 * /config/preview: the SNI choice made by the gateway's own code on a generation
 * built and never bound) and show the answer the same way, here: one row per accept
 * with its URI, the host a client asks for and the key entry that host gets, the
 * chain's verdict and each finding in words, and a flag in red when the accept would
 * serve no certificate or an expired one. Which accepts matter is the caller's choice
 * (one service, one alias); a flagged one of that service is always shown. The
 * widget asks the gateway itself (gh_serve_preview_request(): one request at a time,
 * the last one cancelled by the next), so that the dialogs only say when. The caller
 * reads the count of flagged rows to ask for a confirmation before it applies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-serve-preview"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-client-preview.h"
#include "gh-serve-preview.h"
#include "gh-trust-node.h"

struct _GhServePreview
{
  AdwPreferencesGroup  parent_instance;

  GPtrArray           *rows;
  GCancellable        *cancellable;    /* of the request running */
  char                *service;        /* what the request's answer is shown for */
  char                *alias;
  guint                n_accepts;
  guint                n_flagged;
  gboolean             ready;
};

G_DEFINE_FINAL_TYPE (GhServePreview, gh_serve_preview, ADW_TYPE_PREFERENCES_GROUP)

static void
clear_rows (GhServePreview *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  self->n_accepts = 0;
  self->n_flagged = 0;
}

static GtkWidget *
add_row (GhServePreview *self,
         const char     *title,
         const char     *subtitle,
         const char     *icon_name,
         const char     *style_class)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_margin_top (icon, 12);
  if (style_class != NULL)
    gtk_widget_add_css_class (icon, style_class);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  g_ptr_array_add (self->rows, row);
  return row;
}

static const char *
flag_words (const char *flag)
{
  if (g_strcmp0 (flag, "no-certificate") == 0)
    return _("Would serve no certificate: clients asking for this host fail their handshake");
  if (g_strcmp0 (flag, "expired") == 0)
    return _("Would serve an expired certificate: clients refuse it");
  /* TRANSLATORS: a flag of a newer gateway, by its name */
  return _("Flagged by the gateway");
}

/* The lines under an accept's URI: who asks for what, what it gets, and why not. */
static char *
describe_accept (GhApiTlsAccept *accept,
                 const char     *flag)
{
  GhApiTrustChain *chain = gh_api_tls_accept_get_chain (accept);
  GListModel *findings = gh_api_tls_accept_get_findings (accept);
  const char *host = gh_api_tls_accept_get_host (accept);
  const char *alias = gh_api_tls_accept_get_alias (accept);
  g_autoptr(GString) text = g_string_new (NULL);

  if (!gh_api_tls_accept_get_secure (accept))
    return g_strdup (_("Plain text: no certificate is served"));

  if (alias != NULL)
    /* TRANSLATORS: "clients asking for www.example.com (SNI) get the entry “web”" */
    g_string_append_printf (text, _("Clients asking for %s (SNI) get the entry “%s”"), host ? host : "?", alias);
  else
    g_string_append_printf (text, _("Clients asking for %s (SNI) get no entry"), host ? host : "?");
  if (flag != NULL)
    g_string_append_printf (text, "\n%s", flag_words (flag));
  if (chain != NULL && gh_api_trust_chain_get_status_message (chain) != NULL && findings != NULL &&
      g_list_model_get_n_items (findings) == 0)
    g_string_append_printf (text, "\n%s", gh_api_trust_chain_get_status_message (chain));
  for (guint i = 0; findings != NULL && i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(GhApiFinding) finding = g_list_model_get_item (findings, i);

      g_string_append_printf (text, "\n%s", gh_api_finding_get_message (finding));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_accept (GhServePreview     *self,
            GhApiAcceptPreview *item)
{
  GhApiTlsAccept *accept = gh_api_accept_preview_get_accept (item);
  GhApiTrustChain *chain = gh_api_tls_accept_get_chain (accept);
  const char *flag = gh_api_accept_preview_get_flag (item);
  g_autofree char *title = g_strdup_printf ("%s — %s", gh_api_accept_preview_get_service (item),
                                            gh_api_tls_accept_get_uri (accept));
  g_autofree char *subtitle = describe_accept (accept, flag);
  GhSeverity severity = chain != NULL ? gh_api_trust_chain_get_severity (chain) : GH_SEVERITY_INFO;
  GtkWidget *row;

  if (flag != NULL)
    row = add_row (self, title, subtitle, "dialog-error-symbolic", "error");
  else if (!gh_api_tls_accept_get_secure (accept))
    row = add_row (self, title, subtitle, "network-wired-symbolic", NULL);
  else
    row = add_row (self, title, subtitle,
                   severity == GH_SEVERITY_INFO ? "object-select-symbolic" : "dialog-warning-symbolic",
                   gh_severity_get_style_class (severity));
  if (flag != NULL)
    gtk_widget_add_css_class (row, "gh-serve-flagged");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
  self->n_accepts++;
  if (flag != NULL)
    self->n_flagged++;
}

/* Public */

GtkWidget *
gh_serve_preview_new (void)
{
  return g_object_new (GH_TYPE_SERVE_PREVIEW, NULL);
}

void
gh_serve_preview_set_loading (GhServePreview *self)
{
  g_return_if_fail (GH_IS_SERVE_PREVIEW (self));

  clear_rows (self);
  self->ready = FALSE;
  add_row (self, _("Asking the gateway…"), _("What each accept would serve from the next handshake"),
           "content-loading-symbolic", "dim-label");
}

void
gh_serve_preview_set_error (GhServePreview *self,
                            const char     *message)
{
  g_return_if_fail (GH_IS_SERVE_PREVIEW (self));
  g_return_if_fail (message != NULL);

  clear_rows (self);
  self->ready = TRUE;
  add_row (self, _("The gateway could not preview the change"), message, "dialog-warning-symbolic", "warning");
}

void
gh_serve_preview_set_preview (GhServePreview     *self,
                              GhApiConfigPreview *preview,
                              const char         *service,
                              const char         *alias)
{
  GListModel *accepts;

  g_return_if_fail (GH_IS_SERVE_PREVIEW (self));
  g_return_if_fail (GH_IS_API_CONFIG_PREVIEW (preview));

  clear_rows (self);
  self->ready = TRUE;
  accepts = gh_api_config_preview_get_accepts (preview);
  for (guint i = 0; i < g_list_model_get_n_items (accepts); i++)
    {
      g_autoptr(GhApiAcceptPreview) item = g_list_model_get_item (accepts, i);
      GhApiTlsAccept *accept = gh_api_accept_preview_get_accept (item);

      if (service != NULL && g_strcmp0 (gh_api_accept_preview_get_service (item), service) != 0)
        continue;
      if (alias != NULL && g_strcmp0 (gh_api_tls_accept_get_alias (accept), alias) != 0 &&
          gh_api_accept_preview_get_flag (item) == NULL)
        continue;
      add_accept (self, item);
    }

  if (self->n_accepts == 0 && alias != NULL)
    add_row (self, _("No accept would serve this entry"),
             _("No service’s accept host matches the certificate’s names: it is kept, but not served"),
             "dialog-information-symbolic", NULL);
  else if (self->n_accepts == 0)
    add_row (self, _("No accept to preview"), _("The service accepts no connections"),
             "dialog-information-symbolic", NULL);
}

static void
on_previewed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GhServePreview) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiConfigPreview) preview = gh_admin_client_preview_config_finish (GH_ADMIN_CLIENT (source), result,
                                                                                 &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (preview != NULL)
    gh_serve_preview_set_preview (self, preview, self->service, self->alias);
  else if (g_error_matches (error, GH_API_ERROR, GH_API_ERROR_NOT_FOUND))
    gh_serve_preview_set_error (self, _("The gateway has no key entry of this alias"));
  else
    gh_serve_preview_set_error (self, error->message);
}

void
gh_serve_preview_request (GhServePreview  *self,
                          GhAdminClient   *client,
                          GhGatewayConfig *config,
                          const char      *alias,
                          const char      *chain_pem,
                          const char      *service)
{
  g_return_if_fail (GH_IS_SERVE_PREVIEW (self));
  g_return_if_fail (GH_IS_ADMIN_CLIENT (client));

  gh_serve_preview_cancel (self);
  g_set_str (&self->service, service);
  g_set_str (&self->alias, alias);
  self->cancellable = g_cancellable_new ();
  gh_serve_preview_set_loading (self);
  gh_admin_client_preview_config_async (client, config, alias, chain_pem, self->cancellable, on_previewed,
                                        g_object_ref (self));
}

void
gh_serve_preview_cancel (GhServePreview *self)
{
  g_return_if_fail (GH_IS_SERVE_PREVIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

guint
gh_serve_preview_get_n_accepts (GhServePreview *self)
{
  g_return_val_if_fail (GH_IS_SERVE_PREVIEW (self), 0);
  return self->n_accepts;
}

guint
gh_serve_preview_get_n_flagged (GhServePreview *self)
{
  g_return_val_if_fail (GH_IS_SERVE_PREVIEW (self), 0);
  return self->n_flagged;
}

AdwDialog *
gh_serve_preview_new_confirmation (GhServePreview *self,
                                   const char     *heading,
                                   const char     *apply_label)
{
  AdwDialog *dialog;

  g_return_val_if_fail (GH_IS_SERVE_PREVIEW (self), NULL);

  dialog = adw_alert_dialog_new (heading, NULL);
  adw_alert_dialog_format_body (ADW_ALERT_DIALOG (dialog),
                                g_dngettext (GETTEXT_PACKAGE,
                                             "After this change, %u accept would serve no certificate or an "
                                             "expired one: clients connecting to it will fail their handshake.",
                                             "After this change, %u accepts would serve no certificate or an "
                                             "expired one: clients connecting to them will fail their handshake.",
                                             self->n_flagged), self->n_flagged);
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Cancel"),
                                  "apply", apply_label,
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "apply", ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
  return dialog;
}

gboolean
gh_serve_preview_get_ready (GhServePreview *self)
{
  g_return_val_if_fail (GH_IS_SERVE_PREVIEW (self), FALSE);
  return self->ready;
}

/* GObject */

static void
gh_serve_preview_dispose (GObject *object)
{
  gh_serve_preview_cancel (GH_SERVE_PREVIEW (object));

  G_OBJECT_CLASS (gh_serve_preview_parent_class)->dispose (object);
}

static void
gh_serve_preview_finalize (GObject *object)
{
  GhServePreview *self = GH_SERVE_PREVIEW (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->service, g_free);
  g_clear_pointer (&self->alias, g_free);

  G_OBJECT_CLASS (gh_serve_preview_parent_class)->finalize (object);
}

static void
gh_serve_preview_class_init (GhServePreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_serve_preview_dispose;
  object_class->finalize = gh_serve_preview_finalize;
}

static void
gh_serve_preview_init (GhServePreview *self)
{
  self->rows = g_ptr_array_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("From the Next Handshake"));
}
