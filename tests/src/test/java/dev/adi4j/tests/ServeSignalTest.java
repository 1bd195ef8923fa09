package dev.adi4j.tests;

import dev.adi4j.testsupport.Shared;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code adi serve} under a real SIGTERM (bin/adi in its own process): the request in flight is finished and
 * answered, the process then exits by itself, and nothing is served afterwards.
 */
class ServeSignalTest {
    static final Path LAUNCHER = Path.of("..", "bin", "adi").toAbsolutePath().normalize();
    static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

    @Test
    void sigtermFinishesTheJobInFlightThenExits() throws Exception {
        Process p = new ProcessBuilder(LAUNCHER.toString(), "serve", "--model", Shared.tinySd().toString(), "--port", "0")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String base = null;
            StringBuilder log = new StringBuilder();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
                log.append(line).append('\n');
                Matcher m = LISTENING.matcher(line);
                if (m.find()) base = m.group(1);
                if (line.contains("adi serve: ready")) break;
            }
            assertNotNull(base, "no 'listening on' line: " + log);
            assertTrue(log.toString().contains("ready"), log.toString());
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "drain");
            drain.setDaemon(true);
            drain.start();

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String body = "{\"prompt\": \"a photo of a cat\", \"steps\": 20, \"width\": 64, \"height\": 64, \"seed\": 1}";
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(HttpRequest.newBuilder(
                            URI.create(base + "/sdapi/v1/txt2img")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(1500); // the job is running
            p.destroy(); // SIGTERM

            HttpResponse<String> r = inFlight.get(120, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"images\"") && !r.body().contains("\"error\""), r.body());
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the server did not exit after SIGTERM");
            // the JVM reports a SIGTERM exit as 128 + 15 once its shutdown hook has run
            assertEquals(143, p.exitValue());
            String health = base + "/health";
            assertThrows(java.io.IOException.class, () -> http.send(HttpRequest.newBuilder(URI.create(health)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        } finally {
            p.destroyForcibly();
        }
    }
}
