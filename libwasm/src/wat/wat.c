/* wat.c: wlab_wat_to_binary: the text format's entry point, the module
 * forms (fields, binary, quote) and error records with line:column. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wat_internal.h"
#include "wlab/features.h"
#include "wlab/module.h"
#include "wlab/validate.h"
#include "wlab/wat.h"

bool wat_fail(struct wat *w, size_t offset, const char *fmt, ...)
{
	va_list ap;
	char msg[WLAB_MESSAGE_MAX];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	wlab_error_set(w->err, WLAB_MALFORMED, offset, "%s", msg);
	return false;
}

bool wat_fail_tok(struct wat *w, const char *what)
{
	const struct wat_tok *t = wat_peek(w, 0);
	if (t->kind == WAT_EOF)
		return wat_fail(w, t->off, "unexpected end of text, expected %s", what);
	return wat_fail(w, t->off, "unexpected token '%.*s', expected %s",
			(int)(t->len < 40 ? t->len : 40), w->text + t->off, what);
}

void wat_place(struct wat *w, unsigned sec, size_t at, size_t text)
{
	if (!w->want_places)
		return;
	if (w->nplaces == w->places_cap) {
		size_t cap = w->places_cap ? 2 * w->places_cap : 256;
		struct wat_pos *p = realloc(w->places, cap * sizeof *p);
		if (!p) {
			free(w->places);
			w->places = NULL;
			w->nplaces = w->places_cap = 0;
			w->want_places = false;
			return;
		}
		w->places = p;
		w->places_cap = cap;
	}
	w->places[w->nplaces++] = (struct wat_pos){.text = (uint32_t)text, .at = (uint32_t)at,
						   .sec = (uint8_t)sec};
}

bool wat_oom(struct wat *w)
{
	w->nomem = true;
	wlab_error_set(w->err, WLAB_NOMEM, 0, "out of memory");
	return false;
}

static void wat_free(struct wat *w)
{
	free(w->places);
	free(w->toks);
	free(w->names);
	free(w->types);
	free(w->labels);
	free(w->ops_sorted);
	wlab_buf_free(&w->typepool);
	wlab_buf_free(&w->scratch);
	wlab_buf_free(&w->ids);
	wat_custom_free(w);
	free(w->hints);
	for (int i = 0; i < WAT_NSEC; i++)
		wlab_buf_free(&w->sec[i]);
}

/* places: when not NULL, the places of the module written (struct
 * wat_pos, sorted; free() them) into *places and their count *nplaces. */
static enum wlab_status to_binary(const char *text, size_t len, uint8_t **out, size_t *size,
				  struct wlab_error *err, int nesting, uint32_t features,
				  bool hint_any_target, unsigned flags, struct wat_pos **places,
				  size_t *nplaces);

/* The strings of `(module binary ...)` or `(module quote ...)`, concatenated. */
static bool strings(struct wat *w, struct wlab_buf *b)
{
	while (wat_peek(w, 0)->kind == WAT_STRING) {
		if (!wat_string(w, wat_peek(w, 0), b))
			return false;
		w->pos++;
	}
	if (!wlab_buf_ok(b))
		return wat_oom(w);
	return wat_expect_rpar(w);
}

static bool parse(struct wat *w, uint8_t **out, size_t *size, int nesting)
{
	if (!wat_lex(w))
		return false;
	if (!wat_at_lpar_kw(w, "module"))
		return wat_module(w, out, size) &&
		       (wat_peek(w, 0)->kind == WAT_EOF || wat_fail_tok(w, "a module field"));
	w->pos += 2;
	if (wat_at_kw(w, "definition"))  /* a script's (module definition ...) */
		w->pos++;
	if (wat_peek(w, 0)->kind == WAT_ID)
		w->module_id = &w->toks[w->pos++];
	bool binary = wat_at_kw(w, "binary"), quote = wat_at_kw(w, "quote");
	if (binary || quote) {
		struct wlab_buf b = {0};
		size_t off = wat_peek(w, 1)->off;  /* the first string */
		w->pos++;
		bool ok = strings(w, &b) && (wat_peek(w, 0)->kind == WAT_EOF || wat_fail_tok(w, "end of text"));
		if (ok && binary) {
			*out = wlab_buf_take(&b, size);
			if (!*out)
				*out = calloc(1, 1);
			ok = *out || wat_oom(w);
		} else if (ok) {
			struct wlab_error inner = {0};
			if (nesting > 4)
				ok = wat_fail(w, off, "module quote nested too deep");
			else if (to_binary((const char *)b.data, b.size, out, size, &inner, nesting + 1,
					   w->features, w->hint_any_target,
					   w->debug_names ? WLAB_WAT_DEBUG_NAMES : 0, NULL, NULL)) {
				if (inner.status == WLAB_NOMEM)
					ok = wat_oom(w);
				else
					ok = wat_fail(w, off, "in quoted module: %.130s", inner.message);
			}
		}
		wlab_buf_free(&b);
		return ok;
	}
	return wat_module(w, out, size) && wat_expect_rpar(w) &&
	       (wat_peek(w, 0)->kind == WAT_EOF || wat_fail_tok(w, "end of text"));
}

static enum wlab_status to_binary(const char *text, size_t len, uint8_t **out, size_t *size,
				  struct wlab_error *err, int nesting, uint32_t features,
				  bool hint_any_target, unsigned flags, struct wat_pos **places,
				  size_t *nplaces)
{
	struct wat w = {.text = text ? text : "", .len = text ? len : 0, .err = err,
			.features = features, .hint_any_target = hint_any_target,
			.debug_names = (flags & WLAB_WAT_DEBUG_NAMES) != 0,
			.want_places = places != NULL};
	*out = NULL;
	*size = 0;
	bool ok = parse(&w, out, size, nesting);
	if (ok && places && w.want_places) {
		*places = w.places, *nplaces = w.nplaces;
		w.places = NULL;
	}
	wat_free(&w);
	if (ok)
		return WLAB_OK;
	free(*out);
	*out = NULL;
	*size = 0;
	if (!err->status)
		wlab_error_set(err, WLAB_MALFORMED, 0, "malformed text");
	return err->status;
}

enum wlab_status wat_compile(const char *text, size_t len, uint32_t features, uint8_t **out,
			     size_t *size, struct wlab_error *err)
{
	return to_binary(text, len, out, size, err, 0, features, true, 0, NULL, NULL);
}

void wat_line_col(const char *text, size_t len, size_t offset, size_t *line, size_t *col)
{
	*line = 1, *col = 1;
	for (size_t i = 0; i < offset && i < len; i++) {
		if (text[i] == '\n')
			++*line, *col = 1;
		else
			++*col;
	}
}

void wat_locate(struct wat *w, size_t offset, size_t *line, size_t *col)
{
	if (w->at_line == 0 || offset < w->at_off)
		w->at_off = 0, w->at_line = 1, w->at_col = 1;
	for (size_t i = w->at_off; i < offset && i < w->len; i++) {
		if (w->text[i] == '\n')
			++w->at_line, w->at_col = 1;
		else
			++w->at_col;
	}
	if (offset > w->at_off)
		w->at_off = offset < w->len ? offset : w->len;
	*line = w->at_line, *col = w->at_col;
}

enum wlab_status wlab_wat_to_binary(const char *text, size_t len, uint8_t **out, size_t *size,
				    struct wlab_error *err)
{
	return wlab_wat_to_binary_features(text, len, 0, out, size, err);
}

enum wlab_status wlab_wat_to_binary_features(const char *text, size_t len, uint32_t features,
					     uint8_t **out, size_t *size,
					     struct wlab_error *err)
{
	return wlab_wat_to_binary_flags(text, len, features, 0, out, size, err);
}

/* The text offset the byte at binary offset `at` came from (places sorted
 * by at): the last place at or before it; SIZE_MAX when that is none, or
 * a section's bounds (bytes the places do not say). */
static size_t text_of(const struct wat_pos *places, size_t n, size_t at)
{
	size_t lo = 0, hi = n;  /* the first place past at */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (places[mid].at <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || places[lo - 1].text == WAT_POS_NONE)
		return SIZE_MAX;
	return places[lo - 1].text;
}

/* Where in the text the byte at binary offset `at` came from, SIZE_MAX
 * when the text does not say: the text is assembled again with its places
 * recorded, which only a validation error asks for (a valid module pays
 * nothing for them). */
static size_t text_place(const char *text, size_t len, uint32_t features, unsigned flags,
			 size_t at)
{
	struct wlab_error err = {0};
	struct wat_pos *places = NULL;
	uint8_t *bin = NULL;
	size_t nplaces = 0, size = 0, t = SIZE_MAX;
	if (!to_binary(text, len, &bin, &size, &err, 0, features, false, flags, &places, &nplaces))
		t = text_of(places, nplaces, at);
	free(bin);
	free(places);
	return t;
}

/* WLAB_WAT_VALIDATE: the module assembled (bin, n) decoded and validated. */
static enum wlab_status validate(const uint8_t *bin, size_t n, uint32_t features,
				 struct wlab_error *err)
{
	struct wlab_decode_options dopts = {.features = features ? features : wlab_features_default()};
	struct wlab_validate_options vopts = {.features = dopts.features};
	struct wlab_validate_error verr = {0};
	struct wlab_module *m = NULL;
	if (!wlab_module_decode(bin, n, &dopts, &m, &verr.error) &&
	    !wlab_module_validate(m, &vopts, &verr)) {
		wlab_module_free(m);
		return WLAB_OK;
	}
	const struct wlab_str *name = m && verr.func != UINT32_MAX
					      ? wlab_module_name_of(m, WLAB_NAMES_FUNCTION, verr.func)
					      : NULL;
	char in[48] = "";
	if (verr.func != UINT32_MAX && !strstr(verr.error.message, "(in func"))
		snprintf(in, sizeof in, " (in func[%u])", (unsigned)verr.func);
	wlab_error_set(err, verr.error.status == WLAB_NOMEM ? WLAB_NOMEM : WLAB_INVALID,
		       verr.error.offset, "the module is invalid: 0x%zx: %.140s%s%s%.*s",
		       verr.error.offset, verr.error.message, in, name ? " $" : "",
		       name ? (int)(name->len < 40 ? name->len : 40) : 0,
		       name ? (const char *)name->ptr : "");
	wlab_module_free(m);
	return err->status;
}

enum wlab_status wlab_wat_to_binary_flags(const char *text, size_t len, uint32_t features,
					  unsigned flags, uint8_t **out, size_t *size,
					  struct wlab_error *err)
{
	struct wlab_error local = {0};
	if (!err)
		err = &local;
	uint32_t fs = features ? features : wlab_features_default();
	enum wlab_status st = to_binary(text, len, out, size, err, 0, fs, false, flags, NULL, NULL);
	size_t at = err->offset;  /* malformed: in the text */
	if (!st && (flags & WLAB_WAT_VALIDATE) && (st = validate(*out, *size, features, err))) {
		free(*out);
		*out = NULL;
		*size = 0;
		at = st == WLAB_INVALID ? text_place(text, len, fs, flags, err->offset) : SIZE_MAX;
	}
	if ((st == WLAB_MALFORMED || st == WLAB_INVALID) && at != SIZE_MAX) {
		size_t line, col;
		wat_line_col(text, len, at, &line, &col);
		char msg[WLAB_MESSAGE_MAX];
		snprintf(msg, sizeof msg, "%zu:%zu: %.*s", line, col, st == WLAB_MALFORMED ? 120 : 230,
			 err->message);
		memcpy(err->message, msg, sizeof msg);
	}
	return st;
}
