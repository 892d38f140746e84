/* main.c: wlab-run: calls an export of a module, or runs spec test scripts. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "wlab.h"
#include "wlab/runtime.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: wlab-run --invoke NAME [--max-memory BYTES] MODULE [ARGS...]\n"
		"       wlab-run --run-all-exports [--max-memory BYTES] MODULE\n"
		"       wlab-run [-v] --spectest FILE.json...\n");
}

void print_value(uint8_t type, uint64_t v)
{
	float f;
	double d;
	uint32_t u = (uint32_t)v;
	switch (type) {
	case WLAB_I32: printf("i32:%" PRIu32 "\n", u); break;
	case WLAB_I64: printf("i64:%" PRIu64 "\n", v); break;
	case WLAB_F32: memcpy(&f, &u, 4); printf("f32:%.9g\n", (double)f); break;
	case WLAB_F64: memcpy(&d, &v, 8); printf("f64:%.17g\n", d); break;
	default:
		if (v)
			printf("%s:0x%" PRIx64 "\n", wlab_valtype_name(type), v);
		else
			printf("%s:null\n", wlab_valtype_name(type));
		break;
	}
}

static int parse_arg(uint8_t type, const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	if (type == WLAB_F32) {
		float f = strtof(s, &end);
		uint32_t u;
		memcpy(&u, &f, 4);
		*out = u;
	} else if (type == WLAB_F64) {
		double d = strtod(s, &end);
		memcpy(out, &d, 8);
	} else if (s[0] == '-') {
		*out = (uint64_t)strtoll(s, &end, 0);
	} else {
		*out = strtoull(s, &end, 0);
	}
	if (type == WLAB_I32)
		*out = (uint32_t)*out;
	return *end || errno ? -1 : 0;
}

static int invoke(const char *name, uint64_t max_memory, const char *path, char **args,
		  int nargs, int all)
{
	struct wlab_error err = {0};
	struct wlab_module *m = NULL;
	struct wlab_store *s = NULL;
	struct wlab_instance *inst;
	struct wlab_extern ext;
	uint8_t *bytes = NULL;
	size_t size;
	uint64_t *vals = NULL;
	int rc = 1;
	enum wlab_trap trap;
	if (wlab_read_file(path, &bytes, &size, &err) ||
	    wlab_module_decode(bytes, size, NULL, &m, &err))
		goto fail;
	s = wlab_store_new(&(struct wlab_store_options){.max_memory = max_memory});
	if (s && all) {
		rc = run_all_exports(m, s);
		goto done;
	}
	if (!s || wlab_instantiate(s, m, &inst, &err, &trap))
		goto fail;
	if (!wlab_instance_export(inst, name, strlen(name), &ext) ||
	    ext.kind != WLAB_EXTERN_FUNC) {
		fprintf(stderr, "%s: no exported function %s\n", path, name);
		goto done;
	}
	const uint8_t *pt, *rt;
	uint32_t np, nr;
	wlab_func_type(ext.u.func, &pt, &np, &rt, &nr);
	if ((uint32_t)nargs != np) {
		fprintf(stderr, "%s: %s takes %u arguments\n", path, name, np);
		goto done;
	}
	vals = calloc((size_t)np + nr + 1, sizeof *vals);
	if (!vals)
		goto done;
	for (uint32_t i = 0; i < np; i++)
		if (parse_arg(pt[i], args[i], &vals[i])) {
			fprintf(stderr, "%s: bad argument %s\n", path, args[i]);
			goto done;
		}
	if (wlab_call(s, ext.u.func, vals, vals, &trap)) {
		fprintf(stderr, "%s: trap: %s\n", path, wlab_trap_message(trap));
		goto done;
	}
	for (uint32_t i = 0; i < nr; i++)
		print_value(rt[i], vals[i]);
	rc = 0;
	goto done;
fail:
	fprintf(stderr, "%s:0x%zx: error: %s\n", path, err.offset,
		err.message[0] ? err.message : "out of memory");
done:
	free(vals);
	wlab_store_free(s);
	wlab_module_free(m);
	free(bytes);
	return rc;
}

int main(int argc, char **argv)
{
	const char *name = NULL;
	uint64_t max_memory = 0;
	int i = 1, spectest = 0, verbose = 0, all = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--invoke") && i + 1 < argc)
			name = argv[++i];
		else if (!strcmp(argv[i], "--max-memory") && i + 1 < argc)
			max_memory = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--run-all-exports"))
			all = 1;
		else if (!strcmp(argv[i], "--spectest"))
			spectest = 1;
		else if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else {
			usage();
			return 2;
		}
	}
	if (spectest && i < argc)
		return spectest_run(argv + i, argc - i, max_memory, verbose) ? 1 : 0;
	if ((!name && !all) || i >= argc) {
		usage();
		return 2;
	}
	return invoke(name, max_memory, argv[i], argv + i + 1, argc - i - 1, all);
}
