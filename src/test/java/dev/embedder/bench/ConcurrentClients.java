package dev.embedder.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Simulated callers: each thread takes the next request-sized slice of the corpus until none is left. */
final class ConcurrentClients {

    interface Request {
        void send(int start, List<String> texts) throws Exception;
    }

    private ConcurrentClients() {}

    static void run(List<String> corpus, int requestSize, int clients, Request request) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    int start;
                    while ((start = next.getAndAdd(requestSize)) < corpus.size()) {
                        request.send(start, corpus.subList(start, Math.min(corpus.size(), start + requestSize)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
