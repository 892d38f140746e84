/* script_internal.h: the .wast reader's helpers over the text parser's
 * tokens. Private to libwasm/src/script*.c. */
#ifndef SCRIPT_INTERNAL_H
#define SCRIPT_INTERNAL_H

#include <stdbool.h>

#include "wat/wat_internal.h"
#include "wlab/script.h"

/* A copy of the id token at the cursor ("$M"), advancing; NULL (and no
 * advance) when the next token is no id. *nomem set when a copy failed. */
char *script_id(struct wat *w, bool *nomem);
/* The string token at the cursor, decoded, as a NUL-terminated copy. */
bool script_string(struct wat *w, char **out, size_t *len);

/* A constant `(i32.const 1)`, `(ref.null func)`, `(ref.extern 1)` ... at the
 * cursor; results (result true) also take nan:canonical, nan:arithmetic and
 * the reference patterns (ref.func), (ref.struct) ... */
bool script_value(struct wat *w, struct wlab_script_value *v, bool result);
/* One result of assert_return: a value or (either value...). */
bool script_result(struct wat *w, struct wlab_script_result *r);

#endif
