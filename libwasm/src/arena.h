/* arena.h: the allocator every module uses; one free releases it all. */
#ifndef WLAB_ARENA_H
#define WLAB_ARENA_H

#include <stddef.h>

struct wlab_arena;

/* cap: most bytes the arena may hand out in all (0 = no cap). */
struct wlab_arena *wlab_arena_new(size_t cap);
void wlab_arena_free(struct wlab_arena *a);
/* Zeroed memory, or NULL when out of memory or past the cap. */
void *wlab_arena_alloc(struct wlab_arena *a, size_t size);
/* count * size zeroed bytes, checking the product for overflow. */
void *wlab_arena_array(struct wlab_arena *a, size_t count, size_t size);
size_t wlab_arena_used(const struct wlab_arena *a);

#endif
