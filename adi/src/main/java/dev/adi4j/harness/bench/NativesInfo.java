package dev.adi4j.harness.bench;

import org.bytedeco.javacpp.Loader;

import java.util.Map;

/** Which ND4J native build this process loaded, for benchmark headers (bin/adi chooses it per CPU). */
public final class NativesInfo {
    private NativesInfo() {
    }

    /** E.g. "linux-x86_64-onednn-avx512 (.../libnd4jcpu.so)"; forces the backend to load. */
    public static String describe() {
        org.nd4j.linalg.factory.Nd4j.scalar(0f);
        String ext = System.getProperty("org.bytedeco.javacpp.platform.extension", "");
        String path = "?";
        for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
            if (e.getKey().contains("nd4jcpu") && !e.getKey().contains("jni")) path = e.getValue();
        }
        return Loader.getPlatform() + ext + " (" + path + ")";
    }
}
