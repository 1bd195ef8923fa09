package dev.adi4j.actionbench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One image of the bench: (method, action, subject, seed). The id is opaque — a hash that does not reveal the
 * method — so that the annotation page can name images without unblinding anyone.
 */
public record BenchItem(String id, String method, String action, int subject, long seed) {

    /** Every item of a bench in the canonical order (method, action, subject, seed). */
    public static List<BenchItem> all(BenchFile.Loaded bench) {
        List<BenchItem> items = new ArrayList<>();
        for (BenchFile.Method m : bench.methods()) {
            for (BenchFile.ActionSpec a : bench.actions()) {
                for (int s = 0; s < bench.subjects().size(); s++) {
                    for (long seed : bench.seeds()) {
                        String key = bench.sha256() + "|" + m.name() + "|" + a.name() + "|" + s + "|" + seed;
                        String id = BenchFile.sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
                        items.add(new BenchItem(id, m.name(), a.name(), s, seed));
                    }
                }
            }
        }
        return items;
    }

    /** Where the image lives below the output folder. */
    public String file() {
        return "images/" + method + "/" + action + "/s" + String.format("%02d", subject) + "-seed" + seed + ".png";
    }

    /**
     * A deterministic 1/N slice: shard i of N takes the contiguous block [i*T/N, (i+1)*T/N) of the canonical order,
     * so a shard needs the training runs of few (method, action) pairs instead of all of them.
     */
    public record Shard(int index, int count) {
        public Shard {
            if (count < 1 || index < 0 || index >= count) {
                throw new IllegalArgumentException("--shard " + index + "/" + count + ": expected i/N with 0 <= i < N");
            }
        }

        public static final Shard ALL = new Shard(0, 1);

        /** Parses "i/N" (0-based i, as Kubernetes' JOB_COMPLETION_INDEX and Slurm's SLURM_ARRAY_TASK_ID from 0). */
        public static Shard parse(String text) {
            String[] p = text.split("/", -1);
            try {
                if (p.length == 2) return new Shard(Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip()));
            } catch (NumberFormatException e) {
                // fall through to the one message below
            }
            throw new IllegalArgumentException("--shard '" + text + "': expected i/N, e.g. 0/4");
        }

        public <T> List<T> slice(List<T> all) {
            long t = all.size();
            return all.subList((int) (index * t / count), (int) ((index + 1) * t / count));
        }

        @Override
        public String toString() {
            return index + "/" + count;
        }
    }
}
