/* js.c: --emit-js: an ES module with a typed skeleton of the import object
 * for the imports the output keeps, an instantiate() helper and wrappers
 * for the exports, plus its TypeScript declarations beside it (.d.mts for
 * an .mjs, .d.cts for a .cjs, else .d.ts). */
#include <stdlib.h>
#include <string.h>

#include "link.h"

/* The hierarchy of a reference type: func, extern, exn or any (a concrete
 * type by its form in m: a function type is func's, a struct or array any's). */
static wlab_heaptype_t ref_top(const struct wlab_module *m, wlab_valtype_t t)
{
	wlab_heaptype_t h = wlab_ref_heap(t);
	if (!wlab_heap_is_concrete(h))
		return wlab_heap_top(h);
	uint32_t i = wlab_heap_index(h);
	return i < m->ntypes && m->types[i].form != WLAB_FORM_FUNC ? WLAB_HT_ANY : WLAB_HT_FUNC;
}

static const char *ts_type(const struct wlab_module *m, wlab_valtype_t t)
{
	if (wlab_type_is_ref(t))  /* (ref $t) too: JS sees a function or null */
		return ref_top(m, t) == WLAB_HT_FUNC ? "Function | null" : "unknown";
	switch (t) {
	case WLAB_I64: return "bigint";
	case WLAB_V128: return "never";
	default: return "number";
	}
}

static void ts_func(FILE *f, const struct wlab_module *m, const struct wlab_functype *t)
{
	fputc('(', f);
	for (uint32_t p = 0; t && p < t->nparams; p++)
		fprintf(f, "%sa%u: %s", p ? ", " : "", p, ts_type(m, t->params[p]));
	fprintf(f, ") => ");
	if (!t || t->nresults == 0) {
		fprintf(f, "void");
	} else if (t->nresults == 1) {
		fprintf(f, "%s", ts_type(m, t->results[0]));
	} else {
		fputc('[', f);
		for (uint32_t r = 0; r < t->nresults; r++)
			fprintf(f, "%s%s", r ? ", " : "", ts_type(m, t->results[r]));
		fputc(']', f);
	}
}

static const struct wlab_functype *functype(const struct wlab_module *m, uint32_t t)
{
	return t < m->ntypes ? &m->types[t] : NULL;
}

static const char *ts_extern(uint8_t kind)
{
	switch (kind) {
	case WLAB_EXTERN_TABLE: return "WebAssembly.Table";
	case WLAB_EXTERN_MEMORY: return "WebAssembly.Memory";
	case WLAB_EXTERN_GLOBAL: return "WebAssembly.Global";
	case WLAB_EXTERN_TAG: return "WebAssembly.Tag";
	}
	return "unknown";
}

/* The JS API's name of a value type; a typed reference, which the JS API
 * cannot name, by its hierarchy's (the host replaces such a skeleton). */
static const char *js_valtype(const struct wlab_module *m, wlab_valtype_t t)
{
	if (!wlab_type_is_ref(t)) {
		const char *n = wlab_valtype_name(t);
		return n ? n : "?";
	}
	switch (ref_top(m, t)) {
	case WLAB_HT_FUNC: return "anyfunc";
	case WLAB_HT_EXTERN: return "externref";
	case WLAB_HT_EXN: return "exnref";
	default: return "anyref";
	}
}

/* The JS value a skeleton import starts with. */
static void js_skeleton(FILE *f, const struct wlab_module *m, const struct wlab_import *imp)
{
	switch (imp->kind) {
	case WLAB_EXTERN_FUNC: {
		const struct wlab_functype *t = functype(m, imp->u.func_type);
		fputc('(', f);
		for (uint32_t p = 0; t && p < t->nparams; p++)
			fprintf(f, "%sa%u", p ? ", " : "", p);
		fprintf(f, ") => {\n\t\t\tthrow new Error(");
		json_str(f, imp->module.ptr, imp->module.len);
		fprintf(f, " + \".\" + ");
		json_str(f, imp->field.ptr, imp->field.len);
		fprintf(f, " + \" is not provided\");\n\t\t}");
		break;
	}
	case WLAB_EXTERN_MEMORY:
		fprintf(f, "new WebAssembly.Memory({ initial: %llu", (unsigned long long)imp->u.memory.min);
		if (imp->u.memory.has_max)
			fprintf(f, ", maximum: %llu", (unsigned long long)imp->u.memory.max);
		fprintf(f, "%s })", imp->u.memory.shared ? ", shared: true" : "");
		break;
	case WLAB_EXTERN_TABLE:
		fprintf(f, "new WebAssembly.Table({ initial: %llu, element: \"%s\"",
			(unsigned long long)imp->u.table.limits.min, js_valtype(m, imp->u.table.elemtype));
		if (imp->u.table.limits.has_max)
			fprintf(f, ", maximum: %llu", (unsigned long long)imp->u.table.limits.max);
		fprintf(f, " })");
		break;
	case WLAB_EXTERN_GLOBAL:
		fprintf(f, "new WebAssembly.Global({ value: \"%s\", mutable: %s }, %s)",
			js_valtype(m, imp->u.global.valtype), imp->u.global.mut ? "true" : "false",
			imp->u.global.valtype == WLAB_I64 ? "0n"
			: wlab_type_is_ref(imp->u.global.valtype) ? "null"
								   : "0");
		break;
	case WLAB_EXTERN_TAG: {
		const struct wlab_functype *t = functype(m, imp->u.tag.type_index);
		fprintf(f, "new WebAssembly.Tag({ parameters: [");
		for (uint32_t p = 0; t && p < t->nparams; p++)
			fprintf(f, "%s\"%s\"", p ? ", " : "", js_valtype(m, t->params[p]));
		fprintf(f, "] })");
		break;
	}
	default:
		fprintf(f, "undefined");
	}
}

static bool same_module(const struct wlab_import *a, const struct wlab_import *b)
{
	return a->module.len == b->module.len &&
	       (a->module.len == 0 || memcmp(a->module.ptr, b->module.ptr, a->module.len) == 0);
}

/* Imports grouped by module name, in first-seen order. */
static void write_imports(FILE *f, const struct wlab_module *m, bool ts)
{
	for (uint32_t i = 0; i < m->nimports; i++) {
		bool seen = false;
		for (uint32_t j = 0; j < i && !seen; j++)
			seen = same_module(&m->imports[i], &m->imports[j]);
		if (seen)
			continue;
		fprintf(f, "\t");
		json_str(f, m->imports[i].module.ptr, m->imports[i].module.len);
		fprintf(f, ": {\n");
		for (uint32_t j = i; j < m->nimports; j++) {
			const struct wlab_import *imp = &m->imports[j];
			if (!same_module(imp, &m->imports[i]))
				continue;
			if (!ts) {
				char type[96];
				fprintf(f, "\t\t/** %s */\n", wlab_link_import_type(m, imp, type, sizeof type));
			}
			fprintf(f, "\t\t");
			json_str(f, imp->field.ptr, imp->field.len);
			fprintf(f, ": ");
			if (ts && imp->kind == WLAB_EXTERN_FUNC)
				ts_func(f, m, functype(m, imp->u.func_type));
			else if (ts)
				fprintf(f, "%s", ts_extern(imp->kind));
			else
				js_skeleton(f, m, imp);
			fprintf(f, ts ? ";\n" : ",\n");
		}
		fprintf(f, ts ? "\t};\n" : "\t},\n");
	}
}

static const char loader[] =
	"/* Instantiates the module: instantiateStreaming when the host has it, and\n"
	" * instantiate on the bytes when the server sends the wrong MIME type (not\n"
	" * application/wasm) or when running from files under Node. */\n"
	"async function load(source, importObject) {\n"
	"\tif (source instanceof WebAssembly.Module)\n"
	"\t\treturn { module: source, instance: await WebAssembly.instantiate(source, importObject) };\n"
	"\tif (source instanceof ArrayBuffer || ArrayBuffer.isView(source))\n"
	"\t\treturn WebAssembly.instantiate(source, importObject);\n"
	"\tconst url = source instanceof URL ? source : new URL(source, import.meta.url);\n"
	"\tif (url.protocol === \"file:\") {\n"
	"\t\tconst { readFile } = await import(\"node:fs/promises\");\n"
	"\t\treturn WebAssembly.instantiate(await readFile(url), importObject);\n"
	"\t}\n"
	"\tif (typeof WebAssembly.instantiateStreaming === \"function\") {\n"
	"\t\ttry {\n"
	"\t\t\treturn await WebAssembly.instantiateStreaming(fetch(url), importObject);\n"
	"\t\t} catch (e) {\n"
	"\t\t\tif (!(e instanceof TypeError))  /* a MIME type error is a TypeError */\n"
	"\t\t\t\tthrow e;\n"
	"\t\t}\n"
	"\t}\n"
	"\tconst response = await fetch(url);\n"
	"\tif (!response.ok)\n"
	"\t\tthrow new Error(`${url}: HTTP ${response.status}`);\n"
	"\treturn WebAssembly.instantiate(await response.arrayBuffer(), importObject);\n"
	"}\n\n";

static void write_exports(FILE *f, const struct wlab_module *m, bool ts)
{
	for (uint32_t e = 0; e < m->nexports; e++) {
		const struct wlab_export *ex = &m->exports[e];
		fprintf(f, ts ? "\t" : "\t\t");
		json_str(f, ex->name.ptr, ex->name.len);
		fprintf(f, ": ");
		if (ex->kind == WLAB_EXTERN_FUNC) {
			const struct wlab_functype *t = functype(m, wlab_module_func_type(m, ex->index));
			if (ts) {
				ts_func(f, m, t);
			} else {
				fputc('(', f);
				for (uint32_t p = 0; t && p < t->nparams; p++)
					fprintf(f, "%sa%u", p ? ", " : "", p);
				fprintf(f, ") => x[");
				json_str(f, ex->name.ptr, ex->name.len);
				fprintf(f, "](");
				for (uint32_t p = 0; t && p < t->nparams; p++)
					fprintf(f, "%sa%u", p ? ", " : "", p);
				fputc(')', f);
			}
		} else if (ts) {
			fprintf(f, "%s", ts_extern(ex->kind));
		} else {
			fprintf(f, "x[");
			json_str(f, ex->name.ptr, ex->name.len);
			fputc(']', f);
		}
		fprintf(f, ts ? ";\n" : ",\n");
	}
}

static bool write_mjs(const char *path, const char *wasm_name, const struct wlab_module *m)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	fprintf(f, "// Generated by wlab-link for %s: fill in the imports it still needs.\n", wasm_name);
	fprintf(f, "/** The import object: one entry per import the linked module keeps. */\n");
	fprintf(f, "export const imports = {\n");
	write_imports(f, m, false);
	fprintf(f, "};\n\n%s", loader);
	fprintf(f, "/** Instantiates %s (by default the file beside this one) and wraps its exports. */\n",
		wasm_name);
	fprintf(f, "export async function instantiate(source = new URL(");
	json_str(f, (const uint8_t *)wasm_name, strlen(wasm_name));
	fprintf(f, ", import.meta.url), importObject = imports) {\n");
	fprintf(f, "\tconst { instance } = await load(source, importObject);\n");
	fprintf(f, "\tconst x = instance.exports;\n\treturn {\n\t\tinstance,\n");
	write_exports(f, m, false);
	fprintf(f, "\t};\n}\n");
	return fclose(f) == 0;
}

static bool write_dts(const char *path, const char *wasm_name, const struct wlab_module *m)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	fprintf(f, "// Generated by wlab-link for %s.\n", wasm_name);
	fprintf(f, "export interface Imports {\n");
	write_imports(f, m, true);
	fprintf(f, "}\n\nexport declare const imports: Imports;\n\n");
	fprintf(f, "export interface Exports {\n\tinstance: WebAssembly.Instance;\n");
	write_exports(f, m, true);
	fprintf(f, "}\n\nexport declare function instantiate(\n"
		   "\tsource?: string | URL | BufferSource | WebAssembly.Module,\n"
		   "\timportObject?: Imports\n): Promise<Exports>;\n");
	return fclose(f) == 0;
}

/* The declarations' name, where TypeScript looks for them: glue.mjs gives
 * glue.d.mts, glue.cjs glue.d.cts, glue.js (or any other) glue.d.ts. */
bool js_emit(const char *mjs_path, const char *wasm_name, const struct wlab_module *m)
{
	size_t n = strlen(mjs_path);
	char *dts = malloc(n + 7);
	if (!dts)
		return false;
	memcpy(dts, mjs_path, n + 1);
	char *dot = strrchr(dts, '.'), *slash = strrchr(dts, '/');
	const char *ext = ".d.ts";
	if (dot && (!slash || dot > slash)) {
		if (strcmp(dot, ".mjs") == 0)
			ext = ".d.mts";
		else if (strcmp(dot, ".cjs") == 0)
			ext = ".d.cts";
		*dot = 0;
	}
	strcat(dts, ext);
	bool ok = write_mjs(mjs_path, wasm_name, m);
	if (!ok)
		fprintf(stderr, "%s: error: cannot write\n", mjs_path);
	else if (!(ok = write_dts(dts, wasm_name, m)))
		fprintf(stderr, "%s: error: cannot write\n", dts);
	free(dts);
	return ok;
}
