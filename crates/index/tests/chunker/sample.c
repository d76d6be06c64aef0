/* Ring buffer, to pin how C files are chunked. */
#include <stdlib.h>
#include <string.h>

#define RING_MAX 1024

struct ring {
    char *data;
    size_t head, tail, cap;
};

typedef struct {
    int x, y;
} point;

/* Makes a ring of `cap` bytes. */
struct ring *ring_new(size_t cap) {
    struct ring *r = calloc(1, sizeof *r);
    r->data = malloc(cap);
    r->cap = cap;
    return r;
}

static size_t ring_len(const struct ring *r) {
    return (r->tail + r->cap - r->head) % r->cap;
}

#ifdef RING_DEBUG
void ring_dump(const struct ring *r) {
    fwrite(r->data, 1, ring_len(r), stderr);
}
#endif
