/* gh-api-cert-entry.c — a keystore or truststore entry of a gateway, for the pages
 *
 * One object per (store, alias), kept across refreshes: gh_api_cert_entry_update()
 * sets what the admin API said and notifies only what changed, so that a list bound
 * to it keeps its rows, selection and focus. What a person reads (the kind, the key,
 * the expiry badge, what uses it) is decided here, not in a widget, and the expiry
 * rule is the one the Overview counts with (gh_api_expiry_classify()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-api-cert-entry"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "gh-api-cert-entry.h"

G_DEFINE_ENUM_TYPE (GhApiExpiry, gh_api_expiry,
                    G_DEFINE_ENUM_VALUE (GH_API_EXPIRY_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (GH_API_EXPIRY_FINE, "fine"),
                    G_DEFINE_ENUM_VALUE (GH_API_EXPIRY_SOON, "soon"),
                    G_DEFINE_ENUM_VALUE (GH_API_EXPIRY_EXPIRED, "expired"))

/**
 * gh_api_expiry_classify:
 * @not_after: (nullable): the end of a certificate's validity
 * @now: (nullable): the time to judge at; %NULL for the current time
 * @warning_days: the warning window
 *
 * Returns: %GH_API_EXPIRY_EXPIRED once @not_after is past, %GH_API_EXPIRY_SOON when
 *   it comes within @warning_days, else %GH_API_EXPIRY_FINE; %GH_API_EXPIRY_NONE
 *   without a @not_after
 */
GhApiExpiry
gh_api_expiry_classify (GDateTime *not_after,
                        GDateTime *now,
                        guint      warning_days)
{
  g_autoptr(GDateTime) current = NULL;
  g_autoptr(GDateTime) limit = NULL;

  if (not_after == NULL)
    return GH_API_EXPIRY_NONE;

  if (now == NULL)
    now = current = g_date_time_new_now_utc ();
  if (g_date_time_compare (not_after, now) <= 0)
    return GH_API_EXPIRY_EXPIRED;

  limit = g_date_time_add_days (now, (int) MIN (warning_days, 36500));
  return g_date_time_compare (not_after, limit) <= 0 ? GH_API_EXPIRY_SOON : GH_API_EXPIRY_FINE;
}

gint64
gh_api_expiry_days_left (GDateTime *not_after,
                         GDateTime *now)
{
  g_autoptr(GDateTime) current = NULL;
  GTimeSpan span;

  g_return_val_if_fail (not_after != NULL, 0);

  if (now == NULL)
    now = current = g_date_time_new_now_utc ();
  span = g_date_time_difference (not_after, now);

  /* Rounded toward minus infinity: a certificate that expired an hour ago has -1. */
  return span >= 0 ? span / G_TIME_SPAN_DAY : -((-span + G_TIME_SPAN_DAY - 1) / G_TIME_SPAN_DAY);
}

struct _GhApiCertEntry
{
  GObject         parent_instance;

  char           *alias;
  GhApiCertStore  store;
  GhApiCertKind   kind;
  GPtrArray      *chain;
  char           *issuer;
  char           *key_label;
  char           *not_after_label;
  GhApiExpiry     expiry;
  char           *expiry_label;
  GStrv           used_by;
  char           *used_by_label;
};

G_DEFINE_FINAL_TYPE (GhApiCertEntry, gh_api_cert_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ALIAS,
  PROP_STORE,
  PROP_KIND,
  PROP_KIND_LABEL,
  PROP_SUBJECT,
  PROP_DISPLAY_NAME,
  PROP_ISSUER,
  PROP_KEY_LABEL,
  PROP_NOT_AFTER_LABEL,
  PROP_EXPIRY,
  PROP_EXPIRY_LABEL,
  PROP_EXPIRY_CSS_CLASS,
  PROP_EXPIRY_STYLE,
  PROP_USED_BY_LABEL,
  PROP_IN_USE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gh_api_cert_entry_finalize (GObject *object)
{
  GhApiCertEntry *self = GH_API_CERT_ENTRY (object);

  g_clear_pointer (&self->alias, g_free);
  g_clear_pointer (&self->chain, g_ptr_array_unref);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->key_label, g_free);
  g_clear_pointer (&self->not_after_label, g_free);
  g_clear_pointer (&self->expiry_label, g_free);
  g_clear_pointer (&self->used_by, g_strfreev);
  g_clear_pointer (&self->used_by_label, g_free);

  G_OBJECT_CLASS (gh_api_cert_entry_parent_class)->finalize (object);
}

static const char *
expiry_css_class (GhApiExpiry expiry)
{
  switch (expiry)
    {
    case GH_API_EXPIRY_EXPIRED:
      return "error";
    case GH_API_EXPIRY_SOON:
      return "warning";
    case GH_API_EXPIRY_FINE:
      return "success";
    case GH_API_EXPIRY_NONE:
    default:
      return "dim-label";
    }
}

static void
gh_api_cert_entry_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  GhApiCertEntry *self = GH_API_CERT_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ALIAS:
      g_value_set_string (value, self->alias);
      break;
    case PROP_STORE:
      g_value_set_int (value, self->store);
      break;
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_KIND_LABEL:
      g_value_set_string (value, gh_api_cert_entry_get_kind_label (self));
      break;
    case PROP_SUBJECT:
      g_value_set_string (value, gh_api_cert_entry_get_subject (self));
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, gh_api_cert_entry_get_display_name (self));
      break;
    case PROP_ISSUER:
      g_value_set_string (value, self->issuer);
      break;
    case PROP_KEY_LABEL:
      g_value_set_string (value, self->key_label);
      break;
    case PROP_NOT_AFTER_LABEL:
      g_value_set_string (value, self->not_after_label);
      break;
    case PROP_EXPIRY:
      g_value_set_enum (value, self->expiry);
      break;
    case PROP_EXPIRY_LABEL:
      g_value_set_string (value, self->expiry_label);
      break;
    case PROP_EXPIRY_CSS_CLASS:
      g_value_set_string (value, expiry_css_class (self->expiry));
      break;
    case PROP_EXPIRY_STYLE:
      {
        const char *style[] = { "gh-badge", expiry_css_class (self->expiry), NULL };

        g_value_set_boxed (value, style);
      }
      break;
    case PROP_USED_BY_LABEL:
      g_value_set_string (value, self->used_by_label);
      break;
    case PROP_IN_USE:
      g_value_set_boolean (value, self->used_by[0] != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_api_cert_entry_class_init (GhApiCertEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = gh_api_cert_entry_finalize;
  object_class->get_property = gh_api_cert_entry_get_property;

  properties[PROP_ALIAS] = g_param_spec_string ("alias", NULL, NULL, NULL, flags);
  properties[PROP_STORE] = g_param_spec_int ("store", NULL, NULL, 0, GH_API_CERT_STORE_BACKEND, 0, flags);
  properties[PROP_KIND] = g_param_spec_int ("kind", NULL, NULL, 0, GH_API_CERT_KIND_TRUSTED, 0, flags);
  properties[PROP_KIND_LABEL] = g_param_spec_string ("kind-label", NULL, NULL, NULL, flags);
  properties[PROP_SUBJECT] = g_param_spec_string ("subject", NULL, NULL, NULL, flags);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_ISSUER] = g_param_spec_string ("issuer", NULL, NULL, NULL, flags);
  properties[PROP_KEY_LABEL] = g_param_spec_string ("key-label", NULL, NULL, NULL, flags);
  properties[PROP_NOT_AFTER_LABEL] = g_param_spec_string ("not-after-label", NULL, NULL, NULL, flags);
  properties[PROP_EXPIRY] = g_param_spec_enum ("expiry", NULL, NULL, GH_TYPE_API_EXPIRY, GH_API_EXPIRY_NONE, flags);
  properties[PROP_EXPIRY_LABEL] = g_param_spec_string ("expiry-label", NULL, NULL, NULL, flags);
  properties[PROP_EXPIRY_CSS_CLASS] = g_param_spec_string ("expiry-css-class", NULL, NULL, NULL, flags);
  /* The badge's style classes, for a binding of "css-classes". */
  properties[PROP_EXPIRY_STYLE] = g_param_spec_boxed ("expiry-style", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_USED_BY_LABEL] = g_param_spec_string ("used-by-label", NULL, NULL, NULL, flags);
  properties[PROP_IN_USE] = g_param_spec_boolean ("in-use", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_api_cert_entry_init (GhApiCertEntry *self)
{
  self->chain = g_ptr_array_new_with_free_func (g_object_unref);
  self->used_by = g_new0 (char *, 1);
  self->used_by_label = g_strdup ("");
  self->issuer = g_strdup ("");
  self->key_label = g_strdup ("");
  self->not_after_label = g_strdup ("");
  self->expiry_label = g_strdup ("");
}

GhApiCertEntry *
gh_api_cert_entry_new (GhApiCertStore  store,
                       const char     *alias)
{
  GhApiCertEntry *self;

  g_return_val_if_fail (alias != NULL, NULL);

  self = g_object_new (GH_TYPE_API_CERT_ENTRY, NULL);
  self->store = store;
  self->kind = store == GH_API_CERT_STORE_KEYSTORE ? GH_API_CERT_KIND_KEY : GH_API_CERT_KIND_TRUSTED;
  self->alias = g_strdup (alias);

  return self;
}

/* Updating */

static void
set_string (GhApiCertEntry *self,
            char          **field,
            char           *value,   /* taken */
            guint           prop)
{
  if (g_strcmp0 (*field, value) == 0)
    {
      g_free (value);
      return;
    }
  g_free (*field);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static char *
format_expiry_label (GhApiExpiry  expiry,
                     GDateTime   *not_after,
                     GDateTime   *now)
{
  gint64 days;

  switch (expiry)
    {
    case GH_API_EXPIRY_EXPIRED:
      return g_strdup (_("Expired"));
    case GH_API_EXPIRY_SOON:
      days = gh_api_expiry_days_left (not_after, now);
      if (days < 1)
        return g_strdup (_("Expires today"));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Expires in %u day", "Expires in %u days", (gulong) days),
                              (guint) days);
    case GH_API_EXPIRY_FINE:
      return g_strdup (_("Valid"));
    case GH_API_EXPIRY_NONE:
    default:
      return g_strdup (_("No certificate"));
    }
}

void
gh_api_cert_entry_classify (GhApiCertEntry *self,
                            GDateTime      *now,
                            guint           warning_days)
{
  g_autoptr(GDateTime) current = NULL;
  GDateTime *not_after;
  GhApiExpiry expiry;

  g_return_if_fail (GH_IS_API_CERT_ENTRY (self));

  if (now == NULL)
    now = current = g_date_time_new_now_utc ();
  not_after = gh_api_cert_entry_get_not_after (self);
  expiry = gh_api_expiry_classify (not_after, now, warning_days);

  if (expiry != self->expiry)
    {
      self->expiry = expiry;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRY]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRY_CSS_CLASS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRY_STYLE]);
    }
  set_string (self, &self->expiry_label, format_expiry_label (expiry, not_after, now), PROP_EXPIRY_LABEL);
}

static gboolean
same_chain (GPtrArray *a,
            GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (!gh_certificate_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;
  return TRUE;
}

static char *
issuer_name (GhCertificate *certificate)
{
  g_autofree char *cn = NULL;

  if (certificate == NULL)
    return g_strdup ("");
  cn = gh_certificate_get_issuer_field (certificate, "CN");
  if (cn != NULL && *cn != '\0')
    return g_steal_pointer (&cn);
  return g_strdup (gh_certificate_get_issuer (certificate));
}

static char *
key_label (GhCertificate *certificate)
{
  const char *algorithm;
  guint bits;

  if (certificate == NULL)
    return g_strdup ("");
  algorithm = gh_certificate_get_key_algorithm (certificate);
  bits = gh_certificate_get_key_bits (certificate);
  if (algorithm == NULL)
    return g_strdup ("");
  /* "ECDSA P-256" and "EdDSA (Ed25519)" say their size already; "RSA" does not. */
  if (bits == 0 || strchr (algorithm, ' ') != NULL)
    return g_strdup (algorithm);
  return g_strdup_printf ("%s %u", algorithm, bits);
}

/**
 * gh_api_cert_entry_update:
 * @self: a #GhApiCertEntry
 * @kind: a key entry or a certificate alone
 * @chain: (element-type GhCertificate): the certificates, leaf first
 * @used_by: (nullable): what uses the entry, as gh_api_cert_usage_lookup() says
 * @now: (nullable): the time to judge the expiry at
 * @warning_days: the warning window
 */
void
gh_api_cert_entry_update (GhApiCertEntry     *self,
                          GhApiCertKind       kind,
                          GPtrArray          *chain,
                          const char * const *used_by,
                          GDateTime          *now,
                          guint               warning_days)
{
  static const char * const none[] = { NULL };
  GhCertificate *leaf;

  g_return_if_fail (GH_IS_API_CERT_ENTRY (self));
  g_return_if_fail (chain != NULL);

  g_object_freeze_notify (G_OBJECT (self));

  if (kind != self->kind)
    {
      self->kind = kind;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND_LABEL]);
    }

  if (!same_chain (self->chain, chain))
    {
      g_ptr_array_set_size (self->chain, 0);
      for (guint i = 0; i < chain->len; i++)
        g_ptr_array_add (self->chain, g_object_ref (g_ptr_array_index (chain, i)));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBJECT]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
    }
  leaf = gh_api_cert_entry_get_certificate (self);
  set_string (self, &self->issuer, issuer_name (leaf), PROP_ISSUER);
  set_string (self, &self->key_label, key_label (leaf), PROP_KEY_LABEL);
  set_string (self, &self->not_after_label,
              leaf != NULL ? g_date_time_format (gh_certificate_get_not_after (leaf), "%Y-%m-%d") : g_strdup (""),
              PROP_NOT_AFTER_LABEL);

  if (used_by == NULL)
    used_by = none;
  if (!g_strv_equal ((const char * const *) self->used_by, used_by))
    {
      gboolean was_in_use = self->used_by[0] != NULL;

      g_strfreev (self->used_by);
      self->used_by = g_strdupv ((char **) used_by);
      set_string (self, &self->used_by_label, g_strjoinv (", ", self->used_by), PROP_USED_BY_LABEL);
      if (was_in_use != (self->used_by[0] != NULL))
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_USE]);
    }

  gh_api_cert_entry_classify (self, now, warning_days);

  g_object_thaw_notify (G_OBJECT (self));
}

/* Getters */

const char *
gh_api_cert_entry_get_alias (GhApiCertEntry *self)
{
  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (self), NULL);
  return self->alias;
}

GhApiCertStore
gh_api_cert_entry_get_store (GhApiCertEntry *self)
{
  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (self), GH_API_CERT_STORE_KEYSTORE);
  return self->store;
}

GhApiCertKind
gh_api_cert_entry_get_kind (GhApiCertEntry *self)
{
  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (self), GH_API_CERT_KIND_KEY);
  return self->kind;
}

/**
 * gh_api_cert_entry_get_chain:
 * @self: a #GhApiCertEntry
 *
 * Returns: (transfer none) (element-type GhCertificate): the chain, leaf first
 */
GPtrArray *
gh_api_cert_entry_get_chain (GhApiCertEntry *self)
{
  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (self), NULL);
  return self->chain;
}

GhCertificate *
gh_api_cert_entry_get_certificate (GhApiCertEntry *self)
{
  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (self), NULL);
  return self->chain->len > 0 ? g_ptr_array_index (self->chain, 0) : NULL;
}

const char *
gh_api_cert_entry_get_kind_label (GhApiCertEntry *self)
{
  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (self), NULL);

  if (self->kind == GH_API_CERT_KIND_KEY)
    return _("Key Entry");
  if (self->store == GH_API_CERT_STORE_PEER)
    return _("Client Certificate");
  if (self->store == GH_API_CERT_STORE_BACKEND)
    return _("Back-end Certificate");
  return self->store == GH_API_CERT_STORE_TRUSTSTORE ? _("Trusted Authority") : _("Trusted Certificate");
}

const char *
gh_api_cert_entry_get_subject (GhApiCertEntry *self)
{
  GhCertificate *leaf;

  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (self), NULL);
  leaf = gh_api_cert_entry_get_certificate (self);
  return leaf != NULL ? gh_certificate_get_subject (leaf) : "";
}

const char *
gh_api_cert_entry_get_display_name (GhApiCertEntry *self)
{
  GhCertificate *leaf;

  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (self), NULL);
  leaf = gh_api_cert_entry_get_certificate (self);
  return leaf != NULL ? gh_certificate_get_display_name (leaf) : "";
}

const char *
gh_api_cert_entry_get_issuer (GhApiCertEntry *self)
{
  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (self), NULL);
  return self->issuer;
}

const char *
gh_api_cert_entry_get_key_label (GhApiCertEntry *self)
{
  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (self), NULL);
  return self->key_label;
}

GDateTime *
gh_api_cert_entry_get_not_after (GhApiCertEntry *self)
{
  GhCertificate *leaf;

  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (self), NULL);
  leaf = gh_api_cert_entry_get_certificate (self);
  return leaf != NULL ? gh_certificate_get_not_after (leaf) : NULL;
}

const char *
gh_api_cert_entry_get_not_after_label (GhApiCertEntry *self)
{
  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (self), NULL);
  return self->not_after_label;
}

GhApiExpiry
gh_api_cert_entry_get_expiry (GhApiCertEntry *self)
{
  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (self), GH_API_EXPIRY_NONE);
  return self->expiry;
}

const char *
gh_api_cert_entry_get_expiry_label (GhApiCertEntry *self)
{
  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (self), NULL);
  return self->expiry_label;
}

const char * const *
gh_api_cert_entry_get_used_by (GhApiCertEntry *self)
{
  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (self), NULL);
  return (const char * const *) self->used_by;
}

const char *
gh_api_cert_entry_get_used_by_label (GhApiCertEntry *self)
{
  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (self), NULL);
  return self->used_by_label;
}

static gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  g_autofree char *folded = haystack != NULL ? g_utf8_casefold (haystack, -1) : NULL;

  return folded != NULL && strstr (folded, needle) != NULL;
}

gboolean
gh_api_cert_entry_matches (GhApiCertEntry *self,
                           const char     *text)
{
  g_autofree char *needle = NULL;
  GhCertificate *leaf;

  g_return_val_if_fail (GH_IS_API_CERT_ENTRY (self), FALSE);

  if (text == NULL || *text == '\0')
    return TRUE;
  needle = g_utf8_casefold (text, -1);
  leaf = gh_api_cert_entry_get_certificate (self);

  return contains_casefold (self->alias, needle) ||
         (leaf != NULL && contains_casefold (gh_certificate_get_subject (leaf), needle)) ||
         (leaf != NULL && contains_casefold (gh_certificate_get_issuer (leaf), needle));
}
