/* args.c: wlab-run's command line: options before the module, the rest for
 * the guest; --help and --version. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "wlab.h"

static const char usage_text[] =
	"usage: wlab-run [OPTIONS] MODULE [ARGS...]          run a WASI command (_start)\n"
	"       wlab-run [OPTIONS] --invoke NAME MODULE [ARGS...]   call an export\n"
	"       wlab-run --run-all-exports [OPTIONS] MODULE\n"
	"       wlab-run [--dummy-import-func] -r NAME [-a TYPE:VALUE]... [OPTIONS] MODULE\n"
	"       wlab-run --fuzzing-support [OPTIONS] MODULE\n"
	"       wlab-run [-v] --spectest FILE.wast|FILE.json...\n"
	"\n"
	"Options come before MODULE; what follows MODULE goes to the guest: its argv,\n"
	"or with --invoke the export's arguments, by its signature: 5, -1.5, 0x10;\n"
	"typed i32:5 i64:-1 f32:0.5 f64:1.5; v128 as 0xHEX or i32x4:1,2,3,4 (and the\n"
	"other shapes); str:TEXT gives (pointer, length) of TEXT copied into memory\n"
	"through the module's exported alloc(len) -> ptr.\n"
	"\n"
	"  --invoke NAME            call the export NAME, print its results one per line\n"
	"  --env KEY=VALUE          an environment variable for the WASI guest\n"
	"  --dir HOST[::GUEST]      preopen a host directory for the WASI guest\n"
	"  --link NAME=FILE         instantiate FILE first; its exports satisfy imports from NAME\n"
	"  --stub MOD.FIELD=POLICY  stub an import (FIELD * = every field of MOD)\n"
	"  --stub-default POLICY    the policy of other unprovided imports (default: trap)\n"
	"                           POLICY: log, trap, zero, const:TYPE:VALUE, str\n"
	"  --trace-imports          log every host and WASI call with arguments and results\n"
	"  --trace-format text|json text lines (default) or JSON lines\n"
	"  --trace-file FILE        write the trace to FILE instead of stderr\n"
	"  --fuel N                 trap with \"fuel exhausted\" after N units of work\n"
	"  --max-memory BYTES       cap all memories and tables together (K, M, G; default 4G)\n"
	"  --max-heap BYTES         cap the GC heap (structs, arrays; K, M, G; default 1G);\n"
	"                           garbage is collected before the cap traps\n"
	"  --gc-stress              collect GC objects at every allocation (finds missing\n"
	"                           roots; also WLAB_GC_STRESS=1 in the environment)\n"
	"  --max-stack FRAMES       cap the guest's call depth (default 100000)\n"
	"  --profile FILE           write a profile of the run to FILE: folded stacks\n"
	"                           (flamegraph.pl, inferno, speedscope) counted in --fuel's\n"
	"                           units (instructions), exact and deterministic\n"
	"  --profile-top N          print the N hottest functions (self, total) on stderr\n"
	"  --profile-clock CLOCK    what the profile counts: fuel (instructions, the default),\n"
	"                           cpu (samples of the process's CPU time) or wall (samples\n"
	"                           of wall-clock time, blocked host calls included)\n"
	"  --profile-interval MS    cpu, wall: a sample every MS milliseconds (default 1)\n"
	"  --coverage FILE          write an lcov tracefile of the source lines and functions\n"
	"                           run (from DWARF; genhtml makes an HTML report of it)\n"
	"  --timeout SECONDS        interrupt the guest after SECONDS of wall-clock time\n"
	"                           (trap \"interrupted\", exit 124)\n"
	"  --enable-F, --disable-F  turn a feature on or off; --features=SET: a whole set\n"
	"                           (every feature option is listed at the end)\n"
	"  --run-all-exports        call every export without params; prints what wasm-interp\n"
	"                           --run-all-exports --dummy-import-func prints (its\n"
	"                           --dummy-import-func and --host-print are accepted)\n"
	"  -r, --run-export NAME    call the export NAME with the -a arguments after it and\n"
	"                           print what wabt 1.0.39's wasm-interp -r NAME -a ... prints;\n"
	"                           repeatable (run in export order); function imports need\n"
	"                           --dummy-import-func (host.print: --host-print)\n"
	"  -a, --argument TYPE:VALUE  an argument of the -r before it: i32, i64 (unsigned,\n"
	"                           decimal or 0x), f32, f64; a param of another type gets\n"
	"                           its bits\n"
	"  --fuzzing-support        provide binaryen's fuzzing-support imports (log-*, sleep,\n"
	"                           call-export*, call-ref*, throw, table-get/set, the tags,\n"
	"                           externref globals) and run every export as wasm-opt\n"
	"                           --fuzz-exec-before does, printing what it prints\n"
	"  --spectest               run spec test scripts (.wast, or wast2json's .json)\n"
	"  --wasi                   accepted; WASI imports are always provided\n"
	"  --no-source              backtraces without source locations (DWARF, source maps)\n"
	"  --debug-file FILE        the main module's DWARF is in FILE (a wasm file with the\n"
	"                           .debug_* sections); else its own, or the file its\n"
	"                           external_debug_info section names, next to it\n"
	"  --source-map FILE        without DWARF: the main module's source map v3; else the\n"
	"                           file its sourceMappingURL section names\n"
	"  --no-demangle            backtraces with C++/Rust names as mangled\n"
	"  -q, --quiet              do not list stubbed imports\n"
	"  -v, --verbose            more detail (spectest: failing commands)\n"
	"  -h, --help               print this help\n"
	"      --version            print the version\n"
	"\n"
	"Stubs, traces and errors go to stderr; stdout is the guest's and the results'.\n"
	"Exit status: the WASI guest's exit code; 0 after --invoke; 1 when the module\n"
	"cannot be loaded or an argument is bad; 2 on a usage error; 134 on a trap\n"
	"(--run-all-exports and -r: wasm-interp's, 0 after a trap).\n";

/* A number with an optional K, M or G suffix (powers of 1024). */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-')
		return -1;
	unsigned long long v = strtoull(s, &end, 0);
	unsigned shift = 0;
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	if (shift)
		end++;
	if (errno || *end || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

int stub_policy_parse(const char *text, struct stub_policy *p)
{
	static const struct {
		const char *name;
		enum stub_kind kind;
	} simple[] = {
		{"log", STUB_LOG}, {"trap", STUB_TRAP}, {"zero", STUB_ZERO}, {"str", STUB_STR},
	};
	*p = (struct stub_policy){0};
	for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
		if (!strcmp(text, simple[i].name)) {
			p->kind = simple[i].kind;
			return 0;
		}
	if (!strncmp(text, "const:", 6)) {
		const char *t = text + 6, *colon = strchr(t, ':');
		char name[8], why[120];
		if (colon && (size_t)(colon - t) < sizeof name) {
			memcpy(name, t, (size_t)(colon - t));
			name[colon - t] = 0;
			p->type = wlab_valtype_by_name(name);
			if (p->type && p->type != WLAB_FUNCREF && p->type != WLAB_EXTERNREF &&
			    !parse_value(colon + 1, p->type, &p->value, why, sizeof why)) {
				p->kind = STUB_CONST;
				return 0;
			}
		}
		fprintf(stderr, "wlab-run: bad policy '%s': want const:TYPE:VALUE, "
				"TYPE one of i32, i64, f32, f64\n", text);
		return -1;
	}
	fprintf(stderr, "wlab-run: unknown policy '%s' (log, trap, zero, const:TYPE:VALUE, str)\n",
		text);
	return -1;
}

static int add_stub(struct run_opts *o, char *val)
{
	char *eq = strchr(val, '='), *dot = strchr(val, '.');
	if (!eq || !dot || dot > eq || dot == val || dot + 1 == eq) {
		fprintf(stderr, "wlab-run: bad --stub '%s': want MOD.FIELD=POLICY\n", val);
		return -1;
	}
	*eq = 0;
	*dot = 0;
	struct stub_rule *s = &o->stubs[o->nstubs];
	s->module = val;
	s->field = dot + 1;
	if (stub_policy_parse(eq + 1, &s->policy))
		return -1;
	o->nstubs++;
	return 0;
}

static int add_link(struct run_opts *o, char *val)
{
	char *eq = strchr(val, '=');
	if (!eq || eq == val || !eq[1]) {
		fprintf(stderr, "wlab-run: bad --link '%s': want NAME=FILE\n", val);
		return -1;
	}
	*eq = 0;
	o->links[o->nlinks++] = (struct link_opt){val, eq + 1};
	return 0;
}

static int add_dir(struct run_opts *o, char *val)
{
	char *sep = strstr(val, "::");
	if (!*val || (sep && (sep == val || !sep[2]))) {
		fprintf(stderr, "wlab-run: bad --dir '%s': want HOST[::GUEST]\n", val);
		return -1;
	}
	if (sep)
		*sep = 0;
	o->dirs[o->ndirs++] = (struct wlab_wasi_preopen){val, sep ? sep + 2 : val};
	return 0;
}

static int add_env(struct run_opts *o, char *val)
{
	if (!strchr(val, '=') || *val == '=') {
		fprintf(stderr, "wlab-run: bad --env '%s': want KEY=VALUE\n", val);
		return -1;
	}
	o->env[o->nenv++] = val;
	return 0;
}

/* Options that take a value; the value of "--opt=V" or the next word. */
static int with_value(struct run_opts *o, const char *name, char *val)
{
	uint64_t n;
	if (!strcmp(name, "invoke")) {
		o->mode = MODE_INVOKE;
		o->invoke = val;
	} else if (!strcmp(name, "env")) {
		return add_env(o, val);
	} else if (!strcmp(name, "dir")) {
		return add_dir(o, val);
	} else if (!strcmp(name, "link")) {
		return add_link(o, val);
	} else if (!strcmp(name, "stub")) {
		return add_stub(o, val);
	} else if (!strcmp(name, "stub-default")) {
		return stub_policy_parse(val, &o->stub_default);
	} else if (!strcmp(name, "trace-format")) {
		if (strcmp(val, "text") && strcmp(val, "json")) {
			fprintf(stderr, "wlab-run: --trace-format is text or json, not '%s'\n", val);
			return -1;
		}
		o->trace = val[0] == 'j' ? TRACE_JSON : TRACE_TEXT;
	} else if (!strcmp(name, "trace-file")) {
		o->trace_file = val;
	} else if (!strcmp(name, "debug-file")) {
		o->debug_file = val;
	} else if (!strcmp(name, "source-map")) {
		o->source_map = val;
	} else if (!strcmp(name, "profile")) {
		o->profile = val;
	} else if (!strcmp(name, "coverage")) {
		o->coverage = val;
	} else if (!strcmp(name, "profile-top")) {
		if (parse_size(val, &n) || n == 0 || n > UINT32_MAX) {
			fprintf(stderr, "wlab-run: bad number for --profile-top: '%s'\n", val);
			return -1;
		}
		o->profile_top = (uint32_t)n;
	} else if (!strcmp(name, "profile-clock")) {
		static const char *const clocks[] = {"fuel", "cpu", "wall"};
		for (int c = 0; c < 3; c++)
			if (!strcmp(val, clocks[c])) {
				o->profile_clock = (enum prof_clock)c;
				return 0;
			}
		fprintf(stderr, "wlab-run: --profile-clock is fuel, cpu or wall, not '%s'\n", val);
		return -1;
	} else if (!strcmp(name, "profile-interval")) {
		char *end;
		double ms = strtod(val, &end);
		if (end == val || *end || !(ms >= 0.001) || ms > 1e6) {
			fprintf(stderr, "wlab-run: bad number of milliseconds for --profile-interval: "
					"'%s' (0.001 to 1000000)\n", val);
			return -1;
		}
		o->profile_interval = ms;
	} else if (!strcmp(name, "timeout")) {
		char *end;
		double t = strtod(val, &end);
		if (end == val || *end || !(t > 0) || t > 1e9) {
			fprintf(stderr, "wlab-run: bad number for --timeout: '%s'\n", val);
			return -1;
		}
		o->timeout = t;
	} else if (!strcmp(name, "max-heap")) {
		if (parse_size(val, &n) || n == 0) {
			fprintf(stderr, "wlab-run: bad number for --%s: '%s'\n", name, val);
			return -1;
		}
		o->max_heap = n;
	} else if (!strcmp(name, "fuel") || !strcmp(name, "max-memory") ||
		   !strcmp(name, "max-stack")) {
		if (parse_size(val, &n) || (name[0] == 'f' && n == 0) ||
		    (name[4] == 's' && (n == 0 || n > UINT32_MAX))) {
			fprintf(stderr, "wlab-run: bad number for --%s: '%s'\n", name, val);
			return -1;
		}
		if (name[0] == 'f')
			o->fuel = n;
		else if (name[4] == 'm')
			o->max_memory = n;
		else
			o->max_stack = (uint32_t)n;
	}
	return 0;
}

static const char *const valued[] = {
	"invoke", "env", "dir", "link", "stub", "stub-default", "trace-format",
	"trace-file", "fuel", "max-memory", "max-heap", "max-stack", "debug-file", "source-map",
	"timeout", "profile", "profile-top", "profile-clock", "profile-interval", "coverage",
};

/* -r/--run-export NAME and -a/--argument TYPE:VALUE (val, or the next
 * word). A bad -a is refused as wasm-interp refuses it: its line on
 * stdout, exit 1; and ours, saying why, on stderr. */
static int export_option(struct run_opts *o, const char *name, int argc, char **argv, int *i,
			 char *val)
{
	if (!val) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "wlab-run: option '%s' needs a value\n", argv[*i]);
			return EXIT_USAGE;
		}
		val = argv[++*i];
	}
	if (name[0] == 'r') {
		o->execs[o->nexecs++] = val;
		return 0;
	}
	if (!o->nexecs) {
		printf("Cannot find a function execution for argument '%s'\n", val);
		fflush(stdout);
		fprintf(stderr, "wlab-run: -a/--argument '%s' comes before any -r/--run-export "
				"NAME: an argument belongs to the -r before it\n", val);
		return EXIT_ERR;
	}
	struct export_arg *a = &o->eargs[o->neargs++];
	*a = (struct export_arg){.text = val, .exec = o->nexecs - 1};
	int rc = export_arg_parse(a);
	if (rc < 0) {
		printf("Failed to parse argument '%s'\n", val);
		fflush(stdout);
		fprintf(stderr, "wlab-run: bad -a/--argument '%s': want TYPE:VALUE, TYPE one of "
				"i32, i64, f32, f64; integers unsigned, decimal or 0x hex, in range; "
				"floats finite (nan allowed)\n", val);
		return EXIT_ERR;
	}
	if (rc > 0)
		fprintf(stderr, "wlab-run: warning: -a/--argument '%s': TYPE is none of i32, i64, "
				"f32, f64; as in wasm-interp, the argument is zero\n", val);
	return 0;
}

/* One option at argv[*i]: 0, EXIT_USAGE, or -1 after --help/--version. */
static int option(struct run_opts *o, int argc, char **argv, int *i)
{
	char *arg = argv[*i];
	if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
		fputs(usage_text, stdout);
		wlab_features_usage(stdout);
		return -1;
	}
	char why[512];
	int f = wlab_features_arg(arg, &o->features, why, sizeof why);
	if (f) {
		if (f < 0)
			fprintf(stderr, "wlab-run: %s: %s\n", arg, why);
		return f < 0 ? EXIT_USAGE : 0;
	}
	if (!strcmp(arg, "--version")) {
		printf("wlab-run %s\n", WLAB_VERSION_STRING);
		return -1;
	}
	if (!strcmp(arg, "-v") || !strcmp(arg, "--verbose"))
		o->verbose = 1;
	else if (!strcmp(arg, "-q") || !strcmp(arg, "--quiet"))
		o->quiet = 1;
	else if (!strcmp(arg, "--no-source"))
		o->no_source = 1;
	else if (!strcmp(arg, "--no-demangle"))
		o->no_demangle = 1;
	else if (!strcmp(arg, "--wasi"))
		;  /* WASI is always on; accepted for scripts that say so */
	else if (!strcmp(arg, "--dummy-import-func"))
		o->dummy_imports = true;  /* --run-all-exports alone stubs them anyway */
	else if (!strcmp(arg, "--host-print"))
		o->host_print = true;
	else if (!strcmp(arg, "--run-all-exports")) {
		o->mode = MODE_ALL_EXPORTS;
		o->run_all = true;
	} else if (!strcmp(arg, "-r") || !strcmp(arg, "-a"))
		return export_option(o, arg[1] == 'r' ? "run-export" : "argument", argc, argv, i,
				     NULL);
	else if (!strncmp(arg, "--run-export", 12) && (!arg[12] || arg[12] == '='))
		return export_option(o, "run-export", argc, argv, i, arg[12] ? arg + 13 : NULL);
	else if (!strncmp(arg, "--argument", 10) && (!arg[10] || arg[10] == '='))
		return export_option(o, "argument", argc, argv, i, arg[10] ? arg + 11 : NULL);
	else if (!strcmp(arg, "--fuzzing-support"))
		o->mode = MODE_FUZZ_EXEC;
	else if (!strcmp(arg, "--gc-stress"))
		o->gc_stress = true;
	else if (!strcmp(arg, "--spectest"))
		o->mode = MODE_SPECTEST;
	else if (!strcmp(arg, "--trace-imports")) {
		if (o->trace == TRACE_OFF)
			o->trace = TRACE_TEXT;
	} else if (arg[0] == '-' && arg[1] == '-') {
		char *name = arg + 2, *eq = strchr(name, '='), *val = NULL;
		if (eq) {
			*eq = 0;
			val = eq + 1;
		}
		for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++) {
			if (strcmp(name, valued[k]))
				continue;
			if (!val) {
				if (*i + 1 >= argc) {
					fprintf(stderr, "wlab-run: option '--%s' needs a value\n",
						name);
					return EXIT_USAGE;
				}
				val = argv[++*i];
			}
			return with_value(o, name, val) ? EXIT_USAGE : 0;
		}
		if (eq)
			*eq = '=';
		fprintf(stderr, "wlab-run: unknown option '%s' (see --help)\n", arg);
		return EXIT_USAGE;
	} else {
		fprintf(stderr, "wlab-run: unknown option '%s' (see --help)\n", arg);
		return EXIT_USAGE;
	}
	return 0;
}

int run_opts_parse(struct run_opts *o, int argc, char **argv)
{
	size_t n = (size_t)argc + 1;
	*o = (struct run_opts){.features = wlab_features_default()};
	o->stub_default.kind = STUB_TRAP;
	const char *stress = getenv("WLAB_GC_STRESS");
	o->gc_stress = stress && *stress && strcmp(stress, "0");
	o->env = calloc(n, sizeof *o->env);
	o->dirs = calloc(n, sizeof *o->dirs);
	o->links = calloc(n, sizeof *o->links);
	o->stubs = calloc(n, sizeof *o->stubs);
	o->execs = calloc(n, sizeof *o->execs);
	o->eargs = calloc(n, sizeof *o->eargs);
	if (!o->env || !o->dirs || !o->links || !o->stubs || !o->execs || !o->eargs) {
		fprintf(stderr, "wlab-run: out of memory\n");
		return EXIT_ERR;
	}
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		int rc = option(o, argc, argv, &i);
		if (rc)
			return rc;
	}
	if (i >= argc) {
		fprintf(stderr, "wlab-run: no module given (see --help)\n");
		return EXIT_USAGE;
	}
	o->module = argv[i];
	o->args = argv + i + 1;
	o->nargs = argc - i - 1;
	if (o->nexecs && o->mode != MODE_COMMAND && o->mode != MODE_ALL_EXPORTS) {
		fprintf(stderr, "wlab-run: -r/--run-export goes with --run-all-exports or alone, "
				"not with --%s\n", o->mode == MODE_INVOKE ? "invoke NAME"
				: o->mode == MODE_SPECTEST ? "spectest" : "fuzzing-support");
		return EXIT_USAGE;
	}
	if (o->mode == MODE_SPECTEST && (o->nstubs || o->nlinks || o->ndirs || o->nenv)) {
		fprintf(stderr, "wlab-run: --stub, --link, --dir and --env go with running a module, "
				"not --spectest (a script's imports come from its own registered "
				"modules and spectest)\n");
		return EXIT_USAGE;
	}
	if (o->nexecs)
		o->mode = MODE_ALL_EXPORTS;
	if (o->nexecs && o->nargs)
		fprintf(stderr, "wlab-run: warning: %d argument%s after MODULE ignored: -r/--run-export "
				"takes its arguments from -a TYPE:VALUE\n", o->nargs, o->nargs > 1 ? "s" : "");
	if (o->trace == TRACE_OFF && o->trace_file)
		o->trace = TRACE_TEXT;
	if ((o->profile_clock || o->profile_interval) && !o->profile && !o->profile_top) {
		fprintf(stderr, "wlab-run: --profile-clock and --profile-interval need --profile or "
				"--profile-top\n");
		return EXIT_USAGE;
	}
	if (o->profile_interval && !o->profile_clock) {
		fprintf(stderr, "wlab-run: --profile-interval needs --profile-clock cpu or wall "
				"(fuel counts every instruction)\n");
		return EXIT_USAGE;
	}
	if (!o->profile_interval)
		o->profile_interval = 1;
	return 0;
}

void run_opts_free(struct run_opts *o)
{
	free(o->env);
	free(o->dirs);
	free(o->links);
	free(o->stubs);
	free(o->execs);
	free(o->eargs);
}
