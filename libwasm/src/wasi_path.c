/* wasi_path.c: the sandboxed path resolver and the WASI path_* functions.
 *
 * The resolver walks a guest path one component at a time from the
 * preopen's fd. Each directory is opened with openat(dir, name,
 * O_DIRECTORY | O_NOFOLLOW) where name is a single component, never ".."
 * and never a symlink (those are checked with fstatat(AT_SYMLINK_NOFOLLOW)
 * first, and O_NOFOLLOW refuses one swapped in meanwhile); ".." pops the
 * walk's own stack of fds and is refused at the preopen itself; a symlink's
 * text replaces its component (an absolute one is refused). So the kernel
 * never resolves "..", a symlink or a '/' for us: every fd on the stack is
 * a directory reached by single steps down from the preopen, and the final
 * call *at(dirfd, name, <no follow>) acts on an entry of one of them. */
#include <errno.h>
#include <stdio.h>  /* renameat */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_internal.h"

#define MAX_LINKS 40        /* symlinks expanded in one resolution */
#define MAX_PATH 4096       /* a guest path or a symlink's text */
#define MAX_WORK (4 * MAX_PATH)  /* the path left to walk, after expansions */
#define MAX_NAME 255

struct walk {
	int base;
	int *fds;  /* directories opened below base, the last one current */
	size_t n, cap;
};

static int walk_top(const struct walk *k)
{
	return k->n ? k->fds[k->n - 1] : k->base;
}

static uint16_t walk_push(struct walk *k, int fd)
{
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 8;
		int *p = realloc(k->fds, cap * sizeof *p);
		if (!p) {
			close(fd);
			return WASI_ENOMEM;
		}
		k->fds = p;
		k->cap = cap;
	}
	k->fds[k->n++] = fd;
	return WASI_ESUCCESS;
}

/* Closes every fd but the current one when keep_top. */
static void walk_end(struct walk *k, bool keep_top)
{
	for (size_t i = 0; i + (keep_top ? 1 : 0) < k->n; i++)
		close(k->fds[i]);
	free(k->fds);
}

/* Replaces the component [at, end) of *work (*len bytes) with the link's
 * text: the rest from end (its '/' included) follows the text. */
static uint16_t splice_link(int dirfd, const char *comp, char **work, size_t *len, size_t end)
{
	char target[MAX_PATH + 1];
	ssize_t n = readlinkat(dirfd, comp, target, sizeof target);
	if (n < 0)
		return wasi_errno_from_host(errno);
	if (n > MAX_PATH)
		return WASI_ENAMETOOLONG;
	if (n == 0)
		return WASI_ENOENT;
	if (target[0] == '/' || memchr(target, 0, (size_t)n))
		return WASI_ENOTCAPABLE;
	size_t rest = *len - end, total = (size_t)n + rest;
	if (total > MAX_WORK)
		return WASI_ENAMETOOLONG;
	char *p = malloc(total + 1);
	if (!p)
		return WASI_ENOMEM;
	memcpy(p, target, (size_t)n);
	memcpy(p + n, *work + end, rest);
	p[total] = 0;
	free(*work);
	*work = p;
	*len = total;
	return WASI_ESUCCESS;
}

/* The loop of wasi_path_resolve; on success *name is the last component. */
static uint16_t walk_path(struct walk *k, char **work, size_t len, bool follow, char *name,
			  bool *must_dir)
{
	size_t pos = 0;
	unsigned links = 0;
	struct stat st;
	for (;;) {
		const char *w = *work;
		if (pos == 0 && w[0] == '/')
			return WASI_ENOTCAPABLE;
		while (pos < len && w[pos] == '/')
			pos++;
		size_t start = pos, end = pos;
		while (end < len && w[end] != '/')
			end++;
		size_t next = end;
		while (next < len && w[next] == '/')
			next++;
		bool last = next == len, slash = end < len;
		size_t clen = end - start;
		if (clen > MAX_NAME)
			return WASI_ENAMETOOLONG;
		memcpy(name, w + start, clen);
		name[clen] = 0;
		if (clen == 0 || strcmp(name, ".") == 0) {
			if (last) {
				strcpy(name, ".");
				*must_dir = true;
				return WASI_ESUCCESS;
			}
			pos = next;
			continue;
		}
		if (strcmp(name, "..") == 0) {
			if (k->n == 0)
				return WASI_ENOTCAPABLE;
			close(k->fds[--k->n]);
			if (last) {
				strcpy(name, ".");
				*must_dir = true;
				return WASI_ESUCCESS;
			}
			pos = next;
			continue;
		}
		*must_dir = slash;
		if (last && !follow && !slash)
			return WASI_ESUCCESS;
		if (fstatat(walk_top(k), name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			if (last && errno == ENOENT)
				return WASI_ESUCCESS;  /* a name to create */
			return wasi_errno_from_host(errno);
		}
		if (S_ISLNK(st.st_mode)) {
			if (++links > MAX_LINKS)
				return WASI_ELOOP;
			uint16_t e = splice_link(walk_top(k), name, work, &len, end);
			if (e)
				return e;
			pos = 0;
			continue;
		}
		if (last) {
			if (slash && !S_ISDIR(st.st_mode))
				return WASI_ENOTDIR;
			return WASI_ESUCCESS;
		}
		int fd = openat(walk_top(k), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return wasi_errno_from_host(errno);
		uint16_t e = walk_push(k, fd);
		if (e)
			return e;
		pos = next;
	}
}

uint16_t wasi_path_resolve(int base, const char *path, size_t len, bool follow,
			   struct wasi_path *out)
{
	char name[MAX_NAME + 1];
	struct walk k = {.base = base};
	*out = (struct wasi_path){.dirfd = -1};
	if (len == 0)
		return WASI_ENOENT;
	if (memchr(path, 0, len))
		return WASI_EINVAL;
	if (len > MAX_PATH)
		return WASI_ENAMETOOLONG;
	char *work = malloc(len + 1);
	if (!work)
		return WASI_ENOMEM;
	memcpy(work, path, len);
	work[len] = 0;
	bool must_dir = false;
	uint16_t e = walk_path(&k, &work, len, follow, name, &must_dir);
	free(work);
	if (e == WASI_ESUCCESS && !(out->name = strdup(name)))
		e = WASI_ENOMEM;
	if (e) {
		walk_end(&k, false);
		return e;
	}
	out->dirfd = walk_top(&k);
	out->owned = k.n > 0;
	out->must_dir = must_dir;
	walk_end(&k, true);
	return WASI_ESUCCESS;
}

void wasi_path_done(struct wasi_path *p)
{
	if (p->owned && p->dirfd >= 0)
		close(p->dirfd);
	free(p->name);
	*p = (struct wasi_path){.dirfd = -1};
}

/* Resolves the guest path (ptr, len) under directory fd holding rights. */
static uint16_t guest_path(struct wlab_wasi *w, const struct wasi_mem *m, uint64_t fd,
			   uint64_t rights, uint64_t ptr, uint64_t len, bool follow,
			   struct wasi_path *out)
{
	uint16_t e;
	*out = (struct wasi_path){.dirfd = -1};
	struct wasi_fd *f = wasi_fd_get(w, (uint32_t)fd, rights, &e);
	if (!f)
		return e;
	if (f->type != WASI_FT_DIRECTORY)
		return WASI_ENOTDIR;
	const uint8_t *p = wasi_ptr(m, (uint32_t)ptr, (uint32_t)len);
	if (!p)
		return WASI_EFAULT;
	if ((e = wasi_charge(w, (uint32_t)len)))
		return e;
	return wasi_path_resolve(f->host, (const char *)p, (uint32_t)len, follow, out);
}

/* The errno of a host call's return value rc (0 or -1). */
static uint16_t host_rc(int rc)
{
	return rc == 0 ? WASI_ESUCCESS : wasi_errno_from_host(errno);
}

/* path_open(fd, dirflags, path, len, oflags, base, inheriting, fdflags, *fd):
 * read access when base holds FD_READ or FD_READDIR, write access when it
 * holds FD_WRITE, FD_DATASYNC, FD_ALLOCATE or FD_FILESTAT_SET_SIZE (what
 * wasi-libc asks for O_RDONLY / O_WRONLY). */
static uint16_t path_open(struct wlab_wasi *w, const struct wasi_mem *m, const uint64_t *a)
{
	struct wasi_path p;
	uint16_t e;
	uint32_t oflags = (uint32_t)a[4], fdflags = (uint32_t)a[7], fd;
	uint64_t base = a[5], inheriting = a[6], need = WASI_R_PATH_OPEN;
	if (oflags & WASI_O_CREAT)
		need |= WASI_R_PATH_CREATE_FILE;
	if (oflags & WASI_O_TRUNC)
		need |= WASI_R_PATH_FILESTAT_SET_SIZE;
	if (!wasi_ptr(m, (uint32_t)a[8], 4))
		return WASI_EFAULT;
	struct wasi_fd *dir = wasi_fd_get(w, (uint32_t)a[0], need, &e);
	if (!dir)
		return e;
	if ((base | inheriting) & ~dir->inheriting)
		return WASI_ENOTCAPABLE;
	uint64_t dir_inheriting = dir->inheriting;
	bool rd = base & (WASI_R_FD_READ | WASI_R_FD_READDIR);
	bool wr = base & (WASI_R_FD_WRITE | WASI_R_FD_DATASYNC | WASI_R_FD_ALLOCATE |
			  WASI_R_FD_FILESTAT_SET_SIZE);
	int flags = O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;
	flags |= rd && wr ? O_RDWR : wr ? O_WRONLY : O_RDONLY;
	if (oflags & WASI_O_CREAT)
		flags |= O_CREAT;
	if (oflags & WASI_O_DIRECTORY)
		flags |= O_DIRECTORY;
	if (oflags & WASI_O_EXCL)
		flags |= O_EXCL;
	if (oflags & WASI_O_TRUNC)
		flags |= O_TRUNC;
	if (fdflags & WASI_FDFLAG_APPEND)
		flags |= O_APPEND;
	if (fdflags & WASI_FDFLAG_DSYNC)
		flags |= O_DSYNC;
	if (fdflags & WASI_FDFLAG_NONBLOCK)
		flags |= O_NONBLOCK;
	if (fdflags & WASI_FDFLAG_RSYNC)
		flags |= O_RSYNC;
	if (fdflags & WASI_FDFLAG_SYNC)
		flags |= O_SYNC;
	e = guest_path(w, m, a[0], need, a[2], a[3], a[1] & WASI_LOOKUP_SYMLINK_FOLLOW, &p);
	if (e)
		return e;
	if (p.must_dir)
		flags |= O_DIRECTORY;
	int h = openat(p.dirfd, p.name, flags, 0666);
	e = h < 0 ? wasi_errno_from_host(errno) : WASI_ESUCCESS;
	wasi_path_done(&p);
	if (e)
		return e;
	struct stat st;
	if (fstat(h, &st) != 0) {
		e = wasi_errno_from_host(errno);
		close(h);
		return e;
	}
	uint8_t type = wasi_filetype(st.st_mode);
	base &= type == WASI_FT_DIRECTORY ? WASI_RIGHTS_DIR : WASI_RIGHTS_FILE;
	if ((e = wasi_fd_add(w, h, type, base, inheriting & dir_inheriting, &fd)))
		return e;
	return wasi_put32(m, (uint32_t)a[8], fd);
}

enum wlab_trap wasi_path_open(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wasi_mem m;
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	return wasi_ret(r, path_open(ctx, &m, a));
}

/* The functions of one path and one host call: fd, path, len are a[0],
 * a[1], a[2] unless said. */
enum wlab_trap wasi_path_create_directory(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wasi_mem m;
	struct wasi_path p;
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	uint16_t e = guest_path(ctx, &m, a[0], WASI_R_PATH_CREATE_DIRECTORY, a[1], a[2], false, &p);
	if (!e)
		e = host_rc(mkdirat(p.dirfd, p.name, 0777));
	wasi_path_done(&p);
	return wasi_ret(r, e);
}

enum wlab_trap wasi_path_remove_directory(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wasi_mem m;
	struct wasi_path p;
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	uint16_t e = guest_path(ctx, &m, a[0], WASI_R_PATH_REMOVE_DIRECTORY, a[1], a[2], false, &p);
	if (!e)
		e = host_rc(unlinkat(p.dirfd, p.name, AT_REMOVEDIR));
	wasi_path_done(&p);
	return wasi_ret(r, e);
}

enum wlab_trap wasi_path_unlink_file(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wasi_mem m;
	struct wasi_path p;
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	uint16_t e = guest_path(ctx, &m, a[0], WASI_R_PATH_UNLINK_FILE, a[1], a[2], false, &p);
	if (!e)
		e = host_rc(unlinkat(p.dirfd, p.name, 0));
	wasi_path_done(&p);
	return wasi_ret(r, e);
}

/* path_filestat_get(fd, flags, path, len, *filestat), the filestat in
 * snapshot s's layout. */
static enum wlab_trap filestat_get(void *ctx, const uint64_t *a, uint64_t *r,
				   enum wasi_snapshot s)
{
	struct wasi_mem m;
	struct wasi_path p;
	struct stat st;
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	uint8_t *out = wasi_ptr(&m, (uint32_t)a[4], wasi_filestat_size(s));
	if (!out)
		return wasi_ret(r, WASI_EFAULT);
	uint16_t e = guest_path(ctx, &m, a[0], WASI_R_PATH_FILESTAT_GET, a[2], a[3],
				a[1] & WASI_LOOKUP_SYMLINK_FOLLOW, &p);
	if (!e)
		e = host_rc(fstatat(p.dirfd, p.name, &st, AT_SYMLINK_NOFOLLOW));
	wasi_path_done(&p);
	if (!e)
		wasi_put_filestat(out, &st, s);
	return wasi_ret(r, e);
}

enum wlab_trap wasi_path_filestat_get(void *ctx, const uint64_t *a, uint64_t *r)
{
	return filestat_get(ctx, a, r, WASI_PREVIEW1);
}

enum wlab_trap wasi0_path_filestat_get(void *ctx, const uint64_t *a, uint64_t *r)
{
	return filestat_get(ctx, a, r, WASI_SNAPSHOT0);
}

/* path_filestat_set_times(fd, flags, path, len, atim, mtim, fstflags) */
enum wlab_trap wasi_path_filestat_set_times(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wasi_mem m;
	struct wasi_path p;
	struct timespec ts[2];
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	if (!wasi_times(a[4], a[5], (uint32_t)a[6], ts))
		return wasi_ret(r, WASI_EINVAL);
	uint16_t e = guest_path(ctx, &m, a[0], WASI_R_PATH_FILESTAT_SET_TIMES, a[2], a[3],
				a[1] & WASI_LOOKUP_SYMLINK_FOLLOW, &p);
	if (!e)
		e = host_rc(utimensat(p.dirfd, p.name, ts, AT_SYMLINK_NOFOLLOW));
	wasi_path_done(&p);
	return wasi_ret(r, e);
}

/* path_readlink(fd, path, len, buf, buf_len, *bufused): the text, cut to
 * buf_len. */
enum wlab_trap wasi_path_readlink(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wasi_mem m;
	struct wasi_path p;
	char text[MAX_PATH];
	ssize_t n = -1;
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	uint8_t *buf = wasi_ptr(&m, (uint32_t)a[3], (uint32_t)a[4]);
	if (!buf || !wasi_ptr(&m, (uint32_t)a[5], 4))
		return wasi_ret(r, WASI_EFAULT);
	uint16_t e = guest_path(ctx, &m, a[0], WASI_R_PATH_READLINK, a[1], a[2], false, &p);
	if (!e && (n = readlinkat(p.dirfd, p.name, text, sizeof text)) < 0)
		e = wasi_errno_from_host(errno);
	wasi_path_done(&p);
	if (e)
		return wasi_ret(r, e);
	if ((uint64_t)n > (uint32_t)a[4])
		n = (ssize_t)(uint32_t)a[4];
	memcpy(buf, text, (size_t)n);
	return wasi_ret(r, wasi_put32(&m, (uint32_t)a[5], (uint32_t)n));
}

/* path_rename(fd, old, old_len, new_fd, new, new_len) */
enum wlab_trap wasi_path_rename(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wasi_mem m;
	struct wasi_path from, to = {.dirfd = -1};
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	uint16_t e = guest_path(ctx, &m, a[0], WASI_R_PATH_RENAME_SOURCE, a[1], a[2], false, &from);
	if (!e)
		e = guest_path(ctx, &m, a[3], WASI_R_PATH_RENAME_TARGET, a[4], a[5], false, &to);
	if (!e)
		e = host_rc(renameat(from.dirfd, from.name, to.dirfd, to.name));
	wasi_path_done(&from);
	wasi_path_done(&to);
	return wasi_ret(r, e);
}

/* The new name of path_symlink or path_link ending in a slash names a
 * directory, which neither call makes: EEXIST when the name exists, else
 * ENOENT, as Linux's symlinkat and linkat answer (the resolver hands them
 * the name without its slash: "target/" made a file "target"). */
static uint16_t no_slash(const struct wasi_path *p)
{
	struct stat st;
	if (!p->must_dir)
		return WASI_ESUCCESS;
	return fstatat(p->dirfd, p->name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? WASI_EEXIST
									   : WASI_ENOENT;
}

/* path_symlink(old, old_len, fd, new, new_len): the text is stored as
 * given, an absolute one too (the resolver refuses to follow it out of the
 * sandbox, and only that). */
enum wlab_trap wasi_path_symlink(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wasi_mem m;
	struct wasi_path p;
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	uint32_t tlen = (uint32_t)a[1];
	const uint8_t *t = wasi_ptr(&m, (uint32_t)a[0], tlen);
	if (!t)
		return wasi_ret(r, WASI_EFAULT);
	if (tlen > MAX_PATH)
		return wasi_ret(r, WASI_ENAMETOOLONG);
	if (memchr(t, 0, tlen))
		return wasi_ret(r, WASI_EINVAL);
	char target[MAX_PATH + 1];
	memcpy(target, t, tlen);
	target[tlen] = 0;
	uint16_t e = guest_path(ctx, &m, a[2], WASI_R_PATH_SYMLINK, a[3], a[4], false, &p);
	if (!e)
		e = no_slash(&p);
	if (!e)
		e = host_rc(symlinkat(target, p.dirfd, p.name));
	wasi_path_done(&p);
	return wasi_ret(r, e);
}

/* path_link(old_fd, old_flags, old, old_len, new_fd, new, new_len): a
 * followed symlink is expanded by the resolver, never by linkat. */
enum wlab_trap wasi_path_link(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wasi_mem m;
	struct wasi_path from, to = {.dirfd = -1};
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	uint16_t e = guest_path(ctx, &m, a[0], WASI_R_PATH_LINK_SOURCE, a[2], a[3],
				a[1] & WASI_LOOKUP_SYMLINK_FOLLOW, &from);
	if (!e)
		e = guest_path(ctx, &m, a[4], WASI_R_PATH_LINK_TARGET, a[5], a[6], false, &to);
	if (!e)
		e = no_slash(&to);
	if (!e)
		e = host_rc(linkat(from.dirfd, from.name, to.dirfd, to.name, 0));
	wasi_path_done(&from);
	wasi_path_done(&to);
	return wasi_ret(r, e);
}
