package dev.adi4j.harness.golden;

import dev.adi4j.core.io.RegularFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.SchedulerConfig;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.diffusion.scheduler.DdpmSampler;
import dev.adi4j.diffusion.scheduler.DdpmTraining;
import dev.adi4j.diffusion.scheduler.NoiseSchedule;
import dev.adi4j.diffusion.scheduler.Sampler;
import dev.adi4j.diffusion.scheduler.Samplers;
import dev.adi4j.diffusion.scheduler.StepResult;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the scheduler golden cases of cases.json (kinds {@code scheduler_rollout} and {@code scheduler_train}).
 * Conventions (fixtures README, "golden/ — schedulers"): a fresh sampler per rollout;
 * x = latents_noise · init_noise_sigma; for each t: model_input = scale_model_input(x, t),
 * model_output = 0.1·model_input + sin(t), x = step(model_output, t, x).prev_sample. Scheduler configs are the
 * "resolved" entries of the configs file: rollout cases use the keys {@code <scheduler>.<prediction_type>},
 * train cases the key {@code <scheduler>}.
 */
public final class SchedulerGoldens {
    /** Tolerance of schedule arrays (betas, ᾱ, timesteps, σ), per the fixtures README. */
    public static final double SCHEDULE_TOLERANCE = 1e-5;
    public static final String KIND_ROLLOUT = "scheduler_rollout";
    public static final String KIND_TRAIN = "scheduler_train";
    private static final Pattern ROLLOUT = Pattern.compile("(.+)\\.n(\\d+)\\.latents_noise");
    private static final String[] STEP_OUTPUTS = {"model_input", "model_output", "prev_sample",
            "pred_original_sample"};

    private SchedulerGoldens() {
    }

    /** Runs a case of either scheduler kind. */
    public static List<CaseResult> run(String caseName, String kind, Path file, Path configs, String scheduler,
                                       double tolerance) {
        return switch (kind) {
            case KIND_ROLLOUT -> rollout(caseName, file, configs, scheduler, tolerance);
            case KIND_TRAIN -> train(caseName, file, configs, scheduler, tolerance);
            default -> throw new GoldenException(file, "case '" + caseName + "' has kind '" + kind
                    + "'; scheduler goldens handle " + KIND_ROLLOUT + " and " + KIND_TRAIN);
        };
    }

    /**
     * A {@code scheduler_rollout} case: schedule arrays (tolerance min(tolerance, 1e-5)) and every rollout in
     * the file (tolerance as given), for each config {@code <scheduler>.<prediction_type>}.
     */
    public static List<CaseResult> rollout(String caseName, Path file, Path configs, String scheduler,
                                           double tolerance) {
        Map<String, SchedulerConfig> byPrediction = new LinkedHashMap<>();
        readConfigs(configs).forEach((key, cfg) -> {
            if (key.startsWith(scheduler + ".")) byPrediction.put(key.substring(scheduler.length() + 1), cfg);
        });
        if (byPrediction.isEmpty()) {
            throw new GoldenException(configs, "no config '" + scheduler + ".<prediction_type>' for case '"
                    + caseName + "'; keys: " + readConfigs(configs).keySet());
        }
        List<CaseResult> results = new ArrayList<>();
        double scheduleTol = Math.min(tolerance, SCHEDULE_TOLERANCE);
        try (SafetensorsReader r = open(file)) {
            SchedulerConfig first = byPrediction.values().iterator().next();
            compareSchedule(caseName, r, NoiseSchedule.of(first), scheduleTol, results);
            for (int n : stepCounts(r)) {
                Sampler s = Samplers.byName(scheduler, first);
                s.setTimesteps(n);
                compareIfPresent(caseName, r, "timesteps_" + n, floats(s.timesteps()), scheduleTol, results);
                compareIfPresent(caseName, r, "init_noise_sigma_" + n,
                        floats(new float[] {(float) s.initNoiseSigma()}), scheduleTol, results);
                compareIfPresent(caseName, r, "sigmas_" + n, s.sigmas() == null ? null : floats(s.sigmas()),
                        scheduleTol, results);
            }
            for (Map.Entry<String, SchedulerConfig> e : byPrediction.entrySet()) {
                List<Integer> ns = rolloutLengths(r, e.getKey());
                if (ns.isEmpty()) {
                    results.add(CaseResult.failure(caseName, e.getKey() + ".*", tolerance,
                            "the golden file holds no rollout for prediction type " + e.getKey()));
                }
                for (int n : ns) {
                    String prefix = e.getKey() + ".n" + n + ".";
                    Map<String, INDArray> out = rolloutTensors(Samplers.byName(scheduler, e.getValue()), n,
                            r.loadFloat(prefix + "latents_noise"));
                    for (Map.Entry<String, INDArray> o : out.entrySet()) {
                        compareIfPresent(caseName, r, prefix + o.getKey(), o.getValue(), tolerance, results);
                    }
                }
            }
        }
        return results;
    }

    /**
     * A {@code scheduler_train} case (DDPM training math): noisy_samples and velocity from original_samples,
     * noise and timesteps (tolerance as given), plus the schedule arrays present in the file.
     */
    public static List<CaseResult> train(String caseName, Path file, Path configs, String scheduler,
                                         double tolerance) {
        Map<String, SchedulerConfig> all = readConfigs(configs);
        SchedulerConfig cfg = all.get(scheduler);
        if (cfg == null) {
            throw new GoldenException(configs, "no config '" + scheduler + "' for case '" + caseName + "'; keys: "
                    + all.keySet());
        }
        List<CaseResult> results = new ArrayList<>();
        double scheduleTol = Math.min(tolerance, SCHEDULE_TOLERANCE);
        try (SafetensorsReader r = open(file)) {
            DdpmTraining training = DdpmTraining.of(cfg);
            INDArray x0 = require(r, "original_samples");
            INDArray noise = require(r, "noise");
            int[] ts = integers(file, "timesteps", require(r, "timesteps"));
            compareIfPresent(caseName, r, "noisy_samples", training.addNoise(x0, noise, ts), tolerance, results);
            compareIfPresent(caseName, r, "velocity", training.velocity(x0, noise, ts), tolerance, results);
            compareSchedule(caseName, r, training.schedule(), scheduleTol, results);
            for (int n : stepCounts(r)) {
                DdpmSampler s = new DdpmSampler(cfg);
                s.setTimesteps(n);
                compareIfPresent(caseName, r, "timesteps_" + n, floats(s.timesteps()), scheduleTol, results);
            }
        }
        return results;
    }

    /**
     * One rollout under the README convention. Returns, by golden name: x_init, timesteps, and the per-step
     * model_input, model_output, prev_sample, pred_original_sample stacked on a new leading axis (the last is
     * null when the sampler does not produce it).
     */
    public static Map<String, INDArray> rolloutTensors(Sampler sampler, int n, INDArray latentsNoise) {
        sampler.setTimesteps(n);
        float[] ts = sampler.timesteps();
        INDArray x = latentsNoise.mul(sampler.initNoiseSigma());
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put("x_init", x.dup());
        out.put("timesteps", floats(ts));
        Map<String, List<INDArray>> steps = new LinkedHashMap<>();
        for (String k : STEP_OUTPUTS) steps.put(k, new ArrayList<>());
        for (float t : ts) {
            INDArray in = sampler.scaleModelInput(x, t);
            INDArray modelOutput = in.mul(0.1).addi(Math.sin(t));
            StepResult res = sampler.step(modelOutput, t, x);
            steps.get("model_input").add(in);
            steps.get("model_output").add(modelOutput);
            steps.get("prev_sample").add(res.prevSample());
            steps.get("pred_original_sample").add(res.predOriginalSample());
            x = res.prevSample();
        }
        for (Map.Entry<String, List<INDArray>> e : steps.entrySet()) {
            boolean complete = e.getValue().stream().allMatch(a -> a != null);
            out.put(e.getKey(), complete ? Nd4j.stack(0, e.getValue().toArray(new INDArray[0])) : null);
        }
        return out;
    }

    /** The resolved scheduler configs of a schedulers.json file, by key (e.g. "ddim.epsilon"). */
    public static Map<String, SchedulerConfig> readConfigs(Path configs) {
        JsonNode root;
        try {
            root = Configs.mapper().readTree(RegularFiles.require(configs, "scheduler configs", GoldenException::new).toFile());
        } catch (IOException e) {
            throw new GoldenException(configs, "cannot read scheduler configs: " + e.getMessage(), e);
        }
        JsonNode entries = root == null ? null : root.get("configs");
        if (entries == null || !entries.isObject()) {
            throw new GoldenException(configs, "expected an object 'configs' of scheduler configs");
        }
        Map<String, SchedulerConfig> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode resolved = e.getValue().get("resolved");
            if (resolved == null || !resolved.isObject()) {
                throw new GoldenException(configs, "configs." + e.getKey() + ": expected an object 'resolved'");
            }
            try {
                out.put(e.getKey(), Configs.mapper().treeToValue(resolved, SchedulerConfig.class));
            } catch (JsonProcessingException | IllegalArgumentException ex) {
                throw new GoldenException(configs, "configs." + e.getKey() + ".resolved: " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    private static void compareSchedule(String caseName, SafetensorsReader r, NoiseSchedule schedule, double tol,
                                        List<CaseResult> results) {
        compareIfPresent(caseName, r, "alphas_cumprod", floats(schedule.alphasCumprod()), tol, results);
        compareIfPresent(caseName, r, "betas", floats(schedule.betas()), tol, results);
    }

    /** Compares when the golden holds the tensor; a produced value the golden lacks is not an error. */
    private static void compareIfPresent(String caseName, SafetensorsReader r, String name, INDArray actual,
                                         double tol, List<CaseResult> results) {
        if (!r.contains(name)) return;
        results.add(actual == null
                ? CaseResult.failure(caseName, name, tol, "the golden has this output but the sampler does not "
                + "produce it")
                : Compare.compare(caseName, name, actual, r.loadFloat(name), tol));
    }

    private static SafetensorsReader open(Path file) {
        try {
            return SafetensorsReader.open(file);
        } catch (RuntimeException e) {
            throw new GoldenException(file, "cannot open golden file: " + e.getMessage(), e);
        }
    }

    private static INDArray require(SafetensorsReader r, String name) {
        if (!r.contains(name)) throw new GoldenException(r.file(), "missing input tensor '" + name + "'");
        return r.loadFloat(name);
    }

    private static int[] integers(Path file, String name, INDArray values) {
        float[] f = values.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (int) f[i];
            if (out[i] != f[i]) throw new GoldenException(file, "tensor '" + name + "' holds the non-integer "
                    + f[i] + " at index " + i);
        }
        return out;
    }

    /** n of every "timesteps_<n>" tensor, descending. */
    private static List<Integer> stepCounts(SafetensorsReader r) {
        TreeSet<Integer> ns = new TreeSet<>(java.util.Comparator.reverseOrder());
        for (String name : r.names()) {
            if (name.matches("timesteps_\\d+")) ns.add(Integer.parseInt(name.substring("timesteps_".length())));
        }
        return new ArrayList<>(ns);
    }

    /** n of every rollout "<prediction>.n<n>.latents_noise", ascending. */
    private static List<Integer> rolloutLengths(SafetensorsReader r, String prediction) {
        TreeSet<Integer> ns = new TreeSet<>();
        for (String name : r.names()) {
            Matcher m = ROLLOUT.matcher(name);
            if (m.matches() && m.group(1).equals(prediction)) ns.add(Integer.parseInt(m.group(2)));
        }
        return new ArrayList<>(ns);
    }

    private static INDArray floats(float[] v) {
        return Nd4j.createFromArray(v.clone());
    }
}
