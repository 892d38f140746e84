/* wat_lex.c: the text format's tokens: parens, atoms (keywords, numbers),
 * ids, strings; comments and whitespace skipped; strings and names decoded. */
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "wat_chars.h"
#include "wat_internal.h"

static bool push(struct wat *w, size_t *cap, uint8_t kind, size_t off, size_t len)
{
	if (w->ntoks == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		struct wat_tok *t = realloc(w->toks, ncap * sizeof *t);
		if (!t)
			return wat_oom(w);
		w->toks = t;
		*cap = ncap;
	}
	w->toks[w->ntoks++] = (struct wat_tok){kind, (uint32_t)off, (uint32_t)len, 0};
	return true;
}

/* Skips a (; ;) comment starting at *i (nested); false when unterminated. */
static bool block_comment(struct wat *w, size_t *i)
{
	size_t depth = 0, start = *i;
	while (*i + 1 < w->len) {
		if (w->text[*i] == '(' && w->text[*i + 1] == ';') {
			depth++;
			*i += 2;
		} else if (w->text[*i] == ';' && w->text[*i + 1] == ')') {
			*i += 2;
			if (--depth == 0)
				return true;
		} else {
			(*i)++;
		}
	}
	return wat_fail(w, start, "unterminated block comment");
}

/* The end of a string starting at i (its opening quote); 0 when unterminated. */
static size_t string_end(const struct wat *w, size_t i)
{
	for (i++; i < w->len; i++) {
		if (w->text[i] == '\\' && i + 1 < w->len)
			i++;
		else if (w->text[i] == '"')
			return i + 1;
		else if (w->text[i] == '\n')
			return 0;
	}
	return 0;
}

static bool utf8_valid(const uint8_t *p, size_t n);

/* Skips an annotation `(@id ...)` starting at *i (its parenthesis): its
 * id (a name or a string), then balanced parentheses, strings and comments. */
static bool annotation(struct wat *w, size_t *i)
{
	size_t start = *i, j = *i + 2, depth = 1;
	if (j < w->len && w->text[j] == '"') {
		size_t e = string_end(w, j);
		if (!e)
			return wat_fail(w, j, "unclosed string");
		struct wat_tok str = {WAT_STRING, (uint32_t)j, (uint32_t)(e - j), 0};
		wlab_buf_reset(&w->scratch);
		if (!wat_string(w, &str, &w->scratch))
			return false;
		if (!w->scratch.size)
			return wat_fail(w, j, "empty annotation id");
		if (!utf8_valid(w->scratch.data, w->scratch.size))
			return wat_fail(w, j, "malformed UTF-8 encoding");
		j = e;
	} else {
		while (j < w->len && wat_idchar((uint8_t)w->text[j]))
			j++;
		if (j == start + 2)
			return wat_fail(w, start, "empty annotation id");
	}
	while (j < w->len) {
		unsigned char c = (unsigned char)w->text[j];
		if (c == ';' && j + 1 < w->len && w->text[j + 1] == ';') {
			while (j < w->len && w->text[j] != '\n' && w->text[j] != '\r')
				j++;
		} else if (c == '(' && j + 1 < w->len && w->text[j + 1] == ';') {
			if (!block_comment(w, &j))
				return false;
		} else if (c == '(' || c == ')') {
			j++;
			if (c == '(')
				depth++;
			else if (--depth == 0) {
				*i = j;
				return true;
			}
		} else if (c == '"') {
			size_t e = string_end(w, j);
			if (!e)
				return wat_fail(w, j, "unclosed string");
			j = e;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7f)) {
			j++;
		} else {
			return wat_fail(w, j, "illegal character");
		}
	}
	return wat_fail(w, start, "unclosed annotation");
}

static bool delimiter(const struct wat *w, size_t i)
{
	if (i >= w->len)
		return true;
	char c = w->text[i];
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')')
		return true;
	return c == ';' && i + 1 < w->len && w->text[i + 1] == ';';
}

/* A quoted id $"..." from start to end: its decoded name goes to w->ids. */
static bool quoted_id(struct wat *w, size_t *cap, size_t start, size_t end)
{
	struct wat_tok str = {WAT_STRING, (uint32_t)start + 1, (uint32_t)(end - start - 1), 0};
	size_t at = w->ids.size;
	wlab_buf_u32le(&w->ids, 0);
	if (!wat_string(w, &str, &w->ids))
		return false;
	size_t n = w->ids.size - at - 4;
	if (!n)
		return wat_fail(w, start, "empty identifier");
	if (!utf8_valid(w->ids.data + at + 4, n))
		return wat_fail(w, start, "malformed UTF-8 encoding");
	if (w->ids.size > UINT32_MAX - 1)
		return wat_fail(w, start, "text too large");
	for (int b = 0; b < 4; b++)
		w->ids.data[at + (size_t)b] = (uint8_t)(n >> (8 * b));
	if (!push(w, cap, WAT_ID, start, end - start))
		return false;
	w->toks[w->ntoks - 1].match = (uint32_t)at + 1;
	return true;
}

/* A run of token characters at i: one string, one atom or id, or else a
 * reserved token (an error). */
static bool run(struct wat *w, size_t *cap, size_t *i)
{
	size_t start = *i;
	if (w->text[start] == '$' && start + 1 < w->len && w->text[start + 1] == '"') {
		size_t e = string_end(w, start + 1);
		if (e && delimiter(w, e)) {
			*i = e;
			return quoted_id(w, cap, start, e);
		}
	}
	bool str = w->text[start] == '"', plain = !str;
	while (!delimiter(w, *i)) {
		unsigned char c = (unsigned char)w->text[*i];
		if (c == '"') {
			size_t e = string_end(w, *i);
			if (!e)
				return wat_fail(w, *i, "unterminated string");
			if (*i != start)
				str = plain = false;
			*i = e;
			if (!delimiter(w, *i))
				str = false;
			continue;
		}
		if (!wat_idchar(c)) {
			if (c < 0x20 || c >= 0x7f || !strchr(",;[]{}", c))
				return wat_fail(w, *i, "unexpected character");
			plain = false;
		}
		(*i)++;
	}
	size_t len = *i - start;
	if (str)
		return push(w, cap, WAT_STRING, start, len);
	if (!plain && w->script)
		return push(w, cap, WAT_RESERVED, start, len);
	if (!plain)
		return wat_fail(w, start, "unknown operator: reserved token '%.*s'",
				(int)(len < 40 ? len : 40), w->text + start);
	if (w->text[start] == '$') {
		if (len == 1)
			return wat_fail(w, start, "empty identifier");
		return push(w, cap, WAT_ID, start, len);
	}
	return push(w, cap, WAT_ATOM, start, len);
}

/* (@custom ...) stays in the tokens, for the module fields (wat_custom.c);
 * anywhere else it is an unexpected token. */
static bool custom_annotation(const struct wat *w, size_t i)
{
	return i + 8 <= w->len && !memcmp(w->text + i + 1, "@custom", 7) && delimiter(w, i + 8);
}

/* An (@name "...") annotation at i must follow the keyword (and id) of
 * something that has a name, once; named is 1 + the keyword's token index
 * of the last one. */
static bool name_annotation(struct wat *w, size_t i, size_t *named)
{
	static const char *const owners[] = {"module", "func", "param", "local", "type", "table",
					     "memory", "global", "elem", "data", "tag", "field",
					     "block", "loop", "if", "try", "try_table"};
	if (w->script || i + 6 > w->len || memcmp(w->text + i + 1, "@name", 5) || !delimiter(w, i + 6))
		return true;  /* a script's modules are lexed again on their own */
	size_t k = w->ntoks;
	if (k && w->toks[k - 1].kind == WAT_ID)
		k--;
	if (k >= 2 && w->toks[k - 2].kind == WAT_LPAR)
		for (size_t j = 0; j < sizeof owners / sizeof owners[0]; j++)
			if (wat_tok_is(w, &w->toks[k - 1], owners[j])) {
				if (*named == k)
					return wat_fail(w, i, "@name annotation: multiple names");
				*named = k;
				return true;
			}
	return wat_fail(w, i, "misplaced @name annotation");
}

/* A branch hint's payload: strings up to the `)`, one byte 0 or 1 in all. */
static bool hint_value(struct wat *w, size_t i, size_t j, uint8_t *value)
{
	wlab_buf_reset(&w->scratch);
	while (j < w->len && w->text[j] != ')') {
		char c = w->text[j];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			j++;
			continue;
		}
		size_t e = c == '"' ? string_end(w, j) : 0;
		if (!e)
			return wat_fail(w, j, "@metadata.code.branch_hint annotation: unexpected token");
		struct wat_tok str = {WAT_STRING, (uint32_t)j, (uint32_t)(e - j), 0};
		if (!wat_string(w, &str, &w->scratch))
			return false;
		j = e;
	}
	if (w->scratch.size != 1 || w->scratch.data[0] > 1)
		return wat_fail(w, i, "@metadata.code.branch_hint annotation: invalid hint value");
	*value = w->scratch.data[0];
	return true;
}

/* A branch hint (@metadata.code.branch_hint "...") must stand in a
 * function, one before an instruction (hinted: the token count at the last
 * one). It is recorded for the instruction at that token (wat_instr.c
 * places it, wat_module.c writes the section). */
static bool hint_annotation(struct wat *w, size_t i, const size_t *stack, size_t depth,
			    size_t *hinted)
{
	static const char kw[] = "@metadata.code.branch_hint";
	size_t n = sizeof kw - 1;
	if (w->script || i + 1 + n > w->len || memcmp(w->text + i + 1, kw, n) || !delimiter(w, i + 1 + n))
		return true;
	bool in_func = false;
	for (size_t d = 0; d < depth && !in_func; d++)
		in_func = stack[d] + 1 < w->ntoks && wat_tok_is(w, &w->toks[stack[d] + 1], "func");
	if (!in_func)
		return wat_fail(w, i, "@metadata.code.branch_hint annotation: not in a function");
	if (*hinted == w->ntoks)
		return wat_fail(w, i, "@metadata.code.branch_hint annotation: duplicate annotation");
	*hinted = w->ntoks;
	struct wat_hint h = {.tok = (uint32_t)w->ntoks, .off = (uint32_t)i};
	if (!hint_value(w, i, i + 1 + n, &h.value))
		return false;
	if (w->nhints == w->hints_cap) {
		uint32_t cap = w->hints_cap ? w->hints_cap * 2 : 16;
		struct wat_hint *a = realloc(w->hints, cap * sizeof *a);
		if (!a)
			return wat_oom(w);
		w->hints = a;
		w->hints_cap = cap;
	}
	w->hints[w->nhints++] = h;
	return true;
}

bool wat_lex(struct wat *w)
{
	size_t cap = 0, i = 0, depth = 0, named = 0, hinted = SIZE_MAX;
	size_t *stack = NULL, stack_cap = 0;
	bool ok = false;
	if (w->len > UINT32_MAX - 2)
		return wat_fail(w, 0, "text too large");
	while (i < w->len) {
		char c = w->text[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			i++;
		} else if (c == ';' && i + 1 < w->len && w->text[i + 1] == ';') {
			while (i < w->len && w->text[i] != '\n' && w->text[i] != '\r')
				i++;
		} else if (c == '(' && i + 1 < w->len && w->text[i + 1] == ';') {
			if (!block_comment(w, &i))
				goto done;
		} else if (c == '(' && i + 1 < w->len && w->text[i + 1] == '@' && !custom_annotation(w, i)) {
			if (!name_annotation(w, i, &named) || !hint_annotation(w, i, stack, depth, &hinted) ||
			    !annotation(w, &i))
				goto done;
		} else if (c == '(') {
			if (depth == stack_cap) {
				size_t ncap = stack_cap ? stack_cap * 2 : 64;
				size_t *s = realloc(stack, ncap * sizeof *s);
				if (!s) {
					wat_oom(w);
					goto done;
				}
				stack = s;
				stack_cap = ncap;
			}
			stack[depth++] = w->ntoks;
			if (!push(w, &cap, WAT_LPAR, i++, 1))
				goto done;
		} else if (c == ')') {
			if (!depth) {
				wat_fail(w, i, "unexpected ')'");
				goto done;
			}
			w->toks[stack[--depth]].match = (uint32_t)w->ntoks;
			if (!push(w, &cap, WAT_RPAR, i++, 1))
				goto done;
		} else if (!run(w, &cap, &i)) {
			goto done;
		}
	}
	if (depth) {
		wat_fail(w, w->toks[stack[depth - 1]].off, "unclosed '('");
		goto done;
	}
	ok = push(w, &cap, WAT_EOF, w->len, 0);
done:
	free(stack);
	return ok;
}

bool wat_tok_is(const struct wat *w, const struct wat_tok *t, const char *kw)
{
	size_t n = strlen(kw);
	return t->kind == WAT_ATOM && t->len == n && !memcmp(w->text + t->off, kw, n);
}

const char *wat_id_bytes(const struct wat *w, const struct wat_tok *t, uint32_t *len)
{
	if (t->match) {
		const uint8_t *p = w->ids.data + t->match - 1;
		*len = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
		return (const char *)p + 4;
	}
	*len = t->len - 1;
	return w->text + t->off + 1;
}

bool wat_same_id(const struct wat *w, const struct wat_tok *a, const struct wat_tok *b)
{
	uint32_t na, nb;
	const char *pa = wat_id_bytes(w, a, &na), *pb = wat_id_bytes(w, b, &nb);
	return na == nb && !memcmp(pa, pb, na);
}

bool wat_at_kw(const struct wat *w, const char *kw)
{
	return wat_tok_is(w, wat_peek(w, 0), kw);
}

bool wat_at_lpar_kw(const struct wat *w, const char *kw)
{
	return wat_peek(w, 0)->kind == WAT_LPAR && wat_tok_is(w, wat_peek(w, 1), kw);
}

bool wat_expect_kw(struct wat *w, const char *kw)
{
	if (!wat_at_kw(w, kw))
		return wat_fail_tok(w, kw);
	w->pos++;
	return true;
}

bool wat_expect_lpar_kw(struct wat *w, const char *kw)
{
	if (!wat_at_lpar_kw(w, kw)) {
		if (wat_peek(w, 0)->kind == WAT_LPAR)
			w->pos++;
		return wat_fail_tok(w, kw);
	}
	w->pos += 2;
	return true;
}

bool wat_expect_rpar(struct wat *w)
{
	if (wat_peek(w, 0)->kind != WAT_RPAR)
		return wat_fail_tok(w, ")");
	w->pos++;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool wat_string(struct wat *w, const struct wat_tok *t, struct wlab_buf *out)
{
	if (t->kind != WAT_STRING)
		return wat_fail(w, t->off, "expected a string");
	const char *s = w->text + t->off;
	size_t n = t->len - 1;
	for (size_t i = 1; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return wat_fail(w, t->off + i, "control character in string");
		if (c != '\\') {
			wlab_buf_u8(out, c);
			continue;
		}
		char e = s[++i];
		int h1 = hexval(e), h2 = i + 1 < n ? hexval(s[i + 1]) : -1;
		if (e == 't' || e == 'n' || e == 'r' || e == '"' || e == '\'' || e == '\\') {
			wlab_buf_u8(out, (uint8_t)(e == 't' ? 9 : e == 'n' ? 10 : e == 'r' ? 13 : e));
		} else if (h1 >= 0 && h2 >= 0) {
			wlab_buf_u8(out, (uint8_t)(h1 * 16 + h2));
			i++;
		} else if (e == 'u' && i + 1 < n && s[i + 1] == '{') {
			uint32_t cp = 0;
			size_t j = i + 2, digits = 0;
			for (; j < n && (hexval(s[j]) >= 0 || s[j] == '_'); j++) {
				if (s[j] == '_') {
					if (!digits || j + 1 >= n || hexval(s[j + 1]) < 0)
						return wat_fail(w, t->off + i, "malformed \\u escape");
					continue;
				}
				cp = cp * 16 + (uint32_t)hexval(s[j]);
				digits++;
				if (cp > 0x10ffff)
					return wat_fail(w, t->off + i, "malformed \\u escape");
			}
			if (!digits || j >= n || s[j] != '}' || (cp >= 0xd800 && cp < 0xe000))
				return wat_fail(w, t->off + i, "malformed \\u escape");
			char u[4];
			size_t un = utf8_encode(u, cp);
			for (size_t k = 0; k < un; k++)
				wlab_buf_u8(out, (uint8_t)u[k]);
			i = j;
		} else {
			return wat_fail(w, t->off + i - 1, "unknown escape in string");
		}
	}
	return wlab_buf_ok(out) || wat_oom(w);
}

static bool utf8_valid(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint8_t c = p[i];
		size_t k;
		uint32_t cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		for (size_t j = 1; j <= k; j++) {
			if (i + j >= n || (p[i + j] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
			return false;
		i += k + 1;
	}
	return true;
}

bool wat_name(struct wat *w, struct wlab_buf *out)
{
	const struct wat_tok *t = wat_peek(w, 0);
	wlab_buf_reset(&w->scratch);
	if (t->kind != WAT_STRING)
		return wat_fail_tok(w, "a name string");
	if (!wat_string(w, t, &w->scratch))
		return false;
	if (!utf8_valid(w->scratch.data, w->scratch.size))
		return wat_fail(w, t->off, "malformed UTF-8 encoding");
	if (w->scratch.size > UINT32_MAX)
		return wat_fail(w, t->off, "name too long");
	wlab_buf_name(out, w->scratch.data, (uint32_t)w->scratch.size);
	w->pos++;
	return true;
}
