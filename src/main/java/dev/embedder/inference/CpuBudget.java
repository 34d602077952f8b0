package dev.embedder.inference;

import java.util.function.Function;

/**
 * How many CPUs this process may keep busy, for ONNX Runtime's intra-op thread count when none is configured.
 *
 * <p>{@link Runtime#availableProcessors()} already follows the CPU set and a container's CPU quota (cgroups), so
 * on a 2-CPU pod or a {@code --cpus=2} container it says 2. Lambda is the exception: its microVM shows 2 vCPUs
 * from 128 MB up to 3,008 MB, but the function only gets CPU time in proportion to its memory, one vCPU's worth
 * at 1,769 MB (AWS Lambda developer guide, "Configuring Lambda function memory"). Two spinning threads on a
 * 512 MB function would share about 0.3 vCPU, so there the count follows {@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE}.
 * ONNX Runtime's own default (one thread per physical core) uses one of the two vCPUs of a typical 2-vCPU VM.
 */
public final class CpuBudget {

    /** Lambda memory that buys one vCPU-second per second. */
    static final double LAMBDA_MB_PER_VCPU = 1769;

    private CpuBudget() {}

    /** CPUs for inference threads in this process: at least 1. */
    public static int threads() {
        return threads(Runtime.getRuntime().availableProcessors(), System::getenv);
    }

    /**
     * ONNX Runtime calls one text model runs side by side: {@code configured}, or when 0 one more than the CPUs.
     * With spinning off, one call's serial stretches (small operators, thread wake-ups) leave a core idle that
     * another call fills; in-process, 4 callers x 32 texts reached 0.84x plain ORT's sorted ceiling with one
     * call at a time, 0.95x with two and 1.00x with three on 2 CPUs (TextThroughputBenchmark, one sitting).
     */
    public static int parallelRuns(int configured) {
        return configured > 0 ? configured : threads() + 1;
    }

    static int threads(int availableProcessors, Function<String, String> env) {
        int cpus = Math.max(1, availableProcessors);
        String lambdaMemory = env.apply("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
        if (lambdaMemory != null && !lambdaMemory.isBlank()) {
            try {
                long mb = Long.parseLong(lambdaMemory.trim());
                long share = Math.max(1, Math.round(mb / LAMBDA_MB_PER_VCPU));
                cpus = (int) Math.min(cpus, share);
            } catch (NumberFormatException e) {
                // not a number: not set by Lambda, keep the visible count
            }
        }
        return cpus;
    }
}
