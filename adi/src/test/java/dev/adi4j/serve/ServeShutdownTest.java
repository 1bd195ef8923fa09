package dev.adi4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adi4j.testsupport.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.adi4j.serve.ServeTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** What SIGTERM's shutdown hook runs: {@link AdiServer#close()}. */
@Timeout(300)
class ServeShutdownTest {
    private static AdiServer start(Duration grace) throws Exception {
        AdiServer s = AdiServer.start(new ServeConfig(Shared.tinySd(), List.of(), "127.0.0.1", 0, null, 256L * 256, 1000, 4,
                2, 1 << 16, Duration.ofMillis(100), grace));
        assertEquals(503, get(s, "/health", null).statusCode(), "not ready before the model is loaded");
        s.load();
        assertEquals(200, get(s, "/health", null).statusCode());
        return s;
    }

    @Test
    void runningJobFinishesNewWorkIsRefusedThenTheListenerCloses() throws Exception {
        AdiServer s = start(Duration.ofSeconds(120));
        CompletableFuture<HttpResponse<String>> job = HTTP.sendAsync(postRequest(s, "/sdapi/v1/txt2img", null,
                "{\"prompt\":\"x\",\"steps\":60,\"width\":32,\"height\":32,\"sampler_name\":\"DDIM\",\"seed\":3}"),
                HttpResponse.BodyHandlers.ofString());
        awaitProgress(s, null, p -> p.get("state").get("sampling_step").asInt() > 0);
        Thread closer = new Thread(s::close);
        closer.start();
        // draining: the instance leaves the load balancer and refuses new jobs while the running one goes on
        long end = System.currentTimeMillis() + 10_000;
        while (get(s, "/health", null).statusCode() != 503 && System.currentTimeMillis() < end) Thread.sleep(10);
        if (!job.isDone()) {
            assertEquals("shutting down", json(get(s, "/health", null)).get("status").asText());
            HttpResponse<String> refused = post(s, "/sdapi/v1/txt2img", null, "{\"prompt\":\"y\",\"steps\":1}");
            assertEquals(503, refused.statusCode(), refused.body());
        }
        HttpResponse<String> r = job.get();
        assertEquals(200, r.statusCode());
        JsonNode o = JSON.readTree(r.body());
        assertEquals(1, o.get("images").size(), r.body());
        closer.join(30_000);
        assertFalse(closer.isAlive());
        Exception e = assertThrows(Exception.class, () -> get(s, "/health", null));
        assertTrue(e instanceof ConnectException || e.getCause() instanceof ConnectException, e.toString());
    }

    @Test
    void afterTheGracePeriodRunningJobsAreCancelled() throws Exception {
        AdiServer s = start(Duration.ZERO);
        CompletableFuture<HttpResponse<String>> job = HTTP.sendAsync(postRequest(s, "/sdapi/v1/txt2img", null,
                "{\"prompt\":\"x\",\"steps\":500,\"n_iter\":4,\"width\":32,\"height\":32,\"sampler_name\":\"DDIM\"}"),
                HttpResponse.BodyHandlers.ofString());
        awaitProgress(s, null, p -> p.get("state").get("sampling_step").asInt() > 0);
        long t0 = System.nanoTime();
        s.close();
        assertTrue((System.nanoTime() - t0) / 1e9 < 20, "close waited for the job instead of cancelling it");
        HttpResponse<String> r = job.get();
        // committed under 200 by the heartbeat, so the cancellation is in the body
        JsonNode o = JSON.readTree(r.body());
        assertTrue(o.get("error").asText().contains("shutting down"), r.body());
        assertEquals(503, o.get("status").asInt());
    }
}
