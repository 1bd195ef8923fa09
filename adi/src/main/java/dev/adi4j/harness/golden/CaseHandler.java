package dev.adi4j.harness.golden;

import java.nio.file.Path;
import java.util.List;

/** Runs the golden cases of one kind. */
@FunctionalInterface
public interface CaseHandler {
    /**
     * @param c      the case
     * @param root   the folder of the index file (case paths are relative to it)
     * @param models models loaded by earlier cases, shared across the run
     */
    List<CaseResult> run(GoldenCase c, Path root, ModelCache models) throws Exception;
}
