/* hostmods.c: the spectest host module for running modules (the print
 * functions print their arguments on stdout, one call per line, as
 * TYPE:VALUE separated by spaces), with the testsuite's globals (666,
 * 666.6), table (10..20 funcref) and memory (1..2 pages). */
#include <stdio.h>
#include <string.h>

#include "run.h"
#include "wlab.h"

static const struct {
	const char *name;
	wlab_valtype_t params[2];
	uint32_t n;
} prints[] = {
	{"print", {0}, 0},
	{"print_i32", {WLAB_I32}, 1},
	{"print_i64", {WLAB_I64}, 1},
	{"print_f32", {WLAB_F32}, 1},
	{"print_f64", {WLAB_F64}, 1},
	{"print_i32_f32", {WLAB_I32, WLAB_F32}, 2},
	{"print_f64_f64", {WLAB_F64, WLAB_F64}, 2},
};

/* ctx is the struct hostcall, whose type gives the params. */
static enum wlab_trap print_args(void *ctx, const uint64_t *args, uint64_t *results)
{
	const struct hostcall *h = ctx;
	char buf[64];
	(void)results;
	for (uint32_t i = 0; i < h->nparams; i++) {
		format_value(buf, sizeof buf, h->params[i], args);
		args += value_words(h->params[i]);
		printf("%s%s", i ? " " : "", buf);
	}
	putchar('\n');
	fflush(stdout);
	return WLAB_TRAP_NONE;
}

bool spectest_host_lookup(const char *field, const wlab_valtype_t **params, uint32_t *nparams,
			  wlab_host_fn *fn)
{
	for (size_t i = 0; i < sizeof prints / sizeof prints[0]; i++)
		if (!strcmp(field, prints[i].name)) {
			*params = prints[i].params;
			*nparams = prints[i].n;
			*fn = print_args;
			return true;
		}
	return false;
}

int spectest_host_extern(struct wlab_store *s, const char *field, uint8_t kind,
			 struct wlab_extern *out)
{
	static const struct {
		const char *name;
		wlab_valtype_t type;
	} globals[] = {
		{"global_i32", WLAB_I32}, {"global_i64", WLAB_I64},
		{"global_f32", WLAB_F32}, {"global_f64", WLAB_F64},
	};
	out->kind = kind;
	if (kind == WLAB_EXTERN_TABLE && !strcmp(field, "table"))
		return (out->u.table = wlab_table_new(s, WLAB_FUNCREF, 10, true, 20)) ? 0 : -1;
	if (kind == WLAB_EXTERN_TABLE && !strcmp(field, "table64"))
		return (out->u.table = wlab_table_new_limits(s, WLAB_FUNCREF, &(struct wlab_limits){
				.has_max = true, .is64 = true, .min = 10, .max = 20})) ? 0 : -1;
	if (kind == WLAB_EXTERN_MEMORY && !strcmp(field, "memory"))
		return (out->u.memory = wlab_memory_new(s, 1, true, 2)) ? 0 : -1;
	if (kind == WLAB_EXTERN_MEMORY && !strcmp(field, "shared_memory"))
		return (out->u.memory = wlab_shared_memory_new(s, 1, 2)) ? 0 : -1;
	for (size_t i = 0; kind == WLAB_EXTERN_GLOBAL && i < 4; i++) {
		if (strcmp(field, globals[i].name))
			continue;
		float f = 666.6f;
		double d = 666.6;
		uint32_t fb;
		uint64_t v = 666;
		memcpy(&fb, &f, 4);
		if (globals[i].type == WLAB_F32)
			v = fb;
		else if (globals[i].type == WLAB_F64)
			memcpy(&v, &d, 8);
		return (out->u.global = wlab_global_new(s, globals[i].type, false, v)) ? 0 : -1;
	}
	return -1;
}
