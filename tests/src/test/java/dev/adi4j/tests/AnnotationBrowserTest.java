package dev.adi4j.tests;

import dev.adi4j.actionbench.AnnotationServer;
import dev.adi4j.actionbench.Annotations;
import dev.adi4j.actionbench.BenchFile;
import dev.adi4j.actionbench.BenchIndex;
import dev.adi4j.actionbench.BenchItem;
import dev.adi4j.cli.Main;
import dev.adi4j.core.image.PngWriter;
import dev.adi4j.testsupport.Captured;
import dev.adi4j.testsupport.Shared;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The annotation page in a real headless Chromium (Debian's chromium + chromium-driver, installed by .ci/run):
 * answer with clicks and keys, undo, reload and resume, finish; the page, its requests and the served images never
 * name a method; path tricks get 404. The output folder is made without a model: its images are written first, so
 * {@code actionbench run} has nothing to generate and only writes the index.
 */
class AnnotationBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /** The method names of this bench; "text" is an ordinary word too, so it is checked in visible text and data only. */
    static final Pattern DISTINCT = Pattern.compile("pplus|\\badi\\b", Pattern.CASE_INSENSITIVE);
    static final Pattern ANY = Pattern.compile("pplus|\\badi\\b|\\btext\\b", Pattern.CASE_INSENSITIVE);

    @TempDir
    static Path dir;
    static Path out;
    static BenchIndex index;
    static AnnotationServer server;
    static WebDriver driver;

    @BeforeAll
    static void setUp() throws Exception {
        boolean browser = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        String missing = "chromium and chromium-driver are not installed (.ci/run installs them)";
        // CI installs the browser, so there a missing one is a failure, never a silent skip
        if ("true".equals(System.getenv("CI"))) org.junit.jupiter.api.Assertions.assertTrue(browser, missing);
        Assumptions.assumeTrue(browser, missing);
        Path bench = ActionBenchTest.benchFile(dir, "bench.json", "");
        BenchFile.Loaded b = BenchFile.load(bench);
        out = dir.resolve("out");
        Files.createDirectories(out);
        Files.copy(bench, out.resolve("bench.json"));
        int k = 0;
        for (BenchItem item : BenchItem.all(b)) {
            BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            var g = img.createGraphics();
            g.setColor(new Color(Color.HSBtoRGB(k++ / 18f, 0.6f, 0.9f)));
            g.fillRect(0, 0, 64, 64);
            g.dispose();
            // the stored file names its method, as generated images' prompts do: the server must not pass it on
            PngWriter.write(img, out.resolve(item.file()), Map.of("parameters", "method " + item.method()), false);
        }
        Captured run = Captured.run(() -> Main.run("actionbench", "run", "--bench", bench.toString(), "--model",
                Shared.tinySd().toString(), "--out", out.toString()));
        assertEquals(0, run.code(), run.all());
        assertFalse(run.err().contains("loading"), run.err());
        index = BenchIndex.read(out);
        assertEquals(18, index.items().size());

        server = new AnnotationServer(out, "127.0.0.1", 0);
        server.start();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--user-data-dir=" + dir.resolve("chrome-profile"));
        options.setCapability("goog:loggingPrefs", Map.of("performance", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void tearDown() {
        if (driver != null) driver.quit();
        if (server != null) server.close();
    }

    static WebDriverWait waiter() {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    static String progress() {
        return driver.findElement(By.id("progress")).getText();
    }

    static void waitProgress(String text) {
        waiter().until(d -> progress().equals(text) ? true : null);
    }

    static String currentId() {
        return driver.findElement(By.id("image")).getAttribute("data-id");
    }

    static void waitQuestion(String q) {
        waiter().until(d -> q.equals(d.findElement(By.id("question")).getAttribute("data-question")) ? true : null);
    }

    static void key(String k) {
        ((JavascriptExecutor) driver).executeScript(
                "document.dispatchEvent(new KeyboardEvent('keydown', {key: arguments[0], bubbles: true}))", k);
    }

    @Test
    void clickThroughUndoReloadResumeBlind() throws Exception {
        List<String> pages = new ArrayList<>();
        driver.get(server.uri().toString());
        pages.add(driver.getPageSource());
        driver.findElement(By.id("name")).sendKeys("alice");
        driver.findElement(By.id("start")).click();
        waitProgress("0 / 18 judged");
        List<String> expectedOrder = Annotations.order(index, "alice");
        assertEquals(expectedOrder.get(0), currentId());

        // image 1 with the mouse, image 2 with the keyboard
        driver.findElement(By.id("yes")).click();
        waitQuestion("subject");
        pages.add(driver.getPageSource());
        driver.findElement(By.id("no")).click();
        waitProgress("1 / 18 judged");
        assertEquals(expectedOrder.get(1), currentId());
        key("n");
        waitQuestion("subject");
        key("y");
        waitProgress("2 / 18 judged");
        Annotations saved = Annotations.load(out, "alice", index.benchSha256());
        assertEquals(List.of(new Annotations.Answer(expectedOrder.get(0), true, false),
                new Annotations.Answer(expectedOrder.get(1), false, true)), saved.answers());

        // undo takes back the last click: image 2's subject answer, then its action answer
        driver.findElement(By.id("undo")).click();
        waitQuestion("subject");
        assertEquals(expectedOrder.get(1), currentId());
        assertEquals("1 / 18 judged", progress());
        key("u");
        waitQuestion("action");
        assertEquals(expectedOrder.get(1), currentId());
        key("y");
        waitQuestion("subject");
        assertEquals(new Annotations.Answer(expectedOrder.get(1), true, null),
                Annotations.load(out, "alice", index.benchSha256()).answers().get(1));

        // reload mid-image: the page resumes at the same image and question
        driver.navigate().refresh();
        waitQuestion("subject");
        assertEquals(expectedOrder.get(1), currentId());
        assertEquals("1 / 18 judged", progress());
        pages.add(driver.getPageSource());
        key("y");
        waitProgress("2 / 18 judged");

        // the rest, to the end
        for (int i = 2; i < 18; i++) {
            assertEquals(expectedOrder.get(i), currentId());
            key(i % 2 == 0 ? "y" : "n");
            waitQuestion("subject");
            key("y");
            // the progress line hides with the last answer (getText of a hidden element is empty)
            if (i < 17) waitProgress((i + 1) + " / 18 judged");
        }
        waiter().until(d -> d.findElement(By.id("finished")).isDisplayed() ? true : null);
        assertEquals("18 / 18", driver.findElement(By.id("finalCount")).getText());
        pages.add(driver.getPageSource());
        Annotations done = Annotations.load(out, "alice", index.benchSha256());
        assertEquals(18, done.completed());
        assertEquals(expectedOrder, done.answers().stream().map(Annotations.Answer::id).toList());

        // a second annotator has their own order, answers in their own file
        driver.get(server.uri() + "?annotator=bob");
        waitProgress("0 / 18 judged");
        assertEquals(Annotations.order(index, "bob").get(0), currentId());
        assertTrue(Files.isRegularFile(out.resolve("annotations/alice.json")));

        // blindness: pages, visible text, request URLs and bodies, API answers, served image bytes
        for (String p : pages) assertFalse(DISTINCT.matcher(p).find(), p);
        assertFalse(ANY.matcher(driver.findElement(By.tagName("body")).getText()).find());
        Set<String> urls = new HashSet<>();
        for (LogEntry e : driver.manage().logs().get("performance")) {
            String m = e.getMessage();
            if (!m.contains("\"Network.requestWillBeSent\"")) continue;
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(m).path("message").path("params").path("request");
            urls.add(node.path("url").asText());
            assertFalse(ANY.matcher(node.path("url").asText()).find(), node.toString());
            assertFalse(ANY.matcher(node.path("postData").asText("")).find(), node.toString());
        }
        assertTrue(urls.stream().anyMatch(u -> u.contains("/api/answer")) || urls.size() > 20, urls.toString());
        HttpClient http = HttpClient.newHttpClient();
        for (String u : urls) {
            if (!u.startsWith(server.uri().toString())) continue;
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(u)).build(), HttpResponse.BodyHandlers.ofByteArray());
            String body = new String(r.body(), java.nio.charset.StandardCharsets.ISO_8859_1);
            Pattern p = u.contains("/api/") ? ANY : DISTINCT;
            assertFalse(p.matcher(body).find(), u + " answers " + (body.length() > 300 ? body.substring(0, 300) : body));
        }
    }

    @Test
    void pathTricksAndBadNamesAreRefused() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = server.uri().toString();
        for (String path : List.of("image/../index.json", "image/%2e%2e%2findex.json", "image/..%2Fbench.json",
                "exemplar/arms-up/../../bench.json", "exemplar/arms-up/99", "index.json", "annotations/alice.json",
                "images/text/wave/s00-seed7.png", "image/")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode(), path + ": " + r.body());
        }
        for (String name : List.of("..%2Fx", "judge-me", "a%2Fb", "")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "api/state?annotator=" + name)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), name + ": " + r.body());
        }
        HttpResponse<String> stale = http.send(HttpRequest.newBuilder(URI.create(base + "api/answer"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"annotator\":\"carol\",\"id\":\"" + index.items().get(0).id()
                        + "x\",\"question\":\"action\",\"yes\":true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(409, stale.statusCode(), stale.body());
        assertFalse(Files.exists(out.resolve("annotations/carol.json")));
    }
}
