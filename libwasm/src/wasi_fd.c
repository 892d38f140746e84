/* wasi_fd.c: the WASI fd_* functions: reading, writing, seeking, stat and
 * flags, directory listing, renumbering and preopen names. */
#define _DEFAULT_SOURCE 1  /* DT_* in struct dirent */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "wasi_internal.h"


#define MAX_IOVS 1024

/* Collects n iovecs at guest iovs into host ones (at most MAX_IOVS: a
 * shorter transfer is allowed). */
static uint16_t get_iovs(const struct wasi_mem *m, uint32_t iovs, uint32_t n,
			 struct iovec *out, int *count, uint64_t *bytes)
{
	const uint8_t *p = wasi_ptr(m, iovs, (uint64_t)n * 8);
	if (!p)
		return WASI_EFAULT;
	if (n > MAX_IOVS)
		n = MAX_IOVS;
	*bytes = (uint64_t)n * 8;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t buf = wasi_ld32(p + 8 * i), len = wasi_ld32(p + 8 * i + 4);
		uint8_t *b = wasi_ptr(m, buf, len);
		if (!b)
			return WASI_EFAULT;
		out[i].iov_base = b;
		out[i].iov_len = len;
		*bytes += len;
	}
	*count = (int)n;
	return WASI_ESUCCESS;
}

/* fd_read, fd_write, fd_pread, fd_pwrite: one body. positioned: at the
 * offset a[3], leaving the file position alone (and needing FD_SEEK). */
static enum wlab_trap transfer(struct wlab_wasi *w, const uint64_t *a, uint64_t *r,
			       bool write, bool positioned)
{
	struct wasi_mem m;
	struct iovec iov[MAX_IOVS];
	int n;
	uint16_t e;
	uint64_t bytes;
	if (!wasi_mem_get(w, &m))
		return WLAB_TRAP_HOST;
	uint64_t need = write ? WASI_R_FD_WRITE : WASI_R_FD_READ;
	if (positioned)
		need |= WASI_R_FD_SEEK;
	struct wasi_fd *f = wasi_fd_get(w, (uint32_t)a[0], need, &e);
	if (!f)
		return wasi_ret(r, e);
	uint32_t presult = (uint32_t)(positioned ? a[4] : a[3]);
	if (!wasi_ptr(&m, presult, 4))
		return wasi_ret(r, WASI_EFAULT);
	if ((e = get_iovs(&m, (uint32_t)a[1], (uint32_t)a[2], iov, &n, &bytes)) ||
	    (e = wasi_charge(w, bytes)))  /* the bytes asked for: a short transfer costs the same */
		return wasi_ret(r, e);
	if (f->type == WASI_FT_DIRECTORY)
		return wasi_ret(r, WASI_EISDIR);
	ssize_t done;
	if (!positioned) {
		do
			done = write ? writev(f->host, iov, n) : readv(f->host, iov, n);
		while (done < 0 && errno == EINTR);
		if (done < 0)
			return wasi_ret(r, wasi_errno_from_host(errno));
	} else {
		if (a[3] > INT64_MAX)
			return wasi_ret(r, WASI_EINVAL);
		off_t off = (off_t)a[3];
		done = 0;
		for (int i = 0; i < n; i++) {
			ssize_t k = write ? pwrite(f->host, iov[i].iov_base, iov[i].iov_len, off)
					  : pread(f->host, iov[i].iov_base, iov[i].iov_len, off);
			if (k < 0 && errno == EINTR) {
				i--;
				continue;
			}
			if (k < 0) {
				if (done == 0)
					return wasi_ret(r, wasi_errno_from_host(errno));
				break;
			}
			done += k;
			off += k;
			if ((size_t)k < iov[i].iov_len)
				break;
		}
	}
	return wasi_ret(r, wasi_put32(&m, presult, (uint32_t)done));
}

enum wlab_trap wasi_fd_read(void *ctx, const uint64_t *a, uint64_t *r)
{
	return transfer(ctx, a, r, false, false);
}

enum wlab_trap wasi_fd_write(void *ctx, const uint64_t *a, uint64_t *r)
{
	return transfer(ctx, a, r, true, false);
}

enum wlab_trap wasi_fd_pread(void *ctx, const uint64_t *a, uint64_t *r)
{
	return transfer(ctx, a, r, false, true);
}

enum wlab_trap wasi_fd_pwrite(void *ctx, const uint64_t *a, uint64_t *r)
{
	return transfer(ctx, a, r, true, true);
}

/* whence (witx "whence") by snapshot: snapshot 0 numbers CUR, END, SET. */
static const int whence[WASI_NSNAPSHOTS][3] = {
	[WASI_PREVIEW1] = {SEEK_SET, SEEK_CUR, SEEK_END},
	[WASI_SNAPSHOT0] = {SEEK_CUR, SEEK_END, SEEK_SET},
};

static enum wlab_trap seek(void *ctx, const uint64_t *a, uint64_t *r, enum wasi_snapshot s)
{
	struct wasi_mem m;
	uint16_t e;
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	int64_t delta = (int64_t)a[1];
	uint32_t wh = (uint32_t)a[2];
	/* fd_seek(0, CUR) is how libc asks for the position: the TELL right suffices. */
	bool tell = delta == 0 && wh <= 2 && whence[s][wh] == SEEK_CUR;
	struct wasi_fd *f = wasi_fd_get(ctx, (uint32_t)a[0], tell ? WASI_R_FD_TELL : WASI_R_FD_SEEK,
					&e);
	if (!f)
		return wasi_ret(r, e);
	if (wh > 2)
		return wasi_ret(r, WASI_EINVAL);
	if (!wasi_ptr(&m, (uint32_t)a[3], 8))
		return wasi_ret(r, WASI_EFAULT);
	off_t at = lseek(f->host, (off_t)delta, whence[s][wh]);
	if (at < 0)
		return wasi_ret(r, wasi_errno_from_host(errno));
	return wasi_ret(r, wasi_put64(&m, (uint32_t)a[3], (uint64_t)at));
}

enum wlab_trap wasi_fd_seek(void *ctx, const uint64_t *a, uint64_t *r)
{
	return seek(ctx, a, r, WASI_PREVIEW1);
}

enum wlab_trap wasi0_fd_seek(void *ctx, const uint64_t *a, uint64_t *r)
{
	return seek(ctx, a, r, WASI_SNAPSHOT0);
}

enum wlab_trap wasi_fd_tell(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wasi_mem m;
	uint16_t e;
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	struct wasi_fd *f = wasi_fd_get(ctx, (uint32_t)a[0], WASI_R_FD_TELL, &e);
	if (!f)
		return wasi_ret(r, e);
	if (!wasi_ptr(&m, (uint32_t)a[1], 8))
		return wasi_ret(r, WASI_EFAULT);
	off_t at = lseek(f->host, 0, SEEK_CUR);
	if (at < 0)
		return wasi_ret(r, wasi_errno_from_host(errno));
	return wasi_ret(r, wasi_put64(&m, (uint32_t)a[1], (uint64_t)at));
}

enum wlab_trap wasi_fd_close(void *ctx, const uint64_t *a, uint64_t *r)
{
	uint16_t e;
	struct wasi_fd *f = wasi_fd_get(ctx, (uint32_t)a[0], 0, &e);
	if (!f)
		return wasi_ret(r, e);
	wasi_fd_release(f);
	return wasi_ret(r, WASI_ESUCCESS);
}

static enum wlab_trap sync_fd(void *ctx, const uint64_t *a, uint64_t *r, uint64_t right)
{
	uint16_t e;
	struct wasi_fd *f = wasi_fd_get(ctx, (uint32_t)a[0], right, &e);
	if (!f)
		return wasi_ret(r, e);
	int rc = right == WASI_R_FD_SYNC ? fsync(f->host) : fdatasync(f->host);
	/* Pipes and terminals cannot be synced: nothing to do for them. */
	if (rc != 0 && errno != EINVAL && errno != EROFS)
		return wasi_ret(r, wasi_errno_from_host(errno));
	return wasi_ret(r, WASI_ESUCCESS);
}

enum wlab_trap wasi_fd_sync(void *ctx, const uint64_t *a, uint64_t *r)
{
	return sync_fd(ctx, a, r, WASI_R_FD_SYNC);
}

enum wlab_trap wasi_fd_datasync(void *ctx, const uint64_t *a, uint64_t *r)
{
	return sync_fd(ctx, a, r, WASI_R_FD_DATASYNC);
}

/* The rights each snapshot defines (witx "rights"): snapshot 0 has no
 * SOCK_ACCEPT, so its guests never see that bit. */
static const uint64_t rights_known[WASI_NSNAPSHOTS] = {
	[WASI_PREVIEW1] = WASI_RIGHTS_ALL,
	[WASI_SNAPSHOT0] = WASI_RIGHTS_ALL & ~(uint64_t)WASI_R_SOCK_ACCEPT,
};

/* fdstat: filetype u8 @0, flags u16 @2, rights_base u64 @8, inheriting @16
 * (the same in both snapshots), the rights cut to the snapshot's. */
static enum wlab_trap fdstat_get(void *ctx, const uint64_t *a, uint64_t *r,
				 enum wasi_snapshot s)
{
	struct wasi_mem m;
	uint16_t e;
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	struct wasi_fd *f = wasi_fd_get(ctx, (uint32_t)a[0], 0, &e);
	if (!f)
		return wasi_ret(r, e);
	uint8_t *p = wasi_ptr(&m, (uint32_t)a[1], 24);
	if (!p)
		return wasi_ret(r, WASI_EFAULT);
	int fl = fcntl(f->host, F_GETFL);
	if (fl < 0)
		return wasi_ret(r, wasi_errno_from_host(errno));
	uint16_t flags = 0;
	if (fl & O_APPEND)
		flags |= WASI_FDFLAG_APPEND;
	if (fl & O_NONBLOCK)
		flags |= WASI_FDFLAG_NONBLOCK;
	if ((fl & O_SYNC) == O_SYNC)
		flags |= WASI_FDFLAG_SYNC;
	else if (fl & O_DSYNC)
		flags |= WASI_FDFLAG_DSYNC;
	memset(p, 0, 24);
	p[0] = f->type;
	wasi_st16(p + 2, flags);
	wasi_st64(p + 8, f->base & rights_known[s]);
	wasi_st64(p + 16, f->inheriting & rights_known[s]);
	return wasi_ret(r, WASI_ESUCCESS);
}

enum wlab_trap wasi_fd_fdstat_get(void *ctx, const uint64_t *a, uint64_t *r)
{
	return fdstat_get(ctx, a, r, WASI_PREVIEW1);
}

enum wlab_trap wasi0_fd_fdstat_get(void *ctx, const uint64_t *a, uint64_t *r)
{
	return fdstat_get(ctx, a, r, WASI_SNAPSHOT0);
}

/* Only APPEND and NONBLOCK can change on an open file; the sync flags
 * give NOTSUP. */
enum wlab_trap wasi_fd_fdstat_set_flags(void *ctx, const uint64_t *a, uint64_t *r)
{
	uint16_t e;
	struct wasi_fd *f = wasi_fd_get(ctx, (uint32_t)a[0], WASI_R_FD_FDSTAT_SET_FLAGS, &e);
	if (!f)
		return wasi_ret(r, e);
	uint32_t want = (uint32_t)a[1] & 0xffff;
	if (want & ~(uint32_t)(WASI_FDFLAG_APPEND | WASI_FDFLAG_NONBLOCK))
		return wasi_ret(r, WASI_ENOTSUP);
	int fl = fcntl(f->host, F_GETFL);
	if (fl < 0)
		return wasi_ret(r, wasi_errno_from_host(errno));
	fl &= ~(O_APPEND | O_NONBLOCK);
	if (want & WASI_FDFLAG_APPEND)
		fl |= O_APPEND;
	if (want & WASI_FDFLAG_NONBLOCK)
		fl |= O_NONBLOCK;
	if (fcntl(f->host, F_SETFL, fl) != 0)
		return wasi_ret(r, wasi_errno_from_host(errno));
	return wasi_ret(r, WASI_ESUCCESS);
}

enum wlab_trap wasi_fd_fdstat_set_rights(void *ctx, const uint64_t *a, uint64_t *r)
{
	uint16_t e;
	struct wasi_fd *f = wasi_fd_get(ctx, (uint32_t)a[0], 0, &e);
	if (!f)
		return wasi_ret(r, e);
	if ((a[1] & ~f->base) || (a[2] & ~f->inheriting))
		return wasi_ret(r, WASI_ENOTCAPABLE);
	f->base = a[1];
	f->inheriting = a[2];
	return wasi_ret(r, WASI_ESUCCESS);
}

static uint64_t ts_ns(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000u + (uint64_t)t->tv_nsec;
}

/* filestat (witx "filestat"): dev u64 @0, ino u64 @8, filetype u8 @16,
 * then nlink, size, atim, mtim, ctim where each snapshot puts them:
 * snapshot 0's linkcount is u32, so nlink sits at 20 and the rest moves
 * up 8 bytes. */
static const struct {
	uint8_t size, nlink, nlink_bytes, fsize, atim, mtim, ctim;
} filestat[WASI_NSNAPSHOTS] = {
	[WASI_PREVIEW1] = {64, 24, 8, 32, 40, 48, 56},
	[WASI_SNAPSHOT0] = {56, 20, 4, 24, 32, 40, 48},
};

uint32_t wasi_filestat_size(enum wasi_snapshot s)
{
	return filestat[s].size;
}

void wasi_put_filestat(uint8_t *p, const struct stat *st, enum wasi_snapshot s)
{
	memset(p, 0, filestat[s].size);
	wasi_st64(p, (uint64_t)st->st_dev);
	wasi_st64(p + 8, (uint64_t)st->st_ino);
	p[16] = wasi_filetype(st->st_mode);
	if (filestat[s].nlink_bytes == 8)
		wasi_st64(p + filestat[s].nlink, (uint64_t)st->st_nlink);
	else  /* more links than a u32 counts: the most it can say */
		wasi_st32(p + filestat[s].nlink, (uint64_t)st->st_nlink > UINT32_MAX
			  ? UINT32_MAX : (uint32_t)st->st_nlink);
	wasi_st64(p + filestat[s].fsize, (uint64_t)st->st_size);
	wasi_st64(p + filestat[s].atim, ts_ns(&st->st_atim));
	wasi_st64(p + filestat[s].mtim, ts_ns(&st->st_mtim));
	wasi_st64(p + filestat[s].ctim, ts_ns(&st->st_ctim));
}

static enum wlab_trap filestat_get(void *ctx, const uint64_t *a, uint64_t *r,
				   enum wasi_snapshot s)
{
	struct wasi_mem m;
	struct stat st;
	uint16_t e;
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	struct wasi_fd *f = wasi_fd_get(ctx, (uint32_t)a[0], WASI_R_FD_FILESTAT_GET, &e);
	if (!f)
		return wasi_ret(r, e);
	uint8_t *p = wasi_ptr(&m, (uint32_t)a[1], wasi_filestat_size(s));
	if (!p)
		return wasi_ret(r, WASI_EFAULT);
	if (fstat(f->host, &st) != 0)
		return wasi_ret(r, wasi_errno_from_host(errno));
	wasi_put_filestat(p, &st, s);
	return wasi_ret(r, WASI_ESUCCESS);
}

enum wlab_trap wasi_fd_filestat_get(void *ctx, const uint64_t *a, uint64_t *r)
{
	return filestat_get(ctx, a, r, WASI_PREVIEW1);
}

enum wlab_trap wasi0_fd_filestat_get(void *ctx, const uint64_t *a, uint64_t *r)
{
	return filestat_get(ctx, a, r, WASI_SNAPSHOT0);
}

enum wlab_trap wasi_fd_filestat_set_size(void *ctx, const uint64_t *a, uint64_t *r)
{
	uint16_t e;
	struct wasi_fd *f = wasi_fd_get(ctx, (uint32_t)a[0], WASI_R_FD_FILESTAT_SET_SIZE, &e);
	if (!f)
		return wasi_ret(r, e);
	if (a[1] > INT64_MAX)
		return wasi_ret(r, WASI_EINVAL);
	if (ftruncate(f->host, (off_t)a[1]) != 0)
		return wasi_ret(r, wasi_errno_from_host(errno));
	return wasi_ret(r, WASI_ESUCCESS);
}

bool wasi_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2])
{
	if (((fst & WASI_FST_ATIM) && (fst & WASI_FST_ATIM_NOW)) ||
	    ((fst & WASI_FST_MTIM) && (fst & WASI_FST_MTIM_NOW)) || (fst & ~15u))
		return false;
	uint64_t t[2] = {atim, mtim};
	for (int i = 0; i < 2; i++) {
		uint32_t set = i ? WASI_FST_MTIM : WASI_FST_ATIM;
		uint32_t now = i ? WASI_FST_MTIM_NOW : WASI_FST_ATIM_NOW;
		ts[i].tv_sec = (time_t)(t[i] / 1000000000u);
		ts[i].tv_nsec = (long)(t[i] % 1000000000u);
		if (fst & now)
			ts[i].tv_nsec = UTIME_NOW;
		else if (!(fst & set))
			ts[i].tv_nsec = UTIME_OMIT;
	}
	return true;
}

enum wlab_trap wasi_fd_filestat_set_times(void *ctx, const uint64_t *a, uint64_t *r)
{
	uint16_t e;
	struct timespec ts[2];
	struct wasi_fd *f = wasi_fd_get(ctx, (uint32_t)a[0], WASI_R_FD_FILESTAT_SET_TIMES, &e);
	if (!f)
		return wasi_ret(r, e);
	if (!wasi_times(a[1], a[2], (uint32_t)a[3], ts))
		return wasi_ret(r, WASI_EINVAL);
	if (futimens(f->host, ts) != 0)
		return wasi_ret(r, wasi_errno_from_host(errno));
	return wasi_ret(r, WASI_ESUCCESS);
}

enum wlab_trap wasi_fd_advise(void *ctx, const uint64_t *a, uint64_t *r)
{
	uint16_t e;
	static const int advice[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
				     POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,
				     POSIX_FADV_NOREUSE};
	struct wasi_fd *f = wasi_fd_get(ctx, (uint32_t)a[0], WASI_R_FD_ADVISE, &e);
	if (!f)
		return wasi_ret(r, e);
	if ((uint32_t)a[3] > 5 || a[1] > INT64_MAX || a[2] > INT64_MAX)
		return wasi_ret(r, WASI_EINVAL);
	if (f->type == WASI_FT_DIRECTORY)
		return wasi_ret(r, WASI_ESUCCESS);  /* advice is only advice */
	int rc = posix_fadvise(f->host, (off_t)a[1], (off_t)a[2], advice[(uint32_t)a[3]]);
	return wasi_ret(r, rc ? wasi_errno_from_host(rc) : WASI_ESUCCESS);
}

enum wlab_trap wasi_fd_allocate(void *ctx, const uint64_t *a, uint64_t *r)
{
	uint16_t e;
	struct wasi_fd *f = wasi_fd_get(ctx, (uint32_t)a[0], WASI_R_FD_ALLOCATE, &e);
	if (!f)
		return wasi_ret(r, e);
	if (a[1] > INT64_MAX || a[2] > INT64_MAX - a[1])
		return wasi_ret(r, WASI_EFBIG);
	if (a[2] == 0)
		return wasi_ret(r, WASI_EINVAL);
	int rc = posix_fallocate(f->host, (off_t)a[1], (off_t)a[2]);
	return wasi_ret(r, rc ? wasi_errno_from_host(rc) : WASI_ESUCCESS);
}

enum wlab_trap wasi_fd_renumber(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wlab_wasi *w = ctx;
	uint16_t e;
	struct wasi_fd *from = wasi_fd_get(w, (uint32_t)a[0], 0, &e), *to;
	if (!from || !(to = wasi_fd_get(w, (uint32_t)a[1], 0, &e)))
		return wasi_ret(r, e);
	if (from != to) {
		wasi_fd_release(to);
		*to = *from;
		*from = (struct wasi_fd){.host = -1};
	}
	return wasi_ret(r, WASI_ESUCCESS);
}

enum wlab_trap wasi_fd_prestat_get(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wasi_mem m;
	uint16_t e;
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	struct wasi_fd *f = wasi_fd_get(ctx, (uint32_t)a[0], 0, &e);
	if (!f)
		return wasi_ret(r, e);
	if (!f->preopen)
		return wasi_ret(r, WASI_EBADF);
	uint8_t *p = wasi_ptr(&m, (uint32_t)a[1], 8);
	if (!p)
		return wasi_ret(r, WASI_EFAULT);
	memset(p, 0, 8);  /* tag 0: a directory */
	wasi_st32(p + 4, (uint32_t)strlen(f->preopen));
	return wasi_ret(r, WASI_ESUCCESS);
}

enum wlab_trap wasi_fd_prestat_dir_name(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wasi_mem m;
	uint16_t e;
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	struct wasi_fd *f = wasi_fd_get(ctx, (uint32_t)a[0], 0, &e);
	if (!f)
		return wasi_ret(r, e);
	if (!f->preopen)
		return wasi_ret(r, WASI_EBADF);
	size_t len = strlen(f->preopen);
	uint8_t *p = wasi_ptr(&m, (uint32_t)a[1], (uint32_t)a[2]);
	if (!p)
		return wasi_ret(r, WASI_EFAULT);
	if ((uint32_t)a[2] < len)
		return wasi_ret(r, WASI_ENAMETOOLONG);
	memcpy(p, f->preopen, len);
	return wasi_ret(r, WASI_ESUCCESS);
}

/* The type of a directory entry, from d_type or, when the file system does
 * not say, from fstatat without following. */
static uint8_t entry_type(int dirfd, const struct dirent *d)
{
	struct stat st;
	switch (d->d_type) {
	case DT_REG: return WASI_FT_REGULAR_FILE;
	case DT_DIR: return WASI_FT_DIRECTORY;
	case DT_LNK: return WASI_FT_SYMBOLIC_LINK;
	case DT_CHR: return WASI_FT_CHARACTER_DEVICE;
	case DT_BLK: return WASI_FT_BLOCK_DEVICE;
#ifdef DT_SOCK
	case DT_SOCK: return WASI_FT_SOCKET_STREAM;
#endif
	case DT_FIFO: return WASI_FT_UNKNOWN;
	default:
		if (fstatat(dirfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			return WASI_FT_UNKNOWN;
		return wasi_filetype(st.st_mode);
	}
}

/* fd_readdir: entries from cookie on, each a 24-byte dirent (d_next @0,
 * d_ino @8, d_namlen u32 @16, d_type u8 @20) and its name; the last one
 * is cut at the end of the buffer (bufused == buf_len then means "call
 * again"). The cookie of an entry is its index in the stream; a cookie
 * other than the stream's position rewinds and skips. */
static uint16_t readdir_into(struct wasi_fd *f, uint8_t *buf, uint32_t len, uint64_t cookie,
			     uint32_t *used)
{
	if (!f->dir) {
		int h = openat(f->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (h < 0)
			return wasi_errno_from_host(errno);
		if (!(f->dir = fdopendir(h))) {
			close(h);
			return wasi_errno_from_host(errno);
		}
		f->dir_pos = 0;
	}
	if (cookie != f->dir_pos) {
		rewinddir(f->dir);
		f->dir_pos = 0;
		while (f->dir_pos < cookie && readdir(f->dir))
			f->dir_pos++;
	}
	*used = 0;
	while (*used < len) {
		errno = 0;
		struct dirent *d = readdir(f->dir);
		if (!d) {
			if (errno)
				return wasi_errno_from_host(errno);
			break;
		}
		f->dir_pos++;
		uint8_t head[24];
		size_t nlen = strlen(d->d_name);
		wasi_st64(head, f->dir_pos);
		wasi_st64(head + 8, (uint64_t)d->d_ino);
		wasi_st32(head + 16, (uint32_t)nlen);
		memset(head + 20, 0, 4);
		head[20] = entry_type(dirfd(f->dir), d);
		uint32_t k = len - *used < 24 ? len - *used : 24;
		memcpy(buf + *used, head, k);
		*used += k;
		k = len - *used < nlen ? len - *used : (uint32_t)nlen;
		memcpy(buf + *used, d->d_name, k);
		*used += k;
	}
	return WASI_ESUCCESS;
}

enum wlab_trap wasi_fd_readdir(void *ctx, const uint64_t *a, uint64_t *r)
{
	struct wasi_mem m;
	uint16_t e;
	uint32_t used = 0;
	if (!wasi_mem_get(ctx, &m))
		return WLAB_TRAP_HOST;
	struct wasi_fd *f = wasi_fd_get(ctx, (uint32_t)a[0], WASI_R_FD_READDIR, &e);
	if (!f)
		return wasi_ret(r, e);
	uint8_t *buf = wasi_ptr(&m, (uint32_t)a[1], (uint32_t)a[2]);
	if (!buf || !wasi_ptr(&m, (uint32_t)a[4], 4))
		return wasi_ret(r, WASI_EFAULT);
	if (f->type != WASI_FT_DIRECTORY)
		return wasi_ret(r, WASI_ENOTDIR);
	if ((e = wasi_charge(ctx, (uint32_t)a[2])) || (e = readdir_into(f, buf, (uint32_t)a[2], a[3], &used)))
		return wasi_ret(r, e);
	return wasi_ret(r, wasi_put32(&m, (uint32_t)a[4], used));
}
