package dev.adi4j.cli;

import dev.adi4j.core.tokenizer.ClipTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** {@code adi tokenize}: prints the CLIP token ids of each text as one JSON array per line. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Print the 77 CLIP token ids of each TEXT as a JSON array (one line per text).")
public final class TokenizeCommand implements Callable<Integer> {
    @Option(names = "--tokenizer", required = true, paramLabel = "DIR",
            description = "Hugging Face tokenizer folder (vocab.json, merges.txt), or bpe_simple_vocab_16e6.txt.gz"
                    + " or a folder holding it.")
    Path tokenizer;

    @Option(names = "--add-token", paramLabel = "T",
            description = "Placeholder token that is never split; ids follow the vocabulary (49408, 49409, ...).")
    List<String> addTokens = new ArrayList<>();

    @Option(names = "--pipeline", paramLabel = "hf|openclip",
            description = "Text pipeline: hf (transformers CLIPTokenizer, default for tokenizer folders) or openclip"
                    + " (open_clip.tokenize, default for the .txt.gz).")
    String pipeline;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "Texts to tokenize.")
    List<String> texts;

    @Override
    public Integer call() {
        ClipTokenizer tok = ClipTokenizer.load(tokenizer, parsePipeline(pipeline));
        for (String t : addTokens) tok.addToken(t);
        PrintStream out = System.out;
        for (String text : texts) {
            int[] ids = tok.encode(text);
            out.println(IntStream.of(ids).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]")));
        }
        out.flush();
        return 0;
    }

    private static ClipTokenizer.Pipeline parsePipeline(String name) {
        if (name == null) return null;
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "hf" -> ClipTokenizer.Pipeline.HF;
            case "openclip" -> ClipTokenizer.Pipeline.OPENCLIP;
            default -> throw new IllegalArgumentException("--pipeline: expected hf or openclip, got '" + name + "'");
        };
    }
}
