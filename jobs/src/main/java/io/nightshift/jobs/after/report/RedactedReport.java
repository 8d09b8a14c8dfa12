package io.nightshift.jobs.after.report;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A copy of a {@link ReportData} with every string passed through a mask (see
 * {@link io.nightshift.jobs.redaction.Redactor}). It walks the records generically, so a field added to the report
 * later is masked too without anyone remembering to: redaction that depends on a list of fields leaks by omission.
 */
final class RedactedReport {
    private RedactedReport() {
    }

    static ReportData of(ReportData data, UnaryOperator<String> mask) {
        return (ReportData) map(data, mask);
    }

    private static Object map(Object value, UnaryOperator<String> mask) {
        if (value instanceof String s) {
            return mask.apply(s);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(map(v, mask)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(map(k, mask), map(v, mask)));
            return out;
        }
        if (value != null && value.getClass().isRecord()) {
            return record(value, mask);
        }
        return value;
    }

    private static Object record(Object rec, UnaryOperator<String> mask) {
        RecordComponent[] components = rec.getClass().getRecordComponents();
        Object[] args = new Object[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                var accessor = components[i].getAccessor();
                accessor.setAccessible(true);
                args[i] = map(accessor.invoke(rec), mask);
            }
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<?> canonical = rec.getClass().getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(args);
        } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
            throw new IllegalStateException("cannot copy report record " + rec.getClass().getName(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot copy report record " + rec.getClass().getName() + ": "
                    + e.getCause(), e.getCause());
        }
    }
}
