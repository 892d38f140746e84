/* wasi_env.c: a WASI command for tests/run/cli.sh: prints its arguments,
 * $GREETING and /data/in.txt, writes /data/out.txt, and exits with 5 when
 * it has two arguments (0 otherwise). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	printf("argc %d:", argc);
	for (int i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	const char *g = getenv("GREETING");
	printf("\nGREETING=%s\n", g ? g : "(unset)");
	char line[128];
	FILE *f = fopen("/data/in.txt", "r");
	if (f && fgets(line, sizeof line, f))
		printf("in.txt: %s", line);
	else
		printf("in.txt: cannot open\n");
	if (f)
		fclose(f);
	f = fopen("/data/out.txt", "w");
	if (f) {
		fputs("written by the guest\n", f);
		fclose(f);
	}
	return argc == 3 ? 5 : 0;
}
