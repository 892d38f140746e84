/* json.c: a small JSON reader for wast2json's output: a tree of nodes. */
#include <stdlib.h>
#include <string.h>

#include "run.h"

struct jparser {
	const char *p, *end;
};

static void skip_ws(struct jparser *jp)
{
	while (jp->p < jp->end && strchr(" \t\r\n", *jp->p))
		jp->p++;
}

static struct jnode *node(enum jkind k)
{
	struct jnode *n = calloc(1, sizeof *n);
	if (n)
		n->kind = k;
	return n;
}

static char *string(struct jparser *jp, size_t *lenp)
{
	const char *s = ++jp->p;  /* after the quote */
	size_t len = 0;
	/* The raw length up to the closing quote bounds the unescaped one: a
	   buffer the size of the string, not of the rest of the file. */
	const char *q = s;
	while (q < jp->end && *q != '"')
		q += (*q == '\\' && q + 1 < jp->end) ? 2 : 1;
	char *out = malloc((size_t)(q - s) + 1);
	if (!out)
		return NULL;
	while (jp->p < jp->end && *jp->p != '"') {
		char c = *jp->p++;
		if (c == '\\' && jp->p < jp->end) {
			c = *jp->p++;
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c == 'r')
				c = '\r';
			else if (c == 'b')
				c = '\b';
			else if (c == 'f')
				c = '\f';
			/* \uXXXX: one byte, as wast2json writes the bytes of names */
			else if (c == 'u' && jp->end - jp->p >= 4) {
				char hex[5] = {jp->p[0], jp->p[1], jp->p[2], jp->p[3], 0};
				c = (char)strtol(hex, NULL, 16);
				jp->p += 4;
			}
		}
		out[len++] = c;
	}
	out[len] = 0;
	*lenp = len;
	jp->p++;
	return out;
}

static struct jnode *value(struct jparser *jp, int depth);

static struct jnode *members(struct jparser *jp, int depth, enum jkind k, char close)
{
	struct jnode *n = node(k), **tail;
	if (!n)
		return NULL;
	tail = &n->child;
	jp->p++;
	skip_ws(jp);
	while (jp->p < jp->end && *jp->p != close) {
		char *key = NULL;
		if (k == J_OBJECT) {
			if (*jp->p != '"')
				break;
			size_t klen;
			key = string(jp, &klen);
			skip_ws(jp);
			if (jp->p < jp->end && *jp->p == ':')
				jp->p++;
		}
		struct jnode *v = value(jp, depth + 1);
		if (!v) {
			free(key);
			break;
		}
		v->key = key;
		*tail = v;
		tail = &v->next;
		skip_ws(jp);
		if (jp->p < jp->end && *jp->p == ',')
			jp->p++;
		skip_ws(jp);
	}
	jp->p++;
	return n;
}

static struct jnode *value(struct jparser *jp, int depth)
{
	skip_ws(jp);
	if (jp->p >= jp->end || depth > 64)
		return NULL;
	if (*jp->p == '{')
		return members(jp, depth, J_OBJECT, '}');
	if (*jp->p == '[')
		return members(jp, depth, J_ARRAY, ']');
	struct jnode *n = node(J_STRING);
	if (!n)
		return NULL;
	if (*jp->p == '"') {
		n->str = string(jp, &n->len);
		return n;
	}
	const char *s = jp->p;
	while (jp->p < jp->end && !strchr(",}] \t\r\n", *jp->p))
		jp->p++;
	n->kind = J_ATOM;
	n->len = (size_t)(jp->p - s);
	n->str = strndup(s, n->len);
	return n;
}

struct jnode *json_parse(const char *text, size_t len)
{
	struct jparser jp = {text, text + len};
	return value(&jp, 0);
}

void json_free(struct jnode *n)
{
	while (n) {
		struct jnode *next = n->next;
		json_free(n->child);
		free(n->key);
		free(n->str);
		free(n);
		n = next;
	}
}

const struct jnode *json_get(const struct jnode *obj, const char *key)
{
	for (const struct jnode *c = obj ? obj->child : NULL; c; c = c->next)
		if (c->key && !strcmp(c->key, key))
			return c;
	return NULL;
}

const char *json_str(const struct jnode *obj, const char *key)
{
	const struct jnode *n = json_get(obj, key);
	return n ? n->str : NULL;
}
