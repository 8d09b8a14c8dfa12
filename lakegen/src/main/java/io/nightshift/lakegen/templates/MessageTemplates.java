package io.nightshift.lakegen.templates;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/** Every template ordinary traffic and the operational schedule can write (scenario-only templates excluded). */
public final class MessageTemplates {
    private static final List<Class<?>> GROUPS = List.of(HttpTemplates.class, AuthTemplates.class,
            DatabaseTemplates.class, RuntimeTemplates.class, OperationsTemplates.class, BusinessTemplates.class);

    /** Read from the groups' public constants, so a template added to a group is listed without more edits. */
    public static final List<MessageTemplate> ALL = collect();

    private MessageTemplates() {
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
