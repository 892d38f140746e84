/* test_decode.c: unit tests of the module decoder (decode*.c): every section
 * kind on small hand-built modules, their fields and recorded spans, the error
 * record of malformed modules, the partial module, and regression tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"
#include "wlab/features.h"
#include "wlab/instr.h"
#include "wlab/module.h"

/* ---- malformed modules: one row each ---- */

#define HDR 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00
/* A section whose payload is under 128 bytes: id, one size byte, payload. */
#define SEC(id, ...) (id), (uint8_t)sizeof((uint8_t[]){__VA_ARGS__}), __VA_ARGS__
#define RAW(...) .bytes = {__VA_ARGS__}, .len = sizeof((uint8_t[]){__VA_ARGS__})
#define MOD(...) RAW(HDR, __VA_ARGS__)
/* The type section ()->() at 8..13 and a function section of one function
 * at 14..17: a code section added after them starts at 18. */
#define TYPE0 SEC(0x01, 0x01, 0x60, 0x00, 0x00)
#define FUNC1 SEC(0x03, 0x01, 0x00)
/* TYPE0, FUNC1 and a code section with one body (locals and expression):
 * the code section's count stands at 20, the body size at 21, the body at 22. */
#define BODY(...) \
	TYPE0, FUNC1, SEC(0x0a, 0x01, (uint8_t)sizeof((uint8_t[]){__VA_ARGS__}), __VA_ARGS__)
#define BAD(at, m) .st = WLAB_MALFORMED, .offset = (at), .msg = (m)

#define END "unexpected end"
#define SEC_END "unexpected end of section or function"
#define ORDER "unexpected content after last section"
#define LONG "integer representation too long"
#define LARGE "integer too large"
#define FLAGS "malformed limits flags"  /* 3.0's wording: memory64 on */
#define NEEDS_THREADS ": shared memory needs the threads feature (--enable-threads)"
#define NEEDS_MEM64(what) ": i64 " what " needs the memory64 feature (--enable-memory64)"

#define EXC (WLAB_FEATURE_MVP | WLAB_FEATURE_EXCEPTIONS | WLAB_FEATURE_REFERENCE_TYPES)
#define THREADS (WLAB_FEATURE_MVP | WLAB_FEATURE_THREADS)
#define MEM64 (WLAB_FEATURE_MVP | WLAB_FEATURE_MEMORY64)

struct bad_module {
	const char *name;
	uint32_t features;  /* 0: the default set */
	uint8_t bytes[48];
	size_t len;
	enum wlab_status st;
	size_t offset;
	const char *msg;
};

static const struct bad_module bad_modules[] = {
	/* header */
	{"empty input", 0, .len = 0, BAD(0, END)},
	{"magic truncated", 0, RAW(0x00, 0x61, 0x73), BAD(3, END)},
	{"bad magic, truncated", 0, RAW(0x01, 0x61, 0x73), BAD(3, END)},
	{"bad magic", 0, RAW(0x00, 0x61, 0x73, 0x6e, 0x01, 0x00, 0x00, 0x00),
	 BAD(0, "magic header not detected")},
	{"text format", 0, RAW('(', 'm', 'o', 'd', 'u', 'l', 'e', ')'),
	 BAD(0, "magic header not detected")},
	{"no version", 0, RAW(0x00, 0x61, 0x73, 0x6d), BAD(4, END)},
	{"version truncated", 0, RAW(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00), BAD(7, END)},
	{"version 2", 0, RAW(0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00),
	 BAD(4, "unknown binary version")},
	{"version 0x01000000", 0, RAW(0x00, 0x61, 0x73, 0x6d, 0x00, 0x00, 0x00, 0x01),
	 BAD(4, "unknown binary version")},

	/* section framing */
	{"section id 14", 0, MOD(0x0e, 0x00), BAD(8, "malformed section id")},
	{"section id 0x7f", 0, MOD(0x7f, 0x00), BAD(8, "malformed section id")},
	{"tag section without exceptions", WLAB_FEATURES_2_0, MOD(SEC(0x0d, 0x00)), BAD(8, "malformed section id")},
	{"second section id 14", 0, MOD(TYPE0, 0x0e, 0x00), BAD(14, "malformed section id")},
	{"section size missing", 0, MOD(0x01), BAD(9, END)},
	{"section size truncated", 0, MOD(0x01, 0x80), BAD(10, END)},
	{"section size past the end", 0, MOD(0x01, 0x05, 0x00), BAD(9, "length out of bounds")},
	{"2-byte section size past the end", 0, MOD(0x01, 0x85, 0x00, 0x00),
	 BAD(10, "length out of bounds")},
	{"section size too long", 0, MOD(0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), BAD(13, LONG)},
	{"payload longer than its contents", 0, MOD(SEC(0x01, 0x00, 0x00)),
	 BAD(12, "section size mismatch")},
	{"payload shorter than its contents", 0, MOD(0x01, 0x01, 0x01, 0x60, 0x00, 0x00),
	 BAD(11, "section size mismatch")},
	{"two type sections", 0, MOD(SEC(0x01, 0x00), SEC(0x01, 0x00)), BAD(11, ORDER)},
	{"function before type", 0, MOD(SEC(0x03, 0x00), SEC(0x01, 0x00)), BAD(11, ORDER)},
	{"data count after code", 0, MOD(SEC(0x0a, 0x00), SEC(0x0c, 0x00)), BAD(11, ORDER)},
	{"code after data", 0, MOD(SEC(0x0b, 0x00), SEC(0x0a, 0x00)), BAD(11, ORDER)},
	{"start after elem", 0, MOD(SEC(0x09, 0x00), SEC(0x08, 0x00)), BAD(11, ORDER)},
	{"tag after global", EXC, MOD(SEC(0x06, 0x00), SEC(0x0d, 0x00)), BAD(11, ORDER)},
	{"type after a custom after data", 0,
	 MOD(SEC(0x0b, 0x00), SEC(0x00, 0x01, 'c'), SEC(0x01, 0x00)), BAD(15, ORDER)},
	{"custom section empty", 0, MOD(0x00, 0x00), BAD(10, SEC_END)},
	{"custom name past the section", 0, MOD(0x00, 0x01, 0x05, 'a', 'b', 'c', 'd', 'e'),
	 BAD(11, SEC_END)},
	{"custom name past the input", 0, MOD(SEC(0x00, 0x05, 'a')),
	 BAD(10, "length out of bounds")},
	{"custom name bad UTF-8", 0, MOD(SEC(0x00, 0x01, 0xff)),
	 BAD(11, "malformed UTF-8 encoding")},

	/* type section */
	{"type count past the input", 0, MOD(SEC(0x01, 0x05)), BAD(11, SEC_END)},
	{"type form 0x61", 0, MOD(SEC(0x01, 0x01, 0x61, 0x00, 0x00)),
	 BAD(11, "malformed definition type")},
	{"type form 0x61 without gc", WLAB_FEATURES_2_0, MOD(SEC(0x01, 0x01, 0x61, 0x00, 0x00)),
	 BAD(11, "malformed function type")},
	{"type form 0xe0", 0, MOD(SEC(0x01, 0x01, 0xe0, 0x00, 0x00)), BAD(11, LONG)},
	{"param type 0x7a", 0, MOD(SEC(0x01, 0x01, 0x60, 0x01, 0x7a, 0x00)),
	 BAD(13, "malformed value type")},
	{"result type 0x40", 0, MOD(SEC(0x01, 0x01, 0x60, 0x00, 0x01, 0x40)),
	 BAD(14, "malformed value type")},
	{"v128 without simd", WLAB_FEATURE_MVP, MOD(SEC(0x01, 0x01, 0x60, 0x01, 0x7b, 0x00)),
	 BAD(13, "malformed value type: v128 needs the simd feature (--enable-simd)")},
	{"params past the input", 0, MOD(SEC(0x01, 0x01, 0x60, 0x02, 0x7f)), BAD(14, SEC_END)},

	/* import section */
	{"import kind 4 without exceptions", WLAB_FEATURES_2_0, MOD(SEC(0x02, 0x01, 0x00, 0x00, 0x04, 0x00, 0x00)),
	 BAD(13, "malformed import kind")},
	{"import kind 5 with exceptions", EXC, MOD(SEC(0x02, 0x01, 0x00, 0x00, 0x05, 0x00, 0x00)),
	 BAD(13, "malformed import kind")},
	{"import module bad UTF-8", 0, MOD(SEC(0x02, 0x01, 0x01, 0x80, 0x00, 0x00, 0x00)),
	 BAD(12, "malformed UTF-8 encoding")},
	{"import field past the input", 0, MOD(SEC(0x02, 0x01, 0x00, 0x20, 0x00)),
	 BAD(12, "length out of bounds")},
	{"import func type index too long", 0,
	 MOD(SEC(0x02, 0x01, 0x00, 0x00, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00)), BAD(18, LONG)},
	{"import table reftype 0x7f", 0, MOD(SEC(0x02, 0x01, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00)),
	 BAD(14, "malformed reference type")},
	{"import table flags 2, threads on", THREADS,
	 MOD(SEC(0x02, 0x01, 0x00, 0x00, 0x01, 0x70, 0x02, 0x00)), BAD(15, LARGE)},
	{"import memory shared without threads", WLAB_FEATURES_2_0,
	 MOD(SEC(0x02, 0x01, 0x00, 0x00, 0x02, 0x03, 0x01, 0x01)), BAD(14, LARGE NEEDS_THREADS)},
	{"import memory64 without the feature", WLAB_FEATURES_2_0,
	 MOD(SEC(0x02, 0x01, 0x00, 0x00, 0x02, 0x04, 0x01)), BAD(14, LARGE NEEDS_MEM64("memory"))},
	{"import memory shared, 3.0 without threads", MEM64,
	 MOD(SEC(0x02, 0x01, 0x00, 0x00, 0x02, 0x03, 0x01, 0x01)), BAD(14, FLAGS NEEDS_THREADS)},
	{"import table64 without the feature", THREADS,
	 MOD(SEC(0x02, 0x01, 0x00, 0x00, 0x01, 0x70, 0x04, 0x01)), BAD(15, LARGE NEEDS_MEM64("table"))},
	{"import memory flags 0x81", 0, MOD(SEC(0x02, 0x01, 0x00, 0x00, 0x02, 0x81, 0x00, 0x00)),
	 BAD(14, FLAGS)},
	{"import memory flags 0x81 in 2.0", WLAB_FEATURES_2_0,
	 MOD(SEC(0x02, 0x01, 0x00, 0x00, 0x02, 0x81, 0x00, 0x00)), BAD(14, LONG)},
	{"import memory max missing", 0, MOD(SEC(0x02, 0x01, 0x00, 0x00, 0x02, 0x01, 0x00)),
	 BAD(16, SEC_END)},
	{"import global mutability 2", 0, MOD(SEC(0x02, 0x01, 0x00, 0x00, 0x03, 0x7f, 0x02)),
	 BAD(15, "malformed mutability")},

	/* function, table, memory, global, export, start */
	{"function count past the input", 0, MOD(SEC(0x03, 0x02, 0x00)), BAD(12, SEC_END)},
	{"function type index too large", 0, MOD(SEC(0x03, 0x01, 0xff, 0xff, 0xff, 0xff, 0x1f)),
	 BAD(15, LARGE)},
	{"function without code", 0, MOD(TYPE0, FUNC1),
	 BAD(18, "function and code section have inconsistent lengths")},
	{"code without function", 0, MOD(SEC(0x0a, 0x01, 0x02, 0x00, 0x0b)),
	 BAD(11, "function and code section have inconsistent lengths")},
	{"table reftype 0x7f", 0, MOD(SEC(0x04, 0x01, 0x7f, 0x00)),
	 BAD(11, "malformed reference type")},
	{"table flags 2", 0, MOD(SEC(0x04, 0x01, 0x70, 0x02, 0x00)), BAD(12, FLAGS)},
	{"table flags 2 in 2.0", WLAB_FEATURES_2_0, MOD(SEC(0x04, 0x01, 0x70, 0x02, 0x00)),
	 BAD(12, LARGE)},
	{"memory flags 2 without threads", WLAB_FEATURES_2_0, MOD(SEC(0x05, 0x01, 0x02, 0x00)),
	 BAD(11, LARGE NEEDS_THREADS)},
	{"memory flags 2: shared, min missing", 0, MOD(SEC(0x05, 0x01, 0x02)), BAD(12, SEC_END)},
	{"memory flags 4 (memory64) with threads", THREADS, MOD(SEC(0x05, 0x01, 0x04, 0x00)),
	 BAD(11, LARGE NEEDS_MEM64("memory"))},
	{"memory flags 6, neither feature: shared first", WLAB_FEATURES_2_0,
	 MOD(SEC(0x05, 0x01, 0x06, 0x00)), BAD(11, LARGE NEEDS_THREADS)},
	{"memory flags 8 (custom page sizes)", 0, MOD(SEC(0x05, 0x01, 0x08, 0x00)), BAD(11, FLAGS)},
	{"table flags 8", 0, MOD(SEC(0x04, 0x01, 0x70, 0x08, 0x00)), BAD(12, FLAGS)},
	{"table64 in 2.0", WLAB_FEATURES_2_0, MOD(SEC(0x04, 0x01, 0x70, 0x04, 0x00)),
	 BAD(12, LARGE NEEDS_MEM64("table"))},
	{"table64 min past 2^64", 0, MOD(SEC(0x04, 0x01, 0x70, 0x04,
	 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02)), BAD(22, LARGE)},
	{"memory64 in 2.0", WLAB_FEATURES_2_0, MOD(SEC(0x05, 0x01, 0x04, 0x00)),
	 BAD(11, LARGE NEEDS_MEM64("memory"))},
	{"memory min past u64", 0, MOD(SEC(0x05, 0x01, 0x00,
	 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02)), BAD(21, LARGE)},
	{"memory min too large in 2.0", WLAB_FEATURES_2_0,
	 MOD(SEC(0x05, 0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0x7f)),
	 BAD(16, LARGE)},
	{"global valtype 0x7a", 0, MOD(SEC(0x06, 0x01, 0x7a, 0x00, 0x41, 0x00, 0x0b)),
	 BAD(11, "malformed value type")},
	{"global mutability 2", 0, MOD(SEC(0x06, 0x01, 0x7f, 0x02, 0x41, 0x00, 0x0b)),
	 BAD(12, "malformed mutability")},
	{"global init illegal opcode", 0, MOD(SEC(0x06, 0x01, 0x7f, 0x00, 0xff, 0x0b)),
	 BAD(13, "illegal opcode")},
	{"global init else", 0, MOD(SEC(0x06, 0x01, 0x7f, 0x00, 0x05, 0x0b)),
	 BAD(13, "END opcode expected")},
	{"global init immediate truncated", 0, MOD(SEC(0x06, 0x01, 0x7f, 0x00, 0x41)),
	 BAD(14, SEC_END)},
	{"export kind 4 in 2.0", WLAB_FEATURES_2_0, MOD(SEC(0x07, 0x01, 0x01, 'f', 0x04, 0x00)),
	 BAD(13, "malformed export kind")},
	{"export kind 5", 0, MOD(SEC(0x07, 0x01, 0x01, 'f', 0x05, 0x00)),
	 BAD(13, "malformed export kind")},
	{"export name surrogate", 0, MOD(SEC(0x07, 0x01, 0x03, 0xed, 0xa0, 0x80, 0x00, 0x00)),
	 BAD(12, "malformed UTF-8 encoding")},
	{"start index missing", 0, MOD(0x08, 0x00), BAD(10, SEC_END)},
	{"start with a byte left", 0, MOD(SEC(0x08, 0x00, 0x00)), BAD(12, "section size mismatch")},

	/* element section */
	{"elem flags 8", 0, MOD(SEC(0x09, 0x01, 0x08)), BAD(11, "malformed elements segment kind")},
	{"elem flags 0xffffffff", 0, MOD(SEC(0x09, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f)),
	 BAD(11, "malformed elements segment kind")},
	{"elem kind 1", 0, MOD(SEC(0x09, 0x01, 0x01, 0x01, 0x00)),
	 BAD(12, "malformed element kind")},
	{"elem reftype 0x7f", 0, MOD(SEC(0x09, 0x01, 0x05, 0x7f, 0x00)),
	 BAD(12, "malformed reference type")},
	{"elem offset illegal opcode", 0, MOD(SEC(0x09, 0x01, 0x00, 0xff)),
	 BAD(12, "illegal opcode")},
	{"elem funcs past the input", 0, MOD(SEC(0x09, 0x01, 0x01, 0x00, 0x05, 0x00)),
	 BAD(15, SEC_END)},
	{"elem item expression without end", 0, MOD(SEC(0x09, 0x01, 0x05, 0x70, 0x01, 0xd2, 0x00)),
	 BAD(16, SEC_END)},

	/* data count and data */
	{"data count with a byte left", 0, MOD(SEC(0x0c, 0x00, 0x00)),
	 BAD(12, "section size mismatch")},
	{"data count 1 without data", 0, MOD(SEC(0x0c, 0x01)),
	 BAD(11, "data count and data section have inconsistent lengths")},
	{"data count 0, one segment", 0, MOD(SEC(0x0c, 0x00), SEC(0x0b, 0x01, 0x01, 0x00)),
	 BAD(16, "data count and data section have inconsistent lengths")},
	{"data flags 3", 0, MOD(SEC(0x0b, 0x01, 0x03)), BAD(11, "malformed data segment kind")},
	{"data bytes past the input", 0, MOD(SEC(0x0b, 0x01, 0x01, 0x05, 'a')), BAD(14, SEC_END)},
	{"data offset without end", 0, MOD(SEC(0x0b, 0x01, 0x00, 0x41, 0x00)), BAD(14, SEC_END)},
	{"data.drop without data count", 0,
	 MOD(TYPE0, FUNC1, SEC(0x05, 0x01, 0x00, 0x00),
	     SEC(0x0a, 0x01, 0x05, 0x00, 0xfc, 0x09, 0x00, 0x0b), SEC(0x0b, 0x01, 0x01, 0x00)),
	 BAD(28, "data count section required")},

	/* code section */
	{"code count 2 for 1 function", 0,
	 MOD(TYPE0, FUNC1, SEC(0x0a, 0x02, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b)),
	 BAD(21, "function and code section have inconsistent lengths")},
	{"body size past the input", 0, MOD(TYPE0, FUNC1, SEC(0x0a, 0x01, 0x09, 0x00, 0x0b)),
	 BAD(21, "length out of bounds")},
	{"body without end", 0, MOD(BODY(0x00, 0x01)), BAD(24, SEC_END)},
	/* a body that its size ends before its end: the error is at its end,
	 * not in the next body's bytes (code section at 19, body 0 at 22) */
	{"body without end before another", 0,
	 MOD(TYPE0, SEC(0x03, 0x02, 0x00, 0x00),
	     SEC(0x0a, 0x02, 0x04, 0x00, 0x02, 0x40, 0x0b, 0x02, 0x00, 0x0b)),
	 BAD(27, "END opcode expected")},
	{"body whose immediate runs into the next", 0,
	 MOD(TYPE0, SEC(0x03, 0x02, 0x00, 0x00),
	     SEC(0x0a, 0x02, 0x02, 0x00, 0x41, 0x02, 0x00, 0x0b)),
	 BAD(25, "section size mismatch")},
	/* binary.wast: one ending with its section reads on into the next
	 * section (its 0x0b an end), "section size mismatch" */
	{"body without end, then a section", 0,
	 MOD(BODY(0x00, 0x41, 0x01, 0x1a), 0x0b, 0x03, 0x01, 0x01, 0x00),
	 BAD(26, "section size mismatch")},
	{"body with a byte after end", 0, MOD(BODY(0x00, 0x0b, 0x01)),
	 BAD(25, "section size mismatch")},
	{"locals past the body", 0,
	 MOD(TYPE0, FUNC1, SEC(0x0a, 0x01, 0x01, 0x01, 0x01, 0x7f, 0x0b)),
	 BAD(23, "section size mismatch")},
	{"local decl count past the input", 0, MOD(BODY(0x05, 0x0b)), BAD(24, SEC_END)},
	{"too many locals", 0,
	 MOD(BODY(0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x01, 0x7f, 0x0b)),
	 BAD(29, "too many locals")},
	{"local type 0x7a", 0, MOD(BODY(0x01, 0x01, 0x7a, 0x0b)), BAD(24, "malformed value type")},
	{"illegal opcode in a body", 0, MOD(BODY(0x00, 0xff, 0x0b)), BAD(23, "illegal opcode")},
	{"else without if", 0, MOD(BODY(0x00, 0x05, 0x0b)), BAD(23, "END opcode expected")},
	{"else in a block", 0, MOD(BODY(0x00, 0x02, 0x40, 0x05, 0x0b, 0x0b)),
	 BAD(25, "END opcode expected")},
	{"two elses", 0, MOD(BODY(0x00, 0x41, 0x00, 0x04, 0x40, 0x05, 0x05, 0x0b, 0x0b)),
	 BAD(28, "END opcode expected")},
	{"catch without try", EXC, MOD(BODY(0x00, 0x07, 0x00, 0x0b)),
	 BAD(23, "END opcode expected")},
	{"delegate in a block", EXC, MOD(BODY(0x00, 0x02, 0x40, 0x18, 0x00, 0x0b)),
	 BAD(25, "END opcode expected")},
	{"try without exceptions", WLAB_FEATURES_2_0, MOD(BODY(0x00, 0x06, 0x40, 0x0b, 0x0b)),
	 BAD(23, "illegal opcode: try needs the exceptions feature (--enable-exceptions)")},
};

/* Decodes one row; prints what differs. Every failure returns the partial
 * module, which borrows the row's bytes. */
static bool run_bad(const struct bad_module *c, size_t max_alloc)
{
	struct wlab_decode_options opts = {.features = c->features, .max_alloc = max_alloc};
	struct wlab_error err;
	struct wlab_module *m = NULL;
	enum wlab_status st = wlab_module_decode(c->bytes, c->len, &opts, &m, &err);
	bool ok = tu_check_error(c->name, &err, c->st, c->offset, c->msg);
	if (ok && st != c->st)
		ok = tu_row_failed(c->name, "returned %s", wlab_status_name(st));
	if (ok && (!m || m->bytes != c->bytes || m->size != c->len))
		ok = tu_row_failed(c->name, "no partial module");
	wlab_module_free(m);
	return ok;
}

static void run_bad_table(const char *table, const struct bad_module *rows, size_t n,
			  size_t max_alloc)
{
	size_t failed = 0;
	for (size_t i = 0; i < n; i++)
		failed += !run_bad(&rows[i], max_alloc);
	tu_table_done(table, failed, n);
}

static void test_malformed_modules(void **state)
{
	(void)state;
	run_bad_table("malformed modules", bad_modules,
		      sizeof bad_modules / sizeof bad_modules[0], 0);
}

/* ---- well-formed modules: fields and spans ---- */

static struct wlab_module *decode_ok(const struct tu_buf *b, const struct wlab_decode_options *opts)
{
	struct wlab_module *m = NULL;
	struct wlab_error err;
	enum wlab_status st = tu_decode(b, opts, &m, &err);
	tu_expect_ok("decode", &err);
	assert_int_equal(st, WLAB_OK);
	assert_non_null(m);
	return m;
}

static void expect_section(const struct wlab_module *m, uint32_t i, uint8_t id, size_t start,
			   size_t payload, size_t payload_size, uint32_t count)
{
	char what[64];
	assert_true(i < m->nsections);
	const struct wlab_section *s = &m->sections[i];
	snprintf(what, sizeof what, "section %u (id %u)", (unsigned)i, (unsigned)id);
	if (s->id != id)
		fail_msg("%s: id %u", what, (unsigned)s->id);
	tu_expect_span(what, s->span, start, payload + payload_size - start);
	tu_expect_span(what, s->payload, payload, payload_size);
	if (s->count != count)
		fail_msg("%s: count %u, want %u", what, (unsigned)s->count, (unsigned)count);
}

static void test_header_only(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	tu_header(&b);
	struct wlab_module *m = decode_ok(&b, NULL);
	assert_int_equal(m->version, 1);
	assert_int_equal(m->nsections, 0);
	assert_int_equal(m->ntypes + m->nimports + m->nfuncs + m->ntables + m->nmemories, 0);
	assert_int_equal(m->nglobals + m->nexports + m->nelems + m->ncodes + m->ndatas, 0);
	assert_false(m->has_start);
	assert_false(m->has_data_count);
	assert_ptr_equal(m->bytes, b.p);
	assert_int_equal(m->size, 8);
	wlab_module_free(m);
	/* No error record and no options are fine too. */
	m = NULL;
	assert_int_equal(wlab_module_decode(b.p, b.n, NULL, &m, NULL), WLAB_OK);
	wlab_module_free(m);
	m = NULL;
	assert_int_equal(wlab_module_decode(b.p, 3, NULL, &m, NULL), WLAB_MALFORMED);
	assert_non_null(m);
	wlab_module_free(m);
	wlab_module_free(NULL);
	tu_buf_free(&b);
}

static void test_type_section(void **state)
{
	(void)state;
	struct tu_buf b = {0}, p = {0};
	tu_header(&b);
	tu_u32(&p, 3);
	size_t t0 = p.n;
	TU_PUT(&p, 0x60, 0x02, 0x7f, 0x7e, 0x01, 0x7d);       /* (i32 i64) -> f32 */
	size_t t1 = p.n;
	TU_PUT(&p, 0x60, 0x00, 0x00);                         /* () -> () */
	size_t t2 = p.n;
	TU_PUT(&p, 0x60, 0x03, 0x7b, 0x70, 0x6f, 0x02, 0x7c, 0x7c);  /* multi-value */
	size_t pay = tu_section(&b, WLAB_SEC_TYPE, &p);
	struct wlab_module *m = decode_ok(&b, NULL);

	assert_int_equal(m->ntypes, 3);
	const struct wlab_functype *t = m->types;
	assert_int_equal(t[0].nparams, 2);
	assert_int_equal(t[0].params[0], WLAB_I32);
	assert_int_equal(t[0].params[1], WLAB_I64);
	assert_int_equal(t[0].nresults, 1);
	assert_int_equal(t[0].results[0], WLAB_F32);
	assert_int_equal(t[1].nparams + t[1].nresults, 0);
	assert_int_equal(t[2].nparams, 3);
	assert_int_equal(t[2].params[0], 0x7b);
	assert_int_equal(t[2].params[1], 0x70);
	assert_int_equal(t[2].params[2], 0x6f);
	assert_int_equal(t[2].nresults, 2);
	assert_int_equal(t[2].results[0], 0x7c);
	assert_int_equal(t[2].results[1], 0x7c);
	tu_expect_span("type 0", t[0].span, pay + t0, 6);
	tu_expect_span("type 1", t[1].span, pay + t1, 3);
	tu_expect_span("type 2", t[2].span, pay + t2, 8);
	assert_int_equal(m->nsections, 1);
	expect_section(m, 0, WLAB_SEC_TYPE, 8, pay, p.n, 3);
	wlab_module_free(m);
	tu_buf_free(&b);
	tu_buf_free(&p);
}

/* A section size written in five bytes still frames the section. */
static void test_section_overlong_size(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	tu_header(&b);
	tu_byte(&b, WLAB_SEC_TYPE);
	tu_u32_padded(&b, 4, 5);
	TU_PUT(&b, 0x01, 0x60, 0x00, 0x00);
	TU_PUT(&b, WLAB_SEC_FUNCTION, 0x02, 0x01, 0x00);
	TU_PUT(&b, WLAB_SEC_CODE, 0x04, 0x01, 0x02, 0x00, 0x0b);
	struct wlab_module *m = decode_ok(&b, NULL);
	assert_int_equal(m->nsections, 3);
	expect_section(m, 0, WLAB_SEC_TYPE, 8, 14, 4, 1);
	expect_section(m, 1, WLAB_SEC_FUNCTION, 18, 20, 2, 1);
	expect_section(m, 2, WLAB_SEC_CODE, 22, 24, 4, 1);
	tu_expect_span("type 0", m->types[0].span, 15, 3);
	wlab_module_free(m);
	tu_buf_free(&b);
}

static void test_import_section(void **state)
{
	(void)state;
	struct tu_buf b = {0}, p = {0};
	size_t at[7];
	tu_header(&b);
	TU_PUT(&b, WLAB_SEC_TYPE, 0x04, 0x01, 0x60, 0x00, 0x00);
	tu_u32(&p, 7);
	at[0] = p.n;
	tu_name(&p, "env");
	tu_name(&p, "f");
	TU_PUT(&p, 0x00, 0x00);                       /* func, type 0 */
	at[1] = p.n;
	tu_name(&p, "env");
	tu_name(&p, "t");
	TU_PUT(&p, 0x01, 0x70, 0x01, 0x01, 0x80, 0x01);  /* table funcref 1..128 */
	at[2] = p.n;
	tu_name(&p, "env");
	tu_name(&p, "m");
	TU_PUT(&p, 0x02, 0x00, 0x02);                 /* memory 2.. */
	at[3] = p.n;
	tu_name(&p, "");
	tu_name(&p, "g\xc3\xa9");
	TU_PUT(&p, 0x03, 0x7e, 0x01);                 /* global (mut i64) */
	at[4] = p.n;
	tu_name(&p, "env");
	tu_name(&p, "h");
	TU_PUT(&p, 0x00, 0x80, 0x00);                 /* func, type 0 in two bytes */
	at[5] = p.n;
	tu_name(&p, "env");
	tu_name(&p, "x");
	TU_PUT(&p, 0x01, 0x6f, 0x00, 0x00);           /* table externref 0.. */
	at[6] = p.n;
	tu_name(&p, "env");
	tu_name(&p, "c");
	TU_PUT(&p, 0x03, 0x7f, 0x00);                 /* global i32 */
	size_t end = p.n;
	size_t pay = tu_section(&b, WLAB_SEC_IMPORT, &p);
	struct wlab_module *m = decode_ok(&b, NULL);

	assert_int_equal(m->nimports, 7);
	const struct wlab_import *im = m->imports;
	static const uint8_t kinds[] = {0, 1, 2, 3, 0, 1, 3};
	static const uint32_t kind_index[] = {0, 0, 0, 0, 1, 1, 1};
	for (int i = 0; i < 7; i++) {
		char what[32];
		snprintf(what, sizeof what, "import %d", i);
		assert_int_equal(im[i].kind, kinds[i]);
		assert_int_equal(im[i].kind_index, kind_index[i]);
		tu_expect_span(what, im[i].span, pay + at[i], (i < 6 ? at[i + 1] : end) - at[i]);
	}
	assert_int_equal(im[0].module.len, 3);
	assert_memory_equal(im[0].module.ptr, "env", 3);
	assert_ptr_equal(im[0].module.ptr, b.p + pay + at[0] + 1);  /* borrowed bytes */
	assert_int_equal(im[0].field.len, 1);
	assert_memory_equal(im[0].field.ptr, "f", 1);
	assert_int_equal(im[0].u.func_type, 0);
	assert_int_equal(im[1].u.table.elemtype, WLAB_FUNCREF);
	assert_true(im[1].u.table.limits.has_max);
	assert_int_equal(im[1].u.table.limits.min, 1);
	assert_int_equal(im[1].u.table.limits.max, 128);
	assert_int_equal(im[2].u.memory.flags, 0);
	assert_false(im[2].u.memory.has_max);
	assert_int_equal(im[2].u.memory.min, 2);
	assert_int_equal(im[3].module.len, 0);
	assert_int_equal(im[3].field.len, 3);
	assert_int_equal(im[3].u.global.valtype, WLAB_I64);
	assert_true(im[3].u.global.mut);
	assert_int_equal(im[4].u.func_type, 0);
	assert_int_equal(im[5].u.table.elemtype, WLAB_EXTERNREF);
	assert_false(im[6].u.global.mut);

	assert_int_equal(m->nimported_funcs, 2);
	assert_int_equal(m->nimported_tables, 2);
	assert_int_equal(m->nimported_memories, 1);
	assert_int_equal(m->nimported_globals, 2);
	assert_int_equal(wlab_module_func_count(m), 2);
	assert_int_equal(wlab_module_table_count(m), 2);
	assert_int_equal(wlab_module_memory_count(m), 1);
	assert_int_equal(wlab_module_global_count(m), 2);
	assert_ptr_equal(wlab_module_import_of(m, WLAB_EXTERN_FUNC, 1), &im[4]);
	assert_ptr_equal(wlab_module_import_of(m, WLAB_EXTERN_GLOBAL, 1), &im[6]);
	assert_null(wlab_module_import_of(m, WLAB_EXTERN_FUNC, 2));
	assert_int_equal(wlab_module_func_type(m, 1), 0);
	assert_int_equal(wlab_module_func_type(m, 2), UINT32_MAX);
	expect_section(m, 1, WLAB_SEC_IMPORT, pay - 2, pay, p.n, 7);
	wlab_module_free(m);
	tu_buf_free(&b);
	tu_buf_free(&p);
}

/* Limits and import kinds that need a feature: shared memories, memory64, tags. */
/* table64 and memory64 limits: flag 0x04, u64 bounds. */
static void test_limits64(void **state)
{
	(void)state;
	static const uint8_t bytes[] = {
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		0x04, 0x0a, 0x01, 0x70, 0x05, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20,  /* max 2^40 */
		0x05, 0x04, 0x01, 0x04, 0x80, 0x02};  /* (memory i64 256) */
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	assert_int_equal(wlab_module_decode(bytes, sizeof bytes, NULL, &m, &err), WLAB_OK);
	assert_true(m->tables[0].type.limits.is64);
	assert_true(m->tables[0].type.limits.has_max);
	assert_int_equal(m->tables[0].type.limits.min, 1);
	assert_int_equal(m->tables[0].type.limits.max, (uint64_t)1 << 40);
	assert_true(m->memories[0].limits.is64);
	assert_false(m->memories[0].limits.has_max);
	assert_int_equal(m->memories[0].limits.min, 256);
	wlab_module_free(m);
}

static void test_import_features(void **state)
{
	(void)state;
	struct tu_buf b = {0}, p = {0};
	tu_header(&b);
	tu_u32(&p, 3);
	tu_name(&p, "a");
	tu_name(&p, "shared");
	TU_PUT(&p, 0x02, 0x03, 0x01, 0x10);           /* shared memory 1..16 */
	tu_name(&p, "a");
	tu_name(&p, "big");
	TU_PUT(&p, 0x02, 0x05);                       /* memory64 with max */
	tu_u64(&p, (uint64_t)1 << 40);
	tu_u64(&p, UINT64_MAX);
	tu_name(&p, "a");
	tu_name(&p, "tag");
	TU_PUT(&p, 0x04, 0x00, 0x03);                 /* tag: attribute 0, type 3 */
	tu_section(&b, WLAB_SEC_IMPORT, &p);
	struct wlab_decode_options opts = {
		.features = wlab_features_default() | WLAB_FEATURE_THREADS |
			    WLAB_FEATURE_MEMORY64 | WLAB_FEATURE_EXCEPTIONS,
	};
	struct wlab_module *m = decode_ok(&b, &opts);
	const struct wlab_import *im = m->imports;
	assert_int_equal(m->nimports, 3);
	assert_int_equal(im[0].u.memory.flags, 3);
	assert_true(im[0].u.memory.shared);
	assert_true(im[0].u.memory.has_max);
	assert_false(im[0].u.memory.is64);
	assert_int_equal(im[0].u.memory.max, 16);
	assert_true(im[1].u.memory.is64);
	assert_int_equal(im[1].u.memory.min, (uint64_t)1 << 40);
	assert_int_equal(im[1].u.memory.max, UINT64_MAX);
	assert_int_equal(im[2].kind, WLAB_EXTERN_TAG);
	assert_int_equal(im[2].u.tag.attribute, 0);
	assert_int_equal(im[2].u.tag.type_index, 3);
	assert_int_equal(m->nimported_memories, 2);
	assert_int_equal(m->nimported_tags, 1);
	assert_int_equal(im[1].kind_index, 1);
	assert_int_equal(im[2].kind_index, 0);
	wlab_module_free(m);
	tu_buf_free(&b);
	tu_buf_free(&p);
}

/* Type, function and code sections with locals: the code entry's three spans. */
static void test_function_and_code(void **state)
{
	(void)state;
	struct tu_buf b = {0}, p = {0};
	tu_header(&b);
	TU_PUT(&b, WLAB_SEC_TYPE, 0x08, 0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x00);
	/* function section: types 0, 1, 0, the middle one in two bytes */
	TU_PUT(&b, WLAB_SEC_FUNCTION, 0x05, 0x03, 0x00, 0x81, 0x00, 0x00);
	size_t funcs_pay = b.n - 5;
	tu_u32(&p, 3);
	size_t c0 = p.n;
	TU_PUT(&p, 0x02, 0x00, 0x0b);                 /* no locals, end */
	size_t c1 = p.n;
	TU_PUT(&p, 0x0a, 0x02, 0x01, 0x7f, 0x02, 0x7e, 0x20, 0x00, 0x1a, 0x01, 0x0b);
	size_t c2 = p.n;
	tu_u32_padded(&p, 6, 3);                      /* body size in three bytes */
	TU_PUT(&p, 0x01, 0x80, 0x01, 0x7d, 0x01, 0x0b);  /* 128 f32 locals, nop */
	size_t end = p.n;
	size_t pay = tu_section(&b, WLAB_SEC_CODE, &p);
	struct wlab_module *m = decode_ok(&b, NULL);

	assert_int_equal(m->nfuncs, 3);
	assert_int_equal(m->nfunc_decl_offsets, 3);
	assert_int_equal(m->func_types[0], 0);
	assert_int_equal(m->func_types[1], 1);
	assert_int_equal(m->func_types[2], 0);
	assert_int_equal(m->func_decl_offsets[0], funcs_pay + 1);
	assert_int_equal(m->func_decl_offsets[1], funcs_pay + 2);
	assert_int_equal(m->func_decl_offsets[2], funcs_pay + 4);
	assert_int_equal(wlab_module_func_type(m, 1), 1);
	assert_int_equal(wlab_module_func_type(m, 3), UINT32_MAX);

	assert_int_equal(m->ncodes, 3);
	const struct wlab_code *c = m->codes;
	tu_expect_span("code 0", c[0].span, pay + c0, 3);
	tu_expect_span("code 0 body", c[0].body, pay + c0 + 1, 2);
	tu_expect_span("code 0 expr", c[0].expr, pay + c0 + 2, 1);
	assert_int_equal(c[0].nlocal_decls, 0);
	assert_int_equal(c[0].nlocals, 0);

	tu_expect_span("code 1", c[1].span, pay + c1, c2 - c1);
	tu_expect_span("code 1 body", c[1].body, pay + c1 + 1, 10);
	tu_expect_span("code 1 expr", c[1].expr, pay + c1 + 6, 5);
	assert_int_equal(c[1].nlocal_decls, 2);
	assert_int_equal(c[1].local_decls[0].count, 1);
	assert_int_equal(c[1].local_decls[0].type, WLAB_I32);
	assert_int_equal(c[1].local_decls[0].offset, pay + c1 + 2);
	assert_int_equal(c[1].local_decls[1].count, 2);
	assert_int_equal(c[1].local_decls[1].type, WLAB_I64);
	assert_int_equal(c[1].local_decls[1].offset, pay + c1 + 4);
	assert_int_equal(c[1].nlocals, 3);

	tu_expect_span("code 2", c[2].span, pay + c2, end - c2);
	tu_expect_span("code 2 body", c[2].body, pay + c2 + 3, 6);
	tu_expect_span("code 2 expr", c[2].expr, pay + c2 + 7, 2);
	assert_int_equal(c[2].nlocals, 128);
	assert_int_equal(c[2].local_decls[0].type, WLAB_F32);
	expect_section(m, 2, WLAB_SEC_CODE, pay - 2, pay, p.n, 3);
	wlab_module_free(m);
	tu_buf_free(&b);
	tu_buf_free(&p);
}

/* Appends a code section of one body given as locals+expr bytes. */
static size_t put_code(struct tu_buf *b, const void *body, size_t n)
{
	struct tu_buf p = {0};
	tu_u32(&p, 1);
	tu_u32(&p, (uint32_t)n);
	tu_bytes(&p, body, n);
	size_t pay = tu_section(b, WLAB_SEC_CODE, &p);
	tu_buf_free(&p);
	return pay;
}

/* The header, the type ()->() and one function of that type. */
static void put_func_prefix(struct tu_buf *b)
{
	tu_header(b);
	TU_PUT(b, WLAB_SEC_TYPE, 0x04, 0x01, 0x60, 0x00, 0x00);
	TU_PUT(b, WLAB_SEC_FUNCTION, 0x02, 0x01, 0x00);
}

/* Local counts may add up to exactly 2^32 - 1. */
static void test_locals_at_the_limit(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	put_func_prefix(&b);
	static const uint8_t body[] = {0x02, 0xfe, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x01, 0x7e, 0x0b};
	put_code(&b, body, sizeof body);
	struct wlab_module *m = decode_ok(&b, NULL);
	assert_int_equal(m->codes[0].nlocals, UINT32_MAX);
	assert_int_equal(m->codes[0].nlocal_decls, 2);
	assert_int_equal(m->codes[0].local_decls[0].count, 0xfffffffeu);
	wlab_module_free(m);
	tu_buf_free(&b);
}

static void test_table_and_memory(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	tu_header(&b);
	TU_PUT(&b, WLAB_SEC_TABLE, 0x08, 0x02, 0x70, 0x00, 0x00, 0x6f, 0x01, 0x01, 0x0a);
	TU_PUT(&b, WLAB_SEC_MEMORY, 0x08, 0x02, 0x00, 0x01, 0x01, 0x00, 0x80, 0x80, 0x04);
	struct wlab_module *m = decode_ok(&b, NULL);
	assert_int_equal(m->ntables, 2);
	assert_int_equal(m->tables[0].type.elemtype, WLAB_FUNCREF);
	assert_false(m->tables[0].type.limits.has_max);
	assert_int_equal(m->tables[0].type.limits.min, 0);
	assert_false(m->tables[0].has_init);
	tu_expect_span("table 0", m->tables[0].span, 11, 3);
	assert_int_equal(m->tables[1].type.elemtype, WLAB_EXTERNREF);
	assert_int_equal(m->tables[1].type.limits.flags, 1);
	assert_true(m->tables[1].type.limits.has_max);
	assert_int_equal(m->tables[1].type.limits.min, 1);
	assert_int_equal(m->tables[1].type.limits.max, 10);
	tu_expect_span("table 1", m->tables[1].span, 14, 4);
	assert_int_equal(m->nmemories, 2);
	assert_int_equal(m->memories[0].limits.min, 1);
	assert_false(m->memories[0].limits.has_max);
	tu_expect_span("memory 0", m->memories[0].span, 21, 2);
	assert_int_equal(m->memories[1].limits.min, 0);
	assert_int_equal(m->memories[1].limits.max, 65536);
	assert_false(m->memories[1].limits.shared);
	assert_false(m->memories[1].limits.is64);
	tu_expect_span("memory 1", m->memories[1].span, 23, 5);
	expect_section(m, 0, WLAB_SEC_TABLE, 8, 10, 8, 2);
	expect_section(m, 1, WLAB_SEC_MEMORY, 18, 20, 8, 2);
	assert_int_equal(wlab_module_table_count(m), 2);
	assert_int_equal(wlab_module_memory_count(m), 2);
	wlab_module_free(m);
	tu_buf_free(&b);
}

struct global_row {
	uint8_t type;
	bool mut;
	uint8_t init[24];  /* the expression, ending with 0x0b */
	size_t len;
};

#define INIT(...) .init = {__VA_ARGS__}, .len = sizeof((uint8_t[]){__VA_ARGS__})

static const struct global_row global_rows[] = {
	{0x7f, false, INIT(0x41, 0x2a, 0x0b)},                          /* i32.const 42 */
	{0x7e, true, INIT(0x42, 0x7f, 0x0b)},                           /* i64.const -1 */
	{0x7d, false, INIT(0x43, 0x00, 0x00, 0x80, 0x3f, 0x0b)},        /* f32.const 1 */
	{0x7c, false, INIT(0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x0b)},  /* f64.const 1 */
	{0x70, false, INIT(0xd0, 0x70, 0x0b)},                          /* ref.null func */
	{0x70, false, INIT(0xd2, 0x80, 0x01, 0x0b)},                    /* ref.func 128 */
	{0x7f, false, INIT(0x23, 0x00, 0x0b)},                          /* global.get 0 */
	{0x7f, true, INIT(0x41, 0x01, 0x41, 0x02, 0x6a, 0x0b)},         /* extended const */
	{0x7f, false, INIT(0x0b)},                     /* empty: validation rejects it */
	{0x7b, false, INIT(0xfd, 0x0c, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
			   0x0b)},
};

static void test_global_section(void **state)
{
	(void)state;
	const size_t n = sizeof global_rows / sizeof global_rows[0];
	struct tu_buf b = {0}, p = {0};
	size_t at[sizeof global_rows / sizeof global_rows[0]];
	tu_header(&b);
	tu_u32(&p, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		at[i] = p.n;
		tu_byte(&p, global_rows[i].type);
		tu_byte(&p, global_rows[i].mut);
		tu_bytes(&p, global_rows[i].init, global_rows[i].len);
	}
	size_t pay = tu_section(&b, WLAB_SEC_GLOBAL, &p);
	struct wlab_module *m = decode_ok(&b, NULL);
	assert_int_equal(m->nglobals, n);
	for (size_t i = 0; i < n; i++) {
		const struct wlab_global *g = &m->globals[i];
		char what[32];
		snprintf(what, sizeof what, "global %zu", i);
		assert_int_equal(g->type.valtype, global_rows[i].type);
		assert_int_equal(g->type.mut, global_rows[i].mut);
		tu_expect_span(what, g->span, pay + at[i], 2 + global_rows[i].len);
		tu_expect_span(what, g->init.span, pay + at[i] + 2, global_rows[i].len);
	}
	expect_section(m, 0, WLAB_SEC_GLOBAL, 8, pay, p.n, (uint32_t)n);
	assert_int_equal(wlab_module_global_count(m), n);
	wlab_module_free(m);
	tu_buf_free(&b);
	tu_buf_free(&p);
}

static void test_export_and_start(void **state)
{
	(void)state;
	struct tu_buf b = {0}, p = {0};
	static const struct {
		const char *name;
		uint8_t kind;
		uint32_t index;
	} rows[] = {
		{"f", WLAB_EXTERN_FUNC, 0},
		{"", WLAB_EXTERN_TABLE, 0},
		{"mem", WLAB_EXTERN_MEMORY, 0},
		{"g", WLAB_EXTERN_GLOBAL, 1},
		{"\xc3\xa9t\xc3\xa9", WLAB_EXTERN_FUNC, 1000},
	};
	size_t at[6];
	tu_header(&b);
	tu_u32(&p, 5);
	for (int i = 0; i < 5; i++) {
		at[i] = p.n;
		tu_name(&p, rows[i].name);
		tu_byte(&p, rows[i].kind);
		tu_u32(&p, rows[i].index);
	}
	at[5] = p.n;
	size_t pay = tu_section(&b, WLAB_SEC_EXPORT, &p);
	TU_PUT(&b, WLAB_SEC_START, 0x02, 0x85, 0x00);
	struct wlab_module *m = decode_ok(&b, NULL);
	assert_int_equal(m->nexports, 5);
	for (int i = 0; i < 5; i++) {
		const struct wlab_export *ex = &m->exports[i];
		char what[32];
		snprintf(what, sizeof what, "export %d", i);
		assert_int_equal(ex->name.len, strlen(rows[i].name));
		assert_memory_equal(ex->name.ptr, rows[i].name, ex->name.len);
		assert_int_equal(ex->kind, rows[i].kind);
		assert_int_equal(ex->index, rows[i].index);
		tu_expect_span(what, ex->span, pay + at[i], at[i + 1] - at[i]);
	}
	assert_true(m->has_start);
	assert_int_equal(m->start, 5);
	expect_section(m, 1, WLAB_SEC_START, b.n - 4, b.n - 2, 2, 0);
	wlab_module_free(m);
	tu_buf_free(&b);
	tu_buf_free(&p);
}

/* One element segment per encoding (flags 0..7). */
struct elem_row {
	uint32_t flags;
	uint8_t mode;
	uint32_t table;
	uint8_t elemtype;  /* written for flags 5..7; funcref otherwise */
	uint32_t count;
	uint32_t items[3];  /* function indices, as ref.func when items are expressions */
};

static const struct elem_row elem_rows[] = {
	{0, WLAB_SEGMENT_ACTIVE, 0, WLAB_FUNCREF, 2, {0, 1}},
	{1, WLAB_SEGMENT_PASSIVE, 0, WLAB_FUNCREF, 1, {3}},
	{2, WLAB_SEGMENT_ACTIVE, 1, WLAB_FUNCREF, 2, {0, 200}},
	{3, WLAB_SEGMENT_DECLARATIVE, 0, WLAB_FUNCREF, 1, {1}},
	{4, WLAB_SEGMENT_ACTIVE, 0, WLAB_FUNCREF, 2, {0, 2}},
	{5, WLAB_SEGMENT_PASSIVE, 0, WLAB_EXTERNREF, 1, {7}},
	{6, WLAB_SEGMENT_ACTIVE, 2, WLAB_FUNCREF, 3, {1, 2, 300}},
	{7, WLAB_SEGMENT_DECLARATIVE, 0, WLAB_FUNCREF, 0, {0}},
};

#define NELEM (sizeof elem_rows / sizeof elem_rows[0])

struct elem_at {
	size_t seg, seg_end, off, off_end, expr[3], expr_end[3];
};

static void put_elem(struct tu_buf *p, const struct elem_row *e, uint32_t i, struct elem_at *at)
{
	bool active = !(e->flags & 1), exprs = e->flags & 4;
	at->seg = p->n;
	tu_u32(p, e->flags);
	if (active && (e->flags & 2))
		tu_u32(p, e->table);
	at->off = at->off_end = 0;
	if (active) {
		at->off = p->n;
		tu_byte(p, 0x41);
		tu_s32(p, (int32_t)(i * 10));
		tu_byte(p, 0x0b);
		at->off_end = p->n;
	}
	if (e->flags & 3)
		tu_byte(p, exprs ? e->elemtype : 0x00);
	tu_u32(p, e->count);
	for (uint32_t k = 0; k < e->count; k++) {
		if (!exprs) {
			tu_u32(p, e->items[k]);
			continue;
		}
		at->expr[k] = p->n;
		tu_byte(p, 0xd2);
		tu_u32(p, e->items[k]);
		tu_byte(p, 0x0b);
		at->expr_end[k] = p->n;
	}
	at->seg_end = p->n;
}

static void test_elem_encodings(void **state)
{
	(void)state;
	struct tu_buf b = {0}, p = {0};
	struct elem_at at[NELEM];
	tu_header(&b);
	tu_u32(&p, NELEM);
	for (uint32_t i = 0; i < NELEM; i++)
		put_elem(&p, &elem_rows[i], i, &at[i]);
	size_t pay = tu_section(&b, WLAB_SEC_ELEM, &p);
	struct wlab_module *m = decode_ok(&b, NULL);
	assert_int_equal(m->nelems, NELEM);
	for (uint32_t i = 0; i < NELEM; i++) {
		const struct elem_row *r = &elem_rows[i];
		const struct wlab_elem *e = &m->elems[i];
		char what[48];
		snprintf(what, sizeof what, "elem flags %u", (unsigned)r->flags);
		assert_int_equal(e->flags, r->flags);
		assert_int_equal(e->mode, r->mode);
		assert_int_equal(e->table, r->table);
		assert_int_equal(e->elemtype, r->elemtype);
		assert_int_equal(e->uses_exprs, (r->flags & 4) != 0);
		assert_int_equal(e->count, r->count);
		tu_expect_span(what, e->span, pay + at[i].seg, at[i].seg_end - at[i].seg);
		if (r->mode == WLAB_SEGMENT_ACTIVE)
			tu_expect_span(what, e->offset.span, pay + at[i].off,
				       at[i].off_end - at[i].off);
		else
			tu_expect_span(what, e->offset.span, 0, 0);
		if (!e->uses_exprs) {
			assert_null(e->exprs);
			for (uint32_t k = 0; k < r->count; k++)
				assert_int_equal(e->funcs[k], r->items[k]);
			continue;
		}
		assert_null(e->funcs);
		for (uint32_t k = 0; k < r->count; k++)
			tu_expect_span(what, e->exprs[k].span, pay + at[i].expr[k],
				       at[i].expr_end[k] - at[i].expr[k]);
	}
	expect_section(m, 0, WLAB_SEC_ELEM, 8, pay, p.n, NELEM);
	wlab_module_free(m);
	tu_buf_free(&b);
	tu_buf_free(&p);
}

static void test_data_encodings(void **state)
{
	(void)state;
	struct tu_buf b = {0}, p = {0};
	size_t at[4];
	tu_header(&b);
	TU_PUT(&b, WLAB_SEC_DATACOUNT, 0x01, 0x03);
	tu_u32(&p, 3);
	at[0] = p.n;
	TU_PUT(&p, 0x00, 0x41, 0x10, 0x0b, 0x02, 'h', 'i');           /* active, memory 0 */
	at[1] = p.n;
	TU_PUT(&p, 0x01, 0x00);                                       /* passive, empty */
	at[2] = p.n;
	TU_PUT(&p, 0x02, 0x01, 0x41, 0x20, 0x0b, 0x03, 'a', 'b', 'c');  /* active, memory 1 */
	at[3] = p.n;
	size_t pay = tu_section(&b, WLAB_SEC_DATA, &p);
	struct wlab_module *m = decode_ok(&b, NULL);
	assert_true(m->has_data_count);
	assert_int_equal(m->data_count, 3);
	expect_section(m, 0, WLAB_SEC_DATACOUNT, 8, 10, 1, 0);
	assert_int_equal(m->ndatas, 3);
	const struct wlab_data *d = m->datas;
	for (int i = 0; i < 3; i++)
		tu_expect_span("data", d[i].span, pay + at[i], at[i + 1] - at[i]);
	assert_int_equal(d[0].flags, 0);
	assert_int_equal(d[0].mode, WLAB_SEGMENT_ACTIVE);
	assert_int_equal(d[0].memory, 0);
	tu_expect_span("data 0 offset", d[0].offset.span, pay + at[0] + 1, 3);
	tu_expect_span("data 0 bytes", d[0].bytes, pay + at[0] + 5, 2);
	assert_memory_equal(b.p + d[0].bytes.offset, "hi", 2);
	assert_int_equal(d[1].flags, 1);
	assert_int_equal(d[1].mode, WLAB_SEGMENT_PASSIVE);
	tu_expect_span("data 1 offset", d[1].offset.span, 0, 0);
	tu_expect_span("data 1 bytes", d[1].bytes, pay + at[1] + 2, 0);
	assert_int_equal(d[2].flags, 2);
	assert_int_equal(d[2].mode, WLAB_SEGMENT_ACTIVE);
	assert_int_equal(d[2].memory, 1);
	tu_expect_span("data 2 offset", d[2].offset.span, pay + at[2] + 2, 3);
	tu_expect_span("data 2 bytes", d[2].bytes, pay + at[2] + 6, 3);
	expect_section(m, 1, WLAB_SEC_DATA, pay - 2, pay, p.n, 3);
	wlab_module_free(m);
	tu_buf_free(&b);
	tu_buf_free(&p);
}

/* A data index in code needs the data count section when there is a data
 * section. Without one the module decodes, so that wast2json's output for
 * memory_init.wast ("unknown data segment") fails validation, not decoding. */
static void test_data_index_without_data_section(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	put_func_prefix(&b);
	put_code(&b, TU_ARR(0x00, 0xfc, 0x09, 0x00, 0x0b), 5);
	struct wlab_module *m = decode_ok(&b, NULL);
	assert_int_equal(m->ndatas, 0);
	assert_false(m->has_data_count);
	wlab_module_free(m);
	tu_buf_free(&b);
}

/* With a data count section, data indices in code are fine. */
static void test_data_index_with_data_count(void **state)
{
	(void)state;
	static const uint8_t bytes[] = {
		HDR, TYPE0, FUNC1, SEC(0x05, 0x01, 0x00, 0x00), SEC(0x0c, 0x01),
		SEC(0x0a, 0x01, 0x0c, 0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00,
		    0x0b),
		SEC(0x0b, 0x01, 0x01, 0x00),
	};
	struct wlab_module *m = NULL;
	struct wlab_error err;
	wlab_module_decode(bytes, sizeof bytes, NULL, &m, &err);
	tu_expect_ok("memory.init", &err);
	assert_true(m->has_data_count);
	assert_int_equal(m->data_count, 1);
	assert_int_equal(m->ndatas, 1);
	wlab_module_free(m);
}

static void test_tag_section(void **state)
{
	(void)state;
	static const uint8_t bytes[] = {
		HDR, TYPE0, SEC(0x05, 0x01, 0x00, 0x00),    /* memory at 14 */
		SEC(0x0d, 0x02, 0x00, 0x00, 0x00, 0x80, 0x01),  /* tags at 19, after memory */
		SEC(0x06, 0x00),                            /* global after tag */
	};
	struct wlab_decode_options opts = {.features = EXC};
	struct wlab_module *m = NULL;
	struct wlab_error err;
	wlab_module_decode(bytes, sizeof bytes, &opts, &m, &err);
	tu_expect_ok("tags", &err);
	assert_int_equal(m->ntags, 2);
	assert_int_equal(m->tags[0].type.attribute, 0);
	assert_int_equal(m->tags[0].type.type_index, 0);
	assert_int_equal(m->tags[1].type.type_index, 128);
	tu_expect_span("tag 0", m->tags[0].span, 22, 2);
	tu_expect_span("tag 1", m->tags[1].span, 24, 3);
	expect_section(m, 2, WLAB_SEC_TAG, 19, 21, 6, 2);
	wlab_module_free(m);
}

static void test_custom_sections_anywhere(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	tu_header(&b);
	TU_PUT(&b, WLAB_SEC_CUSTOM, 0x04, 0x01, 'a', 'x', 'y');   /* 8: content 12..13 */
	TU_PUT(&b, WLAB_SEC_TYPE, 0x01, 0x00);                    /* 14 */
	TU_PUT(&b, WLAB_SEC_CUSTOM, 0x02, 0x01, 'b');             /* 17: empty content at 21 */
	TU_PUT(&b, WLAB_SEC_DATA, 0x01, 0x00);                    /* 21 */
	TU_PUT(&b, WLAB_SEC_CUSTOM, 0x01, 0x00);                  /* 24: empty name */
	static const unsigned flags[] = {0, WLAB_DECODE_SKIP_CUSTOM};
	for (int f = 0; f < 2; f++) {
		struct wlab_decode_options opts = {.flags = flags[f]};
		struct wlab_module *m = decode_ok(&b, &opts);
		assert_int_equal(m->nsections, 5);
		expect_section(m, 0, WLAB_SEC_CUSTOM, 8, 10, 4, 0);
		expect_section(m, 1, WLAB_SEC_TYPE, 14, 16, 1, 0);
		expect_section(m, 2, WLAB_SEC_CUSTOM, 17, 19, 2, 0);
		expect_section(m, 3, WLAB_SEC_DATA, 21, 23, 1, 0);
		expect_section(m, 4, WLAB_SEC_CUSTOM, 24, 26, 1, 0);
		assert_int_equal(m->sections[0].name.len, 1);
		assert_memory_equal(m->sections[0].name.ptr, "a", 1);
		tu_expect_span("custom a", m->sections[0].content, 12, 2);
		tu_expect_span("custom b", m->sections[2].content, 21, 0);
		assert_int_equal(m->sections[4].name.len, 0);
		tu_expect_span("custom ''", m->sections[4].content, 27, 0);
		assert_int_equal(m->custom_error.status, WLAB_OK);
		wlab_module_free(m);
	}
	tu_buf_free(&b);
}

static void test_skip_bodies(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	put_func_prefix(&b);
	size_t pay = put_code(&b, TU_ARR(0x00, 0xff, 0x0b), 3);
	struct wlab_module *m = NULL;
	struct wlab_error err;
	assert_int_equal(tu_decode(&b, NULL, &m, &err), WLAB_MALFORMED);
	tu_expect_error("strict", &err, WLAB_MALFORMED, pay + 3, "illegal opcode");
	wlab_module_free(m);

	struct wlab_decode_options opts = {.flags = WLAB_DECODE_SKIP_BODIES};
	m = decode_ok(&b, &opts);
	tu_expect_span("expr", m->codes[0].expr, pay + 3, 2);
	wlab_module_free(m);

	/* Constant expressions are still walked. */
	tu_buf_reset(&b);
	tu_header(&b);
	TU_PUT(&b, WLAB_SEC_GLOBAL, 0x04, 0x01, 0x7f, 0x00, 0xff);
	assert_int_equal(tu_decode(&b, &opts, &m, &err), WLAB_MALFORMED);
	tu_expect_error("global", &err, WLAB_MALFORMED, 13, "illegal opcode");
	wlab_module_free(m);
	tu_buf_free(&b);
}

/* Decoding stops at the first error and hands back what came before it. */
static void test_partial_module(void **state)
{
	(void)state;
	static const uint8_t bytes[] = {
		HDR, TYPE0,
		SEC(0x02, 0x01, 0x01, 'a', 0x01, 'b', 0x00, 0x00),    /* 14..22 */
		SEC(0x03, 0x02, 0x00, 0xff, 0xff, 0xff, 0xff, 0x1f),  /* 23: bad 2nd entry */
		SEC(0x07, 0x00),
	};
	struct wlab_module *m = NULL;
	struct wlab_error err;
	assert_int_equal(wlab_module_decode(bytes, sizeof bytes, NULL, &m, &err), WLAB_MALFORMED);
	tu_expect_error("function 1", &err, WLAB_MALFORMED, 31, "integer too large");
	assert_non_null(m);
	assert_int_equal(m->version, 1);
	assert_int_equal(m->ntypes, 1);
	assert_int_equal(m->nimports, 1);
	assert_int_equal(m->imports[0].field.len, 1);
	assert_int_equal(m->nfuncs, 1);  /* only the entry that decoded */
	assert_int_equal(m->func_types[0], 0);
	/* The section that failed is listed; the ones after it are not. */
	assert_int_equal(m->nsections, 3);
	assert_int_equal(m->sections[0].id, WLAB_SEC_TYPE);
	assert_int_equal(m->sections[1].id, WLAB_SEC_IMPORT);
	assert_int_equal(m->sections[2].id, WLAB_SEC_FUNCTION);
	tu_expect_span("function section", m->sections[2].span, 23, 9);
	assert_int_equal(m->nexports, 0);
	wlab_module_free(m);

	/* Element, data and code sections also count the entry that failed,
	 * partly filled (see docs/libwasm.md). */
	static const uint8_t elems[] = {HDR, SEC(0x09, 0x02, 0x01, 0x00, 0x00, 0x08)};
	assert_int_equal(wlab_module_decode(elems, sizeof elems, NULL, &m, &err), WLAB_MALFORMED);
	tu_expect_error("elem 1", &err, WLAB_MALFORMED, 14, "malformed elements segment kind");
	assert_int_equal(m->nelems, 2);
	assert_int_equal(m->elems[0].mode, WLAB_SEGMENT_PASSIVE);
	tu_expect_span("elem 0", m->elems[0].span, 11, 3);
	tu_expect_span("elem 1", m->elems[1].span, 14, 0);
	wlab_module_free(m);

	/* An error in the header still returns an (empty) module. */
	assert_int_equal(wlab_module_decode(bytes, 6, NULL, &m, &err), WLAB_MALFORMED);
	assert_non_null(m);
	assert_int_equal(m->nsections, 0);
	wlab_module_free(m);
}

/* ---- regression tests ---- */

#define FF4 0xff, 0xff, 0xff, 0xff, 0x0f

/* A data count of 0xFFFFFFFF is just a number: nothing is sized by it. */
static void test_regression_data_count_0xffffffff(void **state)
{
	(void)state;
	static const uint8_t alone[] = {HDR, SEC(0x0c, FF4)};
	static const uint8_t with_data[] = {HDR, SEC(0x0c, FF4), SEC(0x0b, 0x01, 0x01, 0x00)};
	static const uint8_t data_count_too[] = {HDR, SEC(0x0c, FF4), SEC(0x0b, FF4)};
	struct wlab_decode_options opts = {.max_alloc = 4096};
	struct wlab_module *m = NULL;
	struct wlab_error err;
	const char *msg = "data count and data section have inconsistent lengths";

	assert_int_equal(wlab_module_decode(alone, sizeof alone, &opts, &m, &err), WLAB_MALFORMED);
	tu_expect_error("alone", &err, WLAB_MALFORMED, sizeof alone, msg);
	assert_true(m->has_data_count);
	assert_int_equal(m->data_count, UINT32_MAX);
	wlab_module_free(m);

	assert_int_equal(wlab_module_decode(with_data, sizeof with_data, &opts, &m, &err),
			 WLAB_MALFORMED);
	tu_expect_error("with data", &err, WLAB_MALFORMED, sizeof with_data, msg);
	assert_int_equal(m->ndatas, 1);
	wlab_module_free(m);

	assert_int_equal(wlab_module_decode(data_count_too, sizeof data_count_too, &opts, &m, &err),
			 WLAB_MALFORMED);
	tu_expect_error("data count too", &err, WLAB_MALFORMED, sizeof data_count_too, SEC_END);
	wlab_module_free(m);
}

/* Every vector count of 0xFFFFFFFF with a few bytes after it must fail as
 * malformed before anything is allocated for it: with a 4 KiB allocation cap
 * an allocation for the count would fail as WLAB_NOMEM instead. */
static const struct bad_module huge_counts[] = {
	{"types", 0, MOD(SEC(0x01, FF4)), BAD(15, SEC_END)},
	{"params", 0, MOD(SEC(0x01, 0x01, 0x60, FF4, 0x7f)), BAD(18, SEC_END)},
	{"results", 0, MOD(SEC(0x01, 0x01, 0x60, 0x00, FF4, 0x7f)), BAD(19, SEC_END)},
	{"imports", 0, MOD(SEC(0x02, FF4, 0x00)), BAD(16, SEC_END)},
	{"functions", 0, MOD(SEC(0x03, FF4, 0x00)), BAD(16, SEC_END)},
	{"tables", 0, MOD(SEC(0x04, FF4, 0x70)), BAD(16, SEC_END)},
	{"memories", 0, MOD(SEC(0x05, FF4, 0x00)), BAD(16, SEC_END)},
	{"globals", 0, MOD(SEC(0x06, FF4, 0x7f)), BAD(16, SEC_END)},
	{"exports", 0, MOD(SEC(0x07, FF4, 0x00)), BAD(16, SEC_END)},
	{"elems", 0, MOD(SEC(0x09, FF4, 0x00)), BAD(16, SEC_END)},
	{"elem funcs", 0, MOD(SEC(0x09, 0x01, 0x01, 0x00, FF4, 0x00)), BAD(19, SEC_END)},
	{"elem exprs", 0, MOD(SEC(0x09, 0x01, 0x05, 0x70, FF4, 0x0b)), BAD(19, SEC_END)},
	{"tags", EXC, MOD(SEC(0x0d, FF4, 0x00)), BAD(16, SEC_END)},
	{"datas", 0, MOD(SEC(0x0b, FF4, 0x01)), BAD(16, SEC_END)},
	{"data bytes", 0, MOD(SEC(0x0b, 0x01, 0x01, FF4, 'x')), BAD(18, SEC_END)},
	{"codes", 0, MOD(TYPE0, FUNC1, SEC(0x0a, FF4, 0x00)), BAD(26, SEC_END)},
	{"local decls", 0, MOD(BODY(FF4, 0x7f, 0x0b)), BAD(29, SEC_END)},
	{"br_table targets", 0, MOD(BODY(0x00, 0x0e, FF4, 0x0b)), BAD(30, SEC_END)},
	{"select types", 0, MOD(BODY(0x00, 0x1c, FF4, 0x0b)), BAD(30, SEC_END)},
	{"section size", 0, MOD(0x01, FF4, 0x00), BAD(13, "length out of bounds")},
	{"name length", 0, MOD(SEC(0x07, 0x01, FF4, 0x00)), BAD(11, "length out of bounds")},
	{"body size", 0, MOD(TYPE0, FUNC1, SEC(0x0a, 0x01, FF4, 0x0b)),
	 BAD(21, "length out of bounds")},
};

static void test_regression_vector_count_0xffffffff(void **state)
{
	(void)state;
	run_bad_table("huge counts", huge_counts, sizeof huge_counts / sizeof huge_counts[0], 4096);
}

/* A module with n types ()->(). */
static void put_types(struct tu_buf *b, uint32_t n)
{
	struct tu_buf p = {0};
	tu_u32(&p, n);
	for (uint32_t i = 0; i < n; i++)
		TU_PUT(&p, 0x60, 0x00, 0x00);
	tu_section(b, WLAB_SEC_TYPE, &p);
	tu_buf_free(&p);
}

/* max_alloc caps the module's allocations: small real modules fit under a
 * small cap; a module that needs more fails as WLAB_NOMEM, not a crash. */
static void test_max_alloc(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	struct wlab_decode_options small = {.max_alloc = 4096};
	struct wlab_module *m;
	struct wlab_error err;

	/* Every section kind, as in the tests above. */
	put_func_prefix(&b);
	TU_PUT(&b, WLAB_SEC_TABLE, 0x04, 0x01, 0x70, 0x00, 0x01);
	TU_PUT(&b, WLAB_SEC_MEMORY, 0x03, 0x01, 0x00, 0x01);
	TU_PUT(&b, WLAB_SEC_GLOBAL, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x00, 0x0b);
	TU_PUT(&b, WLAB_SEC_EXPORT, 0x05, 0x01, 0x01, 'f', 0x00, 0x00);
	TU_PUT(&b, WLAB_SEC_START, 0x01, 0x00);
	TU_PUT(&b, WLAB_SEC_ELEM, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00);
	TU_PUT(&b, WLAB_SEC_DATACOUNT, 0x01, 0x01);
	TU_PUT(&b, WLAB_SEC_CODE, 0x0a, 0x01, 0x08, 0x01, 0x02, 0x7f, 0x0e, 0x01, 0x00, 0x00, 0x0b);
	TU_PUT(&b, WLAB_SEC_DATA, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 'x');
	m = decode_ok(&b, &small);
	assert_int_equal(m->nsections, 11);
	wlab_module_free(m);

	/* 1000 types need about 40 KB of struct wlab_functype. */
	tu_buf_reset(&b);
	tu_header(&b);
	put_types(&b, 1000);
	assert_int_equal(tu_decode(&b, &small, &m, &err), WLAB_NOMEM);
	assert_int_equal(err.status, WLAB_NOMEM);
	assert_string_equal(err.message, "out of memory");
	assert_int_equal(err.offset, 13);  /* after the count */
	assert_int_equal(m->ntypes, 0);
	wlab_module_free(m);
	m = decode_ok(&b, NULL);
	assert_int_equal(m->ntypes, 1000);
	wlab_module_free(m);
	tu_buf_free(&b);
}

/* The body walk keeps its block stack on the heap: a million nested blocks
 * must not overflow the C stack. */
static void test_regression_million_nested_blocks(void **state)
{
	(void)state;
	const size_t depth = 1000000;
	struct tu_buf body = {0}, b = {0};
	tu_byte(&body, 0x00);                 /* no locals */
	for (size_t i = 0; i < depth; i++)
		TU_PUT(&body, i % 3 == 2 ? 0x04 : i % 3 ? 0x03 : 0x02, 0x40);  /* block, loop, if */
	tu_fill(&body, 0x0b, depth + 1);
	put_func_prefix(&b);
	size_t pay = put_code(&b, body.p, body.n);
	struct wlab_module *m = decode_ok(&b, NULL);
	tu_expect_span("expr", m->codes[0].expr, pay + 1 + 4 + 1, 3 * depth + 1);
	wlab_module_free(m);

	/* The same blocks, never closed. */
	tu_buf_reset(&b);
	body.n -= depth + 1;
	put_func_prefix(&b);
	put_code(&b, body.p, body.n);
	struct wlab_error err;
	assert_int_equal(tu_decode(&b, NULL, &m, &err), WLAB_MALFORMED);
	tu_expect_error("unclosed", &err, WLAB_MALFORMED, b.n, SEC_END);
	wlab_module_free(m);
	tu_buf_free(&body);
	tu_buf_free(&b);
}

/* A constant expression with no end (a global, element or data offset cut
 * off by the end of the input) must fail cleanly. wabt's wasm-objdump 1.0.32
 * aborts on such spec modules. */
static const struct bad_module empty_exprs[] = {
	{"global init", 0, MOD(SEC(0x06, 0x01, 0x7f, 0x00)), BAD(13, SEC_END)},
	{"global init, 2nd global", 0, MOD(SEC(0x06, 0x02, 0x7f, 0x00, 0x0b, 0x7e, 0x01)),
	 BAD(16, SEC_END)},
	{"global init, then a section", WLAB_FEATURES_2_0, MOD(SEC(0x06, 0x01, 0x7f, 0x00), SEC(0x07, 0x00)),
	 BAD(13, "illegal opcode: catch needs the exceptions feature (--enable-exceptions)")},
	{"global init, then a custom section", 0,
	 MOD(SEC(0x06, 0x01, 0x7f, 0x00), SEC(0x00, 0x01, 'x')), BAD(17, SEC_END)},
	{"elem offset", 0, MOD(SEC(0x09, 0x01, 0x00)), BAD(12, SEC_END)},
	{"elem offset, table 1", 0, MOD(SEC(0x09, 0x01, 0x02, 0x01)), BAD(13, SEC_END)},
	{"elem item", 0, MOD(SEC(0x09, 0x01, 0x05, 0x70, 0x01)), BAD(14, SEC_END)},
	{"data offset", 0, MOD(SEC(0x0b, 0x01, 0x00)), BAD(12, SEC_END)},
	{"data offset, memory 0", 0, MOD(SEC(0x0b, 0x01, 0x02, 0x00)), BAD(13, SEC_END)},
};

static void test_regression_empty_constant_expression(void **state)
{
	(void)state;
	run_bad_table("empty constant expressions", empty_exprs,
		      sizeof empty_exprs / sizeof empty_exprs[0], 0);
}

/* The iterator took any negative s33 as a block's value type (0x7a, or
 * -128 in two bytes) and any byte as a select type; the spec rejects both
 * as "malformed value type". */
static const struct bad_module bad_types_in_bodies[] = {
	{"block 0x7a", 0, MOD(BODY(0x00, 0x02, 0x7a, 0x0b, 0x0b)), BAD(24, "malformed value type")},
	{"if -128", 0, MOD(BODY(0x00, 0x41, 0x00, 0x04, 0x80, 0x7f, 0x0b, 0x0b)),
	 BAD(26, "malformed value type")},
	{"loop v128 without simd", WLAB_FEATURE_MVP, MOD(BODY(0x00, 0x03, 0x7b, 0x0b, 0x0b)),
	 BAD(24, "malformed value type: v128 needs the simd feature (--enable-simd)")},
	{"select 0x00", 0, MOD(BODY(0x00, 0x1c, 0x01, 0x00, 0x0b)),
	 BAD(25, "malformed value type")},
	{"global init block 0x7a", 0, MOD(SEC(0x06, 0x01, 0x7f, 0x00, 0x02, 0x7a, 0x0b, 0x0b)),
	 BAD(14, "malformed value type")},
};

static void test_regression_block_type_not_a_valtype(void **state)
{
	(void)state;
	run_bad_table("bad types in bodies", bad_types_in_bodies,
		      sizeof bad_types_in_bodies / sizeof bad_types_in_bodies[0], 0);
}

/* Regression: decoding (NULL, 0) computed NULL + 0 in the reader, undefined
 * behaviour that clang's UBSan reports. It is an empty input. */
static void test_regression_null_input_of_size_0(void **state)
{
	(void)state;
	struct wlab_module *m = NULL;
	struct wlab_error err;
	assert_int_equal(wlab_module_decode(NULL, 0, NULL, &m, &err), WLAB_MALFORMED);
	tu_expect_error("NULL, 0", &err, WLAB_MALFORMED, 0, "unexpected end");
	assert_non_null(m);
	assert_int_equal(m->size, 0);
	wlab_module_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_malformed_modules),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_type_section),
		cmocka_unit_test(test_section_overlong_size),
		cmocka_unit_test(test_import_section),
		cmocka_unit_test(test_import_features),
		cmocka_unit_test(test_limits64),
		cmocka_unit_test(test_function_and_code),
		cmocka_unit_test(test_locals_at_the_limit),
		cmocka_unit_test(test_table_and_memory),
		cmocka_unit_test(test_global_section),
		cmocka_unit_test(test_export_and_start),
		cmocka_unit_test(test_elem_encodings),
		cmocka_unit_test(test_data_encodings),
		cmocka_unit_test(test_data_index_without_data_section),
		cmocka_unit_test(test_data_index_with_data_count),
		cmocka_unit_test(test_tag_section),
		cmocka_unit_test(test_custom_sections_anywhere),
		cmocka_unit_test(test_skip_bodies),
		cmocka_unit_test(test_partial_module),
		cmocka_unit_test(test_max_alloc),
		cmocka_unit_test(test_regression_data_count_0xffffffff),
		cmocka_unit_test(test_regression_vector_count_0xffffffff),
		cmocka_unit_test(test_regression_million_nested_blocks),
		cmocka_unit_test(test_regression_empty_constant_expression),
		cmocka_unit_test(test_regression_block_type_not_a_valtype),
		cmocka_unit_test(test_regression_null_input_of_size_0),
	};
	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
