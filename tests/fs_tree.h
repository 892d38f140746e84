/* fs_tree.h: removing a scratch directory tree, for the tests that make one
 * (tests/unit/test_wasi.c, tests/fuzz/fuzz_wasi_path.c). Header-only: each
 * includes it once, after <dirent.h>, <fcntl.h>, <string.h> and <unistd.h>. */
#ifndef TESTS_FS_TREE_H
#define TESTS_FS_TREE_H

/* Removes parent/name: a file or symlink (never followed), or a directory
 * with everything under it. Errors are ignored: what is left stays. */
static void remove_tree(int parent, const char *name)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (fd < 0) {
		unlinkat(parent, name, 0);
		return;
	}
	DIR *d = fdopendir(fd);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			remove_tree(fd, e->d_name);
	if (d)
		closedir(d);
	else
		close(fd);
	unlinkat(parent, name, AT_REMOVEDIR);
}

#endif
