/* decode.h: what the decoder's files share inside libwasm. */
#ifndef WLAB_DECODE_H
#define WLAB_DECODE_H

#include "arena.h"
#include "wlab/instr.h"
#include "wlab/module.h"
#include "wlab/reader.h"

/* Decodes the custom section m->sections[section_index] (its name and content
 * are already set) into m when it is one libwasm knows: "name", "producers",
 * "target_features", "linking", "reloc.*", "dylink.0", "dylink". Unknown names
 * return WLAB_OK and stay raw bytes. An error is recorded in err and returned;
 * the caller keeps it as m->custom_error without failing the module.
 * Implemented in custom.c, which dispatches to custom_<kind>.c. */
enum wlab_status wlab_decode_custom(struct wlab_module *m, uint32_t section_index,
				    struct wlab_error *err);

#endif
