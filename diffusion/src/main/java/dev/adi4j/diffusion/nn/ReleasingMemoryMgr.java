package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A SameDiff session memory manager that frees every intermediate
 * array as soon as the session releases it, instead of SameDiff M2.1's array cache. Measured on the tiny UNet at
 * 64x64 latents, three calls per process (numbers in the performance issue's note):
 * <ul>
 * <li>forward: the cache keeps 0.71-0.82 GB and takes ~2.9 s per call; releasing keeps 0.54-0.56 GB but takes
 * ~10.5 s with glibc malloc, because fresh pages are slow to fault in on these VMs — with jemalloc
 * ({@code LD_PRELOAD=libjemalloc.so.2 MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1}) it is as fast as the
 * cache (2.5-3.1 s) at the lower memory;</li>
 * <li>forward+backward: used for the UNet too (SD 2.1 at 64x64: 17.2 GiB and 26.5 s per call against 19.8 GiB
 * and 38 s with the cache); the text encoder's backward keeps a capped cache instead, because freeing at once
 * kept growing there (see NetGraph#gradientArrayCache).</li>
 * </ul>
 * Full SD 2.1 (all three networks, float32) with one UNet forward at a 96x96 latent: peak RSS 20.6 GiB with the
 * cache and glibc, 10.6 GiB with this manager and jemalloc (and 3x faster). So this manager is used whenever
 * jemalloc is loaded; with glibc SameDiff's cache stays the default.
 */
final class ReleasingMemoryMgr extends AbstractMemoryMgr {
    @Override
    public INDArray allocate(boolean detached, DataType dataType, long... shape) {
        return Nd4j.createUninitializedDetached(dataType, shape);
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
        if (descriptor.isEmpty()) return Nd4j.create(descriptor);
        return Nd4j.createUninitializedDetached(descriptor.dataType(), descriptor.getShape());
    }

    @Override
    public void release(INDArray array) {
        if (array.closeable()) array.close();
    }

    @Override
    public void close() {
        // nothing is cached
    }

    private static final boolean ENABLED = enabled(EngineOptions.current().sessionMemory());

    /**
     * {@code release} or {@code cache} when set; otherwise release exactly when jemalloc is the process's allocator
     * (bin/adi preloads it when installed), since only then is freeing and re-allocating cheap.
     */
    static boolean enabled(String setting) {
        if (setting != null) return "release".equals(setting);
        return NativeAllocator.jemallocLoaded();
    }

    /** Makes the calling thread's session of {@code sd} (created here if needed) use this manager. */
    static void install(SameDiff sd) {
        if (!ENABLED) return;
        long thread = Thread.currentThread().getId();
        InferenceSession session = sd.getSessions().get(thread);
        if (session == null) {
            session = new InferenceSession(sd);
            sd.getSessions().put(thread, session);
        }
        if (!(session.getMmgr() instanceof ReleasingMemoryMgr)) session.setMmgr(new ReleasingMemoryMgr());
    }
}
