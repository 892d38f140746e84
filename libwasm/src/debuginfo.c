/* debuginfo.c: finding a module's source information (wlab/debuginfo.h):
 * its own DWARF, a separate DWARF file, or a source map, read on the first
 * query; the lookup by file offset over whichever was found. */
#include "wlab/debuginfo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sourcemap.h"
#include "url.h"
#include "wlab/features.h"
#include "wlab/reader.h"

struct wlab_debuginfo {
	const struct wlab_module *m;
	char *module_path, *debug_file, *source_map;
	wlab_debuginfo_warn_fn warn;
	void *warn_ctx;
	bool loaded;
	enum wlab_debuginfo_kind kind;
	char *path;                    /* the file the information came from */
	uint32_t code_base;
	bool has_code;
	struct wlab_dwarf *dwarf;
	uint8_t *ext_bytes;            /* the external debug file */
	struct wlab_module *ext;
	struct sourcemap map;
};

static char *dup_str(const char *s)
{
	return s ? strdup(s) : NULL;
}

struct wlab_debuginfo *wlab_debuginfo_new(const struct wlab_module *m,
					  const struct wlab_debuginfo_options *o)
{
	struct wlab_debuginfo *di = calloc(1, sizeof *di);
	if (!di)
		return NULL;
	di->m = m;
	if (o) {
		di->module_path = dup_str(o->module_path);
		di->debug_file = dup_str(o->debug_file);
		di->source_map = dup_str(o->source_map);
		if ((o->module_path && !di->module_path) || (o->debug_file && !di->debug_file) ||
		    (o->source_map && !di->source_map)) {
			wlab_debuginfo_free(di);
			return NULL;
		}
	}
	return di;
}

void wlab_debuginfo_free(struct wlab_debuginfo *di)
{
	if (!di)
		return;
	wlab_dwarf_free(di->dwarf);
	wlab_module_free(di->ext);
	free(di->ext_bytes);
	sourcemap_fini(&di->map);
	free(di->module_path);
	free(di->debug_file);
	free(di->source_map);
	free(di->path);
	free(di);
}

void wlab_debuginfo_set_warn(struct wlab_debuginfo *di, wlab_debuginfo_warn_fn fn, void *ctx)
{
	di->warn = fn;
	di->warn_ctx = ctx;
}

static void warnf(struct wlab_debuginfo *di, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void warnf(struct wlab_debuginfo *di, const char *fmt, ...)
{
	char msg[WLAB_MESSAGE_MAX + 1024];
	va_list ap;
	if (!di->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	di->warn(di->warn_ctx, msg);
}

/* DWARF's warnings, with the debug file named when it is not the module. */
static void dwarf_warn(void *ctx, const char *section, uint64_t offset, uint64_t file_offset,
		       const char *message)
{
	struct wlab_debuginfo *di = ctx;
	warnf(di, "%s%s%s+0x%llx (file 0x%llx): %s", di->path ? di->path : "",
	      di->path ? ": " : "", section, (unsigned long long)offset,
	      (unsigned long long)file_offset, message);
}

bool wlab_module_section_url(const struct wlab_module *m, const char *name, struct wlab_str *url)
{
	size_t n = strlen(name);
	for (uint32_t i = 0; i < m->nsections; i++) {
		const struct wlab_section *s = &m->sections[i];
		if (s->id != WLAB_SEC_CUSTOM || s->name.len != n || memcmp(s->name.ptr, name, n))
			continue;
		struct wlab_error err = {0};
		struct wlab_reader r;
		wlab_reader_init(&r, m->bytes + s->content.offset, s->content.size, &err);
		const uint8_t *p;
		uint32_t len;
		if (wlab_read_name(&r, false, &p, &len) || len == 0 || wlab_reader_left(&r))
			return false;
		*url = (struct wlab_str){p, len};
		return true;
	}
	return false;
}

/* The path a section's URL names (url.h), relative ones next to the module;
 * NULL (with a warning) for a URL this does not read. */
static char *resolve(struct wlab_debuginfo *di, const char *section, struct wlab_str url)
{
	char why[WLAB_MESSAGE_MAX];
	char *p = url_path(di->module_path, (const char *)url.ptr, url.len, why, sizeof why);
	if (!p)
		warnf(di, "%s: %s", section, why);
	return p;
}

/* Reads path as a module holding DWARF sections. */
static bool load_external(struct wlab_debuginfo *di, char *path, const char *why)
{
	struct wlab_error err = {0};
	size_t size;
	di->path = path;
	if (wlab_read_file(path, &di->ext_bytes, &size, &err)) {
		warnf(di, "%s: %s (%s); no source information from it", path, err.message, why);
		goto fail;
	}
	struct wlab_decode_options o = {
		.flags = WLAB_DECODE_SKIP_BODIES | WLAB_DECODE_SKIP_CUSTOM,
		.features = wlab_features_all(),
	};
	if (wlab_module_decode(di->ext_bytes, size, &o, &di->ext, &err)) {
		warnf(di, "%s+0x%zx: not a debug file: %s (%s)", path, err.offset, err.message, why);
		goto fail;
	}
	di->dwarf = wlab_dwarf_new(di->ext);
	if (!di->dwarf)
		goto fail;
	wlab_dwarf_set_warn(di->dwarf, dwarf_warn, di);
	if (!wlab_dwarf_present(di->dwarf)) {
		warnf(di, "%s: no DWARF sections in it (%s)", path, why);
		goto fail;
	}
	di->kind = WLAB_DEBUGINFO_EXTERNAL_DWARF;
	return true;
fail:
	wlab_dwarf_free(di->dwarf);
	di->dwarf = NULL;
	wlab_module_free(di->ext);
	di->ext = NULL;
	free(di->ext_bytes);
	di->ext_bytes = NULL;
	free(di->path);
	di->path = NULL;
	return false;
}

static bool load_map(struct wlab_debuginfo *di, char *path, const char *why)
{
	struct wlab_error err = {0};
	uint8_t *text = NULL;
	size_t size, at;
	char msg[SOURCEMAP_ERROR_MAX];
	di->path = path;
	if (wlab_read_file(path, &text, &size, &err)) {
		warnf(di, "%s: %s (%s); no source information from it", path, err.message, why);
		goto fail;
	}
	if (!sourcemap_parse(&di->map, (const char *)text, size, path, &at, msg, sizeof msg)) {
		warnf(di, "%s+0x%zx: not a source map: %s (%s)", path, at, msg, why);
		goto fail;
	}
	free(text);
	di->kind = WLAB_DEBUGINFO_SOURCE_MAP;
	return true;
fail:
	free(text);
	sourcemap_fini(&di->map);
	free(di->path);
	di->path = NULL;
	return false;
}

static void load(struct wlab_debuginfo *di)
{
	struct wlab_str url;
	if (di->loaded)
		return;
	di->loaded = true;
	di->has_code = wlab_dwarf_code_base(di->m, &di->code_base);
	if (di->debug_file && load_external(di, dup_str(di->debug_file), "--debug-file"))
		return;
	{  /* a --debug-file that cannot be read leaves the others */
		di->dwarf = wlab_dwarf_new(di->m);
		if (di->dwarf && wlab_dwarf_present(di->dwarf)) {
			wlab_dwarf_set_warn(di->dwarf, dwarf_warn, di);
			di->kind = WLAB_DEBUGINFO_DWARF;
			return;
		}
		wlab_dwarf_free(di->dwarf);
		di->dwarf = NULL;
		if (wlab_module_section_url(di->m, "external_debug_info", &url)) {
			char *p = resolve(di, "external_debug_info", url);
			if (p && load_external(di, p, "named by external_debug_info"))
				return;
		}
	}
	if (di->source_map) {
		load_map(di, dup_str(di->source_map), "--source-map");
	} else if (wlab_module_section_url(di->m, "sourceMappingURL", &url)) {
		char *p = resolve(di, "sourceMappingURL", url);
		if (p)
			load_map(di, p, "named by sourceMappingURL");
	}
}

enum wlab_debuginfo_kind wlab_debuginfo_kind(struct wlab_debuginfo *di, const char **path)
{
	load(di);
	if (path)
		*path = di->path;
	return di->kind;
}

struct wlab_dwarf *wlab_debuginfo_dwarf(struct wlab_debuginfo *di)
{
	load(di);
	return di->dwarf;
}

uint32_t wlab_debuginfo_lookup(struct wlab_debuginfo *di, uint64_t off,
			       struct wlab_source_loc *out, uint32_t max)
{
	load(di);
	if (di->dwarf) {
		if (!di->has_code || off < di->code_base)
			return 0;
		return wlab_dwarf_lookup(di->dwarf, off - di->code_base, out, max);
	}
	if (di->kind != WLAB_DEBUGINFO_SOURCE_MAP || off > UINT32_MAX)
		return 0;
	const struct sourcemap_seg *s = sourcemap_find(&di->map, (uint32_t)off);
	if (!s || !s->mapped || !di->map.sources[s->source])
		return 0;
	if (max)
		out[0] = (struct wlab_source_loc){
			.file = di->map.sources[s->source],
			.line = s->line + 1,
			.column = s->column + 1,
			.function = s->name != SOURCEMAP_NO_NAME ? di->map.names[s->name] : NULL,
		};
	return 1;
}
