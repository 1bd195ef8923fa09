package dev.adi4j.diffusion.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BlasThreadsTest {
    @Test
    void buildingAnyNetworkLeavesOpenBlasOnOneThread() {
        new Ops(SameDiff.create());
        assertEquals(1, BlasThreads.ensureApplied());
        assertEquals(1, Nd4j.factory().blas().getMaxThreads());
    }
}
