package dev.embedder.inference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds, in an ONNX graph, the tensors that Hugging Face's {@code output_hidden_states} returns: index 0 the
 * embedding output, index i the output of block i. Exports declare only the final state, so the others are
 * located by the graph's structure, not by names (names vary with the exporter and vanish in fused graphs):
 *
 * <ul>
 *   <li>Declared outputs {@code hidden_states.0 … hidden_states.N} are taken as they are.
 *   <li>Every layer norm is found, as one {@code LayerNormalization} node or decomposed (opset &lt; 17:
 *       ReduceMean → Sub → … → Div → Mul → Add).
 *   <li><b>Pre-norm</b> (ViT, CLIP, DINOv2): some layer norm's input also feeds a residual {@code Add}. The
 *       residual stream is then followed from the first such tensor: two residual Adds per block (attention,
 *       MLP), the second one's output being the block's hidden state.
 *   <li><b>Post-norm</b> (BERT and its kin): the stream is the layer-norm outputs. From the first layer norm
 *       whose output feeds a residual Add (the embeddings' one), each block is two steps of "residual Add,
 *       then the layer norm it feeds"; the second layer norm's output is the block's hidden state.
 * </ul>
 *
 * The number of blocks found must equal {@code num_hidden_layers} from config.json when it is known.
 * Anything else (fused SkipLayerNormalization graphs, no layer norms, a wrong count) is undecidable and
 * reported as such, for the caller to name the manifest key that settles it.
 */
public final class HiddenStateFinder {

    private static final Pattern DECLARED = Pattern.compile("hidden_states\\.(\\d+)");

    /** The result: the tensors in Hugging Face order and how they were found. */
    public record Found(List<String> tensors, String method) {}

    /** Raised when the graph does not say which tensors the hidden states are. */
    public static final class Undecidable extends RuntimeException {
        Undecidable(String message) {
            super(message);
        }
    }

    private final OnnxGraph graph;
    private final Map<String, List<OnnxGraph.Node>> consumers = new HashMap<>();
    private final Map<String, OnnxGraph.Node> producers = new HashMap<>();
    /** Layer norm input tensor → output tensor, and the reverse. */
    private final Map<String, String> normOutputOf = new HashMap<>();
    private final Map<String, String> normInputOf = new HashMap<>();
    private final List<String> normInputsInOrder = new ArrayList<>();

    public HiddenStateFinder(OnnxGraph graph) {
        this.graph = graph;
        for (OnnxGraph.Node node : graph.nodes()) {
            for (String in : node.inputs()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(node);
            }
            for (String out : node.outputs()) {
                producers.put(out, node);
            }
        }
        for (OnnxGraph.Node node : graph.nodes()) {
            layerNorm(node).ifPresent(io -> {
                normOutputOf.put(io[0], io[1]);
                normInputOf.put(io[1], io[0]);
                normInputsInOrder.add(io[0]);
            });
        }
    }

    /**
     * The hidden states of the graph.
     *
     * @param expectedLayers {@code num_hidden_layers} from config.json, or null when unknown
     */
    public Found find(Integer expectedLayers) {
        List<String> declared = declared();
        if (!declared.isEmpty()) {
            check(declared.size() - 1, expectedLayers, "declared outputs hidden_states.*");
            return new Found(declared, "declared graph outputs hidden_states.0-" + (declared.size() - 1));
        }
        return findByStructure(expectedLayers);
    }

    /** The structural search alone, ignoring declared {@code hidden_states.*} outputs. */
    public Found findByStructure(Integer expectedLayers) {
        if (normInputsInOrder.isEmpty()) {
            throw new Undecidable("the graph has no layer norms (LayerNormalization or its decomposed form)");
        }
        if (graph.nodes().stream().anyMatch(n -> n.opType().contains("SkipLayerNormalization"))) {
            throw new Undecidable("the graph is fused (SkipLayerNormalization): the residual stream is inside fused nodes");
        }
        Optional<String> preNormStart = normInputsInOrder.stream().filter(this::feedsAdd).findFirst();
        Found found = preNormStart.isPresent() ? preNorm(preNormStart.get()) : postNorm();
        check(found.tensors().size() - 1, expectedLayers, found.method());
        return found;
    }

    private Found preNorm(String start) {
        List<String> states = new ArrayList<>(List.of(start));
        String stream = start;
        int steps = 0;
        while (true) {
            String next = residualAdd(stream);
            if (next == null) {
                break;
            }
            stream = next;
            if (++steps % 2 == 0) {
                states.add(stream);
            }
        }
        if (steps % 2 != 0 || states.size() < 2) {
            throw new Undecidable("pre-norm residual stream from " + start + " has " + steps
                    + " residual Adds, not two per block");
        }
        return new Found(states, "pre-norm residual stream (two residual Adds per block)");
    }

    private Found postNorm() {
        String start = normInputsInOrder.stream().map(normOutputOf::get).filter(this::feedsAdd).findFirst()
                .orElseThrow(() -> new Undecidable("no layer norm output feeds a residual Add"));
        List<String> states = new ArrayList<>(List.of(start));
        String stream = start;
        int steps = 0;
        while (true) {
            String next = null;
            for (OnnxGraph.Node add : consumersOf(stream, "Add")) {
                String sum = add.outputs().get(0);
                if (normOutputOf.containsKey(sum)) {
                    next = normOutputOf.get(sum);
                    break;
                }
            }
            if (next == null) {
                break;
            }
            stream = next;
            if (++steps % 2 == 0) {
                states.add(stream);
            }
        }
        if (steps % 2 != 0 || states.size() < 2) {
            throw new Undecidable("post-norm stream from " + start + " has " + steps
                    + " Add + layer norm steps, not two per block");
        }
        return new Found(states, "post-norm layer-norm outputs (residual Add + layer norm, twice per block)");
    }

    /** The Add that adds something to {@code stream} where {@code stream} also feeds a layer norm (pre-norm). */
    private String residualAdd(String stream) {
        if (!normOutputOf.containsKey(stream)) {
            return null;
        }
        List<OnnxGraph.Node> adds = consumersOf(stream, "Add");
        return adds.size() == 1 ? adds.get(0).outputs().get(0) : null;
    }

    private boolean feedsAdd(String tensor) {
        return !consumersOf(tensor, "Add").isEmpty();
    }

    private List<OnnxGraph.Node> consumersOf(String tensor, String opType) {
        return consumers.getOrDefault(tensor, List.of()).stream().filter(n -> n.opType().equals(opType)).toList();
    }

    private List<String> declared() {
        Map<Integer, String> byIndex = new HashMap<>();
        for (String name : graph.outputNames()) {
            Matcher m = DECLARED.matcher(name);
            if (m.matches()) {
                byIndex.put(Integer.parseInt(m.group(1)), name);
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; byIndex.containsKey(i); i++) {
            out.add(byIndex.get(i));
        }
        return out.size() == byIndex.size() && out.size() >= 2 ? out : List.of();
    }

    private static void check(int layers, Integer expected, String method) {
        if (expected != null && layers != expected) {
            throw new Undecidable(method + " gives " + layers + " blocks, but config.json says num_hidden_layers = "
                    + expected);
        }
    }

    /** {input, output} of a layer norm ending at this node, if it is one. */
    private Optional<String[]> layerNorm(OnnxGraph.Node node) {
        if (node.opType().equals("LayerNormalization") && !node.inputs().isEmpty() && !node.outputs().isEmpty()) {
            return Optional.of(new String[] {node.inputs().get(0), node.outputs().get(0)});
        }
        // Decomposed: X → ReduceMean → m; Sub(X, m) → d; ... Div(d, std) → n; Mul(n, gamma) → p; Add(p, beta) → Y.
        if (!node.opType().equals("ReduceMean") || node.inputs().isEmpty()) {
            return Optional.empty();
        }
        String x = node.inputs().get(0);
        String mean = node.outputs().get(0);
        for (OnnxGraph.Node sub : consumersOf(mean, "Sub")) {
            if (!sub.inputs().get(0).equals(x)) {
                continue;
            }
            for (OnnxGraph.Node div : consumersOf(sub.outputs().get(0), "Div")) {
                for (OnnxGraph.Node mul : consumersOf(div.outputs().get(0), "Mul")) {
                    for (OnnxGraph.Node add : consumersOf(mul.outputs().get(0), "Add")) {
                        return Optional.of(new String[] {x, add.outputs().get(0)});
                    }
                }
            }
        }
        return Optional.empty();
    }
}
