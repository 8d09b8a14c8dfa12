package io.nightshift.jobs.incidents;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.nightshift.jobs.base.DataFiles;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.config.NightshiftConfig.ReferenceConfig;

/**
 * The service catalog and tenant directory, small enough to hold on the driver. Missing files are allowed (the
 * incident stage then says "unknown" in its reasons); a file without its expected columns is bad input.
 */
public final class ReferenceData {
    /** What the service catalog knows of a service. Tier 1 is the most critical. */
    public record Service(String name, String ownerTeam, int tier, String dataClassification, boolean containsPii) {
    }

    /** What the tenant directory knows of a customer. */
    public record Tenant(String id, String name, String industry, List<String> regulations) {
    }

    private final Map<String, Service> services;
    private final Map<String, Tenant> tenants;

    public ReferenceData(Map<String, Service> services, Map<String, Tenant> tenants) {
        this.services = Map.copyOf(services);
        this.tenants = Map.copyOf(tenants);
    }

    public static ReferenceData load(SparkSession spark, ReferenceConfig config) {
        Map<String, Service> services = new HashMap<>();
        for (Row r : read(spark, config.serviceCatalog(),
                List.of("service", "owner_team", "tier", "data_classification", "contains_pii"))) {
            int tier;
            try {
                tier = Integer.parseInt(String.valueOf((Object) r.getAs("tier")).trim());
            } catch (NumberFormatException e) {
                throw NightshiftException.badInput("service catalog " + config.serviceCatalog() + ": tier of service '"
                        + r.getAs("service") + "' is '" + r.getAs("tier") + "', expected 1, 2 or 3");
            }
            services.put(r.getAs("service"), new Service(r.getAs("service"), r.getAs("owner_team"), tier,
                    lower(r.getAs("data_classification")), Boolean.parseBoolean(String.valueOf((Object) r.getAs("contains_pii")))));
        }
        Map<String, Tenant> tenants = new HashMap<>();
        for (Row r : read(spark, config.tenantDirectory(), List.of("tenant_id", "name", "industry", "regulations"))) {
            String regs = r.getAs("regulations");
            List<String> list = regs == null || regs.isBlank() ? List.of()
                    : Arrays.stream(regs.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            tenants.put(r.getAs("tenant_id"), new Tenant(r.getAs("tenant_id"), r.getAs("name"), r.getAs("industry"), list));
        }
        return new ReferenceData(services, tenants);
    }

    private static List<Row> read(SparkSession spark, Location file, List<String> required) {
        if (file == null || !DataFiles.exists(file, spark.sparkContext().hadoopConfiguration())) {
            return List.of();
        }
        Dataset<Row> df = spark.read().option("header", "true").csv(file.hadoopPath().toString());
        for (String c : required) {
            if (!Arrays.asList(df.columns()).contains(c)) {
                throw NightshiftException.badInput("reference file " + file + " lacks column '" + c
                        + "'; columns found: " + Arrays.asList(df.columns()));
            }
        }
        return df.collectAsList();
    }

    private static String lower(String s) {
        return s == null ? null : s.trim().toLowerCase(java.util.Locale.ROOT);
    }

    public Service service(String name) {
        return name == null ? null : services.get(name);
    }

    /** The most critical catalogued service among {@code names} (lowest tier, then name); null when none is. */
    public Service mostCritical(java.util.Collection<String> names) {
        return names.stream().map(this::service).filter(java.util.Objects::nonNull)
                .min(java.util.Comparator.comparingInt(Service::tier).thenComparing(Service::name))
                .orElse(null);
    }

    public Tenant tenant(String id) {
        return id == null ? null : tenants.get(id);
    }

    public Map<String, Tenant> tenants() {
        return tenants;
    }
}
