package dev.embedder.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark corpus, one sentence per line: the file named by {@code -Dembedder.bench.corpus} (run-all.sh
 * passes the shared corpus, ../shared/bench/corpus.txt, when it exists), else the committed one on the test
 * classpath.
 */
public final class Corpus {

    static final String RESOURCE = "bench/corpus.txt";
    static final String PROPERTY = "embedder.bench.corpus";

    private Corpus() {}

    /** Where {@link #load} reads from, for reports. */
    public static String source() {
        String file = System.getProperty(PROPERTY, "");
        return file.isBlank() ? "classpath:" + RESOURCE : file;
    }

    public static List<String> load() {
        String file = System.getProperty(PROPERTY, "");
        if (!file.isBlank()) {
            try {
                return java.nio.file.Files.readAllLines(java.nio.file.Path.of(file), StandardCharsets.UTF_8).stream()
                        .filter(line -> !line.isBlank()).toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the corpus " + file, e);
            }
        }
        try (InputStream in = Corpus.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test classpath; run test-compile first");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(text.split("\n")).filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
