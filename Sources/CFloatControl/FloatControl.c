#include "FloatControl.h"
#include <stdint.h>

void nv_set_flush_denormals(int enable) {
#if defined(__x86_64__) || defined(__i386__)
    unsigned int csr = __builtin_ia32_stmxcsr();
    csr = enable ? (csr | 0x8040u) : (csr & ~0x8040u);
    __builtin_ia32_ldmxcsr(csr);
#elif defined(__aarch64__)
    uint64_t fpcr;
    __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
    fpcr = enable ? (fpcr | (1ull << 24)) : (fpcr & ~(1ull << 24));
    __asm__ volatile("msr fpcr, %0" : : "r"(fpcr));
#else
    (void)enable;
#endif
}

int nv_cpu_has_avx512(void) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl");
#else
    return 0;
#endif
}
