/* contents.c: -s, every selected section's payload as a hex dump with
 * file offsets and an ASCII column. */
#include "objdump.h"

int objdump_print_contents(struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	for (uint32_t i = 0; i < m->nsections; i++) {
		const struct wlab_section *s = &m->sections[i];
		if (!objdump_section_selected(ctx, s))
			continue;
		const char *name = wlab_section_name(s->id);
		fprintf(ctx->out, "\nContents of section %s:\n", name ? name : "Unknown");
		objdump_print_hex_dump(ctx->out, m->bytes + s->payload.offset,
				       s->payload.size, s->payload.offset, "");
	}
	return 0;
}
