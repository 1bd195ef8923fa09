package dev.adi4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/** A real HTTP client against a server on 127.0.0.1. */
final class ServeTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServeTestSupport() {
    }

    static HttpResponse<String> get(AdiServer s, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(s, path)).GET().timeout(Duration.ofSeconds(60));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(AdiServer s, String path, String token, String body) throws Exception {
        return HTTP.send(postRequest(s, path, token, body), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest postRequest(AdiServer s, String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(s, path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(300));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b.build();
    }

    static URI uri(AdiServer s, String path) {
        return URI.create("http://127.0.0.1:" + s.port() + path);
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** A txt2img request on a raw socket, so that the test can drop the connection mid-job. */
    static Socket rawTxt2img(AdiServer s, String token, String body) throws IOException {
        Socket socket = new Socket("127.0.0.1", s.port());
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /sdapi/v1/txt2img HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Content-Length: " + b.length + "\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
        return socket;
    }

    /** Reads the raw answer's status line. */
    static String statusLine(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') sb.append((char) c);
        return sb.toString().trim();
    }

    /** Polls /sdapi/v1/progress until {@code until} holds (fails after 60 s). */
    static JsonNode awaitProgress(AdiServer s, String token, Predicate<JsonNode> until) throws Exception {
        long end = System.currentTimeMillis() + 60_000;
        while (true) {
            JsonNode p = json(get(s, "/sdapi/v1/progress", token));
            if (until.test(p)) return p;
            if (System.currentTimeMillis() > end) throw new AssertionError("progress never reached the state: " + p);
            Thread.sleep(20);
        }
    }

    /** The value of an unlabelled or labelled sample line of /metrics, 0 when absent. */
    static double metric(AdiServer s, String token, String sample) throws Exception {
        for (String line : get(s, "/metrics", token).body().split("\n")) {
            if (line.startsWith(sample + " ")) return Double.parseDouble(line.substring(sample.length() + 1).trim());
        }
        return 0;
    }
}
