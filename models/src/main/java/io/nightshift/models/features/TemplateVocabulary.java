package io.nightshift.models.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The template ids that became count dimensions, with their document (window) frequency and IDF weight.
 *
 * <p>Equivalent to MLlib's {@code CountVectorizer} followed by {@code IDF}, learned from the per-window
 * {@code template_counts} maps instead of token arrays: the windows are already aggregated, and expanding them back
 * into one token per log line would rebuild the raw data we just reduced.
 *
 * <p>IDF is the smoothed form {@code 1 + ln((m + 1) / (df + 1))} for m training windows, not MLlib's
 * {@code ln((m + 1) / (df + 1))}: with MLlib's form a template present in every window gets weight 0 and its count
 * stops mattering, yet anomalies often show as a common template occurring too often or too rarely (HDFS block
 * sessions with missing or extra replication events). The smoothed form keeps such dimensions at weight 1 while
 * rare templates still weigh more.
 */
public final class TemplateVocabulary implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String[] templateIds;
    private final long[] docFreqs;
    private final double[] idf;
    private final Map<String, Integer> index;

    public TemplateVocabulary(String[] templateIds, long[] docFreqs, double[] idf) {
        if (templateIds.length != docFreqs.length || templateIds.length != idf.length) {
            throw new IllegalArgumentException("Vocabulary arrays differ in length: " + templateIds.length + " ids, "
                    + docFreqs.length + " document frequencies, " + idf.length + " weights");
        }
        this.templateIds = templateIds.clone();
        this.docFreqs = docFreqs.clone();
        this.idf = idf.clone();
        this.index = new HashMap<>();
        for (int i = 0; i < templateIds.length; i++) {
            index.put(templateIds[i], i);
        }
    }

    /**
     * Learns the vocabulary from aggregated windows: template ids present in at least {@code minDocFreq} windows,
     * the {@code vocabSize} most frequent kept (ties broken by id, so the result is deterministic). Collects at most
     * {@code vocabSize} rows.
     */
    public static TemplateVocabulary learn(Dataset<Row> windows, long windowCount, int vocabSize, int minDocFreq) {
        List<Row> rows = windows
                .select(explode(col(WindowAggregator.TEMPLATE_COUNTS)).as(new String[] {"template_id", "n"}))
                .groupBy("template_id").agg(count(lit(1)).as("df"))
                .filter(col("df").geq(minDocFreq))
                .orderBy(col("df").desc(), col("template_id").asc())
                .limit(vocabSize)
                .collectAsList();
        String[] ids = new String[rows.size()];
        long[] dfs = new long[rows.size()];
        double[] weights = new double[rows.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rows.get(i).getString(0);
            dfs[i] = rows.get(i).getLong(1);
            weights[i] = idf(windowCount, dfs[i]);
        }
        return new TemplateVocabulary(ids, dfs, weights);
    }

    static double idf(long windowCount, long docFreq) {
        return 1.0 + Math.log((windowCount + 1.0) / (docFreq + 1.0));
    }

    public int size() {
        return templateIds.length;
    }

    /** Dimension of a template id, or -1 when it is not in the vocabulary. */
    public int indexOf(String templateId) {
        return index.getOrDefault(templateId, -1);
    }

    public String templateId(int i) {
        return templateIds[i];
    }

    public long docFreq(int i) {
        return docFreqs[i];
    }

    public double idf(int i) {
        return idf[i];
    }

    public List<String> templateIds() {
        return List.of(templateIds);
    }
}
