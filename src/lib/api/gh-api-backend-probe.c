/* gh-api-backend-probe.c — the session side of the back-end probe
 *
 * GhApiTlsConnect keeps the probe's verdict on the chain (ok, error, chain) as it
 * always had; what the probe learned as a session (docs/admin-api.md, "What a session
 * would know") is this object's, so that the older fields and their readers stay as
 * they are. Every member is optional: an older gateway sends none of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-backend-probe"

#include "config.h"

#include "gh-api-backend-probe.h"
#include "gh-api-private.h"

struct _GhApiBackendProbe
{
  GObject          parent_instance;

  gboolean         connected;
  char            *verdict;
  char            *step;
  char            *address;
  char            *server_name;
  char            *verify_name;
  char            *protocol;
  char            *cipher;
  char            *backend_tls;
  char            *client_alias;
  gboolean         client_requested;
  gboolean         client_presented;
  GhApiTrustChain *client_chain;
  GPtrArray       *certificates;   /* of GhCertificate, as the back-end sent them */
  gboolean         certificates_truncated;
  gboolean         certificate_requested;
};

G_DEFINE_FINAL_TYPE (GhApiBackendProbe, gh_api_backend_probe, G_TYPE_OBJECT)

static void
gh_api_backend_probe_finalize (GObject *object)
{
  GhApiBackendProbe *self = GH_API_BACKEND_PROBE (object);

  g_free (self->verdict);
  g_free (self->step);
  g_free (self->address);
  g_free (self->server_name);
  g_free (self->verify_name);
  g_free (self->protocol);
  g_free (self->cipher);
  g_free (self->backend_tls);
  g_free (self->client_alias);
  g_clear_object (&self->client_chain);
  g_clear_pointer (&self->certificates, g_ptr_array_unref);

  G_OBJECT_CLASS (gh_api_backend_probe_parent_class)->finalize (object);
}

static void
gh_api_backend_probe_class_init (GhApiBackendProbeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_backend_probe_finalize;
}

static void
gh_api_backend_probe_init (GhApiBackendProbe *self)
{
}

static gboolean
get_client_certificate (GhApiBackendProbe  *self,
                        JsonObject         *probe,
                        GError            **error)
{
  JsonObject *object = NULL;
  JsonObject *chain = NULL;

  if (!_gh_api_get_object (probe, "connect.probe", "client_certificate", GH_API_NULLABLE, &object, error))
    return FALSE;
  if (object == NULL)
    return TRUE;

  if (!_gh_api_get_string (object, "connect.probe.client_certificate", "alias", GH_API_REQUIRED, &self->client_alias, error) ||
      !_gh_api_get_boolean (object, "connect.probe.client_certificate", "requested", GH_API_OPTIONAL, &self->client_requested, error) ||
      !_gh_api_get_boolean (object, "connect.probe.client_certificate", "presented", GH_API_OPTIONAL, &self->client_presented, error) ||
      !_gh_api_get_object (object, "connect.probe.client_certificate", "chain", GH_API_NULLABLE, &chain, error))
    return FALSE;
  if (chain != NULL &&
      (self->client_chain = gh_api_trust_chain_new_from_json (json_object_get_member (object, "chain"), error)) == NULL)
    {
      g_prefix_error (error, "connect.probe.client_certificate.chain: ");
      return FALSE;
    }

  return TRUE;
}

/**
 * gh_api_backend_probe_new_from_json:
 * @node: a connect's "probe" object
 * @error: return location for a #GError of %GH_API_ERROR_PROTOCOL
 *
 * Returns: (transfer full): the probe, or %NULL with @error set
 */
GhApiBackendProbe *
gh_api_backend_probe_new_from_json (JsonNode  *node,
                                    GError   **error)
{
  g_autoptr(GhApiBackendProbe) self = g_object_new (GH_TYPE_API_BACKEND_PROBE, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "connect.probe", error);
  const struct { const char *member; char **out; } strings[] = {
    { "verdict", &self->verdict }, { "step", &self->step }, { "address", &self->address },
    { "server_name", &self->server_name }, { "verify_name", &self->verify_name },
    { "protocol", &self->protocol }, { "cipher", &self->cipher }, { "backend_tls", &self->backend_tls },
  };

  if (object == NULL ||
      !_gh_api_get_boolean (object, "connect.probe", "connected", GH_API_OPTIONAL, &self->connected, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if (!_gh_api_get_string (object, "connect.probe", strings[i].member, GH_API_NULLABLE, strings[i].out, error))
      return NULL;
  if (!get_client_certificate (self, object, error) ||
      !_gh_api_get_boolean (object, "connect.probe", "certificates_truncated", GH_API_OPTIONAL,
                            &self->certificates_truncated, error) ||
      !_gh_api_get_boolean (object, "connect.probe", "certificate_requested", GH_API_OPTIONAL,
                            &self->certificate_requested, error))
    return NULL;
  if ((self->certificates = _gh_api_get_chain (object, "connect.probe", "certificates", GH_API_NULLABLE, error)) == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

#define GETTER(type, name, field, fallback) \
  type \
  gh_api_backend_probe_get_##name (GhApiBackendProbe *self) \
  { \
    g_return_val_if_fail (GH_IS_API_BACKEND_PROBE (self), fallback); \
    return self->field; \
  }

GETTER (gboolean, connected, connected, FALSE)
GETTER (const char *, verdict, verdict, NULL)
GETTER (const char *, step, step, NULL)
GETTER (const char *, address, address, NULL)
GETTER (const char *, server_name, server_name, NULL)
GETTER (const char *, verify_name, verify_name, NULL)
GETTER (const char *, protocol, protocol, NULL)
GETTER (const char *, cipher, cipher, NULL)
GETTER (const char *, backend_tls, backend_tls, NULL)
GETTER (const char *, client_certificate_alias, client_alias, NULL)
GETTER (gboolean, client_certificate_requested, client_requested, FALSE)
GETTER (gboolean, client_certificate_presented, client_presented, FALSE)
GETTER (GhApiTrustChain *, client_certificate_chain, client_chain, NULL)
GETTER (GPtrArray *, certificates, certificates, NULL)
GETTER (gboolean, certificates_truncated, certificates_truncated, FALSE)
GETTER (gboolean, certificate_requested, certificate_requested, FALSE)

#undef GETTER
