/* gh-admin-client-services.c — GhAdminClient: the services (GET /services,
 * /services/{name}, POST …/start and …/stop, GET …/tls)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-admin-client-services"

#include "config.h"

#include "gh-admin-client-private.h"

GH_API_DEFINE_PARSE_FUNC (service)
GH_API_DEFINE_PARSE_FUNC (service_tls)

static const GhAdminCall list_services_call = {
  .method = "GET", .path = "services", .answer = GH_ADMIN_ANSWER_LIST,
  .parse = parse_service, .item_type = gh_api_service_get_type, .member = "services",
};

static const GhAdminCall get_service_call = {
  .method = "GET", .path = "services/%s", .answer = GH_ADMIN_ANSWER_OBJECT, .parse = parse_service,
};

static const GhAdminCall start_service_call = {
  .method = "POST", .path = "services/%s/start", .answer = GH_ADMIN_ANSWER_OBJECT, .parse = parse_service,
};

static const GhAdminCall stop_service_call = {
  .method = "POST", .path = "services/%s/stop", .answer = GH_ADMIN_ANSWER_OBJECT, .parse = parse_service,
};

/* The back-end probe takes up to 10 s. */
static const GhAdminCall service_tls_call = {
  .method = "GET", .path = "services/%s/tls", .answer = GH_ADMIN_ANSWER_OBJECT, .parse = parse_service_tls,
};

void
gh_admin_client_list_services_async (GhAdminClient       *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));

  _gh_admin_client_call (self, &list_services_call, NULL, NULL, GH_API_VERSION_NONE, cancellable, callback, user_data);
}

GListModel *
gh_admin_client_list_services_finish (GhAdminClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &list_services_call, NULL, error);
}

void
gh_admin_client_get_service_async (GhAdminClient       *self,
                                   const char          *name,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (name != NULL);

  _gh_admin_client_call (self, &get_service_call, name, NULL, GH_API_VERSION_NONE, cancellable, callback, user_data);
}

GhApiService *
gh_admin_client_get_service_finish (GhAdminClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &get_service_call, NULL, error);
}

void
gh_admin_client_start_service_async (GhAdminClient       *self,
                                     const char          *name,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (name != NULL);

  _gh_admin_client_call (self, &start_service_call, name, NULL, GH_API_VERSION_NONE, cancellable, callback, user_data);
}

GhApiService *
gh_admin_client_start_service_finish (GhAdminClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &start_service_call, NULL, error);
}

void
gh_admin_client_stop_service_async (GhAdminClient       *self,
                                    const char          *name,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (name != NULL);

  _gh_admin_client_call (self, &stop_service_call, name, NULL, GH_API_VERSION_NONE, cancellable, callback, user_data);
}

GhApiService *
gh_admin_client_stop_service_finish (GhAdminClient  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &stop_service_call, NULL, error);
}

void
gh_admin_client_get_service_tls_async (GhAdminClient       *self,
                                       const char          *name,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (GH_IS_ADMIN_CLIENT (self));
  g_return_if_fail (name != NULL);

  _gh_admin_client_call (self, &service_tls_call, name, NULL, GH_API_VERSION_NONE, cancellable, callback, user_data);
}

GhApiServiceTls *
gh_admin_client_get_service_tls_finish (GhAdminClient  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  return _gh_admin_client_call_finish (self, result, &service_tls_call, NULL, error);
}
