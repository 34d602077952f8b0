package dev.embedder.inference;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A model file on local disk for ONNX Runtime to load by path, either the bundle's own file or a temporary
 * copy (of a classpath resource, or of a file that needs outputs appended) that is deleted once the session
 * exists.
 *
 * <p>Why a file rather than bytes: ONNX Runtime parses a file as a stream, whereas a byte array or buffer
 * must be held whole beside ORT's own copy while it parses. Measured on all-MiniLM-L6-v2 (90 MB): loading by
 * path raised the process's peak RSS by 141 MB and took 168-207 ms; from a direct buffer, +227 MB and
 * 326-339 ms (read included). A direct buffer would also count against -XX:MaxDirectMemorySize, which
 * defaults to the heap size and so fails outright for a 90 MB model under a small -Xmx.
 */
public record ModelFile(Path path, boolean temporary) {

    /** Copies a stream (a classpath resource, say) to a temporary file. */
    public static ModelFile copyOf(InputStream in, String name) {
        Path file = null;
        try {
            file = createTemp(name);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return new ModelFile(file, true);
        } catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException("cannot stage model " + name + " in " + tempDir()
                    + " (java.io.tmpdir must be writable)", e);
        }
    }

    /** Writes bytes to a temporary file (tests and tools that hold a model in memory). */
    public static ModelFile copyOf(byte[] model) {
        return copyOf(new java.io.ByteArrayInputStream(model), "model.onnx");
    }

    /** A temporary copy of this file that may be modified. */
    ModelFile writableCopy() {
        Path file = null;
        try {
            file = createTemp(path.getFileName().toString());
            Files.copy(path, file, StandardCopyOption.REPLACE_EXISTING);
            return new ModelFile(file, true);
        } catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException("cannot copy model " + path + " to " + tempDir(), e);
        }
    }

    /**
     * A temporary copy that may be modified, placed where ONNX Runtime finds the model's external data files
     * ({@code model.onnx_data}, named relative to the model; ONNX Runtime resolves links and refuses data outside
     * the model's folder): beside the original when its folder is writable, else in a temporary folder of its own
     * with the data files hard-linked (or, across file systems, copied) next to it.
     */
    ModelFile writableCopy(java.util.Collection<String> externalData) {
        if (externalData.isEmpty()) {
            return writableCopy();
        }
        Path folder = path.toAbsolutePath().getParent();
        try {
            Path beside = Files.createTempFile(folder, ".embedder-", "-" + path.getFileName());
            Files.copy(path, beside, StandardCopyOption.REPLACE_EXISTING);
            return new ModelFile(beside, true);
        } catch (IOException | UnsupportedOperationException e) {
            // read-only model folder (a container image, a shared cache): stage elsewhere
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory(tempDir(), EXTERNAL_DIR_PREFIX);
            Path file = dir.resolve(path.getFileName().toString());
            Files.copy(path, file, StandardCopyOption.REPLACE_EXISTING);
            for (String data : externalData) {
                Path source = folder.resolve(data).normalize();
                Path link = dir.resolve(data).normalize();
                if (!link.startsWith(dir) || !Files.isRegularFile(source)) {
                    throw new IOException("external data file " + data + " of " + path + " is missing or outside its folder");
                }
                Files.createDirectories(link.getParent());
                try {
                    Files.createLink(link, source.toRealPath());
                } catch (UnsupportedOperationException | IOException e) {
                    Files.copy(source, link, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return new ModelFile(file, true);
        } catch (IOException e) {
            if (dir != null) {
                deleteTree(dir);
            }
            throw new UncheckedIOException("cannot stage model " + path + " with its external data in " + tempDir(), e);
        }
    }

    private static final String EXTERNAL_DIR_PREFIX = "embedder-model-";

    /** Deletes the file if it is a temporary copy; the bundle's own file is never touched. */
    public void discard() {
        if (temporary) {
            deleteQuietly(path);
            Path parent = path.getParent();
            if (parent != null && parent.getFileName() != null
                    && parent.getFileName().toString().startsWith(EXTERNAL_DIR_PREFIX)) {
                deleteTree(parent);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(ModelFile::deleteQuietly);
        } catch (IOException e) {
            // best effort: a leftover temporary folder is harmless
        }
    }

    private static Path createTemp(String name) throws IOException {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return Files.createTempFile(tempDir(), "embedder-", "-" + safe);
    }

    private static Path tempDir() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless; the session is what matters
        }
    }
}
