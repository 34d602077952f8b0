package dev.embedder.bundle;

/** A manifest together with the place its files are read from. */
public record ModelBundle(BundleManifest manifest, BundleSource source) {

    public String name() {
        return manifest.name();
    }

    public byte[] read(String role) {
        String file = manifest.file(role);
        if (file == null) {
            throw new IllegalStateException("bundle " + name() + " names no '" + role + "' file");
        }
        return source.readAll(file);
    }
}
