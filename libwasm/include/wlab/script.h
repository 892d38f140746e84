/* wlab/script.h: spec test scripts (.wast) read into a list of commands.
 *
 * A script is a sequence of commands (wlab/scriptcmds.def): modules (text,
 * `binary`, `quote`, `definition`, `instance`), `register`, actions
 * (`invoke`, `get`), assertions, and the threads proposal's `thread` (its
 * own commands, run concurrently) and `wait`. Text and quoted modules are compiled
 * with the text parser (wlab/wat.h) while the script is read; a module that
 * does not parse keeps its error, so it fails only its own command. A
 * command that is not well-formed (an unknown keyword, a bad number) is
 * kept as WLAB_CMD_BAD with the reason; only an error in the script's
 * structure (an unclosed form or string) fails the whole read.
 *
 * Ownership: wlab_script_read returns one allocation tree; free it with
 * wlab_script_free. Names keep their '$' ("$M"); strings (fields, register
 * names) are decoded bytes, NUL-terminated, with their length. */
#ifndef WLAB_SCRIPT_H
#define WLAB_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wlab/status.h"
#include "wlab/types.h"
#include "wlab/api.h"

#ifdef __cplusplus
extern "C" {
#endif

enum wlab_cmd_kind {
#define WLAB_SCRIPT_CMD(cname, keyword, shape) WLAB_CMD_##cname,
#include "wlab/scriptcmds.def"
#undef WLAB_SCRIPT_CMD
	WLAB_CMD_INSTANCE,  /* (module instance $I? $M): name = $I, of = $M */
	WLAB_CMD_BAD,       /* not a well-formed command: text holds why, with line:column */
};

/* "module", "assert_return" ...; "module instance", "bad command". */
WLAB_API const char *wlab_cmd_name(enum wlab_cmd_kind k);

enum wlab_module_form { WLAB_FORM_TEXT, WLAB_FORM_BINARY, WLAB_FORM_QUOTE };

struct wlab_script_module {
	uint8_t form;            /* enum wlab_module_form */
	bool definition;         /* (module definition ...): not instantiated */
	char *name;              /* "$M" or NULL */
	uint8_t *bytes;          /* the binary module, or NULL when it did not parse */
	size_t size;
	struct wlab_error error; /* why not: WLAB_MALFORMED, "LINE:COL: message" (script lines) */
	size_t off, len;         /* the (module ...) form in the script's text */
};

/* The kinds of a value in a script: a constant (argument or result) or a
 * result pattern. */
enum wlab_value_kind {
	WLAB_VAL_NUM,         /* type i32 i64 f32 f64 v128: bits (and nan patterns) */
	WLAB_VAL_REF_NULL,    /* (ref.null ht): heap; a bare (ref.null) has heap 0: any null */
	WLAB_VAL_REF_EXTERN,  /* (ref.extern N): host reference N; without N any non-null one */
	WLAB_VAL_REF_HOST,    /* (ref.host N) */
	WLAB_VAL_REF,         /* (ref.func), (ref.struct), (ref.array), (ref.i31), (ref.eq),
			       * (ref.any), (ref.exn): a non-null reference of heap type heap */
};

enum wlab_nan { WLAB_NAN_NONE, WLAB_NAN_CANONICAL, WLAB_NAN_ARITHMETIC };

struct wlab_script_value {
	uint8_t kind;            /* enum wlab_value_kind */
	wlab_valtype_t type;     /* NUM: the number or vector type */
	uint8_t lane_bits;       /* v128: 8, 16, 32 or 64 */
	bool lane_float;         /* v128: f32x4 or f64x2 */
	uint8_t nan[4];          /* enum wlab_nan: f32/f64 in nan[0], float lanes in order */
	bool has_payload;        /* REF_EXTERN, REF_HOST: N given */
	wlab_heaptype_t heap;    /* REF_NULL, REF */
	uint64_t bits[2];        /* NUM: the value (v128: low half first); REF_*: N */
};

/* One result of assert_return: one value, or the alternatives of (either ...). */
struct wlab_script_result {
	uint32_t nalts;
	struct wlab_script_value *alts;
};

struct wlab_script_action {
	bool get;                /* (get ...), else (invoke ...) */
	char *module;            /* "$M" or NULL: the current module */
	char *field;             /* the export's name (NUL-terminated copy) */
	size_t field_len;
	struct wlab_script_value *args;
	uint32_t nargs;
};

struct wlab_script_cmd {
	uint8_t kind;                        /* enum wlab_cmd_kind */
	uint32_t line;                       /* of the command's opening parenthesis */
	struct wlab_script_module *module;   /* MODULE, module assertions, assert_trap on a module */
	struct wlab_script_action *action;   /* INVOKE, GET, action assertions */
	char *name;                          /* REGISTER: the module's name or NULL; INSTANCE: $I;
						THREAD, WAIT: the thread's $T */
	char *as;                            /* REGISTER: the name registered */
	char *of;                            /* INSTANCE: the definition's name */
	char *text;                          /* assertions: the message; BAD: the reason */
	struct wlab_script_result *results;  /* ASSERT_RETURN */
	uint32_t nresults;
	struct wlab_script *thread;          /* THREAD: its commands */
	char **shared;                       /* THREAD: the modules of (shared (module $M)) */
	uint32_t nshared;
};

struct wlab_script {
	struct wlab_script_cmd *cmds;
	size_t ncmds;
};

/* Reads text[0..len) into *out. WLAB_MALFORMED (err's message
 * "LINE:COL: ...", offset in the text) when the script's structure is
 * broken; WLAB_NOMEM. */
WLAB_API enum wlab_status wlab_script_read(const char *text, size_t len, struct wlab_script **out,
					   struct wlab_error *err);
/* The same, its modules compiled with the text forms of features only
 * (wlab/features.h; 0 = the default set), as wlab_wat_to_binary_features. */
WLAB_API enum wlab_status wlab_script_read_features(const char *text, size_t len, uint32_t features,
						    struct wlab_script **out, struct wlab_error *err);
WLAB_API void wlab_script_free(struct wlab_script *s);

#ifdef __cplusplus
}
#endif

#endif
