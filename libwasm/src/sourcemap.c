/* sourcemap.c: source maps, version 3 (what Emscripten's -gsource-map
 * writes next to a module and names in its sourceMappingURL section): a JSON
 * object whose "mappings" string holds base64 VLQ segments. For wasm the
 * generated code is one line and a segment's generated column is a byte
 * offset in the module file; its source line and column count from 0; a
 * 5th field indexes "names" (Emscripten and binaryen write the function's
 * name there). An index map ("sections", each an offset and a map, or the
 * "url" of a map file next to the index map's) is merged into one map, each
 * section's segments moved by its offset.
 *
 * The JSON reader takes what the format needs ("version", "sources",
 * "sourceRoot", "names", "mappings", "sections"), skips any other member,
 * and reports the first problem with its byte offset in the map file. */
#include "sourcemap.h"
#include "url.h"
#include "utf8.h"
#include "wlab/module.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

struct json {
	const char *base, *p, *end;
	const char *path;  /* the map's file (NULL: none), for its sections' "url"s */
	char err[SOURCEMAP_ERROR_MAX];
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

static void failf(struct json *j, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void failf(struct json *j, const char *fmt, ...)
{
	va_list ap;
	if (j->failed)
		return;
	j->failed = true;
	j->err_at = (size_t)(j->p - j->base);
	va_start(ap, fmt);
	vsnprintf(j->err, sizeof j->err, fmt, ap);
	va_end(ap);
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

/* Walks an object's members, a cursor over them:
 *
 *	struct members m = {.not_object = "message when there is no '{'"};
 *	while (members_next(j, &m))
 *		... read the value of m.key at j->p (or skip_value it) ...
 *
 * Each call reads the next key (m.key, freed by the next call) and its ':'
 * and skips the blanks after it; the first call reads the '{'. False at the
 * closing '}' and on the first error (j->failed, the handler's own errors
 * included), with m.key freed, so a loop run to its end leaks nothing. */
struct members {
	const char *not_object;
	bool started;
	char *key;
};

static bool members_next(struct json *j, struct members *m)
{
	free(m->key);
	m->key = NULL;
	if (j->failed)
		return false;
	if (!m->started) {
		m->started = true;
		if (!lit(j, '{')) {
			fail(j, m->not_object);
			return false;
		}
		if (lit(j, '}'))
			return false;
	} else if (!lit(j, ',')) {
		if (!lit(j, '}'))
			fail(j, "expected ',' or '}'");
		return false;
	}
	if (!string(j, &m->key))
		return false;
	if (!lit(j, ':')) {
		free(m->key);
		m->key = NULL;
		fail(j, "expected ':'");
		return false;
	}
	ws(j);
	return true;
}

/* An array of strings and nulls (NULL entries), appended to *arr. */
static bool string_array(struct json *j, char ***arr, uint32_t *n, const char *what)
{
	if (!lit(j, '[')) {
		fail(j, what);
		return false;
	}
	if (lit(j, ']'))
		return true;
	do {
		char **v = *n < UINT32_MAX - 1 ? realloc(*arr, (*n + 1) * sizeof *v) : NULL;
		if (!v) {
			fail(j, "out of memory");
			return false;
		}
		*arr = v;
		ws(j);
		if (j->p < j->end && *j->p == 'n') {  /* null: no name */
			skip_value(j, 0);
			v[*n] = NULL;
		} else if (!string(j, &v[*n])) {
			return false;
		}
		(*n)++;
	} while (lit(j, ','));
	if (!lit(j, ']'))
		fail(j, "expected ',' or ']'");
	return !j->failed;
}

/* A non-negative integer below 2^32. */
static bool uint_value(struct json *j, uint32_t *out)
{
	uint64_t v = 0;
	ws(j);
	const char *s = j->p;
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9' && v <= UINT32_MAX)
		v = v * 10 + (uint64_t)(*j->p++ - '0');
	if (j->p == s || v > UINT32_MAX || (j->p < j->end && strchr(".eE", *j->p))) {
		j->p = s;
		fail(j, "expected an integer from 0 to 4294967295");
		return false;
	}
	*out = (uint32_t)v;
	return true;
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
 * lowest bit of the whole is the sign. Values fit 32 bits (as the spec
 * says), so sums of them never overflow. */
static bool vlq(const char **p, const char *end, int64_t *out)
{
	uint64_t v = 0;
	unsigned shift = 0;
	for (;;) {
		if (*p >= end || shift > 30)
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
	if (mag > INT32_MAX)
		return false;
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

/* One map object being read: where its sources and names start in the
 * merged arrays, and where its generated code starts (an index map's
 * section offset; 0:0 otherwise). */
struct map_part {
	uint32_t src_base, name_base;
	uint32_t line, column;
};

static bool add_seg(struct json *j, struct sourcemap *sm, struct sourcemap_seg seg)
{
	if (sm->nsegs == sm->segs_cap) {
		uint32_t ncap = sm->segs_cap ? sm->segs_cap * 2 : 64;
		void *v = ncap > sm->segs_cap ? realloc(sm->segs, ncap * sizeof *sm->segs) : NULL;
		if (!v) {
			fail(j, "out of memory");
			return false;
		}
		sm->segs = v;
		sm->segs_cap = ncap;
	}
	seg.order = sm->nsegs;
	sm->segs[sm->nsegs++] = seg;
	return true;
}

/* Decodes the mappings string s (at map offset at) of part into sm->segs.
 * Only the first generated line holds wasm code; later lines are read and
 * ignored. */
static bool mappings(struct json *j, const char *s, size_t at, struct sourcemap *sm,
		     const struct map_part *part)
{
	const char *p = s, *end = s + strlen(s);
	int64_t col = part->column, src = 0, line = 0, scol = 0, name = 0;
	uint32_t gen_line = part->line;
	uint32_t nsrc = sm->nsources - part->src_base, nname = sm->nnames - part->name_base;
	while (p < end) {
		if (*p == ';') {
			gen_line += gen_line < UINT32_MAX;
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
		if (nf == 5)
			name += f[4];
		if (gen_line != 0)
			continue;
		if (col < 0 || col > UINT32_MAX || (nf >= 4 && (src < 0 || src >= nsrc ||
							       line < 0 || line >= UINT32_MAX ||
							       scol < 0 || scol >= UINT32_MAX)) ||
		    (nf == 5 && (name < 0 || name >= nname))) {
			j->p = j->base + at + (size_t)(seg - s);
			fail(j, nf == 5 && (name < 0 || name >= nname)
					? "a mapping segment's name index is out of range"
					: "a mapping segment points out of range");
			return false;
		}
		struct sourcemap_seg sg = {.offset = (uint32_t)col, .mapped = nf >= 4,
					   .name = SOURCEMAP_NO_NAME};
		if (nf >= 4) {
			sg.source = part->src_base + (uint32_t)src;
			sg.line = (uint32_t)line;
			sg.column = (uint32_t)scol;
		}
		if (nf == 5)
			sg.name = part->name_base + (uint32_t)name;
		if (!add_seg(j, sm, sg))
			return false;
	}
	return true;
}

static char *join(const char *root, const char *file)
{
	size_t rn = root ? strlen(root) : 0, fn = strlen(file);
	bool slash = rn && root[rn - 1] != '/' && file[0] != '/';
	char *p = malloc(rn + slash + fn + 1);
	if (!p)
		return NULL;
	memcpy(p, root ? root : "", rn);
	if (slash)
		p[rn] = '/';
	memcpy(p + rn + slash, file, fn + 1);
	return p;
}

/* Where a map object is: the whole file, a section's "map", or the file a
 * section's "url" names (neither of the last two may be an index map). */
enum map_kind { MAP_TOP, MAP_SECTION, MAP_URL };

static bool map_object(struct json *j, struct sourcemap *sm, struct map_part part,
		       enum map_kind kind);
static bool whole_map(struct json *j, struct sourcemap *sm, struct map_part part,
		      enum map_kind kind);

/* "offset": {"line": L, "column": C}, into *line and *column. */
static bool section_offset(struct json *j, uint32_t *line, uint32_t *column)
{
	bool have_line = false, have_column = false;
	const char *at = j->p;
	struct members m = {.not_object = "a section's \"offset\" is an object"};
	while (members_next(j, &m)) {
		if (!strcmp(m.key, "line") && !have_line)
			have_line = uint_value(j, line);
		else if (!strcmp(m.key, "column") && !have_column)
			have_column = uint_value(j, column);
		else
			skip_value(j, 0);
	}
	if (!j->failed && (!have_line || !have_column)) {
		j->p = at;
		fail(j, "a section's \"offset\" needs \"line\" and \"column\"");
	}
	return !j->failed;
}

/* Where the sections read so far start and end: the last one's offset, and
 * past the last byte any of their segments map (end), on generated line 0. */
struct section_bounds {
	uint32_t line, column;
	uint64_t end;
};

/* A section's "url": the map file it names (next to the index map's),
 * read as part. Its problems are reported at the url's string (url_at),
 * with the file and the offset within it. */
static bool section_url(struct json *j, struct sourcemap *sm, struct map_part part,
			const char *url_at, const char *url)
{
	char why[SOURCEMAP_ERROR_MAX];
	struct wlab_error err = {0};
	uint8_t *text = NULL;
	size_t size = 0;
	j->p = url_at;
	char *path = url_path(j->path, url, strlen(url), why, sizeof why);
	if (!path) {
		fail(j, why);
		return false;
	}
	if (wlab_read_file(path, &text, &size, &err)) {
		failf(j, "%s: %s", path, err.message);
	} else {
		struct json sub = {.base = (const char *)text, .p = (const char *)text,
				   .end = (const char *)text + size, .path = path};
		if (!whole_map(&sub, sm, part, MAP_URL))
			failf(j, "%s+0x%zx: %s", path, sub.err_at, sub.err);
	}
	free(text);
	free(path);
	return !j->failed;
}

/* One member of "sections": {"offset": {...}, "map": {...}} or
 * {"offset": {...}, "url": "FILE"}; the section starts at or after the one
 * before and after the code it maps. */
static bool section(struct json *j, struct sourcemap *sm, struct section_bounds *b)
{
	struct map_part part = {0};
	bool have_offset = false, have_map = false;
	char *url = NULL;
	const char *start, *map_at = NULL, *url_at = NULL;
	struct members m = {.not_object = "a section is an object"};
	ws(j);
	start = j->p;
	while (members_next(j, &m)) {
		if (!strcmp(m.key, "offset") && !have_offset) {
			const char *at = j->p;
			have_offset = section_offset(j, &part.line, &part.column);
			if (have_offset && (part.line < b->line ||
					    (part.line == b->line && part.column < b->column))) {
				j->p = at;
				fail(j, "sections out of order (an offset before the one above)");
			} else if (have_offset && part.line == 0 && part.column < b->end) {
				j->p = at;
				fail(j, "a section starts before the mappings above it end");
			}
		} else if (!strcmp(m.key, "map") && !have_map) {
			map_at = j->p;
			skip_value(j, 0);  /* read below, once the offset is known */
			have_map = true;
		} else if (!strcmp(m.key, "url") && !url_at) {
			url_at = j->p;
			string(j, &url);
		} else {
			skip_value(j, 0);
		}
	}
	if (!j->failed && (!have_offset || have_map == !!url_at)) {
		j->p = start;
		fail(j, have_map && url_at ? "a section has both \"map\" and \"url\""
					   : "a section needs \"offset\" and \"map\" or \"url\"");
	}
	if (j->failed) {
		free(url);
		return false;
	}
	const char *after = j->p;
	uint32_t first = sm->nsegs;
	part.src_base = sm->nsources;
	part.name_base = sm->nnames;
	if (url) {
		bool ok = section_url(j, sm, part, url_at, url);
		free(url);
		if (!ok)
			return false;
	} else {
		j->p = map_at;
		if (!map_object(j, sm, part, MAP_SECTION))
			return false;
	}
	j->p = after;
	for (uint32_t i = first; i < sm->nsegs; i++)
		if (sm->segs[i].offset >= b->end)
			b->end = (uint64_t)sm->segs[i].offset + 1;
	b->line = part.line;
	b->column = part.column;
	return true;
}

static bool sections(struct json *j, struct sourcemap *sm)
{
	struct section_bounds b = {0};
	if (!lit(j, '[')) {
		fail(j, "\"sections\" is not an array");
		return false;
	}
	if (lit(j, ']'))
		return true;
	do
		section(j, sm, &b);
	while (!j->failed && lit(j, ','));
	if (!j->failed && !lit(j, ']'))
		fail(j, "expected ',' or ']'");
	return !j->failed;
}

/* A map object: a source map, or (MAP_TOP) an index map whose "sections"
 * each hold or name one. Its sources and names are appended to sm's, then
 * its mappings decoded. */
static bool map_object(struct json *j, struct sourcemap *sm, struct map_part part,
		       enum map_kind kind)
{
	static const char *const not_object[] = {
		[MAP_TOP] = "a source map is a JSON object",
		[MAP_SECTION] = "a section's \"map\" is an object",
		[MAP_URL] = "a source map is a JSON object",
	};
	char *maps = NULL, *root = NULL;
	size_t maps_at = 0;
	const char *start;
	bool have_version = false, have_sources = false, have_names = false, have_sections = false;
	struct members m = {.not_object = not_object[kind]};
	ws(j);
	start = j->p;
	while (members_next(j, &m)) {
		const char *key = m.key;
		if (!strcmp(key, "version")) {
			have_version = true;
			if (j->end - j->p < 1 || *j->p != '3' ||
			    (j->end - j->p > 1 && strchr("0123456789.", j->p[1])))
				fail(j, "not a version 3 source map");
			skip_value(j, 0);
		} else if (!strcmp(key, "sources") && !have_sources) {
			have_sources = true;
			string_array(j, &sm->sources, &sm->nsources, "\"sources\" is not an array");
		} else if (!strcmp(key, "names") && !have_names) {
			have_names = true;
			string_array(j, &sm->names, &sm->nnames, "\"names\" is not an array");
		} else if (!strcmp(key, "sourceRoot") && !root && j->p < j->end && *j->p == '"') {
			string(j, &root);
		} else if (!strcmp(key, "mappings") && !maps) {
			maps_at = (size_t)(j->p - j->base) + 1;
			string(j, &maps);
		} else if (!strcmp(key, "sections") && !have_sections) {
			have_sections = true;
			if (kind != MAP_TOP)
				fail(j, "a section's map is an index map (not allowed)");
			else
				sections(j, sm);
		} else {
			skip_value(j, 0);
		}
	}
	const char *after = j->p;
	if (!j->failed && !have_version)
		fail(j, "no \"version\" member");
	if (!j->failed && have_sections && (maps || have_sources)) {
		j->p = start;
		fail(j, "an index map has \"sections\", not \"mappings\" or \"sources\"");
	}
	if (!j->failed && !maps && !have_sections)
		fail(j, "no \"mappings\" member");
	for (uint32_t i = part.src_base; !j->failed && root && i < sm->nsources; i++) {
		char *joined = sm->sources[i] ? join(root, sm->sources[i]) : NULL;
		if (sm->sources[i] && !joined) {
			fail(j, "out of memory");
			break;
		}
		free(sm->sources[i]);
		sm->sources[i] = joined;
	}
	/* mappings use source and name indices: decoded once those are known */
	if (!j->failed && maps && mappings(j, maps, maps_at, sm, &part))
		j->p = after;
	free(maps);
	free(root);
	return !j->failed;
}

/* A map object that is the whole text (blanks around it). */
static bool whole_map(struct json *j, struct sourcemap *sm, struct map_part part,
		      enum map_kind kind)
{
	if (!map_object(j, sm, part, kind))
		return false;
	ws(j);
	if (j->p != j->end)
		fail(j, "text after the JSON object");
	return !j->failed;
}

bool sourcemap_parse(struct sourcemap *sm, const char *text, size_t size, const char *path,
			  size_t *err_offset, char *err, size_t err_size)
{
	struct json j = {.base = text, .p = text, .end = text + size, .path = path};
	memset(sm, 0, sizeof *sm);
	if (whole_map(&j, sm, (struct map_part){0}, MAP_TOP) && sm->nsegs)
		qsort(sm->segs, sm->nsegs, sizeof *sm->segs, seg_cmp);
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
	for (uint32_t i = 0; i < sm->nnames; i++)
		free(sm->names[i]);
	free(sm->names);
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
