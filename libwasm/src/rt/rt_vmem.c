/* rt_vmem.c: the bytes of linear memories, and the arrays of a store's stacks.
 *
 * Where the platform can reserve address space (platform.h: mmap on 64-bit
 * POSIX), a memory reserves its maximum size up front (nothing committed)
 * and makes the first size bytes readable and writable; a grow makes more of
 * the reservation accessible in place. The kernel gives a zero page on the
 * first touch, so a grow costs time and resident memory only for the pages
 * the guest touches, and the base never moves. Elsewhere (wasm32, other
 * systems), or when a reservation fails, calloc and realloc with explicit
 * zeroing. Bounds checks stay explicit on both paths. */
#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "rt_internal.h"

bool rt_vmem_no_reserve;

enum wlab_status rt_vmem_init(struct rt_memory *m, uint64_t size, uint64_t max)
{
	m->reserved = 0;
	if (!rt_vmem_no_reserve && max < SIZE_MAX - RT_PAGE) {
		size_t len = (size_t)(max ? max : RT_PAGE);
		uint8_t *p = wlab_pf_reserve(len);
		if (p && wlab_pf_commit(p, (size_t)size)) {
			m->data = p;
			m->size = size;
			m->reserved = len;
			return WLAB_OK;
		}
		if (p)
			wlab_pf_release(p, len);
	}
	if (size > SIZE_MAX)
		return WLAB_NOMEM;
	m->data = calloc(size ? (size_t)size : 1, 1);
	m->size = size;
	return m->data ? WLAB_OK : WLAB_NOMEM;
}

enum wlab_status rt_vmem_grow(struct rt_memory *m, uint64_t size)
{
	if (m->reserved) {
		if (size > m->reserved ||
		    !wlab_pf_commit(m->data + m->size, (size_t)(size - m->size)))
			return WLAB_NOMEM;
		m->size = size;
		return WLAB_OK;
	}
	if (size > SIZE_MAX)
		return WLAB_NOMEM;
	uint8_t *data = realloc(m->data, (size_t)size);
	if (!data)
		return WLAB_NOMEM;
	memset(data + m->size, 0, (size_t)(size - m->size));
	m->data = data;
	m->size = size;
	return WLAB_OK;
}

void rt_vmem_free(struct rt_memory *m)
{
	if (m->reserved) {
		wlab_pf_release(m->data, (size_t)m->reserved);
		m->data = NULL;
		return;
	}
	free(m->data);
	m->data = NULL;
}

/* The guard regions around a reserved array: a wasm page, a multiple of the
 * system's page size wherever reservations are used. */
#define ARRAY_GUARD ((size_t)RT_PAGE)

void *rt_vmem_array_new(size_t n, size_t *mapped)
{
	size_t span = n / ARRAY_GUARD * ARRAY_GUARD + (n % ARRAY_GUARD ? ARRAY_GUARD : 0);
	*mapped = 0;
	if (!rt_vmem_no_reserve && n && n <= SIZE_MAX - 3 * ARRAY_GUARD) {
		uint8_t *p = wlab_pf_reserve(span + 2 * ARRAY_GUARD);
		if (p && wlab_pf_commit(p + ARRAY_GUARD, span)) {
			*mapped = span + 2 * ARRAY_GUARD;
			return p + ARRAY_GUARD + (span - n);
		}
		if (p)
			wlab_pf_release(p, span + 2 * ARRAY_GUARD);
	}
	return malloc(n ? n : 1);
}

void rt_vmem_array_free(void *a, size_t n, size_t mapped)
{
	if (!mapped) {
		free(a);
		return;
	}
	/* a = base + guard + (span - n), mapped = span + 2 guards */
	wlab_pf_release((uint8_t *)a - (mapped - ARRAY_GUARD - n), mapped);
}
