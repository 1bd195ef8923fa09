package dev.adi4j.diffusion.nn;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * SameDiff M2.1 prints one "Added differentiated op ..." line per op to System.out while it builds a
 * backward graph — thousands of lines for a UNet, which would drown the CLI's own output. Calls that may
 * build one run with stdout muted.
 */
final class QuietStdout {
    private static final PrintStream NULL = new PrintStream(OutputStream.nullOutputStream());

    private QuietStdout() {
    }

    static synchronized <T> T call(Supplier<T> body) {
        PrintStream original = System.out;
        System.setOut(NULL);
        try {
            return body.get();
        } finally {
            System.setOut(original);
        }
    }
}
