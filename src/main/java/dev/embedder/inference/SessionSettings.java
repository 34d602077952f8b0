package dev.embedder.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.util.Locale;

/**
 * ONNX Runtime session options, decided once from configuration. {@code device} may be {@code AUTO} as
 * configured; {@link #resolveDevice()} settles it to CPU or CUDA before any session is built.
 */
public record SessionSettings(int intraOpThreads, int interOpThreads, String optimizationLevel,
        ExecutionDevice device, int deviceId, boolean tensorrt, boolean memoryArena, boolean memoryPattern,
        boolean arenaShrink, boolean allowSpinning) {

    public SessionSettings {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be >= 0 (0 = ONNX Runtime's default)");
        }
        if (deviceId < 0) {
            throw new IllegalArgumentException("embedder.inference.device-id must be >= 0");
        }
        device = device == null ? ExecutionDevice.CPU : device;
        level(optimizationLevel);
    }

    /** Without a say on spin-waiting: ONNX Runtime's worker threads do not spin (see {@code allow-spinning}). */
    public SessionSettings(int intraOpThreads, int interOpThreads, String optimizationLevel,
            ExecutionDevice device, int deviceId, boolean tensorrt, boolean memoryArena, boolean memoryPattern,
            boolean arenaShrink) {
        this(intraOpThreads, interOpThreads, optimizationLevel, device, deviceId, tensorrt, memoryArena, memoryPattern,
                arenaShrink, false);
    }

    /** Default memory options (arena on, memory patterns off: see {@code embedder.inference.memory-pattern}). */
    public SessionSettings(int intraOpThreads, int interOpThreads, String optimizationLevel,
            ExecutionDevice device, int deviceId, boolean tensorrt) {
        this(intraOpThreads, interOpThreads, optimizationLevel, device, deviceId, tensorrt, true, false, false);
    }

    /** CPU settings, as used by the tests and tools that never touch a GPU. */
    public SessionSettings(int intraOpThreads, int interOpThreads, String optimizationLevel) {
        this(intraOpThreads, interOpThreads, optimizationLevel, ExecutionDevice.CPU, 0, false);
    }

    /**
     * Checks the device now: {@code cuda} without a usable CUDA provider throws
     * {@link IllegalStateException} naming the cause and the fix; {@code auto} becomes CPU or CUDA.
     */
    public SessionSettings resolveDevice() {
        ExecutionDevice chosen = DeviceSelector.select(device, deviceId, this::addGpuProviders);
        return chosen == device ? this
                : new SessionSettings(intraOpThreads, interOpThreads, optimizationLevel, chosen, deviceId, tensorrt,
                        memoryArena, memoryPattern, arenaShrink, allowSpinning);
    }

    OrtSession.SessionOptions toOptions() throws OrtException {
        if (device == ExecutionDevice.AUTO) {
            return resolveDevice().toOptions();
        }
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            // 0 = the CPUs this process may use (container quota and Lambda's memory share included), rather than
            // ONNX Runtime's one per physical core, which leaves one of a 2-vCPU machine's CPUs idle.
            options.setIntraOpNumThreads(intraOpThreads == 0 ? CpuBudget.threads() : intraOpThreads);
            options.setInterOpNumThreads(interOpThreads);
            // Idle intra-op threads spin for a while after each parallel section by default; on few cores that
            // spinning takes the CPU the HTTP threads and the tokenizer need between two runs.
            options.addConfigEntry("session.intra_op.allow_spinning", allowSpinning ? "1" : "0");
            options.addConfigEntry("session.inter_op.allow_spinning", allowSpinning ? "1" : "0");
            // Spinning, when allowed, lasts only while a run is in progress: ORT stops it as soon as the last
            // concurrent run returns instead of burning the cores until its spin budget runs out.
            options.addConfigEntry("session.force_spinning_stop", "1");
            options.setOptimizationLevel(level(optimizationLevel));
            // Encoders are a single chain of layers: parallel node execution only adds scheduling cost.
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setCPUArenaAllocator(memoryArena);
            options.setMemoryPatternOptimization(memoryPattern);
            if (device == ExecutionDevice.CUDA) {
                addGpuProviders(options);
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /**
     * Options for every run: with {@code arenaShrink}, ONNX Runtime hands the CPU arena's unused blocks back
     * after each run, so a rare huge batch does not keep its activations' memory for the life of the process.
     * Null when there is nothing to set (ORT's defaults).
     */
    OrtSession.RunOptions toRunOptions() throws OrtException {
        if (!arenaShrink || !memoryArena) {
            return null;
        }
        OrtSession.RunOptions options = new OrtSession.RunOptions();
        options.addRunConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
        return options;
    }

    /**
     * ORT tries providers in the order they were added and gives each node to the first that supports it,
     * so TensorRT (when enabled) goes before CUDA, and CPU (always implicit) catches the rest.
     */
    void addGpuProviders(OrtSession.SessionOptions options) throws OrtException {
        if (tensorrt) {
            options.addTensorrt(deviceId);
        }
        options.addCUDA(deviceId);
    }

    private static OptLevel level(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none" -> OptLevel.NO_OPT;
            case "basic" -> OptLevel.BASIC_OPT;
            case "extended" -> OptLevel.EXTENDED_OPT;
            case "all" -> OptLevel.ALL_OPT;
            default -> throw new IllegalArgumentException(
                    "unknown optimization level '" + name + "', expected none, basic, extended or all");
        };
    }
}
