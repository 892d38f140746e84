/* main.c: wlab-explore, which shows where every byte of a module goes:
 * parses the options, decodes the file, builds its field tree with libwasm's
 * layout and calls one printer per mode. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "explore.h"

static const char usage_text[] =
	"usage: wlab-explore [options] FILE.wasm\n"
	"\n"
	"  Show where every byte of a WebAssembly module goes.\n"
	"\n"
	"options:\n"
	"      --help             Print this help message\n"
	"      --version          Print version information\n"
	"      --top N            Overview: only the N largest rows of the size breakdown\n"
	"      --annotate         Print every byte: offset, hex and what it encodes\n"
	"      --section NAME     With --annotate: only this section (Type, Code, a custom name...)\n"
	"      --func IDX|NAME    With --annotate: only this function body\n"
	"      --explain OFFSET   The path from the root to the field holding byte OFFSET\n"
	"                         (decimal or 0x hex), and its source line when it is code\n"
	"                         of a module with DWARF\n"
	"      --addr2line [ADDR...]  The source lines (DWARF) of each address, innermost\n"
	"                         inlined function first; addresses follow FILE or come one\n"
	"                         per line on stdin: file offsets as 0x3f1 or 1009, or as stack\n"
	"                         traces print them (wasm-function[12]:0x3f1,\n"
	"                         m.wasm:wasm-function[12]:0x3f1, ... @ 0x3f1); with --json,\n"
	"                         JSON (schema wlab-explore-addr2line/1)\n"
	"      --code-addresses   With --addr2line: bare numbers are offsets in the Code\n"
	"                         section's payload (DWARF's, llvm-symbolizer's addresses)\n"
	"      --xref IDX|NAME    Cross references of one function: type, import and\n"
	"                         export names, callers, callees, element segments, ref.func\n"
	"      --json             Print the field tree as JSON (schema wlab-explore/1);\n"
	"                         with --xref, the references as JSON (wlab-explore-xref/1)\n"
	"      --html [OUT.html]  Print the field tree as one HTML page with folding nodes\n"
	"                         and a hex map (to OUT.html when given, or --html=OUT)\n"
	"      --depth N          With --json or --html: nodes down to depth N only (1: the\n"
	"                         sections, 2: their entries); deeper subtrees print as leaves\n"
	"\n"
	"The default is an overview: the features the module uses (by the names of the\n"
	"--enable-FEATURE options below), the sections, then a size breakdown that adds up\n"
	"to the file's size; like wasm-objdump -h it checks sections and entries, not\n"
	"the instructions in function bodies (the other views do). A malformed file\n"
	"prints what decoded before the error, then FILE:0xOFFSET: error: MESSAGE on\n"
	"stderr, and exits with status 1. Modules are read with every feature unless\n"
	"feature options choose others.\n";

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "wlab-explore: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	fprintf(stderr, "Try 'wlab-explore --help' for more information.\n");
	return 2;
}

static bool parse_u32(const char *s, uint32_t *out)
{
	char *end;
	errno = 0;
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	unsigned long long v = strtoull(hex ? s + 2 : s, &end, hex ? 16 : 10);
	if (errno || end == s + 2 * hex || *end || v > UINT32_MAX || s[0] == '-' ||
	    s[2 * hex] == '-' || s[2 * hex] == '+')
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Takes the value of --opt VALUE or --opt=VALUE. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] == 0 && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static int parse_args(int argc, char **argv, struct explore_opts *o, const char **path)
{
	o->features = wlab_features_all();  /* like wlab-objdump: read every feature */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		char why[512];
		int f = wlab_features_arg(a, &o->features, why, sizeof why);
		if (f < 0)
			return usage_error(why, NULL);
		if (f > 0)
			continue;
		if (strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			wlab_features_usage(stdout);
			exit(0);
		} else if (strcmp(a, "--version") == 0) {
			printf("wlab-explore %s\n", WLAB_VERSION);
			exit(0);
		} else if (strcmp(a, "--annotate") == 0) {
			o->annotate = true;
		} else if (strcmp(a, "--addr2line") == 0) {
			o->addr2line = true;
		} else if (strcmp(a, "--code-addresses") == 0) {
			o->code_addresses = true;
		} else if (strcmp(a, "--json") == 0) {
			o->json = true;
		} else if (strcmp(a, "--html") == 0 || strncmp(a, "--html=", 7) == 0) {
			/* --html=OUT, or --html OUT when OUT ends in .html or .htm */
			o->html = true;
			const char *next = i + 1 < argc ? argv[i + 1] : "";
			size_t k = strlen(next);
			if (a[6] == '=')
				o->html_out = a + 7;
			else if ((k > 5 && strcmp(next + k - 5, ".html") == 0) ||
				 (k > 4 && strcmp(next + k - 4, ".htm") == 0))
				o->html_out = argv[++i];
			if (o->html_out && !*o->html_out)
				return usage_error("--html= wants a file name", NULL);
		} else if ((v = opt_value(argc, argv, &i, "--top"))) {
			if (!parse_u32(v, &o->top) || o->top == 0)
				return usage_error("--top wants a positive count", v);
		} else if ((v = opt_value(argc, argv, &i, "--depth"))) {
			if (!parse_u32(v, &o->depth) || o->depth == 0)
				return usage_error("--depth wants a positive depth", v);
		} else if ((v = opt_value(argc, argv, &i, "--explain"))) {
			if (!parse_u32(v, &o->explain_at))
				return usage_error("--explain wants an offset", v);
			o->explain = true;
		} else if ((v = opt_value(argc, argv, &i, "--section"))) {
			o->section = v;
		} else if ((v = opt_value(argc, argv, &i, "--func"))) {
			o->func = v;
		} else if ((v = opt_value(argc, argv, &i, "--xref"))) {
			o->xref = v;
		} else if (a[0] == '-' && a[1]) {
			return usage_error("unknown option or missing value", a);
		} else if (*path && o->addr2line) {
			o->addrs = argv + i;  /* the addresses: every argument left */
			o->naddrs = argc - i;
			break;
		} else if (*path) {
			return usage_error("one file at a time", a);
		} else {
			*path = a;
		}
	}
	if (!*path)
		return usage_error("no file given", NULL);
	if (o->addr2line && (o->annotate || o->explain || o->html || o->section || o->func ||
			     o->top || o->xref || o->depth))
		return usage_error("--addr2line goes alone or with --json, --code-addresses", NULL);
	if (o->code_addresses && !o->addr2line)
		return usage_error("--code-addresses goes with --addr2line", NULL);
	if (o->xref && (o->annotate || o->explain || o->html || o->section || o->func || o->top))
		return usage_error("--xref goes alone or with --json", NULL);
	if (o->annotate + o->json + o->explain + o->html > 1)
		return usage_error("choose one of --annotate, --json, --html and --explain", NULL);
	if ((o->section || o->func) && (o->json || o->explain || o->html))
		return usage_error("--section and --func go with --annotate", NULL);
	if (o->depth && !o->json && !o->html)
		return usage_error("--depth goes with --json or --html", NULL);
	if (o->section || o->func)
		o->annotate = true;
	return 0;
}

/* Maps a regular, non-empty file read-only: no copy, pages come from the
 * page cache as they are read. NULL for anything else (pipes, errors), which
 * wlab_read_file() then reads, with its error messages. */
static uint8_t *map_file(const char *path, size_t *size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	struct stat st;
	void *p = MAP_FAILED;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uintmax_t)st.st_size <= SIZE_MAX)
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	*size = (size_t)st.st_size;
	return p;
}

int main(int argc, char **argv)
{
	struct explore_opts opts = {0};
	const char *path = NULL;
	int rc = parse_args(argc, argv, &opts, &path);
	if (rc)
		return rc;
	uint8_t *bytes = NULL;
	size_t size = 0;
	struct wlab_error err = {0};
	uint8_t *mapped = map_file(path, &size);
	if (mapped)
		bytes = mapped;
	else if (wlab_read_file(path, &bytes, &size, &err) != WLAB_OK) {
		fprintf(stderr, "%s: error: %s\n", path, err.message);
		return 1;
	}
	struct wlab_module *m = NULL;
	struct wlab_layout *l = NULL;
	/* The overview and shallow trees stop at entries: like wasm-objdump -h,
	 * they check each section and entry but not the instructions. */
	bool shallow = !(opts.json || opts.html || opts.explain || opts.annotate || opts.xref) ||
		       ((opts.json || opts.html) && opts.depth && opts.depth <= 3);
	struct wlab_decode_options dopts = {.flags = shallow ? WLAB_DECODE_SKIP_BODIES : 0,
					    .features = opts.features};
	wlab_module_decode(bytes, size, &dopts, &m, &err);
	if (opts.addr2line && m) {
		struct explore_ctx actx = {.path = path, .opts = &opts, .m = m, .out = stdout};
		if (err.status != WLAB_OK)
			fprintf(stderr, "%s:0x%zx: error: %s\n", path, err.offset, err.message);
		rc = explore_addr2line(&actx);
		fflush(stdout);
		wlab_module_free(m);
		if (mapped)
			munmap(mapped, size);
		else
			free(bytes);
		return rc || err.status != WLAB_OK;
	}
	unsigned lflags = shallow ? WLAB_LAYOUT_NO_INSTRS : 0;
	if (shallow && (!opts.depth || opts.depth <= 2))
		lflags |= WLAB_LAYOUT_ENTRIES;
	if (!m || wlab_layout_build_flags(m, &err, lflags, &l) != WLAB_OK) {
		fprintf(stderr, "%s: error: out of memory\n", path);
		wlab_module_free(m);
		if (mapped)
			munmap(mapped, size);
		else
			free(bytes);
		return 1;
	}
	static char outbuf[1 << 16];
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	FILE *out = stdout;
	if (opts.html_out && !(out = fopen(opts.html_out, "w"))) {
		fprintf(stderr, "%s: error: cannot write: %s\n", opts.html_out, strerror(errno));
		wlab_layout_free(l);
		wlab_module_free(m);
		if (mapped)
			munmap(mapped, size);
		else
			free(bytes);
		return 1;
	}
	struct explore_ctx ctx = {.path = path, .opts = &opts, .m = m, .l = l, .out = out};
	if (opts.xref)
		rc = explore_xref(&ctx);
	else if (opts.json)
		rc = explore_json(&ctx);
	else if (opts.html)
		rc = explore_html(&ctx);
	else if (opts.explain)
		rc = explore_explain(&ctx);
	else if (opts.annotate)
		rc = explore_annotate(&ctx);
	else
		rc = explore_overview(&ctx);
	if (out != stdout && fclose(out) != 0 && !rc) {
		fprintf(stderr, "%s: error: write failed\n", opts.html_out);
		rc = 1;
	}
	fflush(stdout);
	if (l->error.status != WLAB_OK) {
		fprintf(stderr, "%s:0x%zx: error: %s\n", path, l->error.offset, l->error.message);
		if (!rc)
			rc = 1;
	}
	wlab_layout_free(l);
	wlab_module_free(m);
	if (mapped)
		munmap(mapped, size);
	else
		free(bytes);
	return rc;
}
