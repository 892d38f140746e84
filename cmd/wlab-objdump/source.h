/* source.h: wlab-objdump -S (source.c): source lines for the disassembly. */
#ifndef OBJDUMP_SOURCE_H
#define OBJDUMP_SOURCE_H

#include <stdint.h>
#include <stdio.h>

struct src_file;

struct objdump_source {
	FILE *out;
	const char *dir;        /* --source-dir, or NULL */
	struct src_file *files;
	uint32_t nfiles;
};

/* Prints the lines of path up to line that the listing has not shown yet
 * (GNU objdump -S's rule), reading the file on first use. */
void objdump_source_show(struct objdump_source *s, const char *path, uint32_t line);
void objdump_source_free(struct objdump_source *s);

#endif
