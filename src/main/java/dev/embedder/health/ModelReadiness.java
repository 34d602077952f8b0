package dev.embedder.health;

import dev.embedder.service.ModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** UP once every configured bundle's session is open; DOWN with the reason while loading or after a failure. */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    private final ModelRegistry registry;

    public ModelReadiness(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("models");
        if (registry.isReady()) {
            return builder.up().withData("loaded", String.join(",", registry.names())).build();
        }
        return builder.down().withData("reason", registry.failure().orElse("loading")).build();
    }
}
