// SPDX-License-Identifier: GPL-2.0-or-later
/* Symbol namespaces are identifiers that the export and import macros
 * turn into strings (string literals since then): this compiles only
 * with the former.
 */
#include <linux/module.h>

MODULE_IMPORT_NS(QUIC_PROBE_NAMESPACE);
