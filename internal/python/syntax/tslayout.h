// The memory layout of tree-sitter's subtrees and of a grammar's language
// tables, as the pinned runtime (go-tree-sitter v0.25.0, language ABI 15)
// lays them out, for walk.c. These are not tree-sitter's public API: the
// walker reads them only after a self-check, run when the first Parser is
// made, has found that it flattens sample trees exactly as the public
// cursor API does (sg_walk_check); otherwise the cursor walk is used.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// SG_WALK_LAYOUT is 1 where the layouts below hold: 64-bit little-endian.
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && UINTPTR_MAX == 0xffffffffffffffffu
#define SG_WALK_LAYOUT 1
#else
#define SG_WALK_LAYOUT 0
#endif

// Sizes: bytes, and the rows and columns they span.
typedef struct {
	uint32_t bytes;
	uint32_t row, column;
} ts_length;

// A leaf small enough to live in the subtree word itself, marked by its
// lowest bit (a heap pointer is aligned, so its lowest bit is 0).
// Little-endian, 64-bit layout.
typedef struct {
	bool is_inline : 1;
	bool visible : 1;
	bool named : 1;
	bool extra : 1;
	bool has_changes : 1;
	bool is_missing : 1;
	bool is_keyword : 1;
	uint8_t symbol;
	uint16_t parse_state;
	uint8_t padding_columns;
	uint8_t padding_rows : 4;
	uint8_t lookahead_bytes : 4;
	uint8_t padding_bytes;
	uint8_t size_bytes;
} ts_inline;

// Any other subtree, on the heap; its children are stored immediately
// before it.
typedef struct {
	uint32_t ref_count;
	ts_length padding;
	ts_length size;
	uint32_t lookahead_bytes;
	uint32_t error_cost;
	uint32_t child_count;
	uint16_t symbol;
	uint16_t parse_state;
	bool visible : 1;
	bool named : 1;
	bool extra : 1;
	bool fragile_left : 1;
	bool fragile_right : 1;
	bool has_changes : 1;
	bool has_external_tokens : 1;
	bool has_external_scanner_state_change : 1;
	bool depends_on_column : 1;
	bool is_missing : 1;
	bool is_keyword : 1;
	union {
		struct {
			uint32_t visible_child_count;
			uint32_t named_child_count;
			uint32_t visible_descendant_count;
			int32_t dynamic_precedence;
			uint16_t repeat_depth;
			uint16_t production_id;
			uint16_t first_leaf_symbol;
			uint16_t first_leaf_parse_state;
		};
		struct {
			union {
				char *long_data;
				char short_data[24];
			};
			uint32_t length;
		} external_scanner_state;
		int32_t lookahead_char;
	};
} ts_heap;

typedef union {
	ts_inline data;
	const ts_heap *ptr;
} ts_subtree;

typedef struct {
	uint16_t field_id;
	uint8_t child_index;
	bool inherited;
} ts_field_entry;

typedef struct {
	uint16_t index;
	uint16_t length;
} ts_map_slice;

typedef struct {
	bool visible;
	bool named;
	bool supertype;
} ts_symbol_meta;

// The leading members of a generated grammar's TSLanguage, up to the
// tables the walker reads.
typedef struct {
	uint32_t abi_version;
	uint32_t symbol_count;
	uint32_t alias_count;
	uint32_t token_count;
	uint32_t external_token_count;
	uint32_t state_count;
	uint32_t large_state_count;
	uint32_t production_id_count;
	uint32_t field_count;
	uint16_t max_alias_sequence_length;
	const uint16_t *parse_table;
	const uint16_t *small_parse_table;
	const uint32_t *small_parse_table_map;
	const void *parse_actions;
	const char *const *symbol_names;
	const char *const *field_names;
	const ts_map_slice *field_map_slices;
	const ts_field_entry *field_map_entries;
	const ts_symbol_meta *symbol_metadata;
	const uint16_t *public_symbol_map;
	const uint16_t *alias_map;
	const uint16_t *alias_sequences;
} ts_language_head;

// The sizes tree-sitter's own definitions have in such a build.
#if SG_WALK_LAYOUT
_Static_assert(sizeof(ts_inline) == 8, "inline subtree is one word");
_Static_assert(sizeof(ts_subtree) == 8, "subtree is one word");
_Static_assert(sizeof(ts_length) == 12, "length");
_Static_assert(sizeof(ts_heap) == 80, "heap subtree");
_Static_assert(sizeof(ts_field_entry) == 4, "field map entry");
_Static_assert(offsetof(ts_heap, child_count) == 36 && offsetof(ts_heap, symbol) == 40, "heap subtree fields");
_Static_assert(offsetof(ts_heap, visible_child_count) == 48 && offsetof(ts_heap, production_id) == 66, "heap subtree fields");
#endif

// The builtin ERROR symbol.
#define TS_SYM_ERROR ((uint16_t)-1)
