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
#include "page.h"

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
	"                         of a module with debug information (DWARF, source map)\n"
	"      --addr2line [ADDR...]  The source lines (DWARF, source map) of each address, innermost\n"
	"                         inlined function first; addresses follow FILE or come one\n"
	"                         per line on stdin: file offsets as 0x3f1 or 1009, or as stack\n"
	"                         traces print them (wasm-function[12]:0x3f1,\n"
	"                         m.wasm:wasm-function[12]:0x3f1, ... @ 0x3f1); with --json,\n"
	"                         JSON (schema wlab-explore-addr2line/1)\n"
	"      --code-addresses   With --addr2line: bare numbers are offsets in the Code\n"
	"                         section's payload (DWARF's, llvm-symbolizer's addresses)\n"
	"      --debug-file FILE  With --addr2line or --explain: the DWARF is in FILE (a wasm\n"
	"                         file with the .debug_* sections, as llvm-objcopy\n"
	"                         --only-keep-debug or emcc -gseparate-dwarf write it); without\n"
	"                         it, the module's own DWARF, else the file its\n"
	"                         external_debug_info section names (next to the module)\n"
	"      --source-map FILE  Without DWARF: a source map v3 (emcc -gsource-map); without\n"
	"                         it, the file the sourceMappingURL section names\n"
	"      --xref IDX|NAME    Cross references of one function: type, import and\n"
	"                         export names, callers, callees, element segments, ref.func\n"
	"      --json             Print the field tree as JSON (schema wlab-explore/1);\n"
	"                         with --xref, the references as JSON (wlab-explore-xref/1)\n"
	"      --html [OUT.html]  Write the explorer page (the one make web builds) with the\n"
	"                         module in it: one self-contained file that opens it from\n"
	"                         file:// or any server with no request (to OUT.html when\n"
	"                         given, or --html=OUT; else to stdout); it shows the\n"
	"                         overview, tree, hex, disassembly and dominator tree;\n"
	"                         --html OUT.html --diff OLD NEW: NEW's page, with the diff\n"
	"                         from OLD\n"
	"      --depth N          With --json: nodes down to depth N only (1: the\n"
	"                         sections, 2: their entries); deeper subtrees print as leaves;\n"
	"                         with --dominators, the tree down to depth N; with --paths,\n"
	"                         chains of at most N references\n"
	"\n"
	"where the bytes go (the reference graph: roots are exports, the start function,\n"
	"active element and data segments; call_indirect/call_ref may reach every function\n"
	"of its signature whose reference is taken):\n"
	"      --dominators       The dominator tree with each item's retained size (the\n"
	"                         bytes its removal frees) and shallow size, as twiggy\n"
	"                         prints it; --top N rows, --depth N levels\n"
	"      --sort KEY         With --dominators: order siblings by retained (default),\n"
	"                         shallow or name\n"
	"      --paths ITEM       The chains of references from the roots that keep ITEM\n"
	"                         (func[3], a function's index or name, global[0], data[1],\n"
	"                         elem[0], type[2], table[0], memory[0], tag[0], export[1],\n"
	"                         start, an export's name); --top N chains (10)\n"
	"      --garbage          Functions, globals, types, tables, memories, tags, data and\n"
	"                         element segments that nothing reaches, with their bytes\n"
	"      --callgraph        The call graph in Graphviz dot (JSON with --json):\n"
	"                         functions, the roots that reach them, indirect targets\n"
	"      --all-items        With --callgraph: every item and reference\n"
	"      --by-source        Bytes per source file: each function's from DWARF (the\n"
	"                         file of its subprogram), else its name's prefix (C++ and\n"
	"                         Rust namespaces, a C name's first word); other items by kind\n"
	"      --diff OLD NEW     Size change per section and per function from OLD to NEW\n"
	"                         (functions matched by name, else by index), largest first\n"
	"      --fail-above LIMIT With --diff: exit 1 when NEW is more than LIMIT bytes\n"
	"                         (or LIMIT%% of OLD, as 2.5%%) larger than OLD\n"
	"  Each of these prints JSON with --json (schemas in docs/wlab-explore.md).\n"
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

/* --fail-above: bytes, or a percentage with up to two decimals. */
static bool parse_limit(const char *s, struct explore_opts *o)
{
	size_t n = strlen(s);
	o->fail_above = true;
	o->fail_pct = n > 1 && s[n - 1] == '%';
	if (!o->fail_pct) {
		uint32_t v;
		if (!parse_u32(s, &v))
			return false;
		o->fail_limit = v;
		return true;
	}
	uint64_t whole = 0, frac = 0;
	int fd = -1;  /* digits after the point; -1: no point */
	for (size_t k = 0; k + 1 < n; k++) {
		if (s[k] == '.' && fd < 0) {
			fd = 0;
		} else if (s[k] >= '0' && s[k] <= '9' && fd < 2 && whole < 100000000) {
			if (fd < 0)
				whole = whole * 10 + (uint64_t)(s[k] - '0');
			else
				frac = frac * 10 + (uint64_t)(s[k] - '0'), fd++;
		} else {
			return false;
		}
	}
	if (s[0] == '.' || s[0] == '%')
		return false;
	o->fail_limit = whole * 100 + (fd == 1 ? frac * 10 : frac);
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
	bool sort_given = false;
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
		} else if (strcmp(a, "--dominators") == 0) {
			o->dominators = true;
		} else if (strcmp(a, "--garbage") == 0) {
			o->garbage = true;
		} else if (strcmp(a, "--callgraph") == 0) {
			o->callgraph = true;
		} else if (strcmp(a, "--by-source") == 0) {
			o->by_source = true;
		} else if (strcmp(a, "--all-items") == 0) {
			o->all_items = true;
		} else if ((v = opt_value(argc, argv, &i, "--paths"))) {
			o->paths = v;
		} else if ((v = opt_value(argc, argv, &i, "--diff"))) {
			o->diff_old = v;
		} else if ((v = opt_value(argc, argv, &i, "--sort"))) {
			if (strcmp(v, "retained") == 0)
				o->sort = SORT_RETAINED;
			else if (strcmp(v, "shallow") == 0)
				o->sort = SORT_SHALLOW;
			else if (strcmp(v, "name") == 0)
				o->sort = SORT_NAME;
			else
				return usage_error("--sort wants retained, shallow or name", v);
			sort_given = true;
		} else if ((v = opt_value(argc, argv, &i, "--fail-above"))) {
			if (!parse_limit(v, o))
				return usage_error("--fail-above wants BYTES or PERCENT% (2.5%)", v);
		} else if ((v = opt_value(argc, argv, &i, "--debug-file"))) {
			o->debug_file = v;
		} else if ((v = opt_value(argc, argv, &i, "--source-map"))) {
			o->source_map = v;
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
	int graph = o->dominators + o->garbage + !!o->paths + o->callgraph + !!o->diff_old +
		    o->by_source;
	if (graph > 1)
		return usage_error("choose one of --dominators, --garbage, --paths, --callgraph, "
				   "--by-source, --diff", NULL);
	bool html_diff = o->html && o->diff_old;  /* the page with its diff view */
	if (html_diff && (o->json || o->top || o->fail_above))
		return usage_error("--html --diff OLD NEW takes no --json, --top or --fail-above", NULL);
	if (graph && !html_diff && (o->annotate || o->explain || o->html || o->section || o->func ||
				    o->xref || o->addr2line))
		return usage_error("--dominators, --garbage, --paths, --callgraph, --by-source and "
				   "--diff go alone or with --json, --top, --depth", NULL);
	if (sort_given && !o->dominators)
		return usage_error("--sort goes with --dominators", NULL);
	if (o->all_items && !o->callgraph)
		return usage_error("--all-items goes with --callgraph", NULL);
	if (o->fail_above && !o->diff_old)
		return usage_error("--fail-above goes with --diff", NULL);
	if (o->code_addresses && !o->addr2line)
		return usage_error("--code-addresses goes with --addr2line", NULL);
	if (o->xref && (o->annotate || o->explain || o->html || o->section || o->func || o->top))
		return usage_error("--xref goes alone or with --json", NULL);
	if (html_diff && (o->annotate || o->explain || o->section || o->func || o->xref ||
			  o->addr2line))
		return usage_error("--html --diff OLD NEW goes alone", NULL);
	if (o->annotate + o->json + o->explain + o->html > 1)
		return usage_error("choose one of --annotate, --json, --html and --explain", NULL);
	if ((o->section || o->func) && (o->json || o->explain || o->html))
		return usage_error("--section and --func go with --annotate", NULL);
	if (o->depth && o->html)
		return usage_error("--depth goes with --json (the --html page unfolds the tree "
				   "as it is clicked)", NULL);
	if (o->depth && !o->json && !o->dominators && !o->paths)
		return usage_error("--depth goes with --json", NULL);
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

struct loaded {
	uint8_t *bytes;
	size_t size;
	bool mapped;
	struct wlab_module *m;
};

static void unload(struct loaded *f)
{
	wlab_module_free(f->m);
	if (f->mapped)
		munmap(f->bytes, f->size);
	else
		free(f->bytes);
}

/* Reads and decodes a file for the graph views, which need every body:
 * false (the error printed) when it cannot be read or does not decode. */
static bool load(const char *path, const struct explore_opts *o, struct loaded *f)
{
	struct wlab_error err = {0};
	memset(f, 0, sizeof *f);
	f->bytes = map_file(path, &f->size);
	f->mapped = f->bytes != NULL;
	if (!f->mapped && wlab_read_file(path, &f->bytes, &f->size, &err) != WLAB_OK) {
		fprintf(stderr, "%s: error: %s\n", path, err.message);
		return false;
	}
	struct wlab_decode_options dopts = {.features = o->features};
	if (wlab_module_decode(f->bytes, f->size, &dopts, &f->m, &err) != WLAB_OK) {
		fprintf(stderr, "%s:0x%zx: error: %s\n", path, err.offset, err.message);
		return false;
	}
	return true;
}

/* --dominators, --garbage, --paths, --callgraph, --diff. */
static int graph_main(const char *path, const struct explore_opts *o)
{
	struct loaded a, b;
	int rc = 1;
	static char outbuf[1 << 16];
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	if (o->diff_old) {
		if (load(o->diff_old, o, &a) && load(path, o, &b))
			rc = explore_diff(o->diff_old, a.m, path, b.m, o, stdout);
		unload(&a);
		unload(&b);
	} else {
		if (load(path, o, &a))
			rc = explore_sizes(path, a.m, o, stdout);
		unload(&a);
	}
	if (fflush(stdout) != 0 && !rc) {
		fputs("wlab-explore: write failed\n", stderr);
		rc = 1;
	}
	return rc;
}

/* --html: the page with the module in it. The module is decoded (every
 * body: what --json reads) only for the exit status and the error on
 * stderr; the page itself reads it again in the browser. */
static int html_main(const char *path, const uint8_t *bytes, size_t size,
		     const struct explore_opts *o)
{
	/* --html --diff OLD NEW: OLD must decode, as for --diff (the page's
	 * diff view runs it); no page otherwise. */
	struct loaded old = {0};
	struct explore_file mod = {path, bytes, size}, oldf = {0};
	if (o->diff_old) {
		if (!load(o->diff_old, o, &old)) {
			unload(&old);
			return 1;
		}
		oldf = (struct explore_file){o->diff_old, old.bytes, old.size};
	}
	FILE *out = stdout;
	if (o->html_out && !(out = fopen(o->html_out, "w"))) {
		fprintf(stderr, "%s: error: cannot write: %s\n", o->html_out, strerror(errno));
		unload(&old);
		return 1;
	}
	int rc = explore_html(&mod, o->diff_old ? &oldf : NULL, out);
	unload(&old);
	if (out != stdout ? fclose(out) != 0 : fflush(out) != 0) {
		if (!rc)
			fprintf(stderr, "%s: error: write failed\n", o->html_out ? o->html_out : "stdout");
		rc = rc ? rc : 1;
	}
	if (rc)
		return rc;
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	struct wlab_decode_options dopts = {.features = o->features};
	if (wlab_module_decode(bytes, size, &dopts, &m, &err) != WLAB_OK) {
		fprintf(stderr, "%s:0x%zx: error: %s\n", path, err.offset, err.message);
		rc = 1;
	}
	wlab_module_free(m);
	return rc;
}

int main(int argc, char **argv)
{
	struct explore_opts opts = {0};
	const char *path = NULL;
	int rc = parse_args(argc, argv, &opts, &path);
	if (rc)
		return rc;
	if (!opts.html && (opts.dominators || opts.garbage || opts.paths || opts.callgraph ||
			   opts.diff_old || opts.by_source))
		return graph_main(path, &opts);
	if (opts.html && explore_page_missing[0]) {
		fprintf(stderr, "wlab-explore: --html: %s\n", explore_page_missing);
		return 2;
	}
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
	if (opts.html) {
		rc = html_main(path, bytes, size, &opts);
		if (mapped)
			munmap(mapped, size);
		else
			free(bytes);
		return rc;
	}
	struct wlab_module *m = NULL;
	struct wlab_layout *l = NULL;
	/* The overview and shallow trees stop at entries: like wasm-objdump -h,
	 * they check each section and entry but not the instructions. */
	bool shallow = !(opts.json || opts.explain || opts.annotate || opts.xref) ||
		       (opts.json && opts.depth && opts.depth <= 3);
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
	struct explore_ctx ctx = {.path = path, .opts = &opts, .m = m, .l = l, .out = stdout};
	if (opts.xref)
		rc = explore_xref(&ctx);
	else if (opts.json)
		rc = explore_json(&ctx);
	else if (opts.explain)
		rc = explore_explain(&ctx);
	else if (opts.annotate)
		rc = explore_annotate(&ctx);
	else
		rc = explore_overview(&ctx);
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
