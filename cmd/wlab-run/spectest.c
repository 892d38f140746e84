/* spectest.c: runs spec test scripts (.wast read by wlab/script.h, or
 * wast2json's .json): modules, registrations, actions and assertions,
 * against the spectest host module; each command judged on its own,
 * counted like spectest-interp (every command but register). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "spectest.h"
#include "wlab.h"
#include "wlab/runtime.h"
#include "wlab/script.h"
#include "wlab/validate.h"

#define MAX_VALUES 1024

static enum wlab_trap host_nop(void *ctx, const uint64_t *args, uint64_t *results)
{
	(void)ctx, (void)args, (void)results;
	return WLAB_TRAP_NONE;
}

int define_spectest(struct wlab_store *s)
{
	static const struct {
		const char *name;
		wlab_valtype_t params[2];
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
	x.u.table = wlab_table_new_limits(s, WLAB_FUNCREF, &(struct wlab_limits){
		.has_max = true, .is64 = true, .min = 10, .max = 20});
	if (!x.u.table || wlab_store_define(s, "spectest", "table64", x))
		return -1;
	x.kind = WLAB_EXTERN_MEMORY;
	x.u.memory = wlab_memory_new(s, 1, true, 2);
	if (!x.u.memory || wlab_store_define(s, "spectest", "memory", x))
		return -1;
	x.u.memory = wlab_shared_memory_new(s, 1, 2);
	if (!x.u.memory || wlab_store_define(s, "spectest", "shared_memory", x))
		return -1;
	return 0;
}

int fail(struct script *sc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sc->why, sizeof sc->why, fmt, ap);
	va_end(ap);
	return 0;
}

/* A script value in words: one, or two for a v128 (low half first, the way
 * v128 values cross the runtime API). Numbers are their bits; host
 * references N are N + 1; null is 0. */
static uint32_t value_in_words(const struct wlab_script_value *v, uint64_t *out)
{
	switch (v->kind) {
	case WLAB_VAL_NUM:
		out[0] = v->bits[0];
		if (v->type != WLAB_V128)
			return 1;
		out[1] = v->bits[1];
		return 2;
	case WLAB_VAL_REF_EXTERN:
	case WLAB_VAL_REF_HOST:
		out[0] = v->bits[0] + 1;
		return 1;
	default:
		out[0] = 0;
		return 1;
	}
}

/* A float (f32 or f64 bits) against an expected value or NaN pattern. */
static int float_matches(uint8_t nan, uint64_t want, int f32, uint64_t got)
{
	if (nan == WLAB_NAN_CANONICAL)
		return f32 ? ((uint32_t)got & 0x7fffffffu) == 0x7fc00000u
			   : (got & ~(1ull << 63)) == 0x7ff8000000000000ull;
	if (nan == WLAB_NAN_ARITHMETIC)
		return f32 ? ((uint32_t)got & 0x7fc00000u) == 0x7fc00000u
			   : (got & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
	return f32 ? (uint32_t)want == (uint32_t)got : want == got;
}

/* A v128 result (two words) against the expected lanes, NaN patterns per lane. */
static int v128_matches(const struct wlab_script_value *want, const uint64_t *got)
{
	unsigned w = want->lane_bits / 8;
	if (!w)
		return 0;
	if (!want->lane_float)
		return want->bits[0] == got[0] && want->bits[1] == got[1];
	for (unsigned i = 0; i < 16 / w; i++) {
		unsigned at = i * w;
		uint64_t mask = w == 8 ? UINT64_MAX : (1ull << (8 * w)) - 1;
		uint64_t g = got[at / 8] >> (8 * (at % 8)) & mask;
		uint64_t x = want->bits[at / 8] >> (8 * (at % 8)) & mask;
		if (!float_matches(want->nan[i], x, w == 4, g))
			return 0;
	}
	return 1;
}

/* Whether the result at got (two words for a v128) is the expected one. */
static int value_matches(const struct wlab_store *s, const struct wlab_script_value *want,
			 const uint64_t *got)
{
	switch (want->kind) {
	case WLAB_VAL_NUM:
		if (want->type == WLAB_V128)
			return v128_matches(want, got);
		if (want->type == WLAB_F32 || want->type == WLAB_F64)
			return float_matches(want->nan[0], want->bits[0], want->type == WLAB_F32, *got);
		return want->type == WLAB_I32 ? (uint32_t)want->bits[0] == (uint32_t)*got
					      : want->bits[0] == *got;
	case WLAB_VAL_REF_NULL:
		return *got == 0;
	case WLAB_VAL_REF_EXTERN:
	case WLAB_VAL_REF_HOST:
		return want->has_payload ? *got == want->bits[0] + 1 : *got != 0;
	default:  /* (ref.struct), (ref.i31)...: a non-null reference of that heap type */
		return *got != 0 && (!want->heap || wlab_ref_test(s, *got, want->heap));
	}
}

struct named *find_named(struct script *sc, const char *name)
{
	for (int i = sc->nnames; i-- > 0;)
		if (!strcmp(sc->names[i].name, name))
			return &sc->names[i];
	return NULL;
}

static struct wlab_instance *find_instance(struct script *sc, const char *name)
{
	if (!name)
		return sc->current;
	struct named *n = find_named(sc, name);
	return n ? n->inst : NULL;
}

void name_it(struct script *sc, const char *name, struct wlab_instance *inst,
	     const struct wlab_module *def)
{
	if (name && sc->nnames < MAX_NAMES)
		sc->names[sc->nnames++] = (struct named){name, inst, def, false};
}

/* Decodes a module of the script (kept until the script ends). */
static enum wlab_status decode(struct script *sc, const struct wlab_script_module *sm,
			       struct wlab_module **out, struct wlab_error *err)
{
	*out = NULL;
	if (!sm->bytes)
		return wlab_error_set(err, WLAB_MALFORMED, 0, "%s", sm->error.message);
	if (sc->nmodules == MAX_MODULES)
		return wlab_error_set(err, WLAB_NOMEM, 0, "too many modules");
	struct wlab_decode_options opts = {.features = sc->features};
	enum wlab_status st = wlab_module_decode(sm->bytes, sm->size, &opts, out, err);
	sc->modules[sc->nmodules++] = *out;
	return st;
}

/* Decodes and instantiates a module of the script. */
static enum wlab_status load(struct script *sc, const struct wlab_script_module *sm,
			     struct wlab_error *err, enum wlab_trap *trap,
			     struct wlab_instance **out)
{
	struct wlab_module *m;
	*out = NULL;
	*trap = WLAB_TRAP_NONE;
	enum wlab_status st = decode(sc, sm, &m, err);
	if (st)
		return st;
	return wlab_instantiate(sc->store, m, out, err, trap);
}

/* Runs an action; fills results. Returns WLAB_OK, WLAB_TRAP (trap set), or
 * another status (with why) when the action names nothing. */
static enum wlab_status action(struct script *sc, const struct wlab_script_action *act,
			       uint64_t *results, uint32_t *nresults, enum wlab_trap *trap)
{
	struct wlab_instance *inst = act ? find_instance(sc, act->module) : NULL;
	struct wlab_extern x;
	*trap = WLAB_TRAP_NONE;
	*nresults = 0;
	if (!inst)
		return fail(sc, "no module %s", act && act->module ? act->module : "instantiated"),
		       WLAB_UNLINKABLE;
	if (act->module && find_named(sc, act->module)->foreign)
		return fail(sc, "%s is shared with this thread: only its memories can be used here",
			    act->module), WLAB_UNLINKABLE;
	if (!wlab_instance_export(inst, act->field, act->field_len, &x))
		return fail(sc, "no export \"%s\"", act->field), WLAB_UNLINKABLE;
	if (act->get) {
		if (x.kind != WLAB_EXTERN_GLOBAL)
			return fail(sc, "\"%s\" is not a global", act->field), WLAB_UNLINKABLE;
		results[0] = wlab_global_value(x.u.global);
		results[1] = 0;  /* a v128 global's high half is not in the API */
		*nresults = 1;
		return WLAB_OK;
	}
	if (x.kind != WLAB_EXTERN_FUNC)
		return fail(sc, "\"%s\" is not a function", act->field), WLAB_UNLINKABLE;
	uint64_t args[MAX_VALUES];
	uint32_t words = 0;
	for (uint32_t i = 0; i < act->nargs && words + 2 <= MAX_VALUES; i++)
		words += value_in_words(&act->args[i], args + words);
	const wlab_valtype_t *pt, *rt;
	uint32_t np, nr;
	wlab_func_type(x.u.func, &pt, &np, &rt, &nr);
	if (np != act->nargs || 2 * (uint64_t)nr > MAX_VALUES)
		return fail(sc, "\"%s\" takes %u arguments, given %u", act->field, np, act->nargs),
		       WLAB_UNLINKABLE;
	*nresults = nr;
	enum wlab_status st = wlab_call(sc->store, x.u.func, args, results, trap);
	if (st == WLAB_TRAP)
		fail(sc, "trap: %s", wlab_trap_message(*trap));
	return st;
}

static int check_return(struct script *sc, const struct wlab_script_cmd *c)
{
	uint64_t results[MAX_VALUES];
	uint32_t n, word = 0;
	enum wlab_trap trap;
	if (action(sc, c->action, results, &n, &trap))
		return 0;
	if (n != c->nresults)
		return fail(sc, "%u results, expected %u", n, c->nresults);
	for (uint32_t i = 0; i < n; i++) {
		const struct wlab_script_result *r = &c->results[i];
		uint32_t k = 0;
		while (k < r->nalts && !value_matches(sc->store, &r->alts[k], results + word))
			k++;
		if (k == r->nalts)
			return fail(sc, "result %u is not the expected one", i);
		word += r->nalts && r->alts[0].kind == WLAB_VAL_NUM && r->alts[0].type == WLAB_V128 ? 2 : 1;
	}
	return 1;
}

/* The spec interpreter's rule: its message starts with the expected text
 * ("integer divide" for "integer divide by zero"); and the other way, as the
 * testsuite's texts can add to the message ("uninitialized element 2"). */
static int trap_matches(struct script *sc, const char *text, enum wlab_trap trap)
{
	const char *msg = wlab_trap_message(trap);
	size_t n = text ? strlen(text) : 0, m = strlen(msg);
	if (text && strncmp(text, msg, n < m ? n : m))
		return fail(sc, "trap \"%s\", expected \"%s\"", msg, text);
	return 1;
}

static int check_trap(struct script *sc, const struct wlab_script_cmd *c)
{
	uint64_t results[MAX_VALUES];
	uint32_t n;
	enum wlab_trap trap;
	if (c->module) {  /* a module whose instantiation traps */
		struct wlab_error err = {0};
		struct wlab_instance *inst;
		enum wlab_status st = load(sc, c->module, &err, &trap, &inst);
		if (st != WLAB_TRAP)
			return fail(sc, "module %s, expected a trap", st ? err.message : "instantiated");
	} else if (action(sc, c->action, results, &n, &trap) != WLAB_TRAP) {
		return sc->why[0] ? 0 : fail(sc, "returned, expected a trap");
	}
	if (c->kind == WLAB_CMD_ASSERT_EXHAUSTION)
		return trap == WLAB_TRAP_EXHAUSTED || fail(sc, "trap \"%s\", expected exhaustion",
							   wlab_trap_message(trap));
	return trap_matches(sc, c->text, trap);
}

/* assert_exception: the action must end in an uncaught exception, a trap
 * whose message names one. */
static int check_exception(struct script *sc, const struct wlab_script_cmd *c)
{
	uint64_t results[MAX_VALUES];
	uint32_t n;
	enum wlab_trap trap;
	if (action(sc, c->action, results, &n, &trap) != WLAB_TRAP)
		return sc->why[0] ? 0 : fail(sc, "returned, expected an exception");
	if (trap != WLAB_TRAP_EXCEPTION)
		return fail(sc, "trap: %s, expected an exception", wlab_trap_message(trap));
	return 1;
}

/* assert_invalid_custom, and assert_malformed_custom on a binary module: a
 * valid module whose custom sections break their own rules, decoded
 * (WLAB_MALFORMED) or checked against the module (WLAB_INVALID: a branch
 * hint on an instruction that does not branch). */
static int check_custom(struct script *sc, const struct wlab_script_cmd *c, enum wlab_status want)
{
	struct wlab_error err = {0};
	struct wlab_module *m;
	struct wlab_validate_options vo = {.features = sc->features};
	struct wlab_validate_error verr = {0};
	if (decode(sc, c->module, &m, &err))
		return fail(sc, "module: %s", err.message);
	if (wlab_module_validate(m, &vo, &verr))
		return fail(sc, "module: %s", verr.error.message);
	if (m->custom_error.status == WLAB_OK)
		return fail(sc, "custom sections accepted");
	if (m->custom_error.status != want)
		return fail(sc, "custom section %s, expected %s", m->custom_error.message,
			    want == WLAB_INVALID ? "invalid" : "malformed");
	return 1;
}

/* The module assertions: the status the module must end in. */
static int check_module(struct script *sc, const struct wlab_script_cmd *c)
{
	struct wlab_error err = {0};
	struct wlab_instance *inst;
	enum wlab_trap trap;
	const struct wlab_script_module *m = c->module;
	bool text = m->form != WLAB_FORM_BINARY;
	switch (c->kind) {
	case WLAB_CMD_ASSERT_MALFORMED:
		/* text must be rejected by the text parser, binary by the decoder */
		if (text)
			return !m->bytes || fail(sc, "malformed text accepted");
		break;
	case WLAB_CMD_ASSERT_MALFORMED_CUSTOM:
		if (text)
			return !m->bytes || fail(sc, "malformed text accepted");
		return check_custom(sc, c, WLAB_MALFORMED);
	case WLAB_CMD_ASSERT_INVALID_CUSTOM:
		if (!m->bytes)
			return fail(sc, "module text: %s", m->error.message);
		return check_custom(sc, c, WLAB_INVALID);
	default:
		if (!m->bytes)
			return fail(sc, "module text: %s", m->error.message);
	}
	enum wlab_status st = load(sc, m, &err, &trap, &inst);
	switch (c->kind) {
	case WLAB_CMD_ASSERT_MALFORMED:
	case WLAB_CMD_ASSERT_INVALID:
		if (st == WLAB_INVALID || st == WLAB_MALFORMED)
			return 1;
		break;
	case WLAB_CMD_ASSERT_UNLINKABLE:
		if (st == WLAB_UNLINKABLE)
			return 1;
		break;
	default:  /* assert_uninstantiable */
		if (st == WLAB_TRAP)
			return 1;
	}
	return fail(sc, "module %s", st ? err.message : "instantiated");
}

static int module_cmd(struct script *sc, const struct wlab_script_cmd *c)
{
	struct wlab_error err = {0};
	struct wlab_instance *inst;
	struct wlab_module *m;
	enum wlab_trap trap;
	sc->current = NULL;
	if (c->module->definition) {
		if (decode(sc, c->module, &m, &err))
			return fail(sc, "module: %s", err.message);
		name_it(sc, c->module->name, NULL, m);
		sc->last_def = m;
		return 1;
	}
	if (load(sc, c->module, &err, &trap, &inst))
		return fail(sc, "module: %s", err.message);
	sc->current = inst;
	name_it(sc, c->module->name, inst, NULL);
	return 1;
}

static int instance_cmd(struct script *sc, const struct wlab_script_cmd *c)
{
	struct wlab_error err = {0};
	struct wlab_instance *inst;
	enum wlab_trap trap;
	struct named *d = c->of ? find_named(sc, c->of) : NULL;
	const struct wlab_module *def = c->of ? (d ? d->def : NULL) : sc->last_def;
	if (!def)
		return fail(sc, "no module definition %s", c->of ? c->of : "before it");
	sc->current = NULL;
	/* validates the definition on its first instance only (its record) */
	if (wlab_instantiate_validated(sc->store, def, &inst, &err, &trap))
		return fail(sc, "module instance: %s", err.message);
	sc->current = inst;
	name_it(sc, c->name, inst, NULL);
	return 1;
}

/* Runs one command; returns 1 passed, 0 failed (why set), -1 not counted (register). */
static int command(struct script *sc, const struct wlab_script_cmd *c)
{
	uint64_t results[MAX_VALUES];
	uint32_t n;
	enum wlab_trap trap;
	sc->why[0] = 0;
	switch (c->kind) {
	case WLAB_CMD_MODULE:
		return module_cmd(sc, c);
	case WLAB_CMD_INSTANCE:
		return instance_cmd(sc, c);
	case WLAB_CMD_REGISTER: {
		struct wlab_instance *inst = find_instance(sc, c->name);
		struct named *named = c->name ? find_named(sc, c->name) : NULL;
		if (inst && c->as && named && named->foreign)
			register_shared(sc->store, c->as, inst);
		else if (inst && c->as)
			wlab_store_register(sc->store, c->as, inst);
		return -1;
	}
	case WLAB_CMD_INVOKE:
	case WLAB_CMD_GET:
		return action(sc, c->action, results, &n, &trap) == WLAB_OK;
	case WLAB_CMD_ASSERT_RETURN:
		return check_return(sc, c);
	case WLAB_CMD_ASSERT_TRAP:
	case WLAB_CMD_ASSERT_EXHAUSTION:
		return check_trap(sc, c);
	case WLAB_CMD_ASSERT_EXCEPTION:
		return check_exception(sc, c);
	case WLAB_CMD_THREAD:
		return thread_start(sc, c);
	case WLAB_CMD_WAIT:
		return thread_wait(sc, c);
	case WLAB_CMD_BAD:
		return fail(sc, "%s", c->text);
	default:
		return check_module(sc, c);
	}
}

void script_cmds(struct script *sc, const struct wlab_script *s)
{
	for (size_t i = 0; i < s->ncmds && !timeout_expired(); i++) {
		const struct wlab_script_cmd *c = &s->cmds[i];
		int r = command(sc, c);
		if (r < 0)
			continue;
		sc->total++;
		sc->passed += r;
		if (!r && sc->verbose)
			fprintf(stderr, "%s:%u: %s failed%s%s\n", sc->file, c->line,
				wlab_cmd_name(c->kind), sc->why[0] ? ": " : "", sc->why);
	}
}

void script_fini(struct script *sc)
{
	threads_join_all(sc);
	wlab_store_free(sc->store);
	for (int i = 0; i < sc->nmodules; i++)
		wlab_module_free(sc->modules[i]);
}

/* Whether file is wast2json's output (by extension, else by content). */
static bool is_json(const char *file, const char *text, size_t len)
{
	size_t n = strlen(file);
	if (n > 5 && !strcmp(file + n - 5, ".json"))
		return true;
	if (n > 5 && !strcmp(file + n - 5, ".wast"))
		return false;
	while (len && strchr(" \t\r\n", *text))
		text++, len--;
	return len && *text == '{';
}

static struct wlab_script *read_script(const char *file, uint32_t features, int *skipped)
{
	uint8_t *bytes;
	size_t len;
	struct wlab_error err = {0};
	struct wlab_script *s = NULL;
	if (wlab_read_file(file, &bytes, &len, &err)) {
		fprintf(stderr, "%s: %s\n", file, err.message);
		return NULL;
	}
	if (is_json(file, (const char *)bytes, len)) {
		s = json_script(file, (const char *)bytes, len, features, skipped);
		if (!s)
			fprintf(stderr, "%s: cannot read\n", file);
	} else if (wlab_script_read_features((const char *)bytes, len, features, &s, &err)) {
		fprintf(stderr, "%s:%s\n", file, err.message);
	}
	free(bytes);
	return s;
}

static void run_file(const char *file, const struct wlab_store_options *so, int verbose,
		     int *passed, int *total, int *skipped)
{
	uint32_t features = so->features;
	struct wlab_script *s = read_script(file, features, skipped);
	struct script *sc = calloc(1, sizeof *sc);
	struct wlab_store_options opts = *so;
	atomic_int nthreads = 0;
	*passed = *total = 0;
	if (!s) {  /* unreadable (its error is printed): one failed command, not 0/0 */
		*total = 1;
		goto done;
	}
	if (!sc)
		goto done;
	for (size_t i = 0; i < s->ncmds; i++)
		opts.threads |= s->cmds[i].kind == WLAB_CMD_THREAD;
	sc->verbose = verbose;
	sc->features = features;
	sc->file = file;
	sc->so = &opts;
	sc->nthreads = &nthreads;
	sc->store = wlab_store_new(&opts);
	if (!sc->store || define_spectest(sc->store)) {
		fprintf(stderr, "%s: out of memory\n", file);
		goto done;
	}
	timeout_watch(sc->store);
	script_cmds(sc, s);
	threads_join_all(sc);  /* their commands count too */
	*passed = sc->passed;
	*total = sc->total;
done:
	timeout_watch(NULL);
	if (sc)
		script_fini(sc);
	free(sc);
	wlab_script_free(s);
}

int spectest_run(char **files, int nfiles, const struct wlab_store_options *so, int verbose)
{
	int all_passed = 0, all_total = 0, skipped = 0;
	for (int i = 0; i < nfiles && !timeout_expired(); i++) {
		int passed, total;
		run_file(files[i], so, verbose, &passed, &total, &skipped);
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
