package dev.adi4j.mini.base;

import dev.adi4j.diffusion.pipeline.SpaceToDepthCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SpaceToDepthCodecTest {
    private final SpaceToDepthCodec codec = new SpaceToDepthCodec(2, 3);

    @Test
    void roundTripsExactly() {
        Nd4j.getRandom().setSeed(3);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32).muli(2).subi(1);
        INDArray latents = codec.encode(images);
        assertArrayEquals(new long[]{2, 12, 16, 16}, latents.shape());
        assertEquals(images, codec.decode(latents));
    }

    @Test
    void channelOrderIsPyTorchPixelUnshuffle() {
        INDArray img = Nd4j.arange(0, 3 * 4 * 4).castTo(DataType.FLOAT).reshape(1, 3, 4, 4);
        INDArray lat = codec.encode(img);
        // out[c*4 + i*2 + j, y, x] = in[c, 2y + i, 2x + j]
        for (int c = 0; c < 3; c++) for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++)
            for (int y = 0; y < 2; y++) for (int x = 0; x < 2; x++)
                assertEquals(img.getFloat(0, c, 2 * y + i, 2 * x + j), lat.getFloat(0, c * 4 + i * 2 + j, y, x));
    }

    @Test
    void codecFileRoundTrips(@TempDir Path dir) {
        codec.write(dir);
        assertEquals(codec, SpaceToDepthCodec.read(dir));
    }
}
