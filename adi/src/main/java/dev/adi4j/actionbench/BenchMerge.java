package dev.adi4j.actionbench;

import dev.adi4j.core.io.AtomicWrite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code adi actionbench merge}: joins shard output folders into one. Shards must come from the same bench file
 * (same SHA-256) and every copied image must match the hash its shard's index recorded.
 */
public final class BenchMerge {
    private BenchMerge() {
    }

    public static BenchIndex merge(Path out, List<Path> shards, Consumer<String> log) {
        if (shards.isEmpty()) throw new IllegalArgumentException("merge: give at least one shard folder");
        BenchFile.Loaded bench = null;
        Path first = null;
        List<BenchIndex> indexes = new ArrayList<>();
        for (Path shard : shards) {
            if (shard.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("merge: shard " + shard + " is the --out folder itself");
            }
            Path copy = shard.resolve(BenchRunner.BENCH_COPY);
            if (!Files.isRegularFile(copy)) {
                throw new IllegalArgumentException("merge: " + shard + " is not an ActionBench output folder (no " + BenchRunner.BENCH_COPY + ")");
            }
            BenchFile.Loaded b = BenchFile.load(copy, false);
            BenchIndex index = BenchIndex.read(shard);
            if (!index.benchSha256().equals(b.sha256())) {
                throw new IllegalArgumentException("merge: " + shard + ": index.json and bench.json disagree (bench sha256 "
                        + index.benchSha256().substring(0, 12) + " vs " + b.sha256().substring(0, 12) + ")");
            }
            if (bench != null && !bench.sha256().equals(b.sha256())) {
                throw new IllegalArgumentException("merge: " + shard + " was run from another bench file than " + first
                        + " (sha256 " + b.sha256().substring(0, 12) + " vs " + bench.sha256().substring(0, 12)
                        + "); only shards of one bench file can be merged");
            }
            if (bench == null) {
                bench = b;
                first = shard;
            }
            indexes.add(index);
        }
        BenchRunner.claimOutput(out, bench);
        Map<String, BenchIndex.Entry> merged = new HashMap<>();
        try {
            for (int k = 0; k < shards.size(); k++) {
                Path shard = shards.get(k);
                for (BenchIndex.Entry e : indexes.get(k).items()) {
                    BenchIndex.Entry had = merged.putIfAbsent(e.id(), e);
                    if (had != null && !had.equals(e)) {
                        throw new IllegalArgumentException("merge: image " + e.file() + " differs between shards (" + shard + ")");
                    }
                    copyChecked(shard.resolve(e.file()), out.resolve(e.file()), e.sha256());
                }
                for (BenchIndex.ActionEntry a : indexes.get(k).actions()) {
                    for (String f : a.exemplars()) {
                        if (!Files.isRegularFile(out.resolve(f))) {
                            byte[] bytes = Files.readAllBytes(shard.resolve(f));
                            AtomicWrite.write(out.resolve(f), true, tmp -> Files.write(tmp, bytes));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("merge: " + e.getMessage(), e);
        }
        List<BenchIndex.Entry> items = new ArrayList<>();
        List<BenchItem> all = BenchItem.all(bench);
        for (BenchItem i : all) if (merged.containsKey(i.id())) items.add(merged.get(i.id()));
        BenchIndex index = new BenchIndex(BenchIndex.FORMAT, bench.sha256(), bench.subjects(), indexes.get(0).actions(),
                bench.methods().stream().map(BenchFile.Method::name).toList(), items);
        index.write(out);
        ContactSheets.write(bench, index, out);
        if (items.size() < all.size()) {
            log.accept("merge: " + (all.size() - items.size()) + " of " + all.size() + " images are missing (shards not run or not finished)");
        }
        log.accept("merged " + items.size() + " images from " + shards.size() + " shard(s) into " + out);
        return index;
    }

    private static void copyChecked(Path from, Path to, String sha) throws IOException {
        if (!Files.isRegularFile(from)) throw new IllegalArgumentException("merge: " + from + " is listed in its index but missing");
        byte[] bytes = Files.readAllBytes(from);
        if (!BenchFile.sha256(bytes).equals(sha)) {
            throw new IllegalArgumentException("merge: " + from + " does not match the sha256 its index.json recorded");
        }
        if (Files.isRegularFile(to) && BenchFile.sha256(Files.readAllBytes(to)).equals(sha)) return;
        AtomicWrite.write(to, true, tmp -> Files.write(tmp, bytes));
    }
}
