package dev.embedder.bundle.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.embedder.inference.OnnxGraph;
import java.nio.file.Path;
import java.util.List;

/**
 * The image model facts of a Hugging Face directory: the pixel input and output layout from the graph, the
 * prefix tokens (class token + DINOv2 registers) and dimension from config.json. The preprocessing itself is
 * preprocessor_config.json's, read by {@link dev.embedder.image.ImageProcessorConfig}.
 */
final class ImageFacts {

    private ImageFacts() {}

    static void describe(Path dir, JsonNode config, OnnxGraph graph, String output, ObjectNode m,
            ObjectNode pooling) {
        List<OnnxGraph.Value> pixels = graph.feedInputs().stream().filter(v -> v.rank() == 4 || v.rank() < 0).toList();
        if (pixels.size() != 1) {
            throw new IllegalStateException(dir + ": the image model should have one pixel input [batch, 3, H, W];"
                    + " its inputs are " + graph.feedInputs() + ". Name it with \"input\" in a bundle.json");
        }
        m.put("input", pixels.get(0).name());
        int rank = graph.outputs().stream().filter(o -> o.name().equals(output)).findFirst().map(OnnxGraph.Value::rank)
                .orElse(-1);
        boolean cnn = rank == 4;
        pooling.put("layout", cnn ? "nchw" : "tokens");
        pooling.put("mode", "mean");
        pooling.put("normalize", true);
        JsonNode vision = config.has("vision_config") ? config.get("vision_config") : config;
        if (!cnn) {
            pooling.put("prefixTokens", 1 + vision.path("num_register_tokens").asInt(0));
        }
        int dimension = vision.path("hidden_size").asInt(0);
        if (dimension == 0 && vision.path("hidden_sizes").isArray() && !vision.path("hidden_sizes").isEmpty()) {
            dimension = vision.path("hidden_sizes").get(vision.path("hidden_sizes").size() - 1).asInt();
        }
        if (dimension > 0) {
            m.put("dimension", dimension);
        }
    }

}
