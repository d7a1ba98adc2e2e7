/* gh-test-catalogue.c — a translation catalogue read for the tests (see gh-test-catalogue.h)
 *
 * The test reads the .po the translators write, not the .mo: it needs the English side
 * too, to tell a string shown untranslated from one the catalogue lacks. Each message
 * becomes a literal (looked up in a hash table) or, when it has printf directives, an
 * anchored regular expression whose %s are groups: a string the app built from a
 * translated format is judged by its format, and the arguments it put in are judged in
 * turn (a translated sentence around an English word is still a finding). Mnemonic
 * underscores and Pango markup are taken off as GTK does before it shows a label.
 *
 * What is data is known by where it comes from (the caller adds the gateway's strings),
 * not by a list of exceptions: a string is data when nothing of two letters or more is
 * left once the data it contains, numbers, fingerprints and punctuation are taken off.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <pango/pango.h>

#include "gh-test-catalogue.h"

typedef struct {
  char      *context;
  char      *msgid;
  char      *msgid_plural;
  GPtrArray *msgstr;      /* char *: msgstr, or msgstr[0], msgstr[1], … */
  gboolean   fuzzy;
  gboolean   translated;  /* not fuzzy, every msgstr filled */
  gboolean   same;        /* every msgstr equals its English form */
  gboolean   toolkit;     /* GTK's or libadwaita's, not ours */
} Entry;

typedef struct {
  GRegex  *regex;
  Entry   *entry;
  gboolean german;
} Pattern;

struct _GhTestCatalogue {
  GPtrArray  *entries;     /* Entry * */
  GHashTable *german;      /* literal text → Entry * */
  GHashTable *english;     /* literal text → Entry * */
  GPtrArray  *patterns;    /* Pattern *: the German ones first */
  GPtrArray  *data;        /* char *, longest first when judged */
  GHashTable *data_set;
  GRegex     *word;        /* two letters or more */
  GRegex     *hex;         /* fingerprints, serials, ids */
  gboolean    data_sorted;
};

static void
entry_free (Entry *entry)
{
  g_free (entry->context);
  g_free (entry->msgid);
  g_free (entry->msgid_plural);
  g_ptr_array_unref (entry->msgstr);
  g_free (entry);
}

static void
pattern_free (Pattern *pattern)
{
  g_regex_unref (pattern->regex);
  g_free (pattern);
}

/* Reading the .po */

static char *
unquote (const char *line)
{
  const char *start = strchr (line, '"');
  const char *end = strrchr (line, '"');
  g_autofree char *inner = NULL;

  if (start == NULL || end == NULL || end <= start)
    return g_strdup ("");
  inner = g_strndup (start + 1, end - start - 1);
  return g_strcompress (inner);
}

static void
finish_entry (GhTestCatalogue *self,
              Entry          **current)
{
  Entry *entry = *current;

  *current = NULL;
  if (entry == NULL)
    return;
  if (entry->msgid == NULL || *entry->msgid == '\0')
    {
      entry_free (entry);   /* the header */
      return;
    }
  entry->translated = !entry->fuzzy && entry->msgstr->len > 0;
  entry->same = TRUE;
  for (guint i = 0; i < entry->msgstr->len; i++)
    {
      const char *text = g_ptr_array_index (entry->msgstr, i);
      const char *english = i > 0 && entry->msgid_plural != NULL ? entry->msgid_plural : entry->msgid;

      if (*text == '\0')
        entry->translated = FALSE;
      if (!g_str_equal (text, english))
        entry->same = FALSE;
    }
  g_ptr_array_add (self->entries, entry);
}

static void
read_po (GhTestCatalogue *self,
         const char      *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  Entry *entry = NULL;
  char **field = NULL;
  gboolean fuzzy = FALSE;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    g_error ("%s", error->message);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (g_str_has_prefix (line, "#~") || *line == '\0')
        {
          finish_entry (self, &entry);
          field = NULL;
          fuzzy = FALSE;
          continue;
        }
      if (g_str_has_prefix (line, "#,"))
        fuzzy = fuzzy || strstr (line, "fuzzy") != NULL;
      if (*line == '#')
        continue;
      if (*line == '"' && field != NULL)
        {
          g_autofree char *more = unquote (line);
          char *joined = g_strconcat (*field != NULL ? *field : "", more, NULL);

          g_free (*field);
          *field = joined;
          continue;
        }
      if (g_str_has_prefix (line, "msgctxt ") || (g_str_has_prefix (line, "msgid ") &&
                                                   (entry == NULL || entry->msgid != NULL)))
        {
          gboolean was_fuzzy = fuzzy;

          if (entry != NULL && entry->msgstr->len > 0)
            finish_entry (self, &entry);
          if (entry == NULL)
            {
              entry = g_new0 (Entry, 1);
              entry->msgstr = g_ptr_array_new_with_free_func (g_free);
              entry->fuzzy = was_fuzzy;
            }
        }
      if (g_str_has_prefix (line, "msgctxt "))
        field = &entry->context;
      else if (g_str_has_prefix (line, "msgid_plural "))
        field = &entry->msgid_plural;
      else if (g_str_has_prefix (line, "msgid "))
        field = &entry->msgid;
      else if (g_str_has_prefix (line, "msgstr"))
        {
          g_ptr_array_add (entry->msgstr, g_strdup (""));
          field = (char **) &entry->msgstr->pdata[entry->msgstr->len - 1];
        }
      else
        continue;
      g_free (*field);
      *field = unquote (line);
    }
  finish_entry (self, &entry);
}

/* Patterns */

static gboolean
has_word (GhTestCatalogue *self,
          const char      *text)
{
  return g_regex_match (self->word, text, 0, NULL);
}

/* @text as an anchored regex, or NULL when it has no directive (a literal). */
static char *
regex_for (const char *text,
           GString    *literal_part)
{
  g_autoptr(GString) regex = g_string_new ("^");
  gboolean directive = FALSE;
  const char *p = text;

  while (*p != '\0')
    {
      const char *percent = strchr (p, '%');
      g_autofree char *segment = g_strndup (p, percent != NULL ? (gsize) (percent - p) : strlen (p));
      g_autofree char *escaped = g_regex_escape_string (segment, -1);

      g_string_append (regex, escaped);
      g_string_append (literal_part, segment);
      if (percent == NULL)
        break;
      p = percent + 1;
      if (*p == '%')
        {
          g_string_append (regex, "%");
          p++;
          continue;
        }
      directive = TRUE;
      if (*p == '<')   /* %<PRId64>, as xgettext writes the macro */
        {
          const char *close = strchr (p, '>');

          p = close != NULL ? close + 1 : p + 1;
          g_string_append (regex, "[-+]?[0-9][0-9.,]*");
          continue;
        }
      while (*p != '\0' && strchr ("0123456789$'#+- .", *p) != NULL)
        p++;
      while (*p != '\0' && strchr ("hlLqjzt", *p) != NULL)
        p++;
      if (*p == 's')
        g_string_append (regex, "(.*?)");
      else if (*p == 'c')
        g_string_append (regex, ".");
      else
        g_string_append (regex, "[-+]?[0-9][0-9.,]*");
      if (*p != '\0')
        p++;
    }
  g_string_append (regex, "$");
  return directive ? g_string_free (g_steal_pointer (&regex), FALSE) : NULL;
}

static void
add_form (GhTestCatalogue *self,
          Entry           *entry,
          const char      *text,
          gboolean         german)
{
  g_autoptr(GString) literal_part = g_string_new (NULL);
  g_autofree char *regex = regex_for (text, literal_part);
  g_autoptr(GError) error = NULL;
  Pattern *pattern;

  if (regex == NULL)
    {
      g_hash_table_insert (german ? self->german : self->english, g_strdup (text), entry);
      return;
    }
  /* "%s · %s" says nothing of the language: it cannot vouch for a string. */
  if (!has_word (self, literal_part->str))
    return;
  pattern = g_new0 (Pattern, 1);
  pattern->regex = g_regex_new (regex, G_REGEX_DOTALL | G_REGEX_OPTIMIZE, 0, &error);
  g_assert_no_error (error);
  pattern->entry = entry;
  pattern->german = german;
  g_ptr_array_add (self->patterns, pattern);
}

/* A form as written, and as a label shows it (markup and mnemonics taken off). */
static void
add_forms (GhTestCatalogue *self,
           Entry           *entry,
           const char      *text,
           gboolean         german)
{
  char *plain = NULL;

  add_form (self, entry, text, german);
  if (pango_parse_markup (text, -1, '_', NULL, &plain, NULL, NULL))
    {
      if (!g_str_equal (plain, text))
        add_form (self, entry, plain, german);
      g_free (plain);
    }
  if (strchr (text, '_') != NULL && pango_parse_markup (text, -1, 0, NULL, &plain, NULL, NULL))
    {
      if (!g_str_equal (plain, text))
        add_form (self, entry, plain, german);
      g_free (plain);
    }
}

GhTestCatalogue *
gh_test_catalogue_new (const char *po_path)
{
  GhTestCatalogue *self = g_new0 (GhTestCatalogue, 1);

  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->german = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->english = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->patterns = g_ptr_array_new_with_free_func ((GDestroyNotify) pattern_free);
  self->data = g_ptr_array_new_with_free_func (g_free);
  self->data_set = g_hash_table_new (g_str_hash, g_str_equal);
  self->word = g_regex_new ("\\p{L}{2,}", G_REGEX_OPTIMIZE, 0, NULL);
  self->hex = g_regex_new ("\\b(?:[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+|[0-9A-Fa-f]{8,})\\b", G_REGEX_OPTIMIZE, 0, NULL);

  read_po (self, po_path);
  /* The German forms first: a string both ways (an identifier) is translated. */
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      for (guint j = 0; entry->translated && j < entry->msgstr->len; j++)
        add_forms (self, entry, g_ptr_array_index (entry->msgstr, j), TRUE);
    }
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      add_forms (self, entry, entry->msgid, FALSE);
      if (entry->msgid_plural != NULL)
        add_forms (self, entry, entry->msgid_plural, FALSE);
    }
  return self;
}

void
gh_test_catalogue_free (GhTestCatalogue *self)
{
  g_ptr_array_unref (self->entries);
  g_hash_table_unref (self->german);
  g_hash_table_unref (self->english);
  g_ptr_array_unref (self->patterns);
  g_hash_table_unref (self->data_set);
  g_ptr_array_unref (self->data);
  g_regex_unref (self->word);
  g_regex_unref (self->hex);
  g_free (self);
}

guint
gh_test_catalogue_get_n_translated (GhTestCatalogue *self)
{
  guint n = 0;

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      n += entry->translated && !entry->toolkit;
    }
  return n;
}

/* The toolkit's catalogues (GTK, libadwaita): the text its widgets show inside ours */

static guint32
mo_word (GBytes  *bytes,
         gsize    offset,
         gboolean swapped)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  guint32 word;

  g_assert_cmpuint (offset + 4, <=, size);
  memcpy (&word, data + offset, 4);
  return swapped ? GUINT32_SWAP_LE_BE (word) : word;
}

static char *
mo_string (GBytes  *bytes,
           gsize    table,
           guint    index,
           gboolean swapped)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  guint32 length = mo_word (bytes, table + 8 * index, swapped);
  guint32 offset = mo_word (bytes, table + 8 * index + 4, swapped);

  g_assert_cmpuint ((gsize) offset + length, <=, size);
  return g_memdup2 (data + offset, length + 1);   /* NUL-terminated in the file; plural forms split by NUL */
}

void
gh_test_catalogue_add_toolkit (GhTestCatalogue *self,
                               const char      *mo_path)
{
  g_autoptr(GMappedFile) file = g_mapped_file_new (mo_path, FALSE, NULL);
  g_autoptr(GBytes) bytes = NULL;
  gboolean swapped;
  guint32 n, originals, translations;

  if (file == NULL)
    return;   /* the toolkit has no German here: its English then shows as a finding */
  bytes = g_mapped_file_get_bytes (file);
  swapped = mo_word (bytes, 0, FALSE) != 0x950412de;
  g_assert_cmphex (mo_word (bytes, 0, swapped), ==, 0x950412de);
  n = mo_word (bytes, 8, swapped);
  originals = mo_word (bytes, 12, swapped);
  translations = mo_word (bytes, 16, swapped);
  for (guint i = 1; i < n; i++)   /* 0 is the header */
    {
      g_autofree char *msgid = mo_string (bytes, originals, i, swapped);
      g_autofree char *msgstr = mo_string (bytes, translations, i, swapped);
      const char *english = strchr (msgid, '\004') != NULL ? strchr (msgid, '\004') + 1 : msgid;
      Entry *entry = g_new0 (Entry, 1);

      entry->msgid = g_strdup (english);
      entry->msgstr = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (entry->msgstr, g_strdup (msgstr));
      entry->translated = TRUE;
      entry->same = g_str_equal (msgstr, english);
      entry->toolkit = TRUE;
      g_ptr_array_add (self->entries, entry);
      add_forms (self, entry, msgstr, TRUE);
      if (!entry->same && !g_hash_table_contains (self->english, english))
        g_hash_table_insert (self->english, g_strdup (english), entry);
    }
}

/* Data */

void
gh_test_catalogue_add_data (GhTestCatalogue *self,
                            const char      *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  if (strlen (trimmed) < 2 || g_hash_table_contains (self->data_set, trimmed))
    return;
  g_hash_table_add (self->data_set, trimmed);
  g_ptr_array_add (self->data, g_steal_pointer (&trimmed));
  self->data_sorted = FALSE;

  /* A distinguished name is shown whole or by its parts (the CN). */
  if (strchr (text, '=') != NULL)
    {
      g_auto(GStrv) parts = g_regex_split_simple ("[,=/+]", text, 0, 0);

      for (guint i = 0; parts[i] != NULL; i++)
        gh_test_catalogue_add_data (self, parts[i]);
    }
}

static int
longest_first (gconstpointer a,
               gconstpointer b)
{
  return (int) strlen (*(const char **) b) - (int) strlen (*(const char **) a);
}

static gboolean
is_data (GhTestCatalogue *self,
         const char      *shown)
{
  g_autoptr(GString) rest = g_string_new (shown);
  g_autofree char *no_hex = NULL;

  if (!self->data_sorted)
    {
      g_ptr_array_sort (self->data, longest_first);
      self->data_sorted = TRUE;
    }
  for (guint i = 0; i < self->data->len; i++)
    g_string_replace (rest, g_ptr_array_index (self->data, i), " ", 0);
  no_hex = g_regex_replace_literal (self->hex, rest->str, -1, 0, " ", 0, NULL);
  return !has_word (self, no_hex);
}

/* Judging */

static char *judge (GhTestCatalogue *self, const char *shown, guint depth);

static const char *
german_of (Entry *entry)
{
  return entry->msgstr->len > 0 ? g_ptr_array_index (entry->msgstr, 0) : "";
}

static char *
finding_for (Entry *entry)
{
  if (!entry->translated)
    return g_strdup_printf ("English: “%s”%s%s%s has no German in the catalogue yet", entry->msgid,
                            entry->context != NULL ? " (context “" : "", entry->context != NULL ? entry->context : "",
                            entry->context != NULL ? "”)" : "");
  if (!entry->same)
    return g_strdup_printf ("shown in English, but the catalogue has “%s” for “%s”", german_of (entry), entry->msgid);
  return NULL;
}

/* The %s arguments of a match, judged in turn; NULL when all pass. */
static char *
judge_arguments (GhTestCatalogue *self,
                 GMatchInfo      *match,
                 guint            depth)
{
  for (int i = 1; i < g_match_info_get_match_count (match); i++)
    {
      g_autofree char *argument = g_match_info_fetch (match, i);
      char *why = judge (self, argument, depth + 1);

      if (why != NULL)
        return why;
    }
  return NULL;
}

/* NULL with @matched set when a message of the catalogue vouches for @shown; why not
 * otherwise (NULL, @matched unset, when no message has its form). */
static char *
judge_patterns (GhTestCatalogue *self,
                const char      *shown,
                guint            depth,
                gboolean        *matched)
{
  char *first_why = NULL;

  *matched = FALSE;
  for (guint i = 0; i < self->patterns->len; i++)
    {
      Pattern *pattern = g_ptr_array_index (self->patterns, i);
      g_autoptr(GMatchInfo) match = NULL;
      char *why;

      if (!g_regex_match (pattern->regex, shown, 0, &match))
        continue;
      *matched = TRUE;
      why = pattern->german || pattern->entry->same ? NULL : finding_for (pattern->entry);
      if (why == NULL)
        why = judge_arguments (self, match, depth);
      if (why == NULL)
        {
          g_free (first_why);
          return NULL;
        }
      if (first_why == NULL)
        first_why = why;
      else
        g_free (why);
    }
  return first_why;
}

static char *
judge_parts (GhTestCatalogue *self,
             const char      *shown,
             guint            depth)
{
  /* Lines, the parts of a list, then sentences. */
  static const char *separators[] = { "\n", " · ", " — ", "(?<=[.!?…])\\s+(?=\\p{Lu})" };

  for (guint s = 0; s < G_N_ELEMENTS (separators); s++)
    {
      g_auto(GStrv) parts = s < 3 ? g_strsplit (shown, separators[s], -1)
                                  : g_regex_split_simple (separators[s], shown, 0, 0);

      if (g_strv_length (parts) < 2)
        continue;
      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *why = judge (self, parts[i], depth + 1);

          if (why != NULL)
            return why;
        }
      return g_strdup ("");   /* every part passed */
    }
  return NULL;
}

static char *
judge (GhTestCatalogue *self,
       const char      *shown,
       guint            depth)
{
  g_autofree char *text = g_strstrip (g_strdup (shown));
  g_autofree char *parts_why = NULL;
  gboolean matched;
  Entry *entry;
  char *why;

  if (!has_word (self, text) || g_hash_table_contains (self->german, text) || is_data (self, text) ||
      g_uri_is_valid (text, G_URI_FLAGS_NONE, NULL))
    return NULL;
  /* A message with the full stop or colon the sentence around it adds. */
  if (g_str_has_suffix (text, ".") || g_str_has_suffix (text, ":"))
    {
      g_autofree char *bare = g_strndup (text, strlen (text) - 1);
      g_autofree char *bare_why = judge (self, bare, depth);

      if (bare_why == NULL)
        return NULL;
    }
  if ((entry = g_hash_table_lookup (self->english, text)) != NULL)
    return finding_for (entry);
  if (depth > 3)
    return g_strdup_printf ("“%s” is not in the catalogue", text);
  why = judge_patterns (self, text, depth, &matched);
  if (matched && why == NULL)
    return NULL;
  parts_why = judge_parts (self, text, depth);
  if (parts_why != NULL && *parts_why == '\0')
    {
      g_free (why);
      return NULL;
    }
  if (why != NULL)
    return why;
  if (parts_why != NULL)
    return g_steal_pointer (&parts_why);
  return g_strdup_printf ("“%s” is not in the catalogue", text);
}

char *
gh_test_catalogue_judge (GhTestCatalogue *self,
                         const char      *shown)
{
  return judge (self, shown, 0);
}
