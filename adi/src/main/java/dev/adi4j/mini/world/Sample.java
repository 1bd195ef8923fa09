package dev.adi4j.mini.world;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One dataset item: its position, the seed its context was drawn from, the scene (the ground truth) and the caption.
 * Images are rendered on demand, so a dataset of any size costs no memory until used.
 */
public record Sample(int index, long seed, Scene scene, String caption) {
    public BufferedImage render(int size) {
        return Renderer.render(scene, size);
    }

    /** The ground truth as flat text (e.g. for PNG text chunks or a JSONL index), in a fixed order. */
    public Map<String, String> labels() {
        Jitter j = scene.jitter();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("index", Integer.toString(index));
        m.put("seed", Long.toString(seed));
        m.put("subject", scene.subject().word());
        m.put("color", scene.color().word());
        m.put("action", scene.action().name().toLowerCase(Locale.ROOT));
        m.put("background", scene.background().word());
        m.put("centerX", Double.toString(j.centerX()));
        m.put("groundY", Double.toString(j.groundY()));
        m.put("scale", Double.toString(j.scale()));
        m.put("shade", Double.toString(j.shade()));
        m.put("stripePhase", Double.toString(j.stripePhase()));
        m.put("poseNoise", Arrays.toString(j.poseNoise().angles()));
        m.put("caption", caption);
        return m;
    }
}
