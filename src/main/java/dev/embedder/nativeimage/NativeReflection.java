package dev.embedder.nativeimage;

import dev.embedder.bundle.BundleManifest;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types that Jackson binds outside of a REST or Funqy signature, which Quarkus therefore cannot discover:
 * the bundle manifest (a record, read by {@code BundleLoader}'s own ObjectMapper). Without this a native
 * executable finds no constructor for it and every bundle fails to load.
 */
@RegisterForReflection(targets = {BundleManifest.class, BundleManifest.Pooling.class})
final class NativeReflection {
    private NativeReflection() {
    }
}
