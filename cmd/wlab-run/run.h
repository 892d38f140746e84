/* run.h: wlab-run's parts: options, values, import providers and stubs,
 * tracing, the runner, the JSON reader and the spec test driver. */
#ifndef WLAB_RUN_H
#define WLAB_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wlab/module.h"
#include "wlab/runtime.h"
#include "wlab/wasi.h"

/* Exit codes (documented in docs/wlab-run.md and the man page). A WASI
 * command's own proc_exit code passes through unchanged. */
enum {
	EXIT_ERR = 1,     /* the module cannot be read, decoded, linked; a bad argument */
	EXIT_USAGE = 2,   /* a bad command line */
	EXIT_TRAP = 134,  /* the guest trapped (128 + SIGABRT, as wasmtime) */
	EXIT_TIMEOUT = 124,  /* --timeout passed (as timeout(1)) */
};

/* ---- options (args.c) ---- */

enum run_mode { MODE_COMMAND, MODE_INVOKE, MODE_ALL_EXPORTS, MODE_SPECTEST, MODE_FUZZ_EXEC };
enum trace_format { TRACE_OFF, TRACE_TEXT, TRACE_JSON };

/* --profile-clock: what the profile counts */
enum prof_clock { PROF_CLOCK_FUEL, PROF_CLOCK_CPU, PROF_CLOCK_WALL };

enum stub_kind { STUB_TRAP, STUB_LOG, STUB_ZERO, STUB_CONST, STUB_STR };

struct stub_policy {
	enum stub_kind kind;
	wlab_valtype_t type;    /* STUB_CONST: the value's type */
	uint64_t value;  /* STUB_CONST */
};

/* --stub MOD.FIELD=POLICY; field "*" matches every field of MOD. */
struct stub_rule {
	const char *module, *field;
	struct stub_policy policy;
	bool used;  /* some import got this stub */
};

/* -r/--run-export NAME, in command-line order; -a/--argument TYPE:VALUE
 * belongs to the -r before it. A value is a 128-bit slot as wasm-interp
 * keeps it: i32 and f32 in the low 32 bits, i64 and f64 in the low 64, an
 * unknown TYPE zero; a param of another type reads the slot's bits. */
struct export_arg {
	const char *text;
	uint64_t w[2];
	int exec;      /* the index of its -r */
	bool typed;    /* TYPE was i32, i64, f32 or f64 */
};

/* --link NAME=FILE */
struct link_opt {
	const char *name, *path;
};

struct run_opts {
	enum run_mode mode;
	const char *invoke;            /* --invoke NAME */
	bool run_all;                  /* --run-all-exports */
	const char **execs;            /* -r/--run-export NAME, in order */
	int nexecs;
	struct export_arg *eargs;      /* -a/--argument TYPE:VALUE, in order */
	int neargs;
	bool dummy_imports;            /* --dummy-import-func */
	bool host_print;               /* --host-print */
	uint64_t max_memory;           /* --max-memory; 0 = the runtime's default */
	uint64_t max_heap;             /* --max-heap; 0 = the runtime's default */
	bool gc_stress;                /* --gc-stress, or WLAB_GC_STRESS=1 */
	uint32_t max_stack;            /* --max-stack, in frames; 0 = default */
	uint64_t fuel;                 /* --fuel; 0 = none */
	double timeout;                /* --timeout, in seconds; 0 = none */
	uint32_t features;             /* --enable-F, --disable-F, --features=SET */
	int verbose, quiet;
	int no_source;                 /* --no-source: backtraces without DWARF lines */
	int no_demangle;               /* --no-demangle: mangled names as they are */
	const char *debug_file;        /* --debug-file FILE: the main module's DWARF */
	const char *source_map;        /* --source-map FILE: the main module's source map */
	const char *profile;           /* --profile FILE: folded stacks, in fuel units */
	uint32_t profile_top;          /* --profile-top N: the N hottest functions on stderr */
	enum prof_clock profile_clock; /* --profile-clock fuel|cpu|wall */
	double profile_interval;       /* --profile-interval MS: a sample every MS (cpu, wall) */
	const char *coverage;          /* --coverage FILE: an lcov tracefile */
	char **env;                    /* --env K=V */
	int nenv;
	struct wlab_wasi_preopen *dirs;  /* --dir HOST[::GUEST] */
	int ndirs;
	struct link_opt *links;
	int nlinks;
	struct stub_rule *stubs;
	int nstubs;
	struct stub_policy stub_default;  /* --stub-default; trap unless given */
	enum trace_format trace;
	const char *trace_file;        /* --trace-file; stderr when NULL */
	const char *module;            /* the module, or the first spectest file */
	char **args;                   /* what follows the module */
	int nargs;
};

/* Parses argv into o (which the caller frees with run_opts_free). Returns 0,
 * or an exit code: EXIT_USAGE after an error message, or -1 after --help or
 * --version (exit 0). */
int run_opts_parse(struct run_opts *o, int argc, char **argv);
void run_opts_free(struct run_opts *o);
/* POLICY text into p; -1 with a message on stderr when it is not one. */
int stub_policy_parse(const char *text, struct stub_policy *p);

/* Says why wlab_store_new failed: the stacks do not fit --max-memory, or
 * out of memory (runner.c). */
void store_failed(const struct run_opts *o);

/* ---- --timeout (timeout.c) ---- */

/* Arms a timer that interrupts s after seconds of wall-clock time (and
 * ends the process with EXIT_TIMEOUT a second later if the guest has not
 * stopped); 0, or EXIT_ERR after a message. s may be NULL (timeout_watch
 * names the store later). */
int timeout_start(struct wlab_store *s, double seconds);
/* Makes the timer interrupt s from now on (s may be NULL: none). */
void timeout_watch(struct wlab_store *s);
/* Disarms it (before reporting, so the report is never cut short). */
void timeout_stop(void);
/* Whether the time is up. */
bool timeout_expired(void);

/* ---- values (values.c) ---- */

/* Values are words as they cross the runtime API: one each, two for a
 * v128 (low half first). */
uint32_t value_words(wlab_valtype_t type);
uint32_t values_words(const wlab_valtype_t *types, uint32_t n);
/* TYPE:VALUE (i32:42, f64:2.5, funcref:null, v128:0x<32 hex digits>) into buf. */
void format_value(char *buf, size_t size, wlab_valtype_t type, const uint64_t *v);
/* The store GC references are read from, and the instance whose module's
 * type indices name their types (either may be NULL), for format_value. */
void values_gc(const struct wlab_store *s, const struct wlab_instance *inst);
/* Prints a value as TYPE:VALUE on its own line of stdout; with values_gc's
 * instance set, a struct or array with its fields and elements
 * (format_gc_object). */
void print_value(wlab_valtype_t type, const uint64_t *v);
/* TYPE:(struct T (i32 7) ...) or TYPE:(array T len N (i32 1 2 3)) for GC
 * object v of store s, T its type index in inst's module (gcprint.c):
 * bounded in depth, elements and size (at most size - 1 bytes, GC_LINE
 * for print_value), "..." where cut. False when v is no object. */
#define GC_LINE 4096
bool format_gc_object(char *buf, size_t size, const struct wlab_store *s,
		      const struct wlab_instance *inst, const char *type, uint64_t v);
/* "(i32:1, i64:2)" on f. */
void put_values(FILE *f, const wlab_valtype_t *types, uint32_t n, const uint64_t *v);
/* Writes {"type":"i32","value":42} (floats that are not finite, v128s and
 * references, as strings). */
void json_value(FILE *f, wlab_valtype_t type, const uint64_t *v);
/* One argument, bare ("5", "-1.5", "0x10", "null") or typed ("i64:-1"), as a
 * value of type (v128: 0x and 32 hex digits, or i32x4:1,2,3,4 and the other
 * shapes), into out (two words for a v128); -1 with a message in why when
 * it is not one. */
int parse_value(const char *s, wlab_valtype_t type, uint64_t *out, char *why, size_t whysize);
/* "(i32, i32) -> (i32)" into buf ("(i32) -> ()" when results is NULL). */
static inline void format_functype(char *buf, size_t size, const wlab_valtype_t *params,
				   uint32_t np, const wlab_valtype_t *results, uint32_t nr)
{
	static const wlab_valtype_t none[1];
	wlab_functype_str(params, np, results ? results : none, nr, buf, size);
}

/* ---- the runner (runner.c) ---- */

/* What a host function of wlab-run knows: the import it satisfies, where it
 * came from and how to behave. One per function import; freed with the runner. */
struct hostcall {
	struct runner *r;
	struct loaded *mod;            /* the importing module */
	char *module, *field;          /* NUL-terminated copies */
	const wlab_valtype_t *params, *results;
	uint32_t nparams, nresults;
	wlab_host_fn inner;            /* a provided function (WASI, spectest), or NULL */
	void *inner_ctx;
	bool is_stub;
	struct stub_policy policy;
	struct hostcall *next;
};

/* A module given on the command line, decoded and instantiated. */
struct loaded {
	const char *path;
	uint8_t *bytes;
	struct wlab_module *m;
	struct wlab_instance *inst;
	struct rt_memory *mem;  /* its memory 0 when known (imported or exported "memory") */
	bool uses_wasi;         /* imports WASI functions */
	uint32_t *type_ids;     /* its types' store ids, once a stub needed them */
};

struct runner {
	const struct run_opts *o;
	struct wlab_store *store;
	struct wlab_wasi *wasi;
	FILE *trace;
	struct loaded *mods;  /* the --link modules in order, then the main one */
	int nmods;
	struct hostcall *hosts;
	const struct hostcall *trapped;  /* the last host function that trapped */
};

int runner_init(struct runner *r, const struct run_opts *o);
void runner_fini(struct runner *r);
/* Reads, decodes, resolves the imports of (listing the stubs) and
 * instantiates one module into r->mods; registers it as name when name is
 * not NULL. Returns 0 or an exit code after a message. */
int runner_load(struct runner *r, const char *path, const char *name, struct loaded **out);
/* Prints "PATH: trap: MESSAGE" and the backtrace on stderr; returns EXIT_TRAP. */
int report_trap(const struct runner *r, const char *path, enum wlab_trap trap);
/* The exit code of a call of path's code that trapped: the WASI guest's
 * proc_exit code, or report_trap's. */
int call_trapped(const struct runner *r, const char *path, enum wlab_trap trap);

/* The name of function idx: from the name section, else an export's name
 * (trap.c). */
struct wlab_str func_name(const struct wlab_module *m, uint32_t idx);
#define NAME_MAX_LEN 1024
/* name (len bytes) demangled into buf when it is a C++ or Rust name and
 * --no-demangle is not given; else as it is. */
const char *shown_name(const struct runner *r, const char *name, size_t len, char *buf,
		       size_t size);

/* ---- --profile, --profile-top, --coverage (profile.c, coverage.c) ---- */

/* --profile-clock cpu|wall (sampler.c): a timer adds a sample to s's
 * profile every ms milliseconds of the clock; 0, or EXIT_ERR after a
 * message. sampler_stop stops it (none running: nothing). */
int sampler_start(struct wlab_store *s, enum prof_clock clock, double ms);
void sampler_stop(void);

/* Turns the store's profile on when asked; 0 or EXIT_ERR after a message. */
int profile_start(struct runner *r);
/* Starts --profile-clock's sampler for the run (nothing for fuel); 0 or
 * EXIT_ERR after a message. */
int profile_run_start(const struct runner *r);
/* Writes --profile's file and --profile-top's table; 0 or EXIT_ERR. */
int profile_finish(const struct runner *r);
/* Writes --coverage's lcov tracefile; 0 or EXIT_ERR. */
int coverage_finish(const struct runner *r);
/* Writes the report file path of option opt ("--profile") with write(ctx, f);
 * 0, or EXIT_ERR after a message naming the option, the file and the error. */
int report_write(const char *opt, const char *path, void (*write)(const void *ctx, FILE *f),
		 const void *ctx);

/* ---- imports (imports.c, stubs.c, trace.c, hostmods.c) ---- */

/* Defines, for each import of mod, the extern that satisfies it: WASI,
 * spectest, a --link module or a stub (each stub listed on stderr). */
int imports_resolve(struct runner *r, struct loaded *mod);
/* The stub of a table, memory or global import, made from its declared
 * type (type_ids: the store ids of its module's types). */
int stub_extern(struct runner *r, const struct wlab_import *im, const uint32_t *type_ids,
		const struct stub_policy *p, struct wlab_extern *out);
/* The host entry of every function of wlab-run: traces, then calls the
 * provided function or applies the stub policy. ctx is a struct hostcall. */
enum wlab_trap host_entry(void *ctx, const uint64_t *args, uint64_t *results);
enum wlab_trap stub_call(struct hostcall *h, const uint64_t *args, uint64_t *results);
/* The trace line of one host call, after it returned or trapped. */
void trace_line(const struct hostcall *h, const uint64_t *args, const uint64_t *results,
		enum wlab_trap trap);
/* The spectest host module's function called field, for run mode: the
 * print functions print their arguments on stdout. */
bool spectest_host_lookup(const char *field, const wlab_valtype_t **params, uint32_t *nparams,
			  wlab_host_fn *fn);
/* The spectest module's globals, table and memory. */
int spectest_host_extern(struct wlab_store *s, const char *field, uint8_t kind,
			 struct wlab_extern *out);

/* ---- WASI (wasi_cmd.c) ---- */

/* Creates r->wasi from the options: argv is the module and, without
 * --invoke, its arguments. Returns 0 or prints and returns EXIT_ERR. */
int wasi_start(struct runner *r);
/* The WASI function module.name (either snapshot's module), or NULL. */
const struct wlab_wasi_func *wasi_lookup(const char *module, const char *name);
void wasi_set_memory(struct runner *r, struct rt_memory *mem);
uint32_t wasi_exit_code(const struct runner *r);
void wasi_free(struct runner *r);

/* ---- modes (command.c, invoke.c) ---- */

int run_command(struct runner *r);
int run_invoke(struct runner *r);

/* ---- JSON, spec scripts, --run-all-exports ---- */

enum jkind { J_OBJECT, J_ARRAY, J_STRING, J_ATOM };

/* A JSON value; an object's or array's members are the child list. */
struct jnode {
	enum jkind kind;
	char *key;     /* as an object member */
	char *str;     /* strings and atoms (numbers, true, null) */
	size_t len;    /* of str, which may hold NUL bytes */
	struct jnode *child, *next;
};

struct jnode *json_parse(const char *text, size_t len);
void json_free(struct jnode *n);
const struct jnode *json_get(const struct jnode *obj, const char *key);
const char *json_str(const struct jnode *obj, const char *key);

struct wlab_script;
/* A wast2json script (its JSON text; module files beside file) as script
 * commands; *skipped counts the commands left out (text modules in any
 * command but assert_malformed). NULL when it cannot be read. */
struct wlab_script *json_script(const char *file, const char *text, size_t len,
				uint32_t features, int *skipped);

/* Runs the scripts (.wast, or wast2json's .json); prints FILE: passed/total
 * each, and a total. Returns the number of failed commands. */
int spectest_run(char **files, int nfiles, const struct wlab_store_options *so, int verbose);

/* Instantiates m with a printing dummy for every function import and calls
 * every export that takes no params, printing like wasm-interp's
 * --run-all-exports --dummy-import-func; then runs o's -r/--run-export
 * calls as wasm-interp 1.0.39's --run-export does (with them, function
 * imports are stubbed only with --dummy-import-func, or host.print with
 * --host-print, as there). Frees s (its instance refers to a copy of m made
 * here) and stops the timeout's watch of it. */
int run_all_exports(const struct wlab_module *m, struct wlab_store *s, const struct run_opts *o);
/* wasm-interp's -a TYPE:VALUE into a->w: 0, 1 when TYPE is none of i32,
 * i64, f32, f64 (the value is zero), -1 when the value is not one. */
int export_arg_parse(struct export_arg *a);
/* --fuzzing-support (fuzzexec.c): binaryen's fuzzing-support imports, every
 * export run as `wasm-opt --fuzz-exec-before` runs it. */
int fuzz_exec(const struct run_opts *o);

#endif
