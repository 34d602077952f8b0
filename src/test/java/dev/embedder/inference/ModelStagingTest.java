package dev.embedder.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.bundle.ModelBundle;
import dev.embedder.pooling.PoolingSpec;
import dev.embedder.testing.Bundles;
import dev.embedder.text.TextEmbedder;
import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions built from staged model files, and the pooled off-heap input buffers of the hot path. */
class ModelStagingTest {

    private static final SessionSettings CPU = new SessionSettings(1, 1, "all");

    @Test
    void declaredOutputsReadTheSameFromAHeapArrayAndADirectBuffer() {
        byte[] model = Bundles.load("all-minilm-l6-v2").read("model");
        ByteBuffer direct = DirectBuffers.allocate(model.length).put(model).flip();
        assertEquals(GraphOutputs.declaredOutputs(model), GraphOutputs.declaredOutputs(direct));
        DirectBuffers.free(direct);
    }

    @Test
    void aStagedCopyGetsItsHiddenStatesAppendedAndIsDeletedAfterLoading() {
        ModelBundle bundle = Bundles.load("all-minilm-l6-v2");
        ModelFile staged = bundle.stageModel();
        try (OnnxSession session = new OnnxSession(staged, bundle.manifest().hiddenStates(), CPU)) {
            assertTrue(session.outputNames().containsAll(bundle.manifest().hiddenStates()));
        }
        assertFalse(Files.exists(staged.path()));
    }

    @Test
    void theBundlesOwnFileIsCopiedBeforeOutputsAreAppendedAndLeftUnchanged(@TempDir Path dir) throws Exception {
        ModelBundle bundle = Bundles.load("all-minilm-l6-v2");
        byte[] bytes = bundle.read("model");
        Path own = dir.resolve("model.onnx");
        Files.write(own, bytes);
        try (OnnxSession session = new OnnxSession(new ModelFile(own, false), bundle.manifest().hiddenStates(), CPU)) {
            assertEquals(7, session.outputNames().size());
        }
        assertArrayEquals(bytes, Files.readAllBytes(own));
        try (OnnxSession session = new OnnxSession(new ModelFile(own, false), List.of(), CPU)) {
            assertEquals(List.of("last_hidden_state"), List.copyOf(session.outputNames()));
        }
        assertTrue(Files.exists(own));
    }

    @Test
    void pooledInputBuffersAreReusedAndSizedToTheRequest() {
        LongBufferPool pool = new LongBufferPool(2);
        LongBuffer first = pool.borrow(10);
        assertTrue(first.isDirect());
        assertEquals(10, first.remaining());
        pool.release(first);
        LongBuffer again = pool.borrow(7);
        assertSame(first, again, "a returned buffer large enough is handed out again");
        assertEquals(7, again.remaining());
        LongBuffer big = pool.borrow(100_000);
        assertTrue(big.capacity() >= 100_000);
        assertNotSame(first, big);
        // a bounded pool drops what it has no room for instead of growing
        pool.release(again);
        pool.release(big);
        pool.release(pool.borrow(5));
        pool.release(DirectBuffers.allocate(80).asLongBuffer());
    }

    @Test
    void reusedInputBuffersNeverLeakOneBatchIntoTheNext() {
        List<String> long_ = List.of("A much longer sentence that fills many more positions of the input buffers "
                + "than the short one that follows it through the same pooled buffers.", "and another one");
        List<String> short_ = List.of("short", "tiny text");
        try (TextEmbedder reused = Bundles.textEmbedder("all-minilm-l6-v2", 32);
                TextEmbedder fresh = Bundles.textEmbedder("all-minilm-l6-v2", 32)) {
            reused.embed(long_, new PoolingSpec(dev.embedder.bundle.PoolingMode.MEAN, List.of(), true, false), false);
            var afterLong = reused.embed(short_, new PoolingSpec(dev.embedder.bundle.PoolingMode.MEAN, List.of(), true, false), false).vectors();
            var clean = fresh.embed(short_, new PoolingSpec(dev.embedder.bundle.PoolingMode.MEAN, List.of(), true, false), false).vectors();
            for (int i = 0; i < short_.size(); i++) {
                assertArrayEquals(clean.get(i), afterLong.get(i), 0f);
            }
        }
    }
}
