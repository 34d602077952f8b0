package dev.embedder.bench;

import java.util.Locale;

/**
 * Command-line options of {@link TextThroughputBenchmark}.
 *
 * @param threads     ONNX Runtime intra-op threads, the same for every variant so that only the code
 *                    path differs between rows
 * @param batch       sentences per ONNX Runtime call (the service's maxBatchSize)
 * @param requestSize sentences per service call, sent in corpus order as a client would
 * @param breakdown   adds diagnostic variants that separate the causes of a gap between the service
 *                    and the sorted baseline
 * @param clients     concurrent callers of the dynamic-batching variant
 * @param clientRequestSize sentences per request of each concurrent caller
 * @param quick       a shorter check: warm-up passes over the first 200 sentences only, no arrival-order variant
 */
public record BenchmarkOptions(String model, int threads, int rounds, int batch, int requestSize, boolean breakdown,
        int clients, int clientRequestSize, boolean quick) {

    static final String USAGE = "usage: TextThroughputBenchmark [--model NAME] [--threads N] [--rounds N]"
            + " [--batch N] [--request-size N] [--clients N] [--client-request-size N] [--breakdown] [--quick]";

    public static BenchmarkOptions parse(String[] args) {
        String model = "all-minilm-l6-v2";
        int threads = Runtime.getRuntime().availableProcessors();
        int rounds = 3;
        int batch = 32;
        int requestSize = 64;
        boolean breakdown = false;
        boolean quick = false;
        int clients = 16;
        int clientRequestSize = 4;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i].toLowerCase(Locale.ROOT);
            if (flag.equals("--breakdown")) {
                breakdown = true;
                continue;
            }
            if (flag.equals("--quick")) {
                quick = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (flag) {
                case "--model" -> model = value;
                case "--threads" -> threads = positive(flag, value);
                case "--rounds" -> rounds = positive(flag, value);
                case "--batch" -> batch = positive(flag, value);
                case "--request-size" -> requestSize = positive(flag, value);
                case "--clients" -> clients = positive(flag, value);
                case "--client-request-size" -> clientRequestSize = positive(flag, value);
                default -> throw new IllegalArgumentException("unknown option " + args[i - 1] + "\n" + USAGE);
            }
        }
        return new BenchmarkOptions(model, threads, rounds, batch, requestSize, breakdown, clients, clientRequestSize,
                quick);
    }

    private static int positive(String flag, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the common message
        }
        throw new IllegalArgumentException(flag + " must be a positive integer, got '" + value + "'\n" + USAGE);
    }
}
