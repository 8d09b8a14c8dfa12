package io.nightshift.jobs.detect.rules;

import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML node that remembers its line, so every rule error can say where it is. Rule files are composed (not
 * constructed) with snakeyaml: no Java objects are instantiated from tags, and each node keeps its start mark.
 */
public final class YamlNode {
    private final Node node;

    private YamlNode(Node node) {
        this.node = node;
    }

    /** Every document of a (possibly multi-document, {@code ---}-separated) YAML stream; empty ones are dropped. */
    public static List<YamlNode> documents(Reader reader) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        List<YamlNode> docs = new ArrayList<>();
        for (Node n : new Yaml(options).composeAll(reader)) {
            if (n != null) {
                docs.add(new YamlNode(n));
            }
        }
        return docs;
    }

    /** 1-based line where the node starts. */
    public int line() {
        return node.getStartMark().getLine() + 1;
    }

    public boolean isMapping() {
        return node instanceof MappingNode;
    }

    public boolean isSequence() {
        return node instanceof SequenceNode;
    }

    public boolean isNull() {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    public boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    /** What the node is, for error messages ("a list", "a map", "text"). */
    public String kind() {
        return isMapping() ? "a map" : isSequence() ? "a list" : isNull() ? "nothing" : "'" + text() + "'";
    }

    /** The text of a scalar. */
    public String text() {
        if (!(node instanceof ScalarNode s)) {
            throw new RuleSyntaxException(line(), "expected a single value, got " + kind());
        }
        return s.getValue();
    }

    /** A scalar, or each scalar of a list: the "value or list of values" shape. */
    public List<String> texts() {
        if (isSequence()) {
            return items().stream().map(YamlNode::text).toList();
        }
        return List.of(text());
    }

    public List<YamlNode> items() {
        if (!(node instanceof SequenceNode s)) {
            throw new RuleSyntaxException(line(), "expected a list, got " + kind());
        }
        return s.getValue().stream().map(YamlNode::new).toList();
    }

    /** The entries of a map, in file order, with each key's own line in {@link Entry#keyLine}. */
    public Map<String, Entry> entries() {
        if (!(node instanceof MappingNode m)) {
            throw new RuleSyntaxException(line(), "expected a map of keys, got " + kind());
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                throw new RuleSyntaxException(t.getKeyNode().getStartMark().getLine() + 1, "keys must be plain words");
            }
            int keyLine = key.getStartMark().getLine() + 1;
            if (out.put(key.getValue(), new Entry(key.getValue(), keyLine, new YamlNode(t.getValueNode()))) != null) {
                throw new RuleSyntaxException(keyLine, "key '" + key.getValue() + "' appears twice");
            }
        }
        return out;
    }

    public record Entry(String key, int keyLine, YamlNode value) {
    }
}
