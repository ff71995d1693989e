// Stage 1 of wa-tools' JSON scanner: the kernels written in C (see README.md at the
// repository's top, "Why one C file"). Swift emits the vector compares of these loops but not
// the movemask that turns them into bits (SSE2's pmovmskb), and the best Swift form found
// took several times the instructions of this kernel (docs/benchmarks.md, "Stage 1").
#ifndef WA_STAGE1_H
#define WA_STAGE1_H

#include <stddef.h>
#include <stdint.h>

/// Classifies the n bytes at p into bits[0 ... n/64]: bit k of bits[k/64] is set when byte k
/// is a quote, a backslash, a control byte (< 0x20) or non-ASCII (>= 0x80), and bit n is
/// set as a sentinel. Reads nothing outside p[0..<n].
void wa_stage1_classify(const uint8_t *p, size_t n, uint64_t *bits);

/// The same with the SSE2 kernel whatever the CPU has (the scalar loop off x86-64), so that
/// tests check both kernels on a machine with AVX2.
void wa_stage1_classify_sse2(const uint8_t *p, size_t n, uint64_t *bits);

/// The masks of the batch walk (BatchLine.swift): for each 64-byte block k of the n bytes at
/// p (k in 0 ... n/64), words[3k] has a bit per quote, words[3k + 1] a bit per bracket or
/// brace, words[3k + 2] a bit per comma, inside strings or not. Returns 1 when the bytes hold
/// a backslash (a quote may then be escaped, and the walk must read strings itself), else 0.
/// Reads nothing outside p[0..<n].
int wa_stage1_structure(const uint8_t *p, size_t n, uint64_t *words);

/// The same with the SSE2 kernel whatever the CPU has (the scalar loop off x86-64).
int wa_stage1_structure_sse2(const uint8_t *p, size_t n, uint64_t *words);

#endif
