package io.nightshift.lakegen.world;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.nightshift.lakegen.world.ServiceProfile.Latency;
import io.nightshift.lakegen.world.ServiceProfile.TemplateMix;

/**
 * The services of the fictional company, read from {@code services.yaml} beside this class: what the service catalog
 * knows about them (owner, tier, data classification) and how they behave in the logs. The file is data, not code,
 * so a service is added or tuned without touching the generator; the order of the services and of each mix's
 * templates is the order the generator samples them in.
 */
public final class ServiceCatalog {
    static final String RESOURCE = "services.yaml";

    public static final List<ServiceProfile> SERVICES = load();

    private static final Map<String, ServiceProfile> BY_NAME =
            SERVICES.stream().collect(Collectors.toMap(ServiceProfile::name, Function.identity()));

    private ServiceCatalog() {
    }

    public static ServiceProfile profile(String name) {
        ServiceProfile p = BY_NAME.get(name);
        if (p == null) {
            throw new IllegalArgumentException("Unknown service " + name);
        }
        return p;
    }

    public static List<String> names() {
        return SERVICES.stream().map(ServiceProfile::name).toList();
    }

    /** The file as written: the mixes every service shares, then the services. */
    record Document(EveryService everyService, List<Service> services) {
    }

    record EveryService(Map<String, Double> normal, Map<String, Double> warn, Map<String, Double> fatal) {
    }

    record Rates(double warn, double error, double fatal) {
    }

    record Service(String name, String ownerTeam, int tier, String dataClassification, boolean containsPii,
                   String description, List<String> regions, String farmKind, double trafficWeight, Latency latency,
                   long medianBytes, Rates rates, Map<String, Double> normal, Map<String, Double> warn,
                   Map<String, Double> error) {
    }

    private static List<ServiceProfile> load() {
        try (InputStream in = ServiceCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The lake generator's jar has no " + RESOURCE + " beside "
                        + ServiceCatalog.class.getName() + "; rebuild it");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the service catalog " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** The profiles a {@code services.yaml} document describes; unknown or missing keys and templates are errors. */
    static List<ServiceProfile> parse(InputStream yamlDocument) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        return profiles(yaml.readValue(yamlDocument, Document.class));
    }

    private static List<ServiceProfile> profiles(Document doc) {
        TemplateMix fatal = mix("every_service.fatal", doc.everyService().fatal(), Map.of());
        List<ServiceProfile> profiles = new ArrayList<>();
        for (Service s : doc.services()) {
            if (!s.farmKind().equals(Topology.WEB) && !s.farmKind().equals(Topology.CORE)) {
                throw new IllegalArgumentException("Cannot use farm_kind " + s.farmKind() + " for service " + s.name()
                        + " in " + RESOURCE + ": expected " + Topology.WEB + " or " + Topology.CORE);
            }
            profiles.add(new ServiceProfile(s.name(), s.ownerTeam(), s.tier(), s.dataClassification(), s.containsPii(),
                    s.description(), List.copyOf(s.regions()), s.farmKind(), s.trafficWeight(), s.latency(),
                    s.medianBytes(), s.rates().warn(), s.rates().error(), s.rates().fatal(),
                    mix(s.name() + ".normal", s.normal(), doc.everyService().normal()),
                    mix(s.name() + ".warn", s.warn(), doc.everyService().warn()),
                    mix(s.name() + ".error", s.error(), Map.of()), fatal));
        }
        return List.copyOf(profiles);
    }

    /** The templates of {@code own}, then those of {@code shared}, each with its weight, in the file's order. */
    private static TemplateMix mix(String where, Map<String, Double> own, Map<String, Double> shared) {
        List<Object> pairs = new ArrayList<>();
        for (Map<String, Double> part : List.of(own, shared)) {
            part.forEach((id, weight) -> {
                pairs.add(MessageTemplates.byId(id).orElseThrow(() -> new IllegalArgumentException(
                        "Cannot use template " + id + " in " + where + " of " + RESOURCE
                                + ": no ordinary template has that id (MessageTemplates.ALL)")));
                pairs.add(weight);
            });
        }
        return TemplateMix.of(pairs.toArray());
    }
}
