package dev.embedder.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SAM template is only ever deployed by hand (no AWS account in CI), so this pins what it must say:
 * which function is which, how each runs, what triggers embed-s3, and that its role can do nothing beyond
 * reading the upload prefix and writing the output prefix. The template uses long-form intrinsics only, so a
 * plain YAML parser reads it. Function-level values override Globals, as in SAM.
 */
class SamTemplateTest {

    private static final Path TEMPLATE = Path.of("infra", "sam", "template.yaml");
    private static final String JVM_HANDLER = "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest";

    private static JsonNode template;

    @BeforeAll
    static void parse() throws IOException {
        assertTrue(Files.isRegularFile(TEMPLATE), "run from the project root: " + TEMPLATE.toAbsolutePath());
        template = new ObjectMapper(new YAMLFactory()).readTree(TEMPLATE.toFile());
    }

    private static JsonNode globals() {
        return template.path("Globals").path("Function");
    }

    private static JsonNode function(String logicalId) {
        JsonNode resource = template.path("Resources").path(logicalId);
        assertEquals("AWS::Serverless::Function", resource.path("Type").asText(), logicalId);
        return resource.path("Properties");
    }

    /** A function's property, falling back to Globals as SAM does. */
    private static JsonNode property(String logicalId, String name) {
        JsonNode own = function(logicalId).path(name);
        return own.isMissingNode() ? globals().path(name) : own;
    }

    private static String env(String logicalId, String variable) {
        JsonNode own = function(logicalId).path("Environment").path("Variables").path(variable);
        return own.isMissingNode() ? globals().path("Environment").path("Variables").path(variable).asText(null)
                : own.isTextual() ? own.asText() : own.toString();
    }

    /** {"Fn::If": [condition, whenTrue, whenFalse]} -> [whenTrue, whenFalse], checking the condition name. */
    private static List<JsonNode> ifJvm(JsonNode node) {
        JsonNode args = node.path("Fn::If");
        assertTrue(args.isArray() && args.size() == 3, "expected Fn::If on IsJvm, got " + node);
        assertEquals("IsJvm", args.get(0).asText());
        return List.of(args.get(1), args.get(2));
    }

    @Test
    void usesNoShortFormTags() throws IOException {
        // !Ref/!Sub would be custom tags that this and other plain parsers silently misread.
        String text = Files.readString(TEMPLATE);
        for (String line : text.split("\n")) {
            String code = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            assertFalse(code.matches(".*(^|\\s)!\\w.*"), "short-form intrinsic in: " + line);
        }
        assertEquals("AWS::Serverless-2016-10-31", template.path("Transform").asText());
    }

    @Test
    void bothFunctionsExportTheirFunqyFunction() {
        assertEquals("embeddings", env("EmbeddingsFunction", "QUARKUS_FUNQY_EXPORT"));
        assertEquals("embed-s3", env("EmbedS3Function", "QUARKUS_FUNQY_EXPORT"));
        for (String fn : List.of("EmbeddingsFunction", "EmbedS3Function")) {
            assertEquals("../../target/function.zip", property(fn, "CodeUri").asText(), fn);
            assertEquals("true", env(fn, "OPT_OUT_TRACKING"), fn);
        }
    }

    @Test
    void jvmVariantIsJava21WithSnapStartAndNativeIsProvidedAl2023() {
        JsonNode variant = template.path("Parameters").path("Variant");
        assertEquals("jvm", variant.path("Default").asText());
        assertEquals(List.of("jvm", "native"), List.of(variant.path("AllowedValues").get(0).asText(),
                variant.path("AllowedValues").get(1).asText()));
        JsonNode isJvm = template.path("Conditions").path("IsJvm").path("Fn::Equals");
        assertEquals("Variant", isJvm.get(0).path("Ref").asText());
        assertEquals("jvm", isJvm.get(1).asText());

        for (String fn : List.of("EmbeddingsFunction", "EmbedS3Function")) {
            List<JsonNode> runtime = ifJvm(property(fn, "Runtime"));
            assertEquals("java21", runtime.get(0).asText(), fn);
            assertEquals("provided.al2023", runtime.get(1).asText(), fn);
            assertEquals(JVM_HANDLER, ifJvm(property(fn, "Handler")).get(0).asText(), fn);

            List<JsonNode> snapStart = ifJvm(property(fn, "SnapStart"));
            assertEquals("PublishedVersions", snapStart.get(0).path("ApplyOn").asText(), fn);
            assertEquals("AWS::NoValue", snapStart.get(1).path("Ref").asText(), fn);
            // SnapStart only applies to published versions, which AutoPublishAlias creates.
            assertFalse(property(fn, "AutoPublishAlias").asText().isBlank(), fn);
        }
    }

    @Test
    void memoryTimeoutAndStorageAreSet() {
        for (String fn : List.of("EmbeddingsFunction", "EmbedS3Function")) {
            int memory = property(fn, "MemorySize").asInt();
            int timeout = property(fn, "Timeout").asInt();
            assertTrue(memory >= 1024 && memory <= 10240, fn + " MemorySize " + memory);
            assertTrue(timeout >= 10 && timeout <= 900, fn + " Timeout " + timeout);
            assertTrue(property(fn, "EphemeralStorage").path("Size").asInt() >= 512, fn);
        }
    }

    @Test
    void embedS3IsTriggeredByUploadsUnderThePrefixWithTheSuffix() {
        JsonNode events = function("EmbedS3Function").path("Events");
        assertEquals(1, events.size());
        JsonNode event = events.elements().next();
        assertEquals("S3", event.path("Type").asText());
        JsonNode props = event.path("Properties");
        assertEquals("InputBucket", props.path("Bucket").path("Ref").asText());
        assertEquals("AWS::S3::Bucket", template.path("Resources").path("InputBucket").path("Type").asText());
        assertEquals("InputBucketName",
                template.path("Resources").path("InputBucket").path("Properties").path("BucketName").path("Ref").asText());
        assertEquals("s3:ObjectCreated:*", props.path("Events").asText());

        JsonNode rules = props.path("Filter").path("S3Key").path("Rules");
        assertEquals(2, rules.size());
        assertEquals("prefix", rules.get(0).path("Name").asText());
        assertEquals("InputPrefix", rules.get(0).path("Value").path("Ref").asText());
        assertEquals("suffix", rules.get(1).path("Name").asText());
        assertEquals("InputSuffix", rules.get(1).path("Value").path("Ref").asText());

        // The function's own guards agree with the trigger.
        assertEquals("{\"Ref\":\"InputBucketName\"}", env("EmbedS3Function", "EMBEDDER_S3_ALLOWED_BUCKETS"));
        assertEquals("{\"Ref\":\"InputPrefix\"}", env("EmbedS3Function", "EMBEDDER_S3_INPUT_PREFIX"));
        assertEquals("{\"Ref\":\"OutputBucketName\"}", env("EmbedS3Function", "EMBEDDER_S3_OUTPUT_BUCKET"));
        assertEquals("{\"Ref\":\"OutputPrefix\"}", env("EmbedS3Function", "EMBEDDER_S3_OUTPUT_PREFIX"));
        assertTrue(function("EmbeddingsFunction").path("Events").isMissingNode(), "embeddings is invoked directly");
    }

    @Test
    void embedS3MayOnlyReadTheUploadPrefixAndWriteTheOutputPrefix() {
        List<JsonNode> statements = new ArrayList<>();
        Set<String> managed = new TreeSet<>();
        for (JsonNode policy : function("EmbedS3Function").path("Policies")) {
            if (policy.isTextual()) {
                managed.add(policy.asText());
            } else {
                policy.path("Statement").forEach(statements::add);
            }
        }
        // Logs only; anything broader (AmazonS3FullAccess, S3CrudPolicy, ...) would defeat the statements below.
        assertEquals(Set.of("AWSLambdaBasicExecutionRole"), managed);
        assertEquals(2, statements.size());

        JsonNode read = statements.get(0);
        assertEquals("Allow", read.path("Effect").asText());
        assertEquals(List.of("s3:GetObject"), actions(read));
        assertEquals("arn:${AWS::Partition}:s3:::${InputBucketName}/${InputPrefix}*",
                read.path("Resource").path("Fn::Sub").asText());

        JsonNode write = statements.get(1);
        assertEquals("Allow", write.path("Effect").asText());
        assertEquals(List.of("s3:PutObject"), actions(write));
        assertEquals("arn:${AWS::Partition}:s3:::${OutputBucketName}/${OutputPrefix}*",
                write.path("Resource").path("Fn::Sub").asText());

        for (JsonNode statement : statements) {
            assertTrue(statement.path("NotAction").isMissingNode() && statement.path("NotResource").isMissingNode());
            assertTrue(statement.path("Condition").isMissingNode() || statement.path("Condition").isObject());
        }
    }

    @Test
    void embeddingsCallsNoAwsApi() {
        JsonNode policies = function("EmbeddingsFunction").path("Policies");
        assertEquals(1, policies.size());
        assertEquals("AWSLambdaBasicExecutionRole", policies.get(0).asText());
    }

    @Test
    void bucketsAndPrefixesAreParameters() {
        JsonNode params = template.path("Parameters");
        for (String name : List.of("InputBucketName", "OutputBucketName", "InputPrefix", "InputSuffix", "OutputPrefix")) {
            assertEquals("String", params.path(name).path("Type").asText(), name);
        }
        // Without prefixes the least-privilege ARNs would widen to whole buckets.
        assertEquals(1, params.path("InputPrefix").path("MinLength").asInt());
        assertEquals(1, params.path("OutputPrefix").path("MinLength").asInt());
    }

    private static List<String> actions(JsonNode statement) {
        JsonNode action = statement.path("Action");
        List<String> out = new ArrayList<>();
        if (action.isArray()) {
            action.forEach(a -> out.add(a.asText()));
        } else {
            out.add(action.asText());
        }
        out.forEach(a -> assertFalse(a.contains("*"), "wildcard action " + a));
        return out;
    }

    @Test
    void hubModelsComeFromTheCacheInTheZipNeverFromTheNetwork() {
        for (String function : List.of("EmbeddingsFunction", "EmbedS3Function")) {
            assertEquals("1", env(function, "HF_HUB_OFFLINE"), function);
            assertEquals("/var/task/hf-hub", env(function, "HF_HUB_CACHE"), function);
        }
    }
}
