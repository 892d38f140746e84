/* runner.c: the store and the modules of one wlab-run: read, decode,
 * resolve imports, instantiate, register --link modules. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "wlab.h"

void store_failed(const struct run_opts *o)
{
	if (o->max_memory)
		fprintf(stderr, "wlab-run: the call and value stacks do not fit --max-memory %llu "
			"(or out of memory); a smaller --max-stack may\n",
			(unsigned long long)o->max_memory);
	else
		fprintf(stderr, "wlab-run: out of memory\n");
}

int runner_init(struct runner *r, const struct run_opts *o)
{
	*r = (struct runner){.o = o, .trace = stderr};
	struct wlab_store_options so = {
		.max_memory = o->max_memory,
		.max_heap = o->max_heap,
		.gc_stress = o->gc_stress,
		.max_call_depth = o->max_stack,
		.fuel = o->fuel,
		.features = o->features,
	};
	r->mods = calloc((size_t)o->nlinks + 1, sizeof *r->mods);
	r->store = wlab_store_new(&so);
	values_gc(r->store, NULL);
	if (!r->mods || !r->store) {
		store_failed(o);
		return EXIT_ERR;
	}
	if (o->trace_file && !(r->trace = fopen(o->trace_file, "w"))) {
		r->trace = stderr;
		fprintf(stderr, "wlab-run: --trace-file %s: %s\n", o->trace_file, strerror(errno));
		return EXIT_ERR;
	}
	return 0;
}

void runner_fini(struct runner *r)
{
	wlab_store_free(r->store);
	wasi_free(r);
	for (int i = 0; i < r->nmods; i++) {
		wlab_module_free(r->mods[i].m);
		free(r->mods[i].type_ids);
		free(r->mods[i].bytes);
	}
	free(r->mods);
	while (r->hosts) {
		struct hostcall *next = r->hosts->next;
		free(r->hosts->module);
		free(r->hosts->field);
		free(r->hosts);
		r->hosts = next;
	}
	if (r->trace && r->trace != stderr)
		fclose(r->trace);
}

static int load_error(const char *path, const struct wlab_error *err)
{
	const char *msg = err->message[0] ? err->message : "out of memory";
	if (err->status == WLAB_IO)
		fprintf(stderr, "%s: error: %s\n", path, msg);
	else
		fprintf(stderr, "%s:0x%zx: error: %s\n", path, err->offset, msg);
	return EXIT_ERR;
}

int runner_load(struct runner *r, const char *path, const char *name, struct loaded **out)
{
	struct wlab_error err = {0};
	enum wlab_trap trap = WLAB_TRAP_NONE;
	struct loaded *mod = &r->mods[r->nmods++];
	*mod = (struct loaded){.path = path};
	size_t size = 0;
	if (wlab_read_file(path, &mod->bytes, &size, &err) ||
	    wlab_module_decode(mod->bytes, size,
			       &(struct wlab_decode_options){.features = r->o->features}, &mod->m,
			       &err))
		return load_error(path, &err);
	/* Validate before resolving imports: the stubs read m->types[] with each
	 * import's type index, which only validation bounds. */
	struct wlab_validate_error verr;
	struct wlab_validate_options vopts = {.features = r->o->features};
	if (wlab_module_validate(mod->m, &vopts, &verr))
		return load_error(path, &verr.error);
	int rc = imports_resolve(r, mod);
	if (rc)
		return rc;
	if (mod->uses_wasi)
		wasi_set_memory(r, mod->mem);
	/* validated above with the store's features (runner_init): once is enough */
	enum wlab_status st = wlab_instantiate_validated(r->store, mod->m, &mod->inst, &err, &trap);
	if (st == WLAB_TRAP)
		return call_trapped(r, path, trap);
	if (st)
		return load_error(path, &err);
	struct wlab_extern mem;
	if (wlab_instance_export(mod->inst, "memory", 6, &mem) && mem.kind == WLAB_EXTERN_MEMORY)
		mod->mem = mem.u.memory;
	if (mod->uses_wasi)
		wasi_set_memory(r, mod->mem);
	if (name && wlab_store_register(r->store, name, mod->inst)) {
		fprintf(stderr, "wlab-run: out of memory\n");
		return EXIT_ERR;
	}
	*out = mod;
	return 0;
}
