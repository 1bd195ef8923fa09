package dev.adi4j.serve;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One admitted txt2img request: done when its images are encoded, failed or cancelled. */
final class Job {
    /** The outcome of a finished job: one PNG per image (seed = first seed + i) and the seconds it ran. */
    record Result(List<byte[]> pngs, List<Long> seeds, List<String> infotexts, double seconds) {
    }

    /** Why a job stopped before its end (client gone, server shutting down). */
    static final class Cancelled extends RuntimeException {
        Cancelled(String reason) {
            super(reason);
        }
    }

    final Txt2Img task;
    final long admittedNanos = System.nanoTime();
    final CompletableFuture<Result> result = new CompletableFuture<>();
    private volatile String cancelReason;

    Job(Txt2Img task) {
        this.task = task;
    }

    /** Asks the job to stop; the worker notices before its next sampler step. */
    void cancel(String reason) {
        if (cancelReason == null) cancelReason = reason;
    }

    /** Throws {@link Cancelled} when the job was asked to stop. */
    void checkCancelled() {
        String r = cancelReason;
        if (r != null) throw new Cancelled(r);
    }

    boolean cancelled() { return cancelReason != null; }
}
