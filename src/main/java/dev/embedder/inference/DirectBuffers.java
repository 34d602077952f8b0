package dev.embedder.inference;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jboss.logging.Logger;

/**
 * Off-heap buffers that ONNX Runtime reads without a copy (the pooled input tensors), and their prompt release.
 *
 * <p>A direct or mapped buffer's memory normally goes back only when the garbage collector finds the buffer
 * unreachable, which with a quiet heap can take a long time: the memory map of a 90 MB model read at startup
 * would stay mapped for the life of the process. {@link #free} returns it at once through the JDK's own cleaner
 * ({@code sun.misc.Unsafe.invokeCleaner}, the supported way out of the JDK's internals that Netty and
 * Lucene use too); where that is unavailable it falls back to waiting for the collector.
 */
public final class DirectBuffers {

    private static final Logger LOG = Logger.getLogger(DirectBuffers.class);
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method invokeCleaner = null;
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            unsafe = field.get(null);
            invokeCleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debugf("direct buffers will be released by the garbage collector: %s", e.toString());
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = invokeCleaner;
    }

    private DirectBuffers() {}

    /** A zeroed direct buffer in the platform's byte order, as ONNX Runtime expects. */
    public static ByteBuffer allocate(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    /**
     * Releases a direct buffer from {@link ByteBuffer#allocateDirect}, or unmaps a buffer from
     * {@code FileChannel.map}, now. The caller must not touch it, or any view of it, afterwards. Views and heap
     * buffers are left to the collector.
     */
    public static void free(ByteBuffer buffer) {
        if (buffer == null || !buffer.isDirect() || INVOKE_CLEANER == null) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, buffer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // A slice or duplicate has no cleaner of its own: the collector frees its parent later.
            LOG.debugf("direct buffer left to the garbage collector: %s", e.toString());
        }
    }
}
