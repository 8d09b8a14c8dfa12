package io.nightshift.lakegen.world;


/**
 * Discrete operational and audit events: deploys, config and role changes, exports, deletions. Their counts do not
 * grow with traffic (a busier day does not bring more deploys), so callers set their parameters: the
 * {@link io.nightshift.lakegen.world.OperationalEvents daily schedule} or a scenario.
 */
public final class OperationsTemplates {
    /** Slot values: {@code service}, {@code version}, {@code user} (the deployer). */
    public static final MessageTemplate DEPLOY_STARTED = MessageTemplate.system("deploy_started", "INFO", "deploy",
            "Deploy of {service} version {version} started by {user}", (e, rng) -> { });

    /** Slot values: {@code version}, {@code seconds}, {@code count} (hosts). */
    public static final MessageTemplate DEPLOY_FINISHED = MessageTemplate.system("deploy_finished", "INFO", "deploy",
            "Deploy of {service} version {version} finished in {seconds} s on {count} hosts", (e, rng) -> { });

    public static final MessageTemplate CONFIG_CHANGED = MessageTemplate.system("config_changed", "INFO",
            "config_change", "Config {key} changed from {old} to {new} by {user}", (e, rng) -> {
                String[][] changes = {
                        {"http.client.timeout_ms", "2000", "3000"}, {"cache.ttl_seconds", "300", "600"},
                        {"feature.new_checkout_flow", "false", "true"}, {"db.pool.max_size", "50", "80"},
                        {"ratelimit.per_tenant_rpm", "1200", "1500"}, {"log.level.root", "INFO", "DEBUG"},
                        {"retry.max_attempts", "3", "5"}, {"search.replicas", "2", "3"}};
                String[] c = changes[rng.nextInt(changes.length)];
                boolean revert = rng.nextBoolean();
                e.param("key", c[0]);
                e.param("old", revert ? c[2] : c[1]);
                e.param("new", revert ? c[1] : c[2]);
            });

    /** Slot values: {@code role}, {@code granter}. */
    public static final MessageTemplate ROLE_GRANTED = MessageTemplate.user("role_granted", "INFO",
            "privilege_change", "Role {role} granted to user {user} by {granter}", (e, rng) -> { });

    public static final MessageTemplate ROLE_REVOKED = MessageTemplate.user("role_revoked", "INFO",
            "privilege_change", "Role {role} revoked from user {user} by {granter}", (e, rng) -> { });

    /** Slot values: {@code export_id}, {@code dataset}, {@code rows}; bytes_out is the export's size. */
    public static final MessageTemplate EXPORT_COMPLETED = MessageTemplate.user("export_completed", "INFO", "export",
            "Export {export_id} of {dataset} for tenant {tenant_id} by {user} completed: {rows} rows, {bytes_out} bytes",
            (e, rng) -> Requests.clientContext(e, rng));

    /** Slot values: {@code object}, {@code object_id}. */
    public static final MessageTemplate RECORD_DELETED = MessageTemplate.user("record_deleted", "INFO", "delete",
            "Deleted {object} {object_id} for tenant {tenant_id} by {user}", (e, rng) -> {
                Requests.clientContext(e, rng);
                e.param("object", Sampling.pick(rng, "project", "document", "dataset", "api_key", "webhook",
                        "user_account", "invoice_draft"));
                e.param("object_id", Sampling.hex(rng, 10));
                e.statusCode = 204;
            });

    private OperationsTemplates() {
    }
}
