/* main.c: wlab-objdump, a drop-in for wabt's wasm-objdump: parses the
 * options, decodes each file with libwasm and calls one printer per mode. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "objdump.h"

static const char usage_text[] =
	"usage: wlab-objdump [options] filename+\n"
	"\n"
	"  Print information about the contents of wasm binaries.\n"
	"\n"
	"examples:\n"
	"  $ wlab-objdump test.wasm\n"
	"\n"
	"options:\n"
	"      --help                   Print this help message\n"
	"      --version                Print version information\n"
	"  -h, --headers                Print headers\n"
	"  -j, --section=SECTION        Select just one section\n"
	"  -s, --full-contents          Print raw section contents\n"
	"  -d, --disassemble            Disassemble function bodies\n"
	"      --debug                  Print extra debug information\n"
	"  -x, --details                Show section details\n"
	"  -r, --reloc                  Show relocations inline with disassembly\n"
	"      --section-offsets        Print section offsets instead of file offsets in code disassembly\n"
	"  -l, --line-numbers           With -d: a \"; FILE:LINE\" line before the instructions\n"
	"                               of each source line (from the module's DWARF)\n"
	"  -S, --source                 Disassemble (-d) with the source lines above their\n"
	"                               instructions, as GNU objdump -S (from the DWARF)\n"
	"      --source-dir=DIR         Where -S looks for source files: DIR/PATH, then DIR/\n"
	"                               and the shorter tails of PATH, then PATH itself\n"
	"      --debug-file=FILE        For -l and -S: the DWARF is in FILE (a wasm file with\n"
	"                               the .debug_* sections); else the module's own, or\n"
	"                               the file its external_debug_info section names\n"
	"      --source-map=FILE        For -l and -S without DWARF: a source map v3; else\n"
	"                               the file the sourceMappingURL section names\n"
	"  -C, --demangle               Demangle C++ and Rust names in every listing\n"
	"  -F, --function=IDX|NAME      Disassemble only this function (may repeat)\n"
	"      --json                   Print the module as JSON (schema wlab-objdump/1)\n"
	"      --validate               Also validate the module (with the default features,\n"
	"                               or those chosen below); errors go to stderr as\n"
	"                               FILE:0xOFFSET: error: MESSAGE, exit status 1\n"
	"\n"
	"Like wasm-objdump it reads modules with every feature; feature options make it\n"
	"read (and validate) with only the features they choose.\n";

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static bool name_matches(const char *want, const uint8_t *name, size_t len)
{
	if (strlen(want) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (tolower((unsigned char)want[i]) != tolower(name[i]))
			return false;
	return true;
}

bool objdump_section_selected(const struct objdump_ctx *ctx, const struct wlab_section *sec)
{
	const char *want = ctx->opts->section;
	if (!want)
		return true;
	if (sec->id == WLAB_SEC_CUSTOM)
		return name_matches(want, sec->name.ptr, sec->name.len);
	const char *name = wlab_section_name(sec->id);
	return name && name_matches(want, (const uint8_t *)name, strlen(name));
}

/* Prints the module name line of the name section, if it has one. */
static void print_module_name(struct objdump_ctx *ctx)
{
	const struct wlab_names *ns = &ctx->m->names;
	if (!ctx->m->has_names)
		return;
	for (uint32_t i = 0; i < ns->nsubsections; i++) {
		if (ns->subsections[i].id != WLAB_NAMES_MODULE)
			continue;
		fputs("module name: <", ctx->out);
		objdump_print_str(ctx->out, ns->subsections[i].module_name);
		fputs(">\n", ctx->out);
		return;
	}
}

static bool any_section_selected(const struct objdump_ctx *ctx)
{
	for (uint32_t i = 0; i < ctx->m->nsections; i++)
		if (objdump_section_selected(ctx, &ctx->m->sections[i]))
			return true;
	return false;
}

/* --validate: the spec's validation; an error names the function it is in. */
/* --validate: the bytes decoded (bytes, size) are decoded again with the
 * function bodies, which the dump skips (a data.drop without a data count
 * section is malformed, a rule the decoder checks in the bodies), then
 * validated. */
static int validate(struct objdump_ctx *ctx, const uint8_t *bytes, size_t size,
		    const struct wlab_decode_options *dopts)
{
	struct wlab_decode_options full = *dopts;
	struct wlab_module *whole = NULL;
	struct wlab_error err = {0};
	full.flags &= ~(uint32_t)WLAB_DECODE_SKIP_BODIES;
	enum wlab_status st = wlab_module_decode(bytes, size, &full, &whole, &err);
	wlab_module_free(whole);
	if (st != WLAB_OK) {
		fflush(stdout);
		fprintf(stderr, "%s:0x%zx: error: %s\n", ctx->filename, err.offset, err.message);
		return 1;
	}
	struct wlab_validate_error verr;
	struct wlab_validate_options vopts = {.features = ctx->opts->features};
	if (wlab_module_validate(ctx->m, &vopts, &verr) == WLAB_OK)
		return 0;
	fflush(stdout);
	fprintf(stderr, "%s:0x%zx: error: %s", ctx->filename, verr.error.offset,
		verr.error.message);
	if (verr.func != UINT32_MAX && !strstr(verr.error.message, "(in func[")) {
		const char *name = objdump_func_name(ctx, verr.func);
		fprintf(stderr, " (in func[%u]%s%s%s)", verr.func, name ? " <" : "",
			name ? name : "", name ? ">" : "");
	}
	fputc('\n', stderr);
	return 1;
}

/* An error inside a custom section the decoder reads (name, linking,
 * relocations, code metadata...) does not fail the file (the dump shows
 * what was read before it), but is said on stderr, as wasm-objdump warns:
 * FILE:0xOFFSET: warning: MESSAGE (in custom section "NAME"). */
static void warn_custom_error(const char *path, const struct wlab_module *m)
{
	char text[WLAB_MESSAGE_MAX + 300];
	if (m->custom_error.status == WLAB_OK)
		return;
	fflush(stdout);
	fprintf(stderr, "%s:0x%zx: warning: %s\n", path, m->custom_error.offset,
		wlab_module_custom_error_text(m, text, sizeof text));
}

/* Dumps one file; returns 0, or 1 after reporting an error on stderr,
 * or 3 when the file cannot be read at all. */
static int dump_file(const char *path, const struct objdump_opts *opts, bool *found)
{
	struct wlab_error err = {0};
	uint8_t *bytes = NULL;
	size_t size = 0;
	struct wlab_module *m = NULL;
	uint8_t *patched = NULL;
	bool *bad = NULL;
	int rc = 0;

	if (wlab_read_file(path, &bytes, &size, &err) != WLAB_OK) {
		fprintf(stderr, "%s: error: %s\n", path, err.message);
		if (opts->json)
			objdump_json_error(stdout, path, &err);
		return 3;
	}
	struct wlab_decode_options dopts = {0};
	dopts.features = opts->features_given ? opts->features : wlab_features_all();
	/* Like wasm-objdump, never check bodies up front: -d walks each body
	 * itself and reports a malformed instruction where it stands, after
	 * printing what came before. */
	if (!opts->json)
		dopts.flags |= WLAB_DECODE_SKIP_BODIES;
	bad = objdump_find_bad_customs(bytes, size, &patched);
	if (bad)
		objdump_warn_bad_customs(path, bytes, size, bad);
	if (wlab_module_decode(patched ? patched : bytes, size, &dopts, &m, &err) != WLAB_OK) {
		fflush(stdout);
		fprintf(stderr, "%s:0x%zx: error: %s\n", path, err.offset, err.message);
		if (opts->json)
			objdump_json_error(stdout, path, &err);
		rc = 1;
		goto done;
	}

	m->bytes = bytes;  /* dumps show the file as it is */
	warn_custom_error(path, m);
	struct objdump_ctx ctx = {0};
	ctx.bad_custom = bad;
	ctx.filename = path;
	ctx.basename = base_name(path);
	ctx.m = m;
	ctx.opts = opts;
	ctx.v139 = -1;
	ctx.out = stdout;
	objdump_names_build(&ctx);
	if (opts->section && any_section_selected(&ctx))
		*found = true;
	if (opts->validate)
		rc |= validate(&ctx, patched ? patched : bytes, size, &dopts);
	if (opts->json) {
		rc |= objdump_print_json(&ctx);
	} else if (opts->headers || opts->details || opts->disasm || opts->contents) {
		fprintf(ctx.out, "\n%s:\tfile format wasm %#x\n", ctx.basename, m->version);
		print_module_name(&ctx);
		if (opts->headers)
			rc |= objdump_print_headers(&ctx);
		if (opts->details)
			rc |= objdump_print_details(&ctx);
		if (opts->disasm)
			rc |= objdump_print_disasm(&ctx);
		if (opts->contents)
			rc |= objdump_print_contents(&ctx);
	}
	objdump_names_free(&ctx);
done:
	wlab_module_free(m);
	free(patched);
	free(bad);
	free(bytes);
	return rc;
}

static int add_function(struct objdump_opts *o, const char *f)
{
	const char **n = realloc(o->functions, sizeof(*n) * (size_t)(o->nfunctions + 1));
	if (!n)
		return 1;
	n[o->nfunctions++] = f;
	o->functions = n;
	return 0;
}

/* Long options; those taking a value accept "--opt=V" and "--opt V". */
static int parse_long(struct objdump_opts *o, const char *arg, int argc, char **argv, int *i)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const char *val = eq ? eq + 1 : NULL;
	static const struct { const char *name; char flag; } flags[] = {
		{"headers", 'h'}, {"details", 'x'}, {"disassemble", 'd'},
		{"full-contents", 's'}, {"reloc", 'r'}, {"section-offsets", 'o'},
		{"line-numbers", 'l'}, {"source", 'S'}, {"source-dir", 'D'}, {"demangle", 'C'},
		{"debug-file", 'G'}, {"source-map", 'M'},
		{"debug", 'g'}, {"json", 'J'}, {"help", '?'}, {"version", 'V'},
		{"section", 'j'}, {"function", 'F'}, {"validate", 'v'},
	};
	for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++) {
		if (strlen(flags[k].name) != len || strncmp(arg, flags[k].name, len) != 0)
			continue;
		char c = flags[k].flag;
		if (c == 'j' || c == 'F' || c == 'D' || c == 'G' || c == 'M') {
			if (!val) {
				if (*i + 1 >= argc) {
					fprintf(stderr, "wlab-objdump: option '--%s' requires an argument\n",
						flags[k].name);
					return -1;
				}
				val = argv[++*i];
			}
			if (c == 'j')
				o->section = val;
			else if (c == 'D')
				o->source_dir = val;
			else if (c == 'G')
				o->debug_file = val;
			else if (c == 'M')
				o->source_map = val;
			else if (add_function(o, val))
				return -1;
			return 0;
		}
		if (val) {
			fprintf(stderr, "wlab-objdump: option '--%s' takes no argument\n", flags[k].name);
			return -1;
		}
		switch (c) {
		case 'h': o->headers = true; break;
		case 'x': o->details = true; break;
		case 'd': o->disasm = true; break;
		case 's': o->contents = true; break;
		case 'r': o->relocs = true; break;
		case 'o': o->section_offsets = true; break;
		case 'l': o->line_numbers = true; break;
		case 'S': o->source = o->disasm = true; break;
		case 'C': o->demangle = true; break;
		case 'J': o->json = true; break;
		case 'v': o->validate = true; break;
		case '?': fputs(usage_text, stdout); wlab_features_usage(stdout); exit(0);
		case 'V': printf("%s\n", WLAB_VERSION_STRING); exit(0);
		default: break;
		}
		return 0;
	}
	fprintf(stderr, "wlab-objdump: unknown option '--%.*s'\n", (int)len, arg);
	return -1;
}

/* A group of short flags, "-hx"; -j and -F take the rest or the next word. */
static int parse_short(struct objdump_opts *o, const char *arg, int argc, char **argv, int *i)
{
	for (const char *p = arg; *p; p++) {
		switch (*p) {
		case 'h': o->headers = true; break;
		case 'x': o->details = true; break;
		case 'd': o->disasm = true; break;
		case 's': o->contents = true; break;
		case 'r': o->relocs = true; break;
		case 'l': o->line_numbers = true; break;
		case 'S': o->source = o->disasm = true; break;
		case 'C': o->demangle = true; break;
		case 'j':
		case 'F': {
			const char *val = p[1] ? p + 1 : NULL;
			if (!val) {
				if (*i + 1 >= argc) {
					fprintf(stderr, "wlab-objdump: option '-%c' requires an argument\n", *p);
					return -1;
				}
				val = argv[++*i];
			}
			if (*p == 'j')
				o->section = val;
			else if (add_function(o, val))
				return -1;
			return 0;
		}
		default:
			fprintf(stderr, "wlab-objdump: unknown option '-%c'\n", *p);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct objdump_opts opts = {0};
	const char **files = calloc((size_t)argc, sizeof(char *));
	int nfiles = 0, rc = 0;
	bool found = false, options_done = false;
	char why[512];
	opts.features = wlab_features_default();

	if (!files)
		return 1;
	/* Large listings: a big buffer saves most of stdio's per-call cost. */
	static char outbuf[1 << 16];
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int st = 0;
		if (options_done || a[0] != '-' || a[1] == '\0')
			files[nfiles++] = a;
		else if (strcmp(a, "--") == 0)
			options_done = true;
		else if ((st = wlab_features_arg(a, &opts.features, why, sizeof why)) != 0) {
			opts.features_given = true;
			if (st < 0)
				fprintf(stderr, "wlab-objdump: %s\n", why);
			st = st < 0;
		}
		else if (a[1] == '-')
			st = parse_long(&opts, a + 2, argc, argv, &i);
		else
			st = parse_short(&opts, a + 1, argc, argv, &i);
		if (st) {
			fputs("Try '--help' for more information.\n", stderr);
			rc = 1;
			goto out;
		}
	}
	if (nfiles == 0) {
		fputs("wlab-objdump: expected at least one filename\n", stderr);
		fputs("Try '--help' for more information.\n", stderr);
		rc = 1;
		goto out;
	}
	objdump_demangle = opts.demangle;
	if (!opts.headers && !opts.details && !opts.disasm && !opts.contents && !opts.json &&
	    !opts.validate) {
		fputs("At least one of the following switches must be given:\n"
		      " -d/--disassemble\n -h/--headers\n -x/--details\n -s/--full-contents\n",
		      stderr);
		rc = 1;
		goto out;
	}
	if (opts.json)
		rc |= objdump_json_begin(stdout);
	for (int i = 0; i < nfiles; i++) {
		if (opts.json && i > 0)
			fputs(",\n", stdout);
		int st = dump_file(files[i], &opts, &found);
		rc |= st & 1;
		if ((st & 2) && !opts.json)
			break;  /* a file that cannot be read ends the run, as in wabt */
	}
	if (opts.json)
		rc |= objdump_json_end(stdout);
	/* Only the -h, -x and -s passes look for the section in wasm-objdump. */
	if (opts.section && !found && (opts.headers || opts.details || opts.contents)) {
		fprintf(stderr, "Section not found: %s\n", opts.section);
		rc = 1;
	}
out:
	free(opts.functions);
	free(files);
	return rc;
}
