/* gh-certificate-details.c — a certificate entry, its chain and its findings
 *
 * A navigation view, as GNOME's certificate viewers do it: the first page is the
 * entry (alias, store, expiry, what uses it), its chain (one row per certificate,
 * each opening a page with every field gh_certificate_to_json() gives, grouped as a
 * person reads them) and what verifying the chain found, each finding with its fix.
 * The chain is verified here, by GhTrustChain in a thread, against the truststore the
 * page last read and the system's authorities; the Trust and Connections pages open
 * the same dialog. A back-end's chain (the Trust page's probe) is verified as the
 * gateway verifies it instead: its truststore alone, for the name it expects.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-certificate-details"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-api-keystore-entry.h"
#include "gh-certificate-details.h"
#include "gh-export.h"
#include "gh-trust-chain.h"

struct _GhCertificateDetails
{
  AdwDialog             parent_instance;

  GhApiCertEntry       *entry;
  GhTrustChain         *chain;
  GCancellable         *cancellable;
  gboolean              verified;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwNavigationView    *navigation_view;
  AdwNavigationPage    *entry_page;
  AdwPreferencesGroup  *summary_group;
  AdwPreferencesGroup  *chain_group;
  AdwPreferencesGroup  *findings_group;
  GtkWidget            *verifying_row;
};

G_DEFINE_FINAL_TYPE (GhCertificateDetails, gh_certificate_details, ADW_TYPE_DIALOG)

/* Rows */

/* A statement: @title, explained by @text. */
static GtkWidget *
add_status_row (AdwPreferencesGroup *group,
                const char          *title,
                const char          *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
  adw_action_row_set_subtitle_selectable (ADW_ACTION_ROW (row), TRUE);
  adw_preferences_group_add (group, row);

  return row;
}

/* A field: its name small, its value as the row's text. */
static GtkWidget *
add_row (AdwPreferencesGroup *group,
         const char          *title,
         const char          *value)
{
  GtkWidget *row;

  if (value == NULL || *value == '\0')
    return NULL;

  row = add_status_row (group, title, value);
  gtk_widget_add_css_class (row, "property");

  return row;
}

static gboolean
has_strings (const char * const *values)
{
  return values != NULL && values[0] != NULL;
}

static void
add_list_row (AdwPreferencesGroup *group,
              const char          *title,
              const char * const  *values)
{
  g_autofree char *joined = values != NULL ? g_strjoinv ("\n", (char **) values) : NULL;

  add_row (group, title, joined);
}

static void
on_copy_clicked (GtkButton            *button,
                 GhCertificateDetails *self)
{
  const char *text = g_object_get_data (G_OBJECT (button), "gh-copy-text");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), text);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Copied")));
}

static void
add_copy_row (GhCertificateDetails *self,
              AdwPreferencesGroup  *group,
              const char           *title,
              const char           *value,
              const char           *copy_label)
{
  GtkWidget *row = add_row (group, title, value);
  GtkWidget *button;

  if (row == NULL)
    return;

  button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, copy_label);
  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, copy_label, -1);
  g_object_set_data_full (G_OBJECT (button), "gh-copy-text", g_strdup (value), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_copy_clicked), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
}

static AdwPreferencesGroup *
new_group (AdwPreferencesPage *page,
           const char         *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (group));
  return ADW_PREFERENCES_GROUP (group);
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = time != NULL ? g_date_time_to_local (time) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S %Z") : NULL;
}

/* The JSON's key usage names (the certificate has only the bits). */
static GStrv
json_strings (JsonNode   *node,
              const char *member)
{
  JsonObject *object = json_node_get_object (node);
  JsonNode *value = json_object_get_member (object, member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (value != NULL && JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *array = json_node_get_array (value);

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_strv_builder_add (builder, json_array_get_string_element (array, i));
    }
  return g_strv_builder_end (builder);
}

static const char *
eku_name (const char *oid)
{
  if (g_strcmp0 (oid, GH_EKU_SERVER_AUTH) == 0)
    return _("TLS server authentication");
  if (g_strcmp0 (oid, GH_EKU_CLIENT_AUTH) == 0)
    return _("TLS client authentication");
  return oid;
}

static char *
role_name (GPtrArray *chain,
           guint      index)
{
  GhCertificate *certificate = g_ptr_array_index (chain, index);

  if (index == 0)
    return g_strdup (chain->len == 1 && gh_certificate_is_self_signed (certificate) ? _("Self-signed certificate")
                                                                                  : _("The entry’s certificate"));
  if (gh_certificate_is_self_signed (certificate))
    return g_strdup (_("Root authority"));
  return g_strdup (_("Intermediate authority"));
}

static GtkWidget *
certificate_page (GhCertificateDetails *self,
                  GhCertificate        *certificate,
                  const char           *role)
{
  g_autoptr(JsonNode) json = gh_certificate_to_json (certificate);
  g_auto(GStrv) key_usage = json_strings (json, "key_usage");
  g_autoptr(GStrvBuilder) ekus = g_strv_builder_new ();
  g_auto(GStrv) eku_names = NULL;
  const char * const *eku = gh_certificate_get_extended_key_usage (certificate);
  g_autofree char *not_before = format_time (gh_certificate_get_not_before (certificate));
  g_autofree char *not_after = format_time (gh_certificate_get_not_after (certificate));
  g_autofree char *bits = g_strdup_printf ("%u", gh_certificate_get_key_bits (certificate));
  g_autofree char *version = g_strdup_printf ("%u", gh_certificate_get_version (certificate));
  g_autofree char *signature = NULL;
  g_autofree char *basic = NULL;
  GtkWidget *preferences = adw_preferences_page_new ();
  GtkWidget *toolbar = adw_toolbar_view_new ();
  AdwNavigationPage *page;
  AdwPreferencesGroup *group;

  /* Subject */
  group = new_group (ADW_PREFERENCES_PAGE (preferences), _("Subject"));
  adw_preferences_group_set_description (group, role);
  add_row (group, _("Name"), gh_certificate_get_display_name (certificate));
  add_row (group, _("Distinguished Name"), gh_certificate_get_subject (certificate));
  add_row (group, _("Issued By"), gh_certificate_get_issuer (certificate));

  /* Validity */
  group = new_group (ADW_PREFERENCES_PAGE (preferences), _("Validity"));
  add_row (group, _("Not Before"), not_before);
  add_row (group, _("Not After"), not_after);

  /* Names */
  group = new_group (ADW_PREFERENCES_PAGE (preferences), _("Names"));
  add_list_row (group, _("DNS Names"), gh_certificate_get_dns_names (certificate));
  add_list_row (group, _("IP Addresses"), gh_certificate_get_ip_addresses (certificate));
  add_list_row (group, _("Email Addresses"), gh_certificate_get_emails (certificate));
  if (!has_strings (gh_certificate_get_dns_names (certificate)) &&
      !has_strings (gh_certificate_get_ip_addresses (certificate)) &&
      !has_strings (gh_certificate_get_emails (certificate)))
    add_row (group, _("Alternative Names"), _("None"));

  /* Key */
  group = new_group (ADW_PREFERENCES_PAGE (preferences), _("Key"));
  add_row (group, _("Algorithm"), gh_certificate_get_key_algorithm (certificate));
  add_row (group, _("Size"), gh_certificate_get_key_bits (certificate) > 0 ? bits : NULL);
  signature = gh_certificate_has_weak_signature (certificate)
    ? g_strdup_printf (_("%s (weak)"), gh_certificate_get_signature_algorithm (certificate))
    : g_strdup (gh_certificate_get_signature_algorithm (certificate));
  add_row (group, _("Signature Algorithm"), signature);

  /* Usage */
  group = new_group (ADW_PREFERENCES_PAGE (preferences), _("Usage"));
  add_list_row (group, _("Key Usage"), gh_certificate_has_key_usage (certificate) ? (const char * const *) key_usage : NULL);
  for (guint i = 0; eku != NULL && eku[i] != NULL; i++)
    g_strv_builder_add (ekus, eku_name (eku[i]));
  eku_names = g_strv_builder_end (ekus);
  add_list_row (group, _("Extended Key Usage"), (const char * const *) eku_names);
  if (gh_certificate_is_ca (certificate) && gh_certificate_get_path_length (certificate) >= 0)
    basic = g_strdup_printf (_("Certificate authority, at most %d below it"), gh_certificate_get_path_length (certificate));
  else
    basic = g_strdup (gh_certificate_is_ca (certificate) ? _("Certificate authority") : _("Not a certificate authority"));
  add_row (group, _("Basic Constraints"), basic);

  /* Extensions */
  group = new_group (ADW_PREFERENCES_PAGE (preferences), _("Extensions"));
  add_row (group, _("Serial Number"), gh_certificate_get_serial (certificate));
  add_row (group, _("Version"), version);
  add_row (group, _("Subject Key Identifier"), gh_certificate_get_subject_key_id (certificate));
  add_row (group, _("Authority Key Identifier"), gh_certificate_get_authority_key_id (certificate));
  add_row (group, _("Self-Signed"), gh_certificate_is_self_signed (certificate) ? _("Yes") : _("No"));

  /* Fingerprints */
  group = new_group (ADW_PREFERENCES_PAGE (preferences), _("Fingerprints"));
  add_copy_row (self, group, _("SHA-256"), gh_certificate_get_sha256_fingerprint (certificate),
                _("Copy the SHA-256 Fingerprint"));
  add_copy_row (self, group, _("SHA-1"), gh_certificate_get_sha1_fingerprint (certificate),
                _("Copy the SHA-1 Fingerprint"));

  adw_toolbar_view_add_top_bar (ADW_TOOLBAR_VIEW (toolbar), adw_header_bar_new ());
  adw_toolbar_view_set_content (ADW_TOOLBAR_VIEW (toolbar), preferences);
  page = adw_navigation_page_new (toolbar, gh_certificate_get_display_name (certificate));
  gtk_widget_add_css_class (GTK_WIDGET (page), "gh-certificate-page");

  return GTK_WIDGET (page);
}

static void
on_chain_row_activated (AdwActionRow         *row,
                        GhCertificateDetails *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "gh-index"));

  gh_certificate_details_show_certificate (self, index);
}

/* Findings */

static const char *
severity_icon (GhSeverity severity)
{
  switch (severity)
    {
    case GH_SEVERITY_ERROR:
      return "dialog-error-symbolic";
    case GH_SEVERITY_WARNING:
      return "dialog-warning-symbolic";
    case GH_SEVERITY_INFO:
    default:
      return "dialog-information-symbolic";
    }
}

static const char *
severity_class (GhSeverity severity)
{
  return severity == GH_SEVERITY_ERROR ? "error" : severity == GH_SEVERITY_WARNING ? "warning" : "accent";
}

static void
add_finding_row (GhCertificateDetails *self,
                 GhFinding            *finding,
                 GhCertificate        *certificate)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (severity_icon (gh_finding_get_severity (finding)));
  const char *fix = gh_finding_get_fix (finding);
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), gh_finding_get_message (finding));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* TRANSLATORS: a certificate's name, then what to do about a finding */
  subtitle = fix != NULL ? g_strdup_printf (_("%s — %s"), gh_certificate_get_display_name (certificate), fix)
                         : g_strdup (gh_certificate_get_display_name (certificate));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_selectable (ADW_ACTION_ROW (row), TRUE);
  gtk_widget_add_css_class (icon, severity_class (gh_finding_get_severity (finding)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gh_finding_get_severity (finding) == GH_SEVERITY_ERROR ? _("Error")
                                  : gh_finding_get_severity (finding) == GH_SEVERITY_WARNING ? _("Warning")
                                                                                             : _("Note"),
                                  -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (row, "gh-finding");
  adw_preferences_group_add (self->findings_group, row);
}

static void
on_verified (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GhCertificateDetails) self = user_data;
  GhTrustChain *chain = GH_TRUST_CHAIN (source);
  g_autoptr(GError) error = NULL;
  GListModel *links;
  guint shown = 0;

  if (!gh_trust_chain_verify_finish (chain, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_preferences_group_remove (self->findings_group, self->verifying_row);
      add_status_row (self->findings_group, _("The chain could not be verified"), error->message);
      self->verified = TRUE;
      return;
    }

  adw_preferences_group_remove (self->findings_group, self->verifying_row);
  links = gh_trust_chain_get_links (chain);
  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    {
      g_autoptr(GhTrustLink) link = g_list_model_get_item (links, i);
      GListModel *findings = gh_trust_link_get_findings (link);

      for (guint j = 0; j < g_list_model_get_n_items (findings); j++)
        {
          g_autoptr(GhFinding) finding = g_list_model_get_item (findings, j);

          add_finding_row (self, finding, gh_trust_link_get_certificate (link));
          shown++;
        }
    }
  if (shown == 0)
    add_status_row (self->findings_group, _("No Problems Found"),
             gh_trust_chain_is_trusted (chain) ? _("The chain is complete and trusted") : _("Nothing to report"));
  self->verified = TRUE;
}

/* @hostname: for a back-end's chain, the name the gateway expects of it. */
static void
verify_chain (GhCertificateDetails *self,
              GListModel           *truststore,
              const char           *hostname)
{
  GPtrArray *chain = gh_api_cert_entry_get_chain (self->entry);
  g_autoptr(GPtrArray) intermediates = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) anchors = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  if (chain->len == 0)
    {
      adw_preferences_group_remove (self->findings_group, self->verifying_row);
      self->verified = TRUE;
      return;
    }

  for (guint i = 1; i < chain->len; i++)
    g_ptr_array_add (intermediates, g_object_ref (g_ptr_array_index (chain, i)));
  for (guint i = 0; truststore != NULL && i < g_list_model_get_n_items (truststore); i++)
    {
      g_autoptr(GhApiTruststoreEntry) trusted = g_list_model_get_item (truststore, i);

      g_ptr_array_add (anchors, g_object_ref (gh_api_truststore_entry_get_certificate (trusted)));
    }

  self->chain = gh_trust_chain_new (g_ptr_array_index (chain, 0), intermediates);
  gh_trust_chain_set_anchors (self->chain, anchors);
  gh_trust_chain_set_use_system_anchors (self->chain, TRUE);
  gh_trust_chain_set_expiry_warning_days (self->chain, g_settings_get_uint (settings, "expiry-warning-days"));
  /* A client's certificate is judged for what the client used it for. */
  if (gh_api_cert_entry_get_store (self->entry) == GH_API_CERT_STORE_PEER)
    {
      gh_trust_chain_set_purpose (self->chain, GH_TRUST_PURPOSE_CLIENT);
      adw_preferences_group_set_description (self->findings_group,
                                             _("The chain verified against the gateway’s truststore and the "
                                               "system’s authorities, for TLS client authentication"));
    }
  /* A back-end's, as the gateway verifies it: its truststore alone, for TLS server
   * authentication, for the name it expects. */
  if (gh_api_cert_entry_get_store (self->entry) == GH_API_CERT_STORE_BACKEND)
    {
      g_autofree char *description = NULL;

      gh_trust_chain_set_use_system_anchors (self->chain, FALSE);
      gh_trust_chain_set_purpose (self->chain, GH_TRUST_PURPOSE_SERVER);
      gh_trust_chain_set_hostname (self->chain, hostname);
      description = hostname != NULL
                    ? g_strdup_printf (_("The chain verified as the gateway verifies it: against its truststore "
                                         "only, for TLS server authentication and the name %s"), hostname)
                    : g_strdup (_("The chain verified as the gateway verifies it: against its truststore only, "
                                  "for TLS server authentication"));
      adw_preferences_group_set_description (self->findings_group, description);
    }
  gh_trust_chain_verify_async (self->chain, self->cancellable, on_verified, g_object_ref (self));
}

static const char *
store_name (GhApiCertStore store)
{
  switch (store)
    {
    case GH_API_CERT_STORE_KEYSTORE:
      return _("Keystore");
    case GH_API_CERT_STORE_TRUSTSTORE:
      return _("Truststore");
    case GH_API_CERT_STORE_PEER:
      /* TRANSLATORS: where a certificate is kept: it is in neither store */
      return _("None (presented by a session’s client)");
    case GH_API_CERT_STORE_BACKEND:
      /* TRANSLATORS: where a certificate is kept: it is in neither store */
      return _("None (back-end, as probed)");
    default:
      g_assert_not_reached ();
    }
}

/* A certificate a peer presented, kept in neither store. */
static gboolean
outside_stores (GhCertificateDetails *self)
{
  GhApiCertStore store = gh_api_cert_entry_get_store (self->entry);

  return store == GH_API_CERT_STORE_PEER || store == GH_API_CERT_STORE_BACKEND;
}

static void
fill (GhCertificateDetails *self)
{
  GPtrArray *chain = gh_api_cert_entry_get_chain (self->entry);
  const char * const *used_by = gh_api_cert_entry_get_used_by (self->entry);
  g_autofree char *expiry = NULL;

  adw_dialog_set_title (ADW_DIALOG (self), gh_api_cert_entry_get_alias (self->entry));
  adw_navigation_page_set_title (self->entry_page, gh_api_cert_entry_get_alias (self->entry));

  if (!outside_stores (self))
    add_row (self->summary_group, _("Alias"), gh_api_cert_entry_get_alias (self->entry));
  else
    add_row (self->summary_group, _("Subject"), gh_api_cert_entry_get_subject (self->entry));
  add_row (self->summary_group, _("Kind"), gh_api_cert_entry_get_kind_label (self->entry));
  add_row (self->summary_group, _("Store"), store_name (gh_api_cert_entry_get_store (self->entry)));
  expiry = g_strdup_printf ("%s (%s)", gh_api_cert_entry_get_expiry_label (self->entry),
                            gh_api_cert_entry_get_not_after_label (self->entry));
  add_row (self->summary_group, _("Expiry"), expiry);
  /* A client's or a back-end's certificate: nothing on the gateway uses it. */
  if (!outside_stores (self))
    {
      if (used_by[0] != NULL)
        add_list_row (self->summary_group, _("Used By"), used_by);
      else
        add_row (self->summary_group, _("Used By"), _("Nothing on this gateway"));
    }

  for (guint i = 0; i < chain->len; i++)
    {
      GhCertificate *certificate = g_ptr_array_index (chain, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *role = role_name (chain, i);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), gh_certificate_get_display_name (certificate));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), role);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "gh-index", GUINT_TO_POINTER (i));
      g_signal_connect_object (row, "activated", G_CALLBACK (on_chain_row_activated), self, 0);
      adw_preferences_group_add (self->chain_group, row);
    }
}

static AdwDialog *
details_new (GhApiCertEntry *entry,
             GListModel     *truststore,
             const char     *hostname)
{
  GhCertificateDetails *self = g_object_new (GH_TYPE_CERTIFICATE_DETAILS, NULL);

  self->entry = g_object_ref (entry);
  fill (self);
  verify_chain (self, truststore, hostname);

  return ADW_DIALOG (self);
}

/* Public */

AdwDialog *
gh_certificate_details_new (GhApiCertEntry *entry,
                            GListModel     *truststore)
{
  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (entry), NULL);
  g_return_val_if_fail (truststore == NULL || G_IS_LIST_MODEL (truststore), NULL);

  return details_new (entry, truststore, NULL);
}

/**
 * gh_certificate_details_new_for_backend:
 * @entry: of %GH_API_CERT_STORE_BACKEND: the chain a back-end sent, from the
 *   certificate to show on
 * @truststore: (nullable): of GhApiTruststoreEntry: the gateway's anchors, the only
 *   ones it trusts toward back-ends
 * @hostname: (nullable): the name the gateway expects of the back-end
 *
 * Returns: (transfer floating): the dialog
 */
AdwDialog *
gh_certificate_details_new_for_backend (GhApiCertEntry *entry,
                                        GListModel     *truststore,
                                        const char     *hostname)
{
  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (entry), NULL);
  g_return_val_if_fail (gh_api_cert_entry_get_store (entry) == GH_API_CERT_STORE_BACKEND, NULL);
  g_return_val_if_fail (truststore == NULL || G_IS_LIST_MODEL (truststore), NULL);

  return details_new (entry, truststore, hostname);
}

GhApiCertEntry *
gh_certificate_details_get_entry (GhCertificateDetails *self)
{
  g_return_val_if_fail (GH_IS_CERTIFICATE_DETAILS (self), NULL);
  return self->entry;
}

void
gh_certificate_details_show_certificate (GhCertificateDetails *self,
                                         guint                 index)
{
  GPtrArray *chain;
  g_autofree char *role = NULL;

  g_return_if_fail (GH_IS_CERTIFICATE_DETAILS (self));

  chain = gh_api_cert_entry_get_chain (self->entry);
  g_return_if_fail (index < chain->len);

  role = role_name (chain, index);
  adw_navigation_view_push (self->navigation_view,
                            ADW_NAVIGATION_PAGE (certificate_page (self, g_ptr_array_index (chain, index), role)));
}

gboolean
gh_certificate_details_get_verified (GhCertificateDetails *self)
{
  g_return_val_if_fail (GH_IS_CERTIFICATE_DETAILS (self), FALSE);
  return self->verified;
}

/* GObject */

static void
gh_certificate_details_dispose (GObject *object)
{
  GhCertificateDetails *self = GH_CERTIFICATE_DETAILS (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_CERTIFICATE_DETAILS);

  G_OBJECT_CLASS (gh_certificate_details_parent_class)->dispose (object);
}

static void
gh_certificate_details_finalize (GObject *object)
{
  GhCertificateDetails *self = GH_CERTIFICATE_DETAILS (object);

  g_clear_object (&self->entry);
  g_clear_object (&self->chain);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (gh_certificate_details_parent_class)->finalize (object);
}

/* Exporting: the certificates only (the gateway never gives a key). */

typedef struct {
  const char     *kind;
  GhExportFormat  format;
  gboolean        chain;
  const char     *extension;
} ExportKind;

static const ExportKind export_kinds[] = {
  { "pem", GH_EXPORT_FORMAT_PEM, FALSE, "pem" },
  { "der", GH_EXPORT_FORMAT_DER, FALSE, "der" },
  { "pem-chain", GH_EXPORT_FORMAT_PEM, TRUE, "chain.pem" },
  { "p7b", GH_EXPORT_FORMAT_PKCS7, TRUE, "p7b" },
};

static const ExportKind *
find_export_kind (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (export_kinds); i++)
    if (g_strcmp0 (export_kinds[i].kind, kind) == 0)
      return &export_kinds[i];
  return NULL;
}

static void
on_export_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
gh_certificate_details_export_async (GhCertificateDetails *self,
                                     const char           *kind,
                                     GFile                *file,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) data = NULL;
  const ExportKind *export = find_export_kind (kind);
  GPtrArray *chain;
  GError *error = NULL;

  g_return_if_fail (GH_IS_CERTIFICATE_DETAILS (self));
  g_return_if_fail (export != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_certificate_details_export_async);
  chain = gh_api_cert_entry_get_chain (self->entry);
  if (chain->len == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The entry has no certificate"));
      return;
    }
  if ((data = gh_certificate_chain_export (chain, export->format, export->chain, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_file_replace_contents_bytes_async (file, data, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable,
                                       on_export_written, g_steal_pointer (&task));
}

gboolean
gh_certificate_details_export_finish (GhCertificateDetails  *self,
                                      GAsyncResult          *result,
                                      GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;
  GhCertificateDetails *self = GH_CERTIFICATE_DETAILS (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *title = NULL;

  if (gh_certificate_details_export_finish (self, result, &error))
    title = g_strdup_printf (_("Exported to “%s”"), name);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    title = g_strdup_printf (_("Not exported: %s"), error->message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
on_export_file_chosen (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GhCertificateDetails) self = user_data;
  GFile *file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, NULL);
  const char *kind = g_object_get_data (source, "gh-export-kind");

  if (file != NULL)
    gh_certificate_details_export_async (self, kind, file, self->cancellable, on_exported, file);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhCertificateDetails *self = GH_CERTIFICATE_DETAILS (widget);
  const ExportKind *export = find_export_kind (g_variant_get_string (parameter, NULL));
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autofree char *name = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (export == NULL)
    return;
  /* An alias as a file name: no directory separators. */
  name = g_strdelimit (g_strdup_printf ("%s.%s", gh_api_cert_entry_get_alias (self->entry), export->extension),
                       G_DIR_SEPARATOR_S, '_');
  gtk_file_dialog_set_title (dialog, _("Export the Certificates"));
  gtk_file_dialog_set_initial_name (dialog, name);
  g_object_set_data (G_OBJECT (dialog), "gh-export-kind", (gpointer) export->kind);
  gtk_file_dialog_save (dialog, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->cancellable,
                        on_export_file_chosen, g_object_ref (self));
}

static void
gh_certificate_details_class_init (GhCertificateDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_certificate_details_dispose;
  object_class->finalize = gh_certificate_details_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatehouse/Gatehouse/gh-certificate-details.ui");
  gtk_widget_class_bind_template_child (widget_class, GhCertificateDetails, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GhCertificateDetails, navigation_view);
  gtk_widget_class_bind_template_child (widget_class, GhCertificateDetails, entry_page);
  gtk_widget_class_bind_template_child (widget_class, GhCertificateDetails, summary_group);
  gtk_widget_class_bind_template_child (widget_class, GhCertificateDetails, chain_group);
  gtk_widget_class_bind_template_child (widget_class, GhCertificateDetails, findings_group);
  gtk_widget_class_bind_template_child (widget_class, GhCertificateDetails, verifying_row);

  gtk_widget_class_install_action (widget_class, "details.export", "s", export_action);
}

static void
gh_certificate_details_init (GhCertificateDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
