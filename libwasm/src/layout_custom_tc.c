/* layout_custom_tc.c: the custom sections of the tool conventions, field by
 * field: "producers", "target_features", "linking", "reloc.*", "dylink.0",
 * the older "dylink" and "metadata.code.*" (branch hints). Each walker reads the content (the payload after
 * the section's name) and returns at the first field that does not parse;
 * lb_custom_section() closes what was open and shows the rest as one
 * content leaf. Formats: WebAssembly/tool-conventions (Linking.md,
 * ProducersSection.md, DynamicLinking.md, CodeMetadata.md). */
#include <stdio.h>
#include <string.h>

#include "layout_internal.h"

#define TRY(x) do { enum wlab_status st_ = (x); if (st_) return st_; } while (0)

static void set_label(struct lb *b, uint32_t node, const char *label)
{
	if (node != UINT32_MAX)
		b->L->nodes[node].label = label;
}

/* A name leaf pair whose node label reads `what "text"`. */
static enum wlab_status str_field(struct lb *b, const char *label, const char **text)
{
	const uint8_t *p;
	uint32_t len;
	TRY(lb_name(b, label, &p, &len));
	*text = lb_str(b, p, len);
	return b->nomem ? WLAB_NOMEM : WLAB_OK;
}

/* ---- producers ---- */

static enum wlab_status producers(struct lb *b)
{
	uint32_t n, k;
	const char *s;
	TRY(lb_u32(b, "vec-count", "field count", &n));
	for (uint32_t i = 0; i < n; i++) {
		uint32_t f = lb_open(b, "producer-field", NULL);
		TRY(str_field(b, "field name", &s));
		set_label(b, f, lb_fmt(b, "field[%u] \"%s\"", i, s));
		TRY(lb_u32(b, "vec-count", "value count", &k));
		for (uint32_t j = 0; j < k; j++) {
			const char *name, *version;
			uint32_t v = lb_open(b, "producer-value", NULL);
			TRY(str_field(b, "name", &name));
			TRY(str_field(b, "version", &version));
			set_label(b, v, lb_fmt(b, "value[%u] \"%s\" \"%s\"", j, name, version));
			lb_close(b);
		}
		lb_close(b);
	}
	return WLAB_OK;
}

/* ---- target_features ---- */

static enum wlab_status target_features(struct lb *b)
{
	uint32_t n;
	uint8_t prefix;
	const char *s;
	TRY(lb_u32(b, "vec-count", "feature count", &n));
	for (uint32_t i = 0; i < n; i++) {
		uint32_t f = lb_open(b, "feature", NULL);
		uint32_t at = lb_pos(b);
		if (wlab_read_u8(b->r, &prefix))
			return WLAB_MALFORMED;
		uint32_t leaf = lb_leaf(b, at, "feature-prefix", "prefix");
		lb_set_text(b, leaf, prefix == '+' ? "+ used" : prefix == '-' ? "- disallowed"
				     : prefix == '=' ? "= required" : lb_fmt(b, "0x%02x", prefix));
		TRY(str_field(b, "feature name", &s));
		set_label(b, f, lb_fmt(b, "feature[%u] %c%s", i,
				       prefix >= 0x20 && prefix < 0x7f ? prefix : '?', s));
		lb_close(b);
	}
	return WLAB_OK;
}

/* ---- subsections shared by linking and dylink.0 ---- */

typedef enum wlab_status (*sub_fn)(struct lb *b, uint8_t id);

/* One subsection: id byte, size, then fn over its payload; bytes fn leaves
 * become one content leaf. */
static enum wlab_status subsection(struct lb *b, const char *(*name)(uint8_t), sub_fn fn)
{
	uint8_t id;
	uint32_t size;
	uint32_t node = lb_open(b, "subsection", NULL);
	TRY(lb_byte(b, "subsection-id", "subsection id", &id));
	const char *what = name(id);
	set_label(b, node, what ? what : lb_fmt(b, "subsection %u", id));
	TRY(lb_u32(b, NULL, "subsection size", &size));
	if (size > wlab_reader_left(b->r))
		return WLAB_MALFORMED;
	struct wlab_reader *outer = b->r;
	struct wlab_reader sub = wlab_reader_sub(outer, size);
	b->r = &sub;
	uint32_t depth = b->depth;
	enum wlab_status st = what ? fn(b, id) : WLAB_OK;
	if (st == WLAB_MALFORMED) {  /* keep what parsed; the rest is content */
		while (b->depth > depth)
			lb_close(b);
		st = WLAB_OK;
	}
	if (!st)
		st = lb_rest(b, "custom-content", "subsection content");
	outer->pos = sub.pos;
	b->r = outer;
	if (st)
		return st;
	lb_close(b);
	return WLAB_OK;
}

/* ---- linking ---- */

static const char *linking_name(uint8_t id)
{
	switch (id) {
	case 5: return "segment info";
	case 6: return "init funcs";
	case 7: return "comdat info";
	case 8: return "symbol table";
	default: return NULL;
	}
}

static const char *symbol_kind(uint8_t k)
{
	static const char *const names[] = {"function", "data", "global", "section", "event",
					    "table"};
	return k < sizeof names / sizeof names[0] ? names[k] : NULL;
}

enum {
	SYM_UNDEFINED = 0x10,
	SYM_EXPLICIT_NAME = 0x40,
};

static const char *symbol_flags(struct lb *b, uint32_t flags)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} bits[] = {
		{0x1, "weak"}, {0x2, "local"}, {0x4, "hidden"}, {0x10, "undefined"},
		{0x20, "exported"}, {0x40, "explicit-name"}, {0x80, "no-strip"},
		{0x100, "tls"}, {0x200, "absolute"},
	};
	char buf[160];
	size_t n = (size_t)snprintf(buf, sizeof buf, "0x%x", flags);
	for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
		if ((flags & bits[i].bit) && n < sizeof buf)
			n += (size_t)snprintf(buf + n, sizeof buf - n, " %s", bits[i].name);
	return lb_str(b, (const uint8_t *)buf, (uint32_t)(n < sizeof buf ? n : sizeof buf - 1));
}

static enum wlab_status symbol(struct lb *b, uint32_t i)
{
	uint8_t kind;
	uint32_t flags, index, segment;
	uint64_t v;
	const char *name = NULL;
	uint32_t node = lb_open(b, "symbol", NULL);
	uint32_t at = lb_pos(b);
	if (wlab_read_u8(b->r, &kind))
		return WLAB_MALFORMED;
	const char *kname = symbol_kind(kind);
	uint32_t leaf = lb_leaf(b, at, "symbol-kind", "symbol kind");
	lb_set_text(b, leaf, kname ? kname : lb_fmt(b, "0x%02x", kind));
	at = lb_pos(b);
	if (wlab_read_u32(b->r, &flags))
		return WLAB_MALFORMED;
	lb_set_text(b, lb_leaf(b, at, "symbol-flags", "flags"), symbol_flags(b, flags));
	switch (kind) {
	case WLAB_SYMTAB_FUNCTION:
	case WLAB_SYMTAB_GLOBAL:
	case WLAB_SYMTAB_EVENT:
	case WLAB_SYMTAB_TABLE:
		TRY(lb_u32(b, "index", "index", &index));
		if (!(flags & SYM_UNDEFINED) || (flags & SYM_EXPLICIT_NAME))
			TRY(str_field(b, "symbol name", &name));
		set_label(b, node, name ? lb_fmt(b, "symbol[%u] %s \"%s\"", i, kname, name)
				       : lb_fmt(b, "symbol[%u] %s %u", i, kname, index));
		break;
	case WLAB_SYMTAB_DATA:
		TRY(str_field(b, "symbol name", &name));
		set_label(b, node, lb_fmt(b, "symbol[%u] data \"%s\"", i, name));
		if (!(flags & SYM_UNDEFINED)) {
			TRY(lb_u32(b, "index", "segment", &segment));
			TRY(lb_u64(b, "offset", &v));
			TRY(lb_u64(b, "size", &v));
		}
		break;
	case WLAB_SYMTAB_SECTION:
		TRY(lb_u32(b, "index", "section index", &index));
		set_label(b, node, lb_fmt(b, "symbol[%u] section %u", i, index));
		break;
	default:
		set_label(b, node, lb_fmt(b, "symbol[%u] kind %u", i, kind));
		return WLAB_MALFORMED;
	}
	lb_close(b);
	return WLAB_OK;
}

static enum wlab_status linking_sub(struct lb *b, uint8_t id)
{
	uint32_t n, v, k;
	uint8_t kind;
	const char *s;
	TRY(lb_u32(b, "vec-count", "count", &n));
	for (uint32_t i = 0; i < n; i++) {
		switch (id) {
		case 5: {
			uint32_t node = lb_open(b, "segment-info", NULL);
			TRY(str_field(b, "segment name", &s));
			set_label(b, node, lb_fmt(b, "segment[%u] \"%s\"", i, s));
			TRY(lb_u32(b, NULL, "alignment (log2)", &v));
			TRY(lb_u32(b, NULL, "flags", &v));
			lb_close(b);
			break;
		}
		case 6: {
			uint32_t node = lb_open(b, "init-func", NULL);
			TRY(lb_u32(b, NULL, "priority", &v));
			TRY(lb_u32(b, "index", "symbol index", &k));
			set_label(b, node, lb_fmt(b, "init[%u] priority %u symbol %u", i, v, k));
			lb_close(b);
			break;
		}
		case 7: {
			uint32_t node = lb_open(b, "comdat", NULL);
			TRY(str_field(b, "comdat name", &s));
			set_label(b, node, lb_fmt(b, "comdat[%u] \"%s\"", i, s));
			TRY(lb_u32(b, NULL, "flags", &v));
			TRY(lb_u32(b, "vec-count", "symbol count", &k));
			for (uint32_t j = 0; j < k; j++) {
				uint32_t sym = lb_open(b, "comdat-sym", NULL);
				TRY(lb_byte(b, "comdat-kind", "kind", &kind));
				TRY(lb_u32(b, "index", "index", &v));
				set_label(b, sym, lb_fmt(b, "sym[%u] kind %u index %u", j, kind, v));
				lb_close(b);
			}
			lb_close(b);
			break;
		}
		default:
			TRY(symbol(b, i));
		}
	}
	return WLAB_OK;
}

static enum wlab_status linking(struct lb *b)
{
	uint32_t version;
	TRY(lb_u32(b, NULL, "linking version", &version));
	while (wlab_reader_left(b->r))
		TRY(subsection(b, linking_name, linking_sub));
	return WLAB_OK;
}

/* ---- reloc.* ---- */

struct reloc_type {
	const char *name;
	uint8_t addend;
};

static const struct reloc_type reloc_types[] = {
#define WLAB_RELOC(code, cname, target, addend, size) [code] = {"R_WASM_" #cname, addend},
#include "custom_relocs.def"
#undef WLAB_RELOC
};

static enum wlab_status reloc(struct lb *b)
{
	uint32_t target, n, v;
	uint8_t type;
	TRY(lb_u32(b, "index", "target section index", &target));
	TRY(lb_u32(b, "vec-count", "count", &n));
	for (uint32_t i = 0; i < n; i++) {
		uint32_t node = lb_open(b, "reloc", NULL);
		uint32_t at = lb_pos(b);
		if (wlab_read_u8(b->r, &type))
			return WLAB_MALFORMED;
		const struct reloc_type *t = type < sizeof reloc_types / sizeof reloc_types[0] &&
						     reloc_types[type].name ? &reloc_types[type] : NULL;
		lb_set_text(b, lb_leaf(b, at, "reloc-type", "type"),
			    t ? t->name : lb_fmt(b, "0x%02x", type));
		if (!t) {
			set_label(b, node, lb_fmt(b, "reloc[%u] type %u", i, type));
			return WLAB_MALFORMED;
		}
		uint32_t off;
		TRY(lb_u32(b, "offset", "offset", &off));
		TRY(lb_u32(b, "index", "index", &v));
		set_label(b, node, lb_fmt(b, "reloc[%u] %s at 0x%x index %u", i, t->name + 7, off, v));
		if (t->addend == 32) {
			int32_t a;
			TRY(lb_s32(b, "addend", &a));
		} else if (t->addend == 64) {
			int64_t a;
			TRY(lb_s64(b, "addend", &a));
		}
		lb_close(b);
	}
	return WLAB_OK;
}

/* ---- dylink.0 and dylink ---- */

static const char *dylink_name(uint8_t id)
{
	switch (id) {
	case 1: return "mem info";
	case 2: return "needed";
	case 3: return "export info";
	case 4: return "import info";
	default: return NULL;
	}
}

static enum wlab_status mem_info(struct lb *b)
{
	uint32_t v;
	TRY(lb_u32(b, NULL, "memory size", &v));
	TRY(lb_u32(b, NULL, "memory alignment (log2)", &v));
	TRY(lb_u32(b, NULL, "table size", &v));
	TRY(lb_u32(b, NULL, "table alignment (log2)", &v));
	return WLAB_OK;
}

static enum wlab_status needed(struct lb *b)
{
	uint32_t n;
	const char *s;
	TRY(lb_u32(b, "vec-count", "count", &n));
	for (uint32_t i = 0; i < n; i++)
		TRY(str_field(b, "needed library", &s));
	return WLAB_OK;
}

static enum wlab_status dylink_sub(struct lb *b, uint8_t id)
{
	uint32_t n, flags;
	const char *s, *f;
	switch (id) {
	case 1:
		return mem_info(b);
	case 2:
		return needed(b);
	case 3:
		TRY(lb_u32(b, "vec-count", "count", &n));
		for (uint32_t i = 0; i < n; i++) {
			uint32_t node = lb_open(b, "dylink-export", NULL);
			TRY(str_field(b, "name", &s));
			set_label(b, node, lb_fmt(b, "export[%u] \"%s\"", i, s));
			TRY(lb_u32(b, NULL, "flags", &flags));
			lb_close(b);
		}
		return WLAB_OK;
	default:
		TRY(lb_u32(b, "vec-count", "count", &n));
		for (uint32_t i = 0; i < n; i++) {
			uint32_t node = lb_open(b, "dylink-import", NULL);
			TRY(str_field(b, "module", &s));
			TRY(str_field(b, "field", &f));
			set_label(b, node, lb_fmt(b, "import[%u] \"%s.%s\"", i, s, f));
			TRY(lb_u32(b, NULL, "flags", &flags));
			lb_close(b);
		}
		return WLAB_OK;
	}
}

static enum wlab_status dylink0(struct lb *b)
{
	while (wlab_reader_left(b->r))
		TRY(subsection(b, dylink_name, dylink_sub));
	return WLAB_OK;
}

static enum wlab_status dylink_legacy(struct lb *b)
{
	TRY(mem_info(b));
	return needed(b);
}

static bool is(const uint8_t *p, uint32_t len, const char *s)
{
	return strlen(s) == len && memcmp(p, s, len) == 0;
}

/* ---- metadata.code.* (CodeMetadata.md; branch hints: the 3.0 appendix) ---- */

/* One item: the instruction's offset in the body, the payload size and the
 * payload; for a branch hint the one byte is its hint. */
static enum wlab_status code_meta_item(struct lb *b, uint32_t f, bool hint)
{
	uint32_t node = lb_open(b, "code-meta", NULL), off, size;
	TRY(lb_u32(b, "offset", "instruction offset", &off));
	TRY(lb_u32(b, NULL, hint ? "hint size" : "payload size", &size));
	if (size > wlab_reader_left(b->r))
		return WLAB_MALFORMED;
	if (hint && size == 1) {
		uint8_t v;
		TRY(lb_byte(b, "hint", "hint", &v));
		set_label(b, node, lb_fmt(b, "func[%u] +0x%x: %s", f, off,
					  v == 0 ? "likely not taken" : v == 1 ? "likely taken" : "hint ?"));
	} else {
		TRY(lb_raw(b, size, "custom-content", "payload"));
		set_label(b, node, lb_fmt(b, "func[%u] +0x%x: %u bytes", f, off, size));
	}
	lb_close(b);
	return WLAB_OK;
}

static enum wlab_status code_meta(struct lb *b, bool hint)
{
	uint32_t n, f, k;
	TRY(lb_u32(b, "vec-count", "function count", &n));
	for (uint32_t i = 0; i < n; i++) {
		uint32_t node = lb_open(b, "code-meta-func", NULL);
		TRY(lb_u32(b, "index", "function index", &f));
		const char *fn = lb_func_name(b, f);
		set_label(b, node, fn ? lb_fmt(b, "func[%u] \"%s\"", f, fn) : lb_fmt(b, "func[%u]", f));
		TRY(lb_u32(b, "vec-count", hint ? "hint count" : "item count", &k));
		for (uint32_t j = 0; j < k; j++)
			TRY(code_meta_item(b, f, hint));
		lb_close(b);
	}
	return WLAB_OK;
}

enum wlab_status lb_custom_tool(struct lb *b, const uint8_t *name, uint32_t len, bool *known)
{
	*known = true;
	if (is(name, len, "producers"))
		return producers(b);
	if (is(name, len, "target_features"))
		return target_features(b);
	if (is(name, len, "linking"))
		return linking(b);
	if (len > 6 && memcmp(name, "reloc.", 6) == 0)
		return reloc(b);
	if (is(name, len, "dylink.0"))
		return dylink0(b);
	if (is(name, len, "dylink"))
		return dylink_legacy(b);
	if (len > 14 && memcmp(name, "metadata.code.", 14) == 0)
		return code_meta(b, is(name, len, "metadata.code.branch_hint"));
	*known = false;
	return WLAB_OK;
}
