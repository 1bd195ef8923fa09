package dev.adi4j.serve;

/**
 * A request the server refuses: the HTTP status, the request field at fault (null when none) and one line saying why.
 * Answered as {@code {"error": message, "field": field}}.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String field;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String field, String message) {
        this(status, field, message, null);
    }

    public ApiException(int status, String field, String message, Integer retryAfterSeconds) {
        super(message);
        this.status = status;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A field holding a value of the wrong type or outside what adi4j supports (FastAPI's 422, as A1111 answers). */
    public static ApiException field(String field, String message) {
        return new ApiException(422, field, field + ": " + message);
    }

    public int status() { return status; }

    public String field() { return field; }

    public Integer retryAfterSeconds() { return retryAfterSeconds; }
}
