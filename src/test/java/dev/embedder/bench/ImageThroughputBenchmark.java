package dev.embedder.bench;

import dev.embedder.bundle.ModelBundle;
import dev.embedder.bundle.PoolingMode;
import dev.embedder.image.ImageEmbedder;
import dev.embedder.image.ImageLimits;
import dev.embedder.image.ImagePreprocessor;
import dev.embedder.image.ImageProcessorConfig;
import dev.embedder.inference.OnnxSession;
import dev.embedder.inference.SessionSettings;
import dev.embedder.pooling.PoolingSpec;
import dev.embedder.testing.Bundles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Images per second of an image bundle, split into feature extraction (decode, resize, crop, rescale,
 * normalise) and inference (one ONNX Runtime call per batch, pooling included), on the test photos.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.mainClass=dev.embedder.bench.ImageThroughputBenchmark \
 *     -Dexec.args="mobilenet-v2-nsfwjs 2 8 5"</pre>
 * Arguments: bundle, intra-op threads, batch size, rounds (each round embeds 48 images).
 */
public final class ImageThroughputBenchmark {

    private static final List<String> PHOTOS = List.of("motorcycle_left.png", "motorcycle_right.png", "chelsea.png",
            "astronaut.jpg", "coffee.png", "rocket.jpg");

    private ImageThroughputBenchmark() {}

    public static void main(String[] args) throws IOException {
        String model = args.length > 0 ? args[0] : "mobilenet-v2-nsfwjs";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        List<byte[]> images = new ArrayList<>();
        for (int copy = 0; copy < 8; copy++) {
            for (String photo : PHOTOS) {
                try (InputStream in = ImageThroughputBenchmark.class.getResourceAsStream("/images/" + photo)) {
                    images.add(in.readAllBytes());
                }
            }
        }
        ModelBundle bundle = Bundles.load(model);
        ImagePreprocessor preprocessor = new ImagePreprocessor(
                ImageProcessorConfig.parse(new ByteArrayInputStream(bundle.read("preprocessor"))), ImageLimits.DEFAULTS);
        List<String> tensors = new ArrayList<>(bundle.manifest().hiddenStates());
        PoolingSpec spec = new PoolingSpec(PoolingMode.MEAN, List.of(), true);
        try (ImageEmbedder embedder = new ImageEmbedder(bundle.manifest(), preprocessor,
                new OnnxSession(bundle.read("model"), tensors, new SessionSettings(threads, 1, "all")))) {
            long prepNanos = 0;
            long inferNanos = 0;
            for (int round = -1; round < rounds; round++) {
                long prep = 0;
                long infer = 0;
                for (int start = 0; start < images.size(); start += batch) {
                    long t0 = System.nanoTime();
                    List<float[]> pixels = new ArrayList<>();
                    for (byte[] image : images.subList(start, Math.min(images.size(), start + batch))) {
                        pixels.add(preprocessor.preprocess(image));
                    }
                    long t1 = System.nanoTime();
                    embedder.embedPixels(pixels, spec);
                    long t2 = System.nanoTime();
                    prep += t1 - t0;
                    infer += t2 - t1;
                }
                if (round >= 0) { // round -1 warms up the JIT and ONNX Runtime's allocations
                    prepNanos += prep;
                    inferNanos += infer;
                }
            }
            int n = images.size() * rounds;
            double prepMs = prepNanos / 1e6 / n;
            double inferMs = inferNanos / 1e6 / n;
            System.out.printf("%n### Image throughput: %s (%d threads, batch %d, %d images, photos ~256 px)%n%n", model,
                    threads, batch, n);
            System.out.println("| stage | ms / image | share |");
            System.out.println("|---|---:|---:|");
            System.out.printf("| decode + preprocess | %.2f | %.0f%% |%n", prepMs, 100 * prepMs / (prepMs + inferMs));
            System.out.printf("| inference + pooling | %.2f | %.0f%% |%n", inferMs, 100 * inferMs / (prepMs + inferMs));
            System.out.printf("| **total** | %.2f (%.1f images/s) | |%n", prepMs + inferMs, 1000 / (prepMs + inferMs));
        }
    }
}
