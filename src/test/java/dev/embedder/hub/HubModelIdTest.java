package dev.embedder.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.bundle.hf.OnnxFileChoice;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a models entry is read as a Hub id, which files a listing yields, and where the settings come from. */
class HubModelIdTest {

    @Test
    void idForms() {
        assertEquals(new HubModelId("BAAI/bge-small-en-v1.5", "main"), HubModelId.parse("BAAI/bge-small-en-v1.5").get());
        assertEquals(new HubModelId("BAAI/bge-small-en-v1.5", "v1.0"), HubModelId.parse("BAAI/bge-small-en-v1.5@v1.0").get());
        assertEquals("refs/pr/3", HubModelId.parse("org/m@refs/pr/3").get().revision());
        assertTrue(HubModelId.parse("org/m@" + "a".repeat(40)).get().pinned());
        assertFalse(HubModelId.parse("org/m@main").get().pinned());
        assertEquals(new HubModelId("bert-base-uncased", "main"), HubModelId.parse("hf:bert-base-uncased").get());
        // bundle names and paths are not Hub ids
        for (String entry : List.of("all-minilm-l6-v2", "/models/bge", "./org/name", "../x/y", "~/x/y", "file:a/b",
                "C:\\models\\x", "a/b/c", "org--x/name", "org/na..me")) {
            assertEquals(Optional.empty(), HubModelId.parse(entry), entry);
        }
        assertThrows(IllegalArgumentException.class, () -> HubModelId.parse("hf:a/b/c"));
        assertThrows(IllegalArgumentException.class, () -> HubModelId.parse("org/m@../../etc"));
    }

    @Test
    void theListingYieldsTheChosenExportItsDataAndTheModelFilesOnly() {
        List<String> repo = List.of(".gitattributes", "README.md", "config.json", "tokenizer.json", "vocab.txt",
                "tokenizer_config.json", "special_tokens_map.json", "modules.json", "sentence_bert_config.json",
                "config_sentence_transformers.json", "1_Pooling/config.json", "2_Dense/config.json",
                "2_Dense/model.safetensors", "2_Dense/pytorch_model.bin", "model.safetensors", "pytorch_model.bin",
                "onnx/model.onnx", "onnx/model.onnx_data", "onnx/model_quantized.onnx", "onnx/model_fp16.onnx",
                "onnx/model_fp16.onnx_data", "openvino/openvino_model.xml");
        RepoFileSelection fp32 = new RepoFileSelection(paths -> OnnxFileChoice.choose(paths, null));
        assertEquals(List.of("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json",
                "1_Pooling/config.json", "2_Dense/config.json", "2_Dense/model.safetensors", "onnx/model.onnx",
                "onnx/model.onnx_data"), fp32.select(repo).get());
        List<String> fp16 = new RepoFileSelection(paths -> OnnxFileChoice.choose(paths, "fp16")).select(repo).get();
        assertTrue(fp16.containsAll(List.of("onnx/model_fp16.onnx", "onnx/model_fp16.onnx_data")), fp16::toString);
        assertFalse(fp16.contains("onnx/model.onnx"));
        List<String> image = fp32.select(List.of("config.json", "preprocessor_config.json", "model.onnx",
                "pytorch_model.bin")).get();
        assertEquals(List.of("config.json", "preprocessor_config.json", "model.onnx"), image);
        assertEquals(Optional.empty(), fp32.select(List.of("config.json", "pytorch_model.bin")));
    }

    @Test
    void settingsFollowHuggingFaceVariables(@org.junit.jupiter.api.io.TempDir Path home) throws Exception {
        HubSettings defaults = HubSettings.from(Map.<String, String>of()::get);
        assertEquals(URI.create(HubSettings.DEFAULT_ENDPOINT), defaults.endpoint());
        assertEquals(Path.of(System.getProperty("user.home"), ".cache", "huggingface", "hub"), defaults.cacheDir());
        assertFalse(defaults.offline());
        java.nio.file.Files.writeString(home.resolve("token"), "hf_from_file\n");
        HubSettings fromHome = HubSettings.from(Map.of("HF_HOME", home.toString(), "HF_HUB_OFFLINE", "yes",
                "HF_ENDPOINT", "http://mirror.internal:8080/")::get);
        assertEquals(home.resolve("hub"), fromHome.cacheDir());
        assertEquals(Optional.of("hf_from_file"), fromHome.token());
        assertTrue(fromHome.offline());
        assertTrue(fromHome.isEndpointHost(URI.create("http://mirror.internal:8080/api/models/x")));
        assertFalse(fromHome.isEndpointHost(URI.create("http://cdn.internal/x")));
        HubSettings explicit = HubSettings.from(Map.of("HF_HOME", home.toString(), "HF_HUB_CACHE", "/srv/hub",
                "HF_TOKEN", "hf_env", "XDG_CACHE_HOME", "/ignored")::get);
        assertEquals(Path.of("/srv/hub"), explicit.cacheDir());
        assertEquals(Optional.of("hf_env"), explicit.token());
        assertEquals(Path.of("/xdg/huggingface/hub"), HubSettings.from(Map.of("XDG_CACHE_HOME", "/xdg")::get).cacheDir());
    }
}
