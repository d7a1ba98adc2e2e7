/* gh-api-keystore-entry.c — keystore and truststore entries of the admin API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-keystore-entry"

#include "config.h"

#include "gh-api-keystore-entry.h"
#include "gh-api-private.h"

/**
 * gh_api_certificate_new_from_json:
 * @node: a certificate of the admin API: an object with a "pem" member
 * @error: %GH_API_ERROR_PROTOCOL when it is not one, or its PEM does not read
 *
 * The other members are a summary for clients without an X.509 parser; the
 * certificate is read from its PEM, so that every field is computed here.
 *
 * Returns: (transfer full) (nullable): the certificate
 */
GhCertificate *
gh_api_certificate_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  JsonObject *object = _gh_api_node_get_object (node, "certificate", error);
  g_autofree char *pem = NULL;
  g_autoptr(GError) local_error = NULL;
  GhCertificate *certificate;

  if (object == NULL ||
      !_gh_api_get_string (object, "certificate", "pem", GH_API_REQUIRED, &pem, error))
    return NULL;

  certificate = gh_certificate_new_from_pem (pem, -1, &local_error);
  if (certificate == NULL)
    {
      _gh_api_set_protocol_error (error, "certificate.pem: %s", local_error->message);
      return NULL;
    }

  return certificate;
}

/**
 * gh_api_certificate_list_from_json:
 * @node: an array of certificates of the admin API
 * @error: %GH_API_ERROR_PROTOCOL when it is not one
 *
 * Returns: (transfer container) (element-type GhCertificate) (nullable): the certificates
 */
GPtrArray *
gh_api_certificate_list_from_json (JsonNode  *node,
                                   GError   **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      _gh_api_set_protocol_error (error, "a chain is not a list");
      return NULL;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      GhCertificate *certificate = gh_api_certificate_new_from_json (json_array_get_element (array, i), error);

      if (certificate == NULL)
        {
          g_prefix_error (error, "chain[%u]: ", i);
          return NULL;
        }
      g_ptr_array_add (list, certificate);
    }

  return g_steal_pointer (&list);
}

/* The member @name of @object as a chain: empty when absent or null. */
GPtrArray *
_gh_api_get_chain (JsonObject  *object,
           const char  *what,
           const char  *name,
           GhApiMemberFlags flags,
           GError     **error)
{
  JsonArray *array = NULL;

  if (!_gh_api_get_array (object, what, name, flags, &array, error))
    return NULL;

  if (array == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);

  return gh_api_certificate_list_from_json (json_object_get_member (object, name), error);
}

struct _GhApiKeystoreEntry
{
  GObject                 parent_instance;

  char                   *alias;
  GhApiKeystoreEntryKind  kind;
  GPtrArray              *chain;
};

G_DEFINE_FINAL_TYPE (GhApiKeystoreEntry, gh_api_keystore_entry, G_TYPE_OBJECT)

static void
gh_api_keystore_entry_finalize (GObject *object)
{
  GhApiKeystoreEntry *self = GH_API_KEYSTORE_ENTRY (object);

  g_clear_pointer (&self->alias, g_free);
  g_clear_pointer (&self->chain, g_ptr_array_unref);

  G_OBJECT_CLASS (gh_api_keystore_entry_parent_class)->finalize (object);
}

static void
gh_api_keystore_entry_class_init (GhApiKeystoreEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_keystore_entry_finalize;
}

static void
gh_api_keystore_entry_init (GhApiKeystoreEntry *self)
{
}

/**
 * gh_api_keystore_entry_new_from_json:
 * @node: {"alias", "kind": "key"|"trusted", "chain": [certificate…]}
 * @error: %GH_API_ERROR_PROTOCOL when it is not that
 *
 * Returns: (transfer full) (nullable): the entry
 */
GhApiKeystoreEntry *
gh_api_keystore_entry_new_from_json (JsonNode  *node,
                                     GError   **error)
{
  g_autoptr(GhApiKeystoreEntry) self = g_object_new (GH_TYPE_API_KEYSTORE_ENTRY, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "keystore entry", error);
  g_autofree char *kind = NULL;

  if (object == NULL ||
      !_gh_api_get_string (object, "keystore entry", "alias", GH_API_REQUIRED, &self->alias, error) ||
      !_gh_api_get_string (object, "keystore entry", "kind", GH_API_REQUIRED, &kind, error))
    return NULL;

  if (g_str_equal (kind, "key"))
    self->kind = GH_API_KEYSTORE_ENTRY_KEY;
  else if (g_str_equal (kind, "trusted"))
    self->kind = GH_API_KEYSTORE_ENTRY_TRUSTED;
  else
    {
      _gh_api_set_protocol_error (error, "keystore entry.kind “%s” is not key or trusted", kind);
      return NULL;
    }

  self->chain = _gh_api_get_chain (object, "keystore entry", "chain", GH_API_REQUIRED, error);
  if (self->chain == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

const char *
gh_api_keystore_entry_get_alias (GhApiKeystoreEntry *self)
{
  g_return_val_if_fail (GH_IS_API_KEYSTORE_ENTRY (self), NULL);
  return self->alias;
}

GhApiKeystoreEntryKind
gh_api_keystore_entry_get_kind (GhApiKeystoreEntry *self)
{
  g_return_val_if_fail (GH_IS_API_KEYSTORE_ENTRY (self), GH_API_KEYSTORE_ENTRY_KEY);
  return self->kind;
}

/**
 * gh_api_keystore_entry_get_chain:
 * @self: a #GhApiKeystoreEntry
 *
 * Returns: (transfer none) (element-type GhCertificate): the chain, leaf first
 */
GPtrArray *
gh_api_keystore_entry_get_chain (GhApiKeystoreEntry *self)
{
  g_return_val_if_fail (GH_IS_API_KEYSTORE_ENTRY (self), NULL);
  return self->chain;
}

/**
 * gh_api_keystore_entry_get_certificate:
 * @self: a #GhApiKeystoreEntry
 *
 * Returns: (transfer none) (nullable): the leaf
 */
GhCertificate *
gh_api_keystore_entry_get_certificate (GhApiKeystoreEntry *self)
{
  g_return_val_if_fail (GH_IS_API_KEYSTORE_ENTRY (self), NULL);
  return self->chain->len > 0 ? g_ptr_array_index (self->chain, 0) : NULL;
}

struct _GhApiTruststoreEntry
{
  GObject        parent_instance;

  char          *alias;
  GhCertificate *certificate;
};

G_DEFINE_FINAL_TYPE (GhApiTruststoreEntry, gh_api_truststore_entry, G_TYPE_OBJECT)

static void
gh_api_truststore_entry_finalize (GObject *object)
{
  GhApiTruststoreEntry *self = GH_API_TRUSTSTORE_ENTRY (object);

  g_clear_pointer (&self->alias, g_free);
  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (gh_api_truststore_entry_parent_class)->finalize (object);
}

static void
gh_api_truststore_entry_class_init (GhApiTruststoreEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_api_truststore_entry_finalize;
}

static void
gh_api_truststore_entry_init (GhApiTruststoreEntry *self)
{
}

/**
 * gh_api_truststore_entry_new_from_json:
 * @node: {"alias", "certificate": certificate}
 * @error: %GH_API_ERROR_PROTOCOL when it is not that
 *
 * Returns: (transfer full) (nullable): the entry
 */
GhApiTruststoreEntry *
gh_api_truststore_entry_new_from_json (JsonNode  *node,
                                       GError   **error)
{
  g_autoptr(GhApiTruststoreEntry) self = g_object_new (GH_TYPE_API_TRUSTSTORE_ENTRY, NULL);
  JsonObject *object = _gh_api_node_get_object (node, "truststore entry", error);
  JsonObject *certificate = NULL;

  if (object == NULL ||
      !_gh_api_get_string (object, "truststore entry", "alias", GH_API_REQUIRED, &self->alias, error) ||
      !_gh_api_get_object (object, "truststore entry", "certificate", GH_API_REQUIRED, &certificate, error))
    return NULL;

  self->certificate = gh_api_certificate_new_from_json (json_object_get_member (object, "certificate"), error);
  if (self->certificate == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

const char *
gh_api_truststore_entry_get_alias (GhApiTruststoreEntry *self)
{
  g_return_val_if_fail (GH_IS_API_TRUSTSTORE_ENTRY (self), NULL);
  return self->alias;
}

/**
 * gh_api_truststore_entry_get_certificate:
 * @self: a #GhApiTruststoreEntry
 *
 * Returns: (transfer none): the trusted certificate
 */
GhCertificate *
gh_api_truststore_entry_get_certificate (GhApiTruststoreEntry *self)
{
  g_return_val_if_fail (GH_IS_API_TRUSTSTORE_ENTRY (self), NULL);
  return self->certificate;
}
