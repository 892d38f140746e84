/* layout_fields.c: reading one field at the cursor and adding its leaf. */
#include "layout_internal.h"

static enum wlab_status done(struct lb *b, uint32_t node)
{
	if (node == UINT32_MAX && b->nomem)
		return WLAB_NOMEM;
	return WLAB_OK;
}

enum wlab_status lb_u32(struct lb *b, const char *kind, const char *label, uint32_t *out)
{
	uint32_t at = lb_pos(b);
	if (wlab_read_u32(b->r, out))
		return WLAB_MALFORMED;
	uint32_t i = lb_leaf(b, at, kind ? kind : "leb-u32", label);
	lb_set_uint(b, i, *out);
	return done(b, i);
}

enum wlab_status lb_u64(struct lb *b, const char *label, uint64_t *out)
{
	uint32_t at = lb_pos(b);
	if (wlab_read_u64(b->r, out))
		return WLAB_MALFORMED;
	uint32_t i = lb_leaf(b, at, "leb-u64", label);
	lb_set_uint(b, i, *out);
	return done(b, i);
}

enum wlab_status lb_s32(struct lb *b, const char *label, int32_t *out)
{
	uint32_t at = lb_pos(b);
	if (wlab_read_s32(b->r, out))
		return WLAB_MALFORMED;
	uint32_t i = lb_leaf(b, at, "leb-s32", label);
	lb_set_sint(b, i, *out);
	return done(b, i);
}

enum wlab_status lb_s64(struct lb *b, const char *label, int64_t *out)
{
	uint32_t at = lb_pos(b);
	if (wlab_read_s64(b->r, out))
		return WLAB_MALFORMED;
	uint32_t i = lb_leaf(b, at, "leb-s64", label);
	lb_set_sint(b, i, *out);
	return done(b, i);
}

enum wlab_status lb_byte(struct lb *b, const char *kind, const char *label, uint8_t *out)
{
	uint32_t at = lb_pos(b);
	if (wlab_read_u8(b->r, out))
		return WLAB_MALFORMED;
	uint32_t i = lb_leaf(b, at, kind ? kind : "byte", label);
	lb_set_uint(b, i, *out);
	return done(b, i);
}

enum wlab_status lb_raw(struct lb *b, uint32_t n, const char *kind, const char *label)
{
	uint32_t at = lb_pos(b);
	const uint8_t *p;
	if (wlab_read_bytes(b->r, n, &p))
		return WLAB_MALFORMED;
	return done(b, lb_leaf(b, at, kind, label));
}

enum wlab_status lb_rest(struct lb *b, const char *kind, const char *label)
{
	return lb_raw(b, (uint32_t)wlab_reader_left(b->r), kind, label);
}

/* A value type: one byte, or 0x63/0x64 and a heap type (s33). Lenient:
 * an unknown byte is shown as it is. */
enum wlab_status lb_valtype(struct lb *b, const char *label)
{
	uint32_t at = lb_pos(b);
	uint8_t v;
	if (wlab_read_u8(b->r, &v))
		return WLAB_MALFORMED;
	wlab_valtype_t t = v;
	if (v == WLAB_REF_CODE || v == WLAB_REF_NULL_CODE) {
		int64_t h;
		if (wlab_read_s33(b->r, &h))
			return WLAB_MALFORMED;
		wlab_heaptype_t ht = h >= 0 ? wlab_heap_concrete((uint32_t)h & (WLAB_HT_CONCRETE - 1))
					    : (wlab_heaptype_t)(h + 0x80) & 0xff;
		t = wlab_ref_type(v == WLAB_REF_NULL_CODE, ht);
	}
	uint32_t i = lb_leaf(b, at, "valtype", label);
	char buf[48];
	const char *name = wlab_valtype_name(t);
	if (!name && (t >= 0x100 || wlab_type_is_ref(t)))  /* anyref, exnref... */
		name = lb_fmt(b, "%s", wlab_type_str(t, buf, sizeof buf));
	lb_set_text(b, i, name ? name : lb_fmt(b, "0x%02x", v));
	return done(b, i);
}

/* A heap type (ref.null's immediate): s33, a type index or an abstract code. */
enum wlab_status lb_heaptype(struct lb *b, const char *label)
{
	uint32_t at = lb_pos(b);
	int64_t h;
	if (wlab_read_s33(b->r, &h))
		return WLAB_MALFORMED;
	uint32_t i = lb_leaf(b, at, "heaptype", label);
	const char *name = h < 0 && h >= -64 ? wlab_heap_name((wlab_heaptype_t)(h + 0x80)) : NULL;
	if (name)
		lb_set_text(b, i, name);
	else
		lb_set_text(b, i, lb_fmt(b, h >= 0 ? "type[%lld]" : "%lld", (long long)h));
	return done(b, i);
}

enum wlab_status lb_name(struct lb *b, const char *label, const uint8_t **p, uint32_t *len)
{
	uint32_t node = lb_open(b, "name", label);
	if (lb_u32(b, "name-len", "name length", len))
		return WLAB_MALFORMED;
	uint32_t at = lb_pos(b);
	if (wlab_read_bytes(b->r, *len, p))
		return WLAB_MALFORMED;
	uint32_t i = lb_leaf(b, at, "name-bytes", "name bytes");
	if (i == UINT32_MAX && node == UINT32_MAX) {  /* not stored */
		lb_close(b);
		return b->nomem ? WLAB_NOMEM : WLAB_OK;
	}
	const char *s = lb_str(b, *p, *len);
	lb_set_text(b, i, s);
	lb_set_text(b, node, s);
	lb_close(b);
	return b->nomem ? WLAB_NOMEM : WLAB_OK;
}

enum wlab_status lb_limits(struct lb *b)
{
	uint8_t flags;
	uint64_t v;
	lb_open(b, "limits", "limits");
	uint32_t at = lb_pos(b);
	if (wlab_read_u8(b->r, &flags))
		return WLAB_MALFORMED;
	lb_set_text(b, lb_leaf(b, at, "limits-flags", "limits flags"),
		    lb_fmt(b, "0x%02x%s%s%s", flags, flags & WLAB_LIMITS_MAX ? " max" : " no-max",
			   flags & WLAB_LIMITS_SHARED ? " shared" : "",
			   flags & WLAB_LIMITS_I64 ? " i64" : ""));
	if (flags & WLAB_LIMITS_I64) {
		if (lb_u64(b, "min", &v) || ((flags & WLAB_LIMITS_MAX) && lb_u64(b, "max", &v)))
			return WLAB_MALFORMED;
	} else {
		uint32_t w;
		if (lb_u32(b, NULL, "min", &w) ||
		    ((flags & WLAB_LIMITS_MAX) && lb_u32(b, NULL, "max", &w)))
			return WLAB_MALFORMED;
	}
	lb_close(b);
	return WLAB_OK;
}
