/* wlab-dwarf.c: the DWARF reader's test driver, printing what the oracles print.
 *   wlab-dwarf --lines FILE    every line table's rows, as llvm-dwarfdump --debug-line
 *                              prints its row table (one "debug_line[0xOFF]" header each)
 *   wlab-dwarf --addrs FILE    the code address of every instruction, one per line (hex)
 *   wlab-dwarf --lookup FILE   reads code addresses (hex) on stdin and prints each one's
 *                              frames as llvm-symbolizer --functions=linkage --no-demangle
 *                              --inlining does (a blank line after each address)
 * Warnings go to stderr as FILE: warning: SECTION+0xOFF (file 0xOFF): MESSAGE. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wlab/dwarf.h"
#include "wlab/features.h"
#include "wlab/instr.h"
#include "wlab/module.h"

static void warn(void *ctx, const char *section, uint64_t offset, uint64_t file_offset,
		 const char *message)
{
	fprintf(stderr, "%s: warning: %s+0x%" PRIx64 " (file 0x%" PRIx64 "): %s\n",
		(const char *)ctx, section, offset, file_offset, message);
}

static void lines(struct wlab_dwarf *d)
{
	uint32_t n = wlab_dwarf_line_table_count(d);
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_line_table t;
		wlab_dwarf_line_table(d, i, &t);
		printf("debug_line[0x%08" PRIx64 "]\n", t.offset);
		for (uint32_t k = 0; k < t.nrows; k++) {
			const struct wlab_line_row *r = &t.rows[k];
			printf("0x%016" PRIx64 " %6u %6u %6u %3u %13u ", r->address, r->line,
			       r->column, r->file, r->isa, r->discriminator);
			static const char *const flags[] = {" is_stmt", " basic_block",
				" end_sequence", " prologue_end", " epilogue_begin"};
			for (int b = 0; b < 5; b++)
				if (r->flags & (1 << b))
					fputs(flags[b], stdout);
			putchar('\n');
		}
	}
}

static int addrs(const struct wlab_module *m)
{
	uint32_t base;
	if (!wlab_dwarf_code_base(m, &base))
		return 0;
	for (uint32_t i = 0; i < m->ncodes; i++) {
		struct wlab_error err = {0};
		struct wlab_instr_iter it;
		struct wlab_instr in;
		wlab_instr_iter_init(&it, m->bytes, m->codes[i].expr, wlab_features_all(), &err);
		while (!wlab_instr_iter_done(&it) && wlab_instr_next(&it, &in) == WLAB_OK)
			printf("0x%x\n", in.offset - base);
		wlab_instr_iter_fini(&it);
	}
	return 0;
}

static void lookup(struct wlab_dwarf *d)
{
	char line[256];
	struct wlab_source_loc locs[64];
	while (fgets(line, sizeof line, stdin)) {
		uint64_t a = strtoull(line, NULL, 16);
		uint32_t n = wlab_dwarf_lookup(d, a, locs, 64);
		if (n == 0)
			printf("??\n??:0:0\n");
		for (uint32_t i = 0; i < n && i < 64; i++) {
			printf("%s\n", locs[i].function ? locs[i].function : "??");
			printf("%s:%u:%u\n", locs[i].file ? locs[i].file : "??", locs[i].line,
			       locs[i].column);
		}
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	struct wlab_decode_options opts = {.features = wlab_features_all()};
	struct wlab_error err = {0};
	struct wlab_module *m = NULL;
	uint8_t *bytes = NULL;
	size_t size = 0;
	if (argc != 3 || (strcmp(argv[1], "--lines") && strcmp(argv[1], "--addrs") &&
			  strcmp(argv[1], "--lookup"))) {
		fprintf(stderr, "usage: wlab-dwarf --lines|--addrs|--lookup FILE\n");
		return 2;
	}
	if (wlab_read_file(argv[2], &bytes, &size, &err) ||
	    wlab_module_decode(bytes, size, &opts, &m, &err)) {
		fprintf(stderr, "%s:0x%zx: error: %s\n", argv[2], err.offset, err.message);
		free(bytes);
		return 1;
	}
	struct wlab_dwarf *d = wlab_dwarf_new(m);
	if (!d)
		return 1;
	wlab_dwarf_set_warn(d, warn, argv[2]);
	if (!strcmp(argv[1], "--lines"))
		lines(d);
	else if (!strcmp(argv[1], "--addrs"))
		addrs(m);
	else
		lookup(d);
	wlab_dwarf_free(d);
	wlab_module_free(m);
	free(bytes);
	return 0;
}
