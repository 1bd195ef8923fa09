package dev.adi4j.mini.judge;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Softmax cross-entropy from elementary ops whose gradients SameDiff gets right: log-softmax as
 * x - max - log(sum(exp(x - max))). The max only stabilises; the loss does not depend on it, so its gradient
 * contributions cancel exactly (-1 + sum of softmax = 0).
 */
final class CrossEntropy {
    private CrossEntropy() {
    }

    /** Sum over the batch of -sum(target * log_softmax(logits)); logits and targets [batch, classes]. */
    static SDVariable sum(SameDiff sd, SDVariable logits, SDVariable targets) {
        SDVariable shifted = logits.sub(sd.max(logits, true, 1));
        SDVariable logSoftmax = shifted.sub(sd.math.log(sd.sum(sd.math.exp(shifted), true, 1)));
        return sd.sum(targets.mul(logSoftmax)).neg();
    }
}
