package dev.adi4j.cli;

import dev.adi4j.adi.baseline.CustomDiffusionDeltas;
import dev.adi4j.core.image.ImageSet;
import dev.adi4j.core.image.Images;
import dev.adi4j.core.image.PixelRange;
import dev.adi4j.diffusion.pipeline.GenerationRequest;
import dev.adi4j.diffusion.identifier.Identifiers;
import dev.adi4j.diffusion.pipeline.SpaceToDepthCodec;
import dev.adi4j.diffusion.pipeline.StableDiffusionPipeline;
import dev.adi4j.diffusion.scheduler.Samplers;
import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.core.config.VaeConfig;
import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.mini.base.EmbeddedModel;
import dev.adi4j.diffusion.unet.UNet2DConditionModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code adi generate}: text-to-image with a model folder, optionally with learned identifiers. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate images from a prompt with a diffusers model folder; writes PNGs (parameters in a PNG text chunk) and a grid.")
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", description = "diffusers model folder (model_index.json, unet/, vae/, ...); default: the "
            + "embedded mini-world model (32x32, prompts such as \"a photo of a red cat saluting on a blue background\")")
    Path model;

    @Option(names = "--prompt", required = true) String prompt;
    @Option(names = "--negative-prompt", defaultValue = "") String negativePrompt;
    @Option(names = "--steps", defaultValue = "25") int steps;
    @Option(names = "--guidance", defaultValue = "7.5") double guidance;
    @Option(names = "--sampler", description = "ddim, euler, euler_karras, euler_a, dpmpp2m, dpmpp2m_karras, ddpm, pndm (default: the model's scheduler)")
    String sampler;
    @Option(names = "--seed", defaultValue = "0", description = "seed of the first image; image i uses seed + i") long seed;
    @Option(names = "--size", defaultValue = "", description = "WxH, multiples of 8 (default: the UNet's sample size x 8)")
    String size;
    @Option(names = "--num-images", defaultValue = "1") int numImages;
    @Option(names = "--identifiers", description = "learned identifiers (safetensors) to use in the prompt") Path identifiers;
    @Option(names = "--custom-diffusion", description = "Custom Diffusion weights + token (safetensors) to use; the token then works in the prompt")
    Path customDiffusion;
    @Option(names = "--out", defaultValue = "out") Path out;
    @Option(names = "--force", description = "overwrite existing files") boolean force;

    @Override
    public Integer call() throws Exception {
        if (model == null) {
            model = EmbeddedModel.folder();
            System.err.println("adi generate: no --model given, using the embedded mini-world model (" + model + ")");
        }
        Checked checked = checkFlags();
        int[] wh = checked.size();
        Identifiers ids = checked.identifiers();
        ImageSet set = ImageSet.of(out, "image", ImageSet.consecutiveSeeds(seed, numImages));
        set.checkWritable(force);
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(model)) {
            GenerationRequest request = new GenerationRequest(prompt, negativePrompt, wh[0], wh[1], steps, guidance,
                    sampler, seed, numImages);
            if (customDiffusion != null) {
                ids = CustomDiffusionDeltas.load(customDiffusion, pipe.unet().config()).useIn(pipe.unet(), ids);
                ids.checkPlaceholders(customDiffusion + " and " + (identifiers == null ? "no --identifiers" : identifiers), prompt);
                ids.checkPlaceholders(customDiffusion, negativePrompt);
            }
            long t0 = System.nanoTime();
            INDArray images = pipe.generate(request, ids, new ProgressBar(System.err, numImages));
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, String> extra = new LinkedHashMap<>();
            // no adi4j.model chunk: the folder's name is in the parameters ("Model"), and an absolute path of this
            // machine has no business in a shared image; the same parameters give the same bytes as adi serve
            if (identifiers != null) extra.put("adi4j.identifiers", identifiers.toAbsolutePath().toString());
            if (customDiffusion != null) extra.put("adi4j.custom_diffusion", customDiffusion.toAbsolutePath().toString());
            // created only now: a run refused on the way leaves nothing behind
            Files.createDirectories(out);
            set.write(Images.fromTensor(images, PixelRange.ZERO_TO_ONE), prompt, negativePrompt, settings(request),
                    extra, force);
            set.files().forEach(System.out::println);
            System.out.println(set.grid());
            System.err.printf("%d image(s) in %.1f s (%.3f images/s)%n", numImages, seconds, numImages / seconds);
            return 0;
        }
    }

    /**
     * Every flag, checked before any weight is read (configs are small JSON files): returns the image size.
     * Sizes must be multiples of the VAE factor, give latents no smaller than the UNet's coarsest level, and
     * fit memory: the VAE decoder alone holds a few float tensors of width x height x its widest channels.
     */
    record Checked(int[] size, Identifiers identifiers) {
    }

    Checked checkFlags() {
        if (!Files.isDirectory(model)) throw new UserException("--model " + model + ": no such model folder");
        Flags.atLeast("--steps", steps, 1);
        Flags.atLeast("--num-images", numImages, 1);
        Flags.finite("--guidance", guidance);
        if (sampler != null) Flags.oneOf("--sampler", sampler, Samplers.names());
        for (Path f : new Path[]{identifiers, customDiffusion}) {
            if (f != null && !Files.isRegularFile(f)) {
                throw new UserException((f == identifiers ? "--identifiers " : "--custom-diffusion ") + f
                        + (Files.exists(f) ? ": not a regular file" : ": no such file"));
            }
        }
        if (Files.exists(out) && !Files.isDirectory(out)) throw new UserException("--out " + out + ": exists and is not a folder");
        ModelFolder folder = ModelFolder.open(model);
        UNetConfig unet = folder.unet();
        // the widest image-side tensor decoding holds: the VAE decoder's first level, or the image itself for a
        // fixed codec (codec.json, no vae/)
        int factor;
        long decodeChannels;
        if (SpaceToDepthCodec.isIn(folder.root())) {
            factor = SpaceToDepthCodec.read(folder.root()).downscaleFactor();
            decodeChannels = 3;
        } else {
            VaeConfig vae = folder.vae();
            factor = 1 << (vae.blockOutChannels().size() - 1);
            decodeChannels = vae.blockOutChannels().get(0);
        }
        int[] wh = size.isBlank() ? new int[]{unet.sampleSize() * factor, unet.sampleSize() * factor}
                : Flags.size("--size", size, factor);
        int minLatent = UNet2DConditionModel.minimumLatentSide(unet);
        if (wh[0] / factor < minLatent || wh[1] / factor < minLatent) {
            throw new UserException("--size " + wh[0] + "x" + wh[1] + ": too small for this UNet; each side must be at least "
                    + minLatent * factor + " (" + unet.blockOutChannels().size() + " levels, latent side at least " + minLatent + ")");
        }
        long liveTensors = 4;
        long needed = (long) wh[0] * wh[1] * decodeChannels * Float.BYTES * liveTensors;
        long available = Flags.availableBytes();
        if (needed > available) {
            long maxPixels = available / (decodeChannels * Float.BYTES * liveTensors);
            throw new UserException("--size " + wh[0] + "x" + wh[1] + ": decoding needs at least " + Flags.gib(needed)
                    + ", " + Flags.gib(available) + " available (at most about " + maxPixels / 1_000_000 + " megapixels, e.g. "
                    + (int) Math.sqrt(maxPixels) / factor * factor + "x" + (int) Math.sqrt(maxPixels) / factor * factor + ")");
        }
        Identifiers ids = identifiers == null ? Identifiers.none() : Identifiers.load(identifiers);
        ids.checkFits(identifiers, folder.textEncoder().hiddenSize(), UNet2DConditionModel.crossAttentionLayers(unet));
        if (identifiers != null && customDiffusion == null) {
            ids.checkPlaceholders(identifiers, prompt);
            ids.checkPlaceholders(identifiers, negativePrompt);
        }
        return new Checked(wh, ids);
    }

    private Map<String, String> settings(GenerationRequest r) {
        return r.settings(model.getFileName() == null ? model.toString() : model.getFileName().toString());
    }
}
