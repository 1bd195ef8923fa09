package dev.adi4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the PyTorch side of a benchmark as child processes of this JVM, with the same thread count
 * ({@code OMP_NUM_THREADS}; the scripts also call {@code torch.set_num_threads}) and PyTorch's usual allocator.
 */
final class TorchRunner {
    static final String TORCH_INSTALL = "apt-get install -y python3-torch libopenblas0-openmp";

    private final String python;
    private final int threads;
    private final Consumer<String> log;

    TorchRunner(String python, int threads, Consumer<String> log) {
        this.python = python;
        this.threads = threads;
        this.log = log;
    }

    int threads() { return threads; }

    /** A script's parsed output, or why it failed (then {@code output} holds what it printed before). */
    record Outcome(TorchOutput output, int exitCode, String lastLine) {
        boolean ok() { return exitCode == 0; }
    }

    /** torch's version, or null when {@code import torch} fails for this Python. */
    String torchVersion() throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        int rc = child(List.of(python, "-c", "import torch; print(torch.__version__)"), lines, false);
        return rc == 0 && !lines.isEmpty() ? lines.get(lines.size() - 1).strip() : null;
    }

    /** The one line printed when torch is missing: the comparison is skipped, adi4j's rows are still printed. */
    private String missingTorchMessage() {
        return "PyTorch is not installed for " + python + " (no comparison); install it with: " + TORCH_INSTALL;
    }

    /** torch's version, or null after printing {@link #missingTorchMessage} and adding it to {@code footer}. */
    String torchVersionOrReport(List<String> footer) throws IOException, InterruptedException {
        String version = torchVersion();
        if (version == null) {
            String msg = missingTorchMessage();
            System.err.println(msg);
            footer.add(msg);
        }
        return version;
    }

    /**
     * Whether Python code runs to completion (e.g. imports diffusers through torchref's path set-up): null if so,
     * else the last line it printed.
     */
    String probe(String code) throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        int rc = child(List.of(python, "-c", code), lines, false);
        if (rc == 0) return null;
        return lines.isEmpty() ? "exit code " + rc : lines.get(lines.size() - 1).strip();
    }

    /** Runs {@code python script args...} in a fresh process, echoing its lines to the log. */
    Outcome run(List<String> scriptAndArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "\"$0\" \"$@\"; exit $?", python));
        command.addAll(scriptAndArgs);
        List<String> lines = new ArrayList<>();
        // Through sh, which forks before starting Python: Linux keeps ru_maxrss across execve, so a Python started
        // straight from the JVM would report the JVM's peak as its own (measured: 11 GiB for R1). "; exit" keeps
        // sh from exec'ing Python in its own process.
        int rc = child(command, lines, true);
        return new Outcome(TorchOutput.parse(lines), rc, lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip());
    }

    /** Runs a child process with the thread count and the system allocator; collects (and echoes) its output lines. */
    private int child(List<String> command, List<String> lines, boolean echo) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("OMP_NUM_THREADS", Integer.toString(threads));
        // bin/adi preloads jemalloc for the JVM; PyTorch is measured with its usual allocator
        env.remove("LD_PRELOAD");
        env.remove("MALLOC_CONF");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            lines.add(e.getMessage());
            return 127;
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
                if (echo) log.accept("  " + line);
            }
        }
        return p.waitFor();
    }
}
