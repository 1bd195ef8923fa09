package dev.adi4j.actionbench;

import dev.adi4j.core.image.ImageGrid;
import dev.adi4j.core.image.Images;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One sheet per action and seed: a row per method, a column per subject (missing images leave a blank cell). */
final class ContactSheets {
    private ContactSheets() {
    }

    static Path file(String action, long seed) {
        return Path.of("sheets", action + "-seed" + seed + ".png");
    }

    static void write(BenchFile.Loaded bench, BenchIndex index, Path out) {
        Map<String, BenchIndex.Entry> done = new java.util.HashMap<>();
        for (BenchIndex.Entry e : index.items()) done.put(e.method() + "|" + e.action() + "|" + e.subject() + "|" + e.seed(), e);
        for (BenchFile.ActionSpec a : bench.actions()) {
            for (long seed : bench.seeds()) {
                List<BufferedImage> images = new ArrayList<>();
                List<String> labels = new ArrayList<>();
                boolean any = false;
                for (BenchFile.Method m : bench.methods()) {
                    for (int s = 0; s < bench.subjects().size(); s++) {
                        BenchIndex.Entry e = done.get(m.name() + "|" + a.name() + "|" + s + "|" + seed);
                        images.add(e == null ? null : Images.readRgb(out.resolve(e.file())));
                        labels.add(m.name() + "\n" + bench.subjects().get(s));
                        any |= e != null;
                    }
                }
                if (!any) continue;
                ImageGrid.save(images, labels, bench.methods().size(), bench.subjects().size(), ImageGrid.LabelPosition.BELOW,
                        out.resolve(file(a.name(), seed)), Map.of(), true);
            }
        }
    }
}
