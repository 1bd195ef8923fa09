package dev.adi4j.cli;

import dev.adi4j.serve.AdiServer;
import dev.adi4j.serve.ServeBench;
import dev.adi4j.serve.ServeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code adi serve-bench}: N concurrent txt2img clients for a bounded time against a server on 127.0.0.1. */
@Command(name = "serve-bench", mixinStandardHelpOptions = true,
        description = "Load benchmark of adi serve on 127.0.0.1: p50/p95 latency, throughput, the server's peak RSS.")
public final class ServeBenchCommand implements Callable<Integer> {
    @Option(names = "--model", description = "start a server in this process with this model (else --port names a running one)")
    Path model;
    @Option(names = "--port", defaultValue = "7860", description = "port of a running adi serve on 127.0.0.1 (without --model)") int port;
    @Option(names = "--token") String token;
    @Option(names = "--clients", defaultValue = "4") int clients;
    @Option(names = "--seconds", defaultValue = "60") int seconds;
    @Option(names = "--queue", defaultValue = "8", description = "queue of the in-process server") int queue;
    @Option(names = "--size", defaultValue = "64", description = "width and height of the images") int size;
    @Option(names = "--steps", defaultValue = "2") int steps;
    @Option(names = "--sampler", defaultValue = "DDIM") String sampler;

    @Override
    public Integer call() throws Exception {
        Flags.atLeast("--clients", clients, 1);
        Flags.atLeast("--seconds", seconds, 1);
        Flags.atLeast("--steps", steps, 1);
        if (model != null && !Files.isDirectory(model)) throw new UserException("--model " + model + ": no such model folder");
        String body = String.format("{\"prompt\":\"a photo of a cat\",\"steps\":%d,\"width\":%d,\"height\":%d,"
                + "\"sampler_name\":\"%s\",\"seed\":1,\"cfg_scale\":7}", steps, size, size, sampler);
        AdiServer server = null;
        int target = port;
        if (model != null) {
            server = AdiServer.start(ServeConfig.defaults(model).withPort(0).withQueue(queue).withToken(token));
            server.load();
            target = server.port();
        }
        try {
            System.err.printf("serve-bench: %d clients for %d s against 127.0.0.1:%d, %dx%d, %d steps%n",
                    clients, seconds, target, size, size, steps);
            System.out.println(ServeBench.run(target, token, clients, Duration.ofSeconds(seconds), body).format());
        } finally {
            if (server != null) server.close();
        }
        return 0;
    }
}
