package dev.adi4j.core.safetensors;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Throughput of streaming a multi-tensor checkpoint through the writer and back (not a unit test).
 * Run: java -cp core/target/test-classes:core/target/classes:CLASSPATH dev.adi4j.core.safetensors.SafetensorsBench [MB] [dir]
 */
public final class SafetensorsBench {
    private SafetensorsBench() {
    }

    public static void main(String[] args) throws Exception {
        int mb = args.length > 0 ? Integer.parseInt(args[0]) : 512;
        Path dir = Files.createTempDirectory(args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir")), "bench");
        int tensors = 64;
        long perTensor = (long) mb * 1024 * 1024 / 4 / tensors; // float32 elements per tensor
        for (DType dtype : new DType[]{DType.F32, DType.F16, DType.BF16}) {
            Path f = dir.resolve("bench-" + dtype + ".safetensors");
            SafetensorsWriter w = new SafetensorsWriter(dtype);
            for (int i = 0; i < tensors; i++) {
                w.addLazy(String.format("t%03d", i), new long[]{perTensor}, dtype,
                        () -> Nd4j.rand(DataType.FLOAT, perTensor));
            }
            long t0 = System.nanoTime();
            w.write(f);
            double writeS = (System.nanoTime() - t0) / 1e9;
            long bytes = Files.size(f);
            t0 = System.nanoTime();
            double sum = 0;
            try (SafetensorsReader r = SafetensorsReader.open(f)) {
                for (String name : r.names()) sum += r.loadFloat(name).getDouble(0);
            }
            double readS = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s: %d float32 values (%.0f MB on disk): write %.2f s (incl. generating random data),"
                            + " read+convert %.2f s = %.0f Mvalues/s  [%f]%n", dtype, perTensor * tensors,
                    bytes / 1e6, writeS, readS, perTensor * tensors / readS / 1e6, sum);
            Files.delete(f);
        }
        Files.delete(dir);
    }
}
