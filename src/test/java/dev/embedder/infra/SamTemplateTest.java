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

    private static JsonNode resource(String logicalId, String type) {
        JsonNode resource = template.path("Resources").path(logicalId);
        assertEquals(type, resource.path("Type").asText(), logicalId);
        return resource;
    }

    /** {"Fn::If": [condition, whenTrue, {"Ref": "AWS::NoValue"}]} -> whenTrue, checking condition and else-branch. */
    private static JsonNode onlyIf(String condition, JsonNode node) {
        JsonNode args = node.path("Fn::If");
        assertTrue(args.isArray() && args.size() == 3, "expected Fn::If, got " + node);
        assertEquals(condition, args.get(0).asText());
        assertEquals("AWS::NoValue", args.get(2).path("Ref").asText());
        return args.get(1);
    }

    private static void assertPrefixAndSuffixFilter(JsonNode notification) {
        assertEquals("s3:ObjectCreated:*", notification.path("Event").asText());
        JsonNode rules = notification.path("Filter").path("S3Key").path("Rules");
        assertEquals(2, rules.size());
        assertEquals("prefix", rules.get(0).path("Name").asText());
        assertEquals("InputPrefix", rules.get(0).path("Value").path("Ref").asText());
        assertEquals("suffix", rules.get(1).path("Name").asText());
        assertEquals("InputSuffix", rules.get(1).path("Value").path("Ref").asText());
    }

    @Test
    void uploadsReachEmbedS3ThroughTheIntakeTheParameterPicks() {
        JsonNode intake = template.path("Parameters").path("Intake");
        assertEquals("sqs", intake.path("Default").asText());
        assertEquals("[\"sqs\",\"eventbridge\",\"direct\"]", intake.path("AllowedValues").toString());
        assertTrue(function("EmbedS3Function").path("Events").isMissingNode(), "the bucket notifies, not SAM events");

        JsonNode bucket = resource("InputBucket", "AWS::S3::Bucket");
        assertEquals("InputBucketName", bucket.path("Properties").path("BucketName").path("Ref").asText());
        // S3 sends a test message when the notification is set: the destinations must accept it by then.
        assertEquals(List.of("UploadQueuePolicy", "S3InvokePermission"),
                List.of(bucket.path("DependsOn").get(0).asText(), bucket.path("DependsOn").get(1).asText()));
        JsonNode notifications = bucket.path("Properties").path("NotificationConfiguration");
        JsonNode toQueue = onlyIf("UseSqs", notifications.path("QueueConfigurations")).get(0);
        assertPrefixAndSuffixFilter(toQueue);
        assertEquals("UploadQueue", toQueue.path("Queue").path("Fn::GetAtt").get(0).asText());
        JsonNode toLambda = onlyIf("UseDirect", notifications.path("LambdaConfigurations")).get(0);
        assertPrefixAndSuffixFilter(toLambda);
        assertEquals("EmbedS3Function.Alias", toLambda.path("Function").path("Ref").asText());
        assertTrue(onlyIf("UseEventBridge", notifications.path("EventBridgeConfiguration"))
                .path("EventBridgeEnabled").asBoolean());

        JsonNode permission = resource("S3InvokePermission", "AWS::Lambda::Permission").path("Properties");
        assertEquals("s3.amazonaws.com", permission.path("Principal").asText());
        assertEquals("arn:${AWS::Partition}:s3:::${InputBucketName}", permission.path("SourceArn").path("Fn::Sub").asText());
        assertEquals("AWS::AccountId", permission.path("SourceAccount").path("Ref").asText());

        // The function's own guards agree with the trigger.
        assertEquals("{\"Ref\":\"InputBucketName\"}", env("EmbedS3Function", "EMBEDDER_S3_ALLOWED_BUCKETS"));
        assertEquals("{\"Ref\":\"InputPrefix\"}", env("EmbedS3Function", "EMBEDDER_S3_INPUT_PREFIX"));
        assertEquals("{\"Ref\":\"OutputBucketName\"}", env("EmbedS3Function", "EMBEDDER_S3_OUTPUT_BUCKET"));
        assertEquals("{\"Ref\":\"OutputPrefix\"}", env("EmbedS3Function", "EMBEDDER_S3_OUTPUT_PREFIX"));
        assertTrue(function("EmbeddingsFunction").path("Events").isMissingNode(), "embeddings is invoked directly");
    }

    @Test
    void theQueueHasADeadLetterQueueAndAPolicyForThisBucketOnly() {
        JsonNode queue = resource("UploadQueue", "AWS::SQS::Queue").path("Properties");
        int timeout = property("EmbedS3Function", "Timeout").asInt();
        assertTrue(queue.path("VisibilityTimeout").asInt() >= 6 * timeout, "visibility timeout >= 6x function timeout");
        JsonNode redrive = queue.path("RedrivePolicy");
        assertEquals("UploadDeadLetterQueue", redrive.path("deadLetterTargetArn").path("Fn::GetAtt").get(0).asText());
        assertTrue(redrive.path("maxReceiveCount").asInt() >= 5, "throttling alone must not dead-letter messages");
        resource("UploadDeadLetterQueue", "AWS::SQS::Queue");

        JsonNode policy = resource("UploadQueuePolicy", "AWS::SQS::QueuePolicy").path("Properties");
        assertEquals("UploadQueue", policy.path("Queues").get(0).path("Ref").asText());
        JsonNode fromS3 = policy.path("PolicyDocument").path("Statement").get(0);
        assertEquals("s3.amazonaws.com", fromS3.path("Principal").path("Service").asText());
        assertEquals("sqs:SendMessage", fromS3.path("Action").asText());
        assertEquals("arn:${AWS::Partition}:s3:::${InputBucketName}",
                fromS3.path("Condition").path("ArnLike").path("aws:SourceArn").path("Fn::Sub").asText());
        assertEquals("AWS::AccountId", fromS3.path("Condition").path("StringEquals").path("aws:SourceAccount")
                .path("Ref").asText());
        for (JsonNode statement : policy.path("PolicyDocument").path("Statement")) {
            assertEquals("sqs:SendMessage", statement.path("Action").asText(), "send only");
            assertFalse(statement.path("Condition").path("ArnLike").isMissingNode(), "every sender is pinned");
        }
    }

    @Test
    void theEventSourceMappingReportsBatchItemFailuresWithACap() {
        JsonNode mapping = resource("UploadQueueMapping", "AWS::Lambda::EventSourceMapping");
        assertEquals("UseQueue", mapping.path("Condition").asText());
        JsonNode props = mapping.path("Properties");
        assertEquals("UploadQueue", props.path("EventSourceArn").path("Fn::GetAtt").get(0).asText());
        assertEquals("EmbedS3Function.Alias", props.path("FunctionName").path("Ref").asText());
        assertEquals("[\"ReportBatchItemFailures\"]", props.path("FunctionResponseTypes").toString(),
                "without it Lambda ignores batchItemFailures and deletes the whole batch");
        assertEquals("QueueBatchSize", props.path("BatchSize").path("Ref").asText());
        assertEquals("QueueBatchingWindowSeconds", props.path("MaximumBatchingWindowInSeconds").path("Ref").asText());
        assertEquals("MaxConcurrency", props.path("ScalingConfig").path("MaximumConcurrency").path("Ref").asText());
        JsonNode params = template.path("Parameters");
        assertEquals(10, params.path("QueueBatchSize").path("Default").asInt());
        assertEquals(1, params.path("QueueBatchingWindowSeconds").path("Default").asInt());
        assertEquals(2, params.path("MaxConcurrency").path("MinValue").asInt(), "ScalingConfig allows 2-1000");
        assertEquals(1000, params.path("MaxConcurrency").path("MaxValue").asInt());
        assertTrue(template.path("Conditions").path("UseQueue").path("Fn::Or").isArray());
    }

    @Test
    void theEventBridgeOptionRoutesNewObjectsOfThisBucketToTheQueue() {
        JsonNode rule = resource("UploadRule", "AWS::Events::Rule");
        assertEquals("UseEventBridge", rule.path("Condition").asText());
        JsonNode pattern = rule.path("Properties").path("EventPattern");
        assertEquals("[\"aws.s3\"]", pattern.path("source").toString());
        assertEquals("[\"Object Created\"]", pattern.path("detail-type").toString());
        assertEquals("InputBucketName", pattern.path("detail").path("bucket").path("name").get(0).path("Ref").asText());
        assertEquals("${InputPrefix}*${InputSuffix}", pattern.path("detail").path("object").path("key").get(0)
                .path("wildcard").path("Fn::Sub").asText());
        JsonNode target = rule.path("Properties").path("Targets").get(0);
        assertEquals("UploadQueue", target.path("Arn").path("Fn::GetAtt").get(0).asText());
        assertEquals("UploadDeadLetterQueue", target.path("DeadLetterConfig").path("Arn").path("Fn::GetAtt").get(0)
                .asText());
        JsonNode fromRules = template.path("Resources").path("UploadQueuePolicy").path("Properties")
                .path("PolicyDocument").path("Statement").get(1);
        assertEquals("events.amazonaws.com", fromRules.path("Principal").path("Service").asText());
        JsonNode dlqPolicy = resource("UploadDeadLetterQueuePolicy", "AWS::SQS::QueuePolicy").path("Properties");
        assertEquals("events.amazonaws.com", dlqPolicy.path("PolicyDocument").path("Statement").get(0)
                .path("Principal").path("Service").asText());
    }

    @Test
    void batchOperationsRoleMayInvokeTheFunctionReadManifestsAndWriteReportsOnly() {
        JsonNode role = resource("BatchOperationsRole", "AWS::IAM::Role").path("Properties");
        JsonNode trust = role.path("AssumeRolePolicyDocument").path("Statement").get(0);
        assertEquals("batchoperations.s3.amazonaws.com", trust.path("Principal").path("Service").asText());
        assertEquals("sts:AssumeRole", trust.path("Action").asText());
        assertEquals(1, role.path("Policies").size());
        JsonNode statements = role.path("Policies").get(0).path("PolicyDocument").path("Statement");
        assertEquals(3, statements.size());
        assertEquals(List.of("lambda:InvokeFunction"), actions(statements.get(0)));
        assertEquals("EmbedS3Function.Alias", statements.get(0).path("Resource").path("Ref").asText());
        assertEquals(List.of("s3:GetObject", "s3:GetObjectVersion"), actions(statements.get(1)));
        assertEquals("arn:${AWS::Partition}:s3:::${InputBucketName}/${BatchManifestPrefix}*",
                statements.get(1).path("Resource").path("Fn::Sub").asText());
        assertEquals(List.of("s3:PutObject"), actions(statements.get(2)));
        assertEquals("arn:${AWS::Partition}:s3:::${OutputBucketName}/${BatchReportPrefix}*",
                statements.get(2).path("Resource").path("Fn::Sub").asText());
        assertEquals("BatchOperationsRole", template.path("Outputs").path("BatchOperationsRoleArn").path("Value")
                .path("Fn::GetAtt").get(0).asText());
    }

    @Test
    void embedS3MayOnlyReadUploadsReadAndWriteItsOutputsAndConsumeItsQueue() {
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
        assertEquals(4, statements.size());

        JsonNode read = statements.get(0);
        assertEquals("Allow", read.path("Effect").asText());
        assertEquals(List.of("s3:GetObject", "s3:GetObjectVersion"), actions(read));
        assertEquals("arn:${AWS::Partition}:s3:::${InputBucketName}/${InputPrefix}*",
                read.path("Resource").path("Fn::Sub").asText());

        JsonNode write = statements.get(1);
        assertEquals(List.of("s3:PutObject"), actions(write));
        assertEquals("arn:${AWS::Partition}:s3:::${OutputBucketName}/${OutputPrefix}*",
                write.path("Resource").path("Fn::Sub").asText());

        JsonNode readBack = statements.get(2);
        assertEquals(List.of("s3:GetObject"), actions(readBack));
        assertEquals("arn:${AWS::Partition}:s3:::${OutputBucketName}/${OutputPrefix}*",
                readBack.path("Resource").path("Fn::Sub").asText());

        JsonNode queue = statements.get(3);
        assertEquals(List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"), actions(queue));
        assertEquals("UploadQueue", queue.path("Resource").path("Fn::GetAtt").get(0).asText());

        for (JsonNode statement : statements) {
            assertEquals("Allow", statement.path("Effect").asText());
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
        for (String name : List.of("InputBucketName", "OutputBucketName", "InputPrefix", "InputSuffix", "OutputPrefix",
                "BatchManifestPrefix", "BatchReportPrefix")) {
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
