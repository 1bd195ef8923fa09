package dev.adi4j.serve;

import dev.adi4j.core.image.ImageSet;
import dev.adi4j.core.image.Images;
import dev.adi4j.core.image.PixelRange;
import dev.adi4j.diffusion.identifier.Identifiers;
import dev.adi4j.diffusion.pipeline.GenerationRequest;
import dev.adi4j.diffusion.pipeline.StableDiffusionPipeline;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs txt2img jobs one at a time on one worker thread (a generation uses every core; two at once would only
 * share them and double the memory), with a bounded queue in front. The pipeline, its UNet graphs (one per
 * latent shape) and the identifiers stay loaded for the life of the service.
 */
final class GenerationService implements AutoCloseable {
    private final StableDiffusionPipeline pipeline;
    private final Identifiers identifiers;
    private final String modelName;
    private final ServeMetrics metrics;
    private final BlockingQueue<Job> waiting;
    private final Thread worker;
    // admitted and not yet finished; the queue alone misses the job between being taken and being marked current
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean stopping;
    private volatile Job current;
    private volatile int doneSteps;
    private volatile int totalSteps;
    private volatile long firstStepNanos;

    GenerationService(StableDiffusionPipeline pipeline, Identifiers identifiers, String modelName, int queue,
                      ServeMetrics metrics) {
        this.pipeline = pipeline;
        this.identifiers = identifiers;
        this.modelName = modelName;
        this.metrics = metrics;
        // queue 0: a SynchronousQueue hands a job over only when the worker is idle and waiting for one
        this.waiting = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        this.worker = new Thread(this::loop, "adi-serve-worker");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Admits a job or refuses it with 503 when the queue is full or the service is stopping. */
    Job submit(Txt2Img task) {
        if (stopping) throw new ApiException(503, null, "the server is shutting down", 5);
        Job job = new Job(task);
        pending.incrementAndGet();
        job.result.whenComplete((r, e) -> pending.decrementAndGet());
        if (!waiting.offer(job)) {
            job.result.cancel(false);
            metrics.rejected();
            // a generation's remaining time is the honest wait; 1 s at least so clients do not spin
            int retry = (int) Math.max(1, Math.ceil(progress().etaSeconds()));
            throw new ApiException(503, null, "the queue is full (" + waiting.size() + " waiting behind the running job)", retry);
        }
        return job;
    }

    /** Removes a job that has not started yet, or asks the running one to stop at its next step. */
    void cancel(Job job, String reason) {
        job.cancel(reason);
        if (waiting.remove(job)) {
            job.result.completeExceptionally(new Job.Cancelled(reason));
            metrics.finished(job, "cancelled");
        }
    }

    Progress progress() {
        Job j = current;
        if (j == null) return new Progress(false, 0, 0, 0, waiting.size());
        int done = doneSteps;
        int total = totalSteps;
        double eta = 0;
        if (done > 0) eta = (System.nanoTime() - firstStepNanos) / 1e9 / done * (total - done);
        return new Progress(true, done, total, eta, waiting.size());
    }

    int waitingCount() { return waiting.size(); }

    /** True when no job runs or waits. */
    boolean idle() { return pending.get() == 0; }

    /** Stops taking jobs: the ones still waiting and the running one are cancelled with {@code reason}. */
    void cancelAll(String reason) {
        stopping = true;
        List<Job> left = new ArrayList<>();
        waiting.drainTo(left);
        left.forEach(j -> {
            j.cancel(reason);
            j.result.completeExceptionally(new Job.Cancelled(reason));
            metrics.finished(j, "cancelled");
        });
        Job j = current;
        if (j != null) j.cancel(reason);
    }

    void stopAccepting() { stopping = true; }

    private void loop() {
        while (!(stopping && waiting.isEmpty())) {
            Job job;
            try {
                job = waiting.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (job == null) continue;
            metrics.queueWait(job);
            current = job;
            try {
                job.checkCancelled();
                job.result.complete(run(job));
                metrics.finished(job, "ok");
            } catch (Job.Cancelled c) {
                job.result.completeExceptionally(c);
                metrics.finished(job, "cancelled");
            } catch (RuntimeException | Error e) {
                job.result.completeExceptionally(e);
                metrics.finished(job, "failed");
            } finally {
                current = null;
            }
        }
    }

    private Job.Result run(Job job) {
        GenerationRequest r = job.task.request();
        totalSteps = r.steps() * r.numImages();
        doneSteps = 0;
        long t0 = System.nanoTime();
        firstStepNanos = t0;
        INDArray images = pipeline.generate(r, identifiers, (step, total, t, out, latents) -> {
            doneSteps++;
            metrics.step();
            job.checkCancelled();
        });
        List<BufferedImage> list = Images.fromTensor(images, PixelRange.ZERO_TO_ONE);
        List<Long> seeds = ImageSet.consecutiveSeeds(r.seed(), r.numImages());
        Map<String, String> settings = r.settings(modelName);
        List<byte[]> pngs = ImageSet.encode(list, seeds, r.prompt(), r.negativePrompt(), settings, Map.of());
        List<String> infotexts = seeds.stream().map(s -> ImageSet.parameters(r.prompt(), r.negativePrompt(), settings, s)).toList();
        return new Job.Result(pngs, seeds, infotexts, (System.nanoTime() - t0) / 1e9);
    }

    /** Waits up to {@code millis} for the worker to finish what it holds. */
    boolean awaitIdle(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!idle()) {
            if (System.currentTimeMillis() > end) return false;
            Thread.sleep(50);
        }
        return true;
    }

    @Override
    public void close() throws Exception {
        cancelAll("the server is shutting down");
        worker.join(60_000);
        pipeline.close();
    }
}
