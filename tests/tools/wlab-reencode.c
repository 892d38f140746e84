/* wlab-reencode.c: decodes a module, encodes it again with wlab_module_encode
 * and checks the result (a test tool for tests/encode/roundtrip.py).
 *
 *   wlab-reencode IN -o OUT        decode IN, encode, write OUT
 *   wlab-reencode --dump IN        print IN's structure without offsets
 *   wlab-reencode --check [--out-dir DIR] IN...
 *       for each IN: decode (2.0 features, else every feature), encode,
 *       decode the output with the same features, compare the structural
 *       dumps, validate both with libwasm; prints one line per file:
 *         IN<TAB>skip<TAB>why          IN does not decode (its partial
 *                                      module is still encoded: no crash)
 *         IN<TAB>identical<TAB>valid=V   output bytes equal IN
 *         IN<TAB>changed<TAB>valid=V<TAB>FEATS<TAB>OUT   same structure, other bytes
 *         IN<TAB>FAIL<TAB>why          anything else
 *       (V is 1 when IN validates; OUT is written to DIR/<n>.wasm when DIR
 *       is given; FEATS is "default" or "all").
 * Exit: 0 all fine, 1 a FAIL (or, without --check, an error), 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wlab/encode.h"
#include "wlab/features.h"
#include "wlab/module.h"
#include "wlab/validate.h"

static uint32_t all_features(void)
{
	return 0
#define WLAB_FEATURE(bit, cname, name, dflt) | (1u << (bit))
#include "wlab/features.def"
#undef WLAB_FEATURE
		;
}

static uint64_t fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3u;
	return h;
}

/* Small byte ranges in hex, larger ones as length and hash. */
static void dump_bytes(FILE *f, const struct wlab_module *m, struct wlab_span s)
{
	if ((uint64_t)s.offset + s.size > m->size) {
		fprintf(f, "<out of range>");
		return;
	}
	const uint8_t *p = m->bytes + s.offset;
	if (s.size <= 24) {
		fprintf(f, "[");
		for (uint32_t i = 0; i < s.size; i++)
			fprintf(f, "%02x", p[i]);
		fprintf(f, "]");
	} else {
		fprintf(f, "[%u bytes %016llx]", (unsigned)s.size, (unsigned long long)fnv(p, s.size));
	}
}

static void dump_str(FILE *f, struct wlab_str s)
{
	fprintf(f, "\"%.*s\"", (int)s.len, s.ptr ? (const char *)s.ptr : "");
}

static void dump_limits(FILE *f, const struct wlab_limits *l)
{
	fprintf(f, "limits flags=%u max?%d shared=%d is64=%d min=%llu max=%llu", l->flags,
		l->has_max, l->shared, l->is64, (unsigned long long)l->min,
		(unsigned long long)l->max);
}

static void dump_map(FILE *f, const struct wlab_name_map *map)
{
	for (uint32_t i = 0; i < map->count; i++) {
		fprintf(f, " %u=", map->names[i].index);
		dump_str(f, map->names[i].name);
	}
}

static bool str_is(struct wlab_str s, const char *t)
{
	return s.len == strlen(t) && memcmp(s.ptr, t, s.len) == 0;
}

/* Is this custom section the decoded one (its structure is dumped below)? */
static bool decoded_custom(const struct wlab_module *m, uint32_t idx)
{
	static const char *const names[] = {"name", "producers", "target_features"};
	const bool has[] = {m->has_names, m->has_producers, m->has_target_features};
	for (int k = 0; k < 3; k++) {
		if (!has[k] || !str_is(m->sections[idx].name, names[k]))
			continue;
		for (uint32_t i = 0; i < idx; i++)
			if (m->sections[i].id == 0 && str_is(m->sections[i].name, names[k]))
				return false;
		return true;
	}
	return false;
}

static void dump_sections(FILE *f, const struct wlab_module *m)
{
	fprintf(f, "version %u\n", m->version);
	for (uint32_t i = 0; i < m->nsections; i++) {
		const struct wlab_section *s = &m->sections[i];
		fprintf(f, "section %u id=%u", i, s->id);
		if (s->id == 0) {
			fprintf(f, " name=");
			dump_str(f, s->name);
			if (decoded_custom(m, i))
				fprintf(f, " decoded");
			else
				dump_bytes(f, m, s->content);
		}
		fprintf(f, "\n");
	}
}

static void dump_entries(FILE *f, const struct wlab_module *m)
{
	for (uint32_t i = 0; i < m->ntypes; i++) {
		const struct wlab_functype *t = &m->types[i];
		fprintf(f, "type %u (", i);
		for (uint32_t j = 0; j < t->nparams; j++)
			fprintf(f, " %02x", t->params[j]);
		fprintf(f, " ) -> (");
		for (uint32_t j = 0; j < t->nresults; j++)
			fprintf(f, " %02x", t->results[j]);
		fprintf(f, " )\n");
	}
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wlab_import *im = &m->imports[i];
		fprintf(f, "import %u ", i);
		dump_str(f, im->module);
		dump_str(f, im->field);
		fprintf(f, " kind=%u idx=%u ", im->kind, im->kind_index);
		if (im->kind == WLAB_EXTERN_FUNC)
			fprintf(f, "type=%u", im->u.func_type);
		else if (im->kind == WLAB_EXTERN_TABLE) {
			fprintf(f, "elem=%02x ", im->u.table.elemtype);
			dump_limits(f, &im->u.table.limits);
		} else if (im->kind == WLAB_EXTERN_MEMORY)
			dump_limits(f, &im->u.memory);
		else if (im->kind == WLAB_EXTERN_GLOBAL)
			fprintf(f, "%02x mut=%d", im->u.global.valtype, im->u.global.mut);
		else
			fprintf(f, "attr=%u type=%u", im->u.tag.attribute, im->u.tag.type_index);
		fprintf(f, "\n");
	}
	fprintf(f, "imported %u %u %u %u %u\n", m->nimported_funcs, m->nimported_tables,
		m->nimported_memories, m->nimported_globals, m->nimported_tags);
	for (uint32_t i = 0; i < m->nfuncs; i++)
		fprintf(f, "func %u type=%u\n", i, m->func_types[i]);
	for (uint32_t i = 0; i < m->ntables; i++) {
		const struct wlab_table *t = &m->tables[i];
		fprintf(f, "table %u elem=%02x ", i, t->type.elemtype);
		dump_limits(f, &t->type.limits);
		fprintf(f, " init=%d ", t->has_init);
		if (t->has_init)
			dump_bytes(f, m, t->init.span);
		fprintf(f, "\n");
	}
	for (uint32_t i = 0; i < m->nmemories; i++) {
		fprintf(f, "memory %u ", i);
		dump_limits(f, &m->memories[i].limits);
		fprintf(f, "\n");
	}
	for (uint32_t i = 0; i < m->ntags; i++)
		fprintf(f, "tag %u attr=%u type=%u\n", i, m->tags[i].type.attribute,
			m->tags[i].type.type_index);
	for (uint32_t i = 0; i < m->nglobals; i++) {
		fprintf(f, "global %u %02x mut=%d ", i, m->globals[i].type.valtype,
			m->globals[i].type.mut);
		dump_bytes(f, m, m->globals[i].init.span);
		fprintf(f, "\n");
	}
	for (uint32_t i = 0; i < m->nexports; i++) {
		fprintf(f, "export %u ", i);
		dump_str(f, m->exports[i].name);
		fprintf(f, " kind=%u index=%u\n", m->exports[i].kind, m->exports[i].index);
	}
	if (m->has_start)
		fprintf(f, "start %u\n", m->start);
}

static void dump_segments(FILE *f, const struct wlab_module *m)
{
	for (uint32_t i = 0; i < m->nelems; i++) {
		const struct wlab_elem *e = &m->elems[i];
		fprintf(f, "elem %u flags=%u mode=%u table=%u type=%02x exprs=%d offset=", i,
			e->flags, e->mode, e->table, e->elemtype, e->uses_exprs);
		if (e->mode == WLAB_SEGMENT_ACTIVE)
			dump_bytes(f, m, e->offset.span);
		fprintf(f, " items=%u:", e->count);
		for (uint32_t j = 0; j < e->count; j++) {
			if (e->uses_exprs)
				dump_bytes(f, m, e->exprs[j].span);
			else
				fprintf(f, " %u", e->funcs[j]);
		}
		fprintf(f, "\n");
	}
	if (m->has_data_count)
		fprintf(f, "datacount %u\n", m->data_count);
	for (uint32_t i = 0; i < m->ncodes; i++) {
		const struct wlab_code *c = &m->codes[i];
		fprintf(f, "code %u locals=%llu:", i, (unsigned long long)c->nlocals);
		for (uint32_t j = 0; j < c->nlocal_decls; j++)
			fprintf(f, " %u*%02x", c->local_decls[j].count, c->local_decls[j].type);
		fprintf(f, " expr=");
		dump_bytes(f, m, c->expr);
		fprintf(f, "\n");
	}
	for (uint32_t i = 0; i < m->ndatas; i++) {
		const struct wlab_data *d = &m->datas[i];
		fprintf(f, "data %u flags=%u mode=%u memory=%u offset=", i, d->flags, d->mode,
			d->memory);
		if (d->flags != 1)
			dump_bytes(f, m, d->offset.span);
		fprintf(f, " bytes=");
		dump_bytes(f, m, d->bytes);
		fprintf(f, "\n");
	}
}

static void dump_custom(FILE *f, const struct wlab_module *m)
{
	if (m->has_names) {
		for (uint32_t i = 0; i < m->names.nsubsections; i++) {
			const struct wlab_name_subsection *s = &m->names.subsections[i];
			fprintf(f, "names %u id=%u:", i, s->id);
			if (s->id >= WLAB_NAMES_KIND_COUNT) {
				dump_bytes(f, m, s->span);
			} else if (s->id == WLAB_NAMES_MODULE) {
				dump_str(f, s->module_name);
			} else if (s->indirect) {
				for (uint32_t j = 0; j < s->imap.count; j++) {
					fprintf(f, " %u{", s->imap.entries[j].index);
					dump_map(f, &s->imap.entries[j].map);
					fprintf(f, " }");
				}
			} else {
				dump_map(f, &s->map);
			}
			fprintf(f, "\n");
		}
	}
	for (uint32_t i = 0; m->has_producers && i < m->producers.count; i++) {
		const struct wlab_producer_field *pf = &m->producers.fields[i];
		fprintf(f, "producers ");
		dump_str(f, pf->name);
		for (uint32_t j = 0; j < pf->count; j++) {
			fprintf(f, " ");
			dump_str(f, pf->values[j].name);
			dump_str(f, pf->values[j].version);
		}
		fprintf(f, "\n");
	}
	for (uint32_t i = 0; m->has_target_features && i < m->target_features.count; i++) {
		fprintf(f, "feature %c", m->target_features.features[i].prefix);
		dump_str(f, m->target_features.features[i].name);
		fprintf(f, "\n");
	}
	fprintf(f, "custom_error %d %s\n", m->custom_error.status, m->custom_error.message);
}

static void dump(FILE *f, const struct wlab_module *m)
{
	dump_sections(f, m);
	dump_entries(f, m);
	dump_segments(f, m);
	dump_custom(f, m);
}

/* The dump in a malloc'ed string, or NULL. */
static char *dump_string(const struct wlab_module *m)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);
	if (!f)
		return NULL;
	dump(f, m);
	if (fclose(f) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

static bool validates(const struct wlab_module *m, uint32_t features)
{
	struct wlab_validate_options vopts = {.features = features};
	struct wlab_validate_error verr;
	return wlab_module_validate(m, &vopts, &verr) == WLAB_OK;
}

static int write_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return 1;
	size_t w = n ? fwrite(p, 1, n, f) : 0;
	return (fclose(f) != 0 || w != n) ? 1 : 0;
}

/* Decodes with the 2.0 features, else with every feature. */
static enum wlab_status decode_any(const uint8_t *p, size_t n, uint32_t *features,
				   struct wlab_module **m, struct wlab_error *err)
{
	struct wlab_decode_options o = {.features = wlab_features_default()};
	if (wlab_module_decode(p, n, &o, m, err) == WLAB_OK) {
		*features = o.features;
		return WLAB_OK;
	}
	wlab_module_free(*m);
	o.features = all_features();
	*features = o.features;
	return wlab_module_decode(p, n, &o, m, err);
}

static int check_one(const char *path, const char *out_dir, unsigned n)
{
	uint8_t *bytes = NULL, *out = NULL;
	size_t size = 0, osize = 0;
	struct wlab_error err = {0};
	struct wlab_module *m = NULL, *m2 = NULL;
	char *d1 = NULL, *d2 = NULL;
	uint32_t features;
	int rc = 1;
	if (wlab_read_file(path, &bytes, &size, &err)) {
		printf("%s\tskip\tread: %s\n", path, err.message);
		return 0;
	}
	if (decode_any(bytes, size, &features, &m, &err)) {
		printf("%s\tskip\tdecode: 0x%zx: %s\n", path, err.offset, err.message);
		/* The partial module must not crash the encoder either. */
		struct wlab_error eerr = {0};
		(void)wlab_module_encode(m, &out, &osize, &eerr);
		rc = 0;
		goto done;
	}
	if (wlab_module_encode(m, &out, &osize, &err)) {
		printf("%s\tFAIL\tencode: 0x%zx: %s\n", path, err.offset, err.message);
		goto done;
	}
	struct wlab_decode_options o = {.features = features};
	if (wlab_module_decode(out, osize, &o, &m2, &err)) {
		printf("%s\tFAIL\tre-decode: 0x%zx: %s\n", path, err.offset, err.message);
		goto done;
	}
	d1 = dump_string(m);
	d2 = dump_string(m2);
	if (!d1 || !d2) {
		printf("%s\tFAIL\tdump: out of memory\n", path);
		goto done;
	}
	if (strcmp(d1, d2) != 0) {
		size_t at = 0;
		while (d1[at] && d1[at] == d2[at])
			at++;
		while (at > 0 && d1[at - 1] != '\n')
			at--;
		printf("%s\tFAIL\tstructure differs at: %.80s | %.80s\n", path, d1 + at, d2 + at);
		goto done;
	}
	bool v1 = validates(m, features), v2 = validates(m2, features);
	if (v1 != v2) {
		printf("%s\tFAIL\tvalidation differs: original %d, re-encoded %d\n", path, v1, v2);
		goto done;
	}
	rc = 0;
	if (osize == size && memcmp(out, bytes, size) == 0) {
		printf("%s\tidentical\tvalid=%d\n", path, v1);
		goto done;
	}
	char opath[4096] = "-";
	if (out_dir) {
		snprintf(opath, sizeof opath, "%s/%u.wasm", out_dir, n);
		if (write_file(opath, out, osize)) {
			printf("%s\tFAIL\tcannot write %s\n", path, opath);
			rc = 1;
			goto done;
		}
	}
	printf("%s\tchanged\tvalid=%d\t%s\t%s\n", path, v1,
	       features == wlab_features_default() ? "default" : "all", opath);
done:
	free(d1);
	free(d2);
	wlab_module_free(m2);
	wlab_module_free(m);
	free(out);
	free(bytes);
	return rc;
}

static int reencode(const char *in, const char *outpath, bool dump_only)
{
	uint8_t *bytes = NULL, *out = NULL;
	size_t size = 0, osize = 0;
	struct wlab_error err = {0};
	struct wlab_module *m = NULL;
	uint32_t features;
	int rc = 1;
	if (wlab_read_file(in, &bytes, &size, &err)) {
		fprintf(stderr, "%s: error: %s\n", in, err.message);
		return 1;
	}
	if (decode_any(bytes, size, &features, &m, &err)) {
		fprintf(stderr, "%s:0x%zx: error: %s\n", in, err.offset, err.message);
		goto done;
	}
	if (dump_only) {
		dump(stdout, m);
		rc = 0;
		goto done;
	}
	if (wlab_module_encode(m, &out, &osize, &err)) {
		fprintf(stderr, "%s:0x%zx: error: %s\n", in, err.offset, err.message);
		goto done;
	}
	if (write_file(outpath, out, osize)) {
		fprintf(stderr, "%s: error: cannot write\n", outpath);
		goto done;
	}
	rc = 0;
done:
	wlab_module_free(m);
	free(out);
	free(bytes);
	return rc;
}

static int usage(void)
{
	fprintf(stderr, "usage: wlab-reencode IN -o OUT\n"
		"       wlab-reencode --dump IN\n"
		"       wlab-reencode --check [--out-dir DIR] IN...\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *out_dir = NULL, *in = NULL;
	bool check = false, dump_only = false;
	int first_file = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			usage();
			return 0;
		} else if (strcmp(argv[i], "--check") == 0) {
			check = true;
		} else if (strcmp(argv[i], "--dump") == 0) {
			dump_only = true;
		} else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			out = argv[++i];
		} else if (strcmp(argv[i], "--out-dir") == 0 && i + 1 < argc) {
			out_dir = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage();
		} else {
			if (!first_file)
				first_file = i;
			in = argv[i];
		}
	}
	if (check) {
		int failed = 0;
		unsigned n = 0;
		if (!first_file)
			return usage();
		for (int i = first_file; i < argc; i++) {
			if (strcmp(argv[i], "--out-dir") == 0 || strcmp(argv[i], "-o") == 0) {
				i++;
				continue;
			}
			if (argv[i][0] == '-')
				continue;
			failed |= check_one(argv[i], out_dir, n++);
			fflush(stdout);
		}
		return failed;
	}
	if (!in || (!dump_only && !out))
		return usage();
	return reencode(in, out, dump_only);
}
