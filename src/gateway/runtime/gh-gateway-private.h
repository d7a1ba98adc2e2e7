/* gh-gateway-private.h — GhGateway's state, for the files of its parts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-dataplane.h"
#include "gh-gateway.h"
#include "gh-generation.h"
#include "gh-workers.h"

G_BEGIN_DECLS

struct _GhGateway
{
  GObject            parent_instance;

  GFile             *config_file;
  GFile             *state_directory;  /* history/ and audit.log */
  GHashTable        *listeners;   /* key → GhListener */
  GhSessionRegistry *sessions;
  GhDataplane       *dataplane;   /* shared with the threads that run the sessions */
  GhWorkers         *workers;
  GhConfigHistory   *history;
  gint64             version;     /* of the configuration, keystore and truststore together */
  gint64             started;     /* real time, µs */
  gboolean           applying;    /* a change is being loaded in a thread */
};

/* The running generation; only the main context changes it. */
#define _gh_gateway_generation(self) (gh_dataplane_get_generation ((self)->dataplane))

/* Makes the listeners match @generation, then makes it the current one; on error
 * nothing changes. */
gboolean _gh_gateway_swap_generation (GhGateway     *self,
                                      GhGeneration  *generation,
                                      GError       **error);
/* Records the running configuration as a new version. */
void     _gh_gateway_record_version  (GhGateway     *self,
                                      const char    *identity,
                                      const char    *action);
/* Emits GhGateway::applied for the current version. */
void     _gh_gateway_emit_applied    (GhGateway     *self,
                                      const char    *identity,
                                      const char    *action);
GBytes  *_gh_gateway_config_document (GhGatewayConfig *config);

G_END_DECLS
