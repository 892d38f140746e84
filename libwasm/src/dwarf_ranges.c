/* dwarf_ranges.c: the address ranges of a DIE: DW_AT_low_pc with
 * DW_AT_high_pc (an address, or a length), or DW_AT_ranges (a list in
 * .debug_ranges before DWARF 5, .debug_rnglists from it). */
#include "dwarf_internal.h"

static void add(struct wlab_dwarf *d, uint64_t low, uint64_t high)
{
	if (!dw_grow(d, (void **)&d->ranges, &d->cap_ranges, d->nranges, sizeof *d->ranges))
		return;
	d->ranges[d->nranges++] = (struct dw_range){low, high};
}

/* .debug_ranges: (begin, end) pairs of addr_size, relative to the base
 * address; (max, base) sets the base; (0, 0) ends the list. */
static void ranges_v4(struct wlab_dwarf *d, const struct dw_cu *cu, uint64_t off)
{
	struct wlab_error err = {0};
	struct wlab_reader r;
	uint64_t base = cu->base_address;
	uint64_t max = cu->addr_size == 4 ? 0xffffffffu : UINT64_MAX;
	dw_reader(d, DW_SEC_RANGES, &r, &err);
	if (off > d->sec[DW_SEC_RANGES].size) {
		dw_warn(d, DW_SEC_RANGES, off, "range list past the end of the section");
		return;
	}
	r.pos += off;
	for (;;) {
		uint64_t b, e;
		if (dw_read_uint(&r, cu->addr_size, &b) || dw_read_uint(&r, cu->addr_size, &e)) {
			dw_warn(d, DW_SEC_RANGES, err.offset, "%s", err.message);
			return;
		}
		if (!b && !e)
			return;
		if (b == max)
			base = e;
		else if (b < e)
			add(d, base + b, base + e);
	}
}

/* The offset of range list index in cu's .debug_rnglists offsets table. */
static bool rnglist_index(const struct wlab_dwarf *d, const struct dw_cu *cu,
			  uint64_t index, uint64_t *off)
{
	const struct dw_section *s = &d->sec[DW_SEC_RNGLISTS];
	uint64_t at = cu->rnglists_base, v = 0;
	unsigned sz = cu->offset_size;
	if (!s->present || at > s->size || index > (s->size - at) / sz ||
	    (s->size - at) - index * sz < sz)
		return false;
	for (unsigned i = 0; i < sz; i++)
		v |= (uint64_t)s->bytes[at + index * sz + i] << (8 * i);
	*off = cu->rnglists_base + v;
	return true;
}

static enum wlab_status rle_entry(struct wlab_dwarf *d, const struct dw_cu *cu,
				  struct wlab_reader *r, uint8_t kind, uint64_t *base)
{
	uint64_t a, b;
	switch (kind) {
	case 1:  /* DW_RLE_base_addressx */
		if (dw_read_uleb(r, &a))
			return WLAB_MALFORMED;
		if (!dw_addrx(d, cu, a, base))
			goto bad_index;
		return WLAB_OK;
	case 2:  /* DW_RLE_startx_endx */
	case 3:  /* DW_RLE_startx_length */
		if (dw_read_uleb(r, &a) || dw_read_uleb(r, &b))
			return WLAB_MALFORMED;
		if (!dw_addrx(d, cu, a, &a) || (kind == 2 && !dw_addrx(d, cu, b, &b)))
			goto bad_index;
		add(d, a, kind == 2 ? b : a + b);
		return WLAB_OK;
	case 4:  /* DW_RLE_offset_pair */
		if (dw_read_uleb(r, &a) || dw_read_uleb(r, &b))
			return WLAB_MALFORMED;
		add(d, *base + a, *base + b);
		return WLAB_OK;
	case 5:  /* DW_RLE_base_address */
		return dw_read_uint(r, cu->addr_size, base);
	case 6:  /* DW_RLE_start_end */
	case 7:  /* DW_RLE_start_length */
		if (dw_read_uint(r, cu->addr_size, &a))
			return WLAB_MALFORMED;
		if (kind == 6 ? dw_read_uint(r, cu->addr_size, &b) : dw_read_uleb(r, &b))
			return WLAB_MALFORMED;
		add(d, a, kind == 6 ? b : a + b);
		return WLAB_OK;
	default:
		return wlab_error_set(r->err, WLAB_MALFORMED, wlab_reader_offset(r) - 1,
				      "unknown range list entry kind %u", kind);
	}
bad_index:
	return wlab_error_set(r->err, WLAB_MALFORMED, wlab_reader_offset(r),
			      "address index out of .debug_addr");
}

static void rnglists(struct wlab_dwarf *d, const struct dw_cu *cu, uint64_t off)
{
	struct wlab_error err = {0};
	struct wlab_reader r;
	uint64_t base = cu->base_address;
	dw_reader(d, DW_SEC_RNGLISTS, &r, &err);
	if (off > d->sec[DW_SEC_RNGLISTS].size) {
		dw_warn(d, DW_SEC_RNGLISTS, off, "range list past the end of the section");
		return;
	}
	r.pos += off;
	for (;;) {
		uint8_t kind;
		if (wlab_read_u8(&r, &kind) || (kind && rle_entry(d, cu, &r, kind, &base))) {
			dw_warn(d, DW_SEC_RNGLISTS, err.offset, "%s", err.message);
			return;
		}
		if (!kind)
			return;
	}
}

void dw_die_ranges(struct wlab_dwarf *d, const struct dw_cu *cu, const struct dw_die *die,
		   uint32_t *first, uint32_t *n)
{
	uint32_t start = d->nranges;
	uint64_t low, high;
	uint64_t tombstone = cu->addr_size == 4 ? 0xffffffffu : UINT64_MAX;
	if (die->has[DWA_LOW_PC] && die->has[DWA_HIGH_PC] &&
	    dw_address(d, cu, &die->v[DWA_LOW_PC], &low)) {
		if (low == tombstone)  /* a discarded function (wasm-ld) */
			goto done;
		const struct dw_value *h = &die->v[DWA_HIGH_PC];
		if (h->cls == DWC_CONST)
			add(d, low, low + h->u);
		else if (dw_address(d, cu, h, &high))
			add(d, low, high);
	} else if (die->has[DWA_RANGES]) {
		const struct dw_value *v = &die->v[DWA_RANGES];
		uint64_t off = v->u;
		if (cu->version < 5)
			ranges_v4(d, cu, off);
		else if (v->cls == DWC_RNGLISTX ? rnglist_index(d, cu, off, &off) : true)
			rnglists(d, cu, off);
	}
done:
	*first = start;
	*n = d->nranges - start;
}
