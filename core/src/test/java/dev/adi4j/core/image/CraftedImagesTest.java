package dev.adi4j.core.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Hand-made image files that javax.imageio alone would accept or choke on: bad CRCs, huge declared sizes. */
class CraftedImagesTest {
    @TempDir
    Path dir;

    static byte[] chunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 4, 4 + data.length);
        return b.putInt((int) crc.getValue()).array();
    }

    /** A valid-CRC PNG whose IHDR says width x height (8-bit RGB) and whose IDAT holds one black row. */
    static byte[] pngClaiming(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PngChunks.SIGNATURE);
        out.writeBytes(chunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array()));
        Deflater d = new Deflater();
        d.setInput(new byte[1 + 3 * width]);
        d.finish();
        byte[] z = new byte[1024];
        int n = d.deflate(z);
        out.writeBytes(chunk("IDAT", java.util.Arrays.copyOf(z, n)));
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    static byte[] encoded(String format) throws Exception {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64; i++) img.setRGB(i % 8, i / 8, i * 0x030507);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out));
        return out.toByteArray();
    }

    static ImageFormatException refused(Path file) {
        return assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(ImageFormatException.class, () -> Images.readRgb(file)));
    }

    @Test
    void pngWithABadCrcIsRefusedNamingTheChunk() throws Exception {
        byte[] png = encoded("png");
        // the last byte before IEND (12 bytes) is the IDAT CRC: imageio alone decodes this file without complaint
        png[png.length - 13] ^= 1;
        Path f = Files.write(dir.resolve("bad-crc.png"), png);
        ImageFormatException e = refused(f);
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("CRC mismatch in chunk IDAT"),
                e.getMessage());
        assertEquals(f, e.file());
    }

    @Test
    void pngWithABadIhdrCrcIsRefused() throws Exception {
        byte[] png = encoded("png");
        png[8 + 8 + 13] ^= (byte) 0x80; // first CRC byte of IHDR
        ImageFormatException e = refused(Files.write(dir.resolve("ihdr.png"), png));
        assertTrue(e.getMessage().contains("CRC mismatch in chunk IHDR"), e.getMessage());
    }

    @Test
    void validCraftedPngStillDecodes() throws Exception {
        Path f = Files.write(dir.resolve("one.png"), pngClaiming(1, 1));
        assertEquals(1, Images.readRgb(f).getWidth());
    }

    @Test
    void tinyPngClaimingMorePixelsThanTheHeapHoldsIsRefusedBeforeDecoding() throws Exception {
        int width = 1 << 16;
        long h = Images.maxPixels() / width + 1;
        assumeTrue(h < Integer.MAX_VALUE, "heap too large to exceed the cap with a valid PNG size");
        Path f = Files.write(dir.resolve("huge.png"), pngClaiming(width, (int) h));
        assertTrue(Files.size(f) < 1000, Files.size(f) + " bytes");
        ImageFormatException e = refused(f);
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains(width + "x" + h)
                && e.getMessage().contains("MiB heap"), e.getMessage());
    }

    @Test
    void jpegClaimingMorePixelsThanTheHeapHoldsIsRefused() throws Exception {
        // 65500 is the largest side javax.imageio's JPEG reader accepts
        assumeTrue(Images.maxPixels() < 65500L * 65500L, "heap too large to exceed the cap with a JPEG size");
        byte[] jpg = encoded("jpg");
        int sof = -1;
        for (int i = 2; i + 1 < jpg.length; i++) {
            if ((jpg[i] & 0xff) == 0xff && (jpg[i + 1] & 0xff) == 0xc0) {
                sof = i;
                break;
            }
        }
        assertTrue(sof > 0, "no SOF0 marker");
        // SOF0: marker 2, length 2, precision 1, height 2, width 2
        for (int i = sof + 5; i < sof + 9; i += 2) {
            jpg[i] = (byte) (65500 >> 8);
            jpg[i + 1] = (byte) 65500;
        }
        Path f = Files.write(dir.resolve("huge.jpg"), jpg);
        ImageFormatException e = refused(f);
        assertTrue(e.getMessage().contains("65500x65500") && e.getMessage().contains("JPEG"), e.getMessage());
    }
}
