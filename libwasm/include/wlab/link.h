/* wlab/link.h: the import-linker. Fuses modules that import from each other
 * into one module (docs/wlab-link.md has the rules).
 *
 * Each input has a name. An import (M, F) of any input, where M names an
 * input and F is one of its exports, is resolved: the importer uses the
 * exporter's function, table, memory, global or tag directly. Re-exported
 * imports are followed to what finally defines them. Imports that no input provides
 * stay imports of the output (identical ones are merged), unless a stub was
 * asked for. Index spaces are renumbered everywhere, identical function
 * types are merged, and start functions run in input order.
 *
 * The inputs should be valid (wlab_module_validate() with the same features):
 * the linker checks the indices it maps and fails with WLAB_INVALID rather
 * than read out of range, but it does not type bodies.
 *
 * Ownership: wlab_link() borrows the input modules (and the bytes they
 * borrow) only while it runs. The result owns the output module, whose
 * m->bytes is a buffer of the result's own that every span points into,
 * and whose names are copies; wlab_link_result_free() releases all of it. */
#ifndef WLAB_LINK_H
#define WLAB_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wlab/module.h"
#include "wlab/status.h"
#include "wlab/api.h"

#ifdef __cplusplus
extern "C" {
#endif

struct wlab_link_input {
	const char *name;                /* the module name imports refer to */
	const char *path;                /* for messages (may be NULL) */
	const struct wlab_module *module;
};

enum wlab_link_flags {
	/* Export names that clash get renamed ("NAME.field" for every input
	 * after the first that exports it) instead of failing. */
	WLAB_LINK_RENAME_CONFLICTS = 1u << 0,
	/* Allow more than one memory in the output even when opts.features
	 * lacks WLAB_FEATURE_MULTI_MEMORY (with it, the 3.0 default, always). */
	WLAB_LINK_MULTI_MEMORY = 1u << 1,
};

enum wlab_link_stub_kind {
	WLAB_LINK_STUB_TRAP,   /* the function traps (unreachable) */
	WLAB_LINK_STUB_ZERO,   /* returns zeros / null references; a zero global */
	WLAB_LINK_STUB_CONST,  /* returns (or holds) one constant of valtype */
};

/* --stub MOD.FIELD=trap|zero|const:TYPE:VALUE */
struct wlab_link_stub {
	const char *module, *field;
	enum wlab_link_stub_kind kind;
	wlab_valtype_t valtype;   /* STUB_CONST: the value's type (WLAB_I32...) */
	uint64_t bits;     /* STUB_CONST: the value (float bits for f32/f64) */
};

struct wlab_link_options {
	unsigned flags;    /* enum wlab_link_flags */
	const struct wlab_link_stub *stubs;
	uint32_t nstubs;
	uint32_t features; /* to walk bodies; 0 = WebAssembly 2.0 */
};

enum wlab_link_how {
	WLAB_LINK_FUSED,    /* an input's export satisfies it */
	WLAB_LINK_STUBBED,  /* a stub function or global is baked in */
	WLAB_LINK_KEPT,     /* stays an import of the output */
	WLAB_LINK_ERROR,    /* cannot be linked: see message */
};

/* One row of the plan: one import of one input and what satisfies it. */
struct wlab_link_plan_entry {
	uint32_t input;       /* which input imports */
	uint32_t import;      /* index into that input's imports */
	enum wlab_link_how how;
	uint32_t provider;    /* FUSED: the input whose export is used */
	uint32_t def_input;   /* FUSED: the input that finally defines it (after
				 re-exports); == provider unless re-exported */
	uint32_t def_index;   /* FUSED: index in def_input's space of the kind */
	uint32_t out_index;   /* index in the output's space of the kind */
	uint32_t stub;        /* STUBBED: index into the options' stubs */
	char import_type[96];   /* "(func (param i32) (result i32))" */
	char provider_type[96]; /* FUSED: the export's type */
	char message[320];      /* ERROR: what is wrong */
};

struct wlab_link_result {
	struct wlab_module *module;   /* the output, or NULL on failure */
	uint8_t *bytes;               /* module->bytes (owned) */
	size_t size;
	uint32_t nplan;
	struct wlab_link_plan_entry *plan;  /* every import of every input */
	uint32_t nwarnings;
	char **warnings;              /* dropped custom sections... */
};

/* The long form of an error: both sides and both types. err.message holds
 * the short form in the spec's words ("unknown import", "incompatible import
 * type", "import cycle", "duplicate export name"...). */
struct wlab_link_error {
	struct wlab_error error;
	uint32_t input;        /* the input at fault, or UINT32_MAX */
	char detail[512];
};

/* Resolves every import and fills result->plan; does not build a module.
 * Returns WLAB_UNLINKABLE when some row is WLAB_LINK_ERROR (err names the
 * first). result must be zeroed; free it with wlab_link_result_free(). */
WLAB_API enum wlab_status wlab_link_plan(const struct wlab_link_input *inputs, uint32_t ninputs,
					 const struct wlab_link_options *opts,
					 struct wlab_link_result *result, struct wlab_link_error *err);

/* Plans and builds the output module into result->module. */
WLAB_API enum wlab_status wlab_link(const struct wlab_link_input *inputs, uint32_t ninputs,
				    const struct wlab_link_options *opts,
				    struct wlab_link_result *result, struct wlab_link_error *err);

WLAB_API void wlab_link_result_free(struct wlab_link_result *result);

/* Writes an import's type in the text format's words: "(func (param i32))",
 * "(global (mut i32))", "(memory 1 2)", "(table 1 funcref)". Returns buf. */
WLAB_API char *wlab_link_import_type(const struct wlab_module *m, const struct wlab_import *imp,
				     char *buf, size_t size);
/* The same for an export's entity, as the exporting module sees it. */
WLAB_API char *wlab_link_export_type(const struct wlab_module *m, const struct wlab_export *ex,
				     char *buf, size_t size);

/* Parses "MOD.FIELD=trap|zero|const:TYPE:VALUE" (MOD is up to the first '.').
 * The strings of *out point into spec, which must outlive it. Returns false
 * with a message in err_buf on a bad form. */
WLAB_API bool wlab_link_parse_stub(char *spec, struct wlab_link_stub *out, char *err_buf,
				   size_t err_size);

#ifdef __cplusplus
}
#endif

#endif
