package dev.embedder.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embedder.pooling.DenseLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The safetensors reader and the Dense projection against a file written and a result computed by numpy
 * (src/test/resources/safetensors/make_dense.py), plus malformed files.
 */
class SafeTensorsTest {

    private static final Path DIR = Path.of("src/test/resources/safetensors");

    @Test
    void readsWhatNumpyWroteAndProjectsAsNumpyDoes() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(DIR.resolve("dense.expected.json").toFile());
        SafeTensors file = new SafeTensors(Files.readAllBytes(DIR.resolve("dense.safetensors")));
        assertEquals(List.of("linear.weight", "linear.bias", "half", "brain"), file.names());
        SafeTensors.Tensor w = file.get("linear.weight");
        assertArrayEquals(new long[] {3, 4}, w.shape());
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(expected.path("weight").get(o).get(i).asDouble(), w.data()[o * 4 + i], 0.0);
            }
        }
        float[] half = file.get("half").data();
        float[] brain = file.get("brain").data();
        for (int i = 0; i < half.length; i++) {
            assertEquals(expected.path("half").get(i).asDouble(), half[i], 0.0, "F16 value " + i);
        }
        for (int i = 0; i < brain.length; i++) {
            assertEquals(expected.path("brain").get(i).asDouble(), brain[i], 0.0, "BF16 value " + i);
        }
        float[] x = new float[4];
        for (int i = 0; i < 4; i++) {
            x[i] = (float) expected.path("x").get(i).asDouble();
        }
        float[] bias = file.get("linear.bias").data();
        float[] identity = new DenseLayer(w.data(), bias, 4, 3, false).apply(x);
        float[] tanh = new DenseLayer(w.data(), bias, 4, 3, true).apply(x);
        for (int o = 0; o < 3; o++) {
            assertEquals(expected.path("identity").get(o).asDouble(), identity[o], 1e-6);
            assertEquals(expected.path("tanh").get(o).asDouble(), tanh[o], 1e-6);
        }
    }

    @Test
    void malformedFilesAreRefusedWithAReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SafeTensors(new byte[3])).getMessage()
                .contains("not a safetensors file"));
        byte[] huge = new byte[16];
        huge[0] = 100;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SafeTensors(huge)).getMessage()
                .contains("header length 100"));
        byte[] json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,8]}}".getBytes();
        byte[] file = new byte[8 + json.length + 8];
        file[0] = (byte) json.length;
        System.arraycopy(json, 0, file, 8, json.length);
        SafeTensors short4 = new SafeTensors(file);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> short4.get("a")).getMessage()
                .contains("do not hold 4 F32 values"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> short4.get("b")).getMessage()
                .contains("no tensor 'b'"));
    }
}
