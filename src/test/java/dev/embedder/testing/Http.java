package dev.embedder.testing;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * RestAssured aimed at the HTTP server. In a {@code @QuarkusTest} with the Lambda extension, RestAssured's
 * default port is the mock Lambda event server, so HTTP route tests must name the HTTP port.
 */
public final class Http {

    private Http() {}

    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    public static RequestSpecification http() {
        return RestAssured.given().port(port()).contentType(ContentType.JSON);
    }

    /** A request to the mock Lambda event server: the body is the event, the response the function's result. */
    public static RequestSpecification lambda() {
        int port = ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
        return RestAssured.given().port(port).contentType(ContentType.JSON);
    }
}
