package dev.adi4j.core.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CLIP's byte-level BPE over vocabulary ids: a pre-token's UTF-8 bytes become byte symbols (the last one with
 * {@code </w>}), then the lowest-ranked adjacent pair is merged everywhere, left to right, until no pair has a
 * rank. Results are cached per pre-token, as CLIP does.
 */
final class BytePairEncoder {
    /** Bounds memory for long-running processes; CLIP's own cache is unbounded. */
    private static final int CACHE_LIMIT = 200_000;

    private final int[] byteId = new int[256];
    private final int[] byteEndId = new int[256];
    private final Map<Long, Integer> rankOfPair;
    private final int[] mergedId;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    BytePairEncoder(ClipVocabulary vocab) {
        for (int b = 0; b < 256; b++) {
            String c = String.valueOf(ByteLevel.BYTE_TO_CHAR[b]);
            byteId[b] = vocab.id(c);
            byteEndId[b] = vocab.id(c + ClipVocabulary.END_OF_WORD);
        }
        List<String[]> merges = vocab.merges();
        rankOfPair = new HashMap<>(merges.size() * 2);
        mergedId = new int[merges.size()];
        for (int rank = 0; rank < merges.size(); rank++) {
            String[] m = merges.get(rank);
            int left = vocab.id(m[0]);
            int right = vocab.id(m[1]);
            // Every symbol BPE can form is a byte symbol or a merge result, all of which are checked to be in the
            // vocabulary, so a merge with an unknown side can never fire and is skipped.
            if (left < 0 || right < 0) continue;
            int merged = vocab.id(m[0] + m[1]);
            if (merged < 0) {
                throw new TokenizerException(vocab.location(), "merge " + (rank + 1) + " '" + m[0] + " " + m[1]
                        + "': merged token '" + m[0] + m[1] + "' is not in the vocabulary");
            }
            rankOfPair.put(pairKey(left, right), rank);
            mergedId[rank] = merged;
        }
    }

    /** Vocabulary ids of one pre-token (a regex match of the cleaned text). */
    int[] encode(String preToken) {
        int[] cached = cache.get(preToken);
        if (cached != null) return cached;
        int[] ids = merge(preToken.getBytes(StandardCharsets.UTF_8));
        if (cache.size() >= CACHE_LIMIT) cache.clear();
        cache.put(preToken, ids);
        return ids;
    }

    private int[] merge(byte[] bytes) {
        int n = bytes.length;
        int[] word = new int[n];
        for (int i = 0; i < n; i++) word[i] = byteId[bytes[i] & 0xFF];
        word[n - 1] = byteEndId[bytes[n - 1] & 0xFF];
        while (n > 1) {
            int bestRank = Integer.MAX_VALUE;
            long bestPair = 0;
            for (int i = 0; i + 1 < n; i++) {
                long pair = pairKey(word[i], word[i + 1]);
                Integer r = rankOfPair.get(pair);
                if (r != null && r < bestRank) {
                    bestRank = r;
                    bestPair = pair;
                }
            }
            if (bestRank == Integer.MAX_VALUE) break;
            int first = (int) (bestPair >>> 32);
            int second = (int) bestPair;
            int out = 0;
            for (int i = 0; i < n; ) {
                if (i + 1 < n && word[i] == first && word[i + 1] == second) {
                    word[out++] = mergedId[bestRank];
                    i += 2;
                } else {
                    word[out++] = word[i++];
                }
            }
            n = out;
        }
        return Arrays.copyOf(word, n);
    }

    private static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }
}
