/* source.c: wlab-objdump -S, the source lines shown above the instructions
 * they compiled to, the way GNU objdump -S shows them: when the line
 * changes, the lines from the last one printed in that file (or five lines
 * of context before it) up to the new one; a line already printed, when
 * the code goes back to it, alone. Files are read once, from the path the
 * debug info names or under --source-dir; a file that cannot be read is
 * reported once on stderr and its lines left out. */
#include <stdlib.h>
#include <string.h>

#include "objdump.h"
#include "source.h"

#define CONTEXT_LINES 5  /* GNU objdump's SHOW_PRECEDING_CONTEXT_LINES */

struct src_file {
	char *path;            /* as the debug info names it */
	uint8_t *bytes;        /* NULL: not found */
	size_t size;
	size_t *lines;         /* offset of each line's start; nlines + 1 entries */
	uint32_t nlines;
	uint32_t max_printed, last_line;
};

static bool index_lines(struct src_file *f)
{
	uint32_t n = 0;
	for (size_t i = 0; i < f->size; i++)
		n += f->bytes[i] == '\n';
	if (f->size && f->bytes[f->size - 1] != '\n')
		n++;  /* a last line without its newline */
	f->lines = malloc(((size_t)n + 1) * sizeof *f->lines);
	if (!f->lines)
		return false;
	uint32_t k = 0;
	f->lines[k++] = 0;
	for (size_t i = 0; i < f->size && k <= n; i++)
		if (f->bytes[i] == '\n')
			f->lines[k++] = i + 1;
	f->lines[n] = f->size;
	f->nlines = n;
	return true;
}

/* Tries dir/path and dir/ each shorter tail of path (its leading
 * directories dropped), then path itself. */
static bool load(struct src_file *f, const char *dir)
{
	const char *tail = f->path;
	while (dir && *tail) {
		while (*tail == '/')
			tail++;
		size_t len = strlen(dir) + strlen(tail) + 2;
		char *p = malloc(len);
		if (!p)
			return false;
		snprintf(p, len, "%s/%s", dir, tail);
		struct wlab_error err = {0};
		bool ok = wlab_read_file(p, &f->bytes, &f->size, &err) == WLAB_OK;
		free(p);
		if (ok)
			return index_lines(f);
		const char *slash = strchr(tail, '/');
		if (!slash)
			break;
		tail = slash + 1;
	}
	struct wlab_error err = {0};
	if (wlab_read_file(f->path, &f->bytes, &f->size, &err) != WLAB_OK)
		return false;
	return index_lines(f);
}

static struct src_file *find(struct objdump_source *s, const char *path)
{
	for (uint32_t i = 0; i < s->nfiles; i++)
		if (strcmp(s->files[i].path, path) == 0)
			return &s->files[i];
	struct src_file *v = realloc(s->files, (s->nfiles + 1) * sizeof *v);
	if (!v)
		return NULL;
	s->files = v;
	struct src_file *f = &v[s->nfiles];
	memset(f, 0, sizeof *f);
	f->path = strdup(path);
	if (!f->path)
		return NULL;
	s->nfiles++;
	if (!load(f, s->dir)) {
		free(f->bytes);
		f->bytes = NULL;
		fflush(s->out);
		if (s->dir)
			fprintf(stderr, "wlab-objdump: warning: %s: source file not found "
				"(nor under --source-dir %s); its lines are left out\n", path, s->dir);
		else
			fprintf(stderr, "wlab-objdump: warning: %s: source file not found "
				"(try --source-dir DIR); its lines are left out\n", path);
	}
	return f;
}

static void dump_lines(FILE *out, const struct src_file *f, uint32_t from, uint32_t to)
{
	for (uint32_t l = from; l <= to && l <= f->nlines; l++) {
		size_t a = f->lines[l - 1], b = f->lines[l];
		fwrite(f->bytes + a, 1, b - a, out);
		if (b == a || f->bytes[b - 1] != '\n')
			fputc('\n', out);
	}
}

void objdump_source_show(struct objdump_source *s, const char *path, uint32_t line)
{
	if (!path || line == 0)
		return;
	struct src_file *f = find(s, path);
	if (!f || !f->bytes || line == f->last_line)
		return;
	uint32_t from = line > CONTEXT_LINES ? line - CONTEXT_LINES : 1;
	if (f->max_printed >= from)
		from = f->max_printed < line ? f->max_printed + 1 : line;
	dump_lines(s->out, f, from, line);
	if (f->max_printed < line)
		f->max_printed = line;
	f->last_line = line;
}

void objdump_source_free(struct objdump_source *s)
{
	for (uint32_t i = 0; i < s->nfiles; i++) {
		free(s->files[i].path);
		free(s->files[i].bytes);
		free(s->files[i].lines);
	}
	free(s->files);
	s->files = NULL;
	s->nfiles = 0;
}
