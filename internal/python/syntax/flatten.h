// Declarations of the tree-sitter C API used by flatten.c. They match
// tree_sitter/api.h of the pinned go-tree-sitter v0.25.0, whose compiled
// runtime this package links against.
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct TSLanguage TSLanguage;
typedef struct TSParser TSParser;
typedef struct TSTree TSTree;
typedef struct { uint32_t row; uint32_t column; } TSPoint;
typedef struct { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;
typedef enum { TSInputEncodingUTF8 } TSInputEncoding;
typedef uint32_t (*DecodeFunction)(const uint8_t *string, uint32_t length, int32_t *code_point);
typedef struct {
	void *payload;
	const char *(*read)(void *payload, uint32_t byte_index, TSPoint position, uint32_t *bytes_read);
	TSInputEncoding encoding;
	DecodeFunction decode;
} TSInput;
typedef struct { void *payload; uint32_t current_byte_offset; bool has_error; } TSParseState;
typedef struct { void *payload; bool (*progress_callback)(TSParseState *state); } TSParseOptions;

// One named node of the flattened tree, in preorder.
typedef struct {
	uint32_t start, end;   // byte offsets
	uint32_t row, col;     // start point (0-based)
	int32_t parent;        // index of the parent, -1 for the root
	uint16_t kind;         // grammar symbol
	uint16_t field;        // field of this node in its parent, 0 if none
} sg_node;

// sg_parse parses src and flattens the named nodes into *out, a malloc'd
// array for sg_free. It returns the node count, 0 when the parse was
// stopped by the deadline (microseconds from now), or -1 when memory ran
// out.
int64_t sg_parse(const char *src, uint32_t len, uint64_t timeout_us, sg_node **out, int *has_error);
void sg_free(sg_node *nodes);

// sg_walk flattens tree by reading tree-sitter's subtrees directly
// (walk.c); sg_flatten_cursor does it with the public cursor API. Both
// return the node count, or -1 when memory ran out.
int64_t sg_walk(const TSTree *tree, uint32_t len, sg_node **out);
int64_t sg_flatten_cursor(TSTree *tree, uint32_t len, sg_node **out);
// sg_walk_check parses src and reports whether both walks flatten it
// alike; with enable, parses use sg_walk from then on if they do (and the
// grammar has the language ABI tslayout.h describes), the cursor if not.
int sg_walk_check(const char *src, uint32_t len, int enable);

typedef struct {
	uint32_t start_byte, old_end_byte, new_end_byte;
	TSPoint start_point, old_end_point, new_end_point;
} TSInputEdit;

// sg_parse_keep parses like sg_parse but outside the arena, and returns
// the tree for later sg_parse_edit calls (NULL on failure; *n as sg_parse
// returns it). Free it with sg_tree_delete.
TSTree *sg_parse_keep(const char *src, uint32_t len, uint64_t timeout_us, sg_node **out, int *has_error, int64_t *n);
// sg_parse_edit parses src incrementally: base is the tree of an earlier
// source, and edit says which bytes of it src replaced.
int64_t sg_parse_edit(const TSTree *base, const TSInputEdit *edit, const char *src, uint32_t len, uint64_t timeout_us, sg_node **out, int *has_error);
void sg_tree_delete(TSTree *tree);
