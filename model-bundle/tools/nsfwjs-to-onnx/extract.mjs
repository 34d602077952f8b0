// Usage: node extract.mjs <dir with model.min.js + shards> <output dir>
// Writes topology.json (Keras model config), weights.json (name/shape/offset
// index) and weights.bin (little-endian float32, dequantized) for build_onnx.py.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadBundle, dequantize } from './tfjs_bundle.mjs';

const [modelDir, outDir] = process.argv.slice(2);
if (!modelDir || !outDir) {
  console.error('usage: node extract.mjs <modelDir> <outDir>');
  process.exit(2);
}
if (os.endianness() !== 'LE') throw new Error('weights.bin is written in host byte order; expected little-endian');

const bundle = loadBundle(modelDir);
const tensors = dequantize(bundle.weightsManifest, bundle.weightData);
fs.mkdirSync(outDir, { recursive: true });

const index = [];
const parts = [];
let offset = 0;
for (const t of tensors) {
  const bytes = Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength);
  index.push({ name: t.name, shape: t.shape, offset, length: t.values.length });
  parts.push(bytes);
  offset += bytes.length;
}
fs.writeFileSync(path.join(outDir, 'weights.bin'), Buffer.concat(parts));
fs.writeFileSync(path.join(outDir, 'weights.json'), JSON.stringify(index, null, 1));
fs.writeFileSync(path.join(outDir, 'topology.json'), JSON.stringify(bundle.modelTopology, null, 1));
console.log(`extracted ${tensors.length} tensors (${offset} bytes of float32) to ${outDir}`);
