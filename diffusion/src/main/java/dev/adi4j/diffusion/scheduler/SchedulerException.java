package dev.adi4j.diffusion.scheduler;

/** A scheduler/sampler configuration or call that adi4j cannot honour (bad name, value or call order). */
public class SchedulerException extends RuntimeException {
    public SchedulerException(String message) {
        super(message);
    }

    public SchedulerException(String message, Throwable cause) {
        super(message, cause);
    }
}
