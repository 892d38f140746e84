/* wasi_misc.c: WASI args, environ, clocks, random, poll_oneoff, proc_*,
 * sched_yield, and the sock_* functions (not supported: NOTSUP/NOSYS). */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "platform.h"
#include "wasi_internal.h"

/* argv/environ: count strings of the block at vec, the strings at buf. */
static uint16_t put_strings(const struct wlab_wasi *w, const struct wasi_mem *m,
			    const char *block, uint32_t n, uint32_t size, uint32_t vec,
			    uint32_t buf)
{
	uint8_t *v = wasi_ptr(m, vec, (uint64_t)n * 4), *b = wasi_ptr(m, buf, size);
	if (!v || !b)
		return WASI_EFAULT;
	if (wasi_charge(w, (uint64_t)n * 4 + size))
		return WASI_XFUEL;
	uint32_t at = 0;
	for (uint32_t i = 0; i < n; i++) {
		wasi_st32(v + 4 * i, buf + at);
		at += (uint32_t)strlen(block + at) + 1;
	}
	memmove(b, block, size);
	return WASI_ESUCCESS;
}

static uint16_t put_sizes(const struct wasi_mem *m, uint32_t n, uint32_t size,
			  uint32_t pn, uint32_t psize)
{
	uint8_t *a = wasi_ptr(m, pn, 4), *b = wasi_ptr(m, psize, 4);
	if (!a || !b)
		return WASI_EFAULT;
	wasi_st32(a, n);
	wasi_st32(b, size);
	return WASI_ESUCCESS;
}

enum wlab_trap wasi_args_get(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wlab_wasi *w = ctx;
	struct wasi_mem m;
	if (!wasi_mem_get(w, &m))
		return WLAB_TRAP_HOST;
	return wasi_ret(r, put_strings(w, &m, w->args, w->argc, w->args_size, (uint32_t)a[0],
				       (uint32_t)a[1]));
}

enum wlab_trap wasi_args_sizes_get(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wlab_wasi *w = ctx;
	struct wasi_mem m;
	if (!wasi_mem_get(w, &m))
		return WLAB_TRAP_HOST;
	return wasi_ret(r, put_sizes(&m, w->argc, w->args_size, (uint32_t)a[0], (uint32_t)a[1]));
}

enum wlab_trap wasi_environ_get(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wlab_wasi *w = ctx;
	struct wasi_mem m;
	if (!wasi_mem_get(w, &m))
		return WLAB_TRAP_HOST;
	return wasi_ret(r, put_strings(w, &m, w->env, w->envc, w->env_size, (uint32_t)a[0],
				       (uint32_t)a[1]));
}

enum wlab_trap wasi_environ_sizes_get(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wlab_wasi *w = ctx;
	struct wasi_mem m;
	if (!wasi_mem_get(w, &m))
		return WLAB_TRAP_HOST;
	return wasi_ret(r, put_sizes(&m, w->envc, w->env_size, (uint32_t)a[0], (uint32_t)a[1]));
}

/* The host clock for a WASI clock id; false for an unknown one. */
static bool host_clock(uint32_t id, clockid_t *c)
{
	static const clockid_t clocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC,
					   CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID};
	if (id >= 4)
		return false;
	*c = clocks[id];
	return true;
}

static uint64_t ts_ns(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000u + (uint64_t)t->tv_nsec;
}

enum wlab_trap wasi_clock_res_get(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wasi_mem m;
	clockid_t c;
	struct timespec t;
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	if (!host_clock((uint32_t)a[0], &c))
		return wasi_ret(r, WASI_EINVAL);
	if (clock_getres(c, &t) != 0)
		return wasi_ret(r, wasi_errno_from_host(errno));
	return wasi_ret(r, wasi_put64(&m, (uint32_t)a[1], ts_ns(&t)));
}

enum wlab_trap wasi_clock_time_get(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wasi_mem m;
	clockid_t c;
	struct timespec t;
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	if (!host_clock((uint32_t)a[0], &c))
		return wasi_ret(r, WASI_EINVAL);
	if (clock_gettime(c, &t) != 0)
		return wasi_ret(r, wasi_errno_from_host(errno));
	return wasi_ret(r, wasi_put64(&m, (uint32_t)a[2], ts_ns(&t)));
}

enum wlab_trap wasi_random_get(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wasi_mem m;
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	uint32_t len = (uint32_t)a[1];
	uint8_t *p = wasi_ptr(&m, (uint32_t)a[0], len);
	if (!p)
		return wasi_ret(r, WASI_EFAULT);
	if (wasi_charge(ctx, len))
		return WLAB_TRAP_FUEL;
	int e = wlab_pf_random(p, len);
	return wasi_ret(r, e ? wasi_errno_from_host(e) : WASI_ESUCCESS);
}

/* poll_oneoff's layouts. A subscription is userdata u64 @0, its tag u8 @8
 * and the tag's contents from 16: an fd u32 @16 in both snapshots, and a
 * clock's fields where sub_layout puts them. An event (32 bytes) is the
 * same in both. */
enum {
	SUB_USERDATA = 0, SUB_TAG = 8, SUB_FD = 16,
	EV_SIZE = 32, EV_USERDATA = 0, EV_ERROR = 8, EV_TYPE = 10, EV_NBYTES = 16, EV_FLAGS = 24,
	EVENTTYPE_CLOCK = 0, EVENTTYPE_FD_READ = 1, EVENTTYPE_FD_WRITE = 2,
	SUBCLOCK_ABSTIME = 1, EVENTRW_HANGUP = 1,
};

/* A subscription's size and its clock fields (id u32, timeout u64, flags
 * u16) by snapshot: snapshot 0's subscription_clock begins with a u64
 * "identifier", which moves the fields up 8 and makes the record 56 bytes. */
struct sub_layout {
	uint8_t size, clock_id, clock_timeout, clock_flags;
};
static const struct sub_layout sub_layouts[WASI_NSNAPSHOTS] = {
	[WASI_PREVIEW1] = {48, 16, 24, 40},
	[WASI_SNAPSHOT0] = {56, 24, 32, 48},
};

static uint64_t ld64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static void put_event(uint8_t *ev, const uint8_t *sub, uint16_t error, uint64_t nbytes,
		      uint16_t flags)
{
	memset(ev, 0, EV_SIZE);
	memcpy(ev + EV_USERDATA, sub + SUB_USERDATA, 8);
	wasi_st16(ev + EV_ERROR, error);
	ev[EV_TYPE] = sub[SUB_TAG];
	wasi_st64(ev + EV_NBYTES, nbytes);
	wasi_st16(ev + EV_FLAGS, flags);
}

/* A clock subscription's deadline as nanoseconds left from now on its own
 * clock; false with *e for a bad clock. */
static bool clock_left(const uint8_t *sub, const struct sub_layout *l, uint64_t *left,
		       uint16_t *e)
{
	clockid_t c;
	struct timespec t;
	uint64_t timeout = ld64(sub + l->clock_timeout);
	if (!host_clock(wasi_ld32(sub + l->clock_id), &c) || clock_gettime(c, &t) != 0) {
		*e = WASI_EINVAL;
		return false;
	}
	if (sub[l->clock_flags] & SUBCLOCK_ABSTIME)
		*left = timeout > ts_ns(&t) ? timeout - ts_ns(&t) : 0;
	else
		*left = timeout;
	return true;
}

/* Sleeps ns nanoseconds, through EINTR. */
static void sleep_ns(uint64_t ns)
{
	struct timespec t = {.tv_sec = (time_t)(ns / 1000000000u),
			     .tv_nsec = (long)(ns % 1000000000u)};
	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

/* The bytes a regular file has left to read, for an FD_READ event. */
static uint64_t readable_bytes(int h, uint8_t type)
{
	struct stat st;
	if (type != WASI_FT_REGULAR_FILE || fstat(h, &st) != 0)
		return 0;
	off_t at = lseek(h, 0, SEEK_CUR);
	return at >= 0 && st.st_size > at ? (uint64_t)(st.st_size - at) : 0;
}

static uint64_t monotonic_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return ts_ns(&t);
}

/* Waits up to wait ns (UINT64_MAX: no limit) for the nfd polled fds. */
static int wait_fds(struct pollfd *pfd, uint32_t nfd, uint64_t wait)
{
	if (nfd == 0) {
		sleep_ns(wait);
		return 0;
	}
	int ms = wait == UINT64_MAX ? -1
		 : wait / 1000000u >= INT32_MAX ? INT32_MAX
		 : (int)((wait + 999999u) / 1000000u);
	int rc;
	while ((rc = poll(pfd, nfd, ms)) < 0 && errno == EINTR)
		;
	return rc;
}

/* poll_oneoff: clock subscriptions sleep until the earliest one is due; fd
 * subscriptions are polled with poll(2), so the call returns as soon as one
 * fd is ready (regular files always are) or the earliest clock is due.
 * A bad fd, clock or tag gives an event with that error at once. Time is
 * measured on the monotonic clock, whatever clock a subscription names.
 * The subscriptions are read in layout l (the snapshot's). */
static uint16_t poll_oneoff(struct wlab_wasi *w, const struct wasi_mem *m, uint32_t in,
			    uint32_t out, uint32_t n, uint32_t pnevents, const struct sub_layout *l)
{
	uint8_t *subs = wasi_ptr(m, in, (uint64_t)n * l->size);
	uint8_t *evs = wasi_ptr(m, out, (uint64_t)n * EV_SIZE);
	uint8_t *pn = wasi_ptr(m, pnevents, 4);
	uint32_t nev = 0, nfd = 0;
	uint64_t wait = UINT64_MAX;
	if (!subs || !evs || !pn)
		return WASI_EFAULT;
	if (n == 0)
		return WASI_EINVAL;
	if (wasi_charge(w, (uint64_t)n * (l->size + EV_SIZE)))
		return WASI_XFUEL;
	/* The subscriptions are copied first: in and out may overlap. */
	struct pollfd *pfd = calloc(n, sizeof *pfd);
	uint32_t *which = calloc(n, sizeof *which);
	uint64_t *left = calloc(n, sizeof *left);
	uint8_t *copy = malloc((size_t)n * l->size);
	if (!pfd || !which || !left || !copy) {
		free(pfd), free(which), free(left), free(copy);
		return WASI_ENOMEM;
	}
	memcpy(copy, subs, (size_t)n * l->size);
	subs = copy;
	uint64_t start = monotonic_ns();
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *s = subs + (size_t)i * l->size;
		uint16_t e = WASI_EINVAL;
		left[i] = UINT64_MAX;
		if (s[SUB_TAG] == EVENTTYPE_CLOCK) {
			if (!clock_left(s, l, &left[i], &e))
				put_event(evs + (size_t)nev++ * EV_SIZE, s, e, 0, 0);
			else if (left[i] < wait)
				wait = left[i];
		} else if (s[SUB_TAG] == EVENTTYPE_FD_READ || s[SUB_TAG] == EVENTTYPE_FD_WRITE) {
			struct wasi_fd *f = wasi_fd_get(w, wasi_ld32(s + SUB_FD),
							WASI_R_POLL_FD_READWRITE, &e);
			if (!f) {
				put_event(evs + (size_t)nev++ * EV_SIZE, s, e, 0, 0);
			} else {
				pfd[nfd].fd = f->host;
				bool rd = s[SUB_TAG] == EVENTTYPE_FD_READ;
				pfd[nfd].events = rd ? POLLIN : POLLOUT;
				which[nfd++] = i;
			}
		} else {
			put_event(evs + (size_t)nev++ * EV_SIZE, s, e, 0, 0);
		}
	}
	int rc = 0;
	if (nev == 0 && (nfd > 0 || wait != UINT64_MAX))
		rc = wait_fds(pfd, nfd, wait);
	for (uint32_t k = 0; rc > 0 && k < nfd; k++) {
		const uint8_t *s = subs + (size_t)which[k] * l->size;
		short re = pfd[k].revents;
		if (!re)
			continue;
		uint64_t nbytes = s[SUB_TAG] == EVENTTYPE_FD_READ
			? readable_bytes(pfd[k].fd, w->fds[wasi_ld32(s + SUB_FD)].type) : 0;
		put_event(evs + (size_t)nev++ * EV_SIZE, s, re & POLLNVAL ? WASI_EBADF : 0, nbytes,
			  re & POLLHUP ? EVENTRW_HANGUP : 0);
	}
	/* Clocks now due; when nothing else happened, the earliest clock (a CPU
	 * time clock does not advance while we sleep). */
	uint64_t elapsed = monotonic_ns() - start;
	bool fd_events = nev > 0;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *s = subs + (size_t)i * l->size;
		if (s[SUB_TAG] == EVENTTYPE_CLOCK && left[i] != UINT64_MAX &&
		    (left[i] <= elapsed || (!fd_events && left[i] == wait)))
			put_event(evs + (size_t)nev++ * EV_SIZE, s, WASI_ESUCCESS, 0, 0);
	}
	free(copy), free(pfd), free(which), free(left);
	wasi_st32(pn, nev);
	return WASI_ESUCCESS;
}

static enum wlab_trap poll_for(void *ctx, const uint64_t *a, uint64_t *r, enum wasi_snapshot s)
{
	struct wasi_mem m;
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	return wasi_ret(r, poll_oneoff(ctx, &m, (uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2],
				       (uint32_t)a[3], &sub_layouts[s]));
}

enum wlab_trap wasi_poll_oneoff(void *ctx, const uint64_t *a, uint64_t *r)
{
	return poll_for(ctx, a, r, WASI_PREVIEW1);
}

enum wlab_trap wasi0_poll_oneoff(void *ctx, const uint64_t *a, uint64_t *r)
{
	return poll_for(ctx, a, r, WASI_SNAPSHOT0);
}

enum wlab_trap wasi_proc_exit(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wlab_wasi *w = ctx;
	(void)r;
	w->exit_code = (uint32_t)a[0];
	return WLAB_TRAP_EXIT;
}

enum wlab_trap wasi_proc_raise(void *ctx, const uint64_t *a, uint64_t *r)
{
	(void)ctx, (void)a;
	return wasi_ret(r, WASI_ENOSYS);
}

enum wlab_trap wasi_sched_yield(void *ctx, const uint64_t *a, uint64_t *r)
{
	(void)ctx, (void)a;
	sched_yield();
	return wasi_ret(r, WASI_ESUCCESS);
}

/* Sockets: no socket can be opened (there is no sock_open in preview1 and
 * no socket preopen), so every open fd is not a socket: sock_* on it is
 * NOTSOCK (as POSIX's shutdown, recv, send, accept answer), and on anything
 * else BADF. */
static uint16_t sock_errno(struct wlab_wasi *w, uint32_t fd)
{
	uint16_t e;
	return wasi_fd_get(w, fd, 0, &e) ? WASI_ENOTSOCK : e;
}

enum wlab_trap wasi_sock_accept(void *ctx, const uint64_t *a, uint64_t *r)
{
	return wasi_ret(r, sock_errno(ctx, (uint32_t)a[0]));
}

enum wlab_trap wasi_sock_recv(void *ctx, const uint64_t *a, uint64_t *r)
{
	return wasi_ret(r, sock_errno(ctx, (uint32_t)a[0]));
}

enum wlab_trap wasi_sock_send(void *ctx, const uint64_t *a, uint64_t *r)
{
	return wasi_ret(r, sock_errno(ctx, (uint32_t)a[0]));
}

enum wlab_trap wasi_sock_shutdown(void *ctx, const uint64_t *a, uint64_t *r)
{
	return wasi_ret(r, sock_errno(ctx, (uint32_t)a[0]));
}
