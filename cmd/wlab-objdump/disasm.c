/* disasm.c: wlab-objdump -d, the function bodies one instruction a line in
 * the layout of wabt's wasm-objdump 1.0.32:
 *
 * 000081 func[0] <name>:
 *  000082: 01 7e                      | local[1] type=i64
 *  000084: 20 00                      | local.get 0 <x>
 *  000086: 42 80 80 80 80 80 80 80 80 | i64.const -9223372036854775808
 *  00008f: 80 7f                      |
 *
 * Bytes wrap after nine a line; blocks indent their contents by two spaces,
 * as wasm-objdump does, unless that would take more than INDENT_BUDGET
 * bytes of indentation per byte of the function's body (then up to
 * MAX_INDENT levels, deeper lines saying their depth instead);
 * -r prints relocations under the instruction they patch (disasm_reloc.c);
 * -l prints "; FILE:LINE" before the first instruction of each source line
 * (the innermost, inlined, function's line, from the module's DWARF, a
 * separate DWARF file or a source map: wlab/debuginfo.h), -S
 * the source lines themselves (source.c);
 * -F IDX|NAME keeps only the chosen functions. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "disasm.h"
#include "source.h"
#include "wlab/debuginfo.h"

#define BYTES_PER_LINE 9
/* wasm-objdump's indentation grows with the square of the nesting: 20,000
 * nested blocks, a 60 KB function, print 800 MB, about 13,000 bytes of
 * indentation per byte of body. Compilers nest deep too, but not that deep
 * for their size: Go's esbuild.wasm nests 3,289 blocks and takes up to 1,400
 * bytes of indentation per byte of a function's body, Rust's biome 1,046
 * and 500. So a function is indented exactly as wasm-objdump indents it
 * when that takes at most INDENT_BUDGET bytes of indentation per byte of
 * its body (the size its code entry gives: locals and instructions), which
 * keeps -d output linear in the input. A function over the budget is
 * indented at most MAX_INDENT levels, and a line deeper than that starts
 * with "[depth N] " (docs/wlab-objdump.md, "Deep nesting"). */
#define INDENT_BUDGET 4096
#define MAX_INDENT 1024

struct disasm {
	struct objdump_ctx *ctx;
	uint32_t base;       /* subtracted from offsets: 0, or with
				--section-offsets the Code payload's start */
	uint32_t features;
	struct disasm_relocs relocs;
	struct wlab_debuginfo *debug;  /* -l or -S */
	struct objdump_source source;  /* -S */
	const char *last_file;      /* the last "; FILE:LINE" printed */
	uint32_t last_line;
};

static void line_warning(void *ctx, const char *message)
{
	fprintf(stderr, "%s: warning: %s\n", (const char *)ctx, message);
}

/* -l: "; FILE:LINE" when the instruction at offset starts another line;
 * -S: the source lines not shown yet. */
static void print_line(struct disasm *d, uint32_t offset)
{
	struct wlab_source_loc loc;
	if (!d->debug || wlab_debuginfo_lookup(d->debug, offset, &loc, 1) == 0 || !loc.file)
		return;
	if (loc.file == d->last_file && loc.line == d->last_line)
		return;
	if (d->ctx->opts->line_numbers)
		fprintf(d->ctx->out, "; %s:%" PRIu32 "\n", loc.file, loc.line);
	if (d->ctx->opts->source)
		objdump_source_show(&d->source, loc.file, loc.line);
	d->last_file = loc.file;
	d->last_line = loc.line;
}

static bool has_memory64(const struct wlab_module *m)
{
	for (uint32_t i = 0; i < m->nimports; i++)
		if (m->imports[i].kind == WLAB_EXTERN_MEMORY && m->imports[i].u.memory.is64)
			return true;
	for (uint32_t i = 0; i < m->nmemories; i++)
		if (m->memories[i].limits.is64)
			return true;
	return false;
}

/* wasm-objdump reads every proposal it knows, but a memarg offset is a
 * u64 only in a module with a 64-bit memory (an overlong u32 fails). */
static uint32_t disasm_features(const struct wlab_module *m)
{
	uint32_t all = m->features;  /* every feature, unless options chose others */
	return has_memory64(m) ? all : all & ~(uint32_t)WLAB_FEATURE_MEMORY64;
}

/* The few checks wasm-objdump makes while it disassembles (it stops there,
 * silently): memory indices in range (1.0.32 only), and a DataCount
 * section before memory.init and data.drop. Records the error and returns
 * true. */
static bool rejected(const struct disasm *d, const struct wlab_instr *in,
		     struct wlab_error *err)
{
	const struct wlab_module *m = d->ctx->m;
	uint32_t nmem = wlab_module_memory_count(m);
	uint32_t mem = UINT32_MAX, mem2 = UINT32_MAX;
	switch (wlab_opinfo(in->op)->imm) {
	case WLAB_IMM_MEMARG:
	case WLAB_IMM_MEMARG_LANE:
		mem = in->memarg.memidx;
		break;
	case WLAB_IMM_MEMIDX:
		mem = in->index;
		break;
	case WLAB_IMM_MEM_MEM:
		mem = in->index;
		mem2 = in->index2;
		break;
	case WLAB_IMM_DATA_MEM:
		mem = in->index2;
		/* fall through */
	case WLAB_IMM_DATA:
		if (!m->has_data_count) {
			wlab_error_set(err, WLAB_MALFORMED, in->offset,
				       "data count section required");
			return true;
		}
		break;
	default:
		break;
	}
	if (mem2 != UINT32_MAX && mem2 >= nmem)
		mem = mem2;
	if (mem == UINT32_MAX || mem < nmem || objdump_v139(d->ctx))
		return false;
	wlab_error_set(err, WLAB_INVALID, in->offset, "unknown memory %" PRIu32, mem);
	return true;
}

/* Prints " OFFSET: " and up to nine of the bytes at offset, padded to the
 * text column; returns how many it printed. */
static uint32_t print_bytes(const struct disasm *d, uint32_t offset, uint32_t size)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *b = d->ctx->m->bytes;
	uint32_t n = size < BYTES_PER_LINE ? size : BYTES_PER_LINE;
	/* One fwrite per line: this is the hot path of -d on large modules. */
	char line[16 + 3 * BYTES_PER_LINE + 4];
	char *p = line;
	uint32_t at = offset - d->base;
	int digits = 6;
	while (digits < 8 && (at >> (4 * digits)))
		digits++;
	*p++ = ' ';
	for (int i = digits - 1; i >= 0; i--)
		*p++ = hex[(at >> (4 * i)) & 15];
	*p++ = ':';
	*p++ = ' ';
	for (uint32_t i = 0; i < BYTES_PER_LINE; i++) {
		if (i < n) {
			*p++ = hex[b[offset + i] >> 4];
			*p++ = hex[b[offset + i] & 15];
		} else {
			*p++ = ' ';
			*p++ = ' ';
		}
		*p++ = ' ';
	}
	*p++ = '|';
	*p++ = ' ';
	fwrite(line, 1, (size_t)(p - line), d->ctx->out);
	return n;
}

/* Ends the line begun by print_bytes and prints the bytes left over on
 * continuation lines with an empty text column. */
static void finish_bytes(const struct disasm *d, uint32_t offset, uint32_t size,
			 uint32_t done)
{
	fputc('\n', d->ctx->out);
	while (done < size) {
		done += print_bytes(d, offset + done, size - done);
		fputc('\n', d->ctx->out);
	}
}

/* "local[2..3] type=i64" for each (count, type) pair; first is the index
 * of the first local (after the parameters). Indices wrap as u32 do. */
static void print_locals(const struct disasm *d, const struct wlab_code *c, uint32_t first)
{
	FILE *out = d->ctx->out;
	for (uint32_t i = 0; i < c->nlocal_decls; i++) {
		const struct wlab_local_decl *l = &c->local_decls[i];
		uint32_t end = i + 1 < c->nlocal_decls ? c->local_decls[i + 1].offset
						       : c->expr.offset;
		uint32_t done = print_bytes(d, l->offset, end - l->offset);
		if (l->count == 1)
			fprintf(out, "local[%" PRIu32 "]", first);
		else
			fprintf(out, "local[%" PRIu32 "..%" PRIu32 "]", first,
				first + l->count - 1);
		fprintf(out, " type=%s", objdump_type_str(l->type));
		finish_bytes(d, l->offset, end - l->offset, done);
		first += l->count;
	}
}

static void print_error(const struct disasm *d, const struct wlab_error *err)
{
	fflush(d->ctx->out);
	fprintf(stderr, "%s:0x%zx: error: %s\n", d->ctx->filename, err->offset,
		err->message[0] ? err->message : "malformed instruction");
}

/* Where the instruction goes relative to the enclosing blocks: else and
 * catch stand one level out, end and delegate close theirs first. */
static uint32_t indent_before(uint16_t op, uint32_t *depth)
{
	switch (op) {
	case WLAB_OP_END:
	case WLAB_OP_DELEGATE:
		if (*depth)
			(*depth)--;
		return *depth;
	case WLAB_OP_ELSE:
	case WLAB_OP_CATCH:
	case WLAB_OP_CATCH_ALL:
		return *depth ? *depth - 1 : 0;
	default:
		return *depth;
	}
}

static void print_indent(FILE *out, uint32_t depth, bool capped)
{
	static const char spaces[] = "                                                                ";
	uint32_t n = 2 * (capped && depth > MAX_INDENT ? MAX_INDENT : depth);
	for (; n >= sizeof spaces - 1; n -= sizeof spaces - 1)
		fputs(spaces, out);
	fwrite(spaces, 1, n, out);
	if (capped && depth > MAX_INDENT)
		fprintf(out, "[depth %" PRIu32 "] ", depth);
}

static bool opens_block(uint16_t op)
{
	return op == WLAB_OP_BLOCK || op == WLAB_OP_LOOP || op == WLAB_OP_IF ||
	       op == WLAB_OP_TRY || op == WLAB_OP_TRY_TABLE;
}

/* Whether indenting the body as wasm-objdump does would print more than
 * INDENT_BUDGET bytes of indentation per byte of it. A block takes two bytes
 * at least, so a body of B bytes nests at most B/2 levels over at most B
 * lines, 2 * B/2 * B bytes of indentation: one of up to INDENT_BUDGET bytes
 * cannot be over, and only bigger ones are walked (before the dump; the walk
 * stops where the dump will, at the first error). */
static bool over_budget(const struct disasm *d, const struct wlab_code *c)
{
	uint64_t budget = (uint64_t)INDENT_BUDGET * c->body.size, total = 0;
	struct wlab_error err = {0};
	struct wlab_instr_iter it;
	struct wlab_instr in = {0};
	uint32_t depth = 0;
	if (c->body.size <= INDENT_BUDGET)
		return false;
	wlab_instr_iter_init(&it, d->ctx->m->bytes, c->expr, d->features, &err);
	while (total <= budget && !wlab_instr_iter_done(&it) && !wlab_instr_next(&it, &in) &&
	       !rejected(d, &in, &err)) {
		total += 2 * (uint64_t)indent_before(in.op, &depth);
		if (opens_block(in.op))
			depth++;
	}
	wlab_instr_iter_fini(&it);
	return total > budget;
}

/* Walks the whole expression, past an early end as wasm-objdump does. */
static int print_instrs(struct disasm *d, uint32_t func, const struct wlab_code *c)
{
	bool capped = over_budget(d, c);
	FILE *out = d->ctx->out;
	struct wlab_error err = {0};
	struct wlab_instr_iter it;
	struct wlab_instr in = {0};
	uint32_t depth = 0;
	int rc = 0;
	wlab_instr_iter_init(&it, d->ctx->m->bytes, c->expr, d->features, &err);
	while (!wlab_instr_iter_done(&it)) {
		if (wlab_instr_next(&it, &in) || rejected(d, &in, &err)) {
			print_error(d, &err);
			rc = 1;
			break;
		}
		uint32_t indent = indent_before(in.op, &depth);
		print_line(d, in.offset);
		uint32_t done = print_bytes(d, in.offset, in.size);
		print_indent(out, indent, capped);
		fputs(wlab_opinfo(in.op)->name, out);
		disasm_print_immediates(d->ctx, func, &in);
		finish_bytes(d, in.offset, in.size, done);
		disasm_relocs_print_next(d->ctx, &d->relocs, in.offset + in.size);
		if (opens_block(in.op))
			depth++;
	}
	/* A body ends with end. The decoder checks it too, unless the caller
	 * had it skip the bodies so that -d shows what comes before an error. */
	if (!rc && (c->expr.size == 0 || in.op != WLAB_OP_END)) {
		wlab_error_set(&err, WLAB_MALFORMED, c->expr.offset + c->expr.size,
			       "unexpected end of section or function");
		print_error(d, &err);
		rc = 1;
	}
	wlab_instr_iter_fini(&it);
	return rc;
}

static int print_function(struct disasm *d, uint32_t code_index)
{
	const struct wlab_module *m = d->ctx->m;
	const struct wlab_code *c = &m->codes[code_index];
	uint32_t func = m->nimported_funcs + code_index;
	/* wasm-objdump 1.0.32 numbers the locals from the parameter count of
	 * the type whose index is the function's index (not its signature);
	 * 1.0.39 from its signature's. */
	uint32_t type = objdump_v139(d->ctx) ? wlab_module_func_type(m, func) : func;
	uint32_t nparams = type < m->ntypes ? m->types[type].nparams : 0;

	fprintf(d->ctx->out, "%06" PRIx32 " func[%" PRIu32 "]", c->body.offset - d->base, func);
	objdump_print_name(d->ctx->out, objdump_func_name(d->ctx, func));
	fputs(":\n", d->ctx->out);
	print_locals(d, c, nparams);
	d->last_file = NULL;
	return print_instrs(d, func, c);
}

/* ---- -F IDX|NAME ---- */

/* The body a -F argument names: a decimal function index, or a name as the
 * headers show it. Reports and returns false when it names none. */
static bool find_function(const struct objdump_ctx *ctx, const char *arg, uint32_t *code_index)
{
	const struct wlab_module *m = ctx->m;
	uint32_t nfuncs = m->nimported_funcs + m->ncodes;
	char *end;
	if (arg[0] >= '0' && arg[0] <= '9') {
		unsigned long v = strtoul(arg, &end, 10);
		if (*end == '\0') {
			if (v < m->nimported_funcs)
				fprintf(stderr, "%s: error: -F %s: function %lu is imported and has no body\n",
					ctx->filename, arg, v);
			else if (v >= nfuncs)
				fprintf(stderr, "%s: error: -F %s: no function %lu (the module has %" PRIu32
					" functions)\n", ctx->filename, arg, v, nfuncs);
			else
				*code_index = (uint32_t)v - m->nimported_funcs;
			return v >= m->nimported_funcs && v < nfuncs;
		}
	}
	for (uint32_t f = m->nimported_funcs; f < nfuncs; f++) {
		const char *name = objdump_func_name(ctx, f);
		char buf[4096];
		if (name && (strcmp(name, arg) == 0 ||
			     (objdump_demangle && wlab_demangle(name, buf, sizeof buf) &&
			      strcmp(buf, arg) == 0))) {
			*code_index = f - m->nimported_funcs;
			return true;
		}
	}
	fprintf(stderr, "%s: error: -F %s: no function body has that name\n", ctx->filename, arg);
	return false;
}

/* Marks the bodies -F selects in keep[] (NULL when there are none); all
 * of them without -F. */
static int select_functions(const struct objdump_ctx *ctx, bool *keep)
{
	const struct objdump_opts *o = ctx->opts;
	int rc = 0;
	for (uint32_t i = 0; i < ctx->m->ncodes; i++)
		keep[i] = o->nfunctions == 0;
	fflush(ctx->out);
	for (int i = 0; i < o->nfunctions; i++) {
		uint32_t code_index = 0;
		if (find_function(ctx, o->functions[i], &code_index))
			keep[code_index] = true;
		else
			rc = 1;
	}
	return rc;
}

static bool find_code_section(const struct wlab_module *m, uint32_t *index)
{
	for (uint32_t i = 0; i < m->nsections; i++) {
		if (m->sections[i].id == WLAB_SEC_CODE) {
			*index = i;
			return true;
		}
	}
	return false;
}

int objdump_print_disasm(struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	uint32_t code_section = 0;
	bool has_code = find_code_section(m, &code_section);
	/* Like wasm-objdump 1.0.32, -d disassembles whatever -j says: a drop-in
	 * prints the same bytes. Use -F to choose functions. */
	fputs("\nCode Disassembly:\n\n", ctx->out);
	if (!has_code || m->ncodes == 0)
		return select_functions(ctx, NULL);  /* reports each -F */

	bool *keep = malloc(m->ncodes * sizeof *keep);
	if (!keep) {
		fprintf(stderr, "%s: error: out of memory\n", ctx->filename);
		return 1;
	}
	struct disasm d = {
		.ctx = ctx,
		.base = ctx->opts->section_offsets ? m->sections[code_section].payload.offset : 0,
		.features = disasm_features(m),
	};
	disasm_relocs_init(ctx, code_section, &d.relocs);
	d.source.out = ctx->out;
	d.source.dir = ctx->opts->source_dir;
	struct wlab_debuginfo_options dopts = {
		.module_path = ctx->filename,
		.debug_file = ctx->opts->debug_file,
		.source_map = ctx->opts->source_map,
	};
	if ((ctx->opts->line_numbers || ctx->opts->source) &&
	    (d.debug = wlab_debuginfo_new(m, &dopts)))
		wlab_debuginfo_set_warn(d.debug, line_warning, (void *)ctx->filename);
	int rc = select_functions(ctx, keep);
	for (uint32_t i = 0; i < m->ncodes; i++) {
		const struct wlab_code *c = &m->codes[i];
		if (!keep[i]) {
			disasm_relocs_skip_until(&d.relocs, c->body.offset + c->body.size);
			continue;
		}
		if (print_function(&d, i)) {
			rc = 1;
			break;
		}
	}
	free(keep);
	wlab_debuginfo_free(d.debug);
	objdump_source_free(&d.source);
	return rc;
}
