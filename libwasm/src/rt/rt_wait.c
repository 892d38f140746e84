/* rt_wait.c: memory.atomic.wait and notify across host threads. Each
 * shared memory has a queue of waiters (one lock, one condition); a wait
 * compares and enqueues under the lock, so a notify made after the value
 * changed cannot be missed, and notify wakes the first count waiters on
 * its address, oldest first. A waiter wakes every RT_WAIT_SLICE_MS to see
 * whether its store was interrupted (wlab_store_interrupt, which a signal
 * handler may call: it cannot signal a condition), so --timeout ends a
 * wait that nobody would end. Without C11 threads (wasm32-wasi) there is
 * no queue and rt_atomic.c keeps the one-thread behaviour. */
#include "rt_internal.h"

#ifdef RT_THREADS
#include <stdlib.h>
#include <threads.h>
#include <time.h>

enum { RT_WAIT_SLICE_MS = 20 };

struct waiter {
	const uint8_t *addr;
	bool woken;
	struct waiter *next;
};

struct rt_waitq {
	mtx_t lock;
	cnd_t cond;
	struct waiter *head, *tail;  /* oldest first */
};

struct rt_waitq *rt_waitq_new(void)
{
	struct rt_waitq *q = calloc(1, sizeof *q);
	if (!q)
		return NULL;
	if (mtx_init(&q->lock, mtx_plain) != thrd_success) {
		free(q);
		return NULL;
	}
	if (cnd_init(&q->cond) != thrd_success) {
		mtx_destroy(&q->lock);
		free(q);
		return NULL;
	}
	return q;
}

void rt_waitq_free(struct rt_waitq *q)
{
	if (!q)
		return;
	cnd_destroy(&q->cond);
	mtx_destroy(&q->lock);
	free(q);
}

void rt_waitq_lock(struct rt_waitq *q) { mtx_lock(&q->lock); }
void rt_waitq_unlock(struct rt_waitq *q) { mtx_unlock(&q->lock); }

/* Takes w out of q's list (it is there). */
static void unlink_waiter(struct rt_waitq *q, struct waiter *w)
{
	struct waiter **pp = &q->head, *prev = NULL;
	while (*pp != w)
		prev = *pp, pp = &(*pp)->next;
	*pp = w->next;
	if (q->tail == w)
		q->tail = prev;
}

/* now + ns, as cnd_timedwait's absolute TIME_UTC time. */
static struct timespec later(const struct timespec *now, uint64_t ns)
{
	struct timespec t = *now;
	uint64_t sec = ns / 1000000000u;
	t.tv_sec += (time_t)(sec > (uint64_t)INT32_MAX ? INT32_MAX : sec);
	t.tv_nsec += (long)(ns % 1000000000u);
	if (t.tv_nsec >= 1000000000L)
		t.tv_sec++, t.tv_nsec -= 1000000000L;
	return t;
}

static bool before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static uint64_t load(const uint8_t *p, uint32_t n)
{
	if (n == 8)
		return __atomic_load_n((const uint64_t *)(const void *)p, __ATOMIC_SEQ_CST);
	return __atomic_load_n((const uint32_t *)(const void *)p, __ATOMIC_SEQ_CST);
}

enum wlab_trap rt_wait(struct wlab_store *s, struct rt_waitq *q, const uint8_t *p, uint32_t n,
		       uint64_t expected, int64_t timeout, uint64_t *result)
{
	struct waiter w = {.addr = p};
	struct timespec now, deadline, until;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	timespec_get(&now, TIME_UTC);
	deadline = later(&now, timeout < 0 ? UINT64_MAX : (uint64_t)timeout);
	mtx_lock(&q->lock);
	if (load(p, n) != expected) {
		mtx_unlock(&q->lock);
		*result = 1;  /* not-equal */
		return WLAB_TRAP_NONE;
	}
	if (q->tail)
		q->tail->next = &w;
	else
		q->head = &w;
	q->tail = &w;
	*result = 0;  /* ok: woken */
	while (!w.woken) {
		if (atomic_load_explicit(&s->attn, memory_order_relaxed) & RT_ATTN_INTERRUPT) {
			atomic_fetch_and_explicit(&s->attn, ~RT_ATTN_INTERRUPT, memory_order_relaxed);
			trap = WLAB_TRAP_INTERRUPTED;
			break;
		}
		timespec_get(&now, TIME_UTC);
		if (!before(&now, &deadline)) {
			*result = 2;  /* timed-out */
			break;
		}
		until = later(&now, RT_WAIT_SLICE_MS * 1000000u);
		if (before(&deadline, &until))
			until = deadline;
		cnd_timedwait(&q->cond, &q->lock, &until);
	}
	if (!w.woken)
		unlink_waiter(q, &w);
	mtx_unlock(&q->lock);
	return trap;
}

uint32_t rt_notify(struct rt_waitq *q, const uint8_t *p, uint32_t count)
{
	uint32_t woken = 0;
	mtx_lock(&q->lock);
	for (struct waiter *w = q->head, *next; w && woken < count; w = next) {
		next = w->next;
		if (w->addr != p)
			continue;
		unlink_waiter(q, w);
		w->woken = true;
		woken++;
	}
	if (woken)
		cnd_broadcast(&q->cond);
	mtx_unlock(&q->lock);
	return woken;
}
#else
struct rt_waitq *rt_waitq_new(void)
{
	return NULL;
}

void rt_waitq_free(struct rt_waitq *q)
{
	(void)q;
}
#endif
