package dev.adi4j.convert;

import dev.adi4j.core.model.Component;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The original SD 2.x single-file checkpoint layout: which prefix belongs to which component, which keys are
 * deliberately dropped, and the plan turning every kept key into diffusers-named output tensors.
 *
 * <p>Dropped (documented; everything else that no rule maps is an error): the EMA copies {@code model_ema.*},
 * the diffusion schedule buffers ({@link #SCHEDULE_BUFFERS}), the VAE training loss {@code first_stage_model.loss.*},
 * and from the text tower the last resblock, {@code text_projection} and {@code logit_scale}.
 */
public final class SingleFileLayout {
    /** Buffers of LDM's DDPM wrapper; diffusers' schedulers recompute them from scheduler_config.json. */
    public static final Set<String> SCHEDULE_BUFFERS = Set.of("betas", "alphas_cumprod", "alphas_cumprod_prev",
            "sqrt_alphas_cumprod", "sqrt_one_minus_alphas_cumprod", "log_one_minus_alphas_cumprod",
            "sqrt_recip_alphas_cumprod", "sqrt_recipm1_alphas_cumprod", "posterior_variance",
            "posterior_log_variance_clipped", "posterior_mean_coef1", "posterior_mean_coef2", "lvlb_weights", "logvar");

    private static final Pattern RESBLOCK = Pattern.compile(Pattern.quote(TextKeys.PREFIX)
            + "transformer\\.resblocks\\.(\\d+)\\..+");

    private SingleFileLayout() {
    }

    /** Geometry the rename rules need, taken from the target configs. */
    public record Geometry(int unetLayersPerBlock, int vaeLevels, int textPositions) {
    }

    /** The conversion plan: output tensors per component, and what was dropped (key -> reason). */
    public record Plan(Map<Component, List<PlannedTensor>> tensors, Map<String, String> dropped, List<String> problems) {
        public List<PlannedTensor> of(Component c) { return tensors.getOrDefault(c, List.of()); }

        public int size() { return tensors.values().stream().mapToInt(List::size).sum(); }
    }

    /** True when a key set looks like an SD single-file checkpoint (it has UNet keys in the LDM layout). */
    public static boolean looksLikeSingleFile(Set<String> keys) {
        return keys.stream().anyMatch(k -> k.startsWith(UnetKeys.PREFIX));
    }

    /** Maps one full key of a single-file checkpoint. */
    public static KeyMapping map(String key, Geometry g, int lastResblock) {
        if (key.startsWith("model_ema.")) return new KeyMapping.Dropped("EMA copy (the file's main weights are used)");
        if (SCHEDULE_BUFFERS.contains(key)) return new KeyMapping.Dropped("diffusion schedule buffer (recomputed by the scheduler)");
        if (key.startsWith(UnetKeys.PREFIX)) return UnetKeys.map(key.substring(UnetKeys.PREFIX.length()), g.unetLayersPerBlock());
        if (key.startsWith(VaeKeys.PREFIX + "loss.")) return new KeyMapping.Dropped("VAE training loss weights");
        if (key.startsWith(VaeKeys.PREFIX)) return VaeKeys.map(key.substring(VaeKeys.PREFIX.length()), g.vaeLevels());
        if (key.startsWith(TextKeys.PREFIX)) return TextKeys.map(key.substring(TextKeys.PREFIX.length()), lastResblock);
        return new KeyMapping.Unknown("not part of an SD 2.x checkpoint (expected prefixes " + UnetKeys.PREFIX + ", "
                + VaeKeys.PREFIX + ", " + TextKeys.PREFIX + ")");
    }

    /** The component a full key belongs to, or null. */
    public static Component componentOf(String key) {
        if (key.startsWith(UnetKeys.PREFIX)) return Component.UNET;
        if (key.startsWith(VaeKeys.PREFIX)) return Component.VAE;
        if (key.startsWith(TextKeys.PREFIX)) return Component.TEXT_ENCODER;
        return null;
    }

    /** Highest {@code transformer.resblocks.N} index among the keys, or -1. */
    public static int lastResblock(Set<String> keys) {
        int last = -1;
        for (String k : keys) {
            Matcher m = RESBLOCK.matcher(k);
            if (m.matches()) last = Math.max(last, Integer.parseInt(m.group(1)));
        }
        return last;
    }

    /**
     * Plans the conversion of a file with these keys and shapes. Every problem (unknown key, shape a rule
     * cannot transform, two keys giving the same target) is collected and thrown together.
     *
     * @throws ConversionException naming {@code file} and every bad key
     */
    public static Plan plan(Path file, Map<String, long[]> shapes, Geometry g) {
        Plan p = planCollecting(shapes, g);
        if (!p.problems().isEmpty()) throw new ConversionException(file, p.problems());
        return p;
    }

    /** As {@link #plan} but returns the problems (each naming its key) in the plan instead of throwing. */
    public static Plan planCollecting(Map<String, long[]> shapes, Geometry g) {
        int lastResblock = lastResblock(shapes.keySet());
        Map<Component, Map<String, PlannedTensor>> out = new EnumMap<>(Component.class);
        Map<String, String> dropped = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : new TreeMap<>(shapes).entrySet()) {
            String key = e.getKey();
            KeyMapping m = map(key, g, lastResblock);
            if (m instanceof KeyMapping.Dropped d) {
                dropped.put(key, d.reason());
            } else if (m instanceof KeyMapping.Unknown u) {
                problems.add("'" + key + "': unknown key, " + u.why());
            } else if (m instanceof KeyMapping.Mapped mapped) {
                Component c = componentOf(key);
                for (Rename r : mapped.renames()) {
                    long[] shape;
                    try {
                        shape = r.transform().targetShape(e.getValue());
                    } catch (IllegalArgumentException ex) {
                        problems.add("'" + key + "': wrong shape " + Arrays.toString(e.getValue()) + ": " + ex.getMessage());
                        break;
                    }
                    PlannedTensor p = new PlannedTensor(c, r.target(), shape, key, r.transform());
                    PlannedTensor prev = out.computeIfAbsent(c, x -> new LinkedHashMap<>()).putIfAbsent(r.target(), p);
                    if (prev != null) {
                        problems.add("'" + key + "': maps to '" + r.target() + "', which '" + prev.source() + "' already gives");
                    }
                }
            }
        }
        Map<Component, List<PlannedTensor>> tensors = new EnumMap<>(Component.class);
        for (Component c : Component.values()) {
            List<PlannedTensor> list = new ArrayList<>(out.getOrDefault(c, Map.of()).values());
            list.sort(Comparator.comparing(PlannedTensor::target));
            tensors.put(c, List.copyOf(list));
        }
        return new Plan(tensors, dropped, List.copyOf(problems));
    }
}
