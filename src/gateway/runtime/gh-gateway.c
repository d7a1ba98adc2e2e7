/* gh-gateway.c — the running gateway: listeners, services, sessions, reloads
 *
 * Everything read from the configuration, the keystore and the truststore forms a
 * generation: TLS identities, per-listener TLS contexts, per-service back-end
 * contexts. A listener looks up the current generation for each new connection, so a
 * reload swaps generations for new handshakes while live sessions keep the objects
 * they started with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gatehoused"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "gh-bridge.h"
#include "gh-config-history.h"
#include "gh-gateway.h"
#include "gh-json.h"
#include "gh-keystore.h"
#include "gh-service-config.h"
#include "gh-soup-server.h"
#include "gh-tls-stream.h"
#include "gh-websocket-client.h"
#include "gh-workers.h"

#define HANDSHAKE_TIMEOUT 10  /* seconds */
#define MAX_WEBSOCKET_PAYLOAD (16 * 1024 * 1024)
#define MAX_DIRECTORY_FILE (64 * 1024 * 1024)
#define LISTEN_BACKLOG 4096

/* One service of one generation. */
typedef struct {
  gatomicrefcount     ref_count;
  char               *name;
  GhServiceConfig    *config;
  GhTlsClientContext *connect_tls;  /* for ssl:// and wss:// back-ends */
  GFile              *directory;    /* for directory services */
} Service;

static Service *
service_ref (Service *service)
{
  g_atomic_ref_count_inc (&service->ref_count);
  return service;
}

static void
service_unref (Service *service)
{
  if (!g_atomic_ref_count_dec (&service->ref_count))
    return;

  g_free (service->name);
  g_clear_object (&service->config);
  g_clear_object (&service->connect_tls);
  g_clear_object (&service->directory);
  g_free (service);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Service, service_unref)

/* How one bound address serves, in one generation. */
typedef struct {
  char               *key;          /* "127.0.0.1:8443" */
  char               *path;         /* the first accept that binds it: "services[0].accept[1]" */
  GSocketAddress     *address;
  gboolean            secure;
  gboolean            http;         /* ws, wss, http, https: through libsoup */
  GhTlsServerContext *tls;
  Service            *raw;          /* the ssl:// or tcp:// service */
  GHashTable         *paths;        /* path → Service, for http listeners */
  GHashTable         *websocket;    /* path → TRUE when the path is a WebSocket one */
} Binding;

static void
binding_free (gpointer data)
{
  Binding *binding = data;

  g_free (binding->key);
  g_free (binding->path);
  g_clear_object (&binding->address);
  g_clear_object (&binding->tls);
  g_clear_pointer (&binding->raw, service_unref);
  g_clear_pointer (&binding->paths, g_hash_table_unref);
  g_clear_pointer (&binding->websocket, g_hash_table_unref);
  g_free (binding);
}

typedef struct {
  gatomicrefcount   ref_count;
  GhGatewayConfig  *config;
  GhKeystore       *keystore;
  GhKeystore       *truststore;
  GPtrArray        *anchors;
  GhTlsIdentities  *identities;
  GHashTable       *services;  /* name → Service */
  GHashTable       *bindings;  /* key → Binding */
  GhTlsServerContext *admin_tls;  /* NULL without an admin listener */
} Generation;

static Generation *
generation_ref (Generation *generation)
{
  g_atomic_ref_count_inc (&generation->ref_count);
  return generation;
}

static void
generation_unref (Generation *generation)
{
  if (generation == NULL || !g_atomic_ref_count_dec (&generation->ref_count))
    return;

  g_clear_object (&generation->config);
  g_clear_object (&generation->keystore);
  g_clear_object (&generation->truststore);
  g_clear_pointer (&generation->anchors, g_ptr_array_unref);
  g_clear_object (&generation->identities);
  g_clear_pointer (&generation->services, g_hash_table_unref);
  g_clear_pointer (&generation->bindings, g_hash_table_unref);
  g_clear_object (&generation->admin_tls);
  g_free (generation);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Generation, generation_unref)

typedef struct _Shared Shared;

struct _GhGateway
{
  GObject            parent_instance;

  GFile             *config_file;
  GHashTable        *listeners;   /* key → Listener */
  guint              last_listener_id;
  GhSessionRegistry *sessions;
  Shared            *shared;      /* with the threads that run the sessions */
  GhWorkers         *workers;
  GhConfigHistory   *history;
  gint64             version;     /* of the configuration, keystore and truststore together */
  gint64             started;     /* real time, µs */
  gboolean           accepting;
  gboolean           applying;    /* a change is being loaded in a thread */
};

enum {
  APPLIED,
  SERVICE_STATE,
  BACKEND_HEALTH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (GhGateway, gh_gateway, G_TYPE_OBJECT)

/* Loading a generation */

static char *
read_password_file (GFile   *file,
                    GError **error)
{
  char *content = NULL;
  gsize length = 0;

  if (file == NULL)
    return NULL;

  if (!g_file_load_contents (file, NULL, &content, &length, NULL, error))
    return NULL;

  content[strcspn (content, "\r\n")] = '\0';
  return content;
}

/* The password of a store (@what: "keystore", "truststore"); FALSE when its file
 * cannot be read. *@password stays NULL for a store without a password file. */
static gboolean
read_store_password (GFile       *password_file,
                     const char  *what,
                     GhSecret   **password,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  *password = NULL;
  if (password_file == NULL || (*password = read_password_file (password_file, &local_error)) != NULL)
    return TRUE;

  {
    g_autofree char *password_name = g_file_get_parse_name (password_file);

    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The %s password file %s: %s"),
                 what, password_name, local_error->message);
  }
  return FALSE;
}

static GhKeystore *
load_store (GFile       *file,
            GFile       *password_file,
            const char  *what,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GhSecret) password = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  GhKeystore *store;

  if (!read_store_password (password_file, what, &password, error))
    return NULL;

  store = gh_keystore_new_from_file (file, password, GH_KEYSTORE_LOAD_NONE, &local_error);
  if (store == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The %s %s: %s"), what, name, local_error->message);

  return store;
}

static GList *
resolve_host (const char  *host,
              GError     **error)
{
  g_autoptr(GResolver) resolver = NULL;
  GList *addresses;

  if (g_hostname_is_ip_address (host))
    return g_list_append (NULL, g_inet_address_new_from_string (host));

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return g_list_append (NULL, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));

  resolver = g_resolver_get_default ();
  addresses = g_resolver_lookup_by_name (resolver, host, NULL, error);
  return addresses;
}

static const char *
uri_path (GUri *uri)
{
  const char *path = g_uri_get_path (uri);

  return (path != NULL && *path != '\0') ? path : "/";
}

static gboolean
scheme_is (GUri       *uri,
           const char *scheme)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), scheme) == 0;
}

static gboolean
is_secure (GUri *uri)
{
  return scheme_is (uri, "wss") || scheme_is (uri, "https") || scheme_is (uri, "ssl");
}

static gboolean
is_http (GUri *uri)
{
  return scheme_is (uri, "ws") || scheme_is (uri, "wss") || scheme_is (uri, "http") || scheme_is (uri, "https");
}

static Service *
make_service (Generation       *generation,
              guint             index,
              GhServiceConfig  *config,
              GError          **error)
{
  g_autoptr(Service) service = g_new0 (Service, 1);
  GUri *connect = gh_service_config_get_connect_uri (config);

  g_atomic_ref_count_init (&service->ref_count);
  service->name = g_strdup (gh_service_config_get_name (config));
  service->config = g_object_ref (config);

  if (gh_service_config_get_service_type (config) == GH_SERVICE_TYPE_DIRECTORY)
    service->directory = gh_gateway_config_resolve_file (generation->config, gh_service_config_get_directory (config));

  if (connect != NULL && (scheme_is (connect, "ssl") || scheme_is (connect, "wss")))
    {
      const char *alias = gh_service_config_get_client_certificate_alias (config);
      GhKeystoreEntry *identity = NULL;
      g_autoptr(GError) local_error = NULL;

      if (alias != NULL)
        {
          identity = generation->keystore ? gh_keystore_lookup (generation->keystore, alias) : NULL;
          if (identity == NULL)
            {
              g_autofree char *path = g_strdup_printf ("services[%u].connect-tls.client-certificate-alias", index);
              g_autofree char *message = g_strdup_printf (_("Service “%s”: the keystore has no entry “%s” for the client certificate"),
                                                          service->name, alias);

              gh_config_error_set_problem (error, GH_CONFIG_ERROR_INVALID, path, message);
              return NULL;
            }
        }

      service->connect_tls = gh_tls_client_context_new (gh_service_config_get_connect_tls_priority (config),
                                                        gh_service_config_get_connect_verify (config),
                                                        generation->anchors, identity, &local_error);
      if (service->connect_tls == NULL)
        {
          g_autofree char *path = g_strdup_printf ("services[%u].connect-tls", index);
          g_autofree char *message = g_strdup_printf (_("Service “%s”: %s"), service->name, local_error->message);

          gh_config_error_set_problem (error, GH_CONFIG_ERROR_INVALID, path, message);
          return NULL;
        }
    }

  return g_steal_pointer (&service);
}

static gboolean
add_accept (Generation  *generation,
            const char  *path,
            Service     *service,
            GUri        *uri,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GList *addresses = resolve_host (g_uri_get_host (uri), &local_error);

  if (addresses == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("Service “%s”: cannot resolve the accept host “%s”: %s"),
                   service->name, g_uri_get_host (uri), local_error ? local_error->message : "");
      return FALSE;
    }

  for (GList *l = addresses; l != NULL; l = l->next)
    {
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (l->data, g_uri_get_port (uri));
      g_autofree char *key = gh_socket_address_to_string (address);
      Binding *binding = g_hash_table_lookup (generation->bindings, key);

      if (binding == NULL)
        {
          binding = g_new0 (Binding, 1);
          binding->key = g_strdup (key);
          binding->path = g_strdup (path);
          binding->address = g_object_ref (address);
          binding->secure = is_secure (uri);
          binding->http = is_http (uri);
          binding->paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) service_unref);
          binding->websocket = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_insert (generation->bindings, g_strdup (key), binding);
        }
      else if (binding->secure != is_secure (uri) || binding->http != is_http (uri) || !binding->http)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                       _("Service “%s”: %s is already used by another service in another way"),
                       service->name, key);
          g_list_free_full (addresses, g_object_unref);
          return FALSE;
        }

      if (binding->secure && binding->tls == NULL)
        {
          binding->tls = gh_tls_server_context_new (generation->identities, g_uri_get_host (uri),
                                                    gh_service_config_get_tls_priority (service->config),
                                                    gh_service_config_get_verify_client (service->config),
                                                    generation->anchors, &local_error);
          if (binding->tls == NULL)
            {
              g_autofree char *keystore = generation->keystore ? NULL : g_strdup (_("(no keystore configured)"));
              g_autofree char *accept = g_uri_to_string (uri);

              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Service “%s”, accept %s: %s %s"),
                           service->name, accept, local_error->message,
                           keystore ? keystore : gh_gateway_config_get_keystore_path (generation->config));
              g_list_free_full (addresses, g_object_unref);
              return FALSE;
            }
        }

      if (binding->http)
        {
          g_hash_table_insert (binding->paths, g_strdup (uri_path (uri)), service_ref (service));
          if (scheme_is (uri, "ws") || scheme_is (uri, "wss"))
            g_hash_table_add (binding->websocket, g_strdup (uri_path (uri)));
        }
      else
        {
          binding->raw = service_ref (service);
        }
    }

  g_list_free_full (addresses, g_object_unref);
  return TRUE;
}

/* Turns @error (set) into a configuration problem at @path, so that whoever shows it
 * (the admin API, an editor) knows which member it is about. */
static void
error_to_problem (GError     **error,
                  const char  *path)
{
  GError *original;

  if (error == NULL || *error == NULL)
    return;
  if ((*error)->domain == GH_CONFIG_ERROR && gh_config_error_get_problems (*error) != NULL)
    return;

  original = g_steal_pointer (error);
  gh_config_error_set_problem (error, GH_CONFIG_ERROR_INVALID, path, original->message);
  g_error_free (original);
}

/* The admin listener's TLS: TLS 1.3 only, the admin certificate whatever the name asked
 * for, a client certificate required from the admin CA. */
static GhTlsServerContext *
make_admin_tls (Generation  *generation,
                GError     **error)
{
  GhGatewayConfig *config = generation->config;
  const char *alias = gh_gateway_config_get_admin_certificate_alias (config);
  GhKeystoreEntry *entry = gh_keystore_lookup (generation->keystore, alias);
  g_autoptr(GFile) client_ca_file = gh_gateway_config_dup_admin_client_ca_file (config);
  g_autoptr(GhTlsIdentities) identities = NULL;
  g_autoptr(GhKeystore) client_ca = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(GError) local_error = NULL;
  GhTlsServerContext *context;

  if (entry == NULL || gh_keystore_entry_get_private_key (entry) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("the keystore has no key entry “%s”"), alias);

      gh_config_error_set_problem (error, GH_CONFIG_ERROR_INVALID, "admin.certificate-alias", message);
      return NULL;
    }
  if ((identities = gh_tls_identities_new_single (entry, error)) == NULL)
    {
      error_to_problem (error, "admin.certificate-alias");
      return NULL;
    }

  if (client_ca_file == NULL ||
      (client_ca = gh_keystore_new_from_file (client_ca_file, NULL, GH_KEYSTORE_LOAD_NONE, &local_error)) == NULL)
    {
      gh_config_error_set_problem (error, GH_CONFIG_ERROR_INVALID, "admin.client-ca",
                                   local_error ? local_error->message : _("missing"));
      return NULL;
    }
  anchors = gh_keystore_get_trusted_certificates (client_ca);
  if (anchors->len == 0)
    {
      g_autofree char *message = g_strdup_printf (_("%s holds no certificate"), g_file_peek_path (client_ca_file));

      gh_config_error_set_problem (error, GH_CONFIG_ERROR_INVALID, "admin.client-ca", message);
      return NULL;
    }

  /* The single identity is served whatever the name: the fallback never decides. */
  context = gh_tls_server_context_new (identities, "localhost", GH_ADMIN_TLS_PRIORITY,
                                       GH_VERIFY_CLIENT_REQUIRED, anchors, error);
  if (context == NULL)
    error_to_problem (error, "admin");
  return context;
}

/* Everything @config (valid or not) and its stores would make; @keystore and
 * @truststore, when given, replace the files the configuration names. */
static Generation *
load_generation_from_config (GhGatewayConfig  *config,
                             GhKeystore       *keystore,
                             GhKeystore       *truststore,
                             GError          **error)
{
  g_autoptr(Generation) generation = g_new0 (Generation, 1);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFile) keystore_file = NULL;
  g_autoptr(GFile) truststore_file = NULL;
  GListModel *services;

  g_atomic_ref_count_init (&generation->ref_count);
  generation->services = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) service_unref);
  generation->bindings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, binding_free);
  generation->config = g_object_ref (config);

  if (!gh_gateway_config_validate (generation->config, &local_error))
    {
      /* The configuration's errors name the file and the field already. */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (keystore != NULL)
    {
      generation->keystore = g_object_ref (keystore);
    }
  else if ((keystore_file = gh_gateway_config_dup_keystore_file (generation->config)) != NULL)
    {
      g_autoptr(GFile) password_file = gh_gateway_config_dup_keystore_password_file (generation->config);

      if ((generation->keystore = load_store (keystore_file, password_file, _("keystore"), error)) == NULL)
        {
          error_to_problem (error, "security.keystore");
          return NULL;
        }
    }
  else
    {
      generation->keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
    }

  if (truststore != NULL)
    {
      generation->truststore = g_object_ref (truststore);
      generation->anchors = gh_keystore_get_trusted_certificates (generation->truststore);
    }
  else if ((truststore_file = gh_gateway_config_dup_truststore_file (generation->config)) != NULL)
    {
      g_autoptr(GFile) password_file = gh_gateway_config_dup_truststore_password_file (generation->config);

      if ((generation->truststore = load_store (truststore_file, password_file, _("truststore"), error)) == NULL)
        {
          error_to_problem (error, "security.truststore");
          return NULL;
        }
      generation->anchors = gh_keystore_get_trusted_certificates (generation->truststore);
    }
  else
    {
      generation->anchors = g_ptr_array_new_with_free_func (g_object_unref);
    }

  generation->identities = gh_tls_identities_new_from_keystore (generation->keystore, error);
  if (generation->identities == NULL)
    {
      error_to_problem (error, "security.keystore");
      return NULL;
    }

  services = gh_gateway_config_get_services (generation->config);
  for (guint i = 0; i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr(GhServiceConfig) service_config = g_list_model_get_item (services, i);
      g_autoptr(Service) service = make_service (generation, i, service_config, error);
      GPtrArray *accepts;

      if (service == NULL)
        {
          g_autofree char *path = g_strdup_printf ("services[%u]", i);

          error_to_problem (error, path);
          return NULL;
        }

      accepts = gh_service_config_get_accept_uris (service_config);
      for (guint j = 0; j < accepts->len; j++)
        {
          g_autofree char *path = g_strdup_printf ("services[%u].accept[%u]", i, j);

          if (!add_accept (generation, path, service, g_ptr_array_index (accepts, j), error))
            {
              error_to_problem (error, path);
              return NULL;
            }
        }

      g_hash_table_insert (generation->services, g_strdup (service->name), service_ref (service));
    }

  if (gh_gateway_config_has_admin (generation->config) &&
      (generation->admin_tls = make_admin_tls (generation, error)) == NULL)
    return NULL;

  return g_steal_pointer (&generation);
}

static Generation *
load_generation (GFile   *config_file,
                 GError **error)
{
  g_autoptr(GhGatewayConfig) config = gh_gateway_config_new_from_file (config_file, NULL, error);

  if (config == NULL)
    return NULL;
  return load_generation_from_config (config, NULL, NULL, error);
}

/* What the threads that run sessions share with the gateway */

/* The gateway lives on its main context; sessions run on the workers' (gh-workers.c).
 * The workers read the current generation, the stopped services and the sessions
 * admitted per service from here, under @lock; what they change for the gateway (a
 * session to register, a back-end's health) goes to @home through gh_context_invoke(). */
struct _Shared
{
  gatomicrefcount  ref_count;
  GMutex           lock;
  Generation      *generation;      /* the current one */
  GHashTable      *listener_ids;    /* key → id of the listener bound there now */
  GHashTable      *stopped;         /* names of the services stopped through the admin API */
  GHashTable      *admitted;        /* service → live sessions it admitted */
  GHashTable      *backend_health;  /* service → whether its back-end answered last time */
  GMainContext    *home;
  GWeakRef         gateway;
};

static Shared *
shared_new (GhGateway *gateway)
{
  Shared *shared = g_new0 (Shared, 1);

  g_atomic_ref_count_init (&shared->ref_count);
  g_mutex_init (&shared->lock);
  shared->listener_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  shared->stopped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  shared->admitted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  shared->backend_health = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  shared->home = g_main_context_ref_thread_default ();
  g_weak_ref_init (&shared->gateway, gateway);
  return shared;
}

static Shared *
shared_ref (Shared *shared)
{
  g_atomic_ref_count_inc (&shared->ref_count);
  return shared;
}

static void
shared_unref (Shared *shared)
{
  if (!g_atomic_ref_count_dec (&shared->ref_count))
    return;

  g_clear_pointer (&shared->generation, generation_unref);
  g_clear_pointer (&shared->listener_ids, g_hash_table_unref);
  g_clear_pointer (&shared->stopped, g_hash_table_unref);
  g_clear_pointer (&shared->admitted, g_hash_table_unref);
  g_clear_pointer (&shared->backend_health, g_hash_table_unref);
  g_clear_pointer (&shared->home, g_main_context_unref);
  g_weak_ref_clear (&shared->gateway);
  g_mutex_clear (&shared->lock);
  g_free (shared);
}

static void
shared_unref_closure (gpointer  data,
                      GClosure *closure)
{
  shared_unref (data);
}

/* (transfer full) (nullable) */
static Generation *
shared_dup_generation (Shared *shared)
{
  Generation *generation;

  g_mutex_lock (&shared->lock);
  generation = shared->generation ? generation_ref (shared->generation) : NULL;
  g_mutex_unlock (&shared->lock);
  return generation;
}

static gboolean
shared_service_stopped (Shared     *shared,
                        const char *name)
{
  gboolean stopped;

  g_mutex_lock (&shared->lock);
  stopped = g_hash_table_contains (shared->stopped, name);
  g_mutex_unlock (&shared->lock);
  return stopped;
}

/* Sessions */

static void
log_session (GhSession  *session,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
log_session (GhSession  *session,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "SERVICE", gh_session_get_service (session),
                    "SESSION", gh_session_get_id (session),
                    "CLIENT", gh_session_get_client_address (session),
                    "MESSAGE", "service %s, session %s from %s: %s",
                    gh_session_get_service (session), gh_session_get_id (session),
                    gh_session_get_client_address (session), message);
}

/* On the main context. */
static void
on_session_changed (GhSession *session,
                    gpointer   user_data)
{
  Shared *shared = user_data;
  const char *service = gh_session_get_service (session);
  guint count;

  if (gh_session_get_state (session) != GH_SESSION_STATE_CLOSED)
    return;

  log_session (session, "closed (%s), %" G_GUINT64_FORMAT " bytes in, %" G_GUINT64_FORMAT " bytes out",
               gh_session_get_close_reason (session) ? gh_session_get_close_reason (session) : "",
               gh_session_get_bytes_from_client (session), gh_session_get_bytes_to_client (session));

  g_mutex_lock (&shared->lock);
  count = GPOINTER_TO_UINT (g_hash_table_lookup (shared->admitted, service));
  if (count > 1)
    g_hash_table_insert (shared->admitted, g_strdup (service), GUINT_TO_POINTER (count - 1));
  else
    g_hash_table_remove (shared->admitted, service);
  g_mutex_unlock (&shared->lock);

  g_signal_handlers_disconnect_by_func (session, on_session_changed, shared);
}

typedef struct {
  Shared    *shared;
  GhSession *session;
} Publish;

static void
publish_free (gpointer data)
{
  Publish *publish = data;

  shared_unref (publish->shared);
  g_object_unref (publish->session);
  g_free (publish);
}

/* On the main context: the session joins the registry (and the admin API sees it). */
static gboolean
publish_session (gpointer data)
{
  Publish *publish = data;
  g_autoptr(GhGateway) gateway = g_weak_ref_get (&publish->shared->gateway);

  g_signal_connect_data (publish->session, "changed", G_CALLBACK (on_session_changed),
                         shared_ref (publish->shared), shared_unref_closure, 0);
  if (gateway != NULL)
    gh_session_registry_add (gateway->sessions, publish->session);
  return G_SOURCE_REMOVE;
}

static GhSession *
open_session (Shared         *shared,
              Service        *service,
              GSocketAddress *client,
              GhTlsStream    *tls)
{
  g_autoptr(GhSession) session = gh_session_new (service->name, client);
  guint max_sessions = gh_service_config_get_max_sessions (service->config);
  gboolean stopped, full = FALSE;
  Publish *publish;

  gh_session_set_home_context (session, shared->home);
  if (tls != NULL)
    {
      GhCertificate *peer = gh_tls_stream_get_peer_certificate (tls);

      gh_session_set_client_tls (session, gh_tls_stream_get_protocol (tls), gh_tls_stream_get_cipher (tls),
                                 gh_tls_stream_get_server_name (tls), gh_tls_stream_get_alpn (tls),
                                 peer ? gh_certificate_get_subject (peer) : NULL);
    }

  g_mutex_lock (&shared->lock);
  stopped = g_hash_table_contains (shared->stopped, service->name);
  if (!stopped)
    {
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (shared->admitted, service->name));

      full = count >= max_sessions;
      if (!full)
        g_hash_table_insert (shared->admitted, g_strdup (service->name), GUINT_TO_POINTER (count + 1));
    }
  g_mutex_unlock (&shared->lock);

  if (stopped)
    {
      gh_session_mark_closed (session, _("refused: the service is stopped"));
      log_session (session, "refused: the service is stopped");
      return NULL;
    }

  if (full)
    {
      gh_session_mark_closed (session, _("refused: the service has its maximum of sessions"));
      log_session (session, "refused: the service has its maximum of %u sessions", max_sessions);
      return NULL;
    }

  publish = g_new0 (Publish, 1);
  publish->shared = shared_ref (shared);
  publish->session = g_object_ref (session);
  gh_context_invoke (shared->home, publish_session, publish, publish_free);
  log_session (session, "opened%s%s", tls ? " over " : "", tls ? gh_tls_stream_get_protocol (tls) : "");
  return g_steal_pointer (&session);
}

/* Relayed messages go out at once: Nagle's algorithm would hold a small write back
 * until the previous one is acknowledged, as HAProxy and nginx also avoid. */
static void
set_no_delay (GSocketConnection *connection)
{
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

/* Back-end connections */

typedef struct {
  Shared       *shared;
  GhSession    *session;
  Service      *service;
  GhEndpoint   *client;
  GUri         *uri;
  GIOStream    *stream;
  char         *address;
} Connect;

static void
connect_free (Connect *connect)
{
  g_clear_pointer (&connect->shared, shared_unref);
  g_clear_object (&connect->session);
  g_clear_pointer (&connect->service, service_unref);
  gh_endpoint_free (connect->client);
  g_clear_pointer (&connect->uri, g_uri_unref);
  g_clear_object (&connect->stream);
  g_free (connect->address);
  g_free (connect);
}

typedef struct {
  Shared   *shared;
  char     *service;
  gboolean  ok;
  char     *error;
} Health;

static void
health_free (gpointer data)
{
  Health *health = data;

  shared_unref (health->shared);
  g_free (health->service);
  g_free (health->error);
  g_free (health);
}

static gboolean
emit_backend_health (gpointer data)
{
  Health *health = data;
  g_autoptr(GhGateway) gateway = g_weak_ref_get (&health->shared->gateway);

  if (gateway != NULL)
    g_signal_emit (gateway, signals[BACKEND_HEALTH], 0, health->service, health->ok, health->error);
  return G_SOURCE_REMOVE;
}

/* What the last attempt to reach a service's back-end gave; a change is signalled. */
static void
set_backend_health (Shared     *shared,
                    const char *service,
                    gboolean    ok,
                    const char *error)
{
  gpointer previous;
  gboolean changed;
  Health *health;

  g_mutex_lock (&shared->lock);
  changed = !g_hash_table_lookup_extended (shared->backend_health, service, NULL, &previous) ||
            GPOINTER_TO_INT (previous) != ok;
  if (changed)
    g_hash_table_insert (shared->backend_health, g_strdup (service), GINT_TO_POINTER (ok));
  g_mutex_unlock (&shared->lock);

  if (!changed)
    return;

  health = g_new0 (Health, 1);
  health->shared = shared_ref (shared);
  health->service = g_strdup (service);
  health->ok = ok;
  health->error = g_strdup (error);
  gh_context_invoke (shared->home, emit_backend_health, health, health_free);
}

static void
connect_failed (Connect    *connect,
                const char *what,
                GError     *error)
{
  g_autofree char *reason = g_strdup_printf ("%s %s: %s", what, connect->address, error->message);

  log_session (connect->session, "refused: %s", reason);
  gh_session_set_backend (connect->session, connect->address, error->message);
  set_backend_health (connect->shared, connect->service->name, FALSE, reason);

  /* The client learns only that the back-end is unavailable; the log has the why. */
  gh_endpoint_refuse (g_steal_pointer (&connect->client), "back-end unavailable");
  gh_session_mark_closed (connect->session, reason);
  connect_free (connect);
}

static void
connect_done (Connect   *connect,
              GhEndpoint *backend)
{
  gh_session_set_state (connect->session, GH_SESSION_STATE_OPEN);
  log_session (connect->session, "connected to %s", connect->address);
  set_backend_health (connect->shared, connect->service->name, TRUE, NULL);
  gh_bridge_start (connect->session, g_steal_pointer (&connect->client), backend,
                   gh_service_config_get_max_pending_bytes (connect->service->config),
                   gh_service_config_get_idle_timeout (connect->service->config));
  connect_free (connect);
}

static void
on_backend_websocket (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Connect *connect = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) websocket = gh_websocket_client_connect_finish (G_IO_STREAM (source), result, &error);
  GhEndpoint *backend;

  if (websocket == NULL)
    {
      connect_failed (connect, _("back-end"), error);
      return;
    }

  soup_websocket_connection_set_max_incoming_payload_size (websocket, MAX_WEBSOCKET_PAYLOAD);
  backend = gh_endpoint_new_websocket (websocket);
  if (GH_IS_TLS_STREAM (connect->stream))
    gh_endpoint_set_tls (backend, GH_TLS_STREAM (connect->stream));
  connect_done (connect, backend);
}

static void
backend_stream_ready (Connect *connect)
{
  if (scheme_is (connect->uri, "ws") || scheme_is (connect->uri, "wss"))
    gh_websocket_client_connect_async (connect->stream, connect->uri, NULL, on_backend_websocket, connect);
  else
    connect_done (connect, gh_endpoint_new_stream (connect->stream));
}

static void
on_backend_handshake (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Connect *connect = user_data;
  g_autoptr(GError) error = NULL;
  GhTlsStream *tls = GH_TLS_STREAM (source);
  g_autofree char *tls_result = NULL;

  if (!gh_tls_stream_handshake_finish (tls, result, &error))
    {
      connect_failed (connect, _("back-end"), error);
      return;
    }

  tls_result = g_strdup_printf ("%s %s, %s", gh_tls_stream_get_protocol (tls), gh_tls_stream_get_cipher (tls),
                                gh_tls_client_context_get_verify (connect->service->connect_tls)
                                  ? "verified" : "not verified");
  gh_session_set_backend (connect->session, connect->address, tls_result);
  backend_stream_ready (connect);
}

static void
on_backend_connected (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Connect *connect = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);

  if (connection == NULL)
    {
      connect_failed (connect, _("back-end"), error);
      return;
    }
  set_no_delay (connection);

  if (connect->service->connect_tls != NULL)
    {
      const char *server_name = gh_service_config_get_connect_server_name (connect->service->config);
      GhTlsStream *tls = gh_tls_stream_new_client (connection, connect->service->connect_tls,
                                                   server_name ? server_name : g_uri_get_host (connect->uri), &error);

      if (tls == NULL)
        {
          connect_failed (connect, _("back-end"), error);
          return;
        }
      connect->stream = G_IO_STREAM (tls);
      gh_tls_stream_handshake_async (tls, HANDSHAKE_TIMEOUT, NULL, on_backend_handshake, connect);
      return;
    }

  gh_session_set_backend (connect->session, connect->address, NULL);
  connect->stream = G_IO_STREAM (g_steal_pointer (&connection));
  backend_stream_ready (connect);
}

/* Runs @session for @service with the client side @client. */
static void
serve_session (Shared     *shared,
               Service    *service,
               GhSession  *session,
               GhEndpoint *client)
{
  Connect *connect;
  g_autoptr(GSocketClient) socket_client = NULL;
  GUri *uri;

  if (gh_service_config_get_service_type (service->config) != GH_SERVICE_TYPE_PROXY)
    {
      gh_bridge_start (session, client, NULL,
                       gh_service_config_get_max_pending_bytes (service->config),
                       gh_service_config_get_idle_timeout (service->config));
      return;
    }

  uri = gh_service_config_get_connect_uri (service->config);
  connect = g_new0 (Connect, 1);
  connect->shared = shared_ref (shared);
  connect->session = g_object_ref (session);
  connect->service = service_ref (service);
  connect->client = client;
  connect->uri = g_uri_ref (uri);
  connect->address = g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri), g_uri_get_port (uri));
  gh_session_set_state (session, GH_SESSION_STATE_CONNECTING);

  socket_client = g_socket_client_new ();
  g_socket_client_set_timeout (socket_client, HANDSHAKE_TIMEOUT);
  /* Back-ends are reached directly: a desktop's proxy settings are not the gateway's,
   * and asking libproxy for each of a thousand connections queues them in its threads. */
  g_socket_client_set_enable_proxy (socket_client, FALSE);
  g_socket_client_connect_to_host_async (socket_client, g_uri_get_host (uri), g_uri_get_port (uri),
                                         NULL, on_backend_connected, connect);
}

/* Listeners */

/* A listener's SoupServer on one thread. libsoup's server is not thread-safe, so each
 * thread that serves a listener's HTTP connections has its own, made on first use and
 * dropped with the listener. */
typedef struct {
  Shared     *shared;
  char       *key;
  SoupServer *soup;
  GHashTable *paths;        /* with a handler registered on soup */
  GHashTable *tls_by_peer;  /* "ip:port" of a client → GhTlsStream (weak), for WebSocket sessions */
} ThreadSoup;

static void
forget_tls_peer (gpointer  data,
                 GObject  *where_the_object_was)
{
  ThreadSoup *thread_soup = data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, thread_soup->tls_by_peer);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == where_the_object_was)
      g_hash_table_iter_remove (&iter);
}

static void
thread_soup_free (gpointer data)
{
  ThreadSoup *thread_soup = data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, thread_soup->tls_by_peer);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_object_weak_unref (value, forget_tls_peer, thread_soup);
  g_hash_table_unref (thread_soup->tls_by_peer);
  soup_server_disconnect (thread_soup->soup);
  g_object_unref (thread_soup->soup);
  g_hash_table_unref (thread_soup->paths);
  g_free (thread_soup->key);
  shared_unref (thread_soup->shared);
  g_free (thread_soup);
}

/* listener id → ThreadSoup, for the calling thread */
static GPrivate thread_soups = G_PRIVATE_INIT ((GDestroyNotify) g_hash_table_unref);

static gboolean
drop_thread_soup (gpointer data)
{
  GHashTable *soups = g_private_get (&thread_soups);

  if (soups != NULL)
    g_hash_table_remove (soups, data);
  return G_SOURCE_REMOVE;
}

/* The current generation's binding of @key, with the generation that holds it. */
static Binding *
lookup_binding (Shared      *shared,
                const char  *key,
                Generation **generation)
{
  *generation = shared_dup_generation (shared);
  return *generation ? g_hash_table_lookup ((*generation)->bindings, key) : NULL;
}

static void
on_websocket (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *websocket,
              gpointer                 user_data)
{
  ThreadSoup *thread_soup = user_data;
  g_autoptr(Generation) generation = NULL;
  Binding *binding = lookup_binding (thread_soup->shared, thread_soup->key, &generation);
  Service *service = binding ? g_hash_table_lookup (binding->paths, path) : NULL;
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  g_autofree char *peer = gh_socket_address_to_string (remote);
  GhTlsStream *tls = g_hash_table_lookup (thread_soup->tls_by_peer, peer);
  g_autoptr(GhSession) session = NULL;
  GhEndpoint *client;

  if (service == NULL)
    {
      soup_websocket_connection_close (websocket, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "no such service");
      return;
    }

  soup_websocket_connection_set_max_incoming_payload_size (websocket, MAX_WEBSOCKET_PAYLOAD);
  session = open_session (thread_soup->shared, service, remote, tls);
  if (session == NULL)
    {
      soup_websocket_connection_close (websocket, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "too many sessions");
      return;
    }

  client = gh_endpoint_new_websocket (websocket);
  if (tls != NULL)
    gh_endpoint_set_tls (client, tls);
  serve_session (thread_soup->shared, service, session, client);
}

static GFile *
resolve_request_file (GFile       *root,
                      const char  *relative,
                      int         *status)
{
  g_autofree char *decoded = g_uri_unescape_string (relative, "/");
  g_auto(GStrv) segments = NULL;
  g_autoptr(GFile) file = g_object_ref (root);
  g_autofree char *root_real = NULL;
  g_autofree char *file_real = NULL;
  g_autofree char *root_path = g_file_get_path (root);
  g_autofree char *file_path = NULL;

  if (decoded == NULL || strchr (decoded, '\\') != NULL)
    {
      *status = SOUP_STATUS_BAD_REQUEST;
      return NULL;
    }

  segments = g_strsplit (decoded, "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      if (*segments[i] == '\0' || g_str_equal (segments[i], "."))
        continue;
      if (g_str_equal (segments[i], ".."))
        {
          *status = SOUP_STATUS_FORBIDDEN;
          return NULL;
        }
      {
        /* g_set_object() would take a second reference and leak this one. */
        GFile *child = g_file_get_child (file, segments[i]);

        g_object_unref (file);
        file = child;
      }
    }

  /* No path may escape the directory, not even through a symbolic link. */
  file_path = g_file_get_path (file);
  root_real = realpath (root_path, NULL);
  file_real = realpath (file_path, NULL);
  if (root_real == NULL || file_real == NULL)
    {
      *status = SOUP_STATUS_NOT_FOUND;
      return NULL;
    }
  if (!g_str_equal (root_real, file_real) &&
      !(g_str_has_prefix (file_real, root_real) && file_real[strlen (root_real)] == '/'))
    {
      *status = SOUP_STATUS_FORBIDDEN;
      return NULL;
    }

  if (g_file_test (file_real, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *index = g_build_filename (file_real, "index.html", NULL);

      if (!g_file_test (index, G_FILE_TEST_IS_REGULAR))
        {
          *status = SOUP_STATUS_NOT_FOUND;
          return NULL;
        }
      return g_file_new_for_path (index);
    }

  if (!g_file_test (file_real, G_FILE_TEST_IS_REGULAR))
    {
      *status = SOUP_STATUS_NOT_FOUND;
      return NULL;
    }

  return g_file_new_for_path (file_real);
}

static void
on_http_request (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  ThreadSoup *thread_soup = user_data;
  g_autoptr(Generation) generation = NULL;
  Binding *binding = lookup_binding (thread_soup->shared, thread_soup->key, &generation);
  const char *method = soup_server_message_get_method (msg);
  Service *service = NULL;
  const char *prefix = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *mime = NULL;
  int status = SOUP_STATUS_NOT_FOUND;
  GHashTableIter iter;
  gpointer key, value;

  /* The longest registered prefix that is a directory service. */
  if (binding != NULL)
    {
      g_hash_table_iter_init (&iter, binding->paths);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          Service *candidate = value;

          if (gh_service_config_get_service_type (candidate->config) != GH_SERVICE_TYPE_DIRECTORY)
            continue;
          if (g_str_has_prefix (path, key) && (prefix == NULL || strlen (key) > strlen (prefix)))
            {
              prefix = key;
              service = candidate;
            }
        }
    }

  if (service == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  if (shared_service_stopped (thread_soup->shared, service->name))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      return;
    }

  if (g_strcmp0 (method, "GET") != 0 && g_strcmp0 (method, "HEAD") != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET, HEAD");
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  file = resolve_request_file (service->directory, path + strlen (prefix), &status);
  if (file != NULL)
    {
      g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, NULL);

      if (info == NULL)
        status = SOUP_STATUS_NOT_FOUND;
      else if (g_file_info_get_size (info) > MAX_DIRECTORY_FILE)
        status = SOUP_STATUS_FORBIDDEN;
      else if ((content = g_file_load_bytes (file, NULL, NULL, NULL)) == NULL)
        status = SOUP_STATUS_FORBIDDEN;
      else
        status = SOUP_STATUS_OK;
    }

  if (status != SOUP_STATUS_OK)
    {
      soup_server_message_set_status (msg, status, NULL);
      return;
    }

  {
    g_autofree char *basename = g_file_get_basename (file);
    content_type = g_content_type_guess (basename, g_bytes_get_data (content, NULL),
                                         MIN (g_bytes_get_size (content), 4096), NULL);
    mime = g_content_type_get_mime_type (content_type);
  }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, mime ? mime : "application/octet-stream", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (content, NULL), g_bytes_get_size (content));
}

/* Registers on @thread_soup's server the paths of @binding it does not serve yet. */
static void
thread_soup_register_paths (ThreadSoup *thread_soup,
                            Binding    *binding)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, binding->paths);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (g_hash_table_contains (thread_soup->paths, key))
        continue;

      if (g_hash_table_contains (binding->websocket, key))
        soup_server_add_websocket_handler (thread_soup->soup, key, NULL, NULL, on_websocket, thread_soup, NULL);
      else
        soup_server_add_handler (thread_soup->soup, key, on_http_request, thread_soup, NULL);
      g_hash_table_add (thread_soup->paths, g_strdup (key));
    }
}

/* (transfer none) The calling thread's server for listener @id. */
static ThreadSoup *
thread_soup_get (Shared      *shared,
                 guint        id,
                 const char  *key,
                 GError     **error)
{
  GHashTable *soups = g_private_get (&thread_soups);
  ThreadSoup *thread_soup;
  SoupServer *soup;

  if (soups == NULL)
    {
      soups = g_hash_table_new_full (NULL, NULL, NULL, thread_soup_free);
      g_private_set (&thread_soups, soups);
    }

  if ((thread_soup = g_hash_table_lookup (soups, GUINT_TO_POINTER (id))) != NULL)
    return thread_soup;

  if ((soup = gh_soup_server_new (error)) == NULL)
    return NULL;

  thread_soup = g_new0 (ThreadSoup, 1);
  thread_soup->shared = shared_ref (shared);
  thread_soup->key = g_strdup (key);
  thread_soup->soup = soup;
  thread_soup->paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  thread_soup->tls_by_peer = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert (soups, GUINT_TO_POINTER (id), thread_soup);
  return thread_soup;
}

/* A connection the main context accepted, on its way to the thread that serves it. */
typedef struct {
  Shared            *shared;
  guint              listener_id;
  char              *key;
  GSocketConnection *connection;
  GSocketAddress    *local;
  GSocketAddress    *remote;
} Accepted;

static void
accepted_free (Accepted *accepted)
{
  shared_unref (accepted->shared);
  g_free (accepted->key);
  g_object_unref (accepted->connection);
  g_object_unref (accepted->local);
  g_object_unref (accepted->remote);
  g_free (accepted);
}

static gboolean
listener_current (Accepted *accepted)
{
  gboolean current;

  g_mutex_lock (&accepted->shared->lock);
  current = GPOINTER_TO_UINT (g_hash_table_lookup (accepted->shared->listener_ids, accepted->key)) == accepted->listener_id;
  g_mutex_unlock (&accepted->shared->lock);
  return current;
}

static void
dispatch (Accepted    *accepted,
          Binding     *binding,
          GIOStream   *stream,
          GhTlsStream *tls)
{
  g_autoptr(GError) error = NULL;
  ThreadSoup *thread_soup;

  if (!binding->http)
    {
      g_autoptr(GhSession) session = open_session (accepted->shared, binding->raw, accepted->remote, tls);

      if (session == NULL)
        {
          g_io_stream_close (stream, NULL, NULL);
          return;
        }
      serve_session (accepted->shared, binding->raw, session, gh_endpoint_new_stream (stream));
      return;
    }

  if ((thread_soup = thread_soup_get (accepted->shared, accepted->listener_id, accepted->key, &error)) == NULL)
    {
      g_message ("listener %s: %s", accepted->key, error->message);
      g_io_stream_close (stream, NULL, NULL);
      return;
    }
  thread_soup_register_paths (thread_soup, binding);

  if (tls != NULL)
    {
      g_autofree char *peer = gh_socket_address_to_string (accepted->remote);
      GhTlsStream *previous = g_hash_table_lookup (thread_soup->tls_by_peer, peer);

      if (previous != NULL)
        g_object_weak_unref (G_OBJECT (previous), forget_tls_peer, thread_soup);
      g_hash_table_insert (thread_soup->tls_by_peer, g_steal_pointer (&peer), tls);
      g_object_weak_ref (G_OBJECT (tls), forget_tls_peer, thread_soup);
    }

  if (!soup_server_accept_iostream (thread_soup->soup, stream, accepted->local, accepted->remote, &error))
    g_message ("listener %s: %s", accepted->key, error->message);
}

/* Serves @accepted with @binding if its listener is still the one bound there;
 * closes it otherwise. */
static void
serve_accepted (Accepted    *accepted,
                Binding     *binding,
                GIOStream   *stream,
                GhTlsStream *tls)
{
  if (binding == NULL || !listener_current (accepted))
    g_io_stream_close (stream, NULL, NULL);
  else
    dispatch (accepted, binding, stream, tls);
}

static void
on_client_handshake (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Accepted *accepted = user_data;
  g_autoptr(GhTlsStream) tls = GH_TLS_STREAM (source);
  g_autoptr(GError) error = NULL;

  if (!gh_tls_stream_handshake_finish (tls, result, &error))
    {
      g_autofree char *peer = gh_socket_address_to_string (accepted->remote);

      /* A refusal: a clear line, and the gateway goes on serving others. */
      g_message ("listener %s: TLS handshake with %s refused: %s", accepted->key, peer, error->message);
      g_io_stream_close (G_IO_STREAM (tls), NULL, NULL);
    }
  else
    {
      /* A reload during the handshake: the binding as it is now. */
      g_autoptr(Generation) generation = NULL;
      Binding *binding = lookup_binding (accepted->shared, accepted->key, &generation);

      serve_accepted (accepted, binding, G_IO_STREAM (tls), tls);
    }

  accepted_free (accepted);
}

/* On the thread that serves the connection: the TLS handshake, then the service. */
static gboolean
serve_connection (gpointer data)
{
  Accepted *accepted = data;
  g_autoptr(Generation) generation = NULL;
  Binding *binding = lookup_binding (accepted->shared, accepted->key, &generation);
  g_autoptr(GError) error = NULL;
  GhTlsStream *tls;

  set_no_delay (accepted->connection);

  if (binding == NULL || !binding->secure)
    {
      serve_accepted (accepted, binding, G_IO_STREAM (accepted->connection), NULL);
      accepted_free (accepted);
      return G_SOURCE_REMOVE;
    }

  if ((tls = gh_tls_stream_new_server (accepted->connection, binding->tls, &error)) == NULL)
    {
      g_message ("listener %s: %s", accepted->key, error->message);
      g_io_stream_close (G_IO_STREAM (accepted->connection), NULL, NULL);
      accepted_free (accepted);
      return G_SOURCE_REMOVE;
    }

  gh_tls_stream_handshake_async (tls, HANDSHAKE_TIMEOUT, NULL, on_client_handshake, accepted);
  return G_SOURCE_REMOVE;
}

/* A bound socket, on the main context; it follows the current generation's binding of
 * its key. */
typedef struct {
  GhGateway      *gateway;
  guint           id;
  char           *key;
  gboolean        http;
  GSocketService *socket_service;
} Listener;

static gboolean
on_incoming (GSocketService    *socket_service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  Listener *listener = user_data;
  GhGateway *self = listener->gateway;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  GMainContext *worker;
  Accepted *accepted;

  if (!self->accepting || local == NULL || remote == NULL)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  accepted = g_new0 (Accepted, 1);
  accepted->shared = shared_ref (self->shared);
  accepted->listener_id = listener->id;
  accepted->key = g_strdup (listener->key);
  accepted->connection = g_object_ref (connection);
  accepted->local = g_steal_pointer (&local);
  accepted->remote = g_steal_pointer (&remote);

  if ((worker = gh_workers_next (self->workers)) == NULL)
    serve_connection (accepted);
  else
    gh_context_invoke (worker, serve_connection, accepted, NULL);
  return TRUE;
}

static void
listener_free (gpointer data)
{
  Listener *listener = data;
  GhWorkers *workers = listener->gateway->workers;

  if (listener->socket_service != NULL)
    {
      g_socket_service_stop (listener->socket_service);
      g_socket_listener_close (G_SOCKET_LISTENER (listener->socket_service));
      g_signal_handlers_disconnect_by_data (listener->socket_service, listener);
    }
  g_clear_object (&listener->socket_service);

  /* Its servers go on every thread, after the connections already handed over. */
  if (listener->http)
    {
      drop_thread_soup (GUINT_TO_POINTER (listener->id));
      for (guint i = 0; workers != NULL && i < gh_workers_get_n (workers); i++)
        gh_context_invoke (gh_workers_get_context (workers, i), drop_thread_soup, GUINT_TO_POINTER (listener->id), NULL);
    }

  g_free (listener->key);
  g_free (listener);
}

static Listener *
listener_new (GhGateway  *self,
              Binding    *binding,
              GError    **error)
{
  Listener *listener = g_new0 (Listener, 1);

  listener->gateway = self;
  listener->id = ++self->last_listener_id;
  listener->key = g_strdup (binding->key);
  listener->http = binding->http;
  listener->socket_service = g_socket_service_new ();
  /* GIO's default of 10 drops the SYNs of a burst of clients, which then wait out
   * TCP's retransmission back-off (1, 3, 7… seconds). */
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (listener->socket_service), LISTEN_BACKLOG);

  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (listener->socket_service), binding->address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, NULL, error))
    {
      g_prefix_error (error, _("Cannot listen on %s: "), binding->key);
      listener_free (listener);
      return NULL;
    }

  g_signal_connect (listener->socket_service, "incoming", G_CALLBACK (on_incoming), listener);
  return listener;
}

/* The current generation, for the threads too. Only the main context changes it, so
 * the main context reads shared->generation without the lock. */
static void
set_generation (GhGateway  *self,
                Generation *generation)
{
  Generation *previous;

  g_mutex_lock (&self->shared->lock);
  previous = g_steal_pointer (&self->shared->generation);
  self->shared->generation = generation ? generation_ref (generation) : NULL;
  g_mutex_unlock (&self->shared->lock);
  g_clear_pointer (&previous, generation_unref);
}

/* Which listener is bound at each address now, for the threads. */
static void
share_listeners (GhGateway *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_mutex_lock (&self->shared->lock);
  g_hash_table_remove_all (self->shared->listener_ids);
  g_hash_table_iter_init (&iter, self->listeners);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (self->shared->listener_ids, g_strdup (key), GUINT_TO_POINTER (((Listener *) value)->id));
  g_mutex_unlock (&self->shared->lock);
}

/* Makes the listeners match @generation; on error nothing changes. */
static gboolean
apply_generation (GhGateway   *self,
                  Generation  *generation,
                  GError     **error)
{
  g_autoptr(GHashTable) added = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, listener_free);
  GHashTableIter iter;
  gpointer key, value;

  /* Bind what is new first: a port in use fails the whole change. */
  g_hash_table_iter_init (&iter, generation->bindings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Binding *binding = value;
      Listener *existing = g_hash_table_lookup (self->listeners, key);
      Listener *listener;

      if (existing != NULL && existing->http == binding->http)
        continue;

      if ((listener = listener_new (self, binding, error)) == NULL)
        {
          error_to_problem (error, binding->path ? binding->path : "");
          return FALSE;
        }
      g_hash_table_insert (added, g_strdup (key), listener);
    }

  /* Then swap. */
  set_generation (self, generation);

  g_hash_table_iter_init (&iter, self->listeners);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!g_hash_table_contains (generation->bindings, key) || g_hash_table_contains (added, key))
        g_hash_table_iter_remove (&iter);
    }

  g_hash_table_iter_init (&iter, added);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_hash_table_iter_steal (&iter);
      g_hash_table_insert (self->listeners, key, value);
      g_socket_service_start (((Listener *) value)->socket_service);
      g_message ("listening on %s", (char *) key);
    }
  share_listeners (self);

  return TRUE;
}

static GBytes *
config_document (GhGatewayConfig *config)
{
  gsize length = 0;
  char *data = gh_gateway_config_to_data (config, &length);

  return g_bytes_new_take (data, length);
}

/* Records the running configuration as a new version. */
static void
record_version (GhGateway  *self,
                const char *identity,
                const char *action)
{
  g_autoptr(GBytes) document = config_document (self->shared->generation->config);
  g_autoptr(GError) error = NULL;
  gint64 version = 0;

  if (self->history != NULL)
    version = gh_config_history_record (self->history, document, identity, action, &error);
  if (version == 0)
    {
      /* Without a history the gateway still counts, so ETags stay right. */
      if (error != NULL)
        g_warning ("configuration history: %s", error->message);
      version = self->version + 1;
    }
  self->version = version;
}

static void
open_history (GhGateway  *self,
              const char *action)
{
  g_autoptr(GFile) directory = g_file_get_parent (self->config_file);
  g_autoptr(GFile) history_directory = g_file_get_child (directory, "history");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) latest = NULL;
  g_autoptr(GBytes) current = NULL;

  self->history = gh_config_history_new (history_directory, &error);
  if (self->history == NULL)
    g_warning ("%s", error->message);

  /* The running configuration is the newest version; one edited by hand since the
   * last run becomes a new one. */
  if (self->history != NULL)
    {
      latest = gh_config_history_dup_latest (self->history);
      current = config_document (self->shared->generation->config);
      if (latest != NULL && g_bytes_equal (latest, current))
        {
          self->version = gh_config_history_get_current (self->history);
          return;
        }
    }
  record_version (self, "gatehoused", action);
}

GhGateway *
gh_gateway_new (GFile *config_file)
{
  GhGateway *self;

  g_return_val_if_fail (G_IS_FILE (config_file), NULL);

  self = g_object_new (GH_TYPE_GATEWAY, NULL);
  self->config_file = g_object_ref (config_file);
  return self;
}

gboolean
gh_gateway_check (GFile   *config_file,
                  GError **error)
{
  g_autoptr(Generation) generation = NULL;

  g_return_val_if_fail (G_IS_FILE (config_file), FALSE);

  generation = load_generation (config_file, error);
  return generation != NULL;
}

gboolean
gh_gateway_start (GhGateway  *self,
                  GError    **error)
{
  g_autoptr(Generation) generation = NULL;

  g_return_val_if_fail (GH_IS_GATEWAY (self), FALSE);
  g_return_val_if_fail (self->shared->generation == NULL, FALSE);

  if ((generation = load_generation (self->config_file, error)) == NULL)
    return FALSE;

  self->workers = gh_workers_get_default ();
  self->accepting = TRUE;
  if (!apply_generation (self, generation, error))
    return FALSE;

  open_history (self, "start");
  return TRUE;
}

/* A reload (SIGHUP) read @generation from the files: swap it in and count a version. */
static gboolean
apply_reloaded (GhGateway   *self,
                Generation  *generation,
                GError     **error)
{
  if (!apply_generation (self, generation, error))
    return FALSE;

  record_version (self, "gatehoused", "reload");
  g_message ("reloaded %s: %u services, %u listeners, version %" G_GINT64_FORMAT,
             g_file_peek_path (self->config_file),
             g_hash_table_size (generation->services), g_hash_table_size (self->listeners), self->version);
  g_signal_emit (self, signals[APPLIED], 0, self->version, "gatehoused", "reload");
  return TRUE;
}

static void
load_generation_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;
  Generation *generation = load_generation (task_data, &error);

  if (generation == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, generation, (GDestroyNotify) generation_unref);
}

/**
 * gh_gateway_reload_async:
 * @self: a #GhGateway
 * @callback: called when the reload is applied or refused
 * @user_data: data for @callback
 *
 * As gh_gateway_reload(), with the files read and the keys decrypted in a thread, so
 * that live sessions never wait for a reload.
 */
void
gh_gateway_reload_async (GhGateway           *self,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GH_IS_GATEWAY (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, gh_gateway_reload_async);
  g_task_set_task_data (task, g_object_ref (self->config_file), g_object_unref);
  g_task_run_in_thread (task, load_generation_thread);
}

gboolean
gh_gateway_reload_finish (GhGateway     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_autoptr(Generation) generation = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if ((generation = g_task_propagate_pointer (G_TASK (result), error)) == NULL)
    return FALSE;

  return apply_reloaded (self, generation, error);
}

gboolean
gh_gateway_reload (GhGateway  *self,
                   GError    **error)
{
  g_autoptr(Generation) generation = NULL;

  g_return_val_if_fail (GH_IS_GATEWAY (self), FALSE);

  if ((generation = load_generation (self->config_file, error)) == NULL)
    return FALSE;

  return apply_reloaded (self, generation, error);
}

void
gh_gateway_stop_accepting (GhGateway *self)
{
  g_return_if_fail (GH_IS_GATEWAY (self));

  self->accepting = FALSE;
  g_hash_table_remove_all (self->listeners);
  share_listeners (self);
}

void
gh_gateway_close_sessions (GhGateway  *self,
                           const char *reason)
{
  GListModel *model = G_LIST_MODEL (self->sessions);
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (sessions, g_list_model_get_item (model, i));

  for (guint i = 0; i < sessions->len; i++)
    gh_session_close (g_ptr_array_index (sessions, i), reason);
}

GhGatewayConfig *
gh_gateway_get_config (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  return self->shared->generation ? self->shared->generation->config : NULL;
}

GhSessionRegistry *
gh_gateway_get_sessions (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  return self->sessions;
}

GStrv
gh_gateway_dup_listen_addresses (GhGateway *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  g_hash_table_iter_init (&iter, self->listeners);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_strv_builder_add (builder, key);

  return g_strv_builder_end (builder);
}

gint64
gh_gateway_get_config_version (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), 0);

  return self->version;
}

GFile *
gh_gateway_get_config_file (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  return self->config_file;
}

GhConfigHistory *
gh_gateway_get_history (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  return self->history;
}

gint64
gh_gateway_get_started (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), 0);

  return self->started;
}

GhKeystore *
gh_gateway_get_keystore (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  return self->shared->generation ? self->shared->generation->keystore : NULL;
}

GhKeystore *
gh_gateway_get_truststore (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  return self->shared->generation ? self->shared->generation->truststore : NULL;
}

GPtrArray *
gh_gateway_get_anchors (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  return self->shared->generation ? self->shared->generation->anchors : NULL;
}

GhTlsServerContext *
gh_gateway_get_admin_tls (GhGateway *self)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  return self->shared->generation ? self->shared->generation->admin_tls : NULL;
}

GhTlsClientContext *
gh_gateway_get_connect_tls (GhGateway  *self,
                            const char *service_name)
{
  Service *service;

  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  if (self->shared->generation == NULL ||
      (service = g_hash_table_lookup (self->shared->generation->services, service_name)) == NULL)
    return NULL;
  return service->connect_tls;
}

gboolean
gh_gateway_get_service_started (GhGateway  *self,
                                const char *name)
{
  g_return_val_if_fail (GH_IS_GATEWAY (self), FALSE);

  return !shared_service_stopped (self->shared, name);
}

/**
 * gh_gateway_set_service_started:
 * @self: a #GhGateway
 * @name: a service of the running configuration
 * @started: %FALSE to refuse new connections and close the live sessions
 * @reason: why, recorded on the closed sessions
 * @error: %G_IO_ERROR_NOT_FOUND for an unknown service, %G_IO_ERROR_EXISTS when it is
 *   in that state already
 *
 * The state is the running gateway's, not the configuration's: a restart starts
 * every service.
 */
gboolean
gh_gateway_set_service_started (GhGateway   *self,
                                const char  *name,
                                gboolean     started,
                                const char  *reason,
                                GError     **error)
{
  GListModel *model;
  g_autoptr(GPtrArray) doomed = NULL;

  g_return_val_if_fail (GH_IS_GATEWAY (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (self->shared->generation == NULL || !g_hash_table_contains (self->shared->generation->services, name))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no service “%s”"), name);
      return FALSE;
    }

  if (started == gh_gateway_get_service_started (self, name))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   started ? _("The service “%s” is started already") : _("The service “%s” is stopped already"), name);
      return FALSE;
    }

  if (started)
    {
      g_mutex_lock (&self->shared->lock);
      g_hash_table_remove (self->shared->stopped, name);
      g_mutex_unlock (&self->shared->lock);
      g_message ("service %s started", name);
      g_signal_emit (self, signals[SERVICE_STATE], 0, name, TRUE);
      return TRUE;
    }

  g_mutex_lock (&self->shared->lock);
  g_hash_table_add (self->shared->stopped, g_strdup (name));
  g_mutex_unlock (&self->shared->lock);
  g_message ("service %s stopped", name);

  model = G_LIST_MODEL (self->sessions);
  doomed = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GhSession) session = g_list_model_get_item (model, i);

      if (g_str_equal (gh_session_get_service (session), name))
        g_ptr_array_add (doomed, g_steal_pointer (&session));
    }
  for (guint i = 0; i < doomed->len; i++)
    gh_session_close (g_ptr_array_index (doomed, i), reason);

  g_signal_emit (self, signals[SERVICE_STATE], 0, name, FALSE);
  return TRUE;
}

/**
 * gh_gateway_stats_to_json:
 * @self: a #GhGateway
 *
 * The gateway's counters as the admin API's `GET /stats` gives them.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
gh_gateway_stats_to_json (GhGateway *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *now = NULL;
  GhSessionTraffic traffic;
  gint64 real_time = g_get_real_time ();

  g_return_val_if_fail (GH_IS_GATEWAY (self), NULL);

  now = gh_json_format_time (real_time);
  gh_session_registry_get_traffic (self->sessions, &traffic);

  json_builder_begin_object (builder);
  gh_json_add_string (builder, "time", now);
  gh_json_add_int (builder, "uptime", (real_time - self->started) / G_USEC_PER_SEC);
  gh_json_add_int (builder, "sessions_open", g_list_model_get_n_items (G_LIST_MODEL (self->sessions)));
  gh_json_add_int (builder, "sessions_total", gh_session_registry_get_total (self->sessions));
  gh_json_add_int (builder, "bytes_in", traffic.bytes_in);
  gh_json_add_int (builder, "bytes_out", traffic.bytes_out);
  gh_json_add_int (builder, "messages_in", traffic.messages_in);
  gh_json_add_int (builder, "messages_out", traffic.messages_out);
  json_builder_set_member_name (builder, "services");
  json_builder_begin_array (builder);
  if (self->shared->generation != NULL)
    {
      GListModel *services = gh_gateway_config_get_services (self->shared->generation->config);

      for (guint i = 0; i < g_list_model_get_n_items (services); i++)
        {
          g_autoptr(GhServiceConfig) service = g_list_model_get_item (services, i);
          const char *name = gh_service_config_get_name (service);

          json_builder_begin_object (builder);
          gh_json_add_string (builder, "name", name);
          gh_json_add_string (builder, "state", gh_gateway_get_service_started (self, name) ? "started" : "stopped");
          gh_json_add_int (builder, "sessions_open", gh_session_registry_count_service (self->sessions, name));
          gh_json_add_int (builder, "sessions_total", gh_session_registry_count_service_total (self->sessions, name));
          json_builder_end_object (builder);
        }
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Applying a change */

typedef struct {
  GhGatewayConfig *config;
  GhKeystore      *keystore;
  GhKeystore      *truststore;
  GhGatewayApplyFlags flags;
  char            *identity;
  char            *action;
  /* made in the thread */
  Generation      *generation;
  GBytes          *config_data;
  GBytes          *keystore_data;
  GBytes          *truststore_data;
} Change;

static void
change_free (gpointer data)
{
  Change *change = data;

  g_clear_object (&change->config);
  g_clear_object (&change->keystore);
  g_clear_object (&change->truststore);
  g_free (change->identity);
  g_free (change->action);
  g_clear_pointer (&change->generation, generation_unref);
  g_clear_pointer (&change->config_data, g_bytes_unref);
  g_clear_pointer (&change->keystore_data, g_bytes_unref);
  g_clear_pointer (&change->truststore_data, g_bytes_unref);
  g_free (change);
}

static GBytes *
serialize_store (GhKeystore  *store,
                 GFile       *password_file,
                 const char  *what,
                 GError     **error)
{
  g_autoptr(GhSecret) password = NULL;

  if (!read_store_password (password_file, what, &password, error))
    return NULL;

  return gh_keystore_serialize (store, password, error);
}

static void
change_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Change *change = task_data;
  GError *error = NULL;

  change->generation = load_generation_from_config (change->config, change->keystore, change->truststore, &error);
  if (change->generation == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (change->flags & GH_GATEWAY_APPLY_DRY_RUN)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (change->flags & GH_GATEWAY_APPLY_CONFIG)
    change->config_data = config_document (change->config);

  if (change->keystore != NULL)
    {
      g_autoptr(GFile) password_file = gh_gateway_config_dup_keystore_password_file (change->config);

      if ((change->keystore_data = serialize_store (change->keystore, password_file, _("keystore"), &error)) == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }

  if (change->truststore != NULL)
    {
      g_autoptr(GFile) password_file = gh_gateway_config_dup_truststore_password_file (change->config);

      if ((change->truststore_data = serialize_store (change->truststore, password_file, _("truststore"), &error)) == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * gh_gateway_apply_async:
 * @self: a #GhGateway
 * @config: (nullable): the new configuration, or %NULL to keep the running one
 * @keystore: (nullable): the new keystore, or %NULL to keep the file's
 * @truststore: (nullable): the new truststore, or %NULL to keep the file's
 * @flags: %GH_GATEWAY_APPLY_CONFIG when @config is a change to write,
 *   %GH_GATEWAY_APPLY_DRY_RUN to check without changing anything
 * @identity: who asks, for the history
 * @action: what the change is, for people
 * @callback: called when the change is applied or refused
 * @user_data: data for @callback
 *
 * Checks the change whole (the configuration validates, the stores load with it,
 * every listener binds), then writes the changed files atomically and swaps
 * generations: new handshakes use the new material, live sessions keep running. On
 * any failure nothing changes, on disk or in the gateway. One change at a time: a
 * second one while the first is loading fails with %G_IO_ERROR_BUSY.
 */
void
gh_gateway_apply_async (GhGateway           *self,
                        GhGatewayConfig     *config,
                        GhKeystore          *keystore,
                        GhKeystore          *truststore,
                        GhGatewayApplyFlags  flags,
                        const char          *identity,
                        const char          *action,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Change *change;

  g_return_if_fail (GH_IS_GATEWAY (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, gh_gateway_apply_async);

  if (self->shared->generation == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("The gateway is not running"));
      return;
    }
  if (self->applying && !(flags & GH_GATEWAY_APPLY_DRY_RUN))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               _("Another change is being applied; try again when it is done"));
      return;
    }

  change = g_new0 (Change, 1);
  if (config != NULL)
    {
      /* Relative paths in a configuration sent through the API are relative to the
       * configuration file's directory, as in the file. */
      g_autoptr(GFile) directory = g_file_get_parent (self->config_file);

      change->config = g_object_ref (config);
      gh_gateway_config_set_base_directory (change->config, directory);
    }
  else
    {
      change->config = g_object_ref (self->shared->generation->config);
      flags &= ~GH_GATEWAY_APPLY_CONFIG;
    }
  g_set_object (&change->keystore, keystore);
  g_set_object (&change->truststore, truststore);
  change->flags = flags;
  change->identity = g_strdup (identity);
  change->action = g_strdup (action);
  g_task_set_task_data (task, change, change_free);

  if (!(flags & GH_GATEWAY_APPLY_DRY_RUN))
    self->applying = TRUE;
  g_task_run_in_thread (task, change_thread);
}

static gboolean
write_changed_files (GhGateway  *self,
                     Change     *change,
                     GError    **error)
{
  if (change->keystore_data != NULL)
    {
      g_autoptr(GFile) file = gh_gateway_config_dup_keystore_file (change->config);

      if (file == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The configuration names no keystore file (security.keystore.file)"));
          return FALSE;
        }
      if (!gh_file_replace_atomically (file, change->keystore_data, error))
        return FALSE;
    }

  if (change->truststore_data != NULL)
    {
      g_autoptr(GFile) file = gh_gateway_config_dup_truststore_file (change->config);

      if (file == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The configuration names no truststore file (security.truststore.file)"));
          return FALSE;
        }
      if (!gh_file_replace_atomically (file, change->truststore_data, error))
        return FALSE;
    }

  if (change->config_data != NULL && !gh_file_replace_atomically (self->config_file, change->config_data, error))
    return FALSE;

  return TRUE;
}

/**
 * gh_gateway_apply_finish:
 * @self: a #GhGateway
 * @result: the result
 * @version: (out) (optional): the new version (the current one after a dry run)
 * @error: return location for a #GError: the configuration's own errors
 *   (%GH_CONFIG_ERROR, with the problems attached), or the store's, or a listener's
 *
 * Returns: whether the change is applied (or would be, for a dry run)
 */
gboolean
gh_gateway_apply_finish (GhGateway     *self,
                         GAsyncResult  *result,
                         gint64        *version,
                         GError       **error)
{
  GTask *task = G_TASK (result);
  Change *change;
  g_autoptr(Generation) previous = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  change = g_task_get_task_data (task);
  if (change != NULL && !(change->flags & GH_GATEWAY_APPLY_DRY_RUN))
    self->applying = FALSE;

  if (!g_task_propagate_boolean (task, error))
    return FALSE;

  if (change->flags & GH_GATEWAY_APPLY_DRY_RUN)
    {
      if (version != NULL)
        *version = self->version;
      return TRUE;
    }

  previous = generation_ref (self->shared->generation);
  if (!apply_generation (self, change->generation, error))
    return FALSE;

  if (!write_changed_files (self, change, error))
    {
      g_autoptr(GError) revert_error = NULL;

      if (!apply_generation (self, previous, &revert_error))
        g_warning ("could not go back to the previous configuration: %s", revert_error->message);
      return FALSE;
    }

  record_version (self, change->identity, change->action);
  g_message ("applied version %" G_GINT64_FORMAT " (%s by %s)", self->version, change->action, change->identity);
  g_signal_emit (self, signals[APPLIED], 0, self->version, change->identity, change->action);

  if (version != NULL)
    *version = self->version;
  return TRUE;
}

static void
gh_gateway_dispose (GObject *object)
{
  GhGateway *self = GH_GATEWAY (object);

  if (self->listeners != NULL)
    {
      g_hash_table_remove_all (self->listeners);
      set_generation (self, NULL);
      share_listeners (self);
      /* The workers drop the listeners' servers before the gateway goes. */
      if (self->workers != NULL)
        gh_workers_sync (self->workers);
    }
  g_clear_pointer (&self->listeners, g_hash_table_unref);

  G_OBJECT_CLASS (gh_gateway_parent_class)->dispose (object);
}

static void
gh_gateway_finalize (GObject *object)
{
  GhGateway *self = GH_GATEWAY (object);

  g_clear_object (&self->config_file);
  g_clear_object (&self->sessions);
  g_clear_pointer (&self->shared, shared_unref);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (gh_gateway_parent_class)->finalize (object);
}

static void
gh_gateway_class_init (GhGatewayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_gateway_dispose;
  object_class->finalize = gh_gateway_finalize;

  /**
   * GhGateway::applied:
   * @version: the new version
   * @identity: who changed it ("gatehoused" for a reload)
   * @action: what changed, for people ("config", "keystore upload web", …)
   *
   * A change to the configuration, keystore or truststore took effect.
   */
  signals[APPLIED] =
    g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * GhGateway::service-state:
   * @name: the service
   * @started: whether it now accepts
   */
  signals[SERVICE_STATE] =
    g_signal_new ("service-state", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  /**
   * GhGateway::backend-health:
   * @service: the service
   * @ok: whether the last connection to its back-end succeeded
   * @error: (nullable): why not
   *
   * A service's back-end became reachable or unreachable, as sessions found it.
   */
  signals[BACKEND_HEALTH] =
    g_signal_new ("backend-health", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_STRING);
}

static void
gh_gateway_init (GhGateway *self)
{
  self->listeners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, listener_free);
  self->sessions = gh_session_registry_new ();
  self->shared = shared_new (self);
  self->started = g_get_real_time ();
}
