package dev.adi4j.diffusion.nn;

import org.nd4j.linalg.factory.Nd4j;

/**
 * OpenBLAS's own thread pool, set once per process ({@code -Dadi4j.blasThreads}, default 1). libnd4j calls OpenBLAS
 * for matrix products that skip oneDNN (small ones; batched products inside matmul_bp). OpenBLAS runs its own
 * pthreads beside libnd4j's OpenMP team, and on two cores each op's spinning OpenMP workers held the core that the
 * next OpenBLAS call's worker waited for: a [512, 64] x [64, 64] product took ~1.1 ms right after an elementwise op
 * against ~0.09 ms with OpenBLAS on one thread (docs/engine.md).
 */
public final class BlasThreads {
    private static final int APPLIED = apply(EngineOptions.current().blasThreads());

    private BlasThreads() {
    }

    /** The OpenBLAS thread count in effect (applied on first call); 0 = OpenBLAS's own default left in place. */
    public static int ensureApplied() {
        return APPLIED;
    }

    private static int apply(int threads) {
        if (threads <= 0) return 0;
        try {
            Nd4j.factory().blas().setMaxThreads(threads);
            return Nd4j.factory().blas().getMaxThreads();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return 0; // a backend without a settable BLAS (CUDA): nothing to contend with
        }
    }
}
