package dev.adi4j.diffusion.scheduler;

import java.util.Locale;

/**
 * How inference timesteps are spread over the training steps (diffusers' {@code timestep_spacing}; Table 2 of
 * "Common Diffusion Noise Schedules and Sample Steps are Flawed"). The arithmetic follows numpy's
 * linspace/arange/round (round half to even) as diffusers uses them.
 */
public enum TimestepSpacing {
    LEADING, TRAILING, LINSPACE;

    /** Parses a config value; null gives {@code dflt}. */
    public static TimestepSpacing parse(String value, TimestepSpacing dflt) {
        if (value == null) return dflt;
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SchedulerException("scheduler config: timestep_spacing '" + value
                    + "' is not supported; expected one of leading, trailing, linspace");
        }
    }

    /**
     * Integer timesteps, descending, as DDIM/DDPM compute them: linspace rounded, leading = i·(N div n) +
     * steps_offset, trailing = round(arange(N, 0, −N/n)) − 1.
     */
    public double[] discreteDescending(int numTrain, int n, int stepsOffset) {
        return descending(numTrain, n, stepsOffset, true);
    }

    /** As {@link #discreteDescending} but linspace is not rounded (Euler: fractional timesteps, e.g. 957.375). */
    public double[] continuousDescending(int numTrain, int n, int stepsOffset) {
        return descending(numTrain, n, stepsOffset, false);
    }

    private double[] descending(int numTrain, int n, int stepsOffset, boolean roundLinspace) {
        checkSteps(numTrain, n);
        return switch (this) {
            case LINSPACE -> {
                double[] t = reverse(linspace(0, numTrain - 1, n));
                if (roundLinspace) for (int i = 0; i < t.length; i++) t[i] = Math.rint(t[i]);
                yield t;
            }
            case LEADING -> {
                int ratio = numTrain / n;
                double[] t = new double[n];
                for (int i = 0; i < n; i++) t[i] = (double) (n - 1 - i) * ratio + stepsOffset;
                yield t;
            }
            case TRAILING -> {
                double[] t = arange(numTrain, 0, -(double) numTrain / n);
                for (int i = 0; i < t.length; i++) t[i] = Math.rint(t[i]) - 1;
                yield t;
            }
        };
    }

    static void checkSteps(int numTrain, int n) {
        if (n < 1 || n > numTrain) {
            throw new SchedulerException("num_inference_steps must be in [1, " + numTrain
                    + "] (num_train_timesteps), got " + n);
        }
    }

    /** numpy.linspace(start, stop, num) with endpoint: start + i·step, last value exactly stop. */
    static double[] linspace(double start, double stop, int num) {
        double[] y = new double[num];
        if (num == 1) {
            y[0] = start;
            return y;
        }
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) y[i] = i * step + start;
        y[num - 1] = stop;
        return y;
    }

    /**
     * numpy.arange(start, stop, step) for floats: length ceil((stop − start)/step); values start + i·delta where
     * numpy's delta is (start + step) − start.
     */
    static double[] arange(double start, double stop, double step) {
        int len = (int) Math.max(0, Math.ceil((stop - start) / step));
        double[] y = new double[len];
        double delta = (start + step) - start;
        for (int i = 0; i < len; i++) y[i] = i == 0 ? start : start + i * delta;
        return y;
    }

    static double[] reverse(double[] x) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) r[i] = x[x.length - 1 - i];
        return r;
    }
}
