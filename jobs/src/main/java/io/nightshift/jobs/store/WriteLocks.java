package io.nightshift.jobs.store;

import java.time.Duration;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;

import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.config.NightshiftConfig.LockMode;
import io.nightshift.jobs.config.NightshiftConfig.WarehouseConfig;

/** The write lock a warehouse's configuration calls for ({@code warehouse.lock}). */
public final class WriteLocks {
    static final String JDBC_CATALOG = "org.apache.iceberg.jdbc.JdbcCatalog";

    private WriteLocks() {
    }

    /**
     * Takes the lock of {@code config}'s warehouse, or throws {@link WarehouseLock.HeldException} while another live
     * run holds it.
     *
     * @throws NightshiftException (bad config) when the lock asked for cannot be kept where the warehouse is: a lock
     *                             file on an object store without {@code warehouse.lock: file}, or a database lock
     *                             without a JDBC catalog
     */
    public static WriteLock acquire(WarehouseConfig config, Configuration hadoop, String command, Duration staleAfter) {
        Map<String, String> properties = WarehouseTables.catalogProperties(config);
        String warehouse = properties.getOrDefault("warehouse", config.path().toString());
        boolean jdbc = JDBC_CATALOG.equals(properties.get("catalog-impl"))
                || "jdbc".equalsIgnoreCase(properties.get("type"));
        LockMode mode = config.lock();
        if (mode == LockMode.AUTO) {
            mode = jdbc ? LockMode.DATABASE : LockMode.FILE;
            if (mode == LockMode.FILE && Location.of(warehouse, java.nio.file.Path.of("/")).onObjectStore()) {
                throw NightshiftException.badConfig("the warehouse " + warehouse + " is on an object store, where a "
                        + "lock file cannot be created only-if-absent atomically in general, and its catalog keeps no "
                        + "database for the lock. Use the JDBC catalog (the lock then lives in its database), or set "
                        + "warehouse.lock: file if this store's conditional create is atomic, or warehouse.lock: none "
                        + "if the scheduler guarantees one writer at a time.");
            }
        }
        return switch (mode) {
            case NONE -> WriteLock.none();
            case FILE -> WarehouseLock.acquire(warehouse, hadoop, command, staleAfter);
            case DATABASE -> {
                if (!jdbc || properties.get("uri") == null) {
                    throw NightshiftException.badConfig("warehouse.lock: database needs the JDBC catalog "
                            + "(warehouse.catalog_properties: catalog-impl: " + JDBC_CATALOG + ", uri: jdbc:...)");
                }
                yield DatabaseLock.acquire(new DatabaseLock.Connector(properties.get("uri"),
                        properties.get("jdbc.user"), properties.get("jdbc.password")), warehouse, command, staleAfter);
            }
            case AUTO -> throw new IllegalStateException("resolved above");
        };
    }
}
