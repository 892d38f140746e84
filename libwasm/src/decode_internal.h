/* decode_internal.h: the decoder's state, shared by decode*.c. */
#ifndef WLAB_DECODE_INTERNAL_H
#define WLAB_DECODE_INTERNAL_H

#include "decode.h"

struct decoder {
	struct wlab_module *m;
	struct wlab_error *err;
	unsigned flags;       /* enum wlab_decode_flags */
	uint32_t features;
	bool saw_func_section, saw_code_section, saw_data_section;
	uint32_t section_count;  /* the vector count of the section being read */
	uint32_t section_end;    /* where the section being read ends */
	size_t data_index_used;  /* 1 + offset of the first memory.init/data.drop */
	uint8_t *blocks;      /* scratch stack of block kinds for body walks */
	size_t blocks_cap;
};

static inline struct wlab_arena *dec_arena(struct decoder *d)
{
	return d->m->arena;
}

/* An allocation through the module's arena, failing with an error. */
void *dec_array(struct decoder *d, size_t count, size_t size, const struct wlab_reader *r);
enum wlab_status dec_fail(struct decoder *d, const struct wlab_reader *r, size_t offset,
			  const char *msg);

enum wlab_status dec_valtype(struct decoder *d, struct wlab_reader *r, wlab_valtype_t *out);
enum wlab_status dec_reftype(struct decoder *d, struct wlab_reader *r, wlab_valtype_t *out);
enum wlab_status dec_limits(struct decoder *d, struct wlab_reader *r, bool memory,
			    struct wlab_limits *out);
enum wlab_status dec_tabletype(struct decoder *d, struct wlab_reader *r,
			       struct wlab_tabletype *out);
enum wlab_status dec_globaltype(struct decoder *d, struct wlab_reader *r,
				struct wlab_globaltype *out);
/* A constant expression up to and including its end opcode. */
enum wlab_status dec_expr(struct decoder *d, struct wlab_reader *r, struct wlab_expr *out);
/* Walks instructions from r until the end that closes depth 0; checks the
 * nesting the binary format requires and leaves r past that end. body_end:
 * where a function body's size ends it (0: a constant expression). */
enum wlab_status dec_walk_instrs(struct decoder *d, struct wlab_reader *r, uint32_t body_end);

/* One function per section kind; r is positioned at the payload. */
enum wlab_status dec_type_section(struct decoder *d, struct wlab_reader *r);
enum wlab_status dec_import_section(struct decoder *d, struct wlab_reader *r);
enum wlab_status dec_function_section(struct decoder *d, struct wlab_reader *r);
enum wlab_status dec_table_section(struct decoder *d, struct wlab_reader *r);
enum wlab_status dec_memory_section(struct decoder *d, struct wlab_reader *r);
enum wlab_status dec_global_section(struct decoder *d, struct wlab_reader *r);
enum wlab_status dec_export_section(struct decoder *d, struct wlab_reader *r);
enum wlab_status dec_start_section(struct decoder *d, struct wlab_reader *r);
enum wlab_status dec_elem_section(struct decoder *d, struct wlab_reader *r);
enum wlab_status dec_code_section(struct decoder *d, struct wlab_reader *r);
enum wlab_status dec_data_section(struct decoder *d, struct wlab_reader *r);
enum wlab_status dec_datacount_section(struct decoder *d, struct wlab_reader *r);
enum wlab_status dec_tag_section(struct decoder *d, struct wlab_reader *r);

#endif
