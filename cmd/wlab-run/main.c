/* main.c: wlab-run: runs a WASI command, calls an export, or runs spec test
 * scripts. The parts: args.c (command line), runner.c (store and modules),
 * imports.c and stubs.c (who satisfies each import), trace.c, invoke.c,
 * trap.c, values.c, wasi_cmd.c, hostmods.c; spectest.c and allexports.c for
 * the testing modes. */
#include <stdio.h>
#include <stdlib.h>

#include "run.h"
#include "wlab.h"

/* --run-all-exports, -r/--run-export: the module alone, with its printing dummies. */
static int all_exports(const struct run_opts *o)
{
	struct wlab_error err = {0};
	struct wlab_module *m = NULL;
	struct wlab_store *s = NULL;
	uint8_t *bytes = NULL;
	size_t size;
	int rc = EXIT_ERR;
	if (wlab_read_file(o->module, &bytes, &size, &err) ||
	    wlab_module_decode(bytes, size, &(struct wlab_decode_options){.features = o->features},
			       &m, &err)) {
		fprintf(stderr, "%s:0x%zx: error: %s\n", o->module, err.offset, err.message);
		goto done;
	}
	s = wlab_store_new(&(struct wlab_store_options){.max_memory = o->max_memory,
							.max_heap = o->max_heap,
							.gc_stress = o->gc_stress,
							.features = o->features,
							.max_call_depth = o->max_stack,
							.fuel = o->fuel});
	timeout_watch(s);
	if (s) {
		rc = run_all_exports(m, s, o);  /* frees s */
		s = NULL;
	} else
		store_failed(o);
done:
	timeout_watch(NULL);
	wlab_store_free(s);
	wlab_module_free(m);
	free(bytes);
	return rc;
}

static int run(const struct run_opts *o)
{
	struct runner r;
	struct loaded *mod;
	int rc = runner_init(&r, o);
	if (!rc)
		rc = profile_start(&r);
	if (!rc && o->timeout)
		rc = timeout_start(r.store, o->timeout);
	for (int i = 0; !rc && i < o->nlinks; i++)
		rc = runner_load(&r, o->links[i].path, o->links[i].name, &mod);
	if (!rc)
		rc = runner_load(&r, o->module, NULL, &mod);
	for (int i = 0; !rc && i < o->nstubs; i++)
		if (!o->stubs[i].used)
			fprintf(stderr, "wlab-run: warning: --stub %s.%s matches no import to stub\n",
				o->stubs[i].module, o->stubs[i].field);
	if (!rc)
		rc = profile_run_start(&r);
	if (!rc)
		rc = o->mode == MODE_INVOKE ? run_invoke(&r) : run_command(&r);
	sampler_stop();
	timeout_stop();
	if (r.store) {
		int prc = profile_finish(&r), crc = coverage_finish(&r);
		if (!rc)
			rc = prc ? prc : crc;
	}
	runner_fini(&r);
	return rc;
}

/* --spectest, --run-all-exports, --fuzzing-support: one --timeout over
 * the whole run; each mode stops at its next command or export once the
 * time is up, and the run exits 124 as timeout(1) does. */
static int testing_mode(const struct run_opts *o)
{
	int rc = o->timeout ? timeout_start(NULL, o->timeout) : 0;
	if (rc)
		return rc;
	if (o->mode == MODE_SPECTEST)
		rc = spectest_run(o->args - 1, o->nargs + 1,
				  &(struct wlab_store_options){.max_memory = o->max_memory,
							       .max_heap = o->max_heap,
							       .gc_stress = o->gc_stress,
							       .features = o->features},
				  o->verbose) ? 1 : 0;
	else if (o->mode == MODE_ALL_EXPORTS)
		rc = all_exports(o);
	else
		rc = fuzz_exec(o);
	bool up = timeout_expired();
	timeout_stop();
	if (!up)
		return rc;
	fflush(stdout);
	fprintf(stderr, "wlab-run: --timeout %g: the time is up; the run stopped\n", o->timeout);
	return EXIT_TIMEOUT;
}

int main(int argc, char **argv)
{
	struct run_opts o;
	int rc = run_opts_parse(&o, argc, argv);
	if (rc < 0)  /* --help, --version */
		rc = 0;
	else if (!rc && (o.mode == MODE_SPECTEST || o.mode == MODE_ALL_EXPORTS ||
			 o.mode == MODE_FUZZ_EXEC))
		rc = testing_mode(&o);
	else if (!rc)
		rc = run(&o);
	run_opts_free(&o);
	return rc;
}
