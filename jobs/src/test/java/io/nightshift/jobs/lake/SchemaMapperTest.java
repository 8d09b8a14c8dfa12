package io.nightshift.jobs.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.lake.LakeProfile.ColumnProfile;

/**
 * Nested input: {@code lake.columns} paths into structs, maps and JSON text, {@code attributes.<key>} entries, and
 * the conversion rules for values whose type is not the canonical column's (or the type warnings when none applies).
 */
class SchemaMapperTest {
    static SparkSession spark;
    static final LocalDate DAY = LocalDate.parse("2026-11-20");

    /** Three CloudTrail-shaped records: a struct, JSON text, a boolean, a map, and a status column of mixed use. */
    static Dataset<Row> lake;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
        lake = spark.sql("SELECT * FROM VALUES "
                + "('e1', '2026-11-20T01:00:00Z', 's3.amazonaws.com', 'GetObject', 'eu-west-1', "
                + "  named_struct('type', 'IAMUser', 'arn', 'arn:aws:iam::111:user/ana', 'accountId', '111', "
                + "    'sessionContext', named_struct('mfa', true)), "
                + "  '{\"bucketName\":\"payroll\",\"key\":{\"k\":1},\"port\":8080}', true, '404', map('team', 'data')),"
                + "('e2', '2026-11-20T02:00:00Z', 'iam.amazonaws.com', 'CreateUser', 'eu-west-1', "
                + "  named_struct('type', 'Root', 'arn', 'arn:aws:iam::111:root', 'accountId', '111', "
                + "    'sessionContext', named_struct('mfa', false)), "
                + "  '{\"userName\":\"eve\",\"port\":\"x\"}', false, 'not-a-status', map('team', 'sec')),"
                + "('e3', '2026-11-20T03:00:00Z', 's3.amazonaws.com', 'PutObject', 'eu-west-1', "
                + "  named_struct('type', 'AssumedRole', 'arn', null, 'accountId', '222', "
                + "    'sessionContext', named_struct('mfa', true)), "
                + "  'not json', null, null, map('team', 'ops', 'bucket', 'from-the-map'))"
                + " AS t(eventID, eventTime, eventSource, eventName, awsRegion, userIdentity, requestParameters, "
                + "readOnly, status, tags)");
    }

    private static final Map<String, String> CLOUDTRAIL = Map.of(
            "timestamp", "eventTime", "service", "eventSource", "host", "awsRegion", "message", "eventName");

    private static Map<String, String> with(Map<String, String> more) {
        Map<String, String> m = new java.util.HashMap<>(CLOUDTRAIL);
        m.putAll(more);
        return m;
    }

    private static List<Row> mapped(Map<String, String> columns) {
        return new SchemaMapper(columns, null).toCanonical(lake, "lake/date=2026-11-20", List.of("eventID"))
                .orderBy("eventID").collectAsList();
    }

    @Test
    void pathsReadStructFieldsMapKeysAndJsonText() {
        List<Row> rows = mapped(with(Map.of("user", "userIdentity.arn", "tenant_id", "userIdentity.accountId",
                "action", "requestParameters.bucketName", "dst_ip", "tags.team")));

        assertThat(rows).extracting(r -> r.<String>getAs("user"))
                .containsExactly("arn:aws:iam::111:user/ana", "arn:aws:iam::111:root", null);
        assertThat(rows).extracting(r -> r.<String>getAs("tenant_id")).containsExactly("111", "111", "222");
        assertThat(rows).extracting(r -> r.<String>getAs("action"))
                .as("a JSON key; absent in e2, unreadable text in e3").containsExactly("payroll", null, null);
        assertThat(rows).extracting(r -> r.<String>getAs("dst_ip")).as("a map key")
                .containsExactly("data", "sec", "ops");
    }

    @Test
    void attributeEntriesAddKeysAsTextAndReplaceTheMapsOwn() {
        List<Row> rows = mapped(with(Map.of("attributes", "tags",
                "attributes.userIdentity.type", "userIdentity.type",
                "attributes.bucket", "requestParameters.bucketName",
                "attributes.key", "requestParameters.key",
                "attributes.mfa", "userIdentity.sessionContext.mfa",
                "attributes.absent", "nowhere.at.all")));

        assertThat(attributes(rows.get(0)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("team", "data", "userIdentity.type", "IAMUser",
                        "bucket", "payroll", "key", "{\"k\":1}", "mfa", "true"));
        assertThat(attributes(rows.get(2)))
                .as("the entry's path has no value in e3: the map's own 'bucket' goes, no key comes")
                .containsExactlyInAnyOrderEntriesOf(Map.of("team", "ops", "userIdentity.type", "AssumedRole",
                        "mfa", "true"));
    }

    @Test
    void aStructOrBooleanForTextIsConvertedByItsRuleAndNamedInTheProfile() {
        Dataset<Row> canonical = new SchemaMapper(with(Map.of("user", "userIdentity", "outcome", "readOnly",
                "attributes", "userIdentity")), null).toCanonical(lake, "lake", List.of("eventID"));
        List<Row> rows = canonical.orderBy("eventID").collectAsList();

        assertThat(rows.get(0).<String>getAs("user")).isEqualTo("{\"type\":\"IAMUser\",\"arn\":"
                + "\"arn:aws:iam::111:user/ana\",\"accountId\":\"111\",\"sessionContext\":{\"mfa\":true}}");
        assertThat(rows).extracting(r -> r.<String>getAs("outcome")).containsExactly("true", "false", null);
        assertThat(attributes(rows.get(0)))
                .containsEntry("type", "IAMUser").containsEntry("sessionContext", "{\"mfa\":true}");
        assertThat(SchemaMapper.conversions(canonical.schema())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "user", "struct as JSON text", "outcome", "boolean as true/false",
                "attributes", "struct fields as keys"));
    }

    @Test
    void valuesNoRuleMakesNumbersAreLeftNullAndCountedAsTypeWarnings() {
        Dataset<Row> canonical = new SchemaMapper(with(Map.of("status_code", "readOnly", "bytes_out", "status",
                "duration_ms", "requestParameters.port", "attributes", "requestParameters")), null)
                .toCanonical(lake, "lake", List.of("eventID"));
        List<Row> rows = canonical.orderBy("eventID").collectAsList();

        assertThat(rows).extracting(r -> r.<Integer>getAs("status_code"))
                .as("a boolean is never an HTTP status").containsExactly(null, null, null);
        assertThat(rows).extracting(r -> r.<Long>getAs("bytes_out")).containsExactly(404L, null, null);
        assertThat(rows).extracting(r -> r.<Double>getAs("duration_ms")).containsExactly(8080.0, null, null);

        LakeProfile profile = LakeProfile.of(RowValidator.withReason(canonical, DAY), noHistory(), Map.of());
        assertThat(profile.withTypeWarnings().stream().sorted(java.util.Comparator.comparing(ColumnProfile::column)))
                .extracting(ColumnProfile::column, ColumnProfile::typeWarnings, ColumnProfile::conversion)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("attributes", 1L, "JSON object as map"),
                        org.assertj.core.groups.Tuple.tuple("bytes_out", 1L, "text as number"),
                        org.assertj.core.groups.Tuple.tuple("duration_ms", 1L, "read from JSON text; text as number"),
                        org.assertj.core.groups.Tuple.tuple("status_code", 2L, "boolean is no number: left null"));
        assertThat(profile.columns().stream().filter(c -> c.column().equals("service")).findFirst().orElseThrow()
                .typeWarnings()).isZero();
    }

    @Test
    void aMissingPathOfARequiredColumnNamesTheKeyThePathAndWhatIsThere() {
        assertThatThrownBy(() -> mapped(with(Map.of("host", "userIdentity.accountID"))))
                .isInstanceOf(NightshiftException.class)
                .hasMessage("required column 'host' (lake.columns.host: userIdentity.accountID) is missing in "
                        + "lake/date=2026-11-20: 'userIdentity' has no field 'accountID'; its fields are [type, arn, "
                        + "accountId, sessionContext]. Map it with lake.columns.host in the config.")
                .satisfies(e -> assertThat(((NightshiftException) e).exitCode()).isEqualTo(ExitCodes.BAD_INPUT));
        assertThatThrownBy(() -> mapped(with(Map.of("message", "readOnly.value"))))
                .hasMessageContaining("(lake.columns.message: readOnly.value) is missing in lake/date=2026-11-20: "
                        + "'readOnly' is boolean, which has no field 'value'");
        assertThatThrownBy(() -> mapped(with(Map.of("service", "eventSrc.name"))))
                .hasMessageContaining("there is no column 'eventSrc'; columns found: [eventID, eventTime, ");

        assertThat(mapped(with(Map.of("user", "userIdentity.userName")))).extracting(r -> r.<String>getAs("user"))
                .as("an optional column whose path is not there is null, as an unmapped one")
                .containsExactly(null, null, null);
    }

    private static Map<String, String> attributes(Row r) {
        return r.<String, String>getJavaMap(r.fieldIndex("attributes"));
    }

    private static Dataset<Row> noHistory() {
        return spark.createDataFrame(List.of(), StructType.fromDDL("column_name STRING, non_null BIGINT, date DATE"));
    }
}
