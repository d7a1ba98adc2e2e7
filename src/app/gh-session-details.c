/* gh-session-details.c — one live session in full
 *
 * The rows are filled from the session's getters whenever it emits "changed" (one
 * signal per update, after its properties), through a GSignalGroup retargeted when
 * the selection changes. The rate is the bytes in and out per second between the
 * samples of the last five seconds; the chart draws the last minute of it, in the
 * text colour of the theme (light and dark), and tells assistive technologies the
 * same in words.
 *
 * The client certificate is not in the event stream (too large for every update): its
 * button asks the gateway for the one session, and for the truststore the chain is
 * checked against, and opens the Certificates page's details view on it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-session-details"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "gh-api-cert-entry.h"
#include "gh-certificate-details.h"
#include "gh-chart.h"
#include "gh-session-details.h"

#define RATE_WINDOW  (5 * G_USEC_PER_SEC)
#define CHART_WINDOW (60 * G_USEC_PER_SEC)

typedef struct {
  gint64 time;    /* monotonic µs */
  gint64 bytes;   /* in + out */
  double rate;    /* bytes/s at that time */
} Sample;

struct _GhSessionDetails
{
  AdwBin        parent_instance;

  GhApiSession *session;
  GSignalGroup *session_signals;
  GhAdminClient *client;         /* nullable: the gateway's, for the certificate */
  GCancellable *cancellable;     /* of the certificate's requests */
  GArray       *samples;   /* of Sample, oldest first, the last CHART_WINDOW */
  double        rate;

  AdwActionRow *service_row;
  AdwActionRow *client_row;
  AdwActionRow *state_row;
  AdwActionRow *opened_row;
  AdwActionRow *protocol_row;
  AdwActionRow *server_name_row;
  AdwActionRow *alpn_row;
  AdwActionRow *subject_row;
  AdwActionRow *backend_row;
  AdwActionRow *backend_tls_row;
  AdwActionRow *bytes_row;
  AdwActionRow *messages_row;
  AdwActionRow *rate_row;
  GtkDrawingArea *chart;
};

G_DEFINE_FINAL_TYPE (GhSessionDetails, gh_session_details, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_text (AdwActionRow *row,
          const char   *text)
{
  adw_action_row_set_subtitle (row, text != NULL && *text != '\0' ? text : "—");
}

static char *
format_rate (double rate)
{
  g_autofree char *size = g_format_size ((guint64) (rate + 0.5));

  /* TRANSLATORS: a rate, as "1.2 kB/s" */
  return g_strdup_printf (_("%s/s"), size);
}

static void
sample (GhSessionDetails *self)
{
  gint64 now = g_get_monotonic_time ();
  Sample next = { now, gh_api_session_get_bytes_in (self->session) + gh_api_session_get_bytes_out (self->session), 0 };
  guint oldest = 0;

  /* The rate over the samples of the last RATE_WINDOW. */
  for (guint i = 0; i < self->samples->len; i++)
    if (now - g_array_index (self->samples, Sample, i).time <= RATE_WINDOW)
      {
        oldest = i;
        break;
      }
  if (self->samples->len > 0)
    {
      Sample *first = &g_array_index (self->samples, Sample, oldest);

      if (now > first->time)
        next.rate = (next.bytes - first->bytes) * (double) G_USEC_PER_SEC / (now - first->time);
    }
  self->rate = next.rate;
  g_array_append_val (self->samples, next);

  while (self->samples->len > 0 && now - g_array_index (self->samples, Sample, 0).time > CHART_WINDOW)
    g_array_remove_index (self->samples, 0);
}

static void
update (GhSessionDetails *self)
{
  GhApiSession *session = self->session;
  g_autofree char *state = NULL;
  g_autofree char *opened = NULL;
  g_autofree char *protocol = NULL;
  g_autofree char *bytes = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;
  g_autofree char *chart_text = NULL;

  if (session == NULL)
    return;

  set_text (self->service_row, gh_api_session_get_service (session));
  set_text (self->client_row, gh_api_session_get_client (session));
  state = gh_session_details_format_state (gh_api_session_get_state (session));
  set_text (self->state_row, state);
  if (gh_api_session_get_started (session) != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (gh_api_session_get_started (session));

      opened = g_date_time_format (local, "%x %X");
    }
  set_text (self->opened_row, opened);

  if (gh_api_session_get_tls_protocol (session) != NULL)
    protocol = g_strdup_printf ("%s, %s", gh_api_session_get_tls_protocol (session),
                                gh_api_session_get_tls_cipher (session) ? gh_api_session_get_tls_cipher (session) : "?");
  else
    protocol = g_strdup (C_("session TLS", "Plain (no TLS)"));
  set_text (self->protocol_row, protocol);
  set_text (self->server_name_row, gh_api_session_get_tls_server_name (session));
  set_text (self->alpn_row, gh_api_session_get_tls_alpn (session));
  set_text (self->subject_row, gh_api_session_get_tls_client_subject (session));
  set_text (self->backend_row, gh_api_session_get_backend (session));
  set_text (self->backend_tls_row, gh_api_session_get_backend_tls (session));

  in = g_format_size (MAX (gh_api_session_get_bytes_in (session), 0));
  out = g_format_size (MAX (gh_api_session_get_bytes_out (session), 0));
  /* TRANSLATORS: bytes received from the client, and sent to it */
  bytes = g_strdup_printf (_("%s in, %s out"), in, out);
  set_text (self->bytes_row, bytes);
  /* TRANSLATORS: messages received from the client, and sent to it */
  messages = g_strdup_printf (_("%" PRId64 " in, %" PRId64 " out"),
                              gh_api_session_get_messages_in (session), gh_api_session_get_messages_out (session));
  set_text (self->messages_row, messages);
  rate = format_rate (self->rate);
  set_text (self->rate_row, rate);

  chart_text = g_strdup_printf (_("The session’s rate over the last minute; now %s"), rate);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->chart), GTK_ACCESSIBLE_PROPERTY_LABEL, chart_text, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

/* The client certificate */

static void
update_certificate_action (GhSessionDetails *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.show-certificate",
                                 self->client != NULL && self->session != NULL &&
                                 gh_api_session_get_tls_client_subject (self->session) != NULL);
}

typedef struct {
  GhSessionDetails *self;
  GhApiSession     *session;      /* as GET /sessions/{id} gave it */
  GListModel       *truststore;
  GError           *error;        /* the first failure */
  guint             pending;
} ShowCertificate;

/* A toast on the page when there is one; the certificate's dialog otherwise. */
static void
show_certificate_failed (GhSessionDetails *self,
                         GError           *error)
{
  g_autofree char *title = g_strdup_printf (_("The client certificate cannot be shown: %s"),
                                            error ? error->message : _("the session has ended"));
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
}

static void
present_certificate (GhSessionDetails *self,
                     GhCertificate    *certificate,
                     GListModel       *truststore)
{
  g_autoptr(GhApiCertEntry) entry = gh_api_cert_entry_new (GH_API_CERT_STORE_PEER,
                                                           gh_certificate_get_display_name (certificate));
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  g_ptr_array_add (chain, g_object_ref (certificate));
  gh_api_cert_entry_update (entry, GH_API_CERT_KIND_TRUSTED, chain, NULL, NULL,
                            g_settings_get_uint (settings, "expiry-warning-days"));
  adw_dialog_present (gh_certificate_details_new (entry, truststore), GTK_WIDGET (self));
}

static void
show_certificate_done (ShowCertificate *show)
{
  GhCertificate *certificate = show->session ? gh_api_session_get_client_certificate (show->session) : NULL;

  if (--show->pending > 0)
    return;

  if (certificate != NULL)
    present_certificate (show->self, certificate, show->truststore);
  else if (!g_error_matches (show->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_certificate_failed (show->self, show->error);

  g_clear_object (&show->session);
  g_clear_object (&show->truststore);
  g_clear_error (&show->error);
  g_object_unref (show->self);
  g_free (show);
}

static void
on_certificate_session (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  ShowCertificate *show = user_data;

  show->session = gh_admin_client_get_session_finish (GH_ADMIN_CLIENT (source), result,
                                                      show->error ? NULL : &show->error);
  show_certificate_done (show);
}

static void
on_certificate_truststore (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  ShowCertificate *show = user_data;

  /* Without the truststore, the details still show the certificate, verified against
   * the system's anchors only. */
  show->truststore = gh_admin_client_list_truststore_finish (GH_ADMIN_CLIENT (source), result, NULL);
  show_certificate_done (show);
}

static void
details_show_certificate (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GhSessionDetails *self = GH_SESSION_DETAILS (widget);
  ShowCertificate *show;

  if (self->client == NULL || self->session == NULL)
    return;

  show = g_new0 (ShowCertificate, 1);
  show->self = g_object_ref (self);
  show->pending = 2;
  gh_admin_client_get_session_async (self->client, gh_api_session_get_id (self->session), self->cancellable,
                                     on_certificate_session, show);
  gh_admin_client_list_truststore_async (self->client, self->cancellable, on_certificate_truststore, show);
}

static void
on_session_changed (GhSessionDetails *self)
{
  sample (self);
  update (self);
}

static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        data)
{
  GhSessionDetails *self = data;
  gint64 now = g_get_monotonic_time ();
  double top = 1;
  GdkRGBA color;

  gtk_widget_get_color (GTK_WIDGET (area), &color);

  /* Right to left, time runs leftward: now at the left edge. */
  gh_chart_mirror_for_direction (GTK_WIDGET (area), cr, width);

  /* The baseline, faint. */
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * 0.25);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, 0, height - 0.5);
  cairo_line_to (cr, width, height - 0.5);
  cairo_stroke (cr);

  if (self->samples->len < 2)
    return;

  for (guint i = 0; i < self->samples->len; i++)
    top = MAX (top, g_array_index (self->samples, Sample, i).rate);

  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * 0.8);
  cairo_set_line_width (cr, 1.5);
  for (guint i = 0; i < self->samples->len; i++)
    {
      Sample *s = &g_array_index (self->samples, Sample, i);
      double x = width - (now - s->time) * (double) width / CHART_WINDOW;
      double y = height - 1 - s->rate * (height - 4) / top;

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);
}

static void
gh_session_details_dispose (GObject *object)
{
  GhSessionDetails *self = GH_SESSION_DETAILS (object);

  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_SESSION_DETAILS);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->session);
  g_clear_object (&self->session_signals);
  g_clear_pointer (&self->samples, g_array_unref);

  G_OBJECT_CLASS (gh_session_details_parent_class)->dispose (object);
}

static void
gh_session_details_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  GhSessionDetails *self = GH_SESSION_DETAILS (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_session_details_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  GhSessionDetails *self = GH_SESSION_DETAILS (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      gh_session_details_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_session_details_class_init (GhSessionDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_session_details_dispose;
  object_class->get_property = gh_session_details_get_property;
  object_class->set_property = gh_session_details_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, GH_TYPE_API_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatehouse/Gatehouse/gh-session-details.ui");
  gtk_widget_class_bind_template_child (widget_class, GhSessionDetails, service_row);
  gtk_widget_class_bind_template_child (widget_class, GhSessionDetails, client_row);
  gtk_widget_class_bind_template_child (widget_class, GhSessionDetails, state_row);
  gtk_widget_class_bind_template_child (widget_class, GhSessionDetails, opened_row);
  gtk_widget_class_bind_template_child (widget_class, GhSessionDetails, protocol_row);
  gtk_widget_class_bind_template_child (widget_class, GhSessionDetails, server_name_row);
  gtk_widget_class_bind_template_child (widget_class, GhSessionDetails, alpn_row);
  gtk_widget_class_bind_template_child (widget_class, GhSessionDetails, subject_row);
  gtk_widget_class_bind_template_child (widget_class, GhSessionDetails, backend_row);
  gtk_widget_class_bind_template_child (widget_class, GhSessionDetails, backend_tls_row);
  gtk_widget_class_bind_template_child (widget_class, GhSessionDetails, bytes_row);
  gtk_widget_class_bind_template_child (widget_class, GhSessionDetails, messages_row);
  gtk_widget_class_bind_template_child (widget_class, GhSessionDetails, rate_row);
  gtk_widget_class_bind_template_child (widget_class, GhSessionDetails, chart);

  gtk_widget_class_install_action (widget_class, "details.show-certificate", NULL, details_show_certificate);
}

static void
gh_session_details_init (GhSessionDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  self->session_signals = g_signal_group_new (GH_TYPE_API_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "changed", G_CALLBACK (on_session_changed), self);
  gtk_drawing_area_set_draw_func (self->chart, draw_chart, self, NULL);
  self->cancellable = g_cancellable_new ();
  update_certificate_action (self);
}

GhSessionDetails *
gh_session_details_new (void)
{
  return g_object_new (GH_TYPE_SESSION_DETAILS, NULL);
}

GhApiSession *
gh_session_details_get_session (GhSessionDetails *self)
{
  g_return_val_if_fail (GH_IS_SESSION_DETAILS (self), NULL);

  return self->session;
}

void
gh_session_details_set_session (GhSessionDetails *self,
                                GhApiSession     *session)
{
  g_return_if_fail (GH_IS_SESSION_DETAILS (self));
  g_return_if_fail (session == NULL || GH_IS_API_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  g_signal_group_set_target (self->session_signals, session);
  g_array_set_size (self->samples, 0);
  self->rate = 0;
  if (session != NULL)
    sample (self);
  update (self);
  update_certificate_action (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
gh_session_details_set_client (GhSessionDetails *self,
                               GhAdminClient    *client)
{
  g_return_if_fail (GH_IS_SESSION_DETAILS (self));
  g_return_if_fail (client == NULL || GH_IS_ADMIN_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  update_certificate_action (self);
}

double
gh_session_details_get_rate (GhSessionDetails *self)
{
  g_return_val_if_fail (GH_IS_SESSION_DETAILS (self), 0);

  return self->rate;
}

char *
gh_session_details_format_state (const char *state)
{
  if (g_strcmp0 (state, "handshake") == 0)
    return g_strdup (C_("session state", "Handshake"));
  if (g_strcmp0 (state, "connecting") == 0)
    return g_strdup (C_("session state", "Connecting"));
  if (g_strcmp0 (state, "open") == 0)
    return g_strdup (C_("session state", "Open"));
  if (g_strcmp0 (state, "closed") == 0)
    return g_strdup (C_("session state", "Closed"));
  return g_strdup (state != NULL ? state : "");
}
