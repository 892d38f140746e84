/* wasi_internal.h: the WASI host's state, its function and errno tables,
 * guest memory access and the path resolver, shared by the wasi*.c files. */
#ifndef WASI_INTERNAL_H
#define WASI_INTERNAL_H

#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "wlab/runtime.h"
#include "wlab/wasi.h"

/* The WASI snapshots the host serves: preview1 ("wasi_snapshot_preview1")
 * and snapshot 0 ("wasi_unstable", preview0), which older toolchains
 * import. They index the per-snapshot tables (wasi.c's names and function
 * rows, the whence, filestat, rights and subscription tables). */
enum wasi_snapshot { WASI_PREVIEW1, WASI_SNAPSHOT0, WASI_NSNAPSHOTS };

/* Every WASI function: X(name, params, results, snapshot0), the types as
 * strings of valtype codes. The host function is wasi_<name>. snapshot0 is
 * what "wasi_unstable" has under that name, with the same type (the witx
 * of both give every common function the same parameters): SAME, the
 * same host function; OWN, wasi0_<name>, for a function whose numbering or
 * record layout differs in snapshot 0; NONE, a function snapshot 0 lacks. */
#define WASI_I "\x7f"
#define WASI_L "\x7e"
#define WASI_FUNCS(X)                                                                     \
	X(args_get, WASI_I WASI_I, WASI_I, SAME)                                          \
	X(args_sizes_get, WASI_I WASI_I, WASI_I, SAME)                                    \
	X(environ_get, WASI_I WASI_I, WASI_I, SAME)                                       \
	X(environ_sizes_get, WASI_I WASI_I, WASI_I, SAME)                                 \
	X(clock_res_get, WASI_I WASI_I, WASI_I, SAME)                                     \
	X(clock_time_get, WASI_I WASI_L WASI_I, WASI_I, SAME)                             \
	X(fd_advise, WASI_I WASI_L WASI_L WASI_I, WASI_I, SAME)                           \
	X(fd_allocate, WASI_I WASI_L WASI_L, WASI_I, SAME)                                \
	X(fd_close, WASI_I, WASI_I, SAME)                                                 \
	X(fd_datasync, WASI_I, WASI_I, SAME)                                              \
	X(fd_fdstat_get, WASI_I WASI_I, WASI_I, OWN)                                      \
	X(fd_fdstat_set_flags, WASI_I WASI_I, WASI_I, SAME)                               \
	X(fd_fdstat_set_rights, WASI_I WASI_L WASI_L, WASI_I, SAME)                       \
	X(fd_filestat_get, WASI_I WASI_I, WASI_I, OWN)                                    \
	X(fd_filestat_set_size, WASI_I WASI_L, WASI_I, SAME)                              \
	X(fd_filestat_set_times, WASI_I WASI_L WASI_L WASI_I, WASI_I, SAME)               \
	X(fd_pread, WASI_I WASI_I WASI_I WASI_L WASI_I, WASI_I, SAME)                     \
	X(fd_prestat_get, WASI_I WASI_I, WASI_I, SAME)                                    \
	X(fd_prestat_dir_name, WASI_I WASI_I WASI_I, WASI_I, SAME)                        \
	X(fd_pwrite, WASI_I WASI_I WASI_I WASI_L WASI_I, WASI_I, SAME)                    \
	X(fd_read, WASI_I WASI_I WASI_I WASI_I, WASI_I, SAME)                             \
	X(fd_readdir, WASI_I WASI_I WASI_I WASI_L WASI_I, WASI_I, SAME)                   \
	X(fd_renumber, WASI_I WASI_I, WASI_I, SAME)                                       \
	X(fd_seek, WASI_I WASI_L WASI_I WASI_I, WASI_I, OWN)                              \
	X(fd_sync, WASI_I, WASI_I, SAME)                                                  \
	X(fd_tell, WASI_I WASI_I, WASI_I, SAME)                                           \
	X(fd_write, WASI_I WASI_I WASI_I WASI_I, WASI_I, SAME)                            \
	X(path_create_directory, WASI_I WASI_I WASI_I, WASI_I, SAME)                      \
	X(path_filestat_get, WASI_I WASI_I WASI_I WASI_I WASI_I, WASI_I, OWN)             \
	X(path_filestat_set_times, WASI_I WASI_I WASI_I WASI_I WASI_L WASI_L WASI_I,      \
	  WASI_I, SAME)                                                                   \
	X(path_link, WASI_I WASI_I WASI_I WASI_I WASI_I WASI_I WASI_I, WASI_I, SAME)      \
	X(path_open, WASI_I WASI_I WASI_I WASI_I WASI_I WASI_L WASI_L WASI_I WASI_I,      \
	  WASI_I, SAME)                                                                   \
	X(path_readlink, WASI_I WASI_I WASI_I WASI_I WASI_I WASI_I, WASI_I, SAME)         \
	X(path_remove_directory, WASI_I WASI_I WASI_I, WASI_I, SAME)                      \
	X(path_rename, WASI_I WASI_I WASI_I WASI_I WASI_I WASI_I, WASI_I, SAME)           \
	X(path_symlink, WASI_I WASI_I WASI_I WASI_I WASI_I, WASI_I, SAME)                 \
	X(path_unlink_file, WASI_I WASI_I WASI_I, WASI_I, SAME)                           \
	X(poll_oneoff, WASI_I WASI_I WASI_I WASI_I, WASI_I, OWN)                          \
	X(proc_exit, WASI_I, "", SAME)                                                    \
	X(proc_raise, WASI_I, WASI_I, SAME)                                               \
	X(sched_yield, "", WASI_I, SAME)                                                  \
	X(random_get, WASI_I WASI_I, WASI_I, SAME)                                        \
	X(sock_accept, WASI_I WASI_I WASI_I, WASI_I, NONE)                                \
	X(sock_recv, WASI_I WASI_I WASI_I WASI_I WASI_I WASI_I, WASI_I, SAME)             \
	X(sock_send, WASI_I WASI_I WASI_I WASI_I WASI_I, WASI_I, SAME)                    \
	X(sock_shutdown, WASI_I WASI_I, WASI_I, SAME)

#define WASI_DECLARE(name, params, results, snapshot0) \
	enum wlab_trap wasi_##name(void *ctx, const uint64_t *args, uint64_t *results_); \
	WASI_DECLARE0_##snapshot0(name)
#define WASI_DECLARE0_SAME(name)
#define WASI_DECLARE0_NONE(name)
#define WASI_DECLARE0_OWN(name) \
	enum wlab_trap wasi0_##name(void *ctx, const uint64_t *args, uint64_t *results_);
WASI_FUNCS(WASI_DECLARE)
#undef WASI_DECLARE
/* Snapshot 0's host function for a row: the SAME, OWN or NONE of the table. */
#define WASI_SNAPSHOT0_SAME(name) wasi_##name
#define WASI_SNAPSHOT0_OWN(name) wasi0_##name
#define WASI_SNAPSHOT0_NONE(name) NULL

/* WASI errno values (witx "errno") and the host errno each one stands
 * for: X(NAME, value, host errno); NOTCAPABLE has none (0). */
#define WASI_ERRNOS(X)                                                                   \
	X(SUCCESS, 0, 0) X(2BIG, 1, E2BIG) X(ACCES, 2, EACCES) X(ADDRINUSE, 3, EADDRINUSE) \
	X(ADDRNOTAVAIL, 4, EADDRNOTAVAIL) X(AFNOSUPPORT, 5, EAFNOSUPPORT)                   \
	X(AGAIN, 6, EAGAIN) X(ALREADY, 7, EALREADY) X(BADF, 8, EBADF)                       \
	X(BADMSG, 9, EBADMSG) X(BUSY, 10, EBUSY) X(CANCELED, 11, ECANCELED)                 \
	X(CHILD, 12, ECHILD) X(CONNABORTED, 13, ECONNABORTED)                               \
	X(CONNREFUSED, 14, ECONNREFUSED) X(CONNRESET, 15, ECONNRESET)                       \
	X(DEADLK, 16, EDEADLK) X(DESTADDRREQ, 17, EDESTADDRREQ) X(DOM, 18, EDOM)            \
	X(DQUOT, 19, EDQUOT) X(EXIST, 20, EEXIST) X(FAULT, 21, EFAULT) X(FBIG, 22, EFBIG)   \
	X(HOSTUNREACH, 23, EHOSTUNREACH) X(IDRM, 24, EIDRM) X(ILSEQ, 25, EILSEQ)            \
	X(INPROGRESS, 26, EINPROGRESS) X(INTR, 27, EINTR) X(INVAL, 28, EINVAL)              \
	X(IO, 29, EIO) X(ISCONN, 30, EISCONN) X(ISDIR, 31, EISDIR) X(LOOP, 32, ELOOP)       \
	X(MFILE, 33, EMFILE) X(MLINK, 34, EMLINK) X(MSGSIZE, 35, EMSGSIZE)                  \
	X(MULTIHOP, 36, EMULTIHOP) X(NAMETOOLONG, 37, ENAMETOOLONG)                         \
	X(NETDOWN, 38, ENETDOWN) X(NETRESET, 39, ENETRESET)                                 \
	X(NETUNREACH, 40, ENETUNREACH) X(NFILE, 41, ENFILE) X(NOBUFS, 42, ENOBUFS)          \
	X(NODEV, 43, ENODEV) X(NOENT, 44, ENOENT) X(NOEXEC, 45, ENOEXEC)                    \
	X(NOLCK, 46, ENOLCK) X(NOLINK, 47, ENOLINK) X(NOMEM, 48, ENOMEM)                    \
	X(NOMSG, 49, ENOMSG) X(NOPROTOOPT, 50, ENOPROTOOPT) X(NOSPC, 51, ENOSPC)            \
	X(NOSYS, 52, ENOSYS) X(NOTCONN, 53, ENOTCONN) X(NOTDIR, 54, ENOTDIR)                \
	X(NOTEMPTY, 55, ENOTEMPTY) X(NOTRECOVERABLE, 56, ENOTRECOVERABLE)                   \
	X(NOTSOCK, 57, ENOTSOCK) X(NOTSUP, 58, ENOTSUP) X(NOTTY, 59, ENOTTY)                \
	X(NXIO, 60, ENXIO) X(OVERFLOW, 61, EOVERFLOW) X(OWNERDEAD, 62, EOWNERDEAD)          \
	X(PERM, 63, EPERM) X(PIPE, 64, EPIPE) X(PROTO, 65, EPROTO)                          \
	X(PROTONOSUPPORT, 66, EPROTONOSUPPORT) X(PROTOTYPE, 67, EPROTOTYPE)                 \
	X(RANGE, 68, ERANGE) X(ROFS, 69, EROFS) X(SPIPE, 70, ESPIPE) X(SRCH, 71, ESRCH)     \
	X(STALE, 72, ESTALE) X(TIMEDOUT, 73, ETIMEDOUT) X(TXTBSY, 74, ETXTBSY)              \
	X(XDEV, 75, EXDEV) X(NOTCAPABLE, 76, 0)

enum wasi_errno {
#define WASI_ERRNO_ENUM(name, value, host) WASI_E##name = value,
	WASI_ERRNOS(WASI_ERRNO_ENUM)
#undef WASI_ERRNO_ENUM
};

/* The WASI errno for a host errno (EIO for one it does not know). */
uint16_t wasi_errno_from_host(int e);

/* Rights (witx "rights"), file types, flags. */
enum {
	WASI_R_FD_DATASYNC = 1 << 0, WASI_R_FD_READ = 1 << 1, WASI_R_FD_SEEK = 1 << 2,
	WASI_R_FD_FDSTAT_SET_FLAGS = 1 << 3, WASI_R_FD_SYNC = 1 << 4, WASI_R_FD_TELL = 1 << 5,
	WASI_R_FD_WRITE = 1 << 6, WASI_R_FD_ADVISE = 1 << 7, WASI_R_FD_ALLOCATE = 1 << 8,
	WASI_R_PATH_CREATE_DIRECTORY = 1 << 9, WASI_R_PATH_CREATE_FILE = 1 << 10,
	WASI_R_PATH_LINK_SOURCE = 1 << 11, WASI_R_PATH_LINK_TARGET = 1 << 12,
	WASI_R_PATH_OPEN = 1 << 13, WASI_R_FD_READDIR = 1 << 14, WASI_R_PATH_READLINK = 1 << 15,
	WASI_R_PATH_RENAME_SOURCE = 1 << 16, WASI_R_PATH_RENAME_TARGET = 1 << 17,
	WASI_R_PATH_FILESTAT_GET = 1 << 18, WASI_R_PATH_FILESTAT_SET_SIZE = 1 << 19,
	WASI_R_PATH_FILESTAT_SET_TIMES = 1 << 20, WASI_R_FD_FILESTAT_GET = 1 << 21,
	WASI_R_FD_FILESTAT_SET_SIZE = 1 << 22, WASI_R_FD_FILESTAT_SET_TIMES = 1 << 23,
	WASI_R_PATH_SYMLINK = 1 << 24, WASI_R_PATH_REMOVE_DIRECTORY = 1 << 25,
	WASI_R_PATH_UNLINK_FILE = 1 << 26, WASI_R_POLL_FD_READWRITE = 1 << 27,
	WASI_R_SOCK_SHUTDOWN = 1 << 28, WASI_R_SOCK_ACCEPT = 1 << 29,
};
#define WASI_RIGHTS_ALL ((uint64_t)(1u << 30) - 1)
/* What a regular file (or a stream) can do, and what a directory can. */
#define WASI_RIGHTS_FILE                                                                  \
	((uint64_t)(WASI_R_FD_DATASYNC | WASI_R_FD_READ | WASI_R_FD_SEEK |                \
		    WASI_R_FD_FDSTAT_SET_FLAGS | WASI_R_FD_SYNC | WASI_R_FD_TELL |         \
		    WASI_R_FD_WRITE | WASI_R_FD_ADVISE | WASI_R_FD_ALLOCATE |              \
		    WASI_R_FD_FILESTAT_GET | WASI_R_FD_FILESTAT_SET_SIZE |                 \
		    WASI_R_FD_FILESTAT_SET_TIMES | WASI_R_POLL_FD_READWRITE))
#define WASI_RIGHTS_DIR                                                                   \
	((uint64_t)(WASI_R_FD_FDSTAT_SET_FLAGS | WASI_R_FD_SYNC | WASI_R_FD_ADVISE |       \
		    WASI_R_PATH_CREATE_DIRECTORY | WASI_R_PATH_CREATE_FILE |               \
		    WASI_R_PATH_LINK_SOURCE | WASI_R_PATH_LINK_TARGET | WASI_R_PATH_OPEN |  \
		    WASI_R_FD_READDIR | WASI_R_PATH_READLINK | WASI_R_PATH_RENAME_SOURCE |  \
		    WASI_R_PATH_RENAME_TARGET | WASI_R_PATH_FILESTAT_GET |                 \
		    WASI_R_PATH_FILESTAT_SET_SIZE | WASI_R_PATH_FILESTAT_SET_TIMES |       \
		    WASI_R_FD_FILESTAT_GET | WASI_R_FD_FILESTAT_SET_TIMES |                \
		    WASI_R_PATH_SYMLINK | WASI_R_PATH_REMOVE_DIRECTORY |                   \
		    WASI_R_PATH_UNLINK_FILE | WASI_R_POLL_FD_READWRITE))

enum {
	WASI_FT_UNKNOWN, WASI_FT_BLOCK_DEVICE, WASI_FT_CHARACTER_DEVICE, WASI_FT_DIRECTORY,
	WASI_FT_REGULAR_FILE, WASI_FT_SOCKET_DGRAM, WASI_FT_SOCKET_STREAM, WASI_FT_SYMBOLIC_LINK,
};
enum { WASI_FDFLAG_APPEND = 1, WASI_FDFLAG_DSYNC = 2, WASI_FDFLAG_NONBLOCK = 4,
       WASI_FDFLAG_RSYNC = 8, WASI_FDFLAG_SYNC = 16 };
enum { WASI_O_CREAT = 1, WASI_O_DIRECTORY = 2, WASI_O_EXCL = 4, WASI_O_TRUNC = 8 };
enum { WASI_LOOKUP_SYMLINK_FOLLOW = 1 };
enum { WASI_FST_ATIM = 1, WASI_FST_ATIM_NOW = 2, WASI_FST_MTIM = 4, WASI_FST_MTIM_NOW = 8 };

/* One guest file descriptor. host < 0: a free slot. */
struct wasi_fd {
	int host;
	uint8_t type;              /* WASI_FT_* */
	uint64_t base, inheriting; /* rights */
	char *preopen;             /* the guest name of a preopened directory, else NULL */
	DIR *dir;                  /* fd_readdir's stream, opened on first use */
	uint64_t dir_pos;          /* the cookie of the entry dir reads next */
};

/* The most guest descriptors at once. */
#define WASI_MAX_FDS 4096

struct wlab_wasi {
	char *args, *env;           /* the strings, each NUL-terminated, back to back */
	uint32_t argc, args_size, envc, env_size;
	struct wasi_fd *fds;
	uint32_t nfds;
	struct rt_memory *mem;
	struct wlab_store *store;   /* whose fuel the calls take: mem's store */
	uint32_t exit_code;
};

/* Not an errno the guest sees: the store's fuel ran out (wasi_ret turns
 * it into WLAB_TRAP_FUEL). */
#define WASI_XFUEL 0xffffu

/* Charges the fuel for bytes a call is about to move or scan for the
 * guest: one unit per 64 bytes, rounded down, as the interpreter's bulk
 * instructions (docs/wasi.md, "Fuel"). SUCCESS, or WASI_XFUEL with
 * nothing left. Taken after the bounds checks, before the work. */
uint16_t wasi_charge(const struct wlab_wasi *w, uint64_t bytes);

/* The guest's memory for one call. Host functions never call the guest,
 * so it cannot grow (and move) while a function runs. */
struct wasi_mem {
	uint8_t *data;
	uint64_t size;
};

/* False when no memory was set (the function then traps). */
bool wasi_mem_get(const struct wlab_wasi *w, struct wasi_mem *m);

/* The host address of guest bytes [ptr, ptr + len), or NULL when any is
 * outside the memory. */
static inline uint8_t *wasi_ptr(const struct wasi_mem *m, uint32_t ptr, uint64_t len)
{
	if (!m->data || (uint64_t)ptr + len > m->size)
		return NULL;
	return m->data + ptr;
}

static inline uint32_t wasi_ld32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static inline void wasi_st16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static inline void wasi_st32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void wasi_st64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* Stores a u32 / u64 result at a guest pointer: SUCCESS or FAULT. */
uint16_t wasi_put32(const struct wasi_mem *m, uint32_t ptr, uint32_t v);
uint16_t wasi_put64(const struct wasi_mem *m, uint32_t ptr, uint64_t v);

/* Sets the errno result and returns no trap (WASI_XFUEL: the fuel trap,
 * no result). */
static inline enum wlab_trap wasi_ret(uint64_t *results, uint16_t e)
{
	if (e == WASI_XFUEL)
		return WLAB_TRAP_FUEL;
	results[0] = e;
	return WLAB_TRAP_NONE;
}

/* The open descriptor fd holding all of rights, or NULL with *e set (BADF,
 * NOTCAPABLE). */
struct wasi_fd *wasi_fd_get(struct wlab_wasi *w, uint32_t fd, uint64_t rights, uint16_t *e);
/* Puts host fd h in the lowest free slot; closes h and returns MFILE/NOMEM
 * when there is none. */
uint16_t wasi_fd_add(struct wlab_wasi *w, int h, uint8_t type, uint64_t base,
		     uint64_t inheriting, uint32_t *out);
/* Closes a slot's host fd and stream and frees it. */
void wasi_fd_release(struct wasi_fd *f);
/* The WASI file type of a stat mode. */
uint8_t wasi_filetype(unsigned mode);

struct stat;
struct timespec;
/* The bytes of snapshot s's filestat: 64 in preview1, 56 in snapshot 0
 * (its linkcount is u32). */
uint32_t wasi_filestat_size(enum wasi_snapshot s);
/* Writes snapshot s's filestat of st at p (wasi_filestat_size(s) bytes):
 * the layouts are wasi_fd.c's filestat table. */
void wasi_put_filestat(uint8_t *p, const struct stat *st, enum wasi_snapshot s);
/* The two timespecs of futimens/utimensat from WASI times and fstflags;
 * false for unknown flags or both X and X_NOW. */
bool wasi_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2]);

/* A guest path resolved to (dirfd, name): name is one component ("." for
 * the directory itself), never "..", never holding '/'; every directory on
 * the way was opened with O_NOFOLLOW from one inside the preopen, and
 * symlinks met on the way were expanded here, so a call
 * *at(dirfd, name, <no follow>) stays in the sandbox. dirfd is owned
 * (closed by wasi_path_done) unless it is the base fd. */
struct wasi_path {
	int dirfd;
	bool owned;
	bool must_dir;  /* the path ended in '/' */
	char *name;
};

/* Resolves path (len bytes, not NUL-terminated) under base. follow: a
 * symlink as the last component is expanded too. Returns SUCCESS, or
 * NOTCAPABLE (an absolute path or symlink, ".." above base), LOOP (more
 * than 40 symlinks), NOENT (empty path, a missing directory on the way),
 * NOTDIR, INVAL (a NUL byte), NAMETOOLONG, NOMEM... */
uint16_t wasi_path_resolve(int base, const char *path, size_t len, bool follow,
			   struct wasi_path *out);
void wasi_path_done(struct wasi_path *p);

#endif
