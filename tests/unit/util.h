/* util.h: helpers shared by the unit tests: a byte buffer that builds modules
 * by hand, and assertions on decode results and their error records.
 *
 * Every tests/unit/ file that is not a test_*.c is linked into every test
 * binary, so everything here carries the tu_ prefix. */
#ifndef TU_UTIL_H
#define TU_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wlab/module.h"
#include "wlab/status.h"

/* A growing byte buffer. Zero-initialise it; tu_buf_free() releases it. */
struct tu_buf {
	uint8_t *p;
	size_t n, cap;
};

void tu_buf_free(struct tu_buf *b);
void tu_buf_reset(struct tu_buf *b);  /* empties it, keeps the memory */

void tu_byte(struct tu_buf *b, uint8_t v);
void tu_bytes(struct tu_buf *b, const void *p, size_t n);
void tu_fill(struct tu_buf *b, uint8_t v, size_t n);      /* n copies of v */
void tu_u32(struct tu_buf *b, uint32_t v);                /* unsigned LEB128 */
void tu_u64(struct tu_buf *b, uint64_t v);
void tu_s32(struct tu_buf *b, int32_t v);                 /* signed LEB128 */
void tu_s64(struct tu_buf *b, int64_t v);
void tu_u32_padded(struct tu_buf *b, uint32_t v, size_t width);  /* overlong, width bytes */
void tu_name(struct tu_buf *b, const char *s);            /* length + bytes */
void tu_header(struct tu_buf *b);                         /* \0asm, version 1 */

/* Appends a section: the id, the payload size as LEB128, the payload.
 * Returns the offset of the payload (the id byte stands at the offset
 * b->n had before the call). */
size_t tu_section(struct tu_buf *b, uint8_t id, const struct tu_buf *payload);
size_t tu_section_raw(struct tu_buf *b, uint8_t id, const void *payload, size_t n);

/* Fails the current test unless span is [offset, offset + size). */
void tu_expect_span(const char *what, struct wlab_span span, size_t offset, size_t size);

/* Bytes from a list: TU_ARR(0x01, 0x02) is a pointer and TU_LEN(...) the count. */
#define TU_ARR(...) ((const uint8_t[]){__VA_ARGS__})
#define TU_LEN(...) (sizeof((const uint8_t[]){__VA_ARGS__}))
/* Appends the listed bytes: TU_PUT(&b, 0x60, 0x00, 0x00). */
#define TU_PUT(b, ...) tu_bytes((b), TU_ARR(__VA_ARGS__), TU_LEN(__VA_ARGS__))

/* Decodes b with opts (may be NULL); *m is set even on failure. */
enum wlab_status tu_decode(const struct tu_buf *b, const struct wlab_decode_options *opts,
			   struct wlab_module **m, struct wlab_error *err);

/* Fails the current test unless err holds exactly (st, offset, msg), or
 * a message that starts with msg's text before a final '*' ("type
 * mismatch*"); what names the case in the failure message. */
void tu_expect_error(const char *what, const struct wlab_error *err, enum wlab_status st,
		     size_t offset, const char *msg);
/* Fails the current test unless err holds no error. */
void tu_expect_ok(const char *what, const struct wlab_error *err);

/* The same checks for table rows: they print what differs and return false,
 * so a table reports every failing row before the test fails. */
bool tu_check_error(const char *what, const struct wlab_error *err, enum wlab_status st,
		    size_t offset, const char *msg);
bool tu_check_ok(const char *what, const struct wlab_error *err);
/* Prints "what: <formatted message>" and returns false. */
bool tu_row_failed(const char *what, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* Fails the current test when any of n rows failed. */
void tu_table_done(const char *table, size_t failed, size_t n);

/* text (len bytes) assembled with the text forms of features and flags
 * (wlab/wat.h) into *n bytes (free() them); fails the test on an error. */
uint8_t *tu_wat_assemble(const char *text, size_t len, uint32_t features, unsigned flags,
			 size_t *n);
/* The module bin (n bytes), decoded with features, printed with print
 * flags (wlab/watprint.h; free() it); fails the test on an error. */
char *tu_wat_print(const uint8_t *bin, size_t n, uint32_t features, unsigned flags);

#endif
