/* snapshots.c: a wasi suite program without libc, built once per WASI
 * snapshot so that it imports that snapshot's module only: with
 * -DSNAPSHOT0 "wasi_unstable" (snapshot 0), else "wasi_snapshot_preview1".
 * It calls what the two snapshots number or lay out differently (fd_seek's
 * whence, filestat, poll_oneoff's subscription, the rights fd_fdstat_get
 * reports) and some of what they share (args, environ, fd_readdir's
 * dirent), reads every record at the offsets its snapshot's witx gives,
 * and prints what it read; run.sh compares that with snapshot0.expected
 * and preview1.expected. A host that mixed the layouts up reads the wrong
 * fields (a preview1 filestat read as snapshot 0's has nlink 0 and size
 * 2) or writes past a record (the canary after it changes). */
#include <stdint.h>

#ifdef SNAPSHOT0
#define MODULE "wasi_unstable"
/* legacy/preview0/witx/typenames.witx: whence, filestat (linkcount u32),
 * subscription_clock (a u64 identifier first). */
enum { WHENCE_SET = 2, WHENCE_CUR = 0, WHENCE_END = 1 };
enum { FILESTAT_SIZE = 56, FS_NLINK = 20, FS_NLINK_BYTES = 4, FS_SIZE = 24, FS_MTIM = 40 };
enum { SUB_SIZE = 56, SUB_IDENTIFIER = 16, SUB_CLOCK_ID = 24, SUB_TIMEOUT = 32,
       SUB_PRECISION = 40, SUB_FLAGS = 48 };
#else
#define MODULE "wasi_snapshot_preview1"
enum { WHENCE_SET = 0, WHENCE_CUR = 1, WHENCE_END = 2 };
enum { FILESTAT_SIZE = 64, FS_NLINK = 24, FS_NLINK_BYTES = 8, FS_SIZE = 32, FS_MTIM = 48 };
enum { SUB_SIZE = 48, SUB_CLOCK_ID = 16, SUB_TIMEOUT = 24, SUB_PRECISION = 32,
       SUB_FLAGS = 40 };
#endif
/* The same in both. */
enum { SUB_USERDATA = 0, SUB_TAG = 8, EV_SIZE = 32, EV_USERDATA = 0, EV_ERROR = 8, EV_TYPE = 10,
       DIRENT_SIZE = 24, DIRENT_NAMLEN = 16, DIRENT_TYPE = 20 };
enum { DIR = 3, CLOCK_MONOTONIC = 1, ABSTIME = 1, O_CREAT = 1, O_TRUNC = 8 };
#define R_READ (1u << 1)
#define R_SEEK (1u << 2)
#define R_TELL (1u << 5)
#define R_WRITE (1u << 6)
#define R_FILESTAT_GET (1u << 21)

#define IMPORT(name) __attribute__((import_module(MODULE), import_name(#name)))
IMPORT(args_sizes_get) int32_t w_args_sizes_get(int32_t, int32_t);
IMPORT(args_get) int32_t w_args_get(int32_t, int32_t);
IMPORT(environ_sizes_get) int32_t w_environ_sizes_get(int32_t, int32_t);
IMPORT(environ_get) int32_t w_environ_get(int32_t, int32_t);
IMPORT(fd_write) int32_t w_fd_write(int32_t, int32_t, int32_t, int32_t);
IMPORT(fd_read) int32_t w_fd_read(int32_t, int32_t, int32_t, int32_t);
IMPORT(fd_seek) int32_t w_fd_seek(int32_t, int64_t, int32_t, int32_t);
IMPORT(fd_close) int32_t w_fd_close(int32_t);
IMPORT(fd_fdstat_get) int32_t w_fd_fdstat_get(int32_t, int32_t);
IMPORT(fd_filestat_get) int32_t w_fd_filestat_get(int32_t, int32_t);
IMPORT(fd_readdir) int32_t w_fd_readdir(int32_t, int32_t, int32_t, int64_t, int32_t);
IMPORT(path_open) int32_t w_path_open(int32_t, int32_t, int32_t, int32_t, int32_t, int64_t,
				      int64_t, int32_t, int32_t);
IMPORT(path_filestat_get) int32_t w_path_filestat_get(int32_t, int32_t, int32_t, int32_t,
						      int32_t);
IMPORT(path_link) int32_t w_path_link(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t,
				      int32_t);
IMPORT(path_unlink_file) int32_t w_path_unlink_file(int32_t, int32_t, int32_t);
IMPORT(poll_oneoff) int32_t w_poll_oneoff(int32_t, int32_t, int32_t, int32_t);
IMPORT(proc_exit) _Noreturn void w_proc_exit(int32_t);

/* Guest addresses as the i32 the imports take. */
#define A(p) ((int32_t)(uintptr_t)(p))

static char out[4096];
static uint32_t outlen;

static void put(const char *s)
{
	while (*s && outlen < sizeof out)
		out[outlen++] = *s++;
}

static void put_u(uint64_t v)
{
	char b[20];
	int n = 0;
	do
		b[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n && outlen < sizeof out)
		out[outlen++] = b[--n];
}

static void put_x(uint64_t v)
{
	char b[16];
	int n = 0;
	put("0x");
	do
		b[n++] = "0123456789abcdef"[v & 15];
	while (v >>= 4);
	while (n && outlen < sizeof out)
		out[outlen++] = b[--n];
}

/* "what: e"; the caller adds the rest of the line. */
static void show(const char *what, int32_t e)
{
	put(what);
	put(": ");
	put_u((uint32_t)e);
}

static uint32_t len(const char *s)
{
	uint32_t n = 0;
	while (s[n])
		n++;
	return n;
}

static void fill(uint8_t *p, uint8_t v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = v;
}

static uint64_t ld(const uint8_t *p, int bytes)
{
	uint64_t v = 0;
	for (int i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void st(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint8_t *mem_end(void)
{
	return (uint8_t *)(uintptr_t)(__builtin_wasm_memory_size(0) * 65536);
}

/* argv or environ: the count, the bytes, and each string but argv[0]
 * (the module's path, which differs by runner). */
static void strings(const char *what, int env)
{
	static char *vec[16];
	static char buf[512];
	uint32_t n = 0, size = 0;
	int32_t e = env ? w_environ_sizes_get(A(&n), A(&size)) : w_args_sizes_get(A(&n), A(&size));
	show(what, e);
	if (e || n > 16 || size > sizeof buf) {
		put("\n");
		return;
	}
	e = env ? w_environ_get(A(vec), A(buf)) : w_args_get(A(vec), A(buf));
	put(", get ");
	put_u((uint32_t)e);
	put(", count ");
	put_u(n);
	if (!env)  /* the bytes after argv[0] */
		size -= len(vec[0]) + 1;
	put(", bytes ");
	put_u(size);
	put("\n");
	for (uint32_t i = env ? 0 : 1; i < n; i++) {
		put("  [");
		put(vec[i]);
		put("]\n");
	}
	/* The vector placed so that its last pointer would cross the end. */
	e = env ? w_environ_get(A(mem_end() - 4 * n + 1), A(buf))
		: w_args_get(A(mem_end() - 4 * n + 1), A(buf));
	put(what);
	put(" vector past the end: ");
	put_u((uint32_t)e);
	put("\n");
}

static void seek(int32_t fd, const char *what, int64_t delta, int32_t whence)
{
	uint64_t at = 0;
	int32_t e = w_fd_seek(fd, delta, whence, A(&at));
	show(what, e);
	if (!e) {
		put(" at ");
		put_u(at);
	}
	put("\n");
}

static int32_t open_file(const char *name, int32_t oflags, uint64_t rights, int32_t *fd)
{
	return w_path_open(DIR, 0, A(name), (int32_t)len(name), oflags, (int64_t)rights, 0, 0,
			   A(fd));
}

static void seeks(void)
{
	static uint8_t text[] = "0123456789";
	static uint8_t one[1];
	int32_t fd = -1, rfd = -1;
	uint32_t iov[2], n = 0;
	show("open f", open_file("f", O_CREAT | O_TRUNC,
				 R_READ | R_WRITE | R_SEEK | R_TELL | R_FILESTAT_GET, &fd));
	put("\n");
	iov[0] = (uint32_t)A(text);
	iov[1] = 10;
	show("write 10", w_fd_write(fd, A(iov), 1, A(&n)));
	put(", wrote ");
	put_u(n);
	put("\n");
	seek(fd, "seek SET +2", 2, WHENCE_SET);
	seek(fd, "seek CUR +3", 3, WHENCE_CUR);
	seek(fd, "seek END -1", -1, WHENCE_END);
	iov[0] = (uint32_t)A(one);
	iov[1] = 1;
	show("read 1", w_fd_read(fd, A(iov), 1, A(&n)));
	put(", got ");
	put_u(n);
	put(" [");
	put_u(one[0] - '0');
	put("]\n");
	seek(fd, "seek CUR 0", 0, WHENCE_CUR);
	seek(fd, "seek whence 3", 0, 3);
	/* Without FD_SEEK, (0, CUR) is a tell and allowed; SET is not. */
	show("open f, tell right only", open_file("f", 0, R_READ | R_TELL, &rfd));
	put("\n");
	seek(rfd, "tell-only seek CUR 0", 0, WHENCE_CUR);
	seek(rfd, "tell-only seek SET 0", 0, WHENCE_SET);
	w_fd_close(rfd);
	w_fd_close(fd);
}

/* A filestat read at the snapshot's offsets, and a canary after it. */
static void show_filestat(const char *what, int32_t e, const uint8_t *p)
{
	int pad_zero = 1;
	for (int i = 17; i < FS_NLINK; i++)
		pad_zero &= p[i] == 0;
	show(what, e);
	put(", filetype ");
	put_u(p[16]);
	put(", nlink ");
	put_u(ld(p + FS_NLINK, FS_NLINK_BYTES));
	put(", size ");
	put_u(ld(p + FS_SIZE, 8));
	put(", mtim ");
	put(ld(p + FS_MTIM, 8) ? "set" : "0");
	put(", padding ");
	put(pad_zero ? "zero" : "NOT ZERO");
	put(", canary ");
	put(ld(p + FILESTAT_SIZE, 8) == 0xa5a5a5a5a5a5a5a5u ? "intact" : "CHANGED");
	put("\n");
}

static void filestats(void)
{
	static uint8_t buf[FILESTAT_SIZE + 8];
	int32_t fd = -1;
	show("link f g", w_path_link(DIR, 0, A("f"), 1, DIR, A("g"), 1));
	put("\n");
	show("open f", open_file("f", 0, R_READ | R_FILESTAT_GET, &fd));
	put("\n");
	fill(buf, 0xa5, sizeof buf);
	show_filestat("fd_filestat_get", w_fd_filestat_get(fd, A(buf)), buf);
	fill(buf, 0xa5, sizeof buf);
	show_filestat("path_filestat_get g", w_path_filestat_get(DIR, 0, A("g"), 1, A(buf)), buf);
	/* The record fits exactly at the end of memory, and one byte later
	 * does not: the host checks the snapshot's size. */
	show("fd_filestat_get at the end", w_fd_filestat_get(fd, A(mem_end() - FILESTAT_SIZE)));
	put("\n");
	show("fd_filestat_get 1 past", w_fd_filestat_get(fd, A(mem_end() - FILESTAT_SIZE + 1)));
	put("\n");
	show("path_filestat_get at the end",
	     w_path_filestat_get(DIR, 0, A("g"), 1, A(mem_end() - FILESTAT_SIZE)));
	put("\n");
	show("path_filestat_get 1 past",
	     w_path_filestat_get(DIR, 0, A("g"), 1, A(mem_end() - FILESTAT_SIZE + 1)));
	put("\n");
	w_fd_close(fd);
}

static void clock_sub(uint8_t *s, uint64_t userdata, uint32_t clock, uint64_t timeout,
		      uint16_t flags)
{
	fill(s, 0, SUB_SIZE);
	st(s + SUB_USERDATA, userdata, 8);
	s[SUB_TAG] = 0;
#ifdef SNAPSHOT0
	/* Read as preview1's clock id, this is no clock: INVAL. */
	st(s + SUB_IDENTIFIER, 0x77, 8);
#endif
	st(s + SUB_CLOCK_ID, clock, 4);
	st(s + SUB_TIMEOUT, timeout, 8);
	st(s + SUB_PRECISION, 1, 8);  /* read as preview1's flags: ABSTIME */
	st(s + SUB_FLAGS, flags, 2);
}

static void show_poll(const char *what, int32_t e, uint32_t n, const uint8_t *ev)
{
	show(what, e);
	if (e) {
		put("\n");
		return;
	}
	put(", events ");
	put_u(n);
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *p = ev + i * EV_SIZE;
		put(" (userdata ");
		put_u(ld(p + EV_USERDATA, 8));
		put(" error ");
		put_u(ld(p + EV_ERROR, 2));
		put(" type ");
		put_u(p[EV_TYPE]);
		put(")");
	}
	put("\n");
}

static void polls(void)
{
	static uint8_t subs[2 * SUB_SIZE], ev[2 * EV_SIZE];
	uint32_t n = 0;
	/* 1 ms from now, and a deadline far in the future: the first fires. */
	clock_sub(subs, 11, CLOCK_MONOTONIC, 1000000, 0);
	clock_sub(subs + SUB_SIZE, 22, CLOCK_MONOTONIC, UINT64_MAX / 2, ABSTIME);
	show_poll("poll 1 ms and far", w_poll_oneoff(A(subs), A(ev), 2, A(&n)), n, ev);
	/* An absolute deadline long past: at once. */
	clock_sub(subs, 33, CLOCK_MONOTONIC, 1, ABSTIME);
	show_poll("poll past deadline", w_poll_oneoff(A(subs), A(ev), 1, A(&n)), n, ev);
	/* No clock 9: an event with INVAL. */
	clock_sub(subs, 44, 9, 0, 0);
	show_poll("poll clock 9", w_poll_oneoff(A(subs), A(ev), 1, A(&n)), n, ev);
	/* One subscription fits exactly at the end of memory; a byte later not. */
	uint8_t *end = mem_end() - SUB_SIZE;
	clock_sub(end, 55, CLOCK_MONOTONIC, 0, 0);
	show_poll("poll sub at the end", w_poll_oneoff(A(end), A(ev), 1, A(&n)), n, ev);
	show_poll("poll sub 1 past", w_poll_oneoff(A(end + 1), A(ev), 1, A(&n)), n, ev);
}

static void fdstat(void)
{
	static uint8_t st_buf[24];
	show("fd_fdstat_get 3", w_fd_fdstat_get(DIR, A(st_buf)));
	put(", filetype ");
	put_u(st_buf[0]);
	put(", inheriting ");
	put_x(ld(st_buf + 16, 8));
	put("\n");
}

static int entry_named(const uint8_t *p, uint32_t namlen, const char *name)
{
	if (namlen != len(name))
		return 0;
	for (uint32_t i = 0; i < namlen; i++)
		if (p[DIRENT_SIZE + i] != (uint8_t)name[i])
			return 0;
	return 1;
}

static void readdir(void)
{
	static uint8_t buf[2048];
	uint32_t used = 0;
	int32_t e = w_fd_readdir(DIR, A(buf), sizeof buf, 0, A(&used));
	int f = -1, g = -1;
	for (uint32_t at = 0; !e && at + DIRENT_SIZE <= used;) {
		uint32_t namlen = (uint32_t)ld(buf + at + DIRENT_NAMLEN, 4);
		if (entry_named(buf + at, namlen, "f"))
			f = buf[at + DIRENT_TYPE];
		if (entry_named(buf + at, namlen, "g"))
			g = buf[at + DIRENT_TYPE];
		at += DIRENT_SIZE + namlen;
	}
	show("fd_readdir", e);
	put(", f type ");
	put_u((uint32_t)f);
	put(", g type ");
	put_u((uint32_t)g);
	put("\n");
}

void _start(void)
{
	uint32_t iov[2], n;
	put("module " MODULE "\n");
	strings("args", 0);
	strings("environ", 1);
	fdstat();
	seeks();
	filestats();
	polls();
	readdir();
	show("unlink f", w_path_unlink_file(DIR, A("f"), 1));
	show(", unlink g", w_path_unlink_file(DIR, A("g"), 1));
	put("\n");
	iov[0] = (uint32_t)A(out);
	iov[1] = outlen;
	w_fd_write(1, A(iov), 1, A(&n));
	w_proc_exit(0);
}
