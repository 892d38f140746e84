/* custom.h: what the custom-section decoders (custom*.c) share.
 *
 * Each decoder reads the content of one custom section (the payload after
 * its name) from a reader whose err is the caller's error record, fills its
 * part of the module from m->arena, and returns the first error it met.
 * A decoder that fails keeps what it decoded before the error (counts say
 * how many entries are complete), like wlab_module_decode does. */
#ifndef WLAB_CUSTOM_H
#define WLAB_CUSTOM_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"

/* Reads a subsection header (id byte, size LEB128) and sets *sub to a reader
 * over its payload; r moves past the whole subsection. *span runs from the
 * id byte to the end of the payload. A size past the end of r is
 * "length out of bounds" at the size field. */
enum wlab_status wlab_custom_subsection(struct wlab_reader *r, uint8_t *id,
					struct wlab_reader *sub, struct wlab_span *span);
/* How many well-formed subsection headers r holds, read on a copy with its
 * own error record: a count to size an array before the real pass. */
uint32_t wlab_custom_count_subsections(const struct wlab_reader *r);
/* "section size mismatch" unless r is at its end. */
enum wlab_status wlab_custom_finish(struct wlab_reader *r);
/* A length-prefixed name as a struct wlab_str. */
enum wlab_status wlab_custom_str(struct wlab_reader *r, bool check_utf8,
				 struct wlab_str *out);
/* Records "out of memory" at the reader's offset and returns WLAB_NOMEM. */
enum wlab_status wlab_custom_nomem(struct wlab_reader *r);
/* Records a malformed-content message at offset and returns WLAB_MALFORMED. */
enum wlab_status wlab_custom_fail(struct wlab_reader *r, size_t offset,
				  const char *msg);

/* One decoder per kind; section_index is the custom section's own index. */
enum wlab_status wlab_custom_names(struct wlab_module *m, uint32_t section_index,
				   struct wlab_reader *r);
enum wlab_status wlab_custom_producers(struct wlab_module *m, uint32_t section_index,
				       struct wlab_reader *r);
enum wlab_status wlab_custom_target_features(struct wlab_module *m,
					     uint32_t section_index,
					     struct wlab_reader *r);
enum wlab_status wlab_custom_linking(struct wlab_module *m, uint32_t section_index,
				     struct wlab_reader *r);
enum wlab_status wlab_custom_reloc(struct wlab_module *m, uint32_t section_index,
				   struct wlab_reader *r);
enum wlab_status wlab_custom_dylink0(struct wlab_module *m, uint32_t section_index,
				     struct wlab_reader *r);
enum wlab_status wlab_custom_code_meta(struct wlab_module *m, uint32_t section_index,
				      struct wlab_reader *r);
enum wlab_status wlab_custom_dylink_legacy(struct wlab_module *m,
					   uint32_t section_index,
					   struct wlab_reader *r);

#endif
