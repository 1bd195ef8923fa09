package dev.adi4j.cli;

import picocli.CommandLine;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Turns an exception from a command into one readable line on stderr and exit code 1. The full stack
 * trace is printed only with {@code ADI4J_DEBUG=1}: users get the message that names the file and key.
 * JVM exceptions whose text means nothing to a user (file-system errors, messages-less exceptions) are
 * mapped to what the user can do about them.
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        cmd.getErr().println("adi " + cmd.getCommandName() + ": error: " + describe(ex));
        if ("1".equals(System.getenv("ADI4J_DEBUG"))) ex.printStackTrace(cmd.getErr());
        return 1;
    }

    static String describe(Throwable ex) {
        if (ex instanceof UncheckedIOException u && u.getCause() != null) return describe(u.getCause());
        if (ex instanceof NoSuchFileException e) return e.getFile() + ": no such file or folder";
        if (ex instanceof AccessDeniedException e) return e.getFile() + ": permission denied";
        if (ex instanceof FileAlreadyExistsException e) return e.getFile() + ": already exists; pass --force to replace it";
        if (ex instanceof NotDirectoryException e) return e.getFile() + ": not a folder";
        if (ex instanceof FileSystemException e) {
            return e.getFile() + ": " + (e.getReason() == null ? "cannot be read or written" : e.getReason());
        }
        String m = ex.getMessage();
        if (ex instanceof NullPointerException || ex instanceof ClassCastException
                || ex instanceof IndexOutOfBoundsException || m == null || m.isBlank()) {
            return "internal error in adi4j (not caused by your input as far as it checked); rerun with ADI4J_DEBUG=1"
                    + " and report the stack trace";
        }
        return m;
    }
}
