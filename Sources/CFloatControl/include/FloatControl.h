#ifndef NLP_VANISH_FLOAT_CONTROL_H
#define NLP_VANISH_FLOAT_CONTROL_H

/// Turns flush-to-zero and denormals-are-zero on or off for the calling thread (MXCSR bits 15 and 6 on x86,
/// FPCR.FZ on ARM64). Vanishing gradients pass through the subnormal range, where x86 arithmetic is tens of
/// times slower; with these bits set such values are exactly zero instead.
void nv_set_flush_denormals(int enable);

/// 1 if this CPU and OS run x86-64-v4 code (AVX-512 F, BW, CD, DQ and VL, with the OS saving zmm state), the
/// level the 512-bit GEMM kernel is built for; 0 otherwise and on other architectures.
int nv_cpu_has_avx512(void);

/// Asks the CPU to bring the cache line holding p into L1, to be written (`prefetcht0`, or `prefetchw` where the
/// target has it); never faults. Inline, so a Swift caller gets the instruction itself, not a call.
static inline void nv_prefetch(const void *p) { __builtin_prefetch(p, 1, 3); }

#endif
