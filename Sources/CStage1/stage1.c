// The SIMD kernels of stage 1 (include/stage1.h): the scanner's attention masks and the batch
// walk's structure masks. On x86-64: SSE2 (the baseline), 16 bytes per compare and one
// pmovmskb per 16 bytes and mask, or AVX2 where the CPU has it (checked once with cpuid), 32
// bytes per compare. Elsewhere a scalar loop. All give the same bits.
#include "stage1.h"

#include <string.h>

typedef uint64_t (*Block)(const uint8_t *p);

// The batch walk's masks of a block (wa_stage1_structure): its quotes, its brackets and
// braces, its commas, and its backslashes.
typedef struct {
  uint64_t quote, bracket, comma, backslash;
} Structure;

typedef Structure (*StructureBlock)(const uint8_t *p);

#if defined(__x86_64__) && defined(__SSE2__)
#include <cpuid.h>
#include <immintrin.h>

// A control byte or a non-ASCII one is, as a signed byte, below 0x20: one signed compare.
static inline uint64_t sse2_16(const uint8_t *p) {
  const __m128i v = _mm_loadu_si128((const __m128i *)p);
  const __m128i m = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x22)), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x5C))),
      _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
  return (uint64_t)(uint32_t)_mm_movemask_epi8(m);
}

static uint64_t sse2_64(const uint8_t *p) {
  return sse2_16(p) | sse2_16(p + 16) << 16 | sse2_16(p + 32) << 32 | sse2_16(p + 48) << 48;
}

__attribute__((target("avx2"))) static inline uint64_t avx2_32(const uint8_t *p) {
  const __m256i v = _mm256_loadu_si256((const __m256i *)p);
  const __m256i m = _mm256_or_si256(
      _mm256_or_si256(
          _mm256_cmpeq_epi8(v, _mm256_set1_epi8(0x22)), _mm256_cmpeq_epi8(v, _mm256_set1_epi8(0x5C))),
      _mm256_cmpgt_epi8(_mm256_set1_epi8(0x20), v));
  return (uint64_t)(uint32_t)_mm256_movemask_epi8(m);
}

__attribute__((target("avx2"))) static uint64_t avx2_64(const uint8_t *p) {
  return avx2_32(p) | avx2_32(p + 32) << 32;
}

// '[' and ']' are '{' and '}' with bit 5 clear, so one OR folds the four into two compares.
static inline Structure sse2_structure16(const uint8_t *p) {
  const __m128i v = _mm_loadu_si128((const __m128i *)p);
  const __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
  const __m128i b = _mm_or_si128(_mm_cmpeq_epi8(folded, _mm_set1_epi8(0x7B)),
                                 _mm_cmpeq_epi8(folded, _mm_set1_epi8(0x7D)));
  Structure r = {(uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x22))),
                 (uint64_t)(uint32_t)_mm_movemask_epi8(b),
                 (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x2C))),
                 (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x5C)))};
  return r;
}

static Structure sse2_structure64(const uint8_t *p) {
  Structure r = {0, 0, 0, 0};
  for (int k = 0; k < 4; k++) {
    const Structure m = sse2_structure16(p + 16 * k);
    r.quote |= m.quote << (16 * k);
    r.bracket |= m.bracket << (16 * k);
    r.comma |= m.comma << (16 * k);
    r.backslash |= m.backslash << (16 * k);
  }
  return r;
}

__attribute__((target("avx2"))) static inline Structure avx2_structure32(const uint8_t *p) {
  const __m256i v = _mm256_loadu_si256((const __m256i *)p);
  const __m256i folded = _mm256_or_si256(v, _mm256_set1_epi8(0x20));
  const __m256i b = _mm256_or_si256(_mm256_cmpeq_epi8(folded, _mm256_set1_epi8(0x7B)),
                                    _mm256_cmpeq_epi8(folded, _mm256_set1_epi8(0x7D)));
  Structure r = {
      (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(0x22))),
      (uint64_t)(uint32_t)_mm256_movemask_epi8(b),
      (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(0x2C))),
      (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(0x5C)))};
  return r;
}

__attribute__((target("avx2"))) static Structure avx2_structure64(const uint8_t *p) {
  const Structure lo = avx2_structure32(p), hi = avx2_structure32(p + 32);
  Structure r = {lo.quote | hi.quote << 32, lo.bracket | hi.bracket << 32,
                 lo.comma | hi.comma << 32, lo.backslash | hi.backslash << 32};
  return r;
}

// AVX2 needs the CPU's flag (leaf 7, EBX bit 5) and the OS saving the YMM registers (XCR0
// bits 1 and 2, readable when OSXSAVE, leaf 1 ECX bit 27, is set).
static int has_avx2(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return 0;
  unsigned lo, hi;
  __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 6) != 6) return 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  return (b & (1u << 5)) != 0;
}
#else
static Structure scalar_structure64(const uint8_t *p) {
  Structure r = {0, 0, 0, 0};
  for (int k = 0; k < 64; k++) {
    const uint8_t c = p[k];
    r.quote |= (uint64_t)(c == 0x22) << k;
    r.bracket |= (uint64_t)((c | 0x20) == 0x7B || (c | 0x20) == 0x7D) << k;
    r.comma |= (uint64_t)(c == 0x2C) << k;
    r.backslash |= (uint64_t)(c == 0x5C) << k;
  }
  return r;
}

static uint64_t scalar_64(const uint8_t *p) {
  uint64_t r = 0;
  for (int k = 0; k < 64; k++) {
    const uint8_t c = p[k];
    r |= (uint64_t)(c == 0x22 || c == 0x5C || c < 0x20 || c >= 0x80) << k;
  }
  return r;
}
#endif

static inline void classify(const uint8_t *p, size_t n, uint64_t *bits, Block block64) {
  size_t block = 0, i = 0;
  for (; i + 64 <= n; i += 64) bits[block++] = block64(p + i);
  const size_t rest = n - i;
  uint64_t last = 0;
  if (rest > 0 && n >= 64) {
    // The line's last 64 bytes, shifted so that its last block's bytes come first.
    last = block64(p + n - 64) >> (64 - rest);
  } else if (rest > 0) {
    // A line shorter than a block: copied, with spaces after it (they flag nothing).
    uint8_t tail[64];
    memset(tail, 0x20, sizeof tail);
    memcpy(tail, p, rest);
    last = block64(tail);
  }
  bits[block] = last | (uint64_t)1 << rest;
}

static inline int structure(const uint8_t *p, size_t n, uint64_t *words, StructureBlock block64) {
  uint64_t backslash = 0;
  size_t block = 0, i = 0;
  for (; i + 64 <= n; i += 64, block++) {
    const Structure m = block64(p + i);
    words[3 * block] = m.quote;
    words[3 * block + 1] = m.bracket;
    words[3 * block + 2] = m.comma;
    backslash |= m.backslash;
  }
  const size_t rest = n - i;
  Structure last = {0, 0, 0, 0};
  if (rest > 0 && n >= 64) {
    // The line's last 64 bytes, shifted so that its last block's bytes come first.
    last = block64(p + n - 64);
    last.quote >>= 64 - rest;
    last.bracket >>= 64 - rest;
    last.comma >>= 64 - rest;
    last.backslash >>= 64 - rest;
  } else if (rest > 0) {
    // A line shorter than a block: copied, with spaces after it (they flag nothing).
    uint8_t tail[64];
    memset(tail, 0x20, sizeof tail);
    memcpy(tail, p, rest);
    last = block64(tail);
  }
  words[3 * block] = last.quote;
  words[3 * block + 1] = last.bracket;
  words[3 * block + 2] = last.comma;
  return (backslash | last.backslash) != 0;
}

#if defined(__x86_64__) && defined(__SSE2__)
// One loop per kernel, so that each inlines its block function.
__attribute__((target("avx2"))) static void classify_avx2(const uint8_t *p, size_t n, uint64_t *bits) {
  classify(p, n, bits, avx2_64);
}

static void classify_sse2(const uint8_t *p, size_t n, uint64_t *bits) {
  classify(p, n, bits, sse2_64);
}

// -1 until the first call has asked the CPU (threads racing to it only ask twice, with the
// same answer; relaxed atomics keep that race defined).
static int avx2 = -1;

// Whether the AVX2 kernels may run: asked once, then read (both entry points use it).
static inline int use_avx2(void) {
  int have = __atomic_load_n(&avx2, __ATOMIC_RELAXED);
  if (have < 0) {
    have = has_avx2();
    __atomic_store_n(&avx2, have, __ATOMIC_RELAXED);
  }
  return have;
}

void wa_stage1_classify(const uint8_t *p, size_t n, uint64_t *bits) {
  if (use_avx2()) {
    classify_avx2(p, n, bits);
  } else {
    classify_sse2(p, n, bits);
  }
}

void wa_stage1_classify_sse2(const uint8_t *p, size_t n, uint64_t *bits) {
  classify_sse2(p, n, bits);
}

__attribute__((target("avx2"))) static int structure_avx2(const uint8_t *p, size_t n,
                                                          uint64_t *words) {
  return structure(p, n, words, avx2_structure64);
}

int wa_stage1_structure_sse2(const uint8_t *p, size_t n, uint64_t *words) {
  return structure(p, n, words, sse2_structure64);
}

int wa_stage1_structure(const uint8_t *p, size_t n, uint64_t *words) {
  return use_avx2() ? structure_avx2(p, n, words) : wa_stage1_structure_sse2(p, n, words);
}
#else
void wa_stage1_classify(const uint8_t *p, size_t n, uint64_t *bits) {
  classify(p, n, bits, scalar_64);
}

void wa_stage1_classify_sse2(const uint8_t *p, size_t n, uint64_t *bits) {
  classify(p, n, bits, scalar_64);
}

int wa_stage1_structure(const uint8_t *p, size_t n, uint64_t *words) {
  return structure(p, n, words, scalar_structure64);
}

int wa_stage1_structure_sse2(const uint8_t *p, size_t n, uint64_t *words) {
  return structure(p, n, words, scalar_structure64);
}
#endif
