package dev.embedder.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Decides, once at startup, whether sessions get the CUDA execution provider.
 *
 * <p>Two things must hold for CUDA: the ONNX Runtime jar must have been built with it (only
 * {@code onnxruntime_gpu}, i.e. {@code ./mvnw package -Pgpu}; the default jar is CPU-only), and its
 * provider library must load, which needs the NVIDIA driver plus CUDA 12 and cuDNN 9 on the library path.
 * The first is a static list; the second only shows when the provider is actually added, so a throwaway
 * {@code SessionOptions} is used as a probe. {@code cuda} turns either failure into a startup error (a GPU
 * deployment silently running on CPU would be tens of times slower and look healthy); {@code auto} logs
 * it and stays on CPU.
 */
public final class DeviceSelector {

    private static final Logger LOG = Logger.getLogger(DeviceSelector.class);

    public static final String FIX = "Fix: build with -Pgpu (com.microsoft.onnxruntime:onnxruntime_gpu instead of the CPU-only "
            + "onnxruntime jar) and run on a host with an NVIDIA GPU and driver plus the CUDA 12 and cuDNN 9 libraries "
            + "on the library path (e.g. a CUDA 12 cuDNN 9 runtime base image), or set embedder.inference.device=cpu "
            + "(or auto to fall back to CPU).";

    /** Adds the GPU providers to options; the production one is {@link SessionSettings#addGpuProviders}. */
    @FunctionalInterface
    public interface Probe {
        void addProviders(OrtSession.SessionOptions options) throws OrtException;
    }

    private DeviceSelector() {
    }

    /** The device sessions will use: never {@code AUTO}. */
    public static ExecutionDevice select(ExecutionDevice requested, int deviceId, Set<OrtProvider> available, Probe probe) {
        if (requested == ExecutionDevice.CPU) {
            return ExecutionDevice.CPU;
        }
        String cause = unavailableCause(deviceId, available, probe);
        if (cause == null) {
            LOG.infof("ONNX Runtime runs on CUDA device %d", deviceId);
            return ExecutionDevice.CUDA;
        }
        if (requested == ExecutionDevice.CUDA) {
            throw new IllegalStateException("embedder.inference.device=cuda, but " + cause + ". " + FIX);
        }
        LOG.warnf("embedder.inference.device=auto: %s; running on CPU. To use the GPU: %s", cause, FIX.substring("Fix: ".length()));
        return ExecutionDevice.CPU;
    }

    static ExecutionDevice select(ExecutionDevice requested, int deviceId, Probe probe) {
        return select(requested, deviceId, OrtEnvironment.getAvailableProviders(), probe);
    }

    /** Why CUDA cannot be used, or {@code null} when it can. */
    private static String unavailableCause(int deviceId, Set<OrtProvider> available, Probe probe) {
        if (!available.contains(OrtProvider.CUDA)) {
            return "this build's ONNX Runtime has no CUDA execution provider (available: " + available
                    + "), i.e. it bundles the CPU-only onnxruntime jar";
        }
        // The environment must exist before options can be created.
        OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            probe.addProviders(options);
            return null;
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            return "ONNX Runtime could not enable CUDA device " + deviceId + " (" + e.getMessage() + ")";
        }
    }
}
