package dev.adi4j.serve;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load benchmark of {@code adi serve} (not a test): {@code clients} concurrent clients post txt2img for
 * {@code duration} against a server on 127.0.0.1 and the latencies of the answered requests are summarised. Only the
 * loopback address is ever contacted.
 */
public final class ServeBench {
    /** What one run measured; latencies are of 200 answers, seconds. */
    public record Report(int clients, double seconds, int ok, int rejected, int failed, double p50, double p95,
                         double max, double throughput, long peakRssBytes) {
        public String format() {
            return String.format(Locale.ROOT, "clients %d, %.0f s: %d ok, %d rejected (503), %d failed; latency p50 %.3f s,"
                            + " p95 %.3f s, max %.3f s; throughput %.2f images/s; server peak RSS %.0f MiB",
                    clients, seconds, ok, rejected, failed, p50, p95, max, throughput, peakRssBytes / 1048576.0);
        }
    }

    private ServeBench() {
    }

    /** Runs the clients against {@code http://127.0.0.1:port}. */
    public static Report run(int port, String token, int clients, Duration duration, String body) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/sdapi/v1/txt2img");
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger rejected = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body))
                            .header("Content-Type", "application/json");
                    if (token != null) b.header("Authorization", "Bearer " + token);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                        double s = (System.nanoTime() - t0) / 1e9;
                        if (r.statusCode() == 200 && r.body().contains("\"images\"")) latencies.add(s);
                        else if (r.statusCode() == 503) {
                            rejected.incrementAndGet();
                            Thread.sleep(100); // a well-behaved client backs off
                        } else failed.incrementAndGet();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "serve-bench-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Double> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        int imagesPerRequest = 1;
        Matcher m = Pattern.compile("\"batch_size\"\\s*:\\s*(\\d+)").matcher(body);
        if (m.find()) imagesPerRequest = Integer.parseInt(m.group(1));
        return new Report(clients, seconds, sorted.size(), rejected.get(), failed.get(), quantile(sorted, 0.5),
                quantile(sorted, 0.95), sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1),
                sorted.size() * imagesPerRequest / seconds, peakRss(http, port, token));
    }

    private static double quantile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) return Double.NaN;
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }

    /** The server's own peak RSS from its /metrics (the server may be another process). */
    private static long peakRss(HttpClient http, int port, String token) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"));
            if (token != null) b.header("Authorization", "Bearer " + token);
            String text = http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^adi_serve_peak_rss_bytes\\s+(\\S+)").matcher(text);
            return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return -1;
        }
    }
}
