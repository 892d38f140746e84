/* test_gc_types.c: the type section of WebAssembly GC from hand-written
 * bytes: rec groups, sub and sub final with supertypes, struct and array
 * types with packed and mutable fields, the abstract heap types; decoded
 * (malformed bytes at their offset), validated (supertypes, finality,
 * width and depth subtyping, iso-recursive equivalence of rec groups,
 * non-function types where a function type is needed) and encoded back
 * byte for byte; and the same types in the text format, parsed, printed
 * and parsed again to the same bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"
#include "wlab/encode.h"
#include "wlab/features.h"
#include "wlab/validate.h"
#include "wlab/wat.h"
#include "wlab/watprint.h"

/* The type section's payload starts at 10 while it is under 128 bytes:
 * 8 of header, the id and a one-byte size. */
#define P 10

struct row {
	const char *what;
	const char *types;  /* the type section's payload */
	size_t n;
	const char *funcs;  /* a function section's payload, or NULL */
	size_t nfuncs;
	enum wlab_status st;  /* WLAB_OK, WLAB_MALFORMED (decode), WLAB_INVALID (validate) */
	size_t offset;
	const char *msg;
	uint32_t ntypes;  /* when valid */
};

#define T(s) s, sizeof(s) - 1, NULL, 0
#define TF(s, f) s, sizeof(s) - 1, f, sizeof(f) - 1
#define OK(n) WLAB_OK, 0, NULL, n
#define BAD(at, msg) WLAB_MALFORMED, P + (at), msg, 0
#define INV(at, msg) WLAB_INVALID, P + (at), msg, 0

/* Byte names for the rows: forms, prefixes, types. */
#define STRUCT "\x5f"
#define ARRAY "\x5e"
#define FUNC "\x60"
#define SUB "\x50"
#define SUBF "\x4f"
#define REC "\x4e"
#define I32 "\x7f"
#define I64 "\x7e"
#define I8 "\x78"
#define I16 "\x77"
#define ANYREF "\x6e"
#define EQREF "\x6d"
#define I31REF "\x6c"
#define STRUCTREF "\x6b"
#define ARRAYREF "\x6a"
#define NULLREF "\x71"
#define FUNCREF "\x70"
#define REF "\x64"
#define REFNULL "\x63"
#define CONST "\x00"
#define VAR "\x01"

static const struct row rows[] = {
	/* decoding */
	{"empty struct", T("\x01" STRUCT "\x00"), OK(1)},
	{"array of mutable i8", T("\x01" ARRAY I8 VAR), OK(1)},
	{"array of i16", T("\x01" ARRAY I16 CONST), OK(1)},
	{"mutability 2", T("\x01" ARRAY I8 "\x02"), BAD(3, "malformed mutability")},
	{"unknown form", T("\x01\x5d\x00"), BAD(1, "malformed definition type")},
	{"form as a long LEB128", T("\x01\xe0\x00"), BAD(1, "integer representation too long")},
	{"bad storage type", T("\x01" STRUCT "\x01\x76" CONST), BAD(3, "malformed value type")},
	{"packed param", T("\x01" FUNC "\x01" I8 "\x00"), BAD(3, "malformed value type")},
	{"packed result", T("\x01" FUNC "\x00\x01" I16), BAD(4, "malformed value type")},
	{"packed global-like field type", T("\x01" STRUCT "\x01" I8 CONST), OK(1)},
	{"rec of two", T("\x01" REC "\x02" STRUCT "\x00" ARRAY I32 CONST), OK(2)},
	{"rec of one", T("\x01" REC "\x01" FUNC "\x00\x00"), OK(1)},
	{"rec and plain types", T("\x03" FUNC "\x00\x00" REC "\x02" STRUCT "\x00" STRUCT "\x00"
				  ARRAY I64 VAR), OK(4)},
	{"rec cut short", T("\x01" REC "\x02" STRUCT "\x00"), BAD(5, "unexpected end of section or function")},
	{"struct field count past the end", T("\x01" STRUCT "\x05" I32 CONST),
	 BAD(5, "unexpected end of section or function")},
	{"every abstract heap type",
	 T("\x01" STRUCT "\x0e" ANYREF CONST EQREF CONST I31REF CONST STRUCTREF CONST ARRAYREF CONST
	   NULLREF CONST "\x73" CONST "\x72" CONST "\x74" CONST "\x69" CONST REF ANYREF VAR
	   REF I31REF VAR REF NULLREF CONST REF "\x73" CONST), OK(1)},
	{"sub without supertype", T("\x01" SUB "\x00" STRUCT "\x00"), OK(1)},
	{"sub final without supertype", T("\x01" SUBF "\x00" STRUCT "\x00"), OK(1)},
	{"sub chain", T("\x03" SUB "\x00" STRUCT "\x00" SUB "\x01\x00" STRUCT "\x00"
			SUBF "\x01\x01" STRUCT "\x00"), OK(3)},
	{"supertype past the end", T("\x01" SUB "\x05\x00"),
	 BAD(4, "unexpected end of section or function")},

	/* supertypes */
	{"final supertype", T("\x02" STRUCT "\x00" SUB "\x01\x00" STRUCT "\x00"),
	 INV(3, "sub type 1 has final super type 0")},
	{"sub final supertype", T("\x02" SUBF "\x00" STRUCT "\x00" SUB "\x01\x00" STRUCT "\x00"),
	 INV(5, "sub type 1 has final super type 0")},
	{"function final supertype", T("\x02" FUNC "\x00\x00" SUB "\x01\x00" FUNC "\x00\x00"),
	 INV(4, "sub type 1 has final super type 0")},
	{"unknown supertype", T("\x01" SUB "\x01\x05" STRUCT "\x00"), INV(1, "unknown type 5")},
	{"forward supertype in its group",
	 T("\x01" REC "\x02" SUB "\x01\x01" STRUCT "\x00" SUB "\x00" STRUCT "\x00"),
	 INV(3, "forward use of type 1 in sub type definition")},
	{"itself as supertype", T("\x01" SUB "\x01\x00" STRUCT "\x00"),
	 INV(1, "forward use of type 0 in sub type definition")},
	{"two supertypes", T("\x02" SUB "\x00" STRUCT "\x00" SUB "\x02\x00\x00" STRUCT "\x00"),
	 INV(5, "multiple supertypes")},
	{"struct under array", T("\x02" SUB "\x00" ARRAY I32 CONST SUB "\x01\x00" STRUCT "\x00"),
	 INV(6, "sub type 1 does not match super type 0")},
	{"func under struct", T("\x02" SUB "\x00" STRUCT "\x00" SUB "\x01\x00" FUNC "\x00\x00"),
	 INV(5, "sub type 1 does not match super type 0")},

	/* width and depth */
	{"struct wider", T("\x02" SUB "\x00" STRUCT "\x01" I32 CONST
			   SUB "\x01\x00" STRUCT "\x02" I32 CONST I64 VAR), OK(2)},
	{"struct narrower", T("\x02" SUB "\x00" STRUCT "\x02" I32 CONST I64 CONST
			      SUB "\x01\x00" STRUCT "\x01" I32 CONST),
	 INV(9, "sub type 1 does not match super type 0")},
	{"struct field of another type", T("\x02" SUB "\x00" STRUCT "\x01" I32 CONST
					   SUB "\x01\x00" STRUCT "\x01" I64 CONST),
	 INV(7, "sub type 1 does not match super type 0")},
	{"immutable field covariant", T("\x02" SUB "\x00" STRUCT "\x01" ANYREF CONST
					SUB "\x01\x00" STRUCT "\x01" EQREF CONST), OK(2)},
	{"immutable field not contravariant", T("\x02" SUB "\x00" STRUCT "\x01" EQREF CONST
						SUB "\x01\x00" STRUCT "\x01" ANYREF CONST),
	 INV(7, "sub type 1 does not match super type 0")},
	{"mutable field invariant", T("\x02" SUB "\x00" STRUCT "\x01" ANYREF VAR
				      SUB "\x01\x00" STRUCT "\x01" EQREF VAR),
	 INV(7, "sub type 1 does not match super type 0")},
	{"mutable field the same", T("\x02" SUB "\x00" STRUCT "\x01" ANYREF VAR
				     SUB "\x01\x00" STRUCT "\x01" ANYREF VAR), OK(2)},
	{"mutability differs", T("\x02" SUB "\x00" STRUCT "\x01" I32 VAR
				 SUB "\x01\x00" STRUCT "\x01" I32 CONST),
	 INV(7, "sub type 1 does not match super type 0")},
	{"non-null under nullable", T("\x02" SUB "\x00" ARRAY ANYREF CONST
				      SUB "\x01\x00" ARRAY REF I31REF CONST), OK(2)},
	{"nullable under non-null", T("\x02" SUB "\x00" ARRAY REF ANYREF CONST
				      SUB "\x01\x00" ARRAY ANYREF CONST),
	 INV(7, "sub type 1 does not match super type 0")},
	{"packed i8 under i16", T("\x02" SUB "\x00" ARRAY I16 CONST SUB "\x01\x00" ARRAY I8 CONST),
	 INV(6, "sub type 1 does not match super type 0")},
	{"packed i8 under i32", T("\x02" SUB "\x00" ARRAY I32 CONST SUB "\x01\x00" ARRAY I8 CONST),
	 INV(6, "sub type 1 does not match super type 0")},
	{"packed the same", T("\x02" SUB "\x00" ARRAY I8 VAR SUB "\x01\x00" ARRAY I8 VAR), OK(2)},
	{"func params contravariant, results covariant",
	 T("\x02" SUB "\x00" FUNC "\x01" EQREF "\x01" ANYREF SUB "\x01\x00" FUNC "\x01" ANYREF "\x01" EQREF),
	 OK(2)},
	{"func params covariant",
	 T("\x02" SUB "\x00" FUNC "\x01" ANYREF "\x00" SUB "\x01\x00" FUNC "\x01" EQREF "\x00"),
	 INV(7, "sub type 1 does not match super type 0")},
	{"func arity", T("\x02" SUB "\x00" FUNC "\x00\x00" SUB "\x01\x00" FUNC "\x01" I32 "\x00"),
	 INV(6, "sub type 1 does not match super type 0")},
	{"struct type under structref field", T("\x03" STRUCT "\x00" SUB "\x00" STRUCT "\x01" STRUCTREF CONST
						SUB "\x01\x01" STRUCT "\x01" REF "\x00" CONST), OK(3)},
	{"struct type under arrayref field", T("\x03" STRUCT "\x00" SUB "\x00" STRUCT "\x01" ARRAYREF CONST
					       SUB "\x01\x01" STRUCT "\x01" REF "\x00" CONST),
	 INV(9, "sub type 2 does not match super type 1")},
	{"function type not under anyref", T("\x03" FUNC "\x00\x00" SUB "\x00" STRUCT "\x01" ANYREF CONST
					     SUB "\x01\x01" STRUCT "\x01" REF "\x00" CONST),
	 INV(10, "sub type 2 does not match super type 1")},
	{"i31 under eq", T("\x02" SUB "\x00" STRUCT "\x01" EQREF CONST SUB "\x01\x00" STRUCT "\x01" I31REF CONST),
	 OK(2)},
	{"none under a struct type", T("\x03" STRUCT "\x00" SUB "\x00" STRUCT "\x01" REFNULL "\x00" CONST
				       SUB "\x01\x01" STRUCT "\x01" NULLREF CONST), OK(3)},
	{"nofunc not under a struct type", T("\x03" STRUCT "\x00" SUB "\x00" STRUCT "\x01" REFNULL "\x00" CONST
					     SUB "\x01\x01" STRUCT "\x01" "\x73" CONST),
	 INV(10, "sub type 2 does not match super type 1")},
	{"through a declared chain", T("\x04" SUB "\x00" STRUCT "\x00" SUB "\x01\x00" STRUCT "\x00"
				       SUB "\x00" STRUCT "\x01" REF "\x00" CONST
				       SUB "\x01\x02" STRUCT "\x01" REF "\x01" CONST), OK(4)},
	{"not up a declared chain", T("\x04" SUB "\x00" STRUCT "\x00" SUB "\x01\x00" STRUCT "\x00"
				      SUB "\x00" STRUCT "\x01" REF "\x01" CONST
				      SUB "\x01\x02" STRUCT "\x01" REF "\x00" CONST),
	 INV(17, "sub type 3 does not match super type 2")},

	/* references to types */
	{"field to a later group", T("\x02" STRUCT "\x01" REFNULL "\x01" CONST STRUCT "\x00"),
	 INV(1, "unknown type 1")},
	{"field to a later type of its group", T("\x01" REC "\x02" STRUCT "\x01" REFNULL "\x01" CONST
						 STRUCT "\x00"), OK(2)},
	{"field to itself", T("\x01" STRUCT "\x01" REFNULL "\x00" VAR), OK(1)},
	{"field to no type", T("\x01" REC "\x01" STRUCT "\x01" REF "\x09" CONST),
	 INV(3, "unknown type 9")},
	{"function of a struct type", TF("\x01" STRUCT "\x00", "\x01\x00"),
	 WLAB_INVALID, P + 3 + 2 + 1, "non-function type 0", 0},

	/* iso-recursive equivalence */
	{"equal singleton groups", T("\x04" STRUCT "\x00" STRUCT "\x00" SUB "\x00" STRUCT "\x01" REF "\x00" CONST
				     SUB "\x01\x02" STRUCT "\x01" REF "\x01" CONST), OK(4)},
	{"different singleton groups", T("\x04" STRUCT "\x00" STRUCT "\x01" I32 CONST
					 SUB "\x00" STRUCT "\x01" REF "\x00" CONST
					 SUB "\x01\x02" STRUCT "\x01" REF "\x01" CONST),
	 INV(14, "sub type 3 does not match super type 2")},
	{"sub final and plain are equal", T("\x04" SUBF "\x00" STRUCT "\x00" STRUCT "\x00"
					    SUB "\x00" STRUCT "\x01" REF "\x00" CONST
					    SUB "\x01\x02" STRUCT "\x01" REF "\x01" CONST), OK(4)},
	{"sub and sub final differ", T("\x04" SUB "\x00" STRUCT "\x00" STRUCT "\x00"
				       SUB "\x00" STRUCT "\x01" REF "\x00" CONST
				       SUB "\x01\x02" STRUCT "\x01" REF "\x01" CONST),
	 INV(14, "sub type 3 does not match super type 2")},
	{"rec of one equals a plain type", T("\x04" REC "\x01" STRUCT "\x00" STRUCT "\x00"
					     SUB "\x00" STRUCT "\x01" REF "\x00" CONST
					     SUB "\x01\x02" STRUCT "\x01" REF "\x01" CONST), OK(4)},
	{"equal groups of two (second types)",
	 T("\x04" REC "\x02" STRUCT "\x01" REF "\x01" CONST STRUCT "\x00"
	   REC "\x02" STRUCT "\x01" REF "\x03" CONST STRUCT "\x00"
	   SUB "\x00" STRUCT "\x01" REF "\x01" CONST SUB "\x01\x04" STRUCT "\x01" REF "\x03" CONST), OK(6)},
	{"equal groups of two (first types)",
	 T("\x04" REC "\x02" STRUCT "\x01" REF "\x01" CONST STRUCT "\x00"
	   REC "\x02" STRUCT "\x01" REF "\x03" CONST STRUCT "\x00"
	   SUB "\x00" STRUCT "\x01" REF "\x00" CONST SUB "\x01\x04" STRUCT "\x01" REF "\x02" CONST), OK(6)},
	{"a group member is not its twin alone",
	 T("\x04" STRUCT "\x00" REC "\x02" STRUCT "\x00" FUNC "\x00\x00"
	   SUB "\x00" STRUCT "\x01" REF "\x00" CONST SUB "\x01\x03" STRUCT "\x01" REF "\x01" CONST),
	 INV(17, "sub type 4 does not match super type 3")},
	{"groups of the same types in another order",
	 T("\x04" REC "\x02" STRUCT "\x00" FUNC "\x00\x00" REC "\x02" FUNC "\x00\x00" STRUCT "\x00"
	   SUB "\x00" STRUCT "\x01" REF "\x00" CONST SUB "\x01\x04" STRUCT "\x01" REF "\x03" CONST),
	 INV(22, "sub type 5 does not match super type 4")},
	{"groups that refer out to equal types",
	 T("\x06" STRUCT "\x00" STRUCT "\x00"
	   REC "\x01" STRUCT "\x01" REF "\x00" CONST REC "\x01" STRUCT "\x01" REF "\x01" CONST
	   SUB "\x00" STRUCT "\x01" REF "\x02" CONST SUB "\x01\x04" STRUCT "\x01" REF "\x03" CONST), OK(6)},
	{"self references are equal by position",
	 T("\x04" STRUCT "\x01" REFNULL "\x00" CONST STRUCT "\x01" REFNULL "\x01" CONST
	   SUB "\x00" STRUCT "\x01" REF "\x00" CONST SUB "\x01\x02" STRUCT "\x01" REF "\x01" CONST), OK(4)},
	{"a self reference is not a reference out",
	 T("\x05" STRUCT "\x00" STRUCT "\x01" REFNULL "\x00" CONST STRUCT "\x01" REFNULL "\x02" CONST
	   SUB "\x00" STRUCT "\x01" REF "\x01" CONST SUB "\x01\x03" STRUCT "\x01" REF "\x02" CONST),
	 INV(20, "sub type 4 does not match super type 3")},
};

static struct tu_buf module_of(const struct row *r)
{
	struct tu_buf b = {0};
	tu_header(&b);
	tu_section_raw(&b, 1, r->types, r->n);
	if (r->funcs) {
		tu_section_raw(&b, 3, r->funcs, r->nfuncs);
		struct tu_buf code = {0};
		TU_PUT(&code, 0x01, 0x02, 0x00, 0x0b);
		tu_section(&b, 10, &code);
		tu_buf_free(&code);
	}
	return b;
}

static uint32_t gc_features(void)
{
	return wlab_features_default() | wlab_feature_by_name("gc");
}

/* The default features with GC turned off (--disable-gc). */
static uint32_t no_gc(void)
{
	return wlab_features_default() & ~wlab_feature_by_name("gc");
}

/* One row: decoded and validated with GC on; a valid one encodes to its
 * own bytes (an empty rec group aside, which is dropped). */
static bool check_row(const struct row *r)
{
	struct tu_buf b = module_of(r);
	struct wlab_decode_options o = {.features = gc_features()};
	struct wlab_validate_options vo = {.features = gc_features()};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	struct wlab_validate_error verr;
	bool ok = true;
	if (tu_decode(&b, &o, &m, &err) != WLAB_OK) {
		ok = tu_check_error(r->what, &err, r->st, r->offset, r->msg);
		goto done;
	}
	if (r->st == WLAB_MALFORMED) {
		ok = tu_row_failed(r->what, "decoded, expected \"%s\"", r->msg);
		goto done;
	}
	wlab_module_validate(m, &vo, &verr);
	if (r->st == WLAB_INVALID) {
		ok = tu_check_error(r->what, &verr.error, r->st, r->offset, r->msg);
		goto done;
	}
	if (!tu_check_ok(r->what, &verr.error)) {
		ok = false;
		goto done;
	}
	if (m->ntypes != r->ntypes) {
		ok = tu_row_failed(r->what, "%u types, expected %u", m->ntypes, r->ntypes);
		goto done;
	}
	uint8_t *out = NULL;
	size_t size = 0;
	if (wlab_module_encode(m, &out, &size, &err) != WLAB_OK)
		ok = tu_row_failed(r->what, "encode: %s", err.message);
	else if (size != b.n || memcmp(out, b.p, size) != 0)
		ok = tu_row_failed(r->what, "encoded %zu bytes differ from the %zu read", size, b.n);
	free(out);
done:
	wlab_module_free(m);
	tu_buf_free(&b);
	return ok;
}

static void test_rows(void **state)
{
	(void)state;
	size_t failed = 0, n = sizeof rows / sizeof rows[0];
	for (size_t i = 0; i < n; i++)
		failed += !check_row(&rows[i]);
	tu_table_done("gc type rows", failed, n);
}

/* Without the GC feature the new forms and prefixes are malformed, as 2.0
 * reads them, and the GC heap types are not reference types. */
static void test_gc_off(void **state)
{
	(void)state;
	static const struct {
		const char *what, *types;
		size_t n, at;
		const char *msg;
	} off[] = {
		{"struct", "\x01" STRUCT "\x00", 3, 1,
		 "malformed function type: struct type needs the gc feature (--enable-gc)"},
		{"rec", "\x01" REC "\x01" FUNC "\x00\x00", 6, 1,
		 "malformed function type: rec group needs the gc feature (--enable-gc)"},
		{"sub", "\x01" SUB "\x00" FUNC "\x00\x00", 6, 1,
		 "malformed function type: sub type needs the gc feature (--enable-gc)"},
		{"anyref param", "\x01" FUNC "\x01" ANYREF "\x00", 5, 3,
		 "malformed value type: anyref needs the gc feature (--enable-gc)"},
		{"(ref eq) param", "\x01" FUNC "\x01" REF EQREF "\x00", 6, 4,
		 "malformed reference type: eq needs the gc feature (--enable-gc)"},
	};
	size_t failed = 0;
	for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) {
		struct tu_buf b = {0};
		tu_header(&b);
		tu_section_raw(&b, 1, off[i].types, off[i].n);
		struct wlab_decode_options o = {.features = no_gc()};
		struct wlab_module *m = NULL;
		struct wlab_error err = {0};
		tu_decode(&b, &o, &m, &err);
		failed += !tu_check_error(off[i].what, &err, WLAB_MALFORMED, P + off[i].at, off[i].msg);
		wlab_module_free(m);
		tu_buf_free(&b);
	}
	tu_table_done("gc off", failed, sizeof off / sizeof off[0]);
}

/* The decoded fields of a rec group with sub, packed and mutable fields. */
static void test_decoded_fields(void **state)
{
	(void)state;
	static const char types[] = "\x02" REC "\x02" SUB "\x00" STRUCT "\x02" I8 VAR REF "\x01" CONST
				    SUBF "\x01\x00" STRUCT "\x03" I8 VAR REF "\x01" CONST I16 CONST
				    ARRAY REFNULL "\x00" VAR;
	struct row r = {"fields", T(types), OK(3)};
	struct tu_buf b = module_of(&r);
	struct wlab_decode_options o = {.features = gc_features()};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	assert_int_equal(tu_decode(&b, &o, &m, &err), WLAB_OK);
	assert_int_equal(m->ntypes, 3);
	const struct wlab_functype *t = m->types;
	assert_int_equal(t[0].form, WLAB_FORM_STRUCT);
	assert_int_equal(t[0].sub, WLAB_SUB);
	assert_false(t[0].final);
	assert_false(t[0].has_super);
	assert_true(t[0].rec);
	assert_int_equal(t[0].rec_offset, P + 1);
	assert_int_equal(t[0].rec_start, 0);
	assert_int_equal(t[0].rec_size, 2);
	tu_expect_span("type 0", t[0].span, P + 3, 9);
	assert_int_equal(t[0].nfields, 2);
	assert_int_equal(t[0].fields[0].type, WLAB_PACKED_I8);
	assert_true(t[0].fields[0].mut);
	assert_int_equal(t[0].fields[1].type, wlab_ref_type(false, wlab_heap_concrete(1)));
	assert_false(t[0].fields[1].mut);
	assert_true(t[1].final);
	assert_true(t[1].has_super);
	assert_int_equal(t[1].super, 0);
	assert_int_equal(t[1].nsupers, 1);
	assert_int_equal(t[1].nfields, 3);
	assert_int_equal(t[1].fields[2].type, WLAB_PACKED_I16);
	assert_int_equal(t[1].rec_start, 0);
	assert_int_equal(t[2].form, WLAB_FORM_ARRAY);
	assert_false(t[2].rec);
	assert_int_equal(t[2].rec_start, 2);
	assert_int_equal(t[2].rec_size, 1);
	assert_int_equal(t[2].nfields, 1);
	assert_int_equal(t[2].fields[0].type, wlab_ref_type(true, wlab_heap_concrete(0)));
	assert_int_equal(t[2].nparams + t[2].nresults, 0);
	assert_int_equal(m->sections[0].count, 2);  /* groups, not types */
	wlab_module_free(m);
	tu_buf_free(&b);
}

/* An empty rec group declares nothing: decoded, valid, and left out when
 * the module is encoded again. */
static void test_empty_rec(void **state)
{
	(void)state;
	static const char types[] = "\x03" REC "\x00" STRUCT "\x00" REC "\x00";
	struct row r = {"empty rec", T(types), OK(1)};
	struct tu_buf b = module_of(&r);
	struct wlab_decode_options o = {.features = gc_features()};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	assert_int_equal(tu_decode(&b, &o, &m, &err), WLAB_OK);
	assert_int_equal(m->ntypes, 1);
	uint8_t *out = NULL;
	size_t size = 0;
	assert_int_equal(wlab_module_encode(m, &out, &size, &err), WLAB_OK);
	static const uint8_t want[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
				       0x01, 0x03, 0x01, 0x5f, 0x00};
	assert_int_equal(size, sizeof want);
	assert_memory_equal(out, want, sizeof want);
	free(out);
	wlab_module_free(m);
	tu_buf_free(&b);
}

/* A chain of 200 struct types, each declaring the one before as its
 * supertype, and two types x, y = sub x whose one field refers to t[k]
 * and t[j]: valid exactly when t[j] <: t[k], j >= k (the validator walks
 * the chain by jump pointers: pairs of depths across the chain are checked
 * here). And a chain of 20,000 with 20,000 such pairs, the deepest against
 * the root (a walk up the chain per query would take 4*10^8 steps). */
static void chain_module(struct tu_buf *b, uint32_t n, uint32_t pairs, uint32_t k, uint32_t j)
{
	struct tu_buf ts = {0};
	tu_u32(&ts, n + 2 * pairs);
	TU_PUT(&ts, 0x50, 0x00, 0x5f, 0x00);
	for (uint32_t i = 1; i < n; i++) {
		TU_PUT(&ts, 0x50, 0x01);
		tu_u32(&ts, i - 1);
		TU_PUT(&ts, 0x5f, 0x00);
	}
	for (uint32_t p = 0; p < pairs; p++) {
		TU_PUT(&ts, 0x50, 0x00, 0x5f, 0x01, 0x64);
		tu_s32(&ts, (int32_t)k);
		TU_PUT(&ts, 0x00, 0x50, 0x01);
		tu_u32(&ts, n + 2 * p);
		TU_PUT(&ts, 0x5f, 0x01, 0x64);
		tu_s32(&ts, (int32_t)j);
		tu_byte(&ts, 0x00);
	}
	tu_header(b);
	tu_section(b, 1, &ts);
	tu_buf_free(&ts);
}

static enum wlab_status validate_bytes(const struct tu_buf *b)
{
	struct wlab_decode_options o = {.features = gc_features()};
	struct wlab_validate_options vo = {.features = gc_features()};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	struct wlab_validate_error verr;
	enum wlab_status st = tu_decode(b, &o, &m, &err);
	if (st == WLAB_OK)
		st = wlab_module_validate(m, &vo, &verr);
	wlab_module_free(m);
	return st;
}

static void test_deep_chains(void **state)
{
	(void)state;
	size_t failed = 0, n = 0;
	for (uint32_t k = 0; k < 200; k += 7)
		for (uint32_t j = 0; j < 200; j += 3) {
			struct tu_buf b = {0};
			chain_module(&b, 200, 1, k, j);
			enum wlab_status st = validate_bytes(&b), want = j >= k ? WLAB_OK : WLAB_INVALID;
			if (st != want) {
				char what[64];
				snprintf(what, sizeof what, "chain t%u under t%u", j, k);
				failed += tu_row_failed(what, "%s, expected %s", wlab_status_name(st),
							wlab_status_name(want)) ? 0 : 1;
			}
			tu_buf_free(&b);
			n++;
		}
	tu_table_done("deep chains", failed, n);
	struct tu_buf b = {0};
	chain_module(&b, 20000, 20000, 0, 19999);
	assert_int_equal(validate_bytes(&b), WLAB_OK);
	tu_buf_free(&b);
}

/* Text modules: assembled with GC on, decoded and validated; each prints
 * to text that assembles to the same bytes, and holds the printed text
 * given (when not NULL). */
struct trow {
	const char *text;
	const char *error;   /* NULL: valid; else a prefix of the text or validation error */
	const char *printed; /* a part of the printed text */
};

static const struct trow trows[] = {
	{"(module (type (struct)) (type (struct (field))) (type (struct (field i8 i8)))"
	 " (type (struct (field $x i32) (field $y (mut i64)))) (type (array i16)) (type (array (mut f64))))",
	 NULL, "(type (;3;) (struct (field i32) (field (mut i64))))"},
	{"(module (rec (type $a (sub (struct (field (ref null $b))))) (type $b (sub $a (struct (field (ref null $b)) (field i32))))))",
	 NULL, "(rec\n    (type (;0;) (sub (struct (field (ref null 1)))))\n"
	       "    (type (;1;) (sub 0 (struct (field (ref null 1)) (field i32)))))"},
	{"(module (rec (type (func))) (rec) (type (sub final (array (mut i8)))))",
	 NULL, "(rec\n    (type (;0;) (func)))\n  (type (;1;) (sub final (array (mut i8))))"},
	{"(module (type (struct (field anyref eqref i31ref structref arrayref nullref nullfuncref"
	 " nullexternref nullexnref (ref any) (ref null eq) (ref i31) (ref struct) (ref array) (ref none)"
	 " (ref noextern) (ref nofunc) (ref noexn) (ref exn) (ref extern) (ref func)))))",
	 NULL, "(field nullexnref) (field (ref any)) (field eqref) (field (ref i31))"},
	{"(module (type (struct (field $x i32) (field $x i32))))", "duplicate field $x", NULL},
	{"(module (type $t (struct)) (type (sub $t (struct))))", "sub type 1 has final super type 0",
	 NULL},
	{"(module (type $t (sub (struct (field i32)))) (type (sub $t (struct (field i64)))))",
	 "sub type 1 does not match super type 0", NULL},
	{"(module (type (sub $u (struct))) (type $u (sub (struct))))",
	 "forward use of type 1 in sub type definition", NULL},
	{"(module (type $s (struct)) (func (type $s)))", "non-function type 0", NULL},
	{"(module (type (struct (field (ref 1)))))", "unknown type 1", NULL},
	{"(module (type (func (param i8))))", "unexpected token 'i8', expected a value type", NULL},
	{"(module (type (array i32 i32)))", "unexpected token", NULL},
	/* an implicit type use is a function type alone in its group, final */
	{"(module (rec (type $ft (func)) (type (struct))) (func $f) (global (ref $ft) (ref.func $f)))",
	 "type mismatch", NULL},
	{"(module (rec (type $ft (func))) (func $f) (global (ref $ft) (ref.func $f)))", NULL,
	 "(func (;0;) (type 0))"},
	{"(module (type $ft (sub (func))) (func $f) (global (ref $ft) (ref.func $f)))",
	 "type mismatch", NULL},
	{"(module (rec (type $f1 (func)) (type (struct (field (ref $f1)))))"
	 " (rec (type $f2 (func)) (type (struct (field (ref $f2)))))"
	 " (func $f (type $f2)) (global (ref $f1) (ref.func $f)))", NULL, NULL},
	{"(module (rec (type $f1 (func)) (type (struct (field (ref $f1)))))"
	 " (rec (type $f2 (func)) (type (struct (field (ref $f1)))))"
	 " (func $f (type $f2)) (global (ref $f1) (ref.func $f)))", "type mismatch", NULL},
};

static bool check_trow(const struct trow *r)
{
	uint32_t f = gc_features();
	struct wlab_decode_options o = {.features = f};
	struct wlab_validate_options vo = {.features = f};
	struct wlab_validate_error verr;
	struct wlab_error err = {0};
	struct wlab_module *m = NULL;
	uint8_t *bin = NULL, *bin2 = NULL;
	size_t size = 0, size2 = 0, len = 0;
	char *text = NULL;
	bool ok = true;
	if (wlab_wat_to_binary_features(r->text, strlen(r->text), f, &bin, &size, &err)) {
		if (!r->error || !strstr(err.message, r->error))
			ok = tu_row_failed(r->text, "text error \"%s\", expected %s", err.message,
					   r->error ? r->error : "none");
		goto done;
	}
	if (wlab_module_decode(bin, size, &o, &m, &err)) {
		ok = tu_row_failed(r->text, "decode: %s", err.message);
		goto done;
	}
	wlab_module_validate(m, &vo, &verr);
	if (r->error) {
		if (!verr.error.status || !strstr(verr.error.message, r->error))
			ok = tu_row_failed(r->text, "validation \"%s\", expected \"%s\"",
					   verr.error.message, r->error);
		goto done;
	}
	if (!tu_check_ok(r->text, &verr.error)) {
		ok = false;
		goto done;
	}
	if (wlab_wat_print(m, NULL, &text, &len, &err)) {
		ok = tu_row_failed(r->text, "print: %s", err.message);
		goto done;
	}
	if (r->printed && !strstr(text, r->printed))
		ok = tu_row_failed(r->text, "printed\n%s\nwithout\n%s", text, r->printed);
	else if (wlab_wat_to_binary_features(text, len, f, &bin2, &size2, &err))
		ok = tu_row_failed(r->text, "printed text: %s", err.message);
	else if (size2 != size || memcmp(bin, bin2, size))
		ok = tu_row_failed(r->text, "printed text assembles to other bytes:\n%s", text);
done:
	free(bin);
	free(bin2);
	free(text);
	wlab_module_free(m);
	return ok;
}

static void test_text(void **state)
{
	(void)state;
	size_t failed = 0, n = sizeof trows / sizeof trows[0];
	for (size_t i = 0; i < n; i++)
		failed += !check_trow(&trows[i]);
	tu_table_done("gc text rows", failed, n);
}

/* Without GC the text forms are errors, as before. */
static void test_text_gc_off(void **state)
{
	(void)state;
	/* each text with the features of `off` turned off: the parser's message
	 * and the decoder's for the same module assembled with GC on; each
	 * names the feature */
#define NEEDS_GC " needs the gc feature (--enable-gc)"
#define NEEDS_FR " needs the function-references feature (--enable-function-references)"
	uint32_t gc = wlab_feature_by_name("gc"), fr = wlab_feature_by_name("function-references");
	const struct {
		const char *text;
		uint32_t off;
		const char *wat_msg, *bin_msg;
	} off_rows[] = {
		{"(module (type (struct)))", gc, "unexpected token (struct): struct type" NEEDS_GC,
		 "malformed function type: struct type" NEEDS_GC},
		{"(module (rec (type (func)) (type (func))))", gc,
		 "unexpected token (rec): rec group" NEEDS_GC,
		 "malformed function type: rec group" NEEDS_GC},
		{"(module (type (sub (func))))", gc, "unexpected token (sub): sub type" NEEDS_GC,
		 "malformed function type: sub type" NEEDS_GC},
		{"(module (type (func (param anyref))))", gc, "unexpected token (anyref): anyref" NEEDS_GC,
		 "malformed value type: anyref" NEEDS_GC},
		{"(module (func (param eqref)))", gc, "unexpected token (eqref): eqref" NEEDS_GC,
		 "malformed value type: eqref" NEEDS_GC},
		{"(module (func (result i31ref) unreachable))", gc,
		 "unexpected token (i31ref): i31ref" NEEDS_GC, "malformed value type: i31ref" NEEDS_GC},
		{"(module (global (mut structref) (ref.null struct)))", gc,
		 "unexpected token (structref): structref" NEEDS_GC,
		 "malformed value type: structref" NEEDS_GC},
		{"(module (func (local arrayref)))", gc, "unexpected token (arrayref): arrayref" NEEDS_GC,
		 "malformed value type: arrayref" NEEDS_GC},
		{"(module (table 1 nullref))", gc, "unexpected token (nullref): nullref" NEEDS_GC,
		 "malformed reference type: nullref" NEEDS_GC},
		{"(module (func (param (ref null any))))", gc, "unexpected token (any): any" NEEDS_GC,
		 "malformed value type: anyref" NEEDS_GC},
		{"(module (func (param (ref eq))))", gc, "unexpected token (eq): eq" NEEDS_GC,
		 "malformed reference type: eq" NEEDS_GC},
		{"(module (func (drop (ref.null i31))))", gc, "unexpected token (i31): i31" NEEDS_GC,
		 "malformed reference type: i31" NEEDS_GC},
		{"(module (type $t (func)) (func (param (ref $t))))", gc | fr,
		 "unexpected token (ref $t): (ref ht)" NEEDS_FR, "malformed value type: (ref ht)" NEEDS_FR},
		{"(module (type $t (func)) (func (param (ref null $t))))", gc | fr,
		 "unexpected token (ref null $t): (ref null ht)" NEEDS_FR,
		 "malformed value type: (ref null ht)" NEEDS_FR},
		{"(module (func (param nullfuncref)))", gc | fr,
		 "unexpected token (nullfuncref): nullfuncref" NEEDS_FR,
		 "malformed value type: nullfuncref" NEEDS_FR},
	};
	size_t failed = 0, n = sizeof off_rows / sizeof off_rows[0];
	for (size_t i = 0; i < n; i++) {
		const char *t = off_rows[i].text;
		uint32_t off = gc_features() & ~off_rows[i].off;
		uint8_t *bin = NULL;
		size_t size = 0;
		struct wlab_error err = {0};
		enum wlab_status st = wlab_wat_to_binary_features(t, strlen(t), off, &bin, &size, &err);
		if (st == WLAB_OK || !strstr(err.message, off_rows[i].wat_msg))
			failed += tu_row_failed(t, "text: got \"%s\", want \"%s\"", err.message,
						off_rows[i].wat_msg) ? 0 : 1;
		free(bin);
		bin = NULL;
		err = (struct wlab_error){0};
		if (wlab_wat_to_binary_features(t, strlen(t), gc_features(), &bin, &size, &err)) {
			failed += tu_row_failed(t, "with GC: %s", err.message) ? 0 : 1;
			continue;
		}
		struct wlab_module *m = NULL;
		struct wlab_decode_options o = {.features = off};
		if (wlab_module_decode(bin, size, &o, &m, &err) == WLAB_OK ||
		    strcmp(err.message, off_rows[i].bin_msg))
			failed += tu_row_failed(t, "binary: got \"%s\", want \"%s\"", err.message,
						off_rows[i].bin_msg) ? 0 : 1;
		wlab_module_free(m);
		free(bin);
	}
#undef NEEDS_GC
#undef NEEDS_FR
	tu_table_done("gc text off", failed, n);
}

/* Field names (name subsection 10: type -> field -> name) in the printed
 * text: on the struct's fields and on struct.get/struct.set, unique within
 * their type ("$x", "$x.1"), never for an array type or a field index past
 * the struct's fields; without them, indices as before. The name section
 * comes from an @custom annotation. */
static void test_field_names(void **state)
{
	(void)state;
	static const char text[] =
		"(module\n"
		"  (type (struct (field i32) (field (mut i64)) (field (mut f32))))\n"
		"  (type (array (mut i8)))\n"
		"  (func (param (ref 0)) (result i32)\n"
		"    local.get 0 f32.const 1 struct.set 0 2\n"
		"    local.get 0 struct.get 0 0)\n"
		/* subsection 4: type 0 is "pt"; subsection 10: type 0 field 0
		 * "x", field 2 "x", field 9 "z" (past the fields); type 1 (an
		 * array) element 0 "e" */
		"  (@custom \"name\" \"\\04\\05\\01\\00\\02pt\"\n"
		"    \"\\0a\\11\\02\\00\\03\\00\\01x\\02\\01x\\09\\01z\\01\\01\\00\\01e\"))";
	static const char *const want[] = {
		"(type $pt (struct (field $x i32) (field (mut i64)) (field $x.1 (mut f32))))",
		"(type (;1;) (array (mut i8)))",
		"struct.set $pt $x.1",
		"struct.get $pt $x)",
	};
	uint32_t f = gc_features();
	struct wlab_decode_options o = {.features = f};
	struct wlab_error err = {0};
	struct wlab_module *m = NULL;
	uint8_t *bin = NULL;
	size_t size = 0, len = 0;
	char *out = NULL;
	assert_int_equal(wlab_wat_to_binary_features(text, strlen(text), f, &bin, &size, &err), WLAB_OK);
	assert_int_equal(wlab_module_decode(bin, size, &o, &m, &err), WLAB_OK);
	assert_true(m->has_names);
	assert_int_equal(wlab_wat_print(m, NULL, &out, &len, &err), WLAB_OK);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(out, want[i]))
			fail_msg("printed\n%s\nwithout\n%s", out, want[i]);
	assert_null(strstr(out, "$z"));
	assert_null(strstr(out, "$e"));
	free(out);
	out = NULL;
	/* --no-names: indices */
	struct wlab_wat_print_options po = {.flags = WLAB_WAT_NO_NAMES};
	assert_int_equal(wlab_wat_print(m, &po, &out, &len, &err), WLAB_OK);
	assert_non_null(strstr(out, "(struct (field i32) (field (mut i64)) (field (mut f32)))"));
	assert_non_null(strstr(out, "struct.get 0 0)"));
	free(out);
	wlab_module_free(m);
	free(bin);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_gc_off),
		cmocka_unit_test(test_decoded_fields),
		cmocka_unit_test(test_empty_rec),
		cmocka_unit_test(test_deep_chains),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_gc_off),
		cmocka_unit_test(test_field_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
