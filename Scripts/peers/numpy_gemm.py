#!/usr/bin/env python3
"""Peer driver: single-precision matrix products in numpy (OpenBLAS's sgemm underneath), in GFLOP/s.

usage: OPENBLAS_NUM_THREADS=T $PEER_PYTHON Scripts/peers/numpy_gemm.py [M,N,K ...] [--transpose-b] [--cpu-time]
  M,N,K          shapes of C[M,N] = A[M,K] · B[K,N] (default: the shapes `tinyencoder bench gemm` uses:
                 256³, 512³, 1024³, 2048³ and the encoder's 4096×768×256, 4096×256×256,
                 4096×1024×256, 4096×256×1024)
  --transpose-b  B is stored [N, K] and used transposed (the Linear layer's x·Wᵀ)
  --cpu-time     divide by this thread's CPU time instead of wall time (one thread only; for a busy machine)
Prints one line per shape, "m=M n=N k=K transpose_b=0|1 gflops=G", the format of
`tinyencoder bench gemm`, so Scripts/bench-gemm.sh reads both the same way.
Not handled: pinning to cores; the thread count is OpenBLAS's, set through the environment.
"""
import sys
import time

import numpy as np

DEFAULT_SHAPES = [(256, 256, 256), (512, 512, 512), (1024, 1024, 1024), (2048, 2048, 2048),
                  (4096, 768, 256), (4096, 256, 256), (4096, 1024, 256), (4096, 256, 1024)]


def parse(argv):
    shapes, transpose_b, cpu_time = [], False, False
    for arg in argv:
        if arg == "--transpose-b":
            transpose_b = True
        elif arg == "--cpu-time":
            cpu_time = True
        else:
            try:
                m, n, k = (int(x) for x in arg.split(","))
            except ValueError:
                sys.exit(f"numpy_gemm.py: '{arg}' is not a shape; write M,N,K (e.g. 1024,1024,1024)")
            shapes.append((m, n, k))
    return shapes or DEFAULT_SHAPES, transpose_b, cpu_time


def main():
    shapes, transpose_b, cpu_time = parse(sys.argv[1:])
    clock = time.thread_time if cpu_time else time.perf_counter
    generator = np.random.default_rng(7)
    for m, n, k in shapes:
        a = generator.standard_normal((m, k), dtype=np.float32)
        if transpose_b:
            b = generator.standard_normal((n, k), dtype=np.float32).T   # a view: numpy passes 'T' to sgemm
        else:
            b = generator.standard_normal((k, n), dtype=np.float32)
        flops = 2.0 * m * n * k
        repeats = max(3, round(1.5e10 / flops))                          # about 15 GFLOP of work a shape
        np.matmul(a, b)                                                  # warm-up: threads, pages
        start = clock()
        for _ in range(repeats):
            np.matmul(a, b)
        seconds = (clock() - start) / repeats
        print(f"m={m} n={n} k={k} transpose_b={int(transpose_b)} gflops={flops / seconds / 1e9:.1f}", flush=True)


if __name__ == "__main__":
    main()
