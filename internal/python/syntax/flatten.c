#include "flatten.h"
#include "arena.h"
#include "tslayout.h"
#include <string.h>
#include <time.h>

extern const TSLanguage *tree_sitter_python(void);
extern TSParser *ts_parser_new(void);
extern void ts_parser_delete(TSParser *);
extern bool ts_parser_set_language(TSParser *, const TSLanguage *);
extern TSTree *ts_parser_parse_with_options(TSParser *, const TSTree *, TSInput, TSParseOptions);
extern TSNode ts_tree_root_node(const TSTree *);
extern TSTreeCursor ts_tree_cursor_new(TSNode);
extern void ts_tree_cursor_delete(TSTreeCursor *);
extern bool ts_tree_cursor_goto_first_child(TSTreeCursor *);
extern bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *);
extern bool ts_tree_cursor_goto_parent(TSTreeCursor *);
extern TSNode ts_tree_cursor_current_node(const TSTreeCursor *);
extern uint16_t ts_tree_cursor_current_field_id(const TSTreeCursor *);
extern uint16_t ts_node_symbol(TSNode);
extern bool ts_node_is_named(TSNode);
extern bool ts_node_has_error(TSNode);
extern uint32_t ts_node_start_byte(TSNode);
extern uint32_t ts_node_end_byte(TSNode);
extern TSPoint ts_node_start_point(TSNode);

typedef struct { const char *src; uint32_t len; struct timespec deadline; } input_state;

static const char *read_input(void *payload, uint32_t byte_index, TSPoint pos, uint32_t *bytes_read) {
	input_state *s = payload;
	if (byte_index >= s->len) { *bytes_read = 0; return ""; }
	*bytes_read = s->len - byte_index;
	return s->src + byte_index;
}

static bool past_deadline(TSParseState *st) {
	input_state *s = st->payload;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > s->deadline.tv_sec || (now.tv_sec == s->deadline.tv_sec && now.tv_nsec > s->deadline.tv_nsec);
}

extern TSTree *ts_tree_copy(const TSTree *);
extern void ts_tree_delete(TSTree *);
extern void ts_tree_edit(TSTree *, const TSInputEdit *);

static TSTree *run_parse(const char *src, uint32_t len, uint64_t timeout_us, const TSTree *old);
static int64_t flatten(TSTree *tree, uint32_t len, sg_node **out, int *has_error);
int64_t sg_flatten_cursor(TSTree *tree, uint32_t len, sg_node **out);

int64_t sg_parse(const char *src, uint32_t len, uint64_t timeout_us, sg_node **out, int *has_error) {
	// Everything tree-sitter allocates lives in this thread's arena and
	// is dropped at once; the tree is never freed node by node.
	*out = NULL;
	sg_arena_begin();
	TSTree *tree = run_parse(src, len, timeout_us, NULL);
	int64_t n = tree ? flatten(tree, len, out, has_error) : 0;
	sg_arena_end();
	return n;
}

TSTree *sg_parse_keep(const char *src, uint32_t len, uint64_t timeout_us, sg_node **out, int *has_error, int64_t *n) {
	// Outside the arena: the tree is plain malloc memory that outlives the
	// parse, to be reparsed incrementally and freed by sg_tree_delete.
	*out = NULL;
	*n = 0;
	TSTree *tree = run_parse(src, len, timeout_us, NULL);
	if (!tree) return NULL;
	*n = flatten(tree, len, out, has_error);
	if (*n <= 0) { ts_tree_delete(tree); return NULL; }
	return tree;
}

int64_t sg_parse_edit(const TSTree *base, const TSInputEdit *edit, const char *src, uint32_t len, uint64_t timeout_us, sg_node **out, int *has_error) {
	// The copy, the edited path and every new node live in the arena; the
	// base tree's unchanged subtrees are shared. Deleting the new trees
	// before the arena goes gives the base its references back.
	*out = NULL;
	sg_arena_begin();
	TSTree *old = ts_tree_copy(base);
	ts_tree_edit(old, edit);
	TSTree *tree = run_parse(src, len, timeout_us, old);
	int64_t n = tree ? flatten(tree, len, out, has_error) : 0;
	if (tree) ts_tree_delete(tree);
	ts_tree_delete(old);
	sg_arena_end();
	return n;
}

void sg_tree_delete(TSTree *tree) { ts_tree_delete(tree); }

void sg_free(sg_node *nodes) { free(nodes); }

static TSTree *run_parse(const char *src, uint32_t len, uint64_t timeout_us, const TSTree *old) {
	input_state st = {src, len};
	clock_gettime(CLOCK_MONOTONIC, &st.deadline);
	st.deadline.tv_sec += timeout_us / 1000000;
	st.deadline.tv_nsec += (timeout_us % 1000000) * 1000;
	if (st.deadline.tv_nsec >= 1000000000) { st.deadline.tv_sec++; st.deadline.tv_nsec -= 1000000000; }
	TSInput in = {&st, read_input, TSInputEncodingUTF8, NULL};
	TSParseOptions opts = {&st, past_deadline};
	TSParser *p = ts_parser_new();
	ts_parser_set_language(p, tree_sitter_python());
	TSTree *tree = ts_parser_parse_with_options(p, old, in, opts);
	// Deleting the parser runs the grammar's external scanner destructor,
	// which frees with plain free.
	ts_parser_delete(p);
	return tree;
}

// sg_fast_walk is set once the check run for the first Parser has found
// sg_walk to flatten exactly as flatten_cursor does.
static bool sg_fast_walk;

static int64_t flatten(TSTree *tree, uint32_t len, sg_node **out, int *has_error) {
	*has_error = ts_node_has_error(ts_tree_root_node(tree));
	return sg_fast_walk ? sg_walk(tree, len, out) : sg_flatten_cursor(tree, len, out);
}

int sg_walk_check(const char *src, uint32_t len, int enable) {
	// The direct walk reads the grammar's tables as language ABI 15 lays
	// them out, and subtrees as a 64-bit little-endian build does; with
	// anything else it is never run.
	if (!SG_WALK_LAYOUT || ((const uint32_t *)tree_sitter_python())[0] != 15) {
		if (enable) sg_fast_walk = false;
		return 0;
	}
	// Both walks of one parse, compared node for node.
	sg_arena_begin();
	TSTree *tree = run_parse(src, len, 10 * 1000 * 1000, NULL);
	int same = 0;
	if (tree) {
		sg_node *a = NULL, *b = NULL;
		int64_t na = sg_flatten_cursor(tree, len, &a), nb = sg_walk(tree, len, &b);
		same = na >= 0 && na == nb && memcmp(a, b, na * sizeof(sg_node)) == 0;
		free(a);
		free(b);
	}
	sg_arena_end();
	if (enable) sg_fast_walk = same;
	return same;
}

int64_t sg_flatten_cursor(TSTree *tree, uint32_t len, sg_node **out) {
	TSNode root = ts_tree_root_node(tree);
	// The node array is plain malloc memory, outside the arena: it
	// outlives the parse until Go has copied it.
	int64_t cap = (int64_t)len / 2 + 1024, n = 0;
	sg_node *nodes = malloc(cap * sizeof(sg_node));
	if (!nodes) return -1;
	TSTreeCursor c = ts_tree_cursor_new(root);
	// Preorder walk. parents[d] is the nearest named ancestor at depth d;
	// subtrees deeper than the array are not flattened.
	int depth = 0;
	int32_t parent = -1;
	int32_t parents[4096];
	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&c);
		int32_t self = parent;
		if (ts_node_is_named(node)) {
			if (n == cap) {
				cap *= 2;
				sg_node *grown = realloc(nodes, cap * sizeof(sg_node));
				if (!grown) { free(nodes); return -1; }
				nodes = grown;
			}
			TSPoint pt = ts_node_start_point(node);
			sg_node *o = &nodes[n];
			o->start = ts_node_start_byte(node);
			o->end = ts_node_end_byte(node);
			o->row = pt.row;
			o->col = pt.column;
			o->parent = parent;
			o->kind = ts_node_symbol(node);
			o->field = ts_tree_cursor_current_field_id(&c);
			self = (int32_t)n;
			n++;
		}
		// Descend, unless the tree is deeper than we track.
		if (depth < 4095 && ts_tree_cursor_goto_first_child(&c)) {
			parents[depth] = parent;
			depth++;
			parent = self;
			continue;
		}
		// Next sibling, or climb until one exists.
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (depth == 0 || !ts_tree_cursor_goto_parent(&c)) { goto done; }
			depth--;
			parent = parents[depth];
		}
	}
done:
	ts_tree_cursor_delete(&c);
	*out = nodes;
	return n;
}
