/* trap.c: reports a trap: the spec's message and a backtrace, innermost
 * frame first, with function names from the name section (or the export
 * names) and the byte offset of the instruction each frame was running:
 *     m.wasm: trap: integer divide by zero
 *       #0 func[2] <div> at m.wasm:0x4f
 *       #1 func[3] <main> at m.wasm:0x5a */
#include <stdio.h>
#include <string.h>

#include "run.h"
#include "wlab.h"

#define MAX_FRAMES 4096  /* frames fetched; runs of one frame print once */
#define MAX_LINES 64

/* The name of function idx: from the name section, else an export's name. */
static struct wlab_str func_name(const struct wlab_module *m, uint32_t idx)
{
	const struct wlab_str *n = wlab_module_name_of(m, WLAB_NAMES_FUNCTION, idx);
	if (n)
		return *n;
	for (uint32_t i = 0; i < m->nexports; i++)
		if (m->exports[i].kind == WLAB_EXTERN_FUNC && m->exports[i].index == idx)
			return m->exports[i].name;
	return (struct wlab_str){NULL, 0};
}

static void print_frame(const struct runner *r, uint32_t i, const struct wlab_frame_info *fr)
{
	if (!fr->inst) {
		if (r->trapped)
			fprintf(stderr, "  #%u host function %s.%s\n", i, r->trapped->module,
				r->trapped->field);
		else
			fprintf(stderr, "  #%u host function\n", i);
		return;
	}
	const struct wlab_module *m = wlab_instance_module(fr->inst);
	const char *path = "?";
	for (int k = 0; k < r->nmods; k++)
		if (r->mods[k].m == m)
			path = r->mods[k].path;
	struct wlab_str name = func_name(m, fr->func);
	fprintf(stderr, "  #%u func[%u]", i, fr->func);
	if (name.ptr)
		fprintf(stderr, " <%.*s>", (int)name.len, (const char *)name.ptr);
	if (fr->offset)
		fprintf(stderr, " at %s:0x%x\n", path, fr->offset);
	else
		fprintf(stderr, " in %s\n", path);
}

/* An exception that left the guest: its tag, named from the name section
 * or an export of the module that defines or imports it, and its payload:
 *     m.wasm: uncaught exception: tag[0] <oops> (i32:3, f64:0x1.8p+0) */
static void report_exception(const struct runner *r, const char *path)
{
	const struct rt_tag *tag;
	const wlab_valtype_t *types;
	const uint64_t *vals;
	uint32_t n, idx = 0;
	fprintf(stderr, "%s: uncaught exception:", path);
	if (!wlab_store_exception(r->store, &tag, &types, &n, &vals)) {
		fputc('\n', stderr);
		return;
	}
	for (int k = r->nmods; k-- > 0;) {
		if (!r->mods[k].inst || !wlab_instance_tag_index(r->mods[k].inst, tag, &idx))
			continue;
		const struct wlab_module *m = r->mods[k].m;
		const struct wlab_str *nm = wlab_module_name_of(m, WLAB_NAMES_TAG, idx);
		fprintf(stderr, " tag[%u]", idx);
		for (uint32_t i = 0; !nm && i < m->nexports; i++)
			if (m->exports[i].kind == WLAB_EXTERN_TAG && m->exports[i].index == idx)
				nm = &m->exports[i].name;
		if (nm)
			fprintf(stderr, " <%.*s>", (int)nm->len, (const char *)nm->ptr);
		break;
	}
	fputs(" (", stderr);
	for (uint32_t i = 0, w = 0; i < n; i++) {
		char buf[64];
		wlab_type_str(types[i], buf, sizeof buf);
		fprintf(stderr, "%s%s:", i ? ", " : "", buf);
		switch (types[i]) {
		case WLAB_I32: fprintf(stderr, "%d", (int32_t)vals[w]); break;
		case WLAB_I64: fprintf(stderr, "%lld", (long long)(int64_t)vals[w]); break;
		case WLAB_F32: {
			float f;
			uint32_t b = (uint32_t)vals[w];
			memcpy(&f, &b, 4);
			fprintf(stderr, "%.9g", f);
			break;
		}
		case WLAB_F64: {
			double d;
			memcpy(&d, &vals[w], 8);
			fprintf(stderr, "%.17g", d);
			break;
		}
		case WLAB_V128:
			fprintf(stderr, "0x%016llx%016llx", (unsigned long long)vals[w + 1],
				(unsigned long long)vals[w]);
			break;
		default:
			fprintf(stderr, vals[w] ? "ref" : "null");
			break;
		}
		w += types[i] == WLAB_V128 ? 2 : 1;
	}
	fputs(")\n", stderr);
}

static bool same_frame(const struct wlab_frame_info *a, const struct wlab_frame_info *b)
{
	return a->inst == b->inst && a->func == b->func && a->offset == b->offset;
}

int report_trap(const struct runner *r, const char *path, enum wlab_trap trap)
{
	static struct wlab_frame_info frames[MAX_FRAMES];
	fflush(stdout);
	if (trap == WLAB_TRAP_EXCEPTION) {
		report_exception(r, path);
		return EXIT_TRAP;
	}
	fprintf(stderr, "%s: trap: %s\n", path, wlab_trap_message(trap));
	if (trap == WLAB_TRAP_FUEL)
		fprintf(stderr, "  (the budget of --fuel %llu instructions is spent)\n",
			(unsigned long long)r->o->fuel);
	uint32_t n = wlab_store_backtrace(r->store, frames, MAX_FRAMES), lines = 0, i = 0;
	uint32_t have = n < MAX_FRAMES ? n : MAX_FRAMES;
	while (i < have && lines < MAX_LINES) {
		uint32_t same = 1;
		while (i + same < have && same_frame(&frames[i], &frames[i + same]))
			same++;
		print_frame(r, i, &frames[i]);
		if (same > 1)
			fprintf(stderr, "  ... the same frame %u more times (#%u-#%u)\n", same - 1,
				i + 1, i + same - 1);
		i += same;
		lines++;
	}
	if (i < n)
		fprintf(stderr, "  ... %u more frames\n", n - i);
	return EXIT_TRAP;
}

int call_trapped(const struct runner *r, const char *path, enum wlab_trap trap)
{
	if (trap == WLAB_TRAP_EXIT && r->wasi) {
		fflush(stdout);
		return (int)wasi_exit_code(r);
	}
	return report_trap(r, path, trap);
}
