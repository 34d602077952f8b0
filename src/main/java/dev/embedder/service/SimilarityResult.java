package dev.embedder.service;

/** Cosine similarity of a source sentence to each of the other sentences, in their order. */
public record SimilarityResult(String model, float[] scores, Usage usage) {}
