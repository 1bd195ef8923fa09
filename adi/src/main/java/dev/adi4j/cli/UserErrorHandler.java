package dev.adi4j.cli;

import picocli.CommandLine;

/**
 * Turns an exception from a command into one readable line on stderr and exit code 1. The full stack
 * trace is printed only with {@code ADI4J_DEBUG=1}: users get the message that names the file and key.
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        cmd.getErr().println("adi " + cmd.getCommandName() + ": error: " + ex.getMessage());
        if ("1".equals(System.getenv("ADI4J_DEBUG"))) ex.printStackTrace(cmd.getErr());
        return 1;
    }
}
