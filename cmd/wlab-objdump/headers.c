/* headers.c: -h, one line per section with its payload's place and size,
 * shaped like wasm-objdump's "Sections:" table. */
#include <inttypes.h>

#include "objdump.h"
#include "print.h"

int objdump_print_headers(struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	FILE *out = ctx->out;

	fputs("\nSections:\n\n", out);
	for (uint32_t i = 0; i < m->nsections; i++) {
		const struct wlab_section *s = &m->sections[i];
		const char *name = wlab_section_name(s->id);
		uint32_t start = s->payload.offset, size = s->payload.size;
		/* %#010x as wabt uses it: a zero size loses its 0x. */
		fprintf(out, "%9s start=%#010" PRIx32 " end=%#010" PRIx32
			" (size=%#010" PRIx32 ") ",
			name ? name : "Unknown", start, start + size, size);
		switch (s->id) {
		case WLAB_SEC_CUSTOM:
			if (ctx->bad_custom && ctx->bad_custom[i])
				break;  /* no name, no newline, as wasm-objdump */
			fputc('"', out);
			objdump_print_str(out, s->name);
			fputs("\"\n", out);
			break;
		case WLAB_SEC_START:
			fprintf(out, "start: %" PRIu32 "\n", m->start);
			break;
		case WLAB_SEC_DATACOUNT:
			fprintf(out, "count: %" PRIu32 "\n", m->data_count);
			break;
		default:
			fprintf(out, "count: %" PRIu32 "\n", s->count);
			break;
		}
	}
	return 0;
}
