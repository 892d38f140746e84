/* wasi_cmd.c: the WASI host of a run: argv (the module, then its arguments
 * unless --invoke takes them), --env, --dir preopens, the host's stdio. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "wlab.h"

const struct wlab_wasi_func *wasi_lookup(const char *module, const char *name)
{
	return wlab_wasi_lookup_in(module, strlen(module), name, strlen(name));
}

int wasi_start(struct runner *r)
{
	const struct run_opts *o = r->o;
	int argc = 1 + (o->mode == MODE_COMMAND ? o->nargs : 0);
	char **argv = calloc((size_t)argc + 1, sizeof *argv);
	struct wlab_error err = {0};
	if (!argv) {
		fprintf(stderr, "wlab-run: out of memory\n");
		return EXIT_ERR;
	}
	argv[0] = (char *)o->module;
	for (int i = 1; i < argc; i++)
		argv[i] = o->args[i - 1];
	struct wlab_wasi_options wo = {
		.argc = argc,
		.argv = argv,
		.nenv = o->nenv,
		.env = o->env,
		.npreopens = o->ndirs,
		.preopens = o->dirs,
		.stdin_fd = 0,
		.stdout_fd = 1,
		.stderr_fd = 2,
	};
	r->wasi = wlab_wasi_new(&wo, &err);
	free(argv);
	if (!r->wasi) {
		fprintf(stderr, "wlab-run: WASI: %s\n", err.message[0] ? err.message : "out of memory");
		return EXIT_ERR;
	}
	return 0;
}

void wasi_set_memory(struct runner *r, struct rt_memory *mem)
{
	if (r->wasi && mem)
		wlab_wasi_set_memory(r->wasi, mem);
}

uint32_t wasi_exit_code(const struct runner *r)
{
	return r->wasi ? wlab_wasi_exit_code(r->wasi) : 0;
}

void wasi_free(struct runner *r)
{
	wlab_wasi_free(r->wasi);
	r->wasi = NULL;
}
