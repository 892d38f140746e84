/* run.h: wlab-run's parts: the JSON reader and the spec test driver. */
#ifndef WLAB_RUN_H
#define WLAB_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "wlab/module.h"
#include "wlab/runtime.h"

enum jkind { J_OBJECT, J_ARRAY, J_STRING, J_ATOM };

/* A JSON value; an object's or array's members are the child list. */
struct jnode {
	enum jkind kind;
	char *key;     /* as an object member */
	char *str;     /* strings and atoms (numbers, true, null) */
	size_t len;    /* of str, which may hold NUL bytes */
	struct jnode *child, *next;
};

struct jnode *json_parse(const char *text, size_t len);
void json_free(struct jnode *n);
const struct jnode *json_get(const struct jnode *obj, const char *key);
const char *json_str(const struct jnode *obj, const char *key);

/* Runs the wast2json files; prints FILE: passed/total each, and a total.
 * Returns the number of failed commands. */
int spectest_run(char **files, int nfiles, uint64_t max_memory, int verbose);

/* Instantiates m with a printing dummy for every function import and calls
 * every export that takes no params, printing like wasm-interp's
 * --run-all-exports --dummy-import-func. */
int run_all_exports(const struct wlab_module *m, struct wlab_store *s);

/* Prints a value as TYPE:VALUE (i32:42). */
void print_value(uint8_t type, uint64_t v);

#endif
