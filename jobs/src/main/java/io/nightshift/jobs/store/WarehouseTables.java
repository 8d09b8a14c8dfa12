package io.nightshift.jobs.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;

import io.nightshift.jobs.base.DataFiles;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.config.NightshiftConfig.WarehouseConfig;
import io.nightshift.jobs.schema.ResultTable;

/**
 * Reads result tables through Iceberg's Java API, without Spark: the configured catalog opened as Spark's would be
 * (same type, warehouse and properties), each table's current snapshot read row by row with Iceberg's generic Parquet
 * readers. For commands that read a few rows and must answer at once ({@code incident list}, {@code incident show},
 * {@code evidence verify}); a SparkSession costs seconds to start, these reads milliseconds. Anything that scans or
 * aggregates a large table belongs in Spark.
 *
 * <p>A table that does not exist yet (a fresh warehouse, one the nightly run has not written) reads as empty, and a
 * column it lacks (a warehouse written by an older version) reads as null. A command whose answer would be meaningless
 * without its main table asks for it with {@link #require}, which names the table and the catalog instead.
 */
public final class WarehouseTables implements AutoCloseable {
    /** Catalog properties that go to the catalog's Hadoop configuration instead, as Iceberg's SparkCatalog does. */
    private static final String HADOOP_PREFIX = "hadoop.";

    private final Catalog catalog;
    private final Namespace namespace;
    /** Where the catalog is, for messages: its name, type or implementation and warehouse (never a credential). */
    private final String where;
    private final Map<String, Table> loaded = new HashMap<>();

    private WarehouseTables(Catalog catalog, Namespace namespace, String where) {
        this.catalog = catalog;
        this.namespace = namespace;
        this.where = where;
    }

    /**
     * Opens the configured catalog.
     *
     * @param sparkSettings the command's Spark settings (configuration {@code spark:} and {@code --conf}); their
     *                      {@code spark.hadoop.*} entries reach the Hadoop configuration, as they do in Spark
     */
    public static WarehouseTables open(WarehouseConfig config, Map<String, String> sparkSettings) {
        Configuration hadoop = DataFiles.hadoopConfiguration(sparkSettings);
        Map<String, String> properties = catalogProperties(config);
        properties.forEach((k, v) -> {
            if (k.startsWith(HADOOP_PREFIX)) {
                hadoop.set(k.substring(HADOOP_PREFIX.length()), v);
            }
        });
        Catalog catalog = CatalogUtil.buildIcebergCatalog(config.catalog(), properties, hadoop);
        String kind = properties.getOrDefault("catalog-impl", properties.get(CatalogUtil.ICEBERG_CATALOG_TYPE));
        String where = "catalog '" + config.catalog() + "' (" + kind
                + (properties.containsKey("warehouse") ? ", warehouse " + properties.get("warehouse") : "") + ")";
        return new WarehouseTables(catalog, Namespace.of(config.namespace().split("\\.")), where);
    }

    /**
     * The Iceberg catalog properties of the configured catalog: {@code warehouse.catalog_properties} as given, with a
     * Hadoop catalog on {@code warehouse.path} as the default when they name no type (or implementation) and no
     * warehouse. {@link ResultsStore#sparkConf} registers the same properties with Spark.
     */
    public static Map<String, String> catalogProperties(WarehouseConfig config) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (!config.catalogProperties().containsKey(CatalogUtil.ICEBERG_CATALOG_TYPE)
                && !config.catalogProperties().containsKey("catalog-impl")) {
            properties.put(CatalogUtil.ICEBERG_CATALOG_TYPE, CatalogUtil.ICEBERG_CATALOG_TYPE_HADOOP);
        }
        if (!config.catalogProperties().containsKey("warehouse")) {
            properties.put("warehouse", config.path().toString());
        }
        properties.putAll(config.catalogProperties());
        refuseHadoopCatalogOnObjectStore(config, properties);
        return properties;
    }

    /**
     * Iceberg's Hadoop catalog commits a table version by renaming its metadata file into place, atomic on a local
     * disk and HDFS only; on S3, GCS or Azure storage a crash or a second writer can lose a commit, and the tables
     * with it. So a warehouse there needs a catalog with transactions, unless the configuration says otherwise.
     */
    private static void refuseHadoopCatalogOnObjectStore(WarehouseConfig config, Map<String, String> properties) {
        String impl = properties.get("catalog-impl");
        boolean hadoop = impl == null
                ? CatalogUtil.ICEBERG_CATALOG_TYPE_HADOOP.equalsIgnoreCase(properties.get(CatalogUtil.ICEBERG_CATALOG_TYPE))
                : impl.equals("org.apache.iceberg.hadoop.HadoopCatalog");
        String warehouse = properties.get("warehouse");
        if (!hadoop || warehouse == null || config.allowHadoopCatalogOnObjectStore()) {
            return;
        }
        Location location;
        try {
            location = Location.of(warehouse, java.nio.file.Path.of("/"));
        } catch (IllegalArgumentException e) {
            throw NightshiftException.badConfig("warehouse " + warehouse + ": " + e.getMessage());
        }
        if (location.onObjectStore()) {
            throw NightshiftException.badConfig("the warehouse " + location + " is on an object store ("
                    + location.scheme() + "://), where Iceberg's Hadoop catalog (the default) is not safe: it commits "
                    + "by renaming a file, which such stores do not do atomically, so a crash or a second writer can "
                    + "lose a commit. Use a catalog with transactions, e.g. the JDBC catalog on PostgreSQL "
                    + "(warehouse.catalog_properties: catalog-impl: org.apache.iceberg.jdbc.JdbcCatalog, uri: "
                    + "jdbc:postgresql://HOST:5432/DB; README, Storage), a REST, Glue or Hive catalog; or set "
                    + "warehouse.allow_hadoop_catalog_on_object_store: true to accept the risk.");
        }
    }

    /**
     * The rows of {@code table} that match {@code where}, with the {@code columns} asked for (all when empty); none
     * when the table does not exist. The filter prunes files by their column statistics and is then applied to every
     * row. Rows come in the order of the table's files: sort them when order matters.
     */
    public List<StoredRow> read(ResultTable table, Expression where, List<String> columns) {
        Table t = load(table);
        if (t == null) {
            return List.of();
        }
        IcebergGenerics.ScanBuilder scan = IcebergGenerics.read(t).where(where);
        if (!columns.isEmpty()) {
            // A column the table lacks (an older warehouse) is left out here and reads as null.
            List<String> present = columns.stream().filter(c -> t.schema().findField(c) != null).toList();
            scan = scan.select(present);
        }
        List<StoredRow> rows = new ArrayList<>();
        try (CloseableIterable<Record> records = scan.build()) {
            for (Record r : records) {
                rows.add(StoredRow.of(r));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + name(table) + ": " + e.getMessage(), e);
        }
        return rows;
    }

    /**
     * Checks that {@code table} exists, for a command that cannot answer without it.
     *
     * @throws NightshiftException (bad input) naming the table and the catalog, and what to do: no night has written
     *                             this warehouse yet, or the configuration points at another one
     */
    public void require(ResultTable table) {
        if (load(table) == null) {
            throw NightshiftException.badInput("no table " + name(table) + " in " + where + ": no night has "
                    + "written to this warehouse yet, or this is not the warehouse the nights write (check --warehouse "
                    + "and warehouse: in the configuration). A night creates it: scripts/nightshift run --date "
                    + "YYYY-MM-DD");
        }
    }

    private Table load(ResultTable table) {
        if (loaded.containsKey(table.name())) {
            return loaded.get(table.name());
        }
        TableIdentifier id = TableIdentifier.of(namespace, table.name());
        Table t = catalog.tableExists(id) ? catalog.loadTable(id) : null;
        loaded.put(table.name(), t);
        return t;
    }

    private String name(ResultTable table) {
        return TableIdentifier.of(namespace, table.name()).toString();
    }

    @Override
    public void close() {
        if (catalog instanceof Closeable c) {
            try {
                c.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
