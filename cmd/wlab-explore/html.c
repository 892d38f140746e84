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
		explore_base64(out, z, n);
	else
		explore_base64(out, f->bytes, f->size);
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
	fputs("<script>", out);
	explore_wasm_js(out, explore_page_wasm, explore_page_wasm_len);
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
