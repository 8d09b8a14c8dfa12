package io.nightshift.lakegen.world;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the fictional company's services run: 4 regions, 2 datacenters per region, a {@code web} and a {@code core}
 * farm per datacenter, 49 hosts. The layout is fixed (only traffic and incidents depend on the seed) so that the
 * reference files and every lake generated from any seed describe the same fleet.
 *
 * <p>Each service runs on two thirds of the hosts of its farm kind in the regions it is deployed to, so hosts carry
 * different service mixes and a single host going silent removes only part of a service's capacity.
 */
public final class Topology {
    public record Region(String name, String code, int utcOffsetHours, double trafficShare) {
    }

    public record Host(String name, String region, String datacenter, String farm, String farmKind, String ip) {
    }

    public static final List<Region> REGIONS = List.of(
            new Region("us-east", "use", -5, 0.34),
            new Region("us-west", "usw", -8, 0.22),
            new Region("eu-west", "euw", 0, 0.28),
            new Region("ap-south", "aps", 5, 0.16));

    public static final String WEB = "web";
    public static final String CORE = "core";

    /** Hosts per farm, indexed [region][datacenter][web=0, core=1]. */
    private static final int[][][] FARM_SIZES = {
            {{4, 3}, {4, 3}},
            {{3, 3}, {3, 3}},
            {{4, 3}, {3, 3}},
            {{3, 2}, {3, 2}}};

    public static final List<Host> HOSTS = buildHosts();

    private static final Map<String, Host> BY_NAME = index();
    private static final Map<String, List<Host>> PLACEMENT = place();

    private Topology() {
    }

    private static List<Host> buildHosts() {
        List<Host> hosts = new ArrayList<>();
        for (int r = 0; r < REGIONS.size(); r++) {
            Region region = REGIONS.get(r);
            for (int d = 0; d < 2; d++) {
                String dc = region.code() + (d + 1);
                for (int f = 0; f < 2; f++) {
                    String kind = f == 0 ? WEB : CORE;
                    for (int h = 0; h < FARM_SIZES[r][d][f]; h++) {
                        String name = String.format("%s-%s-%02d", dc, kind, h + 1);
                        String ip = "10." + (r + 1) + "." + (d * 16 + f) + "." + (h + 11);
                        hosts.add(new Host(name, region.name(), dc, dc + "-" + kind, kind, ip));
                    }
                }
            }
        }
        return Collections.unmodifiableList(hosts);
    }

    private static Map<String, Host> index() {
        Map<String, Host> m = new LinkedHashMap<>();
        HOSTS.forEach(h -> m.put(h.name(), h));
        return m;
    }

    private static Map<String, List<Host>> place() {
        Map<String, List<Host>> m = new LinkedHashMap<>();
        List<ServiceProfile> services = ServiceCatalog.SERVICES;
        for (int s = 0; s < services.size(); s++) {
            ServiceProfile service = services.get(s);
            for (Region region : REGIONS) {
                if (!service.regions().contains(region.name())) {
                    continue;
                }
                List<Host> placed = new ArrayList<>();
                for (Host host : HOSTS) {
                    if (host.region().equals(region.name()) && host.farmKind().equals(service.farmKind())
                            && runsOn(s, host)) {
                        placed.add(host);
                    }
                }
                m.put(key(region.name(), service.name()), Collections.unmodifiableList(placed));
            }
        }
        return m;
    }

    /** Two thirds of a farm's hosts, rotated per service; small farms run everything. */
    private static boolean runsOn(int serviceIndex, Host host) {
        int hostNumber = Integer.parseInt(host.name().substring(host.name().length() - 2));
        long farmSize = HOSTS.stream().filter(h -> h.farm().equals(host.farm())).count();
        return farmSize <= 2 || (hostNumber + serviceIndex) % 3 != 0;
    }

    private static String key(String region, String service) {
        return region + "/" + service;
    }

    /** Hosts running {@code service} in {@code region}; empty when the service is not deployed there. */
    public static List<Host> hostsOf(String region, String service) {
        return PLACEMENT.getOrDefault(key(region, service), List.of());
    }

    public static List<Host> hostsOfService(String service) {
        List<Host> all = new ArrayList<>();
        for (Region region : REGIONS) {
            all.addAll(hostsOf(region.name(), service));
        }
        return all;
    }

    public static Host host(String name) {
        Host h = BY_NAME.get(name);
        if (h == null) {
            throw new IllegalArgumentException("Unknown host " + name);
        }
        return h;
    }

    public static Region region(String name) {
        return REGIONS.get(regionIndex(name));
    }

    /** Called for every generated row, hence a switch rather than a search. */
    public static int regionIndex(String name) {
        return switch (name) {
            case "us-east" -> 0;
            case "us-west" -> 1;
            case "eu-west" -> 2;
            case "ap-south" -> 3;
            default -> throw new IllegalArgumentException("Unknown region " + name);
        };
    }

    public static List<String> datacenters() {
        return HOSTS.stream().map(Host::datacenter).distinct().toList();
    }

    public static List<String> farms() {
        return HOSTS.stream().map(Host::farm).distinct().toList();
    }
}
