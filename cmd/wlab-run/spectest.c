/* spectest.c: runs wast2json scripts: modules, registrations, actions and
 * assertions, against the spectest host module; counts like spectest-interp. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "wlab.h"
#include "wlab/runtime.h"

#define MAX_VALUES 1024

struct named {
	char *name;
	struct wlab_instance *inst;
};

/* One script's state: its store, the modules it loaded and their names. */
struct script {
	const char *dir;
	uint64_t max_memory;
	int verbose;
	const char *file;
	struct wlab_store *store;
	struct wlab_instance *current;
	struct named names[256];
	int nnames;
	struct wlab_module *modules[4096];
	uint8_t *bytes[4096];
	int nmodules;
};

static enum wlab_trap host_nop(void *ctx, const uint64_t *args, uint64_t *results)
{
	(void)ctx, (void)args, (void)results;
	return WLAB_TRAP_NONE;
}

static int define_spectest(struct wlab_store *s)
{
	static const struct {
		const char *name;
		uint8_t params[2];
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
	struct wlab_extern x;
	for (size_t i = 0; i < sizeof prints / sizeof prints[0]; i++) {
		x.kind = WLAB_EXTERN_FUNC;
		x.u.func = wlab_host_func_new(s, prints[i].params, prints[i].n, NULL, 0, host_nop,
					      NULL);
		if (!x.u.func || wlab_store_define(s, "spectest", prints[i].name, x))
			return -1;
	}
	float f = 666.6f;
	double d = 666.6;
	uint32_t fb;
	uint64_t db;
	memcpy(&fb, &f, 4);
	memcpy(&db, &d, 8);
	x.kind = WLAB_EXTERN_GLOBAL;
	x.u.global = wlab_global_new(s, WLAB_I32, false, 666);
	if (!x.u.global || wlab_store_define(s, "spectest", "global_i32", x))
		return -1;
	x.u.global = wlab_global_new(s, WLAB_I64, false, 666);
	if (!x.u.global || wlab_store_define(s, "spectest", "global_i64", x))
		return -1;
	x.u.global = wlab_global_new(s, WLAB_F32, false, fb);
	if (!x.u.global || wlab_store_define(s, "spectest", "global_f32", x))
		return -1;
	x.u.global = wlab_global_new(s, WLAB_F64, false, db);
	if (!x.u.global || wlab_store_define(s, "spectest", "global_f64", x))
		return -1;
	x.kind = WLAB_EXTERN_TABLE;
	x.u.table = wlab_table_new(s, WLAB_FUNCREF, 10, true, 20);
	if (!x.u.table || wlab_store_define(s, "spectest", "table", x))
		return -1;
	x.kind = WLAB_EXTERN_MEMORY;
	x.u.memory = wlab_memory_new(s, 1, true, 2);
	if (!x.u.memory || wlab_store_define(s, "spectest", "memory", x))
		return -1;
	return 0;
}

static uint8_t type_code(const char *t)
{
	return t ? wlab_valtype_by_name(t) : 0;
}

/* A v128 of the script: "lane_type" (i8, i16, i32, i64, f32, f64) and its
 * lanes' bits, lane 0 first. Returns the lane width in bytes, 0 if unknown. */
static unsigned v128_lane_bytes(const struct jnode *v)
{
	const char *lt = json_str(v, "lane_type");
	if (!lt || (lt[0] != 'i' && lt[0] != 'f'))
		return 0;
	unsigned bits = (unsigned)atoi(lt + 1);
	return bits == 8 || bits == 16 || bits == 32 || bits == 64 ? bits / 8 : 0;
}

/* The script's value in words: one, or two for a v128 (low half first, the
 * way v128 values cross the runtime API). Numbers are their bits; externref
 * N is N + 1. Returns the words written. */
static uint32_t script_value(const struct jnode *v, uint64_t *out)
{
	const char *type = json_str(v, "type"), *s = json_str(v, "value");
	if (type && !strcmp(type, "v128")) {
		const struct jnode *lanes = json_get(v, "value");
		unsigned w = v128_lane_bytes(v), i = 0;
		uint8_t bytes[16] = {0};
		for (const struct jnode *l = lanes ? lanes->child : NULL; l && w && i < 16 / w;
		     l = l->next, i++) {
			uint64_t x = l->str ? strtoull(l->str, NULL, 10) : 0;
			memcpy(bytes + i * w, &x, w);  /* little-endian host */
		}
		memcpy(out, bytes, 16);
		return 2;
	}
	if (!s || !strcmp(s, "null")) {
		out[0] = 0;
		return 1;
	}
	uint64_t x = strtoull(s, NULL, 10);
	out[0] = type && !strcmp(type, "externref") ? x + 1 : x;
	return 1;
}

/* A float (f32 or f64 bits) against the script's text: a NaN pattern or bits. */
static int float_matches(const char *s, int f32, uint64_t got)
{
	if (!strcmp(s, "nan:canonical"))
		return f32 ? ((uint32_t)got & 0x7fffffffu) == 0x7fc00000u
			   : (got & ~(1ull << 63)) == 0x7ff8000000000000ull;
	if (!strcmp(s, "nan:arithmetic"))
		return f32 ? ((uint32_t)got & 0x7fc00000u) == 0x7fc00000u
			   : (got & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
	uint64_t w = strtoull(s, NULL, 10);
	return f32 ? (uint32_t)w == (uint32_t)got : w == got;
}

/* A v128 result (two words) against the script's lanes, NaN patterns per lane. */
static int v128_matches(const struct jnode *want, const uint64_t *got)
{
	const struct jnode *lanes = json_get(want, "value");
	const char *lt = json_str(want, "lane_type");
	unsigned w = v128_lane_bytes(want), i = 0;
	uint8_t bytes[16];
	memcpy(bytes, got, 16);
	if (!w || !lanes)
		return 0;
	for (const struct jnode *l = lanes->child; l; l = l->next, i++) {
		uint64_t x = 0;
		if (i >= 16 / w || !l->str)
			return 0;
		memcpy(&x, bytes + i * w, w);
		if (lt[0] == 'f') {
			if (!float_matches(l->str, w == 4, x))
				return 0;
		} else if ((strtoull(l->str, NULL, 10) ^ x) & (w == 8 ? UINT64_MAX
								  : (1ull << (8 * w)) - 1)) {
			return 0;
		}
	}
	return i == 16 / w;
}

/* Whether the result at got (two words for a v128) is the script's want. */
static int value_matches(const struct jnode *want, const uint64_t *got)
{
	const char *type = json_str(want, "type"), *s = json_str(want, "value");
	uint8_t t = type_code(type);
	uint64_t w;
	if (t == WLAB_V128)
		return v128_matches(want, got);
	if (!s)
		return t == WLAB_FUNCREF ? *got != 0 : 1;
	if (t == WLAB_F32 || t == WLAB_F64)
		return float_matches(s, t == WLAB_F32, *got);
	script_value(want, &w);
	return t == WLAB_I32 ? (uint32_t)w == (uint32_t)*got : w == *got;
}

static struct wlab_instance *find_instance(struct script *sc, const char *name)
{
	if (!name)
		return sc->current;
	for (int i = sc->nnames; i-- > 0;)
		if (!strcmp(sc->names[i].name, name))
			return sc->names[i].inst;
	return NULL;
}

/* Decodes and instantiates a module file of the script. */
static enum wlab_status load(struct script *sc, const char *filename, struct wlab_error *err,
			     enum wlab_trap *trap, struct wlab_instance **out)
{
	char path[4096];
	struct wlab_module *m = NULL;
	uint8_t *bytes = NULL;
	size_t size;
	*out = NULL;
	*trap = WLAB_TRAP_NONE;
	snprintf(path, sizeof path, "%s/%s", sc->dir, filename ? filename : "");
	if (sc->nmodules == 4096)
		return wlab_error_set(err, WLAB_NOMEM, 0, "too many modules");
	if (wlab_read_file(path, &bytes, &size, err))
		return err->status;
	sc->bytes[sc->nmodules] = bytes;
	enum wlab_status st = wlab_module_decode(bytes, size, NULL, &m, err);
	sc->modules[sc->nmodules++] = m;
	if (st)
		return st;
	return wlab_instantiate(sc->store, m, out, err, trap);
}

/* Runs an action; fills results. Returns WLAB_OK, WLAB_TRAP (trap set), or
 * another status when the action names nothing. */
static enum wlab_status action(struct script *sc, const struct jnode *act, uint64_t *results,
			       uint32_t *nresults, enum wlab_trap *trap)
{
	struct wlab_instance *inst = find_instance(sc, json_str(act, "module"));
	const struct jnode *fn = json_get(act, "field");
	const char *field = fn ? fn->str : NULL, *type = json_str(act, "type");
	struct wlab_extern x;
	*trap = WLAB_TRAP_NONE;
	*nresults = 0;
	if (!inst || !field || !wlab_instance_export(inst, field, fn->len, &x))
		return WLAB_UNLINKABLE;
	if (type && !strcmp(type, "get")) {
		if (x.kind != WLAB_EXTERN_GLOBAL)
			return WLAB_UNLINKABLE;
		results[0] = wlab_global_value(x.u.global);
		results[1] = 0;  /* a v128 global's high half is not in the API */
		*nresults = 1;
		return WLAB_OK;
	}
	if (x.kind != WLAB_EXTERN_FUNC)
		return WLAB_UNLINKABLE;
	uint64_t args[MAX_VALUES];
	uint32_t n = 0, words = 0;
	const struct jnode *a = json_get(act, "args");
	for (const struct jnode *v = a ? a->child : NULL; v && words + 2 <= MAX_VALUES;
	     v = v->next, n++)
		words += script_value(v, args + words);
	const uint8_t *pt, *rt;
	uint32_t np, nr;
	wlab_func_type(x.u.func, &pt, &np, &rt, &nr);
	if (np != n || 2 * (uint64_t)nr > MAX_VALUES)
		return WLAB_UNLINKABLE;
	*nresults = nr;
	return wlab_call(sc->store, x.u.func, args, results, trap);
}

static int check_return(struct script *sc, const struct jnode *cmd)
{
	uint64_t results[MAX_VALUES];
	uint32_t n;
	enum wlab_trap trap;
	if (action(sc, json_get(cmd, "action"), results, &n, &trap))
		return 0;
	const struct jnode *want = json_get(cmd, "expected");
	uint32_t i = 0, word = 0;
	for (const struct jnode *v = want ? want->child : NULL; v; v = v->next, i++) {
		if (i >= n || !value_matches(v, results + word))
			return 0;
		word += type_code(json_str(v, "type")) == WLAB_V128 ? 2 : 1;
	}
	return i == n;
}

static int check_trap(struct script *sc, const struct jnode *cmd, int exhaustion)
{
	uint64_t results[MAX_VALUES];
	uint32_t n;
	enum wlab_trap trap;
	const char *text = json_str(cmd, "text");
	const struct jnode *act = json_get(cmd, "action");
	if (!act) {  /* a module whose instantiation traps */
		struct wlab_error err = {0};
		struct wlab_instance *inst;
		if (load(sc, json_str(cmd, "filename"), &err, &trap, &inst) != WLAB_TRAP)
			return 0;
	} else if (action(sc, act, results, &n, &trap) != WLAB_TRAP) {
		return 0;
	}
	if (exhaustion)
		return trap == WLAB_TRAP_EXHAUSTED;
	return !text || !strncmp(text, wlab_trap_message(trap), strlen(wlab_trap_message(trap)));
}

static int check_module(struct script *sc, const struct jnode *cmd, enum wlab_status want)
{
	struct wlab_error err = {0};
	struct wlab_instance *inst;
	enum wlab_trap trap;
	enum wlab_status st = load(sc, json_str(cmd, "filename"), &err, &trap, &inst);
	if (want == WLAB_INVALID || want == WLAB_MALFORMED)
		return st == WLAB_INVALID || st == WLAB_MALFORMED;
	return st == want;
}

/* assert_malformed on a text module (wast2json's .wat, from `module quote`):
 * passes when the text parser (wlab/wat.h) rejects it as malformed. */
static int check_text_malformed(struct script *sc, const struct jnode *cmd)
{
	char path[4096];
	const char *fn = json_str(cmd, "filename");
	uint8_t *text = NULL, *bin = NULL;
	size_t len = 0, size = 0;
	struct wlab_error err = {0};
	snprintf(path, sizeof path, "%s/%s", sc->dir, fn ? fn : "");
	if (wlab_read_file(path, &text, &len, &err))
		return 0;
	enum wlab_status st = wlab_wat_to_binary((const char *)text, len, &bin, &size, &err);
	if (sc->verbose && st != WLAB_MALFORMED)
		fprintf(stderr, "  %s: malformed text not rejected\n", path);
	free(text);
	free(bin);
	return st == WLAB_MALFORMED;
}

/* Runs one command; returns 1 passed, 0 failed, -1 not counted (register),
 * -2 skipped: a text module in any command but assert_malformed. */
static int command(struct script *sc, const struct jnode *cmd)
{
	const char *type = json_str(cmd, "type"), *mt = json_str(cmd, "module_type");
	if (!type)
		return -1;
	if (mt && !strcmp(mt, "text") && !strcmp(type, "assert_malformed"))
		return check_text_malformed(sc, cmd);
	if (mt && strcmp(mt, "binary"))
		return -2;
	if (!strcmp(type, "module")) {
		struct wlab_error err = {0};
		struct wlab_instance *inst;
		enum wlab_trap trap;
		sc->current = NULL;
		if (load(sc, json_str(cmd, "filename"), &err, &trap, &inst)) {
			if (sc->verbose)
				fprintf(stderr, "  module: %s\n", err.message);
			return 0;
		}
		sc->current = inst;
		const char *name = json_str(cmd, "name");
		if (name && sc->nnames < 256)
			sc->names[sc->nnames++] = (struct named){strdup(name), inst};
		return 1;
	}
	if (!strcmp(type, "register")) {
		struct wlab_instance *inst = find_instance(sc, json_str(cmd, "name"));
		const char *as = json_str(cmd, "as");
		if (inst && as)
			wlab_store_register(sc->store, as, inst);
		return -1;
	}
	if (!strcmp(type, "action")) {
		uint64_t results[MAX_VALUES];
		uint32_t n;
		enum wlab_trap trap;
		return action(sc, json_get(cmd, "action"), results, &n, &trap) == WLAB_OK;
	}
	if (!strcmp(type, "assert_return"))
		return check_return(sc, cmd);
	if (!strcmp(type, "assert_trap"))
		return check_trap(sc, cmd, 0);
	if (!strcmp(type, "assert_exhaustion"))
		return check_trap(sc, cmd, 1);
	if (!strcmp(type, "assert_invalid"))
		return check_module(sc, cmd, WLAB_INVALID);
	if (!strcmp(type, "assert_malformed"))
		return check_module(sc, cmd, WLAB_MALFORMED);
	if (!strcmp(type, "assert_unlinkable"))
		return check_module(sc, cmd, WLAB_UNLINKABLE);
	if (!strcmp(type, "assert_uninstantiable"))
		return check_module(sc, cmd, WLAB_TRAP);
	return -1;
}

static char *read_text(const char *path, size_t *len)
{
	uint8_t *bytes;
	struct wlab_error err = {0};
	if (wlab_read_file(path, &bytes, len, &err))
		return NULL;
	return (char *)bytes;
}

static void script_fini(struct script *sc)
{
	for (int i = 0; i < sc->nnames; i++)
		free(sc->names[i].name);
	wlab_store_free(sc->store);
	for (int i = 0; i < sc->nmodules; i++) {
		wlab_module_free(sc->modules[i]);
		free(sc->bytes[i]);
	}
}

static int run_file(const char *file, uint64_t max_memory, int verbose, int *passed,
		    int *total, int *skipped)
{
	size_t len;
	char *text = read_text(file, &len);
	struct jnode *root = text ? json_parse(text, len) : NULL;
	struct script *sc = calloc(1, sizeof *sc);
	char *dir = strdup(file);
	char *slash = dir ? strrchr(dir, '/') : NULL;
	*passed = *total = 0;
	if (!root || !sc || !dir) {
		fprintf(stderr, "%s: cannot read\n", file);
		goto done;
	}
	if (slash)
		*slash = 0;
	sc->dir = slash ? dir : ".";
	sc->file = file;
	sc->verbose = verbose;
	sc->store = wlab_store_new(&(struct wlab_store_options){.max_memory = max_memory});
	if (!sc->store || define_spectest(sc->store))
		goto done;
	const struct jnode *cmds = json_get(root, "commands");
	for (const struct jnode *c = cmds ? cmds->child : NULL; c; c = c->next) {
		int r = command(sc, c);
		*skipped += r == -2;
		if (r < 0)
			continue;
		++*total;
		*passed += r;
		if (!r && verbose)
			fprintf(stderr, "%s:%s: %s failed\n", file, json_str(c, "line"),
				json_str(c, "type"));
	}
done:
	if (sc)
		script_fini(sc);
	free(sc);
	free(dir);
	json_free(root);
	free(text);
	return 0;
}

int spectest_run(char **files, int nfiles, uint64_t max_memory, int verbose)
{
	int all_passed = 0, all_total = 0, skipped = 0;
	for (int i = 0; i < nfiles; i++) {
		int passed, total;
		run_file(files[i], max_memory, verbose, &passed, &total, &skipped);
		printf("%s: %d/%d\n", files[i], passed, total);
		fflush(stdout);
		all_passed += passed;
		all_total += total;
	}
	if (skipped)
		printf("%d text-module commands skipped (not counted)\n", skipped);
	printf("%d passed, %d failed\n", all_passed, all_total - all_passed);
	return all_total - all_passed;
}
