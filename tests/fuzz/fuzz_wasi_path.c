/* fuzz_wasi_path.c: WASI path resolution inside a scratch directory.
 *
 * The input is a list of operations, each [op][flags] PATH \0 PATH2 \0:
 * path_open (with create/truncate/directory/exclusive from flags, then
 * fd_close), path_filestat_get, path_create_directory,
 * path_remove_directory, path_unlink_file, path_readlink, path_rename,
 * path_symlink, path_link and path_filestat_set_times, all on the preopen
 * (guest fd 3) of a fresh copy of a small tree: files, a subdirectory and
 * symlinks that point up, out of it, to an absolute path and to
 * themselves. Next to the preopen lies "outside" with one file; after
 * every input the target checks that nothing outside the preopen was
 * created, removed or changed (a path that escaped the sandbox). */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../fs_tree.h"
#include "fuzz.h"

#define MAX_OPS 16
#define PATH_AT 1024u
#define PATH2_AT 8192u
#define OUT_AT 16384u
#define SECRET "not for the guest\n"

static char root[64], box[96], outside[96];

static void put(const char *dir, const char *name, const char *text)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	if (!f)
		fuzz_fail("cannot write the fixture", p);
	fputs(text, f);
	fclose(f);
}

static void link_to(const char *target, const char *dir, const char *name)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	if (symlink(target, p) != 0)
		fuzz_fail("cannot make the fixture's symlink", p);
}

static void make_box(void)
{
	char sub[160];
	if (mkdir(box, 0700) != 0)
		fuzz_fail("cannot make the preopen", box);
	put(box, "file", "hello\n");
	snprintf(sub, sizeof sub, "%s/sub", box);
	mkdir(sub, 0700);
	put(sub, "inner", "inner\n");
	link_to("..", sub, "parent");          /* back to the preopen: allowed */
	link_to("../..", sub, "grandparent");  /* above it: refused */
	link_to("../outside/secret", box, "up");
	link_to("/etc/passwd", box, "abs");
	link_to("loop", box, "loop");
	link_to("sub/inner", box, "rel");
	link_to("missing", box, "dangling");
}

/* The names in dir, sorted into one string, to compare. */
static void listing(const char *dir, char *out, size_t size)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		size_t l = strlen(out);
		snprintf(out + l, size - l, "%s/", names[i]->d_name);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

static char root_names[256], outside_names[256];

static void cleanup(void)
{
	remove_tree(AT_FDCWD, root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	snprintf(root, sizeof root, "%s/wlab-fuzz-wasi.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root))
		fuzz_fail("mkdtemp", root);
	snprintf(box, sizeof box, "%s/box", root);
	snprintf(outside, sizeof outside, "%s/outside", root);
	mkdir(outside, 0700);
	put(outside, "secret", SECRET);
	make_box();
	listing(root, root_names, sizeof root_names);
	listing(outside, outside_names, sizeof outside_names);
	atexit(cleanup);
	return 0;
}

static void check_outside(void)
{
	char now[256], text[64] = "";
	listing(root, now, sizeof now);
	if (strcmp(now, root_names))
		fuzz_fail("an entry beside the preopen changed", now);
	listing(outside, now, sizeof now);
	if (strcmp(now, outside_names))
		fuzz_fail("the directory outside the preopen changed", now);
	char p[160];
	snprintf(p, sizeof p, "%s/secret", outside);
	FILE *f = fopen(p, "r");
	if (!f || !fgets(text, sizeof text, f) || strcmp(text, SECRET))
		fuzz_fail("the file outside the preopen changed", p);
	fclose(f);
}

struct env {
	struct wlab_store *store;
	struct wlab_wasi *wasi;
	uint8_t *mem;
};

static uint64_t call(struct env *e, const char *name, const uint64_t *args)
{
	const struct wlab_wasi_func *f = wlab_wasi_lookup(name, strlen(name));
	uint64_t r[2] = {0};
	if (!f)
		fuzz_fail("no such WASI function", name);
	if (f->fn(e->wasi, args, r) != WLAB_TRAP_NONE)
		fuzz_fail("a WASI function trapped on valid pointers", name);
	return r[0];
}

/* One operation on paths p (at PATH_AT, n bytes) and p2 (at PATH2_AT, n2). */
static void op(struct env *e, uint8_t what, uint8_t flags, uint32_t n, uint32_t n2)
{
	const uint64_t all = ~(uint64_t)0;
	uint64_t follow = flags & 1;  /* lookupflags: SYMLINK_FOLLOW */
	switch (what % 10) {
	case 0: {
		uint64_t a[] = {3, follow, PATH_AT, n, (flags >> 1) & 15, all, all, (flags >> 5) & 7,
				OUT_AT};
		if (call(e, "path_open", a) == 0) {
			uint32_t fd;
			memcpy(&fd, e->mem + OUT_AT, 4);
			call(e, "fd_close", (uint64_t[]){fd});
		}
		break;
	}
	case 1: call(e, "path_filestat_get", (uint64_t[]){3, follow, PATH_AT, n, OUT_AT}); break;
	case 2: call(e, "path_create_directory", (uint64_t[]){3, PATH_AT, n}); break;
	case 3: call(e, "path_remove_directory", (uint64_t[]){3, PATH_AT, n}); break;
	case 4: call(e, "path_unlink_file", (uint64_t[]){3, PATH_AT, n}); break;
	case 5: call(e, "path_readlink", (uint64_t[]){3, PATH_AT, n, OUT_AT, flags, OUT_AT + 512});
		break;
	case 6: call(e, "path_rename", (uint64_t[]){3, PATH_AT, n, 3, PATH2_AT, n2}); break;
	case 7: call(e, "path_symlink", (uint64_t[]){PATH2_AT, n2, 3, PATH_AT, n}); break;
	case 8: call(e, "path_link", (uint64_t[]){3, follow, PATH_AT, n, 3, PATH2_AT, n2}); break;
	case 9: call(e, "path_filestat_set_times",
		     (uint64_t[]){3, follow, PATH_AT, n, 0, 0, (flags >> 1) & 15});
		break;
	}
}

/* The next NUL-terminated piece of [*p, end), at most max bytes. */
static uint32_t piece(const uint8_t **p, const uint8_t *end, const uint8_t **out, uint32_t max)
{
	const uint8_t *s = *p;
	while (*p < end && **p)
		(*p)++;
	*out = s;
	uint32_t n = (uint32_t)(*p - s);
	if (*p < end)
		(*p)++;
	return n < max ? n : max;
}

static void run_ops(struct env *e, const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	for (int i = 0; i < MAX_OPS && end - p >= 2; i++) {
		uint8_t what = p[0], flags = p[1];
		const uint8_t *s1, *s2;
		p += 2;
		uint32_t n = piece(&p, end, &s1, PATH2_AT - PATH_AT);
		uint32_t n2 = piece(&p, end, &s2, OUT_AT - PATH2_AT);
		memcpy(e->mem + PATH_AT, s1, n);
		memcpy(e->mem + PATH2_AT, s2, n2);
		op(e, what, flags, n, n2);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wlab_wasi_preopen pre = {box, "."};
	char *argv[] = {"fuzz", NULL};
	struct wlab_wasi_options o = {.argc = 1, .argv = argv, .npreopens = 1, .preopens = &pre,
				      .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1};
	struct wlab_error err = {0};
	struct wlab_store_options so = {.stack_slots = 1024, .max_call_depth = 16};
	struct env e = {wlab_store_new(&so), wlab_wasi_new(&o, &err), NULL};
	struct rt_memory *mem = e.store ? wlab_memory_new(e.store, 1, true, 1) : NULL;
	if (!e.wasi || !mem)
		fuzz_fail("cannot set up WASI", err.message);
	wlab_wasi_set_memory(e.wasi, mem);
	uint64_t msize;
	e.mem = wlab_memory_data(mem, &msize);
	run_ops(&e, data, size);
	wlab_wasi_free(e.wasi);
	wlab_store_free(e.store);
	check_outside();
	remove_tree(AT_FDCWD, box);
	make_box();
	return 0;
}
