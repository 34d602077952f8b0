package dev.embedder.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness is deliberately independent of the models: a pod whose model failed to load should be
 * reported not-ready (and kept for its logs), not restarted in a loop.
 */
@Liveness
@ApplicationScoped
public class ProcessLiveness implements HealthCheck {
    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.up("process");
    }
}
