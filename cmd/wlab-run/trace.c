/* trace.c: --trace-imports: one line per host or WASI call, as text
 *     trace: MOD.FIELD(i32:1, i64:2) -> (i32:0)
 * or as a JSON object per line (--trace-format json):
 *     {"module":"MOD","field":"FIELD","args":[{"type":"i32","value":1}],
 *      "results":[...],"trap":null}
 * "trap" holds the trap's message when the call trapped (then "results" is
 * empty), and "exit_code" is added when a WASI proc_exit ended the call. */
#include <stdio.h>

#include "run.h"
#include "wlab.h"

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_values(FILE *f, const wlab_valtype_t *types, uint32_t n, const uint64_t *v)
{
	fputc('[', f);
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		json_value(f, types[i], v);
		v += value_words(types[i]);
	}
	fputc(']', f);
}

void trace_line(const struct hostcall *h, const uint64_t *args, const uint64_t *results,
		enum wlab_trap trap)
{
	FILE *f = h->r->trace;
	bool exited = trap == WLAB_TRAP_EXIT && h->r->wasi;
	if (h->r->o->trace == TRACE_JSON) {
		fputs("{\"module\":", f);
		json_string(f, h->module);
		fputs(",\"field\":", f);
		json_string(f, h->field);
		fputs(",\"args\":", f);
		json_values(f, h->params, h->nparams, args);
		fputs(",\"results\":", f);
		json_values(f, h->results, trap ? 0 : h->nresults, results);
		fputs(",\"trap\":", f);
		if (trap)
			json_string(f, wlab_trap_message(trap));
		else
			fputs("null", f);
		if (exited)
			fprintf(f, ",\"exit_code\":%u", (unsigned)wasi_exit_code(h->r));
		fputs("}\n", f);
	} else {
		fprintf(f, "trace: %s.%s", h->module, h->field);
		put_values(f, h->params, h->nparams, args);
		fputs(" -> ", f);
		if (exited)
			fprintf(f, "exit %u", (unsigned)wasi_exit_code(h->r));
		else if (trap)
			fprintf(f, "trap: %s", wlab_trap_message(trap));
		else
			put_values(f, h->results, h->nresults, results);
		fputc('\n', f);
	}
	fflush(f);
}
