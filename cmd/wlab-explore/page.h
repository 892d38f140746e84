/* page.h: the explorer page that `wlab-explore --html` writes (html.c): the
 * artefacts of `make web` (the page's wasm, index.html, explore.js,
 * explore.css), built into the tool as byte arrays by scripts/embed-web.sh
 * ($(BUILD)/gen/explore_page.c). In a build without the web toolchain
 * (clang and wasi-libc), the arrays are empty and explore_page_missing says
 * why; --html then fails with that message. */
#ifndef EXPLORE_PAGE_H
#define EXPLORE_PAGE_H

#include <stddef.h>

extern const char explore_page_missing[];  /* "" when the page is there */
extern const unsigned char explore_page_wasm[];
extern const size_t explore_page_wasm_len;
extern const unsigned char explore_page_index[];
extern const size_t explore_page_index_len;
extern const unsigned char explore_page_js[];
extern const size_t explore_page_js_len;
extern const unsigned char explore_page_css[];
extern const size_t explore_page_css_len;

#endif
