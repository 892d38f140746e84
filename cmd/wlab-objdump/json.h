/* json.h: the small JSON writer json.c and json_custom.c share. */
#ifndef OBJDUMP_JSON_H
#define OBJDUMP_JSON_H

#include "objdump.h"

/* Knows whether a comma is due before the next value. */
struct jw {
	FILE *out;
	bool comma;
};

/* k names the member, or NULL inside an array. */
void jw_open(struct jw *w, const char *k, char brace);
void jw_close(struct jw *w, char brace);
void jw_u64(struct jw *w, const char *k, uint64_t v);
void jw_i64(struct jw *w, const char *k, int64_t v);
void jw_bool(struct jw *w, const char *k, bool v);
void jw_cstr(struct jw *w, const char *k, const char *s);  /* NULL: null */
void jw_str(struct jw *w, const char *k, struct wlab_str s);
void jw_span(struct jw *w, struct wlab_span s);  /* "offset", "size" */

/* The "custom" member of a module (json_custom.c). */
void json_custom(struct jw *w, const struct objdump_ctx *ctx);

#endif
