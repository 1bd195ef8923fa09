package dev.adi4j.diffusion.nn;

import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.TensorInfo;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Parameters read from safetensors files in diffusers naming. Frozen parameters become SameDiff constants
 * (no gradient is ever computed or stored for them); trainable ones become variables. Every missing,
 * wrongly shaped or unused key is collected and reported together by {@link #finish()}.
 */
public final class SafetensorsParameters extends AbstractParameterSource {
    private final List<SafetensorsReader> files;
    private final Predicate<String> trainable;
    private final Predicate<String> ignorableExtra;
    private final Set<String> used = new HashSet<>();
    /** Graph-layout arrays already loaded: graphs built later for other input shapes share them. */
    private final java.util.Map<String, INDArray> loaded = new java.util.HashMap<>();

    /**
     * @param files          the weight files (one, or the shards of a sharded checkpoint)
     * @param trainable      true for full-parameter training, false for frozen weights
     * @param ignorableExtra keys that may be present without the network using them (e.g. position_ids)
     */
    public SafetensorsParameters(List<SafetensorsReader> files, boolean trainable, Predicate<String> ignorableExtra) {
        this(files, trainable ? k -> true : k -> false, ignorableExtra);
    }

    /**
     * Only the parameters {@code trainable} selects become SameDiff variables (e.g. the cross-attention key/value
     * projections for Custom Diffusion); the rest stay constants. Either way every graph shares one array per
     * parameter, so updating a trainable array in place changes every graph built from this source.
     *
     * @param trainable      selects trainable parameters by reference name
     * @param ignorableExtra keys that may be present without the network using them (e.g. position_ids)
     */
    public SafetensorsParameters(List<SafetensorsReader> files, Predicate<String> trainable,
                                 Predicate<String> ignorableExtra) {
        this.files = List.copyOf(files);
        this.trainable = trainable;
        this.ignorableExtra = ignorableExtra;
    }

    public static SafetensorsParameters frozen(SafetensorsReader file) {
        return new SafetensorsParameters(List.of(file), false, k -> false);
    }

    @Override
    protected SDVariable create(SameDiff sd, ParamSpec spec) {
        SafetensorsReader file = fileOf(spec.name());
        if (file == null) {
            problems.add("missing: " + spec.name() + " (expected shape " + Arrays.toString(spec.shape()) + ")");
            return standIn(sd, spec);
        }
        used.add(spec.name());
        TensorInfo info = file.info(spec.name());
        if (!Arrays.equals(info.shape(), spec.shape())) {
            problems.add("wrong shape: " + spec.name() + " is " + Arrays.toString(info.shape()) + " in "
                    + file.file().getFileName() + ", expected " + Arrays.toString(spec.shape()));
            return standIn(sd, spec);
        }
        INDArray arr = loaded.computeIfAbsent(spec.name(), n -> spec.layout().toGraph(file.loadFloat(n)));
        return trainable.test(spec.name()) ? sd.var(spec.name(), arr) : sd.constant(spec.name(), arr);
    }

    @Override
    public boolean isTrainable(String name) {
        return trainable.test(name);
    }

    /**
     * The graph-layout array every graph uses for {@code spec}, loaded now if no graph has asked for it yet.
     * Writable (loads decode into fresh memory, never a view of the file).
     */
    @Override
    public INDArray array(ParamSpec spec) {
        INDArray known = loaded.get(spec.name());
        if (known != null) return known;
        used.add(spec.name());
        SafetensorsReader file = fileOf(spec.name());
        if (file == null) {
            throw new WeightsException(files.get(0).file().toString(), List.of("missing: " + spec.name()));
        }
        long[] shape = file.info(spec.name()).shape();
        if (!Arrays.equals(shape, spec.shape())) {
            throw new WeightsException(file.file().toString(), List.of("wrong shape: " + spec.name() + " is "
                    + Arrays.toString(shape) + ", expected " + Arrays.toString(spec.shape())));
        }
        return loaded.computeIfAbsent(spec.name(), n -> spec.layout().toGraph(file.loadFloat(n)));
    }

    private SafetensorsReader fileOf(String name) {
        for (SafetensorsReader f : files) if (f.contains(name)) return f;
        return null;
    }

    /**
     * Checks names and shapes of the files against a declared parameter list without loading any data,
     * reporting every problem at once.
     */
    public static void verify(List<ParamSpec> declared, List<SafetensorsReader> files, Predicate<String> ignorableExtra) {
        SafetensorsParameters check = new SafetensorsParameters(files, false, ignorableExtra);
        for (ParamSpec spec : declared) {
            SafetensorsReader file = check.fileOf(spec.name());
            if (file == null) {
                check.problems.add("missing: " + spec.name() + " (expected shape " + Arrays.toString(spec.shape()) + ")");
                continue;
            }
            check.used.add(spec.name());
            long[] actual = file.info(spec.name()).shape();
            if (!Arrays.equals(actual, spec.shape())) {
                check.problems.add("wrong shape: " + spec.name() + " is " + Arrays.toString(actual) + " in "
                        + file.file().getFileName() + ", expected " + Arrays.toString(spec.shape()));
            }
        }
        check.finish();
    }

    @Override
    public void finish() {
        Set<String> extra = new TreeSet<>();
        for (SafetensorsReader f : files) {
            for (String name : f.names()) {
                if (!used.contains(name) && !ignorableExtra.test(name)) extra.add(name);
            }
        }
        for (String e : extra) problems.add("unexpected: " + e + " (not used by the network)");
        if (!problems.isEmpty()) {
            throw new WeightsException(WeightReaders.source(files), List.copyOf(problems));
        }
    }
}
