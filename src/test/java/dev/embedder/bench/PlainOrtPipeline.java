package dev.embedder.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reference the service is measured against: the shortest path from sentences to vectors with the
 * same libraries and settings, written without any of the service's classes. One ONNX Runtime session
 * with the options {@code SessionSettings} uses, the DJL tokenizer with the options {@code
 * TextPreprocessor} uses, right-padded batches, mask-aware mean pooling and L2 normalisation inline.
 */
final class PlainOrtPipeline implements AutoCloseable {

    /** How sentences are grouped into batches. */
    enum Order {
        /** The whole input tokenized at once, sorted by token count: least padding possible. */
        SORTED,
        /** Batches in input order: what sorting saves. */
        ARRIVAL,
        /** Requests of a fixed size in input order, each tokenized and sorted on its own, as the service does. */
        SORTED_PER_REQUEST
    }

    private static final String OUTPUT = "last_hidden_state";

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean feedsTokenTypes;

    PlainOrtPipeline(byte[] model, byte[] tokenizerJson, int maxTokens, int threads) throws OrtException, IOException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            this.session = env.createSession(model, options);
        }
        this.feedsTokenTypes = session.getInputNames().contains("token_type_ids");
        this.tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), Map.of(
                "truncation", "true",
                "maxLength", Integer.toString(maxTokens),
                "padding", "false"));
    }

    /** Token counts (special tokens included) of each text, for reporting the corpus. */
    int[] tokenCounts(List<String> texts) {
        return Arrays.stream(tokenizer.batchEncode(texts)).mapToInt(e -> e.getIds().length).toArray();
    }

    /** Embeds {@code texts}; vectors come back in input order whatever the batching. */
    float[][] embed(List<String> texts, Order order, int batchSize, int requestSize, StageTimes times)
            throws OrtException {
        float[][] vectors = new float[texts.size()][];
        int chunk = order == Order.SORTED_PER_REQUEST ? requestSize : texts.size();
        for (int start = 0; start < texts.size(); start += chunk) {
            int end = Math.min(texts.size(), start + chunk);
            long t0 = System.nanoTime();
            Encoding[] encodings = tokenizer.batchEncode(texts.subList(start, end));
            long[][] ids = new long[encodings.length][];
            long[][] types = new long[encodings.length][];
            for (int i = 0; i < encodings.length; i++) {
                ids[i] = encodings[i].getIds();
                types[i] = encodings[i].getTypeIds();
            }
            times.tokenizeNanos += System.nanoTime() - t0;

            Integer[] indices = new Integer[ids.length];
            Arrays.setAll(indices, i -> i);
            if (order != Order.ARRIVAL) {
                Arrays.sort(indices, Comparator.comparingInt(i -> ids[i].length));
            }
            for (int from = 0; from < indices.length; from += batchSize) {
                int[] batch = new int[Math.min(batchSize, indices.length - from)];
                for (int k = 0; k < batch.length; k++) {
                    batch[k] = indices[from + k];
                }
                float[][] pooled = runBatch(batch, ids, types, times);
                for (int k = 0; k < batch.length; k++) {
                    vectors[start + batch[k]] = pooled[k];
                }
            }
        }
        return vectors;
    }

    private float[][] runBatch(int[] batch, long[][] ids, long[][] types, StageTimes times) throws OrtException {
        long t0 = System.nanoTime();
        int width = 0;
        for (int i : batch) {
            width = Math.max(width, ids[i].length);
        }
        long[] flatIds = new long[batch.length * width];
        long[] flatMask = new long[batch.length * width];
        long[] flatTypes = new long[batch.length * width];
        for (int k = 0; k < batch.length; k++) {
            long[] row = ids[batch[k]];
            System.arraycopy(row, 0, flatIds, k * width, row.length);
            System.arraycopy(types[batch[k]], 0, flatTypes, k * width, row.length);
            Arrays.fill(flatMask, k * width, k * width + row.length, 1L);
        }
        times.paddedTokens += (long) batch.length * width;
        long[] shape = {batch.length, width};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        float[] hidden;
        int dim;
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(flatIds), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(flatMask), shape));
            if (feedsTokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(flatTypes), shape));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(OUTPUT))) {
                OnnxTensor output = (OnnxTensor) result.get(OUTPUT).orElseThrow();
                long[] outShape = output.getInfo().getShape();
                dim = (int) outShape[2];
                FloatBuffer buffer = output.getFloatBuffer();
                hidden = new float[buffer.remaining()];
                buffer.get(hidden);
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
        long t1 = System.nanoTime();
        times.inferNanos += t1 - t0;
        float[][] pooled = meanPoolAndNormalize(hidden, flatMask, batch.length, width, dim);
        times.poolNanos += System.nanoTime() - t1;
        return pooled;
    }

    /** Average of the token states whose mask is 1, then scaled to unit length. */
    private static float[][] meanPoolAndNormalize(float[] hidden, long[] mask, int rows, int width, int dim) {
        float[][] out = new float[rows][dim];
        double[] sum = new double[dim];
        for (int r = 0; r < rows; r++) {
            Arrays.fill(sum, 0);
            int tokens = 0;
            for (int t = 0; t < width; t++) {
                if (mask[r * width + t] == 0) {
                    continue;
                }
                tokens++;
                int base = (r * width + t) * dim;
                for (int d = 0; d < dim; d++) {
                    sum[d] += hidden[base + d];
                }
            }
            double squares = 0;
            for (int d = 0; d < dim; d++) {
                sum[d] /= Math.max(tokens, 1);
                squares += sum[d] * sum[d];
            }
            double scale = squares > 0 ? 1 / Math.sqrt(squares) : 0;
            for (int d = 0; d < dim; d++) {
                out[r][d] = (float) (sum[d] * scale);
            }
        }
        return out;
    }

    @Override
    public void close() throws OrtException {
        session.close();
        tokenizer.close();
    }
}
