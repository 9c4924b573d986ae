#ifndef PULSE_CGLIBCEXTRAS_SHIM_H
#define PULSE_CGLIBCEXTRAS_SHIM_H
/* glibc functions Swift's Glibc module does not import (GNU extensions). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <malloc.h>
#include <pthread.h>

/* glibc's M_ARENA_MAX (malloc.h is not part of Swift's Glibc module). Returns 1 on success. */
static inline int pulse_set_malloc_arena_max(int arenas) {
    return mallopt(M_ARENA_MAX, arenas);
}

/* Returns the heap's free pages to the kernel (glibc keeps them otherwise): a long-running engine's
   transient buffers (a compaction's input, a checkpoint) would else stay in its resident size. */
static inline void pulse_malloc_trim(void) {
    malloc_trim(0);
}

/* Names the calling thread (at most 15 bytes are kept), for top -H, gdb and perf. */
static inline void pulse_set_thread_name(const char *name) {
    pthread_setname_np(pthread_self(), name);
}
#endif
