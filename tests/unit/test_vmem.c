/* test_vmem.c: linear memory's bytes (rt_vmem.c) on both paths, the
 * reservation (where the platform has mmap) and calloc/realloc: new bytes
 * are zero, old ones survive a grow, growth stops at the maximum; on the
 * reservation path the base never moves and a grow to 4 GiB is cheap.
 * And the store's stack arrays (rt_vmem_array_new) on both paths: usable
 * from end to end, and where reserved, a write just past either end
 * faults (in a child process). */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "rt/rt_internal.h"
#include "wlab/runtime.h"

static bool all_zero(const uint8_t *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* A memory of 1 page, max 8: written, grown by 3, then 4, then refused. */
static void grow_keeps(bool no_reserve)
{
	rt_vmem_no_reserve = no_reserve;
	struct wlab_store *s = wlab_store_new(NULL);
	struct rt_memory *m = wlab_memory_new(s, 1, true, 8);
	uint64_t size = 0, old = 0;
	assert_non_null(m);
	uint8_t *p = wlab_memory_data(m, &size);
	assert_int_equal(size, RT_PAGE);
	assert_true(all_zero(p, size));
	memset(p, 0xab, size);
	assert_int_equal(rt_memory_grow(m, 3, &old), WLAB_OK);
	assert_int_equal(old, 1);
	p = wlab_memory_data(m, &size);
	assert_int_equal(size, 4 * RT_PAGE);
	assert_int_equal(p[0], 0xab);
	assert_int_equal(p[RT_PAGE - 1], 0xab);
	assert_true(all_zero(p + RT_PAGE, 3 * RT_PAGE));
	assert_int_equal(rt_memory_grow(m, 4, &old), WLAB_OK);
	assert_int_equal(old, 4);
	assert_int_equal(rt_memory_grow(m, 1, &old), WLAB_NOMEM);
	p = wlab_memory_data(m, &size);
	assert_int_equal(size, 8 * RT_PAGE);
	p[size - 1] = 7;
	assert_int_equal(p[size - 1], 7);
	if (no_reserve)
		assert_int_equal(m->reserved, 0);
	wlab_store_free(s);
	rt_vmem_no_reserve = false;
}

static void test_reserved(void **state)
{
	(void)state;
	grow_keeps(false);
}

static void test_fallback(void **state)
{
	(void)state;
	grow_keeps(true);
}

/* memory 0 pages, no maximum: a grow to 4 GiB; where it is reserved the
 * base does not move, and touching the last page works. */
static void test_grow_4g(void **state)
{
	(void)state;
	struct wlab_store *s = wlab_store_new(NULL);
	struct rt_memory *m = wlab_memory_new(s, 0, false, 0);
	uint64_t size = 0, old = 0;
	assert_non_null(m);
	uint8_t *base = wlab_memory_data(m, &size);
	assert_int_equal(size, 0);
	if (!m->reserved) {  /* no mmap here: the fallback would zero 4 GiB */
		wlab_store_free(s);
		skip();
	}
	assert_int_equal(rt_memory_grow(m, 65536, &old), WLAB_OK);
	uint8_t *p = wlab_memory_data(m, &size);
	assert_ptr_equal(p, base);
	assert_int_equal(size, 65536ull * RT_PAGE);
	assert_int_equal(p[size - 1], 0);
	p[size - 1] = 1;
	assert_int_equal(p[size - 1], 1);
	assert_int_equal(rt_memory_grow(m, 1, &old), WLAB_NOMEM);  /* past 4 GiB */
	wlab_store_free(s);
}

/* A budget above 4 GiB is kept: a memory64 memory may pass 4 GiB under
 * it, a 32-bit memory stops at 65,536 pages. By default a memory64 memory
 * may pass 4 GiB by the budget's slack. */
static void test_memory64_past_4g(void **state)
{
	(void)state;
	struct wlab_store *s = wlab_store_new(&(struct wlab_store_options){.max_memory = 6ull << 30});
	assert_non_null(s);
	assert_true(rt_memory_cap(s, false) == 65536);
	assert_true(rt_memory_cap(s, true) == (6ull << 30) / RT_PAGE);
	struct rt_memory *m32 = wlab_memory_new_limits(s, &(struct wlab_limits){.min = 1});
	assert_non_null(m32);
	assert_false(rt_memory_grow_fits(m32, 65536));
	assert_true(rt_memory_grow_fits(m32, 65535));
	struct rt_memory *m = wlab_memory_new_limits(s, &(struct wlab_limits){.min = 1, .is64 = true});
	assert_non_null(m);
	uint64_t size = 0, old = 0;
	uint8_t *base = wlab_memory_data(m, &size);
	if (m->reserved) {  /* else the fallback would zero 5 GiB */
		assert_int_equal(rt_memory_grow(m, 5 * 16384, &old), WLAB_OK);
		uint8_t *p = wlab_memory_data(m, &size);
		assert_ptr_equal(p, base);
		assert_true(size == (5 * 16384 + 1ull) * RT_PAGE);
		assert_int_equal(p[size - 1], 0);
		p[size - 1] = 1;
		assert_int_equal(p[size - 1], 1);
		assert_int_equal(rt_memory_grow(m, 16384, &old), WLAB_NOMEM);  /* past 6 GiB */
	}
	wlab_store_free(s);
	s = wlab_store_new(NULL);
	assert_non_null(s);
	assert_true(rt_memory_cap(s, false) == 65536);
	assert_true(rt_memory_cap(s, true) > 65536);
	assert_true(rt_memory_cap(s, true) < 65536 + 65536 / 8);
	wlab_store_free(s);
}

#ifdef RT_THREADS
#include <stdatomic.h>
#include <threads.h>

enum { GROWS = 200 };  /* each thread's, of one page */

struct grower {
	struct rt_memory *m;
	uint64_t olds[GROWS];
};

static atomic_int ready;  /* threads at the start line */

static int grow_pages(void *arg)
{
	struct grower *g = arg;
	atomic_fetch_add(&ready, 1);
	while (atomic_load(&ready) < 2)
		thrd_yield();
	for (int i = 0; i < GROWS; i++)
		if (rt_memory_grow(g->m, 1, &g->olds[i]) != WLAB_OK)
			return 1;
	return 0;
}

/* A shared memory grown a page at a time from two threads at once: every
 * grow is kept, and each saw a size of its own (no two grew from the same
 * size, which unlocked grows do: 7 runs of this test in 8 failed without the lock). */
static void shared_grows(void)
{
	struct wlab_store *s = wlab_store_new(NULL);
	struct rt_memory *m = wlab_shared_memory_new(s, 1, 1 + 2 * GROWS);
	assert_non_null(m);
	if (!m->reserved) {
		wlab_store_free(s);
		skip();
	}
	static struct grower g[2];
	thrd_t t[2];
	atomic_store(&ready, 0);
	for (int i = 0; i < 2; i++) {
		g[i].m = m;
		assert_int_equal(thrd_create(&t[i], grow_pages, &g[i]), thrd_success);
	}
	for (int i = 0; i < 2; i++) {
		int rc = 1;
		assert_int_equal(thrd_join(t[i], &rc), thrd_success);
		assert_int_equal(rc, 0);
	}
	uint64_t size = 0;
	wlab_memory_data(m, &size);
	assert_int_equal(size, (1 + 2 * GROWS) * (uint64_t)RT_PAGE);
	static bool seen[1 + 2 * GROWS];
	memset(seen, 0, sizeof seen);
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < GROWS; j++) {
			uint64_t o = g[i].olds[j];
			assert_true(o >= 1 && o <= 2 * GROWS);
			assert_false(seen[o]);
			seen[o] = true;
		}
	wlab_store_free(s);
}

static void test_shared_grows(void **state)
{
	(void)state;
	for (int round = 0; round < 20; round++)
		shared_grows();
}

/* The budget of the store that made a shared memory, taken from by a grow
 * in one thread and by that store's own thread at once: every byte taken
 * is counted once, and the budget is never passed. */
struct taker {
	struct wlab_store *s;
	struct rt_memory *m;  /* grows it a page at a time, or NULL: takes pages */
	uint32_t got;
};

static int take_pages(void *arg)
{
	struct taker *t = arg;
	atomic_fetch_add(&ready, 1);
	while (atomic_load(&ready) < 2)
		;
	uint64_t old;
	while (t->m ? rt_memory_grow(t->m, 1, &old) == WLAB_OK : rt_budget_take(t->s, RT_PAGE))
		t->got++;
	return 0;
}

static void test_shared_budget(void **state)
{
	(void)state;
	for (int round = 0; round < 20; round++) {
		struct wlab_store *s = wlab_store_new(&(struct wlab_store_options){
			.max_memory = 4096 * 8 + 256 * 24 + 2000 * (uint64_t)RT_PAGE,
			.stack_slots = 4096, .max_call_depth = 256});
		assert_non_null(s);
		struct rt_memory *m = wlab_shared_memory_new(s, 1, 3000);
		assert_non_null(m);
		if (!m->reserved) {
			wlab_store_free(s);
			skip();
		}
		uint64_t left = rt_budget_left(s);
		static struct taker t[2];
		t[0] = (struct taker){.s = s, .m = m};
		t[1] = (struct taker){.s = s};
		thrd_t th[2];
		atomic_store(&ready, 0);
		for (int i = 0; i < 2; i++)
			assert_int_equal(thrd_create(&th[i], take_pages, &t[i]), thrd_success);
		for (int i = 0; i < 2; i++)
			assert_int_equal(thrd_join(th[i], NULL), thrd_success);
		assert_true(rt_budget_left(s) < RT_PAGE);
		assert_true((t[0].got + t[1].got) * (uint64_t)RT_PAGE == left - rt_budget_left(s));
		uint64_t size = 0;
		wlab_memory_data(m, &size);
		assert_true(size == (1 + t[0].got) * (uint64_t)RT_PAGE);
		wlab_store_free(s);
	}
}

/* A shared memory that is not reserved (malloc'd) would move when grown,
 * under the other threads: its grow fails and it stays where it is. */
static void test_shared_unreserved(void **state)
{
	(void)state;
	rt_vmem_no_reserve = true;
	struct wlab_store *s = wlab_store_new(NULL);
	struct rt_memory *m = wlab_shared_memory_new(s, 1, 4);
	rt_vmem_no_reserve = false;
	assert_non_null(m);
	uint64_t size = 0, old = 9;
	uint8_t *p = wlab_memory_data(m, &size);
	assert_int_equal(rt_memory_grow(m, 1, &old), WLAB_NOMEM);
	assert_int_equal(old, 1);
	assert_int_equal(rt_memory_grow(m, 0, &old), WLAB_OK);
	assert_ptr_equal(wlab_memory_data(m, &size), p);
	assert_int_equal(size, RT_PAGE);
	wlab_store_free(s);
}
#endif

/* Whether writing p[at] kills a child process (a fault, or the sanitizer's
 * report of one) rather than letting it exit 0. */
static bool write_faults(uint8_t *p, ptrdiff_t at)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(2);  /* the sanitizer's SEGV report is expected */
		/* cmocka's handler would catch the fault, count a failed test
		 * and run the rest of the tests in this child */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		((volatile uint8_t *)p)[at] = 1;
		_exit(0);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* An array of an odd size (not a multiple of any page) on both paths. */
static void arrays(bool no_reserve)
{
	rt_vmem_no_reserve = no_reserve;
	size_t n = 3 * RT_PAGE + 1000, mapped = 1;
	uint8_t *a = rt_vmem_array_new(n, &mapped);
	assert_non_null(a);
	memset(a, 0x5a, n);
	assert_int_equal(a[0], 0x5a);
	assert_int_equal(a[n - 1], 0x5a);
	if (no_reserve) {
		assert_int_equal(mapped, 0);
	} else if (mapped) {
		assert_true(write_faults(a, (ptrdiff_t)n));  /* the end lies against the guard */
		assert_true(write_faults(a, -(ptrdiff_t)(RT_PAGE - 1000) - 1));  /* the front guard */
		assert_false(write_faults(a, (ptrdiff_t)n - 1));
	}
	rt_vmem_array_free(a, n, mapped);
	/* and a store on that path runs */
	struct wlab_store *s = wlab_store_new(NULL);
	assert_non_null(s);
	assert_int_equal(s->stack_mapped == 0, no_reserve || !mapped);
	s->stack[s->opts.stack_slots - 1] = 1;
	s->frames[s->opts.max_call_depth].pc = NULL;
	wlab_store_free(s);
	rt_vmem_no_reserve = false;
}

static void test_arrays_reserved(void **state)
{
	(void)state;
	arrays(false);
}

static void test_arrays_fallback(void **state)
{
	(void)state;
	arrays(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reserved),
		cmocka_unit_test(test_fallback),
		cmocka_unit_test(test_grow_4g),
		cmocka_unit_test(test_memory64_past_4g),
#ifdef RT_THREADS
		cmocka_unit_test(test_shared_grows),
		cmocka_unit_test(test_shared_unreserved),
		cmocka_unit_test(test_shared_budget),
#endif
		cmocka_unit_test(test_arrays_reserved),
		cmocka_unit_test(test_arrays_fallback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
