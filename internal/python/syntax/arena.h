// Arena allocation for tree-sitter during one parse; see arena.c.
#include <stdlib.h>

// sg_arena_install routes tree-sitter's allocations through the arena
// functions, which are plain malloc and free outside a parse.
void sg_arena_install(void);
// sg_arena_begin starts a parse on this thread; sg_arena_end frees
// everything allocated since, without freeing block by block.
void sg_arena_begin(void);
void sg_arena_end(void);
