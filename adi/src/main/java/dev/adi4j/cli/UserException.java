package dev.adi4j.cli;

/** Something the user asked for that cannot be done; the message is the whole one-line explanation. */
final class UserException extends RuntimeException {
    UserException(String message) {
        super(message);
    }
}
