/* wat_chars.h: the characters of the text format that both its parser
 * (wat_lex.c) and its printer (wat_print_names.c) need. */
#ifndef WAT_CHARS_H
#define WAT_CHARS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* The spec's idchar, the bytes an identifier may hold after its '$':
 * printable ASCII but space, '"', '(', ')', ',', ';', '[', ']', '{', '}'. */
static inline bool wat_idchar(uint8_t c)
{
	return c > ' ' && c < 0x7f && !strchr("\"(),;[]{}", c);
}

#endif
