/* gh-tls-identities.c — the certificates a TLS server can present, chosen by name
 *
 * Built once from the keystore's key entries, then shared by every handshake of the
 * services that use it; a reload builds a new one.
 *
 * Building decrypts no private key: a keystore of thousands of entries costs a key
 * derivation only for the keys that are served. The generation builder opens the key
 * of each accept host's identity (and the admin listener's) before it applies, so
 * that a key that cannot be read fails the configuration and names the entry. When a
 * TLS accept exists, any identity can be reached by a client's SNI: the builder then
 * opens every other key too (gh_tls_identities_open_all(), on all cores, off the data
 * plane), so that no handshake ever runs a key derivation on a data-plane thread. A
 * key that fails is remembered, logged, and fails only the handshakes that select it
 * (no client can make the gateway derive a key twice). gh_tls_identity_get_privkey()
 * still opens a key not yet open, under the identity's lock, for identities built
 * outside a generation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-tls-identities"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-pki-private.h"
#include "gh-tls-identities.h"

struct _GhTlsIdentity
{
  char             *alias;
  GhCertificate    *certificate;
  GStrv             names;      /* lower case DNS names (or the CN), and IP addresses */
  gnutls_pcert_st  *pcerts;
  unsigned int      n_pcerts;
  GhKeystoreEntry  *entry;
  GMutex            lock;       /* opening the key: */
  gnutls_privkey_t  privkey;    /*   NULL until opened */
  char             *failure;    /*   why it cannot be opened, once it failed */
};

struct _GhTlsIdentities
{
  GObject    parent_instance;

  GPtrArray *identities;  /* of GhTlsIdentity */
  gboolean   any_name;    /* the only identity is served whatever the client asks for */
};

G_DEFINE_FINAL_TYPE (GhTlsIdentities, gh_tls_identities, G_TYPE_OBJECT)

static void
identity_free (gpointer data)
{
  GhTlsIdentity *identity = data;

  for (unsigned int i = 0; i < identity->n_pcerts; i++)
    gnutls_pcert_deinit (&identity->pcerts[i]);
  g_free (identity->pcerts);
  g_clear_pointer (&identity->privkey, gnutls_privkey_deinit);
  g_clear_object (&identity->entry);
  g_clear_pointer (&identity->failure, g_free);
  g_mutex_clear (&identity->lock);
  g_clear_object (&identity->certificate);
  g_strfreev (identity->names);
  g_free (identity->alias);
  g_free (identity);
}

/**
 * gh_tls_name_matches:
 * @pattern: a name from a certificate, such as "www.example.com" or "*.example.com"
 * @host: the host name a client asked for
 *
 * A wildcard matches exactly one whole leftmost label: "*.example.com" matches
 * "a.example.com", not "example.com" nor "a.b.example.com". Comparison ignores case
 * and a trailing dot.
 */
gboolean
gh_tls_name_matches (const char *pattern,
                     const char *host)
{
  gsize pattern_length, host_length;
  const char *dot;

  g_return_val_if_fail (pattern != NULL, FALSE);
  g_return_val_if_fail (host != NULL, FALSE);

  pattern_length = strlen (pattern);
  host_length = strlen (host);
  if (host_length > 0 && host[host_length - 1] == '.')
    host_length--;
  if (pattern_length == 0 || host_length == 0)
    return FALSE;

  if (pattern[0] == '*' && pattern[1] == '.')
    {
      /* The host's first label is replaced by the wildcard. */
      dot = memchr (host, '.', host_length);
      if (dot == NULL || dot == host)
        return FALSE;
      /* "*.com"-style patterns (a wildcard right below the top label) never match. */
      if (strchr (pattern + 2, '.') == NULL)
        return FALSE;
      return pattern_length - 1 == host_length - (gsize) (dot - host) &&
             g_ascii_strncasecmp (pattern + 1, dot, pattern_length - 1) == 0;
    }

  return pattern_length == host_length && g_ascii_strncasecmp (pattern, host, host_length) == 0;
}

static GStrv
identity_names (GhCertificate *certificate)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  const char * const *dns = gh_certificate_get_dns_names (certificate);
  const char * const *ips = gh_certificate_get_ip_addresses (certificate);

  for (guint i = 0; dns[i] != NULL; i++)
    g_strv_builder_take (names, g_ascii_strdown (dns[i], -1));
  if (dns[0] == NULL)
    {
      g_autofree char *cn = gh_certificate_get_subject_field (certificate, "CN");

      if (cn != NULL)
        g_strv_builder_take (names, g_ascii_strdown (cn, -1));
    }
  for (guint i = 0; ips[i] != NULL; i++)
    g_strv_builder_add (names, ips[i]);

  return g_strv_builder_end (names);
}

/**
 * gh_tls_identities_new_from_keystore:
 * @keystore: a keystore
 * @error: return location for a #GError
 *
 * Every key entry of @keystore becomes an identity the server can present. No key
 * is decrypted here: see gh_tls_identity_open_key().
 *
 * Returns: (transfer full): the identities
 */
GhTlsIdentities *
gh_tls_identities_new_from_keystore (GhKeystore  *keystore,
                                     GError     **error)
{
  g_autoptr(GhTlsIdentities) self = NULL;
  guint n;

  g_return_val_if_fail (GH_IS_KEYSTORE (keystore), NULL);

  self = g_object_new (GH_TYPE_TLS_IDENTITIES, NULL);
  n = g_list_model_get_n_items (G_LIST_MODEL (keystore));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (keystore), i);
      GPtrArray *chain = gh_keystore_entry_get_chain (entry);
      GhTlsIdentity *identity;
      int ret;

      if (gh_keystore_entry_get_kind (entry) != GH_KEYSTORE_ENTRY_KEY)
        continue;

      identity = g_new0 (GhTlsIdentity, 1);
      g_mutex_init (&identity->lock);
      identity->entry = g_object_ref (entry);
      identity->alias = g_strdup (gh_keystore_entry_get_alias (entry));
      identity->certificate = g_object_ref (gh_keystore_entry_get_certificate (entry));
      identity->names = identity_names (identity->certificate);
      identity->pcerts = g_new0 (gnutls_pcert_st, chain->len);

      for (guint j = 0; j < chain->len; j++)
        {
          ret = gnutls_pcert_import_x509 (&identity->pcerts[j],
                                          _gh_certificate_get_gnutls (g_ptr_array_index (chain, j)), 0);
          if (ret < 0)
            {
              identity_free (identity);
              _gh_pki_set_gnutls_error (error, ret, _("Cannot use the certificate chain of a key entry"));
              return NULL;
            }
          identity->n_pcerts++;
        }

      g_ptr_array_add (self->identities, identity);
    }

  return g_steal_pointer (&self);
}

/* Under the identity's lock: decrypts the key, or says why it cannot be. */
static gboolean
open_key_locked (GhTlsIdentity  *identity,
                 GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GhPrivateKey) key = NULL;
  gnutls_privkey_t privkey = NULL;
  int ret;

  if (identity->privkey != NULL)
    return TRUE;

  if (identity->failure == NULL)
    {
      /* The decrypted key lives in the identity alone (a copy in GnuTLS's own
       * type), as long as the generation that serves it. */
      if ((key = gh_keystore_entry_load_private_key (identity->entry, &local_error)) == NULL)
        {
          identity->failure = g_strdup (local_error->message);
        }
      else if ((ret = gnutls_privkey_init (&privkey)) < 0 ||
               (ret = gnutls_privkey_import_x509 (privkey, _gh_private_key_get_gnutls (key),
                                                  GNUTLS_PRIVKEY_IMPORT_COPY)) < 0)
        {
          g_clear_pointer (&privkey, gnutls_privkey_deinit);
          identity->failure = g_strdup (gnutls_strerror (ret));
        }
      else
        {
          identity->privkey = privkey;
          return TRUE;
        }
      /* A handshake has no one to tell but the log; the generation builder has. */
      if (error == NULL)
        g_message ("The private key of keystore entry “%s” cannot be used: %s", identity->alias, identity->failure);
    }

  g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_FAILED, _("The private key of keystore entry “%s” cannot be used: %s"),
               identity->alias, identity->failure);
  return FALSE;
}

/**
 * gh_tls_identity_open_key:
 * @identity: an identity
 * @error: return location for a #GH_PKI_ERROR
 *
 * Decrypts the identity's private key, if it is not yet: the key derivation of a
 * keystore key happens here, once per identity, whoever asks first.
 *
 * Returns: whether the key can be used; when not, @error names the entry and why
 */
gboolean
gh_tls_identity_open_key (GhTlsIdentity  *identity,
                          GError        **error)
{
  gboolean ok;

  g_mutex_lock (&identity->lock);
  ok = open_key_locked (identity, error);
  g_mutex_unlock (&identity->lock);
  return ok;
}

typedef struct {
  GPtrArray *identities;
  gint       next;       /* atomic: the next identity to open */
} OpenAll;

static gpointer
open_all_worker (gpointer data)
{
  OpenAll *all = data;
  guint i;

  while ((i = (guint) g_atomic_int_add (&all->next, 1)) < all->identities->len)
    {
      GhTlsIdentity *identity = g_ptr_array_index (all->identities, i);

      g_mutex_lock (&identity->lock);
      open_key_locked (identity, NULL);
      g_mutex_unlock (&identity->lock);
    }
  return NULL;
}

void
gh_tls_identities_open_all (GhTlsIdentities *self)
{
  OpenAll all = { NULL, 0 };
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  guint n_threads;

  g_return_if_fail (GH_IS_TLS_IDENTITIES (self));

  all.identities = self->identities;
  n_threads = MIN ((guint) g_get_num_processors (), self->identities->len);
  /* This thread works too: one key opens without a thread of its own. */
  for (guint i = 1; i < n_threads; i++)
    {
      GThread *thread = g_thread_try_new ("gh-open-keys", open_all_worker, &all, NULL);

      if (thread != NULL)
        g_ptr_array_add (threads, thread);
    }
  open_all_worker (&all);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
}

/**
 * gh_tls_identities_new_single:
 * @entry: a key entry
 * @error: return location for a #GError
 *
 * The identity of a listener that has exactly one, such as the admin API: it is
 * presented whatever name the client asks for (or none).
 *
 * Returns: (transfer full): the identities
 */
GhTlsIdentities *
gh_tls_identities_new_single (GhKeystoreEntry  *entry,
                              GError          **error)
{
  g_autoptr(GhKeystore) keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  GhTlsIdentities *self;

  g_return_val_if_fail (GH_IS_KEYSTORE_ENTRY (entry), NULL);

  if (gh_keystore_entry_get_kind (entry) != GH_KEYSTORE_ENTRY_KEY)
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                   _("The keystore entry “%s” has no private key"), gh_keystore_entry_get_alias (entry));
      return NULL;
    }

  if (!gh_keystore_add (keystore, entry, error) ||
      (self = gh_tls_identities_new_from_keystore (keystore, error)) == NULL)
    return NULL;
  if (!gh_tls_identity_open_key (g_ptr_array_index (self->identities, 0), error))
    {
      g_object_unref (self);
      return NULL;
    }

  self->any_name = TRUE;
  return self;
}

guint
gh_tls_identities_get_n_identities (GhTlsIdentities *self)
{
  g_return_val_if_fail (GH_IS_TLS_IDENTITIES (self), 0);

  return self->identities->len;
}

static GhTlsIdentity *
find (GhTlsIdentities *self,
      const char      *host)
{
  /* An exact name wins over a wildcard. */
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < self->identities->len; i++)
        {
          GhTlsIdentity *identity = g_ptr_array_index (self->identities, i);

          for (guint j = 0; identity->names[j] != NULL; j++)
            {
              gboolean wildcard = identity->names[j][0] == '*';

              if (wildcard == (pass == 1) && gh_tls_name_matches (identity->names[j], host))
                return identity;
            }
        }
    }

  return NULL;
}

GhTlsIdentity *
gh_tls_identities_select (GhTlsIdentities *self,
                          const char      *server_name,
                          const char      *fallback_host)
{
  GhTlsIdentity *identity = NULL;

  g_return_val_if_fail (GH_IS_TLS_IDENTITIES (self), NULL);

  if (server_name != NULL && *server_name != '\0')
    identity = find (self, server_name);
  if (identity == NULL && fallback_host != NULL)
    identity = find (self, fallback_host);
  if (identity == NULL && self->any_name && self->identities->len > 0)
    identity = g_ptr_array_index (self->identities, 0);

  return identity;
}

const char *
gh_tls_identity_get_alias (GhTlsIdentity *identity)
{
  return identity->alias;
}

GhCertificate *
gh_tls_identity_get_certificate (GhTlsIdentity *identity)
{
  return identity->certificate;
}

gnutls_pcert_st *
gh_tls_identity_get_pcerts (GhTlsIdentity *identity,
                            unsigned int  *n_pcerts)
{
  *n_pcerts = identity->n_pcerts;
  return identity->pcerts;
}

/* The key, decrypted on first use; NULL when it cannot be (logged once). */
gnutls_privkey_t
gh_tls_identity_get_privkey (GhTlsIdentity *identity)
{
  gnutls_privkey_t privkey;

  g_mutex_lock (&identity->lock);
  privkey = open_key_locked (identity, NULL) ? identity->privkey : NULL;
  g_mutex_unlock (&identity->lock);
  return privkey;
}

static void
gh_tls_identities_finalize (GObject *object)
{
  GhTlsIdentities *self = GH_TLS_IDENTITIES (object);

  g_clear_pointer (&self->identities, g_ptr_array_unref);

  G_OBJECT_CLASS (gh_tls_identities_parent_class)->finalize (object);
}

static void
gh_tls_identities_class_init (GhTlsIdentitiesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_tls_identities_finalize;
}

static void
gh_tls_identities_init (GhTlsIdentities *self)
{
  self->identities = g_ptr_array_new_with_free_func (identity_free);
}
