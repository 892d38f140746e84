/* main.c: wlab-wat, the text format both ways: prints a binary module as
 * text (wlab/watprint.h) or assembles a text module (wlab/wat.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "wlab.h"
#include "wlab/wat.h"
#include "wlab/watprint.h"

static const char usage_text[] =
	"usage: wlab-wat [options] FILE [-o OUT]\n"
	"\n"
	"  Print a WebAssembly module in the text format, or assemble a text module.\n"
	"  A FILE starting with the bytes \\0asm is a binary module: its text goes to\n"
	"  standard output (or OUT), as wabt's wasm2wat prints it. Any other FILE is\n"
	"  read as text (.wat) and assembled; the binary goes to OUT, which is then\n"
	"  required.\n"
	"\n"
	"examples:\n"
	"  $ wlab-wat hello.wasm\n"
	"  $ wlab-wat --fold --offsets hello.wasm -o hello.wat\n"
	"  $ wlab-wat --generate-names --inline-exports hello.wasm\n"
	"  $ wlab-wat hello.wat -o hello.wasm\n"
	"  $ wlab-wat --debug-names hello.wat -o hello.wasm\n"
	"\n"
	"options:\n"
	"  -o, --output=FILE            Write the text (or the binary) to FILE\n"
	"  -f, --fold                   Print folded expressions, as wasm2wat --fold-exprs\n"
	"      --offsets                Print each instruction's file offset as a (;@OFFSET;) comment\n"
	"      --no-names               Ignore the name section (also --no-debug-names)\n"
	"      --inline-exports         Print each export inside the field it exports:\n"
	"                               (func (;1;) (export \"f\") (type 0) ...)\n"
	"      --inline-imports         Print each import as its field with (import \"m\" \"f\")\n"
	"      --generate-names         Name what has no name, as wasm2wat --generate-names:\n"
	"                               $env.f (import), $f (export), $f3, $p0, $l1, $B0...\n"
	"      --ignore-custom-section-errors\n"
	"                               Accepted for wasm2wat's sake: an error inside a custom\n"
	"                               section is only a warning (the name section's names\n"
	"                               before it are used)\n"
	"      --debug-names            Assembling: write a name section from the text's ids,\n"
	"                               as wat2wasm --debug-names\n"
	"      --no-check               Assembling: do not validate the module (written even\n"
	"                               when invalid), as wat2wasm --no-check\n"
	"      --custom-sections        Print custom sections as (@custom \"name\" (after SEC) \"bytes\")\n"
	"                               (branch hints as (@metadata.code.branch_hint \"\\01\") before\n"
	"                               their if and br_if)\n"
	"      --enable-F, --disable-F  Turn a feature on or off for reading the input\n"
	"      --features=SET           Start from a feature set: 1.0, 2.0, default or all\n"
	"      --help                   Print this help message\n"
	"      --version                Print version information\n"
	"\n"
	"exit status: 0 done, 1 the input is not a module (malformed: a binary with its\n"
	"byte offset, text with its line and column; or the module assembled is invalid,\n"
	"as wat2wasm validates it), 2 bad usage, 3 a file could not be read or written.\n";

struct args {
	const char *input, *output;
	unsigned flags;      /* enum wlab_wat_print_flags */
	unsigned asm_flags;  /* enum wlab_wat_flags */
	uint32_t features;
	bool no_check;       /* --no-check: assemble without validating */
};

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "wlab-wat: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'wlab-wat --help'.\n");
	return 2;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	char ebuf[512];
	a->features = wlab_features_default();
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		int f = wlab_features_arg(arg, &a->features, ebuf, sizeof ebuf);
		if (f < 0)
			return usage_error("%s", ebuf);
		if (f > 0)
			continue;
		if (strcmp(arg, "--help") == 0) {
			fputs(usage_text, stdout);
			wlab_features_usage(stdout);
			exit(0);
		} else if (strcmp(arg, "--version") == 0) {
			printf("%s\n", WLAB_VERSION_STRING);
			exit(0);
		} else if (strcmp(arg, "-f") == 0 || strcmp(arg, "--fold") == 0 ||
			   strcmp(arg, "--fold-exprs") == 0) {
			a->flags |= WLAB_WAT_FOLD;
		} else if (strcmp(arg, "--offsets") == 0) {
			a->flags |= WLAB_WAT_OFFSETS;
		} else if (strcmp(arg, "--inline-exports") == 0) {
			a->flags |= WLAB_WAT_INLINE_EXPORTS;
		} else if (strcmp(arg, "--inline-imports") == 0) {
			a->flags |= WLAB_WAT_INLINE_IMPORTS;
		} else if (strcmp(arg, "--generate-names") == 0) {
			a->flags |= WLAB_WAT_GENERATE_NAMES;
		} else if (strcmp(arg, "--ignore-custom-section-errors") == 0) {
			/* what wlab-wat always does: the decoder keeps such an
			   error in m->custom_error, printed as a warning */
		} else if (strcmp(arg, "--no-names") == 0 || strcmp(arg, "--no-debug-names") == 0) {
			a->flags |= WLAB_WAT_NO_NAMES;
		} else if (strcmp(arg, "--debug-names") == 0) {
			a->asm_flags |= WLAB_WAT_DEBUG_NAMES;
		} else if (strcmp(arg, "--no-check") == 0) {
			a->no_check = true;
		} else if (strcmp(arg, "--custom-sections") == 0) {
			a->flags |= WLAB_WAT_CUSTOM;
		} else if ((strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0)) {
			if (i + 1 >= argc)
				return usage_error("option '%s' needs a file", arg);
			a->output = argv[++i];
		} else if (strncmp(arg, "--output=", 9) == 0) {
			a->output = arg + 9;
		} else if (arg[0] == '-' && arg[1]) {
			return usage_error("unknown option '%s'", arg);
		} else if (a->input) {
			return usage_error("one input only ('%s')", arg);
		} else {
			a->input = arg;
		}
	}
	if (!a->input)
		return usage_error("%s", "no input file");
	return 0;
}

static int write_out(const char *path, const void *data, size_t size)
{
	FILE *f = path ? fopen(path, "wb") : stdout;
	if (!f) {
		fprintf(stderr, "wlab-wat: %s: cannot open for writing\n", path);
		return 3;
	}
	bool ok = fwrite(data, 1, size, f) == size;
	ok = (path ? fclose(f) : fflush(f)) == 0 && ok;
	if (!ok) {
		fprintf(stderr, "wlab-wat: %s: write error\n", path ? path : "<stdout>");
		return 3;
	}
	return 0;
}

static int fail(const char *path, const struct wlab_error *err)
{
	fprintf(stderr, "%s:0x%zx: error: %s\n", path, err->offset, err->message);
	return err->status == WLAB_NOMEM ? 3 : 1;
}

/* An error inside a custom section that is read (a name of bad UTF-8 in
 * the name section...) fails nothing, as wasm-objdump treats it: the text
 * uses what was read before it (wasm2wat refuses the module). Said on
 * stderr, as wlab-objdump says it. */
static void warn_custom_error(const char *path, const struct wlab_module *m)
{
	char text[WLAB_MESSAGE_MAX + 300];
	if (m->custom_error.status == WLAB_OK)
		return;
	fprintf(stderr, "%s:0x%zx: warning: %s\n", path, m->custom_error.offset,
		wlab_module_custom_error_text(m, text, sizeof text));
}

static bool write_file(void *ctx, const char *data, size_t len)
{
	return fwrite(data, 1, len, ctx) == len;
}

/* The text goes out as it is printed (a module's text can run to
 * gigabytes: esbuild.wasm's 1.9 GB); the bodies are decoded first, so that
 * a malformed one fails before any of it is written. A write that fails
 * leaves no -o file behind. */
static int print_text(const struct args *a, const uint8_t *bytes, size_t size)
{
	struct wlab_decode_options dopts = {0};
	struct wlab_wat_print_options popts = {a->flags};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	int rc = 0;
	dopts.features = a->features;
	if (wlab_module_decode(bytes, size, &dopts, &m, &err)) {
		rc = fail(a->input, &err);
		wlab_module_free(m);
		return rc;
	}
	warn_custom_error(a->input, m);
	FILE *f = a->output ? fopen(a->output, "wb") : stdout;
	if (!f) {
		fprintf(stderr, "wlab-wat: %s: cannot open for writing\n", a->output);
		wlab_module_free(m);
		return 3;
	}
	struct stat sb;
	bool regular = a->output && fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode);
	enum wlab_status st = wlab_wat_print_to(m, &popts, write_file, f, &err);
	bool closed = (a->output ? fclose(f) : fflush(f)) == 0;
	if (st == WLAB_IO || (!st && !closed)) {
		fprintf(stderr, "wlab-wat: %s: write error\n", a->output ? a->output : "<stdout>");
		rc = 3;
	} else if (st) {
		rc = fail(a->input, &err);
	}
	if (rc && regular)
		remove(a->output);  /* not a device such as /dev/full */
	wlab_module_free(m);
	return rc;
}

/* Where a token of the text ends (wat2wasm underlines the token it
 * points at). */
static bool token_end(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '(' || c == ')' || c == '"' || c == ';';
}

/* An error in the text: the message's leading "LINE:COLUMN: " (the
 * library's) goes after the file's name, as wat2wasm and compilers put it,
 * and the line follows with carets under the token at the column. False when the
 * message has no line:column. */
static bool text_error(const char *path, const uint8_t *text, size_t size, const char *msg)
{
	unsigned long line, col;
	int n = 0;
	if (sscanf(msg, "%lu:%lu: %n", &line, &col, &n) != 2 || !n || !line || !col)
		return false;
	fprintf(stderr, "%s:%lu:%lu: error: %s\n", path, line, col, msg + n);
	size_t at = 0;
	for (unsigned long l = 1; l < line && at < size; at++)
		l += text[at] == '\n';
	size_t end = at;
	while (end < size && end - at < 300 && text[end] != '\n' && text[end] != '\r')
		end++;
	if (col - 1 > end - at)
		return true;
	fprintf(stderr, "%.*s\n", (int)(end - at), (const char *)text + at);
	for (size_t i = 0; i < col - 1; i++)
		fputc(text[at + i] == '\t' ? '\t' : ' ', stderr);
	/* the token there underlined, as wat2wasm does (an instruction's or a
	 * keyword's name: up to a space, a parenthesis, a quote or a ;); a (
	 * has one caret */
	size_t k = at + col - 1, w = 1;
	if (k < end && !token_end(text[k]))
		while (k + w < end && !token_end(text[k + w]))
			w++;
	for (size_t i = 0; i < w; i++)
		fputc('^', stderr);
	fputc('\n', stderr);
	return true;
}

static int assemble(const struct args *a, const uint8_t *bytes, size_t size)
{
	struct wlab_error err = {0};
	uint8_t *bin = NULL;
	size_t len = 0;
	int rc;
	if (!a->output)
		return usage_error("assembling '%s' needs -o FILE.wasm", a->input);
	unsigned flags = a->asm_flags | (a->no_check ? 0 : WLAB_WAT_VALIDATE);
	if (wlab_wat_to_binary_flags((const char *)bytes, size, a->features, flags, &bin, &len,
				     &err) == WLAB_INVALID) {
		if (text_error(a->input, bytes, size, err.message))
			fprintf(stderr, "wlab-wat: --no-check writes it anyway\n");
		else
			fprintf(stderr, "%s: error: %s\nwlab-wat: the offset is in the binary; "
					"--no-check writes it anyway\n", a->input, err.message);
		rc = 1;
	} else if (err.status == WLAB_MALFORMED && text_error(a->input, bytes, size, err.message)) {
		rc = 1;
	} else if (err.status) {
		rc = fail(a->input, &err);
	} else {
		rc = write_out(a->output, bin, len);
	}
	free(bin);
	return rc;
}

int main(int argc, char **argv)
{
	struct args a = {0};
	struct wlab_error err = {0};
	uint8_t *bytes = NULL;
	size_t size = 0;
	int rc = parse_args(argc, argv, &a);
	if (rc)
		return rc;
	if (wlab_read_file(a.input, &bytes, &size, &err)) {
		fprintf(stderr, "wlab-wat: %s: %s\n", a.input, err.message);
		return 3;
	}
	if (size >= 4 && memcmp(bytes, "\0asm", 4) == 0)
		rc = print_text(&a, bytes, size);
	else
		rc = assemble(&a, bytes, size);
	free(bytes);
	return rc;
}
