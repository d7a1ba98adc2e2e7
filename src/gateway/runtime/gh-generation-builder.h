/* gh-generation-builder.h — a generation from a configuration and its stores
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-generation.h"

G_BEGIN_DECLS

/* Everything @config (valid or not) and its stores would make, binding no socket;
 * @keystore and @truststore, when given, replace the files the configuration names.
 * Errors are configuration problems (%GH_CONFIG_ERROR) that name the member at fault. */
GhGeneration *gh_generation_build           (GhGatewayConfig  *config,
                                             GhKeystore       *keystore,
                                             GhKeystore       *truststore,
                                             GError          **error);
GhGeneration *gh_generation_build_from_file (GFile            *config_file,
                                             GError          **error);

/* The password of a store (@what: "keystore", "truststore"); FALSE when its file
 * cannot be read. *@password stays NULL for a store without a password file. */
gboolean      gh_generation_read_store_password (GFile       *password_file,
                                                 const char  *what,
                                                 GhSecret   **password,
                                                 GError     **error);

/* Turns @error (set) into a configuration problem at @path, so that whoever shows it
 * (the admin API, an editor) knows which member it is about. */
void          gh_generation_error_to_problem (GError     **error,
                                              const char  *path);

G_END_DECLS
