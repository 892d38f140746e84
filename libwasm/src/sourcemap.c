/* sourcemap.c: source maps, version 3 (what Emscripten's -gsource-map
 * writes next to a module and names in its sourceMappingURL section): a JSON
 * object whose "mappings" string holds base64 VLQ segments. For wasm the
 * generated code is one line and a segment's generated column is a byte
 * offset in the module file; its source line and column count from 0.
 *
 * The JSON reader takes what the format needs ("version", "sources",
 * "sourceRoot", "mappings"), skips any other member, and reports the first
 * problem with its byte offset in the map file. */
#include "sourcemap.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

struct json {
	const char *base, *p, *end;
	char err[128];
	size_t err_at;
	bool failed;
};

static void fail(struct json *j, const char *msg)
{
	if (j->failed)
		return;
	j->failed = true;
	j->err_at = (size_t)(j->p - j->base);
	snprintf(j->err, sizeof j->err, "%s", msg);
}

static void ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool lit(struct json *j, char c)
{
	ws(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return true;
	}
	return false;
}

static int hex4(const char *s)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* A string value, unescaped into a malloc'd copy (*out, when out is not
 * NULL). An escaped string is never longer than its source text. */
static bool string(struct json *j, char **out)
{
	if (!lit(j, '"')) {
		fail(j, "expected a string");
		return false;
	}
	const char *s = j->p;
	while (j->p < j->end && *j->p != '"')
		j->p += *j->p == '\\' ? 2 : 1;
	if (j->p >= j->end) {
		fail(j, "unterminated string");
		return false;
	}
	const char *e = j->p++;
	if (!out)
		return true;
	char *buf = malloc((size_t)(e - s) + 1);
	size_t n = 0;
	if (!buf) {
		fail(j, "out of memory");
		return false;
	}
	for (const char *q = s; q < e; q++) {
		if (*q != '\\') {
			buf[n++] = *q;
			continue;
		}
		q++;
		switch (*q) {
		case 'n': buf[n++] = '\n'; break;
		case 't': buf[n++] = '\t'; break;
		case 'r': buf[n++] = '\r'; break;
		case 'b': buf[n++] = '\b'; break;
		case 'f': buf[n++] = '\f'; break;
		case 'u': {
			int cp = e - q >= 5 ? hex4(q + 1) : -1;
			if (cp < 0) {
				free(buf);
				j->p = q;
				fail(j, "bad \\u escape");
				return false;
			}
			q += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && e - q >= 7 && q[1] == '\\' && q[2] == 'u') {
				int lo = hex4(q + 3);
				if (lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					q += 6;
				}
			}
			n += utf8_encode(buf + n, (uint32_t)cp);  /* \uXXXX is 6 bytes, UTF-8 at most 4 */
			break;
		}
		default: buf[n++] = *q; break;  /* \" \\ \/ and the rest as they are */
		}
	}
	buf[n] = 0;
	*out = buf;
	return true;
}

static void skip_value(struct json *j, int depth);

static void skip_members(struct json *j, int depth, char close, bool keys)
{
	if (lit(j, close))
		return;
	do {
		if (keys) {
			string(j, NULL);
			if (!lit(j, ':'))
				fail(j, "expected ':'");
		}
		skip_value(j, depth + 1);
	} while (!j->failed && lit(j, ','));
	if (!j->failed && !lit(j, close))
		fail(j, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
}

static void skip_value(struct json *j, int depth)
{
	ws(j);
	if (depth > MAX_DEPTH) {
		fail(j, "nested too deeply");
		return;
	}
	if (j->p >= j->end) {
		fail(j, "unexpected end");
		return;
	}
	char c = *j->p;
	if (c == '"') {
		string(j, NULL);
	} else if (c == '{' || c == '[') {
		j->p++;
		skip_members(j, depth, c == '{' ? '}' : ']', c == '{');
	} else if ((c >= '0' && c <= '9') || c == '-' || c == 't' || c == 'f' || c == 'n') {
		while (j->p < j->end && strchr("0123456789+-.eEtruefalsn", *j->p))
			j->p++;
	} else {
		fail(j, "unexpected character");
	}
}

static bool sources(struct json *j, struct sourcemap *sm)
{
	if (!lit(j, '[')) {
		fail(j, "\"sources\" is not an array");
		return false;
	}
	if (lit(j, ']'))
		return true;
	do {
		char **v = realloc(sm->sources, (sm->nsources + 1) * sizeof *v);
		if (!v) {
			fail(j, "out of memory");
			return false;
		}
		sm->sources = v;
		ws(j);
		if (j->p < j->end && *j->p == 'n') {  /* null: a source with no name */
			skip_value(j, 0);
			v[sm->nsources] = NULL;
		} else if (!string(j, &v[sm->nsources])) {
			return false;
		}
		sm->nsources++;
	} while (lit(j, ','));
	if (!lit(j, ']'))
		fail(j, "expected ',' or ']'");
	return !j->failed;
}

/* ---- mappings ---- */

static int b64(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* One base64 VLQ value: 5 bits a digit, low first, bit 5 continues; the
 * lowest bit of the whole is the sign. */
static bool vlq(const char **p, const char *end, int64_t *out)
{
	uint64_t v = 0;
	unsigned shift = 0;
	for (;;) {
		if (*p >= end || shift > 60)
			return false;
		int d = b64(**p);
		if (d < 0)
			return false;
		(*p)++;
		v |= (uint64_t)(d & 31) << shift;
		shift += 5;
		if (!(d & 32))
			break;
	}
	int64_t mag = (int64_t)(v >> 1);
	*out = v & 1 ? -mag : mag;
	return true;
}

static int seg_cmp(const void *a, const void *b)
{
	const struct sourcemap_seg *x = a, *y = b;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Decodes the mappings string s (at map offset at) into sm->segs. Only the
 * first generated line holds wasm code; later lines are read and ignored. */
static bool mappings(struct json *j, const char *s, size_t at, struct sourcemap *sm)
{
	const char *p = s, *end = s + strlen(s);
	int64_t col = 0, src = 0, line = 0, scol = 0;  /* a 5th field (a name) is not used */
	uint32_t cap = 0, gen_line = 0;
	while (p < end) {
		if (*p == ';') {
			gen_line++;
			col = 0;
			p++;
			continue;
		}
		if (*p == ',') {
			p++;
			continue;
		}
		int64_t f[5];
		int nf = 0;
		const char *seg = p;
		while (p < end && *p != ',' && *p != ';') {
			if (nf == 5 || !vlq(&p, end, &f[nf])) {
				j->p = j->base + at + (size_t)(seg - s);
				fail(j, "malformed mapping segment (bad base64 VLQ)");
				return false;
			}
			nf++;
		}
		if (nf != 1 && nf != 4 && nf != 5) {
			j->p = j->base + at + (size_t)(seg - s);
			fail(j, "a mapping segment has 1, 4 or 5 fields");
			return false;
		}
		col += f[0];
		if (nf >= 4) {
			src += f[1];
			line += f[2];
			scol += f[3];
		}
		if (gen_line != 0)
			continue;
		if (col < 0 || col > UINT32_MAX || (nf >= 4 && (src < 0 || src >= sm->nsources ||
							       line < 0 || line >= UINT32_MAX ||
							       scol < 0 || scol >= UINT32_MAX))) {
			j->p = j->base + at + (size_t)(seg - s);
			fail(j, "a mapping segment points out of range");
			return false;
		}
		if (sm->nsegs == cap) {
			uint32_t ncap = cap ? cap * 2 : 64;
			void *v = ncap > cap ? realloc(sm->segs, ncap * sizeof *sm->segs) : NULL;
			if (!v) {
				fail(j, "out of memory");
				return false;
			}
			sm->segs = v;
			cap = ncap;
		}
		sm->segs[sm->nsegs] = (struct sourcemap_seg){
			.offset = (uint32_t)col, .order = sm->nsegs, .mapped = nf >= 4,
			.source = nf >= 4 ? (uint32_t)src : 0,
			.line = nf >= 4 ? (uint32_t)line : 0, .column = nf >= 4 ? (uint32_t)scol : 0,
		};
		sm->nsegs++;
	}
	if (sm->nsegs)
		qsort(sm->segs, sm->nsegs, sizeof *sm->segs, seg_cmp);
	return true;
}

static bool object(struct json *j, struct sourcemap *sm)
{
	char *maps = NULL;
	size_t maps_at = 0;
	bool have_version = false;
	if (!lit(j, '{')) {
		fail(j, "a source map is a JSON object");
		return false;
	}
	if (!lit(j, '}')) {
		do {
			char *key = NULL;
			if (!string(j, &key))
				break;
			if (!lit(j, ':')) {
				free(key);
				fail(j, "expected ':'");
				break;
			}
			ws(j);
			if (!strcmp(key, "version")) {
				have_version = true;
				if (j->end - j->p < 1 || *j->p != '3' ||
				    (j->end - j->p > 1 && strchr("0123456789.", j->p[1])))
					fail(j, "not a version 3 source map");
				skip_value(j, 0);
			} else if (!strcmp(key, "sources") && !sm->sources) {
				sources(j, sm);
			} else if (!strcmp(key, "sourceRoot") && !sm->source_root && *j->p == '"') {
				string(j, &sm->source_root);
			} else if (!strcmp(key, "mappings") && !maps) {
				maps_at = (size_t)(j->p - j->base) + 1;
				string(j, &maps);
			} else {
				skip_value(j, 0);
			}
			free(key);
		} while (!j->failed && lit(j, ','));
		if (!j->failed && !lit(j, '}'))
			fail(j, "expected ',' or '}'");
	}
	if (!j->failed && !have_version)
		fail(j, "no \"version\" member");
	if (!j->failed && !maps)
		fail(j, "no \"mappings\" member");
	/* mappings use source indices: decoded once sources are known */
	if (!j->failed)
		mappings(j, maps, maps_at, sm);
	free(maps);
	return !j->failed;
}

bool sourcemap_parse(struct sourcemap *sm, const char *text, size_t size,
			  size_t *err_offset, char *err, size_t err_size)
{
	struct json j = {.base = text, .p = text, .end = text + size};
	memset(sm, 0, sizeof *sm);
	if (object(&j, sm)) {
		ws(&j);
		if (j.p != j.end)
			fail(&j, "text after the JSON object");
	}
	if (!j.failed)
		return true;
	*err_offset = j.err_at;
	snprintf(err, err_size, "%s", j.err);
	sourcemap_fini(sm);
	return false;
}

void sourcemap_fini(struct sourcemap *sm)
{
	for (uint32_t i = 0; i < sm->nsources; i++)
		free(sm->sources[i]);
	free(sm->sources);
	free(sm->source_root);
	free(sm->segs);
	memset(sm, 0, sizeof *sm);
}

const struct sourcemap_seg *sourcemap_find(const struct sourcemap *sm,
						     uint32_t offset)
{
	uint32_t lo = 0, hi = sm->nsegs;
	while (lo < hi) {  /* the first segment past offset */
		uint32_t mid = lo + (hi - lo) / 2;
		if (sm->segs[mid].offset <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &sm->segs[lo - 1] : NULL;
}
