/* sandbox.c: a wasi suite program run under wlab only: escapes from the
 * preopened directory (fd 3, "."), which must fail with NOTCAPABLE (76)
 * or LOOP (32), and bad pointers, which must give FAULT (21). Prints
 * "name errno" per case; the suite compares with sandbox.expected and
 * checks that nothing was made next to the preopen. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define RAW(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
RAW(path_open) int32_t raw_path_open(int32_t, int32_t, int32_t, int32_t, int32_t, int64_t,
				     int64_t, int32_t, int32_t);
RAW(fd_write) int32_t raw_fd_write(int32_t, int32_t, int32_t, int32_t);
RAW(fd_read) int32_t raw_fd_read(int32_t, int32_t, int32_t, int32_t);
RAW(args_sizes_get) int32_t raw_args_sizes_get(int32_t, int32_t);
RAW(args_get) int32_t raw_args_get(int32_t, int32_t);
RAW(environ_get) int32_t raw_environ_get(int32_t, int32_t);
RAW(clock_time_get) int32_t raw_clock_time_get(int32_t, int64_t, int32_t);
RAW(random_get) int32_t raw_random_get(int32_t, int32_t);
RAW(poll_oneoff) int32_t raw_poll_oneoff(int32_t, int32_t, int32_t, int32_t);
RAW(fd_prestat_dir_name) int32_t raw_fd_prestat_dir_name(int32_t, int32_t, int32_t);
RAW(fd_readdir) int32_t raw_fd_readdir(int32_t, int32_t, int32_t, int64_t, int32_t);
RAW(path_symlink) int32_t raw_path_symlink(int32_t, int32_t, int32_t, int32_t, int32_t);
RAW(fd_filestat_get) int32_t raw_fd_filestat_get(int32_t, int32_t);
RAW(proc_raise) int32_t raw_proc_raise(int32_t);
RAW(sock_shutdown) int32_t raw_sock_shutdown(int32_t, int32_t);

#define BAD 0xfffffff0
#define DIR 3
#define READ_RIGHTS (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_FILESTAT_GET)

static void show(const char *what, int e)
{
	printf("%-32s %d\n", what, e);
}

/* path_open of path under the preopen; closes what it opened. */
static int op(const char *path, int follow, int oflags, uint64_t rights)
{
	__wasi_fd_t fd;
	int e = __wasi_path_open(DIR, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path,
				 oflags, rights, 0, 0, &fd);
	if (e == 0)
		(void)__wasi_fd_close(fd);
	return e;
}

static void opens(const char *path)
{
	char what[64];
	snprintf(what, sizeof what, "open %s", path);
	show(what, op(path, 1, 0, READ_RIGHTS));
}

int main(void)
{
	__wasi_fd_t fd;
	__wasi_filestat_t st;
	char buf[64];
	__wasi_size_t used;

	/* The setup, inside the sandbox. */
	show("mkdir sub", __wasi_path_create_directory(DIR, "sub"));
	show("mkdir sub/deeper", __wasi_path_create_directory(DIR, "sub/deeper"));
	show("create sub/f.txt", op("sub/f.txt", 0, __WASI_OFLAGS_CREAT,
				    READ_RIGHTS | __WASI_RIGHTS_FD_WRITE));
	show("symlink out", __wasi_path_symlink("../secret.txt", DIR, "out"));
	show("symlink abs", __wasi_path_symlink("/etc/passwd", DIR, "abs"));
	show("symlink chain1", __wasi_path_symlink("chain2", DIR, "chain1"));
	show("symlink chain2", __wasi_path_symlink("sub/chain3", DIR, "chain2"));
	show("symlink sub/chain3", __wasi_path_symlink("../../secret.txt", DIR, "sub/chain3"));
	show("symlink loop1", __wasi_path_symlink("loop2", DIR, "loop1"));
	show("symlink loop2", __wasi_path_symlink("loop1", DIR, "loop2"));
	show("symlink updir", __wasi_path_symlink("..", DIR, "updir"));
	show("symlink selfdir", __wasi_path_symlink(".", DIR, "selfdir"));
	show("symlink ok", __wasi_path_symlink("sub/f.txt", DIR, "ok"));
	show("symlink newout", __wasi_path_symlink("../created.txt", DIR, "newout"));
	show("symlink deepok", __wasi_path_symlink("../f.txt", DIR, "sub/deeper/up"));

	/* Inside: allowed. */
	opens("sub/f.txt");
	opens("ok");
	opens("sub/./f.txt");
	opens("sub//f.txt");
	opens("sub/deeper/../f.txt");
	opens("selfdir/sub/f.txt");
	opens("sub/deeper/up");
	opens(".");
	show("open ok nofollow", op("ok", 0, 0, READ_RIGHTS));
	opens("sub/f.txt/");
	opens("");
	opens("missing/f.txt");

	/* Escapes. */
	opens("..");
	opens("../secret.txt");
	opens("/etc/passwd");
	opens("/");
	opens("sub/../../secret.txt");
	opens("sub/deeper/../../../secret.txt");
	opens("out");
	show("open out nofollow", op("out", 0, 0, READ_RIGHTS));
	opens("abs");
	opens("chain1");
	opens("sub/chain3");
	opens("loop1");
	opens("updir/secret.txt");
	opens("updir");
	opens("selfdir/../secret.txt");
	show("create out", op("out", 1, __WASI_OFLAGS_CREAT, READ_RIGHTS | __WASI_RIGHTS_FD_WRITE));
	show("create newout", op("newout", 1, __WASI_OFLAGS_CREAT,
				 READ_RIGHTS | __WASI_RIGHTS_FD_WRITE));
	show("create ../created.txt", op("../created.txt", 1, __WASI_OFLAGS_CREAT,
					 READ_RIGHTS | __WASI_RIGHTS_FD_WRITE));
	show("mkdir ../mkd", __wasi_path_create_directory(DIR, "../mkd"));
	show("mkdir updir/mkd", __wasi_path_create_directory(DIR, "updir/mkd"));
	show("rename to ../moved.txt", __wasi_path_rename(DIR, "sub/f.txt", DIR, "../moved.txt"));
	show("rename ../secret.txt", __wasi_path_rename(DIR, "../secret.txt", DIR, "stolen"));
	show("link to ../linked.txt", __wasi_path_link(DIR, 0, "sub/f.txt", DIR, "../linked.txt"));
	show("link follow out", __wasi_path_link(DIR, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "out",
						 DIR, "got"));
	show("link nofollow out", __wasi_path_link(DIR, 0, "out", DIR, "out2"));
	show("symlink at ../sl", __wasi_path_symlink("x", DIR, "../sl"));
	show("stat out follow", __wasi_path_filestat_get(DIR, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW,
							 "out", &st));
	show("stat out nofollow", __wasi_path_filestat_get(DIR, 0, "out", &st));
	show("stat out is a link", st.filetype == __WASI_FILETYPE_SYMBOLIC_LINK ? 0 : 1);
	show("stat ..", __wasi_path_filestat_get(DIR, 0, "..", &st));
	show("times out follow", __wasi_path_filestat_set_times(
		DIR, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "out", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
	show("unlink ../secret.txt", __wasi_path_unlink_file(DIR, "../secret.txt"));
	show("unlink updir/secret.txt", __wasi_path_unlink_file(DIR, "updir/secret.txt"));
	show("rmdir .", __wasi_path_remove_directory(DIR, "."));
	show("rmdir sub/..", __wasi_path_remove_directory(DIR, "sub/.."));
	show("rmdir ..", __wasi_path_remove_directory(DIR, ".."));
	memset(buf, 0, sizeof buf);
	show("readlink out", __wasi_path_readlink(DIR, "out", (uint8_t *)buf, sizeof buf, &used));
	printf("readlink text %.*s\n", (int)used, buf);
	show("readlink ../x", __wasi_path_readlink(DIR, "../x", (uint8_t *)buf, sizeof buf, &used));

	/* Bad pointers. */
	int32_t ok = (int32_t)(uintptr_t)buf;
	show("path_open bad path", raw_path_open(DIR, 0, BAD, 8, 0, READ_RIGHTS, 0, 0, ok));
	show("path_open path past end", raw_path_open(DIR, 0, ok, 0x7fffffff, 0, READ_RIGHTS, 0, 0, ok));
	show("path_open bad result", raw_path_open(DIR, 0, (int32_t)(uintptr_t)"ok", 2, 0,
						   READ_RIGHTS, 0, 0, BAD));
	show("fd_write bad iovs", raw_fd_write(1, BAD, 1, ok));
	show("fd_write many iovs", raw_fd_write(1, ok, 0x20000000, ok));
	int32_t iov[2] = {BAD, 10};
	show("fd_write bad buffer", raw_fd_write(1, (int32_t)(uintptr_t)iov, 1, ok));
	iov[0] = ok, iov[1] = 0;
	show("fd_write bad nwritten", raw_fd_write(1, (int32_t)(uintptr_t)iov, 1, BAD));
	show("fd_read bad buffer", raw_fd_read(0, (int32_t)(uintptr_t)(int32_t[]){BAD, 4}, 1, ok));
	show("args_sizes_get bad", raw_args_sizes_get(BAD, ok));
	show("args_get bad", raw_args_get(BAD, BAD));
	show("environ_get bad", raw_environ_get(ok, BAD));
	show("clock_time_get bad", raw_clock_time_get(0, 0, 0xfffffffc));
	show("clock_time_get bad clock", raw_clock_time_get(99, 0, ok));
	show("random_get bad", raw_random_get(BAD, 100));
	show("poll_oneoff bad", raw_poll_oneoff(ok, ok, 0x10000000, ok));
	show("prestat_dir_name bad", raw_fd_prestat_dir_name(DIR, BAD, 100));
	show("fd_readdir bad", raw_fd_readdir(DIR, BAD, 100, 0, ok));
	show("fd_filestat_get bad", raw_fd_filestat_get(DIR, BAD));
	show("path_symlink bad", raw_path_symlink(BAD, 4, DIR, ok, 1));
	show("fd_close bad fd", __wasi_fd_close(1234));
	show("fd_write closed fd", raw_fd_write(77, ok, 0, ok));
	show("proc_raise", raw_proc_raise(9));
	show("sock_shutdown", raw_sock_shutdown(1, 3));
	show("renumber to closed", __wasi_fd_renumber(1, 99));
	show("fd_prestat_get stdout", __wasi_fd_prestat_get(1, &(__wasi_prestat_t){0}));
	show("path_open on a file fd", __wasi_path_open(0, 0, "x", 0, READ_RIGHTS, 0, 0, &fd));
	return 0;
}
