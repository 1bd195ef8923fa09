package dev.adi4j.actionbench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * {@code adi actionbench annotate}: a small web page for blind annotation. The page and the JSON API know images
 * only by their opaque ids and serve re-encoded pixels (no PNG text chunks, which hold the prompt), so neither
 * shows which method made an image; each annotator sees the images in their own shuffled order. Only ids from the
 * index map to files, so no request can reach any other file.
 */
public final class AnnotationServer implements AutoCloseable {
    private final Path out;
    private final BenchIndex index;
    private final Map<String, BenchIndex.Entry> byId;
    private final Map<String, List<String>> orders = new ConcurrentHashMap<>();
    private final Map<String, byte[]> pixels = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final Object lock = new Object();

    public AnnotationServer(Path out, String host, int port) throws IOException {
        this.out = out;
        this.index = BenchIndex.read(out);
        this.byId = index.byId();
        if (byId.isEmpty()) throw new IllegalArgumentException(out + ": the index lists no images yet");
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
    }

    public void start() {
        server.start();
    }

    public URI uri() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            try {
                if (path.equals("/") && method.equals("GET")) {
                    send(ex, 200, "text/html; charset=utf-8", page());
                } else if (path.equals("/api/state") && method.equals("GET")) {
                    json(ex, state(annotator(query(ex).get("annotator"))));
                } else if (path.equals("/api/answer") && method.equals("POST")) {
                    JsonNode b = body(ex);
                    String name = annotator(b.path("annotator").asText(null));
                    synchronized (lock) {
                        Annotations a = Annotations.load(out, name, index.benchSha256());
                        a = a.answer(b.path("id").asText(), b.path("question").asText(), b.path("yes").asBoolean(), order(name));
                        a.save(out);
                    }
                    json(ex, state(name));
                } else if (path.equals("/api/undo") && method.equals("POST")) {
                    String name = annotator(body(ex).path("annotator").asText(null));
                    synchronized (lock) {
                        Annotations.load(out, name, index.benchSha256()).undo().save(out);
                    }
                    json(ex, state(name));
                } else if (path.startsWith("/image/") && method.equals("GET")) {
                    BenchIndex.Entry e = byId.get(path.substring("/image/".length()));
                    if (e == null) {
                        notFound(ex);
                    } else {
                        send(ex, 200, "image/png", pixels.computeIfAbsent(e.id(), id -> reencode(out.resolve(e.file()))));
                    }
                } else if (path.startsWith("/exemplar/") && method.equals("GET")) {
                    byte[] img = exemplar(path.substring("/exemplar/".length()));
                    if (img == null) notFound(ex);
                    else send(ex, 200, "image/png", img);
                } else {
                    notFound(ex);
                }
            } catch (IllegalStateException e) {
                send(ex, 409, "text/plain; charset=utf-8", e.getMessage().getBytes(StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                send(ex, 400, "text/plain; charset=utf-8", e.getMessage().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static String annotator(String name) {
        Annotations.checkName(name);
        if (name.startsWith(Annotations.JUDGE_PREFIX)) {
            throw new IllegalArgumentException("names starting with '" + Annotations.JUDGE_PREFIX + "' are reserved for automatic judges");
        }
        return name;
    }

    private List<String> order(String name) {
        return orders.computeIfAbsent(name, n -> Annotations.order(index, n));
    }

    /** What the page shows next: never the method, the prompt or a file name. */
    private Map<String, Object> state(String name) {
        Annotations a = Annotations.load(out, name, index.benchSha256());
        List<String> order = order(name);
        String id = a.current(order);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("annotator", name);
        s.put("done", a.completed());
        s.put("total", order.size());
        s.put("canUndo", !a.answers().isEmpty());
        if (id == null) {
            s.put("finished", true);
            return s;
        }
        BenchIndex.Entry e = byId.get(id);
        BenchIndex.ActionEntry action = index.action(e.action());
        s.put("finished", false);
        s.put("id", id);
        s.put("question", a.question());
        s.put("action", action.name());
        s.put("actionDescription", action.description());
        s.put("subject", index.subjects().get(e.subject()));
        List<String> ex = new java.util.ArrayList<>();
        for (int i = 0; i < action.exemplars().size(); i++) ex.add("/exemplar/" + action.name() + "/" + i);
        s.put("exemplars", ex);
        return s;
    }

    private byte[] exemplar(String rest) {
        String[] p = rest.split("/", -1);
        if (p.length != 2 || !p[1].matches("\\d{1,4}")) return null;
        for (BenchIndex.ActionEntry a : index.actions()) {
            int i = Integer.parseInt(p[1]);
            if (a.name().equals(p[0]) && i < a.exemplars().size()) {
                return pixels.computeIfAbsent("exemplar:" + a.name() + "/" + i, k -> reencode(out.resolve(a.exemplars().get(i))));
            }
        }
        return null;
    }

    /** Pixels only: the generated PNG's text chunk names the prompt, which would tell a trained token from text. */
    private static byte[] reencode(Path file) {
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) throw new IOException("not an image");
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            ImageIO.write(img, "png", b);
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null) return q;
        for (String kv : raw.split("&")) {
            int i = kv.indexOf('=');
            if (i > 0) q.put(URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8),
                    URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static JsonNode body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(64 * 1024);
            return BenchFile.STRICT.readTree(b);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("request body is not JSON");
        }
    }

    private static void json(HttpExchange ex, Object value) throws IOException {
        send(ex, 200, "application/json", BenchFile.STRICT.writeValueAsBytes(value));
    }

    private static void notFound(HttpExchange ex) throws IOException {
        send(ex, 404, "text/plain; charset=utf-8", "not found".getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(code, body.length);
        ex.getResponseBody().write(body);
    }

    private static byte[] page() throws IOException {
        try (InputStream in = AnnotationServer.class.getResourceAsStream("annotate.html")) {
            if (in == null) throw new IOException("annotate.html missing from the jar");
            return in.readAllBytes();
        }
    }
}
