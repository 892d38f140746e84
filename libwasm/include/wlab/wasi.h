/* wlab/wasi.h: a WASI host for preview1 (module "wasi_snapshot_preview1")
 * and snapshot 0 (module "wasi_unstable", which older toolchains import).
 *
 * Everything but sockets: args, environ, clocks, random, fd_*, path_*,
 * poll_oneoff on clocks, proc_exit, sched_yield. Guest paths resolve inside
 * the preopened directories only: ".." and symlinks can never leave them.
 *
 * Use: wlab_wasi_new(), then either wlab_wasi_define() (every function of
 * both modules into the store's registry) or wlab_wasi_lookup_in() per
 * import (to wrap calls, e.g. for tracing; call fn with ctx = the struct
 * wlab_wasi *); instantiate;
 * wlab_wasi_set_memory() with the instance's exported "memory"; call
 * "_start". proc_exit makes the call end with WLAB_TRAP_EXIT and
 * wlab_wasi_exit_code() gives its code.
 *
 * Behaviour worth knowing (the sources are libwasm/src/wasi*.c):
 * - Errors are WASI errno values (witx "errno"); a guest pointer or
 *   (pointer, length) reaching past the memory gives FAULT (21), checked
 *   before anything is read or written. Host functions never call the
 *   guest, so the memory cannot move during a call.
 * - Paths: an absolute path, ".." above the preopen and any symlink whose
 *   text is absolute or leads above the preopen give NOTCAPABLE (76); more
 *   than 40 symlinks in one lookup give LOOP (32); a final symlink is
 *   followed only with the SYMLINK_FOLLOW lookup flag (path_open of one
 *   without it gives LOOP, as O_NOFOLLOW). The walk opens each directory
 *   with openat(O_NOFOLLOW) one component at a time and expands symlinks
 *   itself, so the kernel never follows a link or "..": see wasi_path.c.
 *   path_symlink stores any text (an escaping link cannot be followed).
 * - Rights: preopens get every directory right and inherit all; path_open
 *   gives a file the rights asked for, cut to its type and the directory's
 *   inheriting rights; read access comes from FD_READ/FD_READDIR, write
 *   access from FD_WRITE/FD_DATASYNC/FD_ALLOCATE/FD_FILESTAT_SET_SIZE. A
 *   call without its right gives NOTCAPABLE.
 * - Guest fds 0-2 are duplicates of the host fds given (closing them in the
 *   guest leaves the host's open); a terminal lacks FD_SEEK/FD_TELL, as
 *   wasi-libc's isatty() expects. Preopens are fds 3, 4...; new fds take
 *   the lowest free number from 3 on, at most 4096 of them (then MFILE).
 * - fd_readdir: cookies are entry indices ("." and ".." included); a
 *   cookie other than the stream's position rewinds and skips.
 * - fd_fdstat_set_flags changes APPEND and NONBLOCK; the sync flags give
 *   NOTSUP (they can only be set by path_open).
 * - poll_oneoff: clock subscriptions (relative or ABSTIME, any clock id;
 *   waiting is measured on the monotonic clock) and fd_read/fd_write
 *   subscriptions, polled with poll(2) (a regular file is always ready,
 *   nbytes = the bytes left to read). A bad fd, clock or tag is reported
 *   at once as an event carrying the error; no subscriptions is INVAL.
 * - proc_raise gives NOSYS. sock_accept/recv/send/shutdown give NOTSOCK on
 *   an open fd (no socket can exist: preview1 cannot open one) and BADF
 *   otherwise.
 * - "wasi_unstable" (snapshot 0) shares one instance, its fds and its
 *   behaviour with preview1; what its witx
 *   (WebAssembly/WASI legacy/preview0/witx) numbers or lays out otherwise
 *   is done its way: fd_seek's whence is CUR = 0, END = 1, SET = 2; a
 *   filestat is 56 bytes, nlink u32 @20, size @24, atim @32, mtim @40,
 *   ctim @48; a poll_oneoff subscription is 56 bytes, the clock's u64
 *   identifier @16 moving its id to @24, timeout @32, flags @48 (events
 *   are as in preview1); rights have no SOCK_ACCEPT (fd_fdstat_get leaves
 *   that bit out), and there is no sock_accept. Errno values, the other
 *   records and the functions' types are the same. */
#ifndef WLAB_WASI_H
#define WLAB_WASI_H

#include <stddef.h>
#include <stdint.h>

#include "wlab/runtime.h"
#include "wlab/status.h"
#include "wlab/api.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WLAB_WASI_MODULE "wasi_snapshot_preview1"
#define WLAB_WASI_UNSTABLE_MODULE "wasi_unstable"  /* snapshot 0 */

struct wlab_wasi_preopen {
	const char *host;   /* a host directory */
	const char *guest;  /* the name the guest sees it by ("." or "/data") */
};

struct wlab_wasi_options {
	int argc;
	char *const *argv;         /* argv[0] is the program's name */
	int nenv;
	char *const *env;          /* "KEY=VALUE" */
	int npreopens;
	const struct wlab_wasi_preopen *preopens;  /* guest fds 3, 4, ... */
	int stdin_fd, stdout_fd, stderr_fd;        /* host fds for guest 0-2; -1 = closed */
};

struct wlab_wasi;

/* Copies what it needs from o; opens the preopens. NULL with err set when a
 * preopen cannot be opened or memory runs out. */
WLAB_API struct wlab_wasi *wlab_wasi_new(const struct wlab_wasi_options *o, struct wlab_error *err);
/* Closes the guest's files; NULL does nothing. */
WLAB_API void wlab_wasi_free(struct wlab_wasi *w);

/* One WASI function: name, type (valtype codes) and the host function. */
struct wlab_wasi_func {
	const char *name;
	uint8_t nparams, nresults;
	const uint8_t *params, *results;
	wlab_host_fn fn;
};

/* The function called name (len bytes) in WASI module module (module_len
 * bytes: WLAB_WASI_MODULE or WLAB_WASI_UNSTABLE_MODULE), or NULL: for
 * another module, or a function that module lacks. */
WLAB_API const struct wlab_wasi_func *wlab_wasi_lookup_in(const char *module,
							  size_t module_len,
							  const char *name, size_t len);
/* The function called name (len bytes) in WLAB_WASI_MODULE, or NULL. */
WLAB_API const struct wlab_wasi_func *wlab_wasi_lookup(const char *name, size_t len);
/* Defines every function under WLAB_WASI_MODULE and every snapshot-0 one
 * under WLAB_WASI_UNSTABLE_MODULE in the store's registry (a later
 * definition of the same name wins, so an embedder's own still can). */
WLAB_API enum wlab_status wlab_wasi_define(struct wlab_store *s, struct wlab_wasi *w);
/* The memory the functions read and write; until it is set, a function
 * that needs memory traps with WLAB_TRAP_HOST. The calls take fuel from
 * the memory's store: one unit per 64 bytes they move or scan (fd_read,
 * fd_write, fd_pread, fd_pwrite by the bytes asked for, random_get,
 * fd_readdir's buffer, paths, args/environ, poll_oneoff's records), after
 * the bounds checks and before the work; with too little left the call
 * ends with WLAB_TRAP_FUEL, nothing done. */
WLAB_API void wlab_wasi_set_memory(struct wlab_wasi *w, struct rt_memory *mem);
/* The code proc_exit was called with (valid after WLAB_TRAP_EXIT). */
WLAB_API uint32_t wlab_wasi_exit_code(const struct wlab_wasi *w);

#ifdef __cplusplus
}
#endif

#endif
