package dev.adi4j.serve;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** AUTOMATIC1111's sampler names for the samplers adi4j has ({@code diffusion.scheduler.Samplers} names). */
public final class A1111Samplers {
    /** One sampler: A1111's display name, adi4j's name, and the other names A1111 clients send for it. */
    public record Entry(String name, String adi4jName, List<String> aliases) {
    }

    // Only the samplers that exist on both sides; A1111 lists many more (Heun, DPM2, UniPC, ...) and those are refused
    // by name rather than silently replaced by another sampler.
    private static final List<Entry> ALL = List.of(
            new Entry("Euler a", "euler_a", List.of("k_euler_a", "k_euler_ancestral")),
            new Entry("Euler", "euler", List.of("k_euler")),
            new Entry("Euler Karras", "euler_karras", List.of("k_euler_ka")),
            new Entry("DPM++ 2M", "dpmpp2m", List.of("k_dpmpp_2m")),
            new Entry("DPM++ 2M Karras", "dpmpp2m_karras", List.of("k_dpmpp_2m_ka")),
            new Entry("DDIM", "ddim", List.of()),
            new Entry("PLMS", "pndm", List.of("PNDM")),
            new Entry("DDPM", "ddpm", List.of()));

    private A1111Samplers() {
    }

    public static List<Entry> all() { return ALL; }

    /** The sampler an A1111 name, alias or adi4j name means (case-insensitive). */
    public static Optional<Entry> find(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return ALL.stream().filter(e -> e.name().toLowerCase(Locale.ROOT).equals(n)
                || e.adi4jName().equals(n)
                || e.aliases().stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(n))).findFirst();
    }

    /** The A1111 names, for error messages. */
    public static String names() {
        return String.join(", ", ALL.stream().map(Entry::name).toList());
    }
}
