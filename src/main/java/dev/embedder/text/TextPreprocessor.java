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

    /** Full encoding of one text, for the {@code /tokenize} route. */
    public Encoding encode(String text, boolean addSpecialTokens) {
        return tokenizer.encode(text, addSpecialTokens, false);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
