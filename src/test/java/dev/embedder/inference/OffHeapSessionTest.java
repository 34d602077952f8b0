package dev.embedder.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.bundle.ModelBundle;
import dev.embedder.pooling.PoolingSpec;
import dev.embedder.testing.Bundles;
import dev.embedder.text.TextEmbedder;
import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sessions built from off-heap model buffers, and the pooled input buffers of the hot path. */
class OffHeapSessionTest {

    private static final SessionSettings CPU = new SessionSettings(1, 1, "all");

    @Test
    void declaredOutputsReadTheSameFromAHeapArrayAndADirectBuffer() {
        ModelBundle bundle = Bundles.load("all-minilm-l6-v2");
        assertEquals(GraphOutputs.declaredOutputs(bundle.read("model")), GraphOutputs.declaredOutputs(bundle.readModel()));
    }

    @Test
    void aStagedModelWithSpareRoomGetsItsHiddenStatesAppendedInPlace() {
        ModelBundle bundle = Bundles.load("all-minilm-l6-v2");
        try (OnnxSession session = new OnnxSession(bundle.readModel(), bundle.manifest().hiddenStates(), CPU)) {
            assertTrue(session.outputNames().containsAll(bundle.manifest().hiddenStates()));
        }
    }

    @Test
    void aDirectBufferWithoutSpareRoomOrAHeapBufferIsCopiedFirst() {
        ModelBundle bundle = Bundles.load("all-minilm-l6-v2");
        byte[] bytes = bundle.read("model");
        ByteBuffer tight = DirectBuffers.allocate(bytes.length).put(bytes).flip();
        try (OnnxSession session = new OnnxSession(tight, bundle.manifest().hiddenStates(), CPU)) {
            assertEquals(7, session.outputNames().size());
        }
        try (OnnxSession session = new OnnxSession(ByteBuffer.wrap(bytes), List.of(), CPU)) {
            assertEquals(List.of("last_hidden_state"), List.copyOf(session.outputNames()));
        }
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
