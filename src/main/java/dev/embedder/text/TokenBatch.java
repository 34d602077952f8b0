package dev.embedder.text;

import java.util.List;

/**
 * A padded batch of token sequences, flattened row-major as ONNX Runtime wants them. Padding positions
 * have id 0 and mask 0 (right of each sequence by default, left when the model's tokenizer says so);
 * pooling ignores them through the mask.
 */
public record TokenBatch(long[] inputIds, long[] attentionMask, long[] tokenTypeIds, int size, int sequenceLength) {

    public static TokenBatch pad(List<TokenizedText> texts) {
        return pad(texts, false);
    }

    /** {@code left}: padding before each sequence (decoder embedding models), else after it. */
    public static TokenBatch pad(List<TokenizedText> texts, boolean left) {
        int longest = texts.stream().mapToInt(TokenizedText::length).max().orElse(0);
        int n = texts.size();
        long[] ids = new long[n * longest];
        long[] mask = new long[n * longest];
        long[] types = new long[n * longest];
        for (int i = 0; i < n; i++) {
            TokenizedText text = texts.get(i);
            int offset = i * longest + (left ? longest - text.length() : 0);
            System.arraycopy(text.ids(), 0, ids, offset, text.length());
            System.arraycopy(text.typeIds(), 0, types, offset, text.length());
            java.util.Arrays.fill(mask, offset, offset + text.length(), 1L);
        }
        return new TokenBatch(ids, mask, types, n, longest);
    }

    /**
     * Position ids as transformers computes them for a padded batch: 0 at each row's first real token,
     * counting real tokens only (padding positions get 0; they are masked anyway).
     */
    public long[] positionIds() {
        long[] positions = new long[attentionMask.length];
        for (int b = 0; b < size; b++) {
            long next = 0;
            for (int t = 0; t < sequenceLength; t++) {
                int i = b * sequenceLength + t;
                positions[i] = attentionMask[i] != 0 ? next++ : 0;
            }
        }
        return positions;
    }

    public long[] shape() {
        return new long[] {size, sequenceLength};
    }
}
