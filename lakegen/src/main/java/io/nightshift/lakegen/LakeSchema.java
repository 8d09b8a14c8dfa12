package io.nightshift.lakegen;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import io.nightshift.lakegen.world.Seeds;

/**
 * The columns of a generated lake file, in order. The {@code date=YYYY-MM-DD} directory adds the partition column
 * when the lake is read back. Nullable except the id, time and the columns every line has.
 */
public final class LakeSchema {
    public static final String PARTITION_COLUMN = "date";

    public static final StructType STRUCT = new StructType()
            .add("event_id", DataTypes.StringType, false)
            .add("timestamp", DataTypes.TimestampType, false)
            .add("service", DataTypes.StringType, false)
            .add("host", DataTypes.StringType, false)
            .add("message", DataTypes.StringType, false)
            .add("level", DataTypes.StringType, false)
            .add("region", DataTypes.StringType, false)
            .add("datacenter", DataTypes.StringType, false)
            .add("farm", DataTypes.StringType, false)
            .add("tenant_id", DataTypes.StringType, true)
            .add("user", DataTypes.StringType, true)
            .add("src_ip", DataTypes.StringType, true)
            .add("dst_ip", DataTypes.StringType, true)
            .add("action", DataTypes.StringType, true)
            .add("outcome", DataTypes.StringType, true)
            .add("status_code", DataTypes.IntegerType, true)
            .add("bytes_out", DataTypes.LongType, true)
            .add("duration_ms", DataTypes.DoubleType, true)
            .add("attributes", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false), true);

    private LakeSchema() {
    }

    /**
     * A unique, random-looking id: the low half is a bijective mix of (day, index), so ids never collide within a
     * lake; the high half adds the seed so two lakes do not share ids.
     */
    public static String eventId(long seed, long epochDay, long index) {
        long lo = Seeds.mix((epochDay << 40) | index);
        long hi = Seeds.combine(seed, epochDay, index);
        return new java.util.UUID(hi, lo).toString();
    }
}
