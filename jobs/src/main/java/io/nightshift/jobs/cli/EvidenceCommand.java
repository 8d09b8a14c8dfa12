package io.nightshift.jobs.cli;

import java.util.concurrent.Callable;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.cases.EvidenceVerifier;
import io.nightshift.jobs.store.WarehouseTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nightshift evidence verify}: checks an incident's preserved evidence against its hashes, reading the
 * warehouse through Iceberg without Spark.
 */
@Command(name = "evidence", mixinStandardHelpOptions = true, description = "Work with preserved incident evidence.",
        subcommands = EvidenceCommand.Verify.class)
public final class EvidenceCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Recompute the SHA-256 of every evidence row of an incident and the incident's manifest "
                    + "hash; exit 0 when all match (or the incident has no evidence at all), " + ExitCodes.CHECK_FAILED
                    + " when anything was altered. Reads the warehouse through Iceberg without starting Spark.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--incident", required = true, paramLabel = "ID", description = "Incident id.")
        String incident;

        @Override
        public Integer call() {
            Ids.requireIncidentId(incident);
            EvidenceVerifier.Result r;
            try (WarehouseTables tables = common.openTables(common.loadConfig())) {
                r = new EvidenceVerifier(tables).verify(incident);
            }
            if (r.noEvidence()) {
                System.out.println(incident + ": no evidence rows were preserved for this incident (its findings "
                        + "point at no log rows), so there is nothing to verify");
                return ExitCodes.OK;
            }
            System.out.println(incident + ": " + r.rows() + " evidence rows");
            System.out.println("  manifest on incident: " + r.expectedManifest());
            System.out.println("  manifest recomputed:  " + r.actualManifest());
            if (!r.tamperedRows().isEmpty()) {
                System.out.println("  rows whose content no longer matches their hash: " + r.tamperedRows());
            }
            System.out.println(r.ok() ? "OK: evidence intact" : "FAILED: evidence does not match its hashes");
            return r.ok() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
        }
    }
}
