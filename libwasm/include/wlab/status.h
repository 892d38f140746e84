/* wlab/status.h: result codes and the error record every libwasm call fills. */
#ifndef WLAB_STATUS_H
#define WLAB_STATUS_H

#include <stddef.h>
#include "wlab/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Mirrors the spec testsuite's assertion kinds. */
enum wlab_status {
	WLAB_OK = 0,
	WLAB_MALFORMED,   /* the bytes are not a module (assert_malformed) */
	WLAB_INVALID,     /* decodes but does not validate (assert_invalid) */
	WLAB_UNLINKABLE,  /* imports cannot be resolved (assert_unlinkable) */
	WLAB_TRAP,        /* the guest trapped */
	WLAB_NOMEM,       /* an allocation failed or passed its cap */
	WLAB_IO,          /* a host file could not be read or written */
	WLAB_UNSUPPORTED, /* valid, but this build does not implement it yet */
};

#define WLAB_MESSAGE_MAX 256

/* The first error wins: once status is set, later errors are ignored. */
struct wlab_error {
	enum wlab_status status;
	size_t offset;                   /* byte offset in the module */
	char message[WLAB_MESSAGE_MAX];  /* spec testsuite wording */
};

WLAB_API const char *wlab_status_name(enum wlab_status st);

/* Records an error unless one is already recorded; returns err->status. */
WLAB_API enum wlab_status wlab_error_set(struct wlab_error *err, enum wlab_status st,
					 size_t offset, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

#ifdef __cplusplus
}
#endif

#endif
