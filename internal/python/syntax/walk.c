// A preorder walk over tree-sitter's subtrees that flattens the named
// nodes as flatten_cursor does with the public cursor API, but reading the
// subtrees directly (tslayout.h): the cursor re-derives each node's
// position, alias and field from its stack at every step, which took
// about a third of the time spent in C.
#include "flatten.h"
#include "tslayout.h"

extern const TSLanguage *tree_sitter_python(void);
extern TSNode ts_tree_root_node(const TSTree *);

// One subtree on the walk's path from the root, visible or hidden.
typedef struct {
	ts_subtree tree;
	ts_length pos;            // where the node starts, after its padding
	uint32_t structural;      // index among its parent's non-extra children
	bool visible, extra;
	int32_t named;            // index of this node, or of its nearest named ancestor
	int depth;                // visible ancestors, as flatten_cursor counts depth
	// The children: the next one to visit, where it starts, and its
	// structural index.
	uint32_t child;
	ts_length child_pos;
	uint32_t child_structural;
	const uint16_t *aliases;  // the production's alias sequence, or NULL
} frame;

static inline ts_length length_add(ts_length a, ts_length b) {
	ts_length r = {a.bytes + b.bytes, a.row, a.column};
	if (b.row > 0) {
		r.row = a.row + b.row;
		r.column = b.column;
	} else {
		r.column = a.column + b.column;
	}
	return r;
}

static inline ts_length padding_of(ts_subtree t) {
	if (t.data.is_inline) return (ts_length){t.data.padding_bytes, t.data.padding_rows, t.data.padding_columns};
	return t.ptr->padding;
}

static inline ts_length size_of(ts_subtree t) {
	if (t.data.is_inline) return (ts_length){t.data.size_bytes, 0, t.data.size_bytes};
	return t.ptr->size;
}

static inline uint32_t child_count(ts_subtree t) { return t.data.is_inline ? 0 : t.ptr->child_count; }
static inline bool visible_of(ts_subtree t) { return t.data.is_inline ? t.data.visible : t.ptr->visible; }
static inline bool named_of(ts_subtree t) { return t.data.is_inline ? t.data.named : t.ptr->named; }
static inline bool extra_of(ts_subtree t) { return t.data.is_inline ? t.data.extra : t.ptr->extra; }
static inline uint16_t symbol_of(ts_subtree t) { return t.data.is_inline ? t.data.symbol : t.ptr->symbol; }
static inline const ts_subtree *children_of(ts_subtree t) { return (const ts_subtree *)t.ptr - t.ptr->child_count; }

static inline bool meta_named(const ts_language_head *l, uint16_t sym) {
	if (sym == TS_SYM_ERROR) return true;
	if (sym == TS_SYM_ERROR - 1) return false;
	return l->symbol_metadata[sym].named;
}

static inline uint16_t public_symbol(const ts_language_head *l, uint16_t sym) {
	return sym == TS_SYM_ERROR ? sym : l->public_symbol_map[sym];
}

// field_of is the field of the node on top of the path (index top): the
// first field, not inherited, that its parent's production gives it or,
// climbing through hidden ancestors, gives them.
static uint16_t field_of(const ts_language_head *l, const frame *path, int top) {
	if (l->field_count == 0) return 0;
	for (int i = top; i > 0; i--) {
		if (i != top && path[i].visible) break;
		if (path[i].extra) break;
		ts_map_slice slice = l->field_map_slices[path[i - 1].tree.ptr->production_id];
		const ts_field_entry *e = &l->field_map_entries[slice.index], *end = e + slice.length;
		for (; e < end; e++) {
			if (!e->inherited && e->child_index == path[i].structural) return e->field_id;
		}
	}
	return 0;
}

// MAX_DEPTH is how deep flatten_cursor descends: the children of a node
// with this many visible ancestors are left out.
#define MAX_DEPTH 4095

typedef struct {
	const ts_language_head *l;
	sg_node *nodes;
	int64_t n, cap;
	frame *path;
	int top, pcap;
} walker;

// enter pushes a subtree onto the path, recording it if it is a visible
// named node. It returns false when memory ran out.
static bool enter(walker *w, ts_subtree t, ts_length pos, uint32_t structural, bool visible, bool extra) {
	if (w->top + 1 == w->pcap) {
		frame *grown = realloc(w->path, 2 * w->pcap * sizeof(frame));
		if (!grown) return false;
		w->path = grown;
		w->pcap *= 2;
	}
	int top = ++w->top;
	frame *parent = top > 0 ? &w->path[top - 1] : NULL;
	frame *f = &w->path[top];
	*f = (frame){.tree = t, .pos = pos, .structural = structural, .visible = visible, .extra = extra,
		.named = parent ? parent->named : -1, .depth = parent ? parent->depth + (visible ? 1 : 0) : 0};
	if (visible) {
		const ts_language_head *l = w->l;
		uint16_t alias = 0;
		if (parent && !extra) {
			uint16_t prod = parent->tree.ptr->production_id;
			if (prod) alias = l->alias_sequences[prod * l->max_alias_sequence_length + structural];
		}
		if (alias ? meta_named(l, alias) : named_of(t)) {
			if (w->n == w->cap) {
				sg_node *grown = realloc(w->nodes, 2 * w->cap * sizeof(sg_node));
				if (!grown) return false;
				w->nodes = grown;
				w->cap *= 2;
			}
			sg_node *o = &w->nodes[w->n];
			o->start = pos.bytes;
			o->end = pos.bytes + size_of(t).bytes;
			o->row = pos.row;
			o->col = pos.column;
			o->parent = f->named;
			o->kind = public_symbol(l, alias ? alias : symbol_of(t));
			o->field = field_of(l, w->path, top);
			f->named = (int32_t)w->n++;
		}
	}
	if (child_count(t) > 0 && !(visible && f->depth >= MAX_DEPTH)) {
		f->child_pos = pos;
		uint16_t prod = t.ptr->production_id;
		f->aliases = prod ? &w->l->alias_sequences[prod * w->l->max_alias_sequence_length] : NULL;
	} else {
		f->child = UINT32_MAX; // nothing to visit
	}
	return true;
}

int64_t sg_walk(const TSTree *tree, uint32_t len, sg_node **out) {
	walker w = {.l = (const ts_language_head *)tree_sitter_python(), .cap = (int64_t)len / 2 + 1024, .top = -1, .pcap = 256};
	*out = NULL;
	w.nodes = malloc(w.cap * sizeof(sg_node));
	w.path = malloc(w.pcap * sizeof(frame));
	if (!w.nodes || !w.path) goto oom;

	TSNode root = ts_tree_root_node(tree);
	ts_subtree rt = *(const ts_subtree *)root.id;
	if (!enter(&w, rt, padding_of(rt), 0, true, false)) goto oom;
	while (w.top >= 0) {
		frame *f = &w.path[w.top];
		if (f->child == UINT32_MAX || f->child == child_count(f->tree)) {
			w.top--; // done with this node
			continue;
		}
		// The next child: visible ones and hidden ones with visible
		// descendants are entered.
		const ts_subtree *kids = children_of(f->tree);
		uint32_t i = f->child++;
		ts_subtree c = kids[i];
		ts_length pos = f->child_pos;
		f->child_pos = length_add(f->child_pos, size_of(c));
		if (i + 1 < child_count(f->tree)) f->child_pos = length_add(f->child_pos, padding_of(kids[i + 1]));
		bool extra = extra_of(c), visible = visible_of(c);
		uint32_t structural = f->child_structural;
		if (!extra) {
			if (f->aliases && f->aliases[structural]) visible = true;
			f->child_structural++;
		}
		if (visible || (child_count(c) > 0 && c.ptr->visible_child_count > 0)) {
			if (!enter(&w, c, pos, structural, visible, extra)) goto oom;
		}
	}
	free(w.path);
	*out = w.nodes;
	return w.n;
oom:
	free(w.path);
	free(w.nodes);
	return -1;
}
