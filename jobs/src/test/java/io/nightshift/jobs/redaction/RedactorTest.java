package io.nightshift.jobs.redaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.config.RedactionConfig;

class RedactorTest {
    private final Redactor all = RedactionConfig.defaults().redactor();

    @Test
    void masksEachBuiltInKindAndKeepsTheRest() {
        assertEquals("mail [REDACTED:email] about it", all.apply("mail jane.doe+x@corp.example.com about it"));
        assertEquals("GET https://svc:[REDACTED:url_password]@db.internal:5432/x",
                all.apply("GET https://svc:hunter2@db.internal:5432/x"));
        assertEquals("Authorization: Bearer [REDACTED:bearer_token] ok",
                all.apply("Authorization: Bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl ok"));
        assertEquals("/login?user=bob&password=[REDACTED:secret_param]&next=/",
                all.apply("/login?user=bob&password=s3cr3t!&next=/"));
        assertEquals("{\"api_key\": \"[REDACTED:secret_param]\"}", all.apply("{\"api_key\": \"abc123\"}"));
        assertEquals("key [REDACTED:aws_access_key] used", all.apply("key AKIAIOSFODNN7EXAMPLE used"));
        assertEquals("card [REDACTED:credit_card] declined", all.apply("card 4111 1111 1111 1111 declined"));
        assertEquals("card [REDACTED:credit_card]", all.apply("card 5500-0000-0000-0004"));
    }

    @Test
    void leavesLookalikesAlone() {
        // 16 digits failing the Luhn check: an order id, not a card.
        assertEquals("order 1234567812345678 shipped", all.apply("order 1234567812345678 shipped"));
        assertEquals("user alice logged in from 10.1.2.3", all.apply("user alice logged in from 10.1.2.3"));
        assertEquals("token bucket refilled", all.apply("token bucket refilled"));
        assertNull(all.apply(null));
        assertEquals("", all.apply(""));
    }

    @Test
    void aUrlPasswordIsNotAlsoReadAsAnEmailAddress() {
        String masked = all.apply("postgres://app:pa55@db.example.org/main");
        assertEquals("postgres://app:[REDACTED:url_password]@db.example.org/main", masked);
    }

    @Test
    void luhnAcceptsValidCardNumbersOnly() {
        assertTrue(Redactor.luhn("4111111111111111"));
        assertTrue(Redactor.luhn("378282246310005"));
        assertFalse(Redactor.luhn("4111111111111112"));
        assertFalse(Redactor.luhn("0000000000"));
    }

    @Test
    void configChoosesBuiltInsAndAddsCustomPatterns() {
        RedactionConfig c = RedactionConfig.resolve(new RedactionConfig.Raw(false, true, List.of("email"),
                Map.of("employee_id", "EMP-[0-9]{6}")), "test");
        assertFalse(c.reports());
        assertTrue(c.evidence());
        assertEquals(List.of("email", "employee_id"), List.copyOf(c.patterns().keySet()));
        assertEquals("[REDACTED:email] is [REDACTED:employee_id], card 4111111111111111",
                c.redactor().apply("a@b.io is EMP-123456, card 4111111111111111"));
    }

    @Test
    void defaultsMaskReportsNotEvidence() {
        RedactionConfig d = RedactionConfig.resolve(null, "test");
        assertTrue(d.reports());
        assertFalse(d.evidence());
        assertEquals(Redactor.BUILT_INS.keySet(), d.patterns().keySet());
    }

    @Test
    void badConfigNamesTheKeyAtFault() {
        var unknown = assertThrows(NightshiftException.class, () -> RedactionConfig.resolve(
                new RedactionConfig.Raw(null, null, List.of("emails"), null), "f.yaml"));
        assertTrue(unknown.getMessage().contains("redaction.builtins has unknown pattern 'emails'"),
                unknown.getMessage());
        var syntax = assertThrows(NightshiftException.class, () -> RedactionConfig.resolve(
                new RedactionConfig.Raw(null, null, null, Map.of("ticket", "TCK-[0-9")), "f.yaml"));
        assertTrue(syntax.getMessage().contains("redaction.custom.ticket is not a valid Java regular expression"),
                syntax.getMessage());
        var empty = assertThrows(NightshiftException.class, () -> RedactionConfig.resolve(
                new RedactionConfig.Raw(null, null, null, Map.of("anything", ".*")), "f.yaml"));
        assertTrue(empty.getMessage().contains("redaction.custom.anything matches the empty string"),
                empty.getMessage());
    }
}
