/* sourcemap.h: source maps v3 (sourcemap.c), for wlab/debuginfo.h. */
#ifndef WLAB_SOURCEMAP_INTERNAL_H
#define WLAB_SOURCEMAP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SOURCEMAP_NO_NAME UINT32_MAX

/* One segment of the first generated line: from file offset `offset` on,
 * the code is sources[source] at line:column (0-based), or unmapped; name
 * indexes names (a segment's 5th field) or is SOURCEMAP_NO_NAME. */
struct sourcemap_seg {
	uint32_t offset;
	uint32_t order;      /* position in the mappings, to keep ties stable */
	bool mapped;
	uint32_t source, line, column, name;
};

/* An index map's sections are merged into one map: their sources and names
 * appended in order, their segments moved by the section's offset. */
struct sourcemap {
	char **sources;      /* sourceRoot joined to each entry (NULL for a null entry) */
	uint32_t nsources;
	char **names;        /* NULL for a null entry */
	uint32_t nnames;
	struct sourcemap_seg *segs;  /* by offset */
	uint32_t nsegs, segs_cap;
};

/* The longest message sourcemap_parse writes (paths included, cut there). */
#define SOURCEMAP_ERROR_MAX 512

/* Parses a map's JSON text; path (NULL: none, the current directory) is
 * its file, next to which the maps its sections' "url"s name are found
 * (url.h) and read. False on the first problem: its byte offset in the text
 * and a message (sm is left empty); a problem in a map that a "url" names
 * is at that url's string, its message "PATH+0xOFFSET: what" within it. */
bool sourcemap_parse(struct sourcemap *sm, const char *text, size_t size, const char *path,
			  size_t *err_offset, char *err, size_t err_size);
void sourcemap_fini(struct sourcemap *sm);
/* The last segment at or before offset, or NULL. */
const struct sourcemap_seg *sourcemap_find(const struct sourcemap *sm,
						     uint32_t offset);

#endif
