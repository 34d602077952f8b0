package dev.embedder.inference;

import dev.embedder.bundle.BundleManifest;
import dev.embedder.bundle.PoolingMode;
import dev.embedder.pooling.LayerResolver;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Pooling as ONNX nodes appended to the graph when the session is built, so a run returns [batch, dim] instead of
 * [batch, tokens, hidden] per pooled layer: ONNX Runtime does the reduction where the hidden states already are,
 * and Java copies 384 floats per sentence instead of tokens x 384. The Java {@code Pooler} stays the path for
 * every other pooling a request may ask for; this covers a bundle's default.
 *
 * <p>Appended like {@link GraphOutputs}: one more {@code ModelProto.graph} message with nodes, two small
 * initializers and one output, which protobuf merges into the model's graph. Only operators whose signature is
 * the same in every opset since 8 are used (Cast, Reshape, Transpose, MatMul, Max, Mul, Div, Sum, Gather), so the
 * nodes fit whatever opset the model was exported with.
 * <ul>
 *   <li>mean (mask-aware): {@code mask3 = Reshape(Cast(attention_mask), [0, 1, -1])}; per layer
 *       {@code MatMul(mask3, hidden)} sums the unmasked token states ([batch, 1, hidden]); the count is
 *       {@code MatMul(mask3, Transpose(mask3))} (0/1 mask: the sum of its squares), at least 1.</li>
 *   <li>cls: {@code Gather(hidden, 0, axis=1)}: the first token, so only for right-padded batches (a left-padded
 *       bundle's cls stays in Java, which finds the first real token by the mask).</li>
 *   <li>several layers: the pooled layers summed and divided by their number, as {@code Pooler.average}.</li>
 * </ul>
 *
 * @param mode    how tokens become one vector (only {@link #supports supported} modes)
 * @param tensors the hidden-state tensors pooled and averaged, in the order the Java path reads them
 */
public record GraphPooling(PoolingMode mode, List<String> tensors) {

    /** The input the mean reads its mask from. */
    public static final String MASK_INPUT = "attention_mask";

    private static final String PREFIX = "embedder.pool.";
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTR_NAME = 1;
    private static final int ATTR_I = 3;
    private static final int ATTR_INTS = 8;
    private static final int ATTR_TYPE = 20;
    private static final int ATTR_TYPE_INT = 2;
    private static final int ATTR_TYPE_INTS = 7;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int ELEM_FLOAT = 1;
    private static final int ELEM_INT64 = 7;

    public GraphPooling {
        tensors = List.copyOf(tensors);
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("graph pooling needs at least one tensor");
        }
        if (!supports(mode)) {
            throw new IllegalArgumentException("no graph pooling for mode " + mode);
        }
    }

    /** Pooling modes that have a graph form; others stay in Java. */
    public static boolean supports(PoolingMode mode) {
        if (mode == null) {
            return false;
        }
        return switch (mode.name()) {
            case "MEAN", "CLS" -> true;
            default -> false;
        };
    }

    /**
     * The pooling a request without overrides gets from this text bundle (its mode, its layers or its pooled
     * output), when that mode has a graph form. The session leaves it out if the model lacks an input it reads.
     */
    public static Optional<GraphPooling> forDefaults(BundleManifest manifest) {
        BundleManifest.Pooling pooling = manifest.pooling();
        PoolingMode mode = pooling.mode() != null ? PoolingMode.parse(pooling.mode()) : PoolingMode.MEAN;
        // The graph's cls takes position 0, which is the first real token only when padding goes on the right.
        if (!supports(mode) || (mode == PoolingMode.CLS && "left".equals(manifest.paddingSide()))) {
            return Optional.empty();
        }
        List<String> tensors = pooling.layers() != null && !pooling.layers().isEmpty()
                ? LayerResolver.tensorsFor(pooling.layers(), manifest.hiddenStates(), manifest.name())
                : List.of(pooling.output() != null ? pooling.output() : "last_hidden_state");
        return Optional.of(new GraphPooling(mode, tensors));
    }

    /** Whether a model with these graph inputs has what this pooling reads (mean: the attention mask). */
    public boolean fits(List<String> modelInputs) {
        return mode != PoolingMode.MEAN || modelInputs.contains(MASK_INPUT);
    }

    /** The graph output holding the pooled [batch, dim] vectors. */
    public String outputName() {
        return PREFIX + mode.name().toLowerCase(java.util.Locale.ROOT) + "(" + String.join(",", tensors) + ")";
    }

    /** Rows of a [batch, dim] pooled output. */
    public static float[][] rows(Tensor pooled) {
        int batch = pooled.dim(0);
        int dim = pooled.dim(1);
        float[][] out = new float[batch][dim];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(pooled.data(), b * dim, out[b], 0, dim);
        }
        return out;
    }

    /** The bytes to append to the serialized model (after any {@link GraphOutputs#suffix}). */
    public byte[] suffix() {
        String out = outputName();
        String p = out + "/";
        ByteArrayOutputStream graph = new ByteArrayOutputStream();
        String[] pooled = new String[tensors.size()];
        if (mode == PoolingMode.MEAN) {
            String one = p + "one";
            GraphOutputs.writeMessage(graph, GRAPH_INITIALIZER, floatScalar(one, 1f));
            String maskFloat = p + "mask_float";
            String mask3 = p + "mask3";
            String shape3 = p + "shape_b1t";
            GraphOutputs.writeMessage(graph, GRAPH_INITIALIZER, int64Vector(shape3, 0, 1, -1));
            node(graph, "Cast", p + "cast", List.of(MASK_INPUT), maskFloat, intAttribute("to", ELEM_FLOAT));
            node(graph, "Reshape", p + "reshape_mask", List.of(maskFloat, shape3), mask3, null);
            for (int i = 0; i < pooled.length; i++) {
                pooled[i] = p + "sum" + i;
                node(graph, "MatMul", p + "matmul" + i, List.of(mask3, tensors.get(i)), pooled[i], null);
            }
            String maskT = p + "mask3_t";
            String count = p + "count";
            String safeCount = p + "count_at_least_1";
            node(graph, "Transpose", p + "transpose", List.of(mask3), maskT, intsAttribute("perm", 0, 2, 1));
            node(graph, "MatMul", p + "count_matmul", List.of(mask3, maskT), count, null);
            node(graph, "Max", p + "max", List.of(count, one), safeCount, null);
            String summed = sum(graph, p, pooled);
            String divisor = safeCount;
            if (pooled.length > 1) {
                divisor = p + "divisor";
                node(graph, "Mul", p + "mul_layers", List.of(safeCount, layerCount(graph, p)), divisor, null);
            }
            String mean3 = p + "mean3";
            String shape2 = p + "shape_bd";
            GraphOutputs.writeMessage(graph, GRAPH_INITIALIZER, int64Vector(shape2, 0, -1));
            node(graph, "Div", p + "div", List.of(summed, divisor), mean3, null);
            node(graph, "Reshape", p + "reshape_out", List.of(mean3, shape2), out, null);
        } else {
            String first = p + "index0";
            GraphOutputs.writeMessage(graph, GRAPH_INITIALIZER, int64Scalar(first, 0));
            for (int i = 0; i < pooled.length; i++) {
                pooled[i] = pooled.length == 1 ? out : p + "first" + i;
                node(graph, "Gather", p + "gather" + i, List.of(tensors.get(i), first), pooled[i],
                        intAttribute("axis", 1));
            }
            if (pooled.length > 1) {
                node(graph, "Div", p + "div", List.of(sum(graph, p, pooled), layerCount(graph, p)), out, null);
            }
        }
        GraphOutputs.writeMessage(graph, GraphOutputs.GRAPH_OUTPUT, GraphOutputs.floatValueInfo(out));
        ByteArrayOutputStream suffix = new ByteArrayOutputStream();
        GraphOutputs.writeMessage(suffix, GraphOutputs.MODEL_GRAPH, graph.toByteArray());
        return suffix.toByteArray();
    }

    /** Sum of the pooled layers (the single one as is). */
    private static String sum(ByteArrayOutputStream graph, String p, String[] pooled) {
        if (pooled.length == 1) {
            return pooled[0];
        }
        String summed = p + "layer_sum";
        node(graph, "Sum", p + "sum_layers", List.of(pooled), summed, null);
        return summed;
    }

    private String layerCount(ByteArrayOutputStream graph, String p) {
        String name = p + "layers";
        GraphOutputs.writeMessage(graph, GRAPH_INITIALIZER, floatScalar(name, tensors.size()));
        return name;
    }

    private static void node(ByteArrayOutputStream graph, String op, String name, List<String> inputs, String output,
            byte[] attribute) {
        ByteArrayOutputStream node = new ByteArrayOutputStream();
        for (String input : inputs) {
            GraphOutputs.writeMessage(node, NODE_INPUT, utf8(input));
        }
        GraphOutputs.writeMessage(node, NODE_OUTPUT, utf8(output));
        GraphOutputs.writeMessage(node, NODE_NAME, utf8(name));
        GraphOutputs.writeMessage(node, NODE_OP_TYPE, utf8(op));
        if (attribute != null) {
            GraphOutputs.writeMessage(node, NODE_ATTRIBUTE, attribute);
        }
        GraphOutputs.writeMessage(graph, GRAPH_NODE, node.toByteArray());
    }

    private static byte[] intAttribute(String name, long value) {
        ByteArrayOutputStream attribute = new ByteArrayOutputStream();
        GraphOutputs.writeMessage(attribute, ATTR_NAME, utf8(name));
        GraphOutputs.writeTag(attribute, ATTR_I, GraphOutputs.WIRE_VARINT);
        GraphOutputs.writeVarint(attribute, value);
        GraphOutputs.writeTag(attribute, ATTR_TYPE, GraphOutputs.WIRE_VARINT);
        GraphOutputs.writeVarint(attribute, ATTR_TYPE_INT);
        return attribute.toByteArray();
    }

    private static byte[] intsAttribute(String name, long... values) {
        ByteArrayOutputStream attribute = new ByteArrayOutputStream();
        GraphOutputs.writeMessage(attribute, ATTR_NAME, utf8(name));
        for (long value : values) {
            GraphOutputs.writeTag(attribute, ATTR_INTS, GraphOutputs.WIRE_VARINT);
            GraphOutputs.writeVarint(attribute, value);
        }
        GraphOutputs.writeTag(attribute, ATTR_TYPE, GraphOutputs.WIRE_VARINT);
        GraphOutputs.writeVarint(attribute, ATTR_TYPE_INTS);
        return attribute.toByteArray();
    }

    private static byte[] floatScalar(String name, float value) {
        ByteBuffer raw = ByteBuffer.allocate(Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
        return tensor(name, ELEM_FLOAT, new long[0], raw.array());
    }

    private static byte[] int64Scalar(String name, long value) {
        ByteBuffer raw = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        return tensor(name, ELEM_INT64, new long[0], raw.array());
    }

    private static byte[] int64Vector(String name, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long value : values) {
            raw.putLong(value);
        }
        return tensor(name, ELEM_INT64, new long[] {values.length}, raw.array());
    }

    private static byte[] tensor(String name, int dataType, long[] dims, byte[] raw) {
        ByteArrayOutputStream tensor = new ByteArrayOutputStream();
        for (long dim : dims) {
            GraphOutputs.writeTag(tensor, TENSOR_DIMS, GraphOutputs.WIRE_VARINT);
            GraphOutputs.writeVarint(tensor, dim);
        }
        GraphOutputs.writeTag(tensor, TENSOR_DATA_TYPE, GraphOutputs.WIRE_VARINT);
        GraphOutputs.writeVarint(tensor, dataType);
        GraphOutputs.writeMessage(tensor, TENSOR_NAME, utf8(name));
        GraphOutputs.writeMessage(tensor, TENSOR_RAW_DATA, raw);
        return tensor.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
