/* source.c: source lines from the module's debug information (libwasm's
 * wlab/debuginfo.h: its DWARF, a separate DWARF file, or a source map):
 * --addr2line, and the source line --explain adds for a byte of code.
 *
 * An address is a file offset (what wlab-run's backtraces, wlab-objdump and
 * browsers print), in any of the forms stack traces use:
 *     0x3f1   1009   wasm-function[12]:0x3f1   m.wasm:wasm-function[12]:0x3f1
 *     ... @ 0x3f1    (and these inside a longer line of a stack trace)
 * With --code-addresses a bare number is an offset within the Code section's
 * payload instead (LLVM's DWARF addresses, what llvm-symbolizer takes). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"
#include "wlab/debuginfo.h"

#define MAX_FRAMES 32

struct source_ctx {
	const struct explore_ctx *ctx;
	struct wlab_debuginfo *d;
	uint32_t base;       /* the Code payload's file offset */
	bool has_code;
	bool first_json;
};

static void warn(void *p, const char *message)
{
	fprintf(stderr, "wlab-explore: %s: warning: %s\n", (const char *)p, message);
}

/* The defined function whose body holds file offset off, or -1. */
static int64_t func_at(const struct wlab_module *m, uint32_t off)
{
	for (uint32_t i = 0; i < m->ncodes; i++) {
		struct wlab_span s = m->codes[i].span;
		if (off >= s.offset && off - s.offset < s.size)
			return (int64_t)m->nimported_funcs + i;
	}
	return -1;
}

static uint64_t parse_num(const char *s, const char **end, bool *ok)
{
	char *e;
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	errno = 0;
	*ok = isxdigit((unsigned char)s[hex ? 2 : 0]) != 0;
	unsigned long long v = strtoull(s + (hex ? 2 : 0), &e, hex ? 16 : 10);
	if (errno || e == s + (hex ? 2 : 0))
		*ok = false;
	*end = e;
	return v;
}

/* Finds the address in one input; false when there is none. *file_off tells
 * whether it is a file offset (stack-trace forms) or as --code-addresses says. */
static bool parse_address(const char *text, bool code_addresses, uint64_t *addr,
			  bool *file_off)
{
	const char *p = strstr(text, "wasm-function["), *end;
	bool ok;
	if (p && (p = strchr(p, ']')) && p[1] == ':') {
		*addr = parse_num(p + 2, &end, &ok);
		*file_off = true;
		return ok;
	}
	if ((p = strchr(text, '@'))) {
		p++;
		while (*p == ' ')
			p++;
		*addr = parse_num(p, &end, &ok);
		*file_off = true;
		return ok;
	}
	while (isspace((unsigned char)*text))
		text++;
	*addr = parse_num(text, &end, &ok);
	while (isspace((unsigned char)*end))
		end++;
	*file_off = !code_addresses;
	return ok && !*end;
}

static void json_frame(FILE *out, const struct wlab_source_loc *l, bool first)
{
	fprintf(out, "%s{\"function\":", first ? "" : ",");
	if (l->function)
		explore_json_str(out, l->function);
	else
		fputs("null", out);
	fputs(",\"file\":", out);
	if (l->file)
		explore_json_str(out, l->file);
	else
		fputs("null", out);
	fprintf(out, ",\"line\":%u,\"column\":%u,\"inlined\":%s}", l->line, l->column,
		l->inlined ? "true" : "false");
}

/* The frames of one code address as text lines: FUNCTION at FILE:LINE:COLUMN,
 * then "(inlined by) ..." for each caller it was inlined into. */
static void text_frames(FILE *out, const char *indent, const char *indent_rest,
			const struct wlab_source_loc *loc, uint32_t n)
{
	for (uint32_t k = 0; k < n && k < MAX_FRAMES; k++)
		fprintf(out, "%s%s%s at %s:%u:%u\n", k ? indent_rest : indent,
			k ? "(inlined by) " : "",
			loc[k].function ? loc[k].function : "??", loc[k].file ? loc[k].file : "??",
			loc[k].line, loc[k].column);
	if (n == 0)
		fprintf(out, "%s?? at ??:0:0\n", indent);
}

static int one(struct source_ctx *s, const char *text)
{
	const struct wlab_module *m = s->ctx->m;
	FILE *out = s->ctx->out;
	uint64_t addr;
	bool file_off;
	char input[256];
	snprintf(input, sizeof input, "%s", text);
	input[strcspn(input, "\r\n")] = 0;
	if (!parse_address(input, s->ctx->opts->code_addresses, &addr, &file_off)) {
		fprintf(stderr, "wlab-explore: no address in '%s'\n", input);
		return 1;
	}
	uint64_t off = file_off ? addr : addr + s->base;
	int64_t f = off <= UINT32_MAX ? func_at(m, (uint32_t)off) : -1;
	struct wlab_source_loc loc[MAX_FRAMES];
	uint32_t n = 0;
	if (f >= 0 && s->d)
		n = wlab_debuginfo_lookup(s->d, off, loc, MAX_FRAMES);
	const struct wlab_str *name = f >= 0 ? wlab_module_name_of(m, WLAB_NAMES_FUNCTION,
								     (uint32_t)f) : NULL;
	if (s->ctx->opts->json) {
		fprintf(out, "%s\n{\"input\":", s->first_json ? "" : ",");
		s->first_json = false;
		explore_json_str(out, input);
		fprintf(out, ",\"offset\":%" PRIu64, off);
		if (f < 0) {
			fputs(",\"func\":null,\"frames\":[]}", out);
			return 1;
		}
		fprintf(out, ",\"code_address\":%" PRIu64 ",\"func\":%" PRId64 ",\"name\":",
			off - s->base, f);
		if (name) {
			char buf[512];
			snprintf(buf, sizeof buf, "%.*s", (int)name->len, (const char *)name->ptr);
			explore_json_str(out, buf);
		} else {
			fputs("null", out);
		}
		fputs(",\"frames\":[", out);
		for (uint32_t k = 0; k < n && k < MAX_FRAMES; k++)
			json_frame(out, &loc[k], k == 0);
		fputs("]}", out);
		return 0;
	}
	if (f < 0) {
		fprintf(out, "0x%" PRIx64 ": not in a function body\n", off);
		return 1;
	}
	fprintf(out, "0x%" PRIx64 " func[%" PRId64 "]", off, f);
	if (name)
		fprintf(out, " <%.*s>", (int)name->len, (const char *)name->ptr);
	fputs(":\n", out);
	text_frames(out, "  ", "  ", loc, n);
	return 0;
}

static struct wlab_debuginfo *open_debuginfo(const struct explore_ctx *ctx)
{
	struct wlab_debuginfo_options o = {
		.module_path = ctx->path,
		.debug_file = ctx->opts->debug_file,
		.source_map = ctx->opts->source_map,
	};
	struct wlab_debuginfo *d = wlab_debuginfo_new(ctx->m, &o);
	if (d)
		wlab_debuginfo_set_warn(d, warn, (void *)ctx->path);
	return d;
}

int explore_addr2line(const struct explore_ctx *ctx)
{
	struct source_ctx s = {.ctx = ctx, .first_json = true};
	int rc = 0;
	s.has_code = wlab_dwarf_code_base(ctx->m, &s.base);
	s.d = open_debuginfo(ctx);
	if (s.d && wlab_debuginfo_kind(s.d, NULL) == WLAB_DEBUGINFO_NONE)
		fprintf(stderr, "wlab-explore: %s: no debug information (build with -g; or give "
			"--debug-file or --source-map)\n", ctx->path);
	if (ctx->opts->json) {
		fputs("{\"schema\":\"wlab-explore-addr2line/1\",\"file\":", ctx->out);
		explore_json_str(ctx->out, ctx->path);
		fputs(",\"addresses\":[", ctx->out);
	}
	if (ctx->opts->naddrs) {
		for (int i = 0; i < ctx->opts->naddrs; i++)
			rc |= one(&s, ctx->opts->addrs[i]);
	} else {
		char line[4096];
		while (fgets(line, sizeof line, stdin)) {
			if (line[strspn(line, " \t\r\n")] == 0)
				continue;
			rc |= one(&s, line);
			if (!ctx->opts->json)
				fflush(ctx->out);
		}
	}
	if (ctx->opts->json)
		fputs("\n]}\n", ctx->out);
	wlab_debuginfo_free(s.d);
	return rc;
}

void explore_explain_source(const struct explore_ctx *ctx, uint32_t offset)
{
	uint32_t base;
	if (func_at(ctx->m, offset) < 0 || !wlab_dwarf_code_base(ctx->m, &base))
		return;
	struct wlab_debuginfo *d = open_debuginfo(ctx);
	if (!d)
		return;
	struct wlab_source_loc loc[MAX_FRAMES];
	uint32_t n = wlab_debuginfo_lookup(d, offset, loc, MAX_FRAMES);
	if (n && loc[0].file) {
		fputs("  source: ", ctx->out);
		text_frames(ctx->out, "", "          ", loc, n);
	}
	wlab_debuginfo_free(d);
}
