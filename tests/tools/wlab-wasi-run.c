/* wlab-wasi-run.c: runs a WASI command with the libwasm API, for the wasi
 * test suite (wlab-run is the tool for people).
 *
 * Usage: wlab-wasi-run [--dir HOST::GUEST]... [--env KEY=VALUE]... MODULE [ARG]...
 * argv[0] of the guest is MODULE. Exit: the guest's proc_exit code, 0 when
 * _start returns, 134 on a trap, 1 when the module cannot be loaded. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wlab/module.h"
#include "wlab/runtime.h"
#include "wlab/wasi.h"

#define MAX_OPTS 64

static int fail(const char *path, const struct wlab_error *err)
{
	fprintf(stderr, "wlab-wasi-run: %s: %s\n", path, err->message);
	return 1;
}

static int run(const char *path, const struct wlab_wasi_options *wo)
{
	struct wlab_error err = {0};
	struct wlab_module *m = NULL;
	struct wlab_store *s = NULL;
	struct wlab_wasi *w = NULL;
	struct wlab_instance *inst;
	struct wlab_extern mem, start;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	uint8_t *bytes = NULL;
	size_t size;
	int rc = 1;

	if (wlab_read_file(path, &bytes, &size, &err) != WLAB_OK ||
	    wlab_module_decode(bytes, size, NULL, &m, &err) != WLAB_OK ||
	    !(w = wlab_wasi_new(wo, &err))) {
		rc = fail(path, &err);
		goto done;
	}
	if (!(s = wlab_store_new(NULL)) || wlab_wasi_define(s, w) != WLAB_OK) {
		fprintf(stderr, "wlab-wasi-run: out of memory\n");
		goto done;
	}
	if (wlab_instantiate(s, m, &inst, &err, &trap) != WLAB_OK) {
		rc = err.status == WLAB_TRAP ? 134 : 1;
		fail(path, &err);
		goto done;
	}
	if (!wlab_instance_export(inst, "memory", 6, &mem) || mem.kind != WLAB_EXTERN_MEMORY ||
	    !wlab_instance_export(inst, "_start", 6, &start) || start.kind != WLAB_EXTERN_FUNC) {
		fprintf(stderr, "wlab-wasi-run: %s: no exported memory and _start\n", path);
		goto done;
	}
	wlab_wasi_set_memory(w, mem.u.memory);
	if (wlab_call(s, start.u.func, NULL, NULL, &trap) == WLAB_OK) {
		rc = 0;
	} else if (trap == WLAB_TRAP_EXIT) {
		rc = (int)(wlab_wasi_exit_code(w) & 0xff);
	} else {
		fprintf(stderr, "wlab-wasi-run: %s: trap: %s\n", path, wlab_trap_message(trap));
		rc = 134;
	}
done:
	wlab_store_free(s);
	wlab_wasi_free(w);
	wlab_module_free(m);
	free(bytes);
	return rc;
}

int main(int argc, char **argv)
{
	struct wlab_wasi_preopen dirs[MAX_OPTS];
	char *env[MAX_OPTS];
	struct wlab_wasi_options wo = {.stdin_fd = 0, .stdout_fd = 1, .stderr_fd = 2,
				       .preopens = dirs, .env = env};
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		bool more = i + 1 < argc;
		if (strcmp(argv[i], "--dir") == 0 && more && wo.npreopens < MAX_OPTS) {
			char *sep = strstr(argv[++i], "::");
			dirs[wo.npreopens].host = argv[i];
			dirs[wo.npreopens].guest = argv[i];
			if (sep) {
				*sep = 0;
				dirs[wo.npreopens].guest = sep + 2;
			}
			wo.npreopens++;
		} else if (strcmp(argv[i], "--env") == 0 && more && wo.nenv < MAX_OPTS) {
			env[wo.nenv++] = argv[++i];
		} else {
			fprintf(stderr, "usage: wlab-wasi-run [--dir HOST::GUEST]... "
					"[--env KEY=VALUE]... MODULE [ARG]...\n");
			return 2;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "wlab-wasi-run: no module\n");
		return 2;
	}
	wo.argc = argc - i;
	wo.argv = argv + i;
	return run(argv[i], &wo);
}
