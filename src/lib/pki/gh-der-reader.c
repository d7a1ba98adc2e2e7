/* gh-der-reader.c — the fields a keystore list shows, read from a certificate's DER
 *
 * Listing a keystore of 1,000 entries spent two fifths of its time in GnuTLS
 * building a libtasn1 tree of each certificate and reading the names, dates and key
 * out of it again. A list needs a dozen fields that sit at fixed places of the DER:
 * this walks the certificate once, bounds-checked at every step, and hands them out
 * as slices of the bytes the keystore already holds. GnuTLS still parses a
 * certificate, later and only when something needs more (details, verification, the
 * TLS layer): gh-certificate.c asks for its gnutls_x509_crt_t lazily.
 *
 * The rule that keeps the two readers from telling different stories: this one
 * answers only where its answer is GnuTLS's, and says FALSE otherwise. Anything out
 * of the ordinary (a BER length, an attribute or string type it does not format, a
 * character RFC 4514 escapes, an unknown key or signature algorithm) sends the
 * caller to GnuTLS for that certificate. tests/unit/test-der-reader.c compares every
 * field with GnuTLS's over certificates from openssl, certtool and keytool, and
 * tests/fuzz/fuzz-der-reader.c over whatever libFuzzer makes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-der-reader"

#include "config.h"

#include <string.h>

#include "gh-der-reader.h"

/* OIDs, as the bytes of their DER value. */
static const guchar OID_CN[] = { 0x55, 0x04, 0x03 };
static const guchar OID_C[] = { 0x55, 0x04, 0x06 };
static const guchar OID_L[] = { 0x55, 0x04, 0x07 };
static const guchar OID_ST[] = { 0x55, 0x04, 0x08 };
static const guchar OID_O[] = { 0x55, 0x04, 0x0a };
static const guchar OID_OU[] = { 0x55, 0x04, 0x0b };
static const guchar OID_EMAIL[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01 };
static const guchar OID_DC[] = { 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19 };
static const guchar OID_SAN[] = { 0x55, 0x1d, 0x11 };
static const guchar OID_IAN[] = { 0x55, 0x1d, 0x12 };
static const guchar OID_SKI[] = { 0x55, 0x1d, 0x0e };
static const guchar OID_AKI[] = { 0x55, 0x1d, 0x23 };
static const guchar OID_RSA[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
static const guchar OID_RSA_PSS[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a };
static const guchar OID_EC[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
static const guchar OID_P256[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static const guchar OID_P384[] = { 0x2b, 0x81, 0x04, 0x00, 0x22 };
static const guchar OID_P521[] = { 0x2b, 0x81, 0x04, 0x00, 0x23 };
static const guchar OID_ED25519[] = { 0x2b, 0x65, 0x70 };

enum {
  TAG_BOOLEAN = 0x01,
  TAG_INTEGER = 0x02,
  TAG_BIT_STRING = 0x03,
  TAG_OCTET_STRING = 0x04,
  TAG_NULL = 0x05,
  TAG_OID = 0x06,
  TAG_UTF8_STRING = 0x0c,
  TAG_PRINTABLE_STRING = 0x13,
  TAG_IA5_STRING = 0x16,
  TAG_UTC_TIME = 0x17,
  TAG_GENERALIZED_TIME = 0x18,
  TAG_SEQUENCE = 0x30,
  TAG_SET = 0x31,
};

/* One TLV, DER only: a low tag number, a definite length in the fewest bytes. */
#define read_tlv _gh_der_read_strict

static gboolean
read_expect (GhDer  *in,
             guchar  tag,
             GhDer  *value)
{
  GhDerTlv tlv;

  if (!read_tlv (in, &tlv) || tlv.tag != tag)
    return FALSE;
  if (value != NULL)
    *value = tlv.value;
  return TRUE;
}

/* The whole TLV (header included) as a slice. */
static gboolean
read_whole (GhDer  *in,
            guchar  tag,
            GhDer  *whole,
            GhDer  *value)
{
  GhDerTlv tlv;

  if (!read_tlv (in, &tlv) || tlv.tag != tag)
    return FALSE;
  whole->data = tlv.start;
  whole->size = tlv.total;
  if (value != NULL)
    *value = tlv.value;
  return TRUE;
}

static gboolean
peek_tag (const GhDer *in,
          guchar       tag)
{
  return in->size > 0 && in->data[0] == tag;
}

static gboolean
is_oid (const GhDer  *der,
        const guchar *oid,
        gsize         length)
{
  return der->size == length && memcmp (der->data, oid, length) == 0;
}
#define IS_OID(der, oid) is_oid ((der), (oid), sizeof (oid))

/* An OID's content: at least one byte, each arc minimal, the last byte ends an arc. */
static gboolean
valid_oid (const GhDer *oid)
{
  gboolean arc_start = TRUE;

  if (oid->size == 0 || (oid->data[oid->size - 1] & 0x80) != 0)
    return FALSE;
  for (gsize i = 0; i < oid->size; i++)
    {
      if (arc_start && oid->data[i] == 0x80)
        return FALSE;
      arc_start = (oid->data[i] & 0x80) == 0;
    }
  return TRUE;
}

/* An INTEGER's content, in the fewest bytes. */
static gboolean
valid_integer (const GhDer *value)
{
  if (value->size == 0)
    return FALSE;
  if (value->size > 1 &&
      ((value->data[0] == 0x00 && (value->data[1] & 0x80) == 0) ||
       (value->data[0] == 0xff && (value->data[1] & 0x80) != 0)))
    return FALSE;
  return TRUE;
}

/* AlgorithmIdentifier: an OID and, optionally, one TLV of parameters. */
static gboolean
read_algorithm (GhDer    *in,
                GhDer    *whole,
                GhDer    *oid,
                GhDerTlv *params)
{
  GhDer value;

  if (!read_whole (in, TAG_SEQUENCE, whole, &value) ||
      !read_expect (&value, TAG_OID, oid) || !valid_oid (oid))
    return FALSE;

  memset (params, 0, sizeof *params);
  if (value.size > 0 && !read_tlv (&value, params))
    return FALSE;
  return value.size == 0;
}

/* Name ::= SEQUENCE OF SET (1..MAX) OF SEQUENCE { type OID, value ANY } */
static gboolean
valid_name (GhDer name)
{
  while (name.size > 0)
    {
      GhDer rdn;

      if (!read_expect (&name, TAG_SET, &rdn) || rdn.size == 0)
        return FALSE;
      while (rdn.size > 0)
        {
          GhDer attribute, type;
          GhDerTlv value;

          if (!read_expect (&rdn, TAG_SEQUENCE, &attribute) ||
              !read_expect (&attribute, TAG_OID, &type) || !valid_oid (&type) ||
              !read_tlv (&attribute, &value) || attribute.size != 0)
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_digits (const guchar *text,
             guint         n,
             guint        *number)
{
  *number = 0;
  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      *number = *number * 10 + (text[i] - '0');
    }
  return TRUE;
}

/* Days since 1970-01-01 of a date in the proleptic Gregorian calendar. */
static gint64
days_from_civil (gint64 year,
                 guint  month,
                 guint  day)
{
  gint64 era, yoe, doy, doe;

  year -= month <= 2;
  era = (year >= 0 ? year : year - 399) / 400;
  yoe = year - era * 400;
  doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* UTCTime YYMMDDHHMMSSZ (years 1950–2049) or GeneralizedTime YYYYMMDDHHMMSSZ: the
 * forms RFC 5280 allows, and nothing looser. */
static gboolean
read_time (GhDer  *in,
           gint64 *seconds)
{
  static const guint month_days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  GhDerTlv tlv;
  const guchar *text;
  guint year, month, day, hour, minute, second, year_digits;

  if (!read_tlv (in, &tlv))
    return FALSE;
  if (tlv.tag == TAG_UTC_TIME && tlv.value.size == 13)
    year_digits = 2;
  else if (tlv.tag == TAG_GENERALIZED_TIME && tlv.value.size == 15)
    year_digits = 4;
  else
    return FALSE;

  text = tlv.value.data;
  if (text[tlv.value.size - 1] != 'Z' ||
      !read_digits (text, year_digits, &year) ||
      !read_digits (text + year_digits, 2, &month) ||
      !read_digits (text + year_digits + 2, 2, &day) ||
      !read_digits (text + year_digits + 4, 2, &hour) ||
      !read_digits (text + year_digits + 6, 2, &minute) ||
      !read_digits (text + year_digits + 8, 2, &second))
    return FALSE;
  if (year_digits == 2)
    year += year >= 50 ? 1900 : 2000;
  /* GnuTLS reads no date before 1970 as the date it is. */
  if (year < 1970)
    return FALSE;

  if (month < 1 || month > 12 || day < 1 || day > month_days[month - 1] ||
      hour > 23 || minute > 59 || second > 59)
    return FALSE;
  if (month == 2 && day == 29 && !(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
    return FALSE;

  *seconds = days_from_civil (year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return TRUE;
}

static gboolean
plain_ascii (const GhDer *value)
{
  if (value->size == 0 || value->size > 1024)
    return FALSE;
  for (gsize i = 0; i < value->size; i++)
    if (value->data[i] <= 0x20 || value->data[i] >= 0x7f)
      return FALSE;
  return TRUE;
}

/* GeneralNames as GnuTLS checks them on import (SAN and IAN): only the kinds a list
 * shows or skips by their bytes alone, each plain ASCII or an address. */
static gboolean
valid_general_names (GhDer names)
{
  if (names.size == 0)
    return FALSE;
  while (names.size > 0)
    {
      GhDerTlv name;

      if (!read_tlv (&names, &name))
        return FALSE;
      switch (name.tag)
        {
        case 0x81: /* rfc822Name */
        case 0x82: /* dNSName */
        case 0x86: /* uniformResourceIdentifier */
          if (!plain_ascii (&name.value))
            return FALSE;
          break;
        case 0x87: /* iPAddress */
          if (name.value.size != 4 && name.value.size != 16)
            return FALSE;
          break;
        default:
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_extension (GhDer            *extensions,
                GhDerCertificate *cert,
                GPtrArray        *seen)
{
  GhDer extension, oid, value;

  if (!read_expect (extensions, TAG_SEQUENCE, &extension) ||
      !read_expect (&extension, TAG_OID, &oid) || !valid_oid (&oid))
    return FALSE;

  /* critical BOOLEAN DEFAULT FALSE: in DER, present only when TRUE. */
  if (peek_tag (&extension, TAG_BOOLEAN))
    {
      GhDer critical;

      if (!read_expect (&extension, TAG_BOOLEAN, &critical) ||
          critical.size != 1 || critical.data[0] != 0xff)
        return FALSE;
    }
  if (!read_expect (&extension, TAG_OCTET_STRING, &value) || extension.size != 0)
    return FALSE;

  /* The same extension twice: GnuTLS decides what that means. */
  for (guint i = 0; i < seen->len; i++)
    {
      const GhDer *other = g_ptr_array_index (seen, i);

      if (other->size == oid.size && memcmp (other->data, oid.data, oid.size) == 0)
        return FALSE;
    }
  g_ptr_array_add (seen, g_memdup2 (&oid, sizeof oid));

  if (IS_OID (&oid, OID_SAN) || IS_OID (&oid, OID_IAN))
    {
      GhDer names, rest = value;

      if (!read_expect (&rest, TAG_SEQUENCE, &names) || rest.size != 0 || !valid_general_names (names))
        return FALSE;
      if (IS_OID (&oid, OID_SAN))
        cert->subject_alt_name = names;
    }
  else if (IS_OID (&oid, OID_SKI))
    {
      GhDer rest = value;

      if (!read_expect (&rest, TAG_OCTET_STRING, &cert->subject_key_id) || rest.size != 0 ||
          cert->subject_key_id.size == 0 || cert->subject_key_id.size > 64)
        return FALSE;
      cert->has_subject_key_id = TRUE;
    }
  else if (IS_OID (&oid, OID_AKI))
    {
      GhDer aki, rest = value;

      /* AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING
       * OPTIONAL, authorityCertIssuer [1] …, authorityCertSerialNumber [2] … } */
      if (!read_expect (&rest, TAG_SEQUENCE, &aki) || rest.size != 0)
        return FALSE;
      if (peek_tag (&aki, 0x80))
        {
          if (!read_expect (&aki, 0x80, &cert->authority_key_id) ||
              cert->authority_key_id.size == 0 || cert->authority_key_id.size > 64)
            return FALSE;
          cert->has_authority_key_id = TRUE;
        }
      if (peek_tag (&aki, 0xa1) && !read_expect (&aki, 0xa1, NULL))
        return FALSE;
      if (peek_tag (&aki, 0x82) && !read_expect (&aki, 0x82, NULL))
        return FALSE;
      if (aki.size != 0)
        return FALSE;
    }

  return TRUE;
}

gboolean
_gh_der_certificate_parse (const guchar     *data,
                           gsize             length,
                           GhDerCertificate *cert)
{
  g_autoptr(GPtrArray) seen = NULL;
  GhDer in = { data, length }, certificate, tbs, outer_algorithm, tbs_algorithm, oid;
  GhDer signature, validity, spki, key_algorithm;
  GhDerTlv params;

  memset (cert, 0, sizeof *cert);

  if (!read_expect (&in, TAG_SEQUENCE, &certificate) || in.size != 0)
    return FALSE;

  /* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } */
  if (!read_expect (&certificate, TAG_SEQUENCE, &tbs) ||
      !read_algorithm (&certificate, &outer_algorithm, &oid, &params) ||
      !read_expect (&certificate, TAG_BIT_STRING, &signature) ||
      signature.size == 0 || signature.data[0] != 0 || certificate.size != 0)
    return FALSE;

  /* version [0] EXPLICIT INTEGER DEFAULT v1 */
  cert->version = 1;
  if (peek_tag (&tbs, 0xa0))
    {
      GhDer explicit, version;

      if (!read_expect (&tbs, 0xa0, &explicit) ||
          !read_expect (&explicit, TAG_INTEGER, &version) || explicit.size != 0 ||
          version.size != 1 || version.data[0] > 2)
        return FALSE;
      cert->version = version.data[0] + 1;
    }

  if (!read_expect (&tbs, TAG_INTEGER, &cert->serial) || !valid_integer (&cert->serial) ||
      cert->serial.size > 20)
    return FALSE;

  /* The signature algorithm inside and outside the signed part: the same bytes. */
  if (!read_algorithm (&tbs, &tbs_algorithm, &cert->signature_oid, &params) ||
      tbs_algorithm.size != outer_algorithm.size ||
      memcmp (tbs_algorithm.data, outer_algorithm.data, tbs_algorithm.size) != 0)
    return FALSE;
  cert->signature_has_params = params.tag != 0;

  if (!read_whole (&tbs, TAG_SEQUENCE, &cert->issuer, NULL) ||
      !read_expect (&tbs, TAG_SEQUENCE, &validity) ||
      !read_time (&validity, &cert->not_before) ||
      !read_time (&validity, &cert->not_after) || validity.size != 0 ||
      !read_whole (&tbs, TAG_SEQUENCE, &cert->subject, NULL))
    return FALSE;
  {
    GhDer issuer = cert->issuer, subject = cert->subject, issuer_rdns, subject_rdns;

    if (!read_expect (&issuer, TAG_SEQUENCE, &issuer_rdns) || !valid_name (issuer_rdns) ||
        !read_expect (&subject, TAG_SEQUENCE, &subject_rdns) || !valid_name (subject_rdns))
      return FALSE;
  }

  /* SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING } */
  if (!read_whole (&tbs, TAG_SEQUENCE, &cert->spki, &spki) ||
      !read_algorithm (&spki, &key_algorithm, &cert->key_oid, &cert->key_params) ||
      !read_expect (&spki, TAG_BIT_STRING, &cert->key) || spki.size != 0 ||
      cert->key.size == 0 || cert->key.data[0] != 0)
    return FALSE;
  cert->key.data++;
  cert->key.size--;

  /* issuerUniqueID [1], subjectUniqueID [2]: left to GnuTLS; extensions [3] (v3) */
  if (peek_tag (&tbs, 0x81) || peek_tag (&tbs, 0x82))
    return FALSE;
  if (peek_tag (&tbs, 0xa3))
    {
      GhDer explicit, extensions;

      if (cert->version < 3 ||
          !read_expect (&tbs, 0xa3, &explicit) ||
          !read_expect (&explicit, TAG_SEQUENCE, &extensions) || explicit.size != 0 ||
          extensions.size == 0)
        return FALSE;
      seen = g_ptr_array_new_with_free_func (g_free);
      while (extensions.size > 0)
        if (!read_extension (&extensions, cert, seen))
          return FALSE;
    }

  return tbs.size == 0;
}

/* Names */

typedef enum {
  STRING_DIRECTORY,  /* UTF8String or PrintableString */
  STRING_PRINTABLE,
  STRING_IA5,
} StringKind;

static const struct {
  const guchar *oid;
  gsize         length;
  const char   *name;
  StringKind    kind;
} attributes[] = {
  { OID_CN, sizeof OID_CN, "CN", STRING_DIRECTORY },
  { OID_C, sizeof OID_C, "C", STRING_PRINTABLE },
  { OID_L, sizeof OID_L, "L", STRING_DIRECTORY },
  { OID_ST, sizeof OID_ST, "ST", STRING_DIRECTORY },
  { OID_O, sizeof OID_O, "O", STRING_DIRECTORY },
  { OID_OU, sizeof OID_OU, "OU", STRING_DIRECTORY },
  { OID_EMAIL, sizeof OID_EMAIL, "EMAIL", STRING_IA5 },
  { OID_DC, sizeof OID_DC, "DC", STRING_IA5 },
};

/* A string value as GnuTLS decodes it; @escaped: also as RFC 4514 needs no escape
 * for (what GnuTLS escapes is left to GnuTLS). */
static gboolean
read_string (const GhDerTlv *value,
             StringKind      kind,
             gboolean        plain,
             char          **string)
{
  gboolean ok;

  switch (kind)
    {
    case STRING_DIRECTORY:
      ok = value->tag == TAG_UTF8_STRING || value->tag == TAG_PRINTABLE_STRING;
      break;
    case STRING_PRINTABLE:
      ok = value->tag == TAG_PRINTABLE_STRING;
      break;
    case STRING_IA5:
      ok = value->tag == TAG_IA5_STRING;
      break;
    default:
      ok = FALSE;
      break;
    }
  if (!ok || value->value.size == 0 || value->value.size > 1024)
    return FALSE;

  for (gsize i = 0; i < value->value.size; i++)
    {
      guchar c = value->value.data[i];

      if (c < 0x20 || c == 0x7f || (c >= 0x80 && value->tag != TAG_UTF8_STRING))
        return FALSE;
      if (!plain && strchr (",+\"\\<>;#=", c) != NULL)
        return FALSE;
    }
  if (!plain && (value->value.data[0] == ' ' || value->value.data[value->value.size - 1] == ' '))
    return FALSE;
  if (!g_utf8_validate ((const char *) value->value.data, value->value.size, NULL))
    return FALSE;

  *string = g_strndup ((const char *) value->value.data, value->value.size);
  return TRUE;
}

/* Calls @func on each attribute of @name (a Name TLV that _gh_der_certificate_parse()
 * checked), in encoding order; @rdn counts from 0. */
typedef gboolean (*AttributeFunc) (guint           rdn,
                                   guint           index,
                                   const GhDer    *type,
                                   const GhDerTlv *value,
                                   gpointer        user_data);

static gboolean
foreach_attribute (const GhDer   *name,
                   AttributeFunc  func,
                   gpointer       user_data)
{
  GhDer in = *name, rdns;

  if (!read_expect (&in, TAG_SEQUENCE, &rdns))
    return FALSE;
  for (guint n = 0; rdns.size > 0; n++)
    {
      GhDer rdn;

      if (!read_expect (&rdns, TAG_SET, &rdn))
        return FALSE;
      for (guint i = 0; rdn.size > 0; i++)
        {
          GhDer attribute, type;
          GhDerTlv value;

          if (!read_expect (&rdn, TAG_SEQUENCE, &attribute) ||
              !read_expect (&attribute, TAG_OID, &type) || !read_tlv (&attribute, &value))
            return FALSE;
          if (!func (n, i, &type, &value, user_data))
            return FALSE;
        }
    }
  return TRUE;
}

typedef struct {
  GPtrArray *rdns;   /* GString per RDN */
} NameString;

static gboolean
append_attribute (guint           rdn,
                  guint           index,
                  const GhDer    *type,
                  const GhDerTlv *value,
                  gpointer        user_data)
{
  NameString *out = user_data;
  g_autofree char *string = NULL;
  GString *text;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (attributes); i++)
    if (is_oid (type, attributes[i].oid, attributes[i].length))
      break;
  if (i == G_N_ELEMENTS (attributes) || !read_string (value, attributes[i].kind, FALSE, &string))
    return FALSE;

  if (index == 0)
    g_ptr_array_add (out->rdns, g_string_new (NULL));
  text = g_ptr_array_index (out->rdns, out->rdns->len - 1);
  if (index > 0)
    g_string_append_c (text, '+');
  g_string_append (text, attributes[i].name);
  g_string_append_c (text, '=');
  g_string_append (text, string);
  return TRUE;
}

static void
string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

gboolean
_gh_der_name_to_string (const GhDer  *name,
                        char        **string)
{
  g_autoptr(GPtrArray) rdns = g_ptr_array_new_with_free_func (string_free);
  NameString out = { rdns };
  GString *text;

  if (!foreach_attribute (name, append_attribute, &out))
    return FALSE;

  text = g_string_new (NULL);
  for (guint i = rdns->len; i > 0; i--)
    {
      GString *rdn = g_ptr_array_index (rdns, i - 1);

      if (i < rdns->len)
        g_string_append_c (text, ',');
      g_string_append_len (text, rdn->str, rdn->len);
    }
  *string = g_string_free_and_steal (text);
  return TRUE;
}

typedef struct {
  char     *cn;
  gboolean  found;
} FirstCn;

static gboolean
find_cn (guint           rdn,
         guint           index,
         const GhDer    *type,
         const GhDerTlv *value,
         gpointer        user_data)
{
  FirstCn *first = user_data;

  if (first->found || !IS_OID (type, OID_CN))
    return TRUE;
  first->found = TRUE;
  return read_string (value, STRING_DIRECTORY, TRUE, &first->cn);
}

gboolean
_gh_der_name_get_cn (const GhDer  *name,
                     char        **cn)
{
  FirstCn first = { NULL, FALSE };

  if (!foreach_attribute (name, find_cn, &first))
    {
      g_free (first.cn);
      return FALSE;
    }
  *cn = first.cn;
  return TRUE;
}

/* Subject alternative names */

gboolean
_gh_der_read_alt_names (const GhDer *extension,
                        GStrv       *dns_names,
                        GStrv       *ip_addresses,
                        GStrv       *emails)
{
  g_autoptr(GStrvBuilder) dns = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) ips = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) mails = g_strv_builder_new ();
  GhDer names = *extension;
  guint n = 0;

  /* GeneralName ::= CHOICE { …, rfc822Name [1] IA5String, dNSName [2] IA5String, …,
   * iPAddress [7] OCTET STRING, … } (implicit tags) */
  while (names.size > 0)
    {
      GhDerTlv name;

      if (!read_tlv (&names, &name) || ++n > 1024)
        return FALSE;
      switch (name.tag)
        {
        case 0x81:
        case 0x82:
          if (!plain_ascii (&name.value))
            return FALSE;
          g_strv_builder_take (name.tag == 0x82 ? dns : mails,
                               g_strndup ((const char *) name.value.data, name.value.size));
          break;

        case 0x87:
          {
            g_autoptr(GInetAddress) address = NULL;

            if (name.value.size != 4 && name.value.size != 16)
              return FALSE;
            address = g_inet_address_new_from_bytes (name.value.data,
                                                     name.value.size == 4 ? G_SOCKET_FAMILY_IPV4
                                                                          : G_SOCKET_FAMILY_IPV6);
            g_strv_builder_take (ips, g_inet_address_to_string (address));
          }
          break;

        case 0x86: /* uniformResourceIdentifier */
          break;

        default:
          return FALSE;
        }
    }

  *dns_names = g_strv_builder_end (dns);
  *ip_addresses = g_strv_builder_end (ips);
  *emails = g_strv_builder_end (mails);
  return TRUE;
}

/* Keys and signatures */

/* The bit length of an unsigned big-endian number. */
static guint
bit_length (const GhDer *number)
{
  gsize i = 0;
  guint bits;
  guchar top;

  while (i < number->size && number->data[i] == 0)
    i++;
  if (i == number->size)
    return 0;
  top = number->data[i];
  bits = (number->size - i - 1) * 8;
  while (top != 0)
    {
      bits++;
      top >>= 1;
    }
  return bits;
}

gboolean
_gh_der_certificate_key (const GhDerCertificate  *cert,
                         char                   **algorithm,
                         guint                   *bits)
{
  if (IS_OID (&cert->key_oid, OID_RSA))
    {
      GhDer key = cert->key, rsa, modulus, exponent;

      /* rsaEncryption's parameters are NULL; RSAPublicKey ::= SEQUENCE { n, e } */
      if (cert->key_params.tag != TAG_NULL || cert->key_params.value.size != 0 ||
          !read_expect (&key, TAG_SEQUENCE, &rsa) || key.size != 0 ||
          !read_expect (&rsa, TAG_INTEGER, &modulus) || !valid_integer (&modulus) ||
          (modulus.data[0] & 0x80) != 0 ||
          !read_expect (&rsa, TAG_INTEGER, &exponent) || !valid_integer (&exponent) ||
          (exponent.data[0] & 0x80) != 0 || rsa.size != 0)
        return FALSE;
      *bits = bit_length (&modulus);
      if (*bits == 0)
        return FALSE;
      *algorithm = g_strdup (gnutls_pk_get_name (GNUTLS_PK_RSA));
      return TRUE;
    }

  if (IS_OID (&cert->key_oid, OID_EC))
    {
      static const struct {
        const guchar       *oid;
        gsize               length;
        gnutls_ecc_curve_t  curve;
        const char         *name;
      } curves[] = {
        { OID_P256, sizeof OID_P256, GNUTLS_ECC_CURVE_SECP256R1, "ECDSA P-256" },
        { OID_P384, sizeof OID_P384, GNUTLS_ECC_CURVE_SECP384R1, "ECDSA P-384" },
        { OID_P521, sizeof OID_P521, GNUTLS_ECC_CURVE_SECP521R1, "ECDSA P-521" },
      };

      if (cert->key_params.tag != TAG_OID)
        return FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (curves); i++)
        {
          gsize size = gnutls_ecc_curve_get_size (curves[i].curve);

          if (!is_oid (&cert->key_params.value, curves[i].oid, curves[i].length))
            continue;
          /* An uncompressed point: 04 || X || Y */
          if (size == 0 || cert->key.size != 1 + 2 * size || cert->key.data[0] != 0x04)
            return FALSE;
          *bits = size * 8;
          *algorithm = g_strdup (curves[i].name);
          return TRUE;
        }
      return FALSE;
    }

  if (IS_OID (&cert->key_oid, OID_ED25519))
    {
      gsize size = gnutls_ecc_curve_get_size (GNUTLS_ECC_CURVE_ED25519);

      if (cert->key_params.tag != 0 || cert->key.size != size || size == 0)
        return FALSE;
      *bits = size * 8;
      *algorithm = g_strdup (gnutls_pk_get_name (GNUTLS_PK_EDDSA_ED25519));
      return TRUE;
    }

  return FALSE;
}

gboolean
_gh_der_certificate_signature (const GhDerCertificate  *cert,
                               gnutls_sign_algorithm_t *sign)
{
  g_autofree char *oid = NULL;

  /* RSASSA-PSS names its hash in its parameters: GnuTLS reads those. */
  if (IS_OID (&cert->signature_oid, OID_RSA_PSS))
    return FALSE;
  oid = _gh_der_oid_to_string (&cert->signature_oid);
  if (oid == NULL)
    return FALSE;
  *sign = gnutls_oid_to_sign (oid);
  return *sign != GNUTLS_SIGN_UNKNOWN;
}

guint
_gh_der_bytes_hash (gconstpointer bytes)
{
  gsize size = 0;
  const guchar *data = g_bytes_get_data ((GBytes *) bytes, &size);
  guint hash = size;

  for (gsize i = size > 16 ? size - 16 : 0; i < size; i++)
    hash = hash * 31 + data[i];
  return hash;
}

char *
_gh_der_oid_to_string (const GhDer *oid)
{
  g_autoptr(GString) text = NULL;
  guint64 arc = 0;
  gboolean first = TRUE;

  if (!valid_oid (oid))
    return NULL;

  text = g_string_new (NULL);
  for (gsize i = 0; i < oid->size; i++)
    {
      if (arc > (G_MAXUINT64 >> 7))
        return NULL;
      arc = (arc << 7) | (oid->data[i] & 0x7f);
      if (oid->data[i] & 0x80)
        continue;
      if (first)
        {
          guint top = arc < 40 ? 0 : arc < 80 ? 1 : 2;

          g_string_append_printf (text, "%u.%" G_GUINT64_FORMAT, top, arc - top * 40);
          first = FALSE;
        }
      else
        {
          g_string_append_printf (text, ".%" G_GUINT64_FORMAT, arc);
        }
      arc = 0;
    }
  return g_string_free_and_steal (g_steal_pointer (&text));
}

/* What a list shows */

void
_gh_der_list_fields_clear (GhDerListFields *fields)
{
  g_clear_pointer (&fields->subject, g_free);
  g_clear_pointer (&fields->issuer, g_free);
  g_clear_pointer (&fields->display_name, g_free);
  g_clear_pointer (&fields->serial, g_free);
  g_clear_pointer (&fields->not_before, g_date_time_unref);
  g_clear_pointer (&fields->not_after, g_date_time_unref);
  g_clear_pointer (&fields->dns_names, g_strfreev);
  g_clear_pointer (&fields->ip_addresses, g_strfreev);
  g_clear_pointer (&fields->emails, g_strfreev);
  g_clear_pointer (&fields->key_algorithm, g_free);
  g_clear_pointer (&fields->signature_algorithm, g_free);
}

gboolean
_gh_der_certificate_list_fields (const GhDerCertificate *cert,
                                 GhDerListFields        *fields)
{
  g_autofree char *cn = NULL;
  gnutls_sign_algorithm_t sign = GNUTLS_SIGN_UNKNOWN;

  memset (fields, 0, sizeof *fields);

  if (!_gh_der_name_to_string (&cert->subject, &fields->subject) ||
      !_gh_der_name_to_string (&cert->issuer, &fields->issuer) ||
      !_gh_der_name_get_cn (&cert->subject, &cn) ||
      !_gh_der_certificate_key (cert, &fields->key_algorithm, &fields->key_bits) ||
      !_gh_der_certificate_signature (cert, &sign) || gnutls_sign_get_name (sign) == NULL)
    goto fail;

  if (cert->subject_alt_name.data != NULL)
    {
      if (!_gh_der_read_alt_names (&cert->subject_alt_name, &fields->dns_names,
                                   &fields->ip_addresses, &fields->emails))
        goto fail;
    }
  else
    {
      fields->dns_names = g_new0 (char *, 1);
      fields->ip_addresses = g_new0 (char *, 1);
      fields->emails = g_new0 (char *, 1);
    }

  fields->not_before = g_date_time_new_from_unix_utc (cert->not_before);
  fields->not_after = g_date_time_new_from_unix_utc (cert->not_after);
  if (fields->not_before == NULL || fields->not_after == NULL)
    goto fail;

  fields->serial = _gh_pki_hex (cert->serial.data, cert->serial.size, TRUE);
  fields->version = cert->version;
  fields->signature_algorithm = g_strdup (gnutls_sign_get_name (sign));
  fields->weak_signature = !gnutls_sign_is_secure2 (sign, GNUTLS_SIGN_FLAG_SECURE_FOR_CERTS);
  fields->self_issued = cert->subject.size == cert->issuer.size &&
                        memcmp (cert->subject.data, cert->issuer.data, cert->subject.size) == 0;

  if (cn != NULL)
    fields->display_name = g_steal_pointer (&cn);
  else if (fields->dns_names[0] != NULL)
    fields->display_name = g_strdup (fields->dns_names[0]);
  else
    fields->display_name = g_strdup (fields->subject);
  return TRUE;

fail:
  _gh_der_list_fields_clear (fields);
  return FALSE;
}
