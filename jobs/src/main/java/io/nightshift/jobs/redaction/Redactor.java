package io.nightshift.jobs.redaction;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Masks secrets and personal data in text: each match of a named pattern becomes {@code [REDACTED:name]}. One
 * implementation serves the driver (the HTML report) and the executors (evidence, through {@link #column}), so both
 * mask exactly the same things.
 */
public final class Redactor implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The built-in patterns, in the order they apply: a URL's password before e-mail addresses (in
     * {@code https://user:pw@host} the {@code pw@host} part looks like an address), credentials before numbers.
     */
    public static final Map<String, Pattern> BUILT_INS = builtIns();

    /** Card numbers are masked only when their digits pass the Luhn check: most 16-digit runs in logs are ids. */
    static final String CREDIT_CARD = "credit_card";

    private final Map<String, Pattern> patterns;

    public Redactor(Map<String, Pattern> patterns) {
        this.patterns = new LinkedHashMap<>(patterns);
    }

    private static Map<String, Pattern> builtIns() {
        Map<String, Pattern> m = new LinkedHashMap<>();
        // The password of scheme://user:password@host (only the password: the user and host say where it went).
        m.put("url_password", Pattern.compile("(?<=://[^/\\s:@]{1,128}:)[^/\\s@]+(?=@)"));
        // The token after "Bearer" (Authorization headers, curl command lines).
        m.put("bearer_token", Pattern.compile("(?i)(?<=\\bbearer\\s{1,8})[A-Za-z0-9\\-._~+/]+=*"));
        // Values of password=, token=, api_key: ... in query strings, JSON and key-value logs.
        m.put("secret_param", Pattern.compile("(?i)(?<=(?:^|[^A-Za-z0-9_])(?:password|passwd|pwd|secret|token"
                + "|api[_-]?key|access[_-]?token|client[_-]?secret)[\"']?\\s{0,3}[=:]\\s{0,3}[\"']?)"
                + "[^\\s&;,\"'}]+"));
        m.put("aws_access_key", Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"));
        m.put(CREDIT_CARD, Pattern.compile("(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])"));
        m.put("email", Pattern.compile("(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*"
                + "\\.[A-Za-z]{2,}"));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** {@code text} with every match masked; null stays null. */
    public String apply(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (var e : patterns.entrySet()) {
            String mask = Matcher.quoteReplacement("[REDACTED:" + e.getKey() + "]");
            boolean card = CREDIT_CARD.equals(e.getKey());
            out = e.getValue().matcher(out).replaceAll(m -> card && !luhn(m.group())
                    ? Matcher.quoteReplacement(m.group()) : mask);
        }
        return out;
    }

    /** The same masking as a Spark column expression. */
    public Column column(Column text) {
        return functions.udf((UDF1<String, String>) this::apply, DataTypes.StringType).apply(text);
    }

    static boolean luhn(String candidate) {
        int sum = 0;
        int digits = 0;
        boolean doubled = false;
        for (int i = candidate.length() - 1; i >= 0; i--) {
            char c = candidate.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            digits++;
            doubled = !doubled;
        }
        return digits >= 13 && digits <= 19 && sum % 10 == 0;
    }
}
