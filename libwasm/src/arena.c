/* arena.c: a bump allocator in chunks, with a cap on the bytes handed out. */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN 4096

struct chunk {
	struct chunk *next;
	size_t size, used;
	max_align_t data[];
};

struct wlab_arena {
	struct chunk *head;
	size_t cap, total;
};

struct wlab_arena *wlab_arena_new(size_t cap)
{
	struct wlab_arena *a = calloc(1, sizeof *a);
	if (a)
		a->cap = cap;
	return a;
}

void wlab_arena_free(struct wlab_arena *a)
{
	if (!a)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
	free(a);
}

void *wlab_arena_alloc(struct wlab_arena *a, size_t size)
{
	const size_t align = sizeof(max_align_t);
	if (size == 0)
		size = 1;
	if (size > SIZE_MAX / 2)
		return NULL;
	size = (size + align - 1) / align * align;
	if (a->cap && (size > a->cap || a->total > a->cap - size))
		return NULL;
	struct chunk *c = a->head;
	if (!c || c->size - c->used < size) {
		size_t csize = size > CHUNK_MIN ? size : CHUNK_MIN;
		c = malloc(sizeof *c + csize);
		if (!c)
			return NULL;
		c->size = csize;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += size;
	a->total += size;
	memset(p, 0, size);
	return p;
}

void *wlab_arena_array(struct wlab_arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	return wlab_arena_alloc(a, count * size);
}

size_t wlab_arena_used(const struct wlab_arena *a)
{
	return a->total;
}
