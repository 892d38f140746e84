/* xref.c: --xref IDX|NAME, the cross references of one function: its type,
 * import and export names, the call sites in its body (callees, with
 * call_indirect noted as indirect), the call sites that target it (callers),
 * the element segment items and the ref.func instructions that name it.
 *
 * It reads the field tree, not the module's arrays, so that a malformed file
 * gets the references found in what decoded before the error. Each site has
 * the offset of its instruction (or element item) in the file. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"

enum site_kind {
	SITE_CALLEE,    /* call/return_call in the function's body */
	SITE_INDIRECT,  /* call_indirect/return_call_indirect in its body */
	SITE_CALLER,    /* call/return_call of it elsewhere */
	SITE_ELEM,      /* an element segment item naming it */
	SITE_REF_FUNC,  /* ref.func of it outside element segments */
	SITE_MAY_CALL,  /* call_indirect elsewhere with its signature */
};

struct site {
	uint8_t kind;          /* enum site_kind */
	const char *op;        /* "call", "ref.func"... ; NULL for a func-index item */
	uint32_t offset;       /* of the instruction or item */
	uint32_t func;         /* callee (SITE_CALLEE) or the holding function */
	bool in_func;          /* the site is in a function body */
	uint32_t type, table;  /* SITE_INDIRECT, SITE_MAY_CALL */
	const char *where;     /* label of the entry that holds it: "elem[0]", "global[1]" */
	const char *item;      /* "item[3]" in an element segment */
	uint32_t entry;        /* the entry's index: elem segment, global... */
};

struct sites {
	struct site *v;
	uint32_t n, cap;
};

static void add(struct sites *s, struct site x)
{
	if (s->n == s->cap) {
		uint32_t cap = s->cap ? s->cap * 2 : 32;
		struct site *v = realloc(s->v, cap * sizeof *v);
		if (!v) {
			fputs("wlab-explore: out of memory\n", stderr);
			exit(1);
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = x;
}

/* The function named by --xref: an index in the function space, or a
 * display name; UINT32_MAX when none. */
static uint32_t resolve(const struct wlab_module *m, const char *want)
{
	uint32_t n = wlab_module_func_count(m);
	char *end;
	unsigned long v = strtoul(want, &end, 10);
	if (*want >= '0' && *want <= '9' && !*end)
		return v < n ? (uint32_t)v : UINT32_MAX;
	char buf[256];
	for (uint32_t f = 0; f < n; f++) {
		const char *name = wlab_layout_func_name(m, f, buf, sizeof buf);
		if (name && strcmp(name, want) == 0)
			return f;
	}
	size_t w = strlen(want);  /* then any export's name, then an import's field */
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct wlab_export *e = &m->exports[i];
		if (e->kind == WLAB_EXTERN_FUNC && e->name.len == w && memcmp(e->name.ptr, want, w) == 0)
			return e->index;
	}
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wlab_import *im = &m->imports[i];
		if (im->kind == WLAB_EXTERN_FUNC && im->field.len == w &&
		    memcmp(im->field.ptr, want, w) == 0)
			return im->kind_index;
	}
	return UINT32_MAX;
}

/* The immediate child of instruction node i labelled `label`. */
static bool imm_value(const struct wlab_layout *l, uint32_t i, const char *label, uint32_t *out)
{
	for (uint32_t c = i + 1; c < l->nodes[i].end; c = l->nodes[c].end) {
		const struct wlab_layout_node *k = &l->nodes[c];
		if (k->vkind == WLAB_LV_UINT && strcmp(k->label, label) == 0) {
			*out = (uint32_t)k->value.u;
			return true;
		}
	}
	return false;
}

static bool same_sig(const struct wlab_module *m, uint32_t a, uint32_t b)
{
	if (a >= m->ntypes || b >= m->ntypes)
		return false;
	const struct wlab_functype *x = &m->types[a], *y = &m->types[b];
	/* Whole value types (4 bytes each), and no memcmp of an empty list,
	 * whose pointer may be NULL. */
	return x->nparams == y->nparams && x->nresults == y->nresults &&
	       (!x->nparams || memcmp(x->params, y->params, x->nparams * sizeof *x->params) == 0) &&
	       (!x->nresults || memcmp(x->results, y->results, x->nresults * sizeof *x->results) == 0);
}

/* Walks the tree once and collects every site that concerns function f. */
static void collect(const struct explore_ctx *ctx, uint32_t f, uint32_t ftype, struct sites *s)
{
	const struct wlab_layout *l = ctx->l;
	const struct wlab_module *m = ctx->m;
	uint8_t sec = 0xff;
	uint32_t entry_node = 0, entry = 0, func = UINT32_MAX;
	const char *item = NULL;
	for (uint32_t i = 1; i < l->nnodes; i++) {
		const struct wlab_layout_node *n = &l->nodes[i];
		if (n->depth == 1) {
			sec = 0xff;
			if (strcmp(n->kind, "section") == 0 && i + 1 < n->end &&
			    strcmp(l->nodes[i + 1].kind, "section-id") == 0)
				sec = (uint8_t)l->nodes[i + 1].value.u;
			func = UINT32_MAX;
			continue;
		}
		if (n->depth == 2 && !wlab_layout_is_leaf(l, i)) {
			entry_node = i;
			const char *br = strchr(n->label, '[');
			entry = br ? (uint32_t)strtoul(br + 1, NULL, 10) : 0;
			func = sec == WLAB_SEC_CODE && strcmp(n->kind, "func") == 0 ? entry : UINT32_MAX;
			item = NULL;
		}
		if (sec == WLAB_SEC_ELEM && n->depth == 3)
			item = n->label;
		if (sec == WLAB_SEC_ELEM && strcmp(n->kind, "func-index") == 0) {
			if (n->vkind == WLAB_LV_UINT && n->value.u == f)
				add(s, (struct site){.kind = SITE_ELEM, .offset = n->offset,
						     .where = l->nodes[entry_node].label, .item = n->label,
						     .entry = entry});
			continue;
		}
		if (strcmp(n->kind, "instr") != 0)
			continue;
		const char *op = n->label;
		uint32_t target, type, table;
		bool here = func == f;
		struct site x = {.op = op, .offset = n->offset, .func = func,
				 .in_func = func != UINT32_MAX, .entry = entry,
				 .where = entry_node ? l->nodes[entry_node].label : "", .item = item};
		if ((strcmp(op, "call") == 0 || strcmp(op, "return_call") == 0) &&
		    imm_value(l, i, "func index", &target)) {
			if (here) {
				x.kind = SITE_CALLEE;
				x.func = target;
				add(s, x);
			}
			if (target == f) {
				x.kind = SITE_CALLER;
				x.func = func;
				add(s, x);
			}
		} else if ((strcmp(op, "call_indirect") == 0 ||
			    strcmp(op, "return_call_indirect") == 0) &&
			   imm_value(l, i, "type index", &type)) {
			if (!imm_value(l, i, "table index", &table))
				table = 0;
			x.type = type;
			x.table = table;
			if (here) {
				x.kind = SITE_INDIRECT;
				add(s, x);
			}
			if (ftype != UINT32_MAX && same_sig(m, type, ftype)) {
				x.kind = SITE_MAY_CALL;
				add(s, x);
			}
		} else if (strcmp(op, "ref.func") == 0 && imm_value(l, i, "func index", &target) &&
			   target == f) {
			x.kind = sec == WLAB_SEC_ELEM ? SITE_ELEM : SITE_REF_FUNC;
			add(s, x);
		}
	}
}

static void type_text(FILE *out, const struct wlab_module *m, uint32_t t)
{
	if (t >= m->ntypes) {
		fprintf(out, "type[%u]", t);
		return;
	}
	const struct wlab_functype *ft = &m->types[t];
	fprintf(out, "type[%u] (", t);
	for (uint32_t k = 0; k < ft->nparams; k++) {
		const char *v = wlab_valtype_name(ft->params[k]);
		fprintf(out, "%s%s", k ? ", " : "", v ? v : "?");
	}
	fputs(") -> (", out);
	for (uint32_t k = 0; k < ft->nresults; k++) {
		const char *v = wlab_valtype_name(ft->results[k]);
		fprintf(out, "%s%s", k ? ", " : "", v ? v : "?");
	}
	fputc(')', out);
}

static void func_text(FILE *out, const struct wlab_module *m, uint32_t f)
{
	char buf[256];
	const char *name = f == UINT32_MAX ? NULL : wlab_layout_func_name(m, f, buf, sizeof buf);
	fprintf(out, "func[%u]", f);
	if (name)
		fprintf(out, " \"%s\"", name);
}

static uint32_t count(const struct sites *s, uint8_t kind)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < s->n; i++)
		n += s->v[i].kind == kind;
	return n;
}

static const char *elem_mode(const struct wlab_module *m, uint32_t e)
{
	if (e >= m->nelems)
		return "";
	switch (m->elems[e].mode) {
	case WLAB_SEGMENT_ACTIVE: return "active";
	case WLAB_SEGMENT_PASSIVE: return "passive";
	default: return "declarative";
	}
}

/* The function's own facts: index, type, import, exports, body. */
struct facts {
	uint32_t f, type;
	const struct wlab_import *import;
	const struct wlab_code *code;
};

static void get_facts(const struct wlab_module *m, uint32_t f, struct facts *x)
{
	x->f = f;
	x->import = wlab_module_import_of(m, WLAB_EXTERN_FUNC, f);
	x->type = f < m->nimported_funcs + m->nfuncs ? wlab_module_func_type(m, f) : UINT32_MAX;
	x->code = NULL;
	if (!x->import && f >= m->nimported_funcs && f - m->nimported_funcs < m->ncodes)
		x->code = &m->codes[f - m->nimported_funcs];
}

static void print_text(const struct explore_ctx *ctx, const struct facts *x,
		       const struct sites *s)
{
	const struct wlab_module *m = ctx->m;
	FILE *out = ctx->out;
	func_text(out, m, x->f);
	fputs("\n  type:      ", out);
	if (x->type == UINT32_MAX)
		fputs("unknown", out);
	else
		type_text(out, m, x->type);
	fputc('\n', out);
	if (x->import)
		fprintf(out, "  import:    \"%.*s\".\"%.*s\" at 0x%08x\n", (int)x->import->module.len,
			(const char *)x->import->module.ptr, (int)x->import->field.len,
			(const char *)x->import->field.ptr, x->import->span.offset);
	else if (x->code)
		fprintf(out, "  body:      at 0x%08x, %u bytes\n", x->code->span.offset,
			x->code->span.size);
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct wlab_export *e = &m->exports[i];
		if (e->kind == WLAB_EXTERN_FUNC && e->index == x->f)
			fprintf(out, "  export:    \"%.*s\" at 0x%08x\n", (int)e->name.len,
				(const char *)e->name.ptr, e->span.offset);
	}
	if (m->has_start && m->start == x->f)
		fputs("  start:     the start function\n", out);
	static const struct {
		uint8_t kind;
		const char *title;
	} groups[] = {
		{SITE_CALLEE, "calls"}, {SITE_INDIRECT, "indirect calls"},
		{SITE_CALLER, "called by"}, {SITE_ELEM, "element segments"},
		{SITE_REF_FUNC, "ref.func uses"}, {SITE_MAY_CALL, "call_indirect sites of its type"},
	};
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		uint8_t kind = groups[g].kind;
		if (kind == SITE_MAY_CALL && !count(s, SITE_ELEM) && !count(s, SITE_REF_FUNC))
			continue;  /* not in a table: no call_indirect can reach it */
		fprintf(out, "  %s: %u\n", groups[g].title, count(s, kind));
		for (uint32_t i = 0; i < s->n; i++) {
			const struct site *t = &s->v[i];
			if (t->kind != kind)
				continue;
			fprintf(out, "    0x%08x  ", t->offset);
			switch (kind) {
			case SITE_CALLEE:
				fprintf(out, "%s ", t->op);
				func_text(out, m, t->func);
				break;
			case SITE_INDIRECT:
				fprintf(out, "%s (indirect) ", t->op);
				type_text(out, m, t->type);
				fprintf(out, " table %u", t->table);
				break;
			case SITE_CALLER:
			case SITE_MAY_CALL:
				fprintf(out, "%s in ", t->op);
				if (t->in_func)
					func_text(out, m, t->func);
				else
					fputs(t->where, out);
				break;
			case SITE_ELEM:
				fprintf(out, "%s %s %s%s", t->where, elem_mode(m, t->entry),
					t->item ? t->item : "", t->op ? " (ref.func)" : "");
				break;
			default:
				fputs("ref.func in ", out);
				if (t->in_func)
					func_text(out, m, t->func);
				else
					fputs(t->where, out);
			}
			fputc('\n', out);
		}
	}
	if (ctx->l->error.status != WLAB_OK)
		fprintf(out, "  (the file is malformed: references past 0x%x are missing)\n",
			ctx->l->decoded_end);
}

static void json_func(FILE *out, const struct wlab_module *m, uint32_t f)
{
	char buf[256];
	const char *name = wlab_layout_func_name(m, f, buf, sizeof buf);
	fprintf(out, "\"func\":%u,\"name\":", f);
	if (name)
		explore_json_str(out, name);
	else
		fputs("null", out);
}

static void json_strn(FILE *out, const struct wlab_str *s)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%.*s", (int)s->len, (const char *)s->ptr);
	explore_json_str(out, buf);
}

static void json_site(FILE *out, const struct explore_ctx *ctx, const struct site *t)
{
	const struct wlab_module *m = ctx->m;
	fprintf(out, "{\"offset\":%u", t->offset);
	if (t->op) {
		fputs(",\"op\":", out);
		explore_json_str(out, t->op);
	}
	switch (t->kind) {
	case SITE_CALLEE:
		fputc(',', out);
		json_func(out, m, t->func);
		break;
	case SITE_INDIRECT:
		fprintf(out, ",\"indirect\":true,\"type\":%u,\"table\":%u", t->type, t->table);
		break;
	case SITE_ELEM:
		fprintf(out, ",\"elem\":%u,\"mode\":\"%s\",\"item\":", t->entry, elem_mode(m, t->entry));
		explore_json_str(out, t->item ? t->item : "");
		break;
	default:
		if (t->kind == SITE_MAY_CALL)
			fprintf(out, ",\"type\":%u,\"table\":%u", t->type, t->table);
		if (t->in_func) {
			fputs(",\"in\":{", out);
			json_func(out, m, t->func);
			fputc('}', out);
		} else {
			fputs(",\"in\":", out);
			explore_json_str(out, t->where);
		}
	}
	fputc('}', out);
}

static void print_json(const struct explore_ctx *ctx, const struct facts *x,
		       const struct sites *s)
{
	const struct wlab_module *m = ctx->m;
	FILE *out = ctx->out;
	fputs("{\"schema\":\"wlab-explore-xref/1\",\"file\":", out);
	explore_json_str(out, ctx->path);
	fputc(',', out);
	json_func(out, m, x->f);
	fputs(",\"type\":", out);
	explore_json_functype(out, m, x->type);
	fputs(",\"import\":", out);
	if (x->import) {
		fputs("{\"module\":", out);
		json_strn(out, &x->import->module);
		fputs(",\"field\":", out);
		json_strn(out, &x->import->field);
		fprintf(out, ",\"offset\":%u}", x->import->span.offset);
	} else {
		fputs("null", out);
	}
	fputs(",\"body\":", out);
	if (x->code)
		fprintf(out, "{\"offset\":%u,\"length\":%u}", x->code->span.offset, x->code->span.size);
	else
		fputs("null", out);
	fputs(",\"exports\":[", out);
	bool first = true;
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct wlab_export *e = &m->exports[i];
		if (e->kind != WLAB_EXTERN_FUNC || e->index != x->f)
			continue;
		fputs(first ? "{\"name\":" : ",{\"name\":", out);
		json_strn(out, &e->name);
		fprintf(out, ",\"offset\":%u}", e->span.offset);
		first = false;
	}
	fprintf(out, "],\"start\":%s", m->has_start && m->start == x->f ? "true" : "false");
	static const struct {
		uint8_t kind;
		const char *key;
	} groups[] = {
		{SITE_CALLEE, "callees"}, {SITE_INDIRECT, "indirect_calls"},
		{SITE_CALLER, "callers"}, {SITE_ELEM, "elems"}, {SITE_REF_FUNC, "ref_funcs"},
		{SITE_MAY_CALL, "indirect_callers"},
	};
	bool in_table = count(s, SITE_ELEM) || count(s, SITE_REF_FUNC);
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		fprintf(out, ",\n\"%s\":[", groups[g].key);
		first = true;
		for (uint32_t i = 0; i < s->n; i++) {
			if (s->v[i].kind != groups[g].kind ||
			    (groups[g].kind == SITE_MAY_CALL && !in_table))
				continue;
			if (!first)
				fputc(',', out);
			json_site(out, ctx, &s->v[i]);
			first = false;
		}
		fputc(']', out);
	}
	fputs(",\n\"error\":", out);
	if (ctx->l->error.status == WLAB_OK) {
		fputs("null", out);
	} else {
		fprintf(out, "{\"offset\":%zu,\"message\":", ctx->l->error.offset);
		explore_json_str(out, ctx->l->error.message);
		fputc('}', out);
	}
	fputs("}\n", out);
}

int explore_xref(const struct explore_ctx *ctx)
{
	uint32_t f = resolve(ctx->m, ctx->opts->xref);
	if (f == UINT32_MAX) {
		fprintf(stderr, "wlab-explore: %s: no function \"%s\"\n", ctx->path, ctx->opts->xref);
		return 1;
	}
	struct facts x;
	get_facts(ctx->m, f, &x);
	struct sites s = {0};
	collect(ctx, f, x.type, &s);
	if (ctx->opts->json)
		print_json(ctx, &x, &s);
	else
		print_text(ctx, &x, &s);
	free(s.v);
	return 0;
}
