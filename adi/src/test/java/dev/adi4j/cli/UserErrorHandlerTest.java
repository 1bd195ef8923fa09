package dev.adi4j.cli;

import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** JVM exceptions become what the user did wrong, never a class name. */
class UserErrorHandlerTest {
    @Test
    void jvmExceptionsAreMapped() {
        assertEquals("/x: no such file or folder", UserErrorHandler.describe(new NoSuchFileException("/x")));
        assertEquals("/y: permission denied",
                UserErrorHandler.describe(new UncheckedIOException(new AccessDeniedException("/y"))));
        for (Exception e : new Exception[]{new NullPointerException(), new IllegalStateException(),
                new ArrayIndexOutOfBoundsException("Index 3 out of bounds for length 2")}) {
            String line = UserErrorHandler.describe(e);
            assertFalse(line.contains("Exception") || line.contains("Index 3"), line);
        }
    }
}
