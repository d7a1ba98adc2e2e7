/* gh-generation.h — what the data plane reads per connection: services and bindings
 *
 * Everything read from the configuration, the keystore and the truststore forms a
 * generation: TLS identities, per-address bindings with their TLS contexts, per-service
 * back-end contexts. The runtime builds generations (runtime/gh-generation-builder.c);
 * the data plane only reads them, so these are plain reference-counted structures that
 * a worker thread keeps for as long as a connection needs them. A reload swaps
 * generations for new handshakes while live sessions keep the objects they started
 * with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-gateway-config.h"
#include "gh-keystore.h"
#include "gh-tls-context.h"
#include "gh-tls-identities.h"

G_BEGIN_DECLS

/* One service of one generation. */
typedef struct {
  gatomicrefcount     ref_count;
  char               *name;
  GhServiceConfig    *config;
  GhTlsClientContext *connect_tls;  /* for ssl:// and wss:// back-ends */
  GFile              *directory;    /* for directory services */
} GhService;

/* How one bound address serves, in one generation. */
typedef struct {
  char               *key;          /* "127.0.0.1:8443" */
  char               *path;         /* the first accept that binds it: "services[0].accept[1]" */
  GSocketAddress     *address;
  gboolean            secure;
  gboolean            http;         /* ws, wss, http, https: through libsoup */
  GhTlsServerContext *tls;
  GhService          *raw;          /* the ssl:// or tcp:// service */
  GHashTable         *paths;        /* path → GhService, for http listeners */
  GHashTable         *websocket;    /* path → TRUE when the path is a WebSocket one */
} GhBinding;

typedef struct {
  gatomicrefcount     ref_count;
  GhGatewayConfig    *config;
  GhKeystore         *keystore;
  GhKeystore         *truststore;
  GPtrArray          *anchors;
  GhTlsIdentities    *identities;
  GHashTable         *services;   /* name → GhService */
  GHashTable         *bindings;   /* key → GhBinding */
  GhTlsServerContext *admin_tls;  /* NULL without an admin listener */
} GhGeneration;

GhService    *gh_service_new       (GhServiceConfig *config);
GhService    *gh_service_ref       (GhService       *service);
void          gh_service_unref     (GhService       *service);

GhBinding    *gh_binding_new       (const char      *key,
                                    const char      *path,
                                    GSocketAddress  *address,
                                    gboolean         secure,
                                    gboolean         http);
void          gh_binding_free      (GhBinding       *binding);

GhGeneration *gh_generation_new    (GhGatewayConfig *config);
GhGeneration *gh_generation_ref    (GhGeneration    *generation);
void          gh_generation_unref  (GhGeneration    *generation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhService, gh_service_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhBinding, gh_binding_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhGeneration, gh_generation_unref)

G_END_DECLS
