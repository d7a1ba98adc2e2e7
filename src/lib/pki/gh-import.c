/* gh-import.c — reading keys and certificates of any common format, with a preview
 * before anything is committed to a keystore
 *
 * The format is told by content, never by a file name: PEM text of any number of
 * blocks in any order, or one DER structure whose first two elements say what it is
 * (a certificate, a PKCS#1/SEC1/PKCS#8 key, an encrypted PKCS#8 key, PKCS#7 or
 * PKCS#12). Everything found becomes items; items become the entries a commit adds,
 * the way a keystore assembles them: each key with the certificate holding its public
 * key and that certificate's issuers in order, leftover certificates as trusted ones.
 * What is missing or left out becomes a note for people.
 *
 * PKCS#12 is read by the keystore itself (gh_keystore_new_from_bytes()), so a file
 * previews exactly as it opens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-import"

#include "config.h"

#include <glib/gi18n.h>

#include "gh-import.h"
#include "gh-pki-private.h"

struct _GhImport
{
  GObject         parent_instance;

  GhImportFormat  format;
  const char     *format_name;   /* N_() */
  GPtrArray      *certificates;  /* of GhCertificate, in file order, no duplicates */
  GPtrArray      *private_keys;  /* of GhPrivateKey, in file order, no duplicates */
  GhKeystore     *entries;       /* the proposed entries, aliases unique among them */
  GPtrArray      *notes;         /* of char *, NULL-terminated */

  /* While reading */
  GPtrArray      *items;         /* of Item */
  guint           n_requests;
  guint           n_crls;
};

G_DEFINE_FINAL_TYPE (GhImport, gh_import, G_TYPE_OBJECT)

/* What a file holds, before it becomes entries (as in gh-keystore.c). */
typedef struct {
  GObject  *object;  /* GhCertificate or GhPrivateKey */
  char     *name;    /* friendlyName, or NULL */
  char     *key_id;  /* localKeyID as hex, or NULL */
  gboolean  used;    /* in the chain of a key entry */
} Item;

static void
item_free (gpointer data)
{
  Item *item = data;

  g_clear_object (&item->object);
  g_free (item->name);
  g_free (item->key_id);
  g_free (item);
}

static void
add_note (GhImport   *self,
          const char *format,
          ...) G_GNUC_PRINTF (2, 3);

static void
add_note (GhImport   *self,
          const char *format,
          ...)
{
  g_autofree char *text = NULL;
  va_list args;
  char *note;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  /* Labels and names come from the file: keep the note readable text. */
  note = g_utf8_make_valid (text, -1);

  for (guint i = 0; i < self->notes->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->notes, i), note))
        {
          g_free (note);
          return;
        }
    }

  g_ptr_array_add (self->notes, note);
}

/* Adds a certificate or key, once: the same one twice in a file is one item. */
static void
add_item (GhImport   *self,
          gpointer    object,
          const char *name,
          const char *key_id)
{
  Item *item;

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *other = g_ptr_array_index (self->items, i);
      gboolean same = FALSE;

      if (GH_IS_CERTIFICATE (object) && GH_IS_CERTIFICATE (other->object))
        same = gh_certificate_equal (object, GH_CERTIFICATE (other->object));
      else if (GH_IS_PRIVATE_KEY (object) && GH_IS_PRIVATE_KEY (other->object))
        same = g_str_equal (gh_private_key_get_public_key_id (object),
                            gh_private_key_get_public_key_id (GH_PRIVATE_KEY (other->object)));

      if (same)
        {
          /* An alias wins over no name, and over the subject DN Java gives chain certificates. */
          if (name != NULL && *name != '\0' &&
              (other->name == NULL ||
               (GH_IS_CERTIFICATE (object) && g_str_equal (other->name, gh_certificate_get_subject (object)))))
            g_set_str (&other->name, name);
          if (other->key_id == NULL && key_id != NULL && *key_id != '\0')
            other->key_id = g_strdup (key_id);
          g_object_unref (object);
          return;
        }
    }

  item = g_new0 (Item, 1);
  item->object = object;
  item->name = (name != NULL && *name != '\0') ? g_strdup (name) : NULL;
  item->key_id = (key_id != NULL && *key_id != '\0') ? g_strdup (key_id) : NULL;
  g_ptr_array_add (self->items, item);

  if (GH_IS_CERTIFICATE (object))
    g_ptr_array_add (self->certificates, g_object_ref (object));
  else
    g_ptr_array_add (self->private_keys, g_object_ref (object));
}

/* Names for people */

static char *
issuer_name (GhCertificate *certificate)
{
  char *cn = gh_certificate_get_issuer_field (certificate, "CN");

  if (cn != NULL && *cn != '\0')
    return cn;

  g_free (cn);
  return g_strdup (gh_certificate_get_issuer (certificate));
}

/* Chains */

/* gh_certificate_is_issued_by(), after a cheap look at the names: equal DNs read as
 * equal strings, and most pairs in a bundle of roots differ there. */
static gboolean
issued_by (GhCertificate *certificate,
           GhCertificate *issuer)
{
  return g_str_equal (gh_certificate_get_issuer (certificate), gh_certificate_get_subject (issuer)) &&
         gh_certificate_is_issued_by (certificate, issuer);
}

static gboolean
chain_contains (GPtrArray     *chain,
                GhCertificate *certificate)
{
  for (guint i = 0; i < chain->len; i++)
    {
      if (gh_certificate_equal (g_ptr_array_index (chain, i), certificate))
        return TRUE;
    }

  return FALSE;
}

/* The issuer of @certificate among @candidates that is not in @chain yet. */
static GhCertificate *
find_issuer (GhCertificate *certificate,
             GPtrArray     *candidates,
             GPtrArray     *chain)
{
  if (candidates == NULL)
    return NULL;

  for (guint i = 0; i < candidates->len; i++)
    {
      GhCertificate *candidate = g_ptr_array_index (candidates, i);

      if (issued_by (certificate, candidate) && !chain_contains (chain, candidate))
        return candidate;
    }

  return NULL;
}

/* @leaf and its issuers in order, as far as @candidates (then @more) go. */
static GPtrArray *
build_chain (GhCertificate *leaf,
             GPtrArray     *candidates,
             GPtrArray     *more)
{
  GPtrArray *chain = g_ptr_array_new_with_free_func (g_object_unref);
  GhCertificate *last = leaf;

  g_ptr_array_add (chain, g_object_ref (leaf));
  while (!gh_certificate_is_self_issued (last))
    {
      GhCertificate *issuer = find_issuer (last, candidates, chain);

      if (issuer == NULL)
        issuer = find_issuer (last, more, chain);
      if (issuer == NULL)
        break;

      g_ptr_array_add (chain, g_object_ref (issuer));
      last = issuer;
    }

  return chain;
}

static void
note_chain_end (GhImport  *self,
                GPtrArray *chain)
{
  GhCertificate *first = g_ptr_array_index (chain, 0);
  GhCertificate *last = g_ptr_array_index (chain, chain->len - 1);
  g_autofree char *issuer = NULL;

  if (gh_certificate_is_self_issued (last))
    return;

  issuer = issuer_name (last);
  add_note (self, _("The chain of “%s” stops at “%s”: the certificate of its issuer “%s” is not in the file"),
            gh_certificate_get_display_name (first), gh_certificate_get_display_name (last), issuer);
}

/* Whether another certificate of the file was issued by @certificate. */
static gboolean
issued_another (GhImport      *self,
                GhCertificate *certificate)
{
  for (guint i = 0; i < self->certificates->len; i++)
    {
      GhCertificate *other = g_ptr_array_index (self->certificates, i);

      if (issued_by (other, certificate) && !gh_certificate_equal (other, certificate))
        return TRUE;
    }

  return FALSE;
}

/* Notes on the chains of the proposed entries: each key entry's, and for trusted
 * certificates, the chain of each one that issued no other (a leaf, or the top of
 * what the file holds). */
static void
note_chains (GhImport *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  g_autoptr(GPtrArray) in_key_chains = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);
      GPtrArray *chain = gh_keystore_entry_get_chain (entry);

      if (gh_keystore_entry_get_kind (entry) != GH_KEYSTORE_ENTRY_KEY)
        continue;

      note_chain_end (self, chain);
      for (guint j = 0; j < chain->len; j++)
        g_ptr_array_add (in_key_chains, g_ptr_array_index (chain, j));
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);
      GhCertificate *certificate = gh_keystore_entry_get_certificate (entry);
      g_autoptr(GPtrArray) chain = NULL;

      if (gh_keystore_entry_get_kind (entry) != GH_KEYSTORE_ENTRY_TRUSTED_CERT ||
          chain_contains (in_key_chains, certificate) ||
          issued_another (self, certificate))
        continue;

      chain = build_chain (certificate, self->certificates, NULL);
      note_chain_end (self, chain);
    }
}

/* Entries */

static gboolean
alias_is_free (GhKeystore *keystore,
               GHashTable *taken,
               const char *alias)
{
  return gh_keystore_lookup (keystore, alias) == NULL && (taken == NULL || !g_hash_table_contains (taken, alias));
}

/* @base (a valid alias), or @base-2, @base-3, …: the first not in @keystore nor in
 * @taken. A long @base is shortened to leave room for the number. */
static char *
free_alias (GhKeystore *keystore,
            GHashTable *taken,
            const char *base)
{
  g_autofree char *stem = NULL;
  gsize length = strlen (base);
  char *alias;

  if (alias_is_free (keystore, taken, base))
    return g_strdup (base);

  if (length > 240)
    {
      const char *end = base + 240;

      while (end > base && (*end & 0xc0) == 0x80)
        end--;
      length = end - base;
    }
  stem = g_strchomp (g_strndup (base, length));

  alias = NULL;
  for (guint n = 2; alias == NULL || !alias_is_free (keystore, taken, alias); n++)
    {
      g_free (alias);
      alias = g_strdup_printf ("%s-%u", stem, n);
    }

  return alias;
}

/* @name if it is a valid alias, else one from the certificate; unique in @keystore. */
static char *
preview_alias (GhKeystore    *keystore,
               const char    *name,
               GhCertificate *certificate)
{
  if (name == NULL || !gh_keystore_alias_is_valid (name))
    return gh_keystore_make_alias (keystore, certificate);

  return free_alias (keystore, NULL, name);
}

static Item *
find_leaf_for_key (GhImport *self,
                   Item     *key_item)
{
  GhPrivateKey *key = GH_PRIVATE_KEY (key_item->object);

  /* The certificate with the same local key id, else the one with the key's public key. */
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < self->items->len; i++)
        {
          Item *item = g_ptr_array_index (self->items, i);

          if (!GH_IS_CERTIFICATE (item->object) || !gh_private_key_matches (key, GH_CERTIFICATE (item->object)))
            continue;
          if (pass == 1 ||
              (key_item->key_id != NULL && item->key_id != NULL && g_str_equal (key_item->key_id, item->key_id)))
            return item;
        }
    }

  return NULL;
}

static Item *
find_certificate_item (GhImport      *self,
                       GhCertificate *certificate)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (GH_IS_CERTIFICATE (item->object) && gh_certificate_equal (GH_CERTIFICATE (item->object), certificate))
        return item;
    }

  return NULL;
}

static void
add_entry (GhKeystore      *keystore,
           GhKeystoreEntry *entry)
{
  g_autoptr(GError) error = NULL;

  /* The alias was made unique in @keystore. */
  if (!gh_keystore_add (keystore, entry, &error))
    g_critical ("%s", error->message);
}

static void
assemble_entries (GhImport *self)
{
  guint n_lonely_keys = 0;

  /* Key entries first, in the order of their keys. */
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *key_item = g_ptr_array_index (self->items, i);
      g_autoptr(GPtrArray) chain = NULL;
      g_autoptr(GhKeystoreEntry) entry = NULL;
      g_autofree char *alias = NULL;
      Item *leaf;

      if (!GH_IS_PRIVATE_KEY (key_item->object))
        continue;

      leaf = find_leaf_for_key (self, key_item);
      if (leaf == NULL)
        {
          n_lonely_keys++;
          continue;
        }

      chain = build_chain (GH_CERTIFICATE (leaf->object), self->certificates, NULL);
      leaf->used = TRUE;
      for (guint j = 1; j < chain->len; j++)
        {
          GhCertificate *certificate = g_ptr_array_index (chain, j);
          Item *issuer = find_certificate_item (self, certificate);

          /* A chain certificate with a name of its own is also a trusted entry; Java
           * names each chain certificate after its subject DN, which is no alias. */
          if (issuer != NULL &&
              (issuer->name == NULL || g_str_equal (issuer->name, gh_certificate_get_subject (certificate))))
            issuer->used = TRUE;
        }

      alias = preview_alias (self->entries, key_item->name ? key_item->name : leaf->name,
                             GH_CERTIFICATE (leaf->object));
      entry = gh_keystore_entry_new_key (alias, GH_PRIVATE_KEY (key_item->object), chain);
      add_entry (self->entries, entry);
    }

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      g_autoptr(GhKeystoreEntry) entry = NULL;
      g_autofree char *alias = NULL;

      if (!GH_IS_CERTIFICATE (item->object) || item->used)
        continue;

      alias = preview_alias (self->entries, item->name, GH_CERTIFICATE (item->object));
      entry = gh_keystore_entry_new_trusted (alias, GH_CERTIFICATE (item->object));
      add_entry (self->entries, entry);
    }

  if (n_lonely_keys == 1)
    add_note (self, "%s", _("A private key has no certificate: import its certificate too"));
  else if (n_lonely_keys > 1)
    add_note (self, ngettext ("%u private key has no certificate: import its certificate too",
                              "%u private keys have no certificate: import their certificates too",
                              n_lonely_keys),
              n_lonely_keys);
}

/* DER */

typedef struct {
  guint8        tag;
  const guchar *content;
  gsize         length;  /* of the content; what is left when the length is indefinite */
  gsize         size;    /* header and content; 0 when the length is indefinite (BER) */
} Tlv;

static gboolean
read_tlv (const guchar *bytes,
          gsize         available,
          Tlv          *tlv)
{
  gsize header = 2, length = 0;

  if (available < 2 || (bytes[0] & 0x1f) == 0x1f)
    return FALSE;

  tlv->tag = bytes[0];
  if (bytes[1] < 0x80)
    {
      length = bytes[1];
    }
  else if (bytes[1] == 0x80)
    {
      tlv->content = bytes + 2;
      tlv->length = available - 2;
      tlv->size = 0;
      return TRUE;
    }
  else
    {
      guint n = bytes[1] & 0x7f;

      if (n > 4 || available < 2 + n)
        return FALSE;
      for (guint i = 0; i < n; i++)
        length = (length << 8) | bytes[2 + i];
      header = 2 + n;
    }

  tlv->content = bytes + header;
  tlv->size = header + length;
  tlv->length = MIN (length, available - header);
  return TRUE;
}

typedef enum {
  DER_UNKNOWN,
  DER_SIGNED,              /* certificate, certificate request or CRL */
  DER_PRIVATE_KEY,         /* PKCS#1 RSA, SEC1 EC, DSA */
  DER_PKCS8,
  DER_ENCRYPTED_PKCS8,
  DER_PKCS7,
  DER_PKCS12,
} DerKind;

/* What a DER structure is, from its first two elements. */
static DerKind
classify_der (const guchar *bytes,
              gsize         length)
{
  Tlv outer, first, second;

  if (!read_tlv (bytes, length, &outer) || outer.tag != 0x30 ||
      !read_tlv (outer.content, outer.length, &first))
    return DER_UNKNOWN;

  if (first.tag == 0x06)
    return DER_PKCS7;  /* a ContentInfo */

  if (first.size == 0 || first.size >= outer.length ||
      !read_tlv (outer.content + first.size, outer.length - first.size, &second))
    return DER_UNKNOWN;

  if (first.tag == 0x02)
    {
      if (second.tag == 0x30)
        return (first.length == 1 && first.content[0] == 3) ? DER_PKCS12 : DER_PKCS8;
      if (second.tag == 0x02 || second.tag == 0x04)
        return DER_PRIVATE_KEY;
    }
  else if (first.tag == 0x30)
    {
      if (second.tag == 0x04)
        return DER_ENCRYPTED_PKCS8;
      if (second.tag == 0x30)
        return DER_SIGNED;
    }

  return DER_UNKNOWN;
}

static gboolean
set_truncated (GError **error)
{
  g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_TRUNCATED,
                       _("The file is truncated: it ends before its content does. Get the whole file again"));
  return FALSE;
}

static gboolean
set_corrupt (GError     **error,
             const char  *what,
             int          code)
{
  g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_CORRUPT,
               _("%s is corrupt (%s): get the file again from where it came"), what, gnutls_strerror (code));
  return FALSE;
}

static gboolean
set_request_alone (GError **error)
{
  g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_UNKNOWN_FORMAT,
                       _("This is a certificate request, not a certificate: send it to your certificate authority, "
                         "then import the certificate it returns"));
  return FALSE;
}

static gboolean
read_pkcs7 (GhImport      *self,
            const guchar  *bytes,
            gsize          length,
            GError       **error)
{
  gnutls_pkcs7_t p7 = NULL;
  gnutls_datum_t datum = { (guchar *) bytes, length };
  gboolean ok = FALSE;
  int ret, count;

  if ((ret = gnutls_pkcs7_init (&p7)) < 0)
    return _gh_pki_set_gnutls_error (error, ret, _("Could not read the PKCS#7 file"));

  if ((ret = gnutls_pkcs7_import (p7, &datum, GNUTLS_X509_FMT_DER)) < 0)
    {
      if (ret == GNUTLS_E_ASN1_DER_OVERFLOW)
        set_truncated (error);
      else
        set_corrupt (error, _("The PKCS#7 file"), ret);
      goto out;
    }

  count = gnutls_pkcs7_get_crt_count (p7);
  for (int i = 0; i < count; i++)
    {
      gnutls_datum_t der = { NULL, 0 };
      g_autoptr(GBytes) der_bytes = NULL;
      g_autoptr(GError) local_error = NULL;
      GhCertificate *certificate;

      if ((ret = gnutls_pkcs7_get_crt_raw2 (p7, i, &der)) < 0)
        {
          set_corrupt (error, _("The PKCS#7 file"), ret);
          goto out;
        }
      der_bytes = g_bytes_new (der.data, der.size);
      gnutls_free (der.data);

      certificate = gh_certificate_new_from_der (der_bytes, &local_error);
      if (certificate == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("Certificate %d of the PKCS#7 file: "), i + 1);
          goto out;
        }
      add_item (self, certificate, NULL, NULL);
    }

  count = gnutls_pkcs7_get_crl_count (p7);
  if (count > 0)
    self->n_crls += count;

  ok = TRUE;

out:
  gnutls_pkcs7_deinit (p7);
  return ok;
}

/* A key given as DER: plain keys never get the password, encrypted ones need it. */
static GhPrivateKey *
read_der_key (const guchar  *bytes,
              gsize          length,
              gboolean       encrypted,
              const char    *password,
              GError       **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_datum_t datum = { (guchar *) bytes, length };
  int ret;

  if (encrypted && password == NULL)
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED,
                           _("The private key is encrypted: give its password"));
      return NULL;
    }

  if ((ret = gnutls_x509_privkey_init (&key)) < 0)
    {
      _gh_pki_set_gnutls_error (error, ret, _("Could not read the private key"));
      return NULL;
    }

  if (encrypted)
    ret = gnutls_x509_privkey_import_pkcs8 (key, &datum, GNUTLS_X509_FMT_DER, password, 0);
  else
    ret = gnutls_x509_privkey_import2 (key, &datum, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN);

  if (ret < 0)
    {
      gnutls_x509_privkey_deinit (key);
      if (ret == GNUTLS_E_DECRYPTION_FAILED)
        g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_WRONG_PASSWORD,
                             _("The password of the private key is wrong"));
      else if (ret == GNUTLS_E_ASN1_DER_OVERFLOW)
        set_truncated (error);
      else if (ret == GNUTLS_E_UNKNOWN_CIPHER_TYPE || ret == GNUTLS_E_UNSUPPORTED_ENCRYPTION_ALGORITHM ||
               ret == GNUTLS_E_UNKNOWN_PK_ALGORITHM || ret == GNUTLS_E_UNKNOWN_ALGORITHM ||
               ret == GNUTLS_E_UNKNOWN_HASH_ALGORITHM || ret == GNUTLS_E_ECC_UNSUPPORTED_CURVE)
        _gh_pki_set_gnutls_error (error, ret, _("The private key uses an algorithm Gatehouse cannot read"));
      else
        set_corrupt (error, _("The private key"), ret);
      return NULL;
    }

  return _gh_private_key_new_take (key);
}

static gboolean
read_signed (GhImport      *self,
             const guchar  *bytes,
             gsize          length,
             GError       **error)
{
  gnutls_datum_t datum = { (guchar *) bytes, length };
  gnutls_x509_crt_t crt = NULL;
  gnutls_x509_crq_t crq = NULL;
  gnutls_x509_crl_t crl = NULL;
  int ret, crt_ret;

  if ((ret = gnutls_x509_crt_init (&crt)) < 0)
    return _gh_pki_set_gnutls_error (error, ret, _("Could not read the certificate"));

  crt_ret = gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER);
  if (crt_ret >= 0)
    {
      add_item (self, _gh_certificate_new_take (crt), NULL, NULL);
      return TRUE;
    }
  gnutls_x509_crt_deinit (crt);

  if (gnutls_x509_crq_init (&crq) >= 0)
    {
      ret = gnutls_x509_crq_import (crq, &datum, GNUTLS_X509_FMT_DER);
      gnutls_x509_crq_deinit (crq);
      if (ret >= 0)
        {
          self->n_requests++;
          return TRUE;
        }
    }

  if (gnutls_x509_crl_init (&crl) >= 0)
    {
      ret = gnutls_x509_crl_import (crl, &datum, GNUTLS_X509_FMT_DER);
      gnutls_x509_crl_deinit (crl);
      if (ret >= 0)
        {
          self->n_crls++;
          return TRUE;
        }
    }

  if (crt_ret == GNUTLS_E_ASN1_DER_OVERFLOW)
    return set_truncated (error);

  return set_corrupt (error, _("The certificate"), crt_ret);
}

static gboolean
read_pkcs12 (GhImport      *self,
             GBytes        *data,
             const char    *password,
             GError       **error)
{
  g_autoptr(GhKeystore) keystore = NULL;
  g_autoptr(GError) local_error = NULL;
  guint n;

  keystore = gh_keystore_new_from_bytes (data, password, GH_KEYSTORE_LOAD_NONE, &local_error);
  if (keystore == NULL && g_error_matches (local_error, GH_PKI_ERROR, GH_PKI_ERROR_NO_MAC))
    {
      g_clear_error (&local_error);
      keystore = gh_keystore_new_from_bytes (data, password, GH_KEYSTORE_LOAD_ALLOW_NO_MAC, &local_error);
      if (keystore != NULL)
        add_note (self, "%s", _("The PKCS#12 file has no integrity protection (no MAC): anyone could have changed it. "
                                "Import it only if you trust where it came from"));
    }
  if (keystore == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (keystore));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (G_LIST_MODEL (keystore), i);
      GhPrivateKey *key = gh_keystore_entry_get_private_key (entry);
      GPtrArray *chain = gh_keystore_entry_get_chain (entry);

      if (key != NULL)
        add_item (self, g_object_ref (key), gh_keystore_entry_get_alias (entry), NULL);
      for (guint j = 0; j < chain->len; j++)
        add_item (self, g_object_ref (g_ptr_array_index (chain, j)),
                  j == 0 ? gh_keystore_entry_get_alias (entry) : NULL, NULL);
    }

  /* The entries are the keystore's own, as it opens. */
  g_set_object (&self->entries, keystore);
  return TRUE;
}

/* Java keystores start with a magic number: say how to convert them. */
static gboolean
is_java_keystore (const guchar *bytes,
                  gsize         length)
{
  static const guchar jks[] = { 0xfe, 0xed, 0xfe, 0xed };
  static const guchar jceks[] = { 0xce, 0xce, 0xce, 0xce };

  return length >= 4 && (memcmp (bytes, jks, 4) == 0 || memcmp (bytes, jceks, 4) == 0);
}

static gboolean
set_unknown_format (GError **error)
{
  g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_UNKNOWN_FORMAT,
                       _("This is not a certificate, key or keystore that Gatehouse can read: "
                         "use PEM, DER, PKCS#7, PKCS#8 or PKCS#12"));
  return FALSE;
}

/* One DER object of @kind: all of @data. */
static gboolean
read_der_object (GhImport      *self,
                 GBytes        *data,
                 DerKind        kind,
                 const char    *password,
                 GError       **error)
{
  gsize length = 0;
  const guchar *bytes = g_bytes_get_data (data, &length);
  g_autoptr(GhPrivateKey) key = NULL;

  switch (kind)
    {
    case DER_SIGNED:
      self->format = GH_IMPORT_FORMAT_DER_CERTIFICATE;
      self->format_name = N_("DER certificate");
      return read_signed (self, bytes, length, error);

    case DER_PKCS12:
      self->format = GH_IMPORT_FORMAT_PKCS12;
      self->format_name = N_("PKCS#12");
      return read_pkcs12 (self, data, password, error);

    case DER_PKCS7:
      self->format = GH_IMPORT_FORMAT_PKCS7;
      self->format_name = N_("PKCS#7");
      return read_pkcs7 (self, bytes, length, error);

    case DER_PRIVATE_KEY:
    case DER_PKCS8:
    case DER_ENCRYPTED_PKCS8:
      self->format = kind == DER_PRIVATE_KEY ? GH_IMPORT_FORMAT_DER_PRIVATE_KEY : GH_IMPORT_FORMAT_PKCS8;
      self->format_name = kind == DER_PRIVATE_KEY ? N_("DER private key")
                        : kind == DER_PKCS8 ? N_("PKCS#8") : N_("PKCS#8, encrypted");
      key = read_der_key (bytes, length, kind == DER_ENCRYPTED_PKCS8, password, error);
      if (key == NULL)
        return FALSE;
      add_item (self, g_steal_pointer (&key), NULL, NULL);
      return TRUE;

    case DER_UNKNOWN:
    default:
      return set_unknown_format (error);
    }
}

static gboolean
is_blank (const guchar *bytes,
          gsize         length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (bytes[i] != '\0' && !g_ascii_isspace (bytes[i]))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_der (GhImport      *self,
          GBytes        *data,
          const char    *password,
          GError       **error)
{
  gsize length = 0;
  const guchar *bytes = g_bytes_get_data (data, &length);
  g_autoptr(GBytes) first = NULL;
  DerKind kind;
  gsize size;
  Tlv outer;

  if (is_java_keystore (bytes, length))
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_UNKNOWN_FORMAT,
                           _("This is a Java keystore (JKS or JCEKS): convert it to PKCS#12 first with "
                             "“keytool -importkeystore -srckeystore FILE -destkeystore FILE.p12 -deststoretype PKCS12”"));
      return FALSE;
    }

  if (!read_tlv (bytes, length, &outer) || outer.tag != 0x30)
    return set_unknown_format (error);
  if (outer.size > length)
    return set_truncated (error);

  /* A DER object says how long it is (unless its length is BER's indefinite one):
   * GnuTLS rejects anything after it, as a newline an editor added. */
  size = outer.size > 0 ? outer.size : length;
  first = g_bytes_new_from_bytes (data, 0, size);
  kind = classify_der (bytes, size);
  if (!read_der_object (self, first, kind, password, error))
    return FALSE;

  /* What follows is another certificate (`cat a.der b.der`), or left out. */
  for (gsize offset = size; offset < length && !is_blank (bytes + offset, length - offset); )
    {
      const guchar *rest = bytes + offset;
      gsize left = length - offset;
      Tlv next;

      if (kind != DER_SIGNED || !read_tlv (rest, left, &next) || next.tag != 0x30 || next.size == 0)
        {
          add_note (self, "%s", _("The file goes on after its content: the rest was left out"));
          break;
        }
      if (next.size > left)
        return set_truncated (error);
      if (classify_der (rest, next.size) != DER_SIGNED)
        {
          add_note (self, "%s", _("The file goes on after its content: the rest was left out"));
          break;
        }
      if (!read_signed (self, rest, next.size, error))
        return FALSE;
      offset += next.size;
    }

  return TRUE;
}

/* PEM */

static gboolean
is_key_label (const char *label)
{
  return g_str_equal (label, "PRIVATE KEY") || g_str_equal (label, "ENCRYPTED PRIVATE KEY") ||
         g_str_equal (label, "RSA PRIVATE KEY") || g_str_equal (label, "EC PRIVATE KEY") ||
         g_str_equal (label, "DSA PRIVATE KEY");
}

static GBytes *
decode_pem_block (const char  *label,
                  GBytes      *block,
                  GError     **error)
{
  gnutls_datum_t pem, der = { NULL, 0 };
  GBytes *bytes;
  gsize size;
  int ret;

  pem.data = (guchar *) g_bytes_get_data (block, &size);
  pem.size = size;
  if ((ret = gnutls_pem_base64_decode2 (label, &pem, &der)) < 0)
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_CORRUPT,
                   _("The PEM block “%s” is corrupt (%s): get the file again from where it came"),
                   label, gnutls_strerror (ret));
      return NULL;
    }

  bytes = g_bytes_new (der.data, der.size);
  gnutls_free (der.data);
  return bytes;
}

static gboolean
read_pem_block (GhImport     *self,
                const char   *label,
                GBytes       *block,
                guint         number,
                const char   *name,
                const char   *key_id,
                const char   *password,
                GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize size;
  const char *text = g_bytes_get_data (block, &size);

  if (g_str_equal (label, "CERTIFICATE") || g_str_equal (label, "X509 CERTIFICATE") ||
      g_str_equal (label, "TRUSTED CERTIFICATE"))
    {
      g_autoptr(GBytes) der = decode_pem_block (label, block, error);
      GhCertificate *certificate;
      gsize der_size = 0, length;
      const guchar *der_data;
      Tlv tlv;

      if (der == NULL)
        return FALSE;

      /* OpenSSL's TRUSTED CERTIFICATE is a certificate followed by its trust settings. */
      der_data = g_bytes_get_data (der, &der_size);
      length = (read_tlv (der_data, der_size, &tlv) && tlv.size > 0 && tlv.size < der_size) ? tlv.size : der_size;
      {
        g_autoptr(GBytes) certificate_der = g_bytes_new_from_bytes (der, 0, length);

        certificate = gh_certificate_new_from_der (certificate_der, &local_error);
      }
      if (certificate == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("Block %u of the file (a certificate): "), number);
          return FALSE;
        }
      add_item (self, certificate, name, key_id);
    }
  else if (is_key_label (label))
    {
      gboolean encrypted = g_str_equal (label, "ENCRYPTED PRIVATE KEY") ||
                           g_strstr_len (text, size, "Proc-Type: 4,ENCRYPTED") != NULL;
      GhPrivateKey *key = gh_private_key_new_from_data (block, encrypted ? password : NULL, &local_error);

      if (key == NULL)
        {
          if (local_error->domain == GH_PKI_ERROR &&
              (local_error->code == GH_PKI_ERROR_PASSWORD_REQUIRED || local_error->code == GH_PKI_ERROR_WRONG_PASSWORD))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                        _("Block %u of the file (a private key): "), number);
          return FALSE;
        }
      add_item (self, key, name, key_id);
    }
  else if (g_str_equal (label, "PKCS7") || g_str_equal (label, "PKCS #7 SIGNED DATA") || g_str_equal (label, "CMS"))
    {
      g_autoptr(GBytes) der = decode_pem_block (label, block, error);
      gsize der_size = 0;
      const guchar *der_data;

      if (der == NULL)
        return FALSE;
      der_data = g_bytes_get_data (der, &der_size);
      if (!read_pkcs7 (self, der_data, der_size, error))
        return FALSE;
    }
  else if (g_str_equal (label, "CERTIFICATE REQUEST") || g_str_equal (label, "NEW CERTIFICATE REQUEST"))
    {
      self->n_requests++;
    }
  else if (g_str_equal (label, "X509 CRL"))
    {
      self->n_crls++;
    }
  else if (g_str_has_suffix (label, " PARAMETERS"))
    {
      /* EC or DH parameters, as `openssl ecparam -genkey` writes before the key. */
    }
  else if (g_str_equal (label, "PUBLIC KEY") || g_str_equal (label, "RSA PUBLIC KEY"))
    {
      add_note (self, "%s", _("A public key was left out: a keystore holds certificates, which carry public keys"));
    }
  else
    {
      add_note (self, _("A PEM block “%s” was left out: it is not a certificate or key Gatehouse can use"), label);
    }

  return TRUE;
}

typedef struct {
  GhImport   *self;
  const char *password;
  guint       n_pkcs7;
} PemRead;

static gboolean
read_pem_block_cb (const char  *label,
                   GBytes      *block,
                   guint        number,
                   const char  *name,
                   const char  *key_id,
                   gpointer     user_data,
                   GError     **error)
{
  PemRead *read = user_data;

  if (g_str_equal (label, "PKCS7") || g_str_equal (label, "PKCS #7 SIGNED DATA") || g_str_equal (label, "CMS"))
    read->n_pkcs7++;

  return read_pem_block (read->self, label, block, number, name, key_id, read->password, error);
}

static gboolean
read_pem (GhImport      *self,
          GBytes        *data,
          const char    *password,
          GError       **error)
{
  gsize length = 0;
  const char *text = g_bytes_get_data (data, &length);
  PemRead read = { self, password, 0 };
  guint n_blocks = 0, n_pkcs7;

  self->format = GH_IMPORT_FORMAT_PEM;
  self->format_name = N_("PEM bundle");

  if (!_gh_pem_foreach_block (text, length, read_pem_block_cb, &read, &n_blocks, error))
    return FALSE;
  n_pkcs7 = read.n_pkcs7;

  if (n_blocks == 0)
    return set_unknown_format (error);

  /* A PEM file that is one PKCS#7 block is a PKCS#7 file. */
  if (n_blocks == 1 && n_pkcs7 == 1)
    {
      self->format = GH_IMPORT_FORMAT_PKCS7;
      self->format_name = N_("PKCS#7");
    }

  return TRUE;
}

/**
 * gh_import_new_from_bytes:
 * @data: a file's content, of any supported format
 * @password: (nullable): the password of an encrypted key or of a PKCS#12 file
 * @error: return location for a #GH_PKI_ERROR
 *
 * Detects the format by content and reads everything, committing nothing.
 * Certificate requests, CRLs and parameters are left out (with a note); a file
 * with nothing else is an error.
 *
 * Returns: (transfer full): the import, or %NULL with @error saying what is wrong
 */
GhImport *
gh_import_new_from_bytes (GBytes      *data,
                          const char  *password,
                          GError     **error)
{
  g_autoptr(GhImport) self = NULL;
  const guchar *bytes;
  gsize length = 0;
  gboolean ok;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_bytes_get_data (data, &length);
  if (!_gh_pki_check_input_size (length, error))
    return NULL;

  self = g_object_new (GH_TYPE_IMPORT, NULL);
  if (_gh_pki_looks_like_pem (bytes, length))
    ok = read_pem (self, data, password, error);
  else
    ok = read_der (self, data, password, error);
  if (!ok)
    return NULL;

  if (self->certificates->len == 0 && self->private_keys->len == 0)
    {
      if (self->n_requests > 0)
        return (set_request_alone (error), NULL);

      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_UNKNOWN_FORMAT,
                           self->n_crls > 0
                           ? _("The file holds only certificate revocation lists: import a certificate or a key")
                           : _("The file holds no certificate and no private key: nothing to import"));
      return NULL;
    }

  if (self->format != GH_IMPORT_FORMAT_PKCS12)
    assemble_entries (self);
  note_chains (self);

  if (self->n_requests > 0)
    add_note (self, "%s", _("A certificate request was left out: import the certificate your certificate authority "
                            "issues for it"));
  if (self->n_crls > 0)
    add_note (self, "%s", _("A certificate revocation list was left out: a keystore does not hold CRLs"));

  g_clear_pointer (&self->items, g_ptr_array_unref);
  return g_steal_pointer (&self);
}

GhImportFormat
gh_import_get_format (GhImport *self)
{
  g_return_val_if_fail (GH_IS_IMPORT (self), GH_IMPORT_FORMAT_PEM);

  return self->format;
}

/* "PKCS#12", "PEM bundle", "DER certificate", …, translated */
const char *
gh_import_get_format_name (GhImport *self)
{
  g_return_val_if_fail (GH_IS_IMPORT (self), NULL);

  return _(self->format_name);
}

/**
 * gh_import_get_certificates:
 * @self: a #GhImport
 *
 * Returns: (transfer none) (element-type GhCertificate): every certificate found,
 *   in file order, each once
 */
GPtrArray *
gh_import_get_certificates (GhImport *self)
{
  g_return_val_if_fail (GH_IS_IMPORT (self), NULL);

  return self->certificates;
}

/**
 * gh_import_get_private_keys:
 * @self: a #GhImport
 *
 * Returns: (transfer none) (element-type GhPrivateKey): every private key found,
 *   including those without a certificate (which make no entry)
 */
GPtrArray *
gh_import_get_private_keys (GhImport *self)
{
  g_return_val_if_fail (GH_IS_IMPORT (self), NULL);

  return self->private_keys;
}

/**
 * gh_import_get_entries:
 * @self: a #GhImport
 *
 * Returns: (transfer none): a #GListModel of #GhKeystoreEntry: key entries first,
 *   then trusted certificates, with the aliases a commit would give them in an
 *   empty keystore
 */
GListModel *
gh_import_get_entries (GhImport *self)
{
  g_return_val_if_fail (GH_IS_IMPORT (self), NULL);

  return G_LIST_MODEL (self->entries);
}

/**
 * gh_import_get_notes:
 * @self: a #GhImport
 *
 * Returns: (transfer none) (array zero-terminated=1): what is missing from the file
 *   or was left out, one sentence each
 */
const char * const *
gh_import_get_notes (GhImport *self)
{
  g_return_val_if_fail (GH_IS_IMPORT (self), NULL);

  return (const char * const *) self->notes->pdata;
}

/* The key entry of @keystore and the certificate of the import holding its key. */
static GhKeystoreEntry *
find_reply (GhImport       *self,
            GhKeystore     *keystore,
            GhCertificate **leaf)
{
  if (self->private_keys->len > 0)
    return NULL;

  for (guint i = 0; i < self->certificates->len; i++)
    {
      GhCertificate *certificate = g_ptr_array_index (self->certificates, i);
      GhKeystoreEntry *entry = gh_keystore_find_key_for (keystore, certificate);

      if (entry != NULL)
        {
          if (leaf != NULL)
            *leaf = certificate;
          return entry;
        }
    }

  return NULL;
}

/**
 * gh_import_find_reply_target:
 * @self: a #GhImport
 * @keystore: the keystore to import into
 *
 * A file of certificates only (no private key) is a CA's reply when one of its
 * certificates holds the public key of a key entry of @keystore.
 *
 * Returns: (transfer none) (nullable): that key entry
 */
GhKeystoreEntry *
gh_import_find_reply_target (GhImport   *self,
                             GhKeystore *keystore)
{
  g_return_val_if_fail (GH_IS_IMPORT (self), NULL);
  g_return_val_if_fail (GH_IS_KEYSTORE (keystore), NULL);

  return find_reply (self, keystore, NULL);
}

static gboolean
commit_reply (GhImport         *self,
              GhKeystore       *keystore,
              GhKeystoreEntry  *target,
              GhCertificate    *leaf,
              const char       *alias,
              GError          **error)
{
  const char *target_alias = gh_keystore_entry_get_alias (target);
  GPtrArray *old_chain = gh_keystore_entry_get_chain (target);
  g_autoptr(GPtrArray) known = gh_keystore_get_trusted_certificates (keystore);
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(GhKeystoreEntry) entry = NULL;

  if (alias != NULL && !g_str_equal (alias, target_alias))
    {
      GhKeystoreEntry *named = gh_keystore_lookup (keystore, alias);

      if (named != NULL && gh_keystore_entry_get_kind (named) == GH_KEYSTORE_ENTRY_KEY)
        g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_KEY_MISMATCH,
                     _("The certificate “%s” holds the key of “%s”, not of “%s”: import it for “%s”"),
                     gh_certificate_get_display_name (leaf), target_alias, alias, target_alias);
      else if (named != NULL)
        g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_EXISTS,
                     _("The keystore already has an entry “%s”: choose another alias, or delete that one first"),
                     alias);
      else
        g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                     _("This is the certificate authority’s reply for “%s”: import it under that alias, or without one"),
                     target_alias);
      return FALSE;
    }

  /* The issuers from the reply first, then those the entry had (a renewal from the
   * same CA often comes alone), then the keystore's trusted certificates. */
  for (guint i = 1; i < old_chain->len; i++)
    g_ptr_array_insert (known, i - 1, g_object_ref (g_ptr_array_index (old_chain, i)));
  chain = build_chain (leaf, self->certificates, known);

  entry = gh_keystore_entry_new_key (target_alias, gh_keystore_entry_get_private_key (target), chain);
  return gh_keystore_replace (keystore, entry, error);
}

static gboolean
has_trusted (GhKeystore    *keystore,
             GhCertificate *certificate)
{
  g_autoptr(GPtrArray) trusted = gh_keystore_get_trusted_certificates (keystore);

  return chain_contains (trusted, certificate);
}

static gboolean
commit_entries (GhImport    *self,
                GhKeystore  *keystore,
                const char  *alias,
                GError     **error)
{
  GListModel *entries = G_LIST_MODEL (self->entries);
  guint n = g_list_model_get_n_items (entries);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) plan = g_ptr_array_new_with_free_func (g_object_unref);
  guint added = 0;

  if (n == 0)
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                           _("A private key has no certificate: import its certificate too"));
      return FALSE;
    }

  if (alias != NULL)
    g_hash_table_add (taken, g_strdup (alias));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhKeystoreEntry) entry = g_list_model_get_item (entries, i);
      GhKeystoreEntryKind kind = gh_keystore_entry_get_kind (entry);
      g_autofree char *final_alias = NULL;

      /* A certificate the keystore already trusts is not added twice. */
      if (kind == GH_KEYSTORE_ENTRY_TRUSTED_CERT && !(i == 0 && alias != NULL) &&
          has_trusted (keystore, gh_keystore_entry_get_certificate (entry)))
        continue;

      if (i == 0 && alias != NULL)
        final_alias = g_strdup (alias);
      else
        final_alias = free_alias (keystore, taken, gh_keystore_entry_get_alias (entry));
      g_hash_table_add (taken, g_strdup (final_alias));

      if (g_str_equal (final_alias, gh_keystore_entry_get_alias (entry)))
        g_ptr_array_add (plan, g_steal_pointer (&entry));
      else if (kind == GH_KEYSTORE_ENTRY_KEY)
        g_ptr_array_add (plan, gh_keystore_entry_new_key (final_alias, gh_keystore_entry_get_private_key (entry),
                                                          gh_keystore_entry_get_chain (entry)));
      else
        g_ptr_array_add (plan, gh_keystore_entry_new_trusted (final_alias, gh_keystore_entry_get_certificate (entry)));
    }

  for (; added < plan->len; added++)
    {
      if (!gh_keystore_add (keystore, g_ptr_array_index (plan, added), error))
        {
          /* Not expected (the aliases were checked): undo what was added. */
          while (added-- > 0)
            gh_keystore_remove (keystore, gh_keystore_entry_get_alias (g_ptr_array_index (plan, added)), NULL);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * gh_import_commit:
 * @self: a #GhImport
 * @keystore: where to add the entries
 * @alias: (nullable): the alias of the first key entry (or of the first trusted
 *   certificate when there is no key); for a CA reply, that of the entry it is for
 * @error: return location for a #GH_PKI_ERROR
 *
 * Adds the proposed entries; aliases taken in @keystore get a number (“web-2”),
 * and certificates @keystore already trusts are not added again. A CA reply (see
 * gh_import_find_reply_target()) replaces the chain of the key entry it is for,
 * completed from the certificates that entry had and those @keystore trusts.
 * On error @keystore is unchanged.
 */
gboolean
gh_import_commit (GhImport    *self,
                  GhKeystore  *keystore,
                  const char  *alias,
                  GError     **error)
{
  GhCertificate *leaf = NULL;
  GhKeystoreEntry *target, *named;

  g_return_val_if_fail (GH_IS_IMPORT (self), FALSE);
  g_return_val_if_fail (GH_IS_KEYSTORE (keystore), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (alias != NULL && !gh_keystore_alias_is_valid (alias))
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                   _("“%s” is not a valid alias: use 1 to 255 characters, no control characters, no space at either end"),
                   alias);
      return FALSE;
    }

  target = find_reply (self, keystore, &leaf);
  if (target != NULL)
    return commit_reply (self, keystore, target, leaf, alias, error);

  named = alias != NULL ? gh_keystore_lookup (keystore, alias) : NULL;
  if (named != NULL)
    {
      if (gh_keystore_entry_get_kind (named) == GH_KEYSTORE_ENTRY_KEY && self->private_keys->len == 0)
        g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_KEY_MISMATCH,
                     _("No certificate in the file holds the public key of “%s”: this is not the certificate "
                       "authority’s reply for it. Check that the request was made from that entry"),
                     alias);
      else
        g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_EXISTS,
                     _("The keystore already has an entry “%s”: choose another alias, or delete that one first"),
                     alias);
      return FALSE;
    }

  return commit_entries (self, keystore, alias, error);
}

/* Export */

/**
 * gh_export_format_from_string:
 * @name: "pem", "der", "p7" (or "p7b", "pkcs7") or "p12" (or "pfx", "pkcs12")
 * @format: (out): the format
 *
 * Returns: whether @name is a format
 */
gboolean
gh_export_format_from_string (const char     *name,
                              GhExportFormat *format)
{
  static const struct {
    const char     *name;
    GhExportFormat  format;
  } names[] = {
    { "pem", GH_EXPORT_FORMAT_PEM },
    { "der", GH_EXPORT_FORMAT_DER },
    { "p7", GH_EXPORT_FORMAT_PKCS7 },
    { "p7b", GH_EXPORT_FORMAT_PKCS7 },
    { "pkcs7", GH_EXPORT_FORMAT_PKCS7 },
    { "p12", GH_EXPORT_FORMAT_PKCS12 },
    { "pfx", GH_EXPORT_FORMAT_PKCS12 },
    { "pkcs12", GH_EXPORT_FORMAT_PKCS12 },
  };

  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_ascii_strcasecmp (name, names[i].name) == 0)
        {
          if (format != NULL)
            *format = names[i].format;
          return TRUE;
        }
    }

  return FALSE;
}

static GBytes *
export_pkcs7 (GPtrArray  *chain,
              guint       count,
              GError    **error)
{
  gnutls_pkcs7_t p7 = NULL;
  gnutls_datum_t out = { NULL, 0 };
  GBytes *bytes;
  int ret;

  if ((ret = gnutls_pkcs7_init (&p7)) < 0)
    goto failed;

  for (guint i = 0; i < count; i++)
    {
      if ((ret = gnutls_pkcs7_set_crt (p7, _gh_certificate_get_gnutls (g_ptr_array_index (chain, i)))) < 0)
        goto failed;
    }

  if ((ret = gnutls_pkcs7_export2 (p7, GNUTLS_X509_FMT_DER, &out)) < 0)
    goto failed;

  gnutls_pkcs7_deinit (p7);
  bytes = g_bytes_new (out.data, out.size);
  gnutls_free (out.data);
  return bytes;

failed:
  g_clear_pointer (&p7, gnutls_pkcs7_deinit);
  _gh_pki_set_gnutls_error (error, ret, _("Could not write the PKCS#7 file"));
  return NULL;
}

static GBytes *
export_pkcs12 (GhKeystoreEntry  *entry,
               GPtrArray        *chain,
               guint             count,
               const char       *password,
               GhPkcs12Profile   profile,
               GError          **error)
{
  g_autoptr(GhKeystore) keystore = NULL;
  g_autoptr(GhKeystoreEntry) copy = NULL;
  g_autoptr(GPtrArray) exported = g_ptr_array_new ();

  if (gh_keystore_entry_get_kind (entry) != GH_KEYSTORE_ENTRY_KEY)
    {
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                   _("“%s” is a trusted certificate, without a private key: export it as PEM, DER or PKCS#7"),
                   gh_keystore_entry_get_alias (entry));
      return NULL;
    }
  if (password == NULL || *password == '\0')
    {
      g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_PASSWORD_REQUIRED,
                           _("A PKCS#12 file holds the private key: give a password to protect it"));
      return NULL;
    }

  for (guint i = 0; i < count; i++)
    g_ptr_array_add (exported, g_ptr_array_index (chain, i));

  keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  gh_keystore_set_profile (keystore, profile);
  copy = gh_keystore_entry_new_key (gh_keystore_entry_get_alias (entry),
                                    gh_keystore_entry_get_private_key (entry), exported);
  if (!gh_keystore_add (keystore, copy, error))
    return NULL;

  return gh_keystore_serialize (keystore, password, error);
}

/**
 * gh_keystore_entry_export:
 * @entry: a keystore entry
 * @format: the format to write
 * @chain: the whole chain, leaf first, rather than the certificate alone
 * @password: (nullable): for %GH_EXPORT_FORMAT_PKCS12, the password that protects it
 * @profile: for %GH_EXPORT_FORMAT_PKCS12, its encryption profile
 * @error: return location for a #GH_PKI_ERROR
 *
 * PEM, DER and PKCS#7 hold certificates only. PKCS#12 holds a key entry's private
 * key and certificates, encrypted with @password; it is the only way a private key
 * leaves the keystore here.
 *
 * Returns: (transfer full): the file's content, or %NULL with @error set
 */
GBytes *
gh_keystore_entry_export (GhKeystoreEntry  *entry,
                          GhExportFormat    format,
                          gboolean          chain,
                          const char       *password,
                          GhPkcs12Profile   profile,
                          GError          **error)
{
  GPtrArray *certificates;
  guint count;

  g_return_val_if_fail (GH_IS_KEYSTORE_ENTRY (entry), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  certificates = gh_keystore_entry_get_chain (entry);
  count = chain ? certificates->len : 1;

  switch (format)
    {
    case GH_EXPORT_FORMAT_PEM:
      {
        g_autoptr(GString) text = g_string_new (NULL);
        gsize length;

        for (guint i = 0; i < count; i++)
          {
            g_autofree char *pem = gh_certificate_to_pem (g_ptr_array_index (certificates, i));

            g_string_append (text, pem);
          }
        length = text->len;
        return g_bytes_new_take (g_string_free (g_steal_pointer (&text), FALSE), length);
      }

    case GH_EXPORT_FORMAT_DER:
      if (chain && certificates->len > 1)
        {
          g_set_error_literal (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID,
                               _("A DER file holds one certificate: export the chain as PEM or PKCS#7"));
          return NULL;
        }
      return g_bytes_ref (gh_certificate_get_der (gh_keystore_entry_get_certificate (entry)));

    case GH_EXPORT_FORMAT_PKCS7:
      return export_pkcs7 (certificates, count, error);

    case GH_EXPORT_FORMAT_PKCS12:
      return export_pkcs12 (entry, certificates, count, password, profile, error);

    default:
      g_set_error (error, GH_PKI_ERROR, GH_PKI_ERROR_INVALID, _("Unknown export format %d"), format);
      return NULL;
    }
}

static void
gh_import_finalize (GObject *object)
{
  GhImport *self = GH_IMPORT (object);

  g_clear_pointer (&self->certificates, g_ptr_array_unref);
  g_clear_pointer (&self->private_keys, g_ptr_array_unref);
  g_clear_object (&self->entries);
  g_clear_pointer (&self->notes, g_ptr_array_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (gh_import_parent_class)->finalize (object);
}

static void
gh_import_class_init (GhImportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gh_import_finalize;
}

static void
gh_import_init (GhImport *self)
{
  self->certificates = g_ptr_array_new_with_free_func (g_object_unref);
  self->private_keys = g_ptr_array_new_with_free_func (g_object_unref);
  self->entries = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  self->notes = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  self->items = g_ptr_array_new_with_free_func (item_free);
  self->format_name = N_("PEM bundle");
}
