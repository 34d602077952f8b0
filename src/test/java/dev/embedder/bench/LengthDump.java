package dev.embedder.bench;

import dev.embedder.text.TokenizedText;
import java.util.List;

/** Prints the token length of every corpus text (one per line), for offline batching simulations. */
public final class LengthDump {
    private LengthDump() {
    }

    public static void main(String[] args) throws Exception {
        List<String> texts = Corpus.load();
        try (ServicePath path = new ServicePath("all-minilm-l6-v2", 1, 32)) {
            for (TokenizedText t : path.embedder().tokenize(texts, true)) {
                System.out.println(t.length());
            }
        }
    }
}
