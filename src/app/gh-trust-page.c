/* gh-trust-page.c — a gateway's trust, one diagram per service
 *
 * A load reads the keystore, the truststore and the services, then asks each service
 * what it serves and what its back-end presents (GET /services/{name}/tls: the probe,
 * up to 10 s each, all at once). Each service is drawn by a GhTrustDiagram; a diagram
 * is made again only when what it shows changed (its signature: the chains' links and
 * findings, the probe's verdict, the settings it reads), so the focus and the scroll
 * stay where they were on a refresh that changed nothing there.
 *
 * Live: a change of the configuration, keystore or truststore (config.changed,
 * cert.reloaded) and a certificate expiring (cert.expiring) load everything again, a
 * back-end becoming reachable or not (backend.health) probes that service again. The
 * fixes are the page's actions, taken by the buttons of the findings: trust.rotate
 * (a file, then the import preview rotating that keystore entry), trust.add-ca (a file,
 * then the import preview, whose certificates go to the truststore), trust.edit-service
 * (the service editor) and trust.probe; the first three need the admin role, and their
 * buttons say so when the identity lacks it (gh-action-roles.c). A revoked certificate
 * is fixed by whoever issued it; trust.show-crl shows the truststore's list that
 * revoked it. A card opens its certificate's details (trust.details): a store's entry,
 * or a back-end's chain as its probe got it (gh-trust-details.c). While the connection
 * is not live the page keeps what it showed, marked by a banner and dimmed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-trust-page"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-action-roles.h"
#include "gh-admin-client-crls.h"
#include "gh-api-cert-list.h"
#include "gh-certificate-details.h"
#include "gh-import-dialog.h"
#include "gh-service-editor.h"
#include "gh-trust-details.h"
#include "gh-trust-page.h"

struct _GhTrustPage
{
  AdwBin               parent_instance;

  GhGatewayConnection *connection;
  GSignalGroup        *connection_signals;
  GSignalGroup        *event_signals;
  GCancellable        *cancellable;      /* of the loads; a new one per connection */
  GListModel          *keystore;         /* the last ones read */
  GListModel          *truststore;
  GListModel          *services;
  GListModel          *crls;             /* of GhApiCrl; NULL from an older gateway */
  GhApiCertList       *entries;          /* both stores, for the details */
  GHashTable          *tls;              /* service name → GhApiServiceTls */
  GHashTable          *problems;         /* service name → why its TLS is not known */
  GHashTable          *signatures;       /* service name → what its diagram shows */
  gboolean             loaded;
  gboolean             narrow;
  guint                loads;            /* loads and probes under way */
  gboolean             refresh_again;
  guint                refresh_id;

  /* template widgets */
  AdwToastOverlay     *toast_overlay;
  AdwBanner           *banner;
  GtkStack            *stack;
  AdwStatusPage       *error_status;
  GtkWidget           *content;
  AdwWrapBox          *summary;
  GtkBox              *diagrams;
};

G_DEFINE_FINAL_TYPE (GhTrustPage, gh_trust_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_IDLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void refresh (GhTrustPage *self);

static GhAdminClient *
get_client (GhTrustPage *self)
{
  return self->connection != NULL ? gh_gateway_connection_get_client (self->connection) : NULL;
}

static gboolean
is_live (GhTrustPage *self)
{
  return get_client (self) != NULL &&
         gh_gateway_connection_get_state (self->connection) == GH_GATEWAY_STATE_CONNECTED &&
         !gh_gateway_connection_get_stale (self->connection);
}

static void
toast (GhTrustPage *self,
       const char  *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_use_markup (toast, FALSE);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* What the gateway lets each role do (docs/admin-api.md): the fixes change the
 * keystore, the truststore or the configuration; probing is reading. */
static const GhActionRole action_roles[] = {
  { "trust.rotate", GH_ADMIN_ROLE_ADMIN },
  { "trust.add-ca", GH_ADMIN_ROLE_ADMIN },
  { "trust.edit-service", GH_ADMIN_ROLE_ADMIN },
};

static void
update_actions (GhTrustPage *self)
{
  GhAdminRole role = self->connection != NULL ? gh_gateway_connection_get_role (self->connection) : GH_ADMIN_ROLE_NONE;
  gboolean live = is_live (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "trust.refresh", get_client (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "trust.probe", get_client (self) != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (action_roles); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), action_roles[i].action,
                                   live && gh_action_roles_allow (action_roles, G_N_ELEMENTS (action_roles),
                                                                  action_roles[i].action, role));
  gh_action_roles_update_controls (GTK_WIDGET (self), action_roles, G_N_ELEMENTS (action_roles), role);
}

static void
update_banner (GhTrustPage *self)
{
  gboolean stale = self->connection != NULL && self->loaded && !is_live (self);

  if (stale)
    adw_banner_set_title (self->banner, _("Showing the chains as last seen; the gateway is not reachable"));
  adw_banner_set_revealed (self->banner, stale);
  if (stale)
    gtk_widget_add_css_class (self->content, "stale");
  else
    gtk_widget_remove_css_class (self->content, "stale");
}

/* The summary */

static void
add_figure (GhTrustPage *self,
            const char  *value,
            const char  *caption,
            const char  *style_class)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "gh-figure");
  if (style_class != NULL)
    gtk_widget_add_css_class (box, style_class);
  gtk_box_append (GTK_BOX (box), gh_trust_label_new (value, "title-2"));
  gtk_box_append (GTK_BOX (box), gh_trust_label_new (caption, "dim-label"));
  adw_wrap_box_append (self->summary, box);
}

static void
update_summary (GhTrustPage *self)
{
  guint n_services = 0, n_chains = 0, n_fine = 0;
  GDateTime *nearest = NULL;
  const char *nearest_name = NULL;
  g_autoptr(GString) attention = g_string_new (NULL);
  g_autofree char *services_text = NULL;
  g_autofree char *fine_text = NULL;
  g_autofree char *attention_value = NULL;

  while (gtk_widget_get_first_child (GTK_WIDGET (self->summary)) != NULL)
    adw_wrap_box_remove (self->summary, gtk_widget_get_first_child (GTK_WIDGET (self->summary)));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->diagrams));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GhTrustDiagram *diagram = GH_TRUST_DIAGRAM (child);
      const char *name = NULL;
      GDateTime *expiry = gh_trust_diagram_get_nearest_expiry (diagram, &name);

      n_services++;
      n_chains += gh_trust_diagram_get_n_chains (diagram);
      n_fine += gh_trust_diagram_get_n_fine (diagram);
      if (gh_trust_diagram_get_n_fine (diagram) < gh_trust_diagram_get_n_chains (diagram))
        g_string_append_printf (attention, "%s%s", attention->len > 0 ? ", " : "",
                                gh_trust_diagram_get_service_name (diagram));
      if (expiry != NULL && (nearest == NULL || g_date_time_compare (expiry, nearest) < 0))
        {
          nearest = expiry;
          nearest_name = name;
        }
    }

  services_text = g_strdup_printf ("%u", n_services);
  add_figure (self, services_text, g_dngettext (GETTEXT_PACKAGE, "Service checked", "Services checked", n_services), NULL);
  fine_text = g_strdup_printf (_("%u of %u"), n_fine, n_chains);
  add_figure (self, fine_text, _("Chains fine"), n_fine == n_chains ? "success" : NULL);
  if (attention->len > 0)
    add_figure (self, attention->str, _("Need attention"), "warning");
  else
    add_figure (self, _("None"), _("Need attention"), NULL);
  if (nearest != NULL)
    {
      g_autofree char *date = g_date_time_format (nearest, "%Y-%m-%d");
      g_autofree char *caption = g_strdup_printf (_("Nearest expiry: %s"), nearest_name != NULL ? nearest_name : "");

      add_figure (self, date, caption, NULL);
    }
}

char *
gh_trust_page_get_summary (GhTrustPage *self)
{
  GString *text;

  g_return_val_if_fail (GH_IS_TRUST_PAGE (self), NULL);

  text = g_string_new (NULL);
  for (GtkWidget *figure = gtk_widget_get_first_child (GTK_WIDGET (self->summary));
       figure != NULL;
       figure = gtk_widget_get_next_sibling (figure))
    {
      GtkWidget *value = gtk_widget_get_first_child (figure);

      if (!GTK_IS_LABEL (value))
        continue;
      g_string_append_printf (text, "%s %s\n", gtk_label_get_label (GTK_LABEL (value)),
                              gtk_label_get_label (GTK_LABEL (gtk_widget_get_next_sibling (value))));
    }
  return g_string_free (text, FALSE);
}

/* The diagrams */

static GtkWidget *
find_diagram (GhTrustPage *self,
              const char  *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->diagrams));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (gh_trust_diagram_get_service_name (GH_TRUST_DIAGRAM (child)), name) == 0)
      return child;
  return NULL;
}

static void
show_diagrams (GhTrustPage *self)
{
  guint n = self->services != NULL ? g_list_model_get_n_items (self->services) : 0;
  g_autoptr(GHashTable) kept = g_hash_table_new (NULL, NULL);
  GtkWidget *previous = NULL;
  GtkWidget *child;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhApiService) service = g_list_model_get_item (self->services, i);
      const char *name = gh_api_service_get_name (service);
      g_autofree char *signature = gh_trust_diagram_sign (service, g_hash_table_lookup (self->tls, name),
                                                          g_hash_table_lookup (self->problems, name),
                                                          self->keystore, self->truststore, self->crls);
      GtkWidget *diagram = find_diagram (self, name);

      if (diagram == NULL || g_strcmp0 (g_hash_table_lookup (self->signatures, name), signature) != 0)
        {
          GtkWidget *fresh = gh_trust_diagram_new (service, g_hash_table_lookup (self->tls, name),
                                                   g_hash_table_lookup (self->problems, name),
                                                   self->keystore, self->truststore, self->crls);

          gh_trust_diagram_set_narrow (GH_TRUST_DIAGRAM (fresh), self->narrow);
          gtk_widget_add_css_class (fresh, "card");
          if (diagram != NULL)
            gtk_box_remove (self->diagrams, diagram);
          diagram = fresh;
          gtk_box_insert_child_after (self->diagrams, diagram, previous);
          g_hash_table_replace (self->signatures, g_strdup (name), g_steal_pointer (&signature));
        }
      else
        gtk_box_reorder_child_after (self->diagrams, diagram, previous);
      g_hash_table_add (kept, diagram);
      previous = diagram;
    }

  /* The services that went. */
  child = gtk_widget_get_first_child (GTK_WIDGET (self->diagrams));
  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (!g_hash_table_contains (kept, child))
        {
          g_hash_table_remove (self->signatures, gh_trust_diagram_get_service_name (GH_TRUST_DIAGRAM (child)));
          gtk_box_remove (self->diagrams, child);
        }
      child = next;
    }

  self->loaded = TRUE;
  update_summary (self);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "diagrams" : "empty");
  update_actions (self);
  update_banner (self);
}

/* Loading */

typedef struct {
  GhTrustPage *self;
  GListModel  *keystore;
  GListModel  *truststore;
  GListModel  *services;
  GListModel  *crls;
  GHashTable  *tls;
  GHashTable  *problems;
  GError      *error;
  guint        pending;
} Load;

static void
load_free (Load *load)
{
  g_clear_object (&load->self);
  g_clear_object (&load->keystore);
  g_clear_object (&load->truststore);
  g_clear_object (&load->services);
  g_clear_object (&load->crls);
  g_clear_pointer (&load->tls, g_hash_table_unref);
  g_clear_pointer (&load->problems, g_hash_table_unref);
  g_clear_error (&load->error);
  g_free (load);
}

static void
load_end (GhTrustPage *self)
{
  g_assert (self->loads > 0);
  self->loads--;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE]);
  if (self->loads == 0 && self->refresh_again)
    {
      self->refresh_again = FALSE;
      refresh (self);
    }
}

static void
keep_error (Load   *load,
            GError *error)
{
  if (error != NULL && load->error == NULL)
    load->error = g_error_copy (error);
}

static void
load_done (Load *load)
{
  GhTrustPage *self = load->self;

  if (g_error_matches (load->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;

  g_set_object (&self->keystore, load->keystore);
  g_set_object (&self->truststore, load->truststore);
  g_set_object (&self->services, load->services);
  g_set_object (&self->crls, load->crls);
  g_hash_table_remove_all (self->tls);
  g_hash_table_remove_all (self->problems);
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, load->tls);
    while (g_hash_table_iter_next (&iter, &key, &value))
      g_hash_table_replace (self->tls, g_strdup (key), g_object_ref (value));
    g_hash_table_iter_init (&iter, load->problems);
    while (g_hash_table_iter_next (&iter, &key, &value))
      g_hash_table_replace (self->problems, g_strdup (key), g_strdup (value));
  }
  gh_api_cert_list_update (self->entries, self->keystore, self->truststore, NULL, NULL, 30);
  show_diagrams (self);

out:
  load_end (self);
  load_free (load);
}

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

  g_free (call);
  if (tls != NULL)
    g_hash_table_replace (load->tls, g_strdup (name), g_steal_pointer (&tls));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    keep_error (load, error);
  else
    g_hash_table_replace (load->problems, g_strdup (name), g_strdup (error->message));

  if (--load->pending == 0)
    load_done (load);
}

static void
probe_services (Load *load)
{
  GhAdminClient *client = get_client (load->self);
  guint n = g_list_model_get_n_items (load->services);

  if (client == NULL || n == 0)
    {
      load_done (load);
      return;
    }

  load->pending = n;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhApiService) service = g_list_model_get_item (load->services, i);
      ServiceCall *call = g_new0 (ServiceCall, 1);

      call->load = load;
      call->name = g_strdup (gh_api_service_get_name (service));
      gh_admin_client_get_service_tls_async (client, call->name, load->self->cancellable, on_service_tls, call);
    }
}

static void
first_half_done (Load *load)
{
  GhTrustPage *self = load->self;

  if (--load->pending > 0)
    return;

  if (load->keystore == NULL || load->truststore == NULL || load->services == NULL)
    {
      const char *message = load->error != NULL ? load->error->message : _("The gateway did not answer");

      if (!g_error_matches (load->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          if (!self->loaded)
            {
              adw_status_page_set_description (self->error_status, message);
              gtk_stack_set_visible_child_name (self->stack, "error");
            }
          else
            {
              g_autofree char *text = g_strdup_printf (_("The chains could not be probed again: %s"), message);

              toast (self, text);
            }
          update_banner (self);
        }
      load_end (self);
      load_free (load);
      return;
    }

  probe_services (load);
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
  first_half_done (load);
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
  first_half_done (load);
}

static void
on_services (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Load *load = user_data;
  g_autoptr(GError) error = NULL;

  load->services = gh_admin_client_list_services_finish (GH_ADMIN_CLIENT (source), result, &error);
  keep_error (load, error);
  first_half_done (load);
}

/* An older gateway has no revocation lists: its diagrams show none. */
static void
on_crls (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Load *load = user_data;
  g_autoptr(GError) error = NULL;

  load->crls = gh_admin_client_list_crls_finish (GH_ADMIN_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    keep_error (load, error);
  first_half_done (load);
}

static void
refresh (GhTrustPage *self)
{
  GhAdminClient *client = get_client (self);
  Load *load;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
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
  load->tls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  load->problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  load->pending = 4;
  self->loads++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE]);
  gh_admin_client_list_keystore_async (client, self->cancellable, on_keystore, load);
  gh_admin_client_list_truststore_async (client, self->cancellable, on_truststore, load);
  gh_admin_client_list_services_async (client, self->cancellable, on_services, load);
  gh_admin_client_list_crls_async (client, self->cancellable, on_crls, load);
}

static gboolean
refresh_cb (gpointer user_data)
{
  GhTrustPage *self = user_data;

  self->refresh_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

/* A change comes with a burst of events: one load for all. */
static void
queue_refresh (GhTrustPage *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (100, refresh_cb, self);
}

/* One service probed again: its diagram alone. */

typedef struct {
  GhTrustPage *self;
  char        *name;
} Probe;

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Probe *probe = user_data;
  g_autoptr(GhTrustPage) self = probe->self;
  g_autofree char *name = probe->name;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhApiServiceTls) tls = gh_admin_client_get_service_tls_finish (GH_ADMIN_CLIENT (source), result, &error);

  g_free (probe);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (tls != NULL)
        {
          g_hash_table_replace (self->tls, g_strdup (name), g_steal_pointer (&tls));
          g_hash_table_remove (self->problems, name);
        }
      else
        g_hash_table_replace (self->problems, g_strdup (name), g_strdup (error->message));
      show_diagrams (self);
    }
  load_end (self);
}

static void
probe_service (GhTrustPage *self,
               const char  *name)
{
  GhAdminClient *client = get_client (self);
  Probe *probe;

  if (client == NULL || !self->loaded || find_diagram (self, name) == NULL)
    {
      queue_refresh (self);
      return;
    }

  probe = g_new0 (Probe, 1);
  probe->self = g_object_ref (self);
  probe->name = g_strdup (name);
  self->loads++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE]);
  gh_admin_client_get_service_tls_async (client, name, self->cancellable, on_probed, probe);
}

/* Live */

static void
on_event (GhTrustPage *self,
          const char  *type,
          JsonNode    *data)
{
  if (g_str_equal (type, "cert.reloaded") || g_str_equal (type, "cert.expiring"))
    queue_refresh (self);
  else if (g_str_equal (type, "backend.health") && data != NULL && JSON_NODE_HOLDS_OBJECT (data))
    {
      JsonObject *object = json_node_get_object (data);
      const char *service = json_object_has_member (object, "service")
                              ? json_object_get_string_member_with_default (object, "service", NULL)
                              : NULL;

      if (service != NULL && self->refresh_id == 0)
        probe_service (self, service);
    }
}

static void
on_connection_state (GhTrustPage *self)
{
  g_signal_group_set_target (self->event_signals,
                             self->connection != NULL ? gh_gateway_connection_get_events (self->connection) : NULL);
  update_actions (self);
  update_banner (self);
  if (is_live (self) || (!self->loaded && self->loads == 0))
    queue_refresh (self);
}

static void
on_narrow (GhTrustPage *self)
{
  self->narrow = TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->diagrams));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gh_trust_diagram_set_narrow (GH_TRUST_DIAGRAM (child), TRUE);
}

static void
on_wide (GhTrustPage *self)
{
  self->narrow = FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->diagrams));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gh_trust_diagram_set_narrow (GH_TRUST_DIAGRAM (child), FALSE);
}

/* Actions */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  refresh (GH_TRUST_PAGE (widget));
}

static void
probe_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  GhTrustPage *self = GH_TRUST_PAGE (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (*name == '\0')
    refresh (self);
  else
    probe_service (self, name);
}

static void
details_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GhTrustPage *self = GH_TRUST_PAGE (widget);
  const char *fingerprint = g_variant_get_string (parameter, NULL);
  GListModel *entries = G_LIST_MODEL (self->entries);

  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(GhApiCertEntry) entry = g_list_model_get_item (entries, i);
      GPtrArray *chain = gh_api_cert_entry_get_chain (entry);

      for (guint j = 0; j < chain->len; j++)
        if (g_strcmp0 (gh_certificate_get_sha256_fingerprint (g_ptr_array_index (chain, j)), fingerprint) == 0)
          {
            AdwDialog *dialog = gh_certificate_details_new (entry, self->truststore);

            gh_certificate_details_show_certificate (GH_CERTIFICATE_DETAILS (dialog), j);
            adw_dialog_present (dialog, widget);
            return;
          }
    }
  /* A back-end's certificate, as its probe got it. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
    AdwDialog *dialog = gh_trust_backend_details_new (self->tls, fingerprint, self->truststore,
                                                      g_settings_get_uint (settings, "expiry-warning-days"));

    if (dialog != NULL)
      {
        adw_dialog_present (dialog, widget);
        return;
      }
  }
  /* The system's anchor: the gateway keeps no copy. */
  toast (self, _("This certificate is not in the gateway’s keystore or truststore: its summary here is all the "
                 "gateway reports"));
}

static void
show_crl_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  GhTrustPage *self = GH_TRUST_PAGE (widget);
  AdwDialog *dialog = gh_trust_crl_dialog_new (self->crls, g_variant_get_string (parameter, NULL));

  if (dialog != NULL)
    adw_dialog_present (dialog, widget);
  else
    toast (self, _("The truststore no longer holds this revocation list"));
}

static void
on_imported (GhTrustPage *self)
{
  toast (self, _("Imported; probing the chains again"));
  refresh (self);
}

AdwDialog *
gh_trust_page_preview_import (GhTrustPage *self,
                              const char  *rotate_alias,
                              GBytes      *data,
                              const char  *name)
{
  GhAdminClient *client;
  AdwDialog *dialog;

  g_return_val_if_fail (GH_IS_TRUST_PAGE (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  client = get_client (self);
  if (client == NULL)
    return NULL;
  dialog = gh_import_dialog_new (client, data, name, gh_gateway_connection_get_config_version (self->connection));
  if (rotate_alias != NULL)
    gh_import_dialog_set_rotate_alias (GH_IMPORT_DIALOG (dialog), rotate_alias);
  g_signal_connect_object (dialog, "imported", G_CALLBACK (on_imported), self, G_CONNECT_SWAPPED);
  adw_dialog_present (dialog, GTK_WIDGET (self));
  return dialog;
}

typedef struct {
  GhTrustPage *self;
  char        *rotate_alias;
} FileChoice;

static void
file_choice_free (FileChoice *choice)
{
  g_clear_object (&choice->self);
  g_free (choice->rotate_alias);
  g_free (choice);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FileChoice, file_choice_free)

static void
on_file_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FileChoice) choice = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  g_autofree char *name = g_file_get_basename (G_FILE (source));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (data == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("%s could not be read: %s"), name, error->message);

      toast (choice->self, text);
      return;
    }
  gh_trust_page_preview_import (choice->self, choice->rotate_alias, data, name);
}

static void
on_file_chosen (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FileChoice) choice = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, NULL);

  GCancellable *cancellable = choice->self->cancellable;

  if (file != NULL)
    g_file_load_bytes_async (file, cancellable, on_file_loaded, g_steal_pointer (&choice));
}

static void
choose_file (GhTrustPage *self,
             const char  *title,
             const char  *rotate_alias)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  FileChoice *choice = g_new0 (FileChoice, 1);

  choice->self = g_object_ref (self);
  choice->rotate_alias = g_strdup (rotate_alias);
  gtk_file_dialog_set_title (dialog, title);
  gtk_file_dialog_open (dialog, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->cancellable,
                        on_file_chosen, choice);
}

static void
rotate_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  const char *alias = g_variant_get_string (parameter, NULL);
  g_autofree char *title = g_strdup_printf (_("A New Key and Chain for “%s”"), alias);

  choose_file (GH_TRUST_PAGE (widget), title, alias);
}

static void
add_ca_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  choose_file (GH_TRUST_PAGE (widget), _("A Certificate to Trust"), NULL);
}

static void
on_service_applied (GhTrustPage *self)
{
  toast (self, _("Service changed; probing its chains again"));
  refresh (self);
}

typedef struct {
  GhTrustPage *self;
  char        *service;
} EditCall;

static void
on_config_for_editor (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  EditCall *call = user_data;
  g_autoptr(GhTrustPage) self = call->self;
  g_autofree char *service = call->service;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhGatewayConfig) config = NULL;
  GhServiceEditor *editor;
  gint64 version = 0;

  g_free (call);
  config = gh_admin_client_get_config_finish (GH_ADMIN_CLIENT (source), result, &version, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (config == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The configuration could not be read: %s"), error->message);

      toast (self, text);
      return;
    }
  editor = gh_service_editor_new (get_client (self), config, version, service);
  g_signal_connect_object (editor, "applied", G_CALLBACK (on_service_applied), self, G_CONNECT_SWAPPED);
  adw_dialog_present (ADW_DIALOG (editor), GTK_WIDGET (self));
}

static void
edit_service_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GhTrustPage *self = GH_TRUST_PAGE (widget);
  GhAdminClient *client = get_client (self);
  EditCall *call;

  if (client == NULL)
    return;
  call = g_new0 (EditCall, 1);
  call->self = g_object_ref (self);
  call->service = g_variant_dup_string (parameter, NULL);
  gh_admin_client_get_config_async (client, self->cancellable, on_config_for_editor, call);
}

/* Public */

GtkWidget *
gh_trust_page_new (void)
{
  return g_object_new (GH_TYPE_TRUST_PAGE, NULL);
}

void
gh_trust_page_set_connection (GhTrustPage         *self,
                              GhGatewayConnection *connection)
{
  g_return_if_fail (GH_IS_TRUST_PAGE (self));
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
  g_signal_group_set_target (self->event_signals, connection != NULL ? gh_gateway_connection_get_events (connection)
                                                                    : NULL);
  g_clear_object (&self->keystore);
  g_clear_object (&self->truststore);
  g_clear_object (&self->services);
  g_clear_object (&self->crls);
  g_hash_table_remove_all (self->tls);
  g_hash_table_remove_all (self->problems);
  g_hash_table_remove_all (self->signatures);
  gh_api_cert_list_clear (self->entries);
  self->loaded = FALSE;
  /* Nothing of the last gateway stays. */
  while (gtk_widget_get_first_child (GTK_WIDGET (self->diagrams)) != NULL)
    gtk_box_remove (self->diagrams, gtk_widget_get_first_child (GTK_WIDGET (self->diagrams)));
  update_summary (self);

  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

GhGatewayConnection *
gh_trust_page_get_connection (GhTrustPage *self)
{
  g_return_val_if_fail (GH_IS_TRUST_PAGE (self), NULL);
  return self->connection;
}

GhTrustDiagram *
gh_trust_page_get_diagram (GhTrustPage *self,
                           const char  *name)
{
  g_return_val_if_fail (GH_IS_TRUST_PAGE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return (GhTrustDiagram *) find_diagram (self, name);
}

gboolean
gh_trust_page_get_idle (GhTrustPage *self)
{
  g_return_val_if_fail (GH_IS_TRUST_PAGE (self), FALSE);
  return self->loads == 0 && self->refresh_id == 0 && !self->refresh_again;
}

/* GObject */

static void
gh_trust_page_dispose (GObject *object)
{
  GhTrustPage *self = GH_TRUST_PAGE (object);

  g_signal_group_set_target (self->connection_signals, NULL);
  g_signal_group_set_target (self->event_signals, NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_TRUST_PAGE);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (gh_trust_page_parent_class)->dispose (object);
}

static void
gh_trust_page_finalize (GObject *object)
{
  GhTrustPage *self = GH_TRUST_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection_signals);
  g_clear_object (&self->event_signals);
  g_clear_object (&self->keystore);
  g_clear_object (&self->truststore);
  g_clear_object (&self->services);
  g_clear_object (&self->crls);
  g_clear_object (&self->entries);
  g_clear_pointer (&self->tls, g_hash_table_unref);
  g_clear_pointer (&self->problems, g_hash_table_unref);
  g_clear_pointer (&self->signatures, g_hash_table_unref);

  G_OBJECT_CLASS (gh_trust_page_parent_class)->finalize (object);
}

static void
gh_trust_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GhTrustPage *self = GH_TRUST_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_IDLE:
      g_value_set_boolean (value, gh_trust_page_get_idle (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_trust_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GhTrustPage *self = GH_TRUST_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      gh_trust_page_set_connection (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_trust_page_class_init (GhTrustPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_trust_page_dispose;
  object_class->finalize = gh_trust_page_finalize;
  object_class->get_property = gh_trust_page_get_property;
  object_class->set_property = gh_trust_page_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, GH_TYPE_GATEWAY_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLE] =
    g_param_spec_boolean ("idle", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatehouse/Gatehouse/gh-trust-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GhTrustPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GhTrustPage, banner);
  gtk_widget_class_bind_template_child (widget_class, GhTrustPage, stack);
  gtk_widget_class_bind_template_child (widget_class, GhTrustPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, GhTrustPage, content);
  gtk_widget_class_bind_template_child (widget_class, GhTrustPage, summary);
  gtk_widget_class_bind_template_child (widget_class, GhTrustPage, diagrams);
  gtk_widget_class_bind_template_callback (widget_class, on_narrow);
  gtk_widget_class_bind_template_callback (widget_class, on_wide);

  gtk_widget_class_install_action (widget_class, "trust.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "trust.probe", "s", probe_action);
  gtk_widget_class_install_action (widget_class, "trust.details", "s", details_action);
  gtk_widget_class_install_action (widget_class, "trust.show-crl", "s", show_crl_action);
  gtk_widget_class_install_action (widget_class, "trust.rotate", "s", rotate_action);
  gtk_widget_class_install_action (widget_class, "trust.add-ca", "s", add_ca_action);
  gtk_widget_class_install_action (widget_class, "trust.edit-service", "s", edit_service_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "trust.refresh", NULL);
}

static void
gh_trust_page_init (GhTrustPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->connection_signals = g_signal_group_new (GH_TYPE_GATEWAY_CONNECTION);
  g_signal_group_connect_object (self->connection_signals, "config-changed", G_CALLBACK (queue_refresh), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->connection_signals, "notify::state", G_CALLBACK (on_connection_state), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->connection_signals, "notify::stale", G_CALLBACK (on_connection_state), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->connection_signals, "notify::info", G_CALLBACK (update_actions), self,
                                 G_CONNECT_SWAPPED);
  self->event_signals = g_signal_group_new (GH_TYPE_EVENT_STREAM);
  g_signal_group_connect_object (self->event_signals, "event", G_CALLBACK (on_event), self, G_CONNECT_SWAPPED);

  self->cancellable = g_cancellable_new ();
  self->entries = gh_api_cert_list_new ();
  self->tls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->signatures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  update_actions (self);
}
