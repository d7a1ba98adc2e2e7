/* gh-text-diff.c — a line diff of two texts, as unified-diff hunks with context
 *
 * Three steps, each kept apart so it can be read on its own: the texts are split
 * into lines (each with its line end, so "a" and "a\n" differ as diff(1) says they
 * do), a shortest edit script is found with Myers' O(ND) algorithm on what lies
 * between the common head and tail, and the script is cut into hunks with context.
 *
 * Myers keeps one row of its V array per step to walk back, which costs memory in
 * the square of the number of differences. Configuration versions differ in a few
 * lines; past MAX_EDIT_STEPS the middle is given as all removed then all added,
 * still a correct diff, only not the shortest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-text-diff"

#include "config.h"

#include <string.h>

#include "gh-text-diff.h"

#define MAX_EDIT_STEPS 2000

typedef struct {
  const char *start;
  gsize       length;  /* with the "\n", when there is one */
  guint       hash;
} Line;

/* One step of the edit script: the kind, and the positions (0-based) in the old
 * and new texts before it. */
typedef struct {
  GhTextDiffKind kind;
  guint          old_index;
  guint          new_index;
} Edit;

static GArray *
split_lines (const char *text)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (Line));

  while (text != NULL && *text != '\0')
    {
      const char *end = strchr (text, '\n');
      Line line = { text, end != NULL ? (gsize) (end - text) + 1 : strlen (text), 0 };

      line.hash = 5381;
      for (gsize i = 0; i < line.length; i++)
        line.hash = line.hash * 33 + (guchar) text[i];
      g_array_append_val (lines, line);
      text += line.length;
    }

  return lines;
}

static gboolean
lines_equal (const Line *a,
             const Line *b)
{
  return a->hash == b->hash && a->length == b->length && memcmp (a->start, b->start, a->length) == 0;
}

static void
append_edit (GArray         *script,
             GhTextDiffKind  kind,
             guint           old_index,
             guint           new_index)
{
  Edit edit = { kind, old_index, new_index };

  g_array_append_val (script, edit);
}

/* Appends to @script the shortest edits that turn old[o0,o1) into new[n0,n1), or
 * returns FALSE (nothing appended) when that takes more than MAX_EDIT_STEPS. */
static gboolean
append_myers (GArray *script,
              GArray *old,
              GArray *new,
              guint   o0,
              guint   o1,
              guint   n0,
              guint   n1)
{
  int n = o1 - o0, m = n1 - n0, max = MIN (n + m, MAX_EDIT_STEPS);
  g_autofree int *v = g_new0 (int, 2 * max + 3);
  g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) backwards = g_array_new (FALSE, FALSE, sizeof (Edit));
  int offset = max + 1, x, y, d;
  gboolean found = FALSE;

  for (d = 0; d <= max && !found; d++)
    {
      /* V before step d, over k in [-d, d] */
      g_ptr_array_add (trace, g_memdup2 (&v[offset - d], sizeof (int) * (2 * d + 1)));

      for (int k = -d; k <= d; k += 2)
        {
          if (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
            x = v[offset + k + 1];
          else
            x = v[offset + k - 1] + 1;
          y = x - k;
          while (x < n && y < m &&
                 lines_equal (&g_array_index (old, Line, o0 + x), &g_array_index (new, Line, n0 + y)))
            x++, y++;
          v[offset + k] = x;
          if (x >= n && y >= m)
            {
              found = TRUE;
              break;
            }
        }
    }

  if (!found)
    return FALSE;

  /* Walk back from (n, m): each step d came from diagonal k±1 of step d-1. */
  x = n;
  y = m;
  for (d = trace->len - 1; d > 0; d--)
    {
      const int *row = g_ptr_array_index (trace, d);  /* row[i] is V[i - d] */
      int k = x - y, previous_k, previous_x, previous_y;

      if (k == -d || (k != d && row[k - 1 + d] < row[k + 1 + d]))
        previous_k = k + 1;
      else
        previous_k = k - 1;
      previous_x = row[previous_k + d];
      previous_y = previous_x - previous_k;

      while (x > previous_x && y > previous_y)
        {
          x--, y--;
          append_edit (backwards, GH_TEXT_DIFF_SAME, o0 + x, n0 + y);
        }
      if (previous_k == k + 1)
        append_edit (backwards, GH_TEXT_DIFF_ADDED, o0 + previous_x, n0 + previous_y);
      else
        append_edit (backwards, GH_TEXT_DIFF_REMOVED, o0 + previous_x, n0 + previous_y);
      x = previous_x;
      y = previous_y;
    }
  while (x > 0 && y > 0)
    {
      x--, y--;
      append_edit (backwards, GH_TEXT_DIFF_SAME, o0 + x, n0 + y);
    }

  for (guint i = backwards->len; i > 0; i--)
    g_array_append_val (script, g_array_index (backwards, Edit, i - 1));

  return TRUE;
}

/* Every line of both texts once, in order. */
static GArray *
edit_script (GArray *old,
             GArray *new)
{
  GArray *script = g_array_new (FALSE, FALSE, sizeof (Edit));
  guint head = 0, tail = 0;

  while (head < old->len && head < new->len &&
         lines_equal (&g_array_index (old, Line, head), &g_array_index (new, Line, head)))
    head++;
  while (tail < old->len - head && tail < new->len - head &&
         lines_equal (&g_array_index (old, Line, old->len - 1 - tail), &g_array_index (new, Line, new->len - 1 - tail)))
    tail++;

  for (guint i = 0; i < head; i++)
    append_edit (script, GH_TEXT_DIFF_SAME, i, i);

  if (!append_myers (script, old, new, head, old->len - tail, head, new->len - tail))
    {
      for (guint i = head; i < old->len - tail; i++)
        append_edit (script, GH_TEXT_DIFF_REMOVED, i, head);
      for (guint i = head; i < new->len - tail; i++)
        append_edit (script, GH_TEXT_DIFF_ADDED, old->len - tail, i);
    }

  for (guint i = 0; i < tail; i++)
    append_edit (script, GH_TEXT_DIFF_SAME, old->len - tail + i, new->len - tail + i);

  return script;
}

static void
text_diff_line_free (GhTextDiffLine *line)
{
  g_free (line->text);
  g_free (line);
}

void
gh_text_diff_hunk_free (GhTextDiffHunk *hunk)
{
  if (hunk == NULL)
    return;
  g_clear_pointer (&hunk->lines, g_ptr_array_unref);
  g_free (hunk);
}

static GhTextDiffHunk *
make_hunk (GArray *script,
           guint   begin,
           guint   end,
           GArray *old,
           GArray *new)
{
  GhTextDiffHunk *hunk = g_new0 (GhTextDiffHunk, 1);
  const Edit *first = &g_array_index (script, Edit, begin);

  hunk->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) text_diff_line_free);
  for (guint i = begin; i < end; i++)
    {
      const Edit *edit = &g_array_index (script, Edit, i);
      const Line *source = edit->kind == GH_TEXT_DIFF_ADDED ? &g_array_index (new, Line, edit->new_index)
                                                            : &g_array_index (old, Line, edit->old_index);
      GhTextDiffLine *line = g_new0 (GhTextDiffLine, 1);
      gboolean newline = source->length > 0 && source->start[source->length - 1] == '\n';

      line->kind = edit->kind;
      line->old_line = edit->kind != GH_TEXT_DIFF_ADDED ? edit->old_index + 1 : 0;
      line->new_line = edit->kind != GH_TEXT_DIFF_REMOVED ? edit->new_index + 1 : 0;
      line->text = g_strndup (source->start, source->length - (newline ? 1 : 0));
      line->missing_newline = !newline;
      g_ptr_array_add (hunk->lines, line);

      hunk->old_count += edit->kind != GH_TEXT_DIFF_ADDED;
      hunk->new_count += edit->kind != GH_TEXT_DIFF_REMOVED;
    }

  /* An empty side starts at the line before it, as diff -u writes "-0,0". */
  hunk->old_start = first->old_index + (hunk->old_count > 0 ? 1 : 0);
  hunk->new_start = first->new_index + (hunk->new_count > 0 ? 1 : 0);

  return hunk;
}

GPtrArray *
gh_text_diff_hunks (const char *old_text,
                    const char *new_text,
                    guint       context)
{
  g_autoptr(GArray) old = split_lines (old_text);
  g_autoptr(GArray) new = split_lines (new_text);
  g_autoptr(GArray) script = edit_script (old, new);
  GPtrArray *hunks = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_text_diff_hunk_free);
  guint i = 0;

#define IS_SAME(index) (g_array_index (script, Edit, (index)).kind == GH_TEXT_DIFF_SAME)

  while (i < script->len)
    {
      guint begin, end;

      if (IS_SAME (i))
        {
          i++;
          continue;
        }

      begin = i > context ? i - context : 0;
      end = i;
      for (;;)
        {
          guint next;

          while (end < script->len && !IS_SAME (end))
            end++;
          for (next = end; next < script->len && IS_SAME (next); next++)
            ;
          /* Changes closer than two contexts share a hunk. */
          if (next < script->len && next - end <= 2 * context)
            end = next;
          else
            break;
        }
      end = MIN (script->len, end + context);

      g_ptr_array_add (hunks, make_hunk (script, begin, end, old, new));
      i = end;
    }

#undef IS_SAME

  return hunks;
}

char
gh_text_diff_kind_to_char (GhTextDiffKind kind)
{
  switch (kind)
    {
    case GH_TEXT_DIFF_REMOVED: return '-';
    case GH_TEXT_DIFF_ADDED:   return '+';
    case GH_TEXT_DIFF_SAME:
    default:                   return ' ';
    }
}

static void
append_range (GString *string,
              guint    start,
              guint    count)
{
  if (count == 1)
    g_string_append_printf (string, "%u", start);
  else
    g_string_append_printf (string, "%u,%u", start, count);
}

char *
gh_text_diff_hunk_header (const GhTextDiffHunk *hunk)
{
  GString *header = g_string_new ("@@ -");

  g_return_val_if_fail (hunk != NULL, NULL);

  append_range (header, hunk->old_start, hunk->old_count);
  g_string_append (header, " +");
  append_range (header, hunk->new_start, hunk->new_count);
  g_string_append (header, " @@");

  return g_string_free (header, FALSE);
}

char *
gh_text_diff_unified (const char *old_text,
                      const char *new_text,
                      const char *old_label,
                      const char *new_label,
                      guint       context)
{
  g_autoptr(GPtrArray) hunks = gh_text_diff_hunks (old_text, new_text, context);
  GString *diff = g_string_new (NULL);

  if (hunks->len == 0)
    return g_string_free (diff, FALSE);

  g_string_append_printf (diff, "--- %s\n+++ %s\n", old_label ? old_label : "a", new_label ? new_label : "b");
  for (guint i = 0; i < hunks->len; i++)
    {
      const GhTextDiffHunk *hunk = g_ptr_array_index (hunks, i);
      g_autofree char *header = gh_text_diff_hunk_header (hunk);

      g_string_append_printf (diff, "%s\n", header);
      for (guint j = 0; j < hunk->lines->len; j++)
        {
          const GhTextDiffLine *line = g_ptr_array_index (hunk->lines, j);

          g_string_append_printf (diff, "%c%s\n", gh_text_diff_kind_to_char (line->kind), line->text);
          if (line->missing_newline)
            g_string_append (diff, "\\ No newline at end of file\n");
        }
    }

  return g_string_free (diff, FALSE);
}
