/* wlab-demangle.c: libwasm's demangler as a filter, for tests against c++filt:
 * each line of stdin (a symbol name) is printed demangled, or unchanged when
 * wlab_demangle declines it. With -m, a declined name is printed as "?NAME". */
#include <stdio.h>
#include <string.h>

#include "wlab/demangle.h"

int main(int argc, char **argv)
{
	char line[4096], out[4096];
	int mark = argc > 1 && !strcmp(argv[1], "-m");
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\n")] = 0;
		if (wlab_demangle(line, out, sizeof out))
			puts(out);
		else
			printf("%s%s\n", mark ? "?" : "", line);
	}
	return 0;
}
