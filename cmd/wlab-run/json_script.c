/* json_script.c: a wast2json script (JSON and its module files) read into
 * the commands of wlab/script.h, so .json and .wast run through one driver. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "wlab.h"
#include "wlab/script.h"

static const struct {
	const char *type;
	uint8_t kind;
} kinds[] = {
#define WLAB_SCRIPT_CMD(cname, keyword, shape) {keyword, WLAB_CMD_##cname},
#include "wlab/scriptcmds.def"
#undef WLAB_SCRIPT_CMD
	{"action", WLAB_CMD_INVOKE},
};

static char *dup_str(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* A float's text: "nan:canonical", "nan:arithmetic" or its bits in decimal. */
static uint64_t float_text(const char *s, uint8_t *nan)
{
	*nan = !strcmp(s, "nan:canonical") ? WLAB_NAN_CANONICAL
	       : !strcmp(s, "nan:arithmetic") ? WLAB_NAN_ARITHMETIC : WLAB_NAN_NONE;
	return *nan ? 0 : strtoull(s, NULL, 10);
}

static void v128_value(const struct jnode *j, struct wlab_script_value *v)
{
	const char *lt = json_str(j, "lane_type");
	const struct jnode *lanes = json_get(j, "value");
	unsigned bits = lt && (lt[0] == 'i' || lt[0] == 'f') ? (unsigned)atoi(lt + 1) : 0;
	if (bits != 8 && bits != 16 && bits != 32 && bits != 64)
		return;
	v->lane_bits = (uint8_t)bits;
	v->lane_float = lt[0] == 'f';
	unsigned i = 0, w = bits / 8;
	uint8_t bytes[16] = {0};
	for (const struct jnode *l = lanes ? lanes->child : NULL; l && i < 16 / w; l = l->next, i++) {
		uint8_t nan = 0;
		uint64_t x = l->str ? float_text(l->str, &nan) : 0;
		if (v->lane_float)
			v->nan[i] = nan;
		for (unsigned b = 0; b < w; b++)
			bytes[i * w + b] = (uint8_t)(x >> (8 * b));
	}
	for (unsigned b = 0; b < 16; b++)
		v->bits[b / 8] |= (uint64_t)bytes[b] << (8 * (b % 8));
}

static void value(const struct jnode *j, struct wlab_script_value *v)
{
	const char *type = json_str(j, "type"), *s = json_str(j, "value");
	uint8_t t = type ? wlab_valtype_by_name(type) : 0;
	memset(v, 0, sizeof *v);
	v->kind = WLAB_VAL_NUM;
	v->type = t;
	if (t == WLAB_V128) {
		v128_value(j, v);
	} else if (t == WLAB_FUNCREF || t == WLAB_EXTERNREF) {
		v->heap = t;
		if (s && !strcmp(s, "null"))
			v->kind = WLAB_VAL_REF_NULL;
		else if (t == WLAB_FUNCREF)
			v->kind = WLAB_VAL_REF;
		else
			v->kind = WLAB_VAL_REF_EXTERN;
		if (s && strcmp(s, "null") && t == WLAB_EXTERNREF) {
			v->has_payload = true;
			v->bits[0] = strtoull(s, NULL, 10);
		}
	} else if (s) {
		v->bits[0] = float_text(s, &v->nan[0]);
	}
}

static struct wlab_script_value *values(const struct jnode *list, uint32_t *n)
{
	uint32_t k = 0;
	for (const struct jnode *a = list ? list->child : NULL; a; a = a->next)
		k++;
	*n = 0;
	struct wlab_script_value *v = calloc(k ? k : 1, sizeof *v);
	if (!v)
		return NULL;
	for (const struct jnode *a = list ? list->child : NULL; a; a = a->next)
		value(a, &v[(*n)++]);
	return v;
}

static struct wlab_script_action *action(const struct jnode *j)
{
	struct wlab_script_action *a = calloc(1, sizeof *a);
	const struct jnode *field = json_get(j, "field");
	if (!a)
		return NULL;
	const char *type = json_str(j, "type");
	a->get = type && !strcmp(type, "get");
	a->module = dup_str(json_str(j, "module"));
	if (field && field->str) {
		a->field = malloc(field->len + 1);
		if (a->field) {
			memcpy(a->field, field->str, field->len + 1);
			a->field_len = field->len;
		}
	}
	a->args = values(json_get(j, "args"), &a->nargs);
	return a;
}

/* The module file a command names: its bytes, or for a text module the
 * text parser's output (or its error) under features. */
static struct wlab_script_module *module(const struct jnode *cmd, const char *dir,
					 uint32_t features)
{
	struct wlab_script_module *m = calloc(1, sizeof *m);
	const char *fn = json_str(cmd, "filename"), *mt = json_str(cmd, "module_type");
	char path[4096];
	uint8_t *bytes = NULL;
	size_t size = 0;
	if (!m)
		return NULL;
	m->name = dup_str(json_str(cmd, "name"));
	m->form = mt && !strcmp(mt, "text") ? WLAB_FORM_QUOTE : WLAB_FORM_BINARY;
	snprintf(path, sizeof path, "%s/%s", dir, fn ? fn : "");
	if (wlab_read_file(path, &bytes, &size, &m->error))
		return m;
	if (m->form == WLAB_FORM_BINARY) {
		m->bytes = bytes;
		m->size = size;
		return m;
	}
	wlab_wat_to_binary_features((const char *)bytes, size, features, &m->bytes, &m->size,
				    &m->error);
	free(bytes);
	return m;
}

/* wast2json's "either": one result, any of the listed values (relaxed SIMD). */
static void either_result(struct wlab_script_cmd *c, const struct jnode *either)
{
	uint32_t n = 0;
	for (const struct jnode *e = either->child; e; e = e->next)
		n++;
	struct wlab_script_result *r = calloc(1, sizeof *r);
	if (!r || !(r->alts = calloc(n ? n : 1, sizeof *r->alts))) {
		free(r);
		return;
	}
	for (const struct jnode *e = either->child; e; e = e->next)
		value(e, &r->alts[r->nalts++]);
	c->results = r;
	c->nresults = 1;
}

/* One JSON command into c; false when it is not counted (a text module
 * in any command but assert_malformed: the JSON path skips those). */
static bool command(const struct jnode *j, const char *dir, uint32_t features,
		    struct wlab_script_cmd *c)
{
	const char *type = json_str(j, "type"), *mt = json_str(j, "module_type");
	const char *line = json_str(j, "line");
	size_t k = 0;
	while (k < sizeof kinds / sizeof kinds[0] && (!type || strcmp(type, kinds[k].type)))
		k++;
	if (k == sizeof kinds / sizeof kinds[0])
		return false;
	if (mt && strcmp(mt, "binary") && strcmp(type, "assert_malformed"))
		return false;
	c->kind = kinds[k].kind;
	c->line = line ? (uint32_t)strtoul(line, NULL, 10) : 0;
	c->text = dup_str(json_str(j, "text"));
	const struct jnode *act = json_get(j, "action");
	if (act) {
		c->action = action(act);
		if (c->action && c->action->get && c->kind == WLAB_CMD_INVOKE)
			c->kind = WLAB_CMD_GET;
	}
	if (c->kind == WLAB_CMD_REGISTER) {
		c->name = dup_str(json_str(j, "name"));
		c->as = dup_str(json_str(j, "as"));
	} else if (json_get(j, "filename")) {
		c->module = module(j, dir, features);
	}
	const struct jnode *exp = json_get(j, "expected");
	if (c->kind == WLAB_CMD_ASSERT_RETURN && exp) {
		uint32_t n = 0;
		for (const struct jnode *e = exp->child; e; e = e->next)
			n++;
		c->results = calloc(n ? n : 1, sizeof *c->results);
		for (const struct jnode *e = exp->child; e && c->results; e = e->next) {
			struct wlab_script_result *r = &c->results[c->nresults++];
			r->alts = calloc(1, sizeof *r->alts);
			if (r->alts) {
				value(e, r->alts);
				r->nalts = 1;
			}
		}
	}
	const struct jnode *either = json_get(j, "either");
	if (c->kind == WLAB_CMD_ASSERT_RETURN && either && !exp)
		either_result(c, either);
	return true;
}

struct wlab_script *json_script(const char *file, const char *text, size_t len,
				uint32_t features, int *skipped)
{
	struct jnode *root = json_parse(text, len);
	struct wlab_script *s = calloc(1, sizeof *s);
	char *dir = strdup(file), *slash = dir ? strrchr(dir, '/') : NULL;
	const struct jnode *cmds = json_get(root, "commands");
	size_t n = 0;
	if (slash)
		*slash = 0;
	for (const struct jnode *c = cmds ? cmds->child : NULL; c; c = c->next)
		n++;
	if (!root || !s || !dir || !cmds || !(s->cmds = calloc(n ? n : 1, sizeof *s->cmds))) {
		wlab_script_free(s);
		s = NULL;
		goto done;
	}
	for (const struct jnode *c = cmds->child; c; c = c->next) {
		const char *type = json_str(c, "type");
		if (command(c, slash ? dir : ".", features, &s->cmds[s->ncmds]))
			s->ncmds++;
		else if (type && strcmp(type, "register"))
			++*skipped;
	}
done:
	free(dir);
	json_free(root);
	return s;
}
