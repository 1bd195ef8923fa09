package dev.adi4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adi4j.cli.Main;
import dev.adi4j.core.image.Images;
import dev.adi4j.core.image.PngText;
import dev.adi4j.diffusion.scheduler.Samplers;
import dev.adi4j.testsupport.Captured;
import dev.adi4j.testsupport.Shared;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static dev.adi4j.serve.ServeTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** adi serve against the tiny model through java.net.http on 127.0.0.1, one server for the class. */
@Timeout(300)
class AdiServerTest {
    static final String TOKEN = "s3cret";
    static AdiServer server;

    @BeforeAll
    static void start() throws Exception {
        ServeConfig cfg = new ServeConfig(Shared.tinySd(), List.of(), "127.0.0.1", 0, TOKEN, 256L * 256, 100_000, 4, 1,
                4096, Duration.ofMillis(100), Duration.ofSeconds(5));
        server = AdiServer.start(cfg);
        server.load();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void txt2imgGivesThePngBytesOfAdiGenerate(@TempDir Path dir) throws Exception {
        String body = """
                {"prompt": "a photo of a cat", "negative_prompt": "blurry", "steps": 2, "cfg_scale": 7.5,
                 "sampler_name": "DDIM", "seed": 5, "width": 64, "height": 32, "batch_size": 2, "n_iter": 1,
                 "restore_faces": false, "enable_hr": false}""";
        HttpResponse<String> r = post(server, "/sdapi/v1/txt2img", TOKEN, body);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode o = json(r);
        JsonNode info = JSON.readTree(o.get("info").asText());
        assertEquals("[5,6]", info.get("all_seeds").toString());
        assertEquals("[\"restore_faces\",\"enable_hr\"]", info.get("ignored_fields").toString());
        assertEquals("DDIM", info.get("sampler_name").asText());
        assertEquals("DDIM", o.get("parameters").get("sampler_name").asText());

        Path out = dir.resolve("out");
        Captured g = Captured.run(() -> Main.run("generate", "--model", Shared.tinySd().toString(), "--prompt",
                "a photo of a cat", "--negative-prompt", "blurry", "--steps", "2", "--guidance", "7.5", "--sampler", "ddim",
                "--seed", "5", "--size", "64x32", "--num-images", "2", "--out", out.toString()));
        assertEquals(0, g.code(), g.all());
        for (int i = 0; i < 2; i++) {
            Path served = dir.resolve("served-" + i + ".png");
            Files.write(served, Base64.getDecoder().decode(o.get("images").get(i).asText()));
            Path written = out.resolve("image-" + (5 + i) + ".png");
            assertArrayEquals(Files.readAllBytes(written), Files.readAllBytes(served), "PNG bytes of image " + i);
            assertArrayEquals(pixels(Images.readRgb(written)), pixels(Images.readRgb(served)), "image " + i);
            String parameters = PngText.read(written).get("parameters");
            assertEquals(parameters, PngText.read(served).get("parameters"));
            assertEquals(parameters, info.get("infotexts").get(i).asText());
        }
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "steps as a string|{\"prompt\":\"x\",\"steps\":\"20\"}|422|steps",
            "fractional width|{\"prompt\":\"x\",\"width\":64.5}|422|width",
            "unknown sampler|{\"prompt\":\"x\",\"sampler_name\":\"Heun\"}|422|sampler_name",
            "prompt not a string|{\"prompt\":[1]}|422|prompt",
            "side not a multiple of 8|{\"prompt\":\"x\",\"width\":60}|422|width",
            "side below the UNet's minimum|{\"prompt\":\"x\",\"width\":16}|422|width",
            "too many pixels|{\"prompt\":\"x\",\"width\":512,\"height\":512}|422|width",
            "too many images|{\"prompt\":\"x\",\"batch_size\":4,\"n_iter\":2}|422|n_iter",
            "zero steps|{\"prompt\":\"x\",\"steps\":0}|422|steps",
            "more steps than the scheduler has|{\"prompt\":\"x\",\"steps\":1001}|422|steps",
            "seed below -1|{\"prompt\":\"x\",\"seed\":-2}|422|seed",
            "unknown identifier|{\"prompt\":\"a <handstand>\"}|422|prompt",
            "not JSON|{\"prompt\": |400|body",
            "not an object|[1,2]|422|body",
    })
    void badRequestsAreRefusedNamingTheField(String name, String body, int status, String field) throws Exception {
        HttpResponse<String> r = post(server, "/sdapi/v1/txt2img", TOKEN, body);
        assertEquals(status, r.statusCode(), r.body());
        JsonNode e = json(r);
        assertEquals(field, e.get("field").asText(), r.body());
        assertTrue(e.get("error").asText().startsWith(field), r.body());
    }

    @Test
    void oversizeBodyIs413() throws Exception {
        String body = "{\"prompt\":\"" + "a".repeat(5000) + "\"}";
        HttpResponse<String> r = post(server, "/sdapi/v1/txt2img", TOKEN, body);
        assertEquals(413, r.statusCode(), r.body());
        assertEquals("body", json(r).get("field").asText());
    }

    @Test
    void theTokenIsRequiredEverywhereButHealth() throws Exception {
        for (String token : new String[]{null, "wrong"}) {
            HttpResponse<String> r = get(server, "/sdapi/v1/samplers", token);
            assertEquals(401, r.statusCode());
            assertEquals("Authorization", json(r).get("field").asText());
            assertEquals(401, post(server, "/sdapi/v1/txt2img", token, "{\"prompt\":\"x\"}").statusCode());
            assertEquals(401, get(server, "/metrics", token).statusCode());
        }
        assertEquals(200, get(server, "/health", null).statusCode());
        assertEquals("ready", json(get(server, "/health", null)).get("status").asText());
    }

    @Test
    void methodsAndPathsAreChecked() throws Exception {
        assertEquals(405, get(server, "/sdapi/v1/txt2img", TOKEN).statusCode());
        HttpResponse<String> r = get(server, "/sdapi/v1/../../etc/passwd", TOKEN);
        assertEquals(404, r.statusCode());
        assertTrue(json(r).has("error"));
        assertEquals(404, get(server, "/sdapi/v1/img2img", TOKEN).statusCode());
    }

    @Test
    void listingEndpoints() throws Exception {
        JsonNode models = json(get(server, "/sdapi/v1/sd-models", TOKEN));
        assertEquals("tiny-sd", models.get(0).get("model_name").asText());
        JsonNode samplers = json(get(server, "/sdapi/v1/samplers", TOKEN));
        assertEquals(A1111Samplers.all().size(), samplers.size());
        for (JsonNode s : samplers) {
            String ours = s.get("aliases").get(0).asText();
            assertTrue(Samplers.names().contains(ours), ours);
        }
        assertTrue(Samplers.names().stream().allMatch(n -> A1111Samplers.find(n).isPresent()), "every adi4j sampler is served");
        assertEquals("euler_a", A1111Samplers.find("Euler a").orElseThrow().adi4jName());
        assertEquals("dpmpp2m_karras", A1111Samplers.find("DPM++ 2M Karras").orElseThrow().adi4jName());
        String metrics = get(server, "/metrics", TOKEN).body();
        for (String m : new String[]{"adi_serve_requests_total", "adi_serve_queue_depth", "adi_serve_request_duration_seconds_bucket",
                "adi_serve_sampler_steps_total", "adi_serve_peak_rss_bytes", "adi_serve_steps_per_second"}) {
            assertTrue(metrics.contains(m), m + " in\n" + metrics);
        }
    }

    /**
     * Queue 1: a running job and a waiting one fill the server, the next request gets 503 with Retry-After; dropping
     * each connection cancels its job (the waiting one before it starts, the running one at its next step).
     */
    @Test
    void fullQueueIs503AndDisconnectsCancel() throws Exception {
        String longJob = "{\"prompt\":\"x\",\"steps\":500,\"n_iter\":4,\"width\":32,\"height\":32,\"sampler_name\":\"DDIM\",\"seed\":1}";
        double cancelledBefore = metric(server, TOKEN, "adi_serve_jobs_total{outcome=\"cancelled\"}");
        try (Socket running = rawTxt2img(server, TOKEN, longJob)) {
            awaitProgress(server, TOKEN, p -> p.get("state").get("sampling_step").asInt() > 0);
            try (Socket waiting = rawTxt2img(server, TOKEN, longJob)) {
                awaitProgress(server, TOKEN, p -> p.get("state").get("job_count").asInt() == 2);
                HttpResponse<String> full = post(server, "/sdapi/v1/txt2img", TOKEN, longJob);
                assertEquals(503, full.statusCode(), full.body());
                assertTrue(full.headers().firstValue("Retry-After").isPresent());
                assertTrue(json(full).get("error").asText().contains("queue is full"), full.body());
                assertEquals(1.0, metric(server, TOKEN, "adi_serve_queue_depth"));
                // a heartbeat space has been committed under 200 on both connections
                assertEquals("HTTP/1.1 200 OK", statusLine(running));
                assertEquals("HTTP/1.1 200 OK", statusLine(waiting));
                waiting.setSoLinger(true, 0);
            }
            running.setSoLinger(true, 0);
        }
        JsonNode idle = awaitProgress(server, TOKEN, p -> p.get("state").get("job_count").asInt() == 0);
        assertEquals(0, idle.get("progress").asDouble());
        long end = System.currentTimeMillis() + 30_000;
        while (metric(server, TOKEN, "adi_serve_jobs_total{outcome=\"cancelled\"}") < cancelledBefore + 2
                && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
        assertEquals(cancelledBefore + 2, metric(server, TOKEN, "adi_serve_jobs_total{outcome=\"cancelled\"}"));
    }
}
