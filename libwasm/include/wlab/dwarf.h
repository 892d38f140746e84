/* wlab/dwarf.h: source locations from a module's DWARF debug sections.
 *
 * What clang writes for wasm32 with -g: custom sections named .debug_line
 * (versions 4 and 5), .debug_info, .debug_abbrev, .debug_str,
 * .debug_line_str, .debug_str_offsets, .debug_addr, .debug_ranges and
 * .debug_rnglists. Addresses are offsets within the Code section's payload
 * (LLVM's convention for wasm), not file offsets: wlab_dwarf_code_address
 * converts.
 *
 * Pay on use: wlab_dwarf_new only notes where the sections are; the first
 * query parses them. Bad DWARF is never fatal: what cannot be read is
 * reported once through the warning callback (with the section and the
 * offset within it) and left out, and queries answer with what remains.
 *
 * Ownership: a wlab_dwarf borrows the module (and through it the module's
 * bytes), which must outlive it. Strings it returns point into the module's
 * bytes or into memory the wlab_dwarf owns; they live until wlab_dwarf_free. */
#ifndef WLAB_DWARF_H
#define WLAB_DWARF_H

#include <stdbool.h>
#include <stdint.h>

#include "wlab/module.h"
#include "wlab/api.h"

#ifdef __cplusplus
extern "C" {
#endif

struct wlab_dwarf;

/* Called for each problem met while parsing: section is ".debug_line" and
 * so on, offset is within that section's content, file_offset within the
 * module. */
typedef void (*wlab_dwarf_warn_fn)(void *ctx, const char *section, uint64_t offset,
				   uint64_t file_offset, const char *message);

/* NULL only when out of memory. A module without debug sections gives a
 * wlab_dwarf whose queries find nothing. */
WLAB_API struct wlab_dwarf *wlab_dwarf_new(const struct wlab_module *m);
WLAB_API void wlab_dwarf_free(struct wlab_dwarf *d);  /* NULL is a no-op */
WLAB_API void wlab_dwarf_set_warn(struct wlab_dwarf *d, wlab_dwarf_warn_fn fn, void *ctx);
/* Whether the module has a .debug_line or .debug_info section (no parsing). */
WLAB_API bool wlab_dwarf_present(const struct wlab_dwarf *d);

/* The Code section payload's offset in the file: a code address is a file
 * offset minus this. False when the module has no Code section. */
WLAB_API bool wlab_dwarf_code_base(const struct wlab_module *m, uint32_t *base);

/* One source frame. file is a path as llvm-symbolizer prints it (the
 * compilation directory, the include directory and the file name joined);
 * line 0 means the compiler attributed the code to no line. function is the
 * linkage name (C++ and Rust: mangled) or the plain name of the subprogram
 * or inlined subroutine, NULL when the debug info names none. */
struct wlab_source_loc {
	const char *file;      /* NULL when no line table row covers the address */
	uint32_t line, column;
	const char *function;
	bool inlined;          /* this frame was inlined into the next one */
};

/* The DW_AT_name of the compile unit whose ranges hold code address addr
 * (the one wlab_dwarf_lookup() reads), or NULL: none, or a unit without a
 * name. The string lives as long as d. */
WLAB_API const char *wlab_dwarf_unit_at(struct wlab_dwarf *d, uint64_t addr);

/* The source frames at code address addr, innermost first: inlined
 * subroutines, then the subprogram that holds them. Fills up to max of them
 * and returns how many there are (0 when the address is in no compile unit).
 * The first frame's file:line:column come from the line table; each outer
 * frame's from the call site (DW_AT_call_file/line/column) of the frame
 * inlined into it. llvm-symbolizer's rules: the compile unit whose ranges
 * hold the address (the first one, in section order, if several do), the
 * last row at or before the address in the line sequence that holds it. */
WLAB_API uint32_t wlab_dwarf_lookup(struct wlab_dwarf *d, uint64_t addr,
				    struct wlab_source_loc *out, uint32_t max);

/* ---- the line tables, as they are (for dumps and tests) ---- */

enum {
	WLAB_LINE_IS_STMT = 1,
	WLAB_LINE_BASIC_BLOCK = 2,
	WLAB_LINE_END_SEQUENCE = 4,
	WLAB_LINE_PROLOGUE_END = 8,
	WLAB_LINE_EPILOGUE_BEGIN = 16,
};

struct wlab_line_row {
	uint64_t address;
	uint32_t line, column, file, isa, discriminator;
	uint8_t flags;  /* WLAB_LINE_* */
};

struct wlab_line_table {
	uint64_t offset;        /* in .debug_line */
	uint16_t version;
	uint32_t nrows;
	const struct wlab_line_row *rows;  /* in program order */
	uint32_t nfiles;
	const char *const *files;  /* full paths by file number (v4: [0] is unused, NULL) */
};

/* The line programs of .debug_line in section order; a program that does
 * not parse ends the list (with a warning). */
WLAB_API uint32_t wlab_dwarf_line_table_count(struct wlab_dwarf *d);
WLAB_API bool wlab_dwarf_line_table(struct wlab_dwarf *d, uint32_t i, struct wlab_line_table *out);

#ifdef __cplusplus
}
#endif

#endif
