/* dwarf_line.c: .debug_line: each line program's header (versions 2 to 5),
 * its file names made into paths, and its rows and sequences. */
#include "dwarf_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_OPCODE_BASE 64

struct dw_file {
	const char *name;
	uint64_t dir;
};

struct line_header {
	uint64_t offset, end, program;
	uint16_t version;
	uint8_t offset_size, addr_size, min_inst, default_is_stmt, line_range, opcode_base;
	int8_t line_base;
	uint8_t std_lengths[MAX_OPCODE_BASE];
	uint32_t ndirs, nfiles;
	const char **dirs;
	struct dw_file *files;
};

static bool is_absolute(const char *p)
{
	return p[0] == '/' || (((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z') && p[1] == ':' &&
			       (p[2] == '/' || p[2] == '\\'));
}

/* LLVM's sys::path::append, POSIX style. */
static void path_append(char *buf, size_t *len, size_t cap, const char *c)
{
	size_t n = strlen(c);
	if (*len && buf[*len - 1] == '/') {
		while (*c == '/')
			c++, n--;
	} else if (*c != '/' && *len) {
		if (*len + 1 < cap)
			buf[(*len)++] = '/';
	}
	if (*len + n >= cap)
		n = cap - *len - 1;
	memcpy(buf + *len, c, n);
	*len += n;
	buf[*len] = 0;
}

/* The path of file i as llvm-symbolizer shows it (AbsoluteFilePath). */
static char *file_path(const struct line_header *h, const char *comp_dir, uint32_t i)
{
	const struct dw_file *f = &h->files[i];
	if (!f->name)
		return NULL;
	size_t cap = strlen(f->name) + (comp_dir ? strlen(comp_dir) : 0) + 3, len = 0;
	const char *inc = "";
	if (f->dir > 0 || h->version >= 5) {
		if (f->dir >= h->ndirs || !h->dirs[f->dir])
			return NULL;
		inc = h->dirs[f->dir];
	}
	cap += strlen(inc);
	char *buf = malloc(cap);
	if (!buf)
		return NULL;
	buf[0] = 0;
	if (is_absolute(f->name)) {
		memcpy(buf, f->name, strlen(f->name) + 1);
		return buf;
	}
	if (comp_dir && *comp_dir && !is_absolute(inc))
		path_append(buf, &len, cap, comp_dir);
	path_append(buf, &len, cap, inc);
	path_append(buf, &len, cap, f->name);
	return buf;
}

/* One DWARF 5 entry-format list and its entries (directories or files). */
static enum wlab_status v5_entries(struct wlab_dwarf *d, struct wlab_reader *r,
				   const struct dw_cu *fake, bool files, struct line_header *h)
{
	uint8_t nformats;
	uint64_t fmt[32][2], count;
	if (wlab_read_u8(r, &nformats))
		return WLAB_MALFORMED;
	if (nformats > 32)
		return wlab_error_set(r->err, WLAB_MALFORMED, wlab_reader_offset(r) - 1,
				      "%u entry formats", nformats);
	for (unsigned i = 0; i < nformats; i++)
		if (dw_read_uleb(r, &fmt[i][0]) || dw_read_uleb(r, &fmt[i][1]))
			return WLAB_MALFORMED;
	if (dw_read_uleb(r, &count))
		return WLAB_MALFORMED;
	if (count > wlab_reader_left(r))
		return wlab_error_set(r->err, WLAB_MALFORMED, wlab_reader_offset(r),
				      "%llu entries cannot fit", (unsigned long long)count);
	void *v = calloc(count ? count : 1, files ? sizeof(struct dw_file) : sizeof(char *));
	if (!v)
		return wlab_error_set(r->err, WLAB_NOMEM, wlab_reader_offset(r), "out of memory");
	if (files) {
		h->files = v;
		h->nfiles = (uint32_t)count;
	} else {
		h->dirs = v;
		h->ndirs = (uint32_t)count;
	}
	for (uint64_t e = 0; e < count; e++)
		for (unsigned i = 0; i < nformats; i++) {
			struct dw_value val;
			if (fmt[i][1] > UINT32_MAX ||
			    dw_read_form(r, fake, (uint32_t)fmt[i][1], 0, &val))
				return wlab_error_set(r->err, WLAB_MALFORMED, wlab_reader_offset(r),
						      "bad entry form 0x%llx",
						      (unsigned long long)fmt[i][1]);
			if (fmt[i][0] == 1) {  /* DW_LNCT_path */
				const char *s = dw_string(d, fake, &val);
				if (files)
					h->files[e].name = s;
				else
					h->dirs[e] = s;
			} else if (fmt[i][0] == 2 && files) {  /* DW_LNCT_directory_index */
				h->files[e].dir = val.u;
			}
		}
	return WLAB_OK;
}

/* DWARF 2-4: include_directories and file_names, each ending with an empty string. */
static enum wlab_status v4_entries(struct wlab_reader *r, bool files, struct line_header *h)
{
	uint32_t n = 0, cap = 0;
	void *v = NULL;
	for (;;) {
		const uint8_t *nul = memchr(r->pos, 0, wlab_reader_left(r));
		if (!nul)
			return wlab_error_set(r->err, WLAB_MALFORMED, wlab_reader_offset(r),
					      "unterminated file or directory name");
		const char *s = (const char *)r->pos;
		r->pos = nul + 1;
		if (!*s)
			break;
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 16;
			void *p = realloc(v, cap * (files ? sizeof(struct dw_file) : sizeof(char *)));
			if (!p) {
				free(v);
				return wlab_error_set(r->err, WLAB_NOMEM, wlab_reader_offset(r),
						      "out of memory");
			}
			v = p;
			if (files)
				((struct dw_file *)v)[0] = (struct dw_file){NULL, 0};
			else
				((const char **)v)[0] = NULL;
			n = n ? n : 1;  /* entry 0 is the compilation directory / unused */
		}
		if (files) {
			uint64_t mtime, size;
			struct dw_file *f = &((struct dw_file *)v)[n];
			f->name = s;
			if (dw_read_uleb(r, &f->dir) || dw_read_uleb(r, &mtime) ||
			    dw_read_uleb(r, &size)) {
				free(v);
				return WLAB_MALFORMED;
			}
		} else {
			((const char **)v)[n] = s;
		}
		n++;
	}
	if (files) {
		h->files = v;
		h->nfiles = n;
	} else {
		h->dirs = v;
		h->ndirs = n;
	}
	return WLAB_OK;
}

static enum wlab_status header(struct wlab_dwarf *d, struct wlab_reader *r,
			       struct line_header *h)
{
	uint64_t len, v, hlen;
	uint8_t b;
	h->offset = wlab_reader_offset(r);
	if (dw_read_length(r, &len, &h->offset_size))
		return WLAB_MALFORMED;
	if (len > wlab_reader_left(r))
		return wlab_error_set(r->err, WLAB_MALFORMED, h->offset,
				      "unit length 0x%llx past the end of the section",
				      (unsigned long long)len);
	h->end = wlab_reader_offset(r) + len;
	r->end = r->base + h->end;
	if (dw_read_uint(r, 2, &v))
		return WLAB_MALFORMED;
	if (v < 2 || v > 5)
		return wlab_error_set(r->err, WLAB_MALFORMED, wlab_reader_offset(r) - 2,
				      "unsupported line table version %u", (unsigned)v);
	h->version = (uint16_t)v;
	h->addr_size = 4;
	if (h->version >= 5 && (wlab_read_u8(r, &h->addr_size) || wlab_read_u8(r, &b)))
		return WLAB_MALFORMED;
	if (dw_read_uint(r, h->offset_size, &hlen))
		return WLAB_MALFORMED;
	if (hlen > wlab_reader_left(r))
		return wlab_error_set(r->err, WLAB_MALFORMED, wlab_reader_offset(r),
				      "header length past the end of the unit");
	h->program = wlab_reader_offset(r) + hlen;
	if (wlab_read_u8(r, &h->min_inst) || (h->version >= 4 && wlab_read_u8(r, &b)) ||
	    wlab_read_u8(r, &h->default_is_stmt) || wlab_read_u8(r, (uint8_t *)&h->line_base) ||
	    wlab_read_u8(r, &h->line_range) || wlab_read_u8(r, &h->opcode_base))
		return WLAB_MALFORMED;
	if (h->opcode_base == 0 || h->opcode_base > MAX_OPCODE_BASE || h->line_range == 0)
		return wlab_error_set(r->err, WLAB_MALFORMED, wlab_reader_offset(r) - 1,
				      "bad opcode_base %u or line_range %u", h->opcode_base,
				      h->line_range);
	for (unsigned i = 1; i < h->opcode_base; i++)
		if (wlab_read_u8(r, &h->std_lengths[i]))
			return WLAB_MALFORMED;
	if (h->version < 5)
		return v4_entries(r, false, h) ? WLAB_MALFORMED : v4_entries(r, true, h);
	struct dw_cu fake = {.offset_size = h->offset_size, .addr_size = h->addr_size};
	if (v5_entries(d, r, &fake, false, h))
		return WLAB_MALFORMED;
	return v5_entries(d, r, &fake, true, h);
}

struct line_state {
	struct wlab_line_row row;
	uint32_t seq_first;
	bool seq_open;
	bool tombstoned;  /* the sequence's address is the linker's tombstone: dropped */
};

static void reset(struct line_state *s, const struct line_header *h)
{
	memset(&s->row, 0, sizeof s->row);
	s->row.line = 1;
	s->row.file = 1;
	s->row.flags = h->default_is_stmt ? WLAB_LINE_IS_STMT : 0;
}

/* Appends the current row (and on end_sequence, the sequence). */
static bool emit(struct wlab_dwarf *d, struct dw_table *t, struct line_state *s,
		 uint32_t *cap_rows, uint32_t *cap_seqs)
{
	if (s->tombstoned)
		return true;
	if (!dw_grow(d, (void **)&t->rows, cap_rows, t->pub.nrows, sizeof *t->rows))
		return false;
	if (!s->seq_open) {
		s->seq_open = true;
		s->seq_first = t->pub.nrows;
	}
	t->rows[t->pub.nrows++] = s->row;
	if (s->row.flags & WLAB_LINE_END_SEQUENCE) {
		uint64_t low = t->rows[s->seq_first].address, high = s->row.address;
		s->seq_open = false;
		if (low < high) {
			if (!dw_grow(d, (void **)&t->seqs, cap_seqs, t->nseqs, sizeof *t->seqs))
				return false;
			t->seqs[t->nseqs++] = (struct dw_seq){low, high, s->seq_first, t->pub.nrows};
		}
	}
	s->row.discriminator = 0;
	s->row.flags &= (uint8_t)~(WLAB_LINE_BASIC_BLOCK | WLAB_LINE_PROLOGUE_END |
				   WLAB_LINE_EPILOGUE_BEGIN);
	return true;
}

/* An extended opcode (after its 0 byte). */
static enum wlab_status extended(struct wlab_dwarf *d, struct wlab_reader *r,
				 struct dw_table *t, struct line_state *s,
				 const struct line_header *h, uint32_t *caps)
{
	uint64_t len, v;
	uint8_t op;
	size_t at = wlab_reader_offset(r);
	if (dw_read_uleb(r, &len))
		return WLAB_MALFORMED;
	if (len == 0 || len > wlab_reader_left(r))
		return wlab_error_set(r->err, WLAB_MALFORMED, at, "bad extended opcode length %llu",
				      (unsigned long long)len);
	const uint8_t *end = r->pos + len;
	(void)wlab_read_u8(r, &op);
	switch (op) {
	case 1:  /* DW_LNE_end_sequence */
		s->row.flags |= WLAB_LINE_END_SEQUENCE;
		if (!emit(d, t, s, &caps[0], &caps[1]))
			return wlab_error_set(r->err, WLAB_NOMEM, at, "out of memory");
		reset(s, h);
		s->tombstoned = false;
		break;
	case 2:  /* DW_LNE_set_address */
		if (len - 1 > 8 || dw_read_uint(r, (unsigned)(len - 1), &v))
			return wlab_error_set(r->err, WLAB_MALFORMED, at, "bad address size %llu",
					      (unsigned long long)(len - 1));
		/* wasm-ld gives the code of discarded functions the address
		 * all ones; LLVM's reader drops such sequences */
		s->row.address = v;
		s->tombstoned = v == (len - 1 == 8 ? UINT64_MAX : (UINT64_C(1) << 8 * (len - 1)) - 1);
		break;
	case 4:  /* DW_LNE_set_discriminator */
		if (dw_read_uleb(r, &v))
			return WLAB_MALFORMED;
		s->row.discriminator = (uint32_t)v;
		break;
	default:  /* DW_LNE_define_file and vendor opcodes: skipped */
		break;
	}
	if (r->pos > end)
		return wlab_error_set(r->err, WLAB_MALFORMED, at,
				      "extended opcode 0x%x longer than its length", op);
	r->pos = end;
	return WLAB_OK;
}

static enum wlab_status standard(struct wlab_reader *r, struct line_state *s,
				 const struct line_header *h, uint8_t op)
{
	uint64_t u;
	int64_t sv;
	switch (op) {
	case 2:  /* DW_LNS_advance_pc */
		if (dw_read_uleb(r, &u))
			return WLAB_MALFORMED;
		s->row.address += u * h->min_inst;
		return WLAB_OK;
	case 3:  /* DW_LNS_advance_line */
		if (dw_read_sleb(r, &sv))
			return WLAB_MALFORMED;
		s->row.line = (uint32_t)((int64_t)s->row.line + sv);
		return WLAB_OK;
	case 4:  /* DW_LNS_set_file */
	case 5:  /* DW_LNS_set_column */
	case 12: /* DW_LNS_set_isa */
		if (dw_read_uleb(r, &u))
			return WLAB_MALFORMED;
		*(op == 4 ? &s->row.file : op == 5 ? &s->row.column : &s->row.isa) = (uint32_t)u;
		return WLAB_OK;
	case 6: s->row.flags ^= WLAB_LINE_IS_STMT; return WLAB_OK;
	case 7: s->row.flags |= WLAB_LINE_BASIC_BLOCK; return WLAB_OK;
	case 8:  /* DW_LNS_const_add_pc */
		s->row.address += (uint64_t)((255 - h->opcode_base) / h->line_range) * h->min_inst;
		return WLAB_OK;
	case 9:  /* DW_LNS_fixed_advance_pc */
		if (dw_read_uint(r, 2, &u))
			return WLAB_MALFORMED;
		s->row.address += u;
		return WLAB_OK;
	case 10: s->row.flags |= WLAB_LINE_PROLOGUE_END; return WLAB_OK;
	case 11: s->row.flags |= WLAB_LINE_EPILOGUE_BEGIN; return WLAB_OK;
	default:  /* an opcode this reader does not know: skip its operands */
		for (unsigned i = 0; i < h->std_lengths[op]; i++)
			if (dw_read_uleb(r, &u))
				return WLAB_MALFORMED;
		return WLAB_OK;
	}
}

static enum wlab_status program(struct wlab_dwarf *d, struct wlab_reader *r,
				struct dw_table *t, const struct line_header *h)
{
	struct line_state s = {0};
	uint32_t caps[2] = {0, 0};  /* rows, sequences */
	reset(&s, h);
	r->pos = r->base + h->program;
	while (wlab_reader_left(r) > 0) {
		uint8_t op;
		(void)wlab_read_u8(r, &op);
		if (op >= h->opcode_base) {
			unsigned adj = op - h->opcode_base;
			s.row.address += (uint64_t)(adj / h->line_range) * h->min_inst;
			s.row.line = (uint32_t)((int64_t)s.row.line + h->line_base +
						 (int)(adj % h->line_range));
			if (!emit(d, t, &s, &caps[0], &caps[1]))
				return wlab_error_set(r->err, WLAB_NOMEM, wlab_reader_offset(r),
						      "out of memory");
		} else if (op == 0) {
			if (extended(d, r, t, &s, h, caps))
				return WLAB_MALFORMED;
		} else if (op == 1) {  /* DW_LNS_copy */
			if (!emit(d, t, &s, &caps[0], &caps[1]))
				return wlab_error_set(r->err, WLAB_NOMEM, wlab_reader_offset(r),
						      "out of memory");
		} else if (standard(r, &s, h, op)) {
			return WLAB_MALFORMED;
		}
	}
	return WLAB_OK;
}

static int seq_cmp(const void *a, const void *b)
{
	const struct dw_seq *x = a, *y = b;
	if (x->high != y->high)
		return x->high < y->high ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* The unit whose DW_AT_stmt_list is offset, or NULL. */
static struct dw_cu *unit_of(struct wlab_dwarf *d, uint64_t offset)
{
	for (uint32_t i = 0; i < d->ncus; i++)
		if (d->cus[i].has_stmt_list && d->cus[i].stmt_list == offset)
			return &d->cus[i];
	return NULL;
}

/* Parses the line program at r into a new table; false when it is bad. */
static bool one_table(struct wlab_dwarf *d, struct wlab_reader *r)
{
	struct line_header h = {0};
	bool ok = false;
	if (!dw_grow(d, (void **)&d->tables, &d->cap_tables, d->ntables, sizeof *d->tables))
		return false;
	struct dw_table *t = &d->tables[d->ntables];
	memset(t, 0, sizeof *t);
	if (header(d, r, &h))
		goto done;
	t->pub.offset = h.offset;
	t->pub.version = h.version;
	struct dw_cu *cu = unit_of(d, h.offset);
	t->files = calloc(h.nfiles ? h.nfiles : 1, sizeof *t->files);
	if (!t->files)
		goto done;
	t->pub.nfiles = h.nfiles;
	for (uint32_t i = 0; i < h.nfiles; i++)
		t->files[i] = file_path(&h, cu ? cu->comp_dir : NULL, i);
	if (cu)
		cu->table = (int32_t)d->ntables;
	d->ntables++;
	enum wlab_status st = program(d, r, t, &h);
	t->pub.rows = t->rows;
	t->pub.files = (const char *const *)t->files;
	if (t->nseqs)
		qsort(t->seqs, t->nseqs, sizeof *t->seqs, seq_cmp);
	ok = st == WLAB_OK;
done:
	free(h.dirs);
	free(h.files);
	return ok;
}

void dw_parse_lines(struct wlab_dwarf *d)
{
	struct wlab_error err = {0};
	struct wlab_reader r;
	if (!d->sec[DW_SEC_LINE].present)
		return;
	dw_reader(d, DW_SEC_LINE, &r, &err);
	const uint8_t *end = r.end;
	while (r.pos < end) {
		if (!one_table(d, &r)) {
			/* A program that fails midway keeps the rows before the error. */
			dw_warn(d, DW_SEC_LINE, err.status ? err.offset : wlab_reader_offset(&r), "%s",
				err.status ? err.message : "out of memory");
			return;
		}
		r.pos = r.end;
		r.end = end;
	}
}
