/* reader.c: the byte cursor: fixed-width, LEB128, vector counts and names. */
#include "wlab/reader.h"

#include <string.h>

void wlab_reader_init(struct wlab_reader *r, const uint8_t *bytes, size_t size,
		      struct wlab_error *err)
{
	static const uint8_t no_bytes[1];
	if (!bytes && size == 0)  /* NULL + 0 is undefined behaviour in C */
		bytes = no_bytes;
	r->base = bytes;
	r->pos = bytes;
	r->end = bytes + size;
	r->err = err;
	r->eof_message = NULL;
}

struct wlab_reader wlab_reader_sub(const struct wlab_reader *r, size_t size)
{
	struct wlab_reader sub = *r;
	if (size < wlab_reader_left(r))
		sub.end = r->pos + size;
	return sub;
}

static enum wlab_status fail(struct wlab_reader *r, const uint8_t *at, const char *msg)
{
	return wlab_error_set(r->err, WLAB_MALFORMED, (size_t)(at - r->base), "%s", msg);
}

static enum wlab_status fail_end(struct wlab_reader *r)
{
	return fail(r, r->end, r->eof_message ? r->eof_message : "unexpected end");
}

enum wlab_status wlab_read_u8(struct wlab_reader *r, uint8_t *out)
{
	if (r->pos >= r->end)
		return fail_end(r);
	*out = *r->pos++;
	return WLAB_OK;
}

enum wlab_status wlab_read_bytes(struct wlab_reader *r, size_t n, const uint8_t **out)
{
	if (wlab_reader_left(r) < n)
		return fail_end(r);
	*out = r->pos;
	r->pos += n;
	return WLAB_OK;
}

enum wlab_status wlab_read_u32le(struct wlab_reader *r, uint32_t *out)
{
	const uint8_t *p;
	if (wlab_read_bytes(r, 4, &p))
		return WLAB_MALFORMED;
	*out = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	return WLAB_OK;
}

enum wlab_status wlab_read_u64le(struct wlab_reader *r, uint64_t *out)
{
	const uint8_t *p;
	if (wlab_read_bytes(r, 8, &p))
		return WLAB_MALFORMED;
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	*out = v;
	return WLAB_OK;
}

/* LEB128 of at most `bits` bits. The last byte's unused bits must be zero
 * (unsigned) or copies of the sign bit (signed): else "integer too large". */
static enum wlab_status read_leb(struct wlab_reader *r, unsigned bits, bool is_signed,
				 uint64_t *out)
{
	const unsigned max_bytes = (bits + 6) / 7;
	const uint8_t *p = r->pos;
	uint64_t v = 0;
	unsigned shift = 0;
	for (unsigned i = 0;; i++) {
		if (p >= r->end)
			return fail_end(r);
		uint8_t b = *p++;
		if (i == max_bytes - 1) {
			if (b & 0x80)
				return fail(r, p - 1, "integer representation too long");
			unsigned used = bits - shift;  /* payload bits in this byte */
			uint8_t unused = (uint8_t)(0x7f & ~((1u << used) - 1));
			if (is_signed) {
				uint8_t sign = (b >> (used - 1)) & 1;
				uint8_t want = sign ? unused : 0;
				if ((b & unused) != want)
					return fail(r, p - 1, "integer too large");
			} else if (b & unused) {
				return fail(r, p - 1, "integer too large");
			}
		}
		v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80)) {
			if (is_signed && shift < 64 && (b & 0x40))
				v |= ~(uint64_t)0 << shift;
			break;
		}
	}
	r->pos = p;
	*out = v;
	return WLAB_OK;
}

/* The LEB128 readers below take a value of one byte (most indices, alignments,
 * offsets and constants of code) in line; read_leb checks the longer ones. */
enum wlab_status wlab_read_u32(struct wlab_reader *r, uint32_t *out)
{
	if (r->pos < r->end && *r->pos < 0x80) {
		*out = *r->pos++;
		return WLAB_OK;
	}
	uint64_t v;
	if (read_leb(r, 32, false, &v))
		return WLAB_MALFORMED;
	*out = (uint32_t)v;
	return WLAB_OK;
}

enum wlab_status wlab_read_u64(struct wlab_reader *r, uint64_t *out)
{
	if (r->pos < r->end && *r->pos < 0x80) {
		*out = *r->pos++;
		return WLAB_OK;
	}
	return read_leb(r, 64, false, out);
}

enum wlab_status wlab_read_s32(struct wlab_reader *r, int32_t *out)
{
	if (r->pos < r->end && *r->pos < 0x80) {
		uint8_t b = *r->pos++;
		*out = b & 0x40 ? (int32_t)b - 0x80 : (int32_t)b;
		return WLAB_OK;
	}
	uint64_t v;
	if (read_leb(r, 32, true, &v))
		return WLAB_MALFORMED;
	*out = (int32_t)(uint32_t)v;
	return WLAB_OK;
}

enum wlab_status wlab_read_s33(struct wlab_reader *r, int64_t *out)
{
	uint64_t v;
	if (read_leb(r, 33, true, &v))
		return WLAB_MALFORMED;
	*out = (int64_t)v;
	return WLAB_OK;
}

enum wlab_status wlab_read_s64(struct wlab_reader *r, int64_t *out)
{
	if (r->pos < r->end && *r->pos < 0x80) {
		uint8_t b = *r->pos++;
		*out = b & 0x40 ? (int64_t)b - 0x80 : (int64_t)b;
		return WLAB_OK;
	}
	uint64_t v;
	if (read_leb(r, 64, true, &v))
		return WLAB_MALFORMED;
	*out = (int64_t)v;
	return WLAB_OK;
}

enum wlab_status wlab_read_count(struct wlab_reader *r, size_t min_elem_size, uint32_t *out)
{
	const uint8_t *at = r->pos;
	uint32_t n;
	if (wlab_read_u32(r, &n))
		return WLAB_MALFORMED;
	/* Reading the elements would run out of input: say so now. */
	if (min_elem_size && (uint64_t)n * min_elem_size > wlab_reader_left(r)) {
		r->pos = at;
		return fail_end(r);
	}
	*out = n;
	return WLAB_OK;
}

bool wlab_utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t c = s[i];
		uint32_t cp;
		size_t len;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			len = 2, cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3, cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4, cp = c & 0x07;
		} else {
			return false;
		}
		if (n - i < len)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
			return false;
		i += len;
	}
	return true;
}

enum wlab_status wlab_read_name(struct wlab_reader *r, bool check_utf8,
				const uint8_t **ptr, uint32_t *len)
{
	const uint8_t *at = r->pos;
	uint32_t n;
	const uint8_t *p;
	if (wlab_read_u32(r, &n))
		return WLAB_MALFORMED;
	if (n > wlab_reader_left(r)) {
		r->pos = at;
		return fail(r, at, "length out of bounds");
	}
	p = r->pos;
	r->pos += n;
	if (check_utf8 && !wlab_utf8_valid(p, n)) {
		r->pos = at;
		return fail(r, p, "malformed UTF-8 encoding");
	}
	*ptr = p;
	*len = n;
	return WLAB_OK;
}
