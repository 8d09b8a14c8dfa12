package io.nightshift.jobs.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.QueryPlan;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoDir;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.ParsedStatement;

import scala.jdk.javaapi.CollectionConverters;

import io.nightshift.jobs.base.Failures;
import io.nightshift.jobs.base.NightshiftException;

/**
 * One SQL statement as Spark's own parser reads it (the session's, with Iceberg's extensions), and whether it only
 * reads. Decided on the parsed plan, never on the text's first word: {@code WITH x AS (...) INSERT ...}, a comment
 * before {@code DROP}, or a write inside an {@code EXPLAIN}-looking string are all seen for what they are.
 *
 * <p>Read-only: a query ({@code SELECT}, {@code WITH}, {@code VALUES}, {@code TABLE}) with no command or insert
 * anywhere in it, or a {@code SHOW}, {@code DESCRIBE} or {@code EXPLAIN} command. Everything else writes or changes
 * state ({@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code MERGE}, {@code DROP}, {@code ALTER},
 * {@code CREATE}, {@code CALL}, {@code SET}, {@code CACHE}...).
 */
public final class SqlStatement {
    /** Command plans that only read: their class names start so (ShowTables, DescribeRelation, ExplainCommand...). */
    private static final Pattern READING_COMMAND = Pattern.compile("(Show|Describe|Explain)[A-Za-z]*");

    private final String sql;
    private final LogicalPlan plan;

    private SqlStatement(String sql, LogicalPlan plan) {
        this.sql = sql;
        this.plan = plan;
    }

    /**
     * @throws NightshiftException (usage) when the text is not one statement Spark can parse
     */
    public static SqlStatement parse(SparkSession spark, String sql) {
        try {
            return new SqlStatement(sql, spark.sessionState().sqlParser().parsePlan(sql));
        } catch (Exception e) {
            // ParseException is checked to Java and thrown undeclared.
            throw NightshiftException.usage("cannot parse the SQL: " + Failures.oneLine(e));
        }
    }

    public String sql() {
        return sql;
    }

    /** What in the statement writes or changes state (the plan node's name), or empty when it only reads. */
    public Optional<String> write() {
        String rootName = plan.getClass().getSimpleName();
        if (plan instanceof Command) {
            return READING_COMMAND.matcher(rootName).matches() ? Optional.empty() : Optional.of(rootName);
        }
        Deque<QueryPlan<?>> pending = new ArrayDeque<>();
        pending.push(plan);
        while (!pending.isEmpty()) {
            QueryPlan<?> node = pending.pop();
            if (node instanceof Command || node instanceof ParsedStatement || node instanceof InsertIntoDir) {
                return Optional.of(node.getClass().getSimpleName());
            }
            CollectionConverters.asJava(node.children()).forEach(c -> pending.push((QueryPlan<?>) c));
            CollectionConverters.asJava(node.innerChildren()).forEach(pending::push);
            CollectionConverters.asJava(node.subqueries()).forEach(pending::push);
        }
        return Optional.empty();
    }

    /**
     * Whether the statement, once its names are resolved, involves {@code table} (by its plain name, in any catalog
     * or namespace, however the text spells it: quoted, qualified, or built by {@code IDENTIFIER(...)}). Resolving
     * does not run the statement.
     */
    public boolean involves(SparkSession spark, String table) {
        Pattern name = Pattern.compile("(?i)(^|[^A-Za-z0-9_])" + Pattern.quote(table) + "($|[^A-Za-z0-9_])");
        if (name.matcher(sql).find() || name.matcher(plan.treeString()).find()) {
            return true;
        }
        try {
            LogicalPlan analyzed = spark.sessionState().executePlan(plan,
                    org.apache.spark.sql.execution.CommandExecutionMode.SKIP()).analyzed();
            return name.matcher(analyzed.treeString()).find();
        } catch (Exception e) {
            // A statement Spark cannot resolve cannot run either; running it reports why.
            return false;
        }
    }

    /** The statement's kind, in words for messages ("DropTable" → "drop table"). */
    static String words(String planName) {
        return planName.replaceAll("(Command|Statement)$", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(Locale.ROOT);
    }
}
