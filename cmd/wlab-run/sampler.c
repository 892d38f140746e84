/* sampler.c: --profile-clock cpu|wall: a POSIX timer on the process's CPU
 * clock (CLOCK_PROCESS_CPUTIME_ID) or on the monotonic clock raises SIGPROF
 * every --profile-interval milliseconds; its handler adds a sample to the
 * store's profile (wlab_store_profile_tick: one lock-free atomic add,
 * async-signal-safe), or as many as the timer expired since its last
 * signal (timer_getoverrun: Linux checks CPU timers at its scheduler's
 * tick, 1-4 ms, so a shorter interval expires several times a signal),
 * which the interpreter charges to the call stack
 * running at its next instruction. Armed for the run only: sampler_start
 * just before _start or the export is called, sampler_stop when the call
 * returns or traps (before the backtrace is printed). SA_RESTART, so a
 * host call blocked in read(2) goes on; WASI's sleeps already retry on
 * EINTR. WASI has no signals or timers: there the clocks are refused. */
#ifdef __wasi__
#include <stdio.h>

#include "run.h"

int sampler_start(struct wlab_store *s, enum prof_clock clock, double ms)
{
	(void)s, (void)clock, (void)ms;
	fputs("wlab-run: --profile-clock: this build has no timers (WASI has no signals)\n",
	      stderr);
	return EXIT_ERR;
}

void sampler_stop(void)
{
}
#else
#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "run.h"

static struct wlab_store *volatile sampled_store;
static timer_t timer;
static bool armed;

static void on_prof(int sig)
{
	(void)sig;
	struct wlab_store *s = sampled_store;
	int over = timer_getoverrun(timer);  /* ticks the signal stands for, past one */
	if (s)
		wlab_store_profile_tick(s, 1 + (over > 0 ? (unsigned)over : 0));
}

int sampler_start(struct wlab_store *s, enum prof_clock clock, double ms)
{
	struct sigaction sa = {.sa_handler = on_prof, .sa_flags = SA_RESTART};
	struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGPROF};
	long long ns = (long long)(ms * 1e6);
	if (ns < 1)
		ns = 1;
	struct timespec every = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
	struct itimerspec its = {.it_value = every, .it_interval = every};
	clockid_t id = clock == PROF_CLOCK_CPU ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC;
	sampled_store = s;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGPROF, &sa, NULL) || timer_create(id, &ev, &timer)) {
		perror("wlab-run: --profile-clock");
		return EXIT_ERR;
	}
	armed = true;
	if (timer_settime(timer, 0, &its, NULL)) {
		perror("wlab-run: --profile-clock");
		sampler_stop();
		return EXIT_ERR;
	}
	return 0;
}

void sampler_stop(void)
{
	if (armed)
		timer_delete(timer);
	armed = false;
	sampled_store = NULL;
}
#endif
