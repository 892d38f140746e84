/* test_demangle.c: wlab_demangle on a table of names (c++filt's answers,
 * checked by the dwarf suite over many more), names it must decline, and
 * every prefix and byte flip of the table's names (no crash, no overrun). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"
#include "wlab/demangle.h"

static const struct {
	const char *mangled, *want;
} names[] = {
	{"_ZNK3geo4Rect4areaEv", "geo::Rect::area() const"},
	{"_ZN3geo3sumIlEET_PKS1_i", "long geo::sum<long>(long const*, int)"},
	{"_ZN3geo4RectD0Ev", "geo::Rect::~Rect()"},
	{"_ZN3geo6SquareC2El", "geo::Square::Square(long)"},
	{"_ZTVN3geo4RectE", "vtable for geo::Rect"},
	{"_ZTIi", "typeinfo for int"},
	{"_ZdlPv", "operator delete(void*)"},
	{"_ZL5applyIZ3runE3$_0ElT_l", "long apply<run::$_0>(run::$_0, long)"},
	{"_ZZ3runENK3$_0clEl", "run::$_0::operator()(long) const"},
	{"_ZN12_GLOBAL__N_16hiddenEi", "(anonymous namespace)::hidden(int)"},
	{"_ZN5outer5inner6offsetILln5EEEll", "long outer::inner::offset<-5l>(long)"},
	{"_ZNK5outer5inner4PairIiNS1_IclEEE6secondEv",
	 "outer::inner::Pair<int, outer::inner::Pair<char, long> >::second() const"},
	{"_ZZL7countervE1n", "counter()::n"},
	{"_Z1fv.cold", "f() [clone .cold]"},
	{"_ZN3std2io5stdio6_print17h5f7e8c8d7a6b5c4dE", "std::io::stdio::_print::h5f7e8c8d7a6b5c4d"},
	{"_ZN5hello4main27$u7b$$u7b$closure$u7d$$u7d$17h538454127b096493E",
	 "hello::main::{{closure}}::h538454127b096493"},
	/* Rust v0 (demangle_rust.c), as binutils 2.40's c++filt prints them */
	{"_RNvCs15kBYyAo9fc_7mycrate7example", "mycrate[ca63f166dbe9294]::example"},
	{"_RNvMsr_NtCs3ssYzQotkvD_3std4pathNtB5_7PathBuf3newCs15kBYyAo9fc_7mycrate",
	 "<std[284a76a8b41a7fd3]::path::PathBuf>::new"},
	{"_RNCNCNgCs6DXkGYLi8lr_2cc5spawn00B5_",
	 "cc[4d6468d6c9fd4bb3]::spawn::{closure#0}::{closure#0}"},
	{"_RINvNtC3std3mem8align_ofKj5_E", "std[0]::mem::align_of::<5: usize>"},
	{"_RINvCs1234_7mycrate4callFG1_RL1_hRL0_hERL1_hE",
	 "mycrate[3c1c0]::call::<for<'a, 'b, 'c> fn(&'b u8, &'c u8) -> &'b u8>"},
	{"_RINvCs1234_7mycrate4callDINtNtCs5678_4core3ops2FnTlEEp6OutputmEL_E",
	 "mycrate[3c1c0]::call::<dyn core[128aac]::ops::Fn<(i32,), Output = u32>>"},
	{"_RNvCs15kBYyAo9fc_7mycrate7example.llvm.4567", "mycrate[ca63f166dbe9294]::example"},
	/* Punycode identifiers (rustc's names for fn größe and impl Shape for Carré) */
	{"_RNvCs4T4zK9Otvt5_5namesu9gre_6ka8i", "names[38efd9133fa684a1]::gr\xc3\xb6\xc3\x9f" "e"},
	{"_RNvXs0_Cs4T4zK9Otvt5_5namesNtB5_u8Carr_epaNtB5_5Shape4area",
	 "<names[38efd9133fa684a1]::Carr\xc3\xa9 as names[38efd9133fa684a1]::Shape>::area"},
	/* char consts, quoted as c++filt quotes them */
	{"_RINvC1a1fKc61_E", "a[0]::f::<'a': char>"},
	{"_RINvC1a1fKca_E", "a[0]::f::<'\\n': char>"},
	{"_RINvC1a1fKc27_E", "a[0]::f::<''': char>"},
	{"_RINvC1a1fKc7e_E", "a[0]::f::<'\\u{7e}': char>"},
	{"_RINvC1a1fKc1f600_E", "a[0]::f::<'\\u{1f600}': char>"},
	/* Rust legacy escapes of non-ASCII characters, as UTF-8 (c++filt stops there) */
	{"_ZN5names13gr$uf6$$udf$e17heb261de580735280E", "names::gr\xc3\xb6\xc3\x9f" "e::heb261de580735280"},
	{"_ZN5names14$u6771$$u4eac$17h5d9f599b86192b8bE", "names::\xe6\x9d\xb1\xe4\xba\xac::h5d9f599b86192b8b"},
	/* rustc -O: ThinLTO's suffix dropped, as c++filt does */
	{"_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17h192459b0153da0a3E.llvm.16357793176541062396",
	 "std::rt::lang_start::{{closure}}::h192459b0153da0a3"},
};

/* Not demangled: not mangled, cut short, or outside the subset (function and
 * array types, packs, invalid Punycode or characters) or what c++filt leaves too (a bare clone dot). */
static const char *const declined[] = {
	"main", "", "_Z", "_Z1", "_Z1fPFivE", "_Z1fA10_i", "_R", "_RNvC3foo",
	"_RNvC3foo3bar0", "_R0NvC3foo3bar", "_RNvC3fooB_", "_RNvC3foou2a_",
	"_RNvC3foou3a_A", "_RINvC1a1fKcd800_E", "_RINvC1a1fKc110000_E", "_RNvC3foo3ba$",
	"_ZN5names4a$u1$17heb261de580735280E", "_ZN5names7a$ud800$17heb261de580735280E",
	"_Z1fDpT_", "_ZN1a1bE.", "_Z1f.123",
	"_ZN3std2rt4main17h192459b0153da0a3E.llvm.", "_ZN3std2rt4main17h192459b0153da0a3E.llvm.12x",
};

static void test_names(void **state)
{
	(void)state;
	char buf[1024];
	size_t failed = 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!wlab_demangle(names[i].mangled, buf, sizeof buf))
			failed += !tu_row_failed(names[i].mangled, "declined");
		else if (strcmp(buf, names[i].want))
			failed += !tu_row_failed(names[i].mangled, "gave '%s', want '%s'", buf,
						 names[i].want);
	}
	tu_table_done("names", failed, sizeof names / sizeof names[0]);
}

static void test_declined(void **state)
{
	(void)state;
	char buf[256];
	size_t failed = 0;
	for (size_t i = 0; i < sizeof declined / sizeof declined[0]; i++)
		if (wlab_demangle(declined[i], buf, sizeof buf))
			failed += !tu_row_failed(declined[i], "gave '%s'", buf);
	tu_table_done("declined", failed, sizeof declined / sizeof declined[0]);
	/* too small an output buffer declines */
	assert_false(wlab_demangle("_ZNK3geo4Rect4areaEv", buf, 8));
	assert_false(wlab_demangle(NULL, buf, sizeof buf));
}

/* Every prefix, and every byte changed, of each name: no crash; an answer
 * always fits the buffer. */
static void test_mangled_garbage(void **state)
{
	(void)state;
	char in[256], buf[64];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t n = strlen(names[i].mangled);
		for (size_t k = 0; k <= n; k++) {
			memcpy(in, names[i].mangled, k);
			in[k] = 0;
			if (wlab_demangle(in, buf, sizeof buf))
				assert_true(strlen(buf) < sizeof buf);
			static const char subst[] = "ENIZST_0123456789KPRLlvi$.BCMXYDFGAu";
			for (size_t s = 0; s < sizeof subst - 1 && k < n; s++) {
				memcpy(in, names[i].mangled, n + 1);
				in[k] = subst[s];
				if (wlab_demangle(in, buf, sizeof buf))
					assert_true(strlen(buf) < sizeof buf);
			}
		}
	}
	/* deep nesting is declined, not a deep recursion */
	char deep[4096] = "_Z1f";
	for (int k = 0; k < 1000; k++)
		strcat(deep, "P");
	strcat(deep, "i");
	assert_false(wlab_demangle(deep, buf, sizeof buf));
	char deep_rust[4096] = "_RINvC1a1f";
	for (int k = 0; k < 1000; k++)
		strcat(deep_rust, "S");
	strcat(deep_rust, "hE");
	assert_false(wlab_demangle(deep_rust, buf, sizeof buf));
}

/* A Rust legacy name's length is bounded by the output buffer only: rustc
 * gives names of a thousand characters and more (closures in iterator
 * adapters); c++filt prints them whole. */
static void test_long_rust_legacy(void **state)
{
	(void)state;
	static char mangled[8192], want[8192], buf[8192];
	strcpy(mangled, "_ZN4core3ptr");
	strcpy(want, "core::ptr");
	for (int k = 0; k < 300; k++) {
		strcat(mangled, "13$LT$inner$GT$");
		strcat(want, "::<inner>");
	}
	strcat(mangled, "17hd8cd951dbb41a76cE");
	strcat(want, "::hd8cd951dbb41a76c");
	assert_true(strlen(want) > 2000);
	assert_true(wlab_demangle(mangled, buf, sizeof buf));
	assert_string_equal(buf, want);
	/* one byte short of the answer declines, and leaves an empty string */
	assert_false(wlab_demangle(mangled, buf, strlen(want)));
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_declined),
		cmocka_unit_test(test_mangled_garbage),
		cmocka_unit_test(test_long_rust_legacy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
