/* stubs.c: what a stubbed import does: functions follow their policy (log,
 * trap, zero, const, str); globals, memories and tables are made from their
 * declared types and limits. */
#include <stdio.h>
#include <string.h>

#include "run.h"
#include "wlab.h"

/* The str policy: prints the (pointer, length) string of the call's memory. */
static enum wlab_trap print_str(const struct hostcall *h, const uint64_t *args)
{
	uint64_t size = 0, ptr = (uint32_t)args[0], len = (uint32_t)args[1];
	const uint8_t *data = h->mod->mem ? wlab_memory_data(h->mod->mem, &size) : NULL;
	if (!data) {
		fprintf(stderr, "wlab-run: %s.%s: the module has no memory to read a string from\n",
			h->module, h->field);
		return WLAB_TRAP_HOST;
	}
	if (ptr + len > size) {
		fprintf(stderr, "wlab-run: %s.%s: string at %llu, %llu bytes, is past the memory's "
				"%llu bytes\n", h->module, h->field, (unsigned long long)ptr,
			(unsigned long long)len, (unsigned long long)size);
		return WLAB_TRAP_MEMORY_OOB;
	}
	fwrite(data + ptr, 1, (size_t)len, stdout);
	fputc('\n', stdout);
	fflush(stdout);
	return WLAB_TRAP_NONE;
}

enum wlab_trap stub_call(struct hostcall *h, const uint64_t *args, uint64_t *results)
{
	memset(results, 0, values_words(h->results, h->nresults) * sizeof *results);
	switch (h->policy.kind) {
	case STUB_TRAP:
		fprintf(stderr, "wlab-run: %s.%s called: the stub traps (policy trap)\n",
			h->module, h->field);
		return WLAB_TRAP_HOST;
	case STUB_LOG:
		fprintf(stderr, "wlab-run: %s.%s", h->module, h->field);
		put_values(stderr, h->params, h->nparams, args);
		fputs(" -> ", stderr);
		put_values(stderr, h->results, h->nresults, results);
		fputc('\n', stderr);
		return WLAB_TRAP_NONE;
	case STUB_CONST:
		results[0] = h->policy.value;
		return WLAB_TRAP_NONE;
	case STUB_STR:
		return print_str(h, args);
	case STUB_ZERO:
		break;
	}
	return WLAB_TRAP_NONE;
}

int stub_extern(struct runner *r, const struct wlab_import *im, const uint32_t *type_ids,
		const struct stub_policy *p, struct wlab_extern *out)
{
	const struct wlab_limits *l = im->kind == WLAB_EXTERN_TABLE ? &im->u.table.limits
								    : &im->u.memory;
	out->kind = im->kind;
	switch (im->kind) {
	case WLAB_EXTERN_GLOBAL:
		out->u.global = wlab_global_new(r->store,
						wlab_store_valtype(type_ids, im->u.global.valtype),
						im->u.global.mut,
						p->kind == STUB_CONST ? p->value : 0);
		if (out->u.global)
			return 0;
		break;
	case WLAB_EXTERN_TABLE:
		if (l->min > UINT32_MAX)
			break;
		out->u.table = wlab_table_new_limits(
			r->store, wlab_store_valtype(type_ids, im->u.table.elemtype), l);
		if (out->u.table)
			return 0;
		break;
	case WLAB_EXTERN_MEMORY:
		if (l->min > 65536)
			break;
		out->u.memory = wlab_memory_new_limits(r->store, l);
		if (out->u.memory)
			return 0;
		break;
	default:
		break;
	}
	fprintf(stderr, "wlab-run: cannot make a stub %s of %llu %s for %.*s.%.*s "
			"(past a cap such as --max-memory, or out of memory)\n",
		wlab_extern_kind_name(im->kind), (unsigned long long)l->min,
		im->kind == WLAB_EXTERN_MEMORY ? "pages" : "elements", (int)im->module.len,
		(const char *)im->module.ptr, (int)im->field.len, (const char *)im->field.ptr);
	return -1;
}
