/* gh-certificates-page.c — a gateway's keystore and truststore in one list
 *
 * The rows are a GhApiCertList (src/lib/api): one object per entry, updated in place
 * on each refresh, so that the selection and the focus stay where they were. A load
 * reads the keystore, the truststore, the configuration and the services, shows the
 * entries with what was last known to use them, then asks each service what its
 * accepts serve (GET /services/{name}/tls, which probes the back-ends and may take
 * seconds) and fills in "Used By". What decides (the expiry against the warning window
 * of the Preferences, which accepts use which alias) is the library's; the page
 * filters (search, store, expiring) and presents.
 *
 * One list with a filter rather than two groups: an administrator looks for an entry
 * by name or by what expires, wherever it is kept; the store is one click away.
 * While the connection is not live, the page keeps the last entries it had, marked
 * by a banner. The changes made here (admin role) are deleting an entry (confirmed,
 * with the configuration's version as If-Match; the gateway refuses while its
 * configuration names the alias, and the toast says so) and importing a file through
 * its preview (gh-import-dialog.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-certificates-page"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-accessible.h"
#include "gh-action-roles.h"
#include "gh-api-csr.h"
#include "gh-certificate-details.h"
#include "gh-certificates-page.h"
#include "gh-certificates-page-private.h"
#include "gh-import-dialog.h"

struct _GhCertificatesPage
{
  AdwBin               parent_instance;

  GhGatewayConnection *connection;
  GSignalGroup        *connection_signals;
  GCancellable        *cancellable;      /* of the loads; a new one per connection */
  GSettings           *settings;
  GhApiCertList       *entries;
  GhApiCertUsage      *usage;            /* the last one complete */
  GListModel          *truststore;       /* the last one read (anchors for the details) */
  gboolean             loaded;           /* entries were read once from this gateway */
  gint64               version;          /* the configuration's, for If-Match */
  GStrv                csr_names;        /* what the TLS accepts answer to (a new key's names) */
  GtkCustomFilter     *filter;
  GtkFilterListModel  *filtered;
  GtkSingleSelection  *selection;
  char                *search;           /* casefolded inside the entries' match */
  gboolean             setting_search;   /* the entry's text is being set from search */
  gboolean             expiring_only;
  guint                loads;
  gboolean             refresh_again;
  guint                refresh_id;

  /* template widgets */
  AdwToastOverlay     *toast_overlay;
  AdwBanner           *banner;
  GtkWidget           *toolbar;
  GtkSearchEntry      *search_entry;
  AdwToggleGroup      *store_toggles;
  GtkStack            *stack;
  AdwStatusPage       *error_status;
  GtkColumnView       *column_view;
  GtkWidget           *more_button;
};

G_DEFINE_FINAL_TYPE (GhCertificatesPage, gh_certificates_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_EXPIRING_ONLY,
  PROP_IDLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void refresh (GhCertificatesPage *self);

static GhAdminClient *
get_client (GhCertificatesPage *self)
{
  return self->connection != NULL ? gh_gateway_connection_get_client (self->connection) : NULL;
}

static gboolean
is_live (GhCertificatesPage *self)
{
  return get_client (self) != NULL &&
         gh_gateway_connection_get_state (self->connection) == GH_GATEWAY_STATE_CONNECTED &&
         !gh_gateway_connection_get_stale (self->connection);
}

static guint
warning_days (GhCertificatesPage *self)
{
  return g_settings_get_uint (self->settings, "expiry-warning-days");
}

static GhApiCertEntry *
get_selected (GhCertificatesPage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

/* What the gateway lets each role do to its certificates (docs/admin-api.md). */
static const GhActionRole action_roles[] = {
  { "certificates.import", GH_ADMIN_ROLE_ADMIN },
  { "certificates.paste", GH_ADMIN_ROLE_ADMIN },
  { "certificates.new-key", GH_ADMIN_ROLE_ADMIN },
  { "certificates.install-reply", GH_ADMIN_ROLE_ADMIN },
  { "certificates.rotate", GH_ADMIN_ROLE_ADMIN },
  { "certificates.delete", GH_ADMIN_ROLE_ADMIN },
};

static void
update_actions (GhCertificatesPage *self)
{
  GhAdminRole role = self->connection != NULL ? gh_gateway_connection_get_role (self->connection) : GH_ADMIN_ROLE_NONE;
  gboolean live = is_live (self) && self->version > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certificates.refresh", get_client (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certificates.details", get_selected (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certificates.delete",
                                 live && get_selected (self) != NULL &&
                                 gh_action_roles_allow (action_roles, G_N_ELEMENTS (action_roles),
                                                        "certificates.delete", role));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certificates.import", _gh_certificates_page_may_import (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certificates.paste", _gh_certificates_page_may_import (self));
  _gh_certificates_page_update_csr_actions (self);
  gh_action_roles_update_controls (GTK_WIDGET (self), action_roles, G_N_ELEMENTS (action_roles), role);
}

static void
update_banner (GhCertificatesPage *self)
{
  gboolean stale = self->connection != NULL && self->loaded && !is_live (self);

  if (stale)
    adw_banner_set_title (self->banner, _("Showing the certificates as last seen; the gateway is not reachable"));
  adw_banner_set_revealed (self->banner, stale);
}

/* Which of the list, the empty state and "no results" to show. */
static void
update_view (GhCertificatesPage *self)
{
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  if (!self->loaded)
    return;
  if (total == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else if (shown == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
}

/* Filtering */

static gboolean
filter_entry (gpointer item,
              gpointer user_data)
{
  GhCertificatesPage *self = user_data;
  GhApiCertEntry *entry = item;
  const char *store = adw_toggle_group_get_active_name (self->store_toggles);
  GhApiExpiry expiry;

  if (g_strcmp0 (store, "keystore") == 0 && gh_api_cert_entry_get_store (entry) != GH_API_CERT_STORE_KEYSTORE)
    return FALSE;
  if (g_strcmp0 (store, "truststore") == 0 && gh_api_cert_entry_get_store (entry) != GH_API_CERT_STORE_TRUSTSTORE)
    return FALSE;

  expiry = gh_api_cert_entry_get_expiry (entry);
  if (self->expiring_only && expiry != GH_API_EXPIRY_SOON && expiry != GH_API_EXPIRY_EXPIRED)
    return FALSE;

  return gh_api_cert_entry_matches (entry, self->search);
}

static void
refilter (GhCertificatesPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_view (self);
  update_actions (self);
}

static void
on_search_changed (GhCertificatesPage *self)
{
  if (self->setting_search)
    return;
  gh_certificates_page_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_stop_search (GhCertificatesPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
on_filter_changed (GhCertificatesPage *self)
{
  refilter (self);
}

static void
on_warning_days_changed (GhCertificatesPage *self)
{
  gh_api_cert_list_classify (self->entries, NULL, warning_days (self));
  refilter (self);
}

/* Loading */

typedef struct {
  GhCertificatesPage *self;
  GListModel         *keystore;
  GListModel         *truststore;
  GhGatewayConfig    *config;
  gint64              version;
  GListModel         *services;
  GhApiCertUsage     *usage;
  GError             *error;
  guint               pending;
} Load;

static void
load_free (Load *load)
{
  g_clear_object (&load->self);
  g_clear_object (&load->keystore);
  g_clear_object (&load->truststore);
  g_clear_object (&load->config);
  g_clear_object (&load->services);
  g_clear_object (&load->usage);
  g_clear_error (&load->error);
  g_free (load);
}

static void
load_end (Load *load)
{
  GhCertificatesPage *self = load->self;

  g_assert (self->loads > 0);
  self->loads--;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE]);
  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      refresh (self);
    }
  load_free (load);
}

static void
show_entries (GhCertificatesPage *self,
              Load               *load,
              GhApiCertUsage     *usage)
{
  gh_api_cert_list_update (self->entries, load->keystore, load->truststore, usage, NULL, warning_days (self));
  g_set_object (&self->truststore, load->truststore);
  self->loaded = TRUE;
  refilter (self);
  update_banner (self);
}

/* Second half: each service's accepts. */
typedef struct {
  Load *load;
  char *name;
} ServiceCall;

static void
on_service_tls (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ServiceCall *call = user_data;
  Load *load = call->load;
  g_autofree char *name = call->name;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiServiceTls) tls = gh_admin_client_get_service_tls_finish (GH_ADMIN_CLIENT (source), result, &error);

  if (tls != NULL)
    gh_api_cert_usage_add_service_tls (load->usage, name, tls);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error_literal (&load->error, G_IO_ERROR, G_IO_ERROR_CANCELLED, error->message);
  else
    g_debug ("GET /services/%s/tls: %s", name, error->message);

  g_free (call);
  if (--load->pending > 0)
    return;

  if (load->error == NULL)
    {
      g_set_object (&load->self->usage, load->usage);
      show_entries (load->self, load, load->usage);
    }
  load_end (load);
}

static void
load_usage (Load *load)
{
  GhCertificatesPage *self = load->self;
  GhAdminClient *client = get_client (self);
  guint n = load->services != NULL ? g_list_model_get_n_items (load->services) : 0;

  load->usage = gh_api_cert_usage_new ();
  if (load->config != NULL)
    gh_api_cert_usage_add_config (load->usage, load->config);

  if (client == NULL || n == 0)
    {
      g_set_object (&self->usage, load->usage);
      show_entries (self, load, load->usage);
      load_end (load);
      return;
    }

  load->pending = n;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhApiService) service = g_list_model_get_item (load->services, i);
      ServiceCall *call = g_new0 (ServiceCall, 1);

      call->load = load;
      call->name = g_strdup (gh_api_service_get_name (service));
      gh_admin_client_get_service_tls_async (client, call->name, self->cancellable, on_service_tls, call);
    }
}

/* First half: the entries, the configuration, the services. */
static void
load_first_half_done (Load *load)
{
  GhCertificatesPage *self = load->self;

  if (--load->pending > 0)
    return;

  if (g_error_matches (load->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      load_end (load);
      return;
    }

  if (load->keystore == NULL || load->truststore == NULL)
    {
      const char *message = load->error != NULL ? load->error->message : _("The gateway did not answer");

      if (!self->loaded)
        {
          adw_status_page_set_description (self->error_status, message);
          gtk_stack_set_visible_child_name (self->stack, "error");
        }
      else
        {
          g_autofree char *text = g_strdup_printf (_("The certificates could not be refreshed: %s"), message);
          AdwToast *toast = adw_toast_new (text);

          adw_toast_set_use_markup (toast, FALSE);
          adw_toast_overlay_add_toast (self->toast_overlay, toast);
        }
      update_banner (self);
      load_end (load);
      return;
    }

  /* What was known to use them until the accepts answer. */
  if (load->config != NULL)
    {
      self->version = load->version;
      g_strfreev (self->csr_names);
      self->csr_names = gh_api_csr_suggest_names (load->config);
    }
  show_entries (self, load, self->usage);
  load_usage (load);
}

static void
keep_error (Load   *load,
            GError *error)
{
  if (error != NULL && load->error == NULL)
    load->error = g_error_copy (error);
}

static void
on_keystore (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Load *load = user_data;
  g_autoptr(GError) error = NULL;

  load->keystore = gh_admin_client_list_keystore_finish (GH_ADMIN_CLIENT (source), result, &error);
  keep_error (load, error);
  load_first_half_done (load);
}

static void
on_truststore (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Load *load = user_data;
  g_autoptr(GError) error = NULL;

  load->truststore = gh_admin_client_list_truststore_finish (GH_ADMIN_CLIENT (source), result, &error);
  keep_error (load, error);
  load_first_half_done (load);
}

static void
on_config (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Load *load = user_data;
  g_autoptr(GError) error = NULL;

  /* Without it, the admin listener and client certificates are not known: no more. */
  load->config = gh_admin_client_get_config_finish (GH_ADMIN_CLIENT (source), result, &load->version, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    keep_error (load, error);
  load_first_half_done (load);
}

static void
on_services (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Load *load = user_data;
  g_autoptr(GError) error = NULL;

  load->services = gh_admin_client_list_services_finish (GH_ADMIN_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    keep_error (load, error);
  load_first_half_done (load);
}

static void
refresh (GhCertificatesPage *self)
{
  GhAdminClient *client = get_client (self);
  Load *load;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  gtk_widget_set_visible (self->toolbar, self->connection != NULL);
  update_actions (self);
  update_banner (self);

  if (client == NULL)
    {
      if (self->connection == NULL)
        gtk_stack_set_visible_child_name (self->stack, "none");
      else if (!self->loaded)
        {
          const char *message = gh_gateway_connection_get_state_message (self->connection);

          adw_status_page_set_description (self->error_status,
                                           message != NULL ? message : _("Connecting to the gateway…"));
          gtk_stack_set_visible_child_name (self->stack, "error");
        }
      return;
    }
  if (self->loads > 0)
    {
      self->refresh_again = TRUE;
      return;
    }

  if (!self->loaded)
    gtk_stack_set_visible_child_name (self->stack, "loading");

  load = g_new0 (Load, 1);
  load->self = g_object_ref (self);
  load->pending = 4;
  self->loads++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE]);
  gh_admin_client_list_keystore_async (client, self->cancellable, on_keystore, load);
  gh_admin_client_list_truststore_async (client, self->cancellable, on_truststore, load);
  gh_admin_client_get_config_async (client, self->cancellable, on_config, load);
  gh_admin_client_list_services_async (client, self->cancellable, on_services, load);
}

static gboolean
refresh_cb (gpointer user_data)
{
  GhCertificatesPage *self = user_data;

  self->refresh_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

/* A change comes with a burst of events: one load for all. */
static void
queue_refresh (GhCertificatesPage *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (100, refresh_cb, self);
}

static void
on_connection_state (GhCertificatesPage *self)
{
  update_actions (self);
  update_banner (self);
  if (is_live (self) || (!self->loaded && self->loads == 0))
    queue_refresh (self);
}

/* Actions */

static void
show_details (GhCertificatesPage *self,
              GhApiCertEntry     *entry)
{
  AdwDialog *dialog;

  if (entry == NULL)
    return;
  dialog = gh_certificate_details_new (entry, self->truststore);
  adw_dialog_present (dialog, GTK_WIDGET (self));
}

static void
on_column_view_activate (GhCertificatesPage *self,
                         guint               position)
{
  g_autoptr(GhApiCertEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  show_details (self, entry);
}

static void
details_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GhCertificatesPage *self = GH_CERTIFICATES_PAGE (widget);

  show_details (self, get_selected (self));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  refresh (GH_CERTIFICATES_PAGE (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhCertificatesPage *self = GH_CERTIFICATES_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
show_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  gh_certificates_page_show_all (GH_CERTIFICATES_PAGE (widget));
}

/* Deleting: a keystore entry or a truststore certificate, after a confirmation. */

static void
toast (GhCertificatesPage *self,
       const char         *text)
{
  _gh_certificates_page_toast (self, text);
}

void
_gh_certificates_page_toast (GhCertificatesPage *self,
                             const char         *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_use_markup (toast, FALSE);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

typedef struct {
  GhCertificatesPage *self;
  GhApiCertEntry     *entry;
} Deletion;

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Deletion *deletion = user_data;
  g_autoptr(GhCertificatesPage) self = deletion->self;
  g_autoptr(GhApiCertEntry) entry = deletion->entry;
  const char *alias = gh_api_cert_entry_get_alias (entry);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean deleted;

  g_free (deletion);
  if (gh_api_cert_entry_get_store (entry) == GH_API_CERT_STORE_KEYSTORE)
    deleted = gh_admin_client_delete_key_finish (GH_ADMIN_CLIENT (source), result, NULL, &error);
  else
    deleted = gh_admin_client_delete_trusted_finish (GH_ADMIN_CLIENT (source), result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (deleted)
    text = g_strdup_printf (_("“%s” deleted"), alias);
  else
    /* The gateway says why: in use (409), changed meanwhile (412), … */
    text = g_strdup_printf (_("“%s” was not deleted: %s"), alias, error->message);
  g_debug ("%s", text);
  toast (self, text);
  refresh (self);
}

static void
on_delete_response (AdwAlertDialog     *dialog,
                    const char         *response,
                    GhCertificatesPage *self)
{
  GhApiCertEntry *entry = g_object_get_data (G_OBJECT (dialog), "gh-entry");
  GhAdminClient *client = get_client (self);
  Deletion *deletion;

  if (!g_str_equal (response, "delete") || client == NULL)
    return;

  deletion = g_new0 (Deletion, 1);
  deletion->self = g_object_ref (self);
  deletion->entry = g_object_ref (entry);
  if (gh_api_cert_entry_get_store (entry) == GH_API_CERT_STORE_KEYSTORE)
    gh_admin_client_delete_key_async (client, gh_api_cert_entry_get_alias (entry), self->version, self->cancellable,
                                      on_deleted, deletion);
  else
    gh_admin_client_delete_trusted_async (client, gh_api_cert_entry_get_alias (entry), self->version,
                                          self->cancellable, on_deleted, deletion);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhCertificatesPage *self = GH_CERTIFICATES_PAGE (widget);
  GhApiCertEntry *entry = get_selected (self);
  const char * const *used_by;
  g_autofree char *heading = NULL;
  g_autofree char *uses = NULL;
  GString *body;
  AdwDialog *dialog;

  if (entry == NULL)
    return;

  used_by = gh_api_cert_entry_get_used_by (entry);
  heading = g_strdup_printf (_("Delete “%s”?"), gh_api_cert_entry_get_alias (entry));
  body = g_string_new (NULL);
  if (gh_api_cert_entry_get_kind (entry) == GH_API_CERT_KIND_KEY)
    g_string_append (body, _("The private key and its certificate chain leave the gateway’s keystore. The gateway "
                             "never gives a private key back: without a copy of its own, it is lost."));
  else if (gh_api_cert_entry_get_store (entry) == GH_API_CERT_STORE_TRUSTSTORE)
    g_string_append (body, _("The gateway stops trusting this authority: back-ends and clients whose chains end "
                             "at it are refused from their next handshake."));
  else
    g_string_append (body, _("The certificate leaves the gateway’s keystore."));
  if (used_by[0] != NULL)
    {
      uses = g_strjoinv ("\n", (char **) used_by);
      g_string_append_printf (body, "\n\n%s\n%s", _("It is in use by:"), uses);
    }

  dialog = adw_alert_dialog_new (heading, body->str);
  g_string_free (body, TRUE);
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Cancel"),
                                  "delete", _("_Delete"),
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "gh-entry", g_object_ref (entry), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  adw_dialog_present (dialog, widget);
}

/* Importing: a file, previewed before anything is sent (gh-import-dialog.c). */

static void
on_imported (GhCertificatesPage *self,
             guint               n_entries)
{
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry imported", "%u entries imported",
                                                        n_entries), n_entries);

  toast (self, text);
  refresh (self);
}

/* Rotating: the file's key and chain replace @rotate_alias's (new handshakes get them,
 * live sessions keep theirs), through the same preview as an import. */
static void
on_rotated (GhCertificatesPage *self,
            guint               n_entries,
            GhImportDialog     *dialog)
{
  const char *alias = g_object_get_data (G_OBJECT (dialog), "gh-rotated-alias");
  g_autofree char *text = g_strdup_printf (_("“%s” rotated: new connections get its new certificate"), alias);

  toast (self, text);
  refresh (self);
}

static void
preview (GhCertificatesPage *self,
         const char         *rotate_alias,
         GBytes             *data,
         const char         *name)
{
  GhAdminClient *client = get_client (self);
  AdwDialog *dialog;

  if (client == NULL)
    return;
  dialog = gh_import_dialog_new (client, data, name, self->version);
  if (rotate_alias != NULL)
    {
      gh_import_dialog_set_rotate_alias (GH_IMPORT_DIALOG (dialog), rotate_alias);
      g_object_set_data_full (G_OBJECT (dialog), "gh-rotated-alias", g_strdup (rotate_alias), g_free);
      g_signal_connect_object (dialog, "imported", G_CALLBACK (on_rotated), self, G_CONNECT_SWAPPED);
    }
  else
    g_signal_connect_object (dialog, "imported", G_CALLBACK (on_imported), self, G_CONNECT_SWAPPED);
  adw_dialog_present (dialog, GTK_WIDGET (self));
}

void
gh_certificates_page_preview_import (GhCertificatesPage *self,
                                     GBytes             *data,
                                     const char         *name)
{
  g_return_if_fail (GH_IS_CERTIFICATES_PAGE (self));
  g_return_if_fail (data != NULL);

  preview (self, NULL, data, name);
}

void
gh_certificates_page_preview_rotate (GhCertificatesPage *self,
                                     const char         *alias,
                                     GBytes             *data,
                                     const char         *name)
{
  g_return_if_fail (GH_IS_CERTIFICATES_PAGE (self));
  g_return_if_fail (alias != NULL);
  g_return_if_fail (data != NULL);

  preview (self, alias, data, name);
}

/* A file read for the preview, to import, or to rotate @rotate_alias with. */
typedef struct {
  GhCertificatesPage *self;
  char               *rotate_alias;
} Reading;

static void
reading_free (Reading *reading)
{
  g_object_unref (reading->self);
  g_free (reading->rotate_alias);
  g_free (reading);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reading, reading_free)

static void
on_file_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Reading) reading = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  g_autofree char *name = g_file_get_basename (G_FILE (source));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (data == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("%s could not be read: %s"), name, error->message);

      toast (reading->self, text);
      return;
    }
  preview (reading->self, reading->rotate_alias, data, name);
}

static void
on_file_chosen (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Reading) reading = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, NULL);

  if (file != NULL)
    _gh_certificates_page_import_file (reading->self, file, reading->rotate_alias);
}

static Reading *
reading_new (GhCertificatesPage *self,
             const char         *rotate_alias)
{
  Reading *reading = g_new0 (Reading, 1);

  reading->self = g_object_ref (self);
  reading->rotate_alias = g_strdup (rotate_alias);
  return reading;
}

void
_gh_certificates_page_import_file (GhCertificatesPage *self,
                                   GFile              *file,
                                   const char         *rotate_alias)
{
  g_file_load_bytes_async (file, self->cancellable, on_file_loaded, reading_new (self, rotate_alias));
}

void
_gh_certificates_page_choose_file (GhCertificatesPage *self,
                                   const char         *title,
                                   const char         *rotate_alias)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_file_dialog_set_title (dialog, title);
  gtk_file_dialog_open (dialog, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->cancellable,
                        on_file_chosen, reading_new (self, rotate_alias));
}

GhAdminClient *
_gh_certificates_page_get_client (GhCertificatesPage *self)
{
  return get_client (self);
}

gint64
_gh_certificates_page_get_version (GhCertificatesPage *self)
{
  return self->version;
}

const char * const *
_gh_certificates_page_get_csr_names (GhCertificatesPage *self)
{
  return (const char * const *) self->csr_names;
}

GhApiCertEntry *
_gh_certificates_page_get_selected (GhCertificatesPage *self)
{
  return get_selected (self);
}

void
_gh_certificates_page_changed (GhCertificatesPage *self,
                               const char         *message)
{
  toast (self, message);
  refresh (self);
}

gboolean
_gh_certificates_page_may_import (GhCertificatesPage *self)
{
  GhAdminRole role = self->connection != NULL ? gh_gateway_connection_get_role (self->connection) : GH_ADMIN_ROLE_NONE;

  return is_live (self) && self->version > 0 &&
         gh_action_roles_allow (action_roles, G_N_ELEMENTS (action_roles), "certificates.import", role);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  _gh_certificates_page_choose_file (GH_CERTIFICATES_PAGE (widget), _("Import Keys and Certificates"), NULL);
}

/* Public */

GtkWidget *
gh_certificates_page_new (void)
{
  return g_object_new (GH_TYPE_CERTIFICATES_PAGE, NULL);
}

void
gh_certificates_page_set_connection (GhCertificatesPage  *self,
                                     GhGatewayConnection *connection)
{
  g_return_if_fail (GH_IS_CERTIFICATES_PAGE (self));
  g_return_if_fail (connection == NULL || GH_IS_GATEWAY_CONNECTION (connection));

  if (self->connection == connection)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->refresh_again = FALSE;

  g_set_object (&self->connection, connection);
  g_signal_group_set_target (self->connection_signals, connection);
  g_clear_object (&self->usage);
  g_clear_object (&self->truststore);
  self->loaded = FALSE;
  self->version = 0;
  g_clear_pointer (&self->csr_names, g_strfreev);
  gh_api_cert_list_clear (self->entries);

  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

GhGatewayConnection *
gh_certificates_page_get_connection (GhCertificatesPage *self)
{
  g_return_val_if_fail (GH_IS_CERTIFICATES_PAGE (self), NULL);
  return self->connection;
}

GhApiCertList *
gh_certificates_page_get_entries (GhCertificatesPage *self)
{
  g_return_val_if_fail (GH_IS_CERTIFICATES_PAGE (self), NULL);
  return self->entries;
}

GListModel *
gh_certificates_page_get_model (GhCertificatesPage *self)
{
  g_return_val_if_fail (GH_IS_CERTIFICATES_PAGE (self), NULL);
  return G_LIST_MODEL (self->selection);
}

void
gh_certificates_page_set_search (GhCertificatesPage *self,
                                 const char         *text)
{
  g_return_if_fail (GH_IS_CERTIFICATES_PAGE (self));

  if (text == NULL)
    text = "";
  if (g_strcmp0 (self->search, text) == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (text);
  /* The entry says "search-changed" at once when it is emptied on the way: not now. */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text) != 0)
    {
      self->setting_search = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
      self->setting_search = FALSE;
    }
  refilter (self);
}

void
gh_certificates_page_set_store_filter (GhCertificatesPage *self,
                                       const char         *store)
{
  g_return_if_fail (GH_IS_CERTIFICATES_PAGE (self));
  g_return_if_fail (store != NULL);

  adw_toggle_group_set_active_name (self->store_toggles, store);
}

void
gh_certificates_page_set_expiring_only (GhCertificatesPage *self,
                                        gboolean            expiring_only)
{
  g_return_if_fail (GH_IS_CERTIFICATES_PAGE (self));

  expiring_only = !!expiring_only;
  if (self->expiring_only == expiring_only)
    return;
  self->expiring_only = expiring_only;
  refilter (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRING_ONLY]);
}

gboolean
gh_certificates_page_get_expiring_only (GhCertificatesPage *self)
{
  g_return_val_if_fail (GH_IS_CERTIFICATES_PAGE (self), FALSE);
  return self->expiring_only;
}

void
gh_certificates_page_show_all (GhCertificatesPage *self)
{
  g_return_if_fail (GH_IS_CERTIFICATES_PAGE (self));

  gh_certificates_page_set_search (self, "");
  gh_certificates_page_set_store_filter (self, "all");
  gh_certificates_page_set_expiring_only (self, FALSE);
}

gboolean
gh_certificates_page_select (GhCertificatesPage *self,
                             GhApiCertStore      store,
                             const char         *alias)
{
  GListModel *model;

  g_return_val_if_fail (GH_IS_CERTIFICATES_PAGE (self), FALSE);
  g_return_val_if_fail (alias != NULL, FALSE);

  model = G_LIST_MODEL (self->selection);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GhApiCertEntry) entry = g_list_model_get_item (model, i);

      if (gh_api_cert_entry_get_store (entry) == store && g_str_equal (gh_api_cert_entry_get_alias (entry), alias))
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
gh_certificates_page_get_idle (GhCertificatesPage *self)
{
  g_return_val_if_fail (GH_IS_CERTIFICATES_PAGE (self), FALSE);
  return self->loads == 0 && self->refresh_id == 0 && !self->refresh_again;
}

/* GObject */

static void
gh_certificates_page_dispose (GObject *object)
{
  GhCertificatesPage *self = GH_CERTIFICATES_PAGE (object);

  g_signal_group_set_target (self->connection_signals, NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_CERTIFICATES_PAGE);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (gh_certificates_page_parent_class)->dispose (object);
}

static void
gh_certificates_page_finalize (GObject *object)
{
  GhCertificatesPage *self = GH_CERTIFICATES_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection_signals);
  g_clear_object (&self->settings);
  g_clear_object (&self->usage);
  g_clear_object (&self->truststore);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->entries);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->csr_names, g_strfreev);

  G_OBJECT_CLASS (gh_certificates_page_parent_class)->finalize (object);
}

static void
gh_certificates_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  GhCertificatesPage *self = GH_CERTIFICATES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_EXPIRING_ONLY:
      g_value_set_boolean (value, self->expiring_only);
      break;
    case PROP_IDLE:
      g_value_set_boolean (value, gh_certificates_page_get_idle (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_certificates_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  GhCertificatesPage *self = GH_CERTIFICATES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      gh_certificates_page_set_connection (self, g_value_get_object (value));
      break;
    case PROP_EXPIRING_ONLY:
      gh_certificates_page_set_expiring_only (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_certificates_page_class_init (GhCertificatesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_certificates_page_dispose;
  object_class->finalize = gh_certificates_page_finalize;
  object_class->get_property = gh_certificates_page_get_property;
  object_class->set_property = gh_certificates_page_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, GH_TYPE_GATEWAY_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPIRING_ONLY] =
    g_param_spec_boolean ("expiring-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLE] =
    g_param_spec_boolean ("idle", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GH_TYPE_API_CERT_ENTRY);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatehouse/Gatehouse/gh-certificates-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GhCertificatesPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GhCertificatesPage, banner);
  gtk_widget_class_bind_template_child (widget_class, GhCertificatesPage, toolbar);
  gtk_widget_class_bind_template_child (widget_class, GhCertificatesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, GhCertificatesPage, store_toggles);
  gtk_widget_class_bind_template_child (widget_class, GhCertificatesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, GhCertificatesPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, GhCertificatesPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, GhCertificatesPage, more_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate);

  gtk_widget_class_install_action (widget_class, "certificates.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "certificates.details", NULL, details_action);
  gtk_widget_class_install_action (widget_class, "certificates.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "certificates.show-all", NULL, show_all_action);
  gtk_widget_class_install_action (widget_class, "certificates.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "certificates.import", NULL, import_action);
  gtk_widget_class_install_property_action (widget_class, "certificates.expiring", "expiring-only");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "certificates.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "certificates.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "certificates.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "certificates.import", NULL);
  _gh_certificates_page_class_init_drop (widget_class);
  _gh_certificates_page_class_init_csr (widget_class);
}

static void
gh_certificates_page_init (GhCertificatesPage *self)
{
  GtkSortListModel *sorted;

  gtk_widget_init_template (GTK_WIDGET (self));
  _gh_certificates_page_init_drop (self);
  /* The button inside a GtkMenuButton is what assistive technologies reach: it gets
   * the name its tooltip gives people. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (self->more_button)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("More Actions"), -1);

  self->settings = g_settings_new (APPLICATION_ID);
  g_signal_connect_object (self->settings, "changed::expiry-warning-days", G_CALLBACK (on_warning_days_changed), self,
                           G_CONNECT_SWAPPED);

  self->connection_signals = g_signal_group_new (GH_TYPE_GATEWAY_CONNECTION);
  g_signal_group_connect_object (self->connection_signals, "config-changed", G_CALLBACK (queue_refresh), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->connection_signals, "notify::state", G_CALLBACK (on_connection_state), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->connection_signals, "notify::stale", G_CALLBACK (on_connection_state), self,
                                 G_CONNECT_SWAPPED);

  self->cancellable = g_cancellable_new ();
  self->entries = gh_api_cert_list_new ();
  self->filter = gtk_custom_filter_new (filter_entry, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->entries)),
                                              GTK_FILTER (g_object_ref (self->filter)));
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->filtered)),
                                    g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);

  /* The rows' list is what takes the focus: name it for assistive technologies. */
  gh_accessible_name_inner (GTK_WIDGET (self->column_view), GTK_TYPE_LIST_VIEW, _("Certificates"));

  /* The search entry's text is what takes the focus: it carries the entry's name. */
  gh_accessible_name_inner (GTK_WIDGET (self->search_entry), GTK_TYPE_TEXT, _("Search Certificates"));

  update_actions (self);
}
