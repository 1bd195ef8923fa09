package dev.adi4j.diffusion.scheduler;

/** What the denoising network predicts (diffusers' {@code prediction_type}). */
public enum PredictionType {
    /** The added noise ε. */
    EPSILON("epsilon"),
    /** The velocity v = √ᾱ·ε − √(1−ᾱ)·x₀ (SD 2.1 768-v). */
    V_PREDICTION("v_prediction"),
    /** The clean sample x₀. */
    SAMPLE("sample");

    private final String configName;

    PredictionType(String configName) {
        this.configName = configName;
    }

    /** The diffusers config spelling. */
    public String configName() { return configName; }

    /** Parses a diffusers config value. */
    public static PredictionType parse(String value) {
        for (PredictionType p : values()) if (p.configName.equals(value)) return p;
        throw new SchedulerException("scheduler config: prediction_type '" + value
                + "' is not supported; expected one of epsilon, v_prediction, sample");
    }
}
