package dev.embedder.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuBudgetTest {

    private static int threads(int cpus, Map<String, String> env) {
        return CpuBudget.threads(cpus, env::get);
    }

    @Test
    void outsideLambdaTheVisibleCpusCount() {
        assertEquals(2, threads(2, Map.of()));
        assertEquals(16, threads(16, Map.of()));
        assertEquals(1, threads(0, Map.of()));
    }

    @Test
    void onLambdaTheMemorySizeDecides() {
        // Lambda shows 2 vCPUs up to 3,008 MB but grants one vCPU's time per 1,769 MB.
        assertEquals(1, threads(2, Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")));
        assertEquals(1, threads(2, Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")));
        assertEquals(1, threads(2, Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1769")));
        assertEquals(2, threads(2, Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "3008")));
        assertEquals(6, threads(6, Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "10240")));
        // never more than the vCPUs the microVM shows
        assertEquals(3, threads(3, Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "10240")));
    }

    @Test
    void anUnreadableMemorySizeIsIgnored() {
        assertEquals(2, threads(2, Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "lots")));
    }
}
