/* fdops.c: a wasi suite program: directory listings longer than one
 * fd_readdir buffer (and a raw fd_readdir with a tiny buffer, resumed by
 * cookie), dup2 (fd_renumber), fcntl flags, fd_allocate, fd_advise,
 * reads at and past the end, poll() on a file and on a timeout. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#define NFILES 60

static char *name_of(int i)
{
	static char name[160];
	snprintf(name, sizeof name, "many/%03d-%0120d", i, i);
	return name;
}

/* Counts entries of many/ by raw fd_readdir calls of buflen bytes. */
static int raw_count(int dirfd, size_t buflen, int *calls)
{
	char buf[512];
	__wasi_dircookie_t cookie = 0;
	int n = 0;
	*calls = 0;
	for (;;) {
		__wasi_size_t used;
		if (__wasi_fd_readdir(dirfd, (uint8_t *)buf, buflen, cookie, &used) != 0)
			return -1;
		(*calls)++;
		size_t at = 0;
		while (at + sizeof(__wasi_dirent_t) <= used) {
			__wasi_dirent_t d;
			memcpy(&d, buf + at, sizeof d);
			if (at + sizeof d + d.d_namlen > used)
				break;  /* cut: ask again from this entry */
			n++;
			cookie = d.d_next;
			at += sizeof d + d.d_namlen;
		}
		if (used < buflen)
			return n;
	}
}

int main(void)
{
	struct stat st;
	char buf[64];
	printf("mkdir many: %d\n", mkdir("many", 0755));
	for (int i = 0; i < NFILES; i++) {
		int fd = open(name_of(i), O_CREAT | O_WRONLY, 0644);
		if (fd < 0 || write(fd, "x", 1) != 1)
			printf("create %d failed: %s\n", i, strerror(errno));
		close(fd);
	}
	DIR *d = opendir("many");
	int n = 0, sum = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		n++;
		sum += atoi(e->d_name);
		if (e->d_type != DT_REG)
			printf("%s: not DT_REG\n", e->d_name);
	}
	printf("readdir: %d entries, index sum %d\n", n, sum);
	rewinddir(d);
	n = 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	printf("after rewinddir: %d entries\n", n);
	int calls;
	n = raw_count(dirfd(d), 200, &calls);
	printf("raw fd_readdir, 200-byte buffer: %d entries (. and .. included), %s calls\n", n,
	       calls > 30 ? "many" : "few");
	closedir(d);

	int fd = open("f", O_CREAT | O_RDWR, 0644);
	printf("write: %zd\n", write(fd, "0123456789", 10));
	printf("pread past end: %zd\n", pread(fd, buf, 10, 100));
	printf("pread at 8: %zd\n", pread(fd, buf, 10, 8));
	printf("read at end: %zd\n", read(fd, buf, 10));
	printf("fallocate 100: %d\n", posix_fallocate(fd, 0, 100));
	printf("size: %lld\n", fstat(fd, &st) == 0 ? (long long)st.st_size : -1LL);
	printf("fadvise: %d\n", posix_fadvise(fd, 0, 10, POSIX_FADV_SEQUENTIAL));
	int fl = fcntl(fd, F_GETFL);
	printf("append before: %d\n", (fl & O_APPEND) != 0);
	printf("setfl append: %d\n", fcntl(fd, F_SETFL, fl | O_APPEND));
	printf("append after: %d\n", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
	lseek(fd, 0, SEEK_SET);
	printf("appending write: %zd\n", write(fd, "END", 3));
	printf("size: %lld\n", fstat(fd, &st) == 0 ? (long long)st.st_size : -1LL);
	printf("readable: %d, writable: %d\n", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR,
	       (fcntl(fd, F_GETFL) & O_ACCMODE) != O_RDONLY);

	int g = open("g", O_CREAT | O_WRONLY, 0644);
	printf("fd_renumber: %d\n", __wasi_fd_renumber(fd, g));
	lseek(g, 0, SEEK_SET);
	memset(buf, 0, sizeof buf);
	printf("read via renumbered: %zd %.4s\n", read(g, buf, 4), buf);
	printf("old fd closed: %d %s\n", (int)write(fd, "x", 1), strerror(errno));
	close(g);

	struct pollfd p = {.fd = open("f", O_RDONLY), .events = POLLIN};
	printf("poll file: %d revents %d\n", poll(&p, 1, 1000), p.revents & POLLIN);
	close(p.fd);
	printf("poll timeout: %d\n", poll(NULL, 0, 10));

	/* Rights follow the open mode; times through the fd. */
	int ro = open("f", O_RDONLY), wo = open("f", O_WRONLY);
	errno = 0;
	printf("write read-only: %zd %d\n", write(ro, "x", 1), errno);
	errno = 0;
	printf("read write-only: %zd %d\n", read(wo, buf, 1), errno);
	errno = 0;
	printf("ftruncate read-only: %d %d\n", ftruncate(ro, 0), errno);
	struct timespec ts[2] = {{1500000000, 0}, {1600000000, 42}};
	printf("futimens: %d\n", futimens(wo, ts));
	printf("times: %d %d\n", fstat(ro, &st) == 0 && st.st_atim.tv_sec == 1500000000,
	       st.st_mtim.tv_sec == 1600000000 && st.st_mtim.tv_nsec == 42);
	printf("fd_filestat_set_times atim now: %d %d\n",
	       __wasi_fd_filestat_set_times(wo, 0, 0, __WASI_FSTFLAGS_ATIM_NOW),
	       fstat(ro, &st) == 0 && st.st_atim.tv_sec > 1600000000 && st.st_mtim.tv_sec == 1600000000);
	close(ro);
	close(wo);
	int dir = open("many", O_RDONLY | O_DIRECTORY);
	printf("fstat dir: %d\n", fstat(dir, &st) == 0 && S_ISDIR(st.st_mode));
	errno = 0;
	printf("read dir: %zd %d\n", read(dir, buf, 1), errno);
	close(dir);

	for (int i = 0; i < NFILES; i++)
		unlink(name_of(i));
	printf("rmdir many: %d\n", rmdir("many"));
	unlink("f");
	unlink("g");
	return 0;
}
