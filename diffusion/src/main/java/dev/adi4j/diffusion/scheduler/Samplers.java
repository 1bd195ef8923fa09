package dev.adi4j.diffusion.scheduler;

import dev.adi4j.core.config.SchedulerConfig;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Builds samplers by short name from a (diffusers) scheduler config. */
public final class Samplers {
    private static final Map<String, Function<SchedulerConfig, Sampler>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("ddim", DdimSampler::new);
        BY_NAME.put("euler", EulerSampler::new);
        BY_NAME.put("euler_karras", cfg -> new EulerSampler(with(cfg, "use_karras_sigmas", true)));
        BY_NAME.put("euler_a", EulerAncestralSampler::new);
        BY_NAME.put("dpmpp2m", cfg -> new DpmSolverMultistepSampler(dpmpp2m(cfg, false)));
        BY_NAME.put("dpmpp2m_karras", cfg -> new DpmSolverMultistepSampler(dpmpp2m(cfg, true)));
        BY_NAME.put("ddpm", DdpmSampler::new);
        BY_NAME.put("pndm", PndmSampler::new);
    }

    private Samplers() {
    }

    /** The valid names, in a stable order. */
    public static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(BY_NAME.keySet());
    }

    /**
     * A sampler by name: ddim, euler, euler_karras, euler_a (Euler ancestral), dpmpp2m (DPM-Solver++ 2M:
     * algorithm_type dpmsolver++, solver_order 2), dpmpp2m_karras (same with Karras sigmas), ddpm, pndm (PLMS).
     * The config supplies the noise schedule, prediction type and spacing; fields it leaves null take the
     * sampler's diffusers default.
     *
     * @throws SchedulerException for an unknown name (listing the valid ones) or an unsupported config value
     */
    public static Sampler byName(String name, SchedulerConfig cfg) {
        Function<SchedulerConfig, Sampler> f = name == null ? null : BY_NAME.get(name.toLowerCase(Locale.ROOT));
        if (f == null) {
            throw new SchedulerException("unknown sampler '" + name + "'; valid names: "
                    + String.join(", ", BY_NAME.keySet()));
        }
        return f.apply(cfg);
    }

    /**
     * The sampler a diffusers config names in {@code _class_name} (DDIMScheduler, PNDMScheduler,
     * EulerDiscreteScheduler, EulerAncestralDiscreteScheduler, DPMSolverMultistepScheduler, DDPMScheduler), with the
     * config's own settings (Karras sigmas, solver order, ...). This is the default sampler of a model folder.
     */
    public static Sampler fromConfig(SchedulerConfig cfg) {
        String cls = cfg.className();
        if (cls == null) throw new SchedulerException("scheduler config has no _class_name; choose a sampler by name: "
                + String.join(", ", BY_NAME.keySet()));
        return switch (cls) {
            case "DDIMScheduler" -> new DdimSampler(cfg);
            case "PNDMScheduler" -> new PndmSampler(cfg);
            case "EulerDiscreteScheduler" -> new EulerSampler(cfg);
            case "EulerAncestralDiscreteScheduler" -> new EulerAncestralSampler(cfg);
            case "DPMSolverMultistepScheduler" -> new DpmSolverMultistepSampler(cfg);
            case "DDPMScheduler" -> new DdpmSampler(cfg);
            default -> throw new SchedulerException("scheduler class " + cls + " is not implemented; choose a sampler "
                    + "by name: " + String.join(", ", BY_NAME.keySet()));
        };
    }

    private static SchedulerConfig dpmpp2m(SchedulerConfig cfg, boolean karras) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("algorithm_type", "dpmsolver++");
        o.put("solver_order", 2);
        if (karras) o.put("use_karras_sigmas", true);
        return cfg.withOverrides(o);
    }

    private static SchedulerConfig with(SchedulerConfig cfg, String key, Object value) {
        return cfg.withOverrides(Map.of(key, value));
    }
}
