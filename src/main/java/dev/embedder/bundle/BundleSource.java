package dev.embedder.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where one bundle's files live: a folder on disk (a user's own export) or a classpath folder (the
 * bundles built into the artifact, which in a Lambda zip or a native image are not plain files).
 */
public sealed interface BundleSource {

    /** Opens a file of the bundle, or returns {@code null} when it does not exist. */
    InputStream open(String file) throws IOException;

    String describe(String file);

    /** The file as a plain local file, when it is one (a bundle folder on disk), else null. */
    default Path localFile(String file) {
        return null;
    }

    default byte[] readAll(String file) {
        return read(file, InputStream::readAllBytes);
    }

    /** What reads a bundle file's stream. */
    @FunctionalInterface
    interface StreamReader<T> {
        T read(InputStream in) throws IOException;
    }

    /**
     * Opens a file of the bundle, hands its stream to {@code reader} and closes it; a missing file or a
     * failed read is reported with the file's place.
     */
    default <T> T read(String file, StreamReader<T> reader) {
        try (InputStream in = open(file)) {
            if (in == null) {
                throw new IllegalStateException("bundle file not found: " + describe(file));
            }
            return reader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundle file " + describe(file), e);
        }
    }

    record Directory(Path dir) implements BundleSource {
        @Override
        public InputStream open(String file) throws IOException {
            Path path = dir.resolve(file);
            return Files.isRegularFile(path) ? Files.newInputStream(path) : null;
        }

        @Override
        public String describe(String file) {
            return dir.resolve(file).toString();
        }

        @Override
        public Path localFile(String file) {
            Path path = dir.resolve(file);
            return Files.isRegularFile(path) ? path : null;
        }
    }

    record Classpath(String folder) implements BundleSource {
        @Override
        public InputStream open(String file) {
            return Thread.currentThread().getContextClassLoader().getResourceAsStream(folder + "/" + file);
        }

        @Override
        public String describe(String file) {
            return "classpath:" + folder + "/" + file;
        }
    }
}
