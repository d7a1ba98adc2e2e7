/* gh-services-page-item.c — one row of the services page
 *
 * A service of the configuration as written, and its state and open sessions when
 * the gateway reported them. The row's widgets in gh-services-page.ui bind to the
 * properties here, the labels, icon and style classes included, so that a change of
 * state notifies only what shows it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-services-page"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-services-page-item.h"

struct _GhServicesPageItem
{
  GObject  parent_instance;

  char    *name;
  char    *description;
  char    *service_type;
  char    *accept;
  char    *connect;
  char    *state;           /* "started", "stopped", NULL when unknown */
  gint64   sessions_open;
};

G_DEFINE_FINAL_TYPE (GhServicesPageItem, gh_services_page_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_NAME,
  ITEM_PROP_DESCRIPTION,
  ITEM_PROP_HAS_DESCRIPTION,
  ITEM_PROP_SERVICE_TYPE,
  ITEM_PROP_TYPE_LABEL,
  ITEM_PROP_ACCEPT,
  ITEM_PROP_CONNECT,
  ITEM_PROP_STATE,
  ITEM_PROP_STARTED,
  ITEM_PROP_STATE_LABEL,
  ITEM_PROP_STATE_ICON,
  ITEM_PROP_STATE_CLASSES,
  ITEM_PROP_SESSIONS_OPEN,
  ITEM_PROP_SESSIONS_LABEL,
  ITEM_N_PROPS
};

static GParamSpec *item_properties[ITEM_N_PROPS];

static const char *
item_type_label (GhServicesPageItem *self)
{
  if (g_strcmp0 (self->service_type, "proxy") == 0)
    return C_("service type", "Proxy");
  if (g_strcmp0 (self->service_type, "echo") == 0)
    return C_("service type", "Echo");
  if (g_strcmp0 (self->service_type, "directory") == 0)
    return C_("service type", "Directory");
  return self->service_type != NULL ? self->service_type : "";
}

static const char *
item_state_label (GhServicesPageItem *self)
{
  if (g_strcmp0 (self->state, "started") == 0)
    return _("Started");
  if (g_strcmp0 (self->state, "stopped") == 0)
    return _("Stopped");
  return _("Not running");
}

static void
gh_services_page_item_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  GhServicesPageItem *self = GH_SERVICES_PAGE_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case ITEM_PROP_DESCRIPTION:
      g_value_set_string (value, self->description != NULL ? self->description : "");
      break;
    case ITEM_PROP_HAS_DESCRIPTION:
      g_value_set_boolean (value, self->description != NULL && *self->description != '\0');
      break;
    case ITEM_PROP_SERVICE_TYPE:
      g_value_set_string (value, self->service_type);
      break;
    case ITEM_PROP_TYPE_LABEL:
      g_value_set_string (value, item_type_label (self));
      break;
    case ITEM_PROP_ACCEPT:
      g_value_set_string (value, self->accept != NULL ? self->accept : "");
      break;
    case ITEM_PROP_CONNECT:
      g_value_set_string (value, self->connect != NULL ? self->connect : "—");
      break;
    case ITEM_PROP_STATE:
      g_value_set_string (value, self->state);
      break;
    case ITEM_PROP_STARTED:
      g_value_set_boolean (value, g_strcmp0 (self->state, "started") == 0);
      break;
    case ITEM_PROP_STATE_LABEL:
      g_value_set_string (value, item_state_label (self));
      break;
    case ITEM_PROP_STATE_ICON:
      g_value_set_string (value, g_strcmp0 (self->state, "started") == 0 ? "media-playback-start-symbolic"
                                                                          : "media-playback-stop-symbolic");
      break;
    case ITEM_PROP_STATE_CLASSES:
      {
        const char * const started[] = { "success", NULL };
        const char * const stopped[] = { "dim-label", NULL };

        g_value_set_boxed (value, g_strcmp0 (self->state, "started") == 0 ? started : stopped);
      }
      break;
    case ITEM_PROP_SESSIONS_OPEN:
      g_value_set_int64 (value, self->sessions_open);
      break;
    case ITEM_PROP_SESSIONS_LABEL:
      g_value_take_string (value, self->state != NULL ? g_strdup_printf ("%" G_GINT64_FORMAT, self->sessions_open)
                                                      : g_strdup ("—"));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_services_page_item_finalize (GObject *object)
{
  GhServicesPageItem *self = GH_SERVICES_PAGE_ITEM (object);

  g_free (self->name);
  g_free (self->description);
  g_free (self->service_type);
  g_free (self->accept);
  g_free (self->connect);
  g_free (self->state);

  G_OBJECT_CLASS (gh_services_page_item_parent_class)->finalize (object);
}

static void
gh_services_page_item_class_init (GhServicesPageItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = gh_services_page_item_get_property;
  object_class->finalize = gh_services_page_item_finalize;

  item_properties[ITEM_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_HAS_DESCRIPTION] = g_param_spec_boolean ("has-description", NULL, NULL, FALSE, flags);
  item_properties[ITEM_PROP_SERVICE_TYPE] = g_param_spec_string ("service-type", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_TYPE_LABEL] = g_param_spec_string ("type-label", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_ACCEPT] = g_param_spec_string ("accept", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_CONNECT] = g_param_spec_string ("connect", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_STATE] = g_param_spec_string ("state", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_STARTED] = g_param_spec_boolean ("started", NULL, NULL, FALSE, flags);
  item_properties[ITEM_PROP_STATE_LABEL] = g_param_spec_string ("state-label", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_STATE_ICON] = g_param_spec_string ("state-icon", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_STATE_CLASSES] = g_param_spec_boxed ("state-classes", NULL, NULL, G_TYPE_STRV, flags);
  item_properties[ITEM_PROP_SESSIONS_OPEN] = g_param_spec_int64 ("sessions-open", NULL, NULL, 0, G_MAXINT64, 0, flags);
  item_properties[ITEM_PROP_SESSIONS_LABEL] = g_param_spec_string ("sessions-label", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
gh_services_page_item_init (GhServicesPageItem *self)
{
}

GhServicesPageItem *
gh_services_page_item_new (GhServiceConfig *config,
                           GhApiService    *service)
{
  GhServicesPageItem *self = g_object_new (GH_TYPE_SERVICES_PAGE_ITEM, NULL);
  const char * const *accept = gh_service_config_get_accept (config);

  self->name = g_strdup (gh_service_config_get_name (config));
  self->description = g_strdup (gh_service_config_get_description (config));
  self->service_type = g_strdup (gh_service_config_get_type_name (config));
  self->accept = g_strjoinv ("\n", (char **) accept);
  self->connect = g_strdup (gh_service_config_get_connect (config));
  if (service != NULL)
    {
      self->state = g_strdup (gh_api_service_get_state (service));
      self->sessions_open = gh_api_service_get_sessions_open (service);
    }
  return self;
}

/* The state changed: only what shows it. */
void
gh_services_page_item_set_state (GhServicesPageItem *self,
                                 const char         *state,
                                 gint64              sessions_open)
{
  if (g_strcmp0 (self->state, state) == 0 && self->sessions_open == sessions_open)
    return;

  g_free (self->state);
  self->state = g_strdup (state);
  self->sessions_open = sessions_open;
  g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_STARTED]);
  g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_STATE_LABEL]);
  g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_STATE_ICON]);
  g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_STATE_CLASSES]);
  g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_SESSIONS_OPEN]);
  g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_SESSIONS_LABEL]);
}

const char *
gh_services_page_item_get_name (GhServicesPageItem *self)
{
  g_return_val_if_fail (GH_IS_SERVICES_PAGE_ITEM (self), NULL);

  return self->name;
}

const char *
gh_services_page_item_get_state (GhServicesPageItem *self)
{
  g_return_val_if_fail (GH_IS_SERVICES_PAGE_ITEM (self), NULL);

  return self->state;
}

gint64
gh_services_page_item_get_sessions_open (GhServicesPageItem *self)
{
  g_return_val_if_fail (GH_IS_SERVICES_PAGE_ITEM (self), 0);

  return self->sessions_open;
}
