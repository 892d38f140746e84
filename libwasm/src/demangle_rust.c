/* demangle_rust.c: Rust v0 symbol names (RFC 2603, "_R..."), printed as
 * binutils' c++filt prints them (its verbose form: crate roots keep their
 * disambiguator, "std[5e0f..]", and const generics their type, "5: usize").
 *
 * The grammar, as read here:
 *   symbol    = "_R" path [path]              (the instantiating crate, not shown)
 *   path      = "C" ident | "M" impl type | "X" impl type path | "Y" type path
 *             | "N" namespace path ident | "I" path {arg} "E" | backref
 *   type      = basic | path | "A" type const | "S" type | "R"/"Q" [lifetime] type
 *             | "P"/"O" type | "F" fn-sig | "D" dyn-bounds lifetime | "T" {type} "E"
 *             | backref
 *   backref   = "B" base62                    (an earlier position after "_R")
 * Identifiers with non-ASCII characters ("u" prefix) are Punycode (RFC 3492,
 * with '_' for its '-' delimiter) and printed as UTF-8.
 * Declined: an encoding version after "_R", const values other than integers,
 * bool and char (str, tuples, arrays, ADTs: c++filt 2.40 has none), and anything that
 * does not parse; a ".suffix" (LLVM's ".llvm.123") is dropped as c++filt
 * drops it. Recursion and backreference chains are bounded. */
#include "demangle_internal.h"
#include "utf8.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 200
#define PUNY_MAX 256  /* code points in one Punycode identifier */

struct rdm {
	const char *sym;     /* after "_R" */
	size_t len, next;
	char *out;
	size_t size, n;
	bool fail, skip;     /* skip: parsing without printing (impl paths) */
	int depth;
	uint64_t bound_lifetimes;
	char uname[4 * PUNY_MAX];  /* the last Punycode identifier, as UTF-8 */
};

static void print(struct rdm *d, const char *s, size_t n)
{
	if (d->skip || d->fail)
		return;
	if (d->n + n >= d->size) {
		d->fail = true;
		return;
	}
	memcpy(d->out + d->n, s, n);
	d->n += n;
	d->out[d->n] = 0;
}

static void prints(struct rdm *d, const char *s)
{
	print(d, s, strlen(s));
}

static void printu(struct rdm *d, const char *fmt, uint64_t v)
{
	char b[32];
	snprintf(b, sizeof b, fmt, (unsigned long long)v);
	prints(d, b);
}

static char peek(const struct rdm *d)
{
	return d->next < d->len ? d->sym[d->next] : 0;
}

static bool eat(struct rdm *d, char c)
{
	if (peek(d) != c)
		return false;
	d->next++;
	return true;
}

static char next(struct rdm *d)
{
	char c = peek(d);
	if (!c)
		d->fail = true;
	else
		d->next++;
	return c;
}

/* base62 = "_" (0) | digits "_" (value + 1); wraps as binutils' does. */
static uint64_t base62(struct rdm *d)
{
	uint64_t x = 0;
	if (eat(d, '_'))
		return 0;
	while (!d->fail && !eat(d, '_')) {
		char c = next(d);
		x *= 62;
		if (c >= '0' && c <= '9')
			x += (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'z')
			x += (uint64_t)(10 + c - 'a');
		else if (c >= 'A' && c <= 'Z')
			x += (uint64_t)(36 + c - 'A');
		else
			d->fail = true;
	}
	return x + 1;
}

static uint64_t opt_base62(struct rdm *d, char tag)
{
	return eat(d, tag) ? base62(d) + 1 : 0;
}

struct ident {
	const char *s;
	size_t n;
	uint64_t dis;
};

/* RFC 3492's bias adaptation (base 36, tmin 1, tmax 26, skew 38, damp 700). */
static uint32_t puny_adapt(uint32_t delta, uint32_t points, bool first)
{
	delta = first ? delta / 700 : delta / 2;
	delta += delta / points;
	uint32_t k = 0;
	while (delta > 35 * 26 / 2) {
		delta /= 35;
		k += 36;
	}
	return k + 36 * delta / (delta + 38);
}

/* Decodes the Punycode identifier id (the basic characters, then after the
 * last '_' the encoded deltas) into d->uname and points id there; false for
 * a malformed one, a code point that is not a Unicode scalar value, or more
 * than PUNY_MAX code points. */
static bool punycode(struct rdm *d, struct ident *id)
{
	uint32_t cp[PUNY_MAX];
	uint32_t count = 0;
	size_t basic = 0, at = 0;
	for (size_t k = id->n; k > 0; k--)
		if (id->s[k - 1] == '_') {
			basic = k - 1;
			at = k;
			break;
		}
	if (basic > PUNY_MAX || at == id->n)
		return false;
	for (size_t k = 0; k < basic; k++) {
		if ((unsigned char)id->s[k] >= 0x80)
			return false;
		cp[count++] = (unsigned char)id->s[k];
	}
	uint32_t n = 128, i = 0, bias = 72;
	while (at < id->n) {
		uint32_t old = i, w = 1;
		for (uint32_t k = 36;; k += 36) {
			if (at == id->n)
				return false;
			char c = id->s[at++];
			uint32_t digit = c >= 'a' && c <= 'z' ? (uint32_t)(c - 'a')
				: c >= '0' && c <= '9' ? (uint32_t)(c - '0') + 26 : 36;
			if (digit == 36 || digit > (UINT32_MAX - i) / w)
				return false;
			i += digit * w;
			uint32_t t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
			if (digit < t)
				break;
			if (w > UINT32_MAX / (36 - t))
				return false;
			w *= 36 - t;
		}
		if (count == PUNY_MAX)
			return false;
		bias = puny_adapt(i - old, count + 1, old == 0);
		if (i / (count + 1) > 0x10ffff - n)
			return false;
		n += i / (count + 1);
		i %= count + 1;
		if (n >= 0xd800 && n <= 0xdfff)
			return false;
		memmove(cp + i + 1, cp + i, (count - i) * sizeof cp[0]);
		cp[i++] = n;
		count++;
	}
	size_t len = 0;
	for (uint32_t k = 0; k < count; k++)
		len += utf8_encode(d->uname + len, cp[k]);
	id->s = d->uname;
	id->n = len;
	return true;
}

static struct ident ident(struct rdm *d)
{
	struct ident id = {0};
	id.dis = opt_base62(d, 's');
	bool puny = eat(d, 'u');
	if (!isdigit((unsigned char)peek(d))) {
		d->fail = true;
		return id;
	}
	size_t len = (size_t)(next(d) - '0');
	if (len)
		while (isdigit((unsigned char)peek(d)) && len <= d->len)
			len = len * 10 + (size_t)(next(d) - '0');
	eat(d, '_');
	if (len > d->len - d->next) {
		d->fail = true;
		return id;
	}
	id.s = d->sym + d->next;
	id.n = len;
	d->next += len;
	if (puny && !punycode(d, &id))
		d->fail = true;
	return id;
}

static void path(struct rdm *d, bool in_value);
static void type(struct rdm *d);
static void constant(struct rdm *d);

/* Follows "B base62" to an earlier position and parses there with fn. */
static void backref(struct rdm *d, void (*fn)(struct rdm *, bool), bool arg)
{
	size_t at = d->next - 1;  /* the 'B' */
	uint64_t target = base62(d);
	if (d->fail || target >= at) {
		d->fail = true;
		return;
	}
	if (d->skip)
		return;
	size_t back = d->next;
	d->next = (size_t)target;
	fn(d, arg);
	d->next = back;
}

static void lifetime(struct rdm *d, uint64_t lt)
{
	prints(d, "'");
	if (lt == 0) {
		prints(d, "_");
		return;
	}
	if (lt > d->bound_lifetimes) {
		d->fail = true;
		return;
	}
	uint64_t depth = d->bound_lifetimes - lt;
	if (depth < 26) {
		char c = (char)('a' + depth);
		print(d, &c, 1);
	} else {
		printu(d, "_%llu", depth);
	}
}

static void binder(struct rdm *d)
{
	uint64_t n = opt_base62(d, 'G');
	if (n == 0)
		return;
	if (n > 1000) {
		d->fail = true;
		return;
	}
	prints(d, "for<");
	for (uint64_t i = 0; i < n; i++) {
		if (i)
			prints(d, ", ");
		d->bound_lifetimes++;
		lifetime(d, 1);
	}
	prints(d, "> ");
}

static void generic_arg(struct rdm *d)
{
	if (eat(d, 'L'))
		lifetime(d, base62(d));
	else if (eat(d, 'K'))
		constant(d);
	else
		type(d);
}

static void generic_args(struct rdm *d)
{
	for (int i = 0; !d->fail && !eat(d, 'E'); i++) {
		if (i)
			prints(d, ", ");
		generic_arg(d);
	}
}

static void path_bool(struct rdm *d, bool in_value)
{
	path(d, in_value);
}

static void path(struct rdm *d, bool in_value)
{
	if (++d->depth > MAX_DEPTH)
		d->fail = true;
	char tag = d->fail ? 0 : next(d);
	switch (tag) {
	case 'C': {
		uint64_t dis = opt_base62(d, 's');
		struct ident id = ident(d);
		print(d, id.s, id.n);
		printu(d, "[%llx]", dis);
		break;
	}
	case 'M':
	case 'X': {
		opt_base62(d, 's');
		bool was = d->skip;
		d->skip = true;
		path(d, in_value);
		d->skip = was;
	}
		/* fall through */
	case 'Y':
		prints(d, "<");
		type(d);
		if (tag != 'M') {
			prints(d, " as ");
			path(d, false);
		}
		prints(d, ">");
		break;
	case 'N': {
		char ns = next(d);
		if (!isalpha((unsigned char)ns)) {
			d->fail = true;
			break;
		}
		path(d, in_value);
		struct ident id = ident(d);
		if (isupper((unsigned char)ns)) {
			prints(d, "::{");
			prints(d, ns == 'C' ? "closure" : ns == 'S' ? "shim" : (char[]){ns, 0});
			if (id.n) {
				prints(d, ":");
				print(d, id.s, id.n);
			}
			printu(d, "#%llu}", id.dis);
		} else if (id.n) {
			prints(d, "::");
			print(d, id.s, id.n);
		}
		break;
	}
	case 'I':
		path(d, in_value);
		if (in_value)
			prints(d, "::");
		prints(d, "<");
		generic_args(d);
		prints(d, ">");
		break;
	case 'B':
		backref(d, path_bool, in_value);
		break;
	default:
		d->fail = true;
	}
	d->depth--;
}

static const char *basic_type(char c)
{
	switch (c) {
	case 'a': return "i8";
	case 'b': return "bool";
	case 'c': return "char";
	case 'd': return "f64";
	case 'e': return "str";
	case 'f': return "f32";
	case 'h': return "u8";
	case 'i': return "isize";
	case 'j': return "usize";
	case 'l': return "i32";
	case 'm': return "u32";
	case 'n': return "i128";
	case 'o': return "u128";
	case 'p': return "_";
	case 's': return "i16";
	case 't': return "u16";
	case 'u': return "()";
	case 'v': return "...";
	case 'x': return "i64";
	case 'y': return "u64";
	case 'z': return "!";
	default: return NULL;
	}
}

/* [binder] ["U"] ["K" abi] {type} "E" type */
static void fn_sig(struct rdm *d)
{
	uint64_t bound = d->bound_lifetimes;
	binder(d);
	if (eat(d, 'U'))
		prints(d, "unsafe ");
	if (eat(d, 'K')) {
		prints(d, "extern \"");
		if (eat(d, 'C')) {
			prints(d, "C");
		} else {
			struct ident abi = ident(d);
			for (size_t i = 0; i < abi.n && !d->fail; i++)
				print(d, abi.s[i] == '_' ? "-" : &abi.s[i], 1);
		}
		prints(d, "\" ");
	}
	prints(d, "fn(");
	for (int i = 0; !d->fail && !eat(d, 'E'); i++) {
		if (i)
			prints(d, ", ");
		type(d);
	}
	prints(d, ")");
	if (!eat(d, 'u')) {
		prints(d, " -> ");
		type(d);
	}
	d->bound_lifetimes = bound;
}

/* A trait path whose generic arguments stay open for associated bindings. */
static bool dyn_trait_path(struct rdm *d)
{
	if (eat(d, 'B')) {  /* the backref's path decides */
		size_t at = d->next - 1;
		uint64_t target = base62(d);
		if (d->fail || target >= at) {
			d->fail = true;
			return false;
		}
		size_t back = d->next;
		d->next = (size_t)target;
		bool open = dyn_trait_path(d);
		d->next = back;
		return open;
	}
	if (eat(d, 'I')) {
		path(d, false);
		prints(d, "<");
		generic_args(d);
		return true;
	}
	path(d, false);
	return false;
}

static void dyn_trait(struct rdm *d)
{
	if (++d->depth > MAX_DEPTH) {
		d->fail = true;
		return;
	}
	bool open = dyn_trait_path(d);  /* "Trait<A, B" with the '>' to come */
	while (!d->fail && eat(d, 'p')) {
		prints(d, open ? ", " : "<");
		open = true;
		struct ident id = ident(d);
		print(d, id.s, id.n);
		prints(d, " = ");
		type(d);
	}
	if (open)
		prints(d, ">");
	d->depth--;
}

static void type_bool(struct rdm *d, bool unused)
{
	(void)unused;
	type(d);
}

static void type(struct rdm *d)
{
	if (++d->depth > MAX_DEPTH)
		d->fail = true;
	char tag = d->fail ? 0 : next(d);
	const char *basic = basic_type(tag);
	if (basic) {
		prints(d, basic);
		d->depth--;
		return;
	}
	switch (tag) {
	case 'R':
	case 'Q':
		prints(d, "&");
		if (eat(d, 'L')) {
			uint64_t lt = base62(d);
			if (lt) {
				lifetime(d, lt);
				prints(d, " ");
			}
		}
		if (tag != 'R')
			prints(d, "mut ");
		type(d);
		break;
	case 'P':
	case 'O':
		prints(d, tag == 'P' ? "*const " : "*mut ");
		type(d);
		break;
	case 'A':
	case 'S':
		prints(d, "[");
		type(d);
		if (tag == 'A') {
			prints(d, "; ");
			constant(d);
		}
		prints(d, "]");
		break;
	case 'T': {
		prints(d, "(");
		int i = 0;
		for (; !d->fail && !eat(d, 'E'); i++) {
			if (i)
				prints(d, ", ");
			type(d);
		}
		if (i == 1)
			prints(d, ",");
		prints(d, ")");
		break;
	}
	case 'F':
		fn_sig(d);
		break;
	case 'D': {
		prints(d, "dyn ");
		uint64_t bound = d->bound_lifetimes;
		binder(d);
		for (int i = 0; !d->fail && !eat(d, 'E'); i++) {
			if (i)
				prints(d, " + ");
			dyn_trait(d);
		}
		d->bound_lifetimes = bound;
		if (!eat(d, 'L')) {
			d->fail = true;
			break;
		}
		uint64_t lt = base62(d);
		if (lt) {
			prints(d, " + ");
			lifetime(d, lt);
		}
		break;
	}
	case 'B':
		backref(d, type_bool, false);
		break;
	default:
		if (tag) {
			d->next--;
			path(d, false);
		}
	}
	d->depth--;
}

/* The hex digits of a const up to "_", at most 16 of them. */
static uint64_t hex_value(struct rdm *d)
{
	uint64_t v = 0;
	int nibbles = 0;
	while (!d->fail && !eat(d, '_')) {
		char c = next(d);
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint64_t)(10 + c - 'a');
		else
			d->fail = true;
		nibbles++;
	}
	if (nibbles == 0 || nibbles > 16)
		d->fail = true;
	return v;
}

static void constant_bool(struct rdm *d, bool unused)
{
	(void)unused;
	constant(d);
}

static void constant(struct rdm *d)
{
	if (eat(d, 'B')) {
		backref(d, constant_bool, false);
		return;
	}
	char t = next(d);
	if (t == 'p') {
		prints(d, "_");
		return;
	}
	const char *name = basic_type(t);
	bool is_signed = t == 'a' || t == 's' || t == 'l' || t == 'x' || t == 'n' || t == 'i';
	bool is_unsigned = t == 'h' || t == 't' || t == 'm' || t == 'y' || t == 'o' || t == 'j';
	if (is_signed || is_unsigned) {
		if (is_signed && eat(d, 'n'))
			prints(d, "-");
		printu(d, "%llu", hex_value(d));
		prints(d, ": ");
		prints(d, name);
	} else if (t == 'b') {
		uint64_t v = hex_value(d);
		if (v > 1)
			d->fail = true;
		prints(d, v ? "true: bool" : "false: bool");
	} else if (t == 'c') {
		/* as c++filt quotes it: \t \n \r, '!' to '}' as they are (' and \
		 * too), everything else \u{hex}; not a Unicode scalar value: declined */
		uint64_t v = hex_value(d);
		if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
			d->fail = true;
			return;
		}
		if (v == '\t' || v == '\n' || v == '\r')
			prints(d, v == '\t' ? "'\\t'" : v == '\n' ? "'\\n'" : "'\\r'");
		else if (v >= '!' && v <= '}')
			print(d, (char[]){'\'', (char)v, '\''}, 3);
		else
			printu(d, "'\\u{%llx}'", v);
		prints(d, ": char");
	} else {
		d->fail = true;  /* the newer const forms (str, tuples, ADTs): declined */
	}
}

bool wlab_demangle_rust_v0(const char *mangled, char *buf, size_t size)
{
	if (strncmp(mangled, "_R", 2) != 0)
		return false;
	struct rdm d = {.sym = mangled + 2, .out = buf, .size = size};
	for (const char *p = d.sym; *p && *p != '.'; p++) {
		if (*p != '_' && !isalnum((unsigned char)*p))
			return false;
		d.len++;
	}
	if (size == 0 || isdigit((unsigned char)peek(&d)))
		return false;  /* an encoding version: none is defined yet */
	buf[0] = 0;
	path(&d, true);
	if (!d.fail && d.next < d.len) {
		d.skip = true;  /* the instantiating crate */
		path(&d, false);
		d.skip = false;
	}
	return !d.fail && d.next == d.len && d.n > 0;
}
