package dev.embedder.text;

import java.util.List;

/**
 * Vectors for a list of texts, in the caller's order.
 *
 * @param tokenCounts tokens each text was embedded with (after truncation, special tokens included)
 * @param truncated   how many texts were cut to the model's limit
 */
public record TextEmbeddings(List<float[]> vectors, int[] tokenCounts, int truncated) {
    public int totalTokens() {
        int sum = 0;
        for (int c : tokenCounts) {
            sum += c;
        }
        return sum;
    }
}
