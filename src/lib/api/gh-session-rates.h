/* gh-session-rates.h — each live session's rate (bytes in and out per second), from
 * successive samples of its counters; the busiest sessions, and the throughput of
 * each service as the sum of its sessions' rates over the last minutes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-api-session.h"

G_BEGIN_DECLS

/* The samples a rate spans: the gateway sends counters once a second, so a rate over
 * one interval would jump between 0 and twice the truth. */
#define GH_SESSION_RATES_SPAN 4

#define GH_TYPE_SESSION_RATES (gh_session_rates_get_type ())

G_DECLARE_FINAL_TYPE (GhSessionRates, gh_session_rates, GH, SESSION_RATES, GObject)

/* @window: how much throughput history to keep, in µs. */
GhSessionRates *gh_session_rates_new            (gint64          window);
/* Reads the counters of every session of @sessions (of GhApiSession) at @time (real
 * µs, later than the last sample's); sessions no longer there are forgotten. */
void            gh_session_rates_sample         (GhSessionRates *self,
                                                 GListModel     *sessions,
                                                 gint64          time);
/* Forgets every session and the throughput history. */
void            gh_session_rates_reset          (GhSessionRates *self);
/* Bytes in and out per second over the last samples; 0 for a session seen once. */
double          gh_session_rates_get_rate       (GhSessionRates *self,
                                                 GhApiSession   *session);
/* (element-type GhApiSession) the @n sessions with the highest rates above 0, the
 * highest first (ties: the older session first). */
GPtrArray      *gh_session_rates_get_busiest    (GhSessionRates *self,
                                                 guint           n);
/* (element-type GhStatsSeries) each service's bytes per second at each sample within
 * the window; a service seen once stays, at 0, while the window holds its points. */
GPtrArray      *gh_session_rates_get_throughput (GhSessionRates *self);

G_END_DECLS
