// embed.cpp: a small C++ embedder of libwasm, built by tests/embed/run.sh
// against the installed library through pkg-config: it includes every public
// header (wlab.h, and wlab/layout.h, which wlab.h leaves out), compiles text
// to a module, imports a host function written in C++, instantiates and
// calls an export, and prints what it got; then passes GC structs both ways.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "wlab.h"
#include "wlab/layout.h"

namespace {

const char kText[] =
	"(module (import \"host\" \"twice\" (func $twice (param i32) (result i32)))"
	"  (memory (export \"memory\") 1)"
	"  (func (export \"add\") (param i32 i32) (result i32)"
	"    (call $twice (i32.add (local.get 0) (local.get 1))))"
	"  (func (export \"boom\") unreachable))";

int calls = 0;

enum wlab_trap twice(void *ctx, const uint64_t *args, uint64_t *results)
{
	++*static_cast<int *>(ctx);
	results[0] = static_cast<uint32_t>(args[0] * 2);
	return WLAB_TRAP_NONE;
}

struct StoreFree {
	void operator()(wlab_store *s) const { wlab_store_free(s); }
};
struct ModuleFree {
	void operator()(wlab_module *m) const { wlab_module_free(m); }
};

int fail(const char *what, const wlab_error &err)
{
	std::fprintf(stderr, "embed: %s: %s (%s)\n", what, err.message, wlab_status_name(err.status));
	return 1;
}

// A GC round trip: a struct made by the host, read by the guest; one made
// by the guest, read and written by the host.
const char kGcText[] =
	"(module (type $pt (struct (field (mut i32)) (field f64)))"
	"  (func (export \"sum\") (param (ref $pt)) (result f64)"
	"    (f64.add (f64.convert_i32_s (struct.get $pt 0 (local.get 0)))"
	"             (struct.get $pt 1 (local.get 0))))"
	"  (func (export \"mk\") (result (ref $pt)) (struct.new $pt (i32.const 3) (f64.const 0.25))))";

double as_f64(uint64_t w)
{
	double d;
	std::memcpy(&d, &w, 8);
	return d;
}

int gc_round_trip()
{
	wlab_error err = {};
	uint8_t *bin = nullptr;
	size_t size = 0;
	uint32_t features = wlab_features_default() | wlab_feature_by_name("gc");
	if (wlab_wat_to_binary_features(kGcText, std::strlen(kGcText), features, &bin, &size, &err) !=
	    WLAB_OK)
		return fail("gc text", err);
	std::unique_ptr<uint8_t, decltype(&std::free)> bytes(bin, &std::free);
	wlab_decode_options d = {};
	d.features = features;
	wlab_module *raw = nullptr;
	if (wlab_module_decode(bin, size, &d, &raw, &err) != WLAB_OK)
		return fail("gc decode", err);
	std::unique_ptr<wlab_module, ModuleFree> m(raw);
	wlab_store_options opts = {};
	opts.features = features;
	opts.gc_stress = true;
	std::unique_ptr<wlab_store, StoreFree> s(wlab_store_new(&opts));
	wlab_instance *inst = nullptr;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	uint32_t pt = 0;
	if (!s || wlab_instantiate(s.get(), m.get(), &inst, &err, &trap) != WLAB_OK ||
	    !wlab_instance_type_id(inst, 0, &pt))
		return fail("gc instantiate", err);
	wlab_extern sum = {}, mk = {};
	if (!wlab_instance_export(inst, "sum", 3, &sum) || !wlab_instance_export(inst, "mk", 2, &mk))
		return 1;
	double half = 2.5;
	uint64_t fields[2] = {7, 0}, p = 0, res[1] = {0}, v = 0;
	std::memcpy(&fields[1], &half, 8);
	if (wlab_struct_new(s.get(), pt, fields, &p, &err) != WLAB_OK)
		return fail("wlab_struct_new", err);
	if (!wlab_ref_hold(s.get(), p) || wlab_call(s.get(), sum.u.func, &p, res, &trap) != WLAB_OK)
		return 1;
	std::printf("gc: sum of host struct (7, 2.5) = %g\n", as_f64(res[0]));
	uint64_t q = 0, x = 40, f = 0;
	if (wlab_call(s.get(), mk.u.func, nullptr, &q, &trap) != WLAB_OK ||
	    wlab_struct_set(s.get(), q, 0, &x, &err) != WLAB_OK ||
	    wlab_struct_get(s.get(), q, 0, false, &v, &err) != WLAB_OK ||
	    wlab_struct_get(s.get(), q, 1, false, &f, &err) != WLAB_OK)
		return fail("guest struct", err);
	if (wlab_struct_set(s.get(), q, 1, &x, &err) == WLAB_OK)
		return 1;
	std::printf("gc: guest struct set to (%llu, %g); %s\n", static_cast<unsigned long long>(v),
		    as_f64(f), err.message);
	wlab_ref_release(s.get(), p);
	return 0;
}

}  // namespace

int main()
{
	wlab_error err = {};
	uint8_t *bin = nullptr;
	size_t size = 0;
	if (wlab_wat_to_binary(kText, std::strlen(kText), &bin, &size, &err) != WLAB_OK)
		return fail("text", err);
	std::unique_ptr<uint8_t, decltype(&std::free)> bytes(bin, &std::free);
	wlab_module *raw = nullptr;
	if (wlab_module_decode(bin, size, nullptr, &raw, &err) != WLAB_OK)
		return fail("decode", err);
	std::unique_ptr<wlab_module, ModuleFree> m(raw);
	wlab_validate_error verr = {};
	if (wlab_module_validate(m.get(), nullptr, &verr) != WLAB_OK)
		return fail("validate", verr.error);

	wlab_store_options opts = {};
	opts.fuel = 1000;
	std::unique_ptr<wlab_store, StoreFree> s(wlab_store_new(&opts));
	const wlab_valtype_t i32[] = {WLAB_I32};
	wlab_extern host = {};
	host.kind = WLAB_EXTERN_FUNC;
	host.u.func = wlab_host_func_new(s.get(), i32, 1, i32, 1, twice, &calls);
	if (!host.u.func || wlab_store_define(s.get(), "host", "twice", host) != WLAB_OK)
		return 1;
	wlab_instance *inst = nullptr;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	if (wlab_instantiate(s.get(), m.get(), &inst, &err, &trap) != WLAB_OK)
		return fail("instantiate", err);

	wlab_extern add = {}, boom = {};
	if (!wlab_instance_export(inst, "add", 3, &add) || !wlab_instance_export(inst, "boom", 4, &boom))
		return 1;
	uint64_t args[2] = {20, 1}, res[1] = {0};
	if (wlab_call(s.get(), add.u.func, args, res, &trap) != WLAB_OK)
		return 1;
	std::printf("add(20, 1) = %llu, host calls %d\n", static_cast<unsigned long long>(res[0]), calls);
	enum wlab_status st = wlab_call(s.get(), boom.u.func, nullptr, nullptr, &trap);
	std::printf("boom: %s, %s\n", wlab_status_name(st), wlab_trap_message(trap));
	if (gc_round_trip())
		return 1;
	std::string version = WLAB_VERSION_STRING;
	std::printf("libwasm %s, %zu-byte module\n", version.c_str(), size);
	return 0;
}
