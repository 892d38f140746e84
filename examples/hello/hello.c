/* hello.c: the hello example: exports hello_from_c(name), which builds
 * "Hello, NAME!" and hands it to the host's imports.hello_from_js.
 *
 * Freestanding C for wasm32 (no libc). Strings cross the boundary as a
 * (pointer, length) pair of UTF-8 bytes in the exported memory; the host
 * gets room for its argument from the exported alloc(). */
#include <stddef.h>
#include <stdint.h>

#define IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))
#define EXPORT(name) __attribute__((export_name(name)))

IMPORT("imports", "hello_from_js")
void hello_from_js(const char *ptr, size_t len);

/* A bump allocator over a static arena: enough for an example. */
static unsigned char arena[64 * 1024];
static size_t arena_used;

EXPORT("alloc")
void *alloc(size_t size)
{
	size_t start = (arena_used + 7) & ~(size_t)7;
	if (size > sizeof arena - start)
		return NULL;
	arena_used = start + size;
	return &arena[start];
}

/* Forget every allocation (the host calls it between greetings). */
EXPORT("reset")
void reset(void)
{
	arena_used = 0;
}

static size_t append(char *dst, size_t at, const char *src, size_t len)
{
	for (size_t i = 0; i < len; i++)
		dst[at + i] = src[i];
	return at + len;
}

EXPORT("hello_from_c")
void hello_from_c(const char *name, size_t len)
{
	static const char prefix[] = "Hello, ";
	char *buf = alloc(sizeof prefix - 1 + len + 1);
	if (!buf)
		__builtin_trap();
	size_t n = append(buf, 0, prefix, sizeof prefix - 1);
	n = append(buf, n, name, len);
	buf[n++] = '!';
	hello_from_js(buf, n);
}
