/* wlab/debuginfo.h: a module's source information, wherever it is:
 *   1. a separate DWARF file the caller names (--debug-file);
 *   2. the module's own DWARF sections (wlab/dwarf.h);
 *   3. the file its `external_debug_info` custom section names (DWARF split
 *      off the module, as Emscripten's -gseparate-dwarf and
 *      `llvm-objcopy --only-keep-debug` make it);
 *   4. a source map v3: the file the caller names (--source-map), else the
 *      one the module's `sourceMappingURL` section names (Emscripten's
 *      -gsource-map).
 * The first that gives anything wins. A section's URL is a path: relative
 * ones are found next to the module (the directory of module_path), a
 * file:// prefix is dropped, other schemes (http:) are not fetched.
 *
 * Pay on use: wlab_debuginfo_new reads nothing; the first query looks for
 * and reads the files. Nothing is fatal: a file that cannot be read, a
 * debug file that is not a module, a map that does not parse, bad DWARF,
 * each gives a warning (with the byte offset of the problem) and the
 * queries answer with what is left, or with nothing.
 *
 * Ownership: borrows the module (which must outlive it); copies the option
 * strings; the strings it returns live until wlab_debuginfo_free. */
#ifndef WLAB_DEBUGINFO_H
#define WLAB_DEBUGINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "wlab/api.h"
#include "wlab/dwarf.h"
#include "wlab/module.h"

#ifdef __cplusplus
extern "C" {
#endif

struct wlab_debuginfo;

struct wlab_debuginfo_options {
	const char *module_path;  /* the module's file, for relative URLs (NULL: cwd) */
	const char *debug_file;   /* a file holding the DWARF sections, or NULL */
	const char *source_map;   /* a source map file, or NULL */
};

enum wlab_debuginfo_kind {
	WLAB_DEBUGINFO_NONE,
	WLAB_DEBUGINFO_DWARF,           /* the module's own sections */
	WLAB_DEBUGINFO_EXTERNAL_DWARF,  /* another file's (debug_file or external_debug_info) */
	WLAB_DEBUGINFO_SOURCE_MAP,
};

/* One warning, ready to print: "PLACE+0xOFFSET: what" (PLACE a section
 * name, or a file's path with the offset within it). */
typedef void (*wlab_debuginfo_warn_fn)(void *ctx, const char *message);

/* NULL only when out of memory; o may be NULL. */
WLAB_API struct wlab_debuginfo *wlab_debuginfo_new(const struct wlab_module *m,
						   const struct wlab_debuginfo_options *o);
WLAB_API void wlab_debuginfo_free(struct wlab_debuginfo *di);  /* NULL is a no-op */
WLAB_API void wlab_debuginfo_set_warn(struct wlab_debuginfo *di, wlab_debuginfo_warn_fn fn,
				      void *ctx);

/* Which source information the queries use (finding it on the first call);
 * *path, when not NULL, is set to the file it came from (NULL for the
 * module's own DWARF and for none). */
WLAB_API enum wlab_debuginfo_kind wlab_debuginfo_kind(struct wlab_debuginfo *di,
						      const char **path);

/* The source frames of the instruction at file offset off of the module,
 * innermost first, as wlab_dwarf_lookup gives them; a source map gives one
 * frame, the last mapping at or before off (its function the mapping's
 * entry in "names", or NULL), or none when that mapping marks unmapped
 * code. */
WLAB_API uint32_t wlab_debuginfo_lookup(struct wlab_debuginfo *di, uint64_t off,
					struct wlab_source_loc *out, uint32_t max);

/* The DWARF in use (own or external), for its line tables; NULL when none. */
WLAB_API struct wlab_dwarf *wlab_debuginfo_dwarf(struct wlab_debuginfo *di);

/* The URL a custom section named name holds (a length-prefixed string, the
 * form of `external_debug_info` and `sourceMappingURL`); false when the
 * module has no such section or it does not hold one string. */
WLAB_API bool wlab_module_section_url(const struct wlab_module *m, const char *name,
				      struct wlab_str *url);

#ifdef __cplusplus
}
#endif

#endif
