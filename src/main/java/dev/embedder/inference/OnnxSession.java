package dev.embedder.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.embedder.error.InferenceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    /** Shared by all runs; null for ONNX Runtime's defaults. */
    private final OrtSession.RunOptions runOptions;
    /** Two runs in flight (dynamic batcher + a direct caller) x three inputs, plus slack. */
    private final LongBufferPool inputBuffers = new LongBufferPool(8);
    /** Pooled outputs appended to the graph, by (mode, tensors) (see {@link GraphPooling}). */
    private final Map<List<Object>, String> pooledOutputs = new HashMap<>();

    /** Builds a session from model bytes in memory (tests and tools), through a temporary file. */
    public OnnxSession(byte[] model, List<String> tensorsToExpose, SessionSettings settings) {
        this(ModelFile.copyOf(model), tensorsToExpose, settings);
    }

    /** As {@link #OnnxSession(byte[], List, SessionSettings)}, with poolings appended to the graph. */
    public OnnxSession(byte[] model, List<String> tensorsToExpose, List<GraphPooling> pooling,
            SessionSettings settings) {
        this(ModelFile.copyOf(model), tensorsToExpose, pooling, settings);
    }

    public OnnxSession(ModelFile model, List<String> tensorsToExpose, SessionSettings settings) {
        this(model, tensorsToExpose, List.of(), settings);
    }

    /**
     * Builds a session from a model file (see {@link ModelFile} for why a file). Requested tensors that the
     * graph does not declare as outputs are appended to a temporary copy first. Temporary files are deleted
     * once ONNX Runtime has loaded them. Each {@link GraphPooling} whose inputs the model has is appended too;
     * {@link #pooledOutput} finds its output.
     */
    public OnnxSession(ModelFile model, List<String> tensorsToExpose, List<GraphPooling> pooling,
            SessionSettings settings) {
        this.env = OrtEnvironment.getEnvironment();
        ModelFile staged = model;
        try (OrtSession.SessionOptions options = settings.toOptions()) {
            GraphAdditions additions = GraphAdditions.needed(model.path(), tensorsToExpose, pooling);
            // A model prepared beforehand (GraphAdditions.prepare, the prepare-models command)
            // already declares all of it and loads in place, without a per-start copy of its weights.
            if (!additions.none()) {
                // A copy elsewhere must take the model's external data files along (models over 2 GiB keep weights there).
                staged = model.temporary() ? model
                        : model.writableCopy(OnnxGraph.read(model.path()).externalDataFiles());
                Files.write(staged.path(), additions.suffix(), StandardOpenOption.APPEND);
            }
            this.session = env.createSession(staged.path().toString(), options);
            this.runOptions = settings.toRunOptions();
            this.inputNames = Set.copyOf(session.getInputNames());
            this.outputNames = Set.copyOf(session.getOutputNames());
            List<String> unknown = tensorsToExpose.stream().filter(n -> !outputNames.contains(n)).toList();
            if (!unknown.isEmpty()) {
                throw new IllegalStateException("model has no tensors named " + unknown);
            }
            for (GraphPooling graphPooling : additions.pooling()) {
                pooledOutputs.put(List.of(graphPooling.mode(), graphPooling.tensors()), graphPooling.outputName());
            }
        } catch (OrtException e) {
            // On CUDA the provider loads lazily, so a missing GPU or library can first show up here.
            String hint = settings.device() == ExecutionDevice.CUDA
                    ? " (on CUDA device " + settings.deviceId() + "; " + DeviceSelector.FIX + ")" : "";
            throw new IllegalStateException("ONNX Runtime cannot load the model: " + e.getMessage() + hint, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + model.path(), e);
        } finally {
            staged.discard();
            model.discard();
        }
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

    /** The graph output that holds {@code mode} pooling of {@code tensors}, when it was appended. */
    public Optional<String> pooledOutput(dev.embedder.bundle.PoolingMode mode, List<String> tensors) {
        return Optional.ofNullable(pooledOutputs.get(List.of(mode, tensors)));
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
        try (OrtSession.Result result = runOptions == null ? session.run(inputs, outputs)
                : session.run(inputs, outputs, runOptions)) {
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
        if (runOptions != null) {
            runOptions.close();
        }
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
