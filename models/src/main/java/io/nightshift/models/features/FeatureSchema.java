package io.nightshift.models.features;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NumericAttribute;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;

/**
 * What each dimension of a feature vector means: {@code template:<id>} dimensions first (TF-IDF weighted counts),
 * then {@code numeric:<name>} dimensions, for rows defined by a {@link WindowDefinition}.
 *
 * <p>The schema travels with the data as column metadata (MLlib's {@code ml_attr} attribute names plus the window
 * definition and fingerprint), so a detector fitted on the column learns it without a side channel, and a model
 * can refuse input whose dimensions mean something else. The {@link #fingerprint()} is a SHA-256 over the window
 * definition and the ordered dimension names; learned weights (IDF, scaling) are deliberately not part of it.
 */
public final class FeatureSchema implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public static final String TEMPLATE_PREFIX = "template:";
    public static final String NUMERIC_PREFIX = "numeric:";
    static final String WINDOW_KEY = "nightshift_feature_window";
    static final String FINGERPRINT_KEY = "nightshift_feature_fingerprint";
    private static final String VERSION = "nightshift-features-v1";

    private final String window;
    private final List<String> names;

    public FeatureSchema(String window, List<String> names) {
        this.window = window;
        this.names = List.copyOf(names);
    }

    static FeatureSchema of(WindowDefinition def, TemplateVocabulary vocabulary) {
        List<String> names = new ArrayList<>();
        vocabulary.templateIds().forEach(id -> names.add(TEMPLATE_PREFIX + id));
        NumericFeatures.NAMES.forEach(n -> names.add(NUMERIC_PREFIX + n));
        return new FeatureSchema(def.describe(), names);
    }

    /** The schema carried by a vector column's metadata, if the column has one. */
    public static Optional<FeatureSchema> fromField(StructField field) {
        Metadata md = field.metadata();
        if (!md.contains(WINDOW_KEY)) {
            return Optional.empty();
        }
        AttributeGroup group = AttributeGroup.fromStructField(field);
        if (group.attributes().isEmpty()) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        for (Attribute a : group.attributes().get()) {
            names.add(a.name().get());
        }
        return Optional.of(new FeatureSchema(md.getString(WINDOW_KEY), names));
    }

    /** Column metadata for a vector column named {@code column}. */
    public Metadata toMetadata(String column) {
        Attribute[] attrs = new Attribute[names.size()];
        for (int i = 0; i < attrs.length; i++) {
            attrs[i] = NumericAttribute.defaultAttr().withName(names.get(i)).withIndex(i);
        }
        return new MetadataBuilder()
                .withMetadata(new AttributeGroup(column, attrs).toMetadata())
                .putString(WINDOW_KEY, window)
                .putString(FINGERPRINT_KEY, fingerprint())
                .build();
    }

    public String window() {
        return window;
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }

    /** Template ids of the {@code template:} dimensions, in dimension order. */
    public List<String> templateIds() {
        List<String> ids = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith(TEMPLATE_PREFIX)) {
                ids.add(n.substring(TEMPLATE_PREFIX.length()));
            }
        }
        return ids;
    }

    /** Names of the {@code numeric:} dimensions, without the prefix. */
    public List<String> numericNames() {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith(NUMERIC_PREFIX)) {
                out.add(n.substring(NUMERIC_PREFIX.length()));
            }
        }
        return out;
    }

    /** First 16 hex digits of SHA-256 over the version, window definition and dimension names. */
    public String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((VERSION + "\n" + window + "\n" + String.join("\n", names)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSchema s && s.window.equals(window) && s.names.equals(names);
    }

    @Override
    public int hashCode() {
        return window.hashCode() * 31 + names.hashCode();
    }

    @Override
    public String toString() {
        return "FeatureSchema(" + window + ", " + names.size() + " dimensions, " + fingerprint() + ")";
    }
}
