package dev.adi4j.cli;

import dev.adi4j.serve.AdiServer;
import dev.adi4j.serve.ServeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code adi serve}: AUTOMATIC1111's txt2img API subset over HTTP (see {@link AdiServer} and the README). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve txt2img over HTTP with AUTOMATIC1111's API (/sdapi/v1/txt2img, sd-models, samplers, progress), /health and /metrics.")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "diffusers model folder, loaded once") Path model;
    @Option(names = "--identifiers", description = "learned identifiers (safetensors), usable by their token in any prompt; repeatable")
    List<Path> identifiers = new ArrayList<>();
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default: localhost only)") String host;
    @Option(names = "--port", defaultValue = "7860") int port;
    @Option(names = "--token", description = "require 'Authorization: Bearer TOKEN' on every endpoint but /health") String token;
    @Option(names = "--max-pixels", defaultValue = "1048576", description = "width x height of one image at most") long maxPixels;
    @Option(names = "--max-steps", defaultValue = "150") int maxSteps;
    @Option(names = "--max-images", defaultValue = "8", description = "batch_size x n_iter of one request at most") int maxImages;
    @Option(names = "--queue", defaultValue = "4", description = "requests that may wait behind the running one; more get 503") int queue;
    @Option(names = "--max-body", defaultValue = "1048576", description = "request body size cap in bytes") int maxBody;
    @Option(names = "--shutdown-grace", defaultValue = "30", description = "seconds queued and running jobs get to finish on SIGTERM")
    int shutdownGrace;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(model)) throw new UserException("--model " + model + ": no such model folder");
        for (Path f : identifiers) {
            if (!Files.isRegularFile(f)) throw new UserException("--identifiers " + f + (Files.exists(f) ? ": not a regular file" : ": no such file"));
        }
        Flags.atLeast("--max-pixels", maxPixels, 64);
        Flags.atLeast("--max-steps", maxSteps, 1);
        Flags.atLeast("--max-images", maxImages, 1);
        Flags.atLeast("--queue", queue, 0);
        Flags.atLeast("--max-body", maxBody, 1024);
        Flags.atLeast("--shutdown-grace", shutdownGrace, 0);
        if (port < 0 || port > 65535) throw new UserException("--port " + port + ": must be 0..65535");
        if (token != null && token.isBlank()) throw new UserException("--token: must not be blank");
        ServeConfig cfg = new ServeConfig(model, identifiers, host, port, token, maxPixels, maxSteps, maxImages, queue,
                maxBody, Duration.ofMillis(500), Duration.ofSeconds(shutdownGrace));
        AdiServer server;
        try {
            server = AdiServer.start(cfg);
        } catch (java.net.BindException e) {
            throw new UserException("--host " + host + " --port " + port + ": cannot bind (" + e.getMessage() + ")");
        }
        // SIGTERM/SIGINT: refuse new work, let running jobs finish within the grace period, then exit
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "adi-serve-shutdown"));
        System.err.println("adi serve: listening on http://" + host + ":" + server.port() + " (loading " + model + ")");
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1") && token == null) {
            System.err.println("adi serve: warning: bound to " + host + " without --token; anyone who reaches it can generate");
        }
        try {
            server.load();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        System.err.println("adi serve: ready");
        server.awaitClosed();
        return 0;
    }
}
