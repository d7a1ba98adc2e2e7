/* gh-session-details.h — one live session in full: both TLS sides, the back-end, the
 * counters and a chart of its rate, following the session as it updates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-admin-client.h"
#include "gh-api-session.h"

G_BEGIN_DECLS

#define GH_TYPE_SESSION_DETAILS (gh_session_details_get_type ())

G_DECLARE_FINAL_TYPE (GhSessionDetails, gh_session_details, GH, SESSION_DETAILS, AdwBin)

GhSessionDetails *gh_session_details_new               (void);

GhApiSession     *gh_session_details_get_session       (GhSessionDetails *self);
void              gh_session_details_set_session       (GhSessionDetails *self,
                                                        GhApiSession     *session);
/* The gateway's client, to fetch the client certificate with (nullable: none). */
void              gh_session_details_set_client        (GhSessionDetails *self,
                                                        GhAdminClient    *client);
/* Bytes per second in and out over the last few seconds (0 before two samples). */
double            gh_session_details_get_rate          (GhSessionDetails *self);
/* A session's state as people read it ("Open" for "open"), in the table too. */
char             *gh_session_details_format_state      (const char       *state);
G_END_DECLS
