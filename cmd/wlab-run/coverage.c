/* coverage.c: --coverage FILE writes an lcov tracefile (what Debian's
 * lcov and genhtml read) of the run: for every module with DWARF line
 * tables (wlab/debuginfo.h: its own, --debug-file's, external_debug_info),
 * each source line that has an instruction the interpreter runs, with how
 * many times its most-run instruction ran (0: never), and each function
 * with the line of its first instruction and how many times that ran. An
 * instruction's line is the innermost one of its address (wlab_debuginfo);
 * a fused instruction marks every instruction it stands for
 * (wlab_func_coverage). Functions without line information (a libc built
 * without -g) are left out. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "wlab.h"

struct cov_line {
	uint32_t file, line;
	uint64_t count;
};

struct cov_func {
	uint32_t file, line;
	char *name;
	uint64_t count;
};

struct cov {
	const struct runner *r;
	struct wlab_debuginfo *di;
	char **files;
	uint32_t nfiles, files_cap;
	struct cov_line *lines;
	size_t nlines, lines_cap;
	struct cov_func *funcs;
	uint32_t nfuncs, funcs_cap;
	bool nomem;
	/* the function being visited */
	bool first;        /* no line of it seen yet */
	struct cov_func fn;
};

static uint32_t file_id(struct cov *c, const char *path)
{
	for (uint32_t i = c->nfiles; i-- > 0;)
		if (!strcmp(c->files[i], path))
			return i;
	if (c->nfiles == c->files_cap) {
		uint32_t cap = c->files_cap ? c->files_cap * 2 : 16;
		char **f = realloc(c->files, cap * sizeof *f);
		if (!f)
			return c->nomem = true, UINT32_MAX;
		c->files = f, c->files_cap = cap;
	}
	if (!(c->files[c->nfiles] = strdup(path)))
		return c->nomem = true, UINT32_MAX;
	return c->nfiles++;
}

#define MAX_FRAMES 64

static void visit(void *ctx, uint32_t offset, uint64_t count)
{
	struct cov *c = ctx;
	struct wlab_source_loc loc[MAX_FRAMES];
	uint32_t n = wlab_debuginfo_lookup(c->di, offset, loc, MAX_FRAMES);
	if (!n || !loc[0].file || c->nomem)
		return;
	uint32_t file = file_id(c, loc[0].file);
	if (file == UINT32_MAX)
		return;
	if (c->nlines == c->lines_cap) {
		size_t cap = c->lines_cap ? c->lines_cap * 2 : 1024;
		struct cov_line *l = realloc(c->lines, cap * sizeof *l);
		if (!l) {
			c->nomem = true;
			return;
		}
		c->lines = l, c->lines_cap = cap;
	}
	c->lines[c->nlines++] = (struct cov_line){file, loc[0].line, count};
	if (c->first) {  /* the function: its subprogram (outermost frame) */
		const struct wlab_source_loc *out = &loc[n < MAX_FRAMES ? n - 1 : MAX_FRAMES - 1];
		c->first = false;
		c->fn.file = out->file ? file_id(c, out->file) : file;
		c->fn.line = out->line;
		c->fn.count = count;
		if (out->function) {
			char buf[NAME_MAX_LEN];
			c->fn.name = strdup(shown_name(c->r, out->function, strlen(out->function), buf,
						       sizeof buf));
		}
	}
}

static int cmp_line(const void *a, const void *b)
{
	const struct cov_line *x = a, *y = b;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* The functions and lines of one module, appended to c. */
static void cover_module(struct cov *c, const struct loaded *mod, bool main_mod)
{
	struct wlab_debuginfo_options o = {
		.module_path = mod->path,
		.debug_file = main_mod ? c->r->o->debug_file : NULL,
		.source_map = main_mod ? c->r->o->source_map : NULL,
	};
	c->di = wlab_debuginfo_new(mod->m, &o);
	if (!c->di || wlab_debuginfo_kind(c->di, NULL) == WLAB_DEBUGINFO_NONE)
		goto done;
	const struct wlab_module *m = mod->m;
	for (uint32_t i = 0; i < m->nfuncs && !c->nomem; i++) {
		uint32_t idx = m->nimported_funcs + i;
		c->first = true;
		c->fn = (struct cov_func){0};
		if (wlab_func_coverage(mod->inst, idx, visit, c)) {
			c->nomem = true;
			break;
		}
		if (c->first)
			continue;  /* no line information */
		if (!c->fn.name) {
			char buf[NAME_MAX_LEN];
			struct wlab_str name = func_name(m, idx);
			if (name.ptr)
				c->fn.name = strdup(shown_name(c->r, (const char *)name.ptr, name.len, buf,
							       sizeof buf));
			else if (snprintf(buf, sizeof buf, "func[%u]", idx) > 0)
				c->fn.name = strdup(buf);
		}
		if (c->nfuncs == c->funcs_cap) {
			uint32_t cap = c->funcs_cap ? c->funcs_cap * 2 : 64;
			struct cov_func *f = realloc(c->funcs, cap * sizeof *f);
			if (!f) {
				free(c->fn.name);
				c->nomem = true;
				break;
			}
			c->funcs = f, c->funcs_cap = cap;
		}
		if (!c->fn.name)
			c->nomem = true;
		c->funcs[c->nfuncs++] = c->fn;
	}
done:
	wlab_debuginfo_free(c->di);
	c->di = NULL;
}

static void write_lcov(const void *ctx, FILE *f)
{
	const struct cov *c = ctx;
	qsort(c->lines, c->nlines, sizeof *c->lines, cmp_line);
	fprintf(f, "TN:\n");
	for (uint32_t file = 0; file < c->nfiles; file++) {
		fprintf(f, "SF:%s\n", c->files[file]);
		uint32_t fnf = 0, fnh = 0, lf = 0, lh = 0;
		for (uint32_t k = 0; k < c->nfuncs; k++)
			if (c->funcs[k].file == file)
				fprintf(f, "FN:%u,%s\n", c->funcs[k].line, c->funcs[k].name);
		for (uint32_t k = 0; k < c->nfuncs; k++)
			if (c->funcs[k].file == file) {
				fprintf(f, "FNDA:%llu,%s\n", (unsigned long long)c->funcs[k].count,
					c->funcs[k].name);
				fnf++, fnh += c->funcs[k].count > 0;
			}
		fprintf(f, "FNF:%u\nFNH:%u\n", fnf, fnh);
		for (size_t k = 0; k < c->nlines;) {
			if (c->lines[k].file != file) {
				k++;
				continue;
			}
			uint64_t count = 0;
			size_t j = k;
			for (; j < c->nlines && c->lines[j].file == file &&
			       c->lines[j].line == c->lines[k].line; j++)
				if (c->lines[j].count > count)
					count = c->lines[j].count;
			if (c->lines[k].line) {  /* line 0: no source line (compiler-made code) */
				fprintf(f, "DA:%u,%llu\n", c->lines[k].line, (unsigned long long)count);
				lf++, lh += count > 0;
			}
			k = j;
		}
		fprintf(f, "LF:%u\nLH:%u\nend_of_record\n", lf, lh);
	}
}

int coverage_finish(const struct runner *r)
{
	const struct run_opts *o = r->o;
	if (!o->coverage)
		return 0;
	struct cov c = {.r = r};
	int rc = 0;
	for (int i = 0; i < r->nmods; i++)
		if (r->mods[i].inst)
			cover_module(&c, &r->mods[i], i == r->nmods - 1);
	if (c.nomem) {
		fprintf(stderr, "wlab-run: out of memory writing --coverage\n");
		rc = EXIT_ERR;
		goto done;
	}
	rc = report_write("--coverage", o->coverage, write_lcov, &c);
	if (!rc && !c.nfiles)
		fprintf(stderr, "wlab-run: warning: --coverage: no module has DWARF line "
				"information (build with -g)\n");
done:
	for (uint32_t k = 0; k < c.nfuncs; k++)
		free(c.funcs[k].name);
	for (uint32_t k = 0; k < c.nfiles; k++)
		free(c.files[k]);
	free(c.funcs);
	free(c.files);
	free(c.lines);
	return rc;
}
