/* util.c: the unit tests' module builder and error assertions (see util.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"
#include "wlab/wat.h"
#include "wlab/watprint.h"

void tu_buf_free(struct tu_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

void tu_buf_reset(struct tu_buf *b)
{
	b->n = 0;
}

static void reserve(struct tu_buf *b, size_t extra)
{
	if (b->cap - b->n >= extra)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap - b->n < extra)
		cap *= 2;
	uint8_t *p = realloc(b->p, cap);
	if (!p)
		fail_msg("tu_buf: out of memory growing to %zu bytes", cap);
	b->p = p;
	b->cap = cap;
}

void tu_byte(struct tu_buf *b, uint8_t v)
{
	reserve(b, 1);
	b->p[b->n++] = v;
}

void tu_bytes(struct tu_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	reserve(b, n);
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

void tu_fill(struct tu_buf *b, uint8_t v, size_t n)
{
	reserve(b, n);
	memset(b->p + b->n, v, n);
	b->n += n;
}

void tu_u64(struct tu_buf *b, uint64_t v)
{
	do {
		uint8_t byte = v & 0x7f;
		v >>= 7;
		tu_byte(b, (uint8_t)(byte | (v ? 0x80 : 0)));
	} while (v);
}

void tu_u32(struct tu_buf *b, uint32_t v)
{
	tu_u64(b, v);
}

void tu_s64(struct tu_buf *b, int64_t v)
{
	for (;;) {
		uint8_t byte = (uint8_t)((uint64_t)v & 0x7f);
		/* Arithmetic shift done by hand: >> of a negative value is
		 * implementation-defined in C11. */
		v = v < 0 ? ~(~v >> 7) : v >> 7;
		bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
		tu_byte(b, (uint8_t)(byte | (done ? 0 : 0x80)));
		if (done)
			return;
	}
}

void tu_s32(struct tu_buf *b, int32_t v)
{
	tu_s64(b, v);
}

void tu_u32_padded(struct tu_buf *b, uint32_t v, size_t width)
{
	for (size_t i = 0; i < width; i++) {
		uint8_t byte = v & 0x7f;
		v >>= 7;
		tu_byte(b, (uint8_t)(byte | (i + 1 < width ? 0x80 : 0)));
	}
}

void tu_name(struct tu_buf *b, const char *s)
{
	size_t n = strlen(s);
	tu_u32(b, (uint32_t)n);
	tu_bytes(b, s, n);
}

void tu_header(struct tu_buf *b)
{
	tu_bytes(b, "\0asm\1\0\0\0", 8);
}

size_t tu_section_raw(struct tu_buf *b, uint8_t id, const void *payload, size_t n)
{
	tu_byte(b, id);
	tu_u32(b, (uint32_t)n);
	size_t at = b->n;
	tu_bytes(b, payload, n);
	return at;
}

size_t tu_section(struct tu_buf *b, uint8_t id, const struct tu_buf *payload)
{
	return tu_section_raw(b, id, payload->p, payload->n);
}

enum wlab_status tu_decode(const struct tu_buf *b, const struct wlab_decode_options *opts,
			   struct wlab_module **m, struct wlab_error *err)
{
	static const uint8_t empty[1];
	return wlab_module_decode(b->p ? b->p : empty, b->n, opts, m, err);
}

bool tu_check_error(const char *what, const struct wlab_error *err, enum wlab_status st,
		    size_t offset, const char *msg)
{
	size_t n = strlen(msg);
	bool prefix = n && msg[n - 1] == '*';
	if (err->status == st && err->offset == offset &&
	    (prefix ? strncmp(err->message, msg, n - 1) : strcmp(err->message, msg)) == 0)
		return true;
	print_error("%s: expected %s at 0x%zx \"%s\", got %s at 0x%zx \"%s\"\n", what,
		    wlab_status_name(st), offset, msg, wlab_status_name(err->status), err->offset,
		    err->message);
	return false;
}

bool tu_check_ok(const char *what, const struct wlab_error *err)
{
	if (err->status == WLAB_OK)
		return true;
	print_error("%s: expected success, got %s at 0x%zx \"%s\"\n", what,
		    wlab_status_name(err->status), err->offset, err->message);
	return false;
}

void tu_expect_error(const char *what, const struct wlab_error *err, enum wlab_status st,
		     size_t offset, const char *msg)
{
	if (!tu_check_error(what, err, st, offset, msg))
		fail_msg("%s: wrong error", what);
}

void tu_expect_ok(const char *what, const struct wlab_error *err)
{
	if (!tu_check_ok(what, err))
		fail_msg("%s: unexpected error", what);
}

bool tu_row_failed(const char *what, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	print_error("%s: %s\n", what, msg);
	return false;
}

void tu_table_done(const char *table, size_t failed, size_t n)
{
	if (failed)
		fail_msg("%s: %zu of %zu rows failed", table, failed, n);
}

void tu_expect_span(const char *what, struct wlab_span span, size_t offset, size_t size)
{
	if (span.offset != offset || span.size != size)
		fail_msg("%s: span [0x%x, +%u), want [0x%zx, +%zu)", what, (unsigned)span.offset,
			 (unsigned)span.size, offset, size);
}

uint8_t *tu_wat_assemble(const char *text, size_t len, uint32_t features, unsigned flags,
			 size_t *n)
{
	uint8_t *bin = NULL;
	struct wlab_error err = {0};
	if (wlab_wat_to_binary_flags(text, len, features, flags, &bin, n, &err))
		fail_msg("%.200s: %s", text, err.message);
	return bin;
}

char *tu_wat_print(const uint8_t *bin, size_t n, uint32_t features, unsigned flags)
{
	struct wlab_decode_options dopts = {0};
	struct wlab_wat_print_options popts = {flags};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	char *out = NULL;
	size_t len = 0;
	dopts.features = features;
	if (wlab_module_decode(bin, n, &dopts, &m, &err) ||
	    wlab_wat_print(m, &popts, &out, &len, &err))
		fail_msg("print: %s", err.message);
	wlab_module_free(m);
	return out;
}
