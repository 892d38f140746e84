/* timeout.c: --timeout SECONDS, a wall-clock limit. A POSIX timer raises
 * SIGALRM once the time is up; its handler asks the store to stop
 * (wlab_store_interrupt(), async-signal-safe), and the interpreter traps
 * with "interrupted" at the guest's next backward branch or call, which
 * wlab-run reports like timeout(1): exit 124. A guest that does not stop
 * within a second more is inside a host call that blocks (a read of a
 * terminal or a pipe): the timer's second tick ends the process from the
 * handler, exit 124 too. WASI has no signals or timers: there --timeout
 * is refused (wlab-run itself builds for wasm32-wasi, as a corpus program).
 * The testing modes (--spectest, --run-all-exports, --fuzzing-support) run
 * one timer over the whole run: each store they make is watched in turn
 * (timeout_watch), and they stop at the first command or export after the
 * time is up. */
#ifdef __wasi__
#include <stdio.h>

#include "run.h"

int timeout_start(struct wlab_store *s, double seconds)
{
	(void)s;
	(void)seconds;
	fputs("wlab-run: --timeout: this build has no timers (WASI has no signals)\n", stderr);
	return EXIT_ERR;
}

void timeout_stop(void)
{
}

void timeout_watch(struct wlab_store *s)
{
	(void)s;
}

bool timeout_expired(void)
{
	return false;
}
#else
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

static struct wlab_store *volatile timed_store;
static volatile sig_atomic_t ticks;
static timer_t timer;
static bool armed;

static void on_alarm(int sig)
{
	static const char msg[] =
		"wlab-run: --timeout: the guest is in a host call that does not return; stopped\n";
	(void)sig;
	if (ticks++ == 0) {
		if (timed_store)
			wlab_store_interrupt(timed_store);
		return;
	}
	if (write(2, msg, sizeof msg - 1) < 0)
		_exit(EXIT_TIMEOUT);
	_exit(EXIT_TIMEOUT);
}

int timeout_start(struct wlab_store *s, double seconds)
{
	struct sigaction sa = {.sa_handler = on_alarm};
	struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM};
	time_t whole = (time_t)seconds;
	struct itimerspec its = {
		.it_value = {whole, (long)((seconds - (double)whole) * 1e9)},
		.it_interval = {1, 0},
	};
	if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
		its.it_value.tv_nsec = 1;
	timed_store = s;
	ticks = 0;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) || timer_create(CLOCK_MONOTONIC, &ev, &timer)) {
		perror("wlab-run: --timeout");
		return EXIT_ERR;
	}
	armed = true;
	if (timer_settime(timer, 0, &its, NULL)) {
		perror("wlab-run: --timeout");
		return EXIT_ERR;
	}
	return 0;
}

void timeout_watch(struct wlab_store *s)
{
	timed_store = s;
	if (s && ticks > 0)  /* the time was up before s existed */
		wlab_store_interrupt(s);
}

void timeout_stop(void)
{
	if (armed)
		timer_delete(timer);
	armed = false;
	timed_store = NULL;
}

bool timeout_expired(void)
{
	return ticks > 0;
}
#endif
