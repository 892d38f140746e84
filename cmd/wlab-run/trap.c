/* trap.c: reports a trap: the spec's message and a backtrace, innermost
 * frame first, with function names from the name section (or the export
 * names), the byte offset of the instruction each frame was running and,
 * when the module has debug information (DWARF, its own or a separate
 * file's, or a source map: wlab/debuginfo.h; and not --no-source), the
 * source lines below it, inlined functions first; an access out of bounds
 * or unaligned says where first (wlab_store_trap_detail):
 *     m.wasm: trap: integer divide by zero
 *       #0 func[2] <div> at m.wasm:0x4f
 *            /src/m.c:4:12
 *       #1 func[3] <main> at m.wasm:0x5a
 *            /src/m.c:9:10 in twice (inlined)
 *            /src/m.c:15:3
 * C++ and Rust names are demangled (wlab/demangle.h) unless --no-demangle. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "run.h"
#include "wlab.h"

#define MAX_FRAMES 4096  /* frames fetched; runs of one frame print once */
#define MAX_LINES 64
#define MAX_SOURCE_MODS 16

struct wlab_str func_name(const struct wlab_module *m, uint32_t idx)
{
	const struct wlab_str *n = wlab_module_name_of(m, WLAB_NAMES_FUNCTION, idx);
	if (n)
		return *n;
	for (uint32_t i = 0; i < m->nexports; i++)
		if (m->exports[i].kind == WLAB_EXTERN_FUNC && m->exports[i].index == idx)
			return m->exports[i].name;
	return (struct wlab_str){NULL, 0};
}

#define MAX_SOURCE_FRAMES 16  /* inlined frames shown per wasm frame */

const char *shown_name(const struct runner *r, const char *name, size_t len, char *buf,
			      size_t size)
{
	char mangled[NAME_MAX_LEN];
	snprintf(buf, size, "%.*s", (int)len, name);
	if (r->o->no_demangle || len >= sizeof mangled)
		return buf;
	memcpy(mangled, name, len);
	mangled[len] = 0;
	if (!wlab_demangle(mangled, buf, size))
		snprintf(buf, size, "%s", mangled);
	return buf;
}

/* The debug information of each loaded module, opened at the first trap
 * that needs it. */
struct sources {
	const struct wlab_module *m[MAX_SOURCE_MODS];
	struct wlab_debuginfo *d[MAX_SOURCE_MODS];
	const char *path[MAX_SOURCE_MODS];
	int n;
};

static void source_warning(void *ctx, const char *message)
{
	fprintf(stderr, "wlab-run: %s: warning: %s; source lines may be missing\n",
		(const char *)ctx, message);
}

/* --debug-file and --source-map are the main module's (the last loaded). */
static struct wlab_debuginfo *sources_of(const struct runner *r, struct sources *s,
					 const struct wlab_module *m, const char *path)
{
	for (int i = 0; i < s->n; i++)
		if (s->m[i] == m)
			return s->d[i];
	if (s->n == MAX_SOURCE_MODS)
		return NULL;
	bool main_mod = r->nmods > 0 && r->mods[r->nmods - 1].m == m;
	struct wlab_debuginfo_options o = {
		.module_path = path,
		.debug_file = main_mod ? r->o->debug_file : NULL,
		.source_map = main_mod ? r->o->source_map : NULL,
	};
	struct wlab_debuginfo *d = wlab_debuginfo_new(m, &o);
	if (d)
		wlab_debuginfo_set_warn(d, source_warning, (void *)path);
	if (d && wlab_debuginfo_kind(d, NULL) == WLAB_DEBUGINFO_NONE) {
		wlab_debuginfo_free(d);
		d = NULL;
	}
	s->m[s->n] = m;
	s->path[s->n] = path;
	s->d[s->n++] = d;
	return d;
}

static void sources_free(struct sources *s)
{
	for (int i = 0; i < s->n; i++)
		wlab_debuginfo_free(s->d[i]);
	s->n = 0;
}

/* The source lines of the instruction at file offset off, innermost first. */
static void print_source(const struct runner *r, struct wlab_debuginfo *d, uint32_t off)
{
	char buf[NAME_MAX_LEN];
	struct wlab_source_loc loc[MAX_SOURCE_FRAMES];
	if (!d || !off)
		return;
	uint32_t n = wlab_debuginfo_lookup(d, off, loc, MAX_SOURCE_FRAMES);
	/* DWARF's outermost frame is the function the frame line names; a source
	 * map's name (its "names" entry) may be another, so it is shown */
	bool map = n && wlab_debuginfo_kind(d, NULL) == WLAB_DEBUGINFO_SOURCE_MAP;
	for (uint32_t k = 0; k < n && k < MAX_SOURCE_FRAMES; k++) {
		if (!loc[k].file)
			continue;
		fprintf(stderr, "       %s:%u:%u", loc[k].file, loc[k].line, loc[k].column);
		if (loc[k].inlined || (map && loc[k].function))
			fprintf(stderr, " in %s%s",
				loc[k].function ? shown_name(r, loc[k].function, strlen(loc[k].function),
							     buf, sizeof buf)
						: "??",
				loc[k].inlined ? " (inlined)" : "");
		fputc('\n', stderr);
	}
}

static void print_frame(const struct runner *r, struct sources *src, uint32_t i,
			const struct wlab_frame_info *fr)
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
	char buf[NAME_MAX_LEN];
	fprintf(stderr, "  #%u func[%u]", i, fr->func);
	if (name.ptr)
		fprintf(stderr, " <%s>", shown_name(r, (const char *)name.ptr, name.len, buf,
						    sizeof buf));
	if (fr->offset)
		fprintf(stderr, " at %s:0x%x\n", path, fr->offset);
	else
		fprintf(stderr, " in %s\n", path);
	if (!r->o->no_source)
		print_source(r, sources_of(r, src, m, path), fr->offset);
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

/* What the access or table index that trapped was, on a line of its own:
 *   (i32.load of 4 bytes at 0x10002 = 0xfffe + offset 0x4, in memory 0 of 0x10000 bytes)
 *   (table.get of element 5, in table 0 of 3 elements) */
static void report_detail(const struct wlab_store *s, enum wlab_trap trap)
{
	struct wlab_trap_detail d;
	wlab_store_trap_detail(s, &d);
	const char *name = d.op && d.op < WLAB_OP_COUNT ? wlab_opinfo(d.op)->name : "an access";
	if (d.has_index && trap == WLAB_TRAP_TABLE_OOB) {
		fprintf(stderr, "  (%s of element %" PRIu64 ", in table %" PRIu32 " of %" PRIu64
			" elements)\n", name, d.addr, d.index, d.bound);
		return;
	}
	if (!d.has_access || (trap != WLAB_TRAP_MEMORY_OOB && trap != WLAB_TRAP_UNALIGNED_ATOMIC))
		return;
	fprintf(stderr, "  (%s of %" PRIu32 " byte%s at ", name, d.n, d.n == 1 ? "" : "s");
	if (!d.offset)
		fprintf(stderr, "0x%" PRIx64, d.addr);
	else if (d.addr + d.offset < d.addr)  /* past 2^64 */
		fprintf(stderr, "0x%" PRIx64 " + offset 0x%" PRIx64, d.addr, d.offset);
	else
		fprintf(stderr, "0x%" PRIx64 " = 0x%" PRIx64 " + offset 0x%" PRIx64,
			d.addr + d.offset, d.addr, d.offset);
	if (trap == WLAB_TRAP_UNALIGNED_ATOMIC)
		fprintf(stderr, ", not a multiple of %" PRIu32 ")\n", d.n);
	else
		fprintf(stderr, ", in memory %" PRIu32 " of 0x%" PRIx64 " bytes)\n", d.index, d.bound);
}

int report_trap(const struct runner *r, const char *path, enum wlab_trap trap)
{
	static struct wlab_frame_info frames[MAX_FRAMES];
	struct sources src = {.n = 0};
	fflush(stdout);
	if (trap == WLAB_TRAP_EXCEPTION) {
		report_exception(r, path);
		return EXIT_TRAP;
	}
	fprintf(stderr, "%s: trap: %s\n", path, wlab_trap_message(trap));
	report_detail(r->store, trap);
	if (trap == WLAB_TRAP_INTERRUPTED)
		fprintf(stderr, "  (--timeout %g: the time is up)\n", r->o->timeout);
	if (trap == WLAB_TRAP_FUEL)
		fprintf(stderr, "  (the budget of --fuel %llu units is spent)\n",
			(unsigned long long)r->o->fuel);
	if (trap == WLAB_TRAP_NOMEM)
		fprintf(stderr, "  (past --max-heap or --max-memory, or the host's memory, "
			"with the unreachable GC objects collected)\n");
	uint32_t n = wlab_store_backtrace(r->store, frames, MAX_FRAMES), lines = 0, i = 0;
	uint32_t have = n < MAX_FRAMES ? n : MAX_FRAMES;
	while (i < have && lines < MAX_LINES) {
		uint32_t same = 1;
		while (i + same < have && same_frame(&frames[i], &frames[i + same]))
			same++;
		if (same == 2)  /* one repeat: a line of its own says as much */
			same = 1;
		print_frame(r, &src, i, &frames[i]);
		if (same > 1)
			fprintf(stderr, "  ... the same frame %u more times (#%u-#%u)\n", same - 1,
				i + 1, i + same - 1);
		i += same;
		lines++;
	}
	if (i < n)
		fprintf(stderr, "  ... %u more frames\n", n - i);
	sources_free(&src);
	return trap == WLAB_TRAP_INTERRUPTED ? EXIT_TIMEOUT : EXIT_TRAP;
}

int call_trapped(const struct runner *r, const char *path, enum wlab_trap trap)
{
	timeout_stop();
	sampler_stop();  /* the backtrace's lookups are not the guest's time */
	if (trap == WLAB_TRAP_EXIT && r->wasi) {
		fflush(stdout);
		return (int)wasi_exit_code(r);
	}
	return report_trap(r, path, trap);
}
