package dev.adi4j.adi.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ActionDatasetTest {
    @TempDir
    Path dir;

    private static final int R = 8;

    /** Left half red, right half blue: a flip is visible, a crop keeps both halves. */
    private static BufferedImage halves(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, x < w / 2 ? 0xff0000 : 0x0000ff);
        return img;
    }

    private Path png(String name, int w, int h) throws IOException {
        Path f = dir.resolve(name);
        assertTrue(ImageIO.write(halves(w, h), "png", f.toFile()));
        return f;
    }

    private Path jpeg(String name, int w, int h) throws IOException {
        Path f = dir.resolve(name);
        assertTrue(ImageIO.write(halves(w, h), "jpeg", f.toFile()));
        return f;
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private TrainingDataException fails(DataOptions opts) {
        return fails(dir, opts);
    }

    private static TrainingDataException fails(Path folder, DataOptions opts) {
        TrainingDataException e = assertThrows(TrainingDataException.class, () -> ActionDataset.load(folder, opts));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    private void threeImages() throws IOException {
        png("b.png", 16, 12);
        jpeg("a.JPG", 12, 20);
        jpeg("c.jpeg", 10, 10);
    }

    @Test
    void loadsImagesSortedByNameWithAllExtensionsAndIgnoresOtherFiles() throws IOException {
        threeImages();
        write("notes.txt", "not an image");
        write(".hidden.png", "macOS companion, not an image");
        Files.createDirectory(dir.resolve("sub.png"));
        ActionDataset ds = ActionDataset.load(dir, DataOptions.defaults(R));
        assertEquals(List.of("a.JPG", "b.png", "c.jpeg"),
                ds.examples().stream().map(e -> e.file().getFileName().toString()).toList());
        assertTrue(ds.examples().stream().allMatch(e -> e.caption() == null));
    }

    @Test
    void preprocessesToSquareTensorInMinusOneToOne() throws IOException {
        threeImages();
        ActionDataset ds = ActionDataset.load(dir, DataOptions.defaults(R));
        for (int i = 0; i < ds.size(); i++) {
            INDArray t = ds.image(i, false);
            assertArrayEquals(new long[]{1, 3, R, R}, t.shape());
            assertTrue(t.minNumber().doubleValue() >= -1.0 && t.maxNumber().doubleValue() <= 1.0);
        }
        // b.png is exact (PNG, 16x12 -> 10x8 then crop): top-left pixel red = (1,-1,-1), top-right blue.
        INDArray b = ds.image(1, false);
        assertEquals(1.0, b.getDouble(0, 0, 0, 0), 1e-6);
        assertEquals(-1.0, b.getDouble(0, 2, 0, 0), 1e-6);
        assertEquals(-1.0, b.getDouble(0, 0, 0, R - 1), 1e-6);
        assertEquals(1.0, b.getDouble(0, 2, 0, R - 1), 1e-6);
    }

    @Test
    void flipIsOffByDefaultAndMirrorsWhenAsked() throws IOException {
        threeImages();
        ActionDataset ds = ActionDataset.load(dir, DataOptions.defaults(R));
        for (int step = 0; step < 50; step++) {
            for (int i = 0; i < ds.size(); i++) {
                assertFalse(ds.flip(step, i));
                assertEquals(ds.example(i).image(), ds.draw(step, i));
            }
        }
        INDArray plain = ds.image(1, false), flipped = ds.image(1, true);
        assertNotEquals(plain, flipped);
        for (int x = 0; x < R; x++) {
            assertEquals(plain.getDouble(0, 0, 3, x), flipped.getDouble(0, 0, 3, R - 1 - x), 0.0);
        }
        assertEquals(plain, ActionDataset.flipHorizontally(flipped));
    }

    @Test
    void randomFlipIsSeededPerDrawAndFlipsSome() throws IOException {
        threeImages();
        ActionDataset a = ActionDataset.load(dir, DataOptions.defaults(R).withRandomFlip(true).withSeed(7));
        ActionDataset b = ActionDataset.load(dir, DataOptions.defaults(R).withRandomFlip(true).withSeed(7));
        int flips = 0;
        for (int step = 0; step < 200; step++) {
            // Asked in a different order: the decision depends on (seed, step, index) only.
            assertEquals(a.flip(step, 2), b.flip(step, 2));
            assertEquals(a.flip(step, 0), b.flip(step, 0));
            if (a.flip(step, 0)) flips++;
        }
        assertTrue(flips > 60 && flips < 140, "about half flipped: " + flips);
        int step = 0;
        while (!a.flip(step, 1)) step++;
        assertEquals(a.image(1, true), a.draw(step, 1));
    }

    @Test
    void captionsTxtWithCommentsAndBlankLines() throws IOException {
        threeImages();
        write("captions.txt", "# who is in each image\n\na.JPG\ta man in a red jacket\r\n  \nc.jpeg\t  a girl on a beach  \n");
        ActionDataset ds = ActionDataset.load(dir, DataOptions.defaults(R));
        assertEquals("a man in a red jacket", ds.example(0).caption());
        assertNull(ds.example(1).caption());
        assertEquals("a girl on a beach", ds.example(2).caption());
    }

    @Test
    void metadataJsonl() throws IOException {
        threeImages();
        write("metadata.jsonl", "{\"file_name\": \"b.png\", \"text\": \"an old woman\", \"extra\": 1}\n\n"
                + "{\"file_name\":\"a.JPG\",\"text\":\"a boy\"}\n");
        ActionDataset ds = ActionDataset.load(dir, DataOptions.defaults(R).withRequireCaptions(false));
        assertEquals("a boy", ds.example(0).caption());
        assertEquals("an old woman", ds.example(1).caption());
        assertNull(ds.example(2).caption());
    }

    @Test
    void missingFolder() {
        Path missing = dir.resolve("nope");
        TrainingDataException e = fails(missing, DataOptions.defaults(R));
        assertTrue(e.getMessage().startsWith(missing + ": action folder not found"), e.getMessage());
    }

    @Test
    void emptyFolder() throws IOException {
        write("captions.txt", "");
        TrainingDataException e = fails(DataOptions.defaults(R));
        assertTrue(e.getMessage().startsWith(dir + ": no images"), e.getMessage());
    }

    @Test
    void singleImage() throws IOException {
        png("only.png", 8, 8);
        TrainingDataException e = fails(DataOptions.defaults(R));
        assertTrue(e.getMessage().contains("only 1 image (only.png)") && e.getMessage().contains("at least 2"),
                e.getMessage());
    }

    @Test
    void corruptImageIsNamed() throws IOException {
        threeImages();
        Path bad = dir.resolve("d.png");
        byte[] good = Files.readAllBytes(dir.resolve("b.png"));
        Files.write(bad, Arrays.copyOf(good, 30));
        TrainingDataException e = fails(DataOptions.defaults(R));
        assertTrue(e.getMessage().startsWith(bad + ": unreadable image ("), e.getMessage());
        Files.write(bad, "hello".getBytes(StandardCharsets.UTF_8));
        assertTrue(fails(DataOptions.defaults(R)).getMessage().startsWith(bad + ": unreadable image ("));
    }

    @Test
    void captionForMissingFileNamesLineAndFile() throws IOException {
        threeImages();
        write("captions.txt", "a.JPG\ta man\n# comment\nzz.png\ta woman\n");
        TrainingDataException e = fails(DataOptions.defaults(R));
        assertTrue(e.getMessage().startsWith(dir.resolve("captions.txt") + ": line 3: caption for 'zz.png' but the "
                + "folder has no such image"), e.getMessage());
        Files.delete(dir.resolve("captions.txt"));
        write("metadata.jsonl", "{\"file_name\": \"a.jpg\", \"text\": \"a man\"}\n");
        e = fails(DataOptions.defaults(R));
        assertTrue(e.getMessage().startsWith(dir.resolve("metadata.jsonl") + ": line 1: caption for 'a.jpg'"),
                e.getMessage());
    }

    @Test
    void malformedCaptionLines() throws IOException {
        threeImages();
        Path txt = dir.resolve("captions.txt");
        for (String bad : List.of("a.JPG a man without a tab", "\ta caption without a file", "a.JPG\t  ")) {
            write("captions.txt", "b.png\tok\n" + bad + "\n");
            TrainingDataException e = fails(DataOptions.defaults(R));
            assertTrue(e.getMessage().startsWith(txt + ": line 2: expected 'file<TAB>caption', got '"), e.getMessage());
        }
        write("captions.txt", "b.png\tone\nb.png\ttwo\n");
        assertTrue(fails(DataOptions.defaults(R)).getMessage().startsWith(txt + ": line 2: second caption for 'b.png'"));
    }

    @Test
    void malformedJsonlLines() throws IOException {
        threeImages();
        Files.delete(dir.resolve("b.png"));
        png("b.png", 16, 12);
        Path jsonl = dir.resolve("metadata.jsonl");
        for (String bad : List.of("{\"file_name\": \"b.png\", \"text\": ", "[1, 2]", "{\"text\": \"a man\"}",
                "{\"file_name\": \"b.png\", \"text\": 3}", "# comment")) {
            write("metadata.jsonl", "{\"file_name\": \"a.JPG\", \"text\": \"ok\"}\n\n" + bad + "\n");
            TrainingDataException e = fails(DataOptions.defaults(R));
            assertTrue(e.getMessage().startsWith(jsonl + ": line 3: expected a JSON object"), e.getMessage());
            assertFalse(e.getMessage().contains("Source"), "no Jackson source excerpt: " + e.getMessage());
        }
    }

    @Test
    void bothCaptionFilesRefused() throws IOException {
        threeImages();
        write("captions.txt", "a.JPG\ta man\n");
        write("metadata.jsonl", "{\"file_name\": \"a.JPG\", \"text\": \"a man\"}\n");
        TrainingDataException e = fails(DataOptions.defaults(R));
        assertTrue(e.getMessage().startsWith(dir + ": both captions.txt and metadata.jsonl are present"),
                e.getMessage());
    }

    @Test
    void requiredCaptionsMissing() throws IOException {
        threeImages();
        DataOptions opts = DataOptions.defaults(R).withRequireCaptions(true);
        assertTrue(fails(opts).getMessage().startsWith(dir + ": no captions (captions are required"));
        write("captions.txt", "a.JPG\ta man\nc.jpeg\ta woman\n");
        TrainingDataException e = fails(opts);
        assertTrue(e.getMessage().startsWith(dir.resolve("b.png") + ": no caption (captions are required"),
                e.getMessage());
        write("captions.txt", "a.JPG\ta man\nc.jpeg\ta woman\nb.png\ta child\n");
        assertEquals(3, ActionDataset.load(dir, opts).size());
    }

    private Path fifo(String name) throws Exception {
        Path f = dir.resolve(name);
        assumeTrue(new ProcessBuilder("mkfifo", f.toString()).start().waitFor() == 0, "mkfifo unavailable");
        return f;
    }

    private TrainingDataException failsWithin10s() {
        return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> fails(DataOptions.defaults(R)));
    }

    @Test
    void fifoImageIsRefusedNotSkippedAndDoesNotBlock() throws Exception {
        threeImages();
        Path f = fifo("d.png");
        TrainingDataException e = failsWithin10s();
        assertTrue(e.getMessage().startsWith(f + ": not a regular file"), e.getMessage());
    }

    @Test
    void fifoCaptionsFilesAreRefusedWithoutBlocking() throws Exception {
        threeImages();
        Path txt = fifo("captions.txt");
        assertTrue(failsWithin10s().getMessage().startsWith(txt + ": not a regular file"));
        Files.delete(txt);
        Path jsonl = fifo("metadata.jsonl");
        assertTrue(failsWithin10s().getMessage().startsWith(jsonl + ": not a regular file"));
    }
}
