/* atomics.c: C11 atomics and a spin lock, for the corpus's threads modules (-matomics, shared memory). */
#include <stdatomic.h>
#include <stdint.h>

static _Atomic int counter;
static _Atomic uint64_t total;
static atomic_flag lock = ATOMIC_FLAG_INIT;
static int guarded[16];

int bump(int by)
{
	return atomic_fetch_add_explicit(&counter, by, memory_order_seq_cst) + by;
}

uint64_t add_total(uint64_t v)
{
	uint64_t old = atomic_load(&total);
	while (!atomic_compare_exchange_weak(&total, &old, old + v))
		;
	return old + v;
}

int swap_counter(int v) { return atomic_exchange(&counter, v); }

int guarded_store(int i, int v)
{
	while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire))
		;
	guarded[i & 15] = v;
	int sum = 0;
	for (int k = 0; k < 16; k++)
		sum += guarded[k];
	atomic_flag_clear_explicit(&lock, memory_order_release);
	return sum;
}

int wait_for(int *addr, int expect)
{
	return __builtin_wasm_memory_atomic_wait32(addr, expect, 0);
}

unsigned wake(int *addr, unsigned n) { return __builtin_wasm_memory_atomic_notify(addr, n); }

void fill(char *p, int c, unsigned long n)
{
	__builtin_memset(p, c, n);
}

void copy(char *d, const char *s, unsigned long n) { __builtin_memcpy(d, s, n); }
