/* url.c: the local file a URL names (url.h). Only files are read: a URL
 * with a scheme other than file: is refused, never fetched. A relative path
 * may lead out of the directory (../x.map), as a path given on the command
 * line may: the files are the user's own, not a sandbox's. */
#include "url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *url_path(const char *base, const char *url, size_t n, char *why, size_t why_size)
{
	const char *u = url;
	if (memchr(u, 0, n)) {
		snprintf(why, why_size, "the URL holds a NUL byte; not read");
		return NULL;
	}
	if (n >= 7 && !memcmp(u, "file://", 7)) {
		u += 7;
		n -= 7;
	} else {  /* a scheme: letters before a ':' that comes before any '/' (C:\ is a path) */
		const char *colon = memchr(u, ':', n);
		const char *slash = memchr(u, '/', n);
		if (colon && (!slash || colon < slash) && colon - u > 1) {
			snprintf(why, why_size, "%.*s: only local files are read", (int)n, u);
			return NULL;
		}
	}
	const char *dir_end = NULL;
	if ((n == 0 || u[0] != '/') && base)
		dir_end = strrchr(base, '/');
	size_t dn = dir_end ? (size_t)(dir_end - base) + 1 : 0;
	char *p = malloc(dn + n + 1);
	if (!p) {
		snprintf(why, why_size, "out of memory");
		return NULL;
	}
	memcpy(p, base ? base : "", dn);
	memcpy(p + dn, u, n);
	p[dn + n] = 0;
	return p;
}
