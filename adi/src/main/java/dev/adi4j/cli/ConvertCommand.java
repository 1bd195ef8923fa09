package dev.adi4j.cli;

import dev.adi4j.convert.Converter;
import dev.adi4j.convert.TargetDType;
import dev.adi4j.convert.Verifier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code adi convert --from PATH --to DIR} (diffusers folder or SD 2.x single-file .safetensors -> the model
 * folder adi4j loads) and {@code adi convert --verify DIR}.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert SD 2.1 weights (diffusers folder, fp32 or fp16, or the original single-file "
                + ".safetensors checkpoint) into the model folder adi4j loads, or verify such a folder.",
                ".ckpt/.pt/.bin pickles are refused (use the published .safetensors file)."})
public final class ConvertCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = "--from", paramLabel = "PATH", description = "diffusers folder or single-file .safetensors checkpoint")
        Path from;

        @Option(names = "--verify", paramLabel = "DIR", description = "check a model folder (names, shapes, NaN/Inf, dtypes)")
        Path verify;
    }

    @Option(names = "--to", paramLabel = "DIR", description = "output model folder (written atomically)")
    Path to;

    @Option(names = "--dtype", paramLabel = "fp32|fp16|bf16", description = "weights type (default: keep the input's)")
    String dtype;

    @Option(names = "--config", paramLabel = "sd21|sd21-base|FOLDER",
            description = "model configs: sd21 (768 px, v-prediction), sd21-base (512 px, epsilon) or a folder with "
                    + "unet/vae/text_encoder config.json (default: the input folder's, or from the file name)")
    String config;

    @Option(names = "--tokenizer", paramLabel = "DIR_OR_BPE",
            description = "Hugging Face tokenizer folder or bpe_simple_vocab_16e6.txt.gz (default: the input's tokenizer/)")
    Path tokenizer;

    @Option(names = "--force", description = "replace an existing output folder")
    boolean force;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        if (mode.verify != null) {
            Verifier.Report report = Verifier.verify(mode.verify);
            report.print(out);
            return report.ok() ? 0 : 1;
        }
        if (to == null) throw new IllegalArgumentException("--to DIR is required with --from");
        TargetDType target = dtype == null ? null : parseDType(dtype);
        long start = System.nanoTime();
        Converter.Summary s = new Converter().convert(
                new Converter.Options(mode.from, to, target, config, tokenizer, force),
                (i, n, c, name, bytes) -> {
                    double sec = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
                    err.printf(Locale.ROOT, "\rtensor %d of %d  %.1f MB/s  %s/%s\033[K", i, n, bytes / 1e6 / sec,
                            c.folder(), name);
                    if (i == n) err.println();
                });
        double sec = (System.nanoTime() - start) / 1e9;
        s.dropped().forEach((k, why) -> err.println("dropped " + k + ": " + why));
        out.printf(Locale.ROOT, "wrote %s: %d tensors, %.1f MB in %.1f s%n", s.folder(), s.tensors(), s.bytes() / 1e6, sec);
        s.report().print(out);
        return s.report().ok() ? 0 : 1;
    }

    private static TargetDType parseDType(String s) {
        try {
            return TargetDType.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--dtype must be fp32, fp16 or bf16, got '" + s + "'");
        }
    }
}
