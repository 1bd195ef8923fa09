package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records every parameter asked for (the network's declared parameter list) and collects problems. */
public abstract class AbstractParameterSource implements ParameterSource {
    private final Map<String, ParamSpec> declared = new LinkedHashMap<>();
    protected final java.util.Set<String> problems = new java.util.LinkedHashSet<>();

    @Override
    public final SDVariable get(SameDiff sd, ParamSpec spec) {
        ParamSpec previous = declared.putIfAbsent(spec.name(), spec);
        if (previous != null) {
            // A module asked twice (e.g. a graph rebuilt into the same SameDiff): reuse the variable.
            SDVariable existing = sd.getVariable(spec.name());
            if (existing != null) return existing;
        }
        return create(sd, spec);
    }

    /** Creates the graph variable for a parameter seen for the first time. */
    protected abstract SDVariable create(SameDiff sd, ParamSpec spec);

    /** Every parameter the network declared, in construction order. */
    public List<ParamSpec> declared() {
        return Collections.unmodifiableList(new ArrayList<>(declared.values()));
    }

    /** A stand-in so that graph construction can continue after a problem was recorded. */
    protected static SDVariable standIn(SameDiff sd, ParamSpec spec) {
        return sd.placeHolder(spec.name(), DataType.FLOAT, spec.layout().graphShape(spec.shape()));
    }
}
