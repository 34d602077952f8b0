package dev.embedder.bundle;

import dev.embedder.inference.ModelFile;
import java.nio.file.Path;

/** A manifest together with the place its files are read from. */
public record ModelBundle(BundleManifest manifest, BundleSource source) {

    public String name() {
        return manifest.name();
    }

    public byte[] read(String role) {
        return source.readAll(file(role));
    }

    /**
     * The model as a local file for {@link dev.embedder.inference.OnnxSession}: the bundle's own file when
     * the bundle is a folder on disk, else a temporary copy of the classpath resource (the session deletes
     * it once loaded).
     */
    public ModelFile stageModel() {
        String file = file("model");
        Path local = source.localFile(file);
        if (local != null) {
            return new ModelFile(local, false);
        }
        return source.read(file, in -> ModelFile.copyOf(in, name() + "-" + Path.of(file).getFileName()));
    }

    /** The model file itself when the bundle is a folder on disk, else null (a classpath bundle). */
    public Path localModel() {
        return source.localFile(file("model"));
    }

    /** The model's Dense projections, weights read from each module's model.safetensors. */
    public java.util.List<dev.embedder.pooling.DenseLayer> denseLayers() {
        java.util.List<dev.embedder.pooling.DenseLayer> layers = new java.util.ArrayList<>();
        for (BundleManifest.Dense d : manifest.dense()) {
            String file = d.path() + "/model.safetensors";
            try {
                dev.embedder.inference.SafeTensors weights = new dev.embedder.inference.SafeTensors(source.readAll(file));
                dev.embedder.inference.SafeTensors.Tensor w = weights.get("linear.weight");
                if (w.shape().length != 2 || w.shape()[0] != d.outFeatures() || w.shape()[1] != d.inFeatures()) {
                    throw new IllegalStateException("linear.weight has shape " + java.util.Arrays.toString(w.shape())
                            + ", config.json says [" + d.outFeatures() + ", " + d.inFeatures() + "]");
                }
                float[] bias = d.bias() ? weights.get("linear.bias").data() : null;
                layers.add(new dev.embedder.pooling.DenseLayer(w.data(), bias, d.inFeatures(), d.outFeatures(),
                        "tanh".equals(d.activation())));
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new IllegalStateException(source.describe(file) + ": " + e.getMessage(), e);
            }
        }
        return layers;
    }

    private String file(String role) {
        String file = manifest.file(role);
        if (file == null) {
            throw new IllegalStateException("bundle " + name() + " names no '" + role + "' file");
        }
        return file;
    }
}
