/* test_wasi.c: the WASI host: the sandboxed path resolver (one table row
 * per path, in a scratch tree with symlinks that point out), FAULT for
 * guest pointers outside the memory, the function table, args, preopens,
 * proc_exit, errno translation and a few fd calls on a real file. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "../fs_tree.h"
#include "util.h"
#include "util_inst.h"
#include "wasi_internal.h"
#include "wlab/runtime.h"
#include "wlab/wasi.h"

/* The scratch tree: top/ holds secret.txt and base/, the sandbox. */
static char top[64];

static const char *const dirs[] = {"base", "base/sub", "base/sub/deep"};
static const char *const files[] = {"secret.txt", "base/f.txt", "base/sub/g.txt"};
static const char *const links[][2] = {
	{"base/out", "../secret.txt"},  {"base/abs", "/etc/passwd"},
	{"base/absdir", "/tmp"},        {"base/loop1", "loop2"},
	{"base/loop2", "loop1"},        {"base/up", ".."},
	{"base/self", "."},             {"base/ok", "sub/g.txt"},
	{"base/chain", "ok"},           {"base/chainout", "sub/deep/esc"},
	{"base/sub/deep/esc", "../../../secret.txt"},
	{"base/sub/deep/back", "../../f.txt"},
	{"base/dangle", "nothing"},     {"base/dangleout", "../made.txt"},
	{"base/subdir", "sub/"},        {"base/empty_ok", "sub/./deep/.."},
};

static void path_at(char *buf, size_t n, const char *rel)
{
	snprintf(buf, n, "%s/%s", top, rel);
}

static int setup_tree(void **state)
{
	char p[256];
	(void)state;
	strcpy(top, "/tmp/wlab-test-wasi-XXXXXX");
	if (!mkdtemp(top))
		return -1;
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		path_at(p, sizeof p, dirs[i]);
		if (mkdir(p, 0755) != 0)
			return -1;
	}
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		path_at(p, sizeof p, files[i]);
		int fd = open(p, O_CREAT | O_WRONLY, 0644);
		if (fd < 0 || write(fd, "data", 4) != 4)
			return -1;
		close(fd);
	}
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
		path_at(p, sizeof p, links[i][0]);
		if (symlink(links[i][1], p) != 0)
			return -1;
	}
	return 0;
}

static int teardown_tree(void **state)
{
	(void)state;
	remove_tree(AT_FDCWD, top);
	return 0;
}

/* One path: follow the last symlink?, the errno, and on success the
 * directory (relative to top) and the name it resolves to. */
struct pcase {
	const char *path;
	bool follow;
	uint16_t e;
	const char *dir, *name;
};

static const struct pcase pcases[] = {
	{"f.txt", false, WASI_ESUCCESS, "base", "f.txt"},
	{"sub/g.txt", false, WASI_ESUCCESS, "base/sub", "g.txt"},
	{"sub//g.txt", false, WASI_ESUCCESS, "base/sub", "g.txt"},
	{"./sub/./g.txt", false, WASI_ESUCCESS, "base/sub", "g.txt"},
	{"sub/deep/../g.txt", false, WASI_ESUCCESS, "base/sub", "g.txt"},
	{"sub/..", false, WASI_ESUCCESS, "base", "."},
	{".", false, WASI_ESUCCESS, "base", "."},
	{"sub/", false, WASI_ESUCCESS, "base", "sub"},
	{"new.txt", true, WASI_ESUCCESS, "base", "new.txt"},
	{"sub/new", true, WASI_ESUCCESS, "base/sub", "new"},
	{"ok", false, WASI_ESUCCESS, "base", "ok"},
	{"ok", true, WASI_ESUCCESS, "base/sub", "g.txt"},
	{"chain", true, WASI_ESUCCESS, "base/sub", "g.txt"},
	{"self/self/f.txt", false, WASI_ESUCCESS, "base", "f.txt"},
	{"sub/deep/back", true, WASI_ESUCCESS, "base", "f.txt"},
	{"subdir/g.txt", false, WASI_ESUCCESS, "base/sub", "g.txt"},
	{"empty_ok/g.txt", false, WASI_ESUCCESS, "base/sub", "g.txt"},
	{"dangle", true, WASI_ESUCCESS, "base", "nothing"},
	{"out", false, WASI_ESUCCESS, "base", "out"},
	{"..", false, WASI_ENOTCAPABLE, NULL, NULL},
	{"../secret.txt", false, WASI_ENOTCAPABLE, NULL, NULL},
	{"sub/../../secret.txt", false, WASI_ENOTCAPABLE, NULL, NULL},
	{"sub/deep/../../..", false, WASI_ENOTCAPABLE, NULL, NULL},
	{"/etc/passwd", false, WASI_ENOTCAPABLE, NULL, NULL},
	{"/", false, WASI_ENOTCAPABLE, NULL, NULL},
	{"out", true, WASI_ENOTCAPABLE, NULL, NULL},
	{"out/", false, WASI_ENOTCAPABLE, NULL, NULL},
	{"abs", true, WASI_ENOTCAPABLE, NULL, NULL},
	{"absdir/x", false, WASI_ENOTCAPABLE, NULL, NULL},
	{"up/secret.txt", false, WASI_ENOTCAPABLE, NULL, NULL},
	{"up", true, WASI_ENOTCAPABLE, NULL, NULL},
	{"self/../secret.txt", false, WASI_ENOTCAPABLE, NULL, NULL},
	{"chainout", true, WASI_ENOTCAPABLE, NULL, NULL},
	{"sub/deep/esc", true, WASI_ENOTCAPABLE, NULL, NULL},
	{"dangleout", true, WASI_ENOTCAPABLE, NULL, NULL},
	{"loop1", true, WASI_ELOOP, NULL, NULL},
	{"loop1/x", false, WASI_ELOOP, NULL, NULL},
	{"", false, WASI_ENOENT, NULL, NULL},
	{"missing/x", false, WASI_ENOENT, NULL, NULL},
	{"f.txt/x", false, WASI_ENOTDIR, NULL, NULL},
	{"f.txt/", false, WASI_ENOTDIR, NULL, NULL},
};

/* True when fd is the directory top/rel. */
static bool same_dir(int fd, const char *rel)
{
	char p[256];
	struct stat a, b;
	path_at(p, sizeof p, rel);
	return fstat(fd, &a) == 0 && stat(p, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

static void test_resolve(void **state)
{
	char p[256];
	size_t failed = 0, n = sizeof pcases / sizeof pcases[0];
	(void)state;
	path_at(p, sizeof p, "base");
	int base = open(p, O_RDONLY | O_DIRECTORY);
	assert_true(base >= 0);
	for (size_t i = 0; i < n; i++) {
		const struct pcase *c = &pcases[i];
		struct wasi_path r;
		char what[96];
		snprintf(what, sizeof what, "resolve \"%s\"%s", c->path, c->follow ? " (follow)" : "");
		uint16_t e = wasi_path_resolve(base, c->path, strlen(c->path), c->follow, &r);
		if (e != c->e) {
			failed += !tu_row_failed(what, "errno %u, want %u", e, c->e);
		} else if (!e && (strcmp(r.name, c->name) != 0 || !same_dir(r.dirfd, c->dir))) {
			failed += !tu_row_failed(what, "got %s in another directory than %s/%s", r.name,
						 c->dir, c->name);
		} else if (!e && r.owned != (r.dirfd != base)) {
			failed += !tu_row_failed(what, "owned is wrong");
		}
		if (!e)
			wasi_path_done(&r);
	}
	close(base);
	tu_table_done("resolve", failed, n);
}

/* A NUL inside the path, an over-long one, one component too long. */
static void test_resolve_limits(void **state)
{
	char p[256];
	struct wasi_path r;
	(void)state;
	path_at(p, sizeof p, "base");
	int base = open(p, O_RDONLY | O_DIRECTORY);
	assert_true(base >= 0);
	assert_int_equal(wasi_path_resolve(base, "f.txt\0x", 7, false, &r), WASI_EINVAL);
	char *big = malloc(5000);
	memset(big, 'a', 5000);
	assert_int_equal(wasi_path_resolve(base, big, 5000, false, &r), WASI_ENAMETOOLONG);
	assert_int_equal(wasi_path_resolve(base, big, 300, false, &r), WASI_ENAMETOOLONG);
	free(big);
	/* No descriptor leaks: the next open gets the same number each time. */
	int before = dup(0);
	close(before);
	for (int i = 0; i < 20; i++) {
		if (wasi_path_resolve(base, "sub/deep/back", 13, true, &r) == 0)
			wasi_path_done(&r);
		wasi_path_resolve(base, "sub/deep/../../..", 17, false, &r);
	}
	int after = dup(0);
	close(after);
	assert_int_equal(before, after);
	close(base);
}

/* A host with one page of memory and a preopen of top/base as ".". */
struct host {
	struct wlab_store *s;
	struct wlab_wasi *w;
	struct rt_memory *mem;
	uint8_t *data;
	uint64_t size;
};

static void host_new(struct host *h, bool with_memory)
{
	char p[256];
	path_at(p, sizeof p, "base");
	static char *argv[] = {"prog", "one", "two"};
	static char *env[] = {"A=1"};
	struct wlab_wasi_preopen pre = {p, "."};
	struct wlab_wasi_options o = {3, argv, 1, env, 1, &pre, -1, -1, -1};
	struct wlab_error err = {0};
	h->s = wlab_store_new(NULL);
	h->w = wlab_wasi_new(&o, &err);
	assert_non_null(h->s);
	assert_non_null(h->w);
	h->mem = wlab_memory_new(h->s, 1, false, 0);
	assert_non_null(h->mem);
	if (with_memory)
		wlab_wasi_set_memory(h->w, h->mem);
	h->data = wlab_memory_data(h->mem, &h->size);
}

static void host_free(struct host *h)
{
	wlab_wasi_free(h->w);
	wlab_store_free(h->s);
}

/* Calls a WASI function by name; returns its errno, or 1000 + a trap. */
static uint64_t call(struct host *h, const char *name, const uint64_t *args)
{
	const struct wlab_wasi_func *f = wlab_wasi_lookup(name, strlen(name));
	uint64_t r[1] = {0xdead};
	assert_non_null(f);
	enum wlab_trap t = f->fn(h->w, args, r);
	return t ? 1000 + (uint64_t)t : r[0];
}

#define CALL(h, name, ...) call((h), (name), (const uint64_t[]){__VA_ARGS__})
#define END 65536u  /* the first byte past the memory */

static void test_efault(void **state)
{
	struct host h;
	(void)state;
	host_new(&h, true);
	assert_int_equal(h.size, END);
	/* Writes that would end one byte past the memory. */
	assert_int_equal(CALL(&h, "args_sizes_get", END - 3, 0), WASI_EFAULT);
	assert_int_equal(CALL(&h, "args_sizes_get", 0, 0xffffffff), WASI_EFAULT);
	assert_int_equal(CALL(&h, "args_get", END - 8, 0), WASI_EFAULT);     /* 3 pointers */
	assert_int_equal(CALL(&h, "args_get", 0, END - 12), WASI_EFAULT);    /* 13 bytes */
	assert_int_equal(CALL(&h, "environ_get", 0, END - 3), WASI_EFAULT);  /* "A=1\0" */
	assert_int_equal(CALL(&h, "clock_time_get", 1, 0, END - 7), WASI_EFAULT);
	assert_int_equal(CALL(&h, "clock_res_get", 0, END - 4), WASI_EFAULT);
	assert_int_equal(CALL(&h, "random_get", END - 99, 100), WASI_EFAULT);
	assert_int_equal(CALL(&h, "random_get", 0xffffffff, 0xffffffff), WASI_EFAULT);
	assert_int_equal(CALL(&h, "fd_prestat_get", 3, END - 7), WASI_EFAULT);
	assert_int_equal(CALL(&h, "fd_prestat_dir_name", 3, END, 1), WASI_EFAULT);
	assert_int_equal(CALL(&h, "fd_fdstat_get", 3, END - 23), WASI_EFAULT);
	assert_int_equal(CALL(&h, "fd_filestat_get", 3, END - 63), WASI_EFAULT);
	assert_int_equal(CALL(&h, "path_open", 3, 0, END - 2, 5, 0, 2, 0, 0, 0), WASI_EFAULT);
	assert_int_equal(CALL(&h, "path_open", 3, 0, 0, 0xffffffff, 0, 2, 0, 0, 0), WASI_EFAULT);
	assert_int_equal(CALL(&h, "path_filestat_get", 3, 0, 100, 1, END - 8), WASI_EFAULT);
	assert_int_equal(CALL(&h, "path_readlink", 3, 100, 2, END - 4, 5, 0), WASI_EFAULT);
	assert_int_equal(CALL(&h, "path_symlink", END - 1, 2, 3, 100, 2), WASI_EFAULT);
	assert_int_equal(CALL(&h, "poll_oneoff", 0, 0, 0x10000000, 0), WASI_EFAULT);
	assert_int_equal(CALL(&h, "fd_readdir", 3, END - 10, 11, 0, 0), WASI_EFAULT);
	/* iovecs on a file: the array itself, then a buffer it names. */
	memcpy(h.data + 100, "ef.txt", 6);
	assert_int_equal(CALL(&h, "path_open", 3, 0, 100, 6, WASI_O_CREAT,
			      WASI_R_FD_READ | WASI_R_FD_WRITE | WASI_R_FD_SEEK | WASI_R_FD_TELL,
			      0, 0, 0), 0);
	uint32_t fd;
	memcpy(&fd, h.data, 4);
	assert_int_equal(CALL(&h, "fd_write", fd, END - 4, 1, 8), WASI_EFAULT);
	assert_int_equal(CALL(&h, "fd_write", fd, 64, 0x7fffffff, 8), WASI_EFAULT);
	uint32_t iov[4] = {200, 4, END - 4, 5};
	memcpy(h.data + 64, iov, 16);
	assert_int_equal(CALL(&h, "fd_write", fd, 64, 2, 8), WASI_EFAULT);
	assert_int_equal(CALL(&h, "fd_read", fd, 64, 2, 8), WASI_EFAULT);
	assert_int_equal(CALL(&h, "fd_pwrite", fd, 64, 2, 0, 8), WASI_EFAULT);
	assert_int_equal(CALL(&h, "fd_pread", fd, 64, 2, 0, 8), WASI_EFAULT);
	assert_int_equal(CALL(&h, "fd_write", fd, 64, 1, END - 3), WASI_EFAULT);
	assert_int_equal(CALL(&h, "fd_seek", fd, 0, 0, END - 7), WASI_EFAULT);
	assert_int_equal(CALL(&h, "fd_tell", fd, END - 7), WASI_EFAULT);
	/* A failed call wrote nothing: the file is still empty. */
	assert_int_equal(CALL(&h, "fd_write", fd, 64, 1, 8), 0);
	assert_int_equal(CALL(&h, "fd_tell", fd, 16), 0);
	uint64_t at;
	memcpy(&at, h.data + 16, 8);
	assert_int_equal(at, 4);
	assert_int_equal(CALL(&h, "fd_close", fd), 0);
	assert_int_equal(CALL(&h, "path_unlink_file", 3, 100, 6), 0);
	/* Rights come before pointers: a directory cannot be written. */
	assert_int_equal(CALL(&h, "fd_write", 3, END - 4, 1, 0), WASI_ENOTCAPABLE);
	host_free(&h);
}

static void test_no_memory(void **state)
{
	struct host h;
	(void)state;
	host_new(&h, false);
	assert_int_equal(CALL(&h, "args_sizes_get", 0, 4), 1000 + WLAB_TRAP_HOST);
	assert_int_equal(CALL(&h, "fd_close", 77), WASI_EBADF);  /* needs no memory */
	host_free(&h);
}

static void test_args_env(void **state)
{
	struct host h;
	uint32_t v[4];
	(void)state;
	host_new(&h, true);
	assert_int_equal(CALL(&h, "args_sizes_get", 0, 4), 0);
	memcpy(v, h.data, 8);
	assert_int_equal(v[0], 3);
	assert_int_equal(v[1], 13);  /* "prog\0one\0two\0" */
	assert_int_equal(CALL(&h, "args_get", 100, 200), 0);
	memcpy(v, h.data + 100, 12);
	assert_int_equal(v[0], 200);
	assert_int_equal(v[1], 205);
	assert_int_equal(v[2], 209);
	assert_memory_equal(h.data + 200, "prog\0one\0two", 13);
	assert_int_equal(CALL(&h, "environ_sizes_get", 0, 4), 0);
	memcpy(v, h.data, 8);
	assert_int_equal(v[0], 1);
	assert_int_equal(v[1], 4);
	assert_int_equal(CALL(&h, "environ_get", 300, 400), 0);
	assert_string_equal((char *)h.data + 400, "A=1");
	/* The preopen: fd 3, ".", and no fd 4. */
	assert_int_equal(CALL(&h, "fd_prestat_get", 3, 0), 0);
	memcpy(v, h.data, 8);
	assert_int_equal(v[0] & 0xff, 0);
	assert_int_equal(v[1], 1);
	assert_int_equal(CALL(&h, "fd_prestat_dir_name", 3, 16, 1), 0);
	assert_int_equal(h.data[16], '.');
	assert_int_equal(CALL(&h, "fd_prestat_dir_name", 3, 16, 0), WASI_ENAMETOOLONG);
	assert_int_equal(CALL(&h, "fd_prestat_get", 4, 0), WASI_EBADF);
	assert_int_equal(CALL(&h, "fd_prestat_get", 0, 0), WASI_EBADF);  /* closed stdin */
	assert_int_equal(CALL(&h, "clock_time_get", 7, 0, 0), WASI_EINVAL);
	assert_int_equal(CALL(&h, "proc_raise", 6), WASI_ENOSYS);
	/* regression (issue 15 review): no fd is a socket, so NOTSOCK, not NOTSUP */
	assert_int_equal(CALL(&h, "sock_accept", 3, 0, 0), WASI_ENOTSOCK);
	assert_int_equal(CALL(&h, "sock_shutdown", 3, 2), WASI_ENOTSOCK);
	assert_int_equal(CALL(&h, "sock_recv", 9, 0, 0, 0, 0, 0), WASI_EBADF);
	assert_int_equal(CALL(&h, "proc_exit", 42), 1000 + WLAB_TRAP_EXIT);
	assert_int_equal(wlab_wasi_exit_code(h.w), 42);
	host_free(&h);
}

/* path_open, fd_write, fd_seek, fd_read, fd_filestat_get, fd_readdir and
 * path_unlink_file on a new file of the preopen. */
static void test_file_roundtrip(void **state)
{
	struct host h;
	uint32_t v;
	uint64_t q;
	(void)state;
	host_new(&h, true);
	memcpy(h.data + 100, "rt.txt", 6);
	uint64_t rights = WASI_R_FD_READ | WASI_R_FD_WRITE | WASI_R_FD_SEEK | WASI_R_FD_TELL |
			  WASI_R_FD_FILESTAT_GET;
	assert_int_equal(CALL(&h, "path_open", 3, 0, 100, 6, WASI_O_CREAT | WASI_O_EXCL, rights, 0,
			      0, 0), 0);
	memcpy(&v, h.data, 4);
	uint32_t fd = v;
	assert_true(fd >= 4);
	assert_int_equal(CALL(&h, "path_open", 3, 0, 100, 6, WASI_O_CREAT | WASI_O_EXCL, rights, 0,
			      0, 0), WASI_EEXIST);
	memcpy(h.data + 200, "hello", 5);
	uint32_t iov[2] = {200, 5};
	memcpy(h.data + 64, iov, 8);
	assert_int_equal(CALL(&h, "fd_write", fd, 64, 1, 8), 0);
	memcpy(&v, h.data + 8, 4);
	assert_int_equal(v, 5);
	assert_int_equal(CALL(&h, "fd_seek", fd, (uint64_t)-3, 1, 16), 0);
	memcpy(&q, h.data + 16, 8);
	assert_int_equal(q, 2);
	iov[0] = 300;
	memcpy(h.data + 64, iov, 8);
	assert_int_equal(CALL(&h, "fd_read", fd, 64, 1, 8), 0);
	memcpy(&v, h.data + 8, 4);
	assert_int_equal(v, 3);
	assert_memory_equal(h.data + 300, "llo", 3);
	assert_int_equal(CALL(&h, "fd_seek", fd, 0, 3, 16), WASI_EINVAL);
	assert_int_equal(CALL(&h, "fd_filestat_get", fd, 512), 0);
	assert_int_equal(h.data[512 + 16], WASI_FT_REGULAR_FILE);
	memcpy(&q, h.data + 512 + 32, 8);
	assert_int_equal(q, 5);
	/* Without the right: readdir on a file fd. */
	assert_int_equal(CALL(&h, "fd_readdir", fd, 1024, 256, 0, 8), WASI_ENOTCAPABLE);
	assert_int_equal(CALL(&h, "fd_close", fd), 0);
	assert_int_equal(CALL(&h, "fd_close", fd), WASI_EBADF);
	/* The listing of the preopen holds rt.txt, with d_namlen and d_type. */
	assert_int_equal(CALL(&h, "fd_readdir", 3, 1024, 4096, 0, 8), 0);
	memcpy(&v, h.data + 8, 4);
	assert_true(v > 0 && v < 4096);
	bool found = false;
	for (uint32_t at = 0; at + 24 <= v;) {
		uint32_t nlen;
		memcpy(&nlen, h.data + 1024 + at + 16, 4);
		if (nlen == 6 && memcmp(h.data + 1024 + at + 24, "rt.txt", 6) == 0)
			found = h.data[1024 + at + 20] == WASI_FT_REGULAR_FILE;
		at += 24 + nlen;
	}
	assert_true(found);
	assert_int_equal(CALL(&h, "path_unlink_file", 3, 100, 6), 0);
	assert_int_equal(CALL(&h, "path_unlink_file", 3, 100, 6), WASI_ENOENT);
	host_free(&h);
}

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* A subscription at guest offset at: userdata, tag, and the clock's
 * timeout and flags or the fd. */
static void put_sub(uint8_t *mem, uint32_t at, uint64_t userdata, uint8_t tag, uint64_t timeout,
		    uint16_t flags, uint32_t fd)
{
	memset(mem + at, 0, 48);
	memcpy(mem + at, &userdata, 8);
	mem[at + 8] = tag;
	if (tag == 0) {
		uint32_t id = 1;  /* monotonic */
		memcpy(mem + at + 16, &id, 4);
		memcpy(mem + at + 24, &timeout, 8);
		memcpy(mem + at + 40, &flags, 2);
	} else {
		memcpy(mem + at + 16, &fd, 4);
	}
}

static void test_poll(void **state)
{
	struct host h;
	uint32_t n;
	uint64_t u, t0;
	uint16_t err;
	(void)state;
	host_new(&h, true);
	/* One clock: sleeps at least its timeout, one event with its userdata. */
	put_sub(h.data, 0, 77, 0, 20000000, 0, 0);
	t0 = now_ns();
	assert_int_equal(CALL(&h, "poll_oneoff", 0, 1000, 1, 2000), 0);
	assert_true(now_ns() - t0 >= 20000000);
	memcpy(&n, h.data + 2000, 4);
	assert_int_equal(n, 1);
	memcpy(&u, h.data + 1000, 8);
	assert_int_equal(u, 77);
	memcpy(&err, h.data + 1008, 2);
	assert_int_equal(err, 0);
	assert_int_equal(h.data[1010], 0);
	/* An absolute time in the past is due at once. */
	put_sub(h.data, 0, 5, 0, 1, 1, 0);
	t0 = now_ns();
	assert_int_equal(CALL(&h, "poll_oneoff", 0, 1000, 1, 2000), 0);
	assert_true(now_ns() - t0 < 1000000000u);
	memcpy(&n, h.data + 2000, 4);
	assert_int_equal(n, 1);
	/* A readable file beats a 10 s clock; its nbytes is the size left. */
	memcpy(h.data + 3000, "f.txt", 5);
	assert_int_equal(CALL(&h, "path_open", 3, 0, 3000, 5, 0,
			      WASI_R_FD_READ | WASI_R_POLL_FD_READWRITE, 0, 0, 2004), 0);
	uint32_t fd;
	memcpy(&fd, h.data + 2004, 4);
	put_sub(h.data, 0, 1, 0, 10000000000u, 0, 0);
	put_sub(h.data, 48, 2, 1, 0, 0, fd);
	t0 = now_ns();
	assert_int_equal(CALL(&h, "poll_oneoff", 0, 1000, 2, 2000), 0);
	assert_true(now_ns() - t0 < 5000000000u);
	memcpy(&n, h.data + 2000, 4);
	assert_int_equal(n, 1);
	memcpy(&u, h.data + 1000, 8);
	assert_int_equal(u, 2);
	assert_int_equal(h.data[1010], 1);
	memcpy(&u, h.data + 1016, 8);
	assert_int_equal(u, 4);  /* "data" */
	/* A bad fd: an event with BADF, at once. */
	put_sub(h.data, 48, 9, 2, 0, 0, 999);
	assert_int_equal(CALL(&h, "poll_oneoff", 0, 1000, 2, 2000), 0);
	memcpy(&n, h.data + 2000, 4);
	assert_int_equal(n, 1);
	memcpy(&err, h.data + 1008, 2);
	assert_int_equal(err, WASI_EBADF);
	/* No subscriptions; a bad tag. */
	assert_int_equal(CALL(&h, "poll_oneoff", 0, 1000, 0, 2000), WASI_EINVAL);
	put_sub(h.data, 0, 3, 9, 0, 0, 0);
	assert_int_equal(CALL(&h, "poll_oneoff", 0, 1000, 1, 2000), 0);
	memcpy(&err, h.data + 1008, 2);
	assert_int_equal(err, WASI_EINVAL);
	assert_int_equal(CALL(&h, "fd_close", fd), 0);
	host_free(&h);
}

/* Every function (but poll_oneoff, which may sleep, and fd_allocate, which
 * may fill the disk) called many times with arguments from a list of edges
 * and memory of random bytes and short paths: no crash (the sanitizers
 * watch), no result but an errno, and the tree next to the preopen
 * unchanged whatever paths, symlinks and renames the calls made. */
static void test_random_calls(void **state)
{
	struct host h;
	char p[256];
	(void)state;
	path_at(p, sizeof p, "base/fuzz");
	assert_int_equal(mkdir(p, 0755), 0);
	static char *argv[] = {"prog"};
	struct wlab_wasi_preopen pre = {p, "/fuzz"};
	struct wlab_wasi_options o = {1, argv, 0, NULL, 1, &pre, -1, -1, -1};
	struct wlab_error err = {0};
	h.s = wlab_store_new(NULL);
	h.w = wlab_wasi_new(&o, &err);
	assert_non_null(h.w);
	h.mem = wlab_memory_new(h.s, 1, false, 0);
	wlab_wasi_set_memory(h.w, h.mem);
	h.data = wlab_memory_data(h.mem, &h.size);
	static const char *const words[] = {"..", ".", "a", "b", "../..", "/", "x/../..", "a/b",
					    "c", "b/c", "a/..", "c/a"};
	uint32_t seed = 12345;
#define RND() (seed = seed * 1103515245u + 12345u, seed >> 8)
	static const uint64_t edges[] = {0, 1, 2, 3, 4, 5, 6, 8, 16, 100, 512, 4096, END - 8,
					 END - 1, END, 0xffffffff, 0x80000000, 0xfffffffffull};
	/* Each function, with where its (path, len) pairs and directory fds
	 * are (-1: none). */
	static const struct {
		const char *name;
		int8_t path[2], fd[2];
	} fns[] = {
		{"args_get", {-1, -1}, {-1, -1}}, {"args_sizes_get", {-1, -1}, {-1, -1}},
		{"environ_get", {-1, -1}, {-1, -1}}, {"environ_sizes_get", {-1, -1}, {-1, -1}},
		{"clock_res_get", {-1, -1}, {-1, -1}}, {"clock_time_get", {-1, -1}, {-1, -1}},
		{"fd_advise", {-1, -1}, {-1, -1}}, {"fd_close", {-1, -1}, {-1, -1}},
		{"fd_datasync", {-1, -1}, {-1, -1}}, {"fd_fdstat_get", {-1, -1}, {0, -1}},
		{"fd_fdstat_set_flags", {-1, -1}, {-1, -1}},
		{"fd_fdstat_set_rights", {-1, -1}, {-1, -1}}, {"fd_filestat_get", {-1, -1}, {0, -1}},
		{"fd_filestat_set_size", {-1, -1}, {-1, -1}},
		{"fd_filestat_set_times", {-1, -1}, {0, -1}}, {"fd_pread", {-1, -1}, {-1, -1}},
		{"fd_prestat_get", {-1, -1}, {0, -1}}, {"fd_prestat_dir_name", {-1, -1}, {0, -1}},
		{"fd_pwrite", {-1, -1}, {-1, -1}}, {"fd_read", {-1, -1}, {-1, -1}},
		{"fd_readdir", {-1, -1}, {0, -1}}, {"fd_renumber", {-1, -1}, {-1, -1}},
		{"fd_seek", {-1, -1}, {-1, -1}}, {"fd_sync", {-1, -1}, {0, -1}},
		{"fd_tell", {-1, -1}, {-1, -1}}, {"fd_write", {-1, -1}, {-1, -1}},
		{"path_create_directory", {1, -1}, {0, -1}}, {"path_filestat_get", {2, -1}, {0, -1}},
		{"path_filestat_set_times", {2, -1}, {0, -1}}, {"path_link", {2, 5}, {0, 4}},
		{"path_open", {2, -1}, {0, -1}}, {"path_readlink", {1, -1}, {0, -1}},
		{"path_remove_directory", {1, -1}, {0, -1}}, {"path_rename", {1, 4}, {0, 3}},
		{"path_symlink", {0, 3}, {2, -1}}, {"path_unlink_file", {1, -1}, {0, -1}},
		{"proc_exit", {-1, -1}, {-1, -1}}, {"proc_raise", {-1, -1}, {-1, -1}},
		{"sched_yield", {-1, -1}, {-1, -1}}, {"random_get", {-1, -1}, {-1, -1}},
		{"sock_accept", {-1, -1}, {-1, -1}}, {"sock_recv", {-1, -1}, {-1, -1}},
		{"sock_send", {-1, -1}, {-1, -1}}, {"sock_shutdown", {-1, -1}, {-1, -1}},
	};
	unsigned ok = 0, paths_ok = 0, faults = 0;
	for (int round = 0; round < 1000; round++) {
		/* Fill low memory with short paths made of words, the rest with noise. */
		for (uint32_t i = 0; i < 4096; i++)
			h.data[i] = (uint8_t)RND();
		for (uint32_t at = 0; at < 512; at += 16) {
			const char *w1 = words[RND() % 12], *w2 = words[RND() % 12];
			snprintf((char *)h.data + at, 16, "%s/%s", w1, w2);
		}
		for (size_t k = 0; k < sizeof fns / sizeof fns[0]; k++) {
			const char *name = fns[k].name;
			uint64_t args[9];
			for (int i = 0; i < 9; i++) {
				uint32_t pick = RND() % 24;
				args[i] = pick < 18 ? edges[pick] : pick < 22 ? (RND() % 32) * 16 : RND();
			}
			/* Mostly well-formed: the preopen as the directory, word paths. */
			for (int i = 0; i < 2 && RND() % 4; i++) {
				if (fns[k].fd[i] >= 0)
					args[fns[k].fd[i]] = 3;
				if (fns[k].path[i] >= 0) {
					uint64_t at = (RND() % 32) * 16;
					args[fns[k].path[i]] = at;
					args[fns[k].path[i] + 1] = strlen((char *)h.data + at);
				}
			}
			/* Keep the preopen open and its rights whole. */
			if (strcmp(name, "fd_close") == 0 || strcmp(name, "fd_renumber") == 0 ||
			    strcmp(name, "fd_fdstat_set_rights") == 0) {
				args[0] = args[0] == 3 ? 4 : args[0];
				args[1] = args[1] == 3 ? 5 : args[1];
			}
			uint64_t r = call(&h, name, args);
			assert_true(r < 77 || r == 1000 + WLAB_TRAP_EXIT);
			ok += r == 0;
			paths_ok += r == 0 && strncmp(name, "path_", 5) == 0;
			faults += r == WASI_EFAULT;
		}
	}
	print_message("random calls: %u succeeded (%u path_*), %u FAULT\n", ok, paths_ok, faults);
	/* The calls reached the host, not only the argument checks. */
	assert_true(ok > 2000 && paths_ok > 100 && faults > 2000);
#undef RND
	host_free(&h);
	/* Outside the preopen, nothing moved. */
	char q[256];
	struct stat st;
	path_at(q, sizeof q, "secret.txt");
	assert_int_equal(stat(q, &st), 0);
	assert_int_equal(st.st_size, 4);
	path_at(q, sizeof q, "base/f.txt");
	assert_int_equal(stat(q, &st), 0);
	path_at(q, sizeof q, "base/sub/g.txt");
	assert_int_equal(stat(q, &st), 0);
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
		path_at(q, sizeof q, links[i][0]);
		assert_int_equal(lstat(q, &st), 0);
	}
	int dfd = open(top, O_RDONLY | O_DIRECTORY);
	DIR *d = fdopendir(dfd);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n++;
	closedir(d);
	assert_int_equal(n, 4);  /* ., .., base, secret.txt */
	path_at(q, sizeof q, "base/fuzz");
	remove_tree(AT_FDCWD, q);
}

static void test_table(void **state)
{
	(void)state;
	static const char *const names[] = {
		"args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get",
		"clock_time_get", "fd_advise", "fd_allocate", "fd_close", "fd_datasync",
		"fd_fdstat_get", "fd_fdstat_set_flags", "fd_fdstat_set_rights", "fd_filestat_get",
		"fd_filestat_set_size", "fd_filestat_set_times", "fd_pread", "fd_prestat_get",
		"fd_prestat_dir_name", "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber",
		"fd_seek", "fd_sync", "fd_tell", "fd_write", "path_create_directory",
		"path_filestat_get", "path_filestat_set_times", "path_link", "path_open",
		"path_readlink", "path_remove_directory", "path_rename", "path_symlink",
		"path_unlink_file", "poll_oneoff", "proc_exit", "proc_raise", "sched_yield",
		"random_get", "sock_accept", "sock_recv", "sock_send", "sock_shutdown"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		assert_non_null(wlab_wasi_lookup(names[i], strlen(names[i])));
	assert_null(wlab_wasi_lookup("fd_writ", 7));
	assert_null(wlab_wasi_lookup("sock_open", 9));
	const struct wlab_wasi_func *f = wlab_wasi_lookup("path_open", 9);
	assert_int_equal(f->nparams, 9);
	assert_int_equal(f->nresults, 1);
	assert_memory_equal(f->params, "\x7f\x7f\x7f\x7f\x7f\x7e\x7e\x7f\x7f", 9);
	f = wlab_wasi_lookup("proc_exit", 9);
	assert_int_equal(f->nresults, 0);
	f = wlab_wasi_lookup("fd_seek", 7);
	assert_memory_equal(f->params, "\x7f\x7e\x7f\x7f", 4);
	/* A missing preopen is an error, not a crash. */
	struct wlab_wasi_preopen pre = {"/nonexistent/wlab", "/x"};
	struct wlab_wasi_options o = {0, NULL, 0, NULL, 1, &pre, 0, 1, 2};
	struct wlab_error err = {0};
	assert_null(wlab_wasi_new(&o, &err));
	assert_int_equal(err.status, WLAB_IO);
	assert_non_null(strstr(err.message, "/nonexistent/wlab"));
	wlab_wasi_free(NULL);
}

/* Calls a function of "wasi_unstable" by name, as call() does preview1's. */
static uint64_t call0(struct host *h, const char *name, const uint64_t *args)
{
	const struct wlab_wasi_func *f =
		wlab_wasi_lookup_in("wasi_unstable", 13, name, strlen(name));
	uint64_t r[1] = {0xdead};
	assert_non_null(f);
	enum wlab_trap t = f->fn(h->w, args, r);
	return t ? 1000 + (uint64_t)t : r[0];
}

#define CALL0(h, name, ...) call0((h), (name), (const uint64_t[]){__VA_ARGS__})

/* Snapshot 0's table: preview1's names and types but sock_accept; its own
 * functions where its witx differs, preview1's elsewhere; no other module. */
static void test_snapshot0_table(void **state)
{
	(void)state;
	static const char *const own[] = {"fd_seek", "fd_filestat_get", "path_filestat_get",
					   "poll_oneoff", "fd_fdstat_get"};
	static const char *const same[] = {"fd_write", "path_open", "args_get", "proc_exit",
					   "fd_readdir", "sock_recv"};
	const char *m0 = WLAB_WASI_UNSTABLE_MODULE, *m1 = WLAB_WASI_MODULE;
	for (size_t i = 0; i < 5; i++) {
		const struct wlab_wasi_func *a =
			wlab_wasi_lookup_in(m0, 13, own[i], strlen(own[i]));
		const struct wlab_wasi_func *b = wlab_wasi_lookup(own[i], strlen(own[i]));
		assert_non_null(a);
		assert_non_null(b);
		assert_ptr_not_equal(a->fn, b->fn);
		assert_int_equal(a->nparams, b->nparams);
		assert_memory_equal(a->params, b->params, a->nparams);
	}
	for (size_t i = 0; i < 6; i++) {
		const struct wlab_wasi_func *a =
			wlab_wasi_lookup_in(m0, 13, same[i], strlen(same[i]));
		assert_non_null(a);
		assert_ptr_equal(a->fn, wlab_wasi_lookup(same[i], strlen(same[i]))->fn);
	}
	assert_null(wlab_wasi_lookup_in(m0, 13, "sock_accept", 11));
	assert_non_null(wlab_wasi_lookup_in(m1, strlen(m1), "sock_accept", 11));
	assert_ptr_equal(wlab_wasi_lookup_in(m1, strlen(m1), "fd_seek", 7),
			 wlab_wasi_lookup("fd_seek", 7));
	assert_null(wlab_wasi_lookup_in("wasi_unstablex", 14, "fd_seek", 7));
	assert_null(wlab_wasi_lookup_in("wasi_unstable", 12, "fd_seek", 7));
	assert_null(wlab_wasi_lookup_in("wasi", 4, "fd_seek", 7));
	assert_null(wlab_wasi_lookup_in("", 0, "fd_seek", 7));
}

/* fd_seek's whence, filestat and the subscription in snapshot 0's layout. */
static void test_snapshot0_calls(void **state)
{
	struct host h;
	uint64_t at, v;
	uint32_t n, fd;
	(void)state;
	host_new(&h, true);
	memcpy(h.data + 100, "s0.txt", 6);
	memcpy(h.data + 200, "abcdefgh", 8);
	uint32_t iov[2] = {200, 8};
	memcpy(h.data + 64, iov, 8);
	assert_int_equal(CALL0(&h, "path_open", 3, 0, 100, 6, WASI_O_CREAT | WASI_O_TRUNC,
			       WASI_R_FD_READ | WASI_R_FD_WRITE | WASI_R_FD_SEEK |
			       WASI_R_FD_TELL | WASI_R_FD_FILESTAT_GET, 0, 0, 0), 0);
	memcpy(&fd, h.data, 4);
	assert_int_equal(CALL0(&h, "fd_write", fd, 64, 1, 8), 0);
	/* whence: CUR 0, END 1, SET 2; 3 is INVAL. */
	static const struct { uint64_t delta; uint32_t whence, at; } seeks[] = {
		{3, 2, 3}, {2, 0, 5}, {(uint64_t)-1, 1, 7}, {0, 0, 7}};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(CALL0(&h, "fd_seek", fd, seeks[i].delta, seeks[i].whence, 16), 0);
		memcpy(&at, h.data + 16, 8);
		assert_int_equal(at, seeks[i].at);
	}
	assert_int_equal(CALL0(&h, "fd_seek", fd, 0, 3, 16), WASI_EINVAL);
	/* The same whence values mean SET, CUR, END in preview1. */
	assert_int_equal(CALL(&h, "fd_seek", fd, 3, 2, 16), 0);
	memcpy(&at, h.data + 16, 8);
	assert_int_equal(at, 11);
	/* filestat: 56 bytes, nlink u32 @20, size @24; the byte after stays. */
	memset(h.data + 1000, 0xa5, 64);
	assert_int_equal(CALL0(&h, "fd_filestat_get", fd, 1000), 0);
	assert_int_equal(h.data[1016], WASI_FT_REGULAR_FILE);
	memcpy(&n, h.data + 1020, 4);
	assert_int_equal(n, 1);
	memcpy(&v, h.data + 1024, 8);
	assert_int_equal(v, 8);
	assert_int_equal(h.data[1056], 0xa5);
	assert_int_equal(CALL0(&h, "fd_filestat_get", fd, END - 56), 0);
	assert_int_equal(CALL0(&h, "fd_filestat_get", fd, END - 55), WASI_EFAULT);
	assert_int_equal(CALL(&h, "fd_filestat_get", fd, END - 56), WASI_EFAULT);
	memset(h.data + 1000, 0xa5, 64);
	assert_int_equal(CALL0(&h, "path_filestat_get", 3, 0, 100, 6, 1000), 0);
	memcpy(&v, h.data + 1024, 8);
	assert_int_equal(v, 8);
	assert_int_equal(h.data[1056], 0xa5);
	assert_int_equal(CALL0(&h, "path_filestat_get", 3, 0, 100, 6, END - 55), WASI_EFAULT);
	/* A clock subscription: identifier @16, id @24, timeout @32, flags @48;
	 * 56 bytes, so the second starts at 56. */
	memset(h.data + 2000, 0, 112);
	for (uint32_t i = 0; i < 2; i++) {
		uint8_t *sub = h.data + 2000 + 56 * i;
		uint64_t userdata = 7 + i, ident = 0x99, timeout = i ? 1 : UINT64_MAX / 2;
		memcpy(sub, &userdata, 8);
		memcpy(sub + 16, &ident, 8);
		sub[24] = 1;  /* MONOTONIC */
		memcpy(sub + 32, &timeout, 8);
		sub[48] = 1;  /* ABSTIME */
	}
	assert_int_equal(CALL0(&h, "poll_oneoff", 2000, 3000, 2, 4000), 0);
	memcpy(&n, h.data + 4000, 4);
	assert_int_equal(n, 1);
	memcpy(&v, h.data + 3000, 8);
	assert_int_equal(v, 8);
	assert_int_equal(h.data[3008], 0);  /* no error */
	assert_int_equal(CALL0(&h, "poll_oneoff", END - 111, 3000, 2, 4000), WASI_EFAULT);
	/* fdstat: snapshot 0 has no SOCK_ACCEPT right. */
	assert_int_equal(CALL0(&h, "fd_fdstat_get", 3, 500), 0);
	memcpy(&v, h.data + 516, 8);
	assert_int_equal(v, WASI_RIGHTS_ALL & ~(uint64_t)WASI_R_SOCK_ACCEPT);
	assert_int_equal(CALL(&h, "fd_fdstat_get", 3, 500), 0);
	memcpy(&v, h.data + 516, 8);
	assert_int_equal(v, WASI_RIGHTS_ALL);
	assert_int_equal(CALL0(&h, "fd_close", fd), 0);
	host_free(&h);
}

/* wlab_wasi_define names both modules: a module importing either
 * instantiates, one importing snapshot 0's sock_accept does not. */
static void test_snapshot0_define(void **state)
{
	struct host h;
	struct tu_inst x;
	(void)state;
	host_new(&h, true);
	tu_inst_open(&x, "(module"
			 " (import \"wasi_unstable\" \"fd_seek\""
			 "  (func (param i32 i64 i32 i32) (result i32)))"
			 " (import \"wasi_snapshot_preview1\" \"fd_seek\""
			 "  (func (param i32 i64 i32 i32) (result i32)))"
			 " (import \"wasi_unstable\" \"poll_oneoff\""
			 "  (func (param i32 i32 i32 i32) (result i32))))", NULL);
	assert_int_equal(wlab_wasi_define(x.s, h.w), WLAB_OK);
	tu_inst_start(&x);
	tu_inst_close(&x);
	tu_inst_open(&x, "(module (import \"wasi_unstable\" \"sock_accept\""
			 " (func (param i32 i32 i32) (result i32))))", NULL);
	assert_int_equal(wlab_wasi_define(x.s, h.w), WLAB_OK);
	struct wlab_error err = {0};
	enum wlab_trap trap = WLAB_TRAP_NONE;
	assert_int_not_equal(wlab_instantiate(x.s, x.m, &x.i, &err, &trap), WLAB_OK);
	assert_non_null(strstr(err.message, "sock_accept"));
	tu_inst_close(&x);
	host_free(&h);
}

static void test_errno(void **state)
{
	(void)state;
	assert_int_equal(wasi_errno_from_host(ENOENT), 44);
	assert_int_equal(wasi_errno_from_host(EFAULT), 21);
	assert_int_equal(wasi_errno_from_host(EACCES), 2);
	assert_int_equal(wasi_errno_from_host(EXDEV), 75);
	assert_int_equal(wasi_errno_from_host(ELOOP), 32);
	assert_int_equal(wasi_errno_from_host(EWOULDBLOCK), 6);
	assert_int_equal(wasi_errno_from_host(0), WASI_EIO);
	assert_int_equal(WASI_ENOTCAPABLE, 76);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_resolve_limits),
		cmocka_unit_test(test_efault),
		cmocka_unit_test(test_no_memory),
		cmocka_unit_test(test_args_env),
		cmocka_unit_test(test_file_roundtrip),
		cmocka_unit_test(test_poll),
		cmocka_unit_test(test_random_calls),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_snapshot0_table),
		cmocka_unit_test(test_snapshot0_calls),
		cmocka_unit_test(test_snapshot0_define),
		cmocka_unit_test(test_errno),
	};
	return cmocka_run_group_tests_name("wasi", tests, setup_tree, teardown_tree);
}
