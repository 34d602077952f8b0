package dev.embedder.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
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

    /** The file's size in bytes when it can be known without reading it, else -1. */
    long size(String file) throws IOException;

    /**
     * Reads a file into a direct buffer with {@code spare} bytes of room after it (limit = file size):
     * a model goes to ONNX Runtime from there without ever being on the Java heap. Falls back to a heap
     * read and one copy when the size is not known up front.
     */
    default ByteBuffer readDirect(String file, int spare) {
        try {
            long size = size(file);
            if (size < 0) {
                byte[] bytes = readAll(file);
                return ByteBuffer.allocateDirect(bytes.length + spare).order(ByteOrder.nativeOrder()).put(bytes).flip();
            }
            if (size > Integer.MAX_VALUE - spare) {
                throw new IllegalStateException("bundle file too large for one buffer: " + describe(file));
            }
            ByteBuffer buffer = ByteBuffer.allocateDirect((int) size + spare).order(ByteOrder.nativeOrder());
            buffer.limit((int) size);
            InputStream in = open(file);
            if (in == null) {
                throw new IllegalStateException("bundle file not found: " + describe(file));
            }
            try (in; ReadableByteChannel channel = Channels.newChannel(in)) {
                while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                    // fill
                }
                if (buffer.hasRemaining() || in.read() >= 0) {
                    throw new IllegalStateException("bundle file changed size while being read: " + describe(file));
                }
            }
            return buffer.flip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundle file " + describe(file), e);
        }
    }

    default byte[] readAll(String file) {
        try (InputStream in = open(file)) {
            if (in == null) {
                throw new IllegalStateException("bundle file not found: " + describe(file));
            }
            return in.readAllBytes();
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
        public long size(String file) throws IOException {
            Path path = dir.resolve(file);
            return Files.isRegularFile(path) ? Files.size(path) : -1;
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

        /** A jar entry's connection reports the uncompressed size from the jar's directory. */
        @Override
        public long size(String file) throws IOException {
            URL url = Thread.currentThread().getContextClassLoader().getResource(folder + "/" + file);
            if (url == null) {
                return -1;
            }
            URLConnection connection = url.openConnection();
            connection.setUseCaches(false);
            return connection.getContentLengthLong();
        }
    }
}
