/* demangle.c: Itanium C++ ABI names (the subset clang writes for ordinary
 * C++, below) and Rust legacy names, printed as binutils' c++filt does.
 * Anything outside the subset is declined (false), never guessed.
 *
 * Itanium subset: _Z <encoding> [.clone suffixes]; nested (N..E), local
 * (Z..E) and unscoped names, internal-linkage L, source names, operators,
 * constructors/destructors, lambdas and unnamed types, template arguments
 * (types and integer literals) and parameters, substitutions (S_, Sn_, St,
 * Sa, Sb, Ss, Si, So, Sd), builtin types, K/V/r, P/R/O; vtable, VTT,
 * typeinfo, typeinfo name, guard variables and thunks. Declined: function,
 * array and member-pointer types, packs, expressions, decltype, ABI tags.
 * Rust v0 names ("_R") are read by demangle_rust.c. */
#include "wlab/demangle.h"
#include "demangle_internal.h"
#include "utf8.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define STR_MAX 512
#define MAX_SUBS 128
#define MAX_TARGS 32
#define MAX_DEPTH 24

struct str {
	char b[STR_MAX];
	size_t n;
};

struct dm {
	const char *p;
	bool fail;
	int depth;
	struct str *subs;    /* substitution candidates, in order */
	int nsubs;
	struct str *targs;   /* the template arguments T_ refers to */
	int ntargs;
};

static void put(struct dm *d, struct str *s, const char *t, size_t n)
{
	if (s->n + n >= STR_MAX) {
		d->fail = true;
		return;
	}
	memcpy(s->b + s->n, t, n);
	s->n += n;
	s->b[s->n] = 0;
}

static void puts_(struct dm *d, struct str *s, const char *t)
{
	put(d, s, t, strlen(t));
}

static void set(struct dm *d, struct str *s, const struct str *from)
{
	s->n = 0;
	put(d, s, from->b, from->n);
}

static void add_sub(struct dm *d, const struct str *s)
{
	if (d->nsubs == MAX_SUBS) {
		d->fail = true;
		return;
	}
	d->subs[d->nsubs] = *s;
	d->subs[d->nsubs].b[s->n] = 0;
	d->nsubs++;
}

static bool eat(struct dm *d, char c)
{
	if (*d->p != c)
		return false;
	d->p++;
	return true;
}

static bool number(struct dm *d, size_t *out)
{
	size_t v = 0;
	if (!isdigit((unsigned char)*d->p))
		return false;
	while (isdigit((unsigned char)*d->p)) {
		v = v * 10 + (size_t)(*d->p++ - '0');
		if (v > 100000)
			return false;
	}
	*out = v;
	return true;
}

/* <seq-id> _ : base 36, empty is 0 and each id is one more. */
static bool seq_id(struct dm *d, int *out)
{
	int v = 0;
	if (eat(d, '_')) {
		*out = 0;
		return true;
	}
	while (isdigit((unsigned char)*d->p) || isupper((unsigned char)*d->p)) {
		char c = *d->p++;
		v = v * 36 + (isdigit((unsigned char)c) ? c - '0' : c - 'A' + 10);
		if (v > 100000)
			return false;
	}
	if (!eat(d, '_'))
		return false;
	*out = v + 1;
	return true;
}

static bool type(struct dm *d, struct str *out);
static bool name(struct dm *d, struct str *out, bool *has_targs, bool *cdtor,
		 struct str *cv);
static bool encoding(struct dm *d, struct str *out);

static bool source_name(struct dm *d, struct str *out)
{
	size_t n;
	if (!number(d, &n) || n == 0 || strnlen(d->p, n) < n)
		return false;
	out->n = 0;
	if (n >= 10 && !strncmp(d->p, "_GLOBAL__N", 10))
		puts_(d, out, "(anonymous namespace)");
	else
		put(d, out, d->p, n);
	d->p += n;
	return !d->fail;
}

struct op {
	char code[3];
	const char *text;
};

static const struct op ops[] = {
	{"nw", "new"}, {"na", "new[]"}, {"dl", "delete"}, {"da", "delete[]"},
	{"ps", "+"}, {"ng", "-"}, {"ad", "&"}, {"de", "*"}, {"co", "~"}, {"pl", "+"},
	{"mi", "-"}, {"ml", "*"}, {"dv", "/"}, {"rm", "%"}, {"an", "&"}, {"or", "|"},
	{"eo", "^"}, {"aS", "="}, {"pL", "+="}, {"mI", "-="}, {"mL", "*="}, {"dV", "/="},
	{"rM", "%="}, {"aN", "&="}, {"oR", "|="}, {"eO", "^="}, {"ls", "<<"}, {"rs", ">>"},
	{"lS", "<<="}, {"rS", ">>="}, {"eq", "=="}, {"ne", "!="}, {"lt", "<"}, {"gt", ">"},
	{"le", "<="}, {"ge", ">="}, {"ss", "<=>"}, {"nt", "!"}, {"aa", "&&"}, {"oo", "||"},
	{"pp", "++"}, {"mm", "--"}, {"cm", ","}, {"pm", "->*"}, {"pt", "->"}, {"cl", "()"},
	{"ix", "[]"}, {"qu", "?"},
};

static bool operator_name(struct dm *d, struct str *out)
{
	out->n = 0;
	if (d->p[0] == 'c' && d->p[1] == 'v') {
		struct str t;
		d->p += 2;
		if (!type(d, &t))
			return false;
		puts_(d, out, "operator ");
		put(d, out, t.b, t.n);
		return !d->fail;
	}
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (d->p[0] == ops[i].code[0] && d->p[1] == ops[i].code[1]) {
			d->p += 2;
			puts_(d, out, "operator");
			if (isalpha((unsigned char)ops[i].text[0]))
				puts_(d, out, " ");
			puts_(d, out, ops[i].text);
			return !d->fail;
		}
	return false;
}

/* I <template-arg>+ E appended to out, as "<a, b>"; the arguments go to args. */
static bool template_args(struct dm *d, struct str *out, struct str *args, int *nargs)
{
	if (!eat(d, 'I'))
		return false;
	if (out->n && out->b[out->n - 1] == '<')
		puts_(d, out, " ");
	puts_(d, out, "<");
	int n = 0;
	while (!eat(d, 'E')) {
		struct str a;
		if (!*d->p || n == MAX_TARGS)
			return false;
		if (eat(d, 'L')) {  /* an integer literal */
			struct str t;
			const char *sfx = "";
			bool neg;
			size_t v;
			if (*d->p == '_' || !type(d, &t))
				return false;
			neg = eat(d, 'n');
			if (!number(d, &v) || !eat(d, 'E'))
				return false;
			a.n = 0;
			if (!strcmp(t.b, "bool") && v <= 1) {
				puts_(d, &a, v ? "true" : "false");
			} else {
				if (!strcmp(t.b, "unsigned int"))
					sfx = "u";
				else if (!strcmp(t.b, "long"))
					sfx = "l";
				else if (!strcmp(t.b, "unsigned long"))
					sfx = "ul";
				else if (!strcmp(t.b, "long long"))
					sfx = "ll";
				else if (!strcmp(t.b, "unsigned long long"))
					sfx = "ull";
				else if (strcmp(t.b, "int")) {
					puts_(d, &a, "(");
					put(d, &a, t.b, t.n);
					puts_(d, &a, ")");
				}
				char num[32];
				int k = 0;
				char tmp[24];
				size_t x = v;
				do
					tmp[k++] = (char)('0' + x % 10);
				while ((x /= 10));
				size_t j = 0;
				if (neg)
					num[j++] = '-';
				while (k)
					num[j++] = tmp[--k];
				num[j] = 0;
				puts_(d, &a, num);
				puts_(d, &a, sfx);
			}
		} else if (!type(d, &a)) {
			return false;
		}
		if (args)
			args[n] = a;
		if (n++)
			puts_(d, out, ", ");
		put(d, out, a.b, a.n);
	}
	if (nargs)
		*nargs = n;
	if (out->n && out->b[out->n - 1] == '>')
		puts_(d, out, " ");
	puts_(d, out, ">");
	return !d->fail;
}

/* Template arguments that T_ may refer to: kept when they belong to the
 * function's own name. */
static bool targs_here(struct dm *d, struct str *out)
{
	struct str *args = malloc(MAX_TARGS * sizeof *args);
	int n = 0;
	bool ok = args && template_args(d, out, args, &n);
	for (int i = 0; ok && i < n && i < MAX_TARGS; i++)
		d->targs[i] = args[i];
	if (ok)
		d->ntargs = n;
	free(args);
	return ok;
}

static bool substitution(struct dm *d, struct str *out)
{
	static const struct { char c; const char *text; } std[] = {
		{'t', "std"}, {'a', "std::allocator"}, {'b', "std::basic_string"},
		{'s', "std::string"}, {'i', "std::istream"}, {'o', "std::ostream"},
		{'d', "std::iostream"},
	};
	int id;
	if (!eat(d, 'S'))
		return false;
	for (size_t i = 0; i < sizeof std / sizeof std[0]; i++)
		if (eat(d, std[i].c)) {
			out->n = 0;
			puts_(d, out, std[i].text);
			return !d->fail;
		}
	if (!seq_id(d, &id) || id >= d->nsubs)
		return false;
	set(d, out, &d->subs[id]);
	return !d->fail;
}

static bool template_param(struct dm *d, struct str *out)
{
	int id;
	if (!eat(d, 'T') || !seq_id(d, &id) || id >= d->ntargs)
		return false;
	set(d, out, &d->targs[id]);
	return !d->fail;
}

/* Ul <params> E [n] _ and Ut [n] _ */
static bool unnamed(struct dm *d, struct str *out)
{
	size_t n = 0;
	bool lambda = d->p[1] == 'l';
	struct str params = {.n = 0};
	d->p += 2;
	if (lambda) {
		bool first = true;
		while (!eat(d, 'E')) {
			struct str t;
			if (!type(d, &t))
				return false;
			if (!strcmp(t.b, "void") && first && *d->p == 'E')
				continue;
			if (!first)
				puts_(d, &params, ", ");
			put(d, &params, t.b, t.n);
			first = false;
		}
	}
	if (isdigit((unsigned char)*d->p) && !number(d, &n))
		return false;
	if (!eat(d, '_'))
		return false;
	char num[24];
	int k = 0;
	char tmp[24];
	size_t x = n + (isdigit((unsigned char)d->p[-2]) ? 2 : 1);
	do
		tmp[k++] = (char)('0' + x % 10);
	while ((x /= 10));
	size_t j = 0;
	while (k)
		num[j++] = tmp[--k];
	num[j] = 0;
	out->n = 0;
	puts_(d, out, lambda ? "{lambda(" : "{unnamed type#");
	if (lambda) {
		put(d, out, params.b, params.n);
		puts_(d, out, ")#");
	}
	puts_(d, out, num);
	puts_(d, out, "}");
	return !d->fail;
}

/* One unqualified name; *last is the plain name a constructor repeats. */
static bool unqualified(struct dm *d, struct str *out, struct str *last, bool *cdtor)
{
	if (eat(d, 'L') && !isdigit((unsigned char)*d->p))
		return false;
	if (isdigit((unsigned char)*d->p)) {
		if (!source_name(d, out))
			return false;
		set(d, last, out);
		return true;
	}
	if ((d->p[0] == 'C' && (d->p[1] >= '1' && d->p[1] <= '3')) ||
	    (d->p[0] == 'D' && (d->p[1] >= '0' && d->p[1] <= '2'))) {
		bool dtor = d->p[0] == 'D';
		d->p += 2;
		out->n = 0;
		if (dtor)
			puts_(d, out, "~");
		put(d, out, last->b, last->n);
		*cdtor = true;
		return last->n && !d->fail;
	}
	if (d->p[0] == 'U' && (d->p[1] == 'l' || d->p[1] == 't'))
		return unnamed(d, out);
	if (islower((unsigned char)d->p[0]))
		return operator_name(d, out);
	return false;
}

static void cv_text(struct dm *d, struct str *cv, bool r, bool v, bool k)
{
	cv->n = 0;
	if (k)
		puts_(d, cv, " const");
	if (v)
		puts_(d, cv, " volatile");
	if (r)
		puts_(d, cv, " restrict");
}

/* N [r][V][K][R|O] <prefix components> E */
static bool nested(struct dm *d, struct str *out, bool *has_targs, bool *cdtor,
		   struct str *cv)
{
	struct str comp, last = {.n = 0};
	bool r = eat(d, 'r'), v = eat(d, 'V'), k = eat(d, 'K');
	const char *ref = eat(d, 'R') ? " &" : eat(d, 'O') ? " &&" : "";
	if (cv) {
		cv_text(d, cv, r, v, k);
		puts_(d, cv, ref);
	}
	out->n = 0;
	while (!eat(d, 'E')) {
		bool is_sub = false;
		*has_targs = false;
		if (*d->p == 'I') {
			if (!out->n || !targs_here(d, out))
				return false;
			*has_targs = true;
		} else if (*d->p == 'S') {
			if (out->n || !substitution(d, out))
				return false;
			is_sub = true;
		} else if (*d->p == 'T') {
			if (out->n || !template_param(d, out))
				return false;
		} else {
			*cdtor = false;
			if (!unqualified(d, &comp, &last, cdtor))
				return false;
			if (out->n)
				puts_(d, out, "::");
			put(d, out, comp.b, comp.n);
		}
		if (!*d->p)
			return false;
		if (*d->p != 'E' && !is_sub)
			add_sub(d, out);
	}
	return out->n && !d->fail;
}

/* Z <encoding> E <entity name> [discriminator] */
static bool local(struct dm *d, struct str *out, bool *has_targs, bool *cdtor, struct str *cv)
{
	struct str enc, ent;
	if (!encoding(d, &enc) || !eat(d, 'E'))
		return false;
	if (eat(d, 's')) {
		ent.n = 0;
		puts_(d, &ent, "string literal");
	} else if (!name(d, &ent, has_targs, cdtor, cv)) {
		return false;
	}
	if (eat(d, '_')) {
		size_t n;
		if (eat(d, '_')) {
			if (!number(d, &n) || !eat(d, '_'))
				return false;
		} else if (!number(d, &n)) {
			return false;
		}
	}
	out->n = 0;
	put(d, out, enc.b, enc.n);
	puts_(d, out, "::");
	put(d, out, ent.b, ent.n);
	return !d->fail;
}

static bool name(struct dm *d, struct str *out, bool *has_targs, bool *cdtor,
		 struct str *cv)
{
	struct str last = {.n = 0};
	bool dummy = false;
	*has_targs = false;
	*cdtor = false;
	if (cv)
		cv->n = 0;
	if (++d->depth > MAX_DEPTH)
		return false;
	bool ok;
	if (eat(d, 'N')) {
		ok = nested(d, out, has_targs, cdtor, cv);
	} else if (eat(d, 'Z')) {
		ok = local(d, out, has_targs, cdtor, cv);
	} else {
		bool st = d->p[0] == 'S' && d->p[1] == 't';
		if (*d->p == 'S' && !st) {  /* a substituted template name */
			ok = substitution(d, out) && *d->p == 'I';
		} else {
			struct str comp;
			if (st)
				d->p += 2;
			ok = unqualified(d, &comp, &last, &dummy);
			out->n = 0;
			if (st)
				puts_(d, out, "std::");
			put(d, out, comp.b, comp.n);
			if (ok && *d->p == 'I')
				add_sub(d, out);
		}
		if (ok && *d->p == 'I') {
			ok = targs_here(d, out);
			*has_targs = true;
		}
	}
	d->depth--;
	return ok && !d->fail;
}

static const struct {
	char c;
	const char *text;
} builtins[] = {
	{'v', "void"}, {'w', "wchar_t"}, {'b', "bool"}, {'c', "char"},
	{'a', "signed char"}, {'h', "unsigned char"}, {'s', "short"},
	{'t', "unsigned short"}, {'i', "int"}, {'j', "unsigned int"}, {'l', "long"},
	{'m', "unsigned long"}, {'x', "long long"}, {'y', "unsigned long long"},
	{'n', "__int128"}, {'o', "unsigned __int128"}, {'f', "float"}, {'d', "double"},
	{'e', "long double"}, {'g', "__float128"}, {'z', "..."},
};

static bool type(struct dm *d, struct str *out)
{
	bool ok = false;
	if (++d->depth > MAX_DEPTH)
		return false;
	char c = *d->p;
	out->n = 0;
	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
		if (c == builtins[i].c) {
			d->p++;
			puts_(d, out, builtins[i].text);
			d->depth--;
			return !d->fail;
		}
	if (c == 'D') {
		static const struct { char c; const char *text; } dt[] = {
			{'n', "decltype(nullptr)"}, {'i', "char32_t"}, {'s', "char16_t"},
			{'u', "char8_t"}, {'a', "auto"}, {'c', "decltype(auto)"},
		};
		for (size_t i = 0; i < sizeof dt / sizeof dt[0]; i++)
			if (d->p[1] == dt[i].c) {
				d->p += 2;
				puts_(d, out, dt[i].text);
				d->depth--;
				return !d->fail;
			}
		goto done;  /* packs, decltype, vectors... */
	}
	if (c == 'r' || c == 'V' || c == 'K') {
		bool r = eat(d, 'r'), v = eat(d, 'V'), k = eat(d, 'K');
		struct str cv;
		if (!type(d, out))
			goto done;
		cv_text(d, &cv, r, v, k);
		put(d, out, cv.b, cv.n);
		add_sub(d, out);
		ok = true;
	} else if (c == 'P' || c == 'R' || c == 'O') {
		d->p++;
		if (!type(d, out))
			goto done;
		puts_(d, out, c == 'P' ? "*" : c == 'R' ? "&" : "&&");
		add_sub(d, out);
		ok = true;
	} else if (c == 'T') {
		ok = template_param(d, out);
		if (ok && *d->p == 'I')
			ok = false;  /* template template parameters */
		else if (ok)
			add_sub(d, out);
	} else if (c == 'S' && d->p[1] != 't') {
		ok = substitution(d, out);
		if (ok && *d->p == 'I') {
			ok = template_args(d, out, NULL, NULL);
			add_sub(d, out);
		}
	} else if (c == 'N' || c == 'Z' || isdigit((unsigned char)c) || c == 'S') {
		bool targs, cdtor;
		ok = name(d, out, &targs, &cdtor, NULL) && !cdtor;
		if (ok)
			add_sub(d, out);
	}
done:
	d->depth--;
	return ok && !d->fail;
}

/* The parameter types: "(a, b)", "()" for a lone void. */
static bool params(struct dm *d, struct str *out)
{
	puts_(d, out, "(");
	if (d->p[0] == 'v' && (d->p[1] == 0 || d->p[1] == 'E' || d->p[1] == '.')) {
		d->p++;
	} else {
		bool first = true;
		while (*d->p && *d->p != 'E' && *d->p != '.') {
			struct str t;
			if (!type(d, &t))
				return false;
			if (!first)
				puts_(d, out, ", ");
			put(d, out, t.b, t.n);
			first = false;
		}
	}
	puts_(d, out, ")");
	return !d->fail;
}

static bool special(struct dm *d, struct str *out)
{
	static const struct { char c; const char *text; } kinds[] = {
		{'V', "vtable for "}, {'T', "VTT for "}, {'I', "typeinfo for "},
		{'S', "typeinfo name for "},
	};
	struct str t;
	out->n = 0;
	if (d->p[0] == 'T') {
		for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
			if (d->p[1] == kinds[i].c) {
				d->p += 2;
				if (!type(d, &t))
					return false;
				puts_(d, out, kinds[i].text);
				put(d, out, t.b, t.n);
				return !d->fail;
			}
		if (d->p[1] == 'h' || d->p[1] == 'v') {  /* thunks */
			bool virt = d->p[1] == 'v';
			size_t n;
			d->p += 2;
			for (int k = 0; k < (virt ? 2 : 1); k++) {
				eat(d, 'n');
				if (!number(d, &n) || !eat(d, '_'))
					return false;
			}
			if (!encoding(d, &t))
				return false;
			puts_(d, out, virt ? "virtual thunk to " : "non-virtual thunk to ");
			put(d, out, t.b, t.n);
			return !d->fail;
		}
		return false;
	}
	if (d->p[0] == 'G' && d->p[1] == 'V') {
		bool a, b;
		d->p += 2;
		if (!name(d, &t, &a, &b, NULL))
			return false;
		puts_(d, out, "guard variable for ");
		put(d, out, t.b, t.n);
		return !d->fail;
	}
	return false;
}

static bool encoding(struct dm *d, struct str *out)
{
	struct str nm, cv, ret;
	bool targs, cdtor;
	if (d->p[0] == 'T' || (d->p[0] == 'G' && d->p[1] == 'V'))
		return special(d, out);
	if (!name(d, &nm, &targs, &cdtor, &cv))
		return false;
	out->n = 0;
	if (!*d->p || *d->p == 'E' || *d->p == '.') {  /* a variable */
		set(d, out, &nm);
		return !d->fail;
	}
	if (targs && !cdtor && strncmp(nm.b, "operator ", 9) != 0) {
		if (!type(d, &ret))
			return false;
		put(d, out, ret.b, ret.n);
		puts_(d, out, " ");
	}
	put(d, out, nm.b, nm.n);
	if (!params(d, out))
		return false;
	put(d, out, cv.b, cv.n);
	return !d->fail;
}

/* .suffix clones: "f() [clone .cold]", ".constprop.0" as one. */
static bool clones(struct dm *d, struct str *out)
{
	while (*d->p == '.') {
		const char *s = d->p++;
		if (!isalpha((unsigned char)*d->p) && *d->p != '_')
			return false;
		while (isalnum((unsigned char)*d->p) || *d->p == '_')
			d->p++;
		while (d->p[0] == '.' && isdigit((unsigned char)d->p[1]))
			for (d->p++; isdigit((unsigned char)*d->p); d->p++)
				;
		puts_(d, out, " [clone ");
		put(d, out, s, (size_t)(d->p - s));
		puts_(d, out, "]");
	}
	return !*d->p && !d->fail;
}

static bool itanium(const char *mangled, struct str *out, struct str *subs, struct str *targs)
{
	struct dm d = {.p = mangled + 2, .subs = subs, .targs = targs};
	if (!encoding(&d, out))
		return false;
	return clones(&d, out);
}

/* ---- Rust legacy: _ZN <components> 17h<16 hex digits> E ---- */

/* Written straight into the caller's buffer: a legacy name is a list of
 * identifiers, with no substitutions to keep, so its length is bounded by
 * the buffer only (rustc's closures nested in generic iterators give names
 * of a few thousand characters). */
struct sink {
	char *b;
	size_t n, size;
	bool fail;
};

static void emit(struct sink *o, const char *t, size_t n)
{
	if (o->fail || n >= o->size - o->n) {
		o->fail = true;
		return;
	}
	memcpy(o->b + o->n, t, n);
	o->n += n;
	o->b[o->n] = 0;
}

static bool rust_escape(const char **p, struct sink *out)
{
	static const struct { const char *code; const char *text; } esc[] = {
		{"$SP$", "@"}, {"$BP$", "*"}, {"$RF$", "&"}, {"$LT$", "<"}, {"$GT$", ">"},
		{"$LP$", "("}, {"$RP$", ")"}, {"$C$", ","},
	};
	for (size_t i = 0; i < sizeof esc / sizeof esc[0]; i++) {
		size_t n = strlen(esc[i].code);
		if (!strncmp(*p, esc[i].code, n)) {
			emit(out, esc[i].text, strlen(esc[i].text));
			*p += n;
			return true;
		}
	}
	/* $u<hex>$: a character by its code point, "$u20$" a space; a non-ASCII one
	 * is printed as UTF-8 (where c++filt 2.40 gives up and prints the rest of
	 * the name as it is); control characters and non-scalar values decline */
	if ((*p)[1] == 'u') {
		uint32_t c = 0;
		int k = 2;
		for (; k < 8 && isxdigit((unsigned char)(*p)[k]); k++)
			c = c * 16 + (uint32_t)(isdigit((unsigned char)(*p)[k]) ? (*p)[k] - '0'
						: tolower((unsigned char)(*p)[k]) - 'a' + 10);
		if (k == 2 || (*p)[k] != '$' || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
		    (c < 0x80 && !isprint((int)c)) || (c >= 0x80 && c < 0xa0))
			return false;
		char u[4];
		size_t n = utf8_encode(u, c);
		emit(out, u, n);
		*p += k + 1;
		return true;
	}
	return false;
}

static bool rust_legacy(const char *mangled, char *buf, size_t size)
{
	struct dm d = {.p = mangled + 3};
	struct sink out = {buf, 0, size, false};
	size_t len = strlen(mangled);
	/* ThinLTO's ".llvm.<hex>" suffix (rustc -O output) is dropped, as
	 * c++filt and rustc-demangle do */
	const char *lto = strstr(mangled, ".llvm.");
	if (lto) {
		const char *q = lto + 6;
		while (isxdigit((unsigned char)*q) || *q == '@')
			q++;
		if (*q || q == lto + 6)
			return false;
		len = (size_t)(lto - mangled);
	}
	/* the last component is the hash, 17h + 16 hex digits; c++filt keeps it */
	if (len < 3 + 20 + 1 || mangled[len - 1] != 'E' ||
	    strncmp(mangled + len - 20, "17h", 3) != 0)
		return false;
	for (size_t i = len - 17; i < len - 1; i++)
		if (!isxdigit((unsigned char)mangled[i]) || isupper((unsigned char)mangled[i]))
			return false;
	const char *end = mangled + len - 1;
	buf[0] = 0;
	while (d.p < end) {
		size_t n;
		if (!number(&d, &n) || n == 0 || (size_t)(end - d.p) < n)
			return false;
		const char *s = d.p, *e = d.p + n;
		if (out.n)
			emit(&out, "::", 2);
		if (s[0] == '_' && s[1] == '$')
			s++;
		while (s < e) {
			if (*s == '$') {
				if (!rust_escape(&s, &out) || s > e)
					return false;
			} else if (s[0] == '.' && s + 1 < e && s[1] == '.') {
				emit(&out, "::", 2);
				s += 2;
			} else if (isalnum((unsigned char)*s) || *s == '_' || *s == '.') {
				emit(&out, s, 1);
				s++;
			} else {
				return false;
			}
		}
		d.p = e;
	}
	return d.p == end && out.n && !out.fail;
}

bool wlab_demangle(const char *mangled, char *buf, size_t size)
{
	struct str out = {.n = 0};
	bool ok = false;
	if (!mangled || !buf || size == 0)
		return false;
	if (strncmp(mangled, "_R", 2) == 0)
		return wlab_demangle_rust_v0(mangled, buf, size);
	if (strncmp(mangled, "_Z", 2) != 0)
		return false;
	if (!strncmp(mangled, "_ZN", 3)) {
		if (rust_legacy(mangled, buf, size))
			return true;
		buf[0] = 0;
	}
	struct str *subs = malloc((MAX_SUBS + MAX_TARGS) * sizeof *subs);
	ok = subs && itanium(mangled, &out, subs, subs + MAX_SUBS);
	free(subs);
	if (!ok || out.n + 1 > size)
		return false;
	memcpy(buf, out.b, out.n + 1);
	return true;
}
