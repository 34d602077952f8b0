package dev.embedder.text;

/**
 * One text after tokenization, special tokens included.
 *
 * @param truncated true when the text was longer than the model's limit and was cut
 */
public record TokenizedText(long[] ids, long[] typeIds, boolean truncated) {
    public int length() {
        return ids.length;
    }
}
