/* validate_sig.c: stack signatures of the simple instructions, read off
 * their spec names in the opcode table the way the spec's own typing rules
 * are written: t.binop is [t t] -> [t], t2.cvtop_t1 is [t1] -> [t2], a
 * shape's splat takes its lane type; a relaxed_ operator types like its
 * plain namesake, and a dot product that names "_add" accumulates into a
 * third operand. Nothing here lists instructions. */
#include <string.h>

#include "validate_internal.h"

/* How an operator types, for a scalar (i32...) or a vector shape (i8x16...). */
enum sig_class {
	C_NONE,     /* no such operator for this kind of prefix */
	C_CONST,    /* [] -> [t] */
	C_LOAD,     /* [i32] -> [t];  vector lane form [i32 v128] -> [v128] */
	C_STORE,    /* [i32 t] -> []; vector lane form [i32 v128] -> [] */
	C_TEST,     /* [t] -> [i32] */
	C_REL,      /* [t t] -> [i32] */
	C_UN,       /* [t] -> [t] */
	C_BIN,      /* [t t] -> [t] */
	C_TERN,     /* [t t t] -> [t] */
	C_SHIFT,    /* [v128 i32] -> [v128] */
	C_VTEST,    /* [v128] -> [i32] */
	C_SPLAT,    /* [lane] -> [v128] */
	C_EXTRACT,  /* [v128] -> [lane] */
	C_REPLACE,  /* [v128 lane] -> [v128] */
};

struct sig_rule {
	const char *head;  /* the operator, up to its first '_' or width digits */
	uint8_t scalar, vector;
};

static const struct sig_rule rules[] = {
	{"const", C_CONST, C_CONST}, {"load", C_LOAD, C_LOAD}, {"store", C_STORE, C_STORE},
	{"eqz", C_TEST, C_NONE},
	{"eq", C_REL, C_BIN}, {"ne", C_REL, C_BIN}, {"lt", C_REL, C_BIN},
	{"gt", C_REL, C_BIN}, {"le", C_REL, C_BIN}, {"ge", C_REL, C_BIN},
	{"clz", C_UN, C_NONE}, {"ctz", C_UN, C_NONE}, {"popcnt", C_UN, C_UN},
	{"abs", C_UN, C_UN}, {"neg", C_UN, C_UN}, {"sqrt", C_UN, C_UN},
	{"ceil", C_UN, C_UN}, {"floor", C_UN, C_UN}, {"trunc", C_UN, C_UN},
	{"nearest", C_UN, C_UN}, {"extend", C_UN, C_UN}, {"not", C_NONE, C_UN},
	{"extadd", C_NONE, C_UN}, {"convert", C_NONE, C_UN},
	{"demote", C_NONE, C_UN}, {"promote", C_NONE, C_UN},
	{"add", C_BIN, C_BIN}, {"sub", C_BIN, C_BIN}, {"mul", C_BIN, C_BIN},
	{"div", C_BIN, C_BIN}, {"rem", C_BIN, C_NONE}, {"and", C_BIN, C_BIN},
	{"or", C_BIN, C_BIN}, {"xor", C_BIN, C_BIN}, {"shl", C_BIN, C_SHIFT},
	{"shr", C_BIN, C_SHIFT}, {"rotl", C_BIN, C_NONE}, {"rotr", C_BIN, C_NONE},
	{"min", C_BIN, C_BIN}, {"max", C_BIN, C_BIN}, {"copysign", C_BIN, C_NONE},
	{"andnot", C_NONE, C_BIN}, {"pmin", C_NONE, C_BIN}, {"pmax", C_NONE, C_BIN},
	{"avgr", C_NONE, C_BIN}, {"q15mulr", C_NONE, C_BIN}, {"dot", C_NONE, C_BIN},
	{"extmul", C_NONE, C_BIN}, {"narrow", C_NONE, C_BIN},
	{"swizzle", C_NONE, C_BIN}, {"shuffle", C_NONE, C_BIN},
	{"bitselect", C_NONE, C_TERN}, {"laneselect", C_NONE, C_TERN},
	{"madd", C_NONE, C_TERN}, {"nmadd", C_NONE, C_TERN}, {"any", C_NONE, C_VTEST},
	{"all", C_NONE, C_VTEST}, {"bitmask", C_NONE, C_VTEST},
	{"splat", C_NONE, C_SPLAT}, {"extract", C_NONE, C_EXTRACT},
	{"replace", C_NONE, C_REPLACE},
};

/* The prefixes that type an instruction: scalars and vector shapes. */
struct shape {
	const char *name;
	uint8_t lane;     /* the scalar type: itself, or a vector's lane type */
	uint8_t lanes;    /* 0 for scalars and for v128 */
	uint8_t bytes;    /* the width of a whole value */
};

static const struct shape shapes[] = {
	{"i32", WLAB_I32, 0, 4}, {"i64", WLAB_I64, 0, 8},
	{"f32", WLAB_F32, 0, 4}, {"f64", WLAB_F64, 0, 8},
	{"i8x16", WLAB_I32, 16, 16}, {"i16x8", WLAB_I32, 8, 16},
	{"i32x4", WLAB_I32, 4, 16}, {"i64x2", WLAB_I64, 2, 16},
	{"f32x4", WLAB_F32, 4, 16}, {"f64x2", WLAB_F64, 2, 16},
	{"v128", WLAB_V128, 0, 16},
};

static const struct shape *find_shape(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
		if (strlen(shapes[i].name) == n && memcmp(shapes[i].name, s, n) == 0)
			return &shapes[i];
	return NULL;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "load8x8_s" matches "load"; "and" does not match "andnot". */
static const struct sig_rule *find_rule(const char *op, size_t n)
{
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		size_t k = strlen(rules[i].head);
		if (k <= n && memcmp(rules[i].head, op, k) == 0 &&
		    (k == n || is_digit(op[k])))
			return &rules[i];
	}
	return NULL;
}

/* A scalar conversion names its source: "trunc_sat_f32_s" -> f32. */
static const struct shape *source_type(const char *rest)
{
	const char *p = strchr(rest, '_');
	while (p) {
		const char *tok = p + 1;
		p = strchr(tok, '_');
		size_t n = p ? (size_t)(p - tok) : strlen(tok);
		const struct shape *s = find_shape(tok, n);
		if (s && !s->lanes && s->lane != WLAB_V128)
			return s;
	}
	return NULL;
}

/* Bytes a load or store touches: "load16x4" 8, "store8" 1, "load" the value. */
static unsigned access_bytes(const char *rest, const struct shape *sh, unsigned *bits)
{
	const char *p = rest + (rest[0] == 'l' ? 4 : 5);
	unsigned n = 0, m = 1;
	while (is_digit(*p))
		n = n * 10 + (unsigned)(*p++ - '0');
	*bits = n;
	if (!n)
		return sh->bytes;
	if (*p == 'x') {
		m = 0;
		for (p++; is_digit(*p); p++)
			m = m * 10 + (unsigned)(*p - '0');
	}
	return n * m / 8;
}

/* "dot_i8x16_i7x16_add_s" names an accumulator after its head. */
static bool names_add(const char *rest)
{
	for (const char *p = strchr(rest, '_'); p; p = strchr(p + 1, '_'))
		if (strncmp(p + 1, "add", 3) == 0 && (p[4] == '_' || p[4] == 0))
			return true;
	return false;
}

static void set(struct val_sig *s, uint8_t npop, uint8_t a, uint8_t b, uint8_t c,
		uint8_t npush, uint8_t push)
{
	s->npop = npop;
	s->pop[0] = a;
	s->pop[1] = b;
	s->pop[2] = c;
	s->npush = npush;
	s->push = push;
}

static void memory_sig(struct val_sig *s, uint8_t cls, const char *rest,
		       const struct shape *sh, bool lane_form)
{
	uint8_t t = sh->lanes || sh->lane == WLAB_V128 ? WLAB_V128 : sh->lane;
	unsigned bits, bytes = access_bytes(rest, sh, &bits);
	s->kind = VAL_SIG_MEMORY;
	for (s->align = 0; (2u << s->align) <= bytes; s->align++)
		;
	if (lane_form) {
		s->lanes = (uint8_t)(128 / bits);
		if (cls == C_LOAD)
			set(s, 2, WLAB_I32, WLAB_V128, 0, 1, WLAB_V128);
		else
			set(s, 2, WLAB_I32, WLAB_V128, 0, 0, 0);
	} else if (cls == C_LOAD) {
		set(s, 1, WLAB_I32, 0, 0, 1, t);
	} else {
		set(s, 2, WLAB_I32, t, 0, 0, 0);
	}
}

/* Fills s from a class; t is the operand type (v128 for vectors). */
static void class_sig(struct val_sig *s, uint8_t cls, uint8_t t, uint8_t lane,
		      uint8_t src)
{
	const uint8_t v = WLAB_V128, i = WLAB_I32;
	switch (cls) {
	case C_CONST: set(s, 0, 0, 0, 0, 1, t); break;
	case C_TEST: set(s, 1, t, 0, 0, 1, i); break;
	case C_REL: set(s, 2, t, t, 0, 1, i); break;
	case C_UN: set(s, 1, src ? src : t, 0, 0, 1, t); break;
	case C_BIN: set(s, 2, t, t, 0, 1, t); break;
	case C_TERN: set(s, 3, t, t, t, 1, t); break;
	case C_SHIFT: set(s, 2, v, i, 0, 1, v); break;
	case C_VTEST: set(s, 1, v, 0, 0, 1, i); break;
	case C_SPLAT: set(s, 1, lane, 0, 0, 1, v); break;
	case C_EXTRACT: set(s, 1, v, 0, 0, 1, lane); break;
	case C_REPLACE: set(s, 2, v, lane, 0, 1, v); break;
	default: s->kind = VAL_SIG_SPECIAL; return;
	}
	s->kind = VAL_SIG_PLAIN;
}

/* The 0xfe instructions: "t.atomic.load*" and "t.atomic.store*" type like
 * plain loads and stores, "t.atomic.rmw*.op" is [i32 t] -> [t], its cmpxchg
 * [i32 t t] -> [t]; memory.atomic.notify [i32 i32] -> [i32], waitN
 * [i32 iN i64] -> [i32]; atomic.fence [] -> []. */
static void atomic_sig(uint16_t op, const char *rest, struct val_sig *s)
{
	const struct wlab_opinfo *info = wlab_opinfo(op);
	const uint8_t i = WLAB_I32, l = WLAB_I64;
	uint8_t t = strncmp(info->name, "i64.", 4) == 0 ? l : i;
	s->kind = VAL_SIG_MEMORY;
	s->atomic = true;
	s->align = (uint8_t)wlab_op_natural_align(op);
	if (info->imm != WLAB_IMM_MEMARG) {
		s->kind = VAL_SIG_PLAIN;
		s->align = 0;
		set(s, 0, 0, 0, 0, 0, 0);
	} else if (strncmp(rest, "notify", 6) == 0) {
		set(s, 2, i, i, 0, 1, i);
	} else if (strncmp(rest, "wait", 4) == 0) {
		set(s, 3, i, rest[4] == '6' ? l : i, l, 1, i);
	} else if (strncmp(rest, "load", 4) == 0) {
		set(s, 1, i, 0, 0, 1, t);
	} else if (strncmp(rest, "store", 5) == 0) {
		set(s, 2, i, t, 0, 0, 0);
	} else if (strstr(rest, ".cmpxchg")) {
		set(s, 3, i, t, t, 1, t);
	} else {
		set(s, 2, i, t, 0, 1, t);
	}
}

void val_sig_derive(uint16_t op, struct val_sig *out)
{
	const struct wlab_opinfo *info = wlab_opinfo(op);
	memset(out, 0, sizeof *out);
	out->kind = VAL_SIG_SPECIAL;
	const char *atomic = info ? strstr(info->name, "atomic.") : NULL;
	if (atomic && wlab_op_is_atomic(op)) {
		atomic_sig(op, atomic + 7, out);
		return;
	}
	const char *dot = info ? strchr(info->name, '.') : NULL;
	if (!dot)
		return;
	const struct shape *sh = find_shape(info->name, (size_t)(dot - info->name));
	if (!sh)
		return;
	const char *rest = dot + 1;
	if (strncmp(rest, "relaxed_", 8) == 0)
		rest += 8;
	const char *us = strchr(rest, '_');
	const struct sig_rule *rule = find_rule(rest, us ? (size_t)(us - rest) : strlen(rest));
	bool vector = sh->lanes || sh->lane == WLAB_V128;
	const struct shape *src = vector ? NULL : source_type(rest);
	uint8_t cls = src ? C_UN : rule ? (vector ? rule->vector : rule->scalar) : C_NONE;
	if (cls == C_BIN && vector && names_add(rest))
		cls = C_TERN;
	if (cls == C_LOAD || cls == C_STORE) {
		memory_sig(out, cls, rest, sh, info->imm == WLAB_IMM_MEMARG_LANE);
		return;
	}
	class_sig(out, cls, vector ? WLAB_V128 : sh->lane, sh->lane, src ? src->lane : 0);
	if (out->kind == VAL_SIG_PLAIN && info->imm == WLAB_IMM_LANE) {
		out->kind = VAL_SIG_LANE;
		out->lanes = sh->lanes;
	} else if (out->kind == VAL_SIG_PLAIN && info->imm == WLAB_IMM_SHUFFLE) {
		out->kind = VAL_SIG_LANE;
		out->lanes = 32;
	}
}
