/* wat_print_names.c: the printer's names, from the name section, made
 * unique per index space the way wasm2wat does it ("$f", then "$f.1"...),
 * with WLAB_WAT_GENERATE_NAMES the names wasm2wat --generate-names gives
 * the rest ("$env.f", "$f3", then "$f3_1"...), then made identifiers: each
 * byte that is not an idchar becomes '_'. */
#include <stdio.h>
#include <stdlib.h>

#include "wat_chars.h"
#include "wat_print_internal.h"

/* A set of the names given so far in one space (open addressing), each
 * with its length: names are compared byte for byte, NULs included. A
 * name that was asked for again keeps, per separator ('.', '_'), the
 * number its next copy tries first (unique): every lower one is taken. */
struct nameslot {
	char *s;
	uint32_t len;
	uint32_t next[2];
};

struct nameset {
	uint32_t cap;
	struct nameslot *slot;
};

static uint32_t hash(const char *s, uint32_t len)
{
	uint32_t h = 2166136261u;
	for (uint32_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

/* The slot that holds s, or the free one where it would go. */
static struct nameslot *set_find(const struct nameset *set, const char *s, uint32_t len)
{
	for (uint32_t i = hash(s, len) & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
		struct nameslot *sl = &set->slot[i];
		if (!sl->s || (sl->len == len && memcmp(sl->s, s, len) == 0))
			return sl;
	}
}

/* "$" + name, then name + sep + "1", "2"... until it is not taken (sep:
 * '.' for the name section's names, '_' for generated ones, as wasm2wat
 * has them); NULL on no memory. The numbers go on from where the last
 * copy of the name stopped (its slot's next), so that 50,000 functions of
 * one name take linear time, not quadratic, with the same names. */
static char *unique(struct nameset *set, struct wlab_str name, char sep)
{
	char *s = malloc((size_t)name.len + 16);
	if (!s)
		return NULL;
	s[0] = '$';
	if (name.len)
		memcpy(s + 1, name.ptr, name.len);
	s[name.len + 1] = 0;
	uint32_t len = name.len + 1;
	struct nameslot *base = set_find(set, s, len);  /* slots never move */
	if (base->s) {
		uint32_t *next = &base->next[sep == '_'], n = *next ? *next : 1;
		do
			len = name.len + 1 + (uint32_t)snprintf(s + name.len + 1, 15, "%c%u", sep,
								(unsigned)n++);
		while (set_find(set, s, len)->s);
		*next = n;
	}
	*set_find(set, s, len) = (struct nameslot){s, len, {0, 0}};
	return s;
}

static bool set_init(struct nameset *set, uint32_t n)
{
	set->cap = 16;
	while (set->cap < 2 * n + 2)
		set->cap *= 2;
	set->slot = calloc(set->cap, sizeof *set->slot);
	return set->slot != NULL;
}

/* Makes room for names of the space and their set; false on no memory. */
static bool prepare(struct wp_names *names, struct nameset *set)
{
	if (!names->name && !(names->name = calloc(names->count, sizeof *names->name)))
		return false;
	return set->slot || set_init(set, names->count);
}

/* Names entry idx name unless it has one already or is out of range
 * (sep: unique's). */
static enum wlab_status give_sep(struct wp_names *names, struct nameset *set, uint32_t idx,
				 struct wlab_str name, char sep)
{
	if (idx >= names->count || name.len == 0)
		return WLAB_OK;
	if (!prepare(names, set))
		return WLAB_NOMEM;
	if (names->name[idx])
		return WLAB_OK;
	return (names->name[idx] = unique(set, name, sep)) ? WLAB_OK : WLAB_NOMEM;
}

static enum wlab_status give(struct wp_names *names, struct nameset *set, uint32_t idx,
			     struct wlab_str name)
{
	return give_sep(names, set, idx, name, '.');
}

/* A generated name: "$" + name, or name + "_1", "_2"... when taken. */
static enum wlab_status give_gen(struct wp_names *names, struct nameset *set, uint32_t idx,
				 const char *name, uint32_t len)
{
	return give_sep(names, set, idx, (struct wlab_str){(const uint8_t *)name, len}, '_');
}

/* A name from an import or an export, cut at its first NUL byte (wasm2wat
 * 1.0.32 takes it as a C string: "\0a" is "", "a\0b" is "a"). An empty one
 * is "$" there, which does not read back: here the first takes "$" from
 * the names left to give (a later empty one is "$_1", as there) and is
 * left to be named by its index. */
static enum wlab_status give_c_name(struct wp_names *names, struct nameset *set, uint32_t idx,
				    const char *name, uint32_t len)
{
	static char empty[] = "$";
	const char *nul = memchr(name, 0, len);
	if (nul)
		len = (uint32_t)(nul - name);
	if (idx >= names->count)
		return WLAB_OK;
	if (!prepare(names, set))
		return WLAB_NOMEM;
	if (names->name[idx])
		return WLAB_OK;
	if (len == 0) {
		struct nameslot *sl = set_find(set, empty, 1);
		if (!sl->s) {
			*sl = (struct nameslot){empty, 1, {0, 0}};  /* not in names: never freed */
			return WLAB_OK;
		}
		return (names->name[idx] = unique(set, (struct wlab_str){NULL, 0}, '_'))
			? WLAB_OK : WLAB_NOMEM;
	}
	return give_gen(names, set, idx, name, len);
}

/* The default names of entries first..end-1 left unnamed: prefix and index. */
static enum wlab_status give_defaults(struct wp_names *names, struct nameset *set,
				      const char *prefix, uint32_t first, uint32_t end)
{
	char s[24];
	for (uint32_t i = first; i < end && i < names->count; i++) {
		if (names->name && names->name[i])
			continue;
		int n = snprintf(s, sizeof s, "%s%u", prefix, (unsigned)i);
		if (give_gen(names, set, i, s, (uint32_t)n))
			return WLAB_NOMEM;
	}
	return WLAB_OK;
}

/* Fills names from a direct map; entries past count are skipped. */
static enum wlab_status fill(struct wp_names *names, struct nameset *set,
			     const struct wlab_name_map *map)
{
	for (uint32_t i = 0; i < map->count; i++)
		if (give(names, set, map->names[i].index, map->names[i].name))
			return WLAB_NOMEM;
	return WLAB_OK;
}

/* Makes the unique names of one space (set: each given one, with its
 * length) identifiers as wasm2wat 1.0.32 and 1.0.39 print them: each byte
 * that is not an idchar (UTF-8 bytes, control bytes, NUL included) becomes
 * '_', after the uniqueness was decided on the bytes as given. Where two
 * names are then the same ("a b" and "a_b"), wasm2wat prints both and its
 * text does not read back ("duplicate function"); here the later one in
 * index order takes the first ".N" that no name of the space has. */
static enum wlab_status finish(struct wp_names *names, struct nameset *set)
{
	bool changed = false;
	for (uint32_t i = 0; set->slot && i < set->cap; i++)
		for (uint32_t k = 1; set->slot[i].s && k < set->slot[i].len; k++)
			if (!wat_idchar((uint8_t)set->slot[i].s[k])) {
				set->slot[i].s[k] = '_';
				changed = true;
			}
	if (!changed)
		return WLAB_OK;
	/* every name once, the first in index order holding its slot */
	struct nameset all = {0};
	if (!set_init(&all, 2 * names->count))
		return WLAB_NOMEM;
	for (uint32_t i = 0; i < names->count; i++) {
		char *n = names->name[i];
		struct nameslot *sl = n ? set_find(&all, n, (uint32_t)strlen(n)) : NULL;
		if (sl && !sl->s)
			*sl = (struct nameslot){n, (uint32_t)strlen(n), {0, 0}};
	}
	enum wlab_status st = WLAB_OK;
	for (uint32_t i = 0; i < names->count && !st; i++) {
		char *n = names->name[i], *s;
		uint32_t len = n ? (uint32_t)strlen(n) : 0, slen;
		struct nameslot *first = n ? set_find(&all, n, len) : NULL;
		if (!n || first->s == n)
			continue;
		if (!(s = malloc((size_t)len + 16))) {
			st = WLAB_NOMEM;
			break;
		}
		memcpy(s, n, len);
		uint32_t k = first->next[0] ? first->next[0] : 1;  /* as unique's */
		do
			slen = len + (uint32_t)snprintf(s + len, 15, ".%u", (unsigned)k++);
		while (set_find(&all, s, slen)->s);
		first->next[0] = k;
		*set_find(&all, s, slen) = (struct nameslot){s, slen, {0, 0}};
		free(n);
		names->name[i] = s;
	}
	free(all.slot);
	return st;
}

static enum wp_space space_of(uint8_t kind)
{
	switch (kind) {
	case WLAB_NAMES_FUNCTION: return WP_FUNC;
	case WLAB_NAMES_TYPE: return WP_TYPE;
	case WLAB_NAMES_TABLE: return WP_TABLE;
	case WLAB_NAMES_MEMORY: return WP_MEMORY;
	case WLAB_NAMES_GLOBAL: return WP_GLOBAL;
	case WLAB_NAMES_ELEM: return WP_ELEM;
	case WLAB_NAMES_DATA: return WP_DATA;
	case WLAB_NAMES_TAG: return WP_TAG;
	default: return WP_NSPACES;
	}
}

static uint32_t space_count(const struct wlab_module *m, enum wp_space s)
{
	switch (s) {
	case WP_FUNC: return wlab_module_func_count(m);
	case WP_TYPE: return m->ntypes;
	case WP_TABLE: return wlab_module_table_count(m);
	case WP_MEMORY: return wlab_module_memory_count(m);
	case WP_GLOBAL: return wlab_module_global_count(m);
	case WP_ELEM: return m->nelems;
	case WP_DATA: return m->ndatas;
	case WP_TAG: return m->nimported_tags + m->ntags;
	default: return 0;
	}
}

/* The linking section's symbols name what the name section does not (a
 * data symbol at offset 0 names its segment: one further in names only a
 * part of it), as wasm2wat reads them. */
static enum wlab_status symbols(struct wp *p, struct nameset *sets)
{
	const struct wlab_linking *l = &p->m->linking;
	for (uint32_t i = 0; i < l->nsymbols; i++) {
		const struct wlab_symbol *sym = &l->symbols[i];
		enum wp_space s = sym->kind == WLAB_SYMTAB_FUNCTION ? WP_FUNC
			: sym->kind == WLAB_SYMTAB_GLOBAL ? WP_GLOBAL
			: sym->kind == WLAB_SYMTAB_TABLE ? WP_TABLE
			: sym->kind == WLAB_SYMTAB_EVENT ? WP_TAG : WP_NSPACES;
		uint32_t idx = sym->index;
		if (sym->kind == WLAB_SYMTAB_DATA && sym->defined && !sym->offset) {
			s = WP_DATA;
			idx = sym->segment;
		}
		if (s == WP_NSPACES || !sym->has_name)
			continue;
		if (give(&p->names[s], &sets[s], idx, sym->name))
			return WLAB_NOMEM;
	}
	return WLAB_OK;
}

static enum wlab_status names_init(struct wp *p, struct nameset *sets)
{
	const struct wlab_module *m = p->m;
	bool seen[WP_NSPACES] = {0};
	if (m->has_linking && symbols(p, sets))
		return WLAB_NOMEM;
	if (!m->has_names)
		return WLAB_OK;
	for (uint32_t i = 0; i < m->names.nsubsections; i++) {
		const struct wlab_name_subsection *sub = &m->names.subsections[i];
		if (sub->id == WLAB_NAMES_MODULE && !p->module_name && sub->module_name.len) {
			struct nameslot slot[2] = {{0}};
			struct nameset set = {2, slot};
			if (!(p->module_name = unique(&set, sub->module_name, '.')))
				return WLAB_NOMEM;
			for (uint32_t k = 1; k <= sub->module_name.len; k++)
				if (!wat_idchar((uint8_t)p->module_name[k]))
					p->module_name[k] = '_';
			continue;
		}
		enum wp_space s = space_of(sub->id);
		if (s == WP_NSPACES || sub->indirect || seen[s])
			continue;
		seen[s] = true;  /* the first subsection of a kind wins */
		if (fill(&p->names[s], &sets[s], &sub->map))
			return WLAB_NOMEM;
	}
	return WLAB_OK;
}

static const enum wp_space kind_space[] = {WP_FUNC, WP_TABLE, WP_MEMORY, WP_GLOBAL, WP_TAG};

/* WLAB_WAT_GENERATE_NAMES: what the name section left unnamed is named, as
 * wasm2wat 1.0.32 --generate-names names it, by the first of: its import
 * ("$module.field", in import order), its first export ("$name", in export
 * order), its kind and index ("$f3"); a name taken in its space gets "_1",
 * "_2"... (give_c_name: an import's or export's name ends at a NUL byte,
 * and an empty one is not used). Identifiers are made of them afterwards,
 * as of the name section's. */
static enum wlab_status generate(struct wp *p, struct nameset *sets)
{
	static const char *const prefix[WP_NSPACES] = {
		[WP_FUNC] = "f", [WP_TYPE] = "t", [WP_TABLE] = "T", [WP_MEMORY] = "M",
		[WP_GLOBAL] = "g", [WP_ELEM] = "e", [WP_DATA] = "d", [WP_TAG] = "e",
	};
	const struct wlab_module *m = p->m;
	enum wlab_status st = WLAB_OK;
	char *buf = NULL;
	for (uint32_t i = 0; i < m->nimports && !st; i++) {
		const struct wlab_import *im = &m->imports[i];
		if (im->kind > WLAB_EXTERN_TAG)
			continue;
		uint32_t len = im->module.len + 1 + im->field.len;
		char *b = realloc(buf, len);
		if (!b) {
			st = WLAB_NOMEM;
			break;
		}
		buf = b;
		memcpy(buf, im->module.ptr, im->module.len);
		buf[im->module.len] = '.';
		memcpy(buf + im->module.len + 1, im->field.ptr, im->field.len);
		enum wp_space s = kind_space[im->kind];
		st = give_c_name(&p->names[s], &sets[s], im->kind_index, buf, len);
	}
	free(buf);
	for (uint32_t i = 0; i < m->nexports && !st; i++) {
		const struct wlab_export *ex = &m->exports[i];
		if (ex->kind > WLAB_EXTERN_TAG)
			continue;
		enum wp_space s = kind_space[ex->kind];
		st = give_c_name(&p->names[s], &sets[s], ex->index, (const char *)ex->name.ptr,
				 ex->name.len);
	}
	for (int s = 0; s < WP_NSPACES && !st; s++)
		st = give_defaults(&p->names[s], &sets[s], prefix[s], 0, p->names[s].count);
	return st;
}

/* The field names of subsection 10 (the extended name section: type index
 * -> field index -> name), for struct types only; the first such
 * subsection wins, names unique within their type. */
static enum wlab_status fields_init(struct wp *p)
{
	const struct wlab_module *m = p->m;
	for (uint32_t i = 0; i < m->names.nsubsections; i++) {
		const struct wlab_name_subsection *sub = &m->names.subsections[i];
		if (sub->id != WLAB_NAMES_FIELD || !sub->indirect)
			continue;
		for (uint32_t j = 0; j < sub->imap.count; j++) {
			const struct wlab_indirect_naming *e = &sub->imap.entries[j];
			if (e->index >= m->ntypes || m->types[e->index].form != WLAB_FORM_STRUCT)
				continue;
			if (!p->fields && !(p->fields = calloc(m->ntypes, sizeof *p->fields)))
				return WLAB_NOMEM;
			struct wp_names *f = &p->fields[e->index];
			if (f->count)
				continue;  /* a type listed twice: its first entry wins */
			struct nameset set = {0};
			f->count = m->types[e->index].nfields;
			enum wlab_status st = fill(f, &set, &e->map);
			if (!st)
				st = finish(f, &set);
			free(set.slot);
			if (st)
				return st;
		}
		return WLAB_OK;
	}
	return WLAB_OK;
}

enum wlab_status wp_names_init(struct wp *p)
{
	struct nameset sets[WP_NSPACES] = {{0}};
	enum wlab_status st = WLAB_OK;
	for (int s = 0; s < WP_NSPACES; s++) {
		p->names[s].count = space_count(p->m, (enum wp_space)s);
		p->names[s].name = NULL;
	}
	p->fields = NULL;
	if (!(p->flags & WLAB_WAT_NO_NAMES)) {
		st = names_init(p, sets);
		if (!st && p->m->has_names)
			st = fields_init(p);
	}
	if (!st && (p->flags & WLAB_WAT_GENERATE_NAMES))
		st = generate(p, sets);
	for (int s = 0; s < WP_NSPACES; s++) {
		if (!st)
			st = finish(&p->names[s], &sets[s]);
		free(sets[s].slot);
	}
	return st;
}

static void names_free(struct wp_names *names)
{
	if (names->name)
		for (uint32_t i = 0; i < names->count; i++)
			free(names->name[i]);
	free(names->name);
	names->name = NULL;
	names->count = 0;
}

void wp_names_free(struct wp *p)
{
	for (int s = 0; s < WP_NSPACES; s++)
		names_free(&p->names[s]);
	wp_locals_free(p);
	if (p->fields)
		for (uint32_t i = 0; i < p->m->ntypes; i++)
			names_free(&p->fields[i]);
	free(p->fields);
	p->fields = NULL;
	free(p->module_name);
	p->module_name = NULL;
}

/* The local name map of function funcidx (the first subsection 2 that
 * lists it), or NULL. */
static const struct wlab_name_map *local_map(const struct wp *p, uint32_t funcidx)
{
	const struct wlab_module *m = p->m;
	if (!m->has_names || (p->flags & WLAB_WAT_NO_NAMES))
		return NULL;
	for (uint32_t i = 0; i < m->names.nsubsections; i++) {
		const struct wlab_name_subsection *sub = &m->names.subsections[i];
		if (sub->id != WLAB_NAMES_LOCAL || !sub->indirect)
			continue;
		for (uint32_t j = 0; j < sub->imap.count; j++)
			if (sub->imap.entries[j].index == funcidx)
				return &sub->imap.entries[j].map;
		return NULL;
	}
	return NULL;
}

enum wlab_status wp_locals_init(struct wp *p, uint32_t funcidx, uint32_t nparams,
				uint64_t nlocals)
{
	const struct wlab_name_map *map = local_map(p, funcidx);
	bool gen = p->flags & WLAB_WAT_GENERATE_NAMES;
	uint32_t top = 0;
	wp_locals_free(p);
	for (uint32_t k = 0; map && k < map->count; k++)
		if (map->names[k].index < nlocals && map->names[k].index >= top)
			top = map->names[k].index + 1;
	if (gen)  /* every local named: $p0 for a param, $l1 for a local */
		top = nlocals < UINT32_MAX ? (uint32_t)nlocals : UINT32_MAX;
	if (!top)
		return WLAB_OK;
	struct nameset set = {0};
	enum wlab_status st = WLAB_OK;
	p->locals.count = top;
	if (map)
		st = fill(&p->locals, &set, map);
	if (!st && gen)
		st = give_defaults(&p->locals, &set, "p", 0, nparams);
	if (!st && gen)
		st = give_defaults(&p->locals, &set, "l", nparams, top);
	if (!st)
		st = finish(&p->locals, &set);
	free(set.slot);
	return st;
}

void wp_locals_free(struct wp *p)
{
	names_free(&p->locals);
}

static const char *name_at(const struct wp_names *names, uint32_t idx)
{
	return names->name && idx < names->count ? names->name[idx] : NULL;
}

void wp_ref(struct wp *p, enum wp_space s, uint32_t idx)
{
	const char *n = p->indices ? NULL : name_at(&p->names[s], idx);
	if (n)
		wp_puts(p, n);
	else
		wp_u64(p, idx);
}

void wp_local_ref(struct wp *p, uint32_t idx)
{
	const char *n = name_at(&p->locals, idx);
	if (n)
		wp_puts(p, n);
	else
		wp_u64(p, idx);
}

void wp_def(struct wp *p, enum wp_space s, uint32_t idx)
{
	const char *n = name_at(&p->names[s], idx);
	wp_putc(p, ' ');
	if (n) {
		wp_puts(p, n);
		return;
	}
	wp_puts(p, "(;");
	wp_u64(p, idx);
	wp_puts(p, ";)");
}

static const char *field_name(const struct wp *p, uint32_t typeidx, uint32_t fieldidx)
{
	return p->fields && typeidx < p->m->ntypes ? name_at(&p->fields[typeidx], fieldidx) : NULL;
}

void wp_field_ref(struct wp *p, uint32_t typeidx, uint32_t fieldidx)
{
	const char *n = field_name(p, typeidx, fieldidx);
	if (n)
		wp_puts(p, n);
	else
		wp_u64(p, fieldidx);
}

void wp_field_def(struct wp *p, uint32_t typeidx, uint32_t fieldidx)
{
	const char *n = field_name(p, typeidx, fieldidx);
	if (n) {
		wp_putc(p, ' ');
		wp_puts(p, n);
	}
}
