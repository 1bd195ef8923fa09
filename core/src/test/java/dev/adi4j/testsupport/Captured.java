package dev.adi4j.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * What an in-process command printed: its exit code, standard output and standard error. Tests of the command
 * line run {@code Main.run(args)} through {@link #run} instead of each swapping System.out/err by hand.
 */
public record Captured(int code, String out, String err) {

    /** Runs {@code command} with System.out and System.err captured, restoring both afterwards. */
    public static synchronized Captured run(IntSupplier command) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = command.getAsInt();
            return new Captured(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Both streams, for assertion messages. */
    public String all() { return out + err; }
}
