// A cache prefetch hint for the aggregator's state tables (Metrics/StateTable.swift). Swift
// has no prefetch intrinsic; this one line is here, beside stage 1's kernel, rather than in a
// C target of its own. `static inline`, so an optimized build inlines it into the caller as
// one prefetch instruction.
#ifndef WA_PREFETCH_H
#define WA_PREFETCH_H

/// Starts loading the cache line holding p for reading; never faults, whatever p is.
static inline void wa_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

#endif
