package dev.adi4j.adi.optim;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Learning-rate multipliers of diffusers' {@code get_scheduler} (a LambdaLR): {@code factor(step)} is the
 * multiplier for the optimizer step taken after {@code step} scheduler steps, 0-based, so with warmup the
 * very first update has learning rate 0, as in diffusers.
 * <ul>
 *   <li>{@code constant}: 1. Diffusers silently ignores warmup steps for "constant"; we refuse warmup &gt; 0
 *       instead, so that nobody believes a warmup happens: use {@code constant_with_warmup}.</li>
 *   <li>{@code constant_with_warmup}: step/warmup during warmup, then 1.</li>
 *   <li>{@code linear}: warmup, then max(0, (total - step) / max(1, total - warmup)).</li>
 *   <li>{@code cosine}: warmup, then max(0, (1 + cos(pi * progress)) / 2), progress =
 *       (step - warmup) / max(1, total - warmup) (num_cycles 0.5); past the total it climbs again, as in
 *       diffusers.</li>
 * </ul>
 * Warmup is step / max(1, warmup) for step &lt; warmup.
 */
public record LrSchedule(Kind kind, int warmupSteps, int totalSteps) {

    /** The schedule shapes, by diffusers name. */
    public enum Kind {
        CONSTANT("constant"),
        CONSTANT_WITH_WARMUP("constant_with_warmup"),
        LINEAR("linear"),
        COSINE("cosine");

        private final String cliName;

        Kind(String cliName) {
            this.cliName = cliName;
        }

        public String cliName() {
            return cliName;
        }

        /** Parses a diffusers scheduler name (case-insensitive). */
        public static Kind parse(String name) {
            if (name != null) {
                String n = name.strip().toLowerCase(Locale.ROOT);
                for (Kind k : values()) {
                    if (k.cliName.equals(n)) return k;
                }
            }
            throw new IllegalArgumentException("unknown learning-rate schedule "
                    + (name == null ? "null" : "'" + name + "'") + "; valid schedules: "
                    + Arrays.stream(values()).map(Kind::cliName).collect(Collectors.joining(", ")));
        }

        @Override
        public String toString() {
            return cliName;
        }
    }

    public LrSchedule {
        Objects.requireNonNull(kind, "kind");
        if (warmupSteps < 0) throw new IllegalArgumentException("warmup steps must be >= 0, got " + warmupSteps);
        if (totalSteps < 0) throw new IllegalArgumentException("total steps must be >= 0, got " + totalSteps);
        if (kind == Kind.CONSTANT && warmupSteps > 0) {
            throw new IllegalArgumentException("schedule 'constant' has no warmup (diffusers ignores it), but "
                    + warmupSteps + " warmup steps were asked for; use 'constant_with_warmup' or warmup 0");
        }
        if ((kind == Kind.LINEAR || kind == Kind.COSINE) && totalSteps < 1) {
            throw new IllegalArgumentException("schedule '" + kind + "' needs the total number of steps (>= 1)");
        }
    }

    /** Parses the schedule name and builds the schedule; see the class comment for the rules. */
    public static LrSchedule of(String name, int warmupSteps, int totalSteps) {
        return new LrSchedule(Kind.parse(name), warmupSteps, totalSteps);
    }

    /** The multiplier of the base learning rate at 0-based step {@code step}. */
    public double factor(int step) {
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
        if (kind == Kind.CONSTANT) return 1.0;
        if (step < warmupSteps) return (double) step / Math.max(1, warmupSteps);
        return switch (kind) {
            case CONSTANT, CONSTANT_WITH_WARMUP -> 1.0;
            case LINEAR -> Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
            case COSINE -> {
                double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
                yield Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * 2.0 * 0.5 * progress)));
            }
        };
    }

    /** base * factor(step). */
    public double lr(double base, int step) {
        return base * factor(step);
    }
}
