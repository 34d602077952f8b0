// Reads the model files nsfwjs ships as JavaScript (UMD wrappers around a JSON
// object and a base64 string) without importing nsfwjs or TF.js, so that the
// conversion step depends on nothing but Node itself.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

// Bytes per stored element for the dtypes a TF.js weights manifest may use.
const STORED_BYTES = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2, bool: 1 };

// Evaluates one UMD file in an empty context that only offers the CommonJS
// `module`/`exports` pair the wrapper looks for: it gets no require, fs or
// process, so the file can do nothing but hand back its value.
function evaluateUmd(file) {
  const source = fs.readFileSync(file, 'utf8');
  const module = { exports: {} };
  const sandbox = vm.createContext({ module, exports: module.exports });
  vm.runInContext(source, sandbox, { filename: path.basename(file), timeout: 60000 });
  return module.exports;
}

// Returns { modelTopology, weightsManifest, weightData: ArrayBuffer } exactly as
// a model.json + binary shards would give them to TF.js.
export function loadBundle(modelDir) {
  // Round-trip through JSON: objects made inside the vm context belong to
  // another realm (`instanceof Array` is false there, which TF.js relies on),
  // and this also guarantees the result is plain data.
  const model = JSON.parse(JSON.stringify(evaluateUmd(path.join(modelDir, 'model.min.js'))));
  if (!model || typeof model !== 'object' || !model.modelTopology || !Array.isArray(model.weightsManifest)) {
    throw new Error('model.min.js did not export {modelTopology, weightsManifest}');
  }
  const buffers = [];
  for (const group of model.weightsManifest) {
    for (const shardPath of group.paths) {
      const b64 = evaluateUmd(path.join(modelDir, `${shardPath}.min.js`));
      if (typeof b64 !== 'string') throw new Error(`${shardPath}.min.js did not export a base64 string`);
      buffers.push(Buffer.from(b64, 'base64'));
    }
  }
  const all = Buffer.concat(buffers);
  // Copy into a fresh ArrayBuffer: Buffer slices may share a larger pool.
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);

  const expected = weightSpecs(model.weightsManifest).reduce((sum, spec) => {
    const dtype = spec.quantization ? spec.quantization.dtype : spec.dtype;
    if (!(dtype in STORED_BYTES)) throw new Error(`unknown stored dtype ${dtype} for ${spec.name}`);
    return sum + elementCount(spec.shape) * STORED_BYTES[dtype];
  }, 0);
  if (expected !== weightData.byteLength) {
    throw new Error(`weight shards hold ${weightData.byteLength} bytes but the manifest describes ${expected}`);
  }
  return { modelTopology: model.modelTopology, weightsManifest: model.weightsManifest, weightData };
}

export function weightSpecs(manifest) {
  return manifest.flatMap((group) => group.weights);
}

export function elementCount(shape) {
  return shape.reduce((a, b) => a * b, 1);
}

// Expands every tensor to float32 the same way TF.js does when it loads a
// quantized manifest (q * scale + min evaluated in double precision, then
// stored into a Float32Array), so the ONNX weights equal what TF.js runs with.
export function dequantize(manifest, weightData) {
  const tensors = [];
  let offset = 0;
  for (const spec of weightSpecs(manifest)) {
    const n = elementCount(spec.shape);
    if (spec.dtype !== 'float32') throw new Error(`unsupported weight dtype ${spec.dtype} for ${spec.name}`);
    const q = spec.quantization;
    let values;
    if (!q) {
      values = new Float32Array(weightData.slice(offset, offset + 4 * n));
      offset += 4 * n;
    } else if (q.dtype === 'uint8' || q.dtype === 'uint16') {
      if (typeof q.min !== 'number' || typeof q.scale !== 'number') {
        throw new Error(`${spec.name}: ${q.dtype} quantization without min/scale`);
      }
      const width = STORED_BYTES[q.dtype];
      const raw = weightData.slice(offset, offset + width * n);
      const stored = q.dtype === 'uint8' ? new Uint8Array(raw) : new Uint16Array(raw);
      values = new Float32Array(n);
      for (let i = 0; i < n; i++) values[i] = stored[i] * q.scale + q.min;
      offset += width * n;
    } else {
      throw new Error(`${spec.name}: unsupported quantization dtype ${q.dtype}`);
    }
    tensors.push({ name: spec.name, shape: spec.shape, values });
  }
  if (offset !== weightData.byteLength) throw new Error('weight data not fully consumed');
  return tensors;
}
