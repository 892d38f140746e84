/* wlab/reader.h: a cursor over bytes; every read moves it only on success. */
#ifndef WLAB_READER_H
#define WLAB_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wlab/status.h"
#include "wlab/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* base is the start of the module, so pos - base is the file offset. */
struct wlab_reader {
	const uint8_t *base, *pos, *end;
	struct wlab_error *err;  /* where a failed read records its message */
	/* What running out of input is called: NULL for "unexpected end"; the
	 * decoder says "unexpected end of section or function" inside sections. */
	const char *eof_message;
};

WLAB_API void wlab_reader_init(struct wlab_reader *r, const uint8_t *bytes, size_t size,
			       struct wlab_error *err);
/* A reader over [offset, offset+size) of the same module, sharing err. */
WLAB_API struct wlab_reader wlab_reader_sub(const struct wlab_reader *r, size_t size);

static inline size_t wlab_reader_offset(const struct wlab_reader *r)
{
	return (size_t)(r->pos - r->base);
}
static inline size_t wlab_reader_left(const struct wlab_reader *r)
{
	return (size_t)(r->end - r->pos);
}

/* Each returns WLAB_OK or WLAB_MALFORMED with the spec's message
 * ("unexpected end", "integer representation too long",
 * "integer too large", "malformed UTF-8 encoding"). */
WLAB_API enum wlab_status wlab_read_u8(struct wlab_reader *r, uint8_t *out);
WLAB_API enum wlab_status wlab_read_bytes(struct wlab_reader *r, size_t n, const uint8_t **out);
WLAB_API enum wlab_status wlab_read_u32le(struct wlab_reader *r, uint32_t *out);
WLAB_API enum wlab_status wlab_read_u64le(struct wlab_reader *r, uint64_t *out);
WLAB_API enum wlab_status wlab_read_u32(struct wlab_reader *r, uint32_t *out);  /* LEB128 */
WLAB_API enum wlab_status wlab_read_u64(struct wlab_reader *r, uint64_t *out);
WLAB_API enum wlab_status wlab_read_s32(struct wlab_reader *r, int32_t *out);
WLAB_API enum wlab_status wlab_read_s33(struct wlab_reader *r, int64_t *out);   /* block types */
WLAB_API enum wlab_status wlab_read_s64(struct wlab_reader *r, int64_t *out);
/* A vector length, checked against the bytes left: each element takes at
 * least min_elem_size bytes, so no count can justify a larger allocation.
 * A count the input cannot hold fails as "unexpected end", as reading the
 * elements would. */
WLAB_API enum wlab_status wlab_read_count(struct wlab_reader *r, size_t min_elem_size, uint32_t *out);
/* A length-prefixed name ("length out of bounds" past the input); checks
 * UTF-8 when check_utf8. */
WLAB_API enum wlab_status wlab_read_name(struct wlab_reader *r, bool check_utf8,
					 const uint8_t **ptr, uint32_t *len);

WLAB_API bool wlab_utf8_valid(const uint8_t *s, size_t n);

#ifdef __cplusplus
}
#endif

#endif
