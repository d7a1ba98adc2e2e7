/* gh-gateway-config.c — the configuration of gatehoused: the object and its getters
 *
 * Reading and writing JSON are in gh-gateway-config-json.c, validation in
 * gh-gateway-config-validate.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-gateway-config"

#include "config.h"

#include "gh-config-private.h"

G_DEFINE_FINAL_TYPE (GhGatewayConfig, gh_gateway_config, G_TYPE_OBJECT)

void
_gh_config_identity_free (gpointer data)
{
  GhConfigIdentity *identity = data;

  g_free (identity->subject);
  g_free (identity->fingerprint);
  g_free (identity->role);
  g_free (identity);
}

static void
gh_gateway_config_finalize (GObject *object)
{
  GhGatewayConfig *self = GH_GATEWAY_CONFIG (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->keystore_file, g_free);
  g_clear_pointer (&self->keystore_password_file, g_free);
  g_clear_pointer (&self->truststore_file, g_free);
  g_clear_pointer (&self->truststore_password_file, g_free);
  g_clear_pointer (&self->admin_listen, g_free);
  g_clear_pointer (&self->admin_certificate_alias, g_free);
  g_clear_pointer (&self->admin_client_ca, g_free);
  g_clear_pointer (&self->identities, g_ptr_array_unref);
  g_clear_object (&self->services);
  g_clear_object (&self->base_directory);

  G_OBJECT_CLASS (gh_gateway_config_parent_class)->finalize (object);
}

static void
gh_gateway_config_class_init (GhGatewayConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gh_gateway_config_finalize;
}

static void
gh_gateway_config_init (GhGatewayConfig *self)
{
  self->version = GH_CONFIG_VERSION;
  self->identities = g_ptr_array_new_with_free_func (_gh_config_identity_free);
  self->services = g_list_store_new (GH_TYPE_SERVICE_CONFIG);
}

GhGatewayConfig *
_gh_gateway_config_new (void)
{
  return g_object_new (GH_TYPE_GATEWAY_CONFIG, NULL);
}

static const char * const admin_role_names[] = {
  [GH_ADMIN_ROLE_NONE] = NULL,
  [GH_ADMIN_ROLE_VIEWER] = "viewer",
  [GH_ADMIN_ROLE_OPERATOR] = "operator",
  [GH_ADMIN_ROLE_ADMIN] = "admin",
};

const char *
gh_admin_role_to_string (GhAdminRole role)
{
  g_return_val_if_fail (role < G_N_ELEMENTS (admin_role_names), NULL);

  return admin_role_names[role];
}

static const struct {
  const char *name;
  guint       fallback;
} admin_timeouts[] = {
  [GH_ADMIN_TIMEOUT_HANDSHAKE] = { "handshake", 10 },
  [GH_ADMIN_TIMEOUT_REQUEST] = { "request", 10 },
  [GH_ADMIN_TIMEOUT_BODY] = { "body", 60 },
  /* Longer than a libsoup client's own 60 s, so that the client lets go first and
   * never sends a request on a connection the gateway is closing. */
  [GH_ADMIN_TIMEOUT_IDLE] = { "idle", 75 },
};

const char *
gh_admin_timeout_to_string (GhAdminTimeout which)
{
  g_return_val_if_fail (which < GH_ADMIN_N_TIMEOUTS, NULL);

  return admin_timeouts[which].name;
}

gboolean
gh_admin_role_from_string (const char  *name,
                           GhAdminRole *role)
{
  g_return_val_if_fail (role != NULL, FALSE);

  for (guint i = GH_ADMIN_ROLE_VIEWER; name != NULL && i < G_N_ELEMENTS (admin_role_names); i++)
    {
      if (g_str_equal (name, admin_role_names[i]))
        {
          *role = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * gh_gateway_config_get_base_directory:
 * @self: a #GhGatewayConfig
 *
 * Returns: (transfer none) (nullable): the directory relative paths start from
 */
GFile *
gh_gateway_config_get_base_directory (GhGatewayConfig *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  return self->base_directory;
}

/**
 * gh_gateway_config_set_base_directory:
 * @self: a #GhGatewayConfig
 * @directory: (nullable): where relative paths start
 *
 * For a configuration that did not come from a file (the admin API's PUT body): the
 * directory of the file it will be saved to.
 */
void
gh_gateway_config_set_base_directory (GhGatewayConfig *self,
                                      GFile           *directory)
{
  g_return_if_fail (GH_IS_GATEWAY_CONFIG (self));
  g_return_if_fail (directory == NULL || G_IS_FILE (directory));

  g_set_object (&self->base_directory, directory);
}

/**
 * gh_gateway_config_resolve_file:
 * @self: a #GhGatewayConfig
 * @path: (nullable): a path as the configuration writes it
 *
 * Returns: (transfer full) (nullable): @path itself when absolute, else @path under
 *   the base directory (the current directory when there is none); %NULL for %NULL
 */
GFile *
gh_gateway_config_resolve_file (GhGatewayConfig *self,
                                const char      *path)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  if (path == NULL)
    return NULL;

  if (g_path_is_absolute (path) || self->base_directory == NULL)
    return g_file_new_for_path (path);

  return g_file_resolve_relative_path (self->base_directory, path);
}

gint64
gh_gateway_config_get_version (GhGatewayConfig *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), 0);

  return self->version;
}

const char *
gh_gateway_config_get_name (GhGatewayConfig *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  return self->name != NULL ? self->name : g_get_host_name ();
}

const char *
gh_gateway_config_get_keystore_path (GhGatewayConfig *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  return self->keystore_file;
}

const char *
gh_gateway_config_get_keystore_password_path (GhGatewayConfig *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  return self->keystore_password_file;
}

const char *
gh_gateway_config_get_truststore_path (GhGatewayConfig *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  return self->truststore_file;
}

const char *
gh_gateway_config_get_truststore_password_path (GhGatewayConfig *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  return self->truststore_password_file;
}

/**
 * gh_gateway_config_dup_keystore_file:
 * @self: a #GhGatewayConfig
 *
 * Returns: (transfer full) (nullable): security.keystore.file, resolved
 */
GFile *
gh_gateway_config_dup_keystore_file (GhGatewayConfig *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  return gh_gateway_config_resolve_file (self, self->keystore_file);
}

GFile *
gh_gateway_config_dup_keystore_password_file (GhGatewayConfig *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  return gh_gateway_config_resolve_file (self, self->keystore_password_file);
}

GFile *
gh_gateway_config_dup_truststore_file (GhGatewayConfig *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  return gh_gateway_config_resolve_file (self, self->truststore_file);
}

GFile *
gh_gateway_config_dup_truststore_password_file (GhGatewayConfig *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  return gh_gateway_config_resolve_file (self, self->truststore_password_file);
}

static gboolean
same_file (GFile *a,
           GFile *b)
{
  return (a == NULL && b == NULL) || (a != NULL && b != NULL && g_file_equal (a, b));
}

/**
 * gh_gateway_config_names_same_files:
 * @self: a #GhGatewayConfig
 * @other: another one
 *
 * Whether both configurations, each resolved against its own base directory, name
 * the same files to read: the keystore, the truststore, their password files and the
 * admin client CA. The admin API validates a configuration for a caller who may not
 * apply it only when this holds, so that validating never reads a file on a viewer's
 * behalf that the running gateway does not read already.
 *
 * Returns: %TRUE when the files are the same
 */
gboolean
gh_gateway_config_names_same_files (GhGatewayConfig *self,
                                    GhGatewayConfig *other)
{
  GFile *(*const files[]) (GhGatewayConfig *) = {
    gh_gateway_config_dup_keystore_file,
    gh_gateway_config_dup_keystore_password_file,
    gh_gateway_config_dup_truststore_file,
    gh_gateway_config_dup_truststore_password_file,
    gh_gateway_config_dup_admin_client_ca_file,
  };

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), FALSE);
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (other), FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GFile) mine = files[i] (self);
      g_autoptr(GFile) theirs = files[i] (other);

      if (!same_file (mine, theirs))
        return FALSE;
    }
  return TRUE;
}

gboolean
gh_gateway_config_has_admin (GhGatewayConfig *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), FALSE);

  return self->has_admin;
}

const char *
gh_gateway_config_get_admin_listen (GhGatewayConfig *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  return self->admin_listen != NULL ? self->admin_listen : GH_CONFIG_DEFAULT_ADMIN_LISTEN;
}

/**
 * gh_gateway_config_dup_admin_address:
 * @self: a #GhGatewayConfig
 *
 * Returns: (transfer full) (nullable): a #GNetworkAddress for admin.listen (its
 *   default when absent), or %NULL when it is not a valid host:port
 */
GSocketConnectable *
gh_gateway_config_dup_admin_address (GhGatewayConfig *self)
{
  g_autofree char *host = NULL;
  guint16 port;

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  if (!_gh_config_parse_listen (gh_gateway_config_get_admin_listen (self), &host, &port, NULL))
    return NULL;

  return g_network_address_new (host, port);
}

const char *
gh_gateway_config_get_admin_certificate_alias (GhGatewayConfig *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  return self->admin_certificate_alias != NULL ? self->admin_certificate_alias
                                               : GH_CONFIG_DEFAULT_ADMIN_CERTIFICATE_ALIAS;
}

guint
gh_gateway_config_get_admin_timeout (GhGatewayConfig *self,
                                     GhAdminTimeout   which)
{
  const GhConfigInt *value;

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), 0);
  g_return_val_if_fail (which < GH_ADMIN_N_TIMEOUTS, 0);

  /* Clamped: a configuration that was not validated never gives a nonsense timeout. */
  value = &self->admin_timeouts[which];
  return value->set ? CLAMP (value->value, GH_CONFIG_MIN_ADMIN_TIMEOUT, GH_CONFIG_MAX_ADMIN_TIMEOUT)
                    : admin_timeouts[which].fallback;
}

const char *
gh_gateway_config_get_admin_client_ca_path (GhGatewayConfig *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  return self->admin_client_ca;
}

GFile *
gh_gateway_config_dup_admin_client_ca_file (GhGatewayConfig *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  return gh_gateway_config_resolve_file (self, self->admin_client_ca);
}

guint
gh_gateway_config_get_n_admin_identities (GhGatewayConfig *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), 0);

  return self->identities->len;
}

const char *
gh_gateway_config_get_admin_identity_subject (GhGatewayConfig *self,
                                              guint            position)
{
  GhConfigIdentity *identity;

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);
  g_return_val_if_fail (position < self->identities->len, NULL);

  identity = g_ptr_array_index (self->identities, position);
  return identity->subject;
}

const char *
gh_gateway_config_get_admin_identity_fingerprint (GhGatewayConfig *self,
                                                  guint            position)
{
  GhConfigIdentity *identity;

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);
  g_return_val_if_fail (position < self->identities->len, NULL);

  identity = g_ptr_array_index (self->identities, position);
  return identity->fingerprint;
}

/* An unknown role reads as NONE: an invalid file never grants anything. */
GhAdminRole
gh_gateway_config_get_admin_identity_role (GhGatewayConfig *self,
                                           guint            position)
{
  GhConfigIdentity *identity;
  GhAdminRole role;

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), GH_ADMIN_ROLE_NONE);
  g_return_val_if_fail (position < self->identities->len, GH_ADMIN_ROLE_NONE);

  identity = g_ptr_array_index (self->identities, position);
  if (!gh_admin_role_from_string (identity->role, &role))
    return GH_ADMIN_ROLE_NONE;

  return role;
}

/**
 * gh_gateway_config_lookup_admin_role:
 * @self: a #GhGatewayConfig
 * @subject: the client certificate's subject DN, as RFC 4514 writes it
 * @fingerprint: (nullable): the client certificate's SHA-256 fingerprint in hex
 *
 * The daemon calls this once the certificate has verified against admin.client-ca.
 *
 * Returns: the role of the first identity with this subject (and this fingerprint,
 *   when the identity names one), or %GH_ADMIN_ROLE_NONE
 */
GhAdminRole
gh_gateway_config_lookup_admin_role (GhGatewayConfig *self,
                                     const char      *subject,
                                     const char      *fingerprint)
{
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), GH_ADMIN_ROLE_NONE);
  g_return_val_if_fail (subject != NULL, GH_ADMIN_ROLE_NONE);

  if (!self->has_admin)
    return GH_ADMIN_ROLE_NONE;

  wanted = fingerprint != NULL ? _gh_config_normalize_fingerprint (fingerprint) : NULL;

  for (guint i = 0; i < self->identities->len; i++)
    {
      GhConfigIdentity *identity = g_ptr_array_index (self->identities, i);

      if (g_strcmp0 (identity->subject, subject) != 0)
        continue;

      if (identity->fingerprint != NULL)
        {
          g_autofree char *own = _gh_config_normalize_fingerprint (identity->fingerprint);

          if (own == NULL || wanted == NULL || !g_str_equal (own, wanted))
            continue;
        }

      return gh_gateway_config_get_admin_identity_role (self, i);
    }

  return GH_ADMIN_ROLE_NONE;
}

/**
 * gh_gateway_config_get_services:
 * @self: a #GhGatewayConfig
 *
 * Returns: (transfer none): the services, in file order, of #GhServiceConfig
 */
GListModel *
gh_gateway_config_get_services (GhGatewayConfig *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);

  return G_LIST_MODEL (self->services);
}

/**
 * gh_gateway_config_lookup_service:
 * @self: a #GhGatewayConfig
 * @name: a service name
 *
 * Returns: (transfer none) (nullable): the first service called @name
 */
GhServiceConfig *
gh_gateway_config_lookup_service (GhGatewayConfig *self,
                                  const char      *name)
{
  guint n;

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->services));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhServiceConfig) service = g_list_model_get_item (G_LIST_MODEL (self->services), i);

      /* The store keeps its reference: returning a borrowed pointer is safe. */
      if (g_strcmp0 (service->name, name) == 0)
        return service;
    }

  return NULL;
}

static gboolean
identity_equal (GhConfigIdentity *a,
                GhConfigIdentity *b)
{
  return g_strcmp0 (a->subject, b->subject) == 0 &&
         g_strcmp0 (a->fingerprint, b->fingerprint) == 0 &&
         g_strcmp0 (a->role, b->role) == 0;
}

gboolean
gh_gateway_config_equal (GhGatewayConfig *a,
                         GhGatewayConfig *b)
{
  guint n;

  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (a), FALSE);
  g_return_val_if_fail (GH_IS_GATEWAY_CONFIG (b), FALSE);

  if (a->version != b->version ||
      g_strcmp0 (a->name, b->name) != 0 ||
      g_strcmp0 (a->keystore_file, b->keystore_file) != 0 ||
      g_strcmp0 (a->keystore_password_file, b->keystore_password_file) != 0 ||
      g_strcmp0 (a->truststore_file, b->truststore_file) != 0 ||
      g_strcmp0 (a->truststore_password_file, b->truststore_password_file) != 0 ||
      a->has_admin != b->has_admin ||
      g_strcmp0 (a->admin_listen, b->admin_listen) != 0 ||
      g_strcmp0 (a->admin_certificate_alias, b->admin_certificate_alias) != 0 ||
      g_strcmp0 (a->admin_client_ca, b->admin_client_ca) != 0 ||
      a->identities->len != b->identities->len)
    return FALSE;

  for (guint i = 0; i < GH_ADMIN_N_TIMEOUTS; i++)
    {
      const GhConfigInt *x = &a->admin_timeouts[i];
      const GhConfigInt *y = &b->admin_timeouts[i];

      if (x->set != y->set || (x->set && x->value != y->value))
        return FALSE;
    }

  for (guint i = 0; i < a->identities->len; i++)
    {
      if (!identity_equal (g_ptr_array_index (a->identities, i), g_ptr_array_index (b->identities, i)))
        return FALSE;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (a->services));
  if (n != g_list_model_get_n_items (G_LIST_MODEL (b->services)))
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhServiceConfig) x = g_list_model_get_item (G_LIST_MODEL (a->services), i);
      g_autoptr(GhServiceConfig) y = g_list_model_get_item (G_LIST_MODEL (b->services), i);

      if (!gh_service_config_equal (x, y))
        return FALSE;
    }

  return TRUE;
}
