/* disasm_imm.c: how wlab-objdump -d shows each kind of immediate, matching
 * wabt's wasm-objdump 1.0.32 (found by running it, quirks included: i32
 * constants print unsigned, local.tee/return_call/ref.func/catch show no
 * name, a typed select shows only its first type, and the index of a
 * branch, call, return_call, local, global, throw, catch, rethrow or
 * delegate prints as a signed 32-bit number: 4294967295 is "-1"). The GC instructions,
 * which 1.0.39 stops at, are our own: indices as numbers, types as the text
 * format writes them ("struct.get 0 1", "ref.cast (ref null 0)",
 * "br_on_cast 0 anyref (ref 0)"). */
#include <inttypes.h>

#include "disasm.h"

static void print_index(FILE *out, uint32_t idx, const char *name)
{
	fprintf(out, " %" PRIu32, idx);
	objdump_print_name(out, name);
}

/* The immediates wasm-objdump prints with %d (OnOpcodeIndex and the label
 * and local readers): an index past INT32_MAX, which only an invalid
 * module holds, comes out negative. */
static void print_sindex(FILE *out, uint32_t idx, const char *name)
{
	fprintf(out, " %" PRId32, (int32_t)idx);
	objdump_print_name(out, name);
}

static void print_blocktype(FILE *out, const struct wlab_instr *in)
{
	int64_t bt = in->blocktype;
	if (wlab_blocktype_is_empty(bt))
		return;
	const char *name = wlab_blocktype_is_valtype(bt) ? objdump_type_str(in->bttype) : NULL;
	if (name)
		fprintf(out, " %s", name);
	else
		fprintf(out, " type[%" PRId64 "]", bt);
}

/* v128.const and i8x16.shuffle: four little-endian 32-bit words. */
static void print_v128(FILE *out, const uint8_t *b)
{
	for (int i = 0; i < 16; i += 4) {
		uint32_t w = (uint32_t)b[i] | (uint32_t)b[i + 1] << 8 |
			     (uint32_t)b[i + 2] << 16 | (uint32_t)b[i + 3] << 24;
		fprintf(out, " 0x%08" PRIx32, w);
	}
}

/* "align [memory] offset": the alignment without the flag that says a
 * memory index follows, and the memory only when it is not 0. Like
 * wasm-objdump 1.0.32, a memory64 offset shows only its low 32 bits. */
static void print_memarg(FILE *out, const struct wlab_memarg *ma)
{
	fprintf(out, " %" PRIu32, ma->align & ~UINT32_C(0x40));
	if (ma->memidx)
		fprintf(out, " %" PRIu32, ma->memidx);
	fprintf(out, " %" PRIu32, (uint32_t)ma->offset);
}

/* ref.null's heap type: "func", "extern"..., or its type index. */
static const char *reftype_name(wlab_valtype_t code)
{
	static char buf[16];
	wlab_heaptype_t h = wlab_ref_heap(code);
	const char *n = wlab_heap_name(h);
	if (n)
		return n;
	snprintf(buf, sizeof buf, "%u", (unsigned)wlab_heap_index(h));
	return buf;
}

/* try_table: its block type, then each clause as wasm-objdump 1.0.39
 * shows it: kind, tag (empty for the catch_all ones), label. */
static void print_catches(FILE *out, const struct wlab_instr *in)
{
	static const char *const kinds[] = {"catch", "catch_ref", "catch_all", "catch_all_ref"};
	print_blocktype(out, in);
	for (uint32_t i = 0; i < in->ncatches; i++) {
		const struct wlab_catch *c = &in->catches[i];
		fprintf(out, " %s ", kinds[c->kind & 3]);
		if (c->kind <= WLAB_CATCH_REF)
			fprintf(out, "%" PRIu32, c->tag);
		fprintf(out, " %" PRIu32, c->label);
	}
}

static void print_call_indirect(const struct objdump_ctx *ctx, const struct wlab_instr *in)
{
	FILE *out = ctx->out;
	if (in->op == WLAB_OP_RETURN_CALL_INDIRECT) {
		fprintf(out, " %" PRIu32 " %" PRIu32, in->index, in->index2);
		return;
	}
	print_index(out, in->index2, objdump_table_name(ctx, in->index2));
	fprintf(out, " (type %" PRIu32, in->index);
	objdump_print_name(out, objdump_type_name(ctx, in->index));
	fputc(')', out);
}

void disasm_print_immediates(const struct objdump_ctx *ctx, uint32_t func,
			     const struct wlab_instr *in)
{
	FILE *out = ctx->out;
	char buf[OBJDUMP_FLOAT_BUF];
	switch (wlab_opinfo(in->op)->imm) {
	case WLAB_IMM_NONE:
		break;
	case WLAB_IMM_BLOCK:
		print_blocktype(out, in);
		break;
	case WLAB_IMM_BR_TABLE:
		for (uint32_t i = 0; i < in->ntargets; i++)
			fprintf(out, " %" PRIu32, in->targets[i]);
		fprintf(out, " %" PRIu32, in->index);
		break;
	case WLAB_IMM_FUNC:
		if (in->op == WLAB_OP_REF_FUNC)
			print_index(out, in->index, NULL);
		else
			print_sindex(out, in->index, in->op == WLAB_OP_CALL ?
				     objdump_func_name(ctx, in->index) : NULL);
		break;
	case WLAB_IMM_CALL_INDIRECT:
		print_call_indirect(ctx, in);
		break;
	case WLAB_IMM_LOCAL:
		print_sindex(out, in->index, in->op == WLAB_OP_LOCAL_TEE ? NULL
			     : objdump_local_name(ctx, func, in->index));
		break;
	case WLAB_IMM_GLOBAL:
		print_sindex(out, in->index, objdump_global_name(ctx, in->index));
		break;
	case WLAB_IMM_TAG:
		print_sindex(out, in->index,
			     in->op == WLAB_OP_THROW ? objdump_tag_name(ctx, in->index) : NULL);
		break;
	case WLAB_IMM_LABEL:
		print_sindex(out, in->index, NULL);
		break;
	case WLAB_IMM_DATA:
		print_index(out, in->index, objdump_data_name(ctx, in->index));
		break;
	case WLAB_IMM_DATA_MEM:
		fprintf(out, " %" PRIu32, in->index);
		print_index(out, in->index2, objdump_data_name(ctx, in->index));
		break;
	case WLAB_IMM_TYPE:
	case WLAB_IMM_TABLE:
	case WLAB_IMM_ELEM:
	case WLAB_IMM_MEMIDX:
		fprintf(out, " %" PRIu32, in->index);
		break;
	case WLAB_IMM_MEM_MEM:
	case WLAB_IMM_ELEM_TABLE:
	case WLAB_IMM_TABLE_TABLE:
		fprintf(out, " %" PRIu32 " %" PRIu32, in->index, in->index2);
		break;
	case WLAB_IMM_MEMARG:
		print_memarg(out, &in->memarg);
		break;
	case WLAB_IMM_MEMARG_LANE:
		print_memarg(out, &in->memarg);
		fprintf(out, " %u", (unsigned)in->lane);
		break;
	case WLAB_IMM_LANE:
		fprintf(out, " %u", (unsigned)in->lane);
		break;
	case WLAB_IMM_ZERO:
		fputs(" 0", out);
		break;
	case WLAB_IMM_TRY_TABLE:
		print_catches(out, in);
		break;
	case WLAB_IMM_I32:
		fprintf(out, " %" PRIu32, (uint32_t)in->i32);
		break;
	case WLAB_IMM_I64:  /* 1.0.39 prints it unsigned */
		if (objdump_v139(ctx))
			fprintf(out, " %" PRIu64, (uint64_t)in->i64);
		else
			fprintf(out, " %" PRId64, in->i64);
		break;
	case WLAB_IMM_F32:
		objdump_format_f32(buf, in->f32);
		fprintf(out, " %s", buf);
		break;
	case WLAB_IMM_F64:
		objdump_format_f64(buf, in->f64);
		fprintf(out, " %s", buf);
		break;
	case WLAB_IMM_V128:
	case WLAB_IMM_SHUFFLE:
		print_v128(out, in->v128);
		break;
	case WLAB_IMM_SELECT_T:
		if (in->ntypes)
			fprintf(out, " %s", objdump_type_str(in->types[0]));
		break;
	case WLAB_IMM_REFTYPE:
		fprintf(out, " %s", reftype_name(in->reftype));
		break;
	case WLAB_IMM_TYPE_FIELD:  /* with the field's name, as local.get shows a local's */
		fprintf(out, " %" PRIu32, in->index);
		print_index(out, in->index2, objdump_field_name(ctx, in->index, in->index2));
		break;
	case WLAB_IMM_TYPE_COUNT:
	case WLAB_IMM_TYPE_DATA:
	case WLAB_IMM_TYPE_ELEM:
	case WLAB_IMM_TYPE_TYPE:
		fprintf(out, " %" PRIu32 " %" PRIu32, in->index, in->index2);
		break;
	case WLAB_IMM_CAST:
	case WLAB_IMM_CAST_NULL:
		fprintf(out, " %s", objdump_type_str(in->reftype));
		break;
	case WLAB_IMM_BR_ON_CAST:
		fprintf(out, " %" PRIu32 " %s %s", in->index, objdump_type_str(in->reftype),
			objdump_type_str(in->reftype2));
		break;
	}
}
