package dev.adi4j.serve;

import dev.adi4j.harness.bench.MemoryProbe;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.IntSupplier;

/**
 * The server's metrics in the Prometheus text format, kept with the Prometheus Java client 1.x
 * ({@code io.prometheus:prometheus-metrics-core}): the official client, maintained, no dependencies beyond its own
 * model and text writer, and it stays out of the HTTP layer (this server answers {@code /metrics} itself).
 * A registry per server, not the global default, so that several servers in one JVM (tests) do not collide.
 */
final class ServeMetrics {
    private static final double[] LATENCY_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram latency;
    private final Histogram queueWait;
    private final Counter jobs;
    private final Counter steps;
    private final Counter rejected;
    private final Gauge stepsPerSecond;

    ServeMetrics(IntSupplier queueDepth) {
        requests = Counter.builder().name("adi_serve_requests").help("HTTP requests by endpoint and status")
                .labelNames("endpoint", "status").register(registry);
        latency = Histogram.builder().name("adi_serve_request_duration_seconds")
                .help("time from request to response by endpoint").labelNames("endpoint").classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS).register(registry);
        queueWait = Histogram.builder().name("adi_serve_queue_wait_seconds")
                .help("time a txt2img job waited before its generation started").classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS).register(registry);
        jobs = Counter.builder().name("adi_serve_jobs").help("txt2img jobs by outcome (ok, cancelled, failed)")
                .labelNames("outcome").register(registry);
        rejected = Counter.builder().name("adi_serve_queue_rejected").help("txt2img requests refused with 503, queue full")
                .register(registry);
        steps = Counter.builder().name("adi_serve_sampler_steps").help("sampler steps run (rate() = steps/s)")
                .register(registry);
        stepsPerSecond = Gauge.builder().name("adi_serve_steps_per_second")
                .help("sampler steps per second of the last finished job").register(registry);
        GaugeWithCallback.builder().name("adi_serve_queue_depth").help("txt2img jobs waiting (not counting the running one)")
                .callback(cb -> cb.call(queueDepth.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("adi_serve_peak_rss_bytes").help("peak resident set size of the process (VmHWM)")
                .callback(cb -> cb.call(MemoryProbe.peakRss())).register(registry);
        GaugeWithCallback.builder().name("adi_serve_rss_bytes").help("resident set size of the process (VmRSS)")
                .callback(cb -> cb.call(MemoryProbe.currentRss())).register(registry);
    }

    void request(String endpoint, int status, long startNanos) {
        requests.labelValues(endpoint, Integer.toString(status)).inc();
        latency.labelValues(endpoint).observe((System.nanoTime() - startNanos) / 1e9);
    }

    void queueWait(Job job) {
        queueWait.observe((System.nanoTime() - job.admittedNanos) / 1e9);
    }

    void finished(Job job, String outcome) {
        jobs.labelValues(outcome).inc();
        if (job.result.isDone() && !job.result.isCompletedExceptionally()) {
            Job.Result r = job.result.join();
            if (r.seconds() > 0) stepsPerSecond.set(job.task.request().steps() * r.pngs().size() / r.seconds());
        }
    }

    void step() { steps.inc(); }

    void rejected() { rejected.inc(); }

    /** The Prometheus text exposition (format 0.0.4). */
    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String contentType() { return PrometheusTextFormatWriter.CONTENT_TYPE; }
}
