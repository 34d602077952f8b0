package dev.embedder.api.rest;

/** One token as TEI's /tokenize returns it; start/stop are character offsets, null for special tokens. */
public record TeiToken(long id, String text, boolean special, Integer start, Integer stop) {}
