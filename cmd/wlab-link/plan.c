/* plan.c: --plan, as a table or as JSON (schema wlab-link-plan/1). */
#include <string.h>

#include "link.h"

static const char *how_name(enum wlab_link_how how)
{
	switch (how) {
	case WLAB_LINK_FUSED: return "fused";
	case WLAB_LINK_STUBBED: return "stub";
	case WLAB_LINK_KEPT: return "kept";
	case WLAB_LINK_ERROR: return "error";
	}
	return "?";
}

static const char *stub_name(const struct wlab_link_stub *s, char *buf, size_t size)
{
	switch (s->kind) {
	case WLAB_LINK_STUB_TRAP: return "trap";
	case WLAB_LINK_STUB_ZERO: return "zero";
	case WLAB_LINK_STUB_CONST:
		snprintf(buf, size, "const:%s:0x%llx", wlab_valtype_name(s->valtype),
			 (unsigned long long)s->bits);
		return buf;
	}
	return "?";
}

/* The export an import was resolved through (same name as the field). */
static void print_import(FILE *out, const struct wlab_import *imp, int width)
{
	int n = fprintf(out, "%.*s.%.*s", (int)imp->module.len, (const char *)imp->module.ptr,
			(int)imp->field.len, (const char *)imp->field.ptr);
	fprintf(out, "%*s", n < width ? width - n : 1, "");
}

void plan_print_table(FILE *out, const struct wlab_link_input *in, uint32_t n,
		      const struct wlab_link_options *opts, const struct wlab_link_result *r)
{
	char sbuf[64];
	uint32_t counts[4] = {0};
	fprintf(out, "%-10s %-6s %-30s %-34s %s\n", "INPUT", "KIND", "IMPORT", "TYPE", "SATISFIED BY");
	for (uint32_t k = 0; k < r->nplan; k++) {
		const struct wlab_link_plan_entry *e = &r->plan[k];
		const struct wlab_import *imp = &in[e->input].module->imports[e->import];
		counts[e->how]++;
		fprintf(out, "%-10s %-6s ", in[e->input].name, wlab_extern_kind_name(imp->kind));
		print_import(out, imp, 31);
		fprintf(out, "%-34s ", e->import_type);
		switch (e->how) {
		case WLAB_LINK_FUSED:
			fprintf(out, "%s export \"%.*s\" %s", in[e->provider].name, (int)imp->field.len,
				(const char *)imp->field.ptr, e->provider_type);
			if (e->def_input != e->provider)
				fprintf(out, ", defined in %s", in[e->def_input].name);
			fprintf(out, " -> %s %u\n", wlab_extern_kind_name(imp->kind), e->out_index);
			break;
		case WLAB_LINK_STUBBED:
			fprintf(out, "stub %s -> %s %u\n", stub_name(&opts->stubs[e->stub], sbuf, sizeof sbuf),
				wlab_extern_kind_name(imp->kind), e->out_index);
			break;
		case WLAB_LINK_KEPT:
			if (e->provider != UINT32_MAX)
				fprintf(out, "nothing (%s re-exports an import): ", in[e->provider].name);
			else
				fprintf(out, "nothing: ");
			fprintf(out, "stays import %s %u\n", wlab_extern_kind_name(imp->kind), e->out_index);
			break;
		case WLAB_LINK_ERROR:
			fprintf(out, "ERROR: %s\n", e->message);
			break;
		}
	}
	fprintf(out, "%u imports in %u inputs: %u fused, %u stubbed, %u kept, %u errors\n", r->nplan, n,
		counts[WLAB_LINK_FUSED], counts[WLAB_LINK_STUBBED], counts[WLAB_LINK_KEPT],
		counts[WLAB_LINK_ERROR]);
}

void json_str(FILE *out, const uint8_t *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		uint8_t ch = s[i];
		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static void json_cstr(FILE *out, const char *s)
{
	json_str(out, (const uint8_t *)s, strlen(s));
}

void plan_print_json(FILE *out, const struct wlab_link_input *in, uint32_t n,
		     const struct wlab_link_options *opts, const struct wlab_link_result *r,
		     const struct wlab_link_error *err)
{
	char sbuf[64];
	fprintf(out, "{\"schema\":\"wlab-link-plan/1\",\"ok\":%s,\"inputs\":[", err ? "false" : "true");
	for (uint32_t i = 0; i < n; i++) {
		fprintf(out, "%s{\"name\":", i ? "," : "");
		json_cstr(out, in[i].name);
		fprintf(out, ",\"path\":");
		json_cstr(out, in[i].path ? in[i].path : "");
		fputc('}', out);
	}
	fprintf(out, "],\"imports\":[");
	for (uint32_t k = 0; k < r->nplan; k++) {
		const struct wlab_link_plan_entry *e = &r->plan[k];
		const struct wlab_import *imp = &in[e->input].module->imports[e->import];
		fprintf(out, "%s\n{\"input\":", k ? "," : "");
		json_cstr(out, in[e->input].name);
		fprintf(out, ",\"module\":");
		json_str(out, imp->module.ptr, imp->module.len);
		fprintf(out, ",\"field\":");
		json_str(out, imp->field.ptr, imp->field.len);
		fprintf(out, ",\"kind\":\"%s\",\"type\":", wlab_extern_kind_name(imp->kind));
		json_cstr(out, e->import_type);
		fprintf(out, ",\"how\":\"%s\"", how_name(e->how));
		if (e->provider != UINT32_MAX) {
			fprintf(out, ",\"provider\":");
			json_cstr(out, in[e->provider].name);
			fprintf(out, ",\"provider_type\":");
			json_cstr(out, e->provider_type);
		}
		if (e->how == WLAB_LINK_FUSED) {
			fprintf(out, ",\"defined_by\":");
			json_cstr(out, in[e->def_input].name);
			fprintf(out, ",\"defined_index\":%u", e->def_index);
		}
		if (e->how == WLAB_LINK_STUBBED) {
			fprintf(out, ",\"stub\":");
			json_cstr(out, stub_name(&opts->stubs[e->stub], sbuf, sizeof sbuf));
		}
		if (e->how != WLAB_LINK_ERROR && e->out_index != UINT32_MAX)
			fprintf(out, ",\"out_index\":%u", e->out_index);
		if (e->how == WLAB_LINK_ERROR) {
			fprintf(out, ",\"message\":");
			json_cstr(out, e->message);
		}
		fputc('}', out);
	}
	fprintf(out, "]");
	if (err) {
		fprintf(out, ",\"error\":{\"message\":");
		json_cstr(out, err->error.message);
		fprintf(out, ",\"detail\":");
		json_cstr(out, err->detail);
		fputc('}', out);
	}
	fprintf(out, "}\n");
}
