/* link.h: what the parts of wlab-link share: printing the plan and
 * writing the JavaScript glue. */
#ifndef WLAB_LINK_TOOL_H
#define WLAB_LINK_TOOL_H

#include <stdbool.h>
#include <stdio.h>

#include <wlab.h>
#include <wlab/link.h>

/* plan.c */
void plan_print_table(FILE *out, const struct wlab_link_input *in, uint32_t n,
		      const struct wlab_link_options *opts, const struct wlab_link_result *r);
void plan_print_json(FILE *out, const struct wlab_link_input *in, uint32_t n,
		     const struct wlab_link_options *opts, const struct wlab_link_result *r,
		     const struct wlab_link_error *err);
void json_str(FILE *out, const uint8_t *s, size_t len);

/* js.c: glue.mjs and glue.d.ts for the imports the output keeps.
 * wasm_name is the module file the glue loads by default. Returns false
 * after printing an error. */
bool js_emit(const char *mjs_path, const char *wasm_name, const struct wlab_module *m);

#endif
