package dev.embedder.inference;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Exposes internal tensors of an ONNX model as extra graph outputs, without parsing the model.
 *
 * <p>Exported encoders declare only {@code last_hidden_state} as an output; earlier layers exist as
 * internal tensors. An ONNX file is a serialized {@code ModelProto}, and protobuf merges a repeated
 * occurrence of an embedded message field into the first one, with repeated fields appended. So
 * appending one more {@code ModelProto.graph} (field 7) that holds only {@code GraphProto.output}
 * entries (field 12) adds outputs to the graph, at the cost of a few bytes, whatever the model's size.
 * ONNX Runtime then keeps those tensors alive through its graph optimisations and returns them.
 */
public final class GraphOutputs {

    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_OUTPUT = 12;
    private static final int VALUE_INFO_NAME = 1;
    private static final int VALUE_INFO_TYPE = 2;
    private static final int TYPE_TENSOR = 1;
    private static final int TENSOR_ELEM_TYPE = 1;
    private static final int ELEM_TYPE_FLOAT = 1;
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_LENGTH_DELIMITED = 2;

    private GraphOutputs() {}

    /**
     * Names of the outputs the graph declares. Walks the protobuf fields and skips every payload by its
     * length, so the weights are never copied and a 100 MB model costs microseconds.
     */
    public static List<String> declaredOutputs(byte[] model) {
        return declaredOutputs(ByteBuffer.wrap(model));
    }

    /** As {@link #declaredOutputs(byte[])}, over the buffer's bytes from 0 to its limit (off-heap models). */
    public static List<String> declaredOutputs(ByteBuffer model) {
        List<String> names = new ArrayList<>();
        Reader modelReader = new Reader(model, 0, model.limit());
        while (modelReader.hasMore()) {
            int tag = (int) modelReader.varint();
            if (tag >>> 3 == MODEL_GRAPH && (tag & 7) == WIRE_LENGTH_DELIMITED) {
                int len = (int) modelReader.varint();
                Reader graph = new Reader(model, modelReader.pos, modelReader.pos + len);
                modelReader.pos += len;
                while (graph.hasMore()) {
                    int graphTag = (int) graph.varint();
                    if (graphTag >>> 3 == GRAPH_OUTPUT && (graphTag & 7) == WIRE_LENGTH_DELIMITED) {
                        int outLen = (int) graph.varint();
                        names.add(valueInfoName(new Reader(model, graph.pos, graph.pos + outLen)));
                        graph.pos += outLen;
                    } else {
                        graph.skip(graphTag & 7);
                    }
                }
            } else {
                modelReader.skip(tag & 7);
            }
        }
        return names;
    }

    private static String valueInfoName(Reader valueInfo) {
        while (valueInfo.hasMore()) {
            int tag = (int) valueInfo.varint();
            if (tag >>> 3 == VALUE_INFO_NAME && (tag & 7) == WIRE_LENGTH_DELIMITED) {
                int len = (int) valueInfo.varint();
                byte[] name = new byte[len];
                valueInfo.bytes.get(valueInfo.pos, name);
                return new String(name, StandardCharsets.UTF_8);
            }
            valueInfo.skip(tag & 7);
        }
        return "";
    }

    /** Minimal protobuf wire-format cursor over a byte range (also used by {@link OnnxGraph}). */
    static final class Reader {
        final ByteBuffer bytes;
        int pos;
        final int end;

        Reader(ByteBuffer bytes, int pos, int end) {
            if (end > bytes.limit() || pos > end || pos < 0) {
                throw new IllegalArgumentException("not an ONNX model: truncated protobuf");
            }
            this.bytes = bytes;
            this.pos = pos;
            this.end = end;
        }

        boolean hasMore() {
            return pos < end;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IllegalArgumentException("not an ONNX model: truncated varint");
                }
                byte b = bytes.get(pos++);
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("not an ONNX model: malformed varint");
        }

        void skip(int wireType) {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    // Read the length first: "pos += varint()" would add to the position before the varint.
                    int length = (int) varint();
                    pos += length;
                }
                case 5 -> pos += 4;
                default -> throw new IllegalArgumentException("not an ONNX model: wire type " + wireType);
            }
            if (pos > end) {
                throw new IllegalArgumentException("not an ONNX model: field runs past its message");
            }
        }
    }

    /** Returns the model bytes with float outputs added for {@code tensorNames}. */
    public static byte[] withFloatOutputs(byte[] model, List<String> tensorNames) {
        if (tensorNames.isEmpty()) {
            return model;
        }
        byte[] tail = suffix(tensorNames);
        byte[] result = new byte[model.length + tail.length];
        System.arraycopy(model, 0, result, 0, model.length);
        System.arraycopy(tail, 0, result, model.length, tail.length);
        return result;
    }

    /**
     * The bytes to append to a serialized model to add float outputs for {@code tensorNames} (empty for
     * none): a few bytes per name, so a model file is extended by appending them, whatever its size.
     */
    public static byte[] suffix(List<String> tensorNames) {
        if (tensorNames.isEmpty()) {
            return new byte[0];
        }
        ByteArrayOutputStream graph = new ByteArrayOutputStream();
        for (String name : tensorNames) {
            writeMessage(graph, GRAPH_OUTPUT, floatValueInfo(name));
        }
        ByteArrayOutputStream suffix = new ByteArrayOutputStream();
        writeMessage(suffix, MODEL_GRAPH, graph.toByteArray());
        return suffix.toByteArray();
    }

    private static byte[] floatValueInfo(String name) {
        ByteArrayOutputStream tensorType = new ByteArrayOutputStream();
        writeTag(tensorType, TENSOR_ELEM_TYPE, WIRE_VARINT);
        writeVarint(tensorType, ELEM_TYPE_FLOAT);
        ByteArrayOutputStream type = new ByteArrayOutputStream();
        writeMessage(type, TYPE_TENSOR, tensorType.toByteArray());
        ByteArrayOutputStream valueInfo = new ByteArrayOutputStream();
        writeMessage(valueInfo, VALUE_INFO_NAME, name.getBytes(StandardCharsets.UTF_8));
        writeMessage(valueInfo, VALUE_INFO_TYPE, type.toByteArray());
        return valueInfo.toByteArray();
    }

    private static void writeMessage(ByteArrayOutputStream out, int field, byte[] payload) {
        writeTag(out, field, WIRE_LENGTH_DELIMITED);
        writeVarint(out, payload.length);
        out.writeBytes(payload);
    }

    private static void writeTag(ByteArrayOutputStream out, int field, int wireType) {
        writeVarint(out, (field << 3) | wireType);
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
