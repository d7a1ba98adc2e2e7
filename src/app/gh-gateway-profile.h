/* gh-gateway-profile.h — what the app keeps of a gateway it administers: its name,
 * admin URL, identity file and pinned fingerprint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GH_TYPE_GATEWAY_PROFILE (gh_gateway_profile_get_type ())

G_DECLARE_FINAL_TYPE (GhGatewayProfile, gh_gateway_profile, GH, GATEWAY_PROFILE, GObject)

/* The GVariant type of a saved profile: name, URL, identity path, pin ("": none), as the
 * GSettings key "gateways" holds a list of them. */
#define GH_GATEWAY_PROFILE_VARIANT_TYPE G_VARIANT_TYPE ("(ssss)")

/* Properties (all notify): "name", "url", "identity-path", "pin", "persistent".
 * @pin normalized or NULL. @persistent: FALSE for a gateway given on the command line
 * (kept out of GSettings, its password never stored). */
GhGatewayProfile *gh_gateway_profile_new                (const char       *name,
                                                         const char       *url,
                                                         const char       *identity_path,
                                                         const char       *pin,
                                                         gboolean          persistent);
/* A persistent profile from a saved one; NULL when it has no URL or identity. */
GhGatewayProfile *gh_gateway_profile_new_from_variant   (GVariant         *value);
/* (transfer floating): the profile as saved. */
GVariant         *gh_gateway_profile_to_variant         (GhGatewayProfile *self);

const char       *gh_gateway_profile_get_name           (GhGatewayProfile *self);
/* Stripped; empty or NULL: the URL's host and port. */
void              gh_gateway_profile_set_name           (GhGatewayProfile *self,
                                                         const char       *name);
const char       *gh_gateway_profile_get_url            (GhGatewayProfile *self);
const char       *gh_gateway_profile_get_identity_path  (GhGatewayProfile *self);
const char       *gh_gateway_profile_get_pin            (GhGatewayProfile *self);
/* Normalized (gh_api_fingerprint_normalize()); NULL or not a fingerprint: none.
 * TRUE when the pin changed. */
gboolean          gh_gateway_profile_set_pin            (GhGatewayProfile *self,
                                                         const char       *pin);
gboolean          gh_gateway_profile_get_persistent     (GhGatewayProfile *self);

G_END_DECLS
