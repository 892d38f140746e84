/* rt_vmem.c: the bytes of linear memories, the one platform file.
 *
 * Where there is mmap (64-bit POSIX), a memory reserves address space for
 * its maximum size up front (PROT_NONE, MAP_NORESERVE: nothing committed)
 * and makes the first size bytes readable and writable; a grow makes more of
 * the reservation accessible in place. The kernel gives a zero page on the
 * first touch, so a grow costs time and resident memory only for the pages
 * the guest touches, and the base never moves. Elsewhere (wasm32, other
 * systems), or when a reservation fails, calloc and realloc with explicit
 * zeroing. Bounds checks stay explicit on both paths. */
#if !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE  /* MAP_ANONYMOUS, MAP_NORESERVE */
#endif
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

#if defined(__unix__) && !defined(__wasi__) && UINTPTR_MAX > 0xffffffffu
#include <sys/mman.h>
#define RT_HAVE_MMAP 1
#endif

bool rt_vmem_no_reserve;

enum wlab_status rt_vmem_init(struct rt_memory *m, uint64_t size, uint64_t max)
{
	m->reserved = 0;
#ifdef RT_HAVE_MMAP
	if (!rt_vmem_no_reserve && max < SIZE_MAX - RT_PAGE) {
		size_t len = (size_t)(max ? max : RT_PAGE);
		void *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			       -1, 0);
		if (p != MAP_FAILED) {
			if (!size || !mprotect(p, (size_t)size, PROT_READ | PROT_WRITE)) {
				m->data = p;
				m->size = size;
				m->reserved = len;
				return WLAB_OK;
			}
			munmap(p, len);
		}
	}
#else
	(void)max;
#endif
	if (size > SIZE_MAX)
		return WLAB_NOMEM;
	m->data = calloc(size ? (size_t)size : 1, 1);
	m->size = size;
	return m->data ? WLAB_OK : WLAB_NOMEM;
}

enum wlab_status rt_vmem_grow(struct rt_memory *m, uint64_t size)
{
#ifdef RT_HAVE_MMAP
	if (m->reserved) {
		if (size > m->reserved ||
		    mprotect(m->data + m->size, (size_t)(size - m->size), PROT_READ | PROT_WRITE))
			return WLAB_NOMEM;
		m->size = size;
		return WLAB_OK;
	}
#endif
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
#ifdef RT_HAVE_MMAP
	if (m->reserved) {
		munmap(m->data, (size_t)m->reserved);
		m->data = NULL;
		return;
	}
#endif
	free(m->data);
	m->data = NULL;
}
