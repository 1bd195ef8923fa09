package dev.adi4j.core.tokenizer;

import dev.adi4j.testsupport.Shared;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loading time and throughput of {@link ClipTokenizer} on the 85 golden prompts (captions, punctuation, Unicode,
 * long prompts). Run: {@code java -cp core/target/classes:core/target/test-classes:<jackson jars>
 * dev.adi4j.core.tokenizer.TokenizerBench [shared-dir]}.
 */
public final class TokenizerBench {
    public static void main(String[] args) throws Exception {
        Path shared = (args.length > 0 ? Path.of(args[0]) : dev.adi4j.testsupport.Shared.root());
        List<String> prompts = new ArrayList<>();
        new ObjectMapper().readTree(shared.resolve("fixtures/tokenizer/tokenizer_golden.json").toFile())
                .get("prompts").forEach(p -> prompts.add(p.get("text").asText()));

        long t0 = System.nanoTime();
        ClipTokenizer hf = ClipTokenizer.load(shared.resolve("fixtures/tiny-sd/tokenizer"));
        long t1 = System.nanoTime();
        ClipTokenizer oc = ClipTokenizer.load(shared.resolve("vocab/bpe_simple_vocab_16e6.txt.gz"));
        long t2 = System.nanoTime();
        System.out.printf("first load (cold JVM): HF folder %.0f ms, bpe .txt.gz %.0f ms%n", (t1 - t0) / 1e6,
                (t2 - t1) / 1e6);
        for (int i = 0; i < 3; i++) ClipTokenizer.load(shared.resolve("fixtures/tiny-sd/tokenizer"));
        long t3 = System.nanoTime();
        ClipTokenizer.load(shared.resolve("fixtures/tiny-sd/tokenizer"));
        System.out.printf("reload (warm JVM): HF folder %.0f ms%n", (System.nanoTime() - t3) / 1e6);
        hf.addToken("<handstand>");
        hf.addToken("<cat-toy>");

        for (ClipTokenizer tok : List.of(hf, oc)) {
            // Cold: a fresh tokenizer, every word goes through BPE once.
            ClipTokenizer fresh = new ClipTokenizer(tok.vocabulary(),
                    tok.pipeline() == ClipTokenizer.Pipeline.HF
                            ? ClipSpecialTokens.read(shared.resolve("fixtures/tiny-sd/tokenizer"))
                            : ClipSpecialTokens.clipDefaults(), tok.pipeline());
            long c0 = System.nanoTime();
            long coldTokens = 0;
            for (String p : prompts) coldTokens += fresh.contentIds(p).length + 2;
            double coldMs = (System.nanoTime() - c0) / 1e6;
            // Warm: repeated prompts, BPE cache hit; measures cleaning, regex and lookup.
            long tokens = 0;
            long w0 = System.nanoTime();
            long deadline = w0 + 3_000_000_000L;
            int rounds = 0;
            while (System.nanoTime() < deadline) {
                for (String p : prompts) tokens += tok.contentIds(p).length + 2;
                rounds++;
            }
            double sec = (System.nanoTime() - w0) / 1e9;
            System.out.printf("%s: cold %d tokens in %.1f ms; warm %.0f tokens/s, %.0f prompts/s (%d rounds of %d"
                    + " prompts)%n", tok.pipeline(), coldTokens, coldMs, tokens / sec, rounds * prompts.size() / sec,
                    rounds, prompts.size());
        }
    }
}
