#ifndef NLP_VANISH_FLOAT_CONTROL_H
#define NLP_VANISH_FLOAT_CONTROL_H

/// Turns flush-to-zero and denormals-are-zero on or off for the calling thread (MXCSR bits 15 and 6 on x86,
/// FPCR.FZ on ARM64). Vanishing gradients pass through the subnormal range, where x86 arithmetic is tens of
/// times slower; with these bits set such values are exactly zero instead.
void nv_set_flush_denormals(int enable);

#endif
