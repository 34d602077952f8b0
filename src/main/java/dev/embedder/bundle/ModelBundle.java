package dev.embedder.bundle;

/** A manifest together with the place its files are read from. */
public record ModelBundle(BundleManifest manifest, BundleSource source) {

    public String name() {
        return manifest.name();
    }

    /** Room left after a staged model for the few bytes that expose hidden states as outputs. */
    static final int MODEL_SPARE_BYTES = 64 * 1024;

    public byte[] read(String role) {
        return source.readAll(file(role));
    }

    /**
     * The model file staged off-heap for {@link dev.embedder.inference.OnnxSession}, which takes ownership
     * of the buffer and frees it once the session exists.
     */
    public java.nio.ByteBuffer readModel() {
        return source.readDirect(file("model"), MODEL_SPARE_BYTES);
    }

    private String file(String role) {
        String file = manifest.file(role);
        if (file == null) {
            throw new IllegalStateException("bundle " + name() + " names no '" + role + "' file");
        }
        return file;
    }
}
