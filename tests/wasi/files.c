/* files.c: a wasi suite program: file and directory calls through
 * wasi-libc in the preopened current directory. Prints one line per
 * check, the same under every correct WASI host. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void check(const char *what, int ok)
{
	printf("%-28s %s\n", what, ok ? "ok" : "FAILED");
}

static void err(const char *what, int rc)
{
	printf("%-28s %d %s\n", what, rc, rc < 0 ? strerror(errno) : "");
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *dir)
{
	DIR *d = opendir(dir);
	char *names[64];
	int n = 0;
	struct dirent *e;
	if (!d) {
		printf("opendir %s: %s\n", dir, strerror(errno));
		return;
	}
	while ((e = readdir(d)) && n < 64) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof names[0], cmp);
	printf("ls %s:", dir);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

int main(void)
{
	char buf[128];
	struct stat st;

	err("mkdir d", mkdir("d", 0755));
	err("mkdir d again", mkdir("d", 0755));
	int fd = open("d/a.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
	check("open d/a.txt", fd >= 0);
	check("write", write(fd, "hello, world\n", 13) == 13);
	check("tell after write", lseek(fd, 0, SEEK_CUR) == 13);
	check("seek set 7", lseek(fd, 7, SEEK_SET) == 7);
	memset(buf, 0, sizeof buf);
	check("read 5", read(fd, buf, 5) == 5 && memcmp(buf, "world", 5) == 0);
	check("pwrite at 0", pwrite(fd, "HELLO", 5, 0) == 5);
	check("pread at 0", pread(fd, buf, 5, 0) == 5 && memcmp(buf, "HELLO", 5) == 0);
	check("position kept", lseek(fd, 0, SEEK_CUR) == 12);
	check("seek end", lseek(fd, 0, SEEK_END) == 13);
	check("fstat size", fstat(fd, &st) == 0 && st.st_size == 13 && S_ISREG(st.st_mode));
	check("ftruncate 4", ftruncate(fd, 4) == 0 && fstat(fd, &st) == 0 && st.st_size == 4);
	check("fsync", fsync(fd) == 0);
	check("fdatasync", fdatasync(fd) == 0);
	check("close", close(fd) == 0);
	err("close again", close(fd));

	FILE *f = fopen("d/b.txt", "w");
	check("fopen d/b.txt", f != NULL);
	for (int i = 0; i < 100; i++)
		fprintf(f, "line %d\n", i);
	fclose(f);
	check("stat d/b.txt", stat("d/b.txt", &st) == 0 && st.st_size == 790);
	f = fopen("d/b.txt", "a");
	fputs("tail\n", f);
	fclose(f);
	check("append", stat("d/b.txt", &st) == 0 && st.st_size == 795);

	err("open missing", open("d/none", O_RDONLY));
	err("open excl existing", open("d/a.txt", O_CREAT | O_EXCL | O_WRONLY, 0644));
	err("open dir for writing", open("d", O_WRONLY));
	err("opendir on a file", open("d/a.txt", O_RDONLY | O_DIRECTORY));
	err("rmdir non-empty", rmdir("d"));
	err("unlink a directory", unlink("d"));

	err("mkdir d/sub", mkdir("d/sub", 0755));
	err("rename a -> sub/c", rename("d/a.txt", "d/sub/c.txt"));
	err("link b -> b2", link("d/b.txt", "d/b2.txt"));
	check("nlink 2", stat("d/b.txt", &st) == 0 && st.st_nlink == 2);
	err("symlink sub/c.txt", symlink("sub/c.txt", "d/ln"));
	memset(buf, 0, sizeof buf);
	ssize_t n = readlink("d/ln", buf, sizeof buf - 1);
	printf("%-28s %zd %s\n", "readlink d/ln", n, buf);
	check("lstat is a link", lstat("d/ln", &st) == 0 && S_ISLNK(st.st_mode));
	check("stat follows", stat("d/ln", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 4);
	fd = open("d/ln", O_RDONLY);
	memset(buf, 0, sizeof buf);
	check("read through link", fd >= 0 && read(fd, buf, 10) == 4 && strcmp(buf, "HELL") == 0);
	close(fd);
	err("open d/./sub/../b.txt", open("d/./sub/../b.txt", O_RDONLY) >= 0 ? 0 : -1);

	struct timespec ts[2] = {{1000000000, 5000}, {1200000000, 0}};
	err("utimensat", utimensat(AT_FDCWD, "d/b.txt", ts, 0));
	check("times set", stat("d/b.txt", &st) == 0 && st.st_mtim.tv_sec == 1200000000 &&
			     st.st_atim.tv_sec == 1000000000);
	list("d");
	list("d/sub");
	err("unlink d/ln", unlink("d/ln"));
	err("unlink d/b2.txt", unlink("d/b2.txt"));
	err("unlink d/sub/c.txt", unlink("d/sub/c.txt"));
	err("rmdir d/sub", rmdir("d/sub"));
	err("unlink d/b.txt", unlink("d/b.txt"));
	err("rmdir d", rmdir("d"));
	list(".");
	return 0;
}
