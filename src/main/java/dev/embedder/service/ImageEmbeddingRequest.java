package dev.embedder.service;

import java.util.List;

/**
 * An image embedding request: encoded image bytes (JPEG, PNG, GIF, BMP, WebP), already taken out of
 * their transport encoding (base64, data URI, S3 object) by the adapter.
 */
public record ImageEmbeddingRequest(String model, List<byte[]> images, PoolingOverrides pooling, Integer dimensions) {}
