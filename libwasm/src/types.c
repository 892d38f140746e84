/* types.c: names of value, reference and heap types (wlab/types.h). */
#include <stdio.h>

#include "wlab/module.h"
#include "wlab/types.h"

const char *wlab_heap_name(wlab_heaptype_t h)
{
	switch (h) {
#define WLAB_HEAPTYPE(code, cname, name, shorthand) case code: return name;
#include "wlab/heaptypes.def"
#undef WLAB_HEAPTYPE
	default:
		return NULL;
	}
}

static const char *shorthand(wlab_heaptype_t h)
{
	switch (h) {
#define WLAB_HEAPTYPE(code, cname, name, sh) case code: return sh;
#include "wlab/heaptypes.def"
#undef WLAB_HEAPTYPE
	default:
		return NULL;
	}
}

char *wlab_type_str(wlab_valtype_t t, char *buf, size_t size)
{
	if (!size)
		return buf;
	if (!wlab_type_is_ref(t)) {
		const char *n = t < 0x100 ? wlab_valtype_name((uint8_t)t) : NULL;
		if (!n)
			n = t == WLAB_PACKED_I8 ? "i8" : t == WLAB_PACKED_I16 ? "i16" : NULL;
		if (n)
			snprintf(buf, size, "%s", n);
		else
			snprintf(buf, size, "<type 0x%x>", (unsigned)t);
		return buf;
	}
	wlab_heaptype_t h = wlab_ref_heap(t);
	bool null = wlab_ref_nullable(t);
	if (null && !wlab_heap_is_concrete(h)) {
		snprintf(buf, size, "%s", shorthand(h));
	} else if (wlab_heap_is_concrete(h)) {
		snprintf(buf, size, "(ref %s%u)", null ? "null " : "", (unsigned)wlab_heap_index(h));
	} else {
		const char *n = wlab_heap_name(h);
		snprintf(buf, size, "(ref %s%s)", null ? "null " : "", n ? n : "?");
	}
	return buf;
}
