/* main.c: wlab-link, the import-linker: reads the inputs, asks libwasm to
 * fuse them (wlab/link.h), validates and writes the output. */
#include <stdlib.h>
#include <string.h>

#include "link.h"

static const char usage_text[] =
	"usage: wlab-link [options] [NAME=]FILE... -o OUT.wasm\n"
	"\n"
	"  Fuse WebAssembly modules that import from each other into one module.\n"
	"  Each input has a module name (NAME=FILE, else the file's base name without\n"
	"  .wasm). An import (M, F) where M names an input that exports F is resolved\n"
	"  to that export; other imports stay imports of the output.\n"
	"\n"
	"examples:\n"
	"  $ wlab-link hello.wasm imports=host.wasm -o linked.wasm\n"
	"  $ wlab-link --plan a.wasm b.wasm\n"
	"  $ wlab-link app.wasm --stub env.log=trap --emit-js glue.mjs -o app-linked.wasm\n"
	"\n"
	"options:\n"
	"  -o, --output=FILE            Write the linked module to FILE\n"
	"      --plan                   Dry run: print every import and what satisfies it\n"
	"      --json                   With --plan: print the plan as JSON (schema wlab-link-plan/1)\n"
	"      --stub=MOD.FIELD=KIND    Bake a stub in for an import no input provides:\n"
	"                               trap, zero, or const:TYPE:VALUE (i32 i64 f32 f64)\n"
	"      --rename-conflicts       Rename clashing export names to NAME.field (later inputs)\n"
	"      --multi-memory           Same as --enable-multi-memory (the default, as in\n"
	"                               WebAssembly 3.0; --disable-multi-memory: one memory at most)\n"
	"      --emit-js=FILE.mjs       Write JS glue for the imports that remain, and FILE.d.mts\n"
	"  -q, --quiet                  Do not print warnings\n"
	"      --help                   Print this help message\n"
	"      --version                Print version information\n"
	"\n"
	"exit status: 0 linked (or planned without errors), 1 a link error or an invalid\n"
	"input, 2 bad usage, 3 a file could not be read or written.\n";

struct args {
	const char *output, *emit_js;
	bool plan, json, quiet;
	struct wlab_link_options opts;
	uint32_t features;  /* --enable-X...: to decode and validate the inputs */
	struct wlab_link_stub *stubs;
	uint32_t nin;
	struct wlab_link_input *in;
	char **names;  /* owned */
};

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "wlab-link: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'wlab-link --help'.\n");
	return 2;
}

/* NAME=FILE or FILE (NAME: the base name without .wasm). */
static bool add_input(struct args *a, char *arg)
{
	char *eq = strchr(arg, '=');
	char *path = arg, *name;
	if (eq && eq != arg && !memchr(arg, '/', (size_t)(eq - arg))) {
		*eq = 0;
		name = strdup(arg);
		path = eq + 1;
	} else {
		const char *base = strrchr(arg, '/');
		base = base ? base + 1 : arg;
		name = strdup(base);
		size_t n = name ? strlen(name) : 0;
		if (n > 5 && strcmp(name + n - 5, ".wasm") == 0)
			name[n - 5] = 0;
	}
	if (!name)
		return false;
	a->in[a->nin].name = name;
	a->in[a->nin].path = path;
	a->names[a->nin] = name;
	a->nin++;
	return true;
}

static const char *opt_value(int argc, char **argv, int *i, const char *arg, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(arg, name, n) != 0)
		return NULL;
	if (arg[n] == '=')
		return arg + n + 1;
	if (arg[n] == 0 && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	char ebuf[512];
	a->features = wlab_features_default();
	a->in = calloc((size_t)argc, sizeof *a->in);
	a->names = calloc((size_t)argc, sizeof *a->names);
	a->stubs = calloc((size_t)argc, sizeof *a->stubs);
	if (!a->in || !a->names || !a->stubs)
		return usage_error("%s", "out of memory");
	for (int i = 1; i < argc; i++) {
		char *arg = argv[i];
		const char *v;
		int f = wlab_features_arg(arg, &a->features, ebuf, sizeof ebuf);
		if (f < 0)
			return usage_error("%s", ebuf);
		if (f > 0)
			continue;
		if (strcmp(arg, "--help") == 0) {
			fputs(usage_text, stdout);
			wlab_features_usage(stdout);
			exit(0);
		} else if (strcmp(arg, "--version") == 0) {
			printf("%s\n", WLAB_VERSION_STRING);
			exit(0);
		} else if (strcmp(arg, "--plan") == 0) {
			a->plan = true;
		} else if (strcmp(arg, "--json") == 0) {
			a->json = true;
		} else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
			a->quiet = true;
		} else if (strcmp(arg, "--rename-conflicts") == 0) {
			a->opts.flags |= WLAB_LINK_RENAME_CONFLICTS;
		} else if (strcmp(arg, "--multi-memory") == 0) {
			a->opts.flags |= WLAB_LINK_MULTI_MEMORY;
		} else if (strcmp(arg, "-o") == 0 && i + 1 < argc) {
			a->output = argv[++i];
		} else if ((v = opt_value(argc, argv, &i, arg, "--output"))) {
			a->output = v;
		} else if ((v = opt_value(argc, argv, &i, arg, "--emit-js"))) {
			a->emit_js = v;
		} else if ((v = opt_value(argc, argv, &i, arg, "--stub"))) {
			char *spec = (char *)v;
			if (!wlab_link_parse_stub(spec, &a->stubs[a->opts.nstubs], ebuf, sizeof ebuf))
				return usage_error("%s", ebuf);
			a->opts.nstubs++;
		} else if (arg[0] == '-' && arg[1]) {
			return usage_error("unknown or incomplete option '%s'", arg);
		} else if (!add_input(a, arg)) {
			return usage_error("%s", "out of memory");
		}
	}
	a->opts.stubs = a->stubs;
	if (a->nin == 0)
		return usage_error("%s", "no input files");
	if (!a->plan && !a->output)
		return usage_error("%s", "no output file: pass -o OUT.wasm (or --plan for a dry run)");
	if (a->json && !a->plan)
		return usage_error("%s", "--json goes with --plan");
	return 0;
}

/* Reads, decodes and validates one input. */
static int load(struct wlab_link_input *in, uint32_t features, uint8_t **bytes,
		struct wlab_module **m)
{
	struct wlab_error err = {0};
	struct wlab_decode_options dopts = {0};
	struct wlab_validate_options vopts = {0};
	size_t size;
	dopts.features = vopts.features = features;
	if (wlab_read_file(in->path, bytes, &size, &err) != WLAB_OK) {
		fprintf(stderr, "%s: error: %s\n", in->path, err.message);
		return 3;
	}
	if (wlab_module_decode(*bytes, size, &dopts, m, &err) != WLAB_OK) {
		fprintf(stderr, "%s:0x%zx: error: %s\n", in->path, err.offset, err.message);
		return 1;
	}
	struct wlab_validate_error verr;
	if (wlab_module_validate(*m, &vopts, &verr) != WLAB_OK) {
		fprintf(stderr, "%s:0x%zx: error: %s", in->path, verr.error.offset, verr.error.message);
		if (verr.func != UINT32_MAX)
			fprintf(stderr, " (in func[%u])", verr.func);
		fputc('\n', stderr);
		return 1;
	}
	in->module = *m;
	return 0;
}

static int write_file(const char *path, const uint8_t *bytes, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(bytes, 1, size, f) != size) {
		fprintf(stderr, "%s: error: cannot write\n", path);
		if (f)
			fclose(f);
		return 3;
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "%s: error: cannot write\n", path);
		return 3;
	}
	return 0;
}

static void print_link_error(const struct args *a, const struct wlab_link_error *err)
{
	const char *where = err->input != UINT32_MAX ? a->in[err->input].path : "wlab-link";
	const char *what = err->detail[0] ? err->detail : err->error.message;
	if (err->input != UINT32_MAX && err->error.offset)  /* where in that input */
		fprintf(stderr, "%s:0x%zx: error: %s\n", where, err->error.offset, what);
	else
		fprintf(stderr, "%s: error: %s\n", where, what);
}

/* Encodes the output, checks that it decodes and validates, writes it. */
static int emit(const struct args *a, const struct wlab_link_result *r)
{
	struct wlab_error err = {0};
	uint8_t *bytes = NULL;
	size_t size = 0;
	struct wlab_module *back = NULL;
	struct wlab_validate_error verr;
	struct wlab_decode_options dopts = {0};
	struct wlab_validate_options vopts = {0};
	int rc = 0;
	dopts.features = vopts.features = a->opts.features;
	if (wlab_module_encode(r->module, &bytes, &size, &err) != WLAB_OK) {
		fprintf(stderr, "%s: internal error: cannot encode the output: %s\n", a->output,
			err.message);
		return 1;
	}
	if (wlab_module_decode(bytes, size, &dopts, &back, &err) != WLAB_OK) {
		fprintf(stderr, "%s:0x%zx: internal error: the output does not decode: %s\n", a->output,
			err.offset, err.message);
		rc = 1;
	} else if (wlab_module_validate(back, &vopts, &verr) != WLAB_OK) {
		fprintf(stderr, "%s:0x%zx: internal error: the output does not validate: %s\n",
			a->output, verr.error.offset, verr.error.message);
		rc = 1;
	}
	if (!rc)
		rc = write_file(a->output, bytes, size);
	if (!rc && a->emit_js) {
		const char *base = strrchr(a->output, '/');
		if (!js_emit(a->emit_js, base ? base + 1 : a->output, back))
			rc = 3;
	}
	wlab_module_free(back);
	free(bytes);
	return rc;
}

int main(int argc, char **argv)
{
	struct args a = {0};
	int rc = parse_args(argc, argv, &a);
	uint8_t **bytes = calloc(a.nin + 1, sizeof *bytes);
	struct wlab_module **mods = calloc(a.nin + 1, sizeof *mods);
	struct wlab_link_result res = {0};
	struct wlab_link_error err;
	if (!rc && (!bytes || !mods))
		rc = 1;
	a.opts.features = a.features;
	if (a.opts.flags & WLAB_LINK_MULTI_MEMORY)
		a.opts.features |= WLAB_FEATURE_MULTI_MEMORY;
	for (uint32_t i = 0; i < a.nin && !rc; i++)
		rc = load(&a.in[i], a.opts.features, &bytes[i], &mods[i]);
	if (!rc) {
		enum wlab_status st = a.plan ? wlab_link_plan(a.in, a.nin, &a.opts, &res, &err)
					     : wlab_link(a.in, a.nin, &a.opts, &res, &err);
		if (!a.quiet)
			for (uint32_t w = 0; w < res.nwarnings; w++)
				fprintf(stderr, "wlab-link: warning: %s\n", res.warnings[w]);
		if (a.plan) {
			if (a.json)
				plan_print_json(stdout, a.in, a.nin, &a.opts, &res, st ? &err : NULL);
			else
				plan_print_table(stdout, a.in, a.nin, &a.opts, &res);
		}
		if (st != WLAB_OK) {
			print_link_error(&a, &err);
			rc = st == WLAB_IO ? 3 : 1;
		} else if (!a.plan) {
			rc = emit(&a, &res);
		}
	}
	wlab_link_result_free(&res);
	for (uint32_t i = 0; i < a.nin; i++) {
		if (mods)
			wlab_module_free(mods[i]);
		if (bytes)
			free(bytes[i]);
		free(a.names[i]);
	}
	free(mods);
	free(bytes);
	free(a.in);
	free(a.names);
	free(a.stubs);
	return rc;
}
