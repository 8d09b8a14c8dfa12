package io.nightshift.lakegen.scenario;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import io.nightshift.lakegen.world.Deploys;
import io.nightshift.lakegen.world.Directory;
import io.nightshift.lakegen.world.LogEvent;
import io.nightshift.lakegen.world.Sampling;
import io.nightshift.lakegen.world.Seasonality;
import io.nightshift.lakegen.world.ServiceCatalog;
import io.nightshift.lakegen.world.Topology;

/**
 * One labelled incident on one day. It changes that day's lake in up to two ways, both evaluated on the executors:
 * it injects {@link #injectedRows()} lines of its own ({@link #writeInjectedRow}) and it may amend or drop ordinary
 * lines ({@link #amend}). Rows it writes or changes carry {@code attributes['scenario'] = id}.
 *
 * <p>Implementations are immutable and serializable: the plan is made once on the driver and shipped with the
 * day's task.
 */
public abstract class Scenario implements Serializable {
    private final ScenarioKind kind;
    private final String id;
    private final LocalDate date;
    private final Instant start;
    private final Instant end;

    protected Scenario(ScenarioKind kind, String id, LocalDate date, Instant start, Instant end) {
        if (!start.isBefore(end) || !LocalDate.ofInstant(start, ZoneOffset.UTC).equals(date)
                || !LocalDate.ofInstant(end.minusNanos(1), ZoneOffset.UTC).equals(date)) {
            throw new IllegalArgumentException("Scenario " + id + " must lie within " + date + ": " + start + " - " + end);
        }
        this.kind = kind;
        this.id = id;
        this.date = date;
        this.start = start;
        this.end = end;
    }

    public final ScenarioKind kind() {
        return kind;
    }

    public final String visibility() {
        return kind.visibility();
    }

    public abstract String description();

    /** Column values (and, for a slow dependency, origin and affected services) that locate the incident. */
    public abstract Map<String, Object> entities();

    /** {@link #entities()} from names and values, in that order (ground_truth.json lists them so). */
    protected static Map<String, Object> entityMap(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    public int injectedRows() {
        return 0;
    }

    /** Writes injected line {@code k} (0-based, below {@link #injectedRows()}) of this scenario. */
    public void writeInjectedRow(LogEvent e, int k, SplittableRandom rng) {
        throw new IllegalStateException(id + " injects no rows");
    }

    /** Hosts this scenario writes injected lines on; a silent host is never one of them on the same day. */
    public java.util.Set<String> hostsWritten() {
        return java.util.Set.of();
    }

    /**
     * Whether this scenario removes the line; asked for ordinary and operational lines of its date, so a host that
     * goes silent loses its deploy and audit lines too.
     */
    public boolean silences(LogEvent e) {
        return false;
    }

    /** Called for every ordinary line of the scenario's date; changes the line only when it is affected. */
    public void amend(LogEvent e, SplittableRandom rng) {
    }

    public GroundTruth groundTruth(long rowCount) {
        return new GroundTruth(id, kind().label(), description(), date, start, end, visibility(), entities(),
                GroundTruth.MARKER, rowCount);
    }

    public String id() {
        return id;
    }

    public LocalDate date() {
        return date;
    }

    public Instant start() {
        return start;
    }

    public Instant end() {
        return end;
    }

    protected long startMicros() {
        return micros(start);
    }

    protected long endMicros() {
        return micros(end);
    }

    protected static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000L;
    }

    /** The instant at {@code fraction} (0..1) of the window. */
    protected long at(double fraction) {
        return startMicros() + (long) ((endMicros() - startMicros()) * fraction);
    }

    protected boolean during(LogEvent e) {
        return e.epochMicros >= startMicros() && e.epochMicros < endMicros();
    }

    protected void mark(LogEvent e) {
        e.attributes.put(GroundTruth.MARKER, id);
    }

    /** Puts an injected line on {@code host} at {@code epochMicros}, with the service's current latency. */
    protected static void place(LogEvent e, String service, Topology.Host host, long epochMicros,
                                SplittableRandom rng) {
        e.service = service;
        e.placeOn(host);
        e.epochMicros = epochMicros;
        e.srcIp = host.ip();
        e.dstIp = host.ip();
        int hour = (int) Math.floorMod(epochMicros / 3_600_000_000L, 24L);
        e.requestLatencyMs = ServiceCatalog.profile(service).latency().sample(rng, Seasonality.load(host.region(), hour));
    }

    protected static void actAs(LogEvent e, Directory.User user, String srcIp) {
        e.actAs(user);
        e.srcIp = srcIp;
    }

    /** An injected line of {@code user}'s own, from their usual address: {@link #place} then {@link #actAs}. */
    protected static void placeAsUser(LogEvent e, String service, Topology.Host host, long epochMicros, String user,
                                      SplittableRandom rng) {
        place(e, service, host, epochMicros, rng);
        Directory.User u = Directory.user(user);
        actAs(e, u, u.homeIp());
    }

    /**
     * Line {@code line} (0 or 1) of a rolling deploy of {@code version} on {@code host}: started at
     * {@code startedMicros}, finished {@code seconds} later as the log says, written at {@code finishedMicros}.
     */
    protected static void writeDeployLine(LogEvent e, int line, SplittableRandom rng, String service, String host,
                                          String version, long startedMicros, long finishedMicros, int seconds) {
        Topology.Host h = Topology.host(host);
        if (line == 0) {
            Deploys.started(e, rng, service, h, version, startedMicros);
        } else {
            Deploys.finished(e, rng, service, h, version, finishedMicros, seconds);
        }
    }

    /** Turns an ordinary line into a {@code template} line, keeping its time, place, tenant and user. */
    protected static void rewrite(LogEvent e, io.nightshift.lakegen.world.MessageTemplate template,
                                  SplittableRandom rng) {
        e.params.clear();
        e.attributes.clear();
        e.statusCode = null;
        e.bytesOut = null;
        e.durationMs = null;
        template.applyTo(e, rng);
    }

    protected static java.util.Set<String> hostNames(java.util.List<Topology.Host> hosts) {
        return hosts.stream().map(Topology.Host::name).collect(java.util.stream.Collectors.toSet());
    }

    /**
     * A start in the region's local working hours ({@code firstLocalHour..lastLocalHour}), as a UTC instant on
     * {@code date}, early enough that {@code minutes} more still fall on the same UTC day. Traffic-shaped incidents
     * start there so they hit the region while it is busy.
     */
    protected static Instant localBusinessStart(LocalDate date, String region, int firstLocalHour, int lastLocalHour,
                                                int minutes, SplittableRandom rng) {
        int offset = Topology.region(region).utcOffsetHours();
        int utcHour = Math.floorMod(Sampling.between(rng, firstLocalHour, lastLocalHour) - offset, 24);
        int latestStartMinute = 24 * 60 - 1 - minutes;
        int startMinute = Math.min(utcHour * 60 + rng.nextInt(60), latestStartMinute);
        return at(date, startMinute / 60, startMinute % 60);
    }

    /** A UTC instant on {@code date}. */
    protected static Instant at(LocalDate date, int hour, int minute) {
        return date.atTime(hour, minute).toInstant(ZoneOffset.UTC);
    }
}
