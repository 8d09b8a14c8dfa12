package io.nightshift.lakegen;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.nightshift.lakegen.world.Directory;
import io.nightshift.lakegen.world.ServiceCatalog;
import io.nightshift.lakegen.world.ServiceProfile;

/**
 * Writes what a company's CMDB and customer records would provide: {@code service_catalog.csv}
 * (service, owner_team, tier, data_classification, contains_pii, description) and {@code tenants.csv}
 * (tenant_id, name, industry, regulations as a {@code ;}-separated list, home_region).
 */
public final class ReferenceDataWriter {
    public static final String SERVICE_CATALOG = "service_catalog.csv";
    public static final String TENANTS = "tenants.csv";

    private ReferenceDataWriter() {
    }

    public static void write(Path dir) {
        List<String> services = new ArrayList<>();
        services.add("service,owner_team,tier,data_classification,contains_pii,description");
        for (ServiceProfile s : ServiceCatalog.SERVICES) {
            services.add(CsvLines.line(s.name(), s.ownerTeam(), s.tier(), s.dataClassification(), s.containsPii(),
                    s.description()));
        }
        CsvLines.write(dir.resolve(SERVICE_CATALOG), services);

        List<String> tenants = new ArrayList<>();
        tenants.add("tenant_id,name,industry,regulations,home_region");
        for (Directory.Tenant t : Directory.TENANTS) {
            tenants.add(CsvLines.line(t.id(), t.name(), t.industry(), String.join(";", t.regulations()),
                    t.homeRegion()));
        }
        CsvLines.write(dir.resolve(TENANTS), tenants);
    }
}
