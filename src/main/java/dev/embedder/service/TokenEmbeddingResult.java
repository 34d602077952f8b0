package dev.embedder.service;

import java.util.List;

/** Per-token vectors ({@code [tokens][dimension]} per input, in input order) with the usage that produced them. */
public record TokenEmbeddingResult(String model, int dimension, List<float[][]> tokens, Usage usage) {}
