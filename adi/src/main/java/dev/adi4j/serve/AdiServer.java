package dev.adi4j.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.adi4j.diffusion.identifier.Identifiers;
import dev.adi4j.diffusion.pipeline.GenerationRequest;
import dev.adi4j.diffusion.pipeline.StableDiffusionPipeline;
import dev.adi4j.diffusion.unet.UNet2DConditionModel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code adi serve}: AUTOMATIC1111's txt2img API subset over HTTP, on the JDK's {@code com.sun.net.httpserver}.
 *
 * <p>Why the JDK server: it ships with every Java 17, adds no dependency, and a one-job-at-a-time generation server
 * needs no more than it offers. What it lacks is a signal that a client has gone: a handler only learns it when a
 * write fails. So a txt2img request that waits longer than {@code heartbeat} commits status 200 with a chunked body
 * and writes one space (insignificant whitespace before the JSON) every heartbeat; the write that fails cancels the
 * job, which stops before its next sampler step. Consequences, documented in the README: a disconnect is noticed
 * within about two heartbeats, and an error after the commit (generation failed, shutdown) arrives as a JSON error
 * body under status 200. Requests answered within one heartbeat keep their real status.
 *
 * <p>No request value reaches the file system: paths are matched exactly against fixed routes and only the model and
 * identifier files named on the command line are ever opened.
 */
public final class AdiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ServeConfig cfg;
    private final HttpServer http;
    private final ExecutorService handlers;
    private final ServeMetrics metrics;
    private final AtomicInteger activeExchanges = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final byte[] expectedAuth;
    private volatile GenerationService service;
    private volatile Txt2Img.ModelLimits limits;
    private volatile Identifiers identifiers = Identifiers.none();
    private volatile String modelName;
    private volatile boolean closing;

    private AdiServer(ServeConfig cfg) throws IOException {
        this.cfg = cfg;
        this.expectedAuth = cfg.token() == null ? null : ("Bearer " + cfg.token()).getBytes(StandardCharsets.UTF_8);
        this.metrics = new ServeMetrics(() -> service == null ? 0 : service.waitingCount());
        this.http = HttpServer.create(new InetSocketAddress(cfg.host(), cfg.port()), 0);
        AtomicInteger n = new AtomicInteger();
        // one thread per open request: admission bounds the waiting ones, the others answer at once
        this.handlers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "adi-serve-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(handlers);
        http.createContext("/", this::handle);
    }

    /** Binds and starts answering ({@code /health} says 503 until {@link #load()} has loaded the model). */
    public static AdiServer start(ServeConfig cfg) throws IOException {
        AdiServer s = new AdiServer(cfg);
        s.http.start();
        return s;
    }

    /** Loads the model and the identifiers once; after this {@code /health} is 200 and txt2img is served. */
    public void load() {
        StableDiffusionPipeline pipe = StableDiffusionPipeline.load(cfg.model());
        try {
            Map<String, INDArray> all = new LinkedHashMap<>();
            for (Path f : cfg.identifiers()) {
                Identifiers one = Identifiers.load(f);
                one.checkFits(f, pipe.textEncoder().config().hiddenSize(),
                        UNet2DConditionModel.crossAttentionLayers(pipe.unet().config()));
                for (String token : one.vectors().keySet()) {
                    if (all.containsKey(token)) throw new IllegalArgumentException(f + ": identifier '" + token
                            + "' is also in an earlier --identifiers file");
                }
                all.putAll(one.vectors());
            }
            identifiers = new Identifiers(all);
            int factor = pipe.codec().downscaleFactor();
            limits = new Txt2Img.ModelLimits(factor,
                    UNet2DConditionModel.minimumLatentSide(pipe.unet().config()) * factor,
                    pipe.unet().config().sampleSize() * factor, pipe.schedulerConfig().numTrainTimesteps());
            Path name = cfg.model().toAbsolutePath().normalize().getFileName();
            modelName = name == null ? "model" : name.toString();
            service = new GenerationService(pipe, identifiers, modelName, cfg.queue(), metrics);
        } catch (RuntimeException e) {
            try {
                pipe.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The bound port (useful with port 0). */
    public int port() { return http.getAddress().getPort(); }

    public ServeConfig config() { return cfg; }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClosed() throws InterruptedException { closedLatch.await(); }

    /**
     * Graceful stop: new work is refused (503, {@code /health} 503 so a load balancer drains the instance), queued and
     * running jobs get {@code shutdownGrace} to finish and are cancelled after it, then the listener closes.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) return;
        closing = true;
        try {
            GenerationService s = service;
            if (s != null) {
                s.stopAccepting();
                if (!s.awaitIdle(cfg.shutdownGrace().toMillis())) s.cancelAll("the server is shutting down");
            }
            long end = System.currentTimeMillis() + 10_000;
            while (activeExchanges.get() > 0 && System.currentTimeMillis() < end) Thread.sleep(20);
            // stop(0): JDK 17's stop(delay) waits the whole delay even when nothing is in flight
            http.stop(0);
            handlers.shutdownNow();
            if (s != null) s.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.err.println("adi serve: error while shutting down: " + e);
        } finally {
            closedLatch.countDown();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        long t0 = System.nanoTime();
        String path = ex.getRequestURI().getPath();
        String endpoint = switch (path) {
            case "/health", "/metrics", "/sdapi/v1/txt2img", "/sdapi/v1/sd-models", "/sdapi/v1/samplers",
                 "/sdapi/v1/progress" -> path;
            default -> "other";
        };
        activeExchanges.incrementAndGet();
        int status = 500;
        try {
            status = route(ex, path);
        } catch (ApiException e) {
            status = e.status();
            if (e.retryAfterSeconds() != null) ex.getResponseHeaders().set("Retry-After", e.retryAfterSeconds().toString());
            if (e.status() == 401) ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            sendJson(ex, status, error(e.getMessage(), e.field()));
        } catch (IOException e) {
            status = 499; // the client went away while we answered (nginx's code for it)
        } catch (RuntimeException e) {
            status = 500;
            sendJson(ex, 500, error("internal error: " + e, null));
        } finally {
            ex.close();
            activeExchanges.decrementAndGet();
            metrics.request(endpoint, status, t0);
        }
    }

    private int route(HttpExchange ex, String path) throws IOException {
        if (!path.equals("/health")) checkToken(ex);
        return switch (path) {
            case "/health" -> {
                requireMethod(ex, "GET");
                boolean ready = service != null && !closing;
                int code = ready ? 200 : 503;
                sendJson(ex, code, JSON.createObjectNode().put("status", closing ? "shutting down" : ready ? "ready" : "loading"));
                yield code;
            }
            case "/metrics" -> {
                requireMethod(ex, "GET");
                send(ex, 200, ServeMetrics.contentType(), metrics.scrape());
                yield 200;
            }
            case "/sdapi/v1/sd-models" -> {
                requireMethod(ex, "GET");
                ArrayNode a = JSON.createArrayNode();
                // the folder name only: the server's own paths are none of the client's business
                a.addObject().put("title", modelName).put("model_name", modelName).putNull("hash").putNull("sha256")
                        .put("filename", modelName).putNull("config");
                sendJson(ex, 200, a);
                yield 200;
            }
            case "/sdapi/v1/samplers" -> {
                requireMethod(ex, "GET");
                ArrayNode a = JSON.createArrayNode();
                for (A1111Samplers.Entry e : A1111Samplers.all()) {
                    ObjectNode o = a.addObject().put("name", e.name());
                    ArrayNode aliases = o.putArray("aliases").add(e.adi4jName());
                    e.aliases().forEach(aliases::add);
                    o.putObject("options");
                }
                sendJson(ex, 200, a);
                yield 200;
            }
            case "/sdapi/v1/progress" -> {
                requireMethod(ex, "GET");
                sendJson(ex, 200, progressJson());
                yield 200;
            }
            case "/sdapi/v1/txt2img" -> {
                requireMethod(ex, "POST");
                yield txt2img(ex);
            }
            default -> throw new ApiException(404, null, "no such endpoint: " + path);
        };
    }

    private void checkToken(HttpExchange ex) {
        if (expectedAuth == null) return;
        String got = ex.getRequestHeaders().getFirst("Authorization");
        // constant-time comparison: the token must not leak through response timing
        if (got == null || !MessageDigest.isEqual(expectedAuth, got.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "Authorization", "Authorization: a valid 'Bearer <token>' header is required");
        }
    }

    private static void requireMethod(HttpExchange ex, String method) {
        if (!ex.getRequestMethod().equals(method)) {
            ex.getResponseHeaders().set("Allow", method);
            throw new ApiException(405, null, ex.getRequestMethod() + " not allowed here; use " + method);
        }
    }

    private ObjectNode progressJson() {
        GenerationService s = service;
        Progress p = s == null ? new Progress(false, 0, 0, 0, 0) : s.progress();
        ObjectNode o = JSON.createObjectNode().put("progress", p.fraction()).put("eta_relative", p.etaSeconds());
        o.putObject("state").put("skipped", false).put("interrupted", false)
                .put("job", p.running() ? "txt2img" : "").put("job_count", (p.running() ? 1 : 0) + p.waiting())
                .put("job_no", 0).put("sampling_step", p.step()).put("sampling_steps", p.totalSteps());
        o.putNull("current_image");
        o.put("textinfo", p.running() ? "step " + p.step() + " of " + p.totalSteps() : "idle");
        return o;
    }

    private int txt2img(HttpExchange ex) throws IOException {
        GenerationService s = service;
        if (s == null || closing) {
            throw new ApiException(503, null, closing ? "the server is shutting down" : "the model is still loading", 5);
        }
        byte[] body = readBody(ex);
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "body", "body: not valid JSON (" + e.getOriginalMessage() + ")");
        }
        Txt2Img task = Txt2Img.parse(tree, cfg, limits, identifiers);
        Job job = s.submit(task);
        OutputStream out = null;
        long heartbeat = Math.max(1, cfg.heartbeat().toMillis());
        while (true) {
            try {
                Job.Result r = job.result.get(heartbeat, TimeUnit.MILLISECONDS);
                byte[] json = JSON.writeValueAsBytes(response(task, r));
                if (out == null) {
                    send(ex, 200, "application/json", json);
                } else {
                    out.write(json);
                    out.flush();
                }
                return 200;
            } catch (TimeoutException stillRunning) {
                try {
                    if (out == null) {
                        ex.getResponseHeaders().set("Content-Type", "application/json");
                        ex.sendResponseHeaders(200, 0); // chunked from here on
                        out = ex.getResponseBody();
                    }
                    out.write(' ');
                    out.flush();
                } catch (IOException gone) {
                    s.cancel(job, "the client disconnected");
                    return 499;
                }
            } catch (ExecutionException | java.util.concurrent.CancellationException failed) {
                Throwable cause = failed instanceof ExecutionException ? failed.getCause() : failed;
                int code = cause instanceof Job.Cancelled ? 503 : 500;
                if (code == 500 && "1".equals(System.getenv("ADI4J_DEBUG"))) cause.printStackTrace();
                String message = cause instanceof Job.Cancelled ? "cancelled: " + cause.getMessage()
                        : "generation failed: " + cause;
                if (out == null) throw new ApiException(code, null, message);
                out.write(JSON.writeValueAsBytes(error(message, null).put("status", code)));
                return code;
            } catch (InterruptedException e) {
                s.cancel(job, "the server is shutting down");
                Thread.currentThread().interrupt();
                return 503;
            }
        }
    }

    private byte[] readBody(HttpExchange ex) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > cfg.maxBodyBytes()) throw tooLarge();
            } catch (NumberFormatException e) {
                throw new ApiException(400, "Content-Length", "Content-Length: not a number");
            }
        }
        // chunked bodies carry no length: read at most one byte past the cap to tell
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try (InputStream in = ex.getRequestBody()) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                buf.write(chunk, 0, n);
                if (buf.size() > cfg.maxBodyBytes()) throw tooLarge();
            }
        }
        return buf.toByteArray();
    }

    private ApiException tooLarge() {
        return new ApiException(413, "body", "body: larger than " + cfg.maxBodyBytes() + " bytes");
    }

    private ObjectNode response(Txt2Img task, Job.Result r) {
        GenerationRequest req = task.request();
        ObjectNode o = JSON.createObjectNode();
        ArrayNode images = o.putArray("images");
        r.pngs().forEach(p -> images.add(Base64.getEncoder().encodeToString(p)));
        o.set("parameters", task.parameters());
        ObjectNode info = JSON.createObjectNode();
        int n = r.pngs().size();
        info.put("prompt", req.prompt());
        ArrayNode allPrompts = info.putArray("all_prompts");
        info.put("negative_prompt", req.negativePrompt());
        ArrayNode allNegative = info.putArray("all_negative_prompts");
        info.put("seed", req.seed());
        ArrayNode allSeeds = info.putArray("all_seeds");
        for (int i = 0; i < n; i++) {
            allPrompts.add(req.prompt());
            allNegative.add(req.negativePrompt());
            allSeeds.add(r.seeds().get(i));
        }
        info.put("subseed", -1).put("subseed_strength", 0).put("width", req.width()).put("height", req.height())
                .put("sampler_name", task.samplerName() == null ? "model default" : task.samplerName())
                .put("cfg_scale", req.guidance()).put("steps", req.steps()).put("batch_size", task.batchSize())
                .put("n_iter", task.nIter()).put("restore_faces", false).put("sd_model_name", modelName)
                .put("sd_model_hash", (String) null).put("index_of_first_image", 0).put("clip_skip", 1)
                .put("job_timestamp", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")))
                .put("seconds", r.seconds()).put("version", "adi4j");
        ArrayNode infotexts = info.putArray("infotexts");
        r.infotexts().forEach(infotexts::add);
        info.putArray("styles");
        ArrayNode ignored = info.putArray("ignored_fields");
        task.ignored().forEach(ignored::add);
        try {
            o.put("info", JSON.writeValueAsString(info));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return o;
    }

    private static ObjectNode error(String message, String field) {
        ObjectNode o = JSON.createObjectNode().put("error", message);
        if (field != null) o.put("field", field);
        return o;
    }

    private static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }
}
