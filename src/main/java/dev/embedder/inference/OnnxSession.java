package dev.embedder.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.embedder.error.InferenceException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX Runtime session per bundle, created once at startup. It knows nothing of text or images:
 * it takes named tensors in and gives float tensors out. Requested hidden states that are internal
 * tensors of the graph are exposed as outputs when the session is built (see {@link GraphOutputs}).
 */
public final class OnnxSession implements AutoCloseable {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final Set<String> inputNames;
    private final Set<String> outputNames;
    /** Two runs in flight (dynamic batcher + a direct caller) x three inputs, plus slack. */
    private final LongBufferPool inputBuffers = new LongBufferPool(8);

    /** Builds a session from model bytes on the heap (tests and tools); the bytes are copied off-heap. */
    public OnnxSession(byte[] model, List<String> tensorsToExpose, SessionSettings settings) {
        this(copyOffHeap(model), tensorsToExpose, settings);
    }

    /**
     * Builds a session from a model staged off-heap by {@link dev.embedder.bundle.ModelBundle#readModel}:
     * bytes 0 to the limit, with spare capacity for the appended outputs. Takes ownership of the buffer
     * and frees it once ONNX Runtime has parsed it, so the model is never held twice for long and never
     * grows the Java heap (which would not give the pages back).
     */
    public OnnxSession(ByteBuffer model, List<String> tensorsToExpose, SessionSettings settings) {
        this.env = OrtEnvironment.getEnvironment();
        ByteBuffer staged = model;
        try (OrtSession.SessionOptions options = settings.toOptions()) {
            List<String> declared = GraphOutputs.declaredOutputs(model);
            List<String> missing = new ArrayList<>();
            for (String name : tensorsToExpose) {
                if (!declared.contains(name) && !missing.contains(name)) {
                    missing.add(name);
                }
            }
            staged = withSuffix(model, GraphOutputs.suffix(missing));
            staged.position(0);
            this.session = env.createSession(staged, options);
            this.inputNames = Set.copyOf(session.getInputNames());
            this.outputNames = Set.copyOf(session.getOutputNames());
            List<String> unknown = tensorsToExpose.stream().filter(n -> !outputNames.contains(n)).toList();
            if (!unknown.isEmpty()) {
                throw new IllegalStateException("model has no tensors named " + unknown);
            }
        } catch (OrtException e) {
            // On CUDA the provider loads lazily, so a missing GPU or library can first show up here.
            String hint = settings.device() == ExecutionDevice.CUDA
                    ? " (on CUDA device " + settings.deviceId() + "; " + DeviceSelector.FIX + ")" : "";
            throw new IllegalStateException("ONNX Runtime cannot load the model: " + e.getMessage() + hint, e);
        } finally {
            if (staged != model) {
                DirectBuffers.free(staged);
            }
            DirectBuffers.free(model);
        }
    }

    private static ByteBuffer copyOffHeap(byte[] model) {
        ByteBuffer direct = DirectBuffers.allocate(model.length);
        direct.put(model).flip();
        return direct;
    }

    /** Appends in place when the staging buffer has room (it normally has), else into a new buffer. */
    private static ByteBuffer withSuffix(ByteBuffer model, byte[] suffix) {
        int size = model.limit();
        if (suffix.length == 0 && model.isDirect()) {
            return model;
        }
        ByteBuffer target = model;
        // ONNX Runtime only takes direct buffers.
        if (!model.isDirect() || model.capacity() - size < suffix.length) {
            target = DirectBuffers.allocate(size + suffix.length);
            target.put(model.duplicate().position(0).limit(size));
        }
        target.limit(size + suffix.length).position(size);
        target.put(suffix);
        return target;
    }

    /**
     * An int64 input tensor over a pooled off-heap buffer holding {@code values}. {@link #run} returns the
     * buffer to the pool when it closes the tensor.
     */
    public OnnxTensor longTensor(long[] values, long[] shape) throws OrtException {
        LongBuffer buffer = inputBuffers.borrow(values.length);
        buffer.put(values).flip();
        return OnnxTensor.createTensor(env, buffer, shape);
    }

    public OrtEnvironment environment() {
        return env;
    }

    public Set<String> inputNames() {
        return inputNames;
    }

    public Set<String> outputNames() {
        return outputNames;
    }

    public Map<String, NodeInfo> inputInfo() {
        try {
            return session.getInputInfo();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the graph and copies the requested float outputs out. Input tensors are closed here, so
     * callers hand over ownership.
     */
    public Map<String, Tensor> run(Map<String, OnnxTensor> inputs, Set<String> outputs) {
        try (OrtSession.Result result = session.run(inputs, outputs)) {
            Map<String, Tensor> tensors = new HashMap<>();
            for (Map.Entry<String, OnnxValue> entry : result) {
                OnnxTensor tensor = (OnnxTensor) entry.getValue();
                TensorInfo info = tensor.getInfo();
                // getFloatBuffer() already copies into a new heap buffer; take its array rather than copy again.
                FloatBuffer buffer = tensor.getFloatBuffer();
                float[] data;
                if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
                        && buffer.remaining() == buffer.array().length) {
                    data = buffer.array();
                } else {
                    data = new float[buffer.remaining()];
                    buffer.get(data);
                }
                tensors.put(entry.getKey(), new Tensor(data, info.getShape()));
            }
            return tensors;
        } catch (OrtException e) {
            throw new InferenceException("inference failed: " + e.getMessage(), e);
        } finally {
            for (OnnxTensor input : inputs.values()) {
                input.close();
                // Only buffers that longTensor() borrowed are direct LongBuffers; others are ignored.
                input.getBufferRef().filter(LongBuffer.class::isInstance)
                        .ifPresent(b -> inputBuffers.release((LongBuffer) b));
            }
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
