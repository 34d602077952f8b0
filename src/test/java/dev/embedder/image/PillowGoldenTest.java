package dev.embedder.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Against Pillow directly, on the corner cases the transformers goldens do not reach (formats, colour
 * modes, EXIF orientations, every PIL filter, padding crops). Inputs and goldens come from
 * model-bundle/tools/golden-image/pillow_reference.py; the index lists each case with its config.
 */
class PillowGoldenTest {
    private static final double MAX_MEAN_ABS = 1e-2;
    private static final String DIR = "/golden/images/";

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : index().get("cases")) {
            out.add(Arguments.of(c.get("name").asText(), c));
        }
        return out.stream();
    }

    @Test
    void indexIsNotEmpty() throws IOException {
        assertFalse(index().get("cases").isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPillow(String name, JsonNode c) throws Exception {
        byte[] json = new ObjectMapper().writeValueAsBytes(c.get("preprocessor_config"));
        ImageProcessorConfig config = ImageProcessorConfig.parse(new ByteArrayInputStream(json));
        ImagePreprocessor pre = new ImagePreprocessor(config, ImageLimits.DEFAULTS);

        Npy golden = Npy.read(resource(c.get("golden").asText()));
        assertArrayEquals(new int[] {3, pre.height(), pre.width()}, golden.shape(), name + " shape");
        float[] actual = pre.preprocess(Files.readAllBytes(resource(c.get("image").asText())));
        Diff diff = Diff.of(golden.data(), actual);
        System.out.println("[pillow-golden] " + name + " (" + c.get("source_mode").asText() + "): " + diff);
        assertTrue(diff.meanAbs() <= MAX_MEAN_ABS, name + ": " + diff);
    }

    private static JsonNode index() throws IOException {
        try (InputStream in = PillowGoldenTest.class.getResourceAsStream(DIR + "index.json")) {
            if (in == null) {
                throw new AssertionError("missing test resource " + DIR + "index.json");
            }
            return new ObjectMapper().readTree(in);
        }
    }

    static Path resource(String name) {
        try {
            return Path.of(PillowGoldenTest.class.getResource(DIR + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("missing test resource " + DIR + name, e);
        }
    }
}
