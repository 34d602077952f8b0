package dev.embedder.text;

import java.util.List;

/**
 * A right-padded batch of token sequences, flattened row-major as ONNX Runtime wants them.
 * Padding positions have id 0 and mask 0; pooling ignores them through the mask.
 */
public record TokenBatch(long[] inputIds, long[] attentionMask, long[] tokenTypeIds, int size, int sequenceLength) {

    public static TokenBatch pad(List<TokenizedText> texts) {
        int longest = texts.stream().mapToInt(TokenizedText::length).max().orElse(0);
        int n = texts.size();
        long[] ids = new long[n * longest];
        long[] mask = new long[n * longest];
        long[] types = new long[n * longest];
        for (int i = 0; i < n; i++) {
            TokenizedText text = texts.get(i);
            int offset = i * longest;
            System.arraycopy(text.ids(), 0, ids, offset, text.length());
            System.arraycopy(text.typeIds(), 0, types, offset, text.length());
            java.util.Arrays.fill(mask, offset, offset + text.length(), 1L);
        }
        return new TokenBatch(ids, mask, types, n, longest);
    }

    public long[] shape() {
        return new long[] {size, sequenceLength};
    }
}
