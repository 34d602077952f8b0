#!/usr/bin/python3
"""Builds an ONNX (opset 13) graph from a Keras functional model exported as a
TF.js layers model, using the files written by extract.mjs.

Only the layer types and options that the nsfwjs MobileNetV2 model needs are
implemented. Anything else -- an unknown layer class, an unexpected config key
or value, an unused weight -- stops the build, because a silently ignored
option would give a model that loads but computes something different.

The whole graph is NCHW: Keras tensors are NHWC, so kernels are transposed here
(HWIO -> OIHW) and the caller feeds [N, 3, 224, 224].

usage: build_onnx.py <extracted dir> <output model.onnx>
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
# Pinned rather than taken from the installed onnx default, so a newer onnx
# package does not silently change the bytes of the produced file.
IR_VERSION = 8
BATCH = "batch"

# Keras layer name -> public ONNX tensor name, with the shape (without batch,
# NCHW) each must have. These are the graph outputs, in this order.
OUTPUTS = [
    ("dense_3", "probabilities", (5,)),
    ("out_relu", "features", (1280, 7, 7)),
    ("block_10_project_BN", "block10", (96, 14, 14)),
]
INPUT_NAME = "input"

# Config keys that only matter for training; accepted and ignored for every layer.
TRAINING_ONLY = ("_initializer", "_regularizer", "_constraint")
COMMON_KEYS = {"name", "trainable", "dtype"}


def fail(msg):
    raise SystemExit(f"build_onnx: {msg}")


def check_config(layer, allowed, fixed=None):
    """Rejects config keys this converter does not understand, and values that
    differ from what the emitted ONNX assumes."""
    cfg = layer["config"]
    for key in cfg:
        if key in COMMON_KEYS or key in allowed or key.endswith(TRAINING_ONLY) or key == "activity_regularizer":
            continue
        fail(f"{layer['name']} ({layer['class_name']}): unhandled config option {key}={cfg[key]!r}")
    for key, want in (fixed or {}).items():
        got = cfg.get(key)
        if isinstance(want, tuple):
            if got not in want:
                fail(f"{layer['name']}: {key}={got!r} not supported (expected one of {want})")
        elif got != want:
            fail(f"{layer['name']}: {key}={got!r} not supported (expected {want!r})")


def tf_same_pads(size, kernel, stride, dilation):
    """Explicit (before, after) padding equal to TensorFlow's 'same': the output
    is ceil(size / stride) and any odd leftover goes after, not before (ONNX
    auto_pad SAME_UPPER agrees, but explicit pads leave no room for doubt)."""
    out = -(-size // stride)
    effective = (kernel - 1) * dilation + 1
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


class Builder:
    def __init__(self, extracted):
        with open(os.path.join(extracted, "topology.json")) as f:
            topology = json.load(f)
        with open(os.path.join(extracted, "weights.json")) as f:
            index = json.load(f)
        raw = np.fromfile(os.path.join(extracted, "weights.bin"), dtype="<f4")
        self.weights = {}
        for entry in index:
            start = entry["offset"] // 4
            arr = raw[start:start + entry["length"]].reshape(entry["shape"])
            if entry["name"] in self.weights:
                fail(f"duplicate weight {entry['name']}")
            self.weights[entry["name"]] = arr
        self.used = set()

        mc = topology["model_config"]
        if mc["class_name"] not in ("Model", "Functional"):
            fail(f"top-level {mc['class_name']} is not a functional model")
        self.cfg = mc["config"]
        self.layers = self.cfg["layers"]
        self.by_name = {l["name"]: l for l in self.layers}
        self.consumers = {l["name"]: [] for l in self.layers}
        for l in self.layers:
            for src in self.inbound(l):
                self.consumers[src].append(l["name"])

        self.rename = {keras: onnx_name for keras, onnx_name, _ in OUTPUTS}
        for keras, _, _ in OUTPUTS:
            if keras not in self.by_name:
                fail(f"expected layer {keras} is missing from the topology")
        self.tensor = {}   # Keras layer name -> ONNX tensor name holding its output
        self.shape = {}    # Keras layer name -> shape without batch, NCHW order
        self.done = set()  # layers already emitted as part of a fused neighbour
        self.nodes = []
        self.inits = []

    # ---- helpers -------------------------------------------------------
    def inbound(self, layer):
        nodes = layer["inbound_nodes"]
        if not nodes:
            return []
        if len(nodes) != 1:
            fail(f"{layer['name']} is called {len(nodes)} times; shared layers are not supported")
        srcs = []
        for item in nodes[0]:
            src, node_index, tensor_index = item[0], item[1], item[2]
            kwargs = item[3] if len(item) > 3 else {}
            if node_index != 0 or tensor_index != 0 or kwargs:
                fail(f"{layer['name']}: inbound {item!r} not supported")
            srcs.append(src)
        return srcs

    def single_input(self, layer):
        srcs = self.inbound(layer)
        if len(srcs) != 1:
            fail(f"{layer['name']} expects one input, has {len(srcs)}")
        return srcs[0]

    def weight(self, name):
        if name not in self.weights:
            fail(f"weight {name} not found")
        if name in self.used:
            fail(f"weight {name} used twice")
        self.used.add(name)
        return self.weights[name].astype(np.float64)

    def init(self, name, arr):
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(arr, dtype=np.float32), name))
        return name

    def out_name(self, layer_name):
        return self.rename.get(layer_name, layer_name)

    def sole_consumer(self, layer_name, cls):
        users = self.consumers[layer_name]
        if len(users) == 1 and self.by_name[users[0]]["class_name"] == cls:
            return self.by_name[users[0]]
        return None

    def alias(self, layer, src):
        """A layer that is the identity at inference time."""
        name = layer["name"]
        if name in self.rename:
            self.nodes.append(helper.make_node("Identity", [self.tensor[src]], [self.out_name(name)], name=name))
            self.tensor[name] = self.out_name(name)
        else:
            self.tensor[name] = self.tensor[src]
        self.shape[name] = self.shape[src]

    def activation(self, layer, tensor, act):
        """Applies a Keras `activation` config value; returns the output tensor name."""
        name = layer["name"]
        if act == "linear":
            return tensor
        out = self.out_name(name)
        if act == "relu":
            self.nodes.append(helper.make_node("Relu", [tensor], [out], name=f"{name}/relu"))
        elif act == "softmax":
            if layer["class_name"] != "Dense":
                fail(f"{name}: softmax activation outside Dense would need a channel-axis remap")
            self.nodes.append(helper.make_node("Softmax", [tensor], [out], name=f"{name}/softmax", axis=-1))
        else:
            fail(f"{name}: activation {act!r} not supported")
        return out

    # ---- layers --------------------------------------------------------
    def input_layer(self, layer):
        check_config(layer, {"batch_input_shape", "sparse", "ragged"}, {"sparse": False})
        if layer["config"].get("ragged"):
            fail("ragged input not supported")
        shape = layer["config"]["batch_input_shape"]
        if len(shape) != 4 or shape[0] is not None or None in shape[1:]:
            fail(f"input shape {shape} not supported (want [null, H, W, C])")
        h, w, c = shape[1:]
        self.graph_input = helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, [BATCH, c, h, w])
        self.tensor[layer["name"]] = INPUT_NAME
        self.shape[layer["name"]] = (c, h, w)

    def zero_padding(self, layer):
        check_config(layer, {"padding", "data_format"}, {"data_format": "channels_last"})
        (top, bottom), (left, right) = layer["config"]["padding"]
        src = self.single_input(layer)
        c, h, w = self.shape[src]
        conv = None
        for cls in ("Conv2D", "DepthwiseConv2D"):
            conv = conv or self.sole_consumer(layer["name"], cls)
        if conv is not None and conv["config"]["padding"] == "valid" and layer["name"] not in self.rename:
            # Zero padding followed by a 'valid' convolution is what Conv's own
            # pads attribute does, so hand the amounts to the convolution.
            self.pending_pads = getattr(self, "pending_pads", {})
            self.pending_pads[conv["name"]] = (top, left, bottom, right)
            self.tensor[layer["name"]] = self.tensor[src]
        else:
            pads = f"{layer['name']}/pads"
            self.inits.append(numpy_helper.from_array(
                np.array([0, 0, top, left, 0, 0, bottom, right], dtype=np.int64), pads))
            self.nodes.append(helper.make_node("Pad", [self.tensor[src], pads], [self.out_name(layer["name"])],
                                               name=layer["name"], mode="constant"))
            self.tensor[layer["name"]] = self.out_name(layer["name"])
        self.shape[layer["name"]] = (c, h + top + bottom, w + left + right)

    def conv(self, layer, depthwise):
        name = layer["name"]
        keys = {"kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation", "use_bias"}
        keys |= {"depth_multiplier"} if depthwise else {"filters"}
        check_config(layer, keys, {"data_format": "channels_last", "padding": ("valid", "same"),
                                   "dilation_rate": [1, 1]})
        cfg = layer["config"]
        src = self.single_input(layer)
        c, h, w = self.shape[src]
        kh, kw = cfg["kernel_size"]
        sh, sw = cfg["strides"]

        if depthwise:
            k = self.weight(f"{name}/depthwise_kernel")  # [kh, kw, C, M]
            mult = cfg["depth_multiplier"]
            if k.shape != (kh, kw, c, mult):
                fail(f"{name}: kernel shape {k.shape} does not match config")
            # Keras output channel c*M + m comes from input channel c, which is
            # exactly the grouped-conv order after [C, M, kh, kw] -> [C*M, 1, kh, kw].
            kernel = k.transpose(2, 3, 0, 1).reshape(c * mult, 1, kh, kw)
            out_c, group = c * mult, c
        else:
            k = self.weight(f"{name}/kernel")  # [kh, kw, Cin, Cout]
            if k.shape != (kh, kw, c, cfg["filters"]):
                fail(f"{name}: kernel shape {k.shape} does not match config")
            kernel = k.transpose(3, 2, 0, 1)
            out_c, group = cfg["filters"], 1
        bias = self.weight(f"{name}/bias") if cfg["use_bias"] else np.zeros(out_c)

        extra = getattr(self, "pending_pads", {}).pop(name, None)
        if extra is not None:
            # The ZeroPadding2D before this 'valid' conv was not emitted: its
            # recorded shape is the padded one, but the tensor is unpadded.
            pt, pl, pb, pr = extra
            h, w = h - pt - pb, w - pl - pr
        elif cfg["padding"] == "same":
            pt, pb = tf_same_pads(h, kh, sh, 1)
            pl, pr = tf_same_pads(w, kw, sw, 1)
        else:
            pt = pl = pb = pr = 0
        out_h = (h + pt + pb - kh) // sh + 1
        out_w = (w + pl + pr - kw) // sw + 1

        # Fold an inference-mode BatchNormalization that only this conv feeds:
        # y = (conv(x) + b - mean) * gamma / sqrt(var + eps) + beta
        # becomes a conv with per-output-channel scaled kernel and a new bias.
        # Folding is done in float64 and rounded once to float32.
        bn = self.sole_consumer(name, "BatchNormalization")
        final = layer
        if bn is not None and cfg["activation"] == "linear":
            scale, shift = self.bn_params(bn, out_c)
            kernel = kernel * scale.reshape(-1, 1, 1, 1)
            bias = bias * scale + shift
            final = bn
            self.done.add(bn["name"])

        out = self.out_name(final["name"]) if cfg["activation"] == "linear" else f"{name}/preact"
        w_name = self.init(f"{final['name']}/W", kernel)
        b_name = self.init(f"{final['name']}/B", bias)
        self.nodes.append(helper.make_node(
            "Conv", [self.tensor[src], w_name, b_name], [out], name=name,
            kernel_shape=[kh, kw], strides=[sh, sw], pads=[pt, pl, pb, pr], dilations=[1, 1], group=group))
        out = self.activation(layer, out, cfg["activation"])
        for l in {layer["name"], final["name"]}:
            self.tensor[l] = out
            self.shape[l] = (out_c, out_h, out_w)

    def bn_params(self, bn, channels):
        """Per-channel (scale, shift) for an inference-mode BatchNormalization."""
        check_config(bn, {"axis", "momentum", "epsilon", "center", "scale"}, {"axis": (-1, 3, [-1], [3])})
        cfg, name = bn["config"], bn["name"]
        gamma = self.weight(f"{name}/gamma") if cfg["scale"] else np.ones(channels)
        beta = self.weight(f"{name}/beta") if cfg["center"] else np.zeros(channels)
        mean = self.weight(f"{name}/moving_mean")
        var = self.weight(f"{name}/moving_variance")
        for arr in (gamma, beta, mean, var):
            if arr.shape != (channels,):
                fail(f"{name}: parameter shape {arr.shape} != ({channels},)")
        if np.any(var + cfg["epsilon"] <= 0):
            fail(f"{name}: non-positive variance + epsilon")
        scale = gamma / np.sqrt(var + cfg["epsilon"])
        return scale, beta - mean * scale

    def batch_norm(self, layer):
        """A BatchNormalization not directly after a convolution."""
        src = self.single_input(layer)
        shape = self.shape[src]
        scale, shift = self.bn_params(layer, shape[0])
        name = layer["name"]
        ins = [self.tensor[src]]
        if len(shape) == 3:
            # Channel is axis 1 in NCHW; broadcast the per-channel terms over H and W.
            scale, shift = scale.reshape(-1, 1, 1), shift.reshape(-1, 1, 1)
        s = self.init(f"{name}/scale", scale)
        b = self.init(f"{name}/shift", shift)
        self.nodes.append(helper.make_node("Mul", ins + [s], [f"{name}/scaled"], name=f"{name}/mul"))
        self.nodes.append(helper.make_node("Add", [f"{name}/scaled", b], [self.out_name(name)], name=f"{name}/add"))
        self.tensor[name] = self.out_name(name)
        self.shape[name] = shape

    def relu(self, layer):
        check_config(layer, {"max_value", "negative_slope", "threshold"},
                     {"negative_slope": (0, 0.0), "threshold": (0, 0.0)})
        src = self.single_input(layer)
        name, out = layer["name"], self.out_name(layer["name"])
        max_value = layer["config"].get("max_value")
        if max_value is None:
            self.nodes.append(helper.make_node("Relu", [self.tensor[src]], [out], name=name))
        else:
            lo = self.scalar_init("relu/min", 0.0)
            hi = self.scalar_init(f"relu/max_{max_value:g}", float(max_value))
            self.nodes.append(helper.make_node("Clip", [self.tensor[src], lo, hi], [out], name=name))
        self.tensor[name] = out
        self.shape[name] = self.shape[src]

    def scalar_init(self, name, value):
        if not any(i.name == name for i in self.inits):
            self.inits.append(numpy_helper.from_array(np.array(value, dtype=np.float32), name))
        return name

    def add(self, layer):
        check_config(layer, set())
        srcs = self.inbound(layer)
        if len(srcs) < 2 or len({self.shape[s] for s in srcs}) != 1:
            fail(f"{layer['name']}: Add needs >=2 inputs of equal shape")
        name, acc = layer["name"], self.tensor[srcs[0]]
        for i, s in enumerate(srcs[1:], 1):
            out = self.out_name(name) if i == len(srcs) - 1 else f"{name}/partial{i}"
            self.nodes.append(helper.make_node("Add", [acc, self.tensor[s]], [out], name=name if i == 1 else f"{name}/{i}"))
            acc = out
        self.tensor[name] = acc
        self.shape[name] = self.shape[srcs[0]]

    def average_pooling(self, layer):
        check_config(layer, {"pool_size", "padding", "strides", "data_format"},
                     {"padding": "valid", "data_format": "channels_last"})
        cfg, name = layer["config"], layer["name"]
        src = self.single_input(layer)
        c, h, w = self.shape[src]
        kh, kw = cfg["pool_size"]
        sh, sw = cfg["strides"] or cfg["pool_size"]
        self.nodes.append(helper.make_node("AveragePool", [self.tensor[src]], [self.out_name(name)], name=name,
                                           kernel_shape=[kh, kw], strides=[sh, sw], pads=[0, 0, 0, 0]))
        self.tensor[name] = self.out_name(name)
        self.shape[name] = (c, (h - kh) // sh + 1, (w - kw) // sw + 1)

    def global_average_pooling(self, layer):
        check_config(layer, {"data_format", "keepdims"}, {"data_format": "channels_last"})
        if layer["config"].get("keepdims"):
            fail(f"{layer['name']}: keepdims=True not supported")
        src, name = self.single_input(layer), layer["name"]
        c = self.shape[src][0]
        self.nodes.append(helper.make_node("ReduceMean", [self.tensor[src]], [self.out_name(name)], name=name,
                                           axes=[2, 3], keepdims=0))
        self.tensor[name] = self.out_name(name)
        self.shape[name] = (c,)

    def flatten(self, layer):
        check_config(layer, {"data_format"}, {"data_format": "channels_last"})
        src, name = self.single_input(layer), layer["name"]
        shape = self.shape[src]
        inp = self.tensor[src]
        if len(shape) == 3 and shape[1] * shape[2] != 1:
            # Keras flattens in H, W, C order; go back to NHWC first so the
            # element order matches the Dense kernel that follows.
            self.nodes.append(helper.make_node("Transpose", [inp], [f"{name}/nhwc"], name=f"{name}/nhwc", perm=[0, 2, 3, 1]))
            inp = f"{name}/nhwc"
        self.nodes.append(helper.make_node("Flatten", [inp], [self.out_name(name)], name=name, axis=1))
        self.tensor[name] = self.out_name(name)
        self.shape[name] = (int(np.prod(shape)),)

    def dense(self, layer):
        check_config(layer, {"units", "activation", "use_bias"})
        cfg, name = layer["config"], layer["name"]
        src = self.single_input(layer)
        if len(self.shape[src]) != 1:
            fail(f"{name}: Dense on a rank>2 tensor not supported")
        k = self.weight(f"{name}/kernel")  # [in, out]
        if k.shape != (self.shape[src][0], cfg["units"]):
            fail(f"{name}: kernel shape {k.shape} does not match input/units")
        b = self.weight(f"{name}/bias") if cfg["use_bias"] else np.zeros(cfg["units"])
        pre = self.out_name(name) if cfg["activation"] == "linear" else f"{name}/preact"
        self.nodes.append(helper.make_node("Gemm", [self.tensor[src], self.init(f"{name}/W", k), self.init(f"{name}/B", b)],
                                           [pre], name=name))
        self.tensor[name] = self.activation(layer, pre, cfg["activation"])
        self.shape[name] = (cfg["units"],)

    def dropout(self, layer):
        check_config(layer, {"rate", "noise_shape", "seed"})
        self.alias(layer, self.single_input(layer))

    def softmax(self, layer):
        check_config(layer, {"axis"}, {"axis": (-1, [-1])})
        src, name = self.single_input(layer), layer["name"]
        if len(self.shape[src]) != 1:
            fail(f"{name}: Softmax over a rank>2 tensor would need an axis remap")
        self.nodes.append(helper.make_node("Softmax", [self.tensor[src]], [self.out_name(name)], name=name, axis=-1))
        self.tensor[name] = self.out_name(name)
        self.shape[name] = self.shape[src]

    # ---- driver --------------------------------------------------------
    def build(self):
        handlers = {
            "InputLayer": self.input_layer,
            "ZeroPadding2D": self.zero_padding,
            "Conv2D": lambda l: self.conv(l, depthwise=False),
            "DepthwiseConv2D": lambda l: self.conv(l, depthwise=True),
            "BatchNormalization": self.batch_norm,
            "ReLU": self.relu,
            "Add": self.add,
            "AveragePooling2D": self.average_pooling,
            "GlobalAveragePooling2D": self.global_average_pooling,
            "Flatten": self.flatten,
            "Dense": self.dense,
            "Dropout": self.dropout,
            "Softmax": self.softmax,
        }
        for layer in self.layers:
            if layer["name"] in self.done:
                continue
            for src in self.inbound(layer):
                if src not in self.tensor:
                    fail(f"{layer['name']} consumes {src} before it is produced")
            handler = handlers.get(layer["class_name"])
            if handler is None:
                fail(f"unknown layer type {layer['class_name']} ({layer['name']})")
            handler(layer)

        if getattr(self, "pending_pads", {}):
            fail(f"padding never consumed: {self.pending_pads}")
        unused = sorted(set(self.weights) - self.used)
        if unused:
            fail(f"weights not used by any layer: {unused}")
        declared = [o[0] for o in self.cfg["output_layers"]]
        if declared != [OUTPUTS[0][0]]:
            fail(f"model outputs {declared}, expected [{OUTPUTS[0][0]}]")

        outputs = []
        for keras, onnx_name, want in OUTPUTS:
            if self.tensor[keras] != onnx_name:
                fail(f"{keras} ended up as tensor {self.tensor[keras]}, not {onnx_name}")
            if tuple(self.shape[keras]) != want:
                fail(f"{keras} has shape {self.shape[keras]}, expected {want}")
            outputs.append(helper.make_tensor_value_info(onnx_name, TensorProto.FLOAT, [BATCH, *want]))

        graph = helper.make_graph(self.nodes, "mobilenet_v2_nsfwjs", [self.graph_input], outputs, self.inits)
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION,
            producer_name="nsfwjs-to-onnx", producer_version="1",
            doc_string="nsfwjs 4.4.0 MobileNetV2 (Keras, TF.js layers format) converted to ONNX; input RGB in [0,1], NCHW 224x224.")
        return model


def main():
    if len(sys.argv) != 3:
        fail("usage: build_onnx.py <extracted dir> <output model.onnx>")
    model = Builder(sys.argv[1]).build()
    onnx.checker.check_model(model, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    dims = {o.name: [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim] for o in inferred.graph.output}
    data = model.SerializeToString(deterministic=True)
    with open(sys.argv[2], "wb") as f:
        f.write(data)
    # Re-check what is on disk, loaded into memory: onnx 1.12's check_model()
    # given a *path* with full_check writes inferred shapes back into the file.
    with open(sys.argv[2], "rb") as f:
        written = f.read()
    if written != data:
        fail("file on disk differs from the serialized model")
    onnx.checker.check_model(onnx.load_from_string(written), full_check=True)
    print(f"wrote {sys.argv[2]}: {len(model.graph.node)} nodes, {len(model.graph.initializer)} initializers, "
          f"{len(data)} bytes; outputs {dims}")


if __name__ == "__main__":
    main()
