package dev.adi4j.serve;

/**
 * The running job as {@code /sdapi/v1/progress} reports it.
 *
 * @param step         sampler steps done, over all images of the job
 * @param totalSteps   steps x images of the job (0 when idle)
 * @param etaSeconds   remaining time at the job's pace so far (0 when idle or before the first step)
 * @param waiting      jobs queued behind it
 */
public record Progress(boolean running, int step, int totalSteps, double etaSeconds, int waiting) {
    public double fraction() { return totalSteps == 0 ? 0 : step / (double) totalSteps; }
}
