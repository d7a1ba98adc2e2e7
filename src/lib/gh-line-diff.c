/* gh-line-diff.c — a line diff by the longest common subsequence
 *
 * Configuration documents are a few hundred pretty-printed lines and differ in a few
 * of them: the common head and tail are taken off first, and the classic LCS table
 * is filled only for what lies between, so a one-line change in a long document costs
 * almost nothing. A pathological pair (two large documents with nothing in common)
 * has a bound on the table; past it the middle is shown as removed, then added, which
 * is still a correct diff, only not the shortest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-line-diff"

#include "config.h"

#include <string.h>

#include "gh-line-diff.h"

#define DEFAULT_MAX_CELLS (16u * 1024u * 1024u)

static void
line_free (gpointer data)
{
  GhLineDiffLine *line = data;

  g_free (line->text);
  g_free (line);
}

static void
add_line (GPtrArray      *lines,
          GhLineDiffKind  kind,
          const char     *text)
{
  GhLineDiffLine *line = g_new0 (GhLineDiffLine, 1);

  line->kind = kind;
  line->text = g_strdup (text);
  g_ptr_array_add (lines, line);
}

/* Lines without their newlines; a final newline does not make an empty last line. */
static GStrv
split_lines (const char *text,
             guint      *n)
{
  GStrv lines;

  if (text == NULL || *text == '\0')
    {
      *n = 0;
      return g_new0 (char *, 1);
    }
  lines = g_strsplit (text, "\n", -1);
  *n = g_strv_length (lines);
  if (*n > 0 && *lines[*n - 1] == '\0')
    {
      g_clear_pointer (&lines[*n - 1], g_free);
      (*n)--;
    }
  return lines;
}

GPtrArray *
gh_line_diff (const char *old_text,
              const char *new_text,
              gsize       max_cells)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (line_free);
  guint n_old, n_new, head = 0, tail = 0, rows, cols;
  g_auto(GStrv) a = split_lines (old_text, &n_old);
  g_auto(GStrv) b = split_lines (new_text, &n_new);

  if (max_cells == 0)
    max_cells = DEFAULT_MAX_CELLS;

  while (head < n_old && head < n_new && g_str_equal (a[head], b[head]))
    head++;
  while (tail < n_old - head && tail < n_new - head &&
         g_str_equal (a[n_old - 1 - tail], b[n_new - 1 - tail]))
    tail++;

  for (guint i = 0; i < head; i++)
    add_line (lines, GH_LINE_DIFF_SAME, a[i]);

  rows = n_old - head - tail;
  cols = n_new - head - tail;
  if ((gsize) (rows + 1) * (cols + 1) > max_cells)
    {
      for (guint i = 0; i < rows; i++)
        add_line (lines, GH_LINE_DIFF_REMOVED, a[head + i]);
      for (guint j = 0; j < cols; j++)
        add_line (lines, GH_LINE_DIFF_ADDED, b[head + j]);
    }
  else
    {
      /* length[i][j]: the LCS of a[head+i…] and b[head+j…] (suffixes, so that the walk
       * below goes forward). */
      g_autofree guint *length = g_new0 (guint, (gsize) (rows + 1) * (cols + 1));
      guint i = 0, j = 0;

#define LCS(i, j) length[(gsize) (i) * (cols + 1) + (j)]
      for (guint r = rows; r-- > 0;)
        for (guint c = cols; c-- > 0;)
          LCS (r, c) = g_str_equal (a[head + r], b[head + c])
                       ? LCS (r + 1, c + 1) + 1
                       : MAX (LCS (r + 1, c), LCS (r, c + 1));

      while (i < rows || j < cols)
        {
          if (i < rows && j < cols && g_str_equal (a[head + i], b[head + j]))
            {
              add_line (lines, GH_LINE_DIFF_SAME, a[head + i]);
              i++, j++;
            }
          else if (i < rows && (j == cols || LCS (i + 1, j) >= LCS (i, j + 1)))
            add_line (lines, GH_LINE_DIFF_REMOVED, a[head + i++]);
          else
            add_line (lines, GH_LINE_DIFF_ADDED, b[head + j++]);
        }
#undef LCS
    }

  for (guint i = n_old - tail; i < n_old; i++)
    add_line (lines, GH_LINE_DIFF_SAME, a[i]);

  return g_steal_pointer (&lines);
}

char *
gh_line_diff_to_unified (GPtrArray *lines,
                         guint      context)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree gboolean *shown = NULL;
  guint old_line = 1, new_line = 1;

  g_return_val_if_fail (lines != NULL, NULL);

  /* Which lines a hunk shows: every change and @context lines either side. */
  shown = g_new0 (gboolean, MAX (lines->len, 1));
  for (guint i = 0; i < lines->len; i++)
    {
      GhLineDiffLine *line = g_ptr_array_index (lines, i);

      if (line->kind == GH_LINE_DIFF_SAME)
        continue;
      for (guint k = i > context ? i - context : 0; k <= i + context && k < lines->len; k++)
        shown[k] = TRUE;
    }

  for (guint i = 0; i < lines->len;)
    {
      guint end = i, old_count = 0, new_count = 0;

      if (!shown[i])
        {
          GhLineDiffLine *line = g_ptr_array_index (lines, i);

          old_line += line->kind != GH_LINE_DIFF_ADDED;
          new_line += line->kind != GH_LINE_DIFF_REMOVED;
          i++;
          continue;
        }
      while (end < lines->len && shown[end])
        {
          GhLineDiffLine *line = g_ptr_array_index (lines, end++);

          old_count += line->kind != GH_LINE_DIFF_ADDED;
          new_count += line->kind != GH_LINE_DIFF_REMOVED;
        }
      g_string_append_printf (out, "@@ -%u,%u +%u,%u @@\n",
                              old_count > 0 ? old_line : old_line - 1, old_count,
                              new_count > 0 ? new_line : new_line - 1, new_count);
      for (; i < end; i++)
        {
          GhLineDiffLine *line = g_ptr_array_index (lines, i);
          char mark = line->kind == GH_LINE_DIFF_ADDED ? '+' : line->kind == GH_LINE_DIFF_REMOVED ? '-' : ' ';

          g_string_append_printf (out, "%c%s\n", mark, line->text);
        }
      old_line += old_count;
      new_line += new_count;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
