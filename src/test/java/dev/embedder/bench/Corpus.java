package dev.embedder.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** The committed benchmark corpus, read from the test classpath: one sentence per line. */
public final class Corpus {

    static final String RESOURCE = "bench/corpus.txt";

    private Corpus() {}

    public static List<String> load() {
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
