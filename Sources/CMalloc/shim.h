#ifndef PULSE_CMALLOC_SHIM_H
#define PULSE_CMALLOC_SHIM_H
#include <malloc.h>

/* glibc's M_ARENA_MAX (malloc.h is not part of Swift's Glibc module). Returns 1 on success. */
static inline int pulse_set_malloc_arena_max(int arenas) {
    return mallopt(M_ARENA_MAX, arenas);
}
#endif
