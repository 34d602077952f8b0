package dev.embedder.service;

/** Token accounting of one request, special tokens included, after truncation. */
public record Usage(int promptTokens, int totalTokens, int truncatedInputs) {}
