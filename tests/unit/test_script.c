/* test_script.c: the .wast script reader (wlab/script.h): every command
 * form, module forms and names, constants and result patterns, either,
 * BAD commands for ill-formed ones, structure errors with line:column, and
 * byte mutations that must never crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"
#include "wlab/module.h"
#include "wlab/script.h"

static struct wlab_script *read_ok(const char *text)
{
	struct wlab_error err = {0};
	struct wlab_script *s = NULL;
	if (wlab_script_read(text, strlen(text), &s, &err))
		fail_msg("%s: %s", text, err.message);
	assert_non_null(s);
	return s;
}

/* The script must fail to read, with a message containing what. */
static void read_fails(const char *text, const char *what)
{
	struct wlab_error err = {0};
	struct wlab_script *s = (struct wlab_script *)1;
	if (wlab_script_read(text, strlen(text), &s, &err) != WLAB_MALFORMED)
		fail_msg("%s: read", text);
	assert_null(s);
	if (!strstr(err.message, what))
		fail_msg("%s: message '%s' lacks '%s'", text, err.message, what);
}

/* One command that must be BAD, its reason containing what. */
static void bad_command(const char *text, const char *what)
{
	struct wlab_script *s = read_ok(text);
	assert_int_equal(s->ncmds, 1);
	assert_int_equal(s->cmds[0].kind, WLAB_CMD_BAD);
	if (!strstr(s->cmds[0].text, what))
		fail_msg("%s: reason '%s' lacks '%s'", text, s->cmds[0].text, what);
	wlab_script_free(s);
}

static void test_modules(void **state)
{
	(void)state;
	struct wlab_script *s = read_ok(
		"(module $M (func (export \"f\")))\n"
		"(module binary \"\\00asm\" \"\\01\\00\\00\\00\")\n"
		"(module $Q quote \"(func)\")\n"
		"(module definition $D (memory 1))\n"
		"(module instance $I $D)\n"
		"(module (func i32.frobnicate))\n");
	assert_int_equal(s->ncmds, 6);
	const struct wlab_script_cmd *c = s->cmds;
	assert_int_equal(c[0].kind, WLAB_CMD_MODULE);
	assert_int_equal(c[0].line, 1);
	assert_string_equal(c[0].module->name, "$M");
	assert_int_equal(c[0].module->form, WLAB_FORM_TEXT);
	assert_non_null(c[0].module->bytes);
	assert_int_equal(c[1].module->form, WLAB_FORM_BINARY);
	assert_int_equal(c[1].module->size, 8);
	assert_int_equal(c[1].line, 2);
	assert_int_equal(c[2].module->form, WLAB_FORM_QUOTE);
	assert_non_null(c[2].module->bytes);
	assert_true(c[3].module->definition);
	assert_string_equal(c[3].module->name, "$D");
	assert_non_null(c[3].module->bytes);
	assert_int_equal(c[4].kind, WLAB_CMD_INSTANCE);
	assert_string_equal(c[4].name, "$I");
	assert_string_equal(c[4].of, "$D");
	/* a module that does not parse fails alone, its error in script lines */
	assert_int_equal(c[5].kind, WLAB_CMD_MODULE);
	assert_null(c[5].module->bytes);
	assert_int_equal(c[5].module->error.status, WLAB_MALFORMED);
	if (strncmp(c[5].module->error.message, "6:15: ", 6))
		fail_msg("%s", c[5].module->error.message);
	wlab_script_free(s);
}

static void test_actions_and_register(void **state)
{
	(void)state;
	struct wlab_script *s = read_ok(
		"(register \"M\" $M)\n(register \"N\")\n"
		"(invoke $M \"f\" (i32.const -1) (i64.const 0x10) (f32.const 1.5) (f64.const -0))\n"
		"(get \"g\")\n"
		"(invoke \"h\" (ref.null func) (ref.extern 7) (ref.host 2) (ref.null extern))\n");
	const struct wlab_script_cmd *c = s->cmds;
	assert_int_equal(s->ncmds, 5);
	assert_int_equal(c[0].kind, WLAB_CMD_REGISTER);
	assert_string_equal(c[0].as, "M");
	assert_string_equal(c[0].name, "$M");
	assert_null(c[1].name);
	const struct wlab_script_action *a = c[2].action;
	assert_int_equal(c[2].kind, WLAB_CMD_INVOKE);
	assert_string_equal(a->module, "$M");
	assert_string_equal(a->field, "f");
	assert_int_equal(a->nargs, 4);
	assert_int_equal(a->args[0].type, WLAB_I32);
	assert_int_equal(a->args[0].bits[0], 0xffffffffu);
	assert_int_equal(a->args[1].bits[0], 16);
	assert_int_equal(a->args[2].bits[0], 0x3fc00000u);
	assert_int_equal(a->args[3].bits[0], 0x8000000000000000ull);
	assert_int_equal(c[3].kind, WLAB_CMD_GET);
	assert_true(c[3].action->get);
	assert_null(c[3].action->module);
	a = c[4].action;
	assert_int_equal(a->args[0].kind, WLAB_VAL_REF_NULL);
	assert_int_equal(a->args[0].heap, WLAB_HT_FUNC);
	assert_int_equal(a->args[1].kind, WLAB_VAL_REF_EXTERN);
	assert_int_equal(a->args[1].bits[0], 7);
	assert_true(a->args[1].has_payload);
	assert_int_equal(a->args[2].kind, WLAB_VAL_REF_HOST);
	assert_int_equal(a->args[3].heap, WLAB_HT_EXTERN);
	wlab_script_free(s);
}

static void test_results(void **state)
{
	(void)state;
	struct wlab_script *s = read_ok(
		"(assert_return (invoke \"f\") (f32.const nan:canonical) (f64.const nan:arithmetic)"
		" (v128.const i16x8 1 2 3 4 5 6 7 -1) (v128.const f32x4 nan:canonical 1 nan:arithmetic 0)"
		" (either (i32.const 1) (i32.const 2)) (ref.null) (ref.extern) (ref.func) (ref.struct)"
		" (ref.array) (ref.i31) (ref.eq) (ref.any) (ref.exn) (ref.null exn) (ref.null none))\n");
	const struct wlab_script_cmd *c = s->cmds;
	assert_int_equal(c->kind, WLAB_CMD_ASSERT_RETURN);
	assert_int_equal(c->nresults, 16);
	const struct wlab_script_result *r = c->results;
	assert_int_equal(r[0].alts[0].nan[0], WLAB_NAN_CANONICAL);
	assert_int_equal(r[1].alts[0].nan[0], WLAB_NAN_ARITHMETIC);
	assert_int_equal(r[2].alts[0].lane_bits, 16);
	assert_int_equal(r[2].alts[0].bits[0], 0x0004000300020001ull);
	assert_int_equal(r[2].alts[0].bits[1], 0xffff000700060005ull);
	assert_true(r[3].alts[0].lane_float);
	assert_int_equal(r[3].alts[0].nan[0], WLAB_NAN_CANONICAL);
	assert_int_equal(r[3].alts[0].nan[1], WLAB_NAN_NONE);
	assert_int_equal(r[3].alts[0].nan[2], WLAB_NAN_ARITHMETIC);
	assert_int_equal(r[3].alts[0].bits[0] >> 32, 0x3f800000u);
	assert_int_equal(r[4].nalts, 2);
	assert_int_equal(r[4].alts[1].bits[0], 2);
	assert_int_equal(r[5].alts[0].kind, WLAB_VAL_REF_NULL);
	assert_int_equal(r[5].alts[0].heap, 0);
	assert_int_equal(r[6].alts[0].kind, WLAB_VAL_REF_EXTERN);
	assert_false(r[6].alts[0].has_payload);
	static const wlab_heaptype_t heaps[] = {WLAB_HT_FUNC, WLAB_HT_STRUCT, WLAB_HT_ARRAY,
						WLAB_HT_I31, WLAB_HT_EQ, WLAB_HT_ANY, WLAB_HT_EXN};
	for (int i = 0; i < 7; i++) {
		assert_int_equal(r[7 + i].alts[0].kind, WLAB_VAL_REF);
		assert_int_equal(r[7 + i].alts[0].heap, heaps[i]);
	}
	assert_int_equal(r[14].alts[0].heap, WLAB_HT_EXN);
	assert_int_equal(r[15].alts[0].heap, WLAB_HT_NONE);
	wlab_script_free(s);
}

static void test_assertions(void **state)
{
	(void)state;
	struct wlab_script *s = read_ok(
		"(assert_trap (invoke \"f\") \"unreachable\")\n"
		"(assert_trap (module (start 0)) \"out of bounds\")\n"
		"(assert_exhaustion (invoke \"r\") \"call stack exhausted\")\n"
		"(assert_malformed (module quote \"(func\") \"unclosed\")\n"
		"(assert_invalid (module (func (result i32))) \"type mismatch\")\n"
		"(assert_unlinkable (module (import \"a\" \"b\" (func))) \"unknown import\")\n"
		"(assert_uninstantiable (module binary \"\") \"x\")\n"
		"(assert_exception (invoke \"throw\"))\n"
		"((@a) assert_return (@b) (invoke \"f\" (@c)))\n");
	const struct wlab_script_cmd *c = s->cmds;
	static const uint8_t kinds[] = {
		WLAB_CMD_ASSERT_TRAP, WLAB_CMD_ASSERT_TRAP, WLAB_CMD_ASSERT_EXHAUSTION,
		WLAB_CMD_ASSERT_MALFORMED, WLAB_CMD_ASSERT_INVALID, WLAB_CMD_ASSERT_UNLINKABLE,
		WLAB_CMD_ASSERT_UNINSTANTIABLE, WLAB_CMD_ASSERT_EXCEPTION, WLAB_CMD_ASSERT_RETURN};
	assert_int_equal(s->ncmds, 9);
	for (size_t i = 0; i < s->ncmds; i++) {
		assert_int_equal(c[i].kind, kinds[i]);
		assert_int_equal(c[i].line, i + 1);
	}
	assert_non_null(c[0].action);
	assert_string_equal(c[0].text, "unreachable");
	assert_non_null(c[1].module);
	assert_null(c[1].action);
	assert_null(c[3].module->bytes);  /* the quoted text does not parse */
	assert_non_null(c[4].module->bytes);
	assert_int_equal(c[6].module->size, 0);
	assert_string_equal(c[7].action->field, "throw");
	assert_int_equal(c[8].nresults, 0);
	assert_string_equal(wlab_cmd_name(c[0].kind), "assert_trap");
	assert_string_equal(wlab_cmd_name(WLAB_CMD_INSTANCE), "module instance");
	wlab_script_free(s);
}

static void test_bare_fields(void **state)
{
	(void)state;
	struct wlab_script *s = read_ok("(func) (memory 0) (func (export \"f\"))");
	assert_int_equal(s->ncmds, 1);
	assert_int_equal(s->cmds[0].kind, WLAB_CMD_MODULE);
	assert_non_null(s->cmds[0].module->bytes);
	wlab_script_free(s);
	s = read_ok("  ;; nothing\n(; at all ;)");
	assert_int_equal(s->ncmds, 0);
	wlab_script_free(s);
}

static void test_bad_commands(void **state)
{
	(void)state;
	bad_command("(assert_frobnicate (invoke \"f\"))", "1:2: unexpected token 'assert_frobnicate'");
	bad_command("(invoke \"f\" (i32.const 0x1_0000_0000))", "1:24:");
	bad_command("(invoke \"f\" (i32.const x))", "1:24:");
	bad_command("\n  (assert_return (invoke \"f\") (f32.const nan:wat))", "2:42: unknown operator: malformed float");
	bad_command("(assert_return (invoke \"f\") (i32.add))", "unknown constant 'i32.add'");
	bad_command("(assert_return (invoke \"f\") (ref.struct 1))", "1:41: unexpected token '1', expected )");
	bad_command("(invoke \"f\" (ref.func))", "unknown constant 'ref.func'");
	bad_command("(assert_trap (invoke \"f\"))", "expected a string");
	bad_command("(assert_trap (frob \"f\") \"x\")", "expected an action");
	bad_command("(register $M)", "expected a string");
	bad_command("(invoke \"f\" (v128.const i32x4 1 2 3))", "expected an integer");
	bad_command("(invoke \"f\" (v128.const i33x4 1 2 3 4))", "expected a v128 shape");
	/* one bad command does not sink the others */
	struct wlab_script *s = read_ok("(frob)\n(invoke \"f\")\n(assert_return)\n(get \"g\")");
	assert_int_equal(s->ncmds, 4);
	assert_int_equal(s->cmds[0].kind, WLAB_CMD_BAD);
	assert_int_equal(s->cmds[1].kind, WLAB_CMD_INVOKE);
	assert_int_equal(s->cmds[2].kind, WLAB_CMD_BAD);
	assert_int_equal(s->cmds[3].kind, WLAB_CMD_GET);
	assert_int_equal(s->cmds[3].line, 4);
	/* a bad command keeps its line, for the runner's FILE:LINE report */
	assert_int_equal(s->cmds[0].line, 1);
	assert_int_equal(s->cmds[2].line, 3);
	wlab_script_free(s);
}

static void test_structure_errors(void **state)
{
	(void)state;
	read_fails("(module\n  (func)", "1:1: unclosed '('");
	read_fails("(invoke \"f)", "1:9: unterminated string");
	read_fails("(module)\n)", "2:1: unexpected ')'");
	read_fails("(module) invoke", "1:10: unexpected token 'invoke', expected a command");
	read_fails("(; open", "1:1: unterminated block comment");
	read_fails("(@x (y)", "1:1: unclosed annotation");
	read_fails("\n(@)", "2:1: empty annotation id");
}

/* 20,000 byte mutations of a script: each reads (OK, or MALFORMED with a
 * line:column) and frees; never a crash or another status. */
static void test_mutations(void **state)
{
	(void)state;
	static const char base[] =
		"(module $M (func (export \"f\") (param i32) (result i32) local.get 0))\n"
		"(register \"M\" $M)\n(module definition $D binary \"\\00asm\\01\\00\\00\\00\")\n"
		"(module instance $I $D)\n"
		"(assert_return (invoke $M \"f\" (i32.const 1)) (either (i32.const 1) (i32.const 2)))\n"
		"(assert_return (invoke \"g\") (v128.const f32x4 nan:canonical 1 2 3) (ref.null func))\n"
		"(assert_trap (module (start 0)) \"x\") (assert_exception (invoke \"t\"))\n"
		"(assert_malformed (module quote \"(func\" \")\") \"m\") (get $M \"g\") (@a (b))\n";
	char buf[sizeof base];
	uint32_t seed = 12345;
	for (int round = 0; round < 20000; round++) {
		memcpy(buf, base, sizeof base);
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % (sizeof base - 1);
			seed = seed * 1103515245u + 12345u;
			buf[at] = "()\"$ ;@\\x0.-)("[(seed >> 8) % 15];
		}
		struct wlab_error err = {0};
		struct wlab_script *s = NULL;
		enum wlab_status st = wlab_script_read(buf, sizeof base - 1, &s, &err);
		if (st == WLAB_OK) {
			assert_non_null(s);
			for (size_t i = 0; i < s->ncmds; i++)
				if (s->cmds[i].kind == WLAB_CMD_BAD && !strchr(s->cmds[i].text, ':'))
					fail_msg("bad command without line:column: %s", s->cmds[i].text);
		} else if (st != WLAB_MALFORMED || !strchr(err.message, ':')) {
			fail_msg("status %d: %s", (int)st, err.message);
		}
		wlab_script_free(s);
	}
}

/* The threads proposal's (thread $T (shared (module $M))* cmd*) and (wait $T). */
static void test_threads(void **state)
{
	(void)state;
	struct wlab_script *s = read_ok(
		"(module $Mem (memory 1 1 shared))\n"
		"(thread $T1 (shared (module $Mem)) (shared (module $B))\n"
		"  (register \"mem\" $Mem)\n"
		"  (module (func (export \"f\")))\n"
		"  (frob)\n"
		"  (assert_return (invoke \"f\")))\n"
		"(thread $T2)\n"
		"(wait $T1)");
	assert_int_equal(s->ncmds, 4);
	const struct wlab_script_cmd *t = &s->cmds[1];
	assert_int_equal(t->kind, WLAB_CMD_THREAD);
	assert_string_equal(t->name, "$T1");
	assert_int_equal(t->nshared, 2);
	assert_string_equal(t->shared[0], "$Mem");
	assert_string_equal(t->shared[1], "$B");
	assert_non_null(t->thread);
	assert_int_equal(t->thread->ncmds, 4);
	assert_int_equal(t->thread->cmds[0].kind, WLAB_CMD_REGISTER);
	assert_int_equal(t->thread->cmds[0].line, 3);
	assert_int_equal(t->thread->cmds[1].kind, WLAB_CMD_MODULE);
	assert_non_null(t->thread->cmds[1].module->bytes);
	/* a bad command inside a thread is the thread's, with its line */
	assert_int_equal(t->thread->cmds[2].kind, WLAB_CMD_BAD);
	assert_int_equal(t->thread->cmds[2].line, 5);
	assert_non_null(strstr(t->thread->cmds[2].text, "5:4:"));
	assert_int_equal(t->thread->cmds[3].kind, WLAB_CMD_ASSERT_RETURN);
	assert_int_equal(s->cmds[2].kind, WLAB_CMD_THREAD);
	assert_int_equal(s->cmds[2].thread->ncmds, 0);
	assert_int_equal(s->cmds[3].kind, WLAB_CMD_WAIT);
	assert_string_equal(s->cmds[3].name, "$T1");
	assert_int_equal(s->cmds[3].line, 8);
	assert_string_equal(wlab_cmd_name(WLAB_CMD_THREAD), "thread");
	assert_string_equal(wlab_cmd_name(WLAB_CMD_WAIT), "wait");
	wlab_script_free(s);
	bad_command("(thread (invoke \"f\"))", "1:9: unexpected token '(', expected a thread name");
	bad_command("\n(thread $T (shared (func $M)))", "2:21: unexpected token 'func', expected module");
	bad_command("(thread $T (shared (module)))", "expected a module name");
	bad_command("(thread $T (shared (module $M) x))", "1:32:");
	bad_command("(thread $T (invoke \"f\") x)", "1:25: unexpected token 'x', expected a command");
	bad_command("(wait)", "1:6: unexpected token ')', expected a thread name");
	bad_command("(wait $T $U)", "expected )");
	read_fails("(thread $T (invoke \"f\")", "unclosed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modules),
		cmocka_unit_test(test_actions_and_register),
		cmocka_unit_test(test_results),
		cmocka_unit_test(test_assertions),
		cmocka_unit_test(test_bare_fields),
		cmocka_unit_test(test_bad_commands),
		cmocka_unit_test(test_structure_errors),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
