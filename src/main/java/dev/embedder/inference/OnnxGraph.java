package dev.embedder.inference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The topology of an ONNX graph, read from the file without ONNX Runtime: its nodes (op type, name, input
 * and output tensor names, in the file's topological order), its declared inputs and outputs with their
 * ranks, its initializer names and the external data files those reference. Weights are skipped by their
 * length, so a 100 MB model is read in milliseconds through a memory map.
 */
public record OnnxGraph(List<Node> nodes, List<Value> inputs, List<Value> outputs, Set<String> initializers,
        Set<String> externalDataFiles) {

    /** One graph node. */
    public record Node(String name, String opType, List<String> inputs, List<String> outputs) {}

    /** A declared graph input or output; {@code rank} is -1 when the file gives no shape. */
    public record Value(String name, int rank) {}

    // ModelProto.graph; GraphProto.node, .initializer, .input, .output; NodeProto.input, .output, .name, .op_type
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    // TensorProto.name, .external_data (StringStringEntryProto: key 1, value 2)
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_EXTERNAL_DATA = 13;
    // ValueInfoProto.name, .type; TypeProto.tensor_type; TypeProto.Tensor.shape; TensorShapeProto.dim
    private static final int VALUE_NAME = 1;
    private static final int VALUE_TYPE = 2;
    private static final int TYPE_TENSOR = 1;
    private static final int TENSOR_TYPE_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int LENGTH_DELIMITED = 2;

    public OnnxGraph {
        nodes = List.copyOf(nodes);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        initializers = Set.copyOf(initializers);
        externalDataFiles = Set.copyOf(externalDataFiles);
    }

    public static OnnxGraph read(Path model) {
        try (FileChannel channel = FileChannel.open(model, StandardOpenOption.READ)) {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            try {
                return parse(map);
            } finally {
                DirectBuffers.free(map);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ONNX model " + model, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(model + ": " + e.getMessage(), e);
        }
    }

    public static OnnxGraph parse(ByteBuffer model) {
        List<Node> nodes = new ArrayList<>();
        List<Value> inputs = new ArrayList<>();
        List<Value> outputs = new ArrayList<>();
        Set<String> initializers = new LinkedHashSet<>();
        Set<String> external = new LinkedHashSet<>();
        GraphOutputs.Reader top = new GraphOutputs.Reader(model, 0, model.limit());
        while (top.hasMore()) {
            int tag = (int) top.varint();
            if (tag >>> 3 != MODEL_GRAPH || (tag & 7) != LENGTH_DELIMITED) {
                top.skip(tag & 7);
                continue;
            }
            GraphOutputs.Reader graph = sub(top);
            while (graph.hasMore()) {
                int graphTag = (int) graph.varint();
                if ((graphTag & 7) != LENGTH_DELIMITED) {
                    graph.skip(graphTag & 7);
                    continue;
                }
                switch (graphTag >>> 3) {
                    case GRAPH_NODE -> nodes.add(node(sub(graph)));
                    case GRAPH_INPUT -> inputs.add(value(sub(graph)));
                    case GRAPH_OUTPUT -> outputs.add(value(sub(graph)));
                    case GRAPH_INITIALIZER -> initializer(sub(graph), initializers, external);
                    default -> graph.skip(LENGTH_DELIMITED);
                }
            }
        }
        return new OnnxGraph(nodes, inputs, outputs, initializers, external);
    }

    /** The declared inputs a caller must feed: initializers listed as inputs (old exports) are left out. */
    public List<Value> feedInputs() {
        return inputs.stream().filter(v -> !initializers.contains(v.name())).toList();
    }

    public List<String> outputNames() {
        return outputs.stream().map(Value::name).toList();
    }

    private static GraphOutputs.Reader sub(GraphOutputs.Reader parent) {
        int len = (int) parent.varint();
        GraphOutputs.Reader child = new GraphOutputs.Reader(parent.bytes, parent.pos, parent.pos + len);
        parent.pos += len;
        return child;
    }

    private static String string(GraphOutputs.Reader r) {
        int len = (int) r.varint();
        byte[] bytes = new byte[len];
        r.bytes.get(r.pos, bytes);
        r.pos += len;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Node node(GraphOutputs.Reader r) {
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        String name = "";
        String op = "";
        while (r.hasMore()) {
            int tag = (int) r.varint();
            if ((tag & 7) != LENGTH_DELIMITED) {
                r.skip(tag & 7);
                continue;
            }
            switch (tag >>> 3) {
                case NODE_INPUT -> in.add(string(r));
                case NODE_OUTPUT -> out.add(string(r));
                case NODE_NAME -> name = string(r);
                case NODE_OP_TYPE -> op = string(r);
                default -> r.skip(LENGTH_DELIMITED);
            }
        }
        return new Node(name, op, in, out);
    }

    private static Value value(GraphOutputs.Reader r) {
        String name = "";
        int rank = -1;
        while (r.hasMore()) {
            int tag = (int) r.varint();
            if (tag >>> 3 == VALUE_NAME && (tag & 7) == LENGTH_DELIMITED) {
                name = string(r);
            } else if (tag >>> 3 == VALUE_TYPE && (tag & 7) == LENGTH_DELIMITED) {
                rank = rank(sub(r));
            } else {
                r.skip(tag & 7);
            }
        }
        return new Value(name, rank);
    }

    private static int rank(GraphOutputs.Reader type) {
        while (type.hasMore()) {
            int tag = (int) type.varint();
            if (tag >>> 3 == TYPE_TENSOR && (tag & 7) == LENGTH_DELIMITED) {
                GraphOutputs.Reader tensor = sub(type);
                while (tensor.hasMore()) {
                    int t = (int) tensor.varint();
                    if (t >>> 3 == TENSOR_TYPE_SHAPE && (t & 7) == LENGTH_DELIMITED) {
                        GraphOutputs.Reader shape = sub(tensor);
                        int dims = 0;
                        while (shape.hasMore()) {
                            int s = (int) shape.varint();
                            dims += s >>> 3 == SHAPE_DIM ? 1 : 0;
                            shape.skip(s & 7);
                        }
                        return dims;
                    }
                    tensor.skip(t & 7);
                }
                return -1;
            }
            type.skip(tag & 7);
        }
        return -1;
    }

    private static void initializer(GraphOutputs.Reader r, Set<String> names, Set<String> external) {
        while (r.hasMore()) {
            int tag = (int) r.varint();
            if (tag >>> 3 == TENSOR_NAME && (tag & 7) == LENGTH_DELIMITED) {
                names.add(string(r));
            } else if (tag >>> 3 == TENSOR_EXTERNAL_DATA && (tag & 7) == LENGTH_DELIMITED) {
                GraphOutputs.Reader entry = sub(r);
                String key = null;
                String value = null;
                while (entry.hasMore()) {
                    int t = (int) entry.varint();
                    if (t >>> 3 == 1 && (t & 7) == LENGTH_DELIMITED) {
                        key = string(entry);
                    } else if (t >>> 3 == 2 && (t & 7) == LENGTH_DELIMITED) {
                        value = string(entry);
                    } else {
                        entry.skip(t & 7);
                    }
                }
                if ("location".equals(key) && value != null) {
                    external.add(value);
                }
            } else {
                r.skip(tag & 7);
            }
        }
    }
}
