package dev.embedder.inference;

import java.nio.LongBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Reusable off-heap buffers for the int64 input tensors of one session.
 *
 * <p>ONNX Runtime's Java binding copies a heap array into a fresh direct buffer on every
 * {@code createTensor}; those buffers are only returned when the garbage collector runs, so under
 * steady load native memory drifts upwards between collections. Borrowing a direct buffer, filling it
 * and handing it to ONNX Runtime as is avoids both the allocation and the drift. The pool is bounded:
 * a buffer returned to a full pool is dropped for the collector, so bursts cannot pin memory.
 */
final class LongBufferPool {

    /** Smallest buffer handed out, in elements: a short request's tensors all fit one size class. */
    private static final int MIN_CAPACITY = 4096;

    private final ArrayBlockingQueue<LongBuffer> free;

    LongBufferPool(int maxPooled) {
        this.free = new ArrayBlockingQueue<>(maxPooled);
    }

    /** A direct, native-order buffer with room for {@code elements}, positioned at 0 with limit = elements. */
    LongBuffer borrow(int elements) {
        LongBuffer buffer = free.poll();
        if (buffer == null || buffer.capacity() < elements) {
            // A too-small pooled buffer is dropped rather than kept: sizes converge on the largest batch.
            int capacity = Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, elements - 1)) << 1);
            buffer = DirectBuffers.allocate(Math.multiplyExact(capacity, Long.BYTES)).asLongBuffer();
        }
        buffer.clear();
        buffer.limit(elements);
        return buffer;
    }

    void release(LongBuffer buffer) {
        if (buffer != null && buffer.isDirect()) {
            free.offer(buffer);
        }
    }
}
