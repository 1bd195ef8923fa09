package dev.adi4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adi4j.convert.Inspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code adi inspect PATH}: a safetensors file validated and listed, or a model folder checked against its configs. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Validate and list a .safetensors file (tensors, dtypes, shapes, byte ranges, metadata), or show "
                + "what a model folder resolves per component and whether each network's weights match its config.",
                "Exit 0 only for a valid input."})
public final class InspectCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(paramLabel = "PATH", description = "a .safetensors file or a model folder")
    Path path;

    @Option(names = "--stats", description = "read every float tensor and count NaN/Inf values")
    boolean stats;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (Files.isDirectory(path)) {
            Inspector.FolderReport report = Inspector.inspectFolder(path, stats);
            if (json) {
                ObjectNode node = JSON.valueToTree(report);
                node.put("valid", report.ok());
                out.println(JSON.writeValueAsString(node));
            } else {
                printFolder(out, report);
            }
            List<String> problems = report.problems();
            if (!problems.isEmpty()) {
                throw new UserException(problems.get(0)
                        + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problem(s) listed above)" : ""));
            }
            return 0;
        }
        if (!Files.exists(path)) throw new UserException(path + ": no such file or folder");
        if (!Files.isRegularFile(path)) throw new UserException(path + ": not a regular file or a folder");
        Inspector.FileReport report = Inspector.inspectFile(path, stats);
        if (json) {
            ObjectNode node = JSON.valueToTree(report);
            node.put("valid", true);
            out.println(JSON.writeValueAsString(node));
        } else {
            printFile(out, report);
        }
        return 0;
    }

    private void printFile(PrintStream out, Inspector.FileReport r) {
        out.printf(Locale.ROOT, "%s: valid safetensors, %d tensors, %,d values, %,d data bytes, %,d bytes in all%n",
                r.file(), r.tensors().size(), r.values(), r.dataBytes(), r.fileBytes());
        r.metadata().forEach((k, v) -> out.println("metadata " + k + " = " + v));
        for (Inspector.Tensor t : r.tensors()) {
            String counts = stats && t.nan() >= 0 ? String.format(Locale.ROOT, "  NaN %d  Inf %d", t.nan(), t.inf()) : "";
            out.printf(Locale.ROOT, "%-60s %-7s %-22s [%d, %d)%s%n", t.name(), t.dtype(), Arrays.toString(t.shape()),
                    t.begin(), t.end(), counts);
        }
        if (stats) out.println(r.nonFiniteTensors() + " tensor(s) with NaN/Inf");
    }

    private static void printFolder(PrintStream out, Inspector.FolderReport r) {
        out.println(r.folder() + ":");
        for (Inspector.ComponentReport c : r.components()) {
            out.printf(Locale.ROOT, "%-13s config %s%n", c.component(), c.config());
            if (!c.weights().isEmpty()) {
                out.printf(Locale.ROOT, "%-13s weights %s (%s%s), %d tensors, %,d values%s%n", "",
                        String.join(", ", c.weights()), c.variant(), c.sharded() ? ", sharded" : "", c.tensors(),
                        c.values(), c.note() == null ? "" : "; " + c.note());
            }
            out.printf(Locale.ROOT, "%-13s %s%n", "", c.problems().isEmpty() ? "OK" : c.problems().size() + " problem(s)");
            for (String p : c.problems()) out.println("  PROBLEM " + p);
        }
        out.println(r.ok() ? "OK" : r.problems().size() + " problem(s)");
    }
}
