/* platform.c: the host system's services that are not C11 (platform.h), the
 * one file that knows which system it is built for. A 64-bit POSIX host has
 * mmap (linear memories reserve their maximum size and grow in place) and
 * getrandom; wasm32 with wasi-libc has neither mmap worth using nor
 * getrandom, but getentropy (at most 256 bytes a call). */
#if !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE  /* MAP_ANONYMOUS, MAP_NORESERVE, getrandom */
#endif
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "platform.h"

#if defined(__unix__) && !defined(__wasi__) && UINTPTR_MAX > 0xffffffffu
#include <sys/mman.h>
#include <sys/random.h>

void *wlab_pf_reserve(size_t len)
{
	void *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

bool wlab_pf_commit(void *p, size_t len)
{
	return len == 0 || mprotect(p, len, PROT_READ | PROT_WRITE) == 0;
}

void wlab_pf_release(void *p, size_t len)
{
	munmap(p, len);
}

int wlab_pf_random(void *buf, size_t n)
{
	for (size_t done = 0; done < n;) {
		ssize_t k = getrandom((char *)buf + done, n - done, 0);
		if (k < 0 && errno != EINTR)
			return errno;
		if (k > 0)
			done += (size_t)k;
	}
	return 0;
}

#else  /* wasm32 (wasi-libc) and other systems: no reservations */
#include <unistd.h>

void *wlab_pf_reserve(size_t len)
{
	(void)len;
	return NULL;
}

bool wlab_pf_commit(void *p, size_t len)
{
	(void)p;
	(void)len;
	return false;
}

void wlab_pf_release(void *p, size_t len)
{
	(void)p;
	(void)len;
}

int wlab_pf_random(void *buf, size_t n)
{
	for (size_t done = 0; done < n;) {
		size_t k = n - done < 256 ? n - done : 256;
		if (getentropy((char *)buf + done, k) != 0)
			return errno;
		done += k;
	}
	return 0;
}
#endif
