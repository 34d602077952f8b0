package dev.embedder.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.embedder.error.InferenceException;
import java.nio.FloatBuffer;
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

    public OnnxSession(byte[] model, List<String> tensorsToExpose, SessionSettings settings) {
        this.env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = settings.toOptions()) {
            List<String> declared = GraphOutputs.declaredOutputs(model);
            List<String> missing = new ArrayList<>();
            for (String name : tensorsToExpose) {
                if (!declared.contains(name) && !missing.contains(name)) {
                    missing.add(name);
                }
            }
            this.session = env.createSession(GraphOutputs.withFloatOutputs(model, missing), options);
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
        }
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
                FloatBuffer buffer = tensor.getFloatBuffer();
                float[] data = new float[buffer.remaining()];
                buffer.get(data);
                tensors.put(entry.getKey(), new Tensor(data, info.getShape()));
            }
            return tensors;
        } catch (OrtException e) {
            throw new InferenceException("inference failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
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
