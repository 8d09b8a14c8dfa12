package io.nightshift.lakegen.world;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every template ordinary traffic and the operational schedule can write (scenario-only templates excluded). */
public final class MessageTemplates {
    private static final List<Class<?>> GROUPS = List.of(HttpTemplates.class, AuthTemplates.class,
            DatabaseTemplates.class, RuntimeTemplates.class, OperationsTemplates.class, BusinessTemplates.class);

    /** Read from the groups' public constants, so a template added to a group is listed without more edits. */
    public static final List<MessageTemplate> ALL = collect();

    private static final Map<String, MessageTemplate> BY_ID =
            ALL.stream().collect(Collectors.toMap(MessageTemplate::id, Function.identity()));

    private MessageTemplates() {
    }

    /** The template with this id, as data files name templates (the service catalog's mixes). */
    public static Optional<MessageTemplate> byId(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    private static List<MessageTemplate> collect() {
        List<MessageTemplate> all = new ArrayList<>();
        for (Class<?> group : GROUPS) {
            for (Field f : group.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == MessageTemplate.class) {
                    try {
                        all.add((MessageTemplate) f.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException("Cannot read template " + group.getSimpleName() + "."
                                + f.getName(), e);
                    }
                }
            }
        }
        return List.copyOf(all);
    }
}
