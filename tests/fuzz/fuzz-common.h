/* fuzz-common.h — what every libFuzzer target of Gatehouse shares
 *
 * A g_critical() or g_warning() on any input is a bug (a precondition the library
 * failed to check, or a GObject misuse): it aborts, so libFuzzer reports it as a
 * crash. Leaks are found by LeakSanitizer, which libFuzzer runs after each input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <glib.h>

/* The password the seed corpus is made with (tests/fuzz/make-seeds.sh). */
#define FUZZ_PASSWORD "fuzzpass"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
fuzz_discard_log (const char     *log_domain,
                  GLogLevelFlags  log_level,
                  const char     *message,
                  gpointer        user_data)
{
  if (log_level & (G_LOG_FLAG_FATAL | G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      g_printerr ("%s: %s\n", log_domain ? log_domain : "fuzz", message);
      abort ();
    }
}

/* The library logs structured (G_LOG_USE_STRUCTURED): the same rule for that path. */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (log_level & (G_LOG_FLAG_FATAL | G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }

  return G_LOG_WRITER_HANDLED;
}

static inline void
fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  /* Debug and info messages of the library only slow the fuzzer down. */
  g_log_set_default_handler (fuzz_discard_log, NULL);
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}

/* A copy of the input, since GBytes and parsers may keep pointers into it. */
static inline GBytes *
fuzz_bytes (const uint8_t *data,
            size_t         size)
{
  return g_bytes_new (data, size);
}
