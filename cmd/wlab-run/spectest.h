/* spectest.h: the state of one spec test script as spectest.c runs it,
 * shared with threads.c, which runs the threads proposal's (thread ...)
 * commands each in a script state of its own. */
#ifndef WLAB_RUN_SPECTEST_H
#define WLAB_RUN_SPECTEST_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "wlab/module.h"
#include "wlab/runtime.h"
#include "wlab/script.h"

enum { MAX_NAMES = 1024, MAX_MODULES = 8192 };

/* A named module: an instance, or a definition not yet instantiated. */
struct named {
	const char *name;
	struct wlab_instance *inst;
	const struct wlab_module *def;
	bool foreign;  /* a thread's (shared (module $M)): the starting script's */
};

struct sthread;

/* One script's state (or one thread's): its store, the modules it decoded
 * and their names, its counts, and the threads it started. */
struct script {
	int verbose;
	uint32_t features;  /* to decode and run the modules with */
	const char *file;   /* for FILE:LINE reports */
	const struct wlab_store_options *so;  /* the script's; a thread's store adds threads */
	struct wlab_store *store;
	struct wlab_instance *current;
	/* the last (module definition ...), named or not: what a (module
	 * instance) that names none instantiates, as in the spec interpreter */
	const struct wlab_module *last_def;
	struct named names[MAX_NAMES];
	int nnames;
	struct wlab_module *modules[MAX_MODULES];
	int nmodules;
	int passed, total;  /* commands, a joined thread's included */
	struct sthread *threads;  /* started and not yet joined, newest first */
	atomic_int *nthreads;  /* threads the whole file started (its first script's count) */
	char why[256];      /* why the last command failed */
};

/* spectest.c */
int define_spectest(struct wlab_store *s);
/* Sets sc->why; returns 0 (a failed command). */
int fail(struct script *sc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct named *find_named(struct script *sc, const char *name);
void name_it(struct script *sc, const char *name, struct wlab_instance *inst,
	     const struct wlab_module *def);
/* Runs s's commands in order, counting them in sc (and reporting each
 * failure as FILE:LINE with -v), until the last or --timeout. */
void script_cmds(struct script *sc, const struct wlab_script *s);
/* Joins sc's threads, then frees its store and modules (not sc). */
void script_fini(struct script *sc);

/* threads.c: (thread $T ...) starts a host thread that runs the commands;
 * (wait $T) joins it, adding its counts to sc's. 1 passed, 0 failed (why
 * set). */
enum { MAX_THREADS = 32 };  /* threads one script file may start, nested ones included */
int thread_start(struct script *sc, const struct wlab_script_cmd *c);
int thread_wait(struct script *sc, const struct wlab_script_cmd *c);
/* Joins every thread sc started and has not joined, in the order started. */
void threads_join_all(struct script *sc);
/* A thread's (register "as" $M) of a shared module: its memories only
 * (its functions, tables and globals belong to the starting script's store). */
void register_shared(struct wlab_store *s, const char *as, const struct wlab_instance *inst);

#endif
