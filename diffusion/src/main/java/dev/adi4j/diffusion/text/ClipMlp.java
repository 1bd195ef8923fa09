package dev.adi4j.diffusion.text;

import dev.adi4j.diffusion.nn.Linear;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.Tensor;

import java.util.List;

/** transformers {@code CLIPMLP}: fc1, activation (config {@code hidden_act}), fc2. */
final class ClipMlp {
    /** The values of {@code hidden_act} this port implements. */
    static final List<String> ACTIVATIONS = List.of("gelu", "quick_gelu");

    private final Scope scope;
    private final String activation;
    private final Linear fc1;
    private final Linear fc2;

    ClipMlp(Scope scope, long dim, long intermediate, String activation) {
        if (!ACTIVATIONS.contains(activation)) {
            throw new IllegalArgumentException("hidden_act \"" + activation + "\" is not supported; expected one of "
                    + ACTIVATIONS);
        }
        this.scope = scope;
        this.activation = activation;
        this.fc1 = new Linear(scope.child("fc1"), dim, intermediate, true);
        this.fc2 = new Linear(scope.child("fc2"), intermediate, dim, true);
    }

    Tensor forward(Tensor x) {
        Tensor h = fc1.forward(x);
        h = activation.equals("gelu") ? scope.ops().gelu(h) : scope.ops().quickGelu(h);
        return fc2.forward(h);
    }
}
