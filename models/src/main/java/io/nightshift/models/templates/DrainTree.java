package io.nightshift.models.templates;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fixed-depth prefix tree of Drain (He et al., "Drain: An Online Log Parsing Approach with Fixed Depth Tree",
 * ICWS 2017), in plain Java so it can be tested without Spark and shipped to executors by serialization.
 *
 * <p>Layout: the root's children are keyed by token count; below them {@code depth - 2} layers keyed by the leading
 * tokens; leaves hold the clusters. A token containing a digit never gets its own node, it goes to the {@code <*>}
 * child; when a node already has {@code maxChildren} children, further tokens also go to {@code <*>}.
 *
 * <p>Two uses:
 * <ul>
 *   <li><b>Learning</b> ({@link #learn}): Drain as published. The message walks a single path (exact token, else
 *   {@code <*>}) to a leaf; the leaf's most similar cluster (share of positions where the template has the same
 *   non-wildcard token; ties to the template with more wildcards) absorbs it if the similarity reaches the threshold,
 *   replacing differing tokens by {@code <*>}; otherwise it starts a new cluster. Order-dependent by nature.</li>
 *   <li><b>Matching</b> ({@link #match}): read-only lookup against final templates. Because a cluster stays in the
 *   leaf where it was created while its template generalises, matching explores both the exact and the {@code <*>}
 *   child on each layer (at most {@code 2^(depth-2)} leaves) and prefers a template that <em>covers</em> the message
 *   (equal on every non-wildcard position; the most specific one wins). Every learned message is covered by the
 *   template of the cluster it joined, so matching reproduces the learned grouping. Without a covering template it
 *   falls back to Drain's similarity rule.</li>
 * </ul>
 * Not thread-safe while learning; matching does not mutate and may run concurrently.
 */
public final class DrainTree implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The wildcard token, in templates and as the catch-all child of a tree node. */
    public static final String WILDCARD = MinedTemplate.WILDCARD;

    private final int depth;
    private final int maxChildren;
    private final double similarityThreshold;
    private final Map<Integer, Node> byLength = new HashMap<>();
    private final List<Cluster> clusters = new ArrayList<>();

    /**
     * @param depth               tree depth counting the root and the token-count layer, as in the paper (≥ 3)
     * @param maxChildren         maximum children of an inner node (≥ 2)
     * @param similarityThreshold minimum similarity for a message to join a cluster, in [0, 1]
     */
    public DrainTree(int depth, int maxChildren, double similarityThreshold) {
        if (depth < 3) {
            throw new IllegalArgumentException("Drain depth must be >= 3 (root, length layer, one token layer), got " + depth);
        }
        if (maxChildren < 2) {
            throw new IllegalArgumentException("maxChildren must be >= 2, got " + maxChildren);
        }
        if (!(similarityThreshold >= 0.0 && similarityThreshold <= 1.0)) {
            throw new IllegalArgumentException("similarityThreshold must be in [0, 1], got " + similarityThreshold);
        }
        this.depth = depth;
        this.maxChildren = maxChildren;
        this.similarityThreshold = similarityThreshold;
    }

    /** A tree for matching, holding the given final templates (e.g. those of a loaded model). */
    public static DrainTree ofTemplates(List<MinedTemplate> templates, int depth, int maxChildren,
                                       double similarityThreshold) {
        DrainTree tree = new DrainTree(depth, maxChildren, similarityThreshold);
        for (MinedTemplate template : templates) {
            Cluster cluster = new Cluster(tokenize(template.template()), template.count());
            tree.place(cluster);
            tree.clusters.add(cluster);
        }
        return tree;
    }

    /** Splits a message into whitespace-separated tokens ({@link MinedTemplate#tokenize}). */
    public static String[] tokenize(String message) {
        return MinedTemplate.tokenize(message);
    }

    /**
     * Learns one (masked, tokenized) message as Drain does and returns the cluster that absorbed it.
     *
     * @param count how many occurrences the message stands for (added to the cluster's count)
     */
    public Cluster learn(String[] tokens, long count) {
        Cluster cluster = mostSimilar(leafClusters(tokens), tokens);
        if (cluster == null) {
            cluster = new Cluster(tokens.clone(), 0);
            place(cluster);
            clusters.add(cluster);
        } else {
            cluster.generalizeWith(tokens);
        }
        cluster.count += count;
        return cluster;
    }

    /** Result of {@link #match}: the template and whether it covers the message exactly. */
    public record Match(Cluster cluster, boolean covering) {
    }

    /** Finds the learned template for a message without changing the tree; empty when none is close enough. */
    public Optional<Match> match(String[] tokens) {
        List<Cluster> candidates = new ArrayList<>();
        Node first = byLength.get(tokens.length);
        if (first == null) {
            return Optional.empty();
        }
        collectCandidates(first, tokens, 0, Math.min(depth - 2, tokens.length), candidates);
        Cluster best = null;
        int bestConstants = -1;
        for (Cluster candidate : candidates) {
            int constants = candidate.constantsIfCovering(tokens);
            if (constants > bestConstants || (constants == bestConstants && constants >= 0
                    && candidate.text().compareTo(best.text()) < 0)) {
                best = candidate;
                bestConstants = constants;
            }
        }
        if (bestConstants >= 0) {
            return Optional.of(new Match(best, true));
        }
        Cluster similar = mostSimilar(candidates, tokens);
        return similar == null ? Optional.empty() : Optional.of(new Match(similar, false));
    }

    /** The clusters in creation order; several may share the same final template text. */
    public List<Cluster> clusters() {
        return List.copyOf(clusters);
    }

    /**
     * The final templates, one per distinct text (clusters with equal text are merged, counts summed), most frequent
     * first, then by text.
     */
    public List<MinedTemplate> templates() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Cluster cluster : clusters) {
            counts.merge(cluster.text(), cluster.count, Long::sum);
        }
        List<MinedTemplate> templates = new ArrayList<>(counts.size());
        counts.forEach((text, count) -> templates.add(MinedTemplate.of(text, count)));
        templates.sort(Comparator.comparingLong(MinedTemplate::count).reversed()
                .thenComparing(MinedTemplate::template));
        return templates;
    }

    /** The single path of Drain's tree search: exact token child, else the {@code <*>} child, else no leaf. */
    private List<Cluster> leafClusters(String[] tokens) {
        Node node = byLength.get(tokens.length);
        int layers = Math.min(depth - 2, tokens.length);
        for (int i = 0; node != null && i < layers; i++) {
            Node exact = node.children.get(tokens[i]);
            node = exact != null ? exact : node.children.get(WILDCARD);
        }
        return node == null ? List.of() : node.clusters;
    }

    private void collectCandidates(Node node, String[] tokens, int layer, int layers, List<Cluster> out) {
        if (layer == layers) {
            out.addAll(node.clusters);
            return;
        }
        Node exact = node.children.get(tokens[layer]);
        if (exact != null) {
            collectCandidates(exact, tokens, layer + 1, layers, out);
        }
        Node wildcard = node.children.get(WILDCARD);
        if (wildcard != null && wildcard != exact) {
            collectCandidates(wildcard, tokens, layer + 1, layers, out);
        }
    }

    /** Drain's fastMatch: highest similarity, ties to more wildcards; null below the threshold. */
    private Cluster mostSimilar(List<Cluster> candidates, String[] tokens) {
        Cluster best = null;
        double bestSimilarity = -1.0;
        int bestWildcards = -1;
        for (Cluster candidate : candidates) {
            double similarity = candidate.similarity(tokens);
            int wildcards = candidate.wildcards();
            if (similarity > bestSimilarity || (similarity == bestSimilarity && wildcards > bestWildcards)) {
                best = candidate;
                bestSimilarity = similarity;
                bestWildcards = wildcards;
            }
        }
        return best != null && bestSimilarity >= similarityThreshold ? best : null;
    }

    /** Drain's addSeqToPrefixTree: walks/creates the path of the cluster's template and attaches it to the leaf. */
    private void place(Cluster cluster) {
        String[] tokens = cluster.tokens;
        Node node = byLength.computeIfAbsent(tokens.length, length -> new Node());
        int layers = Math.min(depth - 2, tokens.length);
        for (int i = 0; i < layers; i++) {
            node = childFor(node, tokens[i]);
        }
        node.clusters.add(cluster);
    }

    private Node childFor(Node node, String token) {
        Node existing = node.children.get(token);
        if (existing != null) {
            return existing;
        }
        if (ParameterMasker.containsDigit(token)) {
            return node.children.computeIfAbsent(WILDCARD, key -> new Node());
        }
        if (node.children.containsKey(WILDCARD)) {
            return node.children.size() < maxChildren ? addChild(node, token) : node.children.get(WILDCARD);
        }
        if (node.children.size() + 1 < maxChildren) {
            return addChild(node, token);
        }
        return addChild(node, WILDCARD);
    }

    private static Node addChild(Node node, String key) {
        Node child = new Node();
        node.children.put(key, child);
        return child;
    }

    private static final class Node implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Map<String, Node> children = new HashMap<>();
        private final List<Cluster> clusters = new ArrayList<>();
    }

    /** A group of messages sharing one template; its template only ever generalises. */
    public static final class Cluster implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String[] tokens;
        private long count;
        private String text;
        private String id;

        Cluster(String[] tokens, long count) {
            this.tokens = tokens;
            this.count = count;
            this.text = String.join(" ", tokens);
            this.id = MinedTemplate.idOf(text);
        }

        /** The stable id of the current template text ({@link MinedTemplate#idOf}). */
        public String id() {
            return id;
        }

        /** The template text: tokens joined by single spaces. */
        public String text() {
            return text;
        }

        /** Occurrences absorbed while learning (or the stored count of a loaded template). */
        public long count() {
            return count;
        }

        double similarity(String[] message) {
            if (message.length == 0) {
                return 1.0;
            }
            int same = 0;
            for (int i = 0; i < tokens.length; i++) {
                if (!WILDCARD.equals(tokens[i]) && tokens[i].equals(message[i])) {
                    same++;
                }
            }
            return (double) same / message.length;
        }

        int wildcards() {
            int wildcards = 0;
            for (String token : tokens) {
                if (WILDCARD.equals(token)) {
                    wildcards++;
                }
            }
            return wildcards;
        }

        /** Number of non-wildcard positions if every one equals the message's token, else -1. */
        int constantsIfCovering(String[] message) {
            int constants = 0;
            for (int i = 0; i < tokens.length; i++) {
                if (!WILDCARD.equals(tokens[i])) {
                    if (!tokens[i].equals(message[i])) {
                        return -1;
                    }
                    constants++;
                }
            }
            return constants;
        }

        void generalizeWith(String[] message) {
            boolean changed = false;
            for (int i = 0; i < tokens.length; i++) {
                if (!tokens[i].equals(message[i]) && !WILDCARD.equals(tokens[i])) {
                    tokens[i] = WILDCARD;
                    changed = true;
                }
            }
            if (changed) {
                text = String.join(" ", tokens);
                id = MinedTemplate.idOf(text);
            }
        }
    }
}
