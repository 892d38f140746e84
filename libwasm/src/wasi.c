/* wasi.c: the WASI host's lifetime, its function table, the descriptor
 * table, errno translation and guest memory helpers. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rt/rt_internal.h"
#include "wasi_internal.h"

/* The module each snapshot is imported from. */
static const char *const modules[WASI_NSNAPSHOTS] = {
	[WASI_PREVIEW1] = WLAB_WASI_MODULE,
	[WASI_SNAPSHOT0] = WLAB_WASI_UNSTABLE_MODULE,
};

#define WASI_COUNT(name, params, results, snapshot0) +1
enum { NFUNCS = 0 WASI_FUNCS(WASI_COUNT) };
#undef WASI_COUNT

/* WASI_FUNCS once per snapshot: the same names and types, each snapshot's
 * host function, fn NULL where a snapshot lacks the function. */
#define WASI_ROW(name, params, results, fn)                                            \
	{#name, sizeof(params) - 1, sizeof(results) - 1, (const uint8_t *)(params),    \
	 (const uint8_t *)(results), fn},
#define WASI_ROW_PREVIEW1(name, params, results, snapshot0) \
	WASI_ROW(name, params, results, wasi_##name)
#define WASI_ROW_SNAPSHOT0(name, params, results, snapshot0) \
	WASI_ROW(name, params, results, WASI_SNAPSHOT0_##snapshot0(name))
static const struct wlab_wasi_func funcs[WASI_NSNAPSHOTS][NFUNCS] = {
	[WASI_PREVIEW1] = {WASI_FUNCS(WASI_ROW_PREVIEW1)},
	[WASI_SNAPSHOT0] = {WASI_FUNCS(WASI_ROW_SNAPSHOT0)},
};
#undef WASI_ROW
#undef WASI_ROW_PREVIEW1
#undef WASI_ROW_SNAPSHOT0

const struct wlab_wasi_func *wlab_wasi_lookup_in(const char *module, size_t module_len,
						 const char *name, size_t len)
{
	for (size_t s = 0; s < WASI_NSNAPSHOTS; s++) {
		if (strlen(modules[s]) != module_len || memcmp(modules[s], module, module_len))
			continue;
		for (size_t i = 0; i < NFUNCS; i++) {
			const struct wlab_wasi_func *f = &funcs[s][i];
			if (f->fn && strlen(f->name) == len && memcmp(f->name, name, len) == 0)
				return f;
		}
	}
	return NULL;
}

const struct wlab_wasi_func *wlab_wasi_lookup(const char *name, size_t len)
{
	return wlab_wasi_lookup_in(WLAB_WASI_MODULE, strlen(WLAB_WASI_MODULE), name, len);
}

static enum wlab_status define_one(struct wlab_store *s, struct wlab_wasi *w,
				   const char *module, const struct wlab_wasi_func *f)
{
	struct wlab_extern ext = {.kind = WLAB_EXTERN_FUNC};
	wlab_valtype_t p[16], r[4];  /* the widest WASI signature has 9 params */
	for (uint32_t k = 0; k < f->nparams && k < 16; k++)
		p[k] = f->params[k];
	for (uint32_t k = 0; k < f->nresults && k < 4; k++)
		r[k] = f->results[k];
	ext.u.func = wlab_host_func_new(s, p, f->nparams, r, f->nresults, f->fn, w);
	if (!ext.u.func)
		return WLAB_NOMEM;
	return wlab_store_define(s, module, f->name, ext);
}

enum wlab_status wlab_wasi_define(struct wlab_store *s, struct wlab_wasi *w)
{
	for (size_t m = 0; m < WASI_NSNAPSHOTS; m++)
		for (size_t i = 0; i < NFUNCS; i++) {
			if (!funcs[m][i].fn)
				continue;
			enum wlab_status st = define_one(s, w, modules[m], &funcs[m][i]);
			if (st != WLAB_OK)
				return st;
		}
	return WLAB_OK;
}

void wlab_wasi_set_memory(struct wlab_wasi *w, struct rt_memory *mem)
{
	w->mem = mem;
	w->store = mem ? mem->store : NULL;  /* whose fuel the calls take */
}

uint32_t wlab_wasi_exit_code(const struct wlab_wasi *w)
{
	return w->exit_code;
}

uint16_t wasi_errno_from_host(int e)
{
	static const int host[] = {
#define WASI_HOST_ERRNO(name, value, h) h,
		WASI_ERRNOS(WASI_HOST_ERRNO)
#undef WASI_HOST_ERRNO
	};
	if (e == 0)
		return WASI_EIO;
	for (size_t i = 1; i < sizeof host / sizeof host[0]; i++)
		if (host[i] == e)
			return (uint16_t)i;  /* the table lists values 0, 1, 2... in order */
	if (e == EWOULDBLOCK)
		return WASI_EAGAIN;
	if (e == EOPNOTSUPP)
		return WASI_ENOTSUP;
	return WASI_EIO;
}

uint16_t wasi_charge(const struct wlab_wasi *w, uint64_t bytes)
{
	if (!w->store || wlab_store_take_fuel(w->store, bytes / 64))
		return WASI_ESUCCESS;
	return WASI_XFUEL;
}

bool wasi_mem_get(const struct wlab_wasi *w, struct wasi_mem *m)
{
	if (!w->mem)
		return false;
	m->data = wlab_memory_data(w->mem, &m->size);
	return true;
}

uint16_t wasi_put32(const struct wasi_mem *m, uint32_t ptr, uint32_t v)
{
	uint8_t *p = wasi_ptr(m, ptr, 4);
	if (!p)
		return WASI_EFAULT;
	wasi_st32(p, v);
	return WASI_ESUCCESS;
}

uint16_t wasi_put64(const struct wasi_mem *m, uint32_t ptr, uint64_t v)
{
	uint8_t *p = wasi_ptr(m, ptr, 8);
	if (!p)
		return WASI_EFAULT;
	wasi_st64(p, v);
	return WASI_ESUCCESS;
}

uint8_t wasi_filetype(unsigned mode)
{
	if (S_ISREG(mode))
		return WASI_FT_REGULAR_FILE;
	if (S_ISDIR(mode))
		return WASI_FT_DIRECTORY;
	if (S_ISCHR(mode))
		return WASI_FT_CHARACTER_DEVICE;
	if (S_ISBLK(mode))
		return WASI_FT_BLOCK_DEVICE;
	if (S_ISLNK(mode))
		return WASI_FT_SYMBOLIC_LINK;
	if (S_ISSOCK(mode))
		return WASI_FT_SOCKET_STREAM;
	return WASI_FT_UNKNOWN;
}

struct wasi_fd *wasi_fd_get(struct wlab_wasi *w, uint32_t fd, uint64_t rights, uint16_t *e)
{
	if (fd >= w->nfds || w->fds[fd].host < 0) {
		*e = WASI_EBADF;
		return NULL;
	}
	if ((w->fds[fd].base & rights) != rights) {
		*e = WASI_ENOTCAPABLE;
		return NULL;
	}
	return &w->fds[fd];
}

uint16_t wasi_fd_add(struct wlab_wasi *w, int h, uint8_t type, uint64_t base,
		     uint64_t inheriting, uint32_t *out)
{
	uint32_t i = 3;  /* 0-2 are the standard streams' numbers, even closed */
	while (i < w->nfds && w->fds[i].host >= 0)
		i++;
	if (i == w->nfds) {
		uint32_t n = w->nfds ? w->nfds * 2 : 8;
		if (n > WASI_MAX_FDS)
			n = WASI_MAX_FDS;
		if (i >= n) {
			close(h);
			return WASI_EMFILE;
		}
		struct wasi_fd *p = realloc(w->fds, n * sizeof *p);
		if (!p) {
			close(h);
			return WASI_ENOMEM;
		}
		for (uint32_t j = w->nfds; j < n; j++)
			p[j] = (struct wasi_fd){.host = -1};
		w->fds = p;
		w->nfds = n;
	}
	w->fds[i] = (struct wasi_fd){.host = h, .type = type, .base = base,
				     .inheriting = inheriting};
	*out = i;
	return WASI_ESUCCESS;
}

void wasi_fd_release(struct wasi_fd *f)
{
	if (f->dir)
		closedir(f->dir);
	if (f->host >= 0)
		close(f->host);
	free(f->preopen);
	*f = (struct wasi_fd){.host = -1};
}

/* Copies n strings into one NUL-separated block. */
static bool pack(char *const *v, int n, char **out, uint32_t *size)
{
	size_t total = 0;
	for (int i = 0; i < n; i++) {
		total += strlen(v[i]) + 1;
		if (total > UINT32_MAX)
			return false;
	}
	*out = malloc(total ? total : 1);
	if (!*out)
		return false;
	size_t at = 0;
	for (int i = 0; i < n; i++) {
		size_t l = strlen(v[i]) + 1;
		memcpy(*out + at, v[i], l);
		at += l;
	}
	*size = (uint32_t)total;
	return true;
}

/* Guest fd 0-2: a private duplicate of the host fd, or a closed slot. */
static void set_stdio(struct wlab_wasi *w, uint32_t fd, int host)
{
	struct stat st;
#ifdef F_DUPFD_CLOEXEC
	int h = host < 0 ? -1 : fcntl(host, F_DUPFD_CLOEXEC, 3);
#else
	int h = -1;  /* no way to duplicate an fd (wasi-libc): the slot stays closed */
	(void)host;
#endif
	if (h >= 0 && fstat(h, &st) != 0) {
		close(h);
		h = -1;
	}
	if (h < 0)
		return;
	uint64_t rights = WASI_RIGHTS_FILE;
	if (isatty(h))
		rights &= ~(uint64_t)(WASI_R_FD_SEEK | WASI_R_FD_TELL);
	w->fds[fd] = (struct wasi_fd){.host = h, .type = wasi_filetype(st.st_mode),
				      .base = rights, .inheriting = rights};
}

struct wlab_wasi *wlab_wasi_new(const struct wlab_wasi_options *o, struct wlab_error *err)
{
	struct wlab_wasi *w = calloc(1, sizeof *w);
	if (!w || !pack(o->argv, o->argc, &w->args, &w->args_size) ||
	    !pack(o->env, o->nenv, &w->env, &w->env_size))
		goto nomem;
	w->argc = (uint32_t)o->argc;
	w->envc = (uint32_t)o->nenv;
	w->fds = malloc(8 * sizeof *w->fds);
	if (!w->fds)
		goto nomem;
	w->nfds = 8;
	for (uint32_t i = 0; i < w->nfds; i++)
		w->fds[i] = (struct wasi_fd){.host = -1};
	set_stdio(w, 0, o->stdin_fd);
	set_stdio(w, 1, o->stdout_fd);
	set_stdio(w, 2, o->stderr_fd);
	for (int i = 0; i < o->npreopens; i++) {
		const struct wlab_wasi_preopen *p = &o->preopens[i];
		uint32_t fd;
		int h = open(p->host, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (h < 0) {
			wlab_error_set(err, WLAB_IO, 0, "cannot open directory %s: %s", p->host,
				       strerror(errno));
			wlab_wasi_free(w);
			return NULL;
		}
		if (wasi_fd_add(w, h, WASI_FT_DIRECTORY, WASI_RIGHTS_DIR, WASI_RIGHTS_ALL, &fd))
			goto nomem;
		w->fds[fd].preopen = strdup(p->guest);
		if (!w->fds[fd].preopen)
			goto nomem;
	}
	return w;
nomem:
	wlab_error_set(err, WLAB_NOMEM, 0, "out of memory");
	wlab_wasi_free(w);
	return NULL;
}

void wlab_wasi_free(struct wlab_wasi *w)
{
	if (!w)
		return;
	for (uint32_t i = 0; i < w->nfds; i++)
		wasi_fd_release(&w->fds[i]);
	free(w->fds);
	free(w->args);
	free(w->env);
	free(w);
}
