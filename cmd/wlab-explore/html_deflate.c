/* html_deflate.c: raw DEFLATE (RFC 1951) for the bytes --html carries (and
 * make web's wlab-explore.wasm.js, web/embed_wasm.c), so that the page is
 * smaller and the browser parses less text: one block with the fixed
 * Huffman codes, LZ77 matches found through hash chains (greedy, a bounded
 * chain); and base64, in which the page carries them. The page inflates in
 * script (web/explore.js: inflate, which reads stored and fixed-code
 * blocks). Not a general compressor: no dynamic codes, no lazy matching;
 * DWARF-heavy modules shrink about 3x, generated code much more. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"

#define WSIZE 32768u
#define WMASK (WSIZE - 1)
#define HBITS 15
#define MIN_MATCH 3
#define MAX_MATCH 258
#define MAX_CHAIN 24

struct bits {
	unsigned char *out;
	size_t n;
	uint64_t acc;
	unsigned nacc;
};

static void put(struct bits *b, uint32_t v, unsigned n)  /* LSB first */
{
	b->acc |= (uint64_t)v << b->nacc;
	b->nacc += n;
	while (b->nacc >= 8) {
		b->out[b->n++] = (unsigned char)b->acc;
		b->acc >>= 8;
		b->nacc -= 8;
	}
}

/* A Huffman code of n bits, written from its most significant bit. */
static void put_code(struct bits *b, uint32_t code, unsigned n)
{
	uint32_t r = 0;
	for (unsigned i = 0; i < n; i++)
		r |= ((code >> i) & 1) << (n - 1 - i);
	put(b, r, n);
}

/* The fixed literal/length code of sym (RFC 1951 3.2.6). */
static void put_sym(struct bits *b, unsigned sym)
{
	if (sym < 144)
		put_code(b, 0x30 + sym, 8);
	else if (sym < 256)
		put_code(b, 0x190 + sym - 144, 9);
	else if (sym < 280)
		put_code(b, sym - 256, 7);
	else
		put_code(b, 0xc0 + sym - 280, 8);
}

static const uint16_t len_base[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
				      35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
				      3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129,
				       193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
				       6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
				       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static void put_match(struct bits *b, unsigned len, unsigned dist)
{
	unsigned i = 28;
	while (len_base[i] > len)
		i--;
	put_sym(b, 257 + i);
	put(b, len - len_base[i], len_extra[i]);
	unsigned d = 29;
	while (dist_base[d] > dist)
		d--;
	put_code(b, d, 5);
	put(b, dist - dist_base[d], dist_extra[d]);
}

static uint32_t hash3(const unsigned char *p)
{
	return ((uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]) * 2654435761u >> (32 - HBITS);
}

unsigned char *explore_deflate(const unsigned char *in, size_t n, size_t *out_n)
{
	/* at most 9 bits a byte (literals 144-255), the block header and end */
	struct bits b = {.out = malloc(n / 8 * 9 + n % 8 * 2 + 16)};
	uint32_t *head = malloc(sizeof *head << HBITS), *prev = malloc(sizeof *prev * WSIZE);
	if (!b.out || !head || !prev || n > UINT32_MAX - MAX_MATCH) {
		free(b.out);
		free(head);
		free(prev);
		return NULL;
	}
	memset(head, 0xff, sizeof *head << HBITS);  /* UINT32_MAX: none */
	put(&b, 1, 1);  /* BFINAL */
	put(&b, 1, 2);  /* BTYPE 01: fixed codes */
	for (size_t i = 0; i < n;) {
		unsigned best = 0, dist = 0;
		if (n - i >= MIN_MATCH) {
			uint32_t h = hash3(in + i), c = head[h];
			size_t limit = n - i < MAX_MATCH ? n - i : MAX_MATCH;
			for (int k = 0; k < MAX_CHAIN && c != UINT32_MAX && i - c <= WSIZE - 1; k++) {
				if (in[c + best] == in[i + best]) {
					unsigned len = 0;
					while (len < limit && in[c + len] == in[i + len])
						len++;
					if (len > best) {
						best = len;
						dist = (unsigned)(i - c);
						if (len == limit)
							break;
					}
				}
				uint32_t next = prev[c & WMASK];
				if (next == UINT32_MAX || next >= c)
					break;
				c = next;
			}
		}
		if (best == MIN_MATCH && dist > 4096)
			best = 0;  /* 3 literals cost less; now no match takes more than 9 bits a byte */
		size_t step = best >= MIN_MATCH ? best : 1;
		if (best >= MIN_MATCH)
			put_match(&b, best, dist);
		else
			put_sym(&b, in[i]);
		for (size_t end = i + step; i < end; i++) {  /* every position into the chains */
			if (n - i >= MIN_MATCH) {
				uint32_t h = hash3(in + i);
				prev[i & WMASK] = head[h];
				head[h] = (uint32_t)i;
			}
		}
	}
	put_sym(&b, 256);
	put(&b, 0, 7);  /* to a byte boundary */
	free(head);
	free(prev);
	*out_n = b.n;
	return b.out;
}

/* bytes[0..n) in base64 (RFC 4648, padded), on one line. */
void explore_base64(FILE *out, const unsigned char *bytes, size_t n)
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

/* The page's wasm as explore.js reads it (loadExplorer), in --html's page
 * and in make web's wlab-explore.wasm.js (web/embed_wasm.c): var
 * WLAB_EXPLORE_WASM="BASE64"; of its raw DEFLATE, then var
 * WLAB_EXPLORE_WASM_SIZE=N; its size; without memory to deflate, its bytes
 * in base64 and no size. */
void explore_wasm_js(FILE *out, const unsigned char *wasm, size_t n)
{
	size_t zn = 0;
	unsigned char *z = explore_deflate(wasm, n, &zn);
	fputs("var WLAB_EXPLORE_WASM=\"", out);
	if (z)
		explore_base64(out, z, zn);
	else
		explore_base64(out, wasm, n);
	fputs("\";", out);
	if (z)
		fprintf(out, "var WLAB_EXPLORE_WASM_SIZE=%zu;", n);
	free(z);
}
