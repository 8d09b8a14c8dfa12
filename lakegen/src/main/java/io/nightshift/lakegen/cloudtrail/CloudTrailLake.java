package io.nightshift.lakegen.cloudtrail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * A small lake of AWS CloudTrail-shaped records, nested as CloudTrail delivers them: {@code userIdentity} a struct,
 * {@code requestParameters} and {@code responseElements} JSON text (their shape differs per API call), the rest
 * top-level fields. For showing and testing nested input ({@code lake.columns} paths, Sigma CloudTrail rules);
 * every record is made up here from a seed, none is copied from a real account.
 *
 * <p>Each day holds ordinary traffic of a fictional account (people and roles reading S3, describing EC2, assuming
 * roles, logging in) and two labelled sets ({@link #TRAIL_TAMPERING}, {@link #TRAIL_AUTOMATION}): the audit trail
 * stopped or deleted by a person, and the same API calls made by AWS automation, which a rule filtering on
 * {@code userIdentity.type} must leave out; plus {@link #BUCKET_POLICY}, a policy put on a payroll bucket, found only
 * by reading {@code requestParameters}.
 */
public final class CloudTrailLake {
    /** StopLogging/DeleteTrail by an IAM user (a person): what a trail-tampering rule must find. */
    public static final String TRAIL_TAMPERING = "trail_tampering";
    /** The same calls by AWS automation (an assumed role, an AWS service): what its filter must exclude. */
    public static final String TRAIL_AUTOMATION = "trail_automation";
    /** PutBucketPolicy on a bucket whose name (in requestParameters) starts with payroll-. */
    public static final String BUCKET_POLICY = "bucket_policy";

    public static final String ACCOUNT = "123456789012";
    public static final String TRUTH_FILE = "ground_truth.json";

    /** The CloudTrail record fields this lake has, as CloudTrail nests them. */
    public static final StructType SCHEMA = new StructType()
            .add("eventVersion", DataTypes.StringType)
            .add("eventID", DataTypes.StringType, false)
            .add("eventTime", DataTypes.StringType, false)
            .add("eventSource", DataTypes.StringType, false)
            .add("eventName", DataTypes.StringType, false)
            .add("awsRegion", DataTypes.StringType)
            .add("sourceIPAddress", DataTypes.StringType)
            .add("userAgent", DataTypes.StringType)
            .add("userIdentity", new StructType()
                    .add("type", DataTypes.StringType)
                    .add("principalId", DataTypes.StringType)
                    .add("arn", DataTypes.StringType)
                    .add("accountId", DataTypes.StringType)
                    .add("userName", DataTypes.StringType)
                    .add("invokedBy", DataTypes.StringType))
            .add("requestParameters", DataTypes.StringType)
            .add("responseElements", DataTypes.StringType)
            .add("errorCode", DataTypes.StringType)
            .add("errorMessage", DataTypes.StringType)
            .add("readOnly", DataTypes.BooleanType)
            .add("eventType", DataTypes.StringType)
            .add("managementEvent", DataTypes.BooleanType)
            .add("recipientAccountId", DataTypes.StringType);

    private static final String[] PEOPLE = {"ana", "bo", "chen", "dara", "eli", "farah"};
    private static final String[] ROLES = {"ci-deploy", "etl-nightly", "backup"};
    private static final String[] REGIONS = {"eu-west-1", "us-east-1"};
    private static final String[] AGENTS = {"aws-cli/2.15.30 Python/3.11.8 Linux/6.1", "Boto3/1.34.69 Python/3.12",
            "console.amazonaws.com", "aws-sdk-java/2.25.16 Linux/5.10 OpenJDK_64-Bit_Server_VM/17"};
    private static final String[] BUCKETS = {"app-assets", "static-site", "data-lake-raw", "logs-archive"};

    /**
     * What was written.
     *
     * @param lakeDir  the lake root ({@code date=YYYY-MM-DD} folders below it)
     * @param rows     records written
     * @param labelled label → the event ids of the records that carry it
     */
    public record Result(Path lakeDir, long rows, Map<String, List<String>> labelled) {
    }

    private CloudTrailLake() {
    }

    /**
     * Writes {@code days} days from {@code start}, about {@code eventsPerDay} ordinary records a day plus the labelled
     * ones, to {@code out/lake}, and {@code out/ground_truth.json}; the same arguments give the same records.
     */
    public static Result generate(SparkSession spark, Path out, LocalDate start, int days, int eventsPerDay,
                                  long seed) {
        Path lake = out.resolve("lake");
        Map<String, List<String>> labelled = new LinkedHashMap<>();
        List.of(TRAIL_TAMPERING, TRAIL_AUTOMATION, BUCKET_POLICY).forEach(l -> labelled.put(l, new ArrayList<>()));
        long rows = 0;
        for (int d = 0; d < days; d++) {
            LocalDate date = start.plusDays(d);
            Day day = new Day(date, new Random(seed * 31 + date.toEpochDay()), labelled);
            List<Row> records = day.records(eventsPerDay);
            Path folder = lake.resolve("date=" + date);
            spark.createDataFrame(records, SCHEMA).coalesce(1).write().mode(SaveMode.Overwrite)
                    .option("compression", "zstd").parquet(folder.toString());
            withoutChecksums(folder);
            rows += records.size();
        }
        writeTruth(out.resolve(TRUTH_FILE), labelled);
        return new Result(lake, rows, labelled);
    }

    /** Hadoop's local checksum files are no part of a lake (and not of the shipped sample). */
    private static void withoutChecksums(Path folder) {
        try (var files = Files.list(folder)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".crc")).toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot tidy " + folder + ": " + e.getMessage(), e);
        }
    }

    private static void writeTruth(Path file, Map<String, List<String>> labelled) {
        try {
            Files.createDirectories(file.getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), labelled);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** One day's records, drawn from its own random stream. */
    private static final class Day {
        private final LocalDate date;
        private final Random random;
        private final Map<String, List<String>> labelled;
        private final List<Object[]> out = new ArrayList<>();

        Day(LocalDate date, Random random, Map<String, List<String>> labelled) {
            this.date = date;
            this.random = random;
            this.labelled = labelled;
        }

        List<Row> records(int ordinary) {
            for (int i = 0; i < ordinary; i++) {
                ordinary();
            }
            // A person stops and deletes the trail at night; AWS automation touches it by day, as it does.
            label(TRAIL_TAMPERING, event(at(2, 14), "cloudtrail.amazonaws.com", "StopLogging", person("mallory"),
                    "{\"name\":\"org-trail\"}", null, false));
            label(TRAIL_TAMPERING, event(at(2, 16), "cloudtrail.amazonaws.com", "DeleteTrail", person("mallory"),
                    "{\"name\":\"org-trail\"}", null, false));
            label(TRAIL_AUTOMATION, event(at(11, 5), "cloudtrail.amazonaws.com", "StopLogging",
                    role("AWSControlTowerExecution"), "{\"name\":\"aws-controltower-BaselineCloudTrail\"}", null,
                    false));
            label(TRAIL_AUTOMATION, event(at(11, 6), "cloudtrail.amazonaws.com", "UpdateTrail",
                    service("cloudtrail.amazonaws.com"), "{\"name\":\"aws-controltower-BaselineCloudTrail\"}", null,
                    false));
            label(BUCKET_POLICY, event(at(15, 40), "s3.amazonaws.com", "PutBucketPolicy", person("bo"),
                    "{\"bucketName\":\"payroll-exports\",\"policy\":{\"Statement\":[{\"Effect\":\"Allow\","
                            + "\"Principal\":\"*\",\"Action\":\"s3:GetObject\"}]}}", null, false));
            // The same call on another bucket: only the bucket name in requestParameters tells them apart.
            event(at(15, 45), "s3.amazonaws.com", "PutBucketPolicy", person("bo"),
                    "{\"bucketName\":\"static-site\",\"policy\":{\"Statement\":[]}}", null, false);
            out.sort(Comparator.comparing(r -> (String) r[2]));
            return out.stream().map(RowFactory::create).toList();
        }

        private void ordinary() {
            Instant t = date.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(random.nextInt(86_400));
            Object[] who = random.nextInt(4) == 0 ? role(pick(ROLES)) : person(pick(PEOPLE));
            switch (random.nextInt(6)) {
                case 0 -> event(t, "s3.amazonaws.com", "GetObject", who,
                        "{\"bucketName\":\"" + pick(BUCKETS) + "\",\"key\":\"obj/" + random.nextInt(1000) + "\"}",
                        null, true);
                case 1 -> event(t, "s3.amazonaws.com", "ListBuckets", who, null, null, true);
                case 2 -> event(t, "ec2.amazonaws.com", "DescribeInstances", who, "{\"maxResults\":50}", null, true);
                case 3 -> event(t, "sts.amazonaws.com", "AssumeRole", who, "{\"roleArn\":\"arn:aws:iam::" + ACCOUNT
                        + ":role/" + pick(ROLES) + "\",\"roleSessionName\":\"s" + random.nextInt(100) + "\"}", null,
                        false);
                case 4 -> event(t, "signin.amazonaws.com", "ConsoleLogin", person(pick(PEOPLE)), null,
                        random.nextInt(10) == 0 ? "Failed authentication" : null, false);
                default -> event(t, "iam.amazonaws.com", "GetUser", who, "{\"userName\":\"" + pick(PEOPLE) + "\"}",
                        null, true);
            }
        }

        private Instant at(int hour, int minute) {
            return date.atTime(hour, minute, random.nextInt(60)).toInstant(ZoneOffset.UTC);
        }

        private Object[] person(String name) {
            return new Object[] {"IAMUser", "AIDA" + code(name), "arn:aws:iam::" + ACCOUNT + ":user/" + name, ACCOUNT,
                    name, null};
        }

        private Object[] role(String name) {
            return new Object[] {"AssumedRole", "AROA" + code(name) + ":session",
                    "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + name + "/session", ACCOUNT, null, null};
        }

        private Object[] service(String name) {
            return new Object[] {"AWSService", null, null, null, null, name};
        }

        private static String code(String name) {
            return UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString()
                    .replace("-", "").substring(0, 16).toUpperCase(java.util.Locale.ROOT);
        }

        private String pick(String[] values) {
            return values[random.nextInt(values.length)];
        }

        private String event(Instant time, String source, String name, Object[] who, String request, String error,
                             boolean readOnly) {
            String id = new UUID(random.nextLong(), random.nextLong()).toString();
            boolean console = name.equals("ConsoleLogin");
            String ip = who[0].equals("AWSService") ? (String) who[5]
                    : "198.51.100." + (10 + Math.floorMod(who[2] == null ? 0 : who[2].hashCode(), 200));
            out.add(new Object[] {"1.08", id, time.toString(), source, name, pick(REGIONS), ip,
                    who[0].equals("AWSService") ? (String) who[5] : pick(AGENTS), RowFactory.create(who), request,
                    console ? "{\"ConsoleLogin\":\"" + (error == null ? "Success" : "Failure") + "\"}" : null,
                    error == null ? null : "AccessDenied", error, readOnly,
                    console ? "AwsConsoleSignIn" : "AwsApiCall", true, ACCOUNT});
            return id;
        }

        private void label(String label, String eventId) {
            labelled.get(label).add(eventId);
        }
    }
}
