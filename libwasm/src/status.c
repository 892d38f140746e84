/* status.c: status names and the first-error-wins error record. */
#include <stdarg.h>
#include <stdio.h>

#include "wlab/status.h"

static const char *const status_names[] = {
	[WLAB_OK] = "ok",
	[WLAB_MALFORMED] = "malformed",
	[WLAB_INVALID] = "invalid",
	[WLAB_UNLINKABLE] = "unlinkable",
	[WLAB_TRAP] = "trap",
	[WLAB_NOMEM] = "out of memory",
	[WLAB_IO] = "i/o error",
	[WLAB_UNSUPPORTED] = "unsupported",
};

const char *wlab_status_name(enum wlab_status st)
{
	if ((unsigned)st < sizeof status_names / sizeof status_names[0])
		return status_names[st];
	return "unknown status";
}

enum wlab_status wlab_error_set(struct wlab_error *err, enum wlab_status st,
				size_t offset, const char *fmt, ...)
{
	if (!err)
		return st;
	if (err->status != WLAB_OK)
		return st;
	err->status = st;
	err->offset = offset;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return st;
}
