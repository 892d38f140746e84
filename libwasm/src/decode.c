/* decode.c: the module decoder: header, the section loop and the final checks.
 *
 * Like the spec's reference decoder, reads are bounded by the end of the
 * file, not of the section; each section (and function body) is then checked
 * to end exactly where its size said ("section size mismatch"). */
#include <stdlib.h>
#include <string.h>

#include "decode_internal.h"

#define SECTION_EOF "unexpected end of section or function"
/* 4 GiB, or all of a 32-bit address space (wasm32) */
#define DEFAULT_MAX_ALLOC (SIZE_MAX > 0xffffffffu ? (size_t)0xffffffffu + 1 : SIZE_MAX)

void *dec_array(struct decoder *d, size_t count, size_t size, const struct wlab_reader *r)
{
	void *p = wlab_arena_array(dec_arena(d), count, size);
	if (!p)
		wlab_error_set(d->err, WLAB_NOMEM, wlab_reader_offset(r), "out of memory");
	return p;
}

enum wlab_status dec_fail(struct decoder *d, const struct wlab_reader *r, size_t offset,
			  const char *msg)
{
	(void)r;
	return wlab_error_set(d->err, WLAB_MALFORMED, offset, "%s", msg);
}

/* Section order: ranks by id; custom sections (0) may stand anywhere. */
static int section_rank(uint8_t id)
{
	static const int8_t rank[] = {
		[WLAB_SEC_TYPE] = 1, [WLAB_SEC_IMPORT] = 2, [WLAB_SEC_FUNCTION] = 3,
		[WLAB_SEC_TABLE] = 4, [WLAB_SEC_MEMORY] = 5, [WLAB_SEC_TAG] = 6,
		[WLAB_SEC_GLOBAL] = 7, [WLAB_SEC_EXPORT] = 8, [WLAB_SEC_START] = 9,
		[WLAB_SEC_ELEM] = 10, [WLAB_SEC_DATACOUNT] = 11, [WLAB_SEC_CODE] = 12,
		[WLAB_SEC_DATA] = 13,
	};
	return id < sizeof rank ? rank[id] : -1;
}

typedef enum wlab_status (*section_fn)(struct decoder *, struct wlab_reader *);

static section_fn section_decoder(uint8_t id)
{
	switch (id) {
	case WLAB_SEC_TYPE: return dec_type_section;
	case WLAB_SEC_IMPORT: return dec_import_section;
	case WLAB_SEC_FUNCTION: return dec_function_section;
	case WLAB_SEC_TABLE: return dec_table_section;
	case WLAB_SEC_MEMORY: return dec_memory_section;
	case WLAB_SEC_GLOBAL: return dec_global_section;
	case WLAB_SEC_EXPORT: return dec_export_section;
	case WLAB_SEC_START: return dec_start_section;
	case WLAB_SEC_ELEM: return dec_elem_section;
	case WLAB_SEC_CODE: return dec_code_section;
	case WLAB_SEC_DATA: return dec_data_section;
	case WLAB_SEC_DATACOUNT: return dec_datacount_section;
	case WLAB_SEC_TAG: return dec_tag_section;
	default: return NULL;
	}
}

static bool section_known(struct decoder *d, uint8_t id)
{
	if (id == WLAB_SEC_TAG)
		return d->features & WLAB_FEATURE_EXCEPTIONS;
	return id <= WLAB_SEC_DATACOUNT;
}

static enum wlab_status read_header(struct decoder *d, struct wlab_reader *r)
{
	static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6d};
	const uint8_t *p;
	if (wlab_read_bytes(r, 4, &p))
		return WLAB_MALFORMED;
	if (memcmp(p, magic, 4) != 0)
		return dec_fail(d, r, 0, "magic header not detected");
	if (wlab_read_u32le(r, &d->m->version))
		return WLAB_MALFORMED;
	if (d->m->version != 1)
		return dec_fail(d, r, 4, "unknown binary version");
	return WLAB_OK;
}

static enum wlab_status read_custom(struct decoder *d, struct wlab_reader *r,
				    struct wlab_section *sec, uint32_t index)
{
	const uint8_t *name;
	uint32_t len;
	if (wlab_read_name(r, true, &name, &len))
		return WLAB_MALFORMED;
	sec->name.ptr = name;
	sec->name.len = len;
	uint32_t at = (uint32_t)wlab_reader_offset(r);
	uint32_t end = sec->payload.offset + sec->payload.size;
	if (at > end)
		return dec_fail(d, r, end, SECTION_EOF);
	sec->content.offset = at;
	sec->content.size = end - at;
	r->pos = r->base + end;
	if (d->flags & WLAB_DECODE_SKIP_CUSTOM)
		return WLAB_OK;
	struct wlab_error cerr = {0};
	if (wlab_decode_custom(d->m, index, &cerr) && d->m->custom_error.status == WLAB_OK)
		d->m->custom_error = cerr;
	return WLAB_OK;
}

/* Sections are gathered in a growing array, copied into the arena at the end. */
struct section_list {
	struct wlab_section *v;
	uint32_t n, cap;
};

static struct wlab_section *section_push(struct section_list *l)
{
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 16;
		struct wlab_section *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	struct wlab_section *s = &l->v[l->n++];
	memset(s, 0, sizeof *s);
	return s;
}

/* Copies the list into the module's arena. */
static enum wlab_status sections_publish(struct decoder *d, struct section_list *l,
					 const struct wlab_reader *r)
{
	struct wlab_section *v = dec_array(d, l->n, sizeof *v, r);
	if (!v)
		return WLAB_NOMEM;
	if (l->n)
		memcpy(v, l->v, l->n * sizeof *v);
	d->m->sections = v;
	d->m->nsections = l->n;
	return WLAB_OK;
}

static enum wlab_status read_section(struct decoder *d, struct wlab_reader *r,
				     struct section_list *l, int *last_rank)
{
	const uint8_t *start = r->pos;
	uint8_t id;
	uint32_t size;
	if (wlab_read_u8(r, &id))
		return WLAB_MALFORMED;
	if (!section_known(d, id))
		return dec_fail(d, r, (size_t)(start - r->base), "malformed section id");
	if (wlab_read_u32(r, &size))
		return WLAB_MALFORMED;
	if (size > wlab_reader_left(r))
		return dec_fail(d, r, wlab_reader_offset(r) - 1, "length out of bounds");
	if (id != WLAB_SEC_CUSTOM) {
		int rank = section_rank(id);
		if (rank <= *last_rank)
			return dec_fail(d, r, (size_t)(start - r->base),
					"unexpected content after last section");
		*last_rank = rank;
	}
	struct wlab_section *sec = section_push(l);
	if (!sec)
		return wlab_error_set(d->err, WLAB_NOMEM, wlab_reader_offset(r), "out of memory");
	sec->id = id;
	sec->payload.offset = (uint32_t)wlab_reader_offset(r);
	sec->payload.size = size;
	sec->span.offset = (uint32_t)(start - r->base);
	sec->span.size = sec->payload.offset + size - sec->span.offset;
	uint32_t index = l->n - 1;
	/* Running out of input inside a section: the spec's longer wording. */
	r->eof_message = SECTION_EOF;
	const uint8_t *end = r->pos + size;
	enum wlab_status st;
	if (id == WLAB_SEC_CUSTOM) {
		/* The custom decoders read m->sections: lend them the list so far. */
		d->m->sections = l->v;
		d->m->nsections = l->n;
		st = read_custom(d, r, &l->v[index], index);
		d->m->sections = NULL;
		d->m->nsections = 0;
	} else {
		d->section_count = 0;
		d->section_end = (uint32_t)(end - r->base);
		if (id == WLAB_SEC_DATA)
			d->saw_data_section = true;
		st = section_decoder(id)(d, r);
		l->v[index].count = d->section_count;
	}
	r->eof_message = NULL;
	if (st)
		return st;
	if (r->pos != end)
		return dec_fail(d, r, (size_t)(end - r->base), "section size mismatch");
	return WLAB_OK;
}

static enum wlab_status final_checks(struct decoder *d, const struct wlab_reader *r)
{
	struct wlab_module *m = d->m;
	size_t at = m->size;
	if (m->nfuncs != m->ncodes)
		return dec_fail(d, r, at, "function and code section have inconsistent lengths");
	/* Data indices in code need the data count section, when there is data. */
	if (d->data_index_used && !m->has_data_count && d->saw_data_section)
		return dec_fail(d, r, d->data_index_used - 1, "data count section required");
	if (m->has_data_count && m->data_count != m->ndatas)
		return dec_fail(d, r, at, "data count and data section have inconsistent lengths");
	return WLAB_OK;
}

enum wlab_status wlab_module_decode(const uint8_t *bytes, size_t size,
				    const struct wlab_decode_options *opts,
				    struct wlab_module **out, struct wlab_error *err)
{
	struct wlab_error local_err;
	if (!err)
		err = &local_err;
	memset(err, 0, sizeof *err);
	*out = NULL;
	if (size > UINT32_MAX)
		return wlab_error_set(err, WLAB_MALFORMED, 0, "module too large");
	size_t cap = opts && opts->max_alloc ? opts->max_alloc : DEFAULT_MAX_ALLOC;
	struct wlab_module *m = calloc(1, sizeof *m);
	if (!m)
		return wlab_error_set(err, WLAB_NOMEM, 0, "out of memory");
	m->arena = wlab_arena_new(cap);
	if (!m->arena) {
		free(m);
		return wlab_error_set(err, WLAB_NOMEM, 0, "out of memory");
	}
	m->bytes = bytes;
	m->size = size;

	struct decoder d = {
		.m = m,
		.err = err,
		.flags = opts ? opts->flags : 0,
		.features = opts && opts->features ? opts->features : wlab_features_default(),
	};
	m->features = d.features;
	struct wlab_reader r;
	wlab_reader_init(&r, bytes, size, err);
	struct section_list list = {0};
	int last_rank = 0;
	enum wlab_status st = read_header(&d, &r);
	while (!st && r.pos < r.end)
		st = read_section(&d, &r, &list, &last_rank);
	if (!st)
		st = final_checks(&d, &r);
	enum wlab_status pst = sections_publish(&d, &list, &r);
	if (!st)
		st = pst;
	/* code metadata is checked against the code, once it is all read */
	if (!st && m->ncode_meta && m->custom_error.status == WLAB_OK)
		wlab_code_meta_check(m, &m->custom_error);
	free(list.v);
	free(d.blocks);
	*out = m;
	return st;
}
