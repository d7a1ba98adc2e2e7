/* gh-api.h — the admin API client: everything of src/lib/api
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-admin-client.h"
#include "gh-admin-client-crls.h"
#include "gh-admin-client-preview.h"
#include "gh-admin-identity.h"
#include "gh-api-audit-entry.h"
#include "gh-api-backend-probe.h"
#include "gh-audit-filter.h"
#include "gh-api-cert-entry.h"
#include "gh-api-cert-list.h"
#include "gh-api-cert-usage.h"
#include "gh-api-config-preview.h"
#include "gh-api-config-version.h"
#include "gh-api-crl.h"
#include "gh-api-csr.h"
#include "gh-api-error.h"
#include "gh-api-info.h"
#include "gh-api-key-upload.h"
#include "gh-api-keystore-entry.h"
#include "gh-api-role.h"
#include "gh-api-service.h"
#include "gh-api-service-tls.h"
#include "gh-api-session.h"
#include "gh-api-stats.h"
#include "gh-event-stream.h"
#include "gh-session-rates.h"
#include "gh-session-view.h"
#include "gh-stats-series.h"
