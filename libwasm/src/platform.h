/* platform.h: what libwasm takes from the host system beyond C11's libc and
 * libm, in one place (platform.c): address space that is reserved first and
 * made accessible later (mmap), and random bytes. Everything else in libwasm
 * is plain C11 and builds as it is for a POSIX host and for wasm32 (wasi-libc,
 * `make web`). */
#ifndef WLAB_PLATFORM_H
#define WLAB_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

/* Reserves len bytes of address space, none of them accessible yet; NULL
 * where the platform cannot (no mmap, a 32-bit address space) or when the
 * reservation fails: the caller then allocates with calloc/realloc. */
void *wlab_pf_reserve(size_t len);
/* Makes len bytes at p, inside a reservation, readable and writable (bytes
 * never written read as zero); false when it fails. */
bool wlab_pf_commit(void *p, size_t len);
/* Gives back a whole reservation. */
void wlab_pf_release(void *p, size_t len);

/* Fills buf with n random bytes from the system; 0, else an errno value. */
int wlab_pf_random(void *buf, size_t n);

#endif
