package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Where a module sits in the reference module tree: its dotted prefix (e.g. {@code down_blocks.0.resnets.1})
 * plus the graph and parameter source being built into. A weight key therefore reads as the path to the
 * module that uses it.
 */
public final class Scope {
    private final Ops ops;
    private final ParameterSource params;
    private final String prefix;

    private Scope(Ops ops, ParameterSource params, String prefix) {
        this.ops = ops;
        this.params = params;
        this.prefix = prefix;
    }

    /** The root scope of a network (empty prefix, or e.g. "text_model"). */
    public static Scope root(SameDiff sd, ParameterSource params, String prefix) {
        return new Scope(new Ops(sd), params, prefix == null ? "" : prefix);
    }

    /** A child module's scope. */
    public Scope child(String name) {
        return new Scope(ops, params, prefix.isEmpty() ? name : prefix + "." + name);
    }

    public Scope child(String name, int index) {
        return child(name).child(Integer.toString(index));
    }

    public Ops ops() { return ops; }

    public SameDiff sameDiff() { return ops.sameDiff(); }

    public ParameterSource params() { return params; }

    public String prefix() { return prefix; }

    /** The parameter {@code prefix.name} with its reference (PyTorch) shape. */
    public SDVariable param(String name, ParamLayout layout, long... referenceShape) {
        String full = prefix.isEmpty() ? name : prefix + "." + name;
        return params.get(ops.sameDiff(), new ParamSpec(full, referenceShape, layout));
    }
}
