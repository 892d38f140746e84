/* script.c: wlab_script_read: a .wast script into commands
 * (wlab/scriptcmds.def); modules compiled by the text parser; a command
 * that is not well-formed becomes WLAB_CMD_BAD with its reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script_internal.h"
#include "wlab/features.h"

enum shape {
	SHAPE_MODULE, SHAPE_REGISTER, SHAPE_ACTION, SHAPE_RETURN, SHAPE_ACTION_MSG,
	SHAPE_EXCEPTION, SHAPE_TRAP, SHAPE_MODULE_MSG, SHAPE_THREAD, SHAPE_WAIT
};

static const struct {
	const char *keyword;
	uint8_t shape;
} commands[] = {
#define WLAB_SCRIPT_CMD(cname, keyword, shape) {keyword, SHAPE_##shape},
#include "wlab/scriptcmds.def"
#undef WLAB_SCRIPT_CMD
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

/* The fields a script of bare module fields starts with (one module). */
static const char *const fields[] = {"type", "import", "func", "table", "memory", "global",
				     "export", "start", "elem", "data", "tag", "rec"};

const char *wlab_cmd_name(enum wlab_cmd_kind k)
{
	if ((unsigned)k < NCOMMANDS)
		return commands[k].keyword;
	return k == WLAB_CMD_INSTANCE ? "module instance" : "bad command";
}

char *script_id(struct wat *w, bool *nomem)
{
	const struct wat_tok *t = wat_peek(w, 0);
	if (t->kind != WAT_ID)
		return NULL;
	uint32_t len;
	const char *id = wat_id_bytes(w, t, &len);  /* $"M" is $M */
	char *s = malloc((size_t)len + 2);
	if (!s) {
		*nomem = true;
		wat_oom(w);
		return NULL;
	}
	s[0] = '$';
	memcpy(s + 1, id, len);
	s[len + 1] = 0;
	w->pos++;
	return s;
}

bool script_string(struct wat *w, char **out, size_t *len)
{
	const struct wat_tok *t = wat_peek(w, 0);
	if (t->kind != WAT_STRING)
		return wat_fail_tok(w, "a string");
	wlab_buf_reset(&w->scratch);
	if (!wat_string(w, t, &w->scratch))
		return false;
	wlab_buf_u8(&w->scratch, 0);
	if (!wlab_buf_ok(&w->scratch))
		return wat_oom(w);
	*out = malloc(w->scratch.size);
	if (!*out)
		return wat_oom(w);
	memcpy(*out, w->scratch.data, w->scratch.size);
	if (len)
		*len = w->scratch.size - 1;
	w->pos++;
	return true;
}

/* A "LINE:COL: message" at offset of the script, into err (replacing). */
static void located(struct wat *w, struct wlab_error *err, size_t offset, const char *msg)
{
	size_t line, col;
	char buf[WLAB_MESSAGE_MAX];
	wat_locate(w, offset, &line, &col);
	snprintf(buf, sizeof buf, "%zu:%zu: %.120s", line, col, msg);
	err->offset = offset;
	memcpy(err->message, buf, sizeof buf);
}

/* Compiles the module form at [off, off + len) of the script. */
static bool compile(struct wat *w, struct wlab_script_module *m)
{
	enum wlab_status st = wat_compile(w->text + m->off, m->len, w->features, &m->bytes,
					  &m->size, &m->error);
	if (st == WLAB_NOMEM)
		return wat_oom(w);
	if (st) {
		char msg[WLAB_MESSAGE_MAX];
		memcpy(msg, m->error.message, sizeof msg);
		located(w, &m->error, m->off + m->error.offset, msg);
	}
	return true;
}

/* (module definition? $id? ...) or (module instance $I? $M?) at the cursor. */
static bool module(struct wat *w, struct wlab_script_cmd *c, struct wlab_script_module **out)
{
	const struct wat_tok *lp = wat_peek(w, 0);
	size_t end = lp->match;
	bool nomem = false;
	if (!wat_expect_lpar_kw(w, "module"))
		return false;
	if (c && wat_at_kw(w, "instance")) {
		w->pos++;
		c->kind = WLAB_CMD_INSTANCE;
		c->name = script_id(w, &nomem);
		c->of = script_id(w, &nomem);
		if (c->name && !c->of)
			c->of = c->name, c->name = NULL;
		return !nomem && wat_expect_rpar(w);
	}
	struct wlab_script_module *m = calloc(1, sizeof *m);
	if (!m)
		return wat_oom(w);
	*out = m;
	if (wat_at_kw(w, "definition"))
		m->definition = true, w->pos++;
	m->name = script_id(w, &nomem);
	if (nomem)
		return false;
	m->form = wat_at_kw(w, "binary") ? WLAB_FORM_BINARY
		  : wat_at_kw(w, "quote") ? WLAB_FORM_QUOTE : WLAB_FORM_TEXT;
	m->off = lp->off;
	m->len = w->toks[end].off + 1 - lp->off;
	w->pos = end + 1;
	return compile(w, m);
}

/* (invoke $M? "name" const*) or (get $M? "name") at the cursor. */
static bool action(struct wat *w, struct wlab_script_action **out)
{
	bool get = wat_at_lpar_kw(w, "get"), nomem = false;
	if (!get && !wat_at_lpar_kw(w, "invoke")) {
		if (wat_peek(w, 0)->kind == WAT_LPAR)
			w->pos++;
		return wat_fail_tok(w, "an action (invoke or get)");
	}
	const struct wat_tok *lp = wat_peek(w, 0);
	struct wlab_script_action *a = calloc(1, sizeof *a);
	if (!a)
		return wat_oom(w);
	*out = a;
	a->get = get;
	w->pos += 2;
	a->module = script_id(w, &nomem);
	if (nomem || !script_string(w, &a->field, &a->field_len))
		return false;
	size_t n = 0;
	for (size_t i = w->pos; i < lp->match && w->toks[i].kind == WAT_LPAR; i = w->toks[i].match + 1)
		n++;
	if (n) {
		a->args = calloc(n, sizeof *a->args);
		if (!a->args)
			return wat_oom(w);
	}
	while (wat_peek(w, 0)->kind == WAT_LPAR && a->nargs < n)
		if (!script_value(w, &a->args[a->nargs++], false))
			return false;
	return wat_expect_rpar(w);
}

static bool results(struct wat *w, struct wlab_script_cmd *c, size_t end)
{
	size_t n = 0;
	for (size_t i = w->pos; i < end && w->toks[i].kind == WAT_LPAR; i = w->toks[i].match + 1)
		n++;
	if (n) {
		c->results = calloc(n, sizeof *c->results);
		if (!c->results)
			return wat_oom(w);
	}
	while (wat_peek(w, 0)->kind == WAT_LPAR && c->nresults < n)
		if (!script_result(w, &c->results[c->nresults++]))
			return false;
	return true;
}

static bool cmd_list(struct wat *w, struct wlab_script *s, size_t end,
		     struct wlab_error *err);

/* (shared (module $M))* at the cursor, up to end, into c->shared. */
static bool shared(struct wat *w, struct wlab_script_cmd *c, size_t end)
{
	bool nomem = false;
	uint32_t n = 0;
	for (size_t i = w->pos; i < end && w->toks[i].kind == WAT_LPAR &&
	     wat_tok_is(w, &w->toks[i + 1], "shared"); i = w->toks[i].match + 1)
		n++;
	if (n && !(c->shared = calloc(n, sizeof *c->shared)))
		return wat_oom(w);
	while (c->nshared < n) {
		w->pos += 2;
		if (!wat_expect_lpar_kw(w, "module"))
			return false;
		if (!(c->shared[c->nshared] = script_id(w, &nomem)))
			return !nomem && wat_fail_tok(w, "a module name");
		c->nshared++;
		if (!wat_expect_rpar(w) || !wat_expect_rpar(w))
			return false;
	}
	return true;
}

/* (thread $T (shared (module $M))* command*) after the keyword, up to end:
 * the commands into c->thread, each kept like the script's own (a command
 * that is not well-formed becomes a BAD one of the thread). */
static bool thread(struct wat *w, struct wlab_script_cmd *c, size_t end)
{
	bool nomem = false;
	if (!(c->name = script_id(w, &nomem)))
		return !nomem && wat_fail_tok(w, "a thread name");
	if (!shared(w, c, end))
		return false;
	if (!(c->thread = calloc(1, sizeof *c->thread)))
		return wat_oom(w);
	return cmd_list(w, c->thread, end, w->err);
}

/* What follows the keyword of command c, up to its closing parenthesis. */
static bool body(struct wat *w, struct wlab_script_cmd *c, size_t end)
{
	bool nomem = false;
	switch (commands[c->kind].shape) {
	case SHAPE_REGISTER:
		if (!script_string(w, &c->as, NULL))
			return false;
		c->name = script_id(w, &nomem);
		return !nomem;
	case SHAPE_ACTION:
		return true;  /* handled by the caller */
	case SHAPE_RETURN:
		return action(w, &c->action) && results(w, c, end);
	case SHAPE_ACTION_MSG:
		return action(w, &c->action) && script_string(w, &c->text, NULL);
	case SHAPE_EXCEPTION:
		return action(w, &c->action);
	case SHAPE_TRAP:
		if (wat_at_lpar_kw(w, "module")) {
			if (!module(w, NULL, &c->module))
				return false;
		} else if (!action(w, &c->action)) {
			return false;
		}
		return script_string(w, &c->text, NULL);
	case SHAPE_MODULE_MSG:
		return module(w, NULL, &c->module) && script_string(w, &c->text, NULL);
	case SHAPE_THREAD:
		return thread(w, c, end);
	case SHAPE_WAIT:
		if (!(c->name = script_id(w, &nomem)))
			return !nomem && wat_fail_tok(w, "a thread name");
		return true;
	}
	return false;
}

/* One command at the cursor (a parenthesis); the cursor ends after it. */
static bool command(struct wat *w, struct wlab_script_cmd *c)
{
	const struct wat_tok *lp = wat_peek(w, 0), *kw = wat_peek(w, 1);
	size_t end = lp->match;
	size_t k = 0;
	while (k < NCOMMANDS && !wat_tok_is(w, kw, commands[k].keyword))
		k++;
	if (k == NCOMMANDS) {
		w->pos++;
		return wat_fail_tok(w, "a command");
	}
	c->kind = (uint8_t)k;
	switch (commands[k].shape) {
	case SHAPE_MODULE:
		return module(w, c, &c->module);
	case SHAPE_ACTION:
		return action(w, &c->action);
	default:
		w->pos += 2;
		return body(w, c, end) && wat_expect_rpar(w);
	}
}

static void free_value_list(struct wlab_script_value *v)
{
	free(v);
}

static void free_module(struct wlab_script_module *m)
{
	if (!m)
		return;
	free(m->name);
	free(m->bytes);
	free(m);
}

static void free_cmd(struct wlab_script_cmd *c);

void wlab_script_free(struct wlab_script *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->ncmds; i++)
		free_cmd(&s->cmds[i]);
	free(s->cmds);
	free(s);
}

static void free_cmd(struct wlab_script_cmd *c)
{
	free_module(c->module);
	if (c->action) {
		free(c->action->module);
		free(c->action->field);
		free_value_list(c->action->args);
		free(c->action);
	}
	for (uint32_t i = 0; i < c->nresults; i++)
		free_value_list(c->results[i].alts);
	free(c->results);
	free(c->name);
	free(c->as);
	free(c->of);
	free(c->text);
	wlab_script_free(c->thread);
	for (uint32_t i = 0; i < c->nshared; i++)
		free(c->shared[i]);
	free(c->shared);
}

/* Turns c into a BAD command holding err's message. */
static bool bad(struct wat *w, struct wlab_script_cmd *c, const struct wlab_error *err)
{
	free_cmd(c);
	memset(c, 0, sizeof *c);
	c->kind = WLAB_CMD_BAD;
	struct wlab_error e = *err;
	located(w, &e, err->offset, err->message);
	c->text = strdup(e.message);
	return c->text != NULL;
}

static bool bare_fields(const struct wat *w)
{
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (wat_at_lpar_kw(w, fields[i]))
			return true;
	return false;
}

/* The commands of the lexed script into s. */
static bool commands_read(struct wat *w, struct wlab_script *s, struct wlab_error *err)
{
	if (wat_peek(w, 0)->kind != WAT_EOF && w->toks[w->pos].kind != WAT_LPAR)
		return wat_fail_tok(w, "a command");
	if (w->toks[w->pos].kind == WAT_LPAR && bare_fields(w)) {  /* one module of all the text */
		if (!(s->cmds = calloc(1, sizeof *s->cmds)))
			return wat_oom(w);
		struct wlab_script_cmd *c = &s->cmds[s->ncmds++];
		c->kind = WLAB_CMD_MODULE;
		c->line = 1;
		c->module = calloc(1, sizeof *c->module);
		if (!c->module)
			return wat_oom(w);
		c->module->len = w->len;
		return compile(w, c->module);
	}
	return cmd_list(w, s, w->ntoks, err);
}

/* The commands at the cursor, up to token end, into s (allocated here);
 * err is where errors go once a command is read. */
static bool cmd_list(struct wat *w, struct wlab_script *s, size_t end, struct wlab_error *err)
{
	size_t n = 0;
	for (size_t i = w->pos; i < end && w->toks[i].kind == WAT_LPAR; i = w->toks[i].match + 1)
		n++;
	if (!(s->cmds = calloc(n ? n : 1, sizeof *s->cmds)))
		return wat_oom(w);
	while (w->pos < end && wat_peek(w, 0)->kind == WAT_LPAR) {
		struct wlab_script_cmd *c = &s->cmds[s->ncmds++];
		struct wlab_error cerr = {0};
		size_t cend = wat_peek(w, 0)->match, line, col;
		wat_locate(w, wat_peek(w, 0)->off, &line, &col);
		w->err = &cerr;
		bool ok = command(w, c);
		w->err = err;
		if (w->nomem)
			return wat_oom(w);
		if (!ok && !bad(w, c, &cerr))
			return wat_oom(w);
		c->line = (uint32_t)line;  /* after bad(), which clears c */
		w->pos = cend + 1;
	}
	if (w->pos < end && wat_peek(w, 0)->kind != WAT_EOF)
		return wat_fail_tok(w, "a command");
	return true;
}

enum wlab_status wlab_script_read(const char *text, size_t len, struct wlab_script **out,
				  struct wlab_error *err)
{
	return wlab_script_read_features(text, len, 0, out, err);
}

enum wlab_status wlab_script_read_features(const char *text, size_t len, uint32_t features,
					   struct wlab_script **out, struct wlab_error *err)
{
	struct wlab_error local = {0};
	struct wat w = {.text = text ? text : "", .len = text ? len : 0, .script = true,
			.features = features ? features : wlab_features_default()};
	struct wlab_script *s = calloc(1, sizeof *s);
	if (!err)
		err = &local;
	w.err = err;
	*out = NULL;
	bool ok = s && wat_lex(&w) && commands_read(&w, s, err);
	if (!s)
		wat_oom(&w);
	free(w.toks);
	wlab_buf_free(&w.scratch);
	wlab_buf_free(&w.ids);
	if (ok) {
		*out = s;
		return WLAB_OK;
	}
	wlab_script_free(s);
	if (!err->status)
		wlab_error_set(err, WLAB_MALFORMED, 0, "malformed script");
	if (err->status == WLAB_MALFORMED) {
		char msg[WLAB_MESSAGE_MAX];
		memcpy(msg, err->message, sizeof msg);
		located(&w, err, err->offset, msg);
	}
	return err->status;
}
