package dev.embedder.service;

import java.util.List;

/** Vectors in the order of the request's inputs, with the model and token usage that produced them. */
public record EmbeddingResult(String model, int dimension, List<float[]> vectors, Usage usage) {}
