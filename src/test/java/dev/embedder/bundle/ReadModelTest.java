package dev.embedder.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embedder.testing.Bundles;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The off-heap staging of model files that keeps a 90 MB model off the Java heap. */
class ReadModelTest {

    @Test
    void classpathModelIsStagedOffHeapByteForByteWithRoomForTheOutputs() {
        ModelBundle bundle = Bundles.load("all-minilm-l6-v2");
        byte[] onHeap = bundle.read("model");
        ByteBuffer staged = bundle.readModel();
        assertTrue(staged.isDirect());
        assertEquals(0, staged.position());
        assertEquals(onHeap.length, staged.limit());
        assertTrue(staged.capacity() >= onHeap.length + ModelBundle.MODEL_SPARE_BYTES);
        assertEquals(ByteBuffer.wrap(onHeap), staged);
    }

    @Test
    void directoryFilesAreStagedWithTheirExactSize(@TempDir Path dir) throws Exception {
        byte[] content = new byte[100_003];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Files.write(dir.resolve("m.onnx"), content);
        BundleSource source = new BundleSource.Directory(dir);
        ByteBuffer staged = source.readDirect("m.onnx", 10);
        assertEquals(content.length, staged.limit());
        assertEquals(content.length + 10, staged.capacity());
        assertEquals(ByteBuffer.wrap(content), staged);
    }

    @Test
    void missingFilesAreNamed(@TempDir Path dir) {
        var directory = assertThrows(IllegalStateException.class,
                () -> new BundleSource.Directory(dir).readDirect("absent.onnx", 0));
        assertTrue(directory.getMessage().contains("absent.onnx"), directory.getMessage());
        var classpath = assertThrows(IllegalStateException.class,
                () -> new BundleSource.Classpath("model-bundle/nothing-here").readDirect("model.onnx", 0));
        assertTrue(classpath.getMessage().contains("classpath:model-bundle/nothing-here/model.onnx"),
                classpath.getMessage());
    }
}
