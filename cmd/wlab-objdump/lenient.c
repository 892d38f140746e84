/* lenient.c: custom sections whose name cannot be read. The spec calls such
 * a module malformed, but wasm-objdump only reports the name and goes on:
 * it shows the section without a name. To do the same, we find those
 * sections and decode a copy of the file where each one's first payload
 * byte is 0 (an empty name, every offset unchanged). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "objdump.h"

/* An unsigned LEB128 of at most 5 bytes that fits 32 bits, or false. */
static bool read_leb(const uint8_t *p, size_t end, size_t *pos, uint32_t *out)
{
	uint64_t v = 0;
	for (int i = 0; i < 5; i++) {
		if (*pos >= end)
			return false;
		uint8_t b = p[(*pos)++];
		v |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			*out = (uint32_t)v;
			return v <= UINT32_MAX;
		}
	}
	return false;
}

/* Is the name at the start of a custom section's payload unreadable? */
static bool bad_name(const uint8_t *p, size_t start, size_t end)
{
	size_t pos = start;
	uint32_t len;
	if (!read_leb(p, end, &pos, &len) || len > end - pos)
		return true;
	return !wlab_utf8_valid(p + pos, len);
}

bool *objdump_find_bad_customs(const uint8_t *bytes, size_t size, uint8_t **patched)
{
	bool *bad = NULL;
	uint32_t nsec = 0, cap = 0;
	bool any = false;
	size_t pos = 8;
	*patched = NULL;
	while (size >= 8 && pos < size) {
		uint8_t id = bytes[pos++];
		uint32_t len;
		if (!read_leb(bytes, size, &pos, &len) || len > size - pos)
			break;
		if (nsec == cap) {
			cap = cap ? cap * 2 : 16;
			bool *nb = realloc(bad, sizeof(bool) * cap);
			if (!nb)
				break;
			bad = nb;
		}
		bad[nsec] = id == WLAB_SEC_CUSTOM && len > 0 && bad_name(bytes, pos, pos + len);
		any |= bad[nsec];
		nsec++;
		pos += len;
	}
	if (any)
		*patched = malloc(size);
	if (!*patched) {
		free(bad);
		return NULL;
	}
	memcpy(*patched, bytes, size);
	pos = 8;
	for (uint32_t k = 0; k < nsec; k++) {
		uint32_t len = 0;
		pos++;
		read_leb(bytes, size, &pos, &len);
		if (bad[k])
			(*patched)[pos] = 0;
		pos += len;
	}
	return bad;
}

void objdump_warn_bad_customs(const char *path, const uint8_t *bytes, size_t size,
			      const bool *bad)
{
	size_t pos = 8;
	for (uint32_t k = 0; pos < size; k++) {
		uint32_t len = 0;
		pos++;
		if (!read_leb(bytes, size, &pos, &len) || len > size - pos)
			break;
		if (bad[k])
			fprintf(stderr, "%s:0x%zx: warning: unreadable custom section name\n",
				path, pos);
		pos += len;
	}
}
