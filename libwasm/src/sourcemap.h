/* sourcemap.h: source maps v3 (sourcemap.c), for wlab/debuginfo.h. */
#ifndef WLAB_SOURCEMAP_INTERNAL_H
#define WLAB_SOURCEMAP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One segment of the first generated line: from file offset `offset` on,
 * the code is sources[source] at line:column (0-based), or unmapped. */
struct sourcemap_seg {
	uint32_t offset;
	uint32_t order;      /* position in the mappings, to keep ties stable */
	bool mapped;
	uint32_t source, line, column;
};

struct sourcemap {
	char **sources;      /* as the map gives them (NULL for a null entry) */
	uint32_t nsources;
	char *source_root;   /* or NULL */
	struct sourcemap_seg *segs;  /* by offset */
	uint32_t nsegs;
};

/* Parses a map's JSON text. False on the first problem: its byte offset in
 * the text and a message (sm is left empty). */
bool sourcemap_parse(struct sourcemap *sm, const char *text, size_t size,
			  size_t *err_offset, char *err, size_t err_size);
void sourcemap_fini(struct sourcemap *sm);
/* The last segment at or before offset, or NULL. */
const struct sourcemap_seg *sourcemap_find(const struct sourcemap *sm,
						     uint32_t offset);

#endif
