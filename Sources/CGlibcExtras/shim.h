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

/* Names the calling thread (at most 15 bytes are kept), for top -H, gdb and perf. */
static inline void pulse_set_thread_name(const char *name) {
    pthread_setname_np(pthread_self(), name);
}
#endif
