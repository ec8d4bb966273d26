#!/usr/bin/env python3
"""The GEMM shapes of `vanish-bench gemm`, timed with OpenBLAS's sgemm through NumPy, one thread.

A measurement peer for `make compare` (never a dependency of the product): forward Y[B×N] = X[B×K]·W[K×N]
and weight gradient dW[K×N] = X[B×K]ᵀ·dY[B×N] for B = 1, 8, 32, 64 and K = N = 128…1024, then the weight
gradient over a whole window (B·T = 2048 rows). GFLOP/s from the median of 7 timed runs, each ≥ 20 ms,
after a warm-up. Run with OPENBLAS_NUM_THREADS=1, and without OPENBLAS_CORETYPE: set to an older core (as some
hosts do, to work round old OpenBLAS builds), it holds OpenBLAS to that core's kernels. The first line names the
kernel set OpenBLAS chose, so a table says what it was measured against.
"""
import ctypes, glob, os, time
import numpy as np


def openblas_core():
    """OpenBLAS's name for the kernel set it runs (e.g. SkylakeX, Haswell), from the library NumPy loaded: a NumPy
    wheel installs its OpenBLAS in numpy.libs, beside the numpy package (the peer's own files, not the project's)."""
    site_packages = os.path.dirname(os.path.dirname(np.__file__))
    for path in glob.glob(os.path.join(site_packages, "numpy.libs", "*openblas*")):
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename64_",
                     "openblas_get_corename"):
            if hasattr(lib, name):
                getter = getattr(lib, name)
                getter.restype = ctypes.c_char_p
                return getter().decode()
    return "unknown"


def gflops(call, flops):
    call()
    repeats = 1
    while True:
        start = time.perf_counter()
        for _ in range(repeats):
            call()
        if time.perf_counter() - start > 0.02:
            break
        repeats *= 4
    times = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(repeats):
            call()
        times.append((time.perf_counter() - start) / repeats)
    return flops / sorted(times)[3] / 1e9


def main():
    rng = np.random.default_rng(0)
    print(f"OpenBLAS core: {openblas_core()}")
    print("     B     K=N        NN        TN")
    for batch in [1, 8, 32, 64]:
        for width in [128, 256, 512, 1024]:
            x = rng.standard_normal((batch, width), dtype=np.float32)
            w = rng.standard_normal((width, width), dtype=np.float32)
            dy = rng.standard_normal((batch, width), dtype=np.float32)
            y, dw = np.empty((batch, width), np.float32), np.empty((width, width), np.float32)
            flops = 2 * batch * width * width
            nn = gflops(lambda: np.matmul(x, w, out=y), flops)
            tn = gflops(lambda: np.matmul(x.T, dy, out=dw), flops)
            print(f"{batch:6d} {width:7d} {nn:9.1f} {tn:9.1f}")
    for width in [128, 256, 512, 1024]:
        x = rng.standard_normal((2048, width), dtype=np.float32)
        dy = rng.standard_normal((2048, width), dtype=np.float32)
        dw = np.empty((width, width), np.float32)
        print(f"  2048 {width:7d} {gflops(lambda: np.matmul(x.T, dy, out=dw), 2 * 2048 * width * width):19.1f}")


if __name__ == "__main__":
    main()
