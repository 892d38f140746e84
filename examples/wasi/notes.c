/* notes.c: the WASI example: a small command that uses wasi-libc.
 *
 *   notes [-x CODE] WORD...
 *
 * Prints its arguments and $NOTES_USER, appends the words as one line to
 * notes.txt in the current directory (a preopened one), reads the file
 * back and prints its lines numbered, then exits with CODE (0 by default).
 * Build: clang --target=wasm32-wasi --sysroot=/usr -O2 -o notes.wasm notes.c
 * Run:   wlab-run --dir /tmp/n::. --env NOTES_USER=ann notes.wasm -x 3 hi there */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	int code = 0, first = 1;
	if (argc > 2 && strcmp(argv[1], "-x") == 0) {
		code = atoi(argv[2]);
		first = 3;
	}
	const char *user = getenv("NOTES_USER");
	printf("%s: %d argument(s), user %s\n", argv[0], argc - 1, user ? user : "(unset)");

	/* The line to add, built on the heap. */
	size_t len = 1;
	for (int i = first; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *line = malloc(len);
	if (!line)
		return 1;
	line[0] = 0;
	for (int i = first; i < argc; i++) {
		if (i > first)
			strcat(line, " ");
		strcat(line, argv[i]);
	}

	FILE *f = fopen("notes.txt", "a");
	if (!f) {
		fprintf(stderr, "notes: cannot open notes.txt: %s%s\n", strerror(errno),
			errno == ENOTCAPABLE || errno == ENOENT
				? " (give it a directory: wlab-run --dir DIR::. notes.wasm ...)" : "");
		free(line);
		return 1;
	}
	fprintf(f, "%s\n", line);
	fclose(f);
	free(line);

	f = fopen("notes.txt", "r");
	if (!f) {
		fprintf(stderr, "notes: cannot read notes.txt: %s\n", strerror(errno));
		return 1;
	}
	char buf[256];
	for (int n = 1; fgets(buf, sizeof buf, f); n++)
		printf("%3d  %s", n, buf);
	fclose(f);
	fprintf(stderr, "notes: exit %d\n", code);
	return code;
}
