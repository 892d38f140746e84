/* threads.c: the threads proposal's script commands. (thread $T (shared
 * (module $M))* cmd*) runs its commands in a host thread of its own, with
 * a store of its own (wlab_store_options.threads) in which only the named
 * modules of the starting script are known; a shared memory is one object
 * that both stores reach, owned by the store that made it, which outlives
 * the thread: a script joins every thread it started before its store is
 * freed. (wait $T) joins; the thread's commands then count in the
 * script's. Its (register "name" $M) stays the thread's: the threads
 * proposal's thread.wast expects a module importing "name" in the script,
 * after the wait, to be unlinkable. A joiner wakes every JOIN_SLICE_MS to interrupt the thread's
 * store once --timeout has passed, so a thread that loops or waits forever
 * ends with the run. At most MAX_THREADS threads a file. Only the shared
 * modules' memories may be used from two threads at once: their functions,
 * tables and globals belong to one store, so a thread can neither invoke
 * them nor import them (register_shared). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "spectest.h"

void register_shared(struct wlab_store *s, const char *as, const struct wlab_instance *inst)
{
	const struct wlab_module *m = wlab_instance_module(inst);
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct wlab_export *e = &m->exports[i];
		char field[1024];
		struct wlab_extern x;
		if (e->kind != WLAB_EXTERN_MEMORY || e->name.len >= sizeof field)
			continue;
		memcpy(field, e->name.ptr, e->name.len);
		field[e->name.len] = 0;
		if (wlab_instance_export(inst, field, e->name.len, &x))
			wlab_store_define(s, as, field, x);
	}
}

#if !defined(__STDC_NO_THREADS__) && !defined(__wasi__)
#include <threads.h>
#include <time.h>

enum { JOIN_SLICE_MS = 20 };

struct sthread {
	const struct wlab_script_cmd *cmd;
	struct script sc;          /* the thread's own state */
	struct wlab_store_options so;
	thrd_t thrd;
	mtx_t lock;                /* guards done */
	cnd_t cond;
	bool done;
	struct sthread *next;
};

static int thread_main(void *arg)
{
	struct sthread *t = arg;
	script_cmds(&t->sc, t->cmd->thread);
	mtx_lock(&t->lock);
	t->done = true;
	cnd_broadcast(&t->cond);
	mtx_unlock(&t->lock);
	return 0;
}

static void thread_free(struct sthread *t)
{
	script_fini(&t->sc);
	mtx_destroy(&t->lock);
	cnd_destroy(&t->cond);
	free(t);
}

/* Waits for t to end (interrupting it once the time is up), then adds its
 * counts to sc's, and frees it. */
static void join(struct script *sc, struct sthread *t)
{
	mtx_lock(&t->lock);
	while (!t->done) {
		struct timespec until;
		if (timeout_expired())
			wlab_store_interrupt(t->sc.store);
		timespec_get(&until, TIME_UTC);
		until.tv_nsec += JOIN_SLICE_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L)
			until.tv_sec++, until.tv_nsec -= 1000000000L;
		cnd_timedwait(&t->cond, &t->lock, &until);
	}
	mtx_unlock(&t->lock);
	thrd_join(t->thrd, NULL);
	threads_join_all(&t->sc);  /* its own threads, counted in its counts */
	sc->passed += t->sc.passed;
	sc->total += t->sc.total;
	thread_free(t);
}

int thread_start(struct script *sc, const struct wlab_script_cmd *c)
{
	for (struct sthread *o = sc->threads; o; o = o->next)
		if (!strcmp(o->cmd->name, c->name))
			return fail(sc, "thread %s is running (no wait for it yet)", c->name);
	if (atomic_fetch_add(sc->nthreads, 1) >= MAX_THREADS)
		return fail(sc, "more than %d threads", MAX_THREADS);
	struct sthread *t = calloc(1, sizeof *t);
	if (!t)
		return fail(sc, "out of memory");
	t->cmd = c;
	t->so = *sc->so;
	t->so.threads = true;
	t->sc = (struct script){.verbose = sc->verbose, .features = sc->features,
				.file = sc->file, .so = &t->so, .nthreads = sc->nthreads};
	if (mtx_init(&t->lock, mtx_plain) != thrd_success) {
		free(t);
		return fail(sc, "out of memory");
	}
	if (cnd_init(&t->cond) != thrd_success) {
		mtx_destroy(&t->lock);
		free(t);
		return fail(sc, "out of memory");
	}
	t->sc.store = wlab_store_new(&t->so);
	if (!t->sc.store || define_spectest(t->sc.store)) {
		thread_free(t);
		return fail(sc, "out of memory");
	}
	for (uint32_t i = 0; i < c->nshared; i++) {
		struct named *n = find_named(sc, c->shared[i]);
		if (!n) {
			thread_free(t);
			return fail(sc, "no module %s to share", c->shared[i]);
		}
		if (t->sc.nnames < MAX_NAMES)
			t->sc.names[t->sc.nnames++] = (struct named){n->name, n->inst, n->def, true};
	}
	if (thrd_create(&t->thrd, thread_main, t) != thrd_success) {
		thread_free(t);
		return fail(sc, "cannot start a thread");
	}
	t->next = sc->threads;
	sc->threads = t;
	return 1;
}

int thread_wait(struct script *sc, const struct wlab_script_cmd *c)
{
	for (struct sthread **pp = &sc->threads; *pp; pp = &(*pp)->next) {
		struct sthread *t = *pp;
		if (!strcmp(t->cmd->name, c->name)) {
			*pp = t->next;
			join(sc, t);
			return 1;
		}
	}
	return fail(sc, "no thread %s running", c->name);
}

void threads_join_all(struct script *sc)
{
	while (sc->threads) {  /* oldest first: the list is newest first */
		struct sthread **pp = &sc->threads;
		while ((*pp)->next)
			pp = &(*pp)->next;
		struct sthread *t = *pp;
		*pp = NULL;
		join(sc, t);
	}
}
#else
int thread_start(struct script *sc, const struct wlab_script_cmd *c)
{
	(void)c;
	return fail(sc, "this build has no threads");
}

int thread_wait(struct script *sc, const struct wlab_script_cmd *c)
{
	return fail(sc, "no thread %s running", c->name);
}

void threads_join_all(struct script *sc)
{
	(void)sc;
}
#endif
