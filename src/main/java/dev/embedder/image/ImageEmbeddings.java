package dev.embedder.image;

import java.util.List;

/** Vectors for a list of images, in the caller's order. */
public record ImageEmbeddings(List<float[]> vectors) {}
