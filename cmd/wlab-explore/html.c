/* html.c: --html, the explorer page (web/, `make web`) as one file that
 * needs nothing else: index.html with explore.css and explore.js inline, the
 * page's wasm and the module's bytes deflated, in base64 (with --diff OLD NEW,
 * OLD's bytes too, for the page's diff view). The page opens the module
 * it carries as soon as it loads, from file:// or any server, with no
 * request; it draws only what is on screen (the hex rows in view, the tree
 * a level at a time), so its size and load time grow with the module's
 * bytes, not with its field tree. The page's files come from page.h,
 * built into the tool (scripts/embed-web.sh). */
#include <stdlib.h>
#include <string.h>

#include "explore.h"
#include "page.h"

static const char link_tag[] = "<link rel=\"stylesheet\" href=\"explore.css\">";
static const char script_tag[] = "<script src=\"explore.js\"></script>";

/* Where needle is in hay[0..n), or n when it is not. */
static size_t find(const unsigned char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return i;
	return n;
}

/* s for an attribute value in double quotes. */
static void html_attr(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "&#x%x;", *p == 0x7f ? 0x2421 : 0x2400 + *p);  /* control pictures */
			else
				fputc(*p, out);
		}
	}
}

/* bytes[0..n) in base64 (RFC 4648, padded), on one line. */
static void base64(FILE *out, const unsigned char *bytes, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char buf[4096];
	size_t k = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)bytes[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)bytes[i + 1] << 8;
		if (i + 2 < n)
			v |= bytes[i + 2];
		buf[k++] = abc[v >> 18];
		buf[k++] = abc[(v >> 12) & 63];
		buf[k++] = i + 1 < n ? abc[(v >> 6) & 63] : '=';
		buf[k++] = i + 2 < n ? abc[v & 63] : '=';
		if (k == sizeof buf) {
			fwrite(buf, 1, k, out);
			k = 0;
		}
	}
	fwrite(buf, 1, k, out);
}

/* <script id="ID" type="application/octet-stream" data-name=.. data-size=..
 * data-encoding="deflate-raw"> with f's bytes deflated, in base64: the
 * browser's HTML parser takes most of a big page's load time, and it goes
 * with the page's size (without memory to deflate, the bytes as they are and
 * no data-encoding). */
static void carried(FILE *out, const char *id, const struct explore_file *f)
{
	size_t n = 0;
	unsigned char *z = explore_deflate(f->bytes, f->size, &n);
	fprintf(out, "<script id=\"%s\" type=\"application/octet-stream\" data-name=\"", id);
	html_attr(out, f->path);
	fprintf(out, "\" data-size=\"%zu\"%s>", f->size, z ? " data-encoding=\"deflate-raw\"" : "");
	if (z)
		base64(out, z, n);
	else
		base64(out, f->bytes, f->size);
	free(z);
	fputs("</script>", out);
}

int explore_html(const struct explore_file *mod, const struct explore_file *old, FILE *out)
{
	const unsigned char *page = explore_page_index;
	size_t n = explore_page_index_len;
	size_t link = find(page, n, link_tag), script = find(page, n, script_tag);
	if (explore_page_missing[0] || link >= script || script == n) {
		fprintf(stderr, "wlab-explore: --html: %s\n", explore_page_missing[0] ? explore_page_missing :
			"this build's page has no stylesheet link and script tag to inline");
		return 2;
	}
	fwrite(page, 1, link, out);
	fputs("<style>\n", out);
	fwrite(explore_page_css, 1, explore_page_css_len, out);
	fputs("</style>", out);
	size_t after_link = link + strlen(link_tag);
	fwrite(page + after_link, 1, script - after_link, out);
	/* The explorer, the script, then the module: the explorer compiles
	 * while the browser reads the module's text (explore.js waits for
	 * it). Base64 never holds "</script". */
	size_t zn = 0;
	unsigned char *z = explore_deflate(explore_page_wasm, explore_page_wasm_len, &zn);
	fputs("<script>var WLAB_EXPLORE_WASM=\"", out);
	if (z)  /* deflated as the module is: WLAB_EXPLORE_WASM_SIZE says so */
		base64(out, z, zn);
	else
		base64(out, explore_page_wasm, explore_page_wasm_len);
	fputs("\";", out);
	if (z)
		fprintf(out, "var WLAB_EXPLORE_WASM_SIZE=%zu;", explore_page_wasm_len);
	free(z);
	fputs("</script>\n<script>\n", out);
	fwrite(explore_page_js, 1, explore_page_js_len, out);
	fputs("</script>\n", out);
	if (old)  /* before the module: the page finds it when it opens the module */
		carried(out, "wlab-module-old", old);
	carried(out, "wlab-module", mod);
	size_t after_script = script + strlen(script_tag);
	fwrite(page + after_script, 1, n - after_script, out);
	return 0;
}
