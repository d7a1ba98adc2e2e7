/* gh-gateway-profile.c — what the app keeps of a gateway it administers
 *
 * The profile is the part of a gateway that outlives a run of the app: a name for
 * people, the admin URL, the admin identity file, and the pinned fingerprint of the
 * gateway's admin certificate. GhGatewayList saves the persistent ones to GSettings
 * in the form gh_gateway_profile_to_variant() gives; the identity's password is not
 * part of it (gh-identity-store.c keeps it in the keyring).
 *
 * The URL and the identity are what a profile is (construct-only); the name and the
 * pin change, and notify.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-gateway-profile"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-admin-client.h"
#include "gh-gateway-profile.h"

struct _GhGatewayProfile
{
  GObject   parent_instance;

  char     *name;
  char     *url;
  char     *identity_path;
  char     *pin;
  gboolean  persistent;
};

G_DEFINE_FINAL_TYPE (GhGatewayProfile, gh_gateway_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_URL,
  PROP_IDENTITY_PATH,
  PROP_PIN,
  PROP_PERSISTENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GhGatewayProfile *
gh_gateway_profile_new (const char *name,
                        const char *url,
                        const char *identity_path,
                        const char *pin,
                        gboolean    persistent)
{
  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (identity_path != NULL, NULL);

  return g_object_new (GH_TYPE_GATEWAY_PROFILE,
                       "name", name,
                       "url", url,
                       "identity-path", identity_path,
                       "pin", pin,
                       "persistent", persistent,
                       NULL);
}

GhGatewayProfile *
gh_gateway_profile_new_from_variant (GVariant *value)
{
  const char *name, *url, *identity_path, *pin;

  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (g_variant_is_of_type (value, GH_GATEWAY_PROFILE_VARIANT_TYPE), NULL);

  g_variant_get (value, "(&s&s&s&s)", &name, &url, &identity_path, &pin);
  if (url[0] == '\0' || identity_path[0] == '\0')
    return NULL;

  return gh_gateway_profile_new (name, url, identity_path, pin[0] != '\0' ? pin : NULL, TRUE);
}

GVariant *
gh_gateway_profile_to_variant (GhGatewayProfile *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_PROFILE (self), NULL);

  return g_variant_new ("(ssss)", self->name, self->url, self->identity_path,
                        self->pin != NULL ? self->pin : "");
}

const char *
gh_gateway_profile_get_name (GhGatewayProfile *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_PROFILE (self), NULL);

  return self->name;
}

void
gh_gateway_profile_set_name (GhGatewayProfile *self,
                             const char       *name)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (GH_IS_GATEWAY_PROFILE (self));

  stripped = g_strstrip (g_strdup (name != NULL ? name : ""));
  if (stripped[0] == '\0')
    {
      /* No name: the host and port of the URL. */
      g_autoptr(GUri) uri = self->url != NULL ? g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL) : NULL;

      g_free (stripped);
      if (uri != NULL && g_uri_get_host (uri) != NULL)
        stripped = g_uri_get_port (uri) > 0 ? g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri))
                                           : g_strdup (g_uri_get_host (uri));
      else
        stripped = g_strdup (self->url != NULL ? self->url : _("Gateway"));
    }

  if (g_strcmp0 (self->name, stripped) == 0)
    return;

  g_free (self->name);
  self->name = g_steal_pointer (&stripped);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
gh_gateway_profile_get_url (GhGatewayProfile *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_PROFILE (self), NULL);

  return self->url;
}

const char *
gh_gateway_profile_get_identity_path (GhGatewayProfile *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_PROFILE (self), NULL);

  return self->identity_path;
}

const char *
gh_gateway_profile_get_pin (GhGatewayProfile *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_PROFILE (self), NULL);

  return self->pin;
}

gboolean
gh_gateway_profile_set_pin (GhGatewayProfile *self,
                            const char       *pin)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (GH_IS_GATEWAY_PROFILE (self), FALSE);

  normalized = pin != NULL ? gh_api_fingerprint_normalize (pin) : NULL;
  if (g_strcmp0 (normalized, self->pin) == 0)
    return FALSE;

  g_free (self->pin);
  self->pin = g_steal_pointer (&normalized);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIN]);
  return TRUE;
}

gboolean
gh_gateway_profile_get_persistent (GhGatewayProfile *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_PROFILE (self), FALSE);

  return self->persistent;
}

/* GObject */

static void
gh_gateway_profile_finalize (GObject *object)
{
  GhGatewayProfile *self = GH_GATEWAY_PROFILE (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->identity_path, g_free);
  g_clear_pointer (&self->pin, g_free);

  G_OBJECT_CLASS (gh_gateway_profile_parent_class)->finalize (object);
}

static void
gh_gateway_profile_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  GhGatewayProfile *self = GH_GATEWAY_PROFILE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_IDENTITY_PATH:
      g_value_set_string (value, self->identity_path);
      break;
    case PROP_PIN:
      g_value_set_string (value, self->pin);
      break;
    case PROP_PERSISTENT:
      g_value_set_boolean (value, self->persistent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_gateway_profile_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  GhGatewayProfile *self = GH_GATEWAY_PROFILE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      gh_gateway_profile_set_name (self, g_value_get_string (value));
      break;
    case PROP_URL:
      self->url = g_value_dup_string (value);
      break;
    case PROP_IDENTITY_PATH:
      self->identity_path = g_value_dup_string (value);
      break;
    case PROP_PIN:
      gh_gateway_profile_set_pin (self, g_value_get_string (value));
      break;
    case PROP_PERSISTENT:
      self->persistent = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_gateway_profile_constructed (GObject *object)
{
  GhGatewayProfile *self = GH_GATEWAY_PROFILE (object);

  G_OBJECT_CLASS (gh_gateway_profile_parent_class)->constructed (object);

  /* The default name needs the URL, which may come after the name. */
  if (self->name == NULL || self->name[0] == '\0')
    gh_gateway_profile_set_name (self, NULL);
}

static void
gh_gateway_profile_class_init (GhGatewayProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = gh_gateway_profile_constructed;
  object_class->finalize = gh_gateway_profile_finalize;
  object_class->get_property = gh_gateway_profile_get_property;
  object_class->set_property = gh_gateway_profile_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDENTITY_PATH] =
    g_param_spec_string ("identity-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PIN] =
    g_param_spec_string ("pin", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PERSISTENT] =
    g_param_spec_boolean ("persistent", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_gateway_profile_init (GhGatewayProfile *self)
{
  self->persistent = TRUE;
}
