package dev.embedder.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.error.InputTooLargeException;
import dev.embedder.error.InvalidInputException;
import dev.embedder.image.CraftedImages;
import dev.embedder.image.ImageLimits;
import dev.embedder.image.ImagePreprocessor;
import dev.embedder.image.ImageProcessorConfig;
import dev.embedder.testing.Bundles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Random bytes and mutated valid images (bit flips, overwritten header fields, cuts, inserted bytes) through the
 * whole image preprocessing path. Allowed outcomes: a tensor of the model's input size with finite values, or
 * {@link InvalidInputException} / {@link InputTooLargeException}. Anything else, or a try running past its
 * timeout (a decoder loop), fails. 200 seeded tries per property.
 */
class ImageDecoderFuzzTest {

    /** Lower than the service default so a mutated header cannot make a try allocate hundreds of megabytes. */
    private static final ImageLimits LIMITS = new ImageLimits(1 << 20, 2_000_000);
    private static final Duration PER_TRY = Duration.ofSeconds(15);
    private static final ImagePreprocessor PREPROCESSOR = new ImagePreprocessor(ImageProcessorConfig.parse(
            new ByteArrayInputStream(Bundles.load("mobilenet-v2-nsfwjs").read("preprocessor"))), LIMITS);
    private static final List<byte[]> SEEDS = seeds();

    @Property(tries = 200, seed = "7031", shrinking = ShrinkingMode.OFF)
    void randomBytesAreRefusedCleanly(@ForAll("noise") byte[] bytes) {
        check(bytes);
    }

    @Property(tries = 200, seed = "7032", shrinking = ShrinkingMode.OFF)
    void mutatedImagesDecodeOrAreRefusedCleanly(@ForAll("mutated") byte[] bytes) {
        check(bytes);
    }

    private static void check(byte[] bytes) {
        assertTimeoutPreemptively(PER_TRY, () -> {
            try {
                float[] tensor = PREPROCESSOR.preprocess(bytes);
                assertEquals(3 * PREPROCESSOR.height() * PREPROCESSOR.width(), tensor.length);
                for (float x : tensor) {
                    assertTrue(Float.isFinite(x));
                }
            } catch (InvalidInputException | InputTooLargeException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
            }
        });
    }

    @Provide
    Arbitrary<byte[]> noise() {
        Arbitrary<byte[]> plain = Arbitraries.bytes().array(byte[].class).ofMaxSize(4096);
        // Noise behind a real signature gets past format detection into each decoder.
        Arbitrary<byte[]> signed = Combinators.combine(Arbitraries.of(signatures()), plain).as(ImageDecoderFuzzTest::concat);
        return Arbitraries.oneOf(plain, signed);
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        return Combinators.combine(Arbitraries.integers().between(0, SEEDS.size() - 1), Arbitraries.longs(),
                Arbitraries.integers().between(1, 8)).as((i, seed, edits) -> mutate(SEEDS.get(i), new Random(seed), edits));
    }

    private static byte[] mutate(byte[] original, Random random, int edits) {
        byte[] b = original.clone();
        for (int e = 0; e < edits && b.length > 1; e++) {
            // Header bytes are where sizes, depths and chunk lengths live, so aim there half of the time.
            int at = random.nextBoolean() ? random.nextInt(Math.min(64, b.length)) : random.nextInt(b.length);
            switch (random.nextInt(5)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) random.nextInt(256);
                case 2 -> b[at] = (byte) (random.nextBoolean() ? 0xFF : 0x00);
                case 3 -> b = Arrays.copyOf(b, Math.max(1, at));
                default -> {
                    byte[] insert = new byte[1 + random.nextInt(16)];
                    random.nextBytes(insert);
                    b = concat(concat(Arrays.copyOf(b, at), insert), Arrays.copyOfRange(b, at, b.length));
                }
            }
        }
        return b;
    }

    private static List<byte[]> signatures() {
        return List.of(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
                new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}, "GIF89a".getBytes(),
                "BM".getBytes(), "RIFF\0\0\0\0WEBPVP8 ".getBytes());
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (String format : List.of("png", "jpeg", "gif", "bmp")) {
            seeds.add(CraftedImages.encode(CraftedImages.solid(17, 11, 0x4080C0), format));
        }
        for (String name : List.of("rgb_20x14.png", "orient6_12x8.jpg", "cmyk_96x64.jpg", "rgb16_64x48.png",
                "animated_70x50.gif", "lossless_66x44.webp", "lossy_66x44.webp", "palette_80x60.png")) {
            try (InputStream in = ImageDecoderFuzzTest.class.getResourceAsStream("/golden/images/" + name)) {
                seeds.add(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(seeds);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
