package dev.embedder.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the committed corpus reproducible: it must be exactly what the generator writes, so a reader
 * can trust the benchmark input without reading 1,200 lines.
 */
class CorpusGeneratorTest {

    @Test
    void committedCorpusIsTheGeneratorOutput() {
        List<String> generated = new CorpusGenerator().generate(CorpusGenerator.SENTENCES);
        List<String> committed = Corpus.load();
        assertEquals(generated.size(), committed.size(), "sentence count; regenerate with CorpusGenerator.main");
        for (int i = 0; i < generated.size(); i++) {
            assertEquals(generated.get(i), committed.get(i), "line " + (i + 1) + "; regenerate with CorpusGenerator.main");
        }
    }

    @Test
    void lengthsAreSpreadFromShortToLong() {
        List<String> corpus = Corpus.load();
        int shortest = corpus.stream().mapToInt(CorpusGenerator::wordCount).min().orElseThrow();
        int longest = corpus.stream().mapToInt(CorpusGenerator::wordCount).max().orElseThrow();
        assertTrue(corpus.size() >= 1000, "at least 1,000 sentences");
        assertTrue(shortest <= 4, "some chat-sized lines, shortest has " + shortest + " words");
        assertTrue(longest >= 100 && longest <= CorpusGenerator.MAX_WORDS, "a long tail, longest has " + longest);
        assertTrue(corpus.stream().anyMatch(s -> s.chars().anyMatch(c -> c > 127)), "some non-ASCII text");
        assertTrue(corpus.stream().anyMatch(s -> s.matches(".*\\d.*")), "some numbers");
    }
}
