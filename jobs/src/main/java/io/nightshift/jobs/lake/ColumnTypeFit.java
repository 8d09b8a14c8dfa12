package io.nightshift.jobs.lake;

import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampType;

/**
 * How well a lake file's Parquet type for a column suits the canonical column it is mapped to. When a day's files
 * disagree on a column's type, the type that suits the canonical schema best is the day's expected one, whatever
 * the number of files or rows that have another: a small file that types {@code status_code} as text is the odd one
 * beside a large file of integers, and so is a large file of text beside a small one of integers.
 */
enum ColumnTypeFit {
    /** The canonical mapping cannot convert it at all (a struct for a text column). */
    NONE,
    /** Converted, but not what the column holds by nature (text digits for a number, epoch numbers for a time). */
    CONVERTIBLE,
    /** The type the canonical column holds (text for text, any integer or decimal for a number...). */
    NATURAL;

    /** How {@code type} suits {@code canonical}, the canonical type of the column it is mapped to. */
    static ColumnTypeFit of(Type type, DataType canonical) {
        if (!type.isPrimitive()) {
            boolean map = type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation;
            return canonical instanceof MapType && map ? NATURAL : NONE;
        }
        PrimitiveType primitive = type.asPrimitiveType();
        if (canonical instanceof StringType) {
            return text(primitive) ? NATURAL : CONVERTIBLE;
        }
        if (canonical instanceof NumericType) {
            return number(primitive) ? NATURAL : text(primitive) || isBoolean(primitive) ? CONVERTIBLE : NONE;
        }
        if (canonical instanceof TimestampType) {
            return timestamp(primitive) ? NATURAL : number(primitive) || text(primitive) ? CONVERTIBLE : NONE;
        }
        if (canonical instanceof MapType) {
            return text(primitive) ? CONVERTIBLE : NONE;
        }
        return CONVERTIBLE;
    }

    private static boolean text(PrimitiveType t) {
        LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
        return (t.getPrimitiveTypeName() == PrimitiveTypeName.BINARY
                || t.getPrimitiveTypeName() == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY)
                && (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation
                || a instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation);
    }

    private static boolean number(PrimitiveType t) {
        LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
        return switch (t.getPrimitiveTypeName()) {
            case INT32, INT64 -> a == null || a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation
                    || a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
            case FLOAT, DOUBLE -> true;
            case BINARY, FIXED_LEN_BYTE_ARRAY -> a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
            default -> false;
        };
    }

    private static boolean timestamp(PrimitiveType t) {
        return t.getPrimitiveTypeName() == PrimitiveTypeName.INT96
                || t.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
    }

    private static boolean isBoolean(PrimitiveType t) {
        return t.getPrimitiveTypeName() == PrimitiveTypeName.BOOLEAN;
    }
}
