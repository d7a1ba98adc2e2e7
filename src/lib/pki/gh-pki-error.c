/* gh-pki-error.c — errors of the PKI core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "gh-pki-error.h"

G_DEFINE_QUARK (gh-pki-error-quark, gh_pki_error)
