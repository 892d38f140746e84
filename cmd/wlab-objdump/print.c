/* print.c: the small printers every mode of wlab-objdump shares: hex dumps,
 * wabt's hex-float text, names, type names and constant expressions. */
#include <inttypes.h>
#include <string.h>

#include "objdump.h"
#include "print.h"

void objdump_print_hex_dump(FILE *out, const uint8_t *bytes, uint32_t size,
			    uint64_t start_offset, const char *prefix)
{
	for (uint32_t line = 0; line < size; line += 16) {
		uint32_t n = size - line < 16 ? size - line : 16;
		fprintf(out, "%s%07" PRIx64 ": ", prefix ? prefix : "", start_offset + line);
		for (uint32_t i = 0; i < 16; i++) {
			if (i < n)
				fprintf(out, "%02x", bytes[line + i]);
			else
				fputs("  ", out);
			if (i & 1)
				fputc(' ', out);
		}
		fputc(' ', out);
		for (uint32_t i = 0; i < n; i++) {
			uint8_t c = bytes[line + i];
			fputc(c >= 0x20 && c < 0x7f ? c : '.', out);
		}
		fputc('\n', out);
	}
}

void objdump_print_hex_lines(FILE *out, const uint8_t *bytes, uint32_t size,
			     uint32_t start_offset, const char *prefix)
{
	objdump_print_hex_dump(out, bytes, size, start_offset, prefix);
}

/* The text of an IEEE float of sig_bits significand bits and exp_bits
 * exponent bits held in the low bits of bits, in wabt's hex form: the
 * significand's nybbles after "0x1." with trailing zeros dropped; a
 * subnormal is normalised first, so its exponent runs below the minimum. */
static void format_float(char *buf, uint64_t bits, int sig_bits, int exp_bits)
{
	const int total = sig_bits + exp_bits + 1;
	const uint64_t sig_mask = (UINT64_C(1) << sig_bits) - 1;
	const int exp_max = (1 << exp_bits) - 1;
	const int bias = exp_max >> 1;
	bool neg = (bits >> (total - 1)) & 1;
	int exp_field = (int)((bits >> sig_bits) & (uint64_t)exp_max);
	uint64_t sig = bits & sig_mask;
	char *p = buf;

	if (neg)
		*p++ = '-';
	if (exp_field == exp_max) {
		if (sig == 0)
			strcpy(p, "inf");
		else if (sig == (UINT64_C(1) << (sig_bits - 1)))
			strcpy(p, "nan");
		else
			sprintf(p, "nan:0x%" PRIx64, sig);
		return;
	}
	int exp = exp_field - bias;
	bool zero = sig == 0 && exp_field == 0;
	*p++ = '0';
	*p++ = 'x';
	*p++ = zero ? '0' : '1';
	/* Move the significand to the top of a 64-bit word. */
	sig <<= 64 - sig_bits;
	if (sig) {
		if (exp_field == 0) {
			int lz = 0;
			while (!(sig & (UINT64_C(1) << 63))) {
				sig <<= 1;
				lz++;
			}
			sig <<= 1;  /* drop the leading 1, now implicit */
			exp -= lz;
		}
		*p++ = '.';
		while (sig) {
			*p++ = "0123456789abcdef"[sig >> 60];
			sig <<= 4;
		}
	}
	*p++ = 'p';
	if (zero)
		strcpy(p, "+0");
	else
		sprintf(p, "%c%d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
}

void objdump_format_f32(char *buf, uint32_t bits)
{
	format_float(buf, bits, 23, 8);
}

void objdump_format_f64(char *buf, uint64_t bits)
{
	format_float(buf, bits, 52, 11);
}

void objdump_print_str(FILE *out, struct wlab_str s)
{
	const uint8_t *nul = s.len ? memchr(s.ptr, 0, s.len) : NULL;
	if (nul)
		s.len = (uint32_t)(nul - s.ptr);
	if (s.len)
		fwrite(s.ptr, 1, s.len, out);
}

bool objdump_str_is(struct wlab_str s, const char *lit)
{
	size_t n = strlen(lit);
	return s.len == n && memcmp(s.ptr, lit, n) == 0;
}

/* Names of 2.0 types as wasm-objdump prints them; typed references in the
 * text format's words, from a small ring of buffers (valid for the next
 * few calls: enough for one printed line). */
const char *objdump_type_str(wlab_valtype_t code)
{
	static char ring[4][48];
	static unsigned next;
	const char *s = wlab_valtype_name(code);
	if (s)
		return s;
	if (code < 0x100 && !wlab_type_is_ref(code))
		return "<type_index>";
	char *buf = ring[next++ % 4];
	return wlab_type_str(code, buf, sizeof ring[0]);
}

bool objdump_demangle;

#define DEMANGLED_MAX 4096

void objdump_print_name(FILE *out, const char *name)
{
	char buf[DEMANGLED_MAX];
	if (name && objdump_demangle && wlab_demangle(name, buf, sizeof buf))
		name = buf;
	if (name)
		fprintf(out, " <%s>", name);
}

void objdump_print_sym(FILE *out, struct wlab_str s)
{
	char in[DEMANGLED_MAX], buf[DEMANGLED_MAX];
	const uint8_t *nul = s.len ? memchr(s.ptr, 0, s.len) : NULL;
	if (nul)
		s.len = (uint32_t)(nul - s.ptr);
	if (objdump_demangle && s.len < sizeof in) {
		memcpy(in, s.ptr, s.len);
		in[s.len] = 0;
		if (wlab_demangle(in, buf, sizeof buf)) {
			fputs(buf, out);
			return;
		}
	}
	objdump_print_str(out, s);
}

/* ---- constant expressions ---- */

/* Decodes up to max instructions of expr, without its final end. Returns
 * how many there are (possibly more than max), or -1 when malformed. */
int objdump_expr_instrs(const struct objdump_ctx *ctx, struct wlab_expr expr,
			struct wlab_instr *out, int max)
{
	struct wlab_error err = {0};
	struct wlab_instr_iter it;
	struct wlab_instr ins;
	int n = 0;
	wlab_instr_iter_init(&it, ctx->m->bytes, expr.span, 0xffffffffu, &err);
	while (!wlab_instr_iter_done(&it)) {
		if (wlab_instr_next(&it, &ins) != WLAB_OK) {
			n = -1;
			break;
		}
		if (ins.op == WLAB_OP_END && wlab_instr_iter_done(&it))
			break;
		if (n < max)
			out[n] = ins;
		n++;
	}
	wlab_instr_iter_fini(&it);
	return n;
}

static void print_multi_instr(struct objdump_ctx *ctx, const struct wlab_instr *in)
{
	FILE *out = ctx->out;
	char buf[OBJDUMP_FLOAT_BUF];
	fputs(wlab_opinfo(in->op)->name, out);
	switch (in->op) {
	case WLAB_OP_I32_CONST:
		fprintf(out, " %" PRId32, in->i32);
		break;
	case WLAB_OP_I64_CONST:
		fprintf(out, " %" PRId64, in->i64);
		break;
	case WLAB_OP_F32_CONST:
		objdump_format_f32(buf, in->f32);
		fprintf(out, " %s\n", buf);
		break;
	case WLAB_OP_F64_CONST:
		objdump_format_f64(buf, in->f64);
		fprintf(out, " %s\n", buf);
		break;
	case WLAB_OP_GLOBAL_GET:
		fprintf(out, " %" PRIu32, in->index);
		objdump_print_name(out, objdump_global_name(ctx, in->index));
		break;
	default:
		break;
	}
}

/* " - init (i32.const 1, i32.const 2, i32.add)": every instruction but the
 * final end, however many (extended constant expressions). */
static void print_multi(struct objdump_ctx *ctx, struct wlab_expr expr)
{
	struct wlab_error err = {0};
	struct wlab_instr_iter it;
	struct wlab_instr in;
	bool first = true;
	fputs(" - init (", ctx->out);
	wlab_instr_iter_init(&it, ctx->m->bytes, expr.span, 0xffffffffu, &err);
	while (!wlab_instr_iter_done(&it) && wlab_instr_next(&it, &in) == WLAB_OK) {
		if (in.op == WLAB_OP_END && wlab_instr_iter_done(&it))
			break;
		if (!first)
			fputs(", ", ctx->out);
		print_multi_instr(ctx, &in);
		first = false;
	}
	wlab_instr_iter_fini(&it);
	fputs(")\n", ctx->out);
}

bool objdump_print_init(struct objdump_ctx *ctx, struct wlab_expr expr,
			bool as_unsigned, bool *typed, uint64_t *value)
{
	FILE *out = ctx->out;
	struct wlab_instr ins[16];
	char buf[OBJDUMP_FLOAT_BUF];
	int n = objdump_expr_instrs(ctx, expr, ins, 16);
	if (n <= 0)
		return false;
	if (n > 1) {
		print_multi(ctx, expr);
		return false;
	}
	/* A single instruction wasm-objdump 1.0.32 has no short form for
	 * prints from uninitialised memory: nothing, not even the newline,
	 * until an earlier init had a short form, then that form again with
	 * garbage as the value. For a global's or table's v128.const, ref.null
	 * and ref.func no oracle binds: we print the true initialiser on its
	 * own line, in 1.0.39's words where it has them (ref.func:N). Elsewhere
	 * (an invalid offset such as ref.null or nop) 1.0.32's empty output is
	 * stable, and we keep it. */
	const struct wlab_instr *in = &ins[0];
	bool was_typed = *typed;
	bool no_oracle = !as_unsigned && (in->op == WLAB_OP_V128_CONST ||
					  in->op == WLAB_OP_REF_NULL || in->op == WLAB_OP_REF_FUNC);
	switch (in->op) {
	case WLAB_OP_I32_CONST:
	case WLAB_OP_I64_CONST:
	case WLAB_OP_F32_CONST:
	case WLAB_OP_F64_CONST:
	case WLAB_OP_GLOBAL_GET:
		*typed = true;
		break;
	default:
		if (!was_typed && !no_oracle)
			return false;
		break;
	}
	switch (in->op) {
	case WLAB_OP_I32_CONST:
		if (as_unsigned)
			fprintf(out, " - init i32=%" PRIu32 "\n", (uint32_t)in->i32);
		else
			fprintf(out, " - init i32=%" PRId32 "\n", in->i32);
		*value = (uint32_t)in->i32;
		return true;
	case WLAB_OP_I64_CONST:
		if (as_unsigned)
			fprintf(out, " - init i64=%" PRIu64 "\n", (uint64_t)in->i64);
		else
			fprintf(out, " - init i64=%" PRId64 "\n", in->i64);
		*value = (uint64_t)in->i64;
		return true;
	case WLAB_OP_F32_CONST:
		objdump_format_f32(buf, in->f32);
		fprintf(out, " - init f32=%s\n", buf);
		return false;
	case WLAB_OP_F64_CONST:
		objdump_format_f64(buf, in->f64);
		fprintf(out, " - init f64=%s\n", buf);
		return false;
	case WLAB_OP_GLOBAL_GET:
		fprintf(out, " - init global=%" PRIu32, in->index);
		objdump_print_name(out, objdump_global_name(ctx, in->index));
		fputc('\n', out);
		return false;
	case WLAB_OP_V128_CONST:
		/* wasm-objdump prints uninitialised memory here; we print the value. */
		fputs(" - init v128=", out);
		for (int i = 0; i < 16; i += 4)
			fprintf(out, "%s0x%02x%02x%02x%02x", i ? " " : "", in->v128[i + 3],
				in->v128[i + 2], in->v128[i + 1], in->v128[i]);
		fputc('\n', out);
		return false;
	case WLAB_OP_REF_FUNC:
		fprintf(out, " - init ref.func:%" PRIu32, in->index);
		objdump_print_name(out, objdump_func_name(ctx, in->index));
		fputc('\n', out);
		return false;
	case WLAB_OP_REF_NULL:
		fprintf(out, " - init ref.null %s\n", objdump_type_str(in->reftype));
		return false;
	default:
		fprintf(out, " - init %s\n", wlab_opinfo(in->op)->name);
		return false;
	}
}

void objdump_print_init_expr(struct objdump_ctx *ctx, struct wlab_expr expr)
{
	uint64_t v;
	bool typed = false;
	objdump_print_init(ctx, expr, false, &typed, &v);
}
