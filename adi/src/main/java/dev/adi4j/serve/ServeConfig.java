package dev.adi4j.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How {@code adi serve} runs. Every limit is the operator's: requests cannot raise them.
 *
 * @param queue            jobs that may wait behind the running one; beyond that the answer is 503 with Retry-After
 * @param maxPixels        width x height of one image at most
 * @param maxImages        batch_size x n_iter of one request at most
 * @param maxBodyBytes     request bodies above this are refused (413) before being parsed
 * @param heartbeat        how often a waiting request checks that its client is still connected
 * @param shutdownGrace    how long a shutdown lets queued and running jobs finish before cancelling them
 */
public record ServeConfig(Path model, List<Path> identifiers, String host, int port, String token, long maxPixels,
                          int maxSteps, int maxImages, int queue, int maxBodyBytes, Duration heartbeat,
                          Duration shutdownGrace) {
    public ServeConfig {
        identifiers = List.copyOf(identifiers);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + ": must be 0..65535");
        if (maxPixels < 1 || maxSteps < 1 || maxImages < 1 || maxBodyBytes < 1) {
            throw new IllegalArgumentException("max pixels, steps, images and body size must be at least 1");
        }
        if (queue < 0) throw new IllegalArgumentException("queue " + queue + ": must be at least 0");
        if (token != null && token.isBlank()) throw new IllegalArgumentException("token: must not be blank");
    }

    /** Localhost, port 7860 (A1111's), no token, 1024x1024 pixels, 150 steps, 8 images, 4 waiting, 1 MiB bodies. */
    public static ServeConfig defaults(Path model) {
        return new ServeConfig(model, List.of(), "127.0.0.1", 7860, null, 1024L * 1024, 150, 8, 4, 1 << 20,
                Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    public ServeConfig withPort(int p) {
        return new ServeConfig(model, identifiers, host, p, token, maxPixels, maxSteps, maxImages, queue, maxBodyBytes,
                heartbeat, shutdownGrace);
    }

    public ServeConfig withToken(String t) {
        return new ServeConfig(model, identifiers, host, port, t, maxPixels, maxSteps, maxImages, queue, maxBodyBytes,
                heartbeat, shutdownGrace);
    }

    public ServeConfig withQueue(int q) {
        return new ServeConfig(model, identifiers, host, port, token, maxPixels, maxSteps, maxImages, q, maxBodyBytes,
                heartbeat, shutdownGrace);
    }

    public ServeConfig withLimits(long pixels, int steps, int images, int bodyBytes) {
        return new ServeConfig(model, identifiers, host, port, token, pixels, steps, images, queue, bodyBytes,
                heartbeat, shutdownGrace);
    }

    public ServeConfig withIdentifiers(List<Path> ids) {
        return new ServeConfig(model, ids, host, port, token, maxPixels, maxSteps, maxImages, queue, maxBodyBytes,
                heartbeat, shutdownGrace);
    }

    public ServeConfig withHost(String h) {
        return new ServeConfig(model, identifiers, h, port, token, maxPixels, maxSteps, maxImages, queue, maxBodyBytes,
                heartbeat, shutdownGrace);
    }

    public ServeConfig withShutdownGrace(Duration g) {
        return new ServeConfig(model, identifiers, host, port, token, maxPixels, maxSteps, maxImages, queue, maxBodyBytes,
                heartbeat, g);
    }
}
