/* embed_wasm.c: a build tool (native, not part of the page): writes make
 * web's wlab-explore.wasm.js, the page's wasm for a page opened from file://
 * (where fetch cannot read it), deflated and in base64 as wlab-explore
 * --html carries it (explore_wasm_js, cmd/wlab-explore/html_deflate.c):
 * `var WLAB_EXPLORE_WASM="...";var WLAB_EXPLORE_WASM_SIZE=N;`.
 *
 * Usage: embed_wasm WASM OUT.js */
#include <stdio.h>
#include <stdlib.h>

#include "explore.h"

int main(int argc, char **argv)
{
	if (argc != 3) {
		fputs("usage: embed_wasm WASM OUT.js\n", stderr);
		return 2;
	}
	FILE *in = fopen(argv[1], "rb");
	if (!in) {
		perror(argv[1]);
		return 1;
	}
	size_t cap = 1 << 16, n = 0;
	unsigned char *buf = malloc(cap);
	for (size_t k; buf && (k = fread(buf + n, 1, cap - n, in)) > 0;) {
		n += k;
		if (n == cap) {
			unsigned char *b = realloc(buf, cap * 2);
			if (!b)
				free(buf);
			buf = b;
			cap *= 2;
		}
	}
	int bad = ferror(in);
	fclose(in);
	if (!buf || bad) {
		fprintf(stderr, "%s: %s\n", argv[1], buf ? "read error" : "out of memory");
		free(buf);
		return 1;
	}
	FILE *out = fopen(argv[2], "w");
	if (!out) {
		perror(argv[2]);
		free(buf);
		return 1;
	}
	explore_wasm_js(out, buf, n);
	fputc('\n', out);
	free(buf);
	if (fclose(out) != 0) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
