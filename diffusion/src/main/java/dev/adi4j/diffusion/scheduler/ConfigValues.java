package dev.adi4j.diffusion.scheduler;

/** Small helpers for reading optional scheduler config fields with a sampler's own defaults. */
final class ConfigValues {
    private ConfigValues() {
    }

    static <T> T or(T value, T dflt) {
        return value != null ? value : dflt;
    }

    /** Rejects a config value this port does not implement, naming the field and what is supported. */
    static void unsupportedIf(boolean condition, String sampler, String field, Object value, String supported) {
        if (condition) {
            throw new SchedulerException("scheduler config for " + sampler + ": " + field + "=" + value
                    + " is not supported; supported: " + supported);
        }
    }
}
