package dev.embedder.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import dev.embedder.bundle.ModelBundle;
import dev.embedder.bundle.PoolingMode;
import dev.embedder.inference.DeviceSelector;
import dev.embedder.inference.ExecutionDevice;
import dev.embedder.inference.OnnxSession;
import dev.embedder.inference.SessionSettings;
import dev.embedder.pooling.PoolingSpec;
import dev.embedder.testing.Bundles;
import dev.embedder.image.ImageEmbedder;
import dev.embedder.image.ImageEmbeddings;
import dev.embedder.image.ImageLimits;
import dev.embedder.image.ImagePreprocessor;
import dev.embedder.image.ImageProcessorConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * embedder.inference.device with the CPU-only onnxruntime jar this build ships (the -Pgpu jar and a GPU
 * are not available to the test suite): cuda must stop startup with a message that says why and what to do,
 * auto must quietly end up with working CPU sessions. The GPU-jar cases use a fake provider list and probe.
 */
class DeviceSelectionTest {

    private static SessionSettings settings(ExecutionDevice device) {
        return new SessionSettings(1, 1, "all", device, 0, false);
    }

    @Test
    void theTestClasspathHasTheCpuOnlyJar() {
        // The premise of the next tests; if this fails, the build pulled onnxruntime_gpu into the default profile.
        assertFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA));
    }

    @Test
    void cudaOnTheCpuJarFailsWithCauseAndFix() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> settings(ExecutionDevice.CUDA).resolveDevice());
        String message = e.getMessage();
        assertTrue(message.contains("embedder.inference.device=cuda"), message);
        assertTrue(message.contains("CPU-only onnxruntime jar"), message);
        assertTrue(message.contains("-Pgpu"), message);
        assertTrue(message.contains("CUDA 12") && message.contains("cuDNN 9"), message);
    }

    @Test
    void cudaSettingsCannotSneakIntoASessionEither() {
        // Even without resolveDevice(), building a session on a CUDA setting fails loudly rather than using CPU.
        byte[] model = Bundles.load("all-minilm-l6-v2").read("model");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new OnnxSession(model, List.of(), settings(ExecutionDevice.CUDA)).close());
        assertTrue(e.getMessage().contains("-Pgpu"), e.getMessage());
    }

    @Test
    void autoFallsBackToCpuAndEmbeds() throws IOException {
        SessionSettings resolved = settings(ExecutionDevice.AUTO).resolveDevice();
        assertEquals(ExecutionDevice.CPU, resolved.device());

        // Unresolved AUTO handed straight to a session also works (it resolves on the way). The image model is
        // used because the text path's DJL tokenizer cannot be loaded outside Quarkus' class loader once a
        // @QuarkusTest of the same run has loaded it (its native library has a fixed path).
        ModelBundle bundle = Bundles.load("mobilenet-v2-nsfwjs");
        var manifest = bundle.manifest();
        ImageProcessorConfig processor = ImageProcessorConfig.parse(new ByteArrayInputStream(bundle.read("preprocessor")));
        List<String> tensors = new ArrayList<>(manifest.hiddenStates());
        tensors.add(manifest.pooling().output());
        byte[] png;
        try (var in = DeviceSelectionTest.class.getResourceAsStream("/images/chelsea.png")) {
            png = in.readAllBytes();
        }
        try (ImageEmbedder embedder = new ImageEmbedder(manifest,
                new ImagePreprocessor(processor, ImageLimits.DEFAULTS),
                new OnnxSession(bundle.read("model"), tensors, settings(ExecutionDevice.AUTO)))) {
            ImageEmbeddings out = embedder.embed(List.of(png), new PoolingSpec(PoolingMode.MEAN, List.of(), true));
            assertEquals(1280, out.vectors().get(0).length);
        }
    }

    @Test
    void cpuNeverProbes() {
        assertEquals(ExecutionDevice.CPU, DeviceSelector.select(ExecutionDevice.CPU, 0,
                EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA), options -> {
                    throw new AssertionError("cpu must not touch the CUDA provider");
                }));
    }

    @Test
    void gpuJarWithoutCudaLibrariesFailsForCudaAndFallsBackForAuto() {
        var gpuJar = EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA);
        DeviceSelector.Probe missingCudnn = options -> {
            throw new OrtException("Failed to load library libonnxruntime_providers_cuda.so with error: "
                    + "libcudnn.so.9: cannot open shared object file");
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DeviceSelector.select(ExecutionDevice.CUDA, 1, gpuJar, missingCudnn));
        assertTrue(e.getMessage().contains("libcudnn.so.9"), e.getMessage());
        assertTrue(e.getMessage().contains("CUDA device 1"), e.getMessage());
        assertEquals(ExecutionDevice.CPU, DeviceSelector.select(ExecutionDevice.AUTO, 1, gpuJar, missingCudnn));
    }

    @Test
    void gpuJarWithWorkingProviderSelectsCuda() {
        var gpuJar = EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA);
        assertEquals(ExecutionDevice.CUDA, DeviceSelector.select(ExecutionDevice.AUTO, 0, gpuJar, options -> { }));
        assertEquals(ExecutionDevice.CUDA, DeviceSelector.select(ExecutionDevice.CUDA, 0, gpuJar, options -> { }));
    }

    @Test
    void deviceNamesAreParsedStrictly() {
        assertEquals(ExecutionDevice.CUDA, ExecutionDevice.parse(" CUDA "));
        assertEquals(ExecutionDevice.AUTO, ExecutionDevice.parse("auto"));
        assertEquals(ExecutionDevice.CPU, ExecutionDevice.parse("cpu"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecutionDevice.parse("tpu"));
        assertTrue(e.getMessage().contains("cpu, cuda or auto"));
        assertThrows(IllegalArgumentException.class, () -> new SessionSettings(1, 1, "all", ExecutionDevice.CUDA, -1, false));
    }
}
