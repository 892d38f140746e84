/* profile.c: --profile FILE writes the store's profile (wlab_store_profile)
 * as folded stacks, one line per call stack that ran code, outermost
 * function first, then its count of fuel units (instructions, and the
 * work units --fuel charges), which flamegraph.pl, inferno and speedscope
 * read:
 *     _start;main;fib 12345
 * Function names as in backtraces (demangled unless --no-demangle; func[N]
 * when unnamed; ';' in a name shown as ','). --profile-top N prints the N
 * functions with the most units on stderr: self (on top of the stack) and
 * total (anywhere in it, recursion counted once). The counts sum to the
 * fuel the run used: exact and the same every run. With --profile-clock
 * cpu|wall the counts are samples instead (sampler.c), taken every
 * --profile-interval ms; those left when the run ends are the root's,
 * "(host)". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "wlab.h"

int profile_start(struct runner *r)
{
	const struct run_opts *o = r->o;
	if ((o->coverage && wlab_store_coverage(r->store)) ||
	    ((o->profile || o->profile_top) &&
	     (o->profile_clock ? wlab_store_profile_sampled(r->store)
			       : wlab_store_profile(r->store)))) {
		fprintf(stderr, "wlab-run: out of memory for --profile or --coverage\n");
		return EXIT_ERR;
	}
	return 0;
}

int profile_run_start(const struct runner *r)
{
	const struct run_opts *o = r->o;
	if ((!o->profile && !o->profile_top) || !o->profile_clock)
		return 0;
	return sampler_start(r->store, o->profile_clock, o->profile_interval);
}

/* The profile's nodes with what printing needs. */
struct prof {
	const struct wlab_profile_node *nodes;
	uint32_t n, nfuncs;
	uint32_t *fid;           /* per node: its function's id (the root's: 0) */
	char **fname;            /* per function id: its shown name */
	uint32_t *first, *next;  /* per node: first child, next sibling (0: none) */
	uint64_t *sum;           /* per node: its own units and its descendants' */
	uint64_t *self, *total;  /* per function id */
};

static const struct wlab_profile_node *sort_nodes;

static int cmp_func(const void *a, const void *b)
{
	const struct wlab_profile_node *x = &sort_nodes[*(const uint32_t *)a];
	const struct wlab_profile_node *y = &sort_nodes[*(const uint32_t *)b];
	if (x->inst != y->inst)
		return (uintptr_t)x->inst < (uintptr_t)y->inst ? -1 : 1;
	if (x->func != y->func)
		return x->func < y->func ? -1 : 1;
	return 0;
}

static char *node_name(const struct runner *r, const struct wlab_profile_node *nd)
{
	char buf[NAME_MAX_LEN], out[NAME_MAX_LEN + 32];
	if (!nd->inst) {
		snprintf(out, sizeof out, "(host)");
	} else {
		const struct wlab_module *m = wlab_instance_module(nd->inst);
		struct wlab_str name = func_name(m, nd->func);
		if (name.ptr)
			snprintf(out, sizeof out, "%s",
				 shown_name(r, (const char *)name.ptr, name.len, buf, sizeof buf));
		else
			snprintf(out, sizeof out, "func[%u]", nd->func);
	}
	for (char *c = out; *c; c++)
		if (*c == ';' || *c == '\n')
			*c = ',';
	return strdup(out);
}

static void prof_free(struct prof *p)
{
	for (uint32_t f = 0; p->fname && f < p->nfuncs; f++)
		free(p->fname[f]);
	free(p->fname);
	free(p->fid);
	free(p->first);
	free(p->next);
	free(p->sum);
	free(p->self);
	free(p->total);
}

/* Fills p from the store's profile; -1 when out of memory. */
static int prof_build(const struct runner *r, struct prof *p)
{
	bool lost;
	p->nodes = wlab_store_profile_nodes(r->store, &p->n, &lost);
	if (lost)
		fprintf(stderr, "wlab-run: warning: out of memory while profiling: some calls "
				"are counted to their callers\n");
	uint32_t n = p->n;
	uint32_t *order = malloc(n * sizeof *order);
	p->fid = calloc(n, sizeof *p->fid);
	p->fname = calloc(n, sizeof *p->fname);
	p->first = calloc(n, sizeof *p->first);
	p->next = calloc(n, sizeof *p->next);
	p->sum = calloc(n, sizeof *p->sum);
	p->self = calloc(n, sizeof *p->self);
	p->total = calloc(n, sizeof *p->total);
	uint32_t *onstack = calloc(n, sizeof *onstack), *stack = malloc(n * sizeof *stack);
	int rc = -1;
	if (!order || !p->fid || !p->fname || !p->first || !p->next || !p->sum || !p->self ||
	    !p->total || !onstack || !stack)
		goto done;
	/* function ids: the root's 0, then one per (instance, index) */
	for (uint32_t i = 0; i < n; i++)
		order[i] = i;
	sort_nodes = p->nodes;
	qsort(order + 1, n - 1, sizeof *order, cmp_func);
	p->fname[0] = node_name(r, &p->nodes[0]);
	p->nfuncs = 1;
	for (uint32_t k = 1; k < n; k++) {
		if (k == 1 || cmp_func(&order[k - 1], &order[k]))
			p->fname[p->nfuncs++] = node_name(r, &p->nodes[order[k]]);
		p->fid[order[k]] = p->nfuncs - 1;
	}
	for (uint32_t f = 0; f < p->nfuncs; f++)
		if (!p->fname[f])
			goto done;
	/* children (parents come first, so a reverse walk links them in order) */
	for (uint32_t i = n; i-- > 1;) {
		uint32_t up = p->nodes[i].parent;
		p->next[i] = p->first[up];
		p->first[up] = i;
	}
	for (uint32_t i = 0; i < n; i++)
		p->sum[i] = p->nodes[i].self, p->self[p->fid[i]] += p->nodes[i].self;
	for (uint32_t i = n; i-- > 1;)
		p->sum[p->nodes[i].parent] += p->sum[i];
	/* totals: a node's sum counts for its function unless an ancestor's
	 * node counted it already (recursion) */
	p->total[0] = p->sum[0];
	uint32_t depth = 0, at = p->first[0];
	while (at) {  /* pre-order; stack holds the path to at */
		stack[depth++] = at;
		if (!onstack[p->fid[at]]++)
			p->total[p->fid[at]] += p->sum[at];
		if (p->first[at]) {
			at = p->first[at];
			continue;
		}
		for (at = 0; depth && !at;) {
			uint32_t top = stack[--depth];
			onstack[p->fid[top]]--;
			at = p->next[top];
		}
	}
	rc = 0;
done:
	free(order);
	free(onstack);
	free(stack);
	return rc;
}

/* Every stack with units of its own, in a pre-order walk. */
static void write_folded(const void *ctx, FILE *f)
{
	const struct prof *p = ctx;
	if (p->nodes[0].self)
		fprintf(f, "%s %llu\n", p->fname[0], (unsigned long long)p->nodes[0].self);
	uint32_t *path = malloc(p->n * sizeof *path);
	if (!path)
		return;
	uint32_t depth = 0, at = p->first[0];
	while (at) {
		path[depth++] = at;
		if (p->nodes[at].self) {
			for (uint32_t d = 0; d < depth; d++)
				fprintf(f, "%s%s", d ? ";" : "", p->fname[p->fid[path[d]]]);
			fprintf(f, " %llu\n", (unsigned long long)p->nodes[at].self);
		}
		if (p->first[at]) {
			at = p->first[at];
			continue;
		}
		while (depth && !p->next[path[depth - 1]])
			depth--;
		at = depth ? p->next[path[--depth]] : 0;
	}
	free(path);
}

static const struct prof *top_prof;

static int cmp_self(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint64_t sx = top_prof->self[x], sy = top_prof->self[y];
	if (sx != sy)
		return sx > sy ? -1 : 1;
	if (top_prof->total[x] != top_prof->total[y])
		return top_prof->total[x] > top_prof->total[y] ? -1 : 1;
	return strcmp(top_prof->fname[x], top_prof->fname[y]);
}

static void write_top(const struct run_opts *o, const struct prof *p, uint32_t max)
{
	uint32_t *ids = malloc(p->nfuncs * sizeof *ids), n = 0;
	if (!ids)
		return;
	uint64_t all = p->sum[0];
	for (uint32_t f = 0; f < p->nfuncs; f++)
		if (p->self[f] || f)
			ids[n++] = f;
	top_prof = p;
	qsort(ids, n, sizeof *ids, cmp_self);
	if (o->profile_clock)
		fprintf(stderr, "wlab-run: profile: %llu samples, one every %g ms of %s time; "
				"the %u hottest functions by self:\n", (unsigned long long)all,
			o->profile_interval, o->profile_clock == PROF_CLOCK_CPU ? "CPU" : "wall-clock",
			max < n ? max : n);
	else
		fprintf(stderr, "wlab-run: profile: %llu units; the %u hottest functions by self:\n",
			(unsigned long long)all, max < n ? max : n);
	fprintf(stderr, "%14s %6s %14s %6s  %s\n", "self", "%", "total", "%", "function");
	for (uint32_t k = 0; k < n && k < max; k++) {
		uint32_t f = ids[k];
		fprintf(stderr, "%14llu %5.1f%% %14llu %5.1f%%  %s\n",
			(unsigned long long)p->self[f], all ? 100.0 * (double)p->self[f] / (double)all : 0,
			(unsigned long long)p->total[f], all ? 100.0 * (double)p->total[f] / (double)all : 0,
			p->fname[f]);
	}
	free(ids);
}

int report_write(const char *opt, const char *path, void (*write)(const void *ctx, FILE *f),
		 const void *ctx)
{
	FILE *f = fopen(path, "w");
	if (f)
		write(ctx, f);
	if (!f || fclose(f)) {
		fprintf(stderr, "wlab-run: %s %s: %s\n", opt, path, strerror(errno));
		return EXIT_ERR;
	}
	return 0;
}

int profile_finish(const struct runner *r)
{
	const struct run_opts *o = r->o;
	if (!o->profile && !o->profile_top)
		return 0;
	struct prof p = {0};
	int rc = 0;
	sampler_stop();
	wlab_store_profile_flush(r->store);  /* samples after the guest's last instruction */
	if (prof_build(r, &p)) {
		fprintf(stderr, "wlab-run: out of memory writing the profile\n");
		rc = EXIT_ERR;
		goto done;
	}
	if (o->profile && (rc = report_write("--profile", o->profile, write_folded, &p)))
		goto done;
	if (o->profile_top)
		write_top(o, &p, o->profile_top);
done:
	prof_free(&p);
	return rc;
}
