package dev.embedder.nativeimage;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

/**
 * Native executables only: DJL's CUDA probe answers "no GPU" without touching JNA.
 *
 * <p>On x86_64, {@code ai.djl.util.Platform} asks {@code CudaUtils} for the GPU count while the tokenizer
 * library is being located, and {@code CudaUtils} binds {@code libcudart} through JNA, which native-image does
 * not support: the executable dies with {@code UnsatisfiedLinkError: Error looking up function
 * 'cudaGetDeviceCount'}. The tokenizers only ship a CPU build, so the answer never mattered for them; ONNX
 * Runtime's own CUDA provider (the -Pgpu build) is probed by ORT, not by DJL, and is unaffected.
 *
 * <p>This class is only read by native-image; on the JVM it is never loaded.
 */
@TargetClass(className = "ai.djl.util.cuda.CudaUtils")
final class CudaProbeSubstitution {

    /** Never bind libcudart: the static initialiser stores this as its (absent) library handle. */
    @Substitute
    private static ai.djl.util.cuda.CudaLibrary loadLibrary() {
        return null;
    }

    @Substitute
    public static boolean hasCuda() {
        return false;
    }

    @Substitute
    public static int getGpuCount() {
        return 0;
    }

    @Substitute
    public static int getCudaVersion() {
        return -1;
    }

    @Substitute
    public static String getCudaVersionString() {
        return null;
    }
}
