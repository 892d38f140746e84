/* encode_internal.h: the encoder's state, shared by encode.c and encode_custom.c. */
#ifndef WLAB_ENCODE_INTERNAL_H
#define WLAB_ENCODE_INTERNAL_H

#include "wlab/encode.h"

struct encoder {
	const struct wlab_module *m;
	struct wlab_error *err;
};

/* WLAB_INVALID with "<what> out of range" at span.offset unless span lies
 * inside m->bytes. */
enum wlab_status enc_check_span(struct encoder *e, struct wlab_span span, const char *what);
/* Copies a span of m->bytes after checking it. */
enum wlab_status enc_span(struct encoder *e, struct wlab_buf *b, struct wlab_span span,
			  const char *what);
/* A name that must not be NULL unless empty. */
enum wlab_status enc_str(struct encoder *e, struct wlab_buf *b, struct wlab_str s,
			 const char *what);
enum wlab_status enc_invalid(struct encoder *e, size_t offset, const char *msg);

/* Writes the content (after the name) of custom section index into b from
 * the decoded structure when that is the one to use; *done tells whether it
 * did (else the caller copies the content bytes). */
enum wlab_status enc_custom_content(struct encoder *e, uint32_t index, struct wlab_buf *b,
				    bool *done);

#endif
