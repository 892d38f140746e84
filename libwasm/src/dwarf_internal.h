/* dwarf_internal.h: what the DWARF reader's files (dwarf*.c) share: the
 * sections, the parsed compile units, scopes (subprograms and inlined
 * subroutines), line tables, and the attribute-value reader. */
#ifndef WLAB_DWARF_INTERNAL_H
#define WLAB_DWARF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wlab/dwarf.h"
#include "wlab/reader.h"

enum dw_sec {
#define WLAB_DW_SECTION(cname, name) DW_SEC_##cname,
#include "dwarf_sections.def"
#undef WLAB_DW_SECTION
	DW_SEC_COUNT
};

enum dw_enc {
	DWE_FIXED, DWE_ULEB, DWE_SLEB, DWE_CSTR, DWE_BLOCK, DWE_BLOCK1, DWE_BLOCK2,
	DWE_BLOCK4, DWE_OFFSET, DWE_ADDR, DWE_INDIRECT, DWE_IMPLICIT,
};

enum dw_class {
	DWC_OTHER, DWC_ADDR, DWC_ADDRX, DWC_CONST, DWC_SCONST, DWC_STRING, DWC_STRP,
	DWC_LINE_STRP, DWC_STRX, DWC_REF, DWC_REF_ADDR, DWC_SECOFF, DWC_RNGLISTX, DWC_BLOCK,
};

/* The DWARF constants this reader uses. */
enum {
	DW_TAG_inlined_subroutine = 0x1d, DW_TAG_compile_unit = 0x11,
	DW_TAG_subprogram = 0x2e, DW_TAG_partial_unit = 0x3c,
	DW_AT_name = 0x03, DW_AT_stmt_list = 0x10, DW_AT_low_pc = 0x11,
	DW_AT_high_pc = 0x12, DW_AT_comp_dir = 0x1b, DW_AT_abstract_origin = 0x31,
	DW_AT_specification = 0x47, DW_AT_ranges = 0x55, DW_AT_call_column = 0x57,
	DW_AT_call_file = 0x58, DW_AT_call_line = 0x59, DW_AT_linkage_name = 0x6e,
	DW_AT_str_offsets_base = 0x72, DW_AT_addr_base = 0x73,
	DW_AT_rnglists_base = 0x74, DW_AT_MIPS_linkage_name = 0x2007,
};

/* The attributes a DIE is read for; the others are skipped. */
enum dw_attr {
	DWA_NAME, DWA_LINKAGE, DWA_STMT_LIST, DWA_LOW_PC, DWA_HIGH_PC, DWA_COMP_DIR,
	DWA_ORIGIN, DWA_SPEC, DWA_RANGES, DWA_CALL_FILE, DWA_CALL_LINE, DWA_CALL_COLUMN,
	DWA_STR_OFFSETS_BASE, DWA_ADDR_BASE, DWA_RNGLISTS_BASE, DWA_COUNT
};

struct dw_section {
	const uint8_t *bytes;
	uint64_t size;
	uint64_t file_offset;
	bool present;
};

struct dw_value {
	uint8_t cls;     /* enum dw_class */
	uint64_t u;      /* constants, addresses, offsets, indices */
	int64_t s;       /* DWC_SCONST */
	const uint8_t *ptr;  /* DWC_STRING, DWC_BLOCK */
};

struct dw_abbrev_attr {
	uint32_t name, form;
	int64_t implicit;
};

struct dw_abbrev {
	uint64_t code;
	uint32_t tag;
	bool children;
	uint32_t nattrs;
	struct dw_abbrev_attr *attrs;
};

struct dw_abbrevs {
	uint64_t offset;
	uint32_t n;
	struct dw_abbrev *v;
};

struct dw_range {
	uint64_t low, high;
};

struct dw_cu {
	uint64_t offset, end;     /* in .debug_info: the header, past the unit */
	uint64_t die_offset;      /* the unit DIE */
	uint16_t version;
	uint8_t addr_size, offset_size, unit_type;
	uint32_t abbrevs;         /* index in d->abbrevs */
	uint64_t str_offsets_base, addr_base, rnglists_base;
	const char *name, *comp_dir;
	bool has_stmt_list;
	uint64_t stmt_list;
	int32_t table;            /* index in d->tables, -1 when none */
	uint64_t base_address;    /* the unit DIE's low_pc, for range lists */
	uint32_t first_range, nranges;  /* the unit's own ranges, in d->ranges */
	uint32_t first_scope, nscopes;  /* in d->scopes */
};

struct dw_scope {
	uint64_t die;             /* DIE offset in .debug_info */
	uint32_t cu;
	bool inlined;             /* DW_TAG_inlined_subroutine */
	int32_t parent;           /* the enclosing scope, -1 for none */
	uint32_t first_range, nranges;
	uint32_t call_file, call_line, call_column;
	bool named;               /* function is resolved */
	const char *function;
};

struct dw_seq {
	uint64_t low, high;
	uint32_t first, last;     /* rows [first, last), last is the end_sequence row + 1 */
};

struct dw_table {
	struct wlab_line_table pub;
	struct wlab_line_row *rows;
	char **files;
	uint32_t nseqs;
	struct dw_seq *seqs;      /* sorted by high, as LLVM's lookup wants */
};

/* [low, high) of the code space mapped to the compile unit that owns it. */
struct dw_cu_span {
	uint64_t low, high;
	uint32_t cu;
};

struct wlab_dwarf {
	const struct wlab_module *m;
	struct dw_section sec[DW_SEC_COUNT];
	wlab_dwarf_warn_fn warn;
	void *warn_ctx;
	bool parsed;
	bool nomem;

	uint32_t nabbrevs, cap_abbrevs;
	struct dw_abbrevs *abbrevs;
	uint32_t ncus, cap_cus;
	struct dw_cu *cus;
	uint32_t nscopes, cap_scopes;
	struct dw_scope *scopes;
	uint32_t nranges, cap_ranges;
	struct dw_range *ranges;
	uint32_t ntables, cap_tables;
	struct dw_table *tables;
	uint32_t nspans;
	struct dw_cu_span *spans;
};

extern const char *const dw_section_names[DW_SEC_COUNT];

/* dwarf.c */
void dw_warn(struct wlab_dwarf *d, enum dw_sec sec, uint64_t offset, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;
/* Grows an array of elem-size entries to hold n + 1; false when out of memory. */
bool dw_grow(struct wlab_dwarf *d, void **v, uint32_t *cap, uint32_t n, size_t elem);
/* A reader over a whole section: offsets are within it. */
void dw_reader(const struct wlab_dwarf *d, enum dw_sec sec, struct wlab_reader *r,
	       struct wlab_error *err);

/* dwarf_form.c: values */
enum wlab_status dw_read_uleb(struct wlab_reader *r, uint64_t *out);
enum wlab_status dw_read_sleb(struct wlab_reader *r, int64_t *out);
enum wlab_status dw_read_uint(struct wlab_reader *r, unsigned size, uint64_t *out);
/* A unit length: 4 bytes, or 0xffffffff and 8 (DWARF64, *offset_size 8). */
enum wlab_status dw_read_length(struct wlab_reader *r, uint64_t *len, uint8_t *offset_size);
/* Reads one attribute value of form in cu's encoding. */
enum wlab_status dw_read_form(struct wlab_reader *r, const struct dw_cu *cu, uint32_t form,
			      int64_t implicit, struct dw_value *out);
/* A NUL-terminated string at offset of section, or NULL past its end. */
const char *dw_section_str(const struct wlab_dwarf *d, enum dw_sec sec, uint64_t offset);
/* A string value (string, strp, line_strp, strx) in cu, or NULL. */
const char *dw_string(const struct wlab_dwarf *d, const struct dw_cu *cu,
		      const struct dw_value *v);
/* An address value (addr, addrx) in cu; false when it cannot be read. */
bool dw_address(const struct wlab_dwarf *d, const struct dw_cu *cu,
		const struct dw_value *v, uint64_t *out);
bool dw_addrx(const struct wlab_dwarf *d, const struct dw_cu *cu, uint64_t index,
	      uint64_t *out);

/* dwarf_info.c */
struct dw_die {
	uint64_t offset;
	uint32_t tag;
	bool children, null;   /* null: the end-of-siblings entry */
	bool has[DWA_COUNT];
	struct dw_value v[DWA_COUNT];
};
/* Reads the DIE at r's position in cu. */
enum wlab_status dw_read_die(struct wlab_dwarf *d, const struct dw_cu *cu,
			     struct wlab_reader *r, struct dw_die *out);
/* Parses every compile unit's DIEs into d->cus and d->scopes. */
void dw_parse_info(struct wlab_dwarf *d);
/* The unit that holds .debug_info offset off, or NULL. */
const struct dw_cu *dw_cu_at(const struct wlab_dwarf *d, uint64_t off);

/* dwarf_ranges.c: DW_AT_low_pc/high_pc/ranges of a DIE appended to d->ranges. */
void dw_die_ranges(struct wlab_dwarf *d, const struct dw_cu *cu, const struct dw_die *die,
		   uint32_t *first, uint32_t *n);

/* dwarf_line.c */
void dw_parse_lines(struct wlab_dwarf *d);

/* dwarf_lookup.c: builds d->spans from the units' ranges. */
void dw_build_spans(struct wlab_dwarf *d);
/* The function name of scope s, following abstract_origin and specification. */
const char *dw_scope_function(struct wlab_dwarf *d, struct dw_scope *s);

#endif
