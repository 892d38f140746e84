/* wlab/demangle.h: C++ (Itanium ABI) and Rust (legacy and v0) symbol names
 * made readable, as binutils' c++filt prints them:
 *     _ZNK3geo4Rect4areaEv             -> geo::Rect::area() const
 *     _ZN3std2io5stdio6_print17h5f..E  -> std::io::stdio::_print::h5f..
 *     _RNvCs15kBYyAo9fc_7mycrate7example -> mycrate[ca63f166dbe9294]::example
 *
 * libwasm's own (it stays libc-only and builds for wasm32; docs/demangle.md
 * says why not __cxa_demangle). It reads a documented subset of the Itanium
 * grammar, the one clang writes for ordinary C++ (nested and local names,
 * templates, substitutions, operators, constructors and destructors,
 * qualifiers, vtables and typeinfo); a name outside it is declined, never
 * guessed: the caller shows the mangled name. Rust v0 (_R) names are read
 * whole but for Punycode identifiers and char/aggregate consts. */
#ifndef WLAB_DEMANGLE_H
#define WLAB_DEMANGLE_H

#include <stdbool.h>
#include <stddef.h>

#include "wlab/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the demangled form of the NUL-terminated name into out (size
 * bytes, NUL-terminated) and returns true; false (out unspecified) when name
 * is not a mangled name this reader understands or out is too small. */
WLAB_API bool wlab_demangle(const char *name, char *out, size_t size);

#ifdef __cplusplus
}
#endif

#endif
