package dev.embedder.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Feature extraction for text: the bundle's {@code tokenizer.json} run by the Hugging Face Rust
 * tokenizers (through DJL), truncated to the bundle's {@code maxTokens} the way sentence-transformers
 * does it: [CLS] + the first word pieces + [SEP]. Padding is left to {@link TokenBatch}, per
 * micro-batch, so that sorting by length can keep it small.
 */
public final class TextPreprocessor implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    /** The same tokenizer without truncation, for left truncation, which the Rust library's options here lack. */
    private final HuggingFaceTokenizer untruncated;
    private final int maxTokens;

    public TextPreprocessor(byte[] tokenizerJson, int maxTokens) {
        this.maxTokens = maxTokens;
        try {
            // The tokenizer.json of an export may carry its own truncation/padding block (the MiniLM one
            // says 128, fixed padding); the bundle manifest is the single source of the limit.
            this.tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), Map.of(
                    "truncation", "true",
                    "maxLength", Integer.toString(maxTokens),
                    "padding", "false"));
            this.untruncated = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), Map.of(
                    "truncation", "false",
                    "padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer.json", e);
        }
    }

    public int maxTokens() {
        return maxTokens;
    }

    public List<TokenizedText> tokenize(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        List<TokenizedText> out = new ArrayList<>(encodings.length);
        for (Encoding e : encodings) {
            out.add(new TokenizedText(e.getIds(), e.getTypeIds(), e.exceedMaxLength()));
        }
        return out;
    }

    /**
     * Tokenizes with the given truncation side. Left keeps the leading and trailing special tokens and the last
     * word pieces that fit between them, as the Rust tokenizers' left truncation does.
     */
    public List<TokenizedText> tokenize(List<String> texts, TruncationDirection direction) {
        if (direction != TruncationDirection.LEFT) {
            return tokenize(texts);
        }
        Encoding[] encodings = untruncated.batchEncode(texts);
        List<TokenizedText> out = new ArrayList<>(encodings.length);
        for (Encoding e : encodings) {
            out.add(keepEnd(e.getIds(), e.getTypeIds(), e.getSpecialTokenMask()));
        }
        return out;
    }

    private TokenizedText keepEnd(long[] ids, long[] types, long[] special) {
        int n = ids.length;
        if (n <= maxTokens) {
            return new TokenizedText(ids, types, false);
        }
        int prefix = 0;
        while (prefix < n && special[prefix] == 1) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < n - prefix && special[n - 1 - suffix] == 1) {
            suffix++;
        }
        int keep = Math.max(0, maxTokens - prefix - suffix);
        long[] cutIds = new long[prefix + keep + suffix];
        long[] cutTypes = new long[cutIds.length];
        int from = n - suffix - keep;
        System.arraycopy(ids, 0, cutIds, 0, prefix);
        System.arraycopy(ids, from, cutIds, prefix, keep + suffix);
        System.arraycopy(types, 0, cutTypes, 0, prefix);
        System.arraycopy(types, from, cutTypes, prefix, keep + suffix);
        return new TokenizedText(cutIds, cutTypes, true);
    }

    /** Full encoding of one text, for the {@code /tokenize} route. */
    public Encoding encode(String text, boolean addSpecialTokens) {
        return tokenizer.encode(text, addSpecialTokens, false);
    }

    @Override
    public void close() {
        tokenizer.close();
        untruncated.close();
    }
}
