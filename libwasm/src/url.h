/* url.h: the local file a URL names (url.c), for the URLs of
 * external_debug_info and sourceMappingURL (debuginfo.c) and of an index
 * source map's sections (sourcemap.c). */
#ifndef WLAB_URL_INTERNAL_H
#define WLAB_URL_INTERNAL_H

#include <stddef.h>

/* The path url (n bytes, not NUL-terminated) names, as a malloc'd string: a
 * relative path is found in the directory of base (the file holding the
 * URL; NULL: the current directory), an absolute one as it is, a file://
 * prefix is dropped; another scheme (http:, data:...) is refused. NULL when
 * refused or out of memory, with why (why_size bytes) saying which. */
char *url_path(const char *base, const char *url, size_t n, char *why, size_t why_size);

#endif
