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

    private String file(String role) {
        String file = manifest.file(role);
        if (file == null) {
            throw new IllegalStateException("bundle " + name() + " names no '" + role + "' file");
        }
        return file;
    }
}
