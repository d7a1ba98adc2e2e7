/* gh-service-config.c — one service of a gateway configuration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-service-config"

#include "config.h"

#include "gh-config-private.h"

G_DEFINE_FINAL_TYPE (GhServiceConfig, gh_service_config, G_TYPE_OBJECT)

static void
gh_service_config_finalize (GObject *object)
{
  GhServiceConfig *self = GH_SERVICE_CONFIG (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->type, g_free);
  g_clear_pointer (&self->accept, g_strfreev);
  g_clear_pointer (&self->connect, g_free);
  g_clear_pointer (&self->directory, g_free);
  g_clear_pointer (&self->tls_priority, g_free);
  g_clear_pointer (&self->verify_client, g_free);
  g_clear_pointer (&self->connect_priority, g_free);
  g_clear_pointer (&self->server_name, g_free);
  g_clear_pointer (&self->client_certificate_alias, g_free);
  g_clear_pointer (&self->accept_uris, g_ptr_array_unref);
  g_clear_pointer (&self->connect_uri, g_uri_unref);

  G_OBJECT_CLASS (gh_service_config_parent_class)->finalize (object);
}

static void
gh_service_config_class_init (GhServiceConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gh_service_config_finalize;
}

static void
gh_service_config_init (GhServiceConfig *self)
{
  self->connect_verify = GH_CONFIG_BOOL_UNSET;
  self->accept_uris = g_ptr_array_new_with_free_func ((GDestroyNotify) g_uri_unref);
}

GhServiceConfig *
_gh_service_config_new (void)
{
  return g_object_new (GH_TYPE_SERVICE_CONFIG, NULL);
}

static const char * const service_type_names[] = {
  [GH_SERVICE_TYPE_UNKNOWN] = NULL,
  [GH_SERVICE_TYPE_PROXY] = "proxy",
  [GH_SERVICE_TYPE_ECHO] = "echo",
  [GH_SERVICE_TYPE_DIRECTORY] = "directory",
};

const char *
gh_service_type_to_string (GhServiceType type)
{
  g_return_val_if_fail (type < G_N_ELEMENTS (service_type_names), NULL);

  return service_type_names[type];
}

gboolean
gh_service_type_from_string (const char    *name,
                             GhServiceType *type)
{
  g_return_val_if_fail (type != NULL, FALSE);

  for (guint i = GH_SERVICE_TYPE_PROXY; name != NULL && i < G_N_ELEMENTS (service_type_names); i++)
    {
      if (g_str_equal (name, service_type_names[i]))
        {
          *type = i;
          return TRUE;
        }
    }

  return FALSE;
}

static const char * const verify_client_names[] = {
  [GH_VERIFY_CLIENT_NONE] = "none",
  [GH_VERIFY_CLIENT_OPTIONAL] = "optional",
  [GH_VERIFY_CLIENT_REQUIRED] = "required",
};

const char *
gh_verify_client_to_string (GhVerifyClient mode)
{
  g_return_val_if_fail (mode < G_N_ELEMENTS (verify_client_names), NULL);

  return verify_client_names[mode];
}

gboolean
gh_verify_client_from_string (const char     *name,
                              GhVerifyClient *mode)
{
  g_return_val_if_fail (mode != NULL, FALSE);

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (verify_client_names); i++)
    {
      if (g_str_equal (name, verify_client_names[i]))
        {
          *mode = i;
          return TRUE;
        }
    }

  return FALSE;
}

int
_gh_config_default_port (const char *scheme)
{
  if (g_str_equal (scheme, "ws") || g_str_equal (scheme, "http"))
    return 80;
  if (g_str_equal (scheme, "wss") || g_str_equal (scheme, "https"))
    return 443;

  return 0;
}

/* @text parsed, with the default port filled in; NULL if it is no URI with a host
 * and a port. */
static GUri *
parse_with_port (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  int port;

  if (text == NULL)
    return NULL;

  uri = g_uri_parse (text, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;

  port = g_uri_get_port (uri);
  if (port == -1)
    port = _gh_config_default_port (g_uri_get_scheme (uri));
  if (port <= 0)
    return NULL;

  return g_uri_build (G_URI_FLAGS_ENCODED,
                      g_uri_get_scheme (uri),
                      g_uri_get_userinfo (uri),
                      g_uri_get_host (uri),
                      port,
                      g_uri_get_path (uri),
                      g_uri_get_query (uri),
                      g_uri_get_fragment (uri));
}

void
_gh_service_config_derive (GhServiceConfig *self)
{
  if (!gh_service_type_from_string (self->type, &self->service_type))
    self->service_type = GH_SERVICE_TYPE_UNKNOWN;

  if (self->verify_client == NULL)
    self->verify_client_mode = GH_VERIFY_CLIENT_NONE;
  else if (!gh_verify_client_from_string (self->verify_client, &self->verify_client_mode))
    self->verify_client_mode = GH_VERIFY_CLIENT_REQUIRED;

  g_ptr_array_set_size (self->accept_uris, 0);
  for (guint i = 0; self->accept != NULL && self->accept[i] != NULL; i++)
    {
      GUri *uri = parse_with_port (self->accept[i]);

      if (uri != NULL)
        g_ptr_array_add (self->accept_uris, uri);
    }

  g_clear_pointer (&self->connect_uri, g_uri_unref);
  self->connect_uri = parse_with_port (self->connect);
}

const char *
gh_service_config_get_name (GhServiceConfig *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), NULL);

  return self->name;
}

const char *
gh_service_config_get_description (GhServiceConfig *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), NULL);

  return self->description;
}

const char *
gh_service_config_get_type_name (GhServiceConfig *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), NULL);

  return self->type;
}

/**
 * gh_service_config_get_accept:
 * @self: a #GhServiceConfig
 *
 * Returns: (transfer none) (array zero-terminated=1): the accept URIs as written;
 *   empty, never %NULL, when there are none
 */
const char * const *
gh_service_config_get_accept (GhServiceConfig *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), NULL);

  return self->accept != NULL ? (const char * const *) self->accept : none;
}

const char *
gh_service_config_get_connect (GhServiceConfig *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), NULL);

  return self->connect;
}

const char *
gh_service_config_get_directory (GhServiceConfig *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), NULL);

  return self->directory;
}

const char *
gh_service_config_get_client_certificate_alias (GhServiceConfig *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), NULL);

  return self->client_certificate_alias;
}

GhServiceType
gh_service_config_get_service_type (GhServiceConfig *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), GH_SERVICE_TYPE_UNKNOWN);

  return self->service_type;
}

/**
 * gh_service_config_get_accept_uris:
 * @self: a #GhServiceConfig
 *
 * Returns: (transfer none) (element-type GUri): the accept URIs that parse, with the
 *   default port of their scheme filled in; all of them on a valid configuration
 */
GPtrArray *
gh_service_config_get_accept_uris (GhServiceConfig *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), NULL);

  return self->accept_uris;
}

/**
 * gh_service_config_get_connect_uri:
 * @self: a #GhServiceConfig
 *
 * Returns: (transfer none) (nullable): the connect URI with its port filled in
 */
GUri *
gh_service_config_get_connect_uri (GhServiceConfig *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), NULL);

  return self->connect_uri;
}

const char *
gh_service_config_get_tls_priority (GhServiceConfig *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), NULL);

  return self->tls_priority != NULL ? self->tls_priority : GH_CONFIG_DEFAULT_TLS_PRIORITY;
}

GhVerifyClient
gh_service_config_get_verify_client (GhServiceConfig *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), GH_VERIFY_CLIENT_REQUIRED);

  return self->verify_client_mode;
}

const char *
gh_service_config_get_connect_tls_priority (GhServiceConfig *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), NULL);

  return self->connect_priority != NULL ? self->connect_priority : GH_CONFIG_DEFAULT_TLS_PRIORITY;
}

/* Back-ends are verified unless the file says "verify": false. */
gboolean
gh_service_config_get_connect_verify (GhServiceConfig *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), TRUE);

  return self->connect_verify != GH_CONFIG_BOOL_FALSE;
}

const char *
gh_service_config_get_connect_server_name (GhServiceConfig *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), NULL);

  if (self->server_name != NULL)
    return self->server_name;

  return self->connect_uri != NULL ? g_uri_get_host (self->connect_uri) : NULL;
}

static gint64
limit_or_default (const GhConfigInt *limit,
                  gint64             fallback,
                  gint64             low,
                  gint64             high)
{
  /* Clamped: a configuration that was not validated never gives a nonsense limit. */
  return limit->set ? CLAMP (limit->value, low, high) : fallback;
}

guint64
gh_service_config_get_max_pending_bytes (GhServiceConfig *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), GH_CONFIG_DEFAULT_MAX_PENDING_BYTES);

  return limit_or_default (&self->max_pending_bytes, GH_CONFIG_DEFAULT_MAX_PENDING_BYTES,
                           GH_CONFIG_MIN_PENDING_BYTES, GH_CONFIG_MAX_PENDING_BYTES);
}

guint64
gh_service_config_get_max_message_bytes (GhServiceConfig *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), GH_CONFIG_DEFAULT_MAX_MESSAGE_BYTES);

  return limit_or_default (&self->max_message_bytes, GH_CONFIG_DEFAULT_MAX_MESSAGE_BYTES,
                           GH_CONFIG_MIN_MESSAGE_BYTES, GH_CONFIG_MAX_MESSAGE_BYTES);
}

guint
gh_service_config_get_idle_timeout (GhServiceConfig *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), GH_CONFIG_DEFAULT_IDLE_TIMEOUT);

  return limit_or_default (&self->idle_timeout, GH_CONFIG_DEFAULT_IDLE_TIMEOUT,
                           GH_CONFIG_MIN_IDLE_TIMEOUT, GH_CONFIG_MAX_IDLE_TIMEOUT);
}

guint
gh_service_config_get_max_sessions (GhServiceConfig *self)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (self), GH_CONFIG_DEFAULT_MAX_SESSIONS);

  return limit_or_default (&self->max_sessions, GH_CONFIG_DEFAULT_MAX_SESSIONS,
                           GH_CONFIG_MIN_SESSIONS, GH_CONFIG_MAX_SESSIONS);
}

static gboolean
strv_equal (GStrv a,
            GStrv b)
{
  /* Absent and empty are the same list. */
  if (a == NULL || b == NULL)
    return (a == NULL || a[0] == NULL) && (b == NULL || b[0] == NULL);

  return g_strv_equal ((const char * const *) a, (const char * const *) b);
}

static gboolean
int_equal (const GhConfigInt *a,
           const GhConfigInt *b)
{
  return a->set == b->set && (!a->set || a->value == b->value);
}

gboolean
gh_service_config_equal (GhServiceConfig *a,
                         GhServiceConfig *b)
{
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (a), FALSE);
  g_return_val_if_fail (GH_IS_SERVICE_CONFIG (b), FALSE);

  return g_strcmp0 (a->name, b->name) == 0 &&
         g_strcmp0 (a->description, b->description) == 0 &&
         g_strcmp0 (a->type, b->type) == 0 &&
         strv_equal (a->accept, b->accept) &&
         g_strcmp0 (a->connect, b->connect) == 0 &&
         g_strcmp0 (a->directory, b->directory) == 0 &&
         g_strcmp0 (a->tls_priority, b->tls_priority) == 0 &&
         g_strcmp0 (a->verify_client, b->verify_client) == 0 &&
         g_strcmp0 (a->connect_priority, b->connect_priority) == 0 &&
         a->connect_verify == b->connect_verify &&
         g_strcmp0 (a->server_name, b->server_name) == 0 &&
         g_strcmp0 (a->client_certificate_alias, b->client_certificate_alias) == 0 &&
         int_equal (&a->max_pending_bytes, &b->max_pending_bytes) &&
         int_equal (&a->max_message_bytes, &b->max_message_bytes) &&
         int_equal (&a->idle_timeout, &b->idle_timeout) &&
         int_equal (&a->max_sessions, &b->max_sessions);
}
