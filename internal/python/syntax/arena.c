// A per-thread arena for tree-sitter's allocations during one parse.
//
// sg_parse makes a parser, parses, flattens and drops everything at once:
// freeing the syntax tree node by node took about a tenth of the parse.
// Small blocks come from 16-byte size classes carved out of large chunks
// and are recycled through free lists while the parse runs; large blocks
// go to malloc and are tracked so the reset frees them. Outside a parse
// (no arena on the thread) the functions are plain malloc and free.
#include "arena.h"
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#define CLASSES 64           // 16-byte classes, up to 1 KiB
#define CHUNK (256 << 10)    // chunk size; the first one is kept
#define BIG ((size_t)1 << 63) // flag in the size word of a large block

// Under AddressSanitizer (go test -asan) every block is a large one,
// malloc'd on its own, so that the sanitizer sees each block's bounds and
// lifetime; the reset at the end of a parse still frees them all.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SG_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SG_ASAN 1
#endif
#ifdef SG_ASAN
#define SMALL_MAX 0
#else
#define SMALL_MAX (CLASSES * 16)
#endif

typedef struct chunk { struct chunk *next; size_t cap, used, pad; } chunk;
typedef struct big { struct big *prev, *next; size_t pad, size; } big;

typedef struct {
	chunk *chunks;
	void *free[CLASSES + 1];
	big bigs; // sentinel of the list of large blocks
} arena;

static _Thread_local arena the_arena;
static _Thread_local arena *cur;

static size_t *size_word(void *p) { return (size_t *)p - 1; }

static void *small_alloc(arena *a, size_t cls) {
	void *p = a->free[cls];
	if (p) {
		a->free[cls] = *(void **)p;
		return p;
	}
	size_t need = 16 + cls * 16;
	chunk *c = a->chunks;
	if (!c || c->cap - c->used < need) {
		chunk *n = malloc(sizeof(chunk) + CHUNK);
		if (!n) return NULL;
		n->cap = CHUNK;
		n->used = 0;
		n->next = c;
		a->chunks = c = n;
	}
	char *base = (char *)(c + 1) + c->used;
	c->used += need;
	p = base + 16;
	*size_word(p) = cls * 16;
	return p;
}

static void *arena_malloc(size_t n) {
	arena *a = cur;
	if (!a) return malloc(n);
	if (SMALL_MAX && n <= SMALL_MAX) return small_alloc(a, n ? (n + 15) / 16 : 1);
	big *b = malloc(sizeof(big) + n);
	if (!b) return NULL;
	b->size = n | BIG;
	b->next = a->bigs.next;
	b->prev = &a->bigs;
	b->next->prev = b;
	a->bigs.next = b;
	return b + 1;
}

static void arena_free(void *p) {
	arena *a = cur;
	if (!a) { free(p); return; }
	if (!p) return;
	size_t w = *size_word(p);
	if (w & BIG) {
		big *b = (big *)p - 1;
		b->prev->next = b->next;
		b->next->prev = b->prev;
		free(b);
		return;
	}
	size_t cls = w / 16;
	*(void **)p = a->free[cls];
	a->free[cls] = p;
}

static void *arena_calloc(size_t count, size_t size) {
	if (!cur) return calloc(count, size);
	if (size && count > (size_t)-1 / 2 / size) return NULL;
	void *p = arena_malloc(count * size);
	if (p) memset(p, 0, count * size);
	return p;
}

static void *arena_realloc(void *p, size_t n) {
	if (!cur) return realloc(p, n);
	if (!p) return arena_malloc(n);
	size_t cap = *size_word(p) & ~BIG;
	if (n <= cap) return p;
	void *q = arena_malloc(n);
	if (!q) return NULL;
	memcpy(q, p, cap);
	arena_free(p);
	return q;
}

extern void ts_set_allocator(void *(*)(size_t), void *(*)(size_t, size_t), void *(*)(void *, size_t), void (*)(void *));

// sg_arena_install also raises glibc's mmap and trim thresholds to 4 MiB:
// with the defaults the arena's large blocks (a big file's token and stack
// buffers) were each mapped and unmapped, and their pages faulted in, on
// every parse. ASan builds keep the defaults: the sanitizer replaces malloc.
void sg_arena_install(void) {
#if defined(__GLIBC__) && !defined(SG_ASAN)
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	mallopt(M_TRIM_THRESHOLD, 4 << 20);
#endif
	ts_set_allocator(arena_malloc, arena_calloc, arena_realloc, arena_free);
}

void sg_arena_begin(void) {
	arena *a = &the_arena;
	if (!a->bigs.next) a->bigs.next = a->bigs.prev = &a->bigs;
	cur = a;
}

void sg_arena_end(void) {
	arena *a = cur;
	cur = NULL;
	if (!a) return;
	for (big *b = a->bigs.next; b != &a->bigs;) {
		big *next = b->next;
		free(b);
		b = next;
	}
	a->bigs.next = a->bigs.prev = &a->bigs;
	// Keep one chunk for the next parse on this thread.
	chunk *keep = a->chunks;
	if (keep) {
		for (chunk *c = keep->next; c;) {
			chunk *next = c->next;
			free(c);
			c = next;
		}
		keep->next = NULL;
		keep->used = 0;
	}
	a->chunks = keep;
	memset(a->free, 0, sizeof a->free);
}
