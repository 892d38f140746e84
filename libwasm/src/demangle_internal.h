/* demangle_internal.h: what demangle.c and demangle_rust.c share. */
#ifndef WLAB_DEMANGLE_INTERNAL_H
#define WLAB_DEMANGLE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

/* A Rust v0 name ("_R...") demangled into buf (size bytes, NUL-terminated);
 * false when it is not one this reader understands or buf is too small. */
bool wlab_demangle_rust_v0(const char *mangled, char *buf, size_t size);

#endif
