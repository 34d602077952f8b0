package dev.embedder.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.testing.VisionFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pixel tensors against what transformers itself produced (shared fixtures, README in hf-vision): each
 * model's preprocessor_config.json applied to each image file, compared with pixel_values__IMAGE.npy.
 */
class HfGoldenTest {
    private static final double MAX_MEAN_ABS = 1e-2;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (String model : new String[] {"tiny-vit", "tiny-clip-vision", "tiny-dinov2"}) {
            for (String image : new String[] {"gradient_320x200.png", "noise_150x260.jpg", "chelsea_451x300.png"}) {
                b.add(Arguments.of(model, image));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("cases")
    void matchesTransformers(String model, String image) throws Exception {
        Path root = VisionFixtures.dir();
        Path modelDir = root.resolve("models").resolve(model);
        ImageProcessorConfig config = ImageProcessorConfig.read(modelDir.resolve("preprocessor_config.json"));
        ImagePreprocessor pre = new ImagePreprocessor(config, ImageLimits.DEFAULTS);

        Npy golden = Npy.read(modelDir.resolve("pixel_values__" + image + ".npy"));
        assertArrayEquals(new int[] {1, 3, pre.height(), pre.width()}, golden.shape());

        float[] actual = pre.preprocess(Files.readAllBytes(root.resolve("images").resolve(image)));
        assertEquals(golden.data().length, actual.length);
        Diff diff = Diff.of(golden.data(), actual);
        System.out.println("[hf-golden] " + model + " x " + image + ": " + diff);
        assertTrue(diff.meanAbs() <= MAX_MEAN_ABS, model + " x " + image + ": " + diff);
    }
}
