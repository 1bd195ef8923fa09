package dev.adi4j.cli;

import dev.adi4j.diffusion.nn.EngineOptions;
import dev.adi4j.harness.bench.NativesInfo;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code adi info}: what this process runs on — ND4J natives chosen by bin/adi, threads, memory limits. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the ND4J natives in use (bin/adi picks oneDNN AVX-512/AVX2 builds by CPU), threads, memory limits and the engine options.")
public final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("ND4J natives: " + NativesInfo.describe());
        System.out.println("threads: " + Runtime.getRuntime().availableProcessors() + " available processors");
        System.out.printf("java heap max: %.1f GiB%n", Runtime.getRuntime().maxMemory() / (double) (1L << 30));
        System.out.println("off-heap cap (javacpp.maxbytes): "
                + System.getProperty("org.bytedeco.javacpp.maxbytes", "default (relative to the heap)"));
        System.out.println("malloc: " + (dev.adi4j.diffusion.nn.NativeAllocator.jemallocLoaded() ? "jemalloc (preloaded)" : "glibc"));
        System.out.println("engine options (-D...):");
        EngineOptions.current().describe().forEach((k, v) -> System.out.println("  " + k + " = " + v));
        return 0;
    }
}
