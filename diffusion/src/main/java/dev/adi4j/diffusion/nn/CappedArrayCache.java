package dev.adi4j.diffusion.nn;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr;

/**
 * SameDiff's array cache with a byte cap of our choosing. Its default cap is a quarter of the off-heap limit per
 * session (4 GiB at bin/adi's 16G), and a cache keeps its arrays between calls: in an ADI step the text encoder's
 * gradient cache then held 3.6 GB that the next UNet pass could not use (measured; the step was OOM-killed).
 */
final class CappedArrayCache extends ArrayCacheMemoryMgr {
    private CappedArrayCache(double fraction) {
        super(fraction, 1024, 2.0);
    }

    /** Makes the calling thread's session of {@code sd} use a cache of at most {@code bytes}. */
    static void install(SameDiff sd, long bytes) {
        long thread = Thread.currentThread().getId();
        InferenceSession session = sd.getSessions().get(thread);
        if (session == null) {
            session = new InferenceSession(sd);
            sd.getSessions().put(thread, session);
        }
        if (session.getMmgr() instanceof CappedArrayCache) return;
        long limit = Math.max(Pointer.maxBytes(), 1);
        session.setMmgr(new CappedArrayCache(Math.max(1e-6, Math.min(0.99, bytes / (double) limit))));
    }
}
